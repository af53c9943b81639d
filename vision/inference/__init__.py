"""Event inference: from each frame's changes to candidate events.

Each event family is tracked by a small class holding only the state that spans frames
(``push(frame, diff) -> candidates``, ``flush()``, ``watermark()``); :class:`EventInference`
runs them in order and reports the earliest time any of them may still emit.
"""

from __future__ import annotations

from ..diff import FrameDiff
from ..frames import DecodedFrame
from .candidates import Candidate
from .screens import ScreenChanges
from .scrolls import Scrolls

__all__ = ["EventInference", "Candidate"]


class EventInference:
    """All event trackers of one session."""

    def __init__(self) -> None:
        self._trackers = (ScreenChanges(), Scrolls())

    @property
    def hold_back_ms(self) -> int:
        """The longest any tracker holds a candidate before it is final."""
        return max(t.hold_back_ms for t in self._trackers)

    def watermark(self) -> int | None:
        """Earliest ``t_ms`` a future candidate may carry; None when nothing is pending."""
        marks = [m for m in (t.watermark() for t in self._trackers) if m is not None]
        return min(marks, default=None)

    def push(self, frame: DecodedFrame, diff: FrameDiff) -> list[Candidate]:
        out: list[Candidate] = []
        for tracker in self._trackers:
            out += tracker.push(frame, diff)
        return out

    def flush(self) -> list[Candidate]:
        out: list[Candidate] = []
        for tracker in self._trackers:
            out += tracker.flush()
        return out
