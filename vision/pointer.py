"""The mouse pointer drawn into frames by remote-desktop clients.

Citrix and RDP clients paint the pointer into the frames they capture. It is not part of the
UI, so its moves must not count as changes, yet where it rests is the best evidence of what was
clicked. Pointer themes differ between clients and desktops (Windows classic, Windows 10 white
or black, large accessibility sizes), so rather than matching a fixed set of bitmaps this
module learns the pointer from its motion: when it moves, the same small picture ("sprite")
vanishes in one place and appears in another. Once learned, the sprite is found again wherever
a small change appears, and re-learned when the pointer changes shape.

All functions work on full-resolution grey frames, ``(H, W) uint8``.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

__all__ = ["Sprite", "PointerMatch", "sprite_at", "moved_sprite", "locate_sprite",
           "classify_shape", "plausible"]

BBox = tuple[int, int, int, int]

_CHANGE = 40
"""Grey difference marking a pixel as part of a sprite (above codec noise at full size)."""
_FILLED = 0.9
"""Share of its box a moving picture may fill and still be a pointer's silhouette."""
_MATCH = 0.85
"""Smallest match quality for a sprite to count as found."""
_WIDEST, _TALLEST = 24, 40
"""Longest row and column of pixels an I-beam pointer's sprite holds, at 200 %."""


@dataclass(frozen=True)
class Sprite:
    """The pointer's picture: grey levels and the mask of its own pixels."""

    grey: np.ndarray
    mask: np.ndarray
    """``bool``, same shape as ``grey``."""
    hot: tuple[int, int]
    """Hot spot, pixels from the sprite's top-left."""
    shape: str
    """``arrow`` (tip at the top-left), ``ibeam`` or ``other``."""

    @property
    def size(self) -> tuple[int, int]:
        return self.grey.shape[1], self.grey.shape[0]


@dataclass(frozen=True)
class PointerMatch:
    """Where the pointer is in a frame."""

    x: int
    """Hot spot, frame pixels."""
    y: int
    bbox: BBox
    """Box of the drawn sprite, or a 1-pixel box at a hinted position with no sprite."""
    shape: str
    """``arrow``, ``ibeam``, ``other``, or ``hint`` when known only from the capture side."""
    score: float
    """Match quality in [0, 1]."""
    sprite: Sprite | None = None


