"""Typed text: one ``input_text`` per edit of a field, carrying its final value.

An edit of a field starts with the first change of its value and ends when focus leaves the
field, the screen changes, the value rests for 5 s, or the session ends. The field's pixels are
kept from the last change (with the caret erased when it blinks), so the value is read once, at
the end, even if the field is gone by then; a multi-line field is read line by line. A value
is not reported again when focus comes back to a field still showing it. Password-style fields
show a row of identical marks (dots or asterisks): their edits are emitted masked, and their
pixels are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ..diff import BBox, FrameDiff
from ..pointer import PointerMatch
from ..scoring import edit_distance
from ..events import InputText, Target
from ..frames import DecodedFrame
from ..ocr import TextRead
from .candidates import Candidate
from .screen import (ONE_LINE, Element, ScreenModel, contains, field_around, grow, iou as _iou,
                     overlap, same_place, snapped_field, without_sprite)

__all__ = ["Edits", "REST_MS", "faint_text", "frame_relooked", "frame_salience", "looks_masked",
           "secret", "strip_caret", "text_lines", "value_text"]

REST_MS = 5000
"""A value resting this long ends its edit."""
SETTLE_MS = 1500
"""How long an ended edit's field keeps being watched before its value is read: transports
that send changed areas lossy first (Citrix) refine them a few frames later."""
_WINDOW_AREA = 20_000
"""Pixels a change must cover to be a window (a dialog) opening."""
LATE_KEYS_MS = 500
"""How long after an edit's last change its field's changes still count as its late keys."""
_INSET = 3
"""Pixels of a field's frame left out when reading its value."""
_RIGHT_PAD = 12
"""Most pixels between a right-aligned field's caret and its frame."""
_RING_AREA = 5
"""Most times a field's area the change holding it may cover for its frame's new look to be
its focus ring."""
_EMPTY = TextRead("", 1.0)
"""The reading of a field that shows no value."""


def _inner(rgb: np.ndarray, box: BBox, pointer: PointerMatch | None = None) -> np.ndarray:
    """The inside of a field, with the pointer's sprite painted over when it lies on it."""
    x, y, w, h = box
    x0, y0 = max(0, x + _INSET), max(0, y + _INSET)
    x1, y1 = min(rgb.shape[1], x + w - _INSET), min(rgb.shape[0], y + h - _INSET)
    out = np.array(rgb[y0:y1, x0:x1])
    if pointer is None or pointer.sprite is None or out.size == 0:
        return out
    return without_sprite(out, (x0, y0), pointer)


def _humps(profile: np.ndarray) -> list[tuple[int, int]]:
    """Split a column profile at its gaps and at dips below 60 % of the peaks either side."""
    cuts = [0]
    peak = 0.0
    x = 0
    n = len(profile)
    while x < n:
        if profile[x] == 0:
            cuts.append(x)
            peak = 0.0
        else:
            peak = max(peak, profile[x])
            ahead = profile[x + 1:x + 12]
            if (x > 0 and profile[x] <= profile[x - 1] and len(ahead) and ahead.max() > 0
                    and profile[x] <= 0.6 * min(peak, ahead.max())
                    and profile[x] <= ahead[0]):
                cuts.append(x)
                peak = 0.0
        x += 1
    cuts.append(n)
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        cols = np.flatnonzero(profile[a:b] > 0)
        if len(cols):
            spans.append((a + int(cols[0]), a + int(cols[-1]) + 1))
    return spans


_SECRET_LABEL = re.compile(r"pass?w|kennwort|passcode|\bpin\b|secret", re.IGNORECASE)
"""A field's label that names a secret (Password, Passwort, PIN...)."""
_MASK_GLYPHS = re.compile(r"[\s|]*(?:[oOeEcC0\u3007\u2022\u25cf\u2219\u00b7*\u00b0][\s|]*){5,}")
"""A reading of password dots: the recogniser takes each dot for an o, e, c, 0 or a star."""


_SMALL_L = re.compile(r"(?<=[a-z]\.)I(?=\.)")
_CARET_BAR = re.compile(r"^\|\s*|\s*\|$")


def value_text(reading: str) -> str:
    """A field's value as read, trimmed; a caret or the frame's edge at either end (read as a
    bar, or as a bracket with no partner) dropped, and a capital I between small letters'
    abbreviation dots made the small l it must be (the two are one glyph in sans-serif
    fonts).

    >>> value_text(" Sealant 310 ml| "), value_text("Polaris S.r.I."), value_text("I.T. Ltd")
    ('Sealant 310 ml', 'Polaris S.r.l.', 'I.T. Ltd')
    >>> value_text("|CL-206485"), value_text("[Dmitri Bauer"), value_text("PO-64966]")
    ('CL-206485', 'Dmitri Bauer', 'PO-64966')
    >>> value_text("[A] Priority"), value_text("Box [12]")
    ('[A] Priority', 'Box [12]')
    """
    text = _CARET_BAR.sub("", reading.strip())
    if text.startswith("[") and "]" not in text:
        text = text[1:].lstrip()
    if text.endswith("]") and "[" not in text:
        text = text[:-1].rstrip()
    return _SMALL_L.sub("l", text)


