"""Where the glyphs of a line of UI text are, apart from the widget chrome around them.

Crops of UI text hold more than glyphs: a field's frame or bevel, the rule under a header, the
side of a frame next to a label. Ink is split into connected parts, and the parts that are
chrome (:func:`chrome_parts`) are told apart by shape, never by colour or position alone, so
the same rules hold for any toolkit's widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

__all__ = ["Ink", "background_level", "ink_parts", "chrome_parts", "text_extent", "text_runs",
           "round_letters", "ROUND_GLYPHS"]

BBox = tuple[int, int, int, int]


@dataclass(frozen=True)
class Ink:
    """The connected parts of a crop's ink."""

    labels: np.ndarray
    """``(H, W)`` int32 part index per pixel, 0 for the background."""
    stats: np.ndarray
    """``(n, 5)`` OpenCV component stats ``(x, y, w, h, area)``; row 0 is the background."""
    strong: np.ndarray
    """``(n,)`` bool: the part holds a pixel above the strong threshold (row 0 False)."""


def background_level(grey: np.ndarray) -> float:
    """The grey level of the background: the most common level, within 8 levels.

    UI backgrounds are flat, so their level is the most frequent even in a crop tight around
    bold digits, where the median is a glyph's edge.

    Examples
    --------
    >>> grey = np.full((10, 30), 240, np.uint8)
    >>> grey[:, 4:22] = np.arange(0, 180, 10)           # 60 % ink, of many levels
    >>> float(np.median(grey)), background_level(grey)
    (145.0, 240.0)
    """
    counts = np.bincount(grey.ravel() >> 3, minlength=32)
    peak = int(counts.argmax())
    return float(np.median(grey[(grey >> 3) == peak]))


def ink_parts(grey: np.ndarray, *, min_contrast: int = 32) -> Ink | None:
    """The connected parts of the ink of a grey crop, or None when nothing stands out.

    Ink is what differs from the background (:func:`background_level`) by more than a third
    of the crop's strongest contrast, so JPEG ringing and the faint edges of anti-aliased
    glyphs stay background. Each part extends over its neighbours differing by a sixth
    (hysteresis): a field's grey frame then stays one piece, which codec noise would
    otherwise break into fragments that look like glyphs. A crop whose strongest contrast is under
    ``min_contrast`` grey levels holds no ink.
    """
    background = background_level(grey)
    distance = np.abs(grey.astype(np.float32) - background)
    contrast = float(distance.max())
    if contrast < min_contrast:
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        (distance > contrast / 6).astype(np.uint8), connectivity=8)
    strong = np.bincount(labels[distance > contrast / 3], minlength=count) > 0
    strong[0] = False
    return Ink(labels, stats, strong)


def chrome_parts(ink: Ink) -> np.ndarray:
    """Which parts are widget chrome, not glyphs: ``(n,)`` bool, row 0 (background) False.

    Chrome fainter than the strong threshold is found too: it still separates runs of text.

    - A frame (a field's border, a bevel, a focus ring) is hollow, all its pixels within 2 px
      of its box's edge, and encloses the box of a glyph with a gap on all four sides. A small
      glyph is hollow too, but encloses none: an ``O`` is empty, and the ``i`` under the
      overhang of an ``f`` shares its baseline.
    - A rule is a solid horizontal line longer than the crop is tall.
    - A bar is a solid vertical line at most 2 px wide reaching above and below every glyph:
      a frame's side that the crop or codec noise cut off from the rest. So is a narrow part
      (a quarter as wide as it is tall) on the crop's left or right side that reaches above
      and below every glyph: what the crop cut of a rounded frame's side and corners.
      Specks of 3 px or fewer on the crop's side where such a bar lies are broken off it.
    """
    labels, stats = ink.labels, ink.stats
    x0, y0, bw, bh, area = stats.T
    x1, y1 = x0 + bw, y0 + bh
    ys, xs = np.nonzero(labels)
    part = labels[ys, xs]
    near_edge = ((xs - x0[part] < 2) | (x1[part] - xs <= 2)
                 | (ys - y0[part] < 2) | (y1[part] - ys <= 2))
    hollow = np.bincount(part, weights=near_edge, minlength=len(stats)) >= 0.9 * area
    glyph_like = ink.strong & (area > 3)
    inside = ((x0[:, None] < x0[None]) & (y0[:, None] < y0[None])
              & (x1[:, None] > x1[None]) & (y1[:, None] > y1[None]) & glyph_like[None])
    frame = hollow & inside.any(axis=1)
    rule = (bw > labels.shape[0]) & (bh * 4 <= bw) & (area >= 0.8 * bw * bh)
    chrome = frame | rule
    chrome[0] = False
    glyphs = glyph_like & ~chrome
    bar = (bw <= 2) & (area >= 0.9 * bw * bh)
    side = ((x0 == 0) | (x1 == labels.shape[1])) & (bw * 4 <= bh)
    for i in np.flatnonzero(~chrome & (bar | side)):
        others = glyphs.copy()
        others[i] = False
        if others.any() and y0[i] < y0[others].min() and y1[i] > y1[others].max():
            chrome[i] = True
    for edge in (x0 == 0, x1 == labels.shape[1]):  # a bar's broken-off specks beside it
        if (chrome & edge).any():
            chrome |= edge & (area <= 3)
    chrome[0] = False
    return chrome


