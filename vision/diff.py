"""The frame-diff stage: what changed between two consecutive frames.

The comparison runs on half-resolution grey images. Averaging 2 x 2 blocks removes most codec
noise (JPEG blocking and ringing, 16-bit colour banding, dithering: on measured UI frames a
JPEG at quality 30 moves no half-resolution grey pixel by more than 34 levels, while a glyph of
8 pt text moves some by more than 100), so one threshold separates noise from change. Changed
pixels are counted per 8 x 8 tile; changed tiles closer than ``merge_gap`` merge into one region.

Three kinds of change are not UI changes and are reported apart:

- the mouse pointer (learned from its motion, or placed by the capture's cursor hint), whose
  position is kept as evidence;
- a blinking text caret (a thin vertical bar toggling);
- a content shift (scrolling), reported with its offset instead of as a changed area. The
  offset is found at half resolution; content moved by an odd number of pixels (or, on a
  scaled screen, by a fraction of one) matches no half-resolution offset exactly, and is
  verified at full resolution around the nearest ones.

Identical frames (by content key where both frames have one, else by bytes) are recognised at
memory speed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from .pointer import PointerMatch, Sprite, locate_sprite, moved_sprite, plausible, sprite_at

__all__ = ["DiffConfig", "Region", "Shift", "FrameDiff", "FrameDiffer", "same_pixels",
           "find_shift"]

BBox = tuple[int, int, int, int]


@dataclass(frozen=True)
class DiffConfig:
    """Settings of the frame-diff stage (full-resolution pixels unless said otherwise)."""

    noise_level: int = 36
    """Half-resolution grey difference treated as codec noise (JPEG q30 peaks at 34)."""
    tile: int = 8
    """Tile side; a tile changes when it holds ``min_changed`` changed half-resolution pixels."""
    min_changed: int = 2
    merge_gap: int = 16
    """Changes closer than this merge into one region."""
    new_screen_fraction: float = 0.5
    """Share of the frame that must change (not by a shift) for a new screen."""
    pointer_max: int = 80
    """Largest side of an area that may hold only the pointer."""
    caret_max_width: int = 3
    caret_height: tuple[int, int] = (8, 48)
    shift_min_size: int = 64
    """Smallest side of an area tested for a content shift."""
    shift_max_error: float = 6.0
    """Mean grey error a shifted match may keep (half resolution)."""


@dataclass(frozen=True)
class Region:
    """A changed area of the frame."""

    bbox: BBox
    """``[x, y, w, h]`` in frame pixels."""
    changed: int
    """Changed pixels inside (estimated at full resolution)."""


@dataclass(frozen=True)
class Shift:
    """Content that moved as a whole: a scroll.

    ``dx``/``dy`` follow DOM wheel deltas: ``dy > 0`` means the view scrolled down, so the
    content moved up by ``dy`` pixels (new row ``y`` shows old row ``y + dy``).
    """

    dx: int
    dy: int
    region: BBox


@dataclass(frozen=True)
class FrameDiff:
    """What changed from the previous frame to this one."""

    regions: tuple[Region, ...] = ()
    """UI changes (pointer, caret and shifts excluded), merged, in reading order."""
    shifts: tuple[Shift, ...] = ()
    carets: tuple[BBox, ...] = ()
    """Thin vertical bars that appeared or vanished: a caret blinking (or moving)."""
    pointer: PointerMatch | None = None
    """The pointer in this frame, when seen or hinted."""
    changed_fraction: float = 0.0
    """Share of the frame's 32 x 32 blocks holding a change, shifts included."""
    kind: Literal["unchanged", "local", "new_screen"] = "unchanged"
    """``new_screen``: the first frame, a new size, or most of the frame changed (not a
    scroll); ``local``: some UI change; ``unchanged``: none (pointer and caret aside)."""


