"""The harness's report: figures from session results, as JSON and as markdown tables."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Sequence

import numpy as np

from vision.events import EVENT_TYPES
from vision.scoring import match_session, score

from ._run import SessionResult

__all__ = ["FRAME_KINDS", "summarize", "render_markdown", "update_results_section",
           "BEGIN_MARKER", "END_MARKER"]

FRAME_KINDS = ("unchanged", "local", "new_screen")
BEGIN_MARKER = "<!-- harness:begin -->"
END_MARKER = "<!-- harness:end -->"


def _latency(push_ms: np.ndarray) -> dict:
    if push_ms.size == 0:
        return {"frames": 0, "p50_ms": None, "p95_ms": None}
    p50, p95 = np.percentile(push_ms, [50, 95])
    return {"frames": int(push_ms.size), "p50_ms": float(p50), "p95_ms": float(p95)}


def _speed(results: Sequence[SessionResult], system: str) -> dict:
    runs = [r.runs[system] for r in results]
    push_ms = np.concatenate([run.push_ms for run in runs]) if runs else np.zeros(0)
    seconds = (push_ms.sum() + sum(run.flush_ms for run in runs)) / 1000
    recorded_s = sum(r.recorded_ms for r in results) / 1000
    speed = {"frames": int(push_ms.size), "seconds": float(seconds),
             "recorded_s": recorded_s,
             "fps": push_ms.size / seconds if seconds else None,
             "x_real_time": recorded_s / seconds if seconds else None,
             "latency": {"all": _latency(push_ms)}}
    if runs and runs[0].frame_kinds is not None:
        kinds = np.concatenate([np.asarray(run.frame_kinds, dtype=object) for run in runs])
        for kind in FRAME_KINDS:
            speed["latency"][kind] = _latency(push_ms[kinds == kind])
    return speed


def summarize(results: Sequence[SessionResult], systems: Sequence[str]) -> dict:
    """The whole report as plain data (what ``--json`` writes).

    Scores per system overall and per profile (each with per-type metrics and input_text text
    reading), speed per system, the peak RSS of the worker processes, and per-session counts.
    """
    profiles = sorted({r.session.profile for r in results})
    matches = {name: [match_session(r.truth, r.runs[name].events) for r in results]
               for name in systems}

    def scores(name: str, profile: str | None = None) -> dict:
        return dataclasses.asdict(score(
            m for r, m in zip(results, matches[name])
            if profile is None or r.session.profile == profile))

    return {
        "sessions": len(results),
        "frames": sum(r.n_frames for r in results),
        "recorded_s": sum(r.recorded_ms for r in results) / 1000,
        "true_events": sum(len(r.truth) for r in results),
        "splits": sorted({r.session.split for r in results}),
        "profiles": profiles,
        "systems": list(systems),
        "scores": {name: {"all": scores(name), "by_profile": {p: scores(name, p)
                                                              for p in profiles}}
                   for name in systems},
        "speed": {name: _speed(results, name) for name in systems},
        "peak_rss_mib": max((r.peak_rss_mib for r in results), default=None),
        "per_session": [
            {"path": str(r.session.path), "session_id": r.session.session_id,
             "profile": r.session.profile, "split": r.session.split, "frames": r.n_frames,
             "true_events": len(r.truth),
             "systems": {name: {"predicted": len(matches[name][i].outcomes),
                                "correct": sum(o.correct for o in matches[name][i].outcomes)}
                         for name in systems}}
            for i, r in enumerate(results)],
    }


# --- markdown ---------------------------------------------------------------------------------

def _num(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], *, labels: int = 2
           ) -> list[str]:
    """A markdown table whose first ``labels`` columns are left-aligned, the rest right."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if i < labels else "--:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


_DETECTION_HEADER = ("system", "true", "predicted", "correct", "precision", "recall", "F1",
                     "ECE (counted)", "precision at conf >= 0.9 (n)")


def _detection_cells(system: str, m: dict) -> list[str]:
    cal = m["calibration"]
    return [system, f"{m['n_true']:,}", f"{m['n_predicted']:,}", f"{m['n_correct']:,}",
            _num(m["precision"]), _num(m["recall"]), _num(m["f1"]),
            f"{_num(cal['error'])} ({cal['counted']:,})",
            f"{_num(m['precision_high_confidence'])} ({m['n_high_confidence']:,})"]


