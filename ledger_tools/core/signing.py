"""Signing a feedback form's metadata with the ledger's key (SPEC §4, §8).

Sheet protection is not security: anyone can unprotect a sheet without a password. What makes
a unit's edits to the unit name, the period or the locked item values detectable is an
HMAC-SHA256 over a canonical text of the form's metadata, with the per-ledger secret kept in
the ledger's very hidden ``_系统`` sheet. The canonical text is stable across Python versions
and dict orders (sorted keys, ISO dates, no ASCII escaping), so a form written today verifies
next year as long as the ledger's key is unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FormMeta", "canonical", "key_bytes", "sign", "verify", "verify_text"]


@dataclass
class FormMeta:
    """What a form's `_meta` sheet carries, all of it covered by the signature.

    It lives here rather than in sheets/form_layout.py (which re-exports it) because the
    signature is defined over it and core may not import from sheets.
    """

    version: str
    ledger_id: str
    unit: str
    period: str  # YYYY-MM
    due: dt.date
    generated: dt.datetime
    # item id → locked column header → the value written on the form, as text
    locked: dict[str, dict[str, str]] = field(default_factory=dict)


def _iso(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        # Seconds only: the value is written to `_meta` as text and must read back identically.
        return value.replace(microsecond=0, tzinfo=None).isoformat(timespec="seconds")
    return value.isoformat()


def canonical(meta: FormMeta) -> str:
    """The exact text that is signed: every FormMeta field, keys sorted, dates as ISO text."""
    payload: dict[str, Any] = {
        "version": str(meta.version),
        "ledger_id": str(meta.ledger_id),
        "unit": str(meta.unit),
        "period": str(meta.period),
        "due": _iso(meta.due),
        "generated": _iso(meta.generated),
        "locked": {
            str(item_id): {str(h): "" if v is None else str(v) for h, v in values.items()}
            for item_id, values in meta.locked.items()
        },
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def key_bytes(key: str) -> bytes:
    """The ledger's key is hex (``secrets.token_hex``); anything else is used as UTF-8 text.

    Falling back rather than failing keeps a hand-edited ``_系统`` usable: the form then simply
    verifies against the same text.
    """
    text = (key or "").strip()
    try:
        return bytes.fromhex(text)
    except ValueError:
        return text.encode("utf-8")


def sign(meta: FormMeta, key: str) -> str:
    """Hex HMAC-SHA256 of ``canonical(meta)``."""
    return _mac(canonical(meta), key)


def _mac(text: str, key: str) -> str:
    return hmac.new(key_bytes(key), text.encode("utf-8"), hashlib.sha256).hexdigest()


def verify(meta: FormMeta, key: str, signature: str | None) -> bool:
    """True when ``signature`` is the one ``sign`` gives; compared in constant time."""
    if not signature or not key:
        return False
    return verify_text(canonical(meta), key, signature)


def verify_text(text: str, key: str, signature: str | None) -> bool:
    """``verify`` for a meta whose ``canonical`` text is ``text`` (made where the form was read,
    before the key was known)."""
    if not signature or not key:
        return False
    return hmac.compare_digest(_mac(text, key), str(signature).strip().lower())
