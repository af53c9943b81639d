"""The two baselines the harness scores beside the engine."""

from __future__ import annotations

import numpy as np

from benchmarks.baselines import NAIVE_CONFIDENCE, EmptyBaseline, NaiveBaseline
from vision.frames import Frame
from vision.ids import frame_id

SCREEN = np.full((120, 160, 3), 230, np.uint8)


def with_box(rgb: np.ndarray, x: int, y: int, w: int, h: int) -> np.ndarray:
    out = rgb.copy()
    out[y:y + h, x:x + w] = 20
    return out


def test_empty_baseline_emits_nothing():
    empty = EmptyBaseline(session_id="ses_1")
    assert empty.push(Frame(SCREEN, 0, "frm_a")) == []
    assert empty.push(Frame(with_box(SCREEN, 10, 10, 30, 20), 100, "frm_b")) == []
    assert empty.flush() == []


def test_naive_baseline_clicks_the_centre_of_each_changed_region():
    naive = NaiveBaseline(session_id="ses_1")
    assert naive.push(Frame(SCREEN, 0, "frm_a")) == []
    assert naive.push(Frame(SCREEN.copy(), 200, "frm_b")) == []
    events = naive.push(Frame(with_box(with_box(SCREEN, 10, 10, 30, 20), 100, 80, 40, 24), 400,
                              "frm_c"))
    assert [(e.payload.x, e.payload.y, e.payload.target.bbox) for e in events] == [
        (25, 20, (10, 10, 30, 20)), (120, 92, (100, 80, 40, 24))]
    for event in events:
        assert (event.frame_id, event.t_ms, event.confidence) == ("frm_c", 400, NAIVE_CONFIDENCE)
        assert (event.payload.target.role, event.payload.target.name) == ("button", None)
    assert events == sorted(events)
    assert naive.flush() == []


def test_naive_baseline_gives_nothing_on_a_new_frame_size_and_derives_missing_ids():
    naive = NaiveBaseline(session_id="ses_1")
    smaller = np.full((100, 160, 3), 230, np.uint8)
    naive.push(Frame(SCREEN, 0))
    assert naive.push(Frame(smaller, 200)) == []
    (event,) = naive.push(Frame(with_box(smaller, 60, 40, 20, 20), 400))
    assert event.frame_id == frame_id("ses_1", 2, 400)
