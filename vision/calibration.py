"""From a candidate's raw evidence to the confidence an event carries.

Emitted confidences are calibrated probabilities that the event is correct (as the benchmark
scores it), capped at :data:`CONFIDENCE_CAP`; candidates under :data:`CONFIDENCE_FLOOR` are
never emitted, and a caller may raise that floor, never lower it.

One :class:`Calibrator` per event type maps a candidate's cues to a probability in two steps.
First a logistic combination of its cues (the hand-set evidence score among them, and what
inference saw: the pointer on the target, the reaction, the target's role, a label found...)
gives one score, since evidence alone ranks candidates poorly across kinds of reaction; then a
monotone map turns that score into the probability. Two families of map are fitted (isotonic
regression, a monotone step function; Platt scaling, a logistic curve) and the one with the
lower ECE on held-out sessions is kept. The combination may also weigh each cue apart for each
kind of candidate (a cue ``a*b`` is the product of cues ``a`` and ``b``): the pointer seen on a
check box that toggled says more than the pointer seen on a field that took focus. A
:class:`CalibrationSet` is stored as a small versioned JSON file shipped under ``models/`` and
rebuilt by ``python -m models.calibrate``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from .errors import VisionError

__all__ = ["CONFIDENCE_FLOOR", "CONFIDENCE_CAP", "Calibrator", "CalibrationSet", "check_floor",
           "crossed", "cue_value", "fit_combination", "fit_isotonic", "fit_platt",
           "evidence_confidence", "FORMAT_VERSION", "KIND_CUES"]

CONFIDENCE_FLOOR = 0.70
CONFIDENCE_CAP = 0.95
FORMAT_VERSION = 2


def check_floor(confidence_gte: float) -> float:
    """Validate a caller's ``confidence_gte``: it may raise the floor, never lower it."""
    if not isinstance(confidence_gte, (int, float)) or isinstance(confidence_gte, bool) or not (
            CONFIDENCE_FLOOR <= confidence_gte <= 1.0):
        raise VisionError("invalid_request", f"confidence_gte must lie in [{CONFIDENCE_FLOOR}, "
                          f"1.0]; got {confidence_gte!r}", param="confidence_gte")
    return float(confidence_gte)


def evidence_confidence(evidence: float) -> float:
    """Uncalibrated mapping of evidence in [0, 1] onto [0.5, 0.95], for an event type that has
    no fitted calibrator yet.

    >>> evidence_confidence(1.0), evidence_confidence(0.0)
    (0.95, 0.5)
    """
    e = min(1.0, max(0.0, float(evidence)))
    return round(0.5 + 0.45 * e, 4)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


KIND_CUES = ("reaction=", "kind=")
"""Prefixes of the one-hot cues that say what kind of candidate it is (a click's reaction, a
screen change's kind): the cues a combination may cross with every numeric cue."""


def cue_value(cues: dict[str, float], name: str) -> float:
    """A cue by name; ``a*b`` is the product of cues ``a`` and ``b``; a missing cue counts 0.

    >>> cue_value({"pointer": 1.0, "reaction=toggle": 1.0}, "reaction=toggle*pointer")
    1.0
    """
    if "*" in name:
        a, b = name.split("*", 1)
        return cues.get(a, 0.0) * cues.get(b, 0.0)
    return cues.get(name, 0.0)


def crossed(cues: dict[str, float]) -> dict[str, float]:
    """``cues`` with each kind cue (:data:`KIND_CUES`) crossed with each numeric cue.

    >>> crossed({"reaction=focus": 1.0, "pointer": 0.5})
    {'reaction=focus': 1.0, 'pointer': 0.5, 'reaction=focus*pointer': 0.5}
    """
    kinds = [k for k, v in cues.items() if v and k.startswith(KIND_CUES)]
    numeric = [k for k in cues if "=" not in k and "*" not in k]
    return {**cues, **{f"{k}*{n}": cues[k] * cues[n] for k in kinds for n in numeric}}


@dataclass(frozen=True)
class Calibrator:
    """Cues to the probability of being correct: a score, then a monotone map of it.

    The score is ``sigmoid(bias + sum(weights[i] * cues[names[i]]))`` when ``names`` are set
    (a cue missing from a candidate counts 0), else the evidence itself. The map is
    ``isotonic``: piecewise-linear through the knots ``(xs, ys)``; or ``platt``:
    ``1 / (1 + exp(-(a * score + b)))``.

    Examples
    --------
    >>> Calibrator("platt", a=10.0, b=-5.0)(0.5)
    0.5
    >>> Calibrator("isotonic", xs=(0.0, 1.0), ys=(0.2, 0.9))(0.5)
    0.55
    """

    method: Literal["isotonic", "platt"]
    xs: tuple[float, ...] = ()
    ys: tuple[float, ...] = ()
    a: float = 0.0
    b: float = 0.0
    samples: int = 0
    """Candidates it was fitted on."""
    holdout_ece: float | None = None
    """ECE of the emitted part on held-out sessions, as measured when it was chosen."""
    names: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()
    bias: float = 0.0

    def score(self, evidence: float, cues: dict[str, float] | None = None) -> float:
        """The combined score the map is applied to."""
        if not self.names:
            return float(evidence)
        cues = cues if cues is not None else {"evidence": float(evidence)}
        return _sigmoid(self.bias + sum(w * cue_value(cues, n)
                                        for n, w in zip(self.names, self.weights)))

    def __call__(self, evidence: float, cues: dict[str, float] | None = None) -> float:
        x = self.score(evidence, cues)
        if self.method == "platt":
            return _sigmoid(self.a * x + self.b)
        return float(np.interp(x, self.xs, self.ys))

    def to_dict(self) -> dict:
        out = {"method": self.method, "samples": self.samples, "holdout_ece": self.holdout_ece}
        if self.names:
            out.update(bias=self.bias, weights=dict(zip(self.names, self.weights)))
        if self.method == "platt":
            out.update(a=self.a, b=self.b)
        else:
            out.update(xs=list(self.xs), ys=list(self.ys))
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Calibrator":
        weights = data.get("weights", {})
        return cls(data["method"], tuple(data.get("xs", ())), tuple(data.get("ys", ())),
                   float(data.get("a", 0.0)), float(data.get("b", 0.0)),
                   int(data.get("samples", 0)), data.get("holdout_ece"),
                   tuple(weights), tuple(float(v) for v in weights.values()),
                   float(data.get("bias", 0.0)))


