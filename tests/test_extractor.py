"""The streaming engine: order, bounded hold-back, streaming equals batch, bad frames."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from vision import Extractor, Frame, VisionError, extract_session, read_session
from vision.ids import frame_id as derive_frame_id

from tests.helpers import form_screen, png_bytes, write_session


def _frames(session_path):
    return list(read_session(session_path).frames())


def test_dialog_session_gives_dialog_open_then_close(dialog_session):
    events = extract_session(dialog_session)
    kinds = [(e.t_ms, e.payload.kind) for e in events if e.type == "screen_change"]
    assert kinds == [(800, "dialog_open"), (1200, "dialog_close")]
    assert all(0.70 <= e.confidence <= 0.95 for e in events)


def test_output_is_ordered_and_ids_are_stable(dialog_session):
    first = extract_session(dialog_session)
    again = extract_session(dialog_session)
    assert [e.to_json() for e in first] == [e.to_json() for e in again]
    assert [e.sort_key for e in first] == sorted(e.sort_key for e in first)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(0, 10), max_size=6))
def test_streaming_in_any_split_equals_batch(dialog_session, cuts):
    frames = _frames(dialog_session)
    batch = extract_session(dialog_session)
    ex = Extractor(read_session(dialog_session).session_id)
    streamed = []
    bounds = sorted(set(cuts) | {0, len(frames)})
    for a, b in zip(bounds, bounds[1:]):
        for frame in frames[a:b]:
            out = ex.push(frame)
            # a consumer never receives an event sorting before one it already has
            if streamed and out:
                assert out[0].sort_key > streamed[-1].sort_key
            streamed += out
    streamed += ex.flush()
    assert streamed == batch


def test_events_are_released_before_the_session_ends(tmp_path):
    typed = form_screen(values={"Vendor": "Acme"})
    dialog = form_screen(values={"Vendor": "Acme"}, dialog=True)
    frames = [(0, form_screen()), (400, typed), (800, dialog), (1200, typed)]
    session = write_session(tmp_path / "long", frames + [(t, typed) for t in
                                                         range(2000, 12001, 1000)])
    ex = Extractor("ses_test")
    released_at = {}
    for frame in _frames(session):
        for event in ex.push(frame):
            released_at[event.id] = frame.t_ms
    assert released_at, "held events must come out while frames still arrive"
    for event in extract_session(session):
        if event.id in released_at:
            assert released_at[event.id] - event.t_ms <= 5000 + 600


BAD_FRAMES = [
    (lambda good: Frame(b"junk", t_ms=good.t_ms + 1), "unsupported_image"),
    (lambda good: Frame(np.zeros((10, 10, 3), np.uint8), t_ms=good.t_ms + 1),
     "invalid_frame_size"),
    (lambda good: Frame(good.image, t_ms=-1), "frame_out_of_order"),
    (lambda good: Frame(good.image, t_ms=good.t_ms - 1), "frame_out_of_order"),
    (lambda good: Frame(good.image, t_ms=good.t_ms, frame_id=good.frame_id),
     "duplicate_frame_id"),
    (lambda good: Frame(good.image, t_ms=1.5), "invalid_request"),
    (lambda good: Frame(good.image, t_ms=good.t_ms + 1, cursor=(1,)), "invalid_request"),
    (lambda good: Frame(good.image, t_ms=good.t_ms + 1, frame_id="x1"), "invalid_request"),
    (lambda good: Frame(good.image, t_ms=good.t_ms + 1, channels="rgba"), "invalid_request"),
]


@pytest.mark.parametrize("make_bad,code", BAD_FRAMES)
def test_a_rejected_frame_leaves_the_session_as_it_was(dialog_session, make_bad, code):
    frames = _frames(dialog_session)
    clean = extract_session(dialog_session)
    ex = Extractor("ses_test")
    out = []
    for i, frame in enumerate(frames):
        out += ex.push(frame)
        if i in (0, 4, 6):
            with pytest.raises(VisionError) as err:
                ex.push(make_bad(frame))
            assert err.value.code == code
    out += ex.flush()
    assert out == clean


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad_at=st.lists(st.tuples(st.integers(0, 9), st.sampled_from(range(len(BAD_FRAMES)))),
                       max_size=5))
def test_bad_frames_anywhere_never_corrupt_state(dialog_session, bad_at):
    frames = _frames(dialog_session)
    clean = extract_session(dialog_session)
    ex = Extractor("ses_test")
    out = []
    for i, frame in enumerate(frames):
        out += ex.push(frame)
        for _ in (b for at, b in bad_at if at == i):
            make_bad, code = BAD_FRAMES[_]
            with pytest.raises(VisionError):
                ex.push(make_bad(frame))
    assert out + ex.flush() == clean


def test_frame_ids_are_derived_when_missing():
    ex = Extractor("ses_x")
    screen = form_screen()
    ex.push(Frame(screen, t_ms=0))
    ex.push(Frame(png_bytes(screen), t_ms=40))
    with pytest.raises(VisionError) as err:  # the derived id of index 0 is taken
        ex.push(Frame(screen, t_ms=80, frame_id=derive_frame_id("ses_x", 0, 0)))
    assert err.value.code == "duplicate_frame_id"


def test_a_resized_window_is_a_new_screen_without_an_event():
    ex = Extractor("ses_x")
    out = ex.push(Frame(form_screen(640, 400), t_ms=0))
    out += ex.push(Frame(form_screen(800, 500), t_ms=500))
    assert ex.last_frame_kind == "new_screen"
    out += ex.push(Frame(form_screen(800, 500), t_ms=2000))
    assert out + ex.flush() == []


def test_confidence_floor_can_be_raised_never_lowered(dialog_session):
    with pytest.raises(VisionError) as err:
        Extractor("ses_x", confidence_gte=0.5)
    assert err.value.param == "confidence_gte"
    high = extract_session(dialog_session, confidence_gte=0.9)
    assert all(e.confidence >= 0.9 for e in high)
    assert set(high) <= set(extract_session(dialog_session))


def test_hours_of_frames_keep_memory_bounded():
    ex = Extractor("ses_long")
    screen = form_screen(320, 200)
    other = form_screen(320, 200, values={"Vendor": "Acme"})
    for i in range(20_000):
        ex.push(Frame(screen if (i // 50) % 2 else other, t_ms=i * 100))
    assert len(ex._held) <= 2
    assert len(ex._seen._recent) < 4096 and ex._seen._sorted.nbytes <= 20_000 * 8


def test_wheel_bursts_give_one_scroll_each_with_summed_movement(tmp_path):
    from tests.test_diff import _page
    from tests.helpers import write_session

    offsets = [(0, 400), (200, 400), (300, 444), (400, 488), (500, 532), (700, 532),
               (2000, 532), (2100, 510), (2200, 488), (3500, 488)]
    path = write_session(tmp_path / "scroll", [(t, _page(o)) for t, o in offsets])
    events = [e for e in extract_session(path) if e.type == "scroll"]
    assert [(e.t_ms, e.payload.dx, e.payload.dy) for e in events] == [(500, 0, 132),
                                                                       (2200, 0, -44)]
