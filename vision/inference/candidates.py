"""What inference hands to calibration: an event not yet given a confidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..events import Payload

__all__ = ["Candidate"]


@dataclass(frozen=True)
class Candidate:
    """A possible event with the raw evidence for it.

    ``evidence`` is a score in [0, 1] that grows with the strength of the visual cues; it is
    not a probability. Calibration maps it (with ``features``) to the probability that the
    event is correct.
    """

    frame_id: str
    t_ms: int
    payload: Payload
    evidence: float
    features: dict = field(default_factory=dict, compare=False)

    @property
    def type(self) -> str:
        return self.payload.TYPE
