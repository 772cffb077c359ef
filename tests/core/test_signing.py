"""The form signature: what a unit could edit in `_meta` or the unit name must not verify."""

import dataclasses
import datetime as dt
import json
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger_tools.core import signing
from ledger_tools.core.signing import FormMeta

KEY = "9f" * 32
OTHER_KEY = "a0" * 32


def meta(**over) -> FormMeta:
    values = dict(
        version="1",
        ledger_id="2c8efcc0dc1f4855a0cdce5be560692c",
        unit="东城区人民政府",
        period="2026-11",
        due=dt.date(2026, 11, 25),
        generated=dt.datetime(2026, 11, 20, 9, 30, 5),
        locked={
            "2026-CW12-01": {
                "序号": "1",
                "事项编号": "2026-CW12-01",
                "议定事项": "加快推进老旧小区改造",
                "当前时限": "2026-12-31",
                "上期进展": "",
            },
            "2026-CW12-02": {
                "序号": "2（涉密）",
                "事项编号": "2026-CW12-02",
                "议定事项": "=SUM(A1)",
                "当前时限": "",
                "上期进展": "已完成\n第一阶段",
            },
        },
    )
    values.update(over)
    return FormMeta(**values)


def test_round_trip_verifies():
    m = meta()
    assert signing.verify(m, KEY, signing.sign(m, KEY))


def test_signature_is_hex_sha256_and_stable():
    sig = signing.sign(meta(), KEY)
    assert len(sig) == 64 and int(sig, 16) >= 0
    assert signing.sign(meta(), KEY) == sig  # deterministic
    assert signing.verify(meta(), KEY, sig.upper())  # a client that upper-cased the text


def test_a_canonical_text_made_ahead_verifies_as_the_meta_does():
    m = meta()
    sig, text = signing.sign(m, KEY), signing.canonical(m)
    assert signing.verify_text(text, KEY, sig) and signing.verify_text(text, KEY, sig.upper())
    assert not signing.verify_text(text, OTHER_KEY, sig)
    assert not signing.verify_text(text, KEY, None) and not signing.verify_text(text, "", sig)
    assert not signing.verify_text(signing.canonical(meta(unit="西山县")), KEY, sig)


def test_wrong_key_or_missing_signature_fails():
    m = meta()
    sig = signing.sign(m, KEY)
    assert not signing.verify(m, OTHER_KEY, sig)
    assert not signing.verify(m, KEY, "")
    assert not signing.verify(m, KEY, None)
    assert not signing.verify(m, "", sig)


def test_canonical_is_sorted_iso_and_unescaped():
    text = signing.canonical(meta())
    assert "东城区人民政府" in text and "\\u" not in text  # ensure_ascii=False
    assert '"due":"2026-11-25"' in text and '"generated":"2026-11-20T09:30:05"' in text
    parsed = json.loads(text)
    assert list(parsed) == sorted(parsed)
    assert list(parsed["locked"]["2026-CW12-01"]) == sorted(parsed["locked"]["2026-CW12-01"])


def test_canonical_ignores_dict_order_and_microseconds():
    m = meta()
    reordered = meta(
        locked={k: dict(reversed(list(v.items()))) for k, v in reversed(list(m.locked.items()))},
        generated=m.generated.replace(microsecond=123456),
    )
    assert signing.canonical(reordered) == signing.canonical(m)
    assert signing.verify(reordered, KEY, signing.sign(m, KEY))


def test_every_field_is_covered():
    m = meta()
    sig = signing.sign(m, KEY)
    changes = dict(
        version="2",
        ledger_id="0" * 32,
        unit="西山县人民政府",
        period="2026-12",
        due=dt.date(2026, 11, 26),
        generated=dt.datetime(2026, 11, 20, 9, 30, 6),
    )
    for name, value in changes.items():
        assert not signing.verify(dataclasses.replace(m, **{name: value}), KEY, sig), name
    dropped = {k: v for k, v in m.locked.items() if k != "2026-CW12-02"}
    assert not signing.verify(dataclasses.replace(m, locked=dropped), KEY, sig)
    renamed = {("2026-CW12-09" if k == "2026-CW12-02" else k): v for k, v in m.locked.items()}
    assert not signing.verify(dataclasses.replace(m, locked=renamed), KEY, sig)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_one_changed_character_of_any_locked_value_fails(data):
    m = meta()
    sig = signing.sign(m, KEY)
    item_id = data.draw(st.sampled_from(sorted(m.locked)))
    header = data.draw(st.sampled_from(sorted(m.locked[item_id])))
    old = m.locked[item_id][header]
    pos = data.draw(st.integers(0, len(old)))
    new_char = data.draw(st.characters(blacklist_categories=("Cs",)))
    new = old[:pos] + new_char + old[pos + 1 :]
    if new == old:
        return
    locked = {k: dict(v) for k, v in m.locked.items()}
    locked[item_id][header] = new
    assert not signing.verify(dataclasses.replace(m, locked=locked), KEY, sig)


def test_a_non_hex_key_is_used_as_text():
    assert signing.key_bytes("ab12") == bytes.fromhex("ab12")
    assert signing.key_bytes("不是十六进制") == "不是十六进制".encode()
    m = meta()
    assert signing.verify(m, "不是十六进制", signing.sign(m, "不是十六进制"))


def test_core_signing_stays_pure():
    code = (
        "import sys, ledger_tools.core.signing\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'xlsxwriter', 'python_calamine',"
        " 'pandas') or m.startswith(('ledger_tools.sheets', 'ledger_tools.jobs'))]\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