def secret(label: str | None, reading: str, crop: np.ndarray) -> bool:
    """Whether a field's value is a secret, never to be read out: it shows password marks
    (:func:`looks_masked`), its reading is nothing but dot-like glyphs, or its label names a
    secret. Any one cue suffices: a secret read as text is the worse mistake.

    >>> blank = np.full((20, 80, 3), 255, np.uint8)
    >>> secret("Password: *", "", blank), secret(None, "eeeeee", blank)
    (True, True)
    >>> secret("Vendor", "Acme", blank), secret("Qty", "000", blank)
    (False, False)
    """
    dots = _MASK_GLYPHS.fullmatch(reading) is not None and not reading.isdigit()
    return bool(label and _SECRET_LABEL.search(label)) or dots or looks_masked(crop)


def looks_masked(crop: np.ndarray) -> bool:
    """A field showing a row of two or more identical round marks (password dots, asterisks).

    The ink's column profile splits into humps (marks may touch, so humps are cut at deep
    dips, not only at gaps); masked text is two or more humps of the same width and profile,
    evenly spaced, each a solid mark about as wide as the ink is tall (digits and letters are
    narrower or hollow).

    >>> crop = np.full((20, 80, 3), 255, np.uint8)
    >>> for x in range(6, 60, 10):
    ...     _ = cv2.circle(crop, (x, 10), 3, (0, 0, 0), -1)
    >>> looks_masked(crop)
    True
    >>> _ = cv2.putText(crop, "ab", (6, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1)
    >>> looks_masked(crop)
    False
    """
    if crop.size == 0:
        return False
    grey = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY)
    ink, _ = _ink(grey)
    ys, xs = np.nonzero(ink)
    if len(xs) < 4:
        return False
    ink = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    height = ink.shape[0]
    profile = ink.sum(axis=0).astype(float)
    humps = _humps(profile)
    if len(humps) < 2:
        return False
    widths = np.array([b - a for a, b in humps], float)
    starts = np.array([a for a, _ in humps], float)
    steps = np.diff(starts)
    if np.ptp(widths) > 2 or (len(steps) > 1 and np.ptp(steps) > 2):
        return False
    mark_w = float(np.median(widths))  # the marks are round: about as wide as tall
    if not 0.7 <= mark_w / height <= 1.45:
        return False
    a, b = humps[0]
    if ink[:, a:b].sum() < 0.55 * mark_w * height:
        return False  # an outline letter (W, O), not a solid mark
    # the same mark each time (sub-pixel placement shifts ink between columns: align by +-2)
    w = int(widths.min())
    padded = np.concatenate([np.zeros(2), profile, np.zeros(w + 2)])
    first = padded[humps[0][0] + 2:humps[0][0] + 2 + w]
    return all(min(np.abs(padded[a + 2 + d:a + 2 + d + w] - first).sum() for d in range(-2, 3))
               <= 0.25 * first.sum() for a, _ in humps[1:])


def _ink(grey: np.ndarray) -> tuple[np.ndarray, int]:
    background = int(np.median(grey))
    return np.abs(grey.astype(np.int16) - background) > 60, background


def text_lines(pixels: np.ndarray) -> list[np.ndarray]:
    """A field's inside cut into its lines of text, top to bottom (a multi-line field's
    wrapped value); an inside showing one line at most is left whole, since the recogniser
    finds a line's extent itself.

    >>> area = np.full((60, 120, 3), 255, np.uint8)
    >>> for y in (16, 40):
    ...     _ = cv2.putText(area, "abc", (4, y), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1)
    >>> area[:, 115] = 0
    >>> [line.shape[0] for line in text_lines(area)], text_lines(area[:30])[0].shape[0]
    ([15, 15], 30)
    """
    lines = _line_bands(pixels)
    return lines if len(lines) > 1 else [pixels]


def _line_bands(pixels: np.ndarray) -> list[np.ndarray]:
    """The bands of inked rows of a multi-line field's inside, a few pixels of margin kept;
    a one-line field's inside whole. A vertical line through every row (a scroll bar) is no
    text."""
    if pixels.shape[0] <= ONE_LINE:
        return [pixels]
    ink, _ = _ink(cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGB2GRAY))
    ink[:, ink.mean(axis=0) > 0.8] = False
    rows = np.flatnonzero(ink.any(axis=1))
    bands = [b for b in np.split(rows, np.flatnonzero(np.diff(rows) > _LINE_GAP) + 1)
             if len(b) and b[-1] - b[0] >= 4]
    pad = 3
    return [pixels[max(0, b[0] - pad):b[-1] + 1 + pad] for b in bands]


_LINE_GAP = 3
"""Blank rows inside a line of text (between an i's dot and its stem) are fewer than this;
lines of a text area lie further apart."""