def _union(stats: np.ndarray) -> BBox:
    x0, y0 = stats[:, 0].min(), stats[:, 1].min()
    x1, y1 = (stats[:, 0] + stats[:, 2]).max(), (stats[:, 1] + stats[:, 3]).max()
    return int(x0), int(y0), int(x1 - x0), int(y1 - y0)


def text_extent(grey: np.ndarray, *, min_contrast: int = 32) -> BBox | None:
    """Box ``(x, y, w, h)`` around the glyphs of a line crop, or None when it holds none.

    Examples
    --------
    >>> grey = np.full((20, 60), 240, np.uint8)
    >>> grey[0, :] = grey[-1, :] = grey[:, 0] = grey[:, -1] = 120   # a field's frame
    >>> grey[6:14, 10:13] = grey[6:14, 20:26] = 0                   # two glyphs
    >>> text_extent(grey)
    (10, 6, 16, 8)
    """
    ink = ink_parts(grey, min_contrast=min_contrast)
    if ink is None:
        return None
    glyphs = ink.strong & ~chrome_parts(ink)
    return _union(ink.stats[glyphs]) if glyphs.any() else None


def _wide_gaps(gaps: np.ndarray, height: int) -> np.ndarray:
    """Which gaps between glyphs part two texts rather than two words of one.

    A gap parts two texts when it is at least 0.8 line heights wide and, when the line has
    other word gaps (a quarter of a line height or more), twice as wide as their median:
    a label and the value of a borderless field beside it sit further apart than the words
    of either, and the words of a sentence are evenly spaced.
    """
    wide = gaps >= 0.8 * height
    words = gaps >= 0.25 * height
    for i in np.flatnonzero(wide):
        others = gaps[words & (np.arange(len(gaps)) != i)]
        if len(others) and gaps[i] < 2 * np.median(others):
            wide[i] = False
    return wide


