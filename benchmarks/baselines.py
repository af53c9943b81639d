"""Two reference systems the harness scores beside the engine, so its table shows what the
engine adds.

- :class:`EmptyBaseline` emits nothing: recall 0, the floor.
- :class:`NaiveBaseline` emits a click at the centre of every region that changed between
  consecutive frames (role ``button``, no name, confidence 0.8): what "something changed here"
  alone earns. It catches clicks on unnamed buttons whose result shows around them, and pays a
  false positive for every hover highlight, typed character or redrawn clock.

Both have the engine's streaming interface: ``push(frame) -> list[Event]`` and ``flush()``.

Examples
--------
>>> import numpy as np
>>> from vision.frames import Frame
>>> screen = np.full((60, 80, 3), 200, np.uint8)
>>> dialog = screen.copy(); dialog[10:30, 20:50] = 30
>>> naive = NaiveBaseline(session_id="ses_1")
>>> naive.push(Frame(screen, 0, "frm_a"))
[]
>>> [(e.payload.x, e.payload.y, e.confidence) for e in naive.push(Frame(dialog, 200, "frm_b"))]
[(35, 20, 0.8)]
"""

from __future__ import annotations

from vision.diff import FrameDiffer
from vision.events import Click, Event, Target
from vision.frames import Frame, decode_image
from vision.ids import frame_id

__all__ = ["EmptyBaseline", "NaiveBaseline", "NAIVE_CONFIDENCE"]

NAIVE_CONFIDENCE = 0.8


class EmptyBaseline:
    """Emits nothing."""

    def __init__(self, *, session_id: str) -> None:
        self.session_id = session_id

    def push(self, frame: Frame) -> list[Event]:
        return []

    def flush(self) -> list[Event]:
        return []


class NaiveBaseline:
    """A click at the centre of every changed region between consecutive frames.

    The changed regions are those of the engine's own frame-diff stage (:mod:`vision.diff`),
    so the baseline shares its noise threshold, and the pointer, caret blinks and scrolled
    content are not regions; the first frame and a change of frame size give none.
    """

    def __init__(self, *, session_id: str) -> None:
        self.session_id = session_id
        self._differ = FrameDiffer()
        self._index = 0

    def push(self, frame: Frame) -> list[Event]:
        rgb = decode_image(frame.image, channels=frame.channels)
        diff = self._differ.push(rgb, content_key=frame.content_key, cursor=frame.cursor)
        fid = frame.frame_id or frame_id(self.session_id, self._index, frame.t_ms)
        self._index += 1
        return sorted(Event.create(self.session_id, fid, frame.t_ms,
                                   _click_at_centre(region.bbox), NAIVE_CONFIDENCE)
                      for region in diff.regions)

    def flush(self) -> list[Event]:
        return []


def _click_at_centre(box: tuple[int, int, int, int]) -> Click:
    x, y, w, h = box
    return Click(x=x + w // 2, y=y + h // 2, target=Target(role="button", name=None, bbox=box))
