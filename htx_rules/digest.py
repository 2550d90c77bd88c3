"""Fingerprints of what was scored: the rubric's bytes and the evidence in canonical form.

A result records both, so an auditor can tell months later whether the rubric
file or the evidence in hand is the one that was scored.  The canonical form of
evidence is documented in ``docs/trace.md`` (section *Hashes*); it is built so
that two files that mean the same thing — keys in another order, ``87.50``
instead of ``87.5``, a count written ``4`` or ``"4"`` — give the same hash,
and any change of meaning gives another.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from htx_rules.decimals import canonical


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data``, as 64 lowercase hexadecimal digits."""
    return hashlib.sha256(data).hexdigest()


def canonical_value(value: object) -> Any:
    """A value as canonical JSON data: numbers as decimal strings, dates ISO, text NFC."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_value(v) for v in value]
    # Points and money are never floats; anything else has no canonical form.
    raise TypeError(f"no canonical form for {type(value).__name__}: {value!r}")


def canonical_json(data: Mapping[str, object]) -> bytes:
    """``data`` as canonical JSON bytes: sorted keys, no spaces, UTF-8, values canonical."""
    return json.dumps(
        canonical_value(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def evidence_sha256(
    evidence: Mapping[str, object],
    assessments: Mapping[str, Any],
    contestant: str | None,
) -> str:
    """The SHA-256 of the inputs of one result in canonical form.

    Args:
        evidence: The validated evidence (fields not given are left out).
        assessments: The reviewers' assessments, by criterion id
            (:class:`~htx_rules.result.Assessment` values).
        contestant: The code of the unit scored, or None.
    """
    document = {
        "assessments": {
            item_id: {
                "justification": a.justification,
                "points": a.points,
                "reviewer": a.reviewer,
            }
            for item_id, a in assessments.items()
        },
        "contestant": contestant,
        "evidence": {name: value for name, value in evidence.items() if value is not None},
    }
    return sha256_hex(canonical_json(document))


__all__ = ["canonical_json", "canonical_value", "evidence_sha256", "sha256_hex"]
