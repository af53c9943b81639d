"""How output is judged: matching predicted events to true events, and the metrics over them.

This module is the scoring convention of CONTRACT.md section 5, written once, so the benchmark
harness and the calibration stage judge events the same way.

Matching, per session
---------------------
Predictions are taken in ``(t_ms, id)`` order. Each one is correct when an unmatched true event
of its type lies within :data:`TIME_TOLERANCE_MS` (``|t_pred - t_true| <= 1500``) and meets the
type's criteria (:func:`meets_criteria`); it then takes the nearest such true event, the earlier
one on a tie (the pixels of an action show after it, so the earlier truth is the likelier
cause). Otherwise it is a false positive. A true event is matched at most once.

True events are put in one canonical order first (time, type, canonical JSON of the payload),
so the result does not depend on the order of ``truth.jsonl``.

:func:`score` adds matched sessions up into precision, recall, F1, ECE (:func:`calibration`
states the rule for the 0.95 cap), high-confidence precision and input_text text reading;
:func:`correctness` gives the per-prediction labels the calibration stage fits evidence to.

Examples
--------
>>> from vision.events import Click, Event, Target, TrueEvent
>>> ok = Target(role="button", name="Approve:", bbox=(600, 380, 80, 24))
>>> truth = [TrueEvent(12000, "click", Click(x=610, y=390, target=ok))]
>>> guess = Target(role="button", name=" approve ", bbox=(598, 379, 84, 26))
>>> preds = [Event.create("ses_1", "frm_1", 12480, Click(x=612, y=388, target=guess), 0.87),
...          Event.create("ses_1", "frm_2", 12600, Click(x=612, y=388, target=guess), 0.75)]
>>> [o.correct for o in match_session(truth, preds).outcomes]
[True, False]
>>> s = score([match_session(truth, preds)])
>>> s.overall.precision, s.overall.recall, round(s.overall.f1, 3)
(0.5, 1.0, 0.667)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .calibration import CONFIDENCE_CAP
from .events import (EVENT_TYPES, Click, Event, InputText, Payload, Scroll, ScreenChange, Select,
                     TrueEvent, ValidationError)
from .ids import canonical_json

__all__ = [
    "TIME_TOLERANCE_MS", "BBOX_GROWTH_PX", "MESSAGE_CER_MAX", "CONFIDENCE_CAP",
    "HIGH_CONFIDENCE", "CALIBRATION_BINS", "normalize_text", "edit_distance", "meets_criteria",
    "Outcome", "TextComparison", "SessionMatch", "match_session", "correctness", "Calibration",
    "calibration", "Metrics", "metrics", "TextMetrics", "text_metrics", "Scores", "score",
]

TIME_TOLERANCE_MS = 1500
"""A prediction may lie this far from its true event, either side, inclusive."""
BBOX_GROWTH_PX = 4
"""A click's point may fall this far outside the true target's box, on every side."""
MESSAGE_CER_MAX = Fraction(1, 10)
"""Largest character error rate of a validation message that still matches (exact fraction)."""
HIGH_CONFIDENCE = 0.9
"""Threshold of the reported high-confidence precision (``confidence >= 0.9``)."""
CALIBRATION_BINS = 10


# --- texts ------------------------------------------------------------------------------------

def normalize_text(text: str | None) -> str | None:
    """Names, values and messages as the scorer compares them.

    Case-folded, trimmed, runs of white space collapsed to one space, and any trailing ``:``
    or ``*`` dropped (labels are shown as ``"Amount *"``, ``"Name:"`` or ``"Total *:"``;
    people name the field without them). ``None`` stays ``None``.

    Examples
    --------
    >>> normalize_text("  Invoice\\u00a0 No. *: ")
    'invoice no.'
    >>> normalize_text("STRASSE"), normalize_text("Straße")
    ('strasse', 'strasse')
    >>> normalize_text(None) is None
    True
    """
    if text is None:
        return None
    return " ".join(text.casefold().split()).rstrip(":* ")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions of characters.

    Examples
    --------
    >>> edit_distance("kitten", "sitting"), edit_distance("", "abc"), edit_distance("ab", "ab")
    (3, 3, 0)
    """
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _character_error_rate(reference: str, hypothesis: str) -> Fraction:
    return Fraction(edit_distance(reference, hypothesis), max(len(reference), 1))


# --- per-type criteria ------------------------------------------------------------------------

def _same_name_if_named(true_name: str | None, name: str | None) -> bool:
    return true_name is None or normalize_text(true_name) == normalize_text(name)


