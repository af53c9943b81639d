"""Typed events: the engine's output, exactly as the platform returns them.

Each event type has a frozen payload class; an :class:`Event` wraps one payload with its id,
anchor frame, time and confidence. ``to_dict`` gives the platform's JSON, ``from_dict`` reads it
back, and :func:`event_schema` derives a JSON Schema from these classes for consumers in other
languages. Events sort by ``(t_ms, id)``, the platform's total order.

Examples
--------
>>> target = Target(role="button", name="Approve", bbox=(600, 380, 80, 24))
>>> ev = Event.create("ses_1", "frm_1", 12480, Click(x=612, y=388, target=target), 0.87)
>>> ev.type, ev.id[:4], len(ev.id)
('click', 'evt_', 30)
>>> Event.from_json(ev.to_json()) == ev
True
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Iterable, Iterator, Literal, Union

from .errors import VisionError
from .ids import event_id

__all__ = [
    "ROLES", "EVENT_TYPES", "Target", "Click", "InputText", "Select", "Scroll", "ScreenChange",
    "ValidationError", "Payload", "Event", "TrueEvent", "payload_class", "read_events",
    "write_events", "read_truth", "upload_bodies", "event_schema",
]

Role = Literal["button", "checkbox", "radio", "textbox", "combobox", "listitem", "tab",
               "menuitem", "link", "cell", "icon", "text", "unknown"]
ROLES: tuple[str, ...] = typing.get_args(Role)
BBox = tuple[int, int, int, int]
"""``[x, y, w, h]`` in pixels of the frame as given."""


def _check(ok: bool, message: str, param: str) -> None:
    if not ok:
        raise VisionError("invalid_request", message, param=param)


def _check_bbox(bbox, param: str) -> tuple[int, int, int, int]:
    _check(len(bbox) == 4 and all(isinstance(v, int) and not isinstance(v, bool) for v in bbox),
           f"bbox must be four integers [x, y, w, h]; got {bbox!r}", param)
    _check(bbox[2] >= 0 and bbox[3] >= 0, f"bbox width and height must be >= 0; got {bbox!r}",
           param)
    return tuple(bbox)


@dataclass(frozen=True, kw_only=True)
class Target:
    """The element an action acted on."""

    role: Role
    name: str | None
    """The visible label or caption, as a person would name the element; None when it has none."""
    bbox: BBox
    checked: bool | None = None
    """State after the click; only for check boxes and radio buttons."""

    def __post_init__(self):
        _check(self.role in ROLES, f"role must be one of {ROLES}; got {self.role!r}", "role")
        object.__setattr__(self, "bbox", _check_bbox(self.bbox, "bbox"))
        _check(self.checked is None or self.role in ("checkbox", "radio"),
               f"checked is only for checkbox and radio targets, not {self.role!r}", "checked")


@dataclass(frozen=True, kw_only=True)
class Click:
    """A mouse click; ``x``, ``y`` is the pointer position, ``count`` 2 for a double click."""

    TYPE: ClassVar[str] = "click"
    x: int
    y: int
    button: Literal["left", "right"] = "left"
    count: Literal[1, 2] = 1
    target: Target

    def __post_init__(self):
        _check(self.button in ("left", "right"), f"button must be left or right; got "
               f"{self.button!r}", "button")
        _check(self.count in (1, 2), f"count must be 1 or 2; got {self.count!r}", "count")


@dataclass(frozen=True, kw_only=True)
class InputText:
    """One edit of a text field, carrying the field's final value (``None`` when masked)."""

    TYPE: ClassVar[str] = "input_text"
    target: Target
    text: str | None
    masked: bool = False
    """True for password-style fields; their text is never emitted."""
    started_t_ms: int
    """When the value first changed in this edit."""

    def __post_init__(self):
        _check(not self.masked or self.text is None, "a masked input_text never carries text",
               "text")
        _check(self.masked or self.text is not None, "an unmasked input_text needs its text",
               "text")


@dataclass(frozen=True, kw_only=True)
class Select:
    """A new value chosen from a combo box or drop-down."""

    TYPE: ClassVar[str] = "select"
    target: Target
    value: str


