"""Run the engine and two baselines over a suite of stored sessions and score them.

Usage::

    python -m benchmarks.harness SUITE_DIR [--split test] [--profile citrix ...] [--workers N]
                                 [--json out.json] [--update-results]

Every stored session under ``SUITE_DIR`` (at any depth, e.g. ``SUITE/{train,test}/...``; each
``session.json`` records its ``profile`` and ``split``) is streamed frame by frame through the
engine (``vision.Extractor``, or the class named by ``--engine``) and through the baselines of
:mod:`benchmarks.baselines`, and each system's events are scored against the session's
``truth.jsonl``.

Scoring convention: CONTRACT.md section 5, implemented once in :mod:`vision.scoring`.
Predictions are taken in ``(t_ms, id)`` order; each is correct when an unmatched true event of
its type lies within 1500 ms and meets the type's criteria, taking the nearest; recall is
matched true events over true events. ECE uses 10 equal-width bins, and events at the 0.95 cap
are left out when at least 95 % of them are correct (the cap may understate, never overstate).

Speed is the time spent in ``push`` and ``flush`` (reading stored files is not counted):
frames per second, times real time (recorded time over processing time, where a session's
recorded time is its last frame's ``t_ms`` minus its first's), and the p50/p95 latency of
``push`` for each ``last_frame_kind`` of the engine. Peak memory is the RSS high-water mark of
the worker processes. Timing figures vary with the machine; only the scores are reproducible.

The report is printed as markdown; ``--json`` writes it as data, and ``--update-results``
rewrites the harness's section of ``benchmarks/RESULTS.md`` with the command and the date.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
import shlex
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Sequence

from tqdm import tqdm

from vision.errors import VisionError

from ._reliability import write_diagrams
from ._report import render_markdown, summarize, update_results_section
from ._run import SessionResult, System, run_session
from ._suite import SuiteSession, find_sessions
from .baselines import EmptyBaseline, NaiveBaseline

__all__ = ["BASELINES", "evaluate_suite", "main"]

BASELINES = (System("empty", EmptyBaseline), System("naive", NaiveBaseline))
RESULTS_PATH = Path(__file__).with_name("RESULTS.md")


def evaluate_suite(sessions: Sequence[SuiteSession], systems: tuple[System, ...], *,
                   workers: int = 1, progress: bool = False) -> list[SessionResult]:
    """Run every system over every session; results come in the order of ``sessions``.

    With ``workers > 1`` sessions run in that many processes (each system's ``make`` must then
    be picklable); with 1 they run in this process.
    """
    bar = tqdm(total=len(sessions), unit="session", disable=not progress, file=sys.stderr)
    with bar:
        if workers == 1:
            results = []
            for entry in sessions:
                results.append(run_session(entry, systems))
                bar.update()
            return results
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(run_session, entry, systems): i
                       for i, entry in enumerate(sessions)}
            results = [None] * len(sessions)
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                bar.update()
            return results


def _load_engine(spec: str) -> System:
    module_name, _, attr = spec.partition(":")
    if not attr:
        raise VisionError("invalid_request", f"--engine must be MODULE:NAME; got {spec!r}",
                          param="--engine")
    try:
        make = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise VisionError("invalid_request", f"--engine {spec}: {exc}",
                          param="--engine") from None
    return System("engine", make, reports_frame_kind=True)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1; got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.harness",
        description="Score the engine and the baselines over a suite of stored sessions.")
    parser.add_argument("suite", metavar="SUITE_DIR", type=Path,
                        help="folder of stored sessions, at any depth")
    parser.add_argument("--split", help="only sessions of this split (train or test)")
    parser.add_argument("--profile", action="append", dest="profiles", metavar="PROFILE",
                        help="only sessions of this profile; repeat for several")
    parser.add_argument("--workers", type=_positive, default=1,
                        help="sessions run in parallel in this many processes (default 1)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the report as JSON")
    parser.add_argument("--update-results", action="store_true",
                        help="rewrite the harness's section of the results file")
    parser.add_argument("--results", type=Path, default=RESULTS_PATH, metavar="PATH",
                        help="the results file (default benchmarks/RESULTS.md)")
    parser.add_argument("--diagrams", type=Path, metavar="DIR",
                        help="write the engine's reliability diagrams (PNG) here "
                             "(with --update-results: benchmarks/reliability)")
    parser.add_argument("--engine", default="vision:Extractor", metavar="MODULE:NAME",
                        help="the engine's class or factory, called with session_id= "
                             "(default vision:Extractor)")
    return parser


def _results_section(report: dict, tables: str) -> str:
    machine = (f"{platform.machine()}, {os.cpu_count()} CPUs, "
               f"Python {platform.python_version()}")
    return (f"## Engine and baselines\n\n"
            f"Command: `{report['command']}`  \n"
            f"Date: {report['date']} · machine: {machine}\n\n{tables}")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    try:
        engine = _load_engine(args.engine)
        sessions = find_sessions(args.suite, split=args.split,
                                 profiles=tuple(args.profiles) if args.profiles else None)
        systems = (engine,) + BASELINES
        results = evaluate_suite(sessions, systems, workers=args.workers, progress=True)
    except VisionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = {"command": "python -m benchmarks.harness " + shlex.join(argv),
              "date": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
              **summarize(results, [s.name for s in systems])}
    tables = render_markdown(report)
    diagrams = args.diagrams or (args.results.parent / "reliability" if args.update_results
                                 else None)
    if diagrams is not None:
        paths = write_diagrams(results, "engine", diagrams)
        links = " ".join(f"![{p.stem}]({p.relative_to(args.results.parent)})"
                         if p.is_relative_to(args.results.parent) else str(p) for p in paths)
        tables += f"\n### Reliability diagrams (engine)\n\n{links}\n"
    print(tables, end="")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.update_results:
        update_results_section(args.results, _results_section(report, tables))
    return 0


if __name__ == "__main__":
    sys.exit(main())
