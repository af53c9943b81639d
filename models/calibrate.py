"""Fit the shipped calibration set (``models/calibration.json``) on a suite's train split.

    python -m models.calibrate SUITE [--split train] [--out models/calibration.json]
                                     [--workers 2] [--samples FILE]

The engine runs over every session of the split with raw evidence (every candidate with its
cues, no floor, no cap); each candidate is scored as the benchmark scores events
(``vision.scoring``). Per event type, a logistic combination of the cues is fitted, then
isotonic regression and Platt scaling of its score, each with a weak and a strong ridge on the
combination and with or without the kind cues crossed with the others, are compared on
held-out sessions. Their calibration error is the mean of two ECEs: of every candidate, and of
the emitted part (calibrated probability >= 0.70, capped at 0.95, as the contract measures
it). Of the maps within ``ECE_BUDGET`` (or, for a type with few candidates, within the error
sampling alone gives a perfectly calibrated map on them), the one that emits the most right
events is chosen: ECE alone favours a timid map that emits little, since a map that calls
everything 0.6 is well calibrated and useless. The choice is refitted on all sessions and
stored with its held-out ECE of the emitted part.

The folds hold out one font at a time (the font of the session's theme): the sessions the
engine meets later are drawn in fonts it has never read, and the OCR errors a new font brings
are the largest shift between suites, so a map chosen on sessions of fonts it was fitted on
would be overconfident. The ``test`` split is never used here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np

from vision import __version__
from vision.calibration import (CONFIDENCE_CAP, CONFIDENCE_FLOOR, CalibrationSet, Calibrator,
                                fit_combination, fit_isotonic, fit_platt)
from vision.extractor import CALIBRATION_FILE, Extractor, ExtractorConfig
from vision.scoring import calibration as ece_of, correctness
from vision.sessions import read_session

__all__ = ["Sample", "choose", "collect", "fit_type", "main", "sampling_noise"]

MIN_SAMPLES = 30
"""Event types with fewer candidates keep the uncalibrated mapping."""


RIDGES = (1.0, 10.0)
"""Ridge strengths tried on the cue combination."""
ECE_BUDGET = 0.03
"""Largest held-out calibration error (the mean of the ECE of every candidate and of the
emitted part) of a map chosen for the right events it emits."""


@dataclass(frozen=True)
class Sample:
    session: str
    profile: str
    type: str
    evidence: float
    correct: bool
    cues: dict
    group: str = ""
    """What the folds hold out together: the font of the session's theme."""


def _font(meta: dict) -> str:
    """The font of a generated session's theme (``style-colour-font-size``), else its id."""
    parts = str(meta.get("theme", "")).split("-")
    return parts[2] if len(parts) >= 4 else str(meta.get("session_id", ""))


def _session_samples(path: str) -> list[Sample]:
    session = read_session(path)
    extractor = Extractor(session.session_id, config=ExtractorConfig(raw_evidence=True))
    events = []
    for frame in session.frames():
        events += extractor.push(frame)
    events += extractor.flush()
    right = correctness(session.truth() or [], events)
    profile = session.meta.get("profile", "unknown")
    return [Sample(session.session_id, profile, e.type, e.confidence, bool(ok),
                   extractor.raw_cues[e.id], _font(session.meta))
            for e, ok in zip(events, right)]


def find_split(suite: Path, split: str) -> list[str]:
    """Sessions of ``suite`` whose ``session.json`` names ``split``."""
    out = []
    for meta in sorted(suite.rglob("session.json")):
        if json.loads(meta.read_text()).get("split") == split:
            out.append(str(meta.parent))
    return out


def collect(paths: list[str], workers: int) -> list[Sample]:
    """Raw candidates of every session, scored, with a progress bar."""
    from tqdm import tqdm

    samples: list[Sample] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for got in tqdm(pool.map(_session_samples, paths), total=len(paths), unit="session",
                        desc="engine, raw evidence"):
            samples += got
    return samples


def _held_out_errors(p: np.ndarray, correct: np.ndarray) -> tuple[float, float | None]:
    """ECE of every held-out candidate (the whole map must be right, or the floor drops the
    wrong ones), and ECE of the emitted part (>= 0.70, capped at 0.95: what the contract
    measures), or None when nothing would be emitted. A choice is judged on their mean."""
    overall = ece_of(np.round(np.minimum(p, 1.0), 4), correct).error or 0.0
    capped = np.minimum(CONFIDENCE_CAP, p)
    emitted = capped >= CONFIDENCE_FLOOR
    part = ece_of(np.round(capped[emitted], 4), correct[emitted]).error if emitted.any() else None
    return float(overall), part


def _fit(samples: list[Sample], method: str, ridge: float, cross: bool) -> Calibrator:
    """The cue combination, then the ``method`` map of its score, fitted on ``samples``."""
    names, weights, bias = fit_combination([s.cues for s in samples],
                                           [s.correct for s in samples], ridge=ridge,
                                           cross=cross)
    combined = Calibrator("platt", names=names, weights=weights, bias=bias)
    scores = [combined.score(s.evidence, s.cues) for s in samples]
    fit = fit_isotonic if method == "isotonic" else fit_platt
    return replace(fit(scores, [s.correct for s in samples]), names=names, weights=weights,
                   bias=bias)