def _inside_grown_box(x: int, y: int, bbox: tuple[int, int, int, int]) -> bool:
    # A box [x, y, w, h] covers the pixels x .. x+w-1 (the half-open [x, x+w)); grown by g it
    # covers x-g .. x+w-1+g.
    bx, by, bw, bh = bbox
    g = BBOX_GROWTH_PX
    return bx - g <= x < bx + bw + g and by - g <= y < by + bh + g


def _click_ok(truth: Click, pred: Click) -> bool:
    return (_inside_grown_box(pred.x, pred.y, truth.target.bbox)
            and pred.target.role == truth.target.role
            and _same_name_if_named(truth.target.name, pred.target.name))


def _same_field(truth: InputText, pred: InputText) -> bool:
    return _same_name_if_named(truth.target.name, pred.target.name)


def _right_text(truth: InputText, pred: InputText) -> bool:
    if truth.masked:
        return pred.masked and pred.text is None
    return pred.text is not None and pred.text.strip() == truth.text.strip()


def _input_text_ok(truth: InputText, pred: InputText) -> bool:
    return _same_field(truth, pred) and _right_text(truth, pred)


def _select_ok(truth: Select, pred: Select) -> bool:
    return (normalize_text(pred.target.name) == normalize_text(truth.target.name)
            and normalize_text(pred.value) == normalize_text(truth.value))


def _validation_error_ok(truth: ValidationError, pred: ValidationError) -> bool:
    cer = _character_error_rate(normalize_text(truth.message), normalize_text(pred.message))
    return cer <= MESSAGE_CER_MAX and _same_name_if_named(truth.field, pred.field)


def _scroll_ok(truth: Scroll, pred: Scroll) -> bool:
    return (np.sign(pred.dx) == np.sign(truth.dx)) and (np.sign(pred.dy) == np.sign(truth.dy))


def _screen_change_ok(truth: ScreenChange, pred: ScreenChange) -> bool:
    return pred.kind == truth.kind


_CRITERIA = {
    "click": _click_ok,
    "input_text": _input_text_ok,
    "select": _select_ok,
    "validation_error": _validation_error_ok,
    "scroll": _scroll_ok,
    "screen_change": _screen_change_ok,
}


def meets_criteria(truth: Payload, prediction: Payload) -> bool:
    """Whether a predicted payload meets its true payload's criteria (time aside).

    - click: the point lies inside the true target's box grown by 4 px on every side, the role
      is equal, and the name is equal (normalised) when the truth has one;
    - input_text: the field's name equal (normalised) when the truth has one, and the text
      equal exactly after trimming; a masked truth needs a masked prediction with null text;
    - select: the target's name and the value equal (normalised);
    - validation_error: the message's character error rate (normalised) at most 0.1, and the
      field equal (normalised) when the truth has one;
    - scroll: the same sign of ``dx`` and of ``dy``; screen_change: the same ``kind``.

    Payloads of different types never meet.

    Examples
    --------
    >>> from vision.events import Scroll
    >>> meets_criteria(Scroll(dx=0, dy=120, region=(0, 0, 9, 9)),
    ...                Scroll(dx=0, dy=40, region=(5, 5, 9, 9)))
    True
    >>> meets_criteria(Scroll(dx=0, dy=120, region=(0, 0, 9, 9)),
    ...                Scroll(dx=3, dy=40, region=(0, 0, 9, 9)))
    False
    """
    if truth.TYPE != prediction.TYPE:
        return False
    return bool(_CRITERIA[truth.TYPE](truth, prediction))


# --- matching ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What became of one prediction."""

    prediction: Event
    truth_index: int | None
    """Index in :attr:`SessionMatch.truth` of the true event it matched; None: false positive."""

    @property
    def correct(self) -> bool:
        return self.truth_index is not None


@dataclass(frozen=True)
class TextComparison:
    """One true (unmasked) ``input_text`` with a prediction for the same field in tolerance.

    The prediction paired with it is the one matched to it, else the nearest in time among
    those for the same field (the earlier on a tie).
    """

    true_text: str
    """Trimmed."""
    predicted_text: str | None
    """Trimmed; None when the prediction was masked."""

    @property
    def exact(self) -> bool:
        return self.predicted_text == self.true_text

    @property
    def edits(self) -> int:
        """Character edits from the true text to the predicted one (a masked one reads as "")."""
        return edit_distance(self.true_text, self.predicted_text or "")


