"""Clicks, inferred from their visible results.

A click shows as a reaction on the screen: focus entering a text field, a check box or radio
button toggling, a row becoming selected, or a button (link, tab, icon) followed by a new
screen, a dialog, a message or a change elsewhere. The point is the pointer's hot spot when the
pointer is drawn in the frames or hinted by the capture side, else the target's centre. Focus
that moves while the pointer is seen elsewhere is the keyboard's (Tab) and gives no click; with
no pointer in sight the frames cannot tell, and the click's evidence says so. Where no pointer
is drawn at all (a client that leaves it out of the frames), the button that changed its look
last (hovered, pressed) stands in for it before a result.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ..diff import BBox, FrameDiff
from ..events import Click, Target
from ..frames import DecodedFrame
from ..ocr import TextRead
from .candidates import Candidate
from .screen import (MARK_SIDES, Element, ScreenModel, caption_end, centre, contains, grow, ink,
                     inside, iou, lit_up, mark_box, median_colour, name_text, overlap, recoloured,
                     same_place, without_sprite)

__all__ = ["Clicks", "PointerTrail", "click_candidate"]

_RECENT_MS = 1500
"""How long before its visible result a click's pointer position still counts."""
_UNSEEN_SCORE = 0.25
"""Detection score given to a check box found without the detector."""
_BLINKS_MS = 2000
"""Longest a focused field's caret goes unseen (blinking, sampled at 2 frames a second)."""
_PRESSABLE = ("button", "link", "icon", "tab", "menuitem")
_CLEAR_BOX = 0.5
"""Detection score of a check box seen clearly enough to be followed when the detector finds
it a few pixels off."""
_POINTER_MESS = 4000
"""Largest change (px) taken for the pointer's own: its sprite moved, with what lit up
under it on the way."""


@dataclass(frozen=True)
class _Seen:
    t_ms: int
    x: int
    y: int


def _accent(rgb: np.ndarray, box: BBox) -> float:
    """Share of a box's pixels in a strong colour (an accent: underline, coloured caption)."""
    x, y, w, h = box
    crop = rgb[max(0, y):y + h, max(0, x):x + w]
    if crop.size == 0:
        return 0.0
    hsv = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2HSV)
    return float(np.mean((hsv[..., 1] > 90) & (hsv[..., 2] > 60)))


def _selected_tab(prev: np.ndarray, rgb: np.ndarray, tabs: list[Element], page_box: BBox,
                  bottom: int) -> Element:
    """The tab that became selected, seen without the pointer. Styles mark it one of two ways:
    an accent colour appears on it (flat styles: a coloured underline or caption), or it joins
    its page (3D styles: the same fill, no rule under it). The accent is tried first."""
    gained = [_accent(rgb, t.bbox) - _accent(prev, t.bbox) for t in tabs]
    if max(gained) > 0.02:
        return tabs[int(np.argmax(gained))]
    page = median_colour(rgb, (page_box[0], bottom + 3, page_box[2], 4))

    def unlike_page(image: np.ndarray, t: Element) -> float:
        x, y, w, h = t.bbox
        fill = median_colour(image, (x + 3, y + 3, w - 6, h - 6))
        edge = median_colour(image, (x + 3, y + h - 1, w - 6, 3))
        return float(np.abs(fill - page).sum() + np.abs(edge - page).sum())

    return min(tabs, key=lambda t: unlike_page(rgb, t) - unlike_page(prev, t))


class PointerTrail:
    """Where the pointer was over the last seconds (from the diff stage)."""

    def __init__(self) -> None:
        self._trail: deque[_Seen] = deque(maxlen=64)

    def push(self, frame: DecodedFrame, diff: FrameDiff) -> None:
        p = diff.pointer
        if p is not None:
            self._trail.append(_Seen(frame.t_ms, p.x, p.y))
        while self._trail and frame.t_ms - self._trail[0].t_ms > 4 * _RECENT_MS:
            self._trail.popleft()

    def latest(self, now_ms: int, within_ms: int = _RECENT_MS) -> tuple[int, int] | None:
        if self._trail and now_ms - self._trail[-1].t_ms <= within_ms:
            return self._trail[-1].x, self._trail[-1].y
        return None

    def seen_off(self, box: BBox, now_ms: int, pad: int = 6) -> bool:
        """Whether the pointer is in view in this frame, away from ``box`` (grown by ``pad``):
        what happened there was not its click."""
        now = self.latest(now_ms, within_ms=0)
        return now is not None and not contains(box, *now, pad)

    def last_before(self, now_ms: int) -> tuple[int, int] | None:
        """Where the pointer was last seen before ``now_ms``, within the recent past."""
        before = [s for s in self._trail if now_ms - _RECENT_MS <= s.t_ms < now_ms]
        return (before[-1].x, before[-1].y) if before else None

    def came_to(self, box: BBox, now_ms: int, since_ms: int) -> tuple[int, int, int] | None:
        """Where the pointer is on ``box`` in this frame, and when it was last seen off the
        box, if after ``since_ms`` and in the seconds before (it was brought there)."""
        now = self.latest(now_ms, within_ms=0)
        if now is None or not contains(box, *now, 2):
            return None
        off = [s.t_ms for s in self._trail if s.t_ms > since_ms
               and not contains(box, s.x, s.y, 6)]
        return (*now, off[-1]) if off else None

    def at(self, box: BBox, now_ms: int, *, pad: int = 6,
           within_ms: int = _RECENT_MS) -> tuple[int, int] | None:
        """Where the pointer clicked ``box`` (grown by ``pad``): its place in the frame before
        the result showed when it was on the box then, else its latest recent place there."""
        recent = [s for s in self._trail if now_ms - s.t_ms <= within_ms]
        before = [s for s in recent if s.t_ms < now_ms]
        if before and contains(box, before[-1].x, before[-1].y, pad):
            return before[-1].x, before[-1].y
        for seen in reversed(recent):
            if contains(box, seen.x, seen.y, pad):
                return seen.x, seen.y
        return None