def text_runs(grey: np.ndarray, *, min_contrast: int = 32) -> list[BBox]:
    """Boxes of the runs of glyphs that chrome or a wide gap separates, left to right.

    A detector sees a label and the value of the field beside it as one line when they are
    close; the side of the field's frame between them splits them again, or, for a field
    drawn without a frame, the gap between them (:func:`_wide_gaps`).

    Examples
    --------
    >>> grey = np.full((24, 90), 240, np.uint8)
    >>> grey[8:16, 4:7] = grey[8:16, 10:16] = 0        # a label's two glyphs
    >>> grey[2:22, 30] = grey[2, 30:89] = grey[21, 30:89] = 120   # a field's frame, cut off
    >>> grey[8:16, 36:40] = 0                           # the field's value
    >>> text_runs(grey)
    [(4, 8, 12, 8), (36, 8, 4, 8)]
    >>> grey[:, 30], grey[2], grey[21] = 240, 240, 240  # no frame: the gap alone parts them
    >>> text_runs(grey)
    [(4, 8, 12, 8), (36, 8, 4, 8)]
    """
    ink = ink_parts(grey, min_contrast=min_contrast)
    if ink is None:
        return []
    chrome = chrome_parts(ink)
    glyphs = ink.stats[ink.strong & ~chrome]
    if len(glyphs) == 0:
        return []
    glyphs = glyphs[np.argsort(glyphs[:, 0], kind="stable")]
    right = np.maximum.accumulate(glyphs[:, 0] + glyphs[:, 2])
    left = glyphs[1:, 0]
    gaps = left - right[:-1]
    x0, _, bw, _, _ = ink.stats[chrome].T
    cuts = np.concatenate([x0, x0 + bw - 1])
    framed = ((cuts[None] >= right[:-1, None]) & (cuts[None] < left[:, None])).any(axis=1)
    split = framed | _wide_gaps(gaps, _union(glyphs)[3])
    bounds = [0, *(np.flatnonzero(split) + 1), len(glyphs)]
    return [_union(glyphs[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


ROUND_GLYPHS = "0O"
"""What the recogniser reads a letter o as, in fonts where the three look alike but for their
height."""


def round_letters(grey: np.ndarray, text: str, centres: list[float]) -> str:
    """``text`` read from the one line of glyphs in ``grey``, with each ``0`` or ``O`` whose
    glyph rises only to the line's x-height made the letter ``o``.

    In many UI fonts the digit zero, the capital O and the letter o differ in height alone,
    and the recogniser, reading a glyph with little of its line around it, takes one for
    another: "Sp. z o.o." reads "Sp. z 0.0.", and "o.5" typed by mistake reads "0.5". A zero
    or a capital stands as tall as the line's capitals and digits. Where other digits of the
    line stand no taller than the x-height (old-style figures), heights tell nothing and the
    text is left; so is a zero beside another digit (:func:`_among_digits`). ``centres``
    holds each character's centre across the glyphs' box, from 0 (its left edge) to 1 (its
    right edge), as the recogniser placed it.

    Examples
    --------
    >>> grey = np.full((20, 40), 255, np.uint8)
    >>> grey[3:15, 2:8] = 0                          # a capital, as tall as digits
    >>> grey[7:15, 12:18] = 0                        # a round glyph of x-height
    >>> grey[3:15, 22:28] = 0                        # a round glyph as tall as the capital
    >>> round_letters(grey, "S00", [0.1, 0.5, 0.9])
    'So0'
    >>> round_letters(grey, "200", [0.1, 0.5, 0.9])  # a number's zero, however short
    '200'
    """
    if not any(c in ROUND_GLYPHS for c in text) or len(centres) != len(text):
        return text
    ink = ink_parts(grey)
    if ink is None:
        return text
    glyphs = ink.stats[ink.strong & ~chrome_parts(ink)]
    if len(glyphs) < 2:
        return text
    x0, _, width, _ = _union(glyphs)
    letters = glyphs[glyphs[:, 3] >= 0.5 * glyphs[:, 3].max()]  # not dots, commas, dashes
    top = letters[:, 1].min()
    base = np.median(letters[:, 1] + letters[:, 3])
    cap = base - top
    if cap < 6:
        return text

    def glyph_at(i: int) -> np.ndarray | None:
        x = x0 + centres[i] * width
        holding = [g for g in glyphs if g[0] - 1 <= x <= g[0] + g[2] + 1]
        return min(holding, key=lambda g: abs(g[0] + g[2] / 2 - x), default=None)

    def short(g: np.ndarray) -> bool:  # on the baseline, its top well under the capitals'
        return g[1] - top >= max(2, 0.15 * cap) and abs(g[1] + g[3] - base) <= 0.15 * cap

    digits = [g for i, c in enumerate(text) if c.isdigit() and c not in ROUND_GLYPHS
              and (g := glyph_at(i)) is not None]
    if digits and all(short(g) for g in digits):
        return text  # old-style figures: a short zero is a zero
    out = list(text)
    for i, c in enumerate(text):
        if c in ROUND_GLYPHS and not _among_digits(text, i) and (
                g := glyph_at(i)) is not None and short(g):
            out[i] = "o"
    return "".join(out)


def _among_digits(text: str, i: int) -> bool:
    """Whether the run of round glyphs holding ``text[i]`` has another digit right beside it
    ("2023", "105"): a number, whose zero the pointer or a codec may have cut short."""
    left, right = i, i
    while left > 0 and text[left - 1] in ROUND_GLYPHS:
        left -= 1
    while right < len(text) - 1 and text[right + 1] in ROUND_GLYPHS:
        right += 1
    beside = text[left - 1:left] + text[right + 1:right + 2]
    return any(c.isdigit() for c in beside)
