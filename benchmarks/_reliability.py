"""Reliability diagrams: emitted confidence against the share of events that were right.

One PNG per event type and one overall, drawn with Pillow: for each of the 10 equal-width
confidence bins that holds events, a bar up to the share of correct events, a tick at the bins'
mean confidence, the count underneath, and the diagonal a calibrated engine follows. ECE is
computed by :func:`vision.scoring.calibration` (the contract's rule for the 0.95 cap).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from vision.scoring import CALIBRATION_BINS, calibration, correctness

from ._run import SessionResult

__all__ = ["draw_reliability", "write_diagrams"]

_SIZE = 420
_MARGIN = 48


def _font(size: int):
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default()


def draw_reliability(confidences: Sequence[float], correct: Sequence[bool],
                     title: str) -> Image.Image:
    """A reliability diagram of one set of emitted events."""
    conf = np.asarray(confidences, float)
    right = np.asarray(correct, bool)
    img = Image.new("RGB", (_SIZE + 2 * _MARGIN, _SIZE + 2 * _MARGIN), "white")
    d = ImageDraw.Draw(img)
    small, big = _font(11), _font(14)

    def at(x: float, y: float) -> tuple[float, float]:
        return _MARGIN + x * _SIZE, _MARGIN + (1 - y) * _SIZE

    d.rectangle([at(0, 1), at(1, 0)], outline=(120, 120, 120))
    for v in np.linspace(0, 1, 6):
        d.line([at(v, 0), (at(v, 0)[0], at(v, 0)[1] + 4)], fill="black")
        d.text((at(v, 0)[0] - 8, at(v, 0)[1] + 6), f"{v:.1f}", fill="black", font=small)
        d.text((_MARGIN - 28, at(0, v)[1] - 6), f"{v:.1f}", fill="black", font=small)
    d.line([at(0, 0), at(1, 1)], fill=(160, 160, 160), width=1)
    bins = np.minimum(np.floor(conf * CALIBRATION_BINS), CALIBRATION_BINS - 1)
    width = 1.0 / CALIBRATION_BINS
    for b in np.unique(bins):
        members = bins == b
        lo = b * width
        accuracy = float(right[members].mean())
        d.rectangle([at(lo + 0.1 * width, accuracy), at(lo + 0.9 * width, 0)],
                    fill=(70, 130, 200), outline=(30, 70, 140))
        mean = float(conf[members].mean())
        d.line([at(mean, mean), (at(mean, mean)[0] + 1, at(mean, mean)[1])], fill="red",
               width=5)
        d.text((at(lo + 0.15 * width, 0)[0], at(0, 0)[1] + 20), f"n={int(members.sum())}",
               fill=(60, 60, 60), font=small)
    result = calibration(conf, right) if conf.size else None
    ece = "n/a" if result is None or result.error is None else f"{result.error:.3f}"
    d.text((_MARGIN, 12), f"{title}: {conf.size} events, ECE {ece}", fill="black", font=big)
    d.text((_MARGIN, _SIZE + _MARGIN + 34), "confidence (bars: share correct; red: mean "
           "confidence)", fill=(60, 60, 60), font=small)
    return img


def write_diagrams(results: Sequence[SessionResult], system: str, out_dir: Path) -> list[Path]:
    """One diagram per event type the system emitted, and one overall, as PNG files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, float, bool]] = []
    for result in results:
        events = result.runs[system].events
        right = correctness(result.truth, events)
        rows += [(e.type, e.confidence, bool(ok)) for e, ok in zip(events, right)]
    written = []
    for name in ["overall"] + sorted({t for t, _, _ in rows}):
        chosen = [(c, ok) for t, c, ok in rows if name == "overall" or t == name]
        if not chosen:
            continue
        conf, right = zip(*chosen)
        path = out_dir / f"reliability-{name}.png"
        draw_reliability(conf, right, name).save(path)
        written.append(path)
    return written
