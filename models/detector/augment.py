"""Training crops with the remote-display degradations, scaling, and colour and theme shifts.

A crop is cut around a random element (or anywhere, one time in ten), resampled by a
factor in 0.75..2 (a client scaling the desktop), then degraded as a transport would: JPEG at
quality 40-70 (Citrix), 16-bit colour plus light JPEG (RDP), or blur. Colour shifts permute
channels, invert (light themes become dark) and change contrast, so no palette is special.
"""

from __future__ import annotations

import cv2
import numpy as np

from fixtures.sessiongen.degrade import jpeg_roundtrip, to_rgb565

__all__ = ["random_crop", "degrade", "shift_colours"]

_MIN_VISIBLE = 0.6
"""Boxes cut by the crop edge keep their label when this share of them remains; others are
ignored by the loss (neither positive nor negative)."""


def random_crop(image: np.ndarray, boxes: np.ndarray, labels: np.ndarray, size: int,
                rng: np.random.Generator, weights: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A ``size`` x ``size`` crop, rescaled by a random factor, with its boxes.

    ``weights`` (one per box) make some elements likelier crop centres than others.

    Returns the crop, the kept boxes (float, crop pixels), their labels, and the boxes to
    ignore (cut too much by the crop edge).
    """
    h, w = image.shape[:2]
    scale = float(np.exp(rng.uniform(np.log(0.75), np.log(2.0))))
    side = int(round(size / scale))
    if len(boxes) and rng.random() < 0.9:
        p = None if weights is None else weights / weights.sum()
        x0, y0, x1, y1 = boxes[rng.choice(len(boxes), p=p)]
        cx = (x0 + x1) / 2 + rng.uniform(-0.4, 0.4) * side
        cy = (y0 + y1) / 2 + rng.uniform(-0.4, 0.4) * side
    else:
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    left = int(np.clip(cx - side / 2, 0, max(w - side, 0)))
    top = int(np.clip(cy - side / 2, 0, max(h - side, 0)))
    patch = np.zeros((side, side, 3), np.uint8)
    src = image[top:top + side, left:left + side]
    patch[:src.shape[0], :src.shape[1]] = src
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    crop = cv2.resize(patch, (size, size), interpolation=interp)
    shifted = (boxes.astype(np.float32) - [left, top, left, top]) * (size / side)
    clipped = np.clip(shifted, 0, size)
    area = np.prod(shifted[:, 2:] - shifted[:, :2], axis=1)
    kept_area = np.prod(np.maximum(clipped[:, 2:] - clipped[:, :2], 0), axis=1)
    visible = kept_area / np.maximum(area, 1e-6)
    keep = visible >= _MIN_VISIBLE
    ignore = (visible > 0) & ~keep
    return crop, clipped[keep], labels[keep], clipped[ignore]


def degrade(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One of: unchanged, Citrix JPEG (q40-70), RDP (RGB 565 + JPEG q82-94), blur."""
    kind = rng.choice(4, p=[0.3, 0.35, 0.2, 0.15])
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
