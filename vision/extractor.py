"""The streaming engine: frames in, ordered events out.

:class:`Extractor` runs every stage on each pushed frame (frames -> diff -> inference ->
calibration) and releases events in ``(t_ms, id)`` order. An event is released once no later
frame can produce one that sorts before it: inference declares the earliest time a future
candidate may carry (its watermark), which never lags the newest frame by more than 5 s plus one
frame interval. Memory is bounded: the engine keeps the previous frame, the state of the screen,
events still held back, and 8 bytes per frame id seen (to refuse duplicates).
"""

from __future__ import annotations

import hashlib
import heapq
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Literal

import numpy as np

from .calibration import CalibrationSet, check_floor
from .diff import DiffConfig, FrameDiff, FrameDiffer
from .errors import VisionError
from .events import Event
from .frames import DecodedFrame, Frame, check_frame_fields, decode_image
from .ids import frame_id as derive_frame_id
from .inference import Candidate, EventInference
from .onnx_model import bundled_path
from .sessions import read_session

__all__ = ["Extractor", "ExtractorConfig", "extract_session", "iter_session_events",
           "shipped_calibration", "CALIBRATION_FILE", "CALIBRATION_ENV"]

CALIBRATION_FILE = "calibration.json"


@dataclass(frozen=True)
class ExtractorConfig:
    """Settings of the whole pipeline, one typed block per stage."""

    diff: DiffConfig = field(default_factory=DiffConfig)
    calibration: CalibrationSet | None = None
    """Evidence-to-confidence maps; None loads the set shipped in the package."""
    raw_evidence: bool = False
    """Emit every candidate with its raw evidence as confidence, no floor and no cap, and keep
    each one's cues in ``Extractor.raw_cues`` (by event id): the input of calibration fitting
    (``python -m models.calibrate``), never for consumers."""


CALIBRATION_ENV = "VISION_CALIBRATION"
"""Environment variable naming a calibration file to use instead of the shipped one (a set
refitted on one's own sessions with ``python -m models.calibrate``); it reaches batch workers
and Ray tasks, which inherit the environment."""


def shipped_calibration() -> CalibrationSet:
    """The calibration set in use: the file named by ``$VISION_CALIBRATION``, else the one
    shipped in the package (``models/calibration.json``).

    Before any set was fitted, an empty set: every type then uses the uncalibrated evidence
    mapping of :func:`~vision.calibration.evidence_confidence`.
    """
    chosen = os.environ.get(CALIBRATION_ENV)
    if chosen:
        if not Path(chosen).is_file():
            raise VisionError("invalid_request", f"${CALIBRATION_ENV} names no file: {chosen}",
                              param=CALIBRATION_ENV)
        return CalibrationSet.load(chosen)
    path = bundled_path(CALIBRATION_FILE)
    return CalibrationSet.load(path) if path.is_file() else CalibrationSet()


class _SeenIds:
    """Frame ids seen in a session, as 64-bit digests: 8 bytes each once compacted."""

    _BATCH = 4096

    def __init__(self) -> None:
        self._sorted = np.empty(0, np.uint64)
        self._recent: set[int] = set()

    @staticmethod
    def _key(frame_id: str) -> int:
        return int.from_bytes(hashlib.blake2b(frame_id.encode(), digest_size=8).digest(), "big")

    def __contains__(self, frame_id: str) -> bool:
        key = self._key(frame_id)
        if key in self._recent:
            return True
        i = np.searchsorted(self._sorted, np.uint64(key))
        return bool(i < len(self._sorted) and self._sorted[i] == key)

    def add(self, frame_id: str) -> None:
        self._recent.add(self._key(frame_id))
        if len(self._recent) >= self._BATCH:
            merged = np.concatenate([self._sorted, np.fromiter(self._recent, np.uint64)])
            self._sorted = np.sort(merged)
            self._recent.clear()


