"""Deterministic ULIDs for frames and events.

A ULID is 26 Crockford base32 characters: a 48-bit time part (here the event's or frame's
``t_ms``, milliseconds since session start) then an 80-bit "random" part. The random part is the
first 80 bits of a SHA-256 digest, so the same input gives the same id on any worker.

The digest's input is the UTF-8 of its fields joined by a NUL byte, integers in decimal; the
payload enters as canonical JSON (keys sorted, no spaces, non-ASCII kept as UTF-8). Field order:

- event id: ``session_id, type, frame_id, canonical_json(payload)``
- frame id: ``session_id, frame_index``
"""

from __future__ import annotations

import hashlib
import json

__all__ = ["ulid", "event_id", "frame_id", "canonical_json", "ulid_time_ms"]

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {c: i for i, c in enumerate(_CROCKFORD)}
_MAX_TIME = (1 << 48) - 1


def canonical_json(value) -> str:
    """JSON with sorted keys and no whitespace: one text per value.

    >>> canonical_json({"b": 1, "a": [1.5, None, "é"]})
    '{"a":[1.5,null,"é"],"b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def ulid(time_ms: int, entropy: bytes) -> str:
    """Encode a 48-bit time and the first 10 bytes of ``entropy`` as a 26-character ULID.

    >>> ulid(0, bytes(10))
    '00000000000000000000000000'
    >>> ulid(12480, bytes(range(10)))[:10]
    '0000000C60'
    """
    if not 0 <= time_ms <= _MAX_TIME:
        raise ValueError(f"time_ms must lie in [0, 2**48); got {time_ms}")
    if len(entropy) < 10:
        raise ValueError(f"entropy needs at least 10 bytes; got {len(entropy)}")
    value = (time_ms << 80) | int.from_bytes(entropy[:10], "big")
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def ulid_time_ms(text: str) -> int:
    """The time part of a ULID (with or without a ``evt_``/``frm_`` prefix).

    >>> ulid_time_ms(ulid(12480, bytes(10)))
    12480
    """
    body = text.split("_", 1)[-1]
    value = 0
    for c in body[:10]:
        value = (value << 5) | _DECODE[c]
    return value


def _digest(*fields) -> bytes:
    return hashlib.sha256("\0".join(str(f) for f in fields).encode("utf-8")).digest()


def event_id(session_id: str, type_: str, frame_id: str, t_ms: int, payload: dict) -> str:
    """The contract's event id: ``evt_`` + ULID(t_ms, SHA-256(session, type, frame, payload))."""
    return "evt_" + ulid(t_ms, _digest(session_id, type_, frame_id, canonical_json(payload)))


def frame_id(session_id: str, index: int, t_ms: int) -> str:
    """The id of a frame its caller gave none: ``frm_`` + ULID(t_ms, SHA-256(session, index))."""
    return "frm_" + ulid(t_ms, _digest(session_id, index))
