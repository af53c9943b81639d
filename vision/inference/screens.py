"""Screen changes: navigations and dialogs opening or closing.

A dialog is a new window over the screen: a title bar (or, for web modals, a bordered box with
a header band) appears in a changed area that does not fill the frame. It closes when its title
bar goes away and the content it covered shows again. A navigation is the window's content
replaced: most of the window changes at once, not by scrolling, without a new title bar, and
stays changed (a flash that reverts is no navigation).

On a light window both can be faint: a form replaced by another changes little more than its
words, and a small message box opening greys its owner's title and shows a pressed button
elsewhere, so the change spans the window while its pixels barely move. Such a change is a
message box when a framed box with a header band, centred on its window, holds a good share of
it, and a navigation otherwise, unless it is fainter still. A plainer wide change is a message
box only when the box is clearly a dialog (a full border and header band).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..diff import BBox, FrameDiff
from ..events import ScreenChange
from ..frames import DecodedFrame
from .candidates import Candidate
from .screen import Element, ScreenModel, iou, overlap

__all__ = ["ScreenChanges", "dialog_score", "NAVIGATION_SPREAD"]

_CONFIRM_MS = 400
"""A navigation must stay changed this long."""
NAVIGATION_SPREAD = 0.3
"""Share of the frame that changed areas must span for a navigation."""
_BAR_CHANGE = 10
"""Grey levels a pixel must move by to count as changed (codec noise stays under it)."""


@dataclass(frozen=True)
class _Dialog:
    bbox: BBox
    titlebar: BBox | None
    title: str | None


@dataclass(frozen=True)
class _PendingNavigation:
    candidate: Candidate
    before: np.ndarray    # quarter-resolution grey of the screen before the change
    moved: float          # mean grey difference of the changed screen from ``before``


def _quarter(rgb: np.ndarray) -> np.ndarray:
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    h, w = grey.shape
    return cv2.resize(grey, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)


def _distance(before: np.ndarray, rgb: np.ndarray) -> float:
    """Mean grey difference of a frame from the quarter-resolution grey ``before``."""
    now = _quarter(rgb)
    return float(np.mean(cv2.absdiff(now, before))) if now.shape == before.shape else 255.0


_FAINT = 0.8
"""Mean grey difference (quarter resolution, whole frame) under which a wide change is too
faint for a navigation. A form replaced by another on a light window changes little more
than its words: about 1 to 2 grey levels on a 1920 x 1080 frame."""
_LIGHT = 2.0
"""Under this mean grey difference, a wide change may be a small message box opening or closing
(its owner's title greying, the button pressed elsewhere), which is looked for first."""
_CLEAR_DIALOG = 0.85
""":func:`dialog_score` from which a box in a plainer change is taken for a dialog: a panel
of a new page may be framed and centred too, but seldom with a full border and header band."""
_PAGE_BEHIND = 0.14
"""Share of the frame's pixels changing as a dialog closes from which the page behind it was
replaced too: a dialog closing onto the page it covered changes its own place and its
owner's bars, 3 to 13 % of a 1920 x 1080 frame in the suite's sessions."""
_CAME_BACK = 0.3
"""A pending navigation is undone when the screen is back within this share of the
difference the navigation made."""


def _mostly_elsewhere(diff: FrameDiff, box: BBox) -> bool:
    """Whether most of the pixels that changed lie in regions outside ``box`` (a dialog that
    closed): the window under it changed as well."""
    inside = sum(r.changed for r in diff.regions if overlap(r.bbox, box)
                 >= 0.5 * r.bbox[2] * r.bbox[3])
    return sum(r.changed for r in diff.regions) - inside > inside


def _union(boxes: list[BBox]) -> BBox:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def dialog_score(grey: np.ndarray, bbox: BBox, frame_size: tuple[int, int]) -> float:
    """How much a newly changed rectangle looks like a dialog (0 to 1), from pixels alone.

    Cues: a size between a tooltip's and the whole window's, a border or shadow along most of
    its outline, and a header band: a line across nearly the whole width near the top.
    """
    x, y, w, h = bbox
    fw, fh = frame_size
    area = (w * h) / float(fw * fh)
    if w < 160 or h < 80 or not 0.01 <= area <= 0.7:
        return 0.0
    pad = 3
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(fw, x + w + pad), min(fh, y + h + pad)
    crop = grey[y0:y1, x0:x1].astype(np.int16)
    gy = np.abs(np.diff(crop, axis=0)) > 24
    gx = np.abs(np.diff(crop, axis=1)) > 24
    top = gy[:2 * pad + 1].any(axis=0).mean()
    bottom = gy[-(2 * pad + 1):].any(axis=0).mean()
    left = gx[:, :2 * pad + 1].any(axis=1).mean()
    right = gx[:, -(2 * pad + 1):].any(axis=1).mean()
    border = float(np.mean([top, bottom, left, right]))
    band = gy[2 * pad + 1:max(2 * pad + 2, h // 5)]
    header = float(band.mean(axis=1).max()) if band.size else 0.0
    return float(np.clip(0.6 * border + 0.4 * min(1.0, header / 0.8), 0.0, 1.0))


_BOX_SHARE = 0.3
"""Share of a frame's changed pixels a message box opening or closing holds, at least."""
_OFF_CENTRE = 0.03
"""How far (a share of the width) a message box's middle may lie from its window's."""


def _centred(box: BBox, frame_size: tuple[int, int], screen: ScreenModel) -> bool:
    """Whether a box lies across the middle of the frame or of a window (its title bar's)."""
    spans = [(0, frame_size[0])] + [(e.bbox[0], e.bbox[0] + e.bbox[2])
                                    for e in screen.elements if e.role == "titlebar"]
    middle = box[0] + box[2] / 2
    return any(abs(middle - (a + b) / 2) <= _OFF_CENTRE * (b - a) for a, b in spans)


_STRUCTURE = ("button", "textbox", "checkbox", "radio", "combobox", "tab", "link", "text")


def _same_place(a: Element, b: Element) -> bool:
    """Same role on the same row, overlapping sideways (a column header may resize)."""
    if a.role != b.role or abs(a.bbox[1] - b.bbox[1]) > 4:
        return False
    side = min(a.bbox[0] + a.bbox[2], b.bbox[0] + b.bbox[2]) - max(a.bbox[0], b.bbox[0])
    return side >= 0.5 * min(a.bbox[2], b.bbox[2])


def _same_structure(screen: ScreenModel, regions: list[BBox]) -> bool:
    """The changed areas keep their controls: a list or table was refilled, not a new screen.

    True when the areas held (and hold) at most rows and cells, or when most of the controls
    and labels they held are still there, in the same places.
    """
    def inside(e: Element) -> bool:
        return e.role in _STRUCTURE and sum(overlap(e.bbox, r) for r in regions) >= 0.5 * e.area

    before = [e for e in screen.previous if inside(e)]
    now = [e for e in screen.elements if inside(e)]
    if len(before) < 2 and len(now) < 2:
        return bool(screen.previous)  # nothing but rows and cells: a refill
    kept = sum(any(_same_place(b, n) for n in now) for b in before)
    return kept >= 0.6 * max(len(before), len(now))


def _box_by_greyed_owner(diff: FrameDiff, screen: ScreenModel) -> BBox | None:
    """The one area that changed besides a window's title bar and the bars hanging under it
    (its menu and tool bar greyed as a message box takes the focus, or lit again as it
    closes): the box, then. None where more changed: a new page changes the window's content
    below its bars as well."""
    total = sum(r.changed for r in diff.regions)
    bars = [e.bbox for e in screen.previous + screen.elements if e.role == "titlebar"]
    big = [r.bbox for r in diff.regions if r.changed >= 0.05 * total]

    def bar_strip(region: BBox) -> bool:
        return any(overlap(b, region) >= 0.8 * b[2] * b[3] and abs(region[1] - b[1]) <= 8
                   and region[3] <= 5 * b[3] for b in bars)

    rest = [r for r in big if not bar_strip(r)]
    return rest[0] if len(big) >= 2 and len(rest) == 1 else None


def _tabs_stayed(screen: ScreenModel, box: BBox) -> bool:
    """Tabs along the top of a changed area, where they were before: a tab page switched.

    A dialog covers what was under it, so no control of the window stays in place at its top.
    """
    return any(e.role == "tab" and overlap(e.bbox, box) >= 0.5 * e.area
               and e.bbox[1] - box[1] <= 2 * e.bbox[3]
               and any(_same_place(e, b) for b in screen.previous)
               for e in screen.elements)


def _same_bar(a: BBox, b: BBox) -> bool:
    """Two boxes of one title bar: the same row, mostly overlapping sideways."""
    if abs(a[1] - b[1]) > 4 or abs(a[3] - b[3]) > 4:
        return False
    side = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    return side >= 0.8 * min(a[2], b[2])


def _bar_stayed(prev: np.ndarray, now: np.ndarray, bar: BBox) -> bool:
    """The bar's pixels are mostly as they were: only its text changed, if anything.

    A dialog's bar covers what was there before, so most of its pixels change; a retitled
    window keeps its bar's background, and a title's letters cover well under half of it.
    """
    x, y, w, h = bar
    before = prev[y:y + h, x:x + w].astype(np.int16)
    after = now[y:y + h, x:x + w].astype(np.int16)
    if before.size == 0 or before.shape != after.shape:
        return False
    return float((np.abs(before - after).max(axis=2) > _BAR_CHANGE).mean()) < 0.4


def _title_text(screen: ScreenModel, bar: BBox) -> str | None:
    """A title bar's text, its caption buttons (minimise, maximise, close) left out."""
    x, y, w, h = bar
    return screen.text((x, y, w - int(min(0.35 * w, 4.5 * h)), h)) or None


def _window_title(screen: ScreenModel) -> str | None:
    """The text of the widest title bar on screen: the main window's."""
    bars = [e for e in screen.elements if e.role == "titlebar"]
    if not bars:
        return None
    return _title_text(screen, max(bars, key=lambda e: e.bbox[2]).bbox)


class ScreenChanges:
    """Tracks navigations and the stack of open dialogs across frames."""

    hold_back_ms = _CONFIRM_MS

    def __init__(self) -> None:
        self._dialogs: list[_Dialog] = []
        self._pending: _PendingNavigation | None = None

    def watermark(self) -> int | None:
        """Earliest ``t_ms`` a future candidate may carry (a navigation being confirmed)."""
        return None if self._pending is None else self._pending.candidate.t_ms

    @property
    def dialog_open(self) -> bool:
        return bool(self._dialogs)

    @property
    def navigation_pending(self) -> Candidate | None:
        """The navigation seen starting and not confirmed yet (held back a few frames)."""
        return None if self._pending is None else self._pending.candidate

    def push(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel) -> list[Candidate]:
        out: list[Candidate] = []
        if self._pending is not None:
            out += self._confirm(frame, diff)
        prev = screen.prev_frame
        if prev is None or prev.rgb.shape != frame.rgb.shape:
            self._dialogs.clear()
            return out
        if diff.kind == "unchanged" or not diff.regions:
            return out
        changed = _union([r.bbox for r in diff.regions])
        width, height = frame.size
        spread = changed[2] * changed[3] / float(width * height)
        fraction = round(diff.changed_fraction, 3)
        title = self._title_bars(screen, changed)
        if title["gone"] and self._dialogs:
            dialog = self._dialogs.pop()
            out.append(self._event(frame, "dialog_close", fraction, 0.85, dialog.bbox,
                                   dialog.title))
            if (diff.kind == "new_screen" or diff.changed_fraction >= _PAGE_BEHIND) and (
                    _mostly_elsewhere(diff, dialog.bbox)) and not _same_structure(
                        screen, [r.bbox for r in diff.regions]):
                # much of the frame changed, mostly outside the dialog: its button led to
                # another page (a window under it redrawn in part is no navigation)
                self._dialogs.clear()
                before = _quarter(prev.rgb)
                self._start_navigation(frame, before, _distance(before, frame.rgb), fraction,
                                       diff, _window_title(screen))
            return out
        for bar in title["new"]:
            body = next((r.bbox for r in diff.regions if overlap(r.bbox, bar.bbox)), changed)
            # a window hangs below its bar; a bar alone is a row lit up as selected
            below = body[1] + body[3] - (bar.bbox[1] + bar.bbox[3])
            if (body[2] * body[3] < 0.8 * width * height
                    and bar.bbox[1] - body[1] <= 2 * bar.bbox[3] and below >= 2 * bar.bbox[3]):
                name = _title_text(screen, bar.bbox)
                self._dialogs.append(_Dialog(body, bar.bbox, name))
                return out + [self._event(frame, "dialog_open", fraction, 0.9, body, name)]
        if (diff.kind == "new_screen" or spread >= NAVIGATION_SPREAD) and not _same_structure(
                screen, [r.bbox for r in diff.regions]):
            if self._dialogs and self._covered_back(screen, diff):
                dialog = self._dialogs.pop()
                return out + [self._event(frame, "dialog_close", fraction, 0.7, dialog.bbox,
                                          dialog.title)]
            before = _quarter(prev.rgb)
            moved = _distance(before, frame.rgb)
            # a message box over a light window, or a light form replaced; where the change
            # is plain, only a box that is clearly a dialog
            box = _box_by_greyed_owner(diff, screen)
            boxed = self._message_box(frame, diff, screen, fraction, least=0.6 if (
                moved < _LIGHT or box is not None) else _CLEAR_DIALOG, only=box)
            if boxed or moved < _FAINT:
                return out + boxed
            self._dialogs.clear()
            self._start_navigation(frame, before, moved, fraction, diff, _window_title(screen))
            return out
        if not title["seen"]:
            out += self._pixel_dialogs(frame, diff, screen, fraction)
        return out

    def flush(self) -> list[Candidate]:
        pending, self._pending = self._pending, None
        return [pending.candidate] if pending is not None else []

    # --- cues ---------------------------------------------------------------------------------

    @staticmethod
    def _title_bars(screen: ScreenModel, changed: BBox) -> dict[str, list[Element]]:
        """Title bars in the changed area: new ones, gone ones, and whether any are known.

        A bar that stayed where it was with other text (a window retitled by a navigation)
        is neither new nor gone, even when the detector's box of it moved a little.
        """
        now = [e for e in screen.elements if e.role == "titlebar"]
        before = [e for e in screen.previous if e.role == "titlebar"]
        prev, rgb = screen.prev_frame.rgb, screen.frame.rgb
        height, width = rgb.shape[:2]

        def changed_there(bar: BBox) -> bool:
            # a light dialog's bar over a light page changes few of its pixels; a bar in
            # the middle of the screen, narrower than it, is no window's bar retitled
            inset = bar[1] >= 0.1 * height and bar[2] <= 0.6 * width
            return inset or not _bar_stayed(prev, rgb, bar)

        new = [e for e in now if overlap(e.bbox, changed) >= 0.5 * e.area
               and not any(_same_bar(e.bbox, b.bbox) for b in before) and changed_there(e.bbox)]
        gone = [b for b in before if overlap(b.bbox, changed) >= 0.5 * b.area
                and not any(_same_bar(b.bbox, e.bbox) for e in now) and changed_there(b.bbox)]
        return {"new": new, "gone": gone, "seen": bool(now or before)}

    def _covered_back(self, screen: ScreenModel, diff: FrameDiff) -> bool:
        """A big change that takes a dialog away (its content gone, no title bars known),
        most of it where the dialog was: a new page replacing the window changes it mostly
        elsewhere."""
        top = self._dialogs[-1]
        there = sum(r.changed for r in diff.regions if overlap(r.bbox, top.bbox)
                    >= 0.5 * r.bbox[2] * r.bbox[3])
        return (top.titlebar is None and not screen.within(top.bbox, ("titlebar",))
                and there >= 0.5 * sum(r.changed for r in diff.regions))

    def _event(self, frame: DecodedFrame, kind: str, fraction: float, evidence: float,
               bbox: BBox, title: str | None = None) -> Candidate:
        return Candidate(frame.frame_id, frame.t_ms,
                         ScreenChange(kind=kind, title=title, changed_fraction=fraction),
                         evidence, {"bbox": bbox, "changed_fraction": fraction})

    def _message_box(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel,
                     fraction: float, least: float, only: BBox | None = None) -> list[Candidate]:
        """A message box whose title bar the detector missed, its :func:`dialog_score` at
        least ``least``.

        It opens as a framed box with a header band (:func:`dialog_score`), placed across the
        middle of the frame or of a window, holding a good share of what changed (the rest is
        the button pressed, the owner's title greying); ``only`` that area, placed anywhere,
        where the owner's bars greying are all else that changed
        (:func:`_box_by_greyed_owner`). It closes as the same box changes back.
        """
        total = sum(r.changed for r in diff.regions)
        regions = ([r for r in diff.regions if r.bbox == only] if only is not None else
                   [r for r in sorted(diff.regions, key=lambda r: -r.changed)
                    if r.changed >= _BOX_SHARE * total])
        top = self._dialogs[-1] if self._dialogs else None
        if top is not None and top.titlebar is None and any(iou(r.bbox, top.bbox) > 0.7
                                                            for r in regions):
            return self._pixel_dialog_closed(frame, fraction)
        grey = None
        for region in regions:
            if only is None and not _centred(region.bbox, frame.size, screen):
                continue
            grey = cv2.cvtColor(frame.rgb, cv2.COLOR_RGB2GRAY) if grey is None else grey
            score = dialog_score(grey, region.bbox, frame.size)
            if score >= least:
                return self._pixel_dialog_opened(frame, fraction, region.bbox, score)
        return []

    def _pixel_dialogs(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel,
                       fraction: float) -> list[Candidate]:
        """Dialogs from pixels alone, for screens whose title bars the detector did not see."""
        grey = cv2.cvtColor(frame.rgb, cv2.COLOR_RGB2GRAY)
        for region in diff.regions:
            if _tabs_stayed(screen, region.bbox):
                continue
            score = dialog_score(grey, region.bbox, frame.size)
            if score >= 0.6:
                return self._pixel_dialog_opened(frame, fraction, region.bbox, score)
        if self._dialogs and any(iou(r.bbox, self._dialogs[-1].bbox) > 0.7
                                 for r in diff.regions):
            return self._pixel_dialog_closed(frame, fraction)
        return []

    def _pixel_dialog_opened(self, frame: DecodedFrame, fraction: float, bbox: BBox,
                             score: float) -> list[Candidate]:
        self._dialogs.append(_Dialog(bbox, None, None))
        return [self._event(frame, "dialog_open", fraction, 0.6 * score, bbox)]

    def _pixel_dialog_closed(self, frame: DecodedFrame, fraction: float) -> list[Candidate]:
        dialog = self._dialogs.pop()
        return [self._event(frame, "dialog_close", fraction, 0.5, dialog.bbox)]

    # --- navigations --------------------------------------------------------------------------

    def _start_navigation(self, frame: DecodedFrame, before: np.ndarray, moved: float,
                          fraction: float, diff: FrameDiff, title: str | None) -> None:
        candidate = Candidate(frame.frame_id, frame.t_ms,
                              ScreenChange(kind="navigation", title=title,
                                           changed_fraction=fraction),
                              evidence=min(1.0, 0.5 + fraction),
                              features={"changed_fraction": fraction, "kind": diff.kind})
        self._pending = _PendingNavigation(candidate, before, moved)

    def _confirm(self, frame: DecodedFrame, diff: FrameDiff) -> list[Candidate]:
        pending = self._pending
        # checked where the frame changed: an unchanged one looks as the one checked last
        if diff.kind != "unchanged" and _distance(pending.before,
                                                  frame.rgb) < _CAME_BACK * pending.moved:
            self._pending = None  # the screen came back: a flash, not a navigation
            return []
        if frame.t_ms - pending.candidate.t_ms < _CONFIRM_MS:
            return []
        self._pending = None
        return [pending.candidate]