@dataclass(frozen=True, kw_only=True)
class Scroll:
    """A burst of scrolling. Signs follow DOM wheel deltas: ``dy > 0`` scrolled down."""

    TYPE: ClassVar[str] = "scroll"
    dx: int
    dy: int
    region: BBox
    """The scrolled area."""

    def __post_init__(self):
        object.__setattr__(self, "region", _check_bbox(self.region, "region"))


@dataclass(frozen=True, kw_only=True)
class ScreenChange:
    """The window's content was replaced, or a dialog opened or closed."""

    TYPE: ClassVar[str] = "screen_change"
    kind: Literal["navigation", "dialog_open", "dialog_close"]
    title: str | None
    changed_fraction: float
    """Share of the frame's pixels that changed, in [0, 1]."""

    def __post_init__(self):
        _check(self.kind in ("navigation", "dialog_open", "dialog_close"),
               f"kind must be navigation, dialog_open or dialog_close; got {self.kind!r}", "kind")
        _check(0.0 <= self.changed_fraction <= 1.0,
               f"changed_fraction must lie in [0, 1]; got {self.changed_fraction}",
               "changed_fraction")


@dataclass(frozen=True, kw_only=True)
class ValidationError:
    """An error message that appeared beside a field, in a status line or in a dialog."""

    TYPE: ClassVar[str] = "validation_error"
    field: str | None
    """The label of the field the message is about, when it sits by one."""
    message: str
    bbox: BBox
    """The message's box."""

    def __post_init__(self):
        object.__setattr__(self, "bbox", _check_bbox(self.bbox, "bbox"))


Payload = Union[Click, InputText, Select, Scroll, ScreenChange, ValidationError]
_PAYLOADS: dict[str, type] = {cls.TYPE: cls for cls in typing.get_args(Payload)}
EVENT_TYPES: tuple[str, ...] = tuple(_PAYLOADS)


def payload_class(type_: str) -> type:
    """The payload class of an event type name."""
    try:
        return _PAYLOADS[type_]
    except KeyError:
        raise VisionError("invalid_request", f"unknown event type {type_!r}; expected one of "
                          f"{EVENT_TYPES}", param="type") from None


# --- plain-data conversion, driven by the dataclass fields and their type hints ---------------

def _to_plain(value):
    if dataclasses.is_dataclass(value):
        out = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if f.name == "checked" and v is None:  # only check boxes and radios carry it
                continue
            out[f.name] = _to_plain(v)
        return out
    if isinstance(value, tuple):
        return [_to_plain(v) for v in value]
    return value


def _from_plain(hint, value, param: str):
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        args = typing.get_args(hint)
        if value is None:
            _check(type(None) in args, f"{param} must not be null", param)
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _from_plain(inner, value, param)
    if dataclasses.is_dataclass(hint):
        _check(isinstance(value, dict), f"{param} must be an object", param)
        return _dataclass_from_plain(hint, value, param)
    if origin is tuple:
        _check(isinstance(value, (list, tuple)), f"{param} must be an array", param)
        return tuple(value)
    if origin is Literal:
        return value  # checked by the class itself
    if hint is float:
        _check(isinstance(value, (int, float)) and not isinstance(value, bool),
               f"{param} must be a number", param)
        return float(value)
    if hint in (int, str, bool):
        _check(isinstance(value, hint) and (hint is bool or not isinstance(value, bool)),
               f"{param} must be {hint.__name__}; got {value!r}", param)
    return value


def _dataclass_from_plain(cls, data: dict, param: str):
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            kwargs[f.name] = _from_plain(hints[f.name], data[f.name], f"{param}.{f.name}")
        else:
            _check(f.default is not dataclasses.MISSING, f"{param}.{f.name} is missing",
                   f"{param}.{f.name}")
    unknown = set(data) - set(kwargs) - {f.name for f in dataclasses.fields(cls)}
    _check(not unknown, f"{param} has unknown fields {sorted(unknown)}", param)
    return cls(**kwargs)


def _payload_from_dict(type_: str, data: dict):
    return _dataclass_from_plain(payload_class(type_), data, "payload")


