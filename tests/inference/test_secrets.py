"""Text typed into password fields never leaves the engine, whatever the transport.

Real Qt login screens are recorded in every transport profile; the secret typed into the
password field is known from the generated application, and it must appear nowhere in the
engine's output. With true element boxes the password's edit must come out masked.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("PySide6")

from benchmarks.oracle import OracleDetector  # noqa: E402
from fixtures.sessiongen.degrade import PROFILES  # noqa: E402
from fixtures.sessiongen.session import SessionPlan, generate_session  # noqa: E402
from fixtures.sessiongen.variety import draw_app  # noqa: E402
from vision import Extractor, extract_session, read_session  # noqa: E402

SEED = 4242


def _secret(plan: SessionPlan) -> str:
    app_rng = np.random.default_rng(np.random.SeedSequence(plan.seed).spawn(6)[0])
    app = draw_app(app_rng, plan.split, seed=plan.seed, max_dpi=plan.max_dpi)
    return app.screen("login").fields[1].samples[0]


def _plan(profile: str) -> SessionPlan:
    return SessionPlan(seed=SEED, split="test", profile=profile, size=(1280, 800), fps=5.0,
                       min_events=1, max_ms=25_000, image_format="webp", tasks=("idle",),
                       write_elements=True, pointer_drawn=True)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    root = tmp_path_factory.mktemp("secrets")
    return {p: generate_session(_plan(p), root).folder for p in PROFILES}


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_a_typed_password_appears_nowhere_in_the_output(recorded, profile):
    secret = _secret(_plan(profile))
    truth = read_session(recorded[profile]).truth()
    assert any(t.type == "input_text" and t.payload.masked for t in truth), "no password typed"
    output = "\n".join(e.to_json() for e in extract_session(recorded[profile]))
    pieces = {secret[i:i + 4] for i in range(len(secret) - 3)} | {secret}
    assert not any(p in output for p in pieces)
    for line in output.splitlines():
        event = json.loads(line)
        if event["type"] == "input_text" and event["payload"]["masked"]:
            assert event["payload"]["text"] is None


def test_the_password_edit_comes_out_masked(recorded):
    path = recorded["lossless"]
    session = read_session(path)
    detector = OracleDetector(path)
    extractor = Extractor(session.session_id, detector=detector)
    events = []
    for frame in session.frames():
        detector.frame_id = frame.frame_id
        events += extractor.push(frame)
    events += extractor.flush()
    masked = [e for e in events if e.type == "input_text" and e.payload.masked]
    assert masked and all(e.payload.text is None for e in masked)