def strip_caret(pixels: np.ndarray, caret_height: int | None = None) -> np.ndarray:
    """The field's pixels with a text caret (the rightmost thin bar taller than the text, or
    as tall as the carets seen blinking, or the only ink of an empty field) painted over with
    the background.

    >>> field = np.full((20, 60, 3), 255, np.uint8)
    >>> _ = cv2.putText(field, "ab", (2, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1)
    >>> field[2:18, 30] = 0                                   # the caret after "ab"
    >>> int((strip_caret(field)[:, 30] < 128).sum())
    0
    >>> field[:, 30] = 255
    >>> field[2:17, 1] = 0                                    # a tall stroke before "ab"
    >>> int((strip_caret(field, 14)[:, 1, 0] < 128).sum())
    15
    """
    if pixels.size == 0:
        return pixels
    grey = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGB2GRAY)
    ink, background = _ink(grey)
    h, w = ink.shape
    runs, run = np.zeros(w, int), np.zeros(w, int)
    for row in ink:  # longest vertical run of ink per column, a row at a time
        run = (run + 1) * row
        np.maximum(runs, run, out=runs)
    if not runs.any():
        return pixels
    glyphs = runs[runs > 0]
    inked = np.flatnonzero(runs)
    if inked[-1] - inked[0] < 3 and glyphs.max() >= 0.5 * h:
        tall = inked  # a caret alone in an empty field: nothing to be taller than
    else:
        need = 0.85 * caret_height if caret_height else max(0.6 * h,
                                                             1.15 * np.percentile(glyphs, 90))
        tall = np.flatnonzero(runs >= need)
    if len(tall) == 0:
        return pixels
    groups = np.split(tall, np.flatnonzero(np.diff(tall) > 1) + 1)
    bars = groups[-1]  # the caret follows the text it was typed after
    if len(bars) > 3:
        return pixels  # a frame or a rule, not a caret
    if (inked > bars[-1] + 2).sum() > 4:
        return pixels  # text goes on after it: a tall letter (the J of "Jonas"), no caret
    out = pixels.copy()
    colour = np.median(pixels.reshape(-1, 3), axis=0).astype(np.uint8)
    for x in bars:
        out[ink[:, x], x] = colour
    return out


def _same_text(a: np.ndarray, b: np.ndarray) -> bool:
    """Two views of a field show the same glyphs (its colours may differ: focus, an error)."""
    if a.shape != b.shape:
        return False
    ink_a, _ = _ink(cv2.cvtColor(np.ascontiguousarray(a), cv2.COLOR_RGB2GRAY))
    ink_b, _ = _ink(cv2.cvtColor(np.ascontiguousarray(b), cv2.COLOR_RGB2GRAY))
    return int(np.logical_xor(ink_a, ink_b).sum()) <= 4


def _caret_after_text(pixels: np.ndarray, caret_height: int | None) -> bool:
    """A field being typed into: left-aligned text, then a caret with room after it; or, in
    a field aligned right (numbers), the caret at its right end just after the text (a
    button's centred caption or a frame's edge is no caret)."""
    stripped = strip_caret(pixels, caret_height)
    changed = np.flatnonzero((stripped != pixels).any(axis=(0, 2)))
    if len(changed) == 0:
        return False
    ink, _ = _ink(cv2.cvtColor(np.ascontiguousarray(stripped), cv2.COLOR_RGB2GRAY))
    cols = np.flatnonzero(ink.any(axis=0))
    starts_left = len(cols) == 0 or cols[0] <= 12
    # the caret stands just after the text (at the start when there is none), not beside
    # some earlier edge of the box; ink further right is the pointer's I-beam at rest there
    before = cols[cols < changed[0] + 2]
    after_text = changed[0] <= 12 if len(before) == 0 else -1 <= changed[0] - before[-1] <= 8
    room_after = pixels.shape[1] - changed[-1] >= 6
    grey = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGB2GRAY).astype(np.int16)
    # a caret is drawn like the text, in full contrast; a frame's side is a mid-grey line
    stark = np.abs(grey[:, changed] - int(np.median(grey))).max() >= 120
    at_right_end = (pixels.shape[1] - changed[-1] <= _RIGHT_PAD and changed[-1] - changed[0] <= 3
                    and stark and len(cols) == len(before)
                    and (len(before) == 0 or -1 <= changed[0] - before[-1] <= 8))
    return bool((starts_left and after_text and room_after) or at_right_end)


def _away_from_text_end(change: BBox, field: BBox, before: np.ndarray) -> bool:
    """A thin change (a bar a few pixels wide) well away from where typing goes: after the
    field's text, or at its start when it is empty. An I-beam pointer passing over a field
    looks like this; a key typed or deleted changes the pixels at the text's end, and a key
    inserted mid-text moves the text after it (a wide change)."""
    if change[2] > 6:
        return False
    ink, _ = _ink(cv2.cvtColor(np.ascontiguousarray(before), cv2.COLOR_RGB2GRAY)) \
        if before.size else (np.zeros((1, 1), bool), 0)
    cols = np.flatnonzero(ink.any(axis=0))
    end = field[0] + _INSET + (int(cols[-1]) + 1 if len(cols) else 0)
    # in a field aligned right, keys go in at its right end
    right_end = field[0] + field[2] - _INSET - _RIGHT_PAD <= change[0]
    return not (end - 8 <= change[0] <= end + 16 or right_end)