def fit_combination(cues: list[dict[str, float]], correct, *, ridge: float = 1.0,
                    min_count: int = 5, iterations: int = 50, cross: bool = False
                    ) -> tuple[tuple[str, ...], tuple[float, ...], float]:
    """Logistic regression of correctness on the cues (names seen at least ``min_count``
    times), with a ridge on the weights: ``(names, weights, bias)``. With ``cross``, the
    kind cues crossed with the numeric ones (:func:`crossed`) are cues too.

    Examples
    --------
    >>> cues = [{"pointer": 1.0}] * 20 + [{}] * 20
    >>> names, weights, bias = fit_combination(cues, [1] * 18 + [0] * 2 + [1] * 4 + [0] * 16)
    >>> names, weights[0] > 2 > 0 > bias
    (('pointer',), True)
    """
    if cross:
        cues = [crossed(c) for c in cues]
    counts: dict[str, int] = {}
    for c in cues:
        for k, v in c.items():
            if v:
                counts[k] = counts.get(k, 0) + 1
    names = tuple(sorted(k for k, n in counts.items() if n >= min_count))
    X = np.array([[c.get(n, 0.0) for n in names] + [1.0] for c in cues], float)
    y = np.asarray(correct, float)
    w = np.zeros(X.shape[1])
    penalty = np.full(X.shape[1], ridge)
    penalty[-1] = 1e-6
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ w, -30, 30)))
        grad = X.T @ (p - y) + penalty * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return names, tuple(float(v) for v in w[:-1]), float(w[-1])


def fit_isotonic(evidence, correct) -> Calibrator:
    """Isotonic regression (pool adjacent violators) of correctness on evidence.

    Examples
    --------
    >>> cal = fit_isotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1])
    >>> [round(cal(x), 2) for x in (0.1, 0.25, 0.4)]
    [0.0, 0.5, 1.0]
    """
    x = np.asarray(evidence, float)
    y = np.asarray(correct, float)
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    # blocks of (sum of y, count, x start, x end); merge while a block's mean exceeds the next
    sums, counts, lo, hi = [], [], [], []
    for xi, yi in zip(x, y):
        sums.append(yi), counts.append(1.0), lo.append(xi), hi.append(xi)
        while len(sums) > 1 and sums[-2] / counts[-2] >= sums[-1] / counts[-1]:
            s, c, h = sums.pop(), counts.pop(), hi.pop()
            lo.pop()
            sums[-1] += s
            counts[-1] += c
            hi[-1] = h
    xs, ys = [], []
    for s, c, a, b in zip(sums, counts, lo, hi):
        xs += [a, b] if b > a else [a]
        ys += [s / c] * (2 if b > a else 1)
    return Calibrator("isotonic", tuple(float(v) for v in xs), tuple(float(v) for v in ys),
                      samples=len(x))


def fit_platt(evidence, correct, *, iterations: int = 50) -> Calibrator:
    """Logistic regression of correctness on evidence (Newton's method, tiny ridge).

    Examples
    --------
    >>> cal = fit_platt([0.1] * 10 + [0.9] * 10, [0] * 8 + [1] * 2 + [1] * 9 + [0])
    >>> round(cal(0.1), 1), round(cal(0.9), 1)
    (0.2, 0.9)
    """
    x = np.asarray(evidence, float)
    y = np.asarray(correct, float)
    X = np.stack([x, np.ones_like(x)], axis=1)
    w = np.zeros(2)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ w, -30, 30)))
        grad = X.T @ (p - y) + 1e-6 * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + 1e-6 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return Calibrator("platt", a=float(w[0]), b=float(w[1]), samples=len(x))


@dataclass(frozen=True)
class CalibrationSet:
    """The fitted calibrators of every event type, as shipped."""

    calibrators: dict[str, Calibrator] = field(default_factory=dict)
    version: int = FORMAT_VERSION
    fitted_on: str = ""
    """What it was fitted on (suite, split, engine version), for the record."""

    def confidence(self, type_: str, evidence: float,
                   cues: dict[str, float] | None = None) -> float:
        """Calibrated probability for a candidate, capped at :data:`CONFIDENCE_CAP`."""
        calibrator = self.calibrators.get(type_)
        p = (calibrator(evidence, cues) if calibrator is not None
             else evidence_confidence(evidence))
        return round(min(CONFIDENCE_CAP, p), 4)

    def to_dict(self) -> dict:
        return {"version": self.version, "fitted_on": self.fitted_on,
                "calibrators": {k: v.to_dict() for k, v in sorted(self.calibrators.items())}}

    @classmethod
    def from_dict(cls, data: dict) -> "CalibrationSet":
        if data.get("version") != FORMAT_VERSION:
            raise VisionError("internal_error", f"calibration file version "
                              f"{data.get('version')!r} is not {FORMAT_VERSION}",
                              param="calibration")
        return cls({k: Calibrator.from_dict(v) for k, v in data["calibrators"].items()},
                   data["version"], data.get("fitted_on", ""))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "CalibrationSet":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