@dataclass(frozen=True)
class SessionMatch:
    """The matching of one session's predictions to its true events."""

    truth: tuple[TrueEvent, ...]
    """In canonical order: time, type, canonical JSON of the payload."""
    outcomes: tuple[Outcome, ...]
    """One per prediction, in ``(t_ms, id)`` order."""
    text_comparisons: tuple[TextComparison, ...]

    @property
    def truth_matched(self) -> tuple[bool, ...]:
        """Per true event (canonical order), whether some prediction matched it."""
        matched = {o.truth_index for o in self.outcomes}
        return tuple(i in matched for i in range(len(self.truth)))


def _truth_key(event: TrueEvent) -> tuple[int, str, str]:
    return (event.t_ms, event.type, canonical_json(event.to_dict()))


def _window(times: list[int], t_ms: int) -> range:
    """Positions in the sorted ``times`` within the tolerance of ``t_ms``."""
    lo = bisect.bisect_left(times, t_ms - TIME_TOLERANCE_MS)
    hi = bisect.bisect_right(times, t_ms + TIME_TOLERANCE_MS)
    return range(lo, hi)


def _nearest(indices: Iterable[int], times: Sequence[int], t_ms: int) -> int | None:
    """The index whose time is nearest ``t_ms``; the earliest (then lowest index) on a tie."""
    return min(indices, key=lambda i: (abs(times[i] - t_ms), times[i], i), default=None)


def _match_sorted(truth: Sequence[TrueEvent], predictions: Sequence[Event]) -> list[int | None]:
    """Greedy matching of predictions (already in (t_ms, id) order) to canonical truth."""
    by_type: dict[str, list[int]] = {}
    for i, event in enumerate(truth):
        by_type.setdefault(event.type, []).append(i)
    times_by_type = {t: [truth[i].t_ms for i in idx] for t, idx in by_type.items()}
    truth_times = [e.t_ms for e in truth]
    taken: set[int] = set()
    matched: list[int | None] = []
    for pred in predictions:
        indices = by_type.get(pred.type, [])
        window = _window(times_by_type.get(pred.type, []), pred.t_ms)
        eligible = (indices[k] for k in window
                    if indices[k] not in taken
                    and meets_criteria(truth[indices[k]].payload, pred.payload))
        best = _nearest(eligible, truth_times, pred.t_ms)
        if best is not None:
            taken.add(best)
        matched.append(best)
    return matched


def _text_comparisons(truth: Sequence[TrueEvent], predictions: Sequence[Event],
                      matched: Sequence[int | None]) -> tuple[TextComparison, ...]:
    paired_by_truth = {t: p for p, t in enumerate(matched) if t is not None}
    pred_times = [p.t_ms for p in predictions]
    comparisons = []
    for i, event in enumerate(truth):
        if event.type != "input_text" or event.payload.masked:
            continue
        paired = paired_by_truth.get(i)
        if paired is None:
            same_field = (p for p in _window(pred_times, event.t_ms)
                          if predictions[p].type == "input_text"
                          and _same_field(event.payload, predictions[p].payload))
            paired = _nearest(same_field, pred_times, event.t_ms)
        if paired is not None:
            text = predictions[paired].payload.text
            comparisons.append(TextComparison(event.payload.text.strip(),
                                              None if text is None else text.strip()))
    return tuple(comparisons)


def _prediction_order(predictions: Sequence[Event]) -> list[int]:
    return sorted(range(len(predictions)), key=lambda i: predictions[i].sort_key)


def match_session(truth: Iterable[TrueEvent], predictions: Iterable[Event]) -> SessionMatch:
    """Match one session's predictions to its true events (see the module docstring).

    Parameters
    ----------
    truth : iterable of TrueEvent
        The session's true events, in any order.
    predictions : iterable of Event
        The events emitted for the session, in any order.

    Returns
    -------
    SessionMatch
        The truth in canonical order, one :class:`Outcome` per prediction in ``(t_ms, id)``
        order, and the input_text comparisons behind the exact-text accuracy and CER.

    Examples
    --------
    A prediction takes the nearest eligible true event, and no true event is taken twice:

    >>> from vision.events import Event, ScreenChange, TrueEvent
    >>> nav = ScreenChange(kind="navigation", title=None, changed_fraction=0.9)
    >>> truth = [TrueEvent(t, "screen_change", nav) for t in (1000, 2000)]
    >>> preds = [Event.create("ses_1", f"frm_{t}", t, nav, 0.9) for t in (1800, 1900, 3600)]
    >>> [(o.prediction.t_ms, o.truth_index) for o in match_session(truth, preds).outcomes]
    [(1800, 1), (1900, 0), (3600, None)]
    """
    canonical = tuple(sorted(truth, key=_truth_key))
    preds = list(predictions)
    ordered = [preds[i] for i in _prediction_order(preds)]
    matched = _match_sorted(canonical, ordered)
    outcomes = tuple(Outcome(p, m) for p, m in zip(ordered, matched))
    return SessionMatch(canonical, outcomes, _text_comparisons(canonical, ordered, matched))


