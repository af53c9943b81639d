"""The committed example sessions (fixtures/sessions) are valid, small and cover everything."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from fixtures.sessiongen.check import check_session
from fixtures.sessiongen.degrade import PROFILES
from vision.events import EVENT_TYPES, read_truth

ROOT = Path(__file__).resolve().parents[2] / "fixtures" / "sessions"
SESSIONS = sorted(p.parent for p in ROOT.glob("*/*/session.json"))


def test_there_are_committed_sessions():
    assert len(SESSIONS) >= 4


@pytest.mark.parametrize("folder", SESSIONS, ids=lambda p: p.name)
def test_each_is_a_valid_stored_session_at_1280x800(folder):
    assert check_session(folder) == []
    meta = json.loads((folder / "session.json").read_text())
    assert (meta["width"], meta["height"]) == (1280, 800)
    frames = [json.loads(line) for line in open(folder / "frames.jsonl")]
    assert len({f["file"] for f in frames}) < len(frames)       # frames share files
    assert all(f["file"].endswith((".webp", ".png")) for f in frames)


def test_together_they_cover_every_profile_split_and_event_type():
    metas = [json.loads((f / "session.json").read_text()) for f in SESSIONS]
    assert {m["profile"] for m in metas} == set(PROFILES)
    assert {m["split"] for m in metas} == {"train", "test"}
    types = Counter(e.type for f in SESSIONS for e in read_truth(f / "truth.jsonl"))
    assert set(types) == set(EVENT_TYPES)


def test_the_set_stays_under_ten_megabytes():
    size = sum(p.stat().st_size for p in ROOT.rglob("*") if p.is_file())
    assert size <= 10_000_000