def classify_shape(mask: np.ndarray) -> tuple[str, tuple[int, int]]:
    """Shape name and hot spot of a sprite mask.

    An I-beam is tall and thin with its hot spot at the centre; an arrow's tip is its top-left
    pixel; any other shape (hand, busy) is taken at its topmost pixel.
    """
    h, w = mask.shape
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return "other", (0, 0)
    top = ys.min()
    top_xs = xs[ys == top]
    if w <= 0.5 * h and mask[:, w // 2 - 1:w // 2 + 2].any(axis=1).mean() > 0.85:
        return "ibeam", (w // 2, h // 2)
    left_fill = mask[:, :max(1, w // 4)].any(axis=1).mean()
    if top_xs.min() <= max(1, w // 6) and left_fill > 0.6:
        return "arrow", (int(top_xs.min()), int(top))
    return "other", (int(top_xs.min()), int(top))


def _changed_mask(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return cv2.absdiff(a, b) > _CHANGE


def _clip(box: BBox, shape: tuple[int, int]) -> BBox:
    x, y, w, h = box
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(shape[1], x + w), min(shape[0], y + h)
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)


def _filled(mask: np.ndarray) -> np.ndarray:
    """The mask with its enclosed holes filled: an arrow's outline becomes the whole arrow, so
    its light fill is matched too and the picture cannot pass for dark text strokes."""
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_SIMPLE)
    out = np.zeros(mask.shape, np.uint8)
    cv2.drawContours(out, contours, -1, 1, thickness=cv2.FILLED)
    return out.astype(bool)


def sprite_at(shown: np.ndarray, other: np.ndarray, box: BBox,
              hot: tuple[int, int] | None = None,
              apart: BBox | None = None) -> tuple[Sprite, BBox] | None:
    """The sprite shown in ``shown`` (and absent from ``other``) inside ``box``; with ``hot``
    (a hot spot known from the capture side), only what changed touching that point: the
    field under an I-beam lights up as the pointer enters it, apart from the sprite. What
    changed inside ``apart`` (the place a sprite left, in frame pixels) is left out.

    Returns the sprite and its tight box in frame pixels, or None when nothing differs there
    or what differs does not stand out from its surroundings (the place a sprite just left).
    """
    x, y, w, h = _clip(box, shown.shape)
    if w == 0 or h == 0:
        return None
    mask = _filled(_changed_mask(shown[y:y + h, x:x + w], other[y:y + h, x:x + w]))
    if apart is not None:
        ax, ay, aw, ah = apart
        mask[max(0, ay - y):max(0, ay + ah - y), max(0, ax - x):max(0, ax + aw - x)] = False
    if hot is not None:
        mask = _touching(mask, (hot[0] - x, hot[1] - y))
    ys, xs = np.nonzero(mask)
    if len(xs) < 6:
        return None
    crop = shown[y:y + h, x:x + w]
    ring = cv2.dilate(mask.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool) & ~mask
    if not ring.any() or float(np.abs(crop[mask].astype(np.float32)
                                      - float(crop[ring].mean())).mean()) < 40:
        return None  # what shows there is the background, not a picture over it
    x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
    tight = mask[y0:y1, x0:x1]
    grey = shown[y + y0:y + y1, x + x0:x + x1].copy()
    shape, hot = classify_shape(tight)
    return Sprite(grey, tight.copy(), hot, shape), (int(x + x0), int(y + y0), int(x1 - x0),
                                                     int(y1 - y0))


def _touching(mask: np.ndarray, point: tuple[int, int], reach: int = 3) -> np.ndarray:
    """The parts of ``mask`` (8-connected, gaps of a pixel bridged) within ``reach`` of
    ``point``, once rows and columns changed across most of the box (a field's frame lighting
    up, which the sprite may touch) are left out: rows longer than a pointer is wide, columns
    longer than it is tall (an I-beam's serifs and stem fill a box tight around it)."""
    mask = mask.copy()
    mask[mask.sum(axis=1) >= max(0.8 * mask.shape[1], _WIDEST), :] = False
    mask[:, mask.sum(axis=0) >= max(0.8 * mask.shape[0], _TALLEST)] = False
    _, labels = cv2.connectedComponents(cv2.dilate(mask.astype(np.uint8),
                                                   np.ones((3, 3), np.uint8)))
    px, py = point
    near = labels[max(0, py - reach):py + reach + 1, max(0, px - reach):px + reach + 1]
    keep = np.unique(near[near > 0])
    return mask & np.isin(labels, keep)


def plausible(sprite: Sprite) -> bool:
    """Whether a moving picture can be a pointer: pointer-sized, and with the contrast of one.

    Pointers are 12 to 64 px tall at 100-200 % (smaller moving things are digits of a clock,
    a spinner's dots), no wider than tall (a wide moving thing is a marquee or a highlight),
    shaped (an arrow, a bar, a hand: never the full rectangle a box or an icon fills), and
    drawn in black and white, not in the mid tones of anti-aliased text.
    """
    sw, sh = sprite.size
    if not (12 <= sh <= 96 and 4 <= sw <= 1.25 * sh) or int(sprite.mask.sum()) < 25:
        return False
    if float(sprite.mask.mean()) > _FILLED:
        return False
    if sprite.shape == "ibeam":
        return True
    values = sprite.grey[sprite.mask]
    return bool((values < 70).mean() > 0.3 or (values > 185).mean() > 0.3)


def locate_sprite(grey: np.ndarray, sprite: Sprite, region: BBox) -> PointerMatch | None:
    """Best place of ``sprite`` inside ``region`` of ``grey``, if it matches well."""
    x, y, w, h = _clip(region, grey.shape)
    sw, sh = sprite.size
    if w < sw or h < sh:
        return None
    crop = grey[y:y + h, x:x + w].astype(np.float32)
    mask = sprite.mask.astype(np.float32)
    sq = cv2.matchTemplate(crop, sprite.grey.astype(np.float32), cv2.TM_SQDIFF, mask=mask)
    err, _, loc, _ = cv2.minMaxLoc(sq)
    score = 1.0 - min(1.0, err / (float(mask.sum()) * 64.0 ** 2))
    if score < _MATCH:
        return None
    px, py = x + loc[0], y + loc[1]
    return PointerMatch(px + sprite.hot[0], py + sprite.hot[1], (px, py, sw, sh), sprite.shape,
                        round(score, 3), sprite)


def moved_sprite(prev: np.ndarray, grey: np.ndarray, left: BBox,
                 arrived: BBox) -> tuple[PointerMatch, PointerMatch] | None:
    """The pointer's old and new places if it moved from ``left`` (in ``prev``) to
    ``arrived`` (in ``grey``): the picture that appeared must be the one that vanished.
    """
    found = sprite_at(grey, prev, arrived)
    if found is None:
        return None
    sprite, _ = found
    if not plausible(sprite):
        return None
    lx, ly, lw, lh = left
    was_there = locate_sprite(prev, sprite, (lx - 4, ly - 4, lw + 8, lh + 8))
    if was_there is None:
        return None
    now = locate_sprite(grey, sprite, (arrived[0] - 4, arrived[1] - 4, arrived[2] + 8,
                                       arrived[3] + 8))
    return None if now is None else (was_there, now)
