"""Drop-down lists and menus: what opened where, and what was chosen when it closed.

A popup is an area that appears right under (or over) its owner and goes away again: the list
of a combo box, or the menu of a menu-bar title. Choosing from a drop-down is one ``select``
(the clicks that open the list and pick the item are not clicks); a list closed with the old
value gives nothing. Opening a menu is a click on its title, and picking an item a click on the
item: both role ``menuitem``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..diff import BBox, FrameDiff
from ..events import Click, Select, Target
from ..frames import DecodedFrame
from .candidates import Candidate
from .screen import Element, ScreenModel, centre, contains, lit_up, overlap

__all__ = ["Popups", "Popup"]


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


def _grey(rgb: np.ndarray, box: BBox) -> np.ndarray:
    x, y, w, h = box
    crop = rgb[max(0, y):y + h, max(0, x):x + w].astype(np.float32)
    return crop @ np.array([0.299, 0.587, 0.114], np.float32)


def _attached(region: BBox, owner: BBox, kind: str) -> bool:
    """The region opens right below the owner, overlaps it sideways, and is taller than it (a
    list, not a message beside it). A drop-down list may also open above its box, or over it,
    centred on the current value (as some styles draw it)."""
    below = -owner[3] <= region[1] - (owner[1] + owner[3]) <= 8
    above = 0 <= owner[1] - (region[1] + region[3]) <= 8
    over = (region[1] <= owner[1] and region[1] + region[3] >= owner[1] + owner[3]
            and abs(region[2] - owner[2]) <= 0.3 * owner[2] + 8)
    sideways = min(region[0] + region[2], owner[0] + owner[2]) - max(region[0], owner[0])
    placed = below or (kind == "dropdown" and (above or over))
    return placed and sideways >= 0.5 * min(region[2], owner[2]) and region[3] >= 1.5 * owner[3]


class Popups:
    """The popup now open (at most one: opening another closes the first)."""

    hold_back_ms = 0

    def __init__(self) -> None:
        self.open: Popup | None = None

    def watermark(self) -> int | None:
        return None

    def push(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel,
             pointer_at) -> list[Candidate]:
        if diff.kind == "new_screen":
            self.open = None
            return []
        out: list[Candidate] = []
        if self.open is not None:
            out += self._maybe_closed(frame, diff, screen, pointer_at)
        if self.open is None:
            out += self._maybe_opened(frame, diff, screen, pointer_at)
        else:
            self._follow_highlight(diff, screen)
        return out

    def covers(self, box: BBox) -> bool:
        """Whether a change lies in the open popup (hover there is no click)."""
        return self.open is not None and overlap(box, self.open.bbox) >= 0.5 * box[2] * box[3]

    def _maybe_opened(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel,
                      pointer_at) -> list[Candidate]:
        prev = screen.prev_frame
        if prev is None:
            return []
        for region in diff.regions:
            owners = [e for e in screen.previous if e.role == "combobox"
                      and _attached(region.bbox, e.bbox, "dropdown")]
            owners += [e for e in screen.previous if e.role == "menuitem"
                       and _attached(region.bbox, e.bbox, "menu")
                       and not overlap(e.bbox, region.bbox) > 0.5 * e.area]
            if not owners:
                continue
            owner = min(owners, key=lambda e: abs(region.bbox[1] - (e.bbox[1] + e.bbox[3])))
            kind = "dropdown" if owner.role == "combobox" else "menu"
            name = screen.name_of(owner, previous=True)
            value = screen.text(owner.bbox, previous=True) if kind == "dropdown" else ""
            self.open = Popup(kind, owner, name, region.bbox, _grey(prev.rgb, region.bbox),
                              value, frame.t_ms)
            if kind == "menu":
                x, y = pointer_at(owner.bbox) or centre(owner.bbox)
                target = Target(role="menuitem", name=name, bbox=owner.bbox)
                return [Candidate(frame.frame_id, frame.t_ms, Click(x=x, y=y, target=target),
                                  0.5 + 0.3 * owner.score + 0.2 * (name is not None),
                                  {"reaction": "menu_open"})]
            return []
        return []

    def _follow_highlight(self, diff: FrameDiff, screen: ScreenModel) -> None:
        """Remember the item that lit up last inside the open popup."""
        popup = self.open
        for region in diff.regions:
            if overlap(region.bbox, popup.bbox) < 0.5 * region.bbox[2] * region.bbox[3]:
                continue
            items = [e for e in screen.elements if e.role in ("menuitem", "listitem")
                     and overlap(e.bbox, region.bbox) >= 0.5 * e.area
                     and overlap(e.bbox, popup.bbox) >= 0.8 * e.area]
            lit = [e for e in items if lit_up(screen.prev_frame.rgb, screen.frame.rgb, e.bbox)]
            if lit:
                self.open = replace(popup, highlighted=lit[-1])

    def _maybe_closed(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel,
                      pointer_at) -> list[Candidate]:
        popup = self.open
        touched = [r for r in diff.regions if overlap(r.bbox, popup.bbox)]
        if not touched:
            return []
        now = _grey(frame.rgb, popup.bbox)
        reverted = (now.shape == popup.covered.shape
                    and float(np.mean(np.abs(now - popup.covered))) <= 12)
        items_left = [e for e in screen.elements if e.role in ("menuitem", "listitem")
                      and overlap(e.bbox, popup.bbox) >= 0.8 * e.area]
        if not reverted and items_left:
            return []  # still open (a highlight moved inside it)
        self.open = None
        if popup.kind == "dropdown":
            value = screen.text(popup.owner.bbox)
            if not value or value == popup.value_before:
                return []
            target = Target(role="combobox", name=popup.owner_name, bbox=popup.owner.bbox)
            return [Candidate(frame.frame_id, frame.t_ms, Select(target=target, value=value),
                              0.6 + 0.3 * popup.owner.score, {"reaction": "dropdown_closed"})]
        # a menu closed: the item picked is the one the pointer was on, else the one lit up;
        # closed with the content back and no item lit, it was dismissed (Escape, a click away)
        items = [e for e in screen.previous if e.role == "menuitem"
                 and overlap(e.bbox, popup.bbox) >= 0.8 * e.area]
        point = pointer_at(popup.bbox)
        chosen = next((e for e in items if point and contains(e.bbox, *point, pad=2)), None)
        chosen = chosen or popup.highlighted
        if chosen is None:
            return []
        name = screen.name_of(chosen, previous=True)
        x, y = point if point is not None else centre(chosen.bbox)
        target = Target(role="menuitem", name=name, bbox=chosen.bbox)
        return [Candidate(frame.frame_id, frame.t_ms, Click(x=x, y=y, target=target),
                          0.5 + 0.3 * chosen.score + 0.2 * (name is not None),
                          {"reaction": "menu_item", "pointer": point is not None})]
