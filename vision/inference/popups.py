"""Drop-down lists and menus: what opened where, and what was chosen when it closed.

A popup is an area that appears right under (or over) its owner and goes away again: the list
of a combo box, or the menu of a menu-bar title. Choosing from a drop-down is one ``select``
(the clicks that open the list and pick the item are not clicks); a list closed with the old
value gives nothing. Opening a menu is a click on its title, and picking an item a click on the
item: both role ``menuitem``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from ..diff import BBox, FrameDiff, Region
from ..events import Select, Target
from ..frames import DecodedFrame
from ..ocr import TextLine
from ..ocr.spelling import spelled
from ..scoring import edit_distance
from .candidates import Candidate
from .clicks import click_candidate
from .screen import (Element, ScreenModel, caption_inside, centre, contains, field_around,
                     highlight_of, iou, lit_up, median_colour, name_text, overlap, sprite_mask,
                     uncovered_text, without_sprite)

__all__ = ["Popups", "Popup", "box_value", "listed_value", "unseen_box"]


@dataclass(frozen=True)
class Popup:
    kind: str                 # "dropdown" or "menu"
    owner: Element
    owner_name: str | None
    bbox: BBox
    covered: np.ndarray       # grey pixels the popup covers, from before it opened
    value_before: str         # the combo box's text when its list opened
    opened_t: int
    highlighted: Element | None = None   # the item last lit up (by the pointer or the keys)
    drawn: np.ndarray | None = None      # a menu's pixels as it opened
    drawn_covered: np.ndarray | None = None   # where the pointer lay on them (painted out)


@dataclass(frozen=True)
class _Closing:
    popup: Popup
    frame_id: str             # the frame where the list closed: the choice's time
    t_ms: int
    due: int                  # when the box is read, unless it changes again before
    options: tuple[tuple[TextLine, np.ndarray], ...] = ()   # the list's lines, last shown


def _grey(rgb: np.ndarray, box: BBox) -> np.ndarray:
    x, y, w, h = box
    crop = rgb[max(0, y):y + h, max(0, x):x + w].astype(np.float32)
    return crop @ np.array([0.299, 0.587, 0.114], np.float32)


def _reverted(popup: Popup, rgb: np.ndarray) -> bool:
    """Whether the place of ``popup`` shows again what it covered before it opened, but for
    its owner's box, which shows the value chosen (a list drawn over its box covers it)."""
    now = _grey(rgb, popup.bbox)
    if now.shape != popup.covered.shape:
        return False
    keep = np.ones(now.shape, bool)
    x, y, w, h = popup.owner.bbox
    px, py = popup.bbox[:2]
    keep[max(0, y - py):max(0, y + h - py), max(0, x - px):max(0, x + w - px)] = False
    return bool(keep.any()) and float(np.mean(np.abs(now - popup.covered)[keep])) <= 12


def _attached(region: BBox, owner: BBox, kind: str) -> bool:
    """The region opens right below the owner, overlaps it sideways, and is taller than it (a
    list, not a message beside it). A drop-down list is about as wide as its box or wider; it
    may also open above its box, or over it, centred on the current value (as some styles draw
    it), from its left edge and at least as wide."""
    lit = 4 if kind == "menu" else 0  # a title's highlight, taller than its box
    below = -owner[3] - lit <= region[1] - (owner[1] + owner[3]) <= 8
    above = 0 <= owner[1] - (region[1] + region[3]) <= 8
    as_wide = abs(region[2] - owner[2]) <= 0.3 * owner[2] + 8
    from_left = abs(region[0] - owner[0]) <= 8 and owner[2] - 8 <= region[2] <= 1.6 * owner[2] + 8
    over = (region[1] <= owner[1] and region[1] + region[3] >= owner[1] + owner[3] - 6
            and (as_wide or from_left))
    sideways = min(region[0] + region[2], owner[0] + owner[2]) - max(region[0], owner[0])
    if kind == "dropdown" and region[2] < 0.7 * owner[2] - 8:
        return False  # narrower than the box: the pointer's trail, not its list
    placed = below or (kind == "dropdown" and (above or over))
    return placed and sideways >= 0.5 * min(region[2], owner[2]) and region[3] >= 1.5 * owner[3]


SETTLE_MS = 1200
"""A closed drop-down's box is read once it has stayed unchanged this long (a Citrix-like
transport refines a region about four frames after painting it: 800 ms at 5 fps)."""
_CONTROLS = ("checkbox", "radio")
"""Controls whose ticking changes the page right under a combo box: a list opening there
would cover them, and the pointer would not be on them as it opened."""
_ITEM_ROLES = ("menuitem", "listitem", "cell")
"""What a menu's or a list's items are seen as (a degraded frame blurs the difference)."""
_MENU_WIDTH = 640
"""Widest menu, in pixels: a change under a menu bar wider than this is a page, not a menu."""