def correctness(truth: Iterable[TrueEvent], predictions: Sequence[Event]) -> np.ndarray:
    """Per prediction, whether it is correct, aligned with the input order of ``predictions``.

    This is the label the calibration stage fits raw evidence to; the matching is exactly
    that of :func:`match_session`.

    Returns
    -------
    ndarray of bool, shape (len(predictions),)

    Examples
    --------
    >>> from vision.events import Event, ScreenChange, TrueEvent
    >>> nav = ScreenChange(kind="navigation", title=None, changed_fraction=0.9)
    >>> preds = [Event.create("ses_1", "frm_b", 9000, nav, 0.8),
    ...          Event.create("ses_1", "frm_a", 1200, nav, 0.8)]
    >>> correctness([TrueEvent(1000, "screen_change", nav)], preds).tolist()
    [False, True]
    """
    order = _prediction_order(predictions)
    canonical = sorted(truth, key=_truth_key)
    matched = _match_sorted(canonical, [predictions[i] for i in order])
    labels = np.zeros(len(predictions), dtype=bool)
    labels[order] = [m is not None for m in matched]
    return labels


# --- calibration ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Calibration:
    """Expected calibration error of emitted confidences against correctness."""

    error: float | None
    """ECE over the counted events; None when none are counted."""
    counted: int
    """Events that entered the ECE."""
    at_cap: int
    """Events at the 0.95 cap (counted or not)."""
    cap_accuracy: float | None
    """Share of the events at the cap that are correct; None when there are none."""


def calibration(confidences: ArrayLike, correct: ArrayLike) -> Calibration:
    """ECE over 10 equal-width confidence bins, with the contract's rule for the 0.95 cap.

    ``ECE = sum_b (n_b / N) * |accuracy_b - mean confidence_b|`` over the bins
    ``[0, 0.1), [0.1, 0.2), ..., [0.9, 1.0]`` and the ``N`` counted events.

    The cap: the engine emits at most 0.95, so a confidence of exactly 0.95 claims "0.95 or
    more". When at least 95 % of the events at the cap are correct, that claim holds (the cap
    understates, which is allowed) and there is nothing to measure: those events are left out
    of the ECE altogether, from ``N`` as well, so that many safe capped events cannot dilute
    the error of the rest. When fewer than 95 % of them are correct the cap overstated, and
    they count like any other events (in the top bin). Events above the cap are never
    excused. The test is made on the events being scored (per type, profile or overall).

    Parameters
    ----------
    confidences : array_like of float, shape (n,)
        In [0, 1].
    correct : array_like of bool, shape (n,)

    Examples
    --------
    Capped events that are all correct are left out; the rest are 0.75 sure and 50 % right:

    >>> c = calibration([0.95] * 20 + [0.75] * 4, [True] * 20 + [True, False] * 2)
    >>> round(c.error, 4), c.counted, c.at_cap
    (0.25, 4, 20)

    Capped events that are only 90 % correct count:

    >>> round(calibration([0.95] * 10, [True] * 9 + [False]).error, 4)
    0.05
    """
    conf = np.asarray(confidences, dtype=float).reshape(-1)
    right = np.asarray(correct, dtype=bool).reshape(-1)
    if conf.shape != right.shape:
        raise ValueError(f"confidences and correct must have the same length; got "
                         f"{conf.shape[0]} and {right.shape[0]}")
    at_cap = np.isclose(conf, CONFIDENCE_CAP, rtol=0.0, atol=1e-9)
    cap_accuracy = float(right[at_cap].mean()) if at_cap.any() else None
    cap_holds = cap_accuracy is not None and cap_accuracy >= CONFIDENCE_CAP
    counted = ~at_cap if cap_holds else np.ones_like(at_cap)
    conf, right = conf[counted], right[counted]
    if conf.size == 0:
        return Calibration(None, 0, int(at_cap.sum()), cap_accuracy)
    # floor(c * 10) puts every 4-decimal confidence on an edge (0.7, 0.8 ...) in the bin it
    # opens; searching np.linspace(0, 1, 11) would not (its 0.3 is 0.30000000000000004)
    bins = np.minimum(np.floor(conf * CALIBRATION_BINS), CALIBRATION_BINS - 1)
    error = 0.0
    for b in np.unique(bins):
        in_bin = bins == b
        error += in_bin.sum() / conf.size * abs(right[in_bin].mean() - conf[in_bin].mean())
    return Calibration(float(error), int(conf.size), int(at_cap.sum()), cap_accuracy)


