"""Scroll events from the diff stage's content shifts.

Wheel steps less than 1 s apart in the same area are one burst, and one event: its movement
summed, anchored at the frame showing the last step (the burst's result complete).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..diff import BBox, FrameDiff, Shift
from ..events import Scroll
from ..frames import DecodedFrame
from .candidates import Candidate
from .screen import ScreenModel, overlap

__all__ = ["Scrolls", "BURST_GAP_MS"]

BURST_GAP_MS = 1000


def _overlap(a: BBox, b: BBox) -> float:
    """Intersection over the smaller box's area."""
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    if x1 <= x0 or y1 <= y0:
        return 0.0
    return (x1 - x0) * (y1 - y0) / float(min(a[2] * a[3], b[2] * b[3]) or 1)


@dataclass(frozen=True)
class _Burst:
    region: BBox
    dx: int
    dy: int
    steps: int
    first_t: int
    last_t: int
    last_frame: str


class Scrolls:
    """Open scroll bursts, one per scrolled area."""

    hold_back_ms = BURST_GAP_MS

    def __init__(self) -> None:
        self._bursts: list[_Burst] = []
        self.relayouts: list[Shift] = []
        """This frame's shifts that moved controls too: a window re-laid out, not a scroll."""

    def watermark(self) -> int | None:
        return min((b.last_t for b in self._bursts), default=None)

    def push(self, frame: DecodedFrame, diff: FrameDiff, screen: ScreenModel) -> list[Candidate]:
        ended = diff.kind == "new_screen"  # a new screen ends every burst
        done = [b for b in self._bursts if ended or frame.t_ms - b.last_t >= BURST_GAP_MS]
        self._bursts = [b for b in self._bursts if b not in done]
        self.relayouts = [sh for sh in diff.shifts if _controls_moved(sh, screen)]
        for shift in diff.shifts:
            if shift not in self.relayouts:
                self._add(shift, frame)
        return [_candidate(b) for b in done]

    def flush(self) -> list[Candidate]:
        done, self._bursts = self._bursts, []
        return [_candidate(b) for b in done]

    def _add(self, shift: Shift, frame: DecodedFrame) -> None:
        for i, burst in enumerate(self._bursts):
            if _overlap(burst.region, shift.region) >= 0.5:
                self._bursts[i] = replace(burst, dx=burst.dx + shift.dx, dy=burst.dy + shift.dy,
                                          steps=burst.steps + 1, last_t=frame.t_ms,
                                          last_frame=frame.frame_id)
                return
        self._bursts.append(_Burst(shift.region, shift.dx, shift.dy, 1, frame.t_ms, frame.t_ms,
                                   frame.frame_id))


_CONTROLS = ("button", "textbox", "checkbox", "radio", "combobox", "tab")


def _controls_moved(shift: Shift, screen: ScreenModel) -> bool:
    """Controls moved along with the content: a window re-laid out (a dialog grew), which
    scrolling never does (a scrolled list moves its rows, not the buttons around it)."""
    dx, dy = shift.dx, shift.dy
    moved = 0
    for b in screen.previous:
        if b.role not in _CONTROLS or overlap(b.bbox, shift.region) < 0.5 * b.area:
            continue
        x, y, w, h = b.bbox
        target = (x - dx, y - dy, w, h)
        if any(e.role == b.role and abs(e.bbox[0] - target[0]) <= 3
               and abs(e.bbox[1] - target[1]) <= 3 for e in screen.elements):
            moved += 1
    return moved >= 1


def _candidate(burst: _Burst) -> Candidate:
    # A burst with movement on both axes summing to zero (back and forth) has no direction to
    # report; the event still happened, so it keeps its steps' evidence. The height of the
    # area is a cue of its own: views people scroll (lists, tables, pages) are tall, while a
    # short area whose content moved is as often a small list refilled or a panel re-laid out
    # (in thousands of pixels, the scale of the other cues).
    evidence = min(1.0, 0.6 + 0.1 * burst.steps)
    return Candidate(burst.last_frame, burst.last_t,
                     Scroll(dx=burst.dx, dy=burst.dy, region=burst.region), evidence,
                     {"steps": burst.steps, "duration_ms": burst.last_t - burst.first_t,
                      "height": burst.region[3] / 1000})