def choose(errors: dict, right: dict, noise: dict | None = None):
    """Of the choices whose held-out calibration error is within budget, the one emitting the
    most right events (the lower error breaks a tie); when none is within it, the one of
    lowest error. The budget is :data:`ECE_BUDGET`, or a choice's ``noise`` where larger: the
    error sampling alone gives a perfectly calibrated map on so few held-out events."""
    noise = noise or {}
    within = [c for c in errors if errors[c] <= max(ECE_BUDGET, noise.get(c, 0.0))]
    if not within:
        return min(errors, key=errors.get)
    return max(within, key=lambda c: (right[c], -errors[c]))


def _error(p: np.ndarray, correct: np.ndarray) -> float:
    """The held-out error a choice is judged on: the mean of :func:`_held_out_errors`."""
    overall, emitted = _held_out_errors(p, correct)
    return overall if emitted is None else (overall + emitted) / 2


def sampling_noise(p: np.ndarray, draws: int = 100, seed: int = 0) -> float:
    """The mean :func:`_error` of a perfectly calibrated map giving ``p``: outcomes drawn with
    those probabilities. On a few hundred events, ten bins leave an error of several points
    that no map can go under."""
    rng = np.random.default_rng(seed)
    p = np.minimum(p, 1.0)
    return float(np.mean([_error(p, rng.random(len(p)) < p) for _ in range(draws)]))


def fit_type(samples: list[Sample]) -> Calibrator:
    """The map family, ridge and combination (with the kind cues crossed or not) for one
    event type that emits the most right events on held-out groups among those calibrated
    within budget there (:func:`choose`); when none is, the best calibrated."""
    groups = sorted({s.group for s in samples})
    errors, emitted, right, noise = {}, {}, {}, {}
    for choice in [(m, r, c) for m in ("isotonic", "platt") for r in RIDGES
                   for c in (False, True)]:
        held_p, held_y = [], []
        for group in groups:
            train = [s for s in samples if s.group != group]
            held = [s for s in samples if s.group == group]
            if len(train) < 5 or not held:
                continue
            model = _fit(train, *choice)
            held_p += [model(s.evidence, s.cues) for s in held]
            held_y += [s.correct for s in held]
        if not held_p:
            errors[choice], emitted[choice], right[choice] = 1.0, None, 0
            continue
        p, y = np.array(held_p), np.array(held_y)
        emitted[choice] = _held_out_errors(p, y)[1]
        errors[choice] = _error(p, y)
        noise[choice] = sampling_noise(p)
        right[choice] = int(y[np.minimum(CONFIDENCE_CAP, p) >= CONFIDENCE_FLOOR].sum())
    best = choose(errors, right, noise)
    part = emitted[best]
    return replace(_fit(samples, *best), samples=len(samples),
                   holdout_ece=None if part is None else round(part, 4))


def _load_or_collect(paths: list[str], workers: int, cache: Path | None) -> list[Sample]:
    """The split's samples: read from ``cache`` when it exists, else collected (and written
    there, when given, so a refit of the maps need not rerun the engine)."""
    if cache is not None and cache.exists():
        print(f"samples read from {cache}")
        return [Sample(**json.loads(line)) for line in cache.read_text().splitlines()]
    samples = collect(paths, workers)
    if cache is not None:
        cache.write_text("".join(json.dumps(asdict(s)) + "\n" for s in samples))
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", type=Path)
    parser.add_argument("--split", default="train")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / CALIBRATION_FILE)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--samples", type=Path, help="read the engine's scored candidates "
                        "from this JSONL file, or write them there when it does not exist")
    args = parser.parse_args(argv)
    if args.split == "test":
        print("refusing to fit on the test split", file=sys.stderr)
        return 2
    paths = find_split(args.suite, args.split)
    if not paths:
        print(f"no {args.split} sessions under {args.suite}", file=sys.stderr)
        return 2
    samples = _load_or_collect(paths, args.workers, args.samples)
    calibrators = {}
    print(f"{'type':<18}{'candidates':>11}{'correct':>9}{'method':>10}{'held-out ECE':>14}")
    for type_ in sorted({s.type for s in samples}):
        mine = [s for s in samples if s.type == type_]
        if len(mine) < MIN_SAMPLES:
            print(f"{type_:<18}{len(mine):>11}  too few to fit; uncalibrated mapping kept")
            continue
        cal = fit_type(mine)
        calibrators[type_] = cal
        ece = "none emitted" if cal.holdout_ece is None else f"{cal.holdout_ece:.4f}"
        print(f"{type_:<18}{len(mine):>11}{sum(s.correct for s in mine):>9}{cal.method:>10}"
              f"{ece:>14}")
    fitted_on = (f"{args.suite.name} split={args.split} sessions={len(paths)} "
                 f"engine={__version__} date={date.today().isoformat()}")
    CalibrationSet(calibrators, fitted_on=fitted_on).save(args.out)
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
