"""Reading a field's value: masked fields, the caret, placeholders."""

import cv2
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image, ImageDraw

from vision.inference.screen import ScreenModel
from vision.inference.typing import (Edits, faint_text, looks_masked, secret, shows_selection,
                                     strip_caret, text_lines, value_text)
from vision.ocr import default_reader

from tests.helpers import FixedDetector, font


def field(text: str, *, colour=(0, 0, 0), caret_at: int | None = None, size=(180, 22),
          background=(255, 255, 255)) -> np.ndarray:
    img = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(img)
    draw.text((4, 4), text, fill=colour, font=font(12))
    out = np.asarray(img).copy()
    if caret_at is not None:
        out[3:19, caret_at] = colour
    return out


@pytest.mark.parametrize("mark", ["●", "•", "*"])
@pytest.mark.parametrize("count", [2, 5, 11])
def test_rows_of_identical_marks_are_masked(mark, count):
    assert looks_masked(field(mark * count))


@pytest.mark.parametrize("text", ["Acme Corp", "1,234.56", "1000", "000", "i", "Anna", "WW",
                                  "-- --", "x"])
def test_ordinary_values_are_not_masked(text):
    assert not looks_masked(field(text))


def test_the_caret_after_the_text_is_stripped():
    plain = field("Invoice 42")
    width = int(np.nonzero((plain < 128).any(axis=(0, 2)))[0].max())
    with_caret = field("Invoice 42", caret_at=width + 3)
    stripped = strip_caret(with_caret)
    assert np.array_equal(stripped[:, width + 3], plain[:, width + 3])
    assert np.array_equal(stripped[:, :width + 1], plain[:, :width + 1])


def test_a_value_without_caret_is_left_alone():
    text = field("lollipop 11")
    assert np.array_equal(strip_caret(text, caret_height=16), text)


def test_placeholder_grey_is_faint_and_values_are_not():
    assert faint_text(field("Type to filter", colour=(160, 160, 160)))
    assert not faint_text(field("Shipping", colour=(0, 0, 0)))
    assert not faint_text(field("Dark theme", colour=(230, 230, 230), background=(40, 40, 40)))


def test_a_prompt_beside_the_caret_or_an_edge_of_the_frame_is_still_faint():
    """A field emptied shows its grey prompt again with the caret at its start, and a crop
    a pixel too wide takes an edge of the frame: dark bars the field's height."""
    prompt = field("Name or number", colour=(150, 150, 150), caret_at=2)
    prompt[:, -1] = 90
    assert faint_text(prompt)
    value = field("Name or number", caret_at=120)
    value[:, -1] = 90
    assert not faint_text(value)


@pytest.mark.parametrize("scale", [1.25, 1.5])
def test_small_dark_digits_blurred_by_scaling_are_no_placeholder(scale):
    """Scaled up by a remote session, thin dark digits keep few pixels at full contrast."""
    img = Image.new("RGB", (80, 18), (255, 255, 255))
    ImageDraw.Draw(img).text((3, 3), "94753", fill=(0, 0, 0), font=font(10))
    grown = cv2.resize(np.asarray(img), None, fx=scale, fy=scale,
                       interpolation=cv2.INTER_LINEAR)
    assert not faint_text(cv2.GaussianBlur(grown, (0, 0), 0.8))


def test_a_caret_alone_in_an_empty_field_is_stripped():
    empty = field("")
    with_caret = field("", caret_at=5)
    assert np.array_equal(strip_caret(with_caret), empty)


def test_an_empty_field_with_its_caret_and_the_shade_of_its_frame_reads_empty():
    """Past the caret, a light line of the frame's shading is all that is left: stretched
    to full contrast by the recogniser, it would read as a "1"."""
    empty = field("", caret_at=5, size=(125, 21))
    empty[:, 0] = 199
    edits = Edits()
    edits._caret_height = 18
    assert edits._value(empty, False, ScreenModel(FixedDetector([]), default_reader())) == ""


@pytest.mark.parametrize("text, selected", [("CL-127329", True), ("Anna Meyer", True),
                                            ("CL-127329", False), ("WWW MMM", False)])
