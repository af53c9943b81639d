"""Validation errors: a message that appears beside a field, in a status line or in a dialog.

Errors are told from ordinary status text by colour (red ink), an error icon, or wording
("required", "invalid", "must" ...). Each appearance is one event; the same message shown
again after it went away is a new one. A message beside or under a field names that field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..diff import BBox, FrameDiff
from ..events import ValidationError
from ..frames import DecodedFrame
from .candidates import Candidate
from .screen import Element, ScreenModel, field_around, grow, iou, overlap

__all__ = ["Messages", "red_ink", "red_share", "ERROR_WORDS", "RED_TEXT"]

RED_TEXT = 0.4
"""Share of a line's ink that is red from which the line is drawn in red (see red_share)."""
_BESIDE = 400
"""Widest gap, in pixels, between a field and a message on its row that names it."""
_UNDER = 12
"""Widest gap, in pixels, between a field's lower edge and a message under it that names it."""
_RED_LINE = 150
"""Red pixels enough for a short line of red text. A changed area is read for messages when
0.4 % of its pixels are red, or this many in a wide area of a local change (a message in a
status bar that changed with the button row above it)."""
_WIDE = 250_000
"""Largest area, in pixels, read for messages on :data:`_RED_LINE` red pixels: the red
marks of a whole form (required stars) would have every new page read line by line."""

ERROR_WORDS = re.compile(
    r"\b(required|invalid|must|error|cannot|can't|not valid|not allowed|missing|incorrect|"
    r"wrong|exceeds?|too (long|short|large|small)|format|failed|mandatory|only|expected|"
    r"already exists|please (enter|select|fill|correct)|enter (a|an|your)|out of range|"
    r"not a valid)\b", re.I)


def _reds(crop: np.ndarray) -> np.ndarray:
    r, g, b = crop[..., 0], crop[..., 1], crop[..., 2]
    return (r >= 120) & (r - np.maximum(g, b) >= 60)


def red_ink(rgb: np.ndarray, box: BBox) -> float:
    """Share of a box's pixels drawn in a saturated red (error text and icons)."""
    x, y, w, h = box
    crop = rgb[max(0, y):y + h, max(0, x):x + w].astype(np.int16)
    return float(np.mean(_reds(crop))) if crop.size else 0.0


def red_share(rgb: np.ndarray, box: BBox) -> float:
    """Share of a line's ink (pixels far from its background colour) that is saturated red.

    Text drawn in red is mostly red ink (0.7 measured on a Qt message); black text drawn with
    sub-pixel anti-aliasing (ClearType and the like) has red fringes too, but they are a small
    share of its ink (0.06 to 0.2), however much of the box they cover.
    """
    x, y, w, h = box
    crop = rgb[max(0, y):y + h, max(0, x):x + w].astype(np.int16).reshape(-1, 3)
    if len(crop) == 0:
        return 0.0
    ink = np.abs(crop - np.median(crop, axis=0)).max(axis=1) >= 60
    return float(np.mean(_reds(crop[ink]))) if ink.sum() >= 4 else 0.0


def _sentence_like(text: str) -> bool:
    """A message has words: four letters or more (a red figure or code in a table is data,
    not a message)."""
    return sum(c.isalpha() for c in text) >= 4


def _in_table(box: BBox, screen: ScreenModel) -> bool:
    """The line lies in a table cell or a list row with another cell or row next to it (a
    table, a list): content, not a message. A status bar the detector took for a lone row
    is no table."""
    area = box[2] * box[3]
    table = [e for e in screen.elements if e.role in ("cell", "listitem")]
    return any(overlap(e.bbox, box) >= 0.8 * area and any(
        overlap(grow(e.bbox, 8), o.bbox) and iou(e.bbox, o.bbox) < 0.5 for o in table)
        for e in table)


def _in_title_band(line: BBox, dialog: BBox) -> bool:
    """The line is a dialog's title ("Error", "Warning"), in the band along its top: the
    message is the text below it."""
    middle = line[1] + line[3] / 2 - dialog[1]
    return middle <= min(_TITLE_BAND, 0.2 * dialog[3])


_TITLE_BAND = 36
"""Height, in pixels, of a dialog's title band (its bar, or a web modal's header)."""


@dataclass(frozen=True)
class _Shown:
    text: str
    bbox: BBox