def _below(box: BBox, y: int) -> BBox:
    """The part of ``box`` below the row ``y`` (empty when none is)."""
    top = max(box[1], y)
    return (box[0], top, box[2], max(0, box[1] + box[3] - top))


def _box_part(el: Element) -> BBox:
    """The square mark of a check box or radio button (its label may share the box)."""
    x, y, w, h = el.bbox
    side = min(w, h)
    return (x, y + (h - side) // 2, side, side)


def _changed_part(mark: BBox, regions) -> BBox | None:
    """Where ``mark`` changed: the changed regions within it, grown by 2 px, kept inside it.

    A tick or dot fills a small share of a box that also holds padding (a detector's box is
    often the row's height), so its ink is measured where it appeared, not over the box."""
    parts = []
    for r in regions:
        if not overlap(mark, r.bbox):
            continue
        x0, y0 = max(mark[0], r.bbox[0] - 2), max(mark[1], r.bbox[1] - 2)
        x1 = min(mark[0] + mark[2], r.bbox[0] + r.bbox[2] + 2)
        y1 = min(mark[1] + mark[3], r.bbox[1] + r.bbox[3] + 2)
        parts.append((x0, y0, x1, y1))
    if not parts:
        return None
    x0, y0 = min(p[0] for p in parts), min(p[1] for p in parts)
    x1, y1 = max(p[2] for p in parts), max(p[3] for p in parts)
    return x0, y0, x1 - x0, y1 - y0


def _unmarked_box(prev: np.ndarray, rgb: np.ndarray, change: BBox) -> tuple[str, BBox] | None:
    """The check box or radio button a mark was drawn in (or cleared from) at ``change``,
    found in whichever frame shows it unmarked.

    A mark breaks the box's flat inside, so the box is found in one frame only. Where both
    show a flat inside (a faint mark), the frame with less ink in the change is unmarked; a
    change the mark fills whole (a radio's dot) has no ink against its own median, which is
    why the box is looked for first."""
    before, after = mark_box(prev, change), mark_box(rgb, change)
    if before is None or after is None:
        return before or after
    return before if ink(rgb, change) > ink(prev, change) else after


def _row_text(screen: ScreenModel, el: Element, point: tuple[int, int]) -> TextRead | None:
    """The name of the row or cell picked at ``point`` where the detector's box holds part of
    its glyphs only (a few pixels off the row, or cutting a cell's text short), from the lines
    of text level with the pointer in the frame before it lit up: a list's item is all of its
    row's text, a table's cell the line over it. None where the box holds them whole."""
    rgb = screen.prev_frame.rgb
    height, width = rgb.shape[:2]
    x, _, w, _ = el.bbox
    if el.role == "cell":  # its text may run past a box cut short
        x, w = x - w // 2, 2 * w
    x0, x1 = max(0, x), min(width, x + w)
    y0 = max(0, min(point[1] - _ROW_REACH, el.bbox[1] - 4))
    y1 = min(height, max(point[1] + _ROW_REACH, el.bbox[1] + el.bbox[3] + 4))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    band = rgb[y0:y1, x0:x1]
    if screen.prev_pointer is not None and screen.prev_pointer.sprite is not None:
        band = without_sprite(band, (x0, y0), screen.prev_pointer)
    py, top, bottom = point[1] - y0, el.bbox[1] - y0, el.bbox[1] + el.bbox[3] - y0
    lines = [ln for ln in screen.reader.find_lines(np.ascontiguousarray(band)) if ln.text
             and ln.bbox[1] - _ROW_SLACK <= py <= ln.bbox[1] + ln.bbox[3] + _ROW_SLACK]
    if lines:
        # by a row's edge the pointer is on two rows' lines: the one the row's box holds
        # more of (a box a few pixels off still holds most of its own line)
        def held(ln) -> int:
            return min(ln.bbox[1] + ln.bbox[3], bottom) - max(ln.bbox[1], top)

        row = max(lines, key=held)
        lines = [ln for ln in lines if abs((ln.bbox[1] + ln.bbox[3] / 2)
                                           - (row.bbox[1] + row.bbox[3] / 2)) <= 4]
    if el.role == "cell":
        cell = (el.bbox[0] - x0, el.bbox[2])
        lines = [max(lines, key=lambda ln: min(ln.bbox[0] + ln.bbox[2], sum(cell))
                     - max(ln.bbox[0], cell[0]), default=None)]
        if lines[0] is None or min(lines[0].bbox[0] + lines[0].bbox[2], sum(cell)) <= max(
                lines[0].bbox[0], cell[0]):
            return None
    if not lines:
        return None
    # where the box holds the glyphs whole, its own reading stands (made from before the
    # pointer came onto it; here the pointer is painted out of the letters it covers)
    x_end = el.bbox[0] + el.bbox[2] - x0
    if not any(ln.bbox[1] < top - 2 or ln.bbox[1] + ln.bbox[3] > bottom + 2 or (
            el.role == "cell" and (ln.bbox[0] < el.bbox[0] - x0 - 2
                                   or ln.bbox[0] + ln.bbox[2] > x_end + 2)) for ln in lines):
        return None
    lines = sorted(lines, key=lambda ln: ln.bbox[0])
    text = name_text(el.role, " ".join(ln.text for ln in lines))
    if not text:
        return None
    score = min(ln.score for ln in lines)
    return TextRead(text, score, score)


def _cell_at(screen: ScreenModel, items: list[Element], row: BBox,
             point: tuple[int, int]) -> Element | None:
    """The cell under the pointer in a table's ``row`` where the detector found others of the
    row but not that one: the line of text the pointer lies on, as drawn before the row lit
    up, boxed as the row's cells are boxed."""
    cells = [e for e in items if e.role == "cell"]
    if not cells:
        return None
    rgb = screen.prev_frame.rgb
    x0, y0 = max(0, row[0]), max(0, row[1])
    x1, y1 = min(rgb.shape[1], row[0] + row[2]), min(rgb.shape[0], row[1] + row[3])
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    band = rgb[y0:y1, x0:x1]
    if screen.prev_pointer is not None and screen.prev_pointer.sprite is not None:
        band = without_sprite(band, (x0, y0), screen.prev_pointer)
    # a cell's text starts at its left (the pointer may lie past its end): the last line
    # that starts left of the pointer, with no cell the detector found between them
    px = point[0] - x0
    line = max((ln for ln in screen.reader.find_lines(np.ascontiguousarray(band))
                if ln.text and ln.bbox[0] - 6 <= px), key=lambda ln: ln.bbox[0], default=None)
    if line is None:
        return None
    box = (x0 + line.bbox[0] - 4, 0, line.bbox[2] + 8, 0)
    reach = (box[0], row[1], max(box[2], point[0] - box[0] + 1), row[3])
    if any(overlap(reach, e.bbox) for e in cells):
        return None
    like = min(cells, key=lambda e: abs(centre(e.bbox)[1] - point[1]))
    return Element("cell", (box[0], like.bbox[1], reach[2] + 4, like.bbox[3]), like.score)


def _unseen_row(screen: ScreenModel, row: BBox,
                point: tuple[int, int] | None) -> list[Element]:
    """A list's row the detector missed, changed under the pointer (whether it lit up is told
    as for any row): a change one row tall, starting where the rows of a list the detector
    found start (as items, or as cells alone in their rows), a row or two from one of them."""
    if point is None or not contains(row, *point):
        return []
    x, y, _, h = row
    rows = [e for e in screen.previous if e.role in ("listitem", "cell")
            and abs(e.bbox[3] - h) <= 6 and abs(e.bbox[0] - x) <= 8
            and 0 < abs(e.bbox[1] - y) <= 3 * h]
    rows = [e for e in rows if e.role == "listitem" or not any(
        o.role == "cell" and o is not e and abs(o.bbox[1] - e.bbox[1]) <= 3
        for o in screen.previous)]  # a table's row holds cells side by side
    return [Element("listitem", row, min(e.score for e in rows))] if rows else []


def _listed_row(screen: ScreenModel, row: BBox,
                point: tuple[int, int] | None) -> list[Element]:
    """A row of a list the detector found nothing of, changed under the pointer: a band one
    line tall that held a line of text in the frame before, in line with the text of the row
    just above or below it, and reaching well past its end. Text selected in a field lights
    up a band no wider than the text."""
    x, y, w, h = row
    rgb = screen.prev_frame.rgb
    if point is None or not contains(row, *point) or not 10 <= h <= 48 or not recoloured(
            rgb, screen.frame.rgb, row):
        return []  # (a row picked lights up: the text is read only for a band that did)
    y0, y1 = max(0, y - 2 * h), min(rgb.shape[0], y + 3 * h)
    x1 = min(rgb.shape[1], x + w)
    band = rgb[y0:y1, x:x1]
    if screen.prev_pointer is not None and screen.prev_pointer.sprite is not None:
        band = without_sprite(band, (x, y0), screen.prev_pointer)
    lines = screen.reader.find_lines(np.ascontiguousarray(band))
    middle = y - y0 + h / 2
    own = [ln for ln in lines if ln.bbox[1] <= middle <= ln.bbox[1] + ln.bbox[3]]
    if not own:
        return []
    left = min(ln.bbox[0] for ln in own)
    right = max(ln.bbox[0] + ln.bbox[2] for ln in own)
    if left > 4 * h or right > w - 3 * h or not any(
            abs(ln.bbox[0] - left) <= 4
            and 0.7 * h <= abs(ln.bbox[1] + ln.bbox[3] / 2 - middle) <= 1.4 * h
            for ln in lines if ln not in own):
        return []
    return [Element("listitem", row, _UNSEEN_SCORE)]


def _outside(elements: list[Element], fields: list[BBox]) -> list[Element]:
    """``elements`` less those a field's box holds (text typed there, seen as a row)."""
    return [e for e in elements if not any(overlap(f, e.bbox) >= 0.8 * e.area for f in fields)]


def _boxes(screen: ScreenModel, roles: tuple[str, ...]) -> list[BBox]:
    """The boxes of the elements of ``roles`` found in this frame or the one before."""
    return [e.bbox for e in screen.elements + screen.previous if e.role in roles]


def _named_by_row(click: Candidate, screen: ScreenModel, el: Element,
                  point: tuple[int, int] | None) -> Candidate:
    """``click`` on a row or cell, named by :func:`_row_text` where the pointer gives one."""
    text = _row_text(screen, el, point) if point is not None else None
    if text is None:
        return click
    target = replace(click.payload.target, name=text.text)
    return replace(click, payload=replace(click.payload, target=target),
                   features={**click.features, "name_score": text.lowest})


_ROW_REACH = 14
"""Pixels above and below the pointer searched for a picked row's line of text."""
_ROW_SLACK = 8
"""Pixels between the pointer and a line of text it still picks (it may rest below the
glyphs, in the row's padding)."""


def click_candidate(frame: DecodedFrame, screen: ScreenModel, el: Element, evidence: float,
                    reaction: str, point: tuple[int, int] | None, *, previous: bool = False,
                    checked: bool | None = None, role: str | None = None) -> Candidate:
    """A click on ``el`` (as ``role`` when given), named as read in the current (or
    ``previous``) frame, with the cues every click carries whatever showed it."""
    x, y = inside(point, el.bbox) if point is not None else centre(el.bbox)
    name = screen.name_read(el, previous=previous)
    named = name is not None and bool(name.text)
    target = Target(role=role or el.role, name=name.text if named else None, bbox=el.bbox,
                    checked=checked)
    features = {"reaction": reaction, "pointer": point is not None, "element_score": el.score}
    if named:
        features["name_score"] = name.lowest
        features["name_agrees"] = screen.name_agrees(el, name, previous=previous)
    return Candidate(frame.frame_id, frame.t_ms, Click(x=x, y=y, target=target), evidence,
                     features)


class Clicks:
    """Click candidates from each frame's reactions."""

    hold_back_ms = 0

    def __init__(self) -> None:
        self.trail = PointerTrail()
        self._busy: list[tuple[BBox, int, int]] = []
        """Small areas that keep changing on their own (a clock, a spinner): (box, count, last
        t_ms). Their changes are no reaction to a click."""
        self._pressed_last: tuple[BBox, int] | None = None
        self._hovered: tuple[Element, int] | None = None
        """The pressable element that last changed its look alone, and when: with no pointer
        in the frames, where it most likely is."""
        self._last_click: tuple[str, BBox, bool | None] | None = None
        self._focus_came: tuple[BBox, int] | None = None
        """The field focus last moved to, and when."""
        self._carets: deque[tuple[int, BBox]] = deque(maxlen=32)
        """When and where a caret was seen blinking, lately."""
        self._approach: deque[tuple[np.ndarray, BBox]] = deque(maxlen=4)
        """The last frames the pointer moved in, with its box: what it has come to lie on
        since shows in them."""
        self._toggled: tuple[BBox, bool, int] | None = None
        """The box last toggled, its new state, and when."""
        self._relooked: tuple[Element, int] | None = None
        """The pressable element last lost to the detector as its own look changed (pressed
        in, a focus ring drawn), and when."""

    def watermark(self) -> int | None:
        return None

    def pointer_at(self, box: BBox, now_ms: int) -> tuple[int, int] | None:
        return self.trail.at(box, now_ms)

    def push(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel, *,
             focus_moved_to: Element | None, focus_shown_by: str | None,
             reactions: list[Candidate], focus_left: Element | None = None,
             typing_began: Element | None = None, earlier: list[Candidate], in_popup,
             picked, unhidden, typing_in: Element | None) -> list[Candidate]:
        """Clicks shown by this frame; ``trail`` must already hold this frame's pointer.
        ``focus_left`` is the field that lost focus to no other field (``Edits.focus_left``):
        a button pressed takes the focus from a text field even when its own press does not
        show in the frames. ``typing_began`` is the field an edit opened in."""
        if diff.kind == "new_screen":
            self._carets.clear()
            self._approach.clear()
        if diff.pointer is not None and (not self._approach or not same_place(
                self._approach[-1][1], diff.pointer.bbox)):
            self._approach.append((frame.rgb, diff.pointer.bbox))
        self._carets.extend((frame.t_ms, c) for c in diff.carets)
        if screen.prev_frame is None:
            return []
        out: list[Candidate] = []
        if focus_moved_to is not None:  # a caret may show it in a frame otherwise unchanged
            self._focus_came = (focus_moved_to.bbox, frame.t_ms)
            out += self._field(frame, screen, focus_moved_to, focus_shown_by)
            if not out:  # focus moved by the keyboard: a click back to the last field counts
                self._last_click = ("focus", focus_moved_to.bbox, None)
        elif typing_began is not None:
            out += self._refocused(frame, screen, typing_began)
        if diff.kind == "local":
            self._follow_hover(frame, screen, diff.regions)
            self._follow_relooked(frame, screen, diff.regions)
        if diff.kind != "unchanged":
            local = self._not_busy(frame, [r for r in diff.regions if not in_popup(r.bbox)],
                                   typing_in)
            out += self._toggles(frame, screen, local, typing_in, unhidden)
            out += self._rows(frame, screen, local)
            out += self._tabs(frame, screen, local, diff.kind)
            content = self._content_changes(local, typing_in, frame.t_ms)
            reacted = bool(reactions) or diff.kind == "new_screen"
            if reacted or content:
                out += self._pressed(frame, screen, out + earlier, [] if reacted else content,
                                     picked, rows=reacted)
            elif focus_left is not None:
                out += self._pressed(frame, screen, out + earlier, [], picked,
                                     reaction="blur")
        return self._not_again(out)

    def _follow_hover(self, frame: DecodedFrame, screen: ScreenModel, regions) -> None:
        """Remember the one pressable element whose look changed alone in this frame (a
        hover, a press), once no pointer has been seen for a while. Its fill changed colour
        (a flat style's hover), or its whole box was redrawn with the same fill (a 3D button
        pressed in: its border turned, a focus ring drawn inside it)."""
        if self.trail.latest(frame.t_ms) is not None:
            self._hovered = None
            return
        lit = {id(e): e for r in regions for e in screen.previous
               if e.role in _PRESSABLE and overlap(e.bbox, r.bbox) >= 0.8 * r.bbox[2] * r.bbox[3]
               and r.bbox[2] * r.bbox[3] <= 2 * e.area
               and (overlap(e.bbox, r.bbox) >= 0.8 * e.area
                    or recoloured(screen.prev_frame.rgb, frame.rgb, e.bbox))}
        if len(lit) == 1:
            self._hovered = (next(iter(lit.values())), frame.t_ms)

    def _follow_relooked(self, frame: DecodedFrame, screen: ScreenModel, regions) -> None:
        """Remember a pressable element the detector no longer finds where only its own box
        changed: pressed, it looks unlike any button the model learned (sunken, ringed), and
        what its press brings in the next frame still is its click."""
        for r in regions:
            lost = [e for e in screen.previous if e.role in _PRESSABLE
                    and overlap(e.bbox, r.bbox) >= 0.5 * e.area
                    and overlap(grow(e.bbox, 4), r.bbox) >= 0.9 * r.bbox[2] * r.bbox[3]
                    and not any(iou(n.bbox, e.bbox) > 0.5 for n in screen.elements)]
            if len(lost) == 1:
                self._relooked = (lost[0], frame.t_ms)

    def _not_again(self, clicks: list[Candidate]) -> list[Candidate]:
        """``clicks`` less a focus or a toggle the last click already gave: focus cannot come
        back to the field it never left, nor a box be checked twice, without a click between
        (the field's look or the box flickering under a lossy transport)."""
        out = []
        for c in clicks:
            t = c.payload.target
            seen = (c.features["reaction"], t.bbox, t.checked)
            last = self._last_click
            self._last_click = seen
            if seen[0] in ("focus", "toggle") and last is not None and last[0] == seen[0] and (
                    same_place(last[1], seen[1]) and last[2] == seen[2]):
                continue
            out.append(c)
        return out

    def _not_busy(self, frame: DecodedFrame, regions, typing_in: Element | None = None) -> list:
        """The changed regions less the small areas that keep changing on their own (a clock
        ticking beside an icon looks like a check box toggling each second). Typing changes
        the field it goes to as often, and is no clock."""
        out = []
        for r in regions:
            box = r.bbox
            if typing_in is not None and overlap(box, typing_in.bbox) >= 0.8 * box[2] * box[3]:
                out.append(r)
                continue
            hit = next((i for i, (b, _, _) in enumerate(self._busy) if iou(b, box) > 0.5), None)
            if hit is not None:
                b, n, _ = self._busy[hit]
                self._busy[hit] = (b, n + 1, frame.t_ms)
                if n + 1 >= 3:
                    continue
            elif box[2] * box[3] < 4000:
                self._busy.append((box, 1, frame.t_ms))
            out.append(r)
        self._busy = [b for b in self._busy if frame.t_ms - b[2] < 5000][-32:]
        return out

    def _content_changes(self, regions, typing_in: Element | None,
                         now_ms: int) -> list[BBox]:
        """Changes big enough to be a result: not typing in the focused field, nor a small
        change around the pointer as it moves (its sprite, and the hover look of what it
        crosses)."""
        marks = [p for p in (self.trail.latest(now_ms, within_ms=0),
                             self.trail.last_before(now_ms)) if p is not None]
        return [r.bbox for r in regions if r.bbox[2] * r.bbox[3] >= 1500 and not (
            typing_in is not None
            and overlap(r.bbox, typing_in.bbox) >= 0.5 * r.bbox[2] * r.bbox[3]) and not (
            r.bbox[2] * r.bbox[3] < _POINTER_MESS and any(contains(r.bbox, *m) for m in marks))]

    def _field(self, frame: DecodedFrame, screen: ScreenModel, field: Element,
               shown_by: str | None) -> list[Candidate]:
        """Focus entering a field, shown by ``shown_by`` (see ``Edits.focus_shown_by``).

        The pointer in view now but off the field means the focus came otherwise: by the
        keyboard (Tab), or with the screen another click opened, the pointer having crossed
        the field on its way there."""
        if self.trail.seen_off(field.bbox, frame.t_ms):
            return []
        point = self.trail.at(field.bbox, frame.t_ms)
        if point is not None:
            evidence = 0.55 + 0.35 * field.score
        elif self.trail.latest(frame.t_ms) is not None:
            # the pointer was in view a moment ago and is lost now: it changed its shape, as
            # it does on entering a text field (an I-beam)
            evidence = 0.4 + 0.3 * field.score
        else:  # no pointer in view: a click or Tab, the frames cannot tell
            evidence = 0.3 * field.score
        click = click_candidate(frame, screen, field, evidence, "focus", point)
        click.features["focus"] = shown_by
        return [click]

    def _refocused(self, frame: DecodedFrame, screen: ScreenModel,
                   field: Element) -> list[Candidate]:
        """Typing begun in the field taken to have the focus already, with the pointer
        brought to rest on it since, and no caret blinking in it as the pointer came: the
        field had lost the focus (to a menu, say), and the click that gave it back showed no
        more than a caret (a field that had the focus gives nothing for a click, and neither
        does a pointer at rest)."""
        came = self._focus_came
        since = came[1] if came is not None and same_place(came[0], field.bbox) else -1
        brought = self.trail.came_to(field.bbox, frame.t_ms, since)
        if brought is None:
            return []
        x, y, arrived = brought
        if any(max(since, arrived - _BLINKS_MS) < t <= arrived
               and contains(field.bbox, *centre(c)) for t, c in self._carets):
            return []
        return [click_candidate(frame, screen, field, 0.35 + 0.3 * field.score, "refocus",
                                (x, y))]

    def _toggles(self, frame: DecodedFrame, screen: ScreenModel, regions,
                 typing_in: Element | None, unhidden) -> list[Candidate]:
        """Check boxes and radio buttons whose mark changed; ``unhidden`` gives the frame
        before as it was under a popup closing now."""
        out = []
        # a "box" inside the field that has focus is a letter typed there (an o, a bracket)
        boxes = [e for e in screen.elements if e.role in ("checkbox", "radio")]
        # a box seen before whose new look the detector takes for something else (a ticked
        # box beside its caption read as text) toggled all the same; so did a box clearly
        # seen before, under the pointer, now found a few pixels off (with a focus ring and
        # the pointer on its caption). A window closing over it changes much more than the box
        boxes += [b for b in screen.previous if b.role in ("checkbox", "radio") and not any(
            e.role in ("checkbox", "radio") and iou(e.bbox, b.bbox) > 0.8
            for e in screen.elements) and all(r.bbox[2] * r.bbox[3] <= 4 * b.area
                                              for r in regions if overlap(r.bbox, b.bbox))
            and (any(iou(e.bbox, b.bbox) > 0.8 for e in screen.elements) or (
                b.score >= _CLEAR_BOX and any(overlap(e.bbox, b.bbox) for e in screen.elements)
                and self.trail.at(b.bbox, frame.t_ms) is not None))]
        boxes = [e for e in boxes if not (
            typing_in is not None and overlap(e.bbox, typing_in.bbox) >= 0.5 * e.area)]
        prev = unhidden(screen.prev_frame.rgb) if boxes else screen.prev_frame.rgb
        for el in boxes:
            mark = _changed_part(_box_part(el), regions)
            if mark is None:
                continue
            if not any(b.role == el.role and iou(b.bbox, el.bbox) > 0.8
                       for b in screen.previous):
                continue  # new on this screen: nothing toggled
            point = self.trail.at(el.bbox, frame.t_ms)
            if point is None and self.trail.seen_off(el.bbox, frame.t_ms):
                continue  # the pointer in view, not lately on it: a form reset by a button
            change = ink(frame.rgb, mark) - ink(prev, mark)
            if abs(change) < 0.06:  # a dot filling the change: against the whole mark
                part = _box_part(el)
                change = ink(frame.rgb, mark, part) - ink(prev, mark, part)
            if abs(change) < 0.06 and point is not None:
                # a tick is small beside a 3D box's border: under the pointer, its middle
                middle = grow(mark, -(min(mark[2], mark[3]) // 4))
                change = ink(frame.rgb, middle) - ink(prev, middle)
                change = change if abs(change) >= 0.08 else 0.0
            if abs(change) < 0.06:
                continue
            checked = change > 0
            if el.role == "radio" and not checked:
                continue  # the radio that lost its dot was not clicked
            if self._swept_back(el.bbox, checked, mark, screen, frame.t_ms):
                continue
            self._toggled = (el.bbox, checked, frame.t_ms)
            evidence = 0.5 + 0.3 * el.score + 0.2 * (point is not None)
            out.append(click_candidate(frame, screen, el, evidence, "toggle", point,
                                       checked=checked))
        return out + self._unseen_toggles(frame, screen, regions, typing_in)

    def _swept_back(self, box: BBox, checked: bool, mark: BBox, screen: ScreenModel,
                    now_ms: int) -> bool:
        """Whether the box at ``box`` toggled back right after its last toggle where the
        pointer moved across its mark: the pointer's own trail (a scaled or lossy frame
        blurs its edges past its sprite), not a second click."""
        last, p, q = self._toggled, screen.pointer, screen.prev_pointer
        if last is None or last[1] == checked or now_ms - last[2] > _RECENT_MS or not (
                same_place(last[0], box)) or p is None or q is None or (p.x, p.y) == (q.x, q.y):
            return False
        return any(overlap(grow(b, 6), mark) for b in (p.bbox, q.bbox))

    def _unseen_toggles(self, frame: DecodedFrame, screen: ScreenModel, regions,
                        typing_in: Element | None) -> list[Candidate]:
        """Check boxes and radio buttons the detector missed (a theme it never saw), ticked
        under the pointer: a small change inside a small square box, with a caption on its
        right, where no element the detector found lies."""
        out = []
        prev = screen.prev_frame.rgb
        fields = _boxes(screen, ("checkbox", "radio", "textbox", "combobox"))
        fields += [typing_in.bbox] if typing_in is not None else []
        for r in regions:
            if max(r.bbox[2], r.bbox[3]) > MARK_SIDES[1] or any(
                    overlap(r.bbox, f) for f in fields):
                continue
            found = _unmarked_box(prev, frame.rgb, r.bbox)
            end = caption_end(frame.rgb, found[1]) if found is not None else None
            if end is None:
                continue
            role, (x, y, w, h) = found
            el = Element(role, (x, y - 4, end - x, h + 8), _UNSEEN_SCORE)  # the caption's height
            point = self.trail.at(el.bbox, frame.t_ms)
            inner = grow(found[1], -2)
            change = ink(frame.rgb, inner) - ink(prev, inner)
            if abs(change) < 0.06:  # a dot filling the inside: against the box and around it
                around = grow(found[1], 6)
                change = ink(frame.rgb, inner, around) - ink(prev, inner, around)
            if point is None or abs(change) < 0.06 or (role == "radio" and change < 0):
                continue
            clean = next((rgb for rgb, at in reversed(self._approach)
                          if not overlap(at, el.bbox)), None)
            if clean is not None:
                screen.keep_name(el, clean)
            out.append(click_candidate(frame, screen, el, 0.5 + 0.3 * el.score + 0.2,
                                       "toggle", point, checked=change > 0))
        return out

    def _rows(self, frame: DecodedFrame, screen: ScreenModel, regions) -> list[Candidate]:
        out = []
        prev = screen.prev_frame.rgb
        fields = _boxes(screen, ("textbox", "combobox"))
        for region in regions:
            # a row lit up may look like something else now (a title bar): as it was before
            items = screen.within(region.bbox, ("listitem", "cell"), min_share=0.6)
            before = screen.within(region.bbox, ("listitem", "cell"), min_share=0.6,
                                   previous=True)
            point = self.trail.at(region.bbox, frame.t_ms)
            # lit up, the cell under the pointer may be lost while its row's others are not
            items = items or before
            if point is not None and not any(contains(e.bbox, *point) for e in items):
                items += [e for e in before if contains(e.bbox, *point)]
            # text typed into a field may look like a list's row to the detector
            items = _outside(items, fields)
            if not any(point and contains(e.bbox, *point) for e in items):
                items += _outside(_unseen_row(screen, region.bbox, point) or (
                    [] if items else _listed_row(screen, region.bbox, point)), fields)
            if not items:
                continue
            beside = self._cell_beside(screen, region.bbox, frame.t_ms)
            if beside is None and self.trail.seen_off(region.bbox, frame.t_ms):
                continue  # selected by the keyboard, or by a search or a button elsewhere
            hit = next((e for e in items if point and contains(e.bbox, *point)), None)
            if beside is not None:
                # the row lit up but for the cell clicked, which shows as the current cell
                hit, point = beside, self.trail.latest(frame.t_ms, within_ms=0)
            if hit is None and point is not None and contains(region.bbox, *point) and (
                    region.bbox[3] <= 2 * max(e.bbox[3] for e in items)):  # one row lit
                hit = _cell_at(screen, items, region.bbox, point)
            # without the pointer, the widest cell: where a person clicks to pick a row
            el = hit or max(items, key=lambda e: e.area)
            if region.bbox[3] > 3 * el.bbox[3]:
                continue  # many rows changed: the list refilled (a search), none picked
            lit = max(items, key=lambda e: e.area) if beside is not None else el
            if not (lit_up(prev, frame.rgb, lit.bbox) or (
                    hit is not None and self._rested_on(el.bbox, frame.t_ms)
                    and recoloured(prev, frame.rgb, el.bbox))):
                continue
            if el.role == "listitem":  # a list's item is its whole row, as lit up
                x, _, w, _ = region.bbox
                el = replace(el, bbox=(x, el.bbox[1], w, el.bbox[3]))
            evidence = 0.45 + 0.3 * el.score + 0.2 * (point is not None)
            # named as drawn before it lit up: selected text on a dark band reads poorly
            click = click_candidate(frame, screen, el, evidence, "select_row", point,
                                    previous=True)
            out.append(_named_by_row(click, screen, el, point))
            break
        return out

    def _cell_beside(self, screen: ScreenModel, row: BBox, now_ms: int) -> Element | None:
        """The cell under the pointer, off the changed ``row`` but level with it."""
        now = self.trail.latest(now_ms, within_ms=0)
        if now is None or contains(row, *now, 6) or not row[1] <= now[1] < row[1] + row[3]:
            return None
        cell = screen.at(*now, ("cell", "listitem"))
        if cell is None or overlap(cell.bbox, (cell.bbox[0], row[1], cell.bbox[2], row[3])) < (
                0.6 * cell.area):
            return None
        return cell

    def _rested_on(self, box: BBox, now_ms: int) -> bool:
        """Whether the pointer stood still on ``box`` from the last frame to this one: what
        changed under it then was no hover (a hover comes as the pointer arrives)."""
        now, before = self.trail.latest(now_ms, within_ms=0), self.trail.last_before(now_ms)
        return now is not None and now == before and contains(box, *now)

    def _tabs(self, frame: DecodedFrame, screen: ScreenModel, regions,
              diff_kind: str) -> list[Candidate]:
        """A tab switched: a tab's look changed and the page under the tabs was replaced. The
        tab clicked is the one under the pointer, else the one now drawn like the page (a
        selected tab joins its page). The changed area often spans the tabs and the page at
        once; the page is its part below the tabs."""
        if diff_kind == "new_screen":
            return []
        # a tab's box may end where its page begins, the rule under it changing with it
        tabs = [e for e in screen.elements if e.role == "tab"
                and any(overlap(grow(e.bbox, 3), r.bbox) for r in regions)
                and any(b.role in _PRESSABLE and iou(b.bbox, e.bbox) > 0.8
                        for b in screen.previous)]  # a tab seen before, if as something else
        if not tabs:
            return []
        top = min(t.bbox[1] for t in tabs)
        bottom = max(t.bbox[1] + t.bbox[3] for t in tabs)
        pages = [_below(r.bbox, bottom) for r in regions if r.bbox[1] >= top - 6]
        pages = [p for p in pages if p[3] >= 12 and p[2] * p[3] >= 10_000]
        if not pages:
            return []
        # the tab under the pointer, as detected now or, when it is not detected now, before
        tabs_before = [b for b in screen.previous if b.role == "tab"
                       and top - 6 <= b.bbox[1] <= bottom and not any(
                           iou(b.bbox, t.bbox) > 0.5 for t in tabs)]
        pointed = [(t, p) for t in tabs + tabs_before
                   if (p := self.trail.at(t.bbox, frame.t_ms)) is not None]
        # of tabs next to each other, the one the pointer was on last, not one it crossed
        last = self.trail.last_before(frame.t_ms)
        el, point = min(pointed, default=(None, None),
                        key=lambda tp: (not contains(tp[0].bbox, *tp[1]), tp[1] != last))
        previous = el is not None and el not in tabs
        if el is None:
            el = _selected_tab(screen.prev_frame.rgb, frame.rgb, tabs, pages[0], bottom)
        evidence = 0.5 + 0.3 * el.score + 0.15 * (point is not None)
        return [click_candidate(frame, screen, el, evidence, "tab", point, previous=previous)]

    def _pressed(self, frame: DecodedFrame, screen: ScreenModel, already: list[Candidate],
                 content: list[BBox], picked, reaction: str = "reaction", *,
                 rows: bool = False) -> list[Candidate]:
        """The element the pointer was on just before a new screen, a dialog, a message, or
        a change elsewhere (a search filling a table): the element that was pressed.
        ``content`` holds the changes when they are the only result (no screen change or
        message), to tell a press from a hover that lights up the element alone. With
        ``rows``, a table's cell counts too: a double click on a record opens it.
        ``picked`` tells the items of a popup, picked rather than pressed."""
        point = self.trail.latest(frame.t_ms)
        hovered = point is None and self._hovered is not None and (
            frame.t_ms - self._hovered[1] <= _RECENT_MS)
        if hovered:  # no pointer drawn: the element that changed its look last
            el, point = self._hovered[0], centre(self._hovered[0].bbox)
            self._hovered = None
        elif point is None:
            return []
        else:
            el = screen.at(*point, _PRESSABLE + (("cell",) if rows else ()), previous=True,
                           pad=2)
            lost = self._relooked
            if el is None and lost is not None and frame.t_ms - lost[1] <= _RECENT_MS and (
                    contains(lost[0].bbox, *point, 2)):
                el = lost[0]
        if el is None or any(contains(c.payload.target.bbox, *point) for c in already):
            return []
        if picked(el):
            return []  # an item of the list open or closing now: its pick is no press
        if el.role == "button" and any(
                overlap(f, el.bbox) >= 0.5 * el.area and f[2] * f[3] > el.area
                for f in _boxes(screen, ("textbox", "combobox"))):
            return []  # a field's value (a spin box's digits) the detector took for a button
        if any(e.role in ("checkbox", "radio") and iou(e.bbox, el.bbox) > 0.5
               for e in screen.previous):
            return []  # a check box seen as a button too: its tick, not a press, shows its click
        if el.role == "cell" and not any(
                e.role == "cell" and e is not el and abs(e.bbox[1] - el.bbox[1]) <= 3
                for e in screen.previous):
            return []  # a table's row has cells side by side; a menu's items seen as cells not
        if content and all(overlap(b, el.bbox) >= 0.5 * b[2] * b[3] for b in content):
            return []  # only the element itself changed: hover, not a result
        last = self._pressed_last
        if last is not None and frame.t_ms - last[1] < 2000 and (
                iou(last[0], el.bbox) > 0.8 or contains(last[0], *point, pad=2)):
            return []  # one press shows over several frames (the button boxed anew in each)
        self._pressed_last = (el.bbox, frame.t_ms)
        evidence = (0.45 if hovered else 0.55) + 0.35 * el.score
        click = click_candidate(frame, screen, el, evidence, reaction,
                                None if hovered else point, previous=True)
        click.features["hovered"] = hovered
        return [_named_by_row(click, screen, el, point) if el.role == "cell" else click]
