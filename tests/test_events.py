"""Typed events: JSON round trips, deterministic ids, total order, files, schema, upload."""

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings, strategies as st

from vision import Event, VisionError, read_events, upload_bodies, write_events
from vision.events import (EVENT_TYPES, ROLES, Click, InputText, ScreenChange, Scroll, Select,
                           Target, TrueEvent, ValidationError, event_schema, read_truth)
from vision.ids import ulid, ulid_time_ms

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "vision" / "event.schema.json"

boxes = st.tuples(*[st.integers(0, 4000)] * 4)
names = st.one_of(st.none(), st.text(min_size=1, max_size=30))
targets = st.builds(Target, role=st.sampled_from([r for r in ROLES
                                                   if r not in ("checkbox", "radio")]),
                    name=names, bbox=boxes) | st.builds(
    Target, role=st.sampled_from(["checkbox", "radio"]), name=names, bbox=boxes,
    checked=st.booleans())
payloads = st.one_of(
    st.builds(Click, x=st.integers(0, 4000), y=st.integers(0, 4000),
              button=st.sampled_from(["left", "right"]), count=st.sampled_from([1, 2]),
              target=targets),
    st.builds(InputText, target=targets, text=st.text(max_size=40), masked=st.just(False),
              started_t_ms=st.integers(0, 10**7)),
    st.builds(InputText, target=targets, text=st.none(), masked=st.just(True),
              started_t_ms=st.integers(0, 10**7)),
    st.builds(Select, target=targets, value=st.text(max_size=30)),
    st.builds(Scroll, dx=st.integers(-5000, 5000), dy=st.integers(-5000, 5000), region=boxes),
    st.builds(ScreenChange, kind=st.sampled_from(["navigation", "dialog_open", "dialog_close"]),
              title=names, changed_fraction=st.floats(0, 1).map(lambda f: round(f, 3))),
    st.builds(ValidationError, field=names, message=st.text(min_size=1, max_size=60),
              bbox=boxes),
)
events = st.builds(Event.create, session_id=st.just("ses_01HZTEST"),
                   frame_id=st.text("0123456789ABCDEF", min_size=4, max_size=8).map(
                       lambda s: "frm_" + s),
                   t_ms=st.integers(0, 10**8), payload=payloads,
                   confidence=st.floats(0.70, 0.95))


@given(events)
def test_every_event_round_trips_through_json(event):
    assert Event.from_json(event.to_json()) == event
    assert Event.from_dict(json.loads(json.dumps(event.to_dict()))) == event


@given(events)
def test_every_event_fits_the_generated_schema(event):
    jsonschema.validate(event.to_dict(), event_schema())


def test_committed_schema_is_the_generated_one():
    assert json.loads(SCHEMA_FILE.read_text()) == event_schema(), \
        "regenerate with: vision schema > vision/event.schema.json"


@given(events)
def test_id_is_deterministic_and_carries_t_ms(event):
    again = Event.create(event.session_id, event.frame_id, event.t_ms, event.payload,
                         event.confidence)
    assert again.id == event.id
    assert event.id.startswith("evt_") and len(event.id) == 30
    assert ulid_time_ms(event.id) == event.t_ms


def test_id_depends_on_every_input():
    t = Target(role="button", name="Approve", bbox=(1, 2, 3, 4))
    base = Event.create("ses_a", "frm_1", 100, Click(x=1, y=2, target=t), 0.8)
    variants = [
        Event.create("ses_b", "frm_1", 100, Click(x=1, y=2, target=t), 0.8),
        Event.create("ses_a", "frm_2", 100, Click(x=1, y=2, target=t), 0.8),
        Event.create("ses_a", "frm_1", 101, Click(x=1, y=2, target=t), 0.8),
        Event.create("ses_a", "frm_1", 100, Click(x=1, y=3, target=t), 0.8),
    ]
    assert len({base.id, *(v.id for v in variants)}) == 5
    # confidence is not part of the id: recalibration keeps ids stable
    assert Event.create("ses_a", "frm_1", 100, Click(x=1, y=2, target=t), 0.9).id == base.id


def test_ulid_matches_the_reference_encoding():
    # 48-bit time then 80 bits, Crockford base32, most significant first
    assert ulid(1, bytes(10)) == "0000000001" + "0" * 16
    assert ulid(0, b"\xff" * 10) == "0000000000" + "Z" * 16
    assert ulid(2**48 - 1, bytes(10)) == "7ZZZZZZZZZ" + "0" * 16