def same_pixels(a: np.ndarray, b: np.ndarray) -> bool:
    """True when two frames hold identical bytes (compared as 64-bit words where possible).

    A few spread rows are compared first: frames that differ mostly differ there too, and
    the whole comparison costs as much as the rest of a diff.
    """
    if a.shape != b.shape:
        return False
    if a.ndim >= 2 and not np.array_equal(a[::_SAMPLE_ROWS], b[::_SAMPLE_ROWS]):
        return False
    fa, fb = a.reshape(-1), b.reshape(-1)
    n = fa.size - fa.size % 8
    if not np.array_equal(fa[:n].view(np.uint64), fb[:n].view(np.uint64)):
        return False
    return bool(np.array_equal(fa[n:], fb[n:]))


_SAMPLE_ROWS = 16
"""Every this many rows are compared before whole frames are."""


def _changed_tiles(strong: np.ndarray, cfg: DiffConfig) -> np.ndarray:
    """Tiles (of ``cfg.tile`` full-resolution pixels) holding enough changed pixels."""
    half_tile = cfg.tile // 2
    h, w = strong.shape
    th, tw = -(-h // half_tile), -(-w // half_tile)
    padded = strong
    if th * half_tile != h or tw * half_tile != w:
        padded = np.zeros((th * half_tile, tw * half_tile), np.uint8)
        padded[:h, :w] = strong
    counts = padded  # mean of 0/255, by halvings (OpenCV's fast path) while they divide
    while counts.shape[0] > th and counts.shape[0] % 2 == 0 and counts.shape[1] % 2 == 0:
        counts = cv2.resize(counts, (counts.shape[1] // 2, counts.shape[0] // 2),
                            interpolation=cv2.INTER_AREA)
    if counts.shape != (th, tw):
        counts = cv2.resize(counts, (tw, th), interpolation=cv2.INTER_AREA)
    return counts >= (cfg.min_changed * 255) // (half_tile * half_tile)


def _extent(tiles: np.ndarray) -> tuple[int, int, int, int]:
    """Box, in tile units, of the changed tiles (zero-sized when none is)."""
    return cv2.boundingRect(tiles.view(np.uint8))


def _retiled(tiles: np.ndarray, strong: np.ndarray, boxes: list[BBox],
             cfg: DiffConfig) -> np.ndarray:
    """``tiles`` counted again where ``boxes`` (full-resolution) lie, ``strong`` having been
    cleared there: the rest of the frame need not be counted twice."""
    out = tiles.copy()
    half_tile = cfg.tile // 2
    for x, y, w, h in boxes:
        tx0, ty0 = max(0, x // cfg.tile), max(0, y // cfg.tile)
        tx1 = min(tiles.shape[1], -(-(x + w) // cfg.tile))
        ty1 = min(tiles.shape[0], -(-(y + h) // cfg.tile))
        if tx1 > tx0 and ty1 > ty0:
            sub = strong[ty0 * half_tile:ty1 * half_tile, tx0 * half_tile:tx1 * half_tile]
            out[ty0:ty1, tx0:tx1] = _changed_tiles(sub, cfg)[:ty1 - ty0, :tx1 - tx0]
    return out


def _block_fraction(tiles: np.ndarray, block: int = 4) -> float:
    """Share of ``block`` x ``block``-tile blocks (32 px) holding a changed tile.

    Coarser than tiles on purpose: a new page of sparse text on a light background changes few
    tiles but nearly every block.
    """
    th, tw = tiles.shape
    x, y, w, h = _extent(tiles)
    if w == 0:
        return 0.0
    bx0, by0 = x // block, y // block
    bx1, by1 = -(-(x + w) // block), -(-(y + h) // block)
    part = tiles[by0 * block:by1 * block, bx0 * block:bx1 * block]
    padded = np.zeros(((by1 - by0) * block, (bx1 - bx0) * block), bool)
    padded[:part.shape[0], :part.shape[1]] = part
    held = padded.reshape(by1 - by0, block, bx1 - bx0, block).any(axis=(1, 3)).sum()
    return float(held) / (-(-th // block) * -(-tw // block))


def _boxes(tiles: np.ndarray, gap_tiles: int) -> list[tuple[int, int, int, int]]:
    """Boxes, in tile units, of changed tiles grouped across gaps of up to ``gap_tiles``.

    Labelled within the changed tiles' bounding box only: most frames change a few small
    places, and labelling the whole grid would cost more than the rest of the diff.
    """
    x, y, w, h = _extent(tiles)
    if w == 0:
        return []
    ox, oy = max(0, x - gap_tiles), max(0, y - gap_tiles)
    mask = tiles[oy:y + h + gap_tiles, ox:x + w + gap_tiles].astype(np.uint8)
    grown = cv2.dilate(mask, np.ones((2 * gap_tiles + 1, 2 * gap_tiles + 1), np.uint8)) \
        if gap_tiles else mask
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h = stats[i, :4]
        ys, xs = np.nonzero((labels[y:y + h, x:x + w] == i) & (mask[y:y + h, x:x + w] > 0))
        out.append((ox + x + xs.min(), oy + y + ys.min(), xs.max() - xs.min() + 1,
                    ys.max() - ys.min() + 1))
    return out


def _pixel_box(strong: np.ndarray, tile_box, cfg: DiffConfig, size) -> tuple[BBox, int]:
    """Tight full-resolution box and changed-pixel count of a group of tiles."""
    half_tile = cfg.tile // 2
    tx, ty, tw, th = tile_box
    sub = strong[ty * half_tile:(ty + th) * half_tile, tx * half_tile:(tx + tw) * half_tile]
    ys, xs = np.nonzero(sub)
    if len(xs) == 0:  # unreachable for a changed tile; kept total for safety of callers
        return (tx * cfg.tile, ty * cfg.tile, tw * cfg.tile, th * cfg.tile), 0
    x0 = (tx * half_tile + xs.min()) * 2
    y0 = (ty * half_tile + ys.min()) * 2
    x1 = min(size[0], (tx * half_tile + xs.max() + 1) * 2)
    y1 = min(size[1], (ty * half_tile + ys.max() + 1) * 2)
    return (int(x0), int(y0), int(x1 - x0), int(y1 - y0)), int(len(xs)) * 4


def _is_caret(prev_grey: np.ndarray, grey: np.ndarray, bbox: BBox, cfg: DiffConfig) -> bool:
    """A thin, solid vertical bar that appeared or vanished (checked at full resolution)."""
    x, y, w, h = bbox
    if w > cfg.caret_max_width + 4 or not cfg.caret_height[0] <= h <= cfg.caret_height[1] + 4:
        return False
    x0, y0 = max(0, x - 2), max(0, y - 2)
    diff = cv2.absdiff(prev_grey[y0:y + h + 2, x0:x + w + 2], grey[y0:y + h + 2, x0:x + w + 2])
    ys, xs = np.nonzero(diff > cfg.noise_level * 2)
    if len(xs) == 0:
        return False
    width = xs.max() - xs.min() + 1
    height = ys.max() - ys.min() + 1
    fill = len(xs) / float(width * height)
    return (width <= cfg.caret_max_width and cfg.caret_height[0] <= height
            <= cfg.caret_height[1] and fill >= 0.8)


def _profile(grey: np.ndarray, axis: int, bands: int = 16) -> np.ndarray:
    """Per-row (axis 0) or per-column (axis 1) means over ``bands`` strips across."""
    g = grey if axis == 0 else grey.T
    n, m = g.shape
    bands = max(1, min(bands, m))
    edges = np.linspace(0, m, bands + 1).astype(int)
    sums = np.add.reduceat(g.astype(np.float32), edges[:-1], axis=1)
    return sums / np.diff(edges)[None, :]


def find_shift(prev: np.ndarray, cur: np.ndarray, *, axis: int = 0,
               max_error: float = 6.0, min_overlap: float = 0.3) -> int | None:
    """Offset by which ``cur``'s content is ``prev``'s moved along one axis, or None.

    Returns ``d`` such that ``cur[i] ~ prev[i + d]`` along ``axis`` (rows for 0): positive when
    the content moved up (or left), as when a view scrolls down (or right).

    Parameters
    ----------
    prev, cur : ndarray
        Grey crops of the same area in two frames, ``(H, W) uint8``.
    axis : int
        0 for vertical shifts, 1 for horizontal.
    max_error : float
        Largest mean absolute grey error accepted over the overlap.
    min_overlap : float
        Smallest overlap, as a share of the length along ``axis``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> page = rng.integers(0, 255, (300, 80), dtype=np.uint8)
    >>> find_shift(page[40:240], page[65:265])   # scrolled down by 25
    25
    """
    if prev.shape != cur.shape or prev.shape[axis] < 8:
        return None
    offsets = _likely_offsets(prev, cur, axis, min_overlap)
    found = _verified_offset(prev, cur, offsets, axis, max_error)
    return None if found is None else int(found)


def _likely_offsets(prev: np.ndarray, cur: np.ndarray, axis: int, min_overlap: float, *,
                    between: bool = False, count: int = 3) -> list[int]:
    """The offsets whose moved profiles (row means over strips across) match best.

    ``between``: a moved profile matches where it lies between its neighbours' values, so
    content moved by a fraction of a pixel ranks as well as content moved by a whole one.
    """
    n = prev.shape[axis]
    p_prof, c_prof = _profile(prev, axis), _profile(cur, axis)
    p_low = p_high = p_prof
    if between:
        padded = np.pad(p_prof, ((1, 1), (0, 0)), mode="edge")
        p_low = np.minimum(np.minimum(padded[:-2], padded[1:-1]), padded[2:])
        p_high = np.maximum(np.maximum(padded[:-2], padded[1:-1]), padded[2:])
    min_len = max(4, int(n * min_overlap))
    errors = []
    for d in range(-(n - min_len), n - min_len + 1):
        if d == 0:
            continue
        a = c_prof[max(0, -d):n - max(0, d)]
        if between:
            low, high = p_low[max(0, d):n - max(0, -d)], p_high[max(0, d):n - max(0, -d)]
            error = np.mean(np.maximum(low - a, 0) + np.maximum(a - high, 0))
        else:
            error = np.mean(np.abs(a - p_prof[max(0, d):n - max(0, -d)]))
        errors.append((float(error), d))
    errors.sort()
    return [d for _, d in errors[:count]]


def _aligned(prev: np.ndarray, cur: np.ndarray, d: float,
             axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``cur``, ``prev`` moved by ``d`` and ``prev`` unmoved, where the three overlap.

    Half an offset blends two rows: content moved by half a pixel, as a scaled screen's
    content does when its view scrolls.
    """
    n = prev.shape[axis]
    low, high = math.floor(d), math.ceil(d)
    start, stop = max(0, -low), min(n, n - high)

    def rows(image: np.ndarray, offset: int) -> np.ndarray:
        part = slice(start + offset, stop + offset)
        return image[part] if axis == 0 else image[:, part]

    moved = rows(prev, low)
    if high != low:
        moved = cv2.addWeighted(moved, 0.5, rows(prev, high), 0.5, 0)
    return rows(cur, 0), moved, rows(prev, 0)


def _verified_offset(prev: np.ndarray, cur: np.ndarray, offsets: list[float], axis: int,
                     max_error: float) -> float | None:
    """The first of ``offsets`` (the closest match first) that the pixels bear out."""
    n = prev.shape[axis]
    base = float(np.mean(cv2.absdiff(prev, cur)))
    offsets = [d for d in offsets if d != 0 and abs(d) < n - 4]
    errors = {d: float(np.mean(cv2.absdiff(*_aligned(prev, cur, d, axis)[:2]))) for d in offsets}
    for d in sorted(offsets, key=errors.get):
        a, b, still = _aligned(prev, cur, d, axis)
        moved = cv2.absdiff(a, b)
        # the moved content must hold detail (flat areas match at any offset) and explain
        # nearly every pixel that changed (new content over old, a dialog, explains little)
        changed = cv2.absdiff(a, still) > 30
        explained = float(np.mean(moved[changed] <= 30)) if changed.any() else 0.0
        if (errors[d] <= max_error and errors[d] < 0.25 * base and float(a.std()) > 12
                and explained >= 0.9):
            return d
    return None


@dataclass
class _Previous:
    rgb: np.ndarray
    grey: np.ndarray
    half: np.ndarray
    content_key: bytes | None
    pointer: PointerMatch | None = None


class FrameDiffer:
    """Compares each frame with the one before; holds only the previous frame.

    Examples
    --------
    >>> import numpy as np
    >>> differ = FrameDiffer()
    >>> blank = np.full((120, 160, 3), 255, np.uint8)
    >>> differ.push(blank).kind
    'new_screen'
    >>> differ.push(blank.copy()).kind
    'unchanged'
    >>> changed = blank.copy(); changed[40:60, 30:90] = 0
    >>> d = differ.push(changed); d.kind, d.regions[0].bbox
    ('local', (30, 40, 60, 20))
    """

    def __init__(self, config: DiffConfig | None = None) -> None:
        self.config = config or DiffConfig()
        self._prev: _Previous | None = None
        self._sprites: list[Sprite] = []
        """The pointer's shapes learned so far, one per shape name, the latest last."""

    def reset(self) -> None:
        self._prev = None
        self._sprites = []

    def push(self, rgb: np.ndarray, *, content_key: bytes | None = None,
             cursor: tuple[int, int] | None = None) -> FrameDiff:
        """Diff ``rgb`` against the previous frame and remember it as the new previous."""
        prev = self._prev
        keyed = content_key is not None and prev is not None and prev.content_key is not None
        if prev is not None and prev.rgb.shape == rgb.shape and (
                (keyed and content_key == prev.content_key) or prev.rgb is rgb
                or (not keyed and same_pixels(prev.rgb, rgb))):
            if cursor is not None:
                prev.pointer = _hinted(prev.grey, None, cursor, prev.pointer)
            prev.content_key = content_key if content_key is not None else prev.content_key
            return FrameDiff(pointer=prev.pointer)
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        h, w = grey.shape
        half = cv2.resize(grey, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
        if prev is None or prev.rgb.shape != rgb.shape:
            pointer = _hinted(grey, None, cursor, None) if cursor is not None else None
            self._prev = _Previous(rgb, grey, half, content_key, pointer)
            return FrameDiff(pointer=pointer, changed_fraction=1.0, kind="new_screen")
        result = _diff(prev, grey, half, cursor, self._sprites, self.config)
        self._prev = _Previous(rgb, grey, half, content_key, result.pointer)
        learned = result.pointer.sprite if result.pointer is not None else None
        if learned is not None and all(k is not learned for k in self._sprites):
            self._sprites = [k for k in self._sprites if k.shape != learned.shape] + [learned]
        return result


def _grow(b: BBox, pad: int) -> BBox:
    return (b[0] - pad, b[1] - pad, b[2] + 2 * pad, b[3] + 2 * pad)


def _touch(a: BBox, b: BBox) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _hinted(grey: np.ndarray, prev_grey: np.ndarray | None, cursor: tuple[int, int],
            prev: PointerMatch | None) -> PointerMatch:
    """The pointer at a capture hint: its drawn sprite if one is there, else the bare position."""
    x, y = int(cursor[0]), int(cursor[1])
    if prev is not None and (prev.x, prev.y) == (x, y):
        return prev
    if prev is not None and prev.sprite is not None:
        found = locate_sprite(grey, prev.sprite, (x - 48, y - 48, 112, 112))
        if found is not None and abs(found.x - x) <= 6 and abs(found.y - y) <= 6:
            return found
    if prev_grey is not None:  # learn what appeared under the hint
        got = sprite_at(grey, prev_grey, (x - 16, y - 16, 64, 72), (x, y))
        if got is not None and plausible(got[0]):
            sprite, box = got
            return PointerMatch(x, y, box, sprite.shape, 1.0, sprite)
    return PointerMatch(x, y, (x, y, 1, 1), "hint", 1.0)


def _track_pointer(prev_grey: np.ndarray, grey: np.ndarray, prev: PointerMatch | None,
                   cursor: tuple[int, int] | None, small: list[BBox],
                   known: list[Sprite]) -> tuple[PointerMatch | None, list[PointerMatch]]:
    """Where the pointer is now, and the places it moved between (which hold no UI change).

    Learned from motion: the sprite that left one small change arrived in another. The
    pointer changes shape as it crosses the screen (an I-beam over text fields, an arrow
    between them), so every shape learned so far (``known``) is looked for where a small
    change is, not only the last one.
    """
    if cursor is not None:
        now = _hinted(grey, prev_grey, cursor, prev)
        if prev is not None and (prev.x, prev.y) == (now.x, now.y):
            return now, []
        return now, [m for m in (prev, now) if m is not None]
    sprite = prev.sprite if prev is not None else None
    if sprite is not None:
        still = locate_sprite(grey, sprite, _grow(prev.bbox, 2))
        if still is not None and still.bbox == prev.bbox:
            return prev, []
    # where a small change is, else near where it was (it may have moved onto a changing
    # element, such as a button lighting up under it)
    shapes = ([sprite] if sprite is not None else []) + [k for k in known if k is not sprite]
    near = [_grow(prev.bbox, 124)] if sprite is not None else []
    for box in [_grow(b, 4) for b in small] + near:
        for each in shapes:
            found = locate_sprite(grey, each, box)
            if found is not None:
                return found, [m for m in (prev, found) if m is not None]
    for i, left in enumerate(small[:6]):
        for j, arrived in enumerate(small[:6]):
            if i != j:
                found = moved_sprite(prev_grey, grey, left, arrived)
                if found is not None:
                    return found[1], list(found)
    if sprite is not None:
        found = _turned_ibeam(prev_grey, grey, prev, small)
        if found is not None:
            return found, [prev, found]
    if prev is not None and prev.shape == "hint":
        return prev, []
    return None, []  # not where it was, not found elsewhere: hidden, or changed beyond knowing


def _turned_ibeam(prev_grey: np.ndarray, grey: np.ndarray, prev: PointerMatch,
                  small: list[BBox]) -> PointerMatch | None:
    """The pointer as an I-beam never seen before: it left its place in ``prev`` and an
    I-beam's picture appeared in the one other small change, or beside that place in the one
    change that holds it (a short last move).

    Moving onto a text field, the pointer turns into an I-beam and most often comes to rest
    there to click; a shape is otherwise learned only from two of its own pictures, which a
    resting pointer never gives. The place it left must be among the changes (a picture left
    in place is no pointer that moved), and only one other change may hold the new picture."""
    others = [b for b in small if not _touch(b, prev.bbox)]
    if len(others) == 1 and len(small) >= 2:  # one change apart, and one where it left
        x, y, w, h = others[0]
        # its centre lies on the I-beam's stem; the frame of a field lit up under it is left out
        found = sprite_at(grey, prev_grey, _grow(others[0], 4), (x + w // 2, y + h // 2))
    elif len(small) == 1 and not others:
        found = sprite_at(grey, prev_grey, _grow(small[0], 4), apart=_grow(prev.bbox, 1))
    else:
        return None
    if found is None:
        return None
    sprite, (x, y, w, h) = found
    if sprite.shape != "ibeam" or not plausible(sprite):
        return None
    return PointerMatch(x + sprite.hot[0], y + sprite.hot[1], (x, y, w, h), "ibeam", 1.0, sprite)


def _erase_pointer(strong: np.ndarray, match: PointerMatch) -> None:
    """Clear the half-resolution changed pixels under the pointer's drawn sprite (its mask
    grown by 2 px): a half-resolution pixel is under it if any of its four pixels is."""
    if match.sprite is None:
        return
    x, y, w, h = match.bbox
    x0, y0 = x - x % 2, y - y % 2                       # even corner: one half pixel per 2x2
    height, width = -(-(y + h - y0) // 2) * 2, -(-(x + w - x0) // 2) * 2
    canvas = np.zeros((height, width), np.uint8)
    canvas[y - y0:y - y0 + h, x - x0:x - x0 + w] = cv2.dilate(
        match.sprite.mask.astype(np.uint8), np.ones((5, 5), np.uint8))
    under = canvas.reshape(height // 2, 2, width // 2, 2).max(axis=(1, 3)) > 0
    hy, hx = y0 // 2, x0 // 2
    top, left = max(0, hy), max(0, hx)
    bottom, right = min(strong.shape[0], hy + height // 2), min(strong.shape[1], hx + width // 2)
    if bottom > top and right > left:
        strong[top:bottom, left:right][under[top - hy:bottom - hy, left - hx:right - hx]] = 0


def _diff(prev: _Previous, grey: np.ndarray, half: np.ndarray,
          cursor: tuple[int, int] | None, known: list[Sprite], cfg: DiffConfig) -> FrameDiff:
    h, w = grey.shape
    _, strong = cv2.threshold(cv2.absdiff(prev.half, half), cfg.noise_level, 255,
                              cv2.THRESH_BINARY)
    tiles = _changed_tiles(strong, cfg)
    if not tiles.any():
        pointer = prev.pointer
        if cursor is not None:
            pointer = _hinted(grey, prev.grey, cursor, prev.pointer)
        return FrameDiff(pointer=pointer)
    gap = max(1, cfg.merge_gap // cfg.tile)
    boxes = [_pixel_box(strong, tb, cfg, (w, h)) for tb in _boxes(tiles, gap)]
    if any(max(b[2], b[3]) <= cfg.pointer_max for b, _ in boxes):
        # unmerged pieces: a short pointer move shows as two pieces close together
        pieces = [_pixel_box(strong, tb, cfg, (w, h))[0] for tb in _boxes(tiles, 0)]
        small = [b for b in pieces if max(b[2], b[3]) <= cfg.pointer_max]
    else:
        small = []
    pointer, places = _track_pointer(prev.grey, grey, prev.pointer, cursor, small, known)
    if places:  # a pointer resting in place changes nothing; what changed under it counts
        for m in places:
            _erase_pointer(strong, m)
        tiles = _retiled(tiles, strong, [_grow(m.bbox, 4) for m in places], cfg)
        boxes = [_pixel_box(strong, tb, cfg, (w, h)) for tb in _boxes(tiles, gap)]

    regions: list[Region] = []
    carets: list[BBox] = []
    shifts: list[Shift] = []
    for bbox, changed in boxes:
        if _is_caret(prev.grey, grey, bbox, cfg):
            carets.append(bbox)
        elif min(bbox[2], bbox[3]) >= cfg.shift_min_size and (
                shift := _shift_in(prev, grey, half, bbox, cfg)) is not None:
            shifts.append(shift)
        else:
            regions.append(Region(bbox, changed))
    shifts, regions = _absorb_into_shifts(prev.half, half, shifts, regions, cfg)
    regions.sort(key=lambda r: (r.bbox[1], r.bbox[0]))
    changed_fraction = _block_fraction(tiles)
    ui_fraction = changed_fraction
    if shifts or carets:
        ui_tiles = tiles.copy()
        for x, y, bw, bh in [s.region for s in shifts] + carets:
            ui_tiles[y // cfg.tile:-(-(y + bh) // cfg.tile),
                     x // cfg.tile:-(-(x + bw) // cfg.tile)] = 0
        ui_fraction = _block_fraction(ui_tiles)
    spread = max((r.bbox[2] * r.bbox[3] for r in regions), default=0) / float(w * h)
    if not regions and not shifts:
        kind = "unchanged"
    elif ui_fraction >= cfg.new_screen_fraction or (
            spread >= 0.75 and ui_fraction >= cfg.new_screen_fraction / 2):
        kind = "new_screen"  # much changed, or changes spread over the whole window
    else:
        kind = "local"
    return FrameDiff(tuple(regions), tuple(shifts), tuple(carets), pointer, changed_fraction,
                     kind)


def _union(a: BBox, b: BBox) -> BBox:
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0)


def _shift_error(prev_half: np.ndarray, half: np.ndarray, bbox: BBox, dx: int, dy: int) -> float:
    """Mean grey error of ``bbox`` in the new frame against the old one moved by (dx, dy)."""
    x, y, w, h = (v // 2 for v in bbox)
    ox, oy = dx // 2, dy // 2
    H, W = half.shape
    x0, y0 = max(x, -ox, 0), max(y, -oy, 0)
    x1, y1 = min(x + w, W - ox, W), min(y + h, H - oy, H)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return float("inf")
    return float(np.mean(cv2.absdiff(half[y0:y1, x0:x1],
                                     prev_half[y0 + oy:y1 + oy, x0 + ox:x1 + ox])))


def _absorb_into_shifts(prev_half: np.ndarray, half: np.ndarray, shifts: list[Shift],
                        regions: list[Region], cfg: DiffConfig) -> tuple[list[Shift],
                                                                         list[Region]]:
    """Changes beside a scroll that the same offset explains (other columns of a scrolled list,
    too narrow to test alone) belong to that scroll."""
    if not shifts:
        return shifts, regions
    out = []
    for shift in shifts:
        sy0, sy1 = shift.region[1], shift.region[1] + shift.region[3]
        kept = []
        for r in regions:
            ry0, ry1 = r.bbox[1], r.bbox[1] + r.bbox[3]
            overlap = min(sy1, ry1) - max(sy0, ry0)
            if overlap >= 0.8 * r.bbox[3] and _shift_error(
                    prev_half, half, r.bbox, shift.dx, shift.dy) <= cfg.shift_max_error:
                shift = Shift(shift.dx, shift.dy, _union(shift.region, r.bbox))
            else:
                kept.append(r)
        regions = kept
        out.append(shift)
    return out, regions


_NEAR_SHIFT = 0.5
"""A half-resolution offset whose error is under this share of the unmoved one comes near."""


def _shift_in(prev: _Previous, grey: np.ndarray, half: np.ndarray, bbox: BBox,
              cfg: DiffConfig) -> Shift | None:
    x, y, w, h = (v // 2 for v in bbox)
    a, b = prev.half[y:y + h, x:x + w], half[y:y + h, x:x + w]
    if h >= 8:
        likely = _likely_offsets(a, b, 0, 0.3)
        dy = _verified_offset(a, b, likely, 0, cfg.shift_max_error)
        if dy is not None:
            return Shift(0, 2 * int(dy), bbox)
        # content moved by an odd number of pixels, or on a scaled screen by a fraction of
        # one, matches no half-resolution offset closely; where one comes near (half-way
        # between two, for an odd offset), the offsets around it are tried at full resolution
        base = float(np.mean(cv2.absdiff(a, b)))
        likely = _likely_offsets(a, b, 0, 0.3, between=True)
        if any(float(np.mean(cv2.absdiff(*_aligned(a, b, d + k / 2, 0)[:2]))) < (
                _NEAR_SHIFT * base) for d in likely for k in (-1, 0, 1)):
            X, Y, W, H = 2 * x, 2 * y, 2 * w, 2 * h
            fine = sorted({2 * d + k / 2 for d in likely for k in range(-2, 3)})
            dy = _verified_offset(prev.grey[Y:Y + H, X:X + W], grey[Y:Y + H, X:X + W], fine, 0,
                                  cfg.shift_max_error)
            if dy is not None:
                return Shift(0, math.ceil(dy) if dy > 0 else math.floor(dy), bbox)
    # sideways scrolling is rare in business applications and a window growing wider looks
    # alike; ask for a wide area and a closer match
    if bbox[2] >= 200 and bbox[3] >= 100:
        dx = find_shift(a, b, axis=1, max_error=cfg.shift_max_error / 2, min_overlap=0.6)
        if dx is not None:
            return Shift(2 * dx, 0, bbox)
    return None
