"""Batch reprocessing of stored sessions: all cores of one machine, or a Ray cluster.

Each session is one job; a job's events go to ``<out_dir>/<session_id>.jsonl``, written
atomically, so a crash or a bad session never leaves a half-written file. A session whose input
is bad is reported with its error code and does not stop the others.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .errors import VisionError
from .events import Event, write_events
from .extractor import extract_session

__all__ = ["SessionResult", "run_batch", "run_batch_ray", "find_sessions"]


@dataclass(frozen=True)
class SessionResult:
    """How one session of a batch went."""

    path: str
    output: str | None
    """The events file written, or None when the session failed."""
    events: int
    error_code: str | None = None
    error_message: str | None = None


def find_sessions(roots: Iterable[str | Path]) -> list[Path]:
    """Stored sessions under the given paths: folders holding ``session.json``, and videos.

    A path that is itself a session is taken as it is.
    """
    from .sessions import VIDEO_SUFFIXES

    found: list[Path] = []
    for root in map(Path, roots):
        if (root / "session.json").is_file() or root.suffix.lower() in VIDEO_SUFFIXES:
            found.append(root)
            continue
        found += sorted(p.parent for p in root.rglob("session.json")
                        if (p.parent / "frames.jsonl").is_file())
        found += sorted(p for p in root.rglob("*") if p.suffix.lower() in VIDEO_SUFFIXES)
    return found


def _events_of(path: str, confidence_gte: float) -> tuple[str, list[dict]]:
    from .sessions import read_session

    session_id = read_session(path).session_id
    return session_id, [e.to_dict() for e in extract_session(path, confidence_gte=confidence_gte)]


def _write(out_dir: Path, session_id: str, events: list[dict]) -> str:
    out = out_dir / f"{session_id}.jsonl"
    write_events((Event.from_dict(e) for e in events), out)
    return str(out)


def _job(path: str, out_dir: str, confidence_gte: float) -> SessionResult:
    try:
        session_id, events = _events_of(path, confidence_gte)
        return SessionResult(path, _write(Path(out_dir), session_id, events), len(events))
    except VisionError as exc:
        return SessionResult(path, None, 0, exc.code, exc.message)


def _progress(results: Iterator[SessionResult], total: int, show: bool) -> list[SessionResult]:
    if show:
        from tqdm import tqdm
        results = tqdm(results, total=total, unit="session", desc="batch")
    return list(results)


def run_batch(paths: Iterable[str | Path], out_dir: str | Path, *, workers: int | None = None,
              confidence_gte: float = 0.70, progress: bool = True) -> list[SessionResult]:
    """Process sessions in parallel on this machine, one process per core by default.

    Returns one :class:`SessionResult` per session, in completion order.
    """
    paths = [str(p) for p in paths]
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        return _progress((_job(p, str(out_dir), confidence_gte) for p in paths), len(paths),
                         progress)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_job, p, str(out_dir), confidence_gte) for p in paths]
        return _progress((f.result() for f in as_completed(futures)), len(paths), progress)


def run_batch_ray(paths: Iterable[str | Path], out_dir: str | Path, *,
                  address: str | None = None, confidence_gte: float = 0.70,
                  progress: bool = True) -> list[SessionResult]:
    """Process sessions on a Ray cluster (``pip install nusomi-vision[ray]``).

    Workers read the sessions (so the paths must be visible to them, e.g. shared storage) and
    send back events; this process writes every output file atomically.

    Parameters
    ----------
    address : str, optional
        The cluster to join (``ray.init(address=...)``); None starts or joins a local one.
    """
    import ray

    if not ray.is_initialized():
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
    remote = ray.remote(_remote_events)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pending = {remote.remote(str(p), confidence_gte): str(p) for p in paths}

    def results() -> Iterator[SessionResult]:
        waiting = list(pending)
        while waiting:
            done, waiting = ray.wait(waiting, num_returns=1)
            path = pending[done[0]]
            session_id, events, code, message = ray.get(done[0])
            if code is not None:
                yield SessionResult(path, None, 0, code, message)
            else:
                yield SessionResult(path, _write(out, session_id, events), len(events))

    return _progress(results(), len(pending), progress)


def _remote_events(path: str, confidence_gte: float):
    """Ray task body: events of one session, or its error (errors travel as values)."""
    try:
        session_id, events = _events_of(path, confidence_gte)
        return session_id, events, None, None
    except VisionError as exc:
        return None, [], exc.code, exc.message