def frame_relooked(before: np.ndarray, after: np.ndarray, box: BBox, *, band: int = 2,
                   level: int = 24, share: float = 0.7) -> bool:
    """Whether a box's frame changed look along most of its length (a field's focus ring
    coming or going), whatever changed inside it: each point of its outline counts as changed
    when any pixel within ``band`` of the edge there moved by more than ``level``.

    >>> a = np.full((40, 80, 3), 255, np.uint8); a[10, 10:60] = a[30, 10:60] = 120
    >>> a[10:31, 10] = a[10:31, 59] = 120
    >>> b = a.copy(); b[10, 10:60] = b[30, 10:60] = b[10:31, 10] = b[10:31, 59] = 40
    >>> frame_relooked(a, b, (10, 10, 50, 21)), frame_relooked(a, a, (10, 10, 50, 21))
    (True, False)
    """
    x, y, w, h = box
    H, W = before.shape[:2]
    x0, y0, x1, y1 = max(0, x - band), max(0, y - band), min(W, x + w + band), min(H, y + h + band)
    if x1 - x0 <= 2 * band + 4 or y1 - y0 <= 2 * band + 4:
        return False
    moved = (cv2.absdiff(before[y0:y1, x0:x1], after[y0:y1, x0:x1]).max(axis=2) > level)
    edge = 2 * band + 1
    top, bottom = moved[:edge].any(axis=0), moved[-edge:].any(axis=0)
    left, right = moved[:, :edge].any(axis=1), moved[:, -edge:].any(axis=1)
    changed = sum(int(e[edge:-edge].sum()) for e in (top, bottom, left, right))
    length = 2 * (x1 - x0 + y1 - y0 - 4 * edge)
    return changed >= share * length


def frame_salience(rgb: np.ndarray, box: BBox, band: int = 2) -> float:
    """How much a box's outline stands out from its inside: the mean colour distance of the
    pixels within ``band`` of its edge from the inside's median colour. A focus ring (a
    colour, a darker or a double line) stands out more than the plain frame it replaces.

    >>> a = np.full((40, 80, 3), 255, np.uint8); a[10, 10:60] = a[30, 10:60] = 160
    >>> a[10:31, 10] = a[10:31, 59] = 160
    >>> b = a.copy(); b[10, 10:60] = b[30, 10:60] = b[10:31, 10] = b[10:31, 59] = (40, 90, 220)
    >>> frame_salience(b, (10, 10, 50, 21)) > frame_salience(a, (10, 10, 50, 21))
    True
    """
    x, y, w, h = box
    H, W = rgb.shape[:2]
    x0, y0, x1, y1 = max(0, x - band), max(0, y - band), min(W, x + w + band), min(H, y + h + band)
    edge = 2 * band + 1
    if x1 - x0 <= 2 * edge or y1 - y0 <= 2 * edge:
        return 0.0
    area = rgb[y0:y1, x0:x1].astype(np.int16)
    inside = np.median(area[edge:-edge, edge:-edge].reshape(-1, 3), axis=0)
    outline = np.ones(area.shape[:2], bool)
    outline[edge:-edge, edge:-edge] = False
    return float(np.abs(area[outline] - inside).sum(axis=1).mean())


def _ring_changed(diff: FrameDiff, field: Element, before: np.ndarray,
                  after: np.ndarray) -> bool:
    """Whether a field mostly inside the changed regions changed its frame's look
    (:func:`frame_relooked`): its focus ring came or went."""
    return any(overlap(r.bbox, field.bbox) >= 0.5 * field.area for r in diff.regions) and (
        frame_relooked(before, after, field.bbox))


def shows_selection(pixels: np.ndarray) -> bool:
    """Whether a field's inside shows its text selected: on a band of highlight colour that
    fills most of the text's extent (plain text inks a third of it at most). Emptied right
    after, the field was cleared by the keys (select all, delete), not reset from afar."""
    if pixels.size == 0:
        return False
    grey = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGB2GRAY).astype(np.int16)
    ring = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    off = np.abs(grey - np.median(ring)) > 40
    rows, cols = np.flatnonzero(off.any(axis=1)), np.flatnonzero(off.any(axis=0))
    if len(rows) < 6 or len(cols) < 6:
        return False
    return float(off[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].mean()) >= 0.6


def faint_text(pixels: np.ndarray) -> bool:
    """The field shows only faint text: a greyed prompt ('Search...'), not a value.

    Grey all through: even the cores of its strokes stand out little from the background.
    Small dark text blurred by scaling has faint edges too, but dark cores. Bars the height
    of the field (the caret at the prompt's start, an edge of the frame) are not its text."""
    grey = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGB2GRAY)
    ink, background = _ink(grey)
    ink[:, ink.mean(axis=0) >= 0.7] = False
    if not ink.any():
        return False
    contrast = np.abs(grey[ink].astype(np.int16) - background)
    return float(np.median(contrast)) < 110 and float(np.percentile(contrast, 98)) < 140


