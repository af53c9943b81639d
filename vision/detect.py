"""The UI-element detector: boxes, classes and scores of the elements a frame shows.

The shipped model (``models/ui_detector.onnx``, its card beside it) is a small anchor-free
network with one output grid at stride 4. Frames are never shrunk: a 13 px check box at 8 pt
still spans three cells. The graph returns per-class scores kept only at local maxima and, per
cell, the distances from the cell's centre to the four box edges; this module turns those into
boxes and runs per-class non-maximum suppression.

The mouse pointer is not a class: the engine learns it from motion (:mod:`vision.pointer`),
which works for any pointer theme, and the detector was trained to ignore it.

Examples
--------
>>> import numpy as np
>>> frame = np.full((120, 200, 3), 240, np.uint8)
>>> found = ElementDetector().detect(frame)
>>> found.xyxy.shape[1], found.xyxy.dtype
(4, dtype('float32'))
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Sequence

import cv2
import numpy as np

from .errors import VisionError
from .frames import decode_image
from .onnx_model import OnnxModel, bundled_model

__all__ = ["Detections", "DetectorConfig", "ElementDetector", "decode", "nms", "MODEL_FILE"]

MODEL_FILE = "ui_detector.onnx"
BBox = tuple[int, int, int, int]


@dataclass(frozen=True)
class Detections:
    """Elements found in one frame or region, in frame pixels, best score first."""

    xyxy: np.ndarray
    """(n, 4) float32 ``x0, y0, x1, y1``; ``x1``/``y1`` are exclusive."""
    score: np.ndarray
    """(n,) float32 in (0, 1)."""
    class_id: np.ndarray
    """(n,) int32 indices into ``classes``."""
    classes: tuple[str, ...]
    """Class names of the model, by index (roles of the contract, plus ``titlebar``)."""

    def __len__(self) -> int:
        return len(self.score)

    def __getitem__(self, index) -> Detections:
        """The detections selected by a boolean mask or index array."""
        return Detections(self.xyxy[index], self.score[index], self.class_id[index],
                          self.classes)

    @property
    def roles(self) -> list[str]:
        return [self.classes[i] for i in self.class_id]

    @classmethod
    def empty(cls, classes: tuple[str, ...]) -> Detections:
        return cls(np.zeros((0, 4), np.float32), np.zeros(0, np.float32),
                   np.zeros(0, np.int32), classes)


@dataclass(frozen=True)
class DetectorConfig:
    """Settings of the detection stage."""

    score_threshold: float = 0.25
    """Lowest score kept; benchmarks use a lower one to trace whole precision-recall curves."""
    nms_iou: float = 0.5
    """Boxes of one class overlapping a better one by more than this are dropped."""
    max_detections: int = 1000
    """At most this many boxes per image, best first."""
    max_candidates: int = 4000
    """Peaks entering suppression, best first (bounds its quadratic cost on noisy frames)."""


def nms(xyxy: np.ndarray, score: np.ndarray, iou: float) -> np.ndarray:
    """Indices of the boxes greedy non-maximum suppression keeps, best first.

    >>> boxes = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [20, 0, 30, 10]], np.float32)
    >>> nms(boxes, np.array([0.9, 0.8, 0.7], np.float32), 0.5).tolist()
    [0, 2]
    """
    order = np.argsort(-score, kind="stable")
    area = np.prod(xyxy[:, 2:] - xyxy[:, :2], axis=1)
    keep = []
    while order.size:
        best, rest = order[0], order[1:]
        keep.append(best)
        lt = np.maximum(xyxy[best, :2], xyxy[rest, :2])
        rb = np.minimum(xyxy[best, 2:], xyxy[rest, 2:])
        inter = np.prod(np.clip(rb - lt, 0, None), axis=1)
        overlap = inter / np.maximum(area[best] + area[rest] - inter, 1e-6)
        order = rest[overlap <= iou]
    return np.array(keep, np.int64)


def decode(peaks: np.ndarray, ltrb: np.ndarray, *, stride: int, size: tuple[int, int],
           offset: tuple[int, int] = (0, 0), classes: tuple[str, ...],
           config: DetectorConfig = DetectorConfig()) -> Detections:
    """Boxes from one image's network outputs.

    Parameters
    ----------
    peaks : (C, h, w) scores, zero except at local maxima.
    ltrb : (4, h, w) distances in pixels from each cell's centre to the left, top, right and
        bottom box edges.
    size : (width, height) of the image the network saw, before padding; boxes are clipped to it.
    offset : (x, y) of that image in the frame, added to every box.
    """
    cls, ys, xs = np.nonzero(peaks >= config.score_threshold)
    if cls.size == 0:
        return Detections.empty(classes)
    score = peaks[cls, ys, xs].astype(np.float32)
    if score.size > config.max_candidates:
        best = np.argpartition(-score, config.max_candidates)[:config.max_candidates]
        cls, ys, xs, score = cls[best], ys[best], xs[best], score[best]
    cx, cy = (xs + 0.5) * stride, (ys + 0.5) * stride
    d = ltrb[:, ys, xs]
    xyxy = np.stack([cx - d[0], cy - d[1], cx + d[2], cy + d[3]], axis=1)
    xyxy = np.clip(xyxy, 0, [size[0], size[1], size[0], size[1]]).astype(np.float32)
    # one suppression pass for all classes: shift each class to its own far-apart plane
    shifted = xyxy + (cls * 4 * (max(size) + 1))[:, None].astype(np.float32)
    keep = nms(shifted, score, config.nms_iou)[:config.max_detections]
    xyxy = xyxy[keep] + np.array(offset * 2, np.float32)
    return Detections(xyxy, score[keep], cls[keep].astype(np.int32), classes)


def _padded(image: np.ndarray, multiple: int) -> np.ndarray:
    """(1, 3, H', W') float32 with H', W' rounded up to ``multiple`` by repeating the edge."""
    h, w = image.shape[:2]
    ph, pw = -h % multiple, -w % multiple
    if ph or pw:
        image = cv2.copyMakeBorder(image, 0, ph, 0, pw, cv2.BORDER_REPLICATE)
    return np.ascontiguousarray(image.transpose(2, 0, 1)[None], np.float32)


class ElementDetector:
    """Finds UI elements in whole frames or in regions of them.

    Holds only the model handle: its onnxruntime session is created on first use, once per
    process, and shared by threads.

    Parameters
    ----------
    model : OnnxModel, optional
        Defaults to the model shipped in the package, on one thread.
    config : DetectorConfig
    """

    def __init__(self, model: OnnxModel | None = None, config: DetectorConfig = DetectorConfig()):
        self.model = model or OnnxModel(bundled_model(MODEL_FILE), threads=1)
        self.config = config

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(json.loads(self.model.metadata["classes"]))

    @property
    def _geometry(self) -> tuple[int, int]:
        meta = self.model.metadata
        return int(meta["stride"]), int(meta["multiple"])

    def detect(self, image) -> Detections:
        """Every element of a whole frame (any input :func:`~vision.frames.decode_image` takes)."""
        rgb = decode_image(image)
        h, w = rgb.shape[:2]
        return self.detect_regions(rgb, [(0, 0, w, h)])[0]

    def detect_regions(self, image, regions: Sequence[BBox]) -> list[Detections]:
        """The elements inside each region ``(x, y, w, h)`` of a frame, in frame pixels.

        Regions of the same padded size run as one batch. Each region is seen alone: an element
        cut by its edge is found cut, so callers grow changed areas by some context first.
        """
        rgb = decode_image(image)
        stride, multiple = self._geometry
        boxes = [self._checked(r, rgb) for r in regions]
        crops = [rgb[y:y + h, x:x + w] for x, y, w, h in boxes]
        groups: dict[tuple[int, int], list[int]] = {}
        for i, crop in enumerate(crops):
            h, w = crop.shape[:2]
            groups.setdefault((-(-h // multiple), -(-w // multiple)), []).append(i)
        out: list[Detections | None] = [None] * len(crops)
        classes = self.classes
        for members in groups.values():
            batch = np.concatenate([_padded(crops[i], multiple) for i in members])
            peaks, ltrb = self.model.run(batch)
            for k, i in enumerate(members):
                x, y, w, h = boxes[i]
                out[i] = decode(peaks[k], ltrb[k], stride=stride, size=(w, h), offset=(x, y),
                                classes=classes, config=self.config)
        return out

    @staticmethod
    def _checked(region: BBox, rgb: np.ndarray) -> BBox:
        x, y, w, h = (int(v) for v in region)
        height, width = rgb.shape[:2]
        if w < 1 or h < 1 or x < 0 or y < 0 or x + w > width or y + h > height:
            raise VisionError("invalid_request", f"region {list(region)} is not inside the "
                              f"{width}x{height} frame; give [x, y, w, h] with w, h >= 1",
                              param="regions")
        return x, y, w, h
