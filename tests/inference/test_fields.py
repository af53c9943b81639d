"""Where a field is and what it is called: its frame found in the pixels, its label read."""

import cv2
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from vision.inference.screen import capital_i, framed_box, required_mark, snapped_field
from vision.inference.typing import _inner
from vision.ocr import default_reader

from tests.helpers import font
from PIL import Image, ImageDraw


def framed_field(text: str, *, frame=(122, 122, 122), quality: int | None = None):
    """A field 160 x 24 at (40, 30), its text starting 2 px inside its 1 px frame."""
    img = Image.new("RGB", (240, 90), (235, 235, 235))
    d = ImageDraw.Draw(img)
    d.rectangle((40, 30, 199, 53), fill=(255, 255, 255), outline=frame)
    d.text((43, 34), text, fill=(0, 0, 0), font=font(13))
    rgb = np.asarray(img).copy()
    if quality is not None:
        ok, jpg = cv2.imencode(".jpg", rgb[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
        rgb = cv2.imdecode(jpg, cv2.IMREAD_COLOR)[..., ::-1].copy()
    return rgb


@settings(max_examples=40, deadline=None)
@given(left=st.integers(-4, 4), right=st.integers(-4, 4), top=st.integers(-3, 3),
       quality=st.sampled_from([None, 60, 35]))
def test_a_detector_box_off_by_a_few_pixels_snaps_onto_the_frame(left, right, top, quality):
    rgb = framed_field("jmeyer", quality=quality)
    box = (40 + left, 30 + top, 160 + right - left, 24)
    assert framed_box(rgb, box) == (39, 29, 162, 26)


@pytest.mark.parametrize("text", ["jmeyer", "INV-2022-83868", "PO-78401"])
def test_the_first_letter_survives_a_box_drawn_inside_the_frame(text):
    rgb = framed_field(text, quality=50)
    box = framed_box(rgb, (43, 31, 156, 22))      # the detector's box cuts into the text
    assert default_reader().read_line(_inner(rgb, box)).text == text


def test_a_box_that_saw_part_of_a_wide_field_grows_to_its_corners():
    img = Image.new("RGB", (480, 90), (200, 190, 210))
    d = ImageDraw.Draw(img)
    d.rectangle((12, 30, 395, 56), fill=(255, 255, 255), outline=(60, 60, 60))
    d.text((16, 35), "Rheinfels Components Inc.", fill=(0, 0, 0), font=font(13))
    rgb = np.asarray(img).copy()
    box = framed_box(rgb, (60, 30, 336, 27))         # the detector missed the left 48 px
    assert box == (11, 29, 386, 29)
    assert default_reader().read_line(_inner(rgb, box)).text == "Rheinfels Components Inc."


def test_a_caret_at_the_start_of_an_empty_field_is_not_its_frame():
    rgb = framed_field("")
    rgb[32:52, 43] = 0                      # a tall caret, one pixel short of each side
    assert framed_box(rgb, (41, 30, 158, 24)) == (39, 29, 162, 26)


@pytest.mark.parametrize("text", ["Jonas Brown", "659-1907"])
def test_a_flat_field_on_a_plain_background_keeps_its_own_width(text):
    """A white field without frame lines on a grey window: its edges are not lines to follow
    across the window; where the detector's box falls short, the field's fill gives the
    corner, and the first letter is read."""
    img = Image.new("RGB", (240, 90), (212, 208, 200))
    d = ImageDraw.Draw(img)
    d.rectangle((40, 30, 199, 53), fill=(255, 255, 255))
    d.text((43, 34), text, fill=(0, 0, 0), font=font(13))
    rgb = np.asarray(img).copy()
    box = framed_box(rgb, (46, 30, 154, 24))         # the detector missed the left 6 px
    assert box is not None and 38 <= box[0] <= 40 and box[0] + box[2] >= 200
    assert default_reader().read_line(_inner(rgb, box)).text == text


@pytest.mark.parametrize("pointer", [False, True])
def test_a_box_over_the_top_line_of_a_text_area_grows_to_the_whole_area(pointer):
    """A text area of a few lines, white on a grey window: the detector's box covers its
    first line only, starts inside the first letter and reaches past its right end. The box
    is the area's, and the first letter is read (an I-beam resting in the area or not)."""
    img = Image.new("RGB", (900, 300), (192, 192, 192))
    d = ImageDraw.Draw(img)
    d.rectangle((36, 179, 475, 260), fill=(255, 255, 255))
    d.text((44, 186), "Second reminder sent", fill=(0, 0, 0), font=font(15))
    if pointer:
        d.rectangle((319, 205, 321, 225), fill=(0, 0, 0))
    rgb = np.asarray(img).copy()
    box = snapped_field(rgb, (59, 179, 427, 44))
    assert abs(box[0] - 35) <= 1 and abs(box[1] - 178) <= 1 and box[3] >= 80
    line = (box[0], box[1], box[2], 30)
    assert default_reader().read_line(_inner(rgb, line)).text == "Second reminder sent"


def test_a_one_line_field_keeps_its_height():
    rgb = framed_field("jmeyer")
    assert snapped_field(rgb, (42, 31, 156, 22)) == (39, 29, 162, 26)


def test_a_field_without_a_frame_has_no_framed_box():
    rgb = np.full((90, 240, 3), 255, np.uint8)
    cv2.putText(rgb, "Acme", (44, 48), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1)
    assert framed_box(rgb, (40, 30, 160, 24)) is None


@pytest.mark.parametrize("read, label", [('"Vendor name:', "*Vendor name:"),
                                         ("'\"Date", "*Date"), ("Debtor:\"", "Debtor:*"),
                                         ("Staff member '", "Staff member *"),
                                         ("Vendor name:", "Vendor name:"),
                                         ("Customer's ref", "Customer's ref"),
                                         ('"Total"', '"Total"')])
def test_a_required_fields_star_read_as_quotes_is_restored(read, label):
    assert required_mark(read) == label


@pytest.mark.parametrize("read, name", [("ltem no.*", "Item no.*"), ("User lD", "User ID"),
                                        ("lnvoice date", "Invoice date"),
                                        ("Delivery list", "Delivery list"), ("lbs", "lbs"),
                                        ("Last login", "Last login"), ("O'lt", "O'lt")])
def test_a_capital_i_read_as_a_small_l_is_restored_where_no_word_starts_so(read, name):
    """Sans-serif fonts draw "I" and "l" alike; the recogniser often says "l"."""
    assert capital_i(read) == name
