"""The screen model: which elements the current screen shows, and what they say.

Elements come from the UI-element detector: the whole frame on a new screen, and afterwards only
the changed areas (grown by some context, since an element cut by a window's edge is found
cut). Text is read by OCR on demand, once per element look (the reader caches by pixels).

The model keeps the elements of the previous frame too, so trackers can compare what an area
held before and after a change (a check box's state, the list that just closed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ..detect import Detections, ElementDetector
from ..diff import BBox, FrameDiff
from ..frames import DecodedFrame
from ..ocr import TextRead, TextReader
from ..ocr.glyphs import background_level, text_extent
from ..ocr.spelling import spelled
from ..pointer import PointerMatch

__all__ = ["Element", "ScreenModel", "INTERACTIVE", "overlap", "iou", "contains", "grow", "centre",
           "ink", "lit_up", "highlight_of", "median_colour", "recoloured", "sprite_mask",
           "without_sprite", "uncovered_text", "field_around", "snapped_field", "ONE_LINE",
           "same_place"]

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


def inside(point: tuple[int, int], box: BBox) -> tuple[int, int]:
    """The pointer's place moved into the box it clicked: a hot spot estimated a few pixels
    off lies on the box's edge."""
    x, y, w, h = box
    return min(max(point[0], x), x + max(0, w - 1)), min(max(point[1], y), y + max(0, h - 1))


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


def same_place(a: BBox, b: BBox) -> bool:
    """Whether two boxes are one element found twice: they overlap mostly, or one holds
    nearly all of the other (a tall field boxed in full once and by its first lines once)."""
    inter = overlap(a, b)
    return iou(a, b) > 0.5 or inter >= 0.8 * min(a[2] * a[3], b[2] * b[3])


def _clip(b: BBox, width: int, height: int) -> BBox:
    x0, y0 = max(0, b[0]), max(0, b[1])
    x1, y1 = min(width, b[0] + b[2]), min(height, b[1] + b[3])
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)


def _elements(found: Detections, rgb: np.ndarray) -> list[Element]:
    out = []
    for (x0, y0, x1, y1), score, role in zip(found.xyxy, found.score, found.roles):
        x, y = int(round(x0)), int(round(y0))
        box = (x, y, int(round(x1)) - x, int(round(y1)) - y)
        if role == "textbox":
            box = snapped_field(rgb, box)
        out.append(Element(role, box, float(score)))
    return out


