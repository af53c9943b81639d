"""Scoring a detector on rendered frames: AP@0.5 per class, precision and recall, per profile.

    python -m models.detector.evaluate [--model models/ui_detector.onnx] [--frames 160]

Conventions: a detection is correct when it overlaps an unmatched true box of its class by
IoU >= 0.5 (detections taken best score first, per frame); AP is the area under the
all-points interpolated precision-recall curve of all test frames together (PASCAL VOC 2010+);
mAP averages AP over classes. Precision and recall are read at the runtime's default score
threshold. Degradation profiles are those of the session generator (``fixtures.sessiongen.
degrade``), applied to whole frames as a transport's first frame is sent: ``rdp`` 16-bit colour
plus JPEG q82-94, ``citrix`` JPEG q40-70, ``scaled`` resampled by 1.25 or 1.5.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from fixtures.sessiongen.degrade import PROFILES, Transport, draw_settings, scale_frame
from vision.detect import DetectorConfig, ElementDetector
from vision.onnx_model import OnnxModel

from .classes import CLASSES, INTERACTIVE
from .data import Sample, load_split

__all__ = ["apply_profile", "match", "average_precision", "ClassScore", "score_frames",
           "mean_ap", "run_frames", "scoring_detector", "SCORING_THRESHOLD"]

DetectFn = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]
"""image -> (xyxy (n, 4), score (n,), class_id (n,))"""


def apply_profile(image: np.ndarray, boxes: np.ndarray, profile: str,
                  seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The frame (and its boxes) as a client shows it under ``profile``."""
    settings = draw_settings(profile, np.random.default_rng(seed))
    if settings.scale != 1.0:
        h, w = image.shape[:2]
        image = scale_frame(image, (round(w * settings.scale), round(h * settings.scale)))
        boxes = boxes * settings.scale
    return Transport(settings).send(image), boxes


def _iou(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    lt = np.maximum(box[:2], others[:, :2])
    rb = np.minimum(box[2:], others[:, 2:])
    inter = np.prod(np.clip(rb - lt, 0, None), axis=1)
    area = np.prod(box[2:] - box[:2]) + np.prod(others[:, 2:] - others[:, :2], axis=1) - inter
    return inter / np.maximum(area, 1e-6)


def match(pred: np.ndarray, score: np.ndarray, truth: np.ndarray,
          iou: float = 0.5) -> np.ndarray:
    """For each prediction (one class, one frame), whether it hits an unmatched true box."""
    hit = np.zeros(len(pred), bool)
    taken = np.zeros(len(truth), bool)
    for i in np.argsort(-score, kind="stable"):
        if not len(truth):
            break
        overlap = np.where(taken, -1.0, _iou(pred[i], truth))
        j = int(np.argmax(overlap))
        if overlap[j] >= iou:
            hit[i], taken[j] = True, True
    return hit


def average_precision(score: np.ndarray, hit: np.ndarray, positives: int) -> float:
    """All-points interpolated AP.

    >>> average_precision(np.array([0.9, 0.8, 0.7]), np.array([True, False, True]), 2)
    0.8333333333333333
    """
    if positives == 0:
        return float("nan")
    order = np.argsort(-score, kind="stable")
    tp = np.cumsum(hit[order])
    precision = tp / np.arange(1, len(tp) + 1)
    recall = tp / positives
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    steps = np.diff(np.concatenate([[0.0], recall]))
    return float(np.sum(steps * envelope))


@dataclass(frozen=True)
class ClassScore:
    ap: float
    precision: float
    recall: float
    truths: int


def score_frames(frames: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                    np.ndarray]],
                 threshold: float, *, agnostic: bool = False) -> dict[str, ClassScore]:
    """Per-class scores from ``(pred_xyxy, pred_score, pred_class, true_xyxy, true_class)``
    per frame; ``agnostic`` pools every class into one (``"any"``)."""
    names = ("any",) if agnostic else CLASSES
    out = {}
    for c, name in enumerate(names):
        scores, hits, truths = [], [], 0
        for pxy, ps, pc, txy, tc in frames:
            pm = np.ones(len(pc), bool) if agnostic else pc == c
            tm = np.ones(len(tc), bool) if agnostic else tc == c
            truths += int(tm.sum())
            scores.append(ps[pm])
            hits.append(match(pxy[pm], ps[pm], txy[tm]))
        score, hit = np.concatenate(scores), np.concatenate(hits)
        kept = score >= threshold
        out[name] = ClassScore(average_precision(score, hit, truths),
                               float(hit[kept].sum() / max(kept.sum(), 1)),
                               float(hit[kept].sum() / max(truths, 1)), truths)
    return out


def mean_ap(scores: dict[str, ClassScore], classes: tuple[str, ...]) -> float:
    return float(np.nanmean([scores[c].ap for c in classes]))


def run_frames(detect: DetectFn, samples: list[Sample], profile: str) -> list[tuple]:
    """``detect`` on every sample under ``profile``: the per-frame tuples :func:`score_frames`
    takes. Frame ``i`` draws its transport settings from seed ``i``."""
    frames = []
    for i, sample in enumerate(samples):
        image, truth = apply_profile(sample.image(), sample.boxes.astype(np.float32), profile,
                                     seed=i)
        frames.append((*detect(image), truth, sample.labels))
    return frames


SCORING_THRESHOLD = 0.02
"""Detections down to this score are kept for AP (the curve needs the low-scored tail)."""


def scoring_detector(model: Path, threads: int):
    """The runtime detector on ``model`` keeping the low-scored tail, and its :data:`DetectFn`."""
    detector = ElementDetector(OnnxModel(model, threads=threads),
                               DetectorConfig(score_threshold=SCORING_THRESHOLD))

    def detect(image: np.ndarray):
        found = detector.detect(image)
        return found.xyxy, found.score, found.class_id

    return detector, detect


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("models/ui_detector.onnx"))
    parser.add_argument("--data", type=Path, default=Path("data/detector/test"))
    parser.add_argument("--frames", type=int, default=160)
    parser.add_argument("--profiles", nargs="+", default=list(PROFILES))
    args = parser.parse_args(argv)
    samples = load_split(args.data)[:args.frames]
    threshold = DetectorConfig().score_threshold
    _, detect = scoring_detector(args.model, threads=2)

    report = {}
    for profile in args.profiles:
        scores = score_frames(run_frames(detect, samples, profile), threshold)
        report[profile] = {"map_interactive": mean_ap(scores, INTERACTIVE),
                           "map_all": mean_ap(scores, CLASSES),
                           "classes": {k: vars(v) for k, v in scores.items()}}
        print(f"{profile:9s} mAP@0.5 interactive {report[profile]['map_interactive']:.3f}  "
              f"all {report[profile]['map_all']:.3f}  " +
              " ".join(f"{k} {v.ap:.2f}" for k, v in scores.items()), flush=True)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
