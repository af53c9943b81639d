"""The stored-session checker finds what breaks the contract's format."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from fixtures.sessiongen.check import check_session

CLICK = {"t_ms": 500, "type": "click", "payload": {
    "x": 20, "y": 20, "button": "left", "count": 1,
    "target": {"role": "button", "name": "OK", "bbox": [10, 10, 30, 20]}}}


@pytest.fixture
def session(tmp_path):
    (tmp_path / "frames").mkdir()
    cv2.imwrite(str(tmp_path / "frames" / "0.png"), np.zeros((48, 64, 3), np.uint8))
    meta = {"session_id": "ses_x", "width": 64, "height": 48, "source": "local",
            "profile": "lossless", "split": "test"}
    (tmp_path / "session.json").write_text(json.dumps(meta))
    frames = [{"frame_id": f"frm_{i}", "t_ms": 400 * i, "file": "frames/0.png"} for i in range(3)]
    write_lines(tmp_path / "frames.jsonl", frames)
    write_lines(tmp_path / "truth.jsonl", [CLICK])
    return tmp_path


def write_lines(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_a_well_formed_session_has_no_problems(session):
    assert check_session(session) == []


def test_frames_out_of_order_repeated_or_missing_are_reported(session):
    frames = [{"frame_id": "frm_0", "t_ms": 400, "file": "frames/0.png"},
              {"frame_id": "frm_0", "t_ms": 0, "file": "frames/9.png"}]
    write_lines(session / "frames.jsonl", frames)
    problems = " ".join(check_session(session))
    assert "repeated" in problems and "non-decreasing" in problems and "9.png" in problems


def test_a_box_outside_the_frame_and_a_bad_payload_are_reported(session):
    outside = json.loads(json.dumps(CLICK))
    outside["payload"]["target"]["bbox"] = [50, 40, 30, 20]
    write_lines(session / "truth.jsonl", [outside])
    assert any("outside" in p for p in check_session(session))
    broken = json.loads(json.dumps(CLICK))
    del broken["payload"]["target"]
    write_lines(session / "truth.jsonl", [broken])
    assert any("truth.jsonl" in p for p in check_session(session))


def test_an_image_of_the_wrong_size_is_reported(session):
    cv2.imwrite(str(session / "frames" / "0.png"), np.zeros((40, 64, 3), np.uint8))
    assert any("does not decode to 64x48" in p for p in check_session(session))


def test_an_empty_session_is_reported(session):
    write_lines(session / "frames.jsonl", [])
    assert check_session(session) == ["frames.jsonl: the session has no frames"]