def snapped_field(rgb: np.ndarray, box: BBox) -> BBox:
    """A text field's box moved onto the field's own frame, found in the pixels.

    A detector's box edge a few pixels inside the frame cuts the value's first letter off when
    it is read. The lines of the frame give the exact edges, else (a field drawn without a
    frame) the flat inside of the field, filled from near its right end. Kept as detected when
    neither finds a box like it."""
    x, y, w, h = box
    if w < 12 or h < 10:
        return box
    # a box over only the top lines of a text area (reaching past its right end, or cutting
    # into its first letter): the area's flat inside lies under them, short of that end
    area = field_around(rgb, (x + w - w // 8, y + h - 4, 1, 1))
    if area is not None and area[3] > h + 8 and overlap(area, box) >= 0.9 * w * h:
        return area
    framed = framed_box(rgb, box)
    if framed is not None and overlap(framed, box) >= 0.8 * w * h and (
            0.6 * h <= framed[3] <= 1.6 * h):
        return framed  # the frame's lines may run on well past a box that saw part of it
    filled = field_around(rgb, (x + w - 4, y + h // 2, 1, 1))
    return filled if filled is not None and iou(filled, box) >= 0.6 else box


_LABEL_LEAD = 3
"""Pixels a label's box is widened by on its left, where nothing else stands: a detector's
box drawn tight cuts into a first letter as thin as an ``I``, which then goes unread."""
_LABEL_TRAIL = 4
"""Pixels it is widened by on its right, short of the field: a tight box cuts off a final
period or the star of a required field."""

ONE_LINE = 34
"""The tallest a one-line field is drawn (px, at the scales captured); a taller field holds
several lines of text, the first of them at the top."""

_FRAME_REACH = 5
"""Pixels either side of a detected field's edge searched for its frame."""


def framed_box(rgb: np.ndarray, box: BBox) -> BBox | None:
    """The box of a field's frame near ``box``, from the lines along its sides.

    Each side is the innermost straight line within reach of the detected edge that differs
    from the field's inside along nearly all its length; glyphs never do, as they are shorter
    than the field and spaced apart. Unlike a flood fill of the inside, this holds under the
    noise lossy codecs leave around the text. A side without such a line (a frame wider than
    the detector saw, a field drawn without one) keeps the detected edge. The box returned
    takes one pixel more on each side, as :func:`field_around` does; None when no side has a
    line.
    """
    height, width = rgb.shape[:2]
    x, y, w, h = box
    r = _FRAME_REACH
    if x - r < 0 or y - r < 0 or x + w + r > width or y + h + r > height or w < 4 * r or h < 4 * r:
        return None
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[y - r:y + h + r, x - r:x + w + r]),
                        cv2.COLOR_RGB2GRAY).astype(np.int16)
    middle = grey[r + h // 4:r + h - h // 4, r + w // 4:r + w - w // 4]
    level = background_level(middle.astype(np.uint8))
    ink = np.abs(grey - level) > 30
    rows = ink[:, 2 * r:w].mean(axis=1) >= 0.9

    def innermost(lines: np.ndarray, search: range) -> int | None:
        return next((i for i in search if lines[i]), None)

    top, bottom = innermost(rows, range(2 * r, -1, -1)), innermost(rows, range(h - 1, h + 2 * r))
    inside_rows = slice(r + 2 if top is None else top + 1, r + h - 2 if bottom is None else bottom)
    # the whole inside height, ends included: no glyph spans it, and a caret stops short
    spans = ink[inside_rows]
    cols = (spans.mean(axis=0) >= 0.9) & spans[0] & spans[-1]
    left, right = innermost(cols, range(2 * r, -1, -1)), innermost(cols, range(w - 1, w + 2 * r))
    if left is None and top is None and right is None and bottom is None:
        return None
    x0 = x if left is None else x - r + left - 1
    y0 = y if top is None else y - r + top - 1
    x1 = x + w if right is None else x - r + right + 2
    y1 = y + h if bottom is None else y - r + bottom + 2
    if top is not None and bottom is not None and (left is None or right is None):
        # the detector saw only part of a wide field: its top and bottom lines run on to
        # the field's corners
        top_y, bottom_y = y - r + top, y - r + bottom
        lines, beyond, inner = (cv2.cvtColor(np.ascontiguousarray(
            rgb[[min(height - 1, max(0, top_y + d)), min(height - 1, max(0, bottom_y - d))]]),
            cv2.COLOR_RGB2GRAY).astype(np.int16) for d in (0, -1, 1))
        drawn = np.median(lines[:, x + r:x + w - r], axis=1, keepdims=True)
        # a frame's lines differ from what lies beyond them; the edges of a flat field on a
        # plain background do not, and there the field's fill runs on to its corners instead
        along = ((np.abs(lines - drawn) <= 25) & (np.abs(lines - level) > 30)
                 & (np.abs(lines - beyond) > 25)).all(axis=0)
        if along[x + r:x + w - r].mean() < 0.9:
            along = (np.abs(inner - level) <= 12).all(axis=0)
        if left is None:
            x0 = min(x0, _run_end(along, x + r, -1) - 1)
        if right is None:
            x1 = max(x1, _run_end(along, x + w - r, 1) + 2)
    return (x0, y0, x1 - x0, y1 - y0)


def _run_end(along: np.ndarray, start: int, step: int) -> int:
    """The last index of the run of True in ``along`` from ``start`` in direction ``step``,
    over gaps of one (codec noise)."""
    end = i = start
    while 0 <= i < len(along) and (along[i] or (0 <= i + step < len(along) and along[i + step])):
        if along[i]:
            end = i
        i += step
    return end


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


_NAMES_KEPT = 256
"""Clean name crops kept per screen, the latest."""
_POINTER_CHANGE = 40
"""Grey levels by which a pixel under the pointer's tip changes when it arrives (codec noise
stays under it)."""


class ScreenModel:
    """Elements of the current screen, refreshed where the frame changed."""

    def __init__(self, detector: ElementDetector, reader: TextReader) -> None:
        self.detector = detector
        self.reader = reader
        self.elements: tuple[Element, ...] = ()
        self.previous: tuple[Element, ...] = ()
        self.frame: DecodedFrame | None = None
        self.prev_frame: DecodedFrame | None = None
        self.pointer: PointerMatch | None = None
        self.prev_pointer: PointerMatch | None = None
        self._names: dict[tuple[str, BBox], np.ndarray] = {}
        """Crops of names taken while the pointer was not on the element (it rests on what it
        clicks), read only when a name is asked for: most elements the pointer crosses are
        never clicked, and a frame where only the pointer moved must stay cheap."""
        self._areas_of: tuple[Element, ...] | None = None
        self._areas = np.zeros((0, 4), np.int32)
        """Where the names of the elements ``_areas_of`` may lie (see :func:`_name_area`)."""
        self._name_boxes: dict[int, BBox | None] = {}
        """The name boxes of the elements ``_areas_of`` found so far, by index."""
        self._changed_before: list[BBox] = []
        """The boxes that changed in the frame before this one."""
        self._names_before: dict[tuple[str, BBox], np.ndarray] = {}
        """The crops of the screen before, for the frame right after a new screen (a click
        on the old screen is inferred then)."""

    # --- updating ----------------------------------------------------------------------------

    def update(self, frame: DecodedFrame, diff: FrameDiff) -> None:
        """Take a new frame: re-detect what changed, keep the rest."""
        self.prev_frame, self.frame = self.frame, frame
        self.prev_pointer, self.pointer = self.pointer, diff.pointer
        self.previous = self.elements
        self._names_before = {}
        if diff.kind == "new_screen" or self.prev_frame is None:
            self.elements = tuple(_elements(self.detector.detect(frame.rgb), frame.rgb))
            self._names_before, self._names = self._names, {}
            self._changed_before = []
            return
        changed = [r.bbox for r in diff.regions] + [s.region for s in diff.shifts]
        if changed:
            self._redetect(frame, changed, [s.region for s in diff.shifts])
        self._forget_names_swept(self._changed_before)
        self._changed_before = changed
        self._remember_names_under_pointer()

    def _redetect(self, frame: DecodedFrame, changed: list[BBox], moved: list[BBox]) -> None:
        """Detect again where the frame changed (``moved``: the parts of it that scrolled);
        keep elements a change covers little of."""
        width, height = frame.size
        windows = _merge_windows([_clip(grow(b, _CONTEXT), width, height) for b in changed])
        found = self.detector.detect_regions(frame.rgb, windows)
        fresh: list[Element] = []
        for window, detections in zip(windows, found):
            for el in _elements(detections, frame.rgb):
                if self._whole_in(el.bbox, window, width, height):
                    fresh.append(el)
        # an element survives a change covering little of it (text typed into a field, a
        # row lighting up in a long table): the window around a small change cannot see it all
        kept = [e for e in self.elements
                if sum(overlap(e.bbox, c) for c in changed) < 0.5 * e.area]
        added = [e for e in fresh if any(overlap(e.bbox, c) for c in changed)
                 and not any(k.role == e.role and iou(k.bbox, e.bbox) > 0.5 for k in kept)]
        # the detector loses a check box now and then once its look changes a little (drawn
        # with a focus ring, pressed); one still drawn where it was, with nothing found in its
        # place, is the same box
        lost = [e for e in self.elements if e.role in ("checkbox", "radio")
                and e.score >= _KEPT_SCORE and e not in kept
                and not any(overlap(e.bbox, n.bbox) and not _weaker(n, e) for n in added)
                and not any(overlap(e.bbox, m) for m in moved)
                and still_drawn(self.prev_frame.rgb, frame.rgb, e.bbox)]
        # what was found weakly in a kept box's place is the box seen badly (a list row)
        added = [n for n in added if not any(overlap(n.bbox, e.bbox) and _weaker(n, e)
                                             for e in lost)]
        # a field focused (a caret at its end, a ring) may look like another kind of field
        # to the detector: found weakly where one was found clearly, it is still that one
        gone = tuple(e for e in self.elements if e not in kept)
        added = [_as_before(n, gone, added) for n in added]
        self.elements = tuple(kept + lost + added)

    def _forget_names_swept(self, changed: list[BBox]) -> None:
        """Drop the names kept of elements that a change much larger than them swept over
        (a form refilled, another page in place): what stands there now is something else,
        though it may have the same box. Called a frame late: the frame of the change is the
        one where the click that made it is named."""
        for role, box in list(self._names):
            area = box[2] * box[3]
            if any(overlap(c, box) >= 0.5 * area and c[2] * c[3] > 4 * area for c in changed):
                del self._names[(role, box)]

    def _remember_names_under_pointer(self) -> None:
        """When the pointer's sprite comes onto an element's name (a caption, a label), keep
        the name from the frame before, where the sprite did not cover it yet."""
        p, q = self.pointer, self.prev_pointer
        if p is None or (q is not None and (p.x, p.y) == (q.x, q.y)):
            return
        if q is None and not self._pointer_appeared(p.x, p.y):
            return  # seen again where it was: it may have covered the name before too
        if self._areas_of is not self.previous:  # the name areas of these elements, once
            self._areas_of = self.previous
            self._areas = np.array([_name_area(e) for e in self.previous], np.int32).reshape(-1, 4)
            self._name_boxes = {}
        a, (x, y, w, h) = self._areas, p.bbox
        near = np.flatnonzero((a[:, 0] < x + w) & (a[:, 0] + a[:, 2] > x)
                              & (a[:, 1] < y + h) & (a[:, 1] + a[:, 3] > y))
        for i in near:
            el = self.previous[i]
            if el.role not in INTERACTIVE or (el.role, el.bbox) in self._names:
                continue
            if i not in self._name_boxes:
                self._name_boxes[i] = self._name_box(el, True)
            box = self._name_boxes[i]
            if box is not None and overlap(box, p.bbox) and not (
                    q is not None and overlap(box, q.bbox)):  # it lay there before too
                self._remember_clean_name(el)

    def _pointer_appeared(self, x: int, y: int) -> bool:
        """Whether the pixels at the pointer's hot spot changed since the frame before: it
        came there, rather than being found again where it had been unseen."""
        a = self.prev_frame.rgb[max(0, y - 2):y + 14, max(0, x - 2):x + 10]
        b = self.frame.rgb[max(0, y - 2):y + 14, max(0, x - 2):x + 10]
        return a.size > 0 and int(cv2.absdiff(a, b).max()) > _POINTER_CHANGE

    @staticmethod
    def _whole_in(b: BBox, window: BBox, width: int, height: int) -> bool:
        """Not cut by the window's edge (an edge on the frame's border cuts nothing)."""
        x, y, w, h = window
        left = b[0] > x + 1 or x == 0
        top = b[1] > y + 1 or y == 0
        right = b[0] + b[2] < x + w - 1 or x + w == width
        bottom = b[1] + b[3] < y + h - 1 or y + h == height
        return left and top and right and bottom

    def add(self, el: Element) -> None:
        """An element found by other means (a field seen taking typed text)."""
        self.elements = self.elements + (el,)

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

    def _view(self, previous: bool) -> tuple[np.ndarray, tuple[Element, ...],
                                             PointerMatch | None]:
        if previous:
            return self.prev_frame.rgb, self.previous, self.prev_pointer
        return self.frame.rgb, self.elements, self.pointer

    def read(self, box: BBox, *, previous: bool = False, again: bool = False) -> TextRead:
        """The one line of text inside ``box`` of the current (or previous) frame, read with
        the pointer painted over when it lies on the text (it rests on what it clicked);
        ``again``: read the second way (:meth:`~vision.ocr.TextReader.read_line_again`)."""
        return self._read_crop(self._crop(box, previous), again=again)

    def _read_crop(self, crop: np.ndarray | None, *, again: bool = False) -> TextRead:
        if crop is None:
            return TextRead("", 0.0, 0.0)
        read = (self.reader.read_line_again if again else self.reader.read_line)(crop)
        return replace(read, text=read.text.strip())

    def _covered(self, box: BBox, previous: bool) -> bool:
        """Whether the pointer's sprite lies on the text in ``box`` in the current (or
        previous) frame (a wide menu item's caption is seldom under it)."""
        rgb, _, pointer = self._view(previous)
        if pointer is None or pointer.sprite is None or not overlap(pointer.bbox, box):
            return False
        crop = self._crop(box, previous)
        glyphs = None if crop is None else text_extent(
            cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY))
        if glyphs is None:
            return True
        x, y, _, _ = _clip(box, rgb.shape[1], rgb.shape[0])
        return bool(overlap(pointer.bbox, (x + glyphs[0], y + glyphs[1], glyphs[2], glyphs[3])))

    def _crop(self, box: BBox, previous: bool) -> np.ndarray | None:
        """The pixels of ``box`` (None when too small to hold text), the pointer painted over."""
        rgb, _, pointer = self._view(previous)
        x, y, w, h = _clip(box, rgb.shape[1], rgb.shape[0])
        if w < 4 or h < 4:
            return None
        crop = rgb[y:y + h, x:x + w]
        if pointer is not None and pointer.sprite is not None and overlap(pointer.bbox, box):
            crop = without_sprite(crop, (x, y), pointer)
        return crop

    def text(self, box: BBox, *, previous: bool = False) -> str:
        return self.read(box, previous=previous).text

    def _label_box(self, field: Element, previous: bool) -> BBox | None:
        """Where a field's label is: the text just left of it, or else just above it. A
        multi-line field's label on the left sits level with its first line."""
        _, pool, _ = self._view(previous)
        fx, fy, fw, fh = field.bbox
        rows = (fy + fh / 2,) if fh <= ONE_LINE else (fy + fh / 2, fy + ONE_LINE / 2)
        boxes = [e.bbox for e in pool if e.role in ("checkbox", "radio")]
        # a check box's caption beside a field names the box, not the field
        left = [e for e in pool if e.role == "text"
                and any(e.bbox[1] <= r <= e.bbox[1] + e.bbox[3] for r in rows)
                and e.bbox[0] + e.bbox[2] <= fx + 4 and fx - (e.bbox[0] + e.bbox[2]) <= 160
                and not any(overlap(e.bbox, b) >= 0.5 * e.area for b in boxes)]
        above = [e for e in pool if e.role == "text" and 0 <= fy - (e.bbox[1] + e.bbox[3]) <= 30
                 and abs(e.bbox[0] - fx) <= 40]
        if left or above:
            x, y, w, h = (max(left, key=lambda e: e.bbox[0] + e.bbox[2]) if left
                          else max(above, key=lambda e: e.bbox[1])).bbox
            end = x + w + _LABEL_TRAIL
            if left:
                end = max(x + w, min(end, fx - 2))  # not into the field's frame
            return (x - _LABEL_LEAD, y, end - x + _LABEL_LEAD, h)
        return self._find_label(field, previous)

    def _find_label(self, field: Element, previous: bool) -> BBox | None:
        """The label found by the text detector, where the element detector saw none: the
        nearest line ending just left of the field, else the line just above it."""
        rgb, _, _ = self._view(previous)
        height, width = rgb.shape[:2]
        fx, fy, fw, fh = field.bbox
        bands = ((fx - 240, fy - 3, 238, fh + 6), (fx - 12, fy - 34, fw + 24, 32))
        for i, band in enumerate(bands):
            x, y, w, h = _clip(band, width, height)
            if w < 8 or h < 8:
                continue
            lines = self.reader.find_lines(rgb, (x, y, w, h))
            if i == 0:
                lines = [ln for ln in lines if ln.bbox[0] + ln.bbox[2] <= fx + 2]
                if lines:
                    return max(lines, key=lambda ln: ln.bbox[0] + ln.bbox[2]).bbox
            elif lines:
                return max(lines, key=lambda ln: ln.bbox[1]).bbox
        return None

    def _caption_box(self, box: Element, previous: bool) -> BBox | None:
        """Where a check box's or radio button's caption is: right of its mark (inside its
        box, when the detector boxed the label with it)."""
        rgb, pool, _ = self._view(previous)
        bx, by, bw, bh = box.bbox
        if bw > 2 * bh:
            start = _after_mark(rgb, box.bbox)
            return (bx + start, by, bw - start, bh)
        cy = by + bh / 2
        right = [e for e in pool if e.role == "text" and e.bbox[1] <= cy <= e.bbox[1] + e.bbox[3]
                 and 0 <= e.bbox[0] - (bx + bw) <= 24]
        return min(right, key=lambda e: e.bbox[0]).bbox if right else None

    def _name_box(self, el: Element, previous: bool) -> BBox | None:
        if el.role in ("textbox", "combobox"):
            return self._label_box(el, previous)
        if el.role in ("checkbox", "radio"):
            return self._caption_box(el, previous)
        if el.role in _PADDED:
            return caption_inside(el.bbox)
        return None if el.role == "icon" else el.bbox

    def name_of(self, el: Element, *, previous: bool = False) -> str | None:
        """As a person names the element: a field's label, a box's caption, else its text."""
        read = self.name_read(el, previous=previous)
        return (read.text or None) if read is not None else None

    def name_read(self, el: Element, *, previous: bool = False) -> TextRead | None:
        """The reading of :meth:`name_of` with its scores (None where the element has no
        place for a name): the best-scored of the crops of :meth:`_name_crops`."""
        crops = self._name_crops(el, previous)
        if not crops:
            return None
        best = max((self._read_crop(c) for c in crops), key=lambda r: r.score)
        return replace(best, text=name_text(el.role, best.text))

    def name_agrees(self, el: Element, name: TextRead, *, previous: bool = False) -> bool:
        """Whether the element's name read the second way is ``name`` too: where the two
        readings differ, the name is in doubt."""
        return any(name_text(el.role, self._read_crop(c, again=True).text) == name.text
                   for c in self._name_crops(el, previous))

    def _name_crops(self, el: Element, previous: bool) -> list[np.ndarray | None]:
        """The crops an element's name is read from: in the frame asked for, in the other of
        the two frames kept, and from before the pointer came onto the element. A crop the
        pointer lies on (its sprite painted over takes strokes of the letters with it: "Fd"
        for "Find", read with high scores) counts only when there is no other."""
        box = self._name_box(el, previous)
        if box is None:
            return []
        frames = [previous]
        other = not previous
        if (self.prev_frame is not None and any(e.role == el.role and iou(e.bbox, el.bbox) > 0.8
                                                for e in self._view(other)[1])
                and _same_text(self._crop(box, previous), self._crop(box, other))):
            frames.append(other)
        crops = [self._crop(box, p) for p in frames if not self._covered(box, p)]
        clean = self._clean_name(el, previous)
        if clean is not None:
            crops.append(clean)
        return crops or [self._crop(box, p) for p in frames]

    def _clean_name(self, el: Element, previous: bool) -> np.ndarray | None:
        """The crop of the element's name kept from before the pointer came onto it; the
        element may since have been boxed a little differently (a button drawn pressed, its
        focus frame taken in: 0.53 of the box it had)."""
        best, crop = _SAME_ELEMENT_IOU, None
        names = self._names_before if previous and self._names_before else self._names
        for (role, bbox), kept in names.items():
            if role == el.role and iou(bbox, el.bbox) > best:
                best, crop = iou(bbox, el.bbox), kept
        return crop

    def keep_name(self, el: Element, rgb: np.ndarray) -> None:
        """Keep the crop of ``el``'s name in ``rgb``, a frame from before the pointer came
        onto it, to be read with the others: an element found only once the pointer lies on
        its name (a check box the detector missed, found by its tick)."""
        box = self._name_box(el, False)
        if box is None:
            return
        x, y, w, h = _clip(box, rgb.shape[1], rgb.shape[0])
        if w >= 4 and h >= 4:
            self._keep(el, rgb[y:y + h, x:x + w])

    def _keep(self, el: Element, crop: np.ndarray) -> None:
        self._names[(el.role, el.bbox)] = crop.copy()
        if len(self._names) > _NAMES_KEPT:  # the oldest goes: memory stays bounded
            del self._names[next(iter(self._names))]

    def _remember_clean_name(self, el: Element) -> None:
        box = self._name_box(el, True)
        if box is None or self._covered(box, True):
            return  # the pointer came from where its sprite lay on the name already
        crop = self._crop(box, True)
        if crop is not None:
            self._keep(el, crop)


def _same_text(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    """Whether two crops of one place may hold the same text: its glyphs, each crop's cut to
    their box and laid one on the other, mostly cover each other (a button pressed shifts
    them a pixel and may recolour them; a new screen's button in the same place has a caption
    of its own, though of about the same length)."""
    if a is None or b is None:
        return a is b
    inks = []
    for crop in (a, b):
        grey = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY)
        extent = text_extent(grey)
        if extent is None:
            inks.append(None)
            continue
        x, y, w, h = extent
        glyphs = text_ink(crop, np.zeros(grey.shape, bool))[y:y + h, x:x + w] < 128
        inks.append(glyphs)
    ia, ib = inks
    if ia is None or ib is None:
        return ia is ib
    if abs(ia.shape[1] - ib.shape[1]) > 4:
        return False
    h, w = max(ia.shape[0], ib.shape[0]), max(ia.shape[1], ib.shape[1])
    pa, pb = np.zeros((h, w), bool), np.zeros((h, w), bool)
    pa[:ia.shape[0], :ia.shape[1]], pb[:ib.shape[0], :ib.shape[1]] = ia, ib
    union = np.count_nonzero(pa | pb)
    return union == 0 or np.count_nonzero(pa & pb) >= _SAME_INK * union


_SAME_INK = 0.4
"""Least share of two readings' glyph pixels that coincide for them to be one text."""


_SAME_ELEMENT_IOU = 0.4
"""Least overlap (IoU) of an element's box with the box its clean name was kept under."""


def _name_area(el: Element) -> BBox:
    """Where an element's name may lie (its box, and the room a label or a caption takes
    beside it): a cheap test before the name's box is looked for."""
    x, y, w, h = el.bbox
    if el.role in ("textbox", "combobox"):   # a label left of the field or above it
        return (x - 165, y - 34, w + 165, h + 34)
    if el.role in ("checkbox", "radio"):     # a caption right of the mark
        return (x, y, w + 240, h)
    return el.bbox


_WORDED = ("button", "checkbox", "radio", "tab", "menuitem", "textbox", "combobox")
"""Roles named by a caption or a label, written in words (a list's rows hold data)."""
_PADDED = ("button", "tab", "menuitem")
"""Roles whose caption sits inside padding, away from the edges of the element's box."""
_CAPTION_INSET = (4, 2)
"""Pixels cut off a padded element's box on the left and right, and on the top and bottom,
before its caption is read. The detector's box takes the element's frame or bevel, which a
line recogniser reads as a bar or an ``I`` ("|OK", "ISave"), and runs a few pixels either way;
captions keep more padding than that from their frame in every toolkit."""


def caption_inside(box: BBox) -> BBox:
    """The part of a padded element's box that holds its caption (:data:`_CAPTION_INSET`).

    >>> caption_inside((100, 50, 80, 24)), caption_inside((0, 0, 14, 8))
    ((104, 52, 72, 20), (0, 0, 14, 8))
    """
    x, y, w, h = box
    dx, dy = _CAPTION_INSET
    if w <= 4 * dx or h <= 4 * dy:
        return box
    return (x + dx, y + dy, w - 2 * dx, h - 2 * dy)


_EDGE_BAR = re.compile(r"(?<=[a-z.\u2026])(?:\s*\|+|\s+[I|]{1,2})$")
_EDGE_BAR_START = re.compile(r"^(?:\|+\s*|I(?=[A-Z][a-z]))")
"""A frame's left edge read before a caption: a bar, or an I glued to a capitalised word."""


def name_text(role: str, reading: str) -> str:
    """An element's name as read, made what it must be: a capital I read as a small l, a
    closing ellipsis, a field label's required star read as quotes; and a caption's end
    cleared of a bar, the edge of a frame or a submenu mark read after its last word, and of
    the frame's other edge read before its first.

    >>> name_text("menuitem", "Policies II"), name_text("button", "New shipment |")
    ('Policies', 'New shipment')
    >>> name_text("button", "IPost"), name_text("button", "| OK"), name_text("button", "IBAN")
    ('Post', 'OK', 'IBAN')
    >>> name_text("textbox", '"Vendor name:'), name_text("button", "Line 1")
    ('*Vendor name:', 'Line 1')
    """
    text = ellipsis(capital_i(reading))
    if role in _WORDED:
        text = spelled(text)
    if role in ("textbox", "combobox"):
        return required_mark(text)
    if role not in _PADDED:
        return text
    return _EDGE_BAR_START.sub("", _EDGE_BAR.sub("", text)) or text


_ELLIPSIS = re.compile(r"\s?\.\s?\.\s?\.?$")


def ellipsis(name: str) -> str:
    """A name's trailing run of two or three dots written as the ellipsis character.

    A caption that opens a dialog ends in "…", and the recogniser cannot tell the one glyph
    from three periods; the interface guidelines of the major desktop toolkits ask for the
    character, so that is how the name is given.

    >>> ellipsis("Comment..."), ellipsis("Add note . . ."), ellipsis("No."), ellipsis("Save")
    ('Comment…', 'Add note…', 'No.', 'Save')
    """
    return _ELLIPSIS.sub("\u2026", name) if not name.endswith("…") else name


_QUOTES = "'\"`\u2018\u2019\u201c\u201d\u00b4\u00b0^"
_LEADING_MARK = re.compile(f"^[{_QUOTES}]+(?=\\w)")
_TRAILING_MARK = re.compile(f"(?<=[\\w.:) ])[{_QUOTES}]+(?=:?$)")


def required_mark(label: str) -> str:
    """A field's label with the asterisk that marks a required field restored where the
    recogniser read it as quote marks (a small raised star looks like one or two ticks).

    A label never opens or closes with a lone quote; one quoted whole is left alone.

    >>> required_mark('"Vendor name:'), required_mark("Payment due'"), required_mark("Last day \\"")
    ('*Vendor name:', 'Payment due*', 'Last day *')
    >>> required_mark("'Invoice date:"), required_mark('"Total"'), required_mark("Customer's")
    ('*Invoice date:', '"Total"', "Customer's")
    """
    if len(label) >= 2 and label[0] in _QUOTES and label[-1] in _QUOTES:
        return label
    return _TRAILING_MARK.sub("*", _LEADING_MARK.sub("*", label))


_CAPITAL_I = re.compile(r"(?<![\w'])l(?=[cdfgkmnpqrstvwxzA-Z])")


def capital_i(name: str) -> str:
    """A name with a word-initial "l" that can only be a capital "I" made one.

    In sans-serif UI fonts the two are one glyph, and the recogniser often picks "l". No
    word starts with "l" before these consonants, or before a capital ("lD" is "ID").

    >>> capital_i("ltem no."), capital_i("User lD"), capital_i("lnvoice list"), capital_i("lbs")
    ('Item no.', 'User ID', 'Invoice list', 'lbs')
    """
    return _CAPITAL_I.sub("I", name)


def _after_mark(rgb: np.ndarray, box: BBox) -> int:
    """Where a caption starts in a box holding a check mark and its caption.

    Columns with ink form runs split by gaps of 3 or more blank columns. The first run is the
    mark when it starts in the left half of a square of the box's height and ends inside it;
    then the caption starts at the next run. A mark drawn in low contrast (dark themes) shows
    no ink: then the first run is the caption. Falls back to the box's height."""
    x, y, w, h = _clip(box, rgb.shape[1], rgb.shape[0])
    if w < 2 * h or h < 6:
        return box[3]
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[y:y + h, x:x + w]), cv2.COLOR_RGB2GRAY)
    inked = (np.abs(grey.astype(np.int16) - int(np.median(grey))) > 40).any(axis=0)
    runs, start, blank = [], None, 0
    for col, on in enumerate(inked):
        if on:
            start, blank = (col if start is None else start), 0
        elif start is not None:
            blank += 1
            if blank == 3:
                runs.append((start, col - 3))
                start = None
    if start is not None:
        runs.append((start, w - 1))
    if not runs:
        return box[3]
    first = runs[0]
    is_mark = first[0] < h / 2 and first[1] < h
    if is_mark:
        return max(runs[1][0] - 1, 0) if len(runs) > 1 else box[3]
    return max(first[0] - 1, 0)


