"""OCR benchmark: accuracy on UI text rendered by Qt, and CPU time per line and per region.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.ocr_bench [--per-style N] [--seed N]
        [--repeat N] [--detect-scales S [S ...]]

Accuracy. Generated UI strings (labels, values, amounts, dates, times, ids, e-mail addresses,
short sentences) are drawn by Qt widgets (``QLabel`` with a 3 px margin, and ``QLineEdit`` with
its frame) in six Debian fonts at 8, 9, 10 and 11 pt (96 dpi: 11 to 15 px), with grey
anti-aliasing or none, on three themes (light, dark, white on a blue selection). Each widget's
grab is the crop handed to :meth:`vision.ocr.TextReader.read_line`, after one of six
degradations: lossless, JPEG quality 70 and 40, 16-bit colour (RGB565), and the whole crop
scaled 1.25x and 1.5x (a client window scaled to fit). Scoring: ``exact`` is the share of reads
equal to the rendered string; ``CER`` is the sum of Levenshtein distances over the sum of the
strings' lengths. The defaults of :class:`vision.ocr.OcrConfig` were chosen on strings of
other seeds than the default one.

Crop preparation. The same strings read three ways: the whole crop (as RapidOCR prepares it),
the glyph box alone, and the glyph box blurred (the default); on the crops as rendered and on
loose crops with 60 px of background to the right.

Speed, in CPU time of this process with every library on one thread, so other processes on a
shared machine do not count: ``read_line`` on uncached crops, and ``find_lines`` (detection
alone, then with reading) on a 400x200 dialog and on a 1920x1080 form of 48 labelled fields,
uncached and as a cache hit.

Detection. ``find_lines`` on a 400x200 dialog per font, size, anti-aliasing and theme and on
four 1920x1080 forms, at each ``--detect-scales`` factor: the lines read exactly, and CPU ms.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Callable, Iterator

import cv2
import numpy as np
from PIL import Image

from vision.ocr import OcrConfig, TextReader
from vision.ocr.detect import det_input, line_boxes
from vision.ocr.recognise import REC_HEIGHT, ctc_greedy

FONTS = ("Liberation Sans", "Liberation Serif", "DejaVu Sans", "Noto Sans", "Carlito",
         "Nimbus Sans")
POINT_SIZES = (8, 9, 10, 11)
THEMES = {  # name: (background, text)
    "light": ("#f0f0f0", "#000000"),
    "dark": ("#2b2b2b", "#e0e0e0"),
    "selected": ("#0078d7", "#ffffff"),
}


@dataclass(frozen=True)
class Style:
    """How one string is drawn."""

    font: str
    pt: int
    antialias: bool
    theme: str
    widget: str
    """``label`` or ``field`` (a line edit, frame included)."""


# --- rendering ---------------------------------------------------------------------------------

@cache
def _qt_app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["ocr_bench"])


def _grab(widget) -> np.ndarray:
    """The widget as drawn, as an RGB array that owns its memory."""
    from PySide6.QtGui import QImage

    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    h, w = image.height(), image.width()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return rows[:, :w * 3].reshape(h, w, 3).copy()


def _font(family: str, pt: int, antialias: bool, *, bold: bool = False):
    from PySide6.QtGui import QFont

    font = QFont(family)
    font.setPixelSize(round(pt * 96 / 72))
    font.setBold(bold)
    font.setStyleStrategy(QFont.StyleStrategy.NoSubpixelAntialias if antialias
                          else QFont.StyleStrategy.NoAntialias)
    return font


def _themed(widget, theme: str) -> None:
    from PySide6.QtGui import QColor, QPalette

    background, text = THEMES[theme]
    palette = widget.palette()
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        palette.setColor(role, QColor(background))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        palette.setColor(role, QColor(text))
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)


def render_text(text: str, style: Style) -> np.ndarray:
    """``text`` drawn by a Qt widget in ``style``: the widget's whole grab, as RGB."""
    _qt_app()
    from PySide6.QtWidgets import QLabel, QLineEdit

    if style.widget == "label":
        widget = QLabel(text)
        widget.setContentsMargins(3, 3, 3, 3)
    else:
        widget = QLineEdit(text)
    widget.setFont(_font(style.font, style.pt, style.antialias))
    _themed(widget, style.theme)
    if style.widget == "field":
        widget.setFixedWidth(widget.fontMetrics().horizontalAdvance(text) + 24)
    widget.adjustSize()
    return _grab(widget)