class Messages:
    """Error messages now visible, to report each appearance once."""

    hold_back_ms = 0

    def __init__(self) -> None:
        self._shown: list[_Shown] = []

    def watermark(self) -> int | None:
        return None

    def push(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel,
             dialog: BBox | None) -> list[Candidate]:
        if diff.kind == "new_screen":
            self._shown = []
        changed = [r.bbox for r in diff.regions]
        if dialog is not None:
            changed.append(dialog)
        # messages whose area changed and no longer shows them have gone
        # (one still drawn in red is still there: the pointer passing over it changes its read)
        self._shown = [m for m in self._shown if not any(overlap(m.bbox, c) for c in changed)
                       or screen.text(m.bbox) == m.text
                       or red_share(frame.rgb, m.bbox) >= RED_TEXT]
        out = []
        for box in changed:
            in_dialog = dialog is not None and box == dialog
            area = box[2] * box[3]
            red_px = red_ink(frame.rgb, box) * area
            enough = 0.004 * area if diff.kind == "new_screen" or area > _WIDE else min(
                _RED_LINE, 0.004 * area)
            if not in_dialog and red_px < enough:
                continue
            width, height = frame.size
            x, y, w, h = grow(box, 4)
            x0, y0 = max(0, x), max(0, y)
            region = (x0, y0, min(width, x + w) - x0, min(height, y + h) - y0)
            lines = [ln for ln in screen.reader.find_lines(frame.rgb, region)
                     if _sentence_like(ln.text) and not _in_table(ln.bbox, screen)
                     and not (in_dialog and _in_title_band(ln.bbox, box))]
            for line in lines:
                red = red_share(frame.rgb, line.bbox)
                worded = bool(ERROR_WORDS.search(line.text))
                if not (red >= RED_TEXT or (worded and (in_dialog or red >= RED_TEXT / 2))):
                    continue
                text = line.text.strip()
                area = line.bbox[2] * line.bbox[3]
                if any(overlap(m.bbox, line.bbox) and (m.text == text or (
                        len(text) < len(m.text) and overlap(m.bbox, line.bbox) >= 0.6 * area))
                       for m in self._shown):
                    continue  # shown already, or a part of a message shown (read in pieces)
                self._shown.append(_Shown(text, line.bbox))
                field = self._field_of(line.bbox, screen, frame.rgb,
                                       within=box if in_dialog else None)
                evidence = min(1.0, 0.35 + 0.3 * (red >= RED_TEXT) + 0.25 * worded
                               + 0.1 * line.score)
                out.append(Candidate(frame.frame_id, frame.t_ms,
                                     ValidationError(field=field, message=text,
                                                     bbox=line.bbox), evidence,
                                     {"red": red, "worded": worded, "dialog": in_dialog,
                                      "read_score": line.score, "by_field": field is not None,
                                      "lines_around": len(lines)}))
        return out

    @staticmethod
    def _field_of(box: BBox, screen: ScreenModel, rgb: np.ndarray, *,
                  within: BBox | None = None) -> str | None:
        """The label of the field the message sits beside (the nearest on its row to its
        left: messages often stand in a column of their own, right of the form's widest
        field) or under; a field the detector missed (or took for a button) is looked for in
        the pixels (:func:`_unseen_field`). A message in a dialog (``within``) names only a
        field in the dialog (its box, as changed, may cut the field's left part off): a
        message box names none, though the page behind has fields."""
        def in_reach(b: BBox) -> bool:
            return within is None or overlap(b, within) >= 0.3 * b[2] * b[3]

        x, y, w, h = box
        cy = y + h / 2
        fields = [e for e in screen.elements if e.role in ("textbox", "combobox", "checkbox")
                  and in_reach(e.bbox)]
        beside = [f for f in fields if f.bbox[1] <= cy <= f.bbox[1] + f.bbox[3]
                  and 0 <= x - (f.bbox[0] + f.bbox[2]) <= _BESIDE]
        under = [f for f in fields if 0 <= y - (f.bbox[1] + f.bbox[3]) <= _UNDER
                 and abs(x - f.bbox[0]) <= 40]
        field = (max(beside, key=lambda f: f.bbox[0] + f.bbox[2]) if beside
                 else (under or [None])[0])
        if field is None:
            found = _unseen_field(rgb, box)
            if found is not None and in_reach(found):
                field = Element("textbox", found, 0.0)
        return screen.name_of(field) if field is not None else None


def _unseen_field(rgb: np.ndarray, message: BBox) -> BBox | None:
    """A text field right above the message, or just left of it on its row, found as a framed
    flat area (:func:`~vision.inference.screen.field_around`) seeded a few pixels off the
    message's edge."""
    x, y, w, h = message
    cy = y + h // 2
    for sx, sy in ((x + 6, y - 6), (x + 6, y - _UNDER)):   # under a field
        found = field_around(rgb, (sx + 2, sy, 1, 1))
        if found is not None and 0 <= y - (found[1] + found[3]) <= _UNDER and abs(
                found[0] - x) <= 40:
            return found
    for sx in (x - 8, x - 16, x - 24):                        # beside one, close to its right
        found = field_around(rgb, (sx + 2, cy, 1, 1))
        if found is not None and found[1] <= cy <= found[1] + found[3] and 0 <= x - (
                found[0] + found[2]) <= 24:
            return found
    return None
