"""The command line: events out, one-line errors with exit status 2, never a traceback."""

import json
import subprocess
import sys

from vision import read_events
from vision.cli import main

from tests.helpers import form_screen, write_session


def test_extract_writes_the_events_file(dialog_session, tmp_path, capsys):
    out = tmp_path / "events.jsonl"
    assert main(["extract", str(dialog_session), "-o", str(out), "-q"]) == 0
    events = read_events(out)
    assert [e.type for e in events] == ["input_text", "screen_change", "screen_change"]
    assert events[0].payload.text == "Acme"
    assert [e.payload.kind for e in events[1:]] == ["dialog_open", "dialog_close"]


def test_extract_to_stdout(dialog_session, capsys):
    assert main(["extract", str(dialog_session), "-o", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["type"] for line in lines] == ["input_text"] + ["screen_change"] * 2


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nowhere"), "-o", "-"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: invalid_request")
    assert "Traceback" not in err


def test_a_bad_frame_midway_leaves_no_output_file(tmp_path, capsys):
    path = write_session(tmp_path / "s", [(0, form_screen()), (100, form_screen(dialog=True))])
    (path / "frames" / "000001.png").write_bytes(b"garbage")
    out = tmp_path / "events.jsonl"
    assert main(["extract", str(path), "-o", str(out), "-q"]) == 2
    assert "unsupported_image" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.glob(".events.jsonl*")) == []


def test_confidence_floor_below_070_is_refused(dialog_session, capsys):
    assert main(["extract", str(dialog_session), "-o", "-", "--confidence-gte", "0.5"]) == 2
    assert "confidence_gte" in capsys.readouterr().err


def test_schema_prints_json_schema(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "vision event"


def test_batch_processes_every_session_and_reports_failures(tmp_path, capsys):
    good = write_session(tmp_path / "in" / "a", [(0, form_screen()), (200, form_screen(
        dialog=True)), (400, form_screen(dialog=True))], session_id="ses_a")
    bad = write_session(tmp_path / "in" / "b", [(0, form_screen())], session_id="ses_b")
    (bad / "frames" / "000000.png").write_bytes(b"junk")
    out = tmp_path / "out"
    assert main(["batch", str(tmp_path / "in"), "-o", str(out), "-j", "2", "-q"]) == 2
    assert "unsupported_image" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["ses_a.jsonl"]
    assert [e.type for e in read_events(out / "ses_a.jsonl")] == ["screen_change"]
    assert good.exists()


def test_console_script_help_and_errors_have_no_traceback(tmp_path):
    run = subprocess.run([sys.executable, "-m", "vision.cli", "extract", "--help"],
                         capture_output=True, text=True)
    assert run.returncode == 0 and "--confidence-gte" in run.stdout
    run = subprocess.run([sys.executable, "-m", "vision.cli", "extract", str(tmp_path), "-o",
                          "-"], capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_batch_on_ray_writes_the_same_events_as_one_machine(tmp_path):
    import pytest

    pytest.importorskip("ray")
    from vision.batch import run_batch, run_batch_ray

    sessions = [write_session(tmp_path / "in" / n, [(0, form_screen()), (200, form_screen(
        dialog=True)), (400, form_screen(dialog=True))], session_id=f"ses_{n}") for n in "ab"]
    local = run_batch(sessions, tmp_path / "local", workers=1, progress=False)
    remote = run_batch_ray(sessions, tmp_path / "ray", progress=False)
    assert sorted(r.events for r in local) == sorted(r.events for r in remote) == [1, 1]
    for name in ("ses_a.jsonl", "ses_b.jsonl"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "ray" / name).read_bytes()


def test_report_shows_every_event_on_its_frame(dialog_session, tmp_path, capsys):
    events = tmp_path / "events.jsonl"
    assert main(["extract", str(dialog_session), "-o", str(events), "-q"]) == 0
    page = tmp_path / "report.html"
    assert main(["report", str(dialog_session), str(events), "-o", str(page)]) == 0
    html = page.read_text()
    assert html.count('<section class="ev screen_change">') == 2
    assert html.count('<section class="ev input_text">') == 1
    assert html.count("data:image/jpeg;base64,") == 3
