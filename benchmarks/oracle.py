"""Event inference with perfect element boxes: the ceiling that detector errors take from.

    python -m benchmarks.oracle SESSION_OR_SUITE... [--engine]

Sessions must carry ``elements.jsonl`` (the generator's ``--elements``): every visible
element's true box and role, per frame. The oracle stands in for the UI-element detector, so
the scores isolate the rest of the pipeline (diff, OCR, inference). ``--engine`` also runs the
shipped detector on the same sessions, side by side.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from vision.detect import Detections
from vision.extractor import Extractor
from vision.scoring import match_session, score
from vision.sessions import read_session

CLASSES = ("button", "textbox", "checkbox", "radio", "combobox", "tab", "menuitem", "link",
           "listitem", "cell", "icon", "text", "titlebar")


class OracleDetector:
    """Answers like ``ElementDetector`` from a session's true element boxes."""

    classes = CLASSES

    def __init__(self, session_path: str | Path) -> None:
        self._by_frame: dict[str, list[dict]] = {}
        with open(Path(session_path) / "elements.jsonl", encoding="utf-8") as fh:
            for line in fh:
                obj = json.loads(line)
                self._by_frame[obj["frame_id"]] = obj["elements"]
        self.frame_id: str | None = None

    def _found(self, inside: tuple[int, int, int, int] | None) -> Detections:
        rows = []
        for el in self._by_frame.get(self.frame_id, []):
            if el["role"] not in CLASSES:
                continue
            x, y, w, h = el["bbox"]
            if inside is not None:
                ix, iy, iw, ih = inside
                if x < ix or y < iy or x + w > ix + iw or y + h > iy + ih:
                    continue
            rows.append((x, y, x + w, y + h, CLASSES.index(el["role"])))
        if not rows:
            return Detections.empty(CLASSES)
        arr = np.array(rows, np.float32)
        return Detections(arr[:, :4], np.ones(len(rows), np.float32), arr[:, 4].astype(np.int32),
                          CLASSES)

    def detect(self, image) -> Detections:
        return self._found(None)

    def detect_regions(self, image, regions) -> list[Detections]:
        return [self._found(tuple(r)) for r in regions]


def run(path: Path, oracle: bool):
    session = read_session(path)
    detector = OracleDetector(path) if oracle else None
    extractor = Extractor(session.session_id, detector=detector)
    events = []
    for frame in session.frames():
        if detector is not None:
            detector.frame_id = frame.frame_id
        events += extractor.push(frame)
    events += extractor.flush()
    return match_session(session.truth(), events), session.meta.get("profile", "?")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--engine", action="store_true", help="also run the shipped detector")
    args = parser.parse_args(argv)
    sessions = sorted({p.parent for root in args.paths for p in root.rglob("elements.jsonl")})
    systems = [("oracle", True)] + ([("engine", False)] if args.engine else [])
    for name, oracle in systems:
        matches = [run(s, oracle)[0] for s in sessions]
        s = score(matches)
        print(f"\n{name}: {len(sessions)} sessions")
        print(f"{'type':<18}{'true':>6}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}")
        for type_, m in sorted(s.by_type.items()):
            f = lambda v: "  n/a" if v is None else f"{v:.2f}"
            print(f"{type_:<18}{m.n_true:>6}{m.n_predicted:>6}{f(m.precision):>7}"
                  f"{f(m.recall):>7}{f(m.f1):>7}")


if __name__ == "__main__":
    main()