@given(st.lists(events, max_size=30, unique_by=lambda e: e.id))
def test_order_is_total_by_t_ms_then_id(evs):
    ordered = sorted(evs)
    keys = [(e.t_ms, e.id) for e in ordered]
    assert keys == sorted(keys)
    assert sorted(reversed(evs)) == ordered


def test_payload_rules_are_enforced():
    t = Target(role="textbox", name="Password", bbox=(0, 0, 10, 10))
    with pytest.raises(VisionError) as err:
        InputText(target=t, text="hunter2", masked=True, started_t_ms=0)
    assert err.value.code == "invalid_request"
    with pytest.raises(VisionError):
        Target(role="slider", name=None, bbox=(0, 0, 1, 1))
    with pytest.raises(VisionError):
        Target(role="button", name="OK", bbox=(0, 0, 1, 1), checked=True)
    with pytest.raises(VisionError):
        Click(x=1, y=1, count=3, target=t)


def test_masked_input_text_serialises_null_text():
    t = Target(role="textbox", name="Password", bbox=(0, 0, 10, 10))
    ev = Event.create("ses_1", "frm_1", 5, InputText(target=t, text=None, masked=True,
                                                     started_t_ms=1), 0.9)
    assert ev.to_dict()["payload"] == {"target": {"role": "textbox", "name": "Password",
                                                  "bbox": [0, 0, 10, 10]},
                                       "text": None, "masked": True, "started_t_ms": 1}


def test_from_dict_names_the_bad_field():
    good = Event.create("ses_1", "frm_1", 5, Scroll(dx=0, dy=120, region=(0, 0, 9, 9)), 0.8)
    data = good.to_dict()
    data["payload"]["dy"] = "120"
    with pytest.raises(VisionError) as err:
        Event.from_dict(data)
    assert err.value.param == "payload.dy"
    del data["confidence"]
    with pytest.raises(VisionError) as err:
        Event.from_dict(data)
    assert err.value.param == "confidence"


@settings(max_examples=20)
@given(st.lists(events, max_size=20))
def test_jsonl_files_round_trip(tmp_path_factory, evs):
    path = tmp_path_factory.mktemp("ev") / "events.jsonl"
    assert write_events(evs, path) == len(evs)
    assert read_events(path) == evs


def test_write_events_is_atomic_when_the_producer_fails(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text("old\n")
    t = Target(role="button", name="OK", bbox=(0, 0, 1, 1))

    def broken():
        yield Event.create("ses_1", "frm_1", 0, Click(x=0, y=0, target=t), 0.8)
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError):
        write_events(broken(), path)
    assert path.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [path]


def test_truth_lines_have_no_id_or_confidence(tmp_path):
    path = tmp_path / "truth.jsonl"
    path.write_text(json.dumps({"t_ms": 900, "type": "select", "payload": {
        "target": {"role": "combobox", "name": "Currency", "bbox": [1, 2, 3, 4]},
        "value": "EUR"}}) + "\n" + json.dumps({"t_ms": 100, "type": "scroll", "payload": {
            "dx": 0, "dy": 240, "region": [0, 0, 10, 10]}}) + "\n")
    truth = read_truth(path)
    assert [t.t_ms for t in truth] == [100, 900]
    assert isinstance(truth[1].payload, Select) and truth[1].payload.value == "EUR"
    assert TrueEvent.from_dict(truth[1].to_dict()) == truth[1]


@given(st.lists(events, max_size=260))
@settings(max_examples=25)
def test_upload_bodies_respect_limits_and_keep_order(evs):
    bodies = upload_bodies(evs, max_bytes=20_000)
    flat = [item for body in bodies for item in body["events"]]
    assert flat == [e.upload_item() for e in evs]
    for body in bodies:
        assert 1 <= len(body["events"]) <= 100
        size = len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())
        assert size <= 20_000


def test_upload_body_refuses_an_event_too_large_alone():
    t = Target(role="text", name="x" * 2000, bbox=(0, 0, 1, 1))
    ev = Event.create("ses_1", "frm_1", 0, Click(x=0, y=0, target=t), 0.8)
    with pytest.raises(VisionError) as err:
        upload_bodies([ev], max_bytes=1000)
    assert err.value.code == "payload_too_large"


def test_every_contract_type_is_typed():
    assert set(EVENT_TYPES) == {"click", "input_text", "select", "scroll", "screen_change",
                                "validation_error"}