def sprite_mask(shape: tuple[int, ...], origin: tuple[int, int],
                pointer: PointerMatch | None) -> np.ndarray:
    """Where the pointer's sprite, grown by a pixel, lies in a crop of ``shape`` taken at
    ``origin`` (all False for a pointer known only from a hint)."""
    out = np.zeros(shape[:2], bool)
    if pointer is None or pointer.sprite is None:
        return out
    mask = cv2.dilate(pointer.sprite.mask.astype(np.uint8), np.ones((3, 3), np.uint8))
    ys, xs = np.nonzero(mask)
    ys, xs = ys + pointer.bbox[1] - origin[1], xs + pointer.bbox[0] - origin[0]
    keep = (ys >= 0) & (xs >= 0) & (ys < out.shape[0]) & (xs < out.shape[1])
    out[ys[keep], xs[keep]] = True
    return out


def without_sprite(crop: np.ndarray, origin: tuple[int, int],
                   pointer: PointerMatch) -> np.ndarray:
    """A copy of ``crop`` with the pointer's sprite painted in the crop's background colour."""
    out = np.array(crop)
    covered = sprite_mask(out.shape, origin, pointer)
    if covered.any():
        out[covered] = np.median(out.reshape(-1, 3), axis=0).astype(np.uint8)
    return out


