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


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2 ** 32 - 1))
def test_training_crops_keep_each_box_on_the_pixels_it_frames(seed):
    from models.detector.augment import random_crop

    image = np.full((300, 900, 3), 128, np.uint8)
    boxes = np.array([[40, 30, 140, 60], [400, 120, 700, 150], [800, 250, 830, 280]], np.int32)
    colours = np.array([[250, 0, 0], [0, 250, 0], [0, 0, 250]], np.uint8)
    for (x0, y0, x1, y1), colour in zip(boxes, colours):
        image[y0:y1, x0:x1] = colour
    rng = np.random.default_rng(seed)
    crop = random_crop(image, boxes, np.arange(3), (64, 256), rng, int(rng.integers(3)))
    assert crop.image.shape == (64, 256, 3) and len(crop.boxes) >= 1
    for (x0, y0, x1, y1), label in zip(crop.boxes, crop.labels):
        # resampling blends the outermost pixel row into its neighbour: look 2 px inside
        inside = crop.image[int(y0) + 2:int(y1) - 2, int(x0) + 2:int(x1) - 2]
        assert inside.size and np.abs(inside.astype(int) - colours[label]).max() <= 12
        cx, cy = int((x0 + x1) / 2), int((y0 + y1) / 2)
        beyond = [(cy, int(x0) - 3), (cy, int(np.ceil(x1)) + 2), (int(y0) - 3, cx),
                  (int(np.ceil(y1)) + 2, cx)]
        for y, x in beyond:
            if 0 <= y < 64 and 0 <= x < 256:
                assert np.abs(crop.image[y, x].astype(int) - 128).max() <= 12


def test_training_targets_peak_once_at_each_box_and_regress_to_it():
    from models.detector.targets import make_targets

    boxes = np.array([[8, 8, 72, 32], [100, 40, 116, 56]], np.float32)
    targets = make_targets(boxes, np.array([0, 1]), np.array([[150, 0, 190, 30]], np.float32),
                           (64, 192), num_classes=2)
    for box, c in zip(boxes, (0, 1)):
        (y,), (x,) = np.nonzero(targets["heat"][c] == 1)
        assert box[0] <= (x + 0.5) * 4 <= box[2] and box[1] <= (y + 0.5) * 4 <= box[3]
        np.testing.assert_array_equal(targets["box"][:, y, x], box)
        assert targets["box_weight"][y, x] > 0
    assert targets["heat_weight"][0:7, 38:47].max() == 0      # the cut box is ignored