@dataclass(frozen=True)
class Event:
    """One emitted event; build new ones with :meth:`create`, which derives the id."""

    id: str
    session_id: str
    frame_id: str
    t_ms: int
    type: str
    payload: Payload
    confidence: float

    def __post_init__(self):
        _check(self.type == self.payload.TYPE,
               f"type {self.type!r} does not match payload {type(self.payload).__name__}", "type")
        _check(isinstance(self.t_ms, int) and self.t_ms >= 0, "t_ms must be an integer >= 0",
               "t_ms")
        _check(0.0 <= self.confidence <= 1.0, "confidence must lie in [0, 1]", "confidence")

    @classmethod
    def create(cls, session_id: str, frame_id: str, t_ms: int, payload: Payload,
               confidence: float) -> "Event":
        """A new event with its deterministic id (see :mod:`vision.ids`)."""
        plain = _to_plain(payload)
        eid = event_id(session_id, payload.TYPE, frame_id, t_ms, plain)
        return cls(eid, session_id, frame_id, t_ms, payload.TYPE, payload, round(confidence, 4))

    @property
    def sort_key(self) -> tuple[int, str]:
        """The platform's total order within a session."""
        return (self.t_ms, self.id)

    def __lt__(self, other: "Event") -> bool:
        return self.sort_key < other.sort_key

    def to_dict(self) -> dict:
        return {"id": self.id, "session_id": self.session_id, "frame_id": self.frame_id,
                "t_ms": self.t_ms, "type": self.type, "payload": _to_plain(self.payload),
                "confidence": self.confidence}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict) -> "Event":
        missing = [k for k in ("id", "session_id", "frame_id", "t_ms", "type", "payload",
                               "confidence") if k not in data]
        _check(not missing, f"event is missing {missing}", missing[0] if missing else "")
        payload = _payload_from_dict(data["type"], data["payload"])
        return cls(data["id"], data["session_id"], data["frame_id"], data["t_ms"], data["type"],
                   payload, float(data["confidence"]))

    @classmethod
    def from_json(cls, text: str) -> "Event":
        return cls.from_dict(json.loads(text))

    def upload_item(self) -> dict:
        """The item of a ``POST /v1/sessions/{id}/events`` batch body."""
        return {"type": self.type, "payload": _to_plain(self.payload), "t_ms": self.t_ms}


@dataclass(frozen=True)
class TrueEvent:
    """A benchmark session's true event: the event shape without id and confidence."""

    t_ms: int
    type: str
    payload: Payload
    frame_id: str | None = None

    @classmethod
    def from_dict(cls, data: dict) -> "TrueEvent":
        for key in ("t_ms", "type", "payload"):
            _check(key in data, f"true event is missing {key}", key)
        return cls(int(data["t_ms"]), data["type"], _payload_from_dict(data["type"],
                                                                       data["payload"]),
                   data.get("frame_id"))

    def to_dict(self) -> dict:
        out = {"t_ms": self.t_ms, "type": self.type, "payload": _to_plain(self.payload)}
        if self.frame_id is not None:
            out["frame_id"] = self.frame_id
        return out


# --- JSONL files -------------------------------------------------------------------------------

def _read_jsonl(path: str | os.PathLike) -> Iterator[tuple[int, dict]]:
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise VisionError("invalid_request", f"{path}:{number}: not JSON ({exc.msg})",
                                  param=f"line {number}") from None


def read_events(path: str | os.PathLike) -> list[Event]:
    """Events from a JSONL file, one per line, in file order."""
    return [Event.from_dict(obj) for _, obj in _read_jsonl(path)]


def read_truth(path: str | os.PathLike) -> list[TrueEvent]:
    """A benchmark session's ``truth.jsonl``, sorted by time."""
    return sorted((TrueEvent.from_dict(obj) for _, obj in _read_jsonl(path)),
                  key=lambda e: e.t_ms)


