"""The OCR stage on UI text drawn by Qt: exact reads, the content cache, finding lines."""

import doctest
import os

import numpy as np
import pytest
from PIL import Image, ImageDraw
from hypothesis import given, settings, strategies as st

from vision.ocr import (OcrConfig, TextReader, detect, glyphs, reader as reader_module, recognise,
                        spelling)
from vision.ocr.detect import reading_order
from vision.ocr.glyphs import text_extent
from vision.ocr.reader import RECOGNISER_FILE, rapidocr_model
from vision.onnx_model import OnnxModel
from tests.helpers import font

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6")

from benchmarks.ocr_bench import Style, render_text  # noqa: E402  (needs Qt offscreen first)

UI_STRINGS = ["Save changes", "Customer name:", "2024-03-15", "INV-004711", "j.doe@acme.com",
              "1,234.56 EUR", "Cancel", "The field Amount is required."]
STYLES = [Style("Liberation Sans", 9, True, "light", "label"),
          Style("DejaVu Sans", 10, True, "dark", "field"),
          Style("Noto Sans", 9, True, "selected", "label"),
          Style("Liberation Sans", 9, False, "light", "field")]


class CountingModel(OnnxModel):
    """The real recogniser, counting its runs."""

    def __init__(self, path):
        super().__init__(path)
        self.runs = 0

    def run(self, *inputs):
        self.runs += 1
        return super().run(*inputs)


@pytest.fixture(scope="module")
def reader():
    return TextReader()


@pytest.mark.parametrize("style", STYLES, ids=lambda s: f"{s.font}-{s.pt}-{s.theme}-{s.widget}")
def test_reads_typical_ui_strings_exactly(reader, style):
    reads = {text: reader.read_line(render_text(text, style)).text for text in UI_STRINGS}
    assert reads == {text: text for text in UI_STRINGS}


ROUND_GLYPHS = ["Kestrel Sp. z o.o.", "o.5", "0.5", "Net 30", "Order 4500043074", "10.05.2024"]


@pytest.mark.parametrize("style", STYLES, ids=lambda s: f"{s.font}-{s.pt}-{s.theme}-{s.widget}")
def test_a_letter_o_is_told_from_a_zero_by_its_height(reader, style):
    """In most UI fonts a zero is an o drawn as tall as a capital: a company's "z o.o." or an
    "o.5" typed for 0.5 reads as typed, and zeros among digits stay zeros."""
    reads = {text: reader.read_line(render_text(text, style)).text for text in ROUND_GLYPHS}
    assert reads == {text: text for text in ROUND_GLYPHS}


@pytest.mark.parametrize("style", STYLES[:2], ids=lambda s: f"{s.font}-{s.pt}-{s.theme}")
def test_the_second_reading_agrees_on_clear_text(reader, style):
    """No doubt is cast on text the recogniser reads well: the second way reads it alike."""
    for text in UI_STRINGS:
        crop = render_text(text, style)
        assert reader.read_line_again(crop).text == reader.read_line(crop).text == text


def test_a_loose_crop_around_a_field_reads_the_same(reader):
    field = render_text("Acme Corporation", Style("Carlito", 10, True, "light", "field"))
    window = np.full((60, 320, 3), 236, np.uint8)          # the dialog around the field
    window[20:20 + field.shape[0], 15:15 + field.shape[1]] = field
    assert reader.read_line(window).text == "Acme Corporation"


def test_cache_returns_the_same_read_without_running_the_model_again():
    model = CountingModel(rapidocr_model(RECOGNISER_FILE))
    reader = TextReader(recogniser=model)
    crop = render_text("Approve", STYLES[0])
    first = reader.read_line(crop)
    again = reader.read_line(crop.copy())                   # equal pixels, another array
    assert again is first and model.runs == 1
    other = reader.read_line(render_text("Reject", STYLES[0]))
    assert other.text == "Reject" and model.runs == 2
    info = reader.cache_info()
    assert (info.hits, info.misses, info.size) == (1, 2, 2)


def test_cache_keeps_at_most_its_capacity():
    model = CountingModel(rapidocr_model(RECOGNISER_FILE))
    reader = TextReader(OcrConfig(cache_size=1), recogniser=model)
    a, b = render_text("Yes", STYLES[0]), render_text("No", STYLES[0])
    reader.read_line(a), reader.read_line(b), reader.read_line(a)
    assert model.runs == 3 and reader.cache_info().size == 1


def _message_box(title: str, lines: list[str]):
    """A light dialog: a bold title above a two-line message; the message label's box."""
    from benchmarks.ocr_bench import _font, _grab, _qt_app, _themed
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    _qt_app()
    box = QWidget()
    box.setFixedSize(400, 160)
    _themed(box, "light")
    layout = QVBoxLayout(box)
    heading, body = QLabel(title), QLabel("\n".join(lines))
    heading.setFont(_font("Liberation Sans", 11, True, bold=True))
    body.setFont(_font("Liberation Sans", 9, True))
    layout.addWidget(heading)
    layout.addWidget(body)
    layout.addStretch(1)
    rgb = _grab(box)
    geometry = body.geometry()
    return rgb, (geometry.x(), geometry.y(), geometry.width(), geometry.height())


