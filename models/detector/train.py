"""Train the UI-element detector on CPU and export it to ONNX, in one command.

    python -m models.detector.data                       # render data/detector/ first
    nice -n 5 python -m models.detector.train [--steps 12000] [--out models/ui_detector.onnx]

Each step is a batch of ``--crops`` strips of ``--height`` x ``--width`` pixels, each cut from
its own training frame around an element chosen class-balanced: every class is as likely a crop
centre as any other, so a check box is seen as often as a table cell although cells outnumber
check boxes eighty to one. Batches are built by a worker process while the network trains on
the previous one; batch ``i`` depends on ``(seed, i)`` alone, so a run is reproducible whatever
the timing. The encoder runs in bfloat16 (autocast), the heads and the loss in float32.
AdamW with a one-cycle schedule. The PyTorch weights are also kept, in
``data/detector/ui_detector.pt``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import cv2
import numpy as np
import torch

from .augment import degrade, random_crop, shift_colours
from .classes import CLASSES
from .data import Sample, load_split
from .export import export_onnx
from .model import MULTIPLE, Detector
from .loss import detection_loss, to_tensors
from .targets import make_targets

__all__ = ["Batches", "train"]

_ANYWHERE = 0.1
"""Share of crops placed anywhere in a frame rather than around an element."""


class Batches(torch.utils.data.Dataset):
    """Training batch ``i``: pictures ``(crops, 3, H, W)`` float32 and their loss targets."""

    def __init__(self, samples: list[Sample], seed: int, crops: int, shape: tuple[int, int]):
        self.samples, self.seed, self.crops, self.shape = samples, seed, crops, shape
        frame_of = np.concatenate([np.full(len(s.labels), i) for i, s in enumerate(samples)])
        box_of = np.concatenate([np.arange(len(s.labels)) for s in samples])
        labels = np.concatenate([s.labels for s in samples])
        self.by_class = [(frame_of[labels == c], box_of[labels == c])
                         for c in range(len(CLASSES)) if (labels == c).any()]

    def __len__(self) -> int:
        return 2 ** 31

    def _centre(self, rng: np.random.Generator) -> tuple[int, int | None]:
        """A frame and one of its boxes (class-balanced), or no box: anywhere in the frame."""
        if rng.random() < _ANYWHERE:
            return int(rng.integers(len(self.samples))), None
        frames, boxes = self.by_class[int(rng.integers(len(self.by_class)))]
        k = int(rng.integers(len(frames)))
        return int(frames[k]), int(boxes[k])

    def __getitem__(self, index: int) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        rng = np.random.default_rng([self.seed, index])
        pictures, targets = [], []
        for _ in range(self.crops):
            frame, box = self._centre(rng)
            sample = self.samples[frame]
            crop = random_crop(sample.image(), sample.boxes, sample.labels, self.shape, rng, box)
            pictures.append(shift_colours(degrade(crop.image, rng), rng).transpose(2, 0, 1))
            targets.append(make_targets(crop.boxes, crop.labels, crop.ignore, self.shape,
                                        len(CLASSES)))
        return torch.from_numpy(np.stack(pictures).astype(np.float32)), to_tensors(targets)


def _worker_init(_: int) -> None:
    torch.set_num_threads(1)
    cv2.setNumThreads(1)


def train(data: Path, *, steps: int, crops: int, shape: tuple[int, int], lr: float, seed: int,
          threads: int, log_every: int = 100) -> Detector:
    """The trained network (in eval mode)."""
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    batches = torch.utils.data.DataLoader(
        Batches(load_split(data / "train"), seed, crops, shape), batch_size=None,
        sampler=range(steps), num_workers=1, prefetch_factor=4, worker_init_fn=_worker_init,
        persistent_workers=False)
    model = Detector(len(CLASSES)).to(memory_format=torch.channels_last)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=lr, total_steps=steps,
                                                   pct_start=0.05)
    model.train()
    start, running = time.perf_counter(), {}
    for step, (pictures, targets) in enumerate(batches, 1):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            features = model.features(pictures.to(memory_format=torch.channels_last))
        logits, ltrb = model.predict(features.float())
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
    parser.add_argument("--steps", type=int, default=12000)
    parser.add_argument("--crops", type=int, default=6, help="crops per step")
    parser.add_argument("--height", type=int, default=192, help="crop height, a multiple of 64")
    parser.add_argument("--width", type=int, default=1280, help="crop width, a multiple of 64")
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--log-every", type=int, default=100, help="steps per loss line")
    args = parser.parse_args(argv)
    if args.height % MULTIPLE or args.width % MULTIPLE:
        parser.error(f"crop sides must be multiples of {MULTIPLE}")
    start = time.perf_counter()
    model = train(args.data, steps=args.steps, crops=args.crops,
                  shape=(args.height, args.width), lr=args.lr, seed=args.seed,
                  threads=args.threads, log_every=args.log_every)
    minutes = (time.perf_counter() - start) / 60
    torch.save(model.state_dict(), args.data / "ui_detector.pt")
    export_onnx(model, args.out, metadata={"seed": str(args.seed), "steps": str(args.steps),
                                           "train_minutes": f"{minutes:.1f}"})
    print(f"trained in {minutes:.1f} min; wrote {args.out}")


if __name__ == "__main__":
    main()
