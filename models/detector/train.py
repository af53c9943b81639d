"""Train the UI-element detector on CPU and export it to ONNX.

    python -m models.detector.data                       # render data/detector/ first
    nice -n 10 python -m models.detector.train [--steps 1000] [--out models/ui_detector.onnx]

Seeded throughout (crops, augmentations, weights, batch order) and run on a fixed number of
threads. ``--init`` continues from saved weights (the shipped model's second stage: see
``models/ui_detector.md``). Each step takes ``--images`` frames and cuts
``--crops`` crops from each, so one PNG decode serves several crops. AdamW with a one-cycle
schedule. The PyTorch weights are also kept, in ``data/detector/ui_detector.pt``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from .augment import degrade, random_crop, shift_colours
from .classes import CLASSES
from .data import load_split
from .export import export_onnx
from .model import Detector
from .targets import detection_loss, make_targets, to_tensors

__all__ = ["train"]


def _rarity(samples) -> np.ndarray:
    """Per class, the inverse of its share of all true boxes: rare classes (check boxes,
    radio buttons) are chosen as crop centres as often as table cells."""
    counts = np.bincount(np.concatenate([s.labels for s in samples]), minlength=len(CLASSES))
    return counts.sum() / np.maximum(counts, 1)


def _batch(samples, rarity: np.ndarray, rng: np.random.Generator, images: int, crops: int,
           size: int):
    pictures, targets = [], []
    for index in rng.choice(len(samples), size=images, replace=False):
        sample = samples[index]
        frame = sample.image()
        for _ in range(crops):
            crop, boxes, labels, ignore = random_crop(frame, sample.boxes, sample.labels, size,
                                                      rng, rarity[sample.labels])
            crop = shift_colours(degrade(crop, rng), rng)
            pictures.append(crop.transpose(2, 0, 1))
            targets.append(make_targets(boxes, labels, ignore, size, len(CLASSES)))
    return torch.from_numpy(np.stack(pictures).astype(np.float32)), to_tensors(targets)


def train(data: Path, *, steps: int, images: int, crops: int, size: int, lr: float, seed: int,
          threads: int, init: Path | None = None, log_every: int = 100) -> Detector:
    """The trained network (in eval mode), from random weights or from ``init``."""
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    rng = np.random.default_rng(seed)
    samples = load_split(data / "train")
    rarity = _rarity(samples)
    model = Detector(len(CLASSES))
    if init is not None:
        model.load_state_dict(torch.load(init))
    model = model.to(memory_format=torch.channels_last)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=lr, total_steps=steps,
                                                   pct_start=0.05)
    model.train()
    start, running = time.perf_counter(), {}
    for step in range(1, steps + 1):
        pictures, targets = _batch(samples, rarity, rng, images, crops, size)
        logits, ltrb = model(pictures.to(memory_format=torch.channels_last))
        loss, parts = detection_loss(logits, ltrb, targets)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        optimiser.step()
        schedule.step()
        for k, v in parts.items():
            running[k] = running.get(k, 0.0) + v / log_every
        if step % log_every == 0:
            print(f"step {step}/{steps}  focal {running['focal']:.3f}  giou "
                  f"{running['giou']:.3f}  lr {schedule.get_last_lr()[0]:.2e}  "
                  f"{time.perf_counter() - start:.0f} s", flush=True)
            running = {}
    return model.eval()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data/detector"))
    parser.add_argument("--out", type=Path, default=Path("models/ui_detector.onnx"))
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--images", type=int, default=3, help="frames per step")
    parser.add_argument("--crops", type=int, default=4, help="crops per frame")
    parser.add_argument("--size", type=int, default=256, help="crop side, a multiple of 32")
    parser.add_argument("--lr", type=float, default=4e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--init", type=Path, help="start from these weights (a .pt state dict)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    model = train(args.data, steps=args.steps, images=args.images, crops=args.crops,
                  size=args.size, lr=args.lr, seed=args.seed, threads=args.threads,
                  init=args.init)
    minutes = (time.perf_counter() - start) / 60
    torch.save(model.state_dict(), args.data / "ui_detector.pt")
    export_onnx(model, args.out, metadata={"seed": str(args.seed), "steps": str(args.steps),
                                           "train_minutes": f"{minutes:.1f}"})
    print(f"trained in {minutes:.1f} min; wrote {args.out}")


if __name__ == "__main__":
    main()
