"""Training targets (TTFNet): elliptical Gaussian heat maps, weighted box regression areas.

Every box puts a Gaussian on its class's heat map, shaped like the box (a 300 x 22 text field
gets a flat, wide peak), so the centre is learnt from the box's own extent. Box distances are
learnt at every cell under a narrower Gaussian of the box, each weighted by the Gaussian and the
log of the box area, so large and small elements weigh alike and cells near the centre count
most. Where boxes overlap, the smaller box owns the cell (a check box inside a group).
Plain numpy; the loss that reads these targets is in :mod:`models.detector.loss`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["make_targets", "STRIDE"]

STRIDE = 4
"""Output cells are this many pixels apart."""

ALPHA = 0.54
"""Gaussian extent of the heat map, as a share of the box (TTFNet's alpha)."""
BETA = 0.54
"""Gaussian extent of the regression area (TTFNet's beta)."""


def _gaussian(box: np.ndarray, share: float, shape: tuple[int, int]):
    """The box's elliptical Gaussian on the output grid, cut to its window: (values, ys, xs).

    It is centred on the cell holding the box's centre, which gets exactly 1: one positive
    per box, even where the centre falls on a cell boundary.
    """
    x0, y0, x1, y1 = box / STRIDE
    h, w = shape
    cx = min(int((x0 + x1) / 2), w - 1) + 0.5
    cy = min(int((y0 + y1) / 2), h - 1) + 0.5
    sx = max((x1 - x0) * share / 6, 0.35)
    sy = max((y1 - y0) * share / 6, 0.35)
    ys = np.arange(max(int(cy - 3 * sy), 0), min(int(cy + 3 * sy) + 1, h))
    xs = np.arange(max(int(cx - 3 * sx), 0), min(int(cx + 3 * sx) + 1, w))
    gy = np.exp(-((ys + 0.5 - cy) ** 2) / (2 * sy * sy))
    gx = np.exp(-((xs + 0.5 - cx) ** 2) / (2 * sx * sx))
    return gy[:, None] * gx[None, :], ys, xs


def make_targets(boxes: np.ndarray, labels: np.ndarray, ignore: np.ndarray,
                 shape: tuple[int, int], num_classes: int) -> dict[str, np.ndarray]:
    """Targets for one crop of ``shape`` (height, width) pixels.

    Returns ``heat`` (C, h, w), ``heat_weight`` (h, w: 0 where a cut box lies), ``box``
    (4, h, w) target boxes in crop pixels, and ``box_weight`` (h, w), where ``h, w`` are the
    crop's sides divided by ``STRIDE``.
    """
    grid = (shape[0] // STRIDE, shape[1] // STRIDE)
    heat = np.zeros((num_classes, *grid), np.float32)
    heat_weight = np.ones(grid, np.float32)
    box = np.zeros((4, *grid), np.float32)
    box_weight = np.zeros(grid, np.float32)
    owner_area = np.full(grid, np.inf, np.float32)
    for x0, y0, x1, y1 in (ignore / STRIDE).astype(int):
        heat_weight[y0:y1 + 1, x0:x1 + 1] = 0
    order = np.argsort(-np.prod(boxes[:, 2:] - boxes[:, :2], axis=1))   # large first
    for i in order:
        b, c = boxes[i], labels[i]
        g, ys, xs = _gaussian(b, ALPHA, grid)
        window = np.ix_(ys, xs)
        heat[c][window] = np.maximum(heat[c][window], g)
        heat_weight[window] = 1
        g, ys, xs = _gaussian(b, BETA, grid)
        area = float(np.prod(b[2:] - b[:2]))
        window = np.ix_(ys, xs)
        owned = (g > 0.01) & (area <= owner_area[window])
        weight = np.where(owned, g, 0) * np.log(max(area, 2.0)) / max(g[owned].sum(), 1e-6)
        owner_area[window] = np.where(owned, area, owner_area[window])
        box_weight[window] = np.where(owned, weight, box_weight[window])
        for k in range(4):
            box[k][window] = np.where(owned, b[k], box[k][window])
    return {"heat": heat, "heat_weight": heat_weight, "box": box, "box_weight": box_weight}