def text_ink(crop: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """A line's glyphs as dark ink on white whatever their colours (dark on light, light on
    a lit band): each pixel's distance from the background level, stretched so the strongest
    ink off the ``covered`` pixels is black."""
    grey = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY)
    ink = np.abs(grey.astype(np.float32) - background_level(grey))
    seen = ink[~covered]
    top = max(float(np.percentile(seen, 99)) if seen.size else 0.0, 1.0)
    return (255 - np.clip(ink * (255 / top), 0, 255)).astype(np.uint8)


def uncovered_text(a: np.ndarray, covered_a: np.ndarray, b: np.ndarray,
                   covered_b: np.ndarray) -> np.ndarray | None:
    """One picture of a line of text from two of the same place that the pointer covered in
    different parts (a menu's item as the menu opened and, lit, as it closed): the ink of
    ``a`` with the part its pointer hid taken from ``b``. None when ``a`` hid nothing, or
    the two hid much of the same part.

    >>> a = np.full((10, 40, 3), 255, np.uint8); a[2:8, 5:35:3] = 0
    >>> lit = 255 - a                                   # the same text, lit
    >>> hid_a = np.zeros((10, 40), bool); hid_a[:, 5:12] = True
    >>> hid_b = np.zeros((10, 40), bool); hid_b[:, 25:32] = True
    >>> whole = uncovered_text(np.where(hid_a[..., None], 128, a).astype(np.uint8), hid_a,
    ...                        lit, hid_b)
    >>> bool((whole[..., 0] == a[..., 0]).all()), uncovered_text(a, hid_a, lit, hid_a)
    (True, None)
    """
    if a.shape != b.shape or not covered_a.any() or (
            (covered_a & covered_b).sum() > 0.2 * covered_a.sum()):
        return None
    ink = text_ink(a, covered_a)
    ink[covered_a] = text_ink(b, covered_b)[covered_a]
    return np.repeat(ink[..., None], 3, axis=2)


