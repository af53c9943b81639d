"""Finding text lines: the DB detector's probability map turned into boxes, in reading order.

The detector (PP-OCR's "small" DB model) outputs, for each pixel, the probability that it lies
in the shrunk core of a text line. Cores are the connected components of the map above
``threshold``; each is kept when its mean probability reaches ``box_threshold``, then grown
back to the whole line by the DB rule (``unclip_ratio`` times its area over its perimeter).
UI text is horizontal, so boxes are axis-aligned rectangles and no polygon clipping is needed.

The input is scaled by a fixed factor rather than to a fixed side: RapidOCR's default
``limit_type: min, 736`` scales a 400x200 dialog by 3.7 (a 1472x736 input), while text of UI
size needs none. In ``python -m benchmarks.ocr_bench --detect-scales 0.75 1 1.25 1.5``, 144
dialogs of 8-11 pt text give 0.922 of their lines read exactly at 0.75 and 0.946 at 1, 1.25 and
1.5 alike; a 1920x1080 frame at 1 takes 750 ms of one core to detect.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["scaled_size", "det_input", "line_boxes", "reading_order"]

BBox = tuple[int, int, int, int]
_STRIDE = 32
"""The detector's input sides must be multiples of this."""


def scaled_size(shape: tuple[int, ...], scale: float) -> tuple[int, int]:
    """``(height, width)`` of an image of ``shape`` scaled by ``scale``, at least 1 px each."""
    return max(1, round(shape[0] * scale)), max(1, round(shape[1] * scale))


def det_input(rgb: np.ndarray, scale: float) -> np.ndarray:
    """The detector's input: ``(1, 3, H, W)`` float32 in ``[-1, 1]``, sides multiples of 32.

    The image is scaled to :func:`scaled_size` (linear interpolation), then padded on the
    right and bottom by repeating its edge, so the map's pixels keep the same factor in both
    axes; the map's padding is to be cut off before :func:`line_boxes`.
    """
    height, width = scaled_size(rgb.shape, scale)
    scaled = (rgb if (height, width) == rgb.shape[:2]
              else cv2.resize(rgb, (width, height), interpolation=cv2.INTER_LINEAR))
    pad_h, pad_w = -height % _STRIDE, -width % _STRIDE
    padded = cv2.copyMakeBorder(scaled, 0, pad_h, 0, pad_w, cv2.BORDER_REPLICATE)
    bgr = padded[:, :, ::-1].astype(np.float32) / 127.5 - 1.0
    return np.ascontiguousarray(bgr.transpose(2, 0, 1)[None])


def line_boxes(prob: np.ndarray, *, threshold: float = 0.3, box_threshold: float = 0.5,
               unclip_ratio: float = 1.5, min_height: int = 3
               ) -> list[tuple[BBox, float]]:
    """Text boxes ``((x, y, w, h), score)`` in map pixels from a ``(H, W)`` probability map.

    ``score`` is the mean probability over the core's pixels.

    Examples
    --------
    >>> prob = np.zeros((40, 100), np.float32)
    >>> prob[18:22, 10:60] = 0.9                        # the shrunk core of one line
    >>> [(box, round(score, 2)) for box, score in line_boxes(prob)]
    [((7, 15, 56, 10), 0.9)]
    """
    core = (prob > threshold).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(core, connectivity=4)
    sums = np.bincount(labels.ravel(), weights=prob.ravel(), minlength=count)
    h_map, w_map = prob.shape
    boxes = []
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i])
        score = float(sums[i] / area)
        if score < box_threshold or min(w, h) < min_height:
            continue
        grow = round(unclip_ratio * area / (2 * (w + h)))
        x0, y0 = max(0, x - grow), max(0, y - grow)
        x1, y1 = min(w_map, x + w + grow), min(h_map, y + h + grow)
        boxes.append(((x0, y0, x1 - x0, y1 - y0), score))
    return boxes


def reading_order(boxes: list[BBox]) -> list[int]:
    """Indices of ``boxes`` top to bottom, and left to right within a row.

    Boxes share a row when each one's vertical centre lies inside the row's first box.

    Examples
    --------
    >>> reading_order([(200, 12, 50, 14), (10, 40, 80, 14), (10, 10, 90, 16)])
    [2, 0, 1]
    """
    by_top = sorted(range(len(boxes)), key=lambda i: boxes[i][1])
    rows: list[list[int]] = []
    for i in by_top:
        _, y, _, h = boxes[i]
        centre = y + h / 2
        if rows:
            _, ry, _, rh = boxes[rows[-1][0]]
            if ry <= centre <= ry + rh:
                rows[-1].append(i)
                continue
        rows.append([i])
    return [i for row in rows for i in sorted(row, key=lambda i: boxes[i][0])]
