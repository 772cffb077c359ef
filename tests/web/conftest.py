"""The sample ledger the workbench tests run on (built once, used as copies), and a client."""

import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from ledger_tools.demo.sample import build_sample
from ledger_tools.web.app import create_app
from ledger_tools.web.security import Secrets

PORT = 8765


@pytest.fixture(scope="session")
def pristine_sample(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sample") / "台账.xlsx")


@pytest.fixture
def sample(tmp_path, pristine_sample) -> Path:
    return Path(shutil.copy(pristine_sample, tmp_path / "台账.xlsx"))


@pytest.fixture
def bench(sample):
    """(client, keys): a TestClient at 127.0.0.1 with the session cookie already set."""
    keys = Secrets(port=PORT)
    app = create_app(sample, keys)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}") as client:
        r = client.get(f"/?token={keys.token}", follow_redirects=False)
        assert r.status_code == 303
        yield client, keys
    app.bench.tasks.close()


@pytest.fixture
def act(bench):
    """act(action, data, files): POST as the page does (CSRF header, our Origin), wait, outcome."""
    client, keys = bench

    def post(action: str, data=None, files=None):
        return _posted(client, keys, action, data, files)

    return post


def _posted(client, keys, action: str, data=None, files=None, origin=None):
    import re
    import time

    headers = {"X-CSRF-Token": keys.csrf, "Origin": origin or f"http://127.0.0.1:{keys.port}"}
    r = client.post(
        f"/actions/{action}", data=data or {}, files=files or {"_": ("", b"")}, headers=headers
    )
    found = re.search(r"/tasks/([\w-]{22})", r.text)
    if not found:
        return r
    for _ in range(600):
        r = client.get(f"/tasks/{found.group(1)}")
        if "hx-trigger" not in r.text:
            return r
        time.sleep(0.1)
    raise AssertionError("the action did not finish")