@dataclass(frozen=True)
class _Edit:
    field: Element
    label: TextRead | None    # the field's label as read
    started_t: int
    last_t: int
    last_frame: str
    pixels: np.ndarray        # the field's inside at the last change, caret erased when seen
    caret_free: bool
    before: np.ndarray        # the field's inside just before the edit began
    value: str = ""           # the value as last read: a change that reads the same (the
                              # transport refining its pixels, a caret) is no change
    reads: tuple[tuple[int, str, str], ...] = ()   # (t_ms, frame_id, value) at each change
    frozen: bool = False      # the field changed again after the edit ended: keep its pixels

    def read_as(self, value: str, frame: DecodedFrame) -> "_Edit":
        """The edit with its field read as ``value`` in ``frame`` (its latest change)."""
        return replace(self, last_t=frame.t_ms, last_frame=frame.frame_id, value=value,
                       reads=self.reads + ((frame.t_ms, frame.frame_id, value),))


def _first_showing(edit: _Edit, final: str) -> tuple[int, str]:
    """The first frame showing the final value: the earliest read from which on every read is
    the final value give or take OCR noise (one character in ten). A read that is the final
    value cut short is the value still being typed, however close."""
    tolerance = max(1, len(final) // 10)
    anchor = (edit.last_t, edit.last_frame)
    for t_ms, frame_id, value in reversed(edit.reads):
        if edit_distance(value, final) > tolerance or (
                len(value) < len(final) and final.startswith(value)):
            break
        anchor = (t_ms, frame_id)
    return anchor


class Edits:
    """The open edit (at most one: typing goes to the focused field) and focus changes."""

    hold_back_ms = REST_MS

    def __init__(self) -> None:
        self._edit: _Edit | None = None
        self._settling: list[tuple[int, _Edit]] = []
        """Ended edits, with the time their value is read."""
        self.focused: Element | None = None
        """The text field that has focus, as far as the frames tell."""
        self.focus_moved_to: Element | None = None
        """Set for the frame where focus entered a field (read by clicks)."""
        self.focus_shown_by: str | None = None
        """What showed the focus move: ``typing`` in the field, a ``caret`` appearing in it,
        or its ``frame`` changing look (as it also does under a hovering pointer)."""
        self.emptied: Element | None = None
        """Set for the frame where a field was emptied from afar (a form reset by a button):
        a result of a click, not typing (read by clicks)."""
        self.typing_began: Element | None = None
        """Set for the frame where an edit opened, in the field typed into (read by clicks)."""
        self.focus_left: Element | None = None
        """Set for the frame where the focused field lost its focus look and no other field
        took it: focus went to something else (a button pressed), read by clicks."""
        self._caret_height: int | None = None
        self._reported: list[tuple[BBox, str]] = []
        """(field, value) of the last edit reported in each field of this screen."""

    def watermark(self) -> int | None:
        marks = [e.last_t for _, e in self._settling]
        if self._edit is not None:
            marks.append(self._edit.last_t)
        return min(marks, default=None)

    def push(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel) -> list[Candidate]:
        out: list[Candidate] = []
        self.focus_moved_to = self.focus_shown_by = self.focus_left = None
        self.emptied = self.typing_began = None
        if diff.carets:
            self._caret_height = max(c[3] for c in diff.carets)
        if diff.kind == "new_screen":
            self._close()
            self.focused = None
            out = self._read_settled(screen, frame.t_ms, everything=True)
            self._reported = []
            return out
        out += self._settle(frame, diff, screen)
        if self._edit is not None and (frame.t_ms - self._edit.last_t >= REST_MS
                                       or self._screen_changed_around(diff, screen)
                                       or self._window_opened_elsewhere(diff)):
            if any(overlap(r.bbox, self._edit.field.bbox) for r in diff.regions):
                # changed as the edit ends (emptied for the next record): its pixels are the
                # value typed, the later ones are not; unless they show it continued (the
                # last keys arriving in the frame focus moved on)
                self._edit = replace(self._continued(frame, diff, screen), frozen=True)
            self._close(frame.t_ms)
        cleared = None
        if self._edit is not None and self._cleared_from_afar(frame, diff):
            cleared = self.emptied = self._edit.field
            self._edit = replace(self._edit, frozen=True)   # its pixels show the value typed
            self._close(frame.t_ms)
        self._refresh(frame, diff)
        fields = [e for e in screen.elements if e.role == "textbox"]
        # a field found only now, where text appeared, may be no field at all: a menu or a
        # list opening over the page, its lines read as text typed into a box around them
        typed = self._typed_field(diff, [f for f in fields if any(
            e.role in ("textbox", "combobox") and _iou(e.bbox, f.bbox) > 0.5
            for e in screen.previous)], screen, frame)
        if typed is not None and ((self._emptied_from_afar(frame, diff, typed) and not (
                shows_selection(_inner(screen.prev_frame.rgb, typed.bbox)))) or (
                cleared is not None and _iou(typed.bbox, cleared.bbox) > 0.5)):
            self.emptied, typed = typed, None  # a form reset for the next record: no typing
        focus, shown_by = self._focus_field(
            diff, fields, screen.prev_frame.rgb if screen.prev_frame is not None else None,
            frame.rgb)
        if typed is not None:
            if self._edit is None or _iou(self._edit.field.bbox, typed.bbox) < 0.5:
                self._close(frame.t_ms)
                if self.focused is None or not same_place(self.focused.bbox, typed.bbox):
                    self.focus_moved_to, self.focus_shown_by = typed, "typing"
                self._open(typed, frame, screen, diff.pointer)
                self.typing_began = typed
            else:
                value = self._value(_inner(frame.rgb, typed.bbox, diff.pointer), False, screen)
                if value != self._edit.value:
                    self._edit = self._edit.read_as(value, frame)
            self.focused = typed
        elif focus is not None and (self.focused is None
                                    or not same_place(self.focused.bbox, focus.bbox)):
            self._close(frame.t_ms)
            self.focused = focus
            self.focus_moved_to, self.focus_shown_by = focus, shown_by
        elif self.focused is not None and screen.prev_frame is not None and _ring_changed(
                diff, self.focused, screen.prev_frame.rgb, frame.rgb):
            self.focus_left = self.focused
        return out

    def flush(self, screen: ScreenModel) -> list[Candidate]:
        self._close()
        return self._read_settled(screen, 0, everything=True)

    # --- what this frame shows ----------------------------------------------------------------

    def _typed_field(self, diff: FrameDiff, fields: list[Element], screen: ScreenModel,
                     frame: DecodedFrame) -> Element | None:
        """The field whose value changed: a change mostly inside it (not its frame) that is
        more than a caret or the pointer appearing there."""
        best, best_share = None, 0.0
        for region in diff.regions:
            area = region.bbox[2] * region.bbox[3]
            for f in fields:
                inside = overlap(region.bbox, (f.bbox[0] + 2, f.bbox[1] + 2, f.bbox[2] - 4,
                                               f.bbox[3] - 4))
                share = inside / area if area else 0.0
                if share >= 0.6 and _iou(region.bbox, f.bbox) < 0.8 and share > best_share:
                    best, best_share = f, share
        if best is None:
            best = self._field_from_pixels(diff, screen, frame)
        if best is None or screen.prev_frame is None:
            return best
        before = strip_caret(_inner(screen.prev_frame.rgb, best.bbox, screen.prev_pointer),
                             self._caret_height)
        inside = [r.bbox for r in diff.regions if overlap(r.bbox, best.bbox)]
        if inside and all(_away_from_text_end(b, best.bbox, before) for b in inside):
            return None
        after = strip_caret(_inner(frame.rgb, best.bbox, diff.pointer), self._caret_height)
        return None if _same_text(before, after) else best

    def _field_from_pixels(self, diff: FrameDiff, screen: ScreenModel,
                           frame: DecodedFrame) -> Element | None:
        """A text field the detector missed, seen taking text: a line-high change inside a
        flat framed box (:func:`~vision.inference.screen.field_around`), or inside what the
        detector took for a combo box (an editable one, or a field with suggestions), that
        shows a caret."""
        combos = [e for e in screen.elements if e.role == "combobox"]
        for region in diff.regions:
            x, y, w, h = region.bbox
            if not (6 <= h <= 40 and w <= 240):
                continue
            combo = next((c.bbox for c in combos
                          if overlap(region.bbox, c.bbox) >= 0.8 * w * h), None)
            box = snapped_field(frame.rgb, combo) if combo else field_around(frame.rgb,
                                                                             region.bbox)
            if box is None or overlap(box, region.bbox) < 0.8 * w * h:
                continue
            lines = _line_bands(_inner(frame.rgb, box, diff.pointer))
            if not any(_caret_after_text(line, self._caret_height) for line in lines):
                continue  # text changed in a box (a button, a title), but nobody types there
            el = Element("textbox", box, 0.5)
            screen.add(el)
            return el
        return None

    def _focus_field(self, diff: FrameDiff, fields: list[Element], before: np.ndarray | None,
                     after: np.ndarray) -> tuple[Element | None, str | None]:
        """A field that gained a caret or a focus frame (a caret blinking on in the field that
        already has focus is no news), and which of the two showed it."""
        for caret in diff.carets:
            for f in fields:
                if overlap(caret, f.bbox) >= 0.8 * caret[2] * caret[3] and not (
                        self.focused is not None and same_place(self.focused.bbox, f.bbox)):
                    return f, "caret"
        # the whole frame of a field changed: its focus look. The field focus left changes
        # the same way, so not the field that had it; of several, the one under the pointer.
        # While a field known to have focus keeps its look, a field lighting up alone is
        # the pointer hovering over it. Two fields close together change as one region.
        # A field in a part of the page redrawn (a tab switched) changes its frame too: only
        # a change about the field's size (two fields trading focus at most) is a focus ring,
        # unless the pointer is on the field.
        p = diff.pointer

        def relooked(f: Element, least: float = 0.8) -> bool:
            if any(_iou(r.bbox, f.bbox) >= least for r in diff.regions):
                return True
            own = all(r.bbox[2] * r.bbox[3] <= _RING_AREA * f.area for r in diff.regions
                      if overlap(r.bbox, f.bbox) >= 0.5 * f.area)
            return (own or (p is not None and overlap(p.bbox, f.bbox) > 0)) and (
                before is not None and _ring_changed(diff, f, before, after))

        if self.focused is not None and not relooked(self.focused, 0.5):
            return None, None
        # a frame that stands out less than before lost the ring (to the field that has
        # focus, its ring drawn late, or to another)
        looks = [f for f in fields if relooked(f)
                 and not (self.focused is not None and same_place(self.focused.bbox, f.bbox))
                 and (before is None
                      or frame_salience(after, f.bbox) >= frame_salience(before, f.bbox))]
        if not looks:
            return None, None
        under = next((f for f in looks if p is not None and overlap(p.bbox, f.bbox)), None)
        if under is None and len(looks) > 1:
            return None, None  # a part of the page redrawn (a tab switched): no focus moved
        return under or looks[0], "frame"

    # --- edits --------------------------------------------------------------------------------

    def _open(self, field: Element, frame: DecodedFrame, screen: ScreenModel,
              pointer: PointerMatch | None) -> None:
        pixels = _inner(frame.rgb, field.bbox, pointer)
        value = self._value(pixels, False, screen)
        self._edit = _Edit(field, screen.name_read(field), frame.t_ms, frame.t_ms,
                           frame.frame_id, pixels, False,
                           _inner(screen.prev_frame.rgb, field.bbox, screen.prev_pointer),
                           value, ((frame.t_ms, frame.frame_id, value),))

    def _continued(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel) -> _Edit:
        """The open edit, with this frame's pixels of its field where they read as its value
        typed on (longer, starting with it)."""
        edit = self._edit
        now = _inner(frame.rgb, edit.field.bbox, diff.pointer)
        if now.shape != edit.pixels.shape or not edit.value:
            return edit
        value = self._value(now, False, screen)
        if len(value) <= len(edit.value) or not value.startswith(edit.value):
            return edit
        return replace(edit.read_as(value, frame), pixels=now, caret_free=False)

    def _screen_changed_around(self, diff: FrameDiff, screen: ScreenModel) -> bool:
        """The edited field was swept away with its surroundings (another tab, a refilled
        form) or is no longer shown: the screen changed, which ends the edit."""
        box = self._edit.field.bbox
        area = box[2] * box[3]
        if any(overlap(r.bbox, box) >= 0.5 * area and r.bbox[2] * r.bbox[3] > 4 * area
               for r in diff.regions):
            return True
        return not any(e.role == "textbox" and _iou(e.bbox, box) > 0.8
                       for e in screen.elements)

    def _window_opened_elsewhere(self, diff: FrameDiff) -> bool:
        """A dialog-sized change away from the edited field (not a list opening under it, as
        autocompletion does): the screen changed and focus left the field, which ends the
        edit."""
        near = grow(self._edit.field.bbox, 12)
        return any(r.bbox[2] * r.bbox[3] >= _WINDOW_AREA and not overlap(r.bbox, near)
                   for r in diff.regions)

    def _cleared_from_afar(self, frame: DecodedFrame, diff: FrameDiff) -> bool:
        """Whether the edited field was just emptied while the pointer is in view away from
        it: a button pressed there (Clear, or Save resetting the form) ended the edit first,
        with the value typed, not with the empty field."""
        edit = self._edit
        return (any(overlap(r.bbox, edit.field.bbox) for r in diff.regions)
                and self._emptied_from_afar(frame, diff, edit.field)
                and not self._blank(edit.pixels) and not shows_selection(edit.pixels))

    def _emptied_from_afar(self, frame: DecodedFrame, diff: FrameDiff, field: Element) -> bool:
        """Whether ``field`` shows empty now while the pointer is in view away from it."""
        p = diff.pointer
        return p is not None and not contains(field.bbox, p.x, p.y, 12) and self._blank(
            _inner(frame.rgb, field.bbox, p))

    def _blank(self, pixels: np.ndarray) -> bool:
        """Whether a field's inside shows nothing but, perhaps, the caret."""
        grey = cv2.cvtColor(np.ascontiguousarray(strip_caret(pixels, self._caret_height)),
                            cv2.COLOR_RGB2GRAY)
        return not _ink(grey)[0].any()

    def _refresh(self, frame: DecodedFrame, diff: FrameDiff) -> None:
        """Keep the edited field's latest pixels: the value as shown now (refined by the
        transport, the last letters arrived), the pointer painted over; when the caret
        blinks there, the caret too."""
        edit = self._edit
        if edit is None:
            return
        now = _inner(frame.rgb, edit.field.bbox, diff.pointer)
        if now.shape != edit.pixels.shape:
            return
        # a "caret" shorter than a line of text (half a one-line field's inside, 12 px at
        # most) is a glyph's stroke refined late by the transport: stripping it would take
        # the last letter with it
        caret = next((c for c in diff.carets
                      if overlap(c, edit.field.bbox) >= 0.8 * c[2] * c[3]
                      and c[3] >= min(0.5 * now.shape[0], 12)), None)
        if caret is not None:
            self._edit = replace(edit, pixels=strip_caret(now, caret[3]), caret_free=True)
        elif not edit.caret_free or any(overlap(r.bbox, edit.field.bbox) for r in diff.regions):
            self._edit = replace(edit, pixels=now, caret_free=False)

    def _close(self, now_ms: int | None = None) -> None:
        """End the open edit; its value is read once it has settled (at once when ``now_ms``
        is None: the field is gone)."""
        edit, self._edit = self._edit, None
        if edit is not None and edit.pixels.size:
            due = edit.last_t if now_ms is None else now_ms + SETTLE_MS
            self._settling.append((due, edit))

    def _settle(self, frame: DecodedFrame, diff: FrameDiff,
                screen: ScreenModel) -> list[Candidate]:
        """Take the refined pixels of ended edits whose fields did not change since, and read
        those that are due."""
        kept = []
        for due, edit in self._settling:
            box = edit.field.bbox
            still = any(e.role == "textbox" and _iou(e.bbox, box) > 0.8 for e in screen.elements)
            retyped = self._edit is not None and _iou(self._edit.field.bbox, box) > 0.5
            if still and not retyped:
                # the transport refining the field's pixels, or the last keys showing after
                # focus left (a lagging transport); later changes there are something else
                # (a new page reusing the field)
                touched = any(overlap(r.bbox, box) for r in diff.regions)
                late = touched and frame.t_ms - edit.last_t <= LATE_KEYS_MS
                now = _inner(frame.rgb, box, diff.pointer)
                if touched and not late:
                    edit = replace(edit, frozen=True)
                elif now.shape == edit.pixels.shape and not edit.frozen and (
                        late or not edit.caret_free):
                    edit = replace(edit, pixels=now, caret_free=False)
            elif not still:
                due = frame.t_ms  # the field went away: read what was last seen
            kept.append((due, edit))
        self._settling = kept
        return self._read_settled(screen, frame.t_ms)

    def _read_settled(self, screen: ScreenModel, now_ms: int, *,
                      everything: bool = False) -> list[Candidate]:
        due = [e for t, e in self._settling if everything or t <= now_ms]
        self._settling = [(t, e) for t, e in self._settling if not (everything or t <= now_ms)]
        return [c for e in due for c in self._candidate(e, screen)]

    def _candidate(self, edit: _Edit, screen: ScreenModel) -> list[Candidate]:
        label = (edit.label.text or None) if edit.label is not None else None
        target = Target(role="textbox", name=label, bbox=edit.field.bbox)
        features = {"field_score": edit.field.score, "labelled": label is not None,
                    "duration_ms": edit.last_t - edit.started_t}
        if label is not None:
            features["label_score"] = edit.label.lowest
            features["label_agrees"] = screen.name_agrees(edit.field, edit.label)
        read = self._read(edit.pixels, edit.caret_free, screen)
        text = value_text(read.text)
        if secret(label, text, strip_caret(edit.pixels, self._caret_height)):
            payload = InputText(target=target, text=None, masked=True,
                                started_t_ms=edit.started_t)
            return [Candidate(edit.last_frame, edit.last_t, payload, 0.9,
                              {**features, "masked": True})]
        # the value as it was (focus returned, a selection shown) is no edit; so is the value
        # reported last for the field, unless typed anew into it emptied (the next record)
        box = edit.field.bbox
        repeated = not self._blank(edit.before) and any(
            same_place(b, box) and v == text for b, v in self._reported)
        if repeated or text == self._value(edit.before, False, screen):
            return []
        self._reported = [(b, v) for b, v in self._reported if not same_place(b, box)]
        self._reported.append((box, text))
        payload = InputText(target=target, text=text, masked=False, started_t_ms=edit.started_t)
        evidence = 0.4 + 0.3 * edit.field.score + 0.2 * (label is not None) + 0.1 * bool(text)
        if text:
            features["text_score"] = read.lowest
            features["text_agrees"] = value_text(
                self._read(edit.pixels, edit.caret_free, screen, again=True).text) == text
        t_ms, frame_id = _first_showing(edit, text)
        return [Candidate(frame_id, t_ms, payload, evidence, {**features, "masked": False})]

    def _value(self, pixels: np.ndarray, caret_free: bool, screen: ScreenModel) -> str:
        """The text a field's inside shows (a greyed prompt reads as empty)."""
        return value_text(self._read(pixels, caret_free, screen).text)

    def _read(self, pixels: np.ndarray, caret_free: bool, screen: ScreenModel, *,
              again: bool = False) -> TextRead:
        """The reading of a field's inside, its lines joined by spaces (a value wrapped in a
        text area); empty where it shows none. ``again``: read the second way."""
        read = screen.reader.read_line_again if again else screen.reader.read_line
        reads = [read(shown) for line in text_lines(pixels)
                 if (shown := self._shown(line, caret_free)) is not None]
        reads = [r for r in reads if r.text]
        if not reads:
            return _EMPTY
        if len(reads) == 1:
            return reads[0]
        return TextRead(" ".join(r.text for r in reads), min(r.score for r in reads),
                        min(r.lowest for r in reads))

    def _shown(self, pixels: np.ndarray, caret_free: bool) -> np.ndarray | None:
        """The pixels of a field's value, caret erased; None where it shows none (empty, or
        a greyed prompt)."""
        if pixels.size == 0:
            return None
        if not caret_free:
            pixels = strip_caret(pixels, self._caret_height)
        # a caret's soft edges left behind read as a "1" once the recogniser stretches
        # the contrast: a field with no ink shows nothing
        grey = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGB2GRAY)
        return None if not _ink(grey)[0].any() or faint_text(pixels) else pixels
