"""The UI-element detector: the shipped model on a real Qt form, regions, decoding and NMS."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vision.detect import Detections, DetectorConfig, ElementDetector, decode, nms
from vision.errors import VisionError
from vision.onnx_model import bundled_model

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _iou(a, b) -> float:
    lt, rb = np.maximum(a[:2], b[:2]), np.minimum(a[2:], b[2:])
    inter = float(np.prod(np.clip(rb - lt, 0, None)))
    return inter / (np.prod(a[2:] - a[:2]) + np.prod(b[2:] - b[:2]) - inter)


@pytest.fixture(scope="module")
def detector() -> ElementDetector:
    return ElementDetector()


@pytest.fixture(scope="module")
def qt_form():
    """A small Qt form (text field, check box, button) and its true boxes, client pixels."""
    pytest.importorskip("PySide6")
    from fixtures.sessiongen.qt import QtBackend
    from fixtures.sessiongen.spec import AppSpec, ButtonSpec, FieldSpec, ScreenSpec, Theme

    theme = Theme("fusion-test", "fusion", "Liberation Sans", 9.0, 1.0, "#f0f0f0", "#000000",
                  "#ffffff", "#8a8a8a", "#e6e6e6", "#000000", "#2a6ad0", "#c00000", "#2a6ad0",
                  "#ffffff")
    screen = ScreenSpec("main", "Vendor", "form",
                        fields=(FieldSpec("vendor", "Vendor:", "text"),
                                FieldSpec("urgent", "Urgent", "checkbox")),
                        buttons=(ButtonSpec("save", "Save", "none"),), heading=False)
    backend = QtBackend()
    backend.open(AppSpec("Test", theme, (screen,), start="main"),
                 client_rect=(0, 0, 420, 220))
    try:
        window = backend.render(0)[0]
        truth = {e.role: e.bbox for e in backend.elements()
                 if e.role in ("textbox", "checkbox", "button")}
    finally:
        backend.close()
    boxes = {role: np.array([x - window.x, y - window.y, x - window.x + w, y - window.y + h],
                            np.float32) for role, (x, y, w, h) in truth.items()}
    return np.ascontiguousarray(window.image), boxes


def test_the_shipped_model_loads_from_the_package(detector):
    assert bundled_model("ui_detector.onnx").is_file()
    assert {"button", "textbox", "checkbox"} <= set(detector.classes)


@pytest.mark.xfail(strict=True, reason="the shipped model (1300 CPU training steps) misses this "
                   "text box and calls the check box a menu item; see models/ui_detector.md")
def test_finds_the_button_text_box_and_check_box_of_a_qt_form(detector, qt_form):
    image, truth = qt_form
    found = detector.detect(image)
    for role, box in truth.items():
        same_role = found[np.array(found.roles) == role]
        assert len(same_role), f"no {role} found"
        best = max(same_role.xyxy, key=lambda b: _iou(b, box))
        assert np.abs(best - box).max() <= 4, (role, best, box)


def test_regions_in_a_batch_give_the_boxes_found_one_by_one(detector, qt_form):
    image, _ = qt_form
    regions = [(0, 0, 200, 120), (20, 10, 200, 120), (0, 0, 420, 220), (100, 50, 150, 100)]
    batched = detector.detect_regions(image, regions)
    for region, together in zip(regions, batched):
        alone = detector.detect_regions(image, [region])[0]
        assert len(alone) == len(together)
        np.testing.assert_allclose(alone.xyxy, together.xyxy, atol=1e-3)
        assert alone.roles == together.roles


def test_region_boxes_come_back_in_frame_pixels(detector, qt_form):
    image, _ = qt_form
    h, w = image.shape[:2]
    frame = np.full((h + 90, w + 130, 3), image[0, 0], np.uint8)
    frame[90:, 130:] = image
    whole = detector.detect(image)
    shifted = detector.detect_regions(frame, [(130, 90, w, h)])[0]
    assert len(whole) == len(shifted) > 0
    np.testing.assert_allclose(shifted.xyxy, whole.xyxy + [130, 90, 130, 90], atol=1e-3)


def test_a_region_outside_the_frame_is_refused(detector):
    with pytest.raises(VisionError) as err:
        detector.detect_regions(np.zeros((64, 64, 3), np.uint8), [(40, 40, 32, 32)])
    assert err.value.code == "invalid_request"


def test_decode_places_boxes_from_cell_centres_and_offset():
    peaks = np.zeros((2, 4, 4), np.float32)
    peaks[1, 2, 1] = 0.9                       # class 1 at cell (x=1, y=2): centre (6, 10)
    ltrb = np.full((4, 4, 4), 3, np.float32)
    found = decode(peaks, ltrb, stride=4, size=(16, 16), offset=(100, 200), classes=("a", "b"))
    assert found.roles == ["b"]
    np.testing.assert_allclose(found.xyxy, [[103, 207, 109, 213]])
    empty = decode(np.zeros_like(peaks), ltrb, stride=4, size=(16, 16), classes=("a", "b"))
    assert len(empty) == 0 and isinstance(empty, Detections)


def test_decode_suppresses_within_a_class_only():
    peaks = np.zeros((2, 4, 4), np.float32)
    peaks[0, 1, 1], peaks[0, 1, 2], peaks[1, 1, 1] = 0.9, 0.8, 0.7
    ltrb = np.full((4, 4, 4), 8, np.float32)
    found = decode(peaks, ltrb, stride=4, size=(16, 16), classes=("a", "b"),
                   config=DetectorConfig(nms_iou=0.3))
    assert sorted(found.roles) == ["a", "b"]


boxes = st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(1, 30),
                           st.integers(1, 30), st.floats(0.01, 1.0)), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None)
@given(boxes, st.floats(0.1, 0.9))
def test_nms_keeps_the_best_box_and_no_overlapping_pair(rows, threshold):
    xyxy = np.array([[x, y, x + w, y + h] for x, y, w, h, _ in rows], np.float32)
    score = np.array([s for *_, s in rows], np.float32)
    keep = nms(xyxy, score, threshold)
    assert score[keep[0]] == score.max()
    for i, a in enumerate(keep):
        for b in keep[i + 1:]:
            assert _iou(xyxy[a], xyxy[b]) <= threshold + 1e-6
