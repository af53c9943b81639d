"""Frame-diff benchmark: ms per 1920x1080 frame on one core.

    python -m benchmarks.diff_bench [--repeat N]

Cases (each frame pushed after its predecessor, the time is of ``FrameDiffer.push`` alone):

- ``unchanged``: a byte-identical copy (no content key), against the memory-speed floor of a
  bare ``numpy.array_equal`` of the same two frames;
- ``unchanged (same file)``: equal content keys, as stored sessions give for shared files;
- ``small change``: one typed character in a form field;
- ``jpeg noise``: the same screen re-encoded (JPEG quality 50 then 90), no real change;
- ``pointer move``: the pointer moved, nothing else;
- ``scroll``: a list scrolled by 66 px.

Goals (issue 2): unchanged within 3x of the floor; small changes <= 10 ms.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from vision.diff import FrameDiffer

W, H = 1920, 1080
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _font(size=12):
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default()


def screen(typed: str = "Acme Corporation", list_offset: int = 0,
           pointer: tuple[int, int] | None = None) -> np.ndarray:
    """A dense business screen: a form of 24 fields and a long list on the right."""
    img = Image.new("RGB", (W, H), (236, 233, 216))
    d = ImageDraw.Draw(img)
    f = _font(12)
    d.rectangle((0, 0, W, 30), fill=(10, 36, 106))
    d.text((10, 8), "Accounts Payable - Invoice entry", fill=(255, 255, 255), font=f)
    for i in range(24):
        x, y = 20 + (i % 2) * 460, 60 + (i // 2) * 36
        d.text((x, y + 4), f"Field {i + 1}:", fill=(0, 0, 0), font=f)
        d.rectangle((x + 110, y, x + 420, y + 22), fill=(255, 255, 255), outline=(128, 128, 128))
        d.text((x + 114, y + 4), typed if i == 0 else f"value {i * 37 % 1000}", fill=(0, 0, 0),
               font=f)
    rows = Image.new("RGB", (900, 4000), (255, 255, 255))
    rd = ImageDraw.Draw(rows)
    for r in range(180):
        rd.rectangle((0, r * 22, 900, r * 22 + 21), fill=(244, 244, 250) if r % 2 else (255,) * 3)
        rd.text((8, r * 22 + 4), f"INV-{4000 + 7 * r}   {['Acme', 'Zeta', 'Orbit'][r % 3]} "
                f"Ltd   {(r * 37) % 1000}.{r % 100:02d} EUR   due 2024-{1 + r % 12:02d}-15",
                fill=(0, 0, 0), font=f)
    img.paste(rows.crop((0, list_offset, 900, list_offset + 900)), (980, 60))
    if pointer is not None:
        x, y = pointer
        arrow = [(0, 0), (0, 16), (4, 12), (7, 19), (10, 18), (7, 11), (12, 11)]
        d.polygon([(x + px, y + py) for px, py in arrow], fill=(255, 255, 255), outline=(0, 0, 0))
    return np.asarray(img).copy()


def _jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=quality)
    return np.asarray(Image.open(buf).convert("RGB")).copy()


def _time_pairs(pairs, repeat: int, **push_kw) -> list[float]:
    """ms per ``push`` of the second frame of each pair, after the first."""
    out = []
    for _ in range(repeat):
        for a, b in pairs:
            differ = FrameDiffer()
            differ.push(a, **push_kw.get("first", {}))
            t0 = time.perf_counter()
            differ.push(b, **push_kw.get("second", {}))
            out.append((time.perf_counter() - t0) * 1000)
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)

    base = screen()
    typed = screen("Acme Corporations")
    copy = base.copy()
    floor = []
    for _ in range(args.repeat * 3):
        t0 = time.perf_counter()
        np.array_equal(base, copy)
        floor.append((time.perf_counter() - t0) * 1000)
    # a pointer that moves over several frames: the first move teaches its picture
    moves = [screen(pointer=(300 + 40 * i, 500 + 10 * i)) for i in range(4)]

    cases = {
        "unchanged": _time_pairs([(base, copy)], args.repeat * 3),
        "unchanged (same file)": _time_pairs(
            [(base, base.copy())], args.repeat * 3,
            first={"content_key": b"k"}, second={"content_key": b"k"}),
        "small change": _time_pairs([(base, typed)], args.repeat),
        "jpeg noise": _time_pairs([(_jpeg(base, 50), _jpeg(base, 90))], args.repeat),
        "pointer move": _pointer_times(moves, args.repeat),
        "scroll": _time_pairs([(base, screen(list_offset=66))], max(3, args.repeat // 3)),
    }
    floor_ms = statistics.median(floor)
    print(f"frame-diff, {W}x{H}, one core (cv2 threads 1), median of repeats")
    print(f"{'case':<24}{'ms/frame':>10}{'p95':>9}")
    print(f"{'numpy.array_equal floor':<24}{floor_ms:>10.3f}{_p95(floor):>9.3f}")
    for name, times in cases.items():
        print(f"{name:<24}{statistics.median(times):>10.3f}{_p95(times):>9.3f}")
    ratio = statistics.median(cases["unchanged"]) / floor_ms
    print(f"unchanged / floor ratio: {ratio:.2f}x (goal <= 3x)")
    print(f"small change: {statistics.median(cases['small change']):.2f} ms (goal <= 10 ms)")


def _pointer_times(moves, repeat) -> list[float]:
    out = []
    for _ in range(repeat):
        differ = FrameDiffer()
        differ.push(moves[0])
        differ.push(moves[1])
        for frame in moves[2:]:
            t0 = time.perf_counter()
            d = differ.push(frame)
            out.append((time.perf_counter() - t0) * 1000)
            assert d.kind == "unchanged", d
    return out


def _p95(values) -> float:
    return float(np.percentile(values, 95))


if __name__ == "__main__":
    main()