def test_find_lines_reads_a_dialog_message_in_reading_order(reader):
    message = ["The invoice INV-4711 could not be posted.", "The period 2024-03 is closed."]
    rgb, (lx, ly, lw, lh) = _message_box("Posting failed", message)
    lines = reader.find_lines(rgb)
    assert [line.text for line in lines] == ["Posting failed", *message]
    ink = rgb[ly:ly + lh, lx:lx + lw].min(axis=2) < 128
    boxes = [line.bbox for line in lines[1:]]
    for x, y, w, h in boxes:                                # inside the message label
        assert lx <= x and x + w <= lx + lw and ly <= y and y + h <= ly + lh
    covered = np.zeros_like(ink)
    for x, y, w, h in boxes:
        covered[y - ly:y - ly + h, x - lx:x - lx + w] = True
    assert not (ink & ~covered).any()                       # and around all of its text
    assert boxes[0][1] + boxes[0][3] <= boxes[1][1]         # one line above the other


def test_find_lines_in_a_region_gives_frame_coordinates(reader):
    message = ["Record saved.", "3 fields were updated."]
    rgb, _ = _message_box("Done", message)
    frame = np.full((600, 800, 3), 240, np.uint8)
    frame[300:300 + rgb.shape[0], 200:200 + rgb.shape[1]] = rgb
    region = (200, 300, rgb.shape[1], rgb.shape[0])
    lines = reader.find_lines(frame, region)
    assert [line.text for line in lines] == ["Done", *message]
    alone = reader.find_lines(rgb)
    assert [(line.text, line.bbox) for line in lines] == [
        (line.text, (line.bbox[0] + 200, line.bbox[1] + 300, *line.bbox[2:])) for line in alone]


@pytest.mark.parametrize("module", [detect, glyphs, reader_module, recognise, spelling],
                         ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_a_crop_without_text_reads_empty(reader):
    assert reader.read_line(np.full((20, 80, 3), 212, np.uint8)).text == ""


@pytest.mark.parametrize("crop, message", [
    (np.zeros((0, 40, 3), np.uint8), "empty"),
    (np.zeros((20, 0, 3), np.uint8), "empty"),
    (np.zeros((20, 40), np.uint8), r"\(H, W, 3\)"),
    (np.zeros((20, 40, 3), np.float32), "uint8"),
])
def test_bad_crops_raise(reader, crop, message):
    with pytest.raises(ValueError, match=message):
        reader.read_line(crop)


@pytest.mark.parametrize("region", [(0, 0, 0, 10), (-1, 0, 10, 10), (50, 50, 100, 10),
                                    (0, 0, 10.5, 10)])
def test_bad_regions_raise(reader, region):
    with pytest.raises(ValueError, match="region"):
        reader.find_lines(np.zeros((60, 120, 3), np.uint8), region)


def rounded_button(caption: str, past_edge: int) -> np.ndarray:
    """The crop of a rounded button's caption (light on a brown face) as an element's box
    gives it: cut inside the face on the left, and ``past_edge`` px past its right side, so
    the crop's right column is the light background round the corners."""
    img = Image.new("RGB", (200, 60), (235, 235, 235))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((20, 5, 150, 53), radius=8, fill=(125, 85, 50))
    draw.text((70, 18), caption, fill=(245, 245, 245), font=font(18))
    return np.asarray(img)[5:54, 30:150 + past_edge].copy()


@pytest.mark.parametrize("caption", ["OK", "Save", "Add", "New"])
@pytest.mark.parametrize("past_edge", [2, 4])
def test_a_rounded_frames_side_cut_by_the_crop_is_no_glyph(reader, caption, past_edge):
    """What the crop takes of a rounded frame's side (its corners' background, a strip down
    the crop's right edge) is chrome: "OK" does not read as "OKI", nor "Save" as "See"."""
    assert reader.read_line(rounded_button(caption, past_edge)).text == caption


glyph_boxes = st.lists(st.tuples(st.integers(0, 12), st.integers(3, 6), st.integers(5, 9)),
                       min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(glyph_boxes, st.integers(1, 8), st.integers(0, 1))
def test_a_frame_or_margin_around_glyphs_leaves_their_extent(glyphs, margin, framed):
    """Glyph-like blocks on a line: adding margin and a field's frame moves the extent only
    by the margin."""
    line = np.full((12, 120), 250, np.uint8)
    x = 2
    for gap, width, height in glyphs:
        x += gap % 4 + 1
        line[11 - height:11, x:x + width] = 20
        x += width
    bare = text_extent(line)
    padded = np.pad(line, margin + 2, constant_values=250)
    if framed:
        padded[margin, margin:-margin] = padded[-margin - 1, margin:-margin] = 140
        padded[margin:-margin, margin] = padded[margin:-margin, -margin - 1] = 140
    assert bare is not None
    bx, by, bw, bh = bare
    assert text_extent(padded) == (bx + margin + 2, by + margin + 2, bw, bh)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 200), st.integers(1, 80)),
                max_size=12), st.integers(6, 20))
def test_reading_order_puts_lines_above_first_and_rows_left_to_right(corners, height):
    boxes = [(x, y, w, height) for x, y, w in corners]
    order = reading_order(boxes)
    assert sorted(order) == list(range(len(boxes)))
    rank = {box_index: position for position, box_index in enumerate(order)}
    for i, (xi, yi, _, _) in enumerate(boxes):
        for j, (xj, yj, _, _) in enumerate(boxes):
            if yi + height <= yj or (yi == yj and xi < xj):
                assert rank[i] < rank[j]
