"""The screen model: which elements the current screen shows, and what they say.

Elements come from the UI-element detector: the whole frame on a new screen, and afterwards only
the changed areas (grown by some context, since an element cut by a window's edge is found
cut). Text is read by OCR on demand, once per element look (the reader caches by pixels).

The model keeps the elements of the previous frame too, so trackers can compare what an area
held before and after a change (a check box's state, the list that just closed).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..detect import Detections, ElementDetector
from ..diff import BBox, FrameDiff
from ..frames import DecodedFrame
from ..ocr import TextReader

__all__ = ["Element", "ScreenModel", "INTERACTIVE", "overlap", "iou", "contains", "grow", "centre",
           "ink"]

INTERACTIVE = ("button", "textbox", "checkbox", "radio", "combobox", "tab", "menuitem", "link",
               "listitem", "cell", "icon")
_CONTEXT = 40
"""Pixels of context around a changed area when detecting in it."""


@dataclass(frozen=True)
class Element:
    """One detected element: a contract role (or ``titlebar``), its box and the detector's
    score."""

    role: str
    bbox: BBox
    score: float

    @property
    def area(self) -> int:
        return self.bbox[2] * self.bbox[3]


def grow(b: BBox, pad: int) -> BBox:
    return (b[0] - pad, b[1] - pad, b[2] + 2 * pad, b[3] + 2 * pad)


def centre(b: BBox) -> tuple[int, int]:
    return b[0] + b[2] // 2, b[1] + b[3] // 2


def overlap(a: BBox, b: BBox) -> int:
    """Area of the intersection of two boxes."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)


def contains(b: BBox, x: int, y: int, pad: int = 0) -> bool:
    return b[0] - pad <= x < b[0] + b[2] + pad and b[1] - pad <= y < b[1] + b[3] + pad


def iou(a: BBox, b: BBox) -> float:
    inter = overlap(a, b)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union else 0.0


def _clip(b: BBox, width: int, height: int) -> BBox:
    x0, y0 = max(0, b[0]), max(0, b[1])
    x1, y1 = min(width, b[0] + b[2]), min(height, b[1] + b[3])
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)


def _elements(found: Detections) -> list[Element]:
    out = []
    for (x0, y0, x1, y1), score, role in zip(found.xyxy, found.score, found.roles):
        x, y = int(round(x0)), int(round(y0))
        out.append(Element(role, (x, y, int(round(x1)) - x, int(round(y1)) - y), float(score)))
    return out


def _merge_windows(boxes: list[BBox]) -> list[BBox]:
    """Union overlapping windows until none overlap."""
    merged = list(boxes)
    changed = True
    while changed:
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                a, b = merged[i], merged[j]
                if overlap(a, b):
                    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
                    x1 = max(a[0] + a[2], b[0] + b[2])
                    y1 = max(a[1] + a[3], b[1] + b[3])
                    merged[i] = (x0, y0, x1 - x0, y1 - y0)
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    return merged


