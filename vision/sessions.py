"""Stored sessions: a folder of frames with a manifest, or a video file.

A folder holds ``session.json``, ``frames.jsonl`` (one line per frame) and the image files;
several frames may name the same file, and a file (or identical bytes under another name) is
decoded once while it is in a small cache. A video (``.mp4``, ``.webm``, ``.mkv``) is a
session too: every frame decoded, ``t_ms`` from the container's timestamps, the id from a
``session.json`` beside it or else from the file's content hash.

Examples
--------
>>> session = read_session("fixtures/sessions/example")        # doctest: +SKIP
>>> session.session_id, session.frame_count                    # doctest: +SKIP
('ses_...', 412)
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from .errors import VisionError
from .events import TrueEvent, read_truth
from .frames import Frame, decode_image
from .ids import ulid

__all__ = ["StoredSession", "read_session", "VIDEO_SUFFIXES"]

VIDEO_SUFFIXES = (".mp4", ".webm", ".mkv")
_DECODED_CACHE = 8  # frames that share files are nearly always close together


@dataclass(frozen=True)
class _ManifestLine:
    frame_id: str
    t_ms: int
    file: str
    cursor: tuple[int, int] | None


@dataclass(frozen=True)
class StoredSession:
    """A session on disk, read lazily: :meth:`frames` decodes as it goes."""

    path: Path
    session_id: str
    meta: dict
    """``session.json`` as stored (``source``, ``profile``, ``width``, ``height`` ...)."""
    _manifest: tuple[_ManifestLine, ...] | None = field(default=None, repr=False)

    @property
    def is_video(self) -> bool:
        return self._manifest is None

    @property
    def frame_count(self) -> int | None:
        """Frames in the manifest; ``None`` for a video (known only once decoded)."""
        return None if self._manifest is None else len(self._manifest)

    def frames(self) -> Iterator[Frame]:
        """The session's frames in order, decoded lazily."""
        if self._manifest is None:
            return _video_frames(self.path)
        return _folder_frames(self.path, self._manifest)

    def truth(self) -> list[TrueEvent] | None:
        """The true events of a benchmark session, or ``None`` when it has none."""
        if self.is_video:
            return None
        path = self.path / "truth.jsonl"
        return read_truth(path) if path.exists() else None


