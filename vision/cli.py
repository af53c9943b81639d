"""The ``vision`` command: a thin layer over the library.

Bad input gives one line on stderr (``error: <code> (<param>): <message>``) and exit status 2;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .errors import VisionError

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1


def _extract(args: argparse.Namespace) -> int:
    from .events import write_events
    from .extractor import iter_session_events

    events = iter_session_events(args.session, confidence_gte=args.confidence_gte,
                                 progress=not args.quiet and args.output != "-")
    if args.output == "-":
        count = 0
        for event in events:
            sys.stdout.write(event.to_json() + "\n")
            sys.stdout.flush()
            count += 1
    else:
        count = write_events(events, args.output)
    if not args.quiet:
        where = "stdout" if args.output == "-" else args.output
        print(f"{count} events -> {where}", file=sys.stderr)
    return 0


def _batch(args: argparse.Namespace) -> int:
    from .batch import find_sessions, run_batch, run_batch_ray

    paths = find_sessions(args.sessions)
    if not paths:
        raise VisionError("invalid_request", "no stored sessions found under the given paths",
                          param="sessions")
    if args.ray is not None:
        results = run_batch_ray(paths, args.output, address=args.ray or None,
                                confidence_gte=args.confidence_gte, progress=not args.quiet)
    else:
        results = run_batch(paths, args.output, workers=args.workers,
                            confidence_gte=args.confidence_gte, progress=not args.quiet)
    failed = [r for r in results if r.error_code]
    for r in failed:
        print(f"error: {r.error_code}: {r.path}: {r.error_message}", file=sys.stderr)
    if not args.quiet:
        total = sum(r.events for r in results)
        print(f"{len(results) - len(failed)} sessions, {total} events -> {args.output}; "
              f"{len(failed)} failed", file=sys.stderr)
    return EXIT_BAD_INPUT if failed else 0


def _schema(args: argparse.Namespace) -> int:
    from .events import event_schema

    print(json.dumps(event_schema(), indent=2))
    return 0


def _report(args: argparse.Namespace) -> int:
    from .report import write_report

    out = write_report(args.session, args.events, args.output)
    print(f"report -> {out}", file=sys.stderr)
    return 0


def _floor(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vision",
        description="Turn screen frames of Citrix, RDP and canvas applications into typed user "
                    "events (click, input_text, select, scroll, screen_change, "
                    "validation_error) with calibrated confidences.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("extract", help="events of one stored session",
                       description="Run the engine over one stored session (a folder with "
                                   "session.json and frames.jsonl, or a video file) and write "
                                   "its events as JSONL in (t_ms, id) order.")
    p.add_argument("session", type=Path, help="session folder or video file")
    p.add_argument("-o", "--output", required=True,
                   help="events file (JSONL, written atomically), or - for stdout")
    p.add_argument("--confidence-gte", type=_floor, default=0.70, metavar="P",
                   help="emit only events at least this confident (0.70 to 1.0; default 0.70)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(run=_extract)

    p = sub.add_parser("batch", help="events of many sessions, in parallel",
                       description="Reprocess stored sessions in parallel: on all cores of this "
                                   "machine, or on a Ray cluster with --ray. Writes "
                                   "OUT/<session_id>.jsonl per session.")
    p.add_argument("sessions", nargs="+", type=Path,
                   help="session folders, videos, or folders to search for them")
    p.add_argument("-o", "--output", required=True, type=Path, help="output folder")
    p.add_argument("-j", "--workers", type=int, default=None,
                   help="worker processes (default: one per core)")
    p.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                   help="run on Ray; ADDRESS of the cluster (default: local)")
    p.add_argument("--confidence-gte", type=_floor, default=0.70, metavar="P")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(run=_batch)

    p = sub.add_parser("schema", help="print the JSON Schema of an event",
                       description="Print the JSON Schema (2020-12) of one event, derived from "
                                   "the library's event classes.")
    p.set_defaults(run=_schema)

    p = sub.add_parser("report", help="HTML report of a session's events over its frames",
                       description="Write a self-contained HTML page showing each event on the "
                                   "frame it is anchored to.")
    p.add_argument("session", type=Path, help="session folder")
    p.add_argument("events", type=Path, help="events JSONL (from vision extract)")
    p.add_argument("-o", "--output", required=True, type=Path, help="HTML file to write")
    p.set_defaults(run=_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except VisionError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line, unless --debug
        if args.debug:
            raise
        print(f"error: internal_error: {type(exc).__name__}: {exc} (run with --debug for the "
              f"traceback)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
