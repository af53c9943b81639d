"""Training crops with the remote-display degradations, scaling, and colour and theme shifts.

A crop is a wide strip (192 x 1280 by default) cut around a random element, so list rows, title
bars and wide text fields are seen whole with the row of the screen around them. The window is
resampled by a factor in 0.75..2 (a client scaling the desktop; one crop in three stays at 1x,
the resolution the detector mostly runs at), with the width alone stretched by up to 12 % either
way (condensed and wide fonts). An element wider than the strip is shown shrunk to fit (down to
0.5x), so the network still learns to span the widest boxes. The crop is then degraded as a
transport would: JPEG at quality 40-70 (Citrix), 16-bit colour plus light JPEG (RDP), or blur.
Colour shifts permute channels, invert (light themes become dark) and change contrast, so no
palette is special.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from fixtures.sessiongen.degrade import jpeg_roundtrip, to_rgb565

__all__ = ["Crop", "random_crop", "degrade", "shift_colours"]

_MIN_VISIBLE = 0.6
"""Boxes cut by the crop edge keep their label when this share of them remains; others are
ignored by the loss (neither positive nor negative)."""
_NATIVE_SHARE = 1 / 3
_SCALES = (0.75, 2.0)
_STRETCH = 0.12
_MIN_FIT_SCALE = 0.5


@dataclass(frozen=True)
class Crop:
    """A training crop and its boxes, in crop pixels."""

    image: np.ndarray
    """(H, W, 3) uint8 RGB."""
    boxes: np.ndarray
    """(n, 4) float32 ``x0, y0, x1, y1`` of the labelled boxes, clipped to the crop."""
    labels: np.ndarray
    """(n,) class indices."""
    ignore: np.ndarray
    """(m, 4) float32 boxes cut too much by the crop edge: neither positive nor negative."""


def _scales(rng: np.random.Generator, centre_width: float, crop_width: int
            ) -> tuple[float, float]:
    """Horizontal and vertical resampling factors for a crop around an element this wide."""
    scale = 1.0 if rng.random() < _NATIVE_SHARE else float(np.exp(rng.uniform(*np.log(_SCALES))))
    stretch = float(np.exp(rng.uniform(-_STRETCH, _STRETCH)))
    fit = 0.95 * crop_width / max(centre_width * stretch, 1.0)
    scale = max(min(scale, fit), _MIN_FIT_SCALE)
    return scale * stretch, scale


def _window(image: np.ndarray, left: int, top: int, width: int, height: int) -> np.ndarray:
    """``image[top:top+height, left:left+width]``, the part outside the image filled by
    repeating its edge (as the runtime pads frames)."""
    h, w = image.shape[:2]
    x0, y0 = max(left, 0), max(top, 0)
    x1, y1 = min(left + width, w), min(top + height, h)
    inside = image[y0:y1, x0:x1]
    return cv2.copyMakeBorder(inside, y0 - top, top + height - y1, x0 - left,
                              left + width - x1, cv2.BORDER_REPLICATE)


def random_crop(image: np.ndarray, boxes: np.ndarray, labels: np.ndarray,
                shape: tuple[int, int], rng: np.random.Generator, centre: int | None) -> Crop:
    """A crop of ``shape`` (height, width) around box ``centre`` (anywhere when ``None``),
    resampled at random."""
    out_h, out_w = shape
    h, w = image.shape[:2]
    if centre is not None:
        x0, y0, x1, y1 = boxes[centre].astype(float)
        sx, sy = _scales(rng, x1 - x0, out_w)
        cx = (x0 + x1) / 2 + rng.uniform(-0.3, 0.3) * max(out_w / sx - (x1 - x0), 0)
        cy = (y0 + y1) / 2 + rng.uniform(-0.35, 0.35) * out_h / sy
    else:
        sx, sy = _scales(rng, 0.0, out_w)
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    src_w, src_h = int(np.ceil(out_w / sx)), int(np.ceil(out_h / sy))
    left = int(np.clip(cx - src_w / 2, min(0, w - src_w), max(w - src_w, 0)))
    top = int(np.clip(cy - src_h / 2, min(0, h - src_h), max(h - src_h, 0)))
    window = _window(image, left, top, src_w, src_h)
    interp = cv2.INTER_AREA if sx < 1 and sy < 1 else cv2.INTER_LINEAR
    crop = cv2.resize(window, (out_w, out_h), interpolation=interp)
    shifted = (boxes.astype(np.float32) - [left, top, left, top]) * np.float32([sx, sy, sx, sy])
    clipped = np.clip(shifted, 0, [out_w, out_h, out_w, out_h]).astype(np.float32)
    area = np.prod(shifted[:, 2:] - shifted[:, :2], axis=1)
    kept_area = np.prod(np.maximum(clipped[:, 2:] - clipped[:, :2], 0), axis=1)
    visible = kept_area / np.maximum(area, 1e-6)
    keep = visible >= _MIN_VISIBLE
    ignore = (visible > 0) & ~keep
    return Crop(crop, clipped[keep], labels[keep], clipped[ignore])


def degrade(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One of: unchanged, Citrix JPEG (q40-70), RDP (RGB 565 + JPEG q82-94), blur."""
    kind = rng.choice(4, p=[0.35, 0.35, 0.2, 0.1])
    if kind == 1:
        return jpeg_roundtrip(image, int(rng.integers(40, 71)))
    if kind == 2:
        return jpeg_roundtrip(to_rgb565(image), int(rng.integers(82, 95)))
    if kind == 3:
        return cv2.GaussianBlur(image, (0, 0), float(rng.uniform(0.4, 1.0)))
    return image


def shift_colours(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Channel order, inversion (a dark theme from a light one) and contrast, at random."""
    out = image[..., rng.permutation(3)] if rng.random() < 0.5 else image
    if rng.random() < 0.2:
        out = 255 - out
    if rng.random() < 0.3:
        gain, bias = rng.uniform(0.7, 1.2), rng.uniform(-25, 25)
        out = np.clip(out.astype(np.float32) * gain + bias, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(out)