class Extractor:
    """Turns one session's frames, pushed in order, into events.

    Parameters
    ----------
    session_id : str
        The platform's session id (``ses_...``); it enters every event and derived frame id.
    confidence_gte : float
        Emit only events at least this confident. Default and minimum 0.70.
    config : ExtractorConfig, optional
        Stage settings.
    detector : ElementDetector, optional
        The UI-element detector; defaults to the shipped model.
    reader : TextReader, optional
        The OCR reader; defaults to the process's shared one (and its cache).

    Examples
    --------
    >>> import numpy as np
    >>> from vision import Extractor, Frame
    >>> ex = Extractor(session_id="ses_demo")
    >>> ex.push(Frame(np.full((200, 300, 3), 255, np.uint8), t_ms=0))
    []
    >>> ex.flush()
    []
    """

    def __init__(self, session_id: str, *, confidence_gte: float = 0.70,
                 config: ExtractorConfig | None = None, detector=None, reader=None) -> None:
        if not isinstance(session_id, str) or not session_id:
            raise VisionError("invalid_request", "session_id must be a non-empty string",
                              param="session_id")
        self.session_id = session_id
        self.confidence_gte = check_floor(confidence_gte)
        self.config = config or ExtractorConfig()
        self._differ = FrameDiffer(self.config.diff)
        self._inference = EventInference(detector, reader)
        self._calibration = self.config.calibration or shipped_calibration()
        self.raw_cues: dict[str, dict[str, float]] = {}
        """Cues of every candidate by event id, kept in ``raw_evidence`` mode only."""
        self._seen = _SeenIds()
        self._index = 0
        self._last_t: int | None = None
        self._held: list[tuple[int, str, Event]] = []
        self._last_kind: Literal["unchanged", "local", "new_screen"] | None = None
        self._last_diff: FrameDiff | None = None

    @property
    def last_frame_kind(self) -> Literal["unchanged", "local", "new_screen"] | None:
        """How the last accepted frame differed from the one before (None before any)."""
        return self._last_kind

    @property
    def last_diff(self) -> FrameDiff | None:
        """The diff stage's result for the last accepted frame."""
        return self._last_diff

    def push(self, frame: Frame) -> list[Event]:
        """Process one frame; return the events that are now final, in order.

        Raises
        ------
        VisionError
            For a frame that breaks a limit of the contract. The session is left as it was:
            the next good frame is processed as if the bad one never came.
        """
        decoded = self._accept(frame)
        diff = self._differ.push(decoded.rgb, content_key=decoded.content_key,
                                 cursor=decoded.cursor)
        self._last_kind, self._last_diff = diff.kind, diff
        self._hold(self._inference.push(decoded, diff))
        watermark = self._inference.watermark()
        limit = decoded.t_ms if watermark is None else min(watermark, decoded.t_ms)
        return self._release(limit)

    def flush(self) -> list[Event]:
        """End of session: every event still held back, in order."""
        self._hold(self._inference.flush())
        return self._release(None)

    def _accept(self, frame: Frame) -> DecodedFrame:
        """Validate a frame against the session and decode it; changes no state on error."""
        check_frame_fields(frame)
        t_ms = int(frame.t_ms)
        if self._last_t is not None and t_ms < self._last_t:
            raise VisionError("frame_out_of_order", f"t_ms {t_ms} is before the previous frame's "
                              f"{self._last_t}", param="t_ms")
        fid = frame.frame_id or derive_frame_id(self.session_id, self._index, t_ms)
        if fid in self._seen:
            raise VisionError("duplicate_frame_id", f"frame_id {fid} was already seen in this "
                              f"session", param="frame_id")
        rgb = decode_image(frame.image, channels=frame.channels)
        cursor = None if frame.cursor is None else (int(frame.cursor[0]), int(frame.cursor[1]))
        decoded = DecodedFrame(fid, t_ms, self._index, rgb, cursor, frame.content_key)
        self._seen.add(fid)
        self._index += 1
        self._last_t = t_ms
        return decoded

    def _hold(self, candidates: list[Candidate]) -> None:
        for c in candidates:
            if self.config.raw_evidence:
                confidence = round(min(1.0, max(0.0, c.evidence)), 4)
            else:
                confidence = self._calibration.confidence(c.type, c.evidence, c.cues())
                if confidence < self.confidence_gte:
                    continue
            event = Event.create(self.session_id, c.frame_id, c.t_ms, c.payload, confidence)
            if self.config.raw_evidence:
                self.raw_cues[event.id] = c.cues()
            heapq.heappush(self._held, (event.t_ms, event.id, event))

    def _release(self, before_t: int | None) -> list[Event]:
        """Pop held events sorting before ``before_t`` (all when None)."""
        out = []
        while self._held and (before_t is None or self._held[0][0] < before_t):
            out.append(heapq.heappop(self._held)[2])
        return out


def iter_session_events(path: str | Path, *, confidence_gte: float = 0.70,
                        config: ExtractorConfig | None = None,
                        progress: bool = False) -> Iterator[Event]:
    """Run the engine over a stored session, yielding events in order as they become final."""
    session = read_session(path)
    extractor = Extractor(session.session_id, confidence_gte=confidence_gte, config=config)
    frames = session.frames()
    if progress:
        from tqdm import tqdm
        frames = tqdm(frames, total=session.frame_count, unit="frame", desc=session.session_id,
                      leave=False)
    for frame in frames:
        yield from extractor.push(frame)
    yield from extractor.flush()


def extract_session(path: str | Path, *, confidence_gte: float = 0.70,
                    config: ExtractorConfig | None = None, progress: bool = False) -> list[Event]:
    """All events of a stored session (a folder or a video), in ``(t_ms, id)`` order.

    The same code as streaming: the result equals pushing every frame to an
    :class:`Extractor` and flushing.
    """
    return list(iter_session_events(path, confidence_gte=confidence_gte, config=config,
                                    progress=progress))
