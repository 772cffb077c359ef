"""Who may use the workbench (SPEC §9): the clerk's own browser, on this computer, only.

The server listens on 127.0.0.1, but any web page the clerk visits could still send requests
to it (cross-site requests) or reach it through a hostile DNS name (DNS rebinding). So:

- **Host**: every request must name 127.0.0.1 or localhost with our port; a rebound name is
  refused before anything else is looked at.
- **Token**: the address ``ledger serve`` printed carries a random token. The first request
  with it gets a session cookie (HttpOnly, SameSite=Strict) and is sent on to the same page
  without the token, so the token does not stay in the address bar or the history. Every
  request without the cookie (or the token) is refused.
- **Changes**: every request that is not GET/HEAD must come from our own page: its Origin (or,
  when a browser sends none, its Referer) must be our address, and it must carry the page's
  CSRF token in the ``X-CSRF-Token`` header (htmx sends it with every request).

Comparisons are constant-time (``secrets.compare_digest``).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

__all__ = ["COOKIE", "CSRF_HEADER", "Guard", "Secrets"]

COOKIE = "ledger_workbench"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


@dataclass
class Secrets:
    """The random values of one workbench run; none of them is ever written to disk."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    session: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    port: int = 0

    @property
    def hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    @property
    def origins(self) -> set[str]:
        return {f"http://{h}" for h in self.hosts}

    def address(self) -> str:
        """The address to open, token included (what ``ledger serve`` prints)."""
        return f"http://127.0.0.1:{self.port}/?token={self.token}"


class Guard:
    """ASGI middleware holding every check above in front of the whole application."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], keys: Secrets):
        self.app, self.keys = app, keys
        self.bench: Any = None  # the Workbench behind it (set by app.create_app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal == "token":
            await self._let_in(scope, send)
            return
        if refusal:
            await _refuse(send, refusal)
            return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> str:
        """'' to let the request through, 'token' to set the cookie, else the Chinese reason."""
        if headers.get("host", "") not in self.keys.hosts:
            return "地址不对：请只用启动工作台时显示的 127.0.0.1 地址打开。"
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if scope["method"] in SAFE_METHODS and "token" in query:
            if secrets.compare_digest(query["token"], self.keys.token):
                return "token"
            return "访问令牌不对：请使用启动工作台时显示的完整地址（含 token）。"
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is no session
            cookie = SimpleCookie()
        session = cookie.get(COOKIE)
        if session is None or not secrets.compare_digest(session.value, self.keys.session):
            return (
                "没有访问权限：请使用启动工作台时显示的完整地址（含 token）打开，"
                "或重新启动工作台（ledger serve 台账.xlsx）。"
            )
        if scope["method"] in SAFE_METHODS:
            return ""
        origin = headers.get("origin") or _origin_of(headers.get("referer", ""))
        if origin not in self.keys.origins:
            return "请求来源不对：只接受工作台本页面发出的操作。请在工作台页面上重新操作。"
        csrf = headers.get(CSRF_HEADER, "")
        if not secrets.compare_digest(csrf, self.keys.csrf):
            return "页面已过期（校验码不对）：请刷新页面后重新操作。"
        return ""

    async def _let_in(self, scope: Scope, send: Send) -> None:
        """Set the session cookie and send the browser on to the same page without the token."""
        query = [
            (k, v)
            for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))
            if k != "token"
        ]
        target = scope.get("path", "/") + (f"?{urlencode(query)}" if query else "")
        cookie = f"{COOKIE}={self.keys.session}; Path=/; HttpOnly; SameSite=Strict"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", target.encode("utf-8")),
                    (b"set-cookie", cookie.encode("latin-1")),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


async def _refuse(send: Send, reason: str) -> None:
    body = (
        "<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>无法打开工作台</title>"
        f"<body style='font-family:sans-serif;margin:3em'><h1>无法打开工作台</h1><p>{reason}</p>"
        "</body></html>"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