_TALLEST_FIELD = 160
"""The tallest text field :func:`field_around` finds (px): a text area of a few lines."""


def field_around(rgb: np.ndarray, change: BBox) -> BBox | None:
    """The text field a change of text lies in, found without the detector: the flat area of
    one colour around the change (the field's inside), bounded by its frame.

    Returns the box of the field (its frame included) when that area has the shape of a text
    field, one line or several: 14 to :data:`_TALLEST_FIELD` px tall, wider than tall, and not
    the whole window.
    """
    height, width = rgb.shape[:2]
    x, y, w, h = change
    seed_x, seed_y = x - 2, y + h // 2
    if not (0 <= seed_x < width and 0 <= seed_y < height) or h > _TALLEST_FIELD:
        return None
    reach = _TALLEST_FIELD - h
    x0, y0 = max(0, x - 600), max(0, y - reach)
    x1, y1 = min(width, x + w + 600), min(height, y + h + reach)
    area = cv2.cvtColor(np.ascontiguousarray(rgb[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY)
    mask = np.zeros((area.shape[0] + 2, area.shape[1] + 2), np.uint8)
    flags = 4 | cv2.FLOODFILL_MASK_ONLY | cv2.FLOODFILL_FIXED_RANGE | (255 << 8)
    cv2.floodFill(area, mask, (seed_x - x0, seed_y - y0), 0, 6, 6, flags)
    filled = mask[1:-1, 1:-1] > 0
    rows = np.flatnonzero(filled.any(axis=1))
    cols = np.flatnonzero(filled.any(axis=0))
    if len(rows) == 0:
        return None
    fx0, fx1 = int(cols[0]) + x0 - 2, int(cols[-1]) + x0 + 3
    fy0, fy1 = int(rows[0]) + y0 - 2, int(rows[-1]) + y0 + 3
    fw, fh = fx1 - fx0, fy1 - fy0
    touches = rows[0] == 0 or rows[-1] == area.shape[0] - 1 or cols[0] == 0 or (
        cols[-1] == area.shape[1] - 1)
    if touches or not (14 <= fh <= _TALLEST_FIELD and fw >= 1.5 * fh and fw <= 0.7 * width):
        return None
    return (fx0, fy0, fw, fh)


MARK_SIDES = (7, 26)
"""Smallest and largest inside of a check box or radio button (px, at the scales captured)."""


def mark_box(unmarked: np.ndarray, change: BBox) -> tuple[str, BBox] | None:
    """The check box or radio button a change lies inside, found without the detector: in
    ``unmarked``, the frame where it shows no mark, the flat area of one colour around the
    change (its inside), small, square, bounded on every side and filling most of its square.
    A round inside fills less of its square than a square one does: then it is a radio button.

    Returns the role and the box (its frame included), or None.
    """
    height, width = unmarked.shape[:2]
    x, y, w, h = change
    cx, cy = x + w // 2, y + h // 2
    reach = MARK_SIDES[1] + 4
    x0, y0 = max(0, cx - reach), max(0, cy - reach)
    x1, y1 = min(width, cx + reach + 1), min(height, cy + reach + 1)
    area = cv2.cvtColor(np.ascontiguousarray(unmarked[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY)
    mask = np.zeros((area.shape[0] + 2, area.shape[1] + 2), np.uint8)
    flags = 4 | cv2.FLOODFILL_MASK_ONLY | cv2.FLOODFILL_FIXED_RANGE | (255 << 8)
    cv2.floodFill(area, mask, (cx - x0, cy - y0), 0, 6, 6, flags)
    filled = mask[1:-1, 1:-1] > 0
    rows, cols = np.flatnonzero(filled.any(axis=1)), np.flatnonzero(filled.any(axis=0))
    fw, fh = int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)
    touches = rows[0] == 0 or cols[0] == 0 or rows[-1] == area.shape[0] - 1 or (
        cols[-1] == area.shape[1] - 1)
    low, high = MARK_SIDES
    share = filled.sum() / float(fw * fh)
    if touches or share < 0.65 or not (low <= fw <= high and low <= fh <= high
                                       and abs(fw - fh) <= 2):
        return None  # not the inside of a box (a stroke of a mark, text, the background)
    bx, by = x0 + int(cols[0]), y0 + int(rows[0])
    if not (bx - 2 <= x and y >= by - 2 and x + w <= bx + fw + 2 and y + h <= by + fh + 2):
        return None  # the change spills out of it: not a mark drawn inside
    return "radio" if share < 0.86 else "checkbox", (bx - 1, by - 1, fw + 2, fh + 2)


def caption_end(rgb: np.ndarray, box: BBox, gap: int = 12) -> int | None:
    """Where the caption right of a box ends (x), the caption starting within ``gap`` px of
    the box and ending at the first ``gap`` px without ink; None when there is none."""
    height, width = rgb.shape[:2]
    x, y, w, h = _clip(box, width, height)
    start = x + w + 1
    band = cv2.cvtColor(np.ascontiguousarray(rgb[y:y + h, start:min(width, start + 600)]),
                        cv2.COLOR_RGB2GRAY).astype(np.int16)
    if band.size == 0:
        return None
    inked = np.flatnonzero((np.abs(band - int(np.median(band))) > 60).any(axis=0))
    if len(inked) == 0 or inked[0] > gap:
        return None
    breaks = np.flatnonzero(np.diff(inked) > gap)
    return start + int(inked[breaks[0]] if len(breaks) else inked[-1]) + 1


_KEPT_SCORE = 0.5
"""Detection score a lost check box needs to be kept: a weak one may be no check box at all."""
_REDRAWN = 0.35
"""Share of an element's pixels that may change by more than codec noise while it is still
the same control, redrawn (a focus ring, a check mark, a hover tint)."""


def _as_before(found: Element, gone: tuple[Element, ...], added: list[Element]) -> Element:
    """``found`` with the role of the element ``gone`` from its place, where that one was
    found with a clearly higher score and nothing of its role is found there now."""
    was = next((e for e in gone if e.role != found.role and iou(e.bbox, found.bbox) > 0.7
                and _weaker(found, e)), None)
    if was is None or any(a.role == was.role and iou(a.bbox, was.bbox) > 0.5 for a in added):
        return found
    return replace(found, role=was.role)


def _weaker(found: Element, kept: Element) -> bool:
    """Whether ``found``, of another role, is a weak sighting beside a box kept with a
    clearly higher score (by a third at least)."""
    return found.role not in ("checkbox", "radio") and found.score <= 0.75 * kept.score


def still_drawn(prev: np.ndarray, now: np.ndarray, box: BBox) -> bool:
    """Whether the element in ``box`` is still drawn where it was: few of its pixels changed
    by more than codec noise. A dialog or menu over it, or a new page, changes most."""
    x, y, w, h = _clip(box, now.shape[1], now.shape[0])
    a, b = prev[y:y + h, x:x + w], now[y:y + h, x:x + w]
    if a.size == 0:
        return False
    changed = cv2.absdiff(a, b).max(axis=2) > 48
    return float(changed.mean()) < _REDRAWN


def median_colour(rgb: np.ndarray, box: BBox) -> np.ndarray:
    """The median RGB colour of ``box`` (clipped to the frame; black where nothing is left)."""
    x, y, w, h = box
    crop = rgb[max(0, y):y + h, max(0, x):x + w].reshape(-1, 3)
    return np.median(crop, axis=0) if crop.size else np.zeros(3)


def _medians(prev: np.ndarray, now: np.ndarray,
             box: BBox) -> tuple[np.ndarray, np.ndarray] | None:
    """The median colour of ``box`` in two frames (None where the box is empty)."""
    x, y, w, h = box
    a = prev[y:y + h, x:x + w].reshape(-1, 3).astype(np.float32)
    b = now[y:y + h, x:x + w].reshape(-1, 3).astype(np.float32)
    return (np.median(a, axis=0), np.median(b, axis=0)) if a.size else None


def lit_up(prev: np.ndarray, now: np.ndarray, box: BBox) -> bool:
    """The box's background turned to a highlight colour: more saturated, or darker."""
    medians = _medians(prev, now, box)
    return medians is not None and highlight_of(*medians)


def highlight_of(plain: np.ndarray, colour: np.ndarray) -> bool:
    """Whether ``colour`` is a highlight on a ``plain`` background (both RGB): far from it,
    and more saturated or darker."""
    return float(np.abs(colour - plain).max()) > 30 and (
        np.ptp(colour) > np.ptp(plain) + 20 or colour.mean() < plain.mean() - 30)


def recoloured(prev: np.ndarray, now: np.ndarray, box: BBox, level: float = 12.0) -> bool:
    """The box's background changed colour (its median moved by more than ``level`` in some
    channel), however faintly: a hover highlight turning into a muted selection."""
    medians = _medians(prev, now, box)
    return medians is not None and float(np.abs(medians[1] - medians[0]).max()) > level


def ink(rgb: np.ndarray, box: BBox, around: BBox | None = None) -> float:
    """Share of a box's pixels far from its median colour: how much is drawn inside it.

    With ``around``, far from the median of that larger box instead: a mark that fills most
    of a small box (a radio button's dot) is its own median."""
    x, y, w, h = _clip(box, rgb.shape[1], rgb.shape[0])
    if w == 0 or h == 0:
        return 0.0
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[y:y + h, x:x + w]), cv2.COLOR_RGB2GRAY)
    if around is None:
        reference = int(np.median(grey))
    else:
        ax, ay, aw, ah = _clip(around, rgb.shape[1], rgb.shape[0])
        reference = int(np.median(cv2.cvtColor(np.ascontiguousarray(
            rgb[ay:ay + ah, ax:ax + aw]), cv2.COLOR_RGB2GRAY)))
    return float(np.mean(np.abs(grey.astype(np.int16) - reference) > 60))