_RECENT_MENU_MS = 1500
"""How soon after a menu closed another opening is the pointer sliding along the bar."""
_UNSEEN_SCORE = 0.3
"""Detection score given to a combo box found from its pixels, the detector having missed it
(an empty one shows nothing but its frame and arrow)."""


def unseen_box(rgb: np.ndarray, region: BBox,
               pressed: tuple[int, int] | None = None) -> BBox | None:
    """A one-line box the detector missed that a list opening in ``region`` hangs from.

    First the box at ``pressed`` (where the pointer lay before the list opened), the list
    hanging from it: the change may also hold the focus ring the field above let go, and
    start there. Else the flat inside of a framed box
    (:func:`~vision.inference.screen.field_around`) at the region's top-left corner, just
    above it or at its top (a list drawn over its box, found in the padding above the value
    it covers), of about the region's width."""
    x, y, w, _ = region
    if pressed is not None:  # seeded left of the pointer's tip, off its sprite
        box = field_around(rgb, (pressed[0] - 3, pressed[1], 1, 1))
        if (box is not None and 14 <= box[3] <= 40 and abs(box[0] - x) <= 8
                and _attached(region, box, "dropdown")):
            return box
    for seed in ((x + 10, y - 8), (x + 10, y + 6), (x + 8, y + 2)):
        box = field_around(rgb, (*seed, 1, 1))
        if box is None:
            continue
        bx, by, bw, bh = box
        if (14 <= bh <= 40 and abs(bx - x) <= 8 and 0.6 * w <= bw <= 1.2 * w + 8
                and y - 4 <= by + bh <= y + bh + 4):
            return box
    return None


def _list_like(region: BBox, screen: ScreenModel) -> bool:
    """A change shaped like an open drop-down list: narrower than a menu can be, a few lines
    tall, and holding three rows or more (seen as list rows, cells or lines of text), more
    than it holds menu items (a menu whose title the detector missed)."""
    if region[2] > _MENU_WIDTH or region[3] < 40:
        return False
    inside = [e.role for e in screen.elements if overlap(e.bbox, region) >= 0.8 * e.area]
    rows = sum(r in ("listitem", "cell", "text") for r in inside)
    return rows >= 3 and rows > inside.count("menuitem")


def _unlike_fields(boxes: list[Element], screen: ScreenModel) -> list[Element]:
    """The combo boxes of ``boxes`` the detector did not see more surely as text fields in
    the same place (an empty field under the box a list covers may be seen as both), unless
    that leaves none."""
    fields = [e for e in screen.previous if e.role == "textbox"]
    return [b for b in boxes if not any(f.score > b.score and iou(f.bbox, b.bbox) >= 0.6
                                        for f in fields)] or boxes


def _unseen_owner(screen: ScreenModel, region: BBox, pressed_at: tuple[int, int] | None,
                  pointer_at, *, blind: bool) -> Element | None:
    """The combo box the detector missed that a list opening in ``region`` hangs from
    (:func:`unseen_box`, in the frame before), the pointer on it. Seeded where the pointer
    pressed only when list rows show in the change now: a list closing under the pointer
    shows, in the frame before, the row it pressed. ``blind`` (no pointer in view, no box
    seen): the box a list-like change hangs from, unless the detector saw a text field
    there."""
    rows = sum(e.role in ("listitem", "cell") and overlap(e.bbox, region) >= 0.8 * e.area
               for e in screen.elements)
    box = unseen_box(screen.prev_frame.rgb, region, pressed_at if rows >= 2 else None)
    if box is None:
        return None
    if pointer_at(box) is None and not (
            blind and pressed_at is None and _list_like(region, screen)
            and not any(e.role == "textbox" and iou(e.bbox, box) >= 0.6
                        for e in screen.previous)):
        return None
    return Element("combobox", box, _UNSEEN_SCORE)


def _unseen_title(screen: ScreenModel, region: BBox,
                  pressed_at: tuple[int, int] | None) -> Element | None:
    """The title of a menu the detector missed: the line of text the pointer pressed (not on
    a tab or a check box), right above a narrow change at least as wide as it, holding two
    lines of items or more from near its left edge."""
    x, y, w, h = region
    if pressed_at is None or w > _MENU_WIDTH or h < 40:
        return None
    px, py = pressed_at
    if not (x - 8 <= px <= x + w and y - 28 <= py <= y + 4):
        return None
    if screen.at(px, py, ("tab",) + _CONTROLS, previous=True) is not None:
        return None  # a tab pressed (its page changed under it), or a check box
    height, width = screen.prev_frame.rgb.shape[:2]
    left, top = max(0, x - 16), max(0, y - 32)
    strip = (left, top, min(width, x + w + 16) - left, min(height, y + 2) - top)
    pressed = [ln for ln in screen.reader.find_lines(screen.prev_frame.rgb, strip)
               if contains(ln.bbox, px, py, 6)]
    if not pressed or pressed[0].bbox[2] > w or _item_lines(screen, region) < 2:
        return None  # a menu is as wide as its title at least
    lx, ly, lw, lh = pressed[0].bbox
    return Element("menuitem", (lx - 8, ly - 4, lw + 16, lh + 8), _UNSEEN_SCORE)


