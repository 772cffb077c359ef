"""The workbench's pages and routes (SPEC §9): 概览 · 事项 · 收表 · 下发 · 台账.

Starlette with Jinja2 templates and htmx as one vendored file: a small, dependency-light
stack that runs from the installed package, with no build step and nothing fetched at run
time (the offices are offline). Pages are plain server-rendered HTML; htmx only posts the
buttons' forms and swaps in the task fragment that shows progress and then the outcome.

Every page reads the ledger afresh through ``jobs.overview`` (read-only, closed at once), so
what staff typed in Excel a minute ago shows, and the ledger is never held between requests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ledger_tools.jobs import overview
from ledger_tools.web import views
from ledger_tools.web.actions import ACTIONS, outcome_context
from ledger_tools.web.security import Guard, Secrets
from ledger_tools.web.tasks import Busy, Refusal, Tasks, refusal_of
from ledger_tools.web.uploads import UploadLimits, UploadRefused, receive

__all__ = ["Workbench", "create_app"]

STATIC = Path(__file__).parent / "static"
NAV = (
    ("/", "概览"),
    ("/items", "事项"),
    ("/intake", "收表"),
    ("/documents", "下发"),
    ("/ledger", "台账"),
)
HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}


class Workbench:
    """One ledger's workbench: its secrets, its tasks, its templates."""

    def __init__(self, ledger: Path, keys: Secrets, limits: UploadLimits | None = None):
        self.ledger = Path(ledger)
        self.keys = keys
        self.limits = limits or UploadLimits()
        self.tasks = Tasks()
        self.env = Environment(
            loader=PackageLoader("ledger_tools.web", "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(nav=NAV, tone=views.tone, keys=keys)

    def render(self, name: str, status: int = 200, **context) -> HTMLResponse:
        context.setdefault("ledger_name", self.ledger.name)
        context.setdefault("today", dt.date.today())
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    def page(self, name: str, request: Request, **context) -> HTMLResponse:
        """A page over the ledger as it is now; a ledger that cannot be read shows why."""
        try:
            view = overview.run(self.ledger)
        except Exception as e:
            return self.render("refused.html", refusal=refusal_of(e), path=request.url.path)
        return self.render(name, view=view, path=request.url.path, **context)

    # --- pages ------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        return self.page("overview.html", request, views=views)

    async def items(self, request: Request) -> Response:
        chosen = views.ItemFilter.from_query(request.query_params)
        return self.page("items.html", request, views=views, chosen=chosen)

    async def item(self, request: Request) -> Response:
        return self.page("item.html", request, views=views, item_id=request.path_params["item"])

    async def intake(self, request: Request) -> Response:
        return self.page("intake.html", request, limits=self.limits)

    async def documents(self, request: Request) -> Response:
        return self.page("documents.html", request)

    async def ledger_page(self, request: Request) -> Response:
        return self.page("ledger.html", request, limits=self.limits)

    # --- actions ------------------------------------------------------------------------------

    async def act(self, request: Request) -> Response:
        action = ACTIONS.get(request.path_params["action"])
        if action is None:
            return self.render("fragment_refused.html", 404, message="没有这个操作。")
        folder = self.tasks.folder("in")
        try:
            upload = await receive(request, folder, self.limits)
        except UploadRefused as e:
            return self.render("fragment_refused.html", 413, message=str(e))
        files = upload.files if action.files else []
        try:
            task = self.tasks.start(
                action.title,
                lambda t: action.work(t, self.ledger, upload.fields, files, self.tasks),
                cleanup=upload.remove,
            )
        except Busy:
            return self.render(
                "fragment_refused.html", 409, message="另一项操作正在进行，请等它完成后再试。"
            )
        return self.render("fragment_task.html", task=task)

    async def task(self, request: Request) -> Response:
        task = self.tasks.get(request.path_params["task"])
        if task is None:
            return self.render("fragment_refused.html", 404, message="找不到这项操作。")
        if not task.finished:
            return self.render("fragment_task.html", task=task)
        if task.refusal is not None:
            return self.render("fragment_outcome.html", task=task)
        return self.render(task.template, **outcome_context(task))

    async def download(self, request: Request) -> Response:
        found = self.tasks.downloads.get(request.path_params["download"])
        if found is None:
            gone = Refusal("找不到该文件：下载只提供工作台本次生成的文件，请重新生成。", 2)
            return self.render("refused.html", 404, refusal=gone, path="")
        disposition = f"attachment; filename*=UTF-8''{quote(found.name)}"
        return FileResponse(found.path, headers={**HEADERS, "content-disposition": disposition})


def _not_found(bench: Workbench):
    async def handler(request: Request, exc: Exception) -> Response:
        gone = Refusal("找不到该页面或文件：下载只提供工作台本次生成的文件，请从导航重新打开。", 2)
        return bench.render("refused.html", 404, refusal=gone, path="")

    return handler


def _lifespan(bench: Workbench):
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        bench.tasks.close()  # the private folder, with every upload and output, goes

    return lifespan


def create_app(ledger: Path, keys: Secrets, limits: UploadLimits | None = None) -> Guard:
    """The ASGI application for ``ledger``, every route behind the Guard (``.bench`` is the
    Workbench, for the server's shutdown and the tests)."""
    bench = Workbench(ledger, keys, limits)
    app = Starlette(
        routes=[
            Route("/", bench.home),
            Route("/items", bench.items),
            Route("/items/{item}", bench.item),
            Route("/intake", bench.intake),
            Route("/documents", bench.documents),
            Route("/ledger", bench.ledger_page),
            Route("/actions/{action}", bench.act, methods=["POST"]),
            Route("/tasks/{task}", bench.task),
            Route("/download/{download}", bench.download),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=_lifespan(bench),
        exception_handlers={404: _not_found(bench), 405: _not_found(bench)},
    )
    guard = Guard(app, keys)
    guard.bench = bench
    return guard