def test_a_selected_value_shows_on_its_highlight_band(text, selected):
    img = Image.new("RGB", (180, 22), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    width = int(draw.textlength(text, font=font(12)))
    if selected:
        draw.rectangle((3, 3, 5 + width, 18), fill=(50, 100, 200))
    draw.text((4, 4), text, fill=(255, 255, 255) if selected else (0, 0, 0), font=font(12))
    assert shows_selection(np.asarray(img)) == selected


def test_a_single_typed_digit_is_kept():
    one = field("1")
    assert np.array_equal(strip_caret(one), one)


@pytest.mark.parametrize("label, reading", [("Password: *", "Kx9!"), ("*Passwort", ""),
                                            ("PIN", "4711"), (None, "eeeeee"),
                                            ("Login", "COOcccOo"), (None, "0〇〇〇〇〇〇")])
def test_a_secret_is_known_by_its_label_or_its_dots_read_as_letters(label, reading):
    """Password dots the mark test misses (a codec blurred them together) read as o, e, c
    or 0; a field labelled as a secret is one whatever it shows. Either way no text."""
    assert secret(label, reading, field(reading))


@pytest.mark.parametrize("label, reading", [("Vendor", "Acme Corp"), ("Qty", "000"),
                                            ("Comment", "Coco"), ("Spin speed", "1200")])
def test_ordinary_values_are_no_secret(label, reading):
    assert not secret(label, reading, field(reading))


@settings(max_examples=30, deadline=None)
@given(words=st.lists(st.sampled_from(["Goods", "received", "damaged", "Net 30", "ok"]),
                      min_size=1, max_size=3),
       top=st.integers(2, 10), spacing=st.integers(20, 26))
def test_a_text_areas_lines_are_cut_apart_and_no_ink_is_lost(words, top, spacing):
    """Each line of a multi-line value is one band; every inked row lies in a band."""
    area = Image.new("RGB", (200, 90), (255, 255, 255))
    draw = ImageDraw.Draw(area)
    for i, word in enumerate(words):
        draw.text((4, top + spacing * i), word, fill=(0, 0, 0), font=font(13))
    pixels = np.asarray(area)
    lines = text_lines(pixels)
    assert len(lines) == len(words) or (len(words) == 1 and lines[0] is pixels)
    def inked(p: np.ndarray) -> int:
        return int((p.min(axis=2) < 128).sum())
    assert sum(inked(line) for line in lines) == inked(pixels)


def right_aligned(text: str, *, bar=(0, 0, 0), arrow: bool = False) -> np.ndarray:
    """A field's inside with ``text`` against its right end, then a bar of ``bar`` colour."""
    img = Image.new("RGB", (150, 20), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    end = 150 - 6
    if arrow:
        draw.polygon([(end - 14, 8), (end - 4, 8), (end - 9, 13)], fill=(40, 40, 40))
        end -= 18
    draw.text((end - int(draw.textlength(text, font=font(12))), 3), text, fill=(0, 0, 0),
              font=font(12))
    out = np.asarray(img).copy()
    out[:, 150 - 4] = bar
    return out


def test_a_caret_at_the_right_end_of_digits_is_typing_and_a_combo_boxs_side_is_not():
    from vision.inference.typing import _caret_after_text

    assert _caret_after_text(right_aligned("271"), 16)
    assert not _caret_after_text(right_aligned("WH01 Central", bar=(170, 170, 170),
                                               arrow=True), 16)


@pytest.mark.parametrize("reading, value", [
    ("PO-64966|", "PO-64966"), ("|CL-206485", "CL-206485"),  # the caret, at either end
    ("[Dmitri Bauer", "Dmitri Bauer"), ("PO-64966]", "PO-64966"),  # the frame's edge
    ("[A] Priority", "[A] Priority"), ("Box [12]", "Box [12]"), ("a|b", "a|b")])
def test_a_bar_or_a_lone_bracket_at_either_end_of_a_value_is_the_caret_or_the_frame(
        reading, value):
    """A caret left at the start or the end of a field's text, or the side of its frame
    taken into the crop, reads as a bar or a bracket; a bracket with its partner is text."""
    assert value_text(reading) == value


def two_fields(sku: str, text: str, *, focus: str) -> np.ndarray:
    """"SKU" over "Text", the focused one ringed in blue."""
    img = Image.new("RGB", (640, 300), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    for (x, y, w, h), label, value in (((200, 100, 130, 26), "SKU", sku),
                                       ((200, 140, 300, 26), "Text", text)):
        draw.text((150, y + 6), label, fill=(0, 0, 0), font=font(13))
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255),
                       outline=(40, 110, 220) if label == focus else (150, 150, 150))
        draw.text((x + 5, y + 6), value, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


def test_the_last_keys_showing_in_the_frame_focus_moves_on_are_in_the_value():
    """The last letters typed into SKU show in the same frame as the first ones typed into
    the next field: one change holding both fields. SKU's value is the one shown then, not
    the one shown before."""
    from tests.inference.test_click_cues import events
    from vision.inference import EventInference

    inference = EventInference(FixedDetector([("textbox", (200, 100, 130, 26)),
                                              ("textbox", (200, 140, 300, 26)),
                                              ("text", (148, 104, 30, 18)),
                                              ("text", (148, 144, 34, 18))]), default_reader())
    sku = (204, 104, 70, 18)   # where its value grows
    steps = [(two_fields("", "", focus="SKU"), (), None)]
    steps += [(two_fields(typed, "", focus="SKU"), (sku,), None) for typed in ("A", "ART", "ART43")]
    steps += [(two_fields("ART43", "", focus="SKU"), (), None)] * 3
    steps += [(two_fields("ART43881", "Sh", focus="Text"), ((200, 100, 300, 66),), None)]
    steps += [(two_fields("ART43881", "Sh", focus="Text"), (), None)] * 8
    typed = [(c.payload.target.name, c.payload.text) for c in events(inference, steps)
             if c.type == "input_text"]
    assert typed[0] == ("SKU", "ART43881")
