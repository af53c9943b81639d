"""UI-element detector benchmark on the held-out ``test`` themes, beside a classical baseline.

    python -m models.detector.data            # renders data/detector/{train,test}
    python -m benchmarks.detector_bench [--frames 160] [--model models/ui_detector.onnx]

Scoring convention (see ``models/detector/evaluate.py``): AP@0.5 per class over all test
frames (VOC all-points), mAP over the interactive classes (button, textbox, checkbox, radio,
combobox, tab, menuitem, link) and over all classes; precision and recall at the runtime's
default score threshold; per degradation profile (lossless, rdp, citrix, scaled).

The classical baseline is UIED's non-text stage: Canny edges on the grey frame, closed by a
small dilation, connected components as boxes. It gives no class, so it is scored class-agnostic
(``any``: every true box of every class), beside the model scored the same way.

Speed: milliseconds per call of :class:`vision.detect.ElementDetector` on one thread (median of
``--repeat`` runs), for a 1920 x 1080 frame and for a 512 x 512 region.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import cv2
import numpy as np

from models.detector.classes import CLASSES, INTERACTIVE
from models.detector.data import load_split
from models.detector.evaluate import mean_ap, run_frames, score_frames, scoring_detector
from vision.detect import DetectorConfig

PROFILES = ("lossless", "rdp", "citrix", "scaled")


def edge_components(image: np.ndarray, *, min_side: int = 6,
                    max_share: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Boxes of edge contours (class -1), scored by how rectangular each contour is.

    Every contour of the closed edge map counts, inner ones too: a widget's border gives its
    outer box and its inside, a grid gives its cells. A second pass closes the gaps between
    letters (a wide, flat dilation) so words and text lines become blocks.
    """
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    edges = cv2.Canny(grey, 50, 150)
    boxes, scores = [], []
    for kernel in ((3, 3), (9, 3)):
        closed = cv2.dilate(edges, np.ones(kernel[::-1], np.uint8))
        contours, _ = cv2.findContours(closed, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if min(w, h) >= min_side and w * h <= max_share * grey.size:
                boxes.append((x, y, x + w, y + h))
                scores.append(cv2.contourArea(contour) / (w * h))
    xyxy = np.array(boxes, np.float32).reshape(-1, 4)
    return xyxy, np.array(scores, np.float32), np.full(len(xyxy), -1, np.int32)


def _ms(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("models/ui_detector.onnx"))
    parser.add_argument("--data", type=Path, default=Path("data/detector/test"))
    parser.add_argument("--frames", type=int, default=160)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    samples = load_split(args.data)[:args.frames]
    threshold = DetectorConfig().score_threshold
    detector, model = scoring_detector(args.model, threads=1)

    print(f"# detector on {len(samples)} test frames ({args.model})\n")
    print("| profile | mAP interactive | mAP all | " + " | ".join(CLASSES) + " |")
    print("|---" * (3 + len(CLASSES)) + "|")
    details, agnostic = {}, {}
    for profile in PROFILES:
        frames = run_frames(model, samples, profile)
        scores = score_frames(frames, threshold)
        details[profile] = scores
        print(f"| {profile} | {mean_ap(scores, INTERACTIVE):.3f} | "
              f"{mean_ap(scores, CLASSES):.3f} | " +
              " | ".join(f"{scores[c].ap:.3f}" for c in CLASSES) + " |", flush=True)
        agnostic[profile] = (score_frames(frames, threshold, agnostic=True)["any"],
                             score_frames(run_frames(edge_components, samples, profile), 0.0,
                                          agnostic=True)["any"])
    for profile in ("lossless", "citrix"):
        print(f"\n## precision / recall at score >= {threshold}, {profile}\n")
        print("| class | true boxes | AP@0.5 | precision | recall |\n|---|---|---|---|---|")
        for c in CLASSES:
            s = details[profile][c]
            print(f"| {c} | {s.truths} | {s.ap:.3f} | {s.precision:.3f} | {s.recall:.3f} |")
    print("\n## class-agnostic (any element), model vs classical edges + components\n")
    print("| profile | model AP | model recall | baseline AP | baseline recall |")
    print("|---|---|---|---|---|")
    for profile, (m, b) in agnostic.items():
        print(f"| {profile} | {m.ap:.3f} | {m.recall:.3f} | {b.ap:.3f} | {b.recall:.3f} |")

    frame = samples[0].image()
    full = cv2.resize(frame, (1920, 1080)) if frame.shape[:2] != (1080, 1920) else frame
    print(f"\n## speed, one thread (median of {args.repeat})\n")
    print(f"- full 1920x1080 frame: {_ms(lambda: detector.detect(full), args.repeat):.1f} ms")
    print(f"- 512x512 region: "
          f"{_ms(lambda: detector.detect_regions(full, [(200, 100, 512, 512)]), args.repeat):.1f}"
          f" ms")
    print(f"- edges + components baseline, full frame: "
          f"{_ms(lambda: edge_components(full), args.repeat):.1f} ms")


if __name__ == "__main__":
    main()