def read_session(path: str | Path) -> StoredSession:
    """Open a stored session (a folder or a video file) and check its manifest.

    Raises
    ------
    VisionError
        ``invalid_request`` (with ``param``) for a missing or malformed ``session.json`` or
        manifest line, ``session_empty`` for a session with no frames.
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() in VIDEO_SUFFIXES:
        return _read_video_session(path)
    if not path.is_dir():
        raise VisionError("invalid_request", f"{path} is neither a session folder nor a video "
                          f"({', '.join(VIDEO_SUFFIXES)})", param="path")
    meta = _read_meta(path / "session.json")
    if not isinstance(meta.get("session_id"), str) or not meta["session_id"]:
        raise VisionError("invalid_request", f"{path / 'session.json'} has no session_id",
                          param="session_id")
    manifest = _read_manifest(path / "frames.jsonl")
    if not manifest:
        raise VisionError("session_empty", f"session {meta['session_id']} has no frames",
                          param="frames.jsonl")
    return StoredSession(path, meta["session_id"], meta, tuple(manifest))


def _read_meta(path: Path) -> dict:
    if not path.is_file():
        raise VisionError("invalid_request", f"{path} is missing", param="session.json")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise VisionError("invalid_request", f"{path} is not JSON ({exc})",
                          param="session.json") from None
    if not isinstance(meta, dict):
        raise VisionError("invalid_request", f"{path} must hold a JSON object",
                          param="session.json")
    return meta


def _read_manifest(path: Path) -> list[_ManifestLine]:
    if not path.is_file():
        raise VisionError("invalid_request", f"{path} is missing", param="frames.jsonl")
    lines = []
    with open(path, encoding="utf-8") as fh:
        for number, text in enumerate(fh, 1):
            if text.strip():
                lines.append(_parse_manifest_line(text, f"frames.jsonl:{number}"))
    return lines


def _parse_manifest_line(text: str, where: str) -> _ManifestLine:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise VisionError("invalid_request", f"{where}: not JSON ({exc.msg})",
                          param=where) from None
    if not isinstance(obj, dict):
        raise VisionError("invalid_request", f"{where}: must be a JSON object", param=where)
    for key, kind in (("frame_id", str), ("t_ms", int), ("file", str)):
        value = obj.get(key)
        if value is None:
            raise VisionError("invalid_request", f"{where}: {key} is missing",
                              param=f"{where}:{key}")
        if not isinstance(value, kind) or isinstance(value, bool):
            raise VisionError("invalid_request", f"{where}: {key} must be {kind.__name__}",
                              param=f"{where}:{key}")
    cursor = obj.get("cursor")
    if cursor is not None:
        if not (isinstance(cursor, list) and len(cursor) == 2
                and all(isinstance(v, int) and not isinstance(v, bool) for v in cursor)):
            raise VisionError("invalid_request", f"{where}: cursor must be [x, y] integers",
                              param=f"{where}:cursor")
        cursor = (cursor[0], cursor[1])
    return _ManifestLine(obj["frame_id"], obj["t_ms"], obj["file"], cursor)


class _DecodeCache:
    """Recently decoded images, by file path and by content digest."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._by_path: OrderedDict[str, tuple[bytes, np.ndarray]] = OrderedDict()
        self._by_digest: OrderedDict[bytes, np.ndarray] = OrderedDict()

    @staticmethod
    def _remember(cache: OrderedDict, key, value, size: int) -> None:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > size:
            cache.popitem(last=False)

    def load(self, path: Path, param: str) -> tuple[bytes, np.ndarray]:
        key = str(path)
        hit = self._by_path.get(key)
        if hit is not None:
            self._by_path.move_to_end(key)
            return hit
        try:
            data = path.read_bytes()
        except OSError:
            raise VisionError("invalid_request", f"{param}: frame file {path} is missing or "
                              f"unreadable", param=param) from None
        digest = hashlib.blake2b(data, digest_size=16).digest()
        rgb = self._by_digest.get(digest)
        if rgb is None:
            rgb = decode_image(data)
            self._remember(self._by_digest, digest, rgb, self._size)
        self._remember(self._by_path, key, (digest, rgb), self._size)
        return digest, rgb


def _folder_frames(root: Path, manifest: tuple[_ManifestLine, ...]) -> Iterator[Frame]:
    cache = _DecodeCache(_DECODED_CACHE)
    for number, line in enumerate(manifest, 1):
        digest, rgb = cache.load(root / line.file, f"frames.jsonl:{number}:file")
        yield Frame(rgb, line.t_ms, line.frame_id, line.cursor, content_key=digest)


def _file_digest(path: Path) -> bytes:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.digest()


def _read_video_session(path: Path) -> StoredSession:
    beside = path.parent / "session.json"
    meta = _read_meta(beside) if beside.is_file() else {}
    session_id = meta.get("session_id") or "ses_" + ulid(0, _file_digest(path))
    meta = {"source": "local", **meta, "session_id": session_id}
    return StoredSession(path, session_id, meta, None)


def _video_frames(path: Path) -> Iterator[Frame]:
    import av  # a video is the rare input; keep the import off the common path

    try:
        container = av.open(str(path))
    except av.error.FFmpegError as exc:
        raise VisionError("unsupported_image", f"{path} does not open as a video ({exc})",
                          param="path") from None
    with container:
        if not container.streams.video:
            raise VisionError("unsupported_image", f"{path} has no video stream", param="path")
        stream = container.streams.video[0]
        last_t = 0
        count = 0
        for video_frame in container.decode(stream):
            if video_frame.time is not None:  # container timestamps; clamp decoder jitter
                last_t = max(last_t, round(video_frame.time * 1000))
            rgb = video_frame.to_ndarray(format="rgb24")
            rgb.flags.writeable = False
            count += 1
            yield Frame(rgb, last_t)
        if count == 0:
            raise VisionError("session_empty", f"{path} has no frames", param="path")