class ScreenModel:
    """Elements of the current screen, refreshed where the frame changed."""

    def __init__(self, detector: ElementDetector, reader: TextReader) -> None:
        self.detector = detector
        self.reader = reader
        self.elements: tuple[Element, ...] = ()
        self.previous: tuple[Element, ...] = ()
        self.frame: DecodedFrame | None = None
        self.prev_frame: DecodedFrame | None = None

    # --- updating ----------------------------------------------------------------------------

    def update(self, frame: DecodedFrame, diff: FrameDiff) -> None:
        """Take a new frame: re-detect what changed, keep the rest."""
        self.prev_frame, self.frame = self.frame, frame
        self.previous = self.elements
        if diff.kind == "new_screen" or self.prev_frame is None:
            self.elements = tuple(_elements(self.detector.detect(frame.rgb)))
            return
        changed = [r.bbox for r in diff.regions] + [s.region for s in diff.shifts]
        if not changed:
            return
        width, height = frame.size
        windows = _merge_windows([_clip(grow(b, _CONTEXT), width, height) for b in changed])
        found = self.detector.detect_regions(frame.rgb, windows)
        fresh: list[Element] = []
        for window, detections in zip(windows, found):
            for el in _elements(detections):
                if self._whole_in(el.bbox, window, width, height):
                    fresh.append(el)
        # an element survives a change covering little of it (text typed into a field, a
        # row lighting up in a long table): the window around a small change cannot see it all
        kept = [e for e in self.elements
                if sum(overlap(e.bbox, c) for c in changed) < 0.5 * e.area]
        added = [e for e in fresh if any(overlap(e.bbox, c) for c in changed)
                 and not any(k.role == e.role and iou(k.bbox, e.bbox) > 0.5 for k in kept)]
        self.elements = tuple(kept + added)

    @staticmethod
    def _whole_in(b: BBox, window: BBox, width: int, height: int) -> bool:
        """Not cut by the window's edge (an edge on the frame's border cuts nothing)."""
        x, y, w, h = window
        left = b[0] > x + 1 or x == 0
        top = b[1] > y + 1 or y == 0
        right = b[0] + b[2] < x + w - 1 or x + w == width
        bottom = b[1] + b[3] < y + h - 1 or y + h == height
        return left and top and right and bottom

    # --- queries ------------------------------------------------------------------------------

    def at(self, x: int, y: int, roles=INTERACTIVE, *, previous: bool = False,
           pad: int = 0) -> Element | None:
        """The smallest element of ``roles`` under a point."""
        pool = self.previous if previous else self.elements
        hits = [e for e in pool if e.role in roles and contains(e.bbox, x, y, pad)]
        return min(hits, key=lambda e: e.area, default=None)

    def within(self, box: BBox, roles=INTERACTIVE, *, previous: bool = False,
               min_share: float = 0.5) -> list[Element]:
        """Elements of ``roles`` lying mostly (``min_share`` of their area) inside ``box``."""
        pool = self.previous if previous else self.elements
        return [e for e in pool if e.role in roles and e.area
                and overlap(e.bbox, box) >= min_share * e.area]

    def text(self, box: BBox, rgb: np.ndarray | None = None) -> str:
        """The one line of text inside ``box`` of the current frame (or of ``rgb``)."""
        rgb = self.frame.rgb if rgb is None else rgb
        x, y, w, h = _clip(box, rgb.shape[1], rgb.shape[0])
        if w < 4 or h < 4:
            return ""
        return self.reader.read_line(rgb[y:y + h, x:x + w]).text.strip()

    def label_of(self, field: Element, rgb: np.ndarray | None = None,
                 pool: tuple[Element, ...] | None = None) -> str | None:
        """The visible label of a field: the text just left of it, or else just above it."""
        pool = self.elements if pool is None else pool
        fx, fy, fw, fh = field.bbox
        cy = fy + fh / 2
        left = [e for e in pool if e.role == "text" and e.bbox[1] <= cy <= e.bbox[1] + e.bbox[3]
                and e.bbox[0] + e.bbox[2] <= fx + 4 and fx - (e.bbox[0] + e.bbox[2]) <= 160]
        above = [e for e in pool if e.role == "text" and 0 <= fy - (e.bbox[1] + e.bbox[3]) <= 30
                 and abs(e.bbox[0] - fx) <= 40]
        if left:
            best = max(left, key=lambda e: e.bbox[0] + e.bbox[2])
        elif above:
            best = max(above, key=lambda e: e.bbox[1])
        else:
            return None
        return self.text(best.bbox, rgb) or None

    def caption_beside(self, box: Element, rgb: np.ndarray | None = None,
                       pool: tuple[Element, ...] | None = None) -> str | None:
        """The text right of a check box or radio button (or inside its box, when the detector
        boxed the label with it)."""
        pool = self.elements if pool is None else pool
        bx, by, bw, bh = box.bbox
        if bw > 2 * bh:  # the box holds its label
            return self.text((bx + bh, by, bw - bh, bh), rgb) or None
        cy = by + bh / 2
        right = [e for e in pool if e.role == "text" and e.bbox[1] <= cy <= e.bbox[1] + e.bbox[3]
                 and 0 <= e.bbox[0] - (bx + bw) <= 24]
        if not right:
            return None
        return self.text(min(right, key=lambda e: e.bbox[0]).bbox, rgb) or None

    def name_of(self, el: Element, *, previous: bool = False) -> str | None:
        """As a person names the element: a field's label, a box's caption, else its text."""
        rgb = (self.prev_frame if previous else self.frame).rgb
        pool = self.previous if previous else self.elements
        if el.role in ("textbox", "combobox"):
            return self.label_of(el, rgb, pool)
        if el.role in ("checkbox", "radio"):
            return self.caption_beside(el, rgb, pool)
        if el.role == "icon":
            return None
        return self.text(el.bbox, rgb) or None


def ink(rgb: np.ndarray, box: BBox) -> float:
    """Share of a box's pixels far from its median colour: how much is drawn inside it."""
    x, y, w, h = _clip(box, rgb.shape[1], rgb.shape[0])
    if w == 0 or h == 0:
        return 0.0
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[y:y + h, x:x + w]), cv2.COLOR_RGB2GRAY)
    return float(np.mean(np.abs(grey.astype(np.int16) - int(np.median(grey))) > 60))
