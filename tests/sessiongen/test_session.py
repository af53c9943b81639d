"""Whole sessions: same seed, same bytes; the written folder is a valid stored session."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from fixtures.sessiongen.check import check_session  # noqa: E402
from fixtures.sessiongen.session import SessionPlan, generate_session  # noqa: E402

PLAN = SessionPlan(seed=3, split="test", profile="citrix", size=(800, 560), fps=5.0,
                   desktop="desktop", pointer_drawn=True, cursor_hints=True, min_events=8,
                   max_ms=25_000)


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    first = generate_session(PLAN, tmp_path_factory.mktemp("a"))
    second = generate_session(PLAN, tmp_path_factory.mktemp("b"))
    return Path(first.folder), Path(second.folder)


def test_same_seed_gives_the_same_bytes(twice):
    first, second = twice
    assert fingerprint(first) == fingerprint(second)


def test_a_generated_session_is_valid_and_records_its_profile(twice):
    folder = twice[0]
    assert check_session(folder) == []
    meta = json.loads((folder / "session.json").read_text())
    assert (meta["profile"], meta["source"], meta["split"]) == ("citrix", "citrix", "test")
    assert 100 <= meta["transport"]["latency_ms"] <= 300
    assert meta["files"] < meta["frames"]            # unchanged frames share files
    assert sum(meta["events"].values()) >= PLAN.min_events


def test_a_failing_session_stops_the_suite_and_names_itself(tmp_path):
    from fixtures.sessiongen.suite import build_suite

    broken = SessionPlan(seed=1, split="train", profile="no-such-profile", min_events=1)
    with pytest.raises(RuntimeError, match="session train/1 .no-such-profile"):
        build_suite([broken], tmp_path, workers=1, progress=False)