_FRAME_EDGE = re.compile(r"^[\[|]\s*(?=[A-Z0-9])(?!.*\])")


def box_value(reading: str) -> str:
    """A combo box's value as read, less its frame's left edge read before it as a bar or a
    bracket ("[DKK"); a value in brackets keeps them. An option is most often worded, and a
    word of it misread by one letter is spelled (:func:`~vision.ocr.spelling.spelled`).

    >>> box_value("[DKK"), box_value("|GBP"), box_value("[none]"), box_value("WH07 Returms")
    ('DKK', 'GBP', '[none]', 'WH07 Returns')
    """
    return spelled(_FRAME_EDGE.sub("", reading))


def _options(screen: ScreenModel, popup: Popup) -> tuple[tuple[TextLine, np.ndarray], ...]:
    """The lines of text of an open drop-down list in the frame before it closed (refined by
    the transport by then), the pointer painted out, each with its pixels: the values the box
    can show next."""
    rgb, pointer = screen.prev_frame.rgb, screen.prev_pointer
    x0, y0 = max(0, popup.bbox[0]), max(0, popup.bbox[1])
    x1 = min(rgb.shape[1], popup.bbox[0] + popup.bbox[2])
    y1 = min(rgb.shape[0], popup.bbox[1] + popup.bbox[3])
    if x1 - x0 < 8 or y1 - y0 < 8:
        return ()
    crop = np.ascontiguousarray(rgb[y0:y1, x0:x1])
    if pointer is not None and pointer.sprite is not None:
        crop = without_sprite(crop, (x0, y0), pointer)
    return tuple((ln, crop[y:y + h, x:x + w].copy())
                 for ln in screen.reader.find_lines(crop) for x, y, w, h in (ln.bbox,))


