"""Event inference: from each frame's changes to candidate events.

The screen model is refreshed first (elements detected where the frame changed); then each
event family is tracked by a small class holding only the state that spans frames. Trackers
run in a fixed order because later ones read what earlier ones saw in the same frame: clicks
need to know whether focus moved, a dialog opened or a message appeared.
"""

from __future__ import annotations

from ..detect import ElementDetector
from dataclasses import replace

from ..diff import FrameDiff, Region
from ..frames import DecodedFrame
from ..ocr import TextReader, default_reader
from .candidates import Candidate
from .clicks import Clicks
from .messages import Messages
from .popups import Popups
from .screen import ScreenModel
from .screens import ScreenChanges
from .scrolls import Scrolls
from .typing import Edits

__all__ = ["EventInference", "Candidate"]


class EventInference:
    """All event trackers of one session.

    Parameters
    ----------
    detector : ElementDetector, optional
        Defaults to the shipped model (one onnxruntime session per process).
    reader : TextReader, optional
        Defaults to the process's shared OCR reader and its cache.
    """

    def __init__(self, detector: ElementDetector | None = None,
                 reader: TextReader | None = None) -> None:
        self.screen = ScreenModel(detector or ElementDetector(), reader or default_reader())
        self.screens = ScreenChanges()
        self.scrolls = Scrolls()
        self.edits = Edits()
        self.popups = Popups()
        self.messages = Messages()
        self.clicks = Clicks()

    @property
    def hold_back_ms(self) -> int:
        """The longest any tracker holds a candidate before it is final."""
        return max(t.hold_back_ms for t in (self.screens, self.scrolls, self.edits,
                                            self.popups))

    def watermark(self) -> int | None:
        """Earliest ``t_ms`` a future candidate may carry; None when nothing is pending."""
        marks = [t.watermark() for t in (self.screens, self.scrolls, self.edits, self.popups)]
        return min((m for m in marks if m is not None), default=None)

    def push(self, frame: DecodedFrame, diff: FrameDiff) -> list[Candidate]:
        self.screen.update(frame, diff)
        self.clicks.trail.push(frame, diff)
        out = self.screens.push(frame, diff, self.screen)
        out += self.scrolls.push(frame, diff, self.screen)
        if self.scrolls.relayouts:  # content that moved without scrolling changed in place
            moved = tuple(Region(s.region, s.region[2] * s.region[3])
                          for s in self.scrolls.relayouts)
            diff = replace(diff, regions=diff.regions + moved,
                           shifts=tuple(s for s in diff.shifts
                                        if s not in self.scrolls.relayouts))
        # a list open over fields lights its rows as the pointer moves: no typing there
        typed = diff if self.popups.open is None else replace(diff, regions=tuple(
            r for r in diff.regions if not self.popups.lights_rows(r.bbox)))
        out += self.edits.push(frame, typed, self.screen)
        now = frame.t_ms
        started = self.screens.navigation_pending  # held back, but a reaction all the same
        if started is not None and started.t_ms != now:
            started = None
        paged = started is not None or any(c.type == "screen_change"
                                           and c.payload.kind == "navigation" for c in out)
        out += self.popups.push(frame, diff, self.screen,
                                lambda box: self.clicks.pointer_at(box, now), paged=paged)
        dialog = next((c.features["bbox"] for c in out if c.type == "screen_change"
                       and c.payload.kind == "dialog_open"), None)
        messages = self.messages.push(frame, diff, self.screen, dialog)
        out += messages
        reactions = [c for c in out if c.type in ("screen_change", "validation_error")]
        if started is not None:
            reactions.append(started)
        out += self.clicks.push(frame, diff, self.screen,
                                focus_moved_to=self.edits.focus_moved_to,
                                focus_shown_by=self.edits.focus_shown_by,
                                typing_began=self.edits.typing_began,
                                reactions=reactions, focus_left=self.edits.focus_left,
                                earlier=[c for c in out if c.type == "click"],
                                in_popup=self.popups.covers, picked=self.popups.picked_from,
                                unhidden=self.popups.unhidden,
                                typing_in=None if self.edits.emptied else self.edits.focused)
        return out

    def flush(self) -> list[Candidate]:
        return (self.screens.flush() + self.scrolls.flush() + self.edits.flush(self.screen)
                + self.popups.flush(self.screen))
