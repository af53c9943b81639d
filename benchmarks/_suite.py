"""Finding the benchmark sessions of a suite folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vision.errors import VisionError
from vision.sessions import read_session

__all__ = ["SuiteSession", "find_sessions"]


@dataclass(frozen=True)
class SuiteSession:
    """One stored benchmark session of a suite."""

    path: Path
    session_id: str
    profile: str
    """Degradation profile from ``session.json`` (``lossless``, ``rdp``, ``citrix`` ...)."""
    split: str
    """``train`` or ``test``."""


def _entry(folder: Path) -> SuiteSession:
    session = read_session(folder)
    labels = {key: session.meta.get(key) for key in ("profile", "split")}
    for key, value in labels.items():
        if not isinstance(value, str) or not value:
            raise VisionError("invalid_request", f"{folder / 'session.json'} has no {key}; "
                              f"benchmark sessions record their profile and split", param=key)
    if not (folder / "truth.jsonl").is_file():
        raise VisionError("invalid_request", f"{folder} has no truth.jsonl to score against",
                          param="truth.jsonl")
    return SuiteSession(folder, session.session_id, labels["profile"], labels["split"])


def find_sessions(root: str | Path, *, split: str | None = None,
                  profiles: tuple[str, ...] | None = None) -> list[SuiteSession]:
    """Every stored session under ``root`` (at any depth), in path order, filtered.

    Parameters
    ----------
    root : path
        A suite folder such as ``suites/standard`` (holding ``train/`` and ``test/``), a
        split's folder, or a single session folder.
    split : str, optional
        Keep only the sessions of this split.
    profiles : tuple of str, optional
        Keep only the sessions of these profiles.

    Raises
    ------
    VisionError
        ``invalid_request`` when ``root`` is not a folder, holds no session after filtering,
        or a session lacks its profile, split or truth.
    """
    root = Path(root)
    if not root.is_dir():
        raise VisionError("invalid_request", f"suite folder {root} does not exist",
                          param="SUITE_DIR")
    entries = [_entry(meta.parent) for meta in sorted(root.rglob("session.json"))]
    kept = [e for e in entries
            if (split is None or e.split == split)
            and (profiles is None or e.profile in profiles)]
    if not kept:
        wanted = [f"split {split!r}"] * (split is not None)
        wanted += [f"profile in {list(profiles)}"] * (profiles is not None)
        condition = f" with {' and '.join(wanted)}" if wanted else ""
        raise VisionError("invalid_request", f"{root} holds no stored session{condition} "
                          f"({len(entries)} found in all)", param="SUITE_DIR")
    return kept