def render_dialog(rng: random.Random, style: Style) -> tuple[np.ndarray, list[str]]:
    """A 400x200 message box (bold title, two message lines, two buttons) and its lines."""
    _qt_app()
    from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

    title = " ".join(rng.sample(_WORDS, 2)).capitalize()
    message = [_sentence(rng), _sentence(rng)]
    box = QWidget()
    box.setFixedSize(400, 200)
    _themed(box, style.theme)
    layout = QVBoxLayout(box)
    heading = QLabel(title)
    heading.setFont(_font(style.font, style.pt + 1, style.antialias, bold=True))
    body = QLabel("\n".join(message))
    body.setFont(_font(style.font, style.pt, style.antialias))
    layout.addWidget(heading)
    layout.addWidget(body)
    layout.addStretch(1)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    for caption in ("OK", "Cancel"):
        button = QPushButton(caption)
        button.setFont(_font(style.font, style.pt, style.antialias))
        buttons.addWidget(button)
    layout.addLayout(buttons)
    return _grab(box), [title, *message, "OK", "Cancel"]


def render_form(rng: random.Random, style: Style, *, rows: int = 24
                ) -> tuple[np.ndarray, list[str]]:
    """A 1920x1080 window of ``2 * rows`` labelled fields in two columns, and its lines."""
    _qt_app()
    from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

    window = QWidget()
    window.setFixedSize(1920, 1080)
    _themed(window, style.theme)
    grid = QGridLayout(window)
    lines = []
    for i in range(2 * rows):
        label, value = _label(rng) + ":", _value(rng)
        caption, field = QLabel(label), QLineEdit(value)
        for widget in (caption, field):
            widget.setFont(_font(style.font, style.pt, style.antialias))
        _themed(field, style.theme)
        grid.addWidget(caption, i % rows, 2 * (i // rows))
        grid.addWidget(field, i % rows, 2 * (i // rows) + 1)
        lines += [label, value]
    return _grab(window), lines


# --- the strings -------------------------------------------------------------------------------

_WORDS = ("invoice", "customer", "vendor", "amount", "date", "reference", "account", "order",
          "total", "status", "approved", "pending", "payment", "address", "city", "country",
          "phone", "number", "balance", "due", "shipping", "method", "quantity", "unit", "price",
          "discount", "tax", "currency", "branch", "region", "contact", "notes", "delivery")
_NAMES = ("Acme Corporation", "Zeta Logistics Ltd", "Orbit Systems", "Müller GmbH",
          "Jean-Luc Picard", "O'Brien & Sons", "Nordic Timber AS", "Kowalski Sp. z o.o.",
          "Smith, John", "Fernández Hnos.", "Blue Harbor Inc.", "Wayne Enterprises")
_DOMAINS = ("acme.com", "example.org", "mail.co.uk", "corp-net.de")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SENTENCES = ("Please enter a valid date.", "The field {f} is required.",
              "Record saved successfully.", "Do you want to save changes?",
              "Amount must be greater than zero.", "{n} items selected",
              "Invalid e-mail address.", "Connection lost. Retrying in {s} s...",
              "Are you sure you want to delete this {f}?", "Page {s} of {n}")


def _label(rng: random.Random) -> str:
    return " ".join(rng.sample(_WORDS, rng.choice((1, 1, 2)))).capitalize()


def _value(rng: random.Random) -> str:
    kind = rng.choice(("name", "amount", "date", "time", "id", "email", "int"))
    if kind == "name":
        return rng.choice(_NAMES)
    if kind == "amount":
        return f"{rng.uniform(-500, 99999):,.2f}" + rng.choice(("", " EUR", " USD"))
    if kind == "date":
        y, m, d = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
        return rng.choice((f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}", f"{d}.{m}.{y}",
                           f"{_MONTHS[m - 1]} {d}, {y}"))
    if kind == "time":
        return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    if kind == "id":
        return rng.choice(("INV-", "PO-", "SO#", "CUST", "TKT-")) + str(rng.randint(100, 999999))
    if kind == "email":
        first, last = rng.choice(_NAMES).split()[0].lower().strip(","), rng.choice(_WORDS)
        return f"{first}.{last}@{rng.choice(_DOMAINS)}"
    return str(rng.randint(0, 10 ** rng.randint(1, 7)))


def _sentence(rng: random.Random) -> str:
    return rng.choice(_SENTENCES).format(f=rng.choice(_WORDS), n=rng.randint(2, 250),
                                         s=rng.randint(1, 30))


def ui_strings(rng: random.Random) -> Iterator[str]:
    """An endless, seeded stream of UI strings: labels, values and messages."""
    while True:
        yield rng.choice((_label, _label, _value, _value, _value, _sentence))(rng)


def styles() -> list[Style]:
    """Every font, size, anti-aliasing, theme and widget."""
    return [Style(f, pt, aa, th, widget) for f in FONTS for pt in POINT_SIZES
            for aa in (True, False) for th in THEMES for widget in ("label", "field")]


def samples(per_style: int, seed: int = 0) -> list[tuple[str, Style, np.ndarray]]:
    """``per_style`` rendered strings per style: (text, style, lossless crop)."""
    strings = ui_strings(random.Random(seed))
    return [(text, style, render_text(text, style)) for style in styles()
            for text in (next(strings) for _ in range(per_style))]


# --- degradations ------------------------------------------------------------------------------

def jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=quality)
    return np.asarray(Image.open(buf).convert("RGB")).copy()


def rgb565(rgb: np.ndarray) -> np.ndarray:
    """16-bit colour as a client shows it: 5-6-5 bits per channel, expanded by bit copying."""
    bits = np.array([5, 6, 5], np.uint8)
    kept = rgb >> (8 - bits)
    return (kept << (8 - bits)) | (kept >> (2 * bits - 8))


def scaled(rgb: np.ndarray, factor: float) -> np.ndarray:
    h, w = rgb.shape[:2]
    return cv2.resize(rgb, (round(w * factor), round(h * factor)),
                      interpolation=cv2.INTER_LINEAR)


DEGRADATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "lossless": lambda rgb: rgb,
    "jpeg q70": lambda rgb: jpeg(rgb, 70),
    "jpeg q40": lambda rgb: jpeg(rgb, 40),
    "rgb565": rgb565,
    "scaled 1.25x": lambda rgb: scaled(rgb, 1.25),
    "scaled 1.5x": lambda rgb: scaled(rgb, 1.5),
}


# --- scoring -----------------------------------------------------------------------------------

def levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


@dataclass(frozen=True)
class Accuracy:
    reads: int
    exact: float
    cer: float


def accuracy(pairs: list[tuple[str, str]]) -> Accuracy:
    """Exact-match rate and character error rate of (truth, read) pairs."""
    errors = sum(levenshtein(t, r) for t, r in pairs)
    chars = sum(len(t) for t, _ in pairs)
    exact = sum(t == r for t, r in pairs)
    return Accuracy(len(pairs), exact / max(1, len(pairs)), errors / max(1, chars))


def lines_read(expected: list[str], found: list[str]) -> int:
    """How many expected lines were read exactly (each found line matches at most one)."""
    return sum((Counter(expected) & Counter(found)).values())


# --- measuring ---------------------------------------------------------------------------------

def _timed(fn, *args):
    """``fn(*args)`` and the CPU time it took in ms: every library runs on this thread, so
    CPU time is the time on one idle core, and other processes on a shared machine do not
    count."""
    start = time.process_time()
    result = fn(*args)
    return result, (time.process_time() - start) * 1000


def whole_crop_read(reader: TextReader, rgb: np.ndarray) -> str:
    """The crop read as RapidOCR prepares it: whole, in colour, scaled to 48 px tall."""
    h, w = rgb.shape[:2]
    scaled_crop = cv2.resize(rgb[:, :, ::-1], (max(12, round(w * REC_HEIGHT / h)), REC_HEIGHT))
    x = scaled_crop.astype(np.float32).transpose(2, 0, 1)[None] / 127.5 - 1.0
    return ctc_greedy(reader.recogniser(x)[0], reader.charset).text


def loose(rgb: np.ndarray) -> np.ndarray:
    """The crop with a wider margin (6 px above and below, 60 px right) of its background."""
    background = [int(v) for v in np.median(rgb.reshape(-1, 3), axis=0)]
    return cv2.copyMakeBorder(rgb, 6, 6, 2, 60, cv2.BORDER_CONSTANT, value=background)


def _row(name: str, acc: Accuracy, extra: str = "") -> str:
    return f"{name:<26}{acc.reads:>7}{acc.exact:>9.3f}{acc.cer:>9.4f}{extra}"


def report_accuracy(reader: TextReader, data) -> None:
    """Exact-match rate and CER per degradation, then per facet of the style."""
    rows = []
    print(f"\nread_line accuracy ({len(data)} strings per degradation)")
    print(f"{'degradation':<26}{'reads':>7}{'exact':>9}{'CER':>9}")
    for name, degrade in DEGRADATIONS.items():
        reads = [(text, style, reader.read_line(degrade(rgb)).text) for text, style, rgb in data]
        rows += reads
        print(_row(name, accuracy([(t, r) for t, _, r in reads])))
    print(_row("all", accuracy([(t, r) for t, _, r in rows])))
    print(f"\nby style (all degradations)\n{'style':<26}{'reads':>7}{'exact':>9}{'CER':>9}")
    for facet in ("antialias", "theme", "pt", "widget", "font"):
        for value in dict.fromkeys(getattr(style, facet) for _, style, _ in data):
            pairs = [(t, r) for t, style, r in rows if getattr(style, facet) == value]
            print(_row(f"{facet}: {value}", accuracy(pairs)))


def report_ablation(reader: TextReader, data) -> None:
    """Exact / CER of three ways to prepare a crop, on crops as rendered and loose ones."""
    unblurred = TextReader(dataclasses.replace(reader.config, line_blur=0.0),
                           recogniser=reader.recogniser, detector=reader.detector)
    ways = {"whole crop": lambda rgb: whole_crop_read(reader, rgb),
            "glyph box": lambda rgb: unblurred.read_line(rgb).text,
            "+ blur (default)": lambda rgb: reader.read_line(rgb).text}
    print("\nwhat the crop preparation buys (exact / CER): the whole crop in colour as "
          "RapidOCR reads it;\nthe glyph box found in grey; and blurred by 0.07 glyph heights")
    print(f"{'crops':<22}{'degradation':<14}" + "".join(f"{way:>18}" for way in ways))
    for crops, wrap in (("as rendered", lambda rgb: rgb), ("loose (+60 px right)", loose)):
        for name in ("lossless", "jpeg q40"):
            inputs = [(text, DEGRADATIONS[name](wrap(rgb))) for text, _, rgb in data]
            cells = [accuracy([(t, read(x)) for t, x in inputs]) for read in ways.values()]
            print(f"{crops:<22}{name:<14}"
                  + "".join(f"{f'{acc.exact:.3f} / {acc.cer:.3f}':>18}" for acc in cells))


def report_speed(reader: TextReader, data, repeat: int) -> None:
    times = [_timed(reader.read_line, rgb)[1] for _, _, rgb in data]
    widths = [rgb.shape[1] for _, _, rgb in data]
    cached = TextReader(threads=1)
    crop = data[0][2]
    cached.read_line(crop)
    hits = [_timed(cached.read_line, crop.copy())[1] for _ in range(100)]
    print("\nspeed, CPU ms on one core (onnxruntime and OpenCV on one thread), cache off "
          "unless said")
    print(f"read_line: median {statistics.median(times):.1f} ms, p95 "
          f"{np.percentile(times, 95):.1f} ms per line (crops {min(widths)}-{max(widths)} px "
          f"wide, median {statistics.median(widths):.0f}); a cache hit "
          f"{statistics.median(hits) * 1000:.0f} us")
    rng = random.Random(1)
    style = Style("Liberation Sans", 9, True, "light", "label")
    scale = reader.config.detect_scale
    for name, (rgb, expected) in (("400x200 dialog", render_dialog(rng, style)),
                                  ("1920x1080 form", render_form(rng, style))):
        detect = [_timed(lambda: line_boxes(reader.detector(det_input(rgb, scale))[0, 0]))[1]
                  for _ in range(repeat)]
        lines, total = zip(*(_timed(reader.find_lines, rgb) for _ in range(repeat)))
        cached.find_lines(rgb)
        hit = statistics.median(_timed(cached.find_lines, rgb.copy())[1] for _ in range(repeat))
        found = [line.text for line in lines[0]]
        print(f"find_lines on a {name}: detection {statistics.median(detect):.0f} ms, with "
              f"reading {statistics.median(total):.0f} ms, a cache hit {hit:.2f} ms; "
              f"{lines_read(expected, found)}/{len(expected)} lines read exactly")


def report_detection(scales: list[float], seed: int) -> None:
    print("\nfind_lines: lines read exactly, in 400x200 dialogs (one per font, size, "
          "anti-aliasing and theme; 5 lines each) and 1920x1080 forms (96 lines each)")
    print(f"{'detect_scale':<14}{'dialogs':>16}{'ms/dialog':>11}{'forms':>14}{'ms/form':>10}")
    form_styles = [Style(f, pt, aa, theme, "label") for f, pt, aa, theme in
                   (("Liberation Sans", 8, False, "light"), ("DejaVu Sans", 9, True, "dark"),
                    ("Carlito", 10, True, "light"), ("Noto Sans", 8, True, "selected"))]
    rng = random.Random(seed)
    dialogs = [render_dialog(rng, style) for style in styles() if style.widget == "label"]
    forms = [render_form(rng, style) for style in form_styles]
    for scale in scales:
        reader = TextReader(OcrConfig(detect_scale=scale, cache_size=0), threads=1)
        cells = []
        for cases in (dialogs, forms):
            got, total, ms = 0, 0, []
            for rgb, expected in cases:
                lines, elapsed = _timed(reader.find_lines, rgb)
                got += lines_read(expected, [line.text for line in lines])
                total += len(expected)
                ms.append(elapsed)
            cells.append((f"{got}/{total} {got / total:.3f}", statistics.median(ms)))
        print(f"{scale:<14}{cells[0][0]:>16}{cells[0][1]:>11.0f}{cells[1][0]:>14}"
              f"{cells[1][1]:>10.0f}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-style", type=int, default=1,
                        help="strings rendered per style (288 styles)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per region")
    parser.add_argument("--detect-scales", type=float, nargs="+",
                        default=[OcrConfig().detect_scale])
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    data = samples(args.per_style, args.seed)
    reader = TextReader(OcrConfig(cache_size=0), threads=1)
    report_accuracy(reader, data)
    report_ablation(reader, data)
    report_speed(reader, data, args.repeat)
    report_detection(args.detect_scales, args.seed)


if __name__ == "__main__":
    main()