# --- metrics ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Metrics:
    """Detection metrics of one set of predictions against one set of true events."""

    n_true: int
    n_predicted: int
    n_correct: int
    """Correct predictions; equal to the matched true events."""
    precision: float | None
    """None when there are no predictions."""
    recall: float | None
    """None when there are no true events."""
    f1: float | None
    """``2 * correct / (predicted + true)``; 0 for an engine that emits nothing, None when
    there is neither a true event nor a prediction."""
    calibration: Calibration
    n_high_confidence: int
    """Predictions with ``confidence >= 0.9``."""
    precision_high_confidence: float | None


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def metrics(n_true: int, confidences: ArrayLike, correct: ArrayLike) -> Metrics:
    """Precision, recall, F1, calibration and high-confidence precision.

    Parameters
    ----------
    n_true : int
        True events in scope.
    confidences, correct : array_like, shape (n,)
        One entry per prediction in scope.

    Examples
    --------
    >>> m = metrics(4, [0.92, 0.8, 0.75], [True, True, False])
    >>> m.precision, m.recall, round(m.f1, 4), m.precision_high_confidence
    (0.6666666666666666, 0.5, 0.5714, 1.0)
    """
    conf = np.asarray(confidences, dtype=float).reshape(-1)
    right = np.asarray(correct, dtype=bool).reshape(-1)
    n_pred, n_correct = int(conf.size), int(right.sum())
    high = conf >= HIGH_CONFIDENCE
    return Metrics(
        n_true=n_true, n_predicted=n_pred, n_correct=n_correct,
        precision=_ratio(n_correct, n_pred), recall=_ratio(n_correct, n_true),
        f1=_ratio(2 * n_correct, n_pred + n_true),
        calibration=calibration(conf, right),
        n_high_confidence=int(high.sum()),
        precision_high_confidence=_ratio(int(right[high].sum()), int(high.sum())))


@dataclass(frozen=True)
class TextMetrics:
    """Text reading of ``input_text``, over true unmasked events with a prediction for the same
    field in tolerance (masked fields have no text to read; their masking is judged by the
    matching)."""

    n_compared: int
    n_exact: int
    exact_accuracy: float | None
    """Share of the compared events whose paired prediction has exactly the right text."""
    cer: float | None
    """Character error rate: all edits over all true characters (a masked prediction reads as
    the empty text)."""


def text_metrics(comparisons: Iterable[TextComparison]) -> TextMetrics:
    """Exact-text accuracy and character error rate over text comparisons.

    Examples
    --------
    >>> tm = text_metrics([TextComparison("1250.00", "1250.00"), TextComparison("ACME", "ACNE")])
    >>> tm.exact_accuracy, tm.cer
    (0.5, 0.09090909090909091)
    """
    comparisons = list(comparisons)
    n_exact = sum(c.exact for c in comparisons)
    chars = sum(len(c.true_text) for c in comparisons)
    edits = sum(c.edits for c in comparisons)
    cer = None if not comparisons else edits / max(chars, 1)
    return TextMetrics(len(comparisons), n_exact, _ratio(n_exact, len(comparisons)), cer)


@dataclass(frozen=True)
class Scores:
    """The metrics of a set of sessions: overall, per event type, and text reading."""

    overall: Metrics
    by_type: dict[str, Metrics]
    """Every event type of the contract, in its order, including those with no events."""
    input_text: TextMetrics


def score(matches: Iterable[SessionMatch]) -> Scores:
    """Aggregate session matches into metrics (counts add up over sessions).

    Score a profile's sessions by passing only those.

    Examples
    --------
    >>> score([]).overall.f1 is None
    True
    """
    true_types: list[str] = []
    pred_types: list[str] = []
    confidences: list[float] = []
    correct: list[bool] = []
    comparisons: list[TextComparison] = []
    for match in matches:
        true_types.extend(e.type for e in match.truth)
        for outcome in match.outcomes:
            pred_types.append(outcome.prediction.type)
            confidences.append(outcome.prediction.confidence)
            correct.append(outcome.correct)
        comparisons.extend(match.text_comparisons)
    conf = np.asarray(confidences, dtype=float)
    right = np.asarray(correct, dtype=bool)
    kinds = np.asarray(pred_types, dtype=object)
    by_type = {t: metrics(true_types.count(t), conf[kinds == t], right[kinds == t])
               for t in EVENT_TYPES}
    return Scores(metrics(len(true_types), conf, right), by_type, text_metrics(comparisons))
