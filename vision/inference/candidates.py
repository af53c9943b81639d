"""What inference hands to calibration: an event not yet given a confidence."""

from __future__ import annotations

import math
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

    def cues(self) -> dict[str, float]:
        """The candidate's cues as named numbers, for calibration: scalar features as they are
        (durations as ``log(1 + seconds)``), a text feature as a one-hot ``name=value``, and
        what the payload shows (a screen change's kind, the target's role, whether it has a
        name, the text's length).
        """
        out: dict[str, float] = {"evidence": float(self.evidence)}
        for key, value in self.features.items():
            if isinstance(value, bool):
                out[key] = float(value)
            elif isinstance(value, (int, float)):
                out[key] = math.log1p(max(value, 0) / 1000) if key.endswith("_ms") else value
            elif isinstance(value, str):
                out[f"{key}={value}"] = 1.0
        kind = getattr(self.payload, "kind", None)
        if isinstance(kind, str):
            out[f"kind={kind}"] = 1.0
        target = getattr(self.payload, "target", None)
        if target is not None:
            out[f"role={target.role}"] = 1.0
            out["named"] = float(bool(target.name))
        for key in ("text", "message", "value", "title"):
            text = getattr(self.payload, key, None)
            if isinstance(text, str):
                out[f"{key}_length"] = math.log1p(len(text))
        return out
