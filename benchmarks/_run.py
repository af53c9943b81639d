"""Running the engine and the baselines over one stored session, timing every frame."""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from vision.errors import VisionError
from vision.events import Event, TrueEvent
from vision.frames import Frame
from vision.sessions import read_session

from ._suite import SuiteSession

__all__ = ["Extractor", "System", "SystemRun", "SessionResult", "run_session", "peak_rss_mib"]


class Extractor(Protocol):
    """The streaming interface the harness drives (``vision.Extractor`` and the baselines)."""

    def push(self, frame: Frame) -> list[Event]: ...

    def flush(self) -> list[Event]: ...


@dataclass(frozen=True)
class System:
    """Something the harness scores: a name and how to start it on a session.

    ``make(session_id=...)`` returns a fresh :class:`Extractor`. A system that
    ``reports_frame_kind`` has a ``last_frame_kind`` property ("unchanged", "local" or
    "new_screen") after each ``push``, by which the harness splits its per-frame latency.
    ``make`` must be picklable (a module-level class or function) to run on several workers.
    """

    name: str
    make: Callable[..., Extractor]
    reports_frame_kind: bool = False


@dataclass(frozen=True)
class SystemRun:
    """One system's output and timings on one session."""

    events: tuple[Event, ...]
    push_ms: np.ndarray
    """``(n_frames,) float64``: wall time of each ``push``, in milliseconds."""
    flush_ms: float
    frame_kinds: tuple[str, ...] | None
    """Per frame, ``last_frame_kind`` after its push; None for systems that do not report it."""


@dataclass(frozen=True)
class SessionResult:
    """Everything the report needs from one session."""

    session: SuiteSession
    n_frames: int
    recorded_ms: int
    """Recorded time covered: the last frame's ``t_ms`` minus the first's."""
    truth: tuple[TrueEvent, ...]
    runs: dict[str, SystemRun]
    peak_rss_mib: float
    """RSS high-water mark of the process that ran the session, so far."""


def peak_rss_mib() -> float:
    """The RSS high-water mark of this process, in MiB (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_session(entry: SuiteSession, systems: tuple[System, ...]) -> SessionResult:
    """Feed every frame of a session to every system in turn, timing each ``push``.

    Frames are read and decoded once and handed to each system; reading and decoding the
    stored files is not timed (a live capture hands over decoded pixels).

    Raises
    ------
    VisionError
        From reading the session or from a system, with the session's folder in the message.
    """
    try:
        return _run(entry, systems)
    except VisionError as exc:
        raise VisionError(exc.code, f"{entry.path}: {exc.message}", exc.param) from exc


def _run(entry: SuiteSession, systems: tuple[System, ...]) -> SessionResult:
    session = read_session(entry.path)
    extractors = [system.make(session_id=session.session_id) for system in systems]
    events: list[list[Event]] = [[] for _ in systems]
    push_ms: list[list[float]] = [[] for _ in systems]
    kinds: list[list[str]] = [[] for _ in systems]
    times: list[int] = []
    for frame in session.frames():
        times.append(frame.t_ms)
        for i, (system, extractor) in enumerate(zip(systems, extractors)):
            start = time.perf_counter()
            out = extractor.push(frame)
            push_ms[i].append((time.perf_counter() - start) * 1000)
            events[i].extend(out)
            if system.reports_frame_kind:
                kinds[i].append(extractor.last_frame_kind)
    runs = {}
    for i, (system, extractor) in enumerate(zip(systems, extractors)):
        start = time.perf_counter()
        events[i].extend(extractor.flush())
        flush_ms = (time.perf_counter() - start) * 1000
        runs[system.name] = SystemRun(tuple(events[i]), np.asarray(push_ms[i], dtype=float),
                                      flush_ms,
                                      tuple(kinds[i]) if system.reports_frame_kind else None)
    return SessionResult(entry, len(times), times[-1] - times[0], tuple(session.truth()), runs,
                         peak_rss_mib())
