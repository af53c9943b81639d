"""The true events the engine missed, and what kept its nearest prediction from matching.

    python -m benchmarks.misses SUITE [--split train] [--type click] [--raw] [--workers 2]
                                      [--limit 40]

Each session of the split is run through the engine and scored as the harness scores it
(:func:`vision.scoring.match_session`). For every true event no prediction matched, the
nearest prediction of its type within the time tolerance (one matched to no other event
first) is named with the first criterion it fails: ``role``, ``name`` (the target's or the
message's field), then the type's own (``point``, ``text``, ``value``, ``message``,
``direction``, ``kind``); ``matched elsewhere`` when it meets them all but went to another
true event; ``no prediction`` when there is none. ``--raw`` scores every candidate before
calibration (``ExtractorConfig(raw_evidence=True)``): what inference found at all, whether
or not it was confident enough to emit. Printed: the count of misses per type and reason,
then each miss with its session, profile and time. Use the train split to look for causes;
the test split is for measuring.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from tqdm import tqdm

from vision.events import Event, TrueEvent
from vision.extractor import Extractor, ExtractorConfig
from vision.scoring import TIME_TOLERANCE_MS, match_session, meets_criteria, normalize_text
from vision.sessions import read_session

from ._suite import SuiteSession, find_sessions

__all__ = ["Miss", "why_missed", "misses", "main"]

_OWN_CRITERION = {"click": "point", "input_text": "text", "select": "value",
                  "validation_error": "message", "scroll": "direction", "screen_change": "kind"}


@dataclass(frozen=True)
class Miss:
    """A true event no prediction matched, and the nearest prediction of its type."""

    truth: TrueEvent
    nearest: Event | None
    reason: str


def _name(payload) -> str | None:
    target = getattr(payload, "target", None)
    return target.name if target is not None else getattr(payload, "field", None)


def why_missed(truth, prediction, *, taken: bool = False) -> str:
    """The first criterion of the contract's scoring that ``prediction`` (a payload of the
    type of ``truth``, or None) fails for ``truth``; ``taken``: it matched another true
    event.

    >>> from vision.events import Click, Target
    >>> ok = Click(x=10, y=10, target=Target(role="button", name="OK", bbox=(0, 0, 40, 20)))
    >>> off = Click(x=90, y=10, target=Target(role="button", name="OK", bbox=(80, 0, 40, 20)))
    >>> why_missed(ok, None), why_missed(ok, off), why_missed(ok, ok, taken=True)
    ('no prediction', 'point', 'matched elsewhere')
    """
    if prediction is None:
        return "no prediction"
    if truth.TYPE == "click" and truth.target.role != prediction.target.role:
        return "role"
    named = truth.TYPE == "select" or _name(truth) is not None
    if named and normalize_text(_name(truth)) != normalize_text(_name(prediction)):
        return "name"
    if meets_criteria(truth, prediction):
        return "matched elsewhere" if taken else "met"
    return _OWN_CRITERION[truth.TYPE]


def misses(truth: list[TrueEvent], predictions: list[Event]) -> list[Miss]:
    """The misses of one session's predictions, as :func:`vision.scoring.match_session`
    matches them."""
    match = match_session(truth, predictions)
    used = {o.prediction.id for o in match.outcomes if o.correct}
    out = []
    for event, matched in zip(match.truth, match.truth_matched):
        if matched:
            continue
        near = [p for p in predictions if p.type == event.type
                and abs(p.t_ms - event.t_ms) <= TIME_TOLERANCE_MS]
        nearest = min(near, key=lambda p: (p.id in used, abs(p.t_ms - event.t_ms)),
                      default=None)
        taken = nearest is not None and nearest.id in used
        out.append(Miss(event, nearest, why_missed(
            event.payload, None if nearest is None else nearest.payload, taken=taken)))
    return out


def _session_misses(entry: SuiteSession, raw: bool) -> tuple[SuiteSession, list[Miss]]:
    session = read_session(entry.path)
    extractor = Extractor(session.session_id, config=ExtractorConfig(raw_evidence=raw))
    events = []
    for frame in session.frames():
        events += extractor.push(frame)
    events += extractor.flush()
    return entry, misses(list(session.truth() or []), events)


def _brief(event) -> str:
    return json.dumps(event.to_dict()["payload"], ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", type=Path)
    parser.add_argument("--split", default="train")
    parser.add_argument("--type", dest="types", action="append", metavar="TYPE",
                        choices=sorted(_OWN_CRITERION), help="only misses of this type")
    parser.add_argument("--raw", action="store_true",
                        help="score every candidate before calibration")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--limit", type=int, default=40, help="misses listed (0: none)")
    args = parser.parse_args(argv)
    entries = find_sessions(args.suite, split=args.split)
    found: list[tuple[SuiteSession, Miss]] = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for entry, got in tqdm(pool.map(partial(_session_misses, raw=args.raw), entries),
                               total=len(entries), unit="session", desc="engine"):
            found += [(entry, m) for m in got
                      if not args.types or m.truth.type in args.types]
    counts = Counter((m.truth.type, m.reason) for _, m in found)
    print(f"{'type':<18}{'reason':<20}{'misses':>7}")
    for (type_, reason), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1])):
        print(f"{type_:<18}{reason:<20}{n:>7}")
    for entry, m in found[:args.limit]:
        print(f"\n{entry.path.name} {entry.profile} t={m.truth.t_ms} {m.truth.type}: {m.reason}")
        print(f"  true      {_brief(m.truth)}")
        if m.nearest is not None:
            print(f"  nearest   t={m.nearest.t_ms} conf={m.nearest.confidence:.2f} "
                  f"{_brief(m.nearest)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
