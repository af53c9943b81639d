"""Screen changes: navigations and dialogs opening or closing.

A navigation is most of the window changing at once and staying changed (not a scroll). A
dialog is a bordered rectangle appearing over content that stays put, with a header band (title
bar or a separated heading); it closes when the content it covered comes back.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..diff import BBox, FrameDiff
from ..events import ScreenChange
from ..frames import DecodedFrame
from .candidates import Candidate

__all__ = ["ScreenChanges", "dialog_score"]

_CONFIRM_MS = 400
"""A navigation must stay changed this long (a flash that reverts is no navigation)."""


@dataclass(frozen=True)
class _Dialog:
    bbox: BBox
    covered: np.ndarray   # grey pixels under the dialog before it opened
    shown: np.ndarray     # grey pixels of the dialog when it opened


@dataclass(frozen=True)
class _PendingNavigation:
    candidate: Candidate
    before: np.ndarray    # quarter-resolution grey of the screen before the change


def _quarter(grey: np.ndarray) -> np.ndarray:
    h, w = grey.shape
    return cv2.resize(grey, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)


def _grey(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def _crop(a: np.ndarray, b: BBox) -> np.ndarray:
    x, y, w, h = b
    return a[y:y + h, x:x + w]


def dialog_score(grey: np.ndarray, bbox: BBox, frame_size: tuple[int, int]) -> float:
    """How much a newly changed rectangle looks like a dialog (0 to 1).

    Cues: a size between a tooltip's and the whole window's, a border or shadow along most of
    its outline, and a header band: a line across nearly the whole width near the top.
    """
    x, y, w, h = bbox
    fw, fh = frame_size
    area = (w * h) / float(fw * fh)
    if w < 160 or h < 80 or not 0.02 <= area <= 0.7:
        return 0.0
    pad = 3
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(fw, x + w + pad), min(fh, y + h + pad)
    crop = grey[y0:y1, x0:x1].astype(np.int16)
    gy = np.abs(np.diff(crop, axis=0)) > 24
    gx = np.abs(np.diff(crop, axis=1)) > 24
    # share of each side's length holding an edge within a few pixels of the outline
    top = gy[:2 * pad + 1].any(axis=0).mean()
    bottom = gy[-(2 * pad + 1):].any(axis=0).mean()
    left = gx[:, :2 * pad + 1].any(axis=1).mean()
    right = gx[:, -(2 * pad + 1):].any(axis=1).mean()
    border = float(np.mean([top, bottom, left, right]))
    # a header: some row in the top fifth (below the outline) with an edge along >= 80 % width
    band = gy[2 * pad + 1:max(2 * pad + 2, h // 5)]
    header = float(band.mean(axis=1).max()) if band.size else 0.0
    return float(np.clip(0.6 * border + 0.4 * min(1.0, header / 0.8), 0.0, 1.0))


class ScreenChanges:
    """Tracks navigations and the stack of open dialogs across frames."""

    hold_back_ms = _CONFIRM_MS

    def __init__(self) -> None:
        self._dialogs: list[_Dialog] = []
        self._pending: _PendingNavigation | None = None
        self._prev: DecodedFrame | None = None

    def reset(self) -> None:
        """Forget everything: a new screen size starts afresh."""
        self._dialogs.clear()
        self._pending = None
        self._prev = None

    def watermark(self) -> int | None:
        """Earliest ``t_ms`` a future candidate may carry (a navigation being confirmed)."""
        return None if self._pending is None else self._pending.candidate.t_ms

    def push(self, frame: DecodedFrame, diff: FrameDiff) -> list[Candidate]:
        out: list[Candidate] = []
        prev, self._prev = self._prev, frame
        if self._pending is not None:
            out += self._confirm(frame, diff)
        if prev is None or prev.rgb.shape != frame.rgb.shape:
            self._dialogs.clear()
            return out
        if diff.kind == "new_screen":
            self._dialogs.clear()
            self._pending = _PendingNavigation(
                Candidate(frame.frame_id, frame.t_ms,
                          ScreenChange(kind="navigation", title=None,
                                       changed_fraction=round(diff.changed_fraction, 3)),
                          evidence=min(1.0, diff.changed_fraction),
                          features={"changed_fraction": diff.changed_fraction}),
                _quarter(_grey(prev.rgb)))
            return out
        if diff.kind == "local":
            out += self._dialog_changes(prev, frame, diff)
        return out

    def flush(self) -> list[Candidate]:
        pending, self._pending = self._pending, None
        return [pending.candidate] if pending is not None else []

    def _confirm(self, frame: DecodedFrame, diff: FrameDiff) -> list[Candidate]:
        pending = self._pending
        now = _quarter(_grey(frame.rgb))
        if now.shape == pending.before.shape and float(
                np.mean(cv2.absdiff(now, pending.before))) < 2.0:
            self._pending = None  # the screen came back: a flash, not a navigation
            return []
        if diff.kind == "new_screen":  # still painting: the event is when it is complete
            self._pending = _PendingNavigation(
                Candidate(frame.frame_id, frame.t_ms, pending.candidate.payload,
                          pending.candidate.evidence, pending.candidate.features),
                pending.before)
            return []
        if frame.t_ms - pending.candidate.t_ms < _CONFIRM_MS:
            return []
        self._pending = None
        return [pending.candidate]

    def _dialog_changes(self, prev: DecodedFrame, frame: DecodedFrame,
                        diff: FrameDiff) -> list[Candidate]:
        grey = _grey(frame.rgb)
        out = []
        if self._dialogs and self._closed(self._dialogs[-1], grey, diff):
            dialog = self._dialogs.pop()
            out.append(Candidate(frame.frame_id, frame.t_ms,
                                 ScreenChange(kind="dialog_close", title=None,
                                              changed_fraction=round(diff.changed_fraction, 3)),
                                 evidence=0.8, features={"bbox": dialog.bbox}))
            return out
        prev_grey = _grey(prev.rgb)
        for region in diff.regions:
            score = dialog_score(grey, region.bbox, frame.size)
            if score < 0.6:
                continue
            self._dialogs.append(_Dialog(region.bbox, _crop(prev_grey, region.bbox).copy(),
                                         _crop(grey, region.bbox).copy()))
            out.append(Candidate(frame.frame_id, frame.t_ms,
                                 ScreenChange(kind="dialog_open", title=None,
                                              changed_fraction=round(diff.changed_fraction, 3)),
                                 evidence=score, features={"bbox": region.bbox,
                                                           "dialog_score": score}))
            break
        return out

    @staticmethod
    def _closed(dialog: _Dialog, grey: np.ndarray, diff: FrameDiff) -> bool:
        """The pixels the dialog covered are back (and it is no longer shown)."""
        x, y, w, h = dialog.bbox
        touched = any(r.bbox[0] < x + w and x < r.bbox[0] + r.bbox[2]
                      and r.bbox[1] < y + h and y < r.bbox[1] + r.bbox[3] for r in diff.regions)
        if not touched:
            return False
        now = _crop(grey, dialog.bbox)
        back = float(np.mean(cv2.absdiff(now, dialog.covered)))
        still = float(np.mean(cv2.absdiff(now, dialog.shown)))
        return back < 6.0 and still > 2 * back