def listed_value(box_reads: tuple[str, ...],
                 option_reads: tuple[tuple[str, ...], ...]) -> tuple[str, bool]:
    """The value of a closed drop-down, from its box's readings (the first is the default
    reading) and the readings of each option its list showed: the same words read from two
    places, two ways each, so a letter one reading gets wrong the others outvote (a tie
    goes to the box's first reading). Returns the value and whether the list showed it; a
    value no option comes near (the box read while something else lay over it) is in doubt.

    >>> options = (("WH03 Port", "WH03 Port"), ("WH07 Retures", "WH07 Returns"))
    >>> listed_value(("WH07 Retuns", "WH07 Returns"), options)
    ('WH07 Returns', True)
    >>> listed_value(("Gear motor", "Gear motor"), options)
    ('Gear motor', False)
    """
    value = box_reads[0]

    def distance(option: tuple[str, ...]) -> int:
        return min(edit_distance(value.casefold(), b.casefold()) for b in option)

    near = [o for o in option_reads if o and distance(o) <= max(1, len(value) // 4)]
    if not value or not near:
        return value, False
    option = min(near, key=distance)
    votes = Counter(r for r in box_reads + option if r)
    best = max(votes.values())
    chosen = next(r for r in box_reads + option if votes[r] == best)
    return chosen, chosen in option


def _value_box(combo: BBox) -> BBox:
    """Where a combo box shows its value: its box less the drop button, a square of its
    height at the right end (read with it, the arrow comes out as a letter)."""
    x, y, w, h = combo
    return (x, y, max(4, w - h), h)


def _item_lines(screen: ScreenModel, region: BBox) -> int:
    """Lines of text starting near the left edge of ``region``, one under the other: a
    menu's items, however the element detector saw them."""
    lines = screen.reader.find_lines(screen.frame.rgb, region)
    return sum(1 for ln in lines if ln.bbox[0] - region[0] <= 48 and ln.bbox[3] <= 40)


def _worded_lines(screen: ScreenModel, region: BBox) -> int:
    """Lines of text in ``region`` holding a letter or a digit (icons read as quotes and
    bars are none; a menu's items may start right of a column of icons)."""
    return sum(1 for ln in screen.reader.find_lines(screen.frame.rgb, region)
               if ln.bbox[3] <= 40 and any(c.isalnum() for c in ln.text))


def _under(region: BBox, title: BBox) -> BBox:
    """The part of ``region`` below ``title`` (the items of a menu the title may top)."""
    x, y, w, h = region
    top = min(y + h, max(y, title[1] + title[3] - 2))
    return (x, top, w, y + h - top)


def _item_at(screen: ScreenModel, popup: Popup,
             point: tuple[int, int]) -> tuple[Element, TextLine] | None:
    """The item of an open menu at ``point`` and its line of text, the detector having seen
    no item there. The lines are read as the menu opened (no item lit yet) and in the frame
    before it closed (the pointer off the menu's top); the better read is kept. Only a list
    of two lines or more, each starting near the menu's left edge, is a menu's items."""
    x, y, w, h = popup.bbox
    views = [(popup.drawn, None)] if popup.drawn is not None else []
    views.append((screen.prev_frame.rgb, popup.bbox))
    found: list[TextLine] = []
    for rgb, region in views:
        ox, oy = (x, y) if region is None else (0, 0)
        lines = [TextLine(ln.text, (ln.bbox[0] + ox, ln.bbox[1] + oy, *ln.bbox[2:]), ln.score,
                          ln.box_score)
                 for ln in screen.reader.find_lines(rgb, region) if ln.score >= 0.5]
        lines = [ln for ln in lines if ln.bbox[0] - x <= 48 and ln.bbox[3] <= 40]
        near = [ln for ln in lines if ln.bbox[1] - 4 <= point[1] <= ln.bbox[1] + ln.bbox[3] + 4]
        if len(lines) >= 2 and near:
            found.append(min(near, key=lambda ln: abs(ln.bbox[1] + ln.bbox[3] / 2 - point[1])))
    if not found:
        return None
    # the pointer lies on the line in the frame before the menu closed; as the menu opened
    # it most often lay on the title, the line drawn clear of it: that reading is kept
    clear = found[0] if popup.drawn is not None and not _hid(popup, found[0].bbox) else None
    line = clear or max(found, key=lambda ln: ln.score)
    return Element("menuitem", (x + 1, line.bbox[1] - 4, w - 2, line.bbox[3] + 8),
                   _UNSEEN_SCORE), line


def _hid(popup: Popup, box: BBox) -> bool:
    """Whether the pointer hid any of ``box`` as the popup opened (when it was drawn)."""
    if popup.drawn_covered is None:
        return False
    x, y = box[0] - popup.bbox[0], box[1] - popup.bbox[1]
    return bool(popup.drawn_covered[max(0, y):y + box[3], max(0, x):x + box[2]].any())


def _uncovered_item(screen: ScreenModel, popup: Popup, item: Element) -> TextLine | None:
    """The caption of a menu's item that the pointer lay on as the menu closed, read whole
    from two pictures of it: lit in the frame before it closed, and as the menu opened. The
    first item lies under the pointer at both times, as the pointer comes down from the
    title, but most often on different letters (:func:`~.screen.uncovered_text`). None
    where the pointer hid none of it then, or hid the same letters both times."""
    if popup.drawn is None or popup.drawn_covered is None:
        return None
    cx, cy, cw, ch = caption_inside(item.bbox)
    px, py, pw, ph = popup.bbox
    x, y = max(cx, px), max(cy, py)   # the part of the caption inside the menu as drawn
    w, h = min(cx + cw, px + pw) - x, min(cy + ch, py + ph) - y
    if w < 8 or h < 8:
        return None
    now = screen.prev_frame.rgb[y:y + h, x:x + w]
    crop = uncovered_text(now, sprite_mask(now.shape, (x, y), screen.prev_pointer),
                          popup.drawn[y - py:y - py + h, x - px:x - px + w],
                          popup.drawn_covered[y - py:y - py + h, x - px:x - px + w])
    if crop is None:
        return None
    read = screen.reader.read_line(crop)
    return TextLine(read.text.strip(), (x, y, w, h), read.score, 1.0) if read.text else None


def _lit_at_opening(rgb: np.ndarray, menu: BBox, title: BBox,
                    screen: ScreenModel) -> Element | None:
    """The item a menu shows lit as it opens (the pointer came onto it as it opened, unseen
    or not drawn): the one item under the title whose fill is a highlight on the menu's."""
    plain = median_colour(rgb, menu)
    below = title[1] + title[3] - 2
    lit = []
    for e in screen.elements:
        if e.role in _ITEM_ROLES and e.bbox[1] >= below and overlap(e.bbox, menu) >= 0.8 * e.area:
            if highlight_of(plain, median_colour(rgb, e.bbox)) and not any(
                    iou(e.bbox, o.bbox) > 0.5 for o in lit):  # one item seen in two roles
                lit.append(e)
    return lit[0] if len(lit) == 1 else None


def _on_a_bar(title: Element, screen: ScreenModel) -> bool:
    """Whether a menu item seen only now, lit, sits in a row of menu items seen before (a
    menu bar, its other titles level with it and close beside it): a menu's title lit up as
    its menu opened, not a drop-down's value."""
    x, y, w, _ = title.bbox
    return any(e.role == "menuitem" and abs(e.bbox[1] - y) <= 4 and not overlap(e.bbox, title.bbox)
               and min(abs(e.bbox[0] - (x + w)), abs(x - (e.bbox[0] + e.bbox[2]))) <= 48
               for e in screen.previous)


def _lit_on_top(region: BBox, title: BBox) -> bool:
    """``title`` lies at the top of the changed area (it lit up as its menu opened)."""
    return contains(region, *centre(title)) and abs(region[1] - title[1]) <= 4


def _menu_under(region: BBox, title: BBox, screen: ScreenModel) -> bool:
    """A menu opened under ``title``: a narrow area starting at the title's left edge (the
    title itself may be part of it, lit up) that holds two items or more under the title
    (seen as menu items, or as list rows in a degraded frame). A page or a panel changing
    under a menu bar is wider or starts elsewhere (a lossy transport's noise may widen the
    change by a few pixels more than the menu's shadow). The change may reach left of the
    menu where something beside it changed too (an icon redrawn): the items then start at
    the title's left edge."""
    x, y, w, h = title
    if region[2] > _MENU_WIDTH:
        return False
    if overlap(title, region) > 0.5 * w * h and abs(region[1] - y) > 4:
        return False  # the title lies inside the change, not at its top: not its menu
    items = [e for e in screen.elements if e.role in _ITEM_ROLES
             and e.bbox[1] >= y + h - 2 and overlap(e.bbox, region) >= 0.8 * e.area]
    return len(items) >= 2 and (abs(region[0] - x) <= 24
                                or abs(min(e.bbox[0] for e in items) - x) <= 24)


class Popups:
    """The popup now open (at most one: opening another closes the first)."""

    hold_back_ms = 3000
    """The longest a closed drop-down's box waits to settle before it is read."""

    def __init__(self) -> None:
        self.open: Popup | None = None
        self._closing: _Closing | None = None
        """A drop-down closed whose box is not read yet: a remote transport paints the new
        value coarse first and refines it a few frames later."""
        self._menu_left = -10**9
        """When a menu last closed: another opening right after, under the pointer sliding
        along the bar, came with no click."""
        self._chosen: list[tuple[BBox, str]] = []
        """(combo box, value) of the last choice reported in each box of this screen."""
        self._shut: Popup | None = None
        """The popup that closed in this frame."""

    def watermark(self) -> int | None:
        return self._closing.t_ms if self._closing is not None else None

    def flush(self, screen: ScreenModel) -> list[Candidate]:
        return self._read_choice(screen) if self._closing is not None else []

    def push(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel,
             pointer_at, *, paged: bool = False) -> list[Candidate]:
        """What opened, closed or was chosen in this frame. ``paged``: the frame shows
        another page (a navigation): its lists and panels are the page's, none opened."""
        self._shut = None
        if diff.kind == "new_screen":  # an item picked from a menu may open a new screen
            popup, self.open = self.open, None
            out = self._read_choice(screen, previous=True) if self._closing else []
            self._chosen = []
            if popup is not None and popup.kind == "menu":
                out += self._menu_choice(frame, popup, screen, pointer_at)
            return out
        out: list[Candidate] = []
        out += self._settle(frame, diff, screen)
        popup = self.open
        if popup is not None:
            out += self._maybe_closed(frame, diff, screen, pointer_at)
        if self.open is None and not paged and not (
                popup is not None and _reverted(popup, frame.rgb)):
            # (a list that closed showing again what it covered opened nothing)
            out += self._maybe_opened(frame, diff, screen, pointer_at)
        elif self.open is not None:
            self._follow_highlight(diff, screen)
        return out

    def covers(self, box: BBox) -> bool:
        """Whether a change lies in the open popup (hover there is no click)."""
        return self.open is not None and overlap(box, self.open.bbox) >= 0.5 * box[2] * box[3]

    def picked_from(self, el: Element) -> bool:
        """Whether ``el`` is an item of the popup open, or of the drop-down's list that
        closed in this frame: picking it from the list is the choice, no click of its own."""
        shut = self._shut if self._shut is not None and self._shut.kind == "dropdown" else None
        shown = self.open or shut  # (a menu's pick, its click, comes with the menu closing)
        return el.role in _ITEM_ROLES and shown is not None and (
            overlap(el.bbox, shown.bbox) >= 0.5 * el.area)

    def unhidden(self, prev: np.ndarray) -> np.ndarray:
        """The frame before this one (``prev``) as it was under the popup that closed in
        this frame, in grey: what a check box the popup hid looked like before it opened.
        Shown again as it was, it was not clicked; ticked at a low frame rate while the
        popup closed, it was."""
        popup = self._shut
        if popup is None:
            return prev
        x, y, w, h = popup.bbox
        x0, y0 = max(0, x), max(0, y)
        out = prev.copy()
        part = out[y0:y0 + popup.covered.shape[0], x0:x0 + popup.covered.shape[1]]
        part[:] = np.clip(popup.covered[:part.shape[0], :part.shape[1], None], 0, 255)
        return out

    def lights_rows(self, box: BBox) -> bool:
        """Whether a change in the open popup spans most of its width: its rows lighting up
        as the pointer moves over them (narrower, it may be text typed in a field the popup,
        taken for a list, does not really cover)."""
        return self.covers(box) and box[2] >= 0.7 * self.open.bbox[2]

    def _maybe_opened(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel,
                      pointer_at) -> list[Candidate]:
        prev = screen.prev_frame
        if prev is None:
            return []
        was = screen.prev_pointer  # where the pointer pressed, before a list showed
        pressed_at = None if was is None else (was.x, was.y)
        for region in diff.regions:
            owners = _unlike_fields([e for e in screen.previous if e.role == "combobox"
                                     and _attached(region.bbox, e.bbox, "dropdown")], screen)
            # a menu's title: a menu item with the menu under it, or any text at the top of
            # the change, lit up with the list that opened under it
            titles = [e for e in screen.previous if e.role == "menuitem"
                      and _attached(region.bbox, e.bbox, "menu")
                      and _menu_under(region.bbox, e.bbox, screen)]
            titles = titles or [e for e in screen.previous + screen.elements
                                if e.role in ("menuitem", "text")
                                and _lit_on_top(region.bbox, e.bbox)
                                and _menu_under(region.bbox, e.bbox, screen)]
            if not titles and not owners and frame.t_ms - self._menu_left > _RECENT_MENU_MS:
                # a menu drawn over a page, its items seen as something else: under the
                # title the pointer pressed (not a tab's), a narrow list of lines of text
                tabs = [e.bbox for e in screen.previous if e.role == "tab"]
                titles = [e for e in screen.previous if e.role in ("menuitem", "text")
                          and not any(abs(t[1] - e.bbox[1]) <= 8 for t in tabs)
                          and _attached(region.bbox, e.bbox, "menu")
                          and abs(region.bbox[0] - e.bbox[0]) <= 16
                          and e.bbox[2] <= region.bbox[2] <= _MENU_WIDTH
                          and pointer_at(e.bbox) is not None]
                if titles and _item_lines(screen, region.bbox) < 2:
                    titles = []
            clicked = [e for e in owners if pointer_at(e.bbox) is not None]
            # a menu's title was on the bar before; an item seen only now, lit at the top of
            # the list, is a drop-down's value with its list drawn over the box
            menu = any(t.role == "menuitem" and (t in screen.previous or _on_a_bar(t, screen))
                       for t in titles)
            if not clicked and not menu and (owners or titles or _list_like(region.bbox, screen)):
                # a list the pointer opened under (or over) a box the detector missed (an
                # empty one), though it also hangs from a box seen above, or its value at
                # the list's top looks like a menu's title
                unseen = _unseen_owner(screen, region.bbox, pressed_at, pointer_at,
                                       blind=diff.pointer is None and not owners)
                if unseen is not None:
                    owners = clicked = [unseen]
                    titles = []
            if not owners and not titles and frame.t_ms - self._menu_left > _RECENT_MENU_MS:
                title = _unseen_title(screen, region.bbox, pressed_at)
                titles = [title] if title is not None else []
            p = diff.pointer
            if p is not None and not any(contains(e.bbox, *pointed, 6) for e in owners
                                         for pointed in ((p.x, p.y), pressed_at) if pointed) and (
                    not contains(region.bbox, p.x, p.y, 6)
                    or screen.at(p.x, p.y, _CONTROLS, previous=True) is not None):
                # the pointer in view away from them all (now and where it pressed), or on a
                # control that stood under the change before it (a check box ticked beside
                # the box): no list opened
                owners = []
            if pressed_at is not None and not any(contains(e.bbox, *pressed_at)
                                                  for e in owners) and screen.at(
                    *pressed_at, _CONTROLS, previous=True) is not None:
                owners = []  # it pressed a check box under the box, then moved on over it
            if p is not None and not contains(region.bbox, p.x, p.y, 6) and not any(
                    pointer_at(t.bbox) is not None for t in titles):
                titles = []  # a menu opens where the pointer pressed its title
            if not owners and not titles:
                continue
            if owners:  # the one clicked, else the one the list hangs from
                # of two the pointer was on, the one it is on now
                owner = min(clicked or owners, key=lambda e: (
                    not (p is not None and contains(e.bbox, p.x, p.y)),
                    abs(region.bbox[1] - (e.bbox[1] + e.bbox[3]))))
            else:  # the title the menu hangs from, else the one beside it the pointer
                # pressed (short titles side by side, the change reaching past the menu)
                owner = min(titles, key=lambda e: abs(region.bbox[0] - e.bbox[0]))
                pressed = [e for e in screen.previous if e.role == "menuitem"
                           and abs(e.bbox[1] - owner.bbox[1]) <= 4
                           and region.bbox[0] <= e.bbox[0] < region.bbox[0] + region.bbox[2]
                           and pointer_at(e.bbox) is not None]
                if pressed and pointer_at(owner.bbox) is None:
                    owner = pressed[0]
            kind = "dropdown" if owner.role == "combobox" else "menu"
            if kind == "menu" and _worded_lines(screen, _under(region.bbox, owner.bbox)) < 2:
                continue  # no lines of text under the title: icons lit by a hover under it
            name = screen.name_of(owner, previous=True)
            value = ""
            if kind == "dropdown":
                value = box_value(screen.text(_value_box(owner.bbox), previous=True))
            # the list of a box closed a moment ago opens again before the box was read, or
            # another list opens over it: the box showed the value chosen then in the frame
            # before this one (read later, it would show the value chosen next, or an item)
            closing = self._closing
            again = closing is not None and closing.t_ms < frame.t_ms and (
                iou(closing.popup.owner.bbox, owner.bbox) > 0.5
                or overlap(closing.popup.owner.bbox, region.bbox) > 0)
            out = self._read_choice(screen, previous=True) if again else []
            drawn = covered = None
            if kind == "menu":  # its items as drawn, the pointer (on the title) painted out
                x, y, w, h = region.bbox
                drawn = frame.rgb[y:y + h, x:x + w].copy()
                covered = sprite_mask(drawn.shape, (x, y), p)
                if covered.any():
                    drawn = without_sprite(drawn, (x, y), p)
            lit = _lit_at_opening(frame.rgb, region.bbox, owner.bbox, screen) if (
                kind == "menu") else None
            self.open = Popup(kind, owner, name, region.bbox, _grey(prev.rgb, region.bbox),
                              value, frame.t_ms, highlighted=lit, drawn=drawn,
                              drawn_covered=covered)
            if kind == "menu":
                point = pointer_at(owner.bbox)
                out.append(click_candidate(frame, screen, owner,
                                           0.5 + 0.3 * owner.score + 0.2 * (name is not None),
                                           "menu_open", point, previous=True, role="menuitem"))
            return out
        return []

    def _follow_highlight(self, diff: FrameDiff, screen: ScreenModel) -> None:
        """Remember the item that lit up last inside the open popup; forget it when the
        light moved to an item the detector did not see."""
        for region in diff.regions:
            popup = self.open
            if overlap(region.bbox, popup.bbox) < 0.5 * region.bbox[2] * region.bbox[3]:
                continue
            items = [e for e in screen.elements if e.role in _ITEM_ROLES
                     and overlap(e.bbox, region.bbox) >= 0.5 * e.area
                     and overlap(e.bbox, popup.bbox) >= 0.8 * e.area]
            lit = [e for e in items if lit_up(screen.prev_frame.rgb, screen.frame.rgb, e.bbox)]
            if lit:
                self.open = replace(popup, highlighted=lit[-1])
            elif popup.highlighted is not None:
                self.open = replace(popup, highlighted=None)

    def _maybe_closed(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel,
                      pointer_at) -> list[Candidate]:
        popup = self.open
        # a page moved as a whole under the menu (the next screen's list drawn shifted) is a
        # change there too
        touched = [r for r in diff.regions if overlap(r.bbox, popup.bbox)] + [
            Region(s.region, s.region[2] * s.region[3]) for s in diff.shifts
            if overlap(s.region, popup.bbox)]
        if not touched:
            return []
        reverted = _reverted(popup, frame.rgb)
        items_left = [e for e in screen.elements if e.role in _ITEM_ROLES
                      and overlap(e.bbox, popup.bbox) >= 0.8 * e.area]
        # a change much larger than the popup over it is a window or a page replacing it
        area = popup.bbox[2] * popup.bbox[3]
        swept = any(r.bbox[2] * r.bbox[3] >= 2 * area for r in touched)
        # a highlight moving over a menu's items changes less than the menu, all inside it
        lit = popup.kind == "menu" and all(
            overlap(r.bbox, popup.bbox) >= 0.9 * r.bbox[2] * r.bbox[3]
            and r.bbox[2] * r.bbox[3] <= 0.85 * area for r in touched)
        if not reverted and (items_left or lit) and not swept:
            return []  # still open
        self.open = None
        self._shut = popup
        if popup.kind == "dropdown":
            out = self._read_choice(screen) if self._closing is not None else []
            self._closing = _Closing(popup, frame.frame_id, frame.t_ms, frame.t_ms + SETTLE_MS,
                                     _options(screen, popup))
            return out
        self._menu_left = frame.t_ms
        return self._menu_choice(frame, popup, screen, pointer_at)

    def _settle(self, frame: DecodedFrame, diff: FrameDiff,
                screen: ScreenModel) -> list[Candidate]:
        """Read a closed drop-down's box once it has not changed for :data:`SETTLE_MS`, or
        :attr:`hold_back_ms` after the list closed however it keeps changing (a caret blinking
        in an editable combo box)."""
        closing = self._closing
        if closing is None:
            return []
        box = closing.popup.owner.bbox
        if any(overlap(r.bbox, box) >= 0.5 * box[2] * box[3]
               and r.bbox[2] * r.bbox[3] >= 4 * box[2] * box[3] for r in diff.regions):
            # swept away before it settled (its dialog closed, the page changed): as last seen
            return self._read_choice(screen, previous=True)
        if any(overlap(r.bbox, box) for r in diff.regions):
            closing = self._closing = replace(closing, due=min(
                frame.t_ms + SETTLE_MS, closing.t_ms + self.hold_back_ms))
        return self._read_choice(screen) if frame.t_ms >= closing.due else []

    def _read_choice(self, screen: ScreenModel, *, previous: bool = False) -> list[Candidate]:
        """The ``select`` of the drop-down that closed, at the time it closed: its box shows a
        new value (a list closed over the old one is no choice)."""
        closing, self._closing = self._closing, None
        popup = closing.popup
        box = popup.owner.bbox
        read = screen.read(_value_box(box), previous=previous)
        again = screen.read(_value_box(box), previous=previous, again=True)
        options = tuple((box_value(ln.text.strip()),
                         box_value(screen.reader.read_line_again(crop).text.strip()))
                        for ln, crop in closing.options)
        value, listed = listed_value((box_value(read.text), box_value(again.text)), options)
        if not value or value == popup.value_before:
            return []
        before = popup.value_before.casefold()
        if any(iou(b, box) > 0.8 and v == value
               and edit_distance(v.casefold(), before) <= max(1, len(v) // 4)
               for b, v in self._chosen):
            # the value reported last for this box, which showed it (or nearly: misread) as
            # its list opened: the list closed over it again
            return []
        self._chosen = [(b, v) for b, v in self._chosen if iou(b, box) <= 0.8]
        self._chosen.append((box, value))
        target = Target(role="combobox", name=popup.owner_name, bbox=box)
        return [Candidate(closing.frame_id, closing.t_ms, Select(target=target, value=value),
                          0.6 + 0.3 * popup.owner.score,
                          {"reaction": "dropdown_closed", "value_score": read.lowest,
                           "value_listed": listed})]

    @staticmethod
    def _menu_choice(frame: DecodedFrame, popup: Popup, screen: ScreenModel,
                     pointer_at) -> list[Candidate]:
        """A menu closed: the item picked is the one the pointer was on, else the one lit up;
        closed with no item lit and the pointer off its items, it was dismissed (Escape, a
        click away)."""
        below = popup.owner.bbox[1] + popup.owner.bbox[3] - 2
        items = [e for e in screen.previous if e.role in _ITEM_ROLES and e.bbox[1] >= below
                 and overlap(e.bbox, popup.bbox) >= 0.8 * e.area]
        point = pointer_at(popup.bbox)
        chosen = next((e for e in items if point and contains(e.bbox, *point, pad=2)), None)
        chosen = chosen or popup.highlighted
        line = None
        if chosen is None and point is not None and contains(popup.bbox, *point):
            chosen, line = _item_at(screen, popup, point) or (None, None)
        if chosen is None:
            return []
        click = click_candidate(frame, screen, chosen, 0.5 + 0.3 * chosen.score,
                                "menu_item", point, previous=True, role="menuitem")
        if line is None or _hid(popup, line.bbox):  # read whole from the two pictures
            line = _uncovered_item(screen, popup, chosen) or line
        if line is not None and name_text("menuitem", line.text):
            target = replace(click.payload.target, name=name_text("menuitem", line.text))
            click = replace(click, payload=replace(click.payload, target=target),
                            features={**click.features, "name_score": line.score})
        if click.payload.target.name is not None:
            click = replace(click, evidence=click.evidence + 0.2)
        return [click]