def write_events(events: Iterable[Event], path: str | os.PathLike) -> int:
    """Write events as JSONL, atomically: readers see the old file or the whole new one.

    Returns the number of events written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for event in events:
                fh.write(event.to_json() + "\n")
                count += 1
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return count


# --- upload bodies -----------------------------------------------------------------------------

MAX_BODY_EVENTS = 100
MAX_BODY_BYTES = 1_000_000


def upload_bodies(events: Iterable[Event], *, max_events: int = MAX_BODY_EVENTS,
                  max_bytes: int = MAX_BODY_BYTES) -> list[dict]:
    """Split events into ``POST /v1/sessions/{id}/events`` bodies within the platform's limits.

    Each body is ``{"events": [...]}`` with at most ``max_events`` items and at most
    ``max_bytes`` bytes as compact UTF-8 JSON. Order is kept.

    Raises
    ------
    VisionError
        ``payload_too_large`` if a single event cannot fit in a body.

    Examples
    --------
    >>> t = Target(role="button", name="OK", bbox=(0, 0, 10, 10))
    >>> evs = [Event.create("ses_1", "frm_1", i, Click(x=1, y=1, target=t), 0.9)
    ...        for i in range(250)]
    >>> [len(b["events"]) for b in upload_bodies(evs)]
    [100, 100, 50]
    """
    envelope = len(b'{"events":[]}')
    bodies: list[dict] = []
    items: list[dict] = []
    size = envelope
    for event in events:
        item = event.upload_item()
        item_size = len(json.dumps(item, ensure_ascii=False, separators=(",", ":"))
                        .encode("utf-8"))
        if envelope + item_size > max_bytes:
            raise VisionError("payload_too_large", f"event {event.id} alone is {item_size} bytes,"
                              f" over the {max_bytes}-byte body limit", param="events")
        if items and (len(items) == max_events or size + 1 + item_size > max_bytes):
            bodies.append({"events": items})
            items, size = [], envelope
        size += item_size + (1 if items else 0)
        items.append(item)
    if items:
        bodies.append({"events": items})
    return bodies


# --- JSON Schema -------------------------------------------------------------------------------

def _schema_of(hint, defs: dict) -> dict:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = _schema_of(args[0], defs)
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is Literal:
        values = list(typing.get_args(hint))
        kind = "integer" if isinstance(values[0], int) else "string"
        return {"type": kind, "enum": values}
    if origin is tuple:
        args = typing.get_args(hint)
        return {"type": "array", "items": _schema_of(args[0], defs), "minItems": len(args),
                "maxItems": len(args)}
    if dataclasses.is_dataclass(hint):
        name = hint.__name__
        if name not in defs:
            defs[name] = {}  # reserve against recursion
            hints = typing.get_type_hints(hint)
            props, required = {}, []
            for f in dataclasses.fields(hint):
                props[f.name] = _schema_of(hints[f.name], defs)
                if f.default is dataclasses.MISSING:
                    required.append(f.name)
            defs[name] = {"type": "object", "properties": props, "required": required,
                          "additionalProperties": False}
            if hint.__doc__:
                defs[name]["description"] = hint.__doc__.strip().splitlines()[0]
        return {"$ref": f"#/$defs/{name}"}
    return {"type": {int: "integer", float: "number", str: "string", bool: "boolean"}[hint]}


def event_schema() -> dict:
    """A JSON Schema (2020-12) for one event, derived from the classes of this module."""
    defs: dict = {}
    variants = []
    for type_, cls in _PAYLOADS.items():
        variants.append({"properties": {"type": {"const": type_},
                                        "payload": _schema_of(cls, defs)}})
    defs["Target"]["properties"]["bbox"]["description"] = "[x, y, w, h] in frame pixels"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "vision event",
        "description": "One event as GET /v1/sessions/{id}/events returns it; ordered by "
                       "(t_ms, id).",
        "type": "object",
        "properties": {
            "id": {"type": "string", "pattern": "^evt_[0-9A-HJKMNP-TV-Z]{26}$"},
            "session_id": {"type": "string"},
            "frame_id": {"type": "string"},
            "t_ms": {"type": "integer", "minimum": 0},
            "type": {"type": "string", "enum": list(EVENT_TYPES)},
            "payload": {"type": "object"},
            "confidence": {"type": "number", "minimum": 0.7, "maximum": 0.95},
        },
        "required": ["id", "session_id", "frame_id", "t_ms", "type", "payload", "confidence"],
        "additionalProperties": False,
        "oneOf": variants,
        "$defs": defs,
    }
