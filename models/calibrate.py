"""Fit the shipped calibration set (``models/calibration.json``) on a suite's train split.

    python -m models.calibrate SUITE [--split train] [--out models/calibration.json]
                                     [--workers 2] [--folds 5]

The engine runs over every session of the split with raw evidence (every candidate, no floor,
no cap); each candidate is scored as the benchmark scores events (``vision.scoring``). Per event
type, isotonic regression and Platt scaling are compared by their ECE on held-out sessions
(K folds grouped by session, ECE of the emitted part: calibrated probability >= 0.70, capped at
0.95, as the contract measures it); the better family is refitted on all sessions and stored.
The ``test`` split is never used here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np

from vision import __version__
from vision.calibration import (CONFIDENCE_CAP, CONFIDENCE_FLOOR, CalibrationSet, Calibrator,
                                fit_isotonic, fit_platt)
from vision.extractor import CALIBRATION_FILE, Extractor, ExtractorConfig
from vision.scoring import calibration as ece_of, correctness
from vision.sessions import read_session

__all__ = ["Sample", "collect", "fit_type", "main"]

MIN_SAMPLES = 30
"""Event types with fewer candidates keep the uncalibrated mapping."""


@dataclass(frozen=True)
class Sample:
    session: str
    profile: str
    type: str
    evidence: float
    correct: bool


def _session_samples(path: str) -> list[Sample]:
    session = read_session(path)
    extractor = Extractor(session.session_id, config=ExtractorConfig(raw_evidence=True))
    events = []
    for frame in session.frames():
        events += extractor.push(frame)
    events += extractor.flush()
    right = correctness(session.truth() or [], events)
    profile = session.meta.get("profile", "unknown")
    return [Sample(session.session_id, profile, e.type, e.confidence, bool(ok))
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


def _emitted_ece(calibrator: Calibrator, evidence: np.ndarray, correct: np.ndarray) -> float:
    p = np.minimum(CONFIDENCE_CAP, np.array([calibrator(e) for e in evidence]))
    emitted = p >= CONFIDENCE_FLOOR
    if not emitted.any():
        return 0.0
    error = ece_of(np.round(p[emitted], 4), correct[emitted]).error
    return 0.0 if error is None else float(error)


def fit_type(samples: list[Sample], folds: int, seed: int = 0) -> Calibrator:
    """The better of isotonic and Platt for one event type, by held-out ECE."""
    sessions = sorted({s.session for s in samples})
    rng = np.random.default_rng(seed)
    fold_of = {sid: i % folds for i, sid in enumerate(rng.permutation(sessions))}
    x = np.array([s.evidence for s in samples])
    y = np.array([s.correct for s in samples])
    f = np.array([fold_of[s.session] for s in samples])
    scores = {}
    for name, fit in (("isotonic", fit_isotonic), ("platt", fit_platt)):
        errors, weights = [], []
        for k in range(min(folds, len(sessions))):
            train, held = f != k, f == k
            if train.sum() < 5 or held.sum() == 0:
                continue
            model = fit(x[train], y[train])
            errors.append(_emitted_ece(model, x[held], y[held]))
            weights.append(held.sum())
        scores[name] = float(np.average(errors, weights=weights)) if errors else 1.0
    best = min(scores, key=scores.get)
    model = (fit_isotonic if best == "isotonic" else fit_platt)(x, y)
    return replace(model, holdout_ece=round(scores[best], 4))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", type=Path)
    parser.add_argument("--split", default="train")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / CALIBRATION_FILE)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    if args.split == "test":
        print("refusing to fit on the test split", file=sys.stderr)
        return 2
    paths = find_split(args.suite, args.split)
    if not paths:
        print(f"no {args.split} sessions under {args.suite}", file=sys.stderr)
        return 2
    samples = collect(paths, args.workers)
    calibrators = {}
    print(f"{'type':<18}{'candidates':>11}{'correct':>9}{'method':>10}{'held-out ECE':>14}")
    for type_ in sorted({s.type for s in samples}):
        mine = [s for s in samples if s.type == type_]
        if len(mine) < MIN_SAMPLES:
            print(f"{type_:<18}{len(mine):>11}  too few to fit; uncalibrated mapping kept")
            continue
        cal = fit_type(mine, args.folds)
        calibrators[type_] = cal
        print(f"{type_:<18}{len(mine):>11}{sum(s.correct for s in mine):>9}{cal.method:>10}"
              f"{cal.holdout_ece:>14.4f}")
    fitted_on = (f"{args.suite.name} split={args.split} sessions={len(paths)} "
                 f"engine={__version__} date={date.today().isoformat()}")
    CalibrationSet(calibrators, fitted_on=fitted_on).save(args.out)
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
