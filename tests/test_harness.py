"""The harness end to end, on a tiny suite written here, with a scripted engine."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from benchmarks._report import BEGIN_MARKER, END_MARKER, update_results_section
from benchmarks._suite import find_sessions
from benchmarks.harness import BASELINES, evaluate_suite, main
from benchmarks._run import System
from vision.errors import VisionError
from vision.events import Click, Event, InputText, ScreenChange, Target, TrueEvent

W, H = 64, 48
NAV = ScreenChange(kind="navigation", title=None, changed_fraction=1.0)
VENDOR = Target(role="textbox", name="Vendor:", bbox=(4, 30, 40, 12))

# frame id -> (t_ms, file, kind the engine reports)
FRAMES = {"frm_0": (0, "a.png", "new_screen"), "frm_1": (500, "a.png", "unchanged"),
          "frm_2": (1000, "b.png", "local"), "frm_3": (1500, "c.png", "new_screen")}
TRUTH = [
    TrueEvent(800, "input_text", InputText(target=VENDOR, text="ACME", started_t_ms=600)),
    TrueEvent(900, "click", Click(x=30, y=15, target=Target(role="button", name=None,
                                                            bbox=(18, 8, 24, 14)))),
    TrueEvent(1400, "screen_change", NAV),
]


def images() -> dict[str, np.ndarray]:
    a = np.full((H, W, 3), 200, np.uint8)
    b = a.copy()
    b[10:20, 20:40] = 30                  # a box appears: the naive baseline clicks at (30, 15)
    c = np.full((H, W, 3), 50, np.uint8)  # a new screen
    return {"a.png": a, "b.png": b, "c.png": c}


class ScriptedEngine:
    """Known output: a right click, a right navigation, and a misread input_text at the end."""

    def __init__(self, *, session_id: str) -> None:
        self.session_id = session_id
        self.last_frame_kind: str | None = None
        self._last: tuple[str, int] | None = None

    def push(self, frame) -> list[Event]:
        self.last_frame_kind = FRAMES[frame.frame_id][2]
        self._last = (frame.frame_id, frame.t_ms)
        script = {"frm_2": [(Click(x=30, y=15, target=Target(role="button", name="OK",
                                                                bbox=(20, 10, 20, 10))), 0.95)],
                  "frm_3": [(NAV, 0.9)]}
        return [Event.create(self.session_id, frame.frame_id, frame.t_ms, payload, conf)
                for payload, conf in script.get(frame.frame_id, [])]

    def flush(self) -> list[Event]:
        misread = InputText(target=VENDOR, text="ACMF", started_t_ms=600)
        return [Event.create(self.session_id, *self._last, misread, 0.8)]


def write_suite_session(folder: Path, session_id: str, profile: str, split: str) -> None:
    (folder / "frames").mkdir(parents=True)
    for name, pixels in images().items():
        Image.fromarray(pixels).save(folder / "frames" / name)
    meta = {"session_id": session_id, "width": W, "height": H, "source": "local",
            "profile": profile, "split": split}
    (folder / "session.json").write_text(json.dumps(meta))
    (folder / "frames.jsonl").write_text("".join(
        json.dumps({"frame_id": fid, "t_ms": t, "file": f"frames/{file}"}) + "\n"
        for fid, (t, file, _) in FRAMES.items()))
    (folder / "truth.jsonl").write_text("".join(json.dumps(e.to_dict()) + "\n" for e in TRUTH))


@pytest.fixture
def suite(tmp_path) -> Path:
    root = tmp_path / "suite"
    write_suite_session(root / "test" / "s1", "ses_s1", "lossless", "test")
    write_suite_session(root / "test" / "s2", "ses_s2", "citrix", "test")
    write_suite_session(root / "train" / "s3", "ses_s3", "lossless", "train")
    return root


ENGINE = System("engine", ScriptedEngine, reports_frame_kind=True)


def test_find_sessions_walks_the_suite_and_filters(suite):
    assert [e.session_id for e in find_sessions(suite)] == ["ses_s1", "ses_s2", "ses_s3"]
    assert [e.session_id for e in find_sessions(suite, split="test")] == ["ses_s1", "ses_s2"]
    assert [e.session_id for e in find_sessions(suite, profiles=("lossless",))] == \
        ["ses_s1", "ses_s3"]
    with pytest.raises(VisionError, match="no stored session with split 'test' and profile"):
        find_sessions(suite, split="test", profiles=("rdp",))


def test_find_sessions_needs_profile_split_and_truth(suite):
    meta = suite / "train" / "s3" / "session.json"
    meta.write_text(json.dumps({"session_id": "ses_s3"}))
    with pytest.raises(VisionError) as info:
        find_sessions(suite)
    assert info.value.param == "profile"
    (suite / "test" / "s1" / "truth.jsonl").unlink()
    with pytest.raises(VisionError, match="no truth.jsonl"):
        find_sessions(suite / "test")


def test_harness_scores_the_engine_and_the_baselines(suite, tmp_path, capsys):
    out, results = tmp_path / "out.json", tmp_path / "RESULTS.md"
    engine = f"{ScriptedEngine.__module__}:ScriptedEngine"
    argv = [str(suite), "--split", "test", "--json", str(out), "--update-results",
            "--results", str(results), "--engine", engine]
    assert main(argv) == 0
    report = json.loads(out.read_text())
    assert (report["sessions"], report["frames"], report["true_events"]) == (2, 8, 6)
    assert report["profiles"] == ["citrix", "lossless"]

    engine_all = report["scores"]["engine"]["all"]
    overall = engine_all["overall"]
    assert (overall["n_true"], overall["n_predicted"], overall["n_correct"]) == (6, 6, 4)
    assert overall["precision"] == pytest.approx(4 / 6)
    # the four events at the 0.95 and 0.9 marks are right; the two at 0.8 are wrong. The two
    # capped ones are all correct, so they are left out: ECE = 0.5 * 0.1 + 0.5 * 0.8
    assert overall["calibration"]["error"] == pytest.approx(0.45)
    assert overall["calibration"]["counted"] == 4
    assert (overall["n_high_confidence"], overall["precision_high_confidence"]) == (4, 1.0)
    assert engine_all["by_type"]["click"]["f1"] == 1.0
    assert engine_all["by_type"]["input_text"]["n_correct"] == 0
    text = engine_all["input_text"]
    assert (text["n_compared"], text["exact_accuracy"], text["cer"]) == (2, 0.0, 0.25)
    citrix = report["scores"]["engine"]["by_profile"]["citrix"]["overall"]
    assert (citrix["n_true"], citrix["n_correct"]) == (3, 2)

    naive = report["scores"]["naive"]["all"]["overall"]
    assert (naive["n_predicted"], naive["n_correct"], naive["precision"]) == (4, 2, 0.5)
    empty = report["scores"]["empty"]["all"]["overall"]
    assert (empty["n_predicted"], empty["recall"], empty["f1"]) == (0, 0.0, 0.0)

    latency = report["speed"]["engine"]["latency"]
    assert {k: v["frames"] for k, v in latency.items()} == \
        {"all": 8, "unchanged": 2, "local": 2, "new_screen": 4}
    assert report["speed"]["engine"]["recorded_s"] == 3.0
    assert {"fps", "x_real_time", "seconds"} <= set(report["speed"]["engine"])
    assert report["peak_rss_mib"] > 0
    assert report["per_session"][0]["systems"]["naive"] == {"predicted": 2, "correct": 1}

    printed = capsys.readouterr().out
    assert "| click | engine | 2 | 2 | 2 | 1.000 | 1.000 | 1.000 |" in printed
    assert "| all | naive | 6 | 4 | 2 | 0.500 | 0.333 | 0.400 |" in printed
    assert "| all | engine | 2 | 0 | 0.000 | 0.250 |" in printed
    assert "| screen_change | 1.000 / 0.100 (1) | 1.000 / 0.100 (1) |" in printed
    section = results.read_text()
    assert section.count(BEGIN_MARKER) == 1 and section.count(END_MARKER) == 1
    assert f"`python -m benchmarks.harness {suite} --split test" in section
    assert f"Date: {report['date']}" in section


def test_several_workers_give_the_same_scores(suite):
    sessions = find_sessions(suite)
    systems = (ENGINE,) + BASELINES
    one = evaluate_suite(sessions, systems, workers=1)
    two = evaluate_suite(sessions, systems, workers=2)
    assert [r.session for r in two] == [r.session for r in one]
    for a, b in zip(one, two):
        assert {n: run.events for n, run in a.runs.items()} == \
            {n: run.events for n, run in b.runs.items()}


def test_a_missing_suite_or_engine_is_an_error_not_a_crash(tmp_path, capsys):
    assert main([str(tmp_path / "nowhere"), "--engine", "vision.events:Event"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main([str(tmp_path), "--engine", "vision.events:NoSuchEngine"]) == 2
    assert "--engine" in capsys.readouterr().err


def test_update_results_section_replaces_only_its_own_section(tmp_path):
    path = tmp_path / "RESULTS.md"
    update_results_section(path, "first")
    assert path.read_text().startswith("# Benchmark results")
    path.write_text(path.read_text().replace("# Benchmark results", "# Results\n\nby hand")
                    + "\nnotes after\n")
    update_results_section(path, "second")
    text = path.read_text()
    assert "by hand" in text and "notes after" in text
    assert "second" in text and "first" not in text
    assert text.count(BEGIN_MARKER) == 1


def test_the_harness_runs_the_real_engine_over_the_committed_sessions(tmp_path, capsys):
    """CI's run of the whole chain: the shipped engine, scored against the committed sessions'
    truth, must add something over both baselines and never emit a confidence out of range."""
    committed = Path(__file__).resolve().parents[1] / "fixtures" / "sessions"
    out = tmp_path / "committed.json"
    assert main([str(committed), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["sessions"] == 5
    scores = {name: report["scores"][name]["all"]["overall"] for name in ("engine", "naive",
                                                                           "empty")}
    assert scores["engine"]["n_true"] == report["true_events"] > 0
    assert scores["engine"]["f1"] > scores["naive"]["f1"] > scores["empty"]["f1"] == 0
    assert scores["engine"]["n_correct"] > 0
    assert "| all | engine |" in capsys.readouterr().out
