"""The attacks of SPEC §9: no token, foreign Host or Origin, no CSRF token; nothing changes."""

from starlette.testclient import TestClient

from ledger_tools.web.app import create_app
from ledger_tools.web.security import COOKIE, Secrets
from tests.builders import sha

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"


def _client(sample):
    keys = Secrets(port=PORT)
    return TestClient(create_app(sample, keys), base_url=BASE), keys


def test_no_token_no_page(sample):
    client, keys = _client(sample)
    for path in ("/", "/items", "/ledger", "/static/htmx.min.js", "/download/x"):
        r = client.get(path)
        assert r.status_code == 403
        assert "没有访问权限" in r.text
    r = client.get("/?token=wrong")
    assert r.status_code == 403 and "访问令牌不对" in r.text


def test_token_becomes_a_cookie_and_leaves_the_address(sample):
    client, keys = _client(sample)
    r = client.get(f"/items?token={keys.token}&alert=逾期", follow_redirects=False)
    assert r.status_code == 303
    assert "token" not in r.headers["location"] and "alert" in r.headers["location"]
    cookie = r.headers["set-cookie"]
    assert f"{COOKIE}={keys.session}" in cookie and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert client.get("/").status_code == 200


def test_foreign_host_is_refused_even_with_the_token(sample):
    keys = Secrets(port=PORT)
    client = TestClient(create_app(sample, keys), base_url=f"http://evil.example:{PORT}")
    r = client.get(f"/?token={keys.token}", follow_redirects=False)
    assert r.status_code == 403 and "地址不对" in r.text


def test_state_changes_need_our_origin_and_the_csrf_token(sample):
    client, keys = _client(sample)
    client.get(f"/?token={keys.token}")
    before = sha(sample)
    cases = [
        ({"X-CSRF-Token": keys.csrf, "Origin": "http://evil.example"}, "请求来源不对"),
        ({"X-CSRF-Token": keys.csrf}, "请求来源不对"),  # no Origin, no Referer
        ({"Origin": BASE}, "校验码不对"),
        ({"Origin": BASE, "X-CSRF-Token": "guess"}, "校验码不对"),
    ]
    for headers, reason in cases:
        r = client.post("/actions/refresh", data={"as_of": "2026-11-20"}, headers=headers)
        assert r.status_code == 403 and reason in r.text
    assert sha(sample) == before


def test_a_referer_of_ours_stands_in_for_a_missing_origin(sample):
    client, keys = _client(sample)
    client.get(f"/?token={keys.token}")
    r = client.post(
        "/actions/validate",
        files={"_": ("", b"")},
        headers={"X-CSRF-Token": keys.csrf, "Referer": f"{BASE}/ledger"},
    )
    assert r.status_code == 200 and "/tasks/" in r.text


def test_pages_forbid_framing_and_foreign_scripts(bench):
    client, _ = bench
    r = client.get("/")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
