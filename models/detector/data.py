"""Render the detector's training and test frames into ``data/detector/`` (git-ignored).

    python -m models.detector.data [--train 3000] [--test 160] [--out data/detector]

Each split folder holds ``NNNNNN.png`` frames and ``labels.jsonl``, one line per frame:
``{"file": "000012.png", "boxes": [[x0, y0, x1, y1], ...], "labels": ["button", ...]}``.
Frame ``i`` of a split is drawn from seed ``i`` alone, so the command rebuilds the same data.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .classes import CLASSES

__all__ = ["Sample", "load_split", "build_split"]


@dataclass(frozen=True)
class Sample:
    """One stored frame: its path and true boxes."""

    path: Path
    boxes: np.ndarray
    """(n, 4) int32 ``x0, y0, x1, y1``, exclusive ends."""
    labels: np.ndarray
    """(n,) int32 class indices."""

    def image(self) -> np.ndarray:
        """The frame as (H, W, 3) uint8 RGB."""
        bgr = cv2.imread(str(self.path), cv2.IMREAD_COLOR)
        if bgr is None:
            raise FileNotFoundError(self.path)
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def load_split(folder: Path) -> list[Sample]:
    """Every frame of a rendered split, in file order."""
    out = []
    with open(folder / "labels.jsonl") as f:
        for line in f:
            row = json.loads(line)
            out.append(Sample(folder / row["file"],
                              np.array(row["boxes"], np.int32).reshape(-1, 4),
                              np.array([CLASSES.index(c) for c in row["labels"]], np.int32)))
    return out


def build_split(folder: Path, split: str, count: int) -> None:
    """Render ``count`` frames of ``split`` into ``folder`` (replacing what was there)."""
    from fixtures.sessiongen.qt import QtBackend

    from .render import render_scene
    from .scenes import sample_scene

    folder.mkdir(parents=True, exist_ok=True)
    backend = QtBackend()
    lines = []
    for seed in range(count):
        frame = render_scene(sample_scene(seed, split), backend)
        name = f"{seed:06d}.png"
        cv2.imwrite(str(folder / name), cv2.cvtColor(frame.image, cv2.COLOR_RGB2BGR))
        lines.append(json.dumps({"file": name, "boxes": frame.boxes.tolist(),
                                 "labels": [CLASSES[i] for i in frame.labels]}))
    (folder / "labels.jsonl").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=3000, help="training frames")
    parser.add_argument("--test", type=int, default=160, help="test frames (held-out themes)")
    parser.add_argument("--out", type=Path, default=Path("data/detector"))
    args = parser.parse_args(argv)
    for split, count in (("train", args.train), ("test", args.test)):
        start = time.perf_counter()
        build_split(args.out / split, split, count)
        print(f"{split}: {count} frames in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