def _f1_ece_cell(m: dict) -> str:
    return f"{_num(m['f1'])} / {_num(m['calibration']['error'])} ({m['n_true']:,})"


def _profile_groups(report: dict) -> list[tuple[str, dict]]:
    """("all", {system: scores}) then one such pair per profile."""
    systems, scores = report["systems"], report["scores"]
    return [("all", {n: scores[n]["all"] for n in systems})] + [
        (p, {n: scores[n]["by_profile"][p] for n in systems}) for p in report["profiles"]]


def _detection_tables(report: dict) -> list[str]:
    systems, scores = report["systems"], report["scores"]
    lines = ["### Detection per event type (all profiles)", ""]
    rows = [[t] + _detection_cells(name, scores[name]["all"]["by_type"][t])
            for t in EVENT_TYPES for name in systems]
    lines += _table(("type",) + _DETECTION_HEADER, rows) + [""]

    lines += ["### Detection per profile (all event types)", ""]
    rows = [[profile] + _detection_cells(name, by_system[name]["overall"])
            for profile, by_system in _profile_groups(report) for name in systems]
    lines += _table(("profile",) + _DETECTION_HEADER, rows) + [""]

    first = systems[0]
    lines += [f"### {first}: F1 / ECE (true events) per event type and profile", ""]
    rows = [[t] + [_f1_ece_cell(scores[first]["by_profile"][p]["by_type"][t])
                   for p in report["profiles"]]
            for t in EVENT_TYPES]
    return lines + _table(("type",) + tuple(report["profiles"]), rows, labels=1) + [""]


def _text_table(report: dict) -> list[str]:
    lines = ["### input_text text reading", "",
             "Over true unmasked input_text events with a prediction for the same field within "
             "1500 ms.", ""]
    rows = [[profile, name, f"{text['n_compared']:,}", f"{text['n_exact']:,}",
             _num(text["exact_accuracy"]), _num(text["cer"])]
            for profile, by_system in _profile_groups(report)
            for name, text in ((n, by_system[n]["input_text"]) for n in report["systems"])]
    return lines + _table(("profile", "system", "compared", "exact", "exact-text accuracy",
                           "CER"), rows) + [""]


def _speed_tables(report: dict) -> list[str]:
    speed = report["speed"]
    lines = ["### Speed", "",
             "Time spent in `push` and `flush`, summed over sessions (reading and decoding the "
             "stored files is not counted).", ""]
    rows = [[name, f"{s['frames']:,}", _num(s["seconds"], 2), _num(s["fps"], 1),
             _num(s["x_real_time"], 1)] for name, s in speed.items()]
    lines += _table(("system", "frames", "seconds", "frames per second", "x real time"),
                    rows) + [""]
    rows = [[name, kind, f"{lat['frames']:,}", _num(lat["p50_ms"], 2), _num(lat["p95_ms"], 2)]
            for name, s in speed.items() for kind, lat in s["latency"].items()]
    lines += ["### Per-frame latency of `push`", ""]
    lines += _table(("system", "frame kind", "frames", "p50 ms", "p95 ms"), rows) + [""]
    return lines + [f"Peak memory (RSS high-water mark of a worker process running every "
                    f"system): {_num(report['peak_rss_mib'], 0)} MiB."]


def render_markdown(report: dict) -> str:
    """The report (as :func:`summarize` gives it) as markdown: detection per event type and
    per profile, the first system's (the engine's) F1 and ECE per type and profile, input_text
    text reading, speed, latency per frame kind and peak memory."""
    summary = (f"{report['sessions']:,} sessions ({', '.join(report['splits'])}), "
               f"{report['frames']:,} frames, {report['recorded_s']:,.0f} s recorded, "
               f"{report['true_events']:,} true events.")
    lines = [summary, "", *_detection_tables(report), *_text_table(report),
             *_speed_tables(report)]
    return "\n".join(lines) + "\n"


def update_results_section(path: Path, section: str) -> None:
    """Put ``section`` between the harness's markers in ``path``, leaving the rest as it is.

    A file without the markers gets them, with the section, at its end; a missing file is
    created with a title.
    """
    block = f"{BEGIN_MARKER}\n{section.rstrip()}\n{END_MARKER}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    pattern = re.compile(re.escape(BEGIN_MARKER) + r".*?" + re.escape(END_MARKER), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
