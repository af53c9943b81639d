"""From a candidate's raw evidence to the confidence an event carries.

Emitted confidences are calibrated probabilities capped at :data:`CONFIDENCE_CAP`; candidates
under :data:`CONFIDENCE_FLOOR` are never emitted. A caller may raise the floor, never lower it.
"""

from __future__ import annotations

from .errors import VisionError

__all__ = ["CONFIDENCE_FLOOR", "CONFIDENCE_CAP", "check_floor", "evidence_confidence"]

CONFIDENCE_FLOOR = 0.70
CONFIDENCE_CAP = 0.95


def check_floor(confidence_gte: float) -> float:
    """Validate a caller's ``confidence_gte``: it may raise the floor, never lower it."""
    if not isinstance(confidence_gte, (int, float)) or not (
            CONFIDENCE_FLOOR <= confidence_gte <= 1.0):
        raise VisionError("invalid_request", f"confidence_gte must lie in [{CONFIDENCE_FLOOR}, "
                          f"1.0]; got {confidence_gte!r}", param="confidence_gte")
    return float(confidence_gte)


def evidence_confidence(evidence: float) -> float:
    """Uncalibrated mapping of evidence in [0, 1] onto [0.5, 0.95] (until fitted calibrators).

    >>> evidence_confidence(1.0), evidence_confidence(0.0)
    (0.95, 0.5)
    """
    e = min(1.0, max(0.0, float(evidence)))
    return round(0.5 + 0.45 * e, 4)
