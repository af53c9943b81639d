"""What makes a line of text an error message: red ink (not the coloured fringes of sub-pixel
anti-aliased black text), and words (not a red figure in a table)."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from vision.inference.messages import RED_TEXT, _sentence_like, red_share

from tests.helpers import font, jpeg


def line(text: str, colour, *, subpixel: bool = False) -> np.ndarray:
    """One line of 12 px text on white. With ``subpixel``, drawn the way ClearType draws it:
    at three times the width, each pixel's red, green and blue taken from three neighbouring
    columns, which leaves coloured fringes on every stroke's edges."""
    scale = 3 if subpixel else 1
    img = Image.new("RGB", (200 * scale, 20), (255, 255, 255))
    ImageDraw.Draw(img).text((4 * scale, 3), text, fill=colour, font=font(12))
    rgb = np.asarray(img)
    if subpixel:
        grey = rgb.mean(axis=2).reshape(20, 200, 3)
        rgb = grey.round().astype(np.uint8)
    return np.ascontiguousarray(rgb)


BOX = (0, 0, 200, 20)


@pytest.mark.parametrize("subpixel", [False, True])
def test_black_text_is_not_red_even_with_coloured_fringes(subpixel):
    rgb = line("Stock item list 54 items", (0, 0, 0), subpixel=subpixel)
    if subpixel:  # the fringes are there, as in the frames that fooled an area measure
        r, g, b = (rgb[..., i].astype(int) for i in range(3))
        assert ((r >= 120) & (r - np.maximum(g, b) >= 60)).sum() > 10
    assert red_share(rgb, BOX) < RED_TEXT / 2


@pytest.mark.parametrize("quality", [None, 50])
def test_red_text_is_red_also_after_lossy_compression(quality):
    rgb = line("Enter your password.", (204, 0, 0))
    if quality is not None:
        rgb = jpeg(rgb, quality)
    assert red_share(rgb, BOX) >= RED_TEXT


@pytest.mark.parametrize("text, words", [
    ("Please enter a number.", True), ("Required", True), ("135-7534", False),
    ("211", False), ("ID", False)])
def test_a_message_has_words(text, words):
    assert _sentence_like(text) is words


class OneField:
    """A detector that finds one text field at (100, 100), 120 x 24."""

    classes = ("textbox",)

    def _found(self):
        from vision.detect import Detections

        return Detections(np.array([[100, 100, 220, 124]], np.float32),
                          np.array([0.9], np.float32), np.zeros(1, np.int32), self.classes)

    def detect(self, image):
        return self._found()

    def detect_regions(self, image, regions):
        return [self._found() for _ in regions]


def form(message: bool) -> np.ndarray:
    """A field labelled "Start date:", a Save button, and when ``message``, an error in red
    in a column right of the field and in the status bar at the bottom."""
    img = Image.new("RGB", (900, 400), (236, 233, 216))
    d = ImageDraw.Draw(img)
    d.text((10, 104), "Start date:", fill=(0, 0, 0), font=font(13))
    d.rectangle((100, 100, 219, 123), fill=(255, 255, 255), outline=(120, 120, 120))
    d.rectangle((780, 330, 869, 357), fill=(212, 208, 200), outline=(64, 64, 64))
    d.text((806, 336), "Save", fill=(0, 0, 0), font=font(13))
    if message:
        d.text((420, 105), "Enter a valid date.", fill=(200, 0, 0), font=font(12))
        d.text((12, 375), "Enter your user name.", fill=(200, 0, 0), font=font(12))
    return np.asarray(img).copy()


def test_messages_are_found_by_the_field_they_stand_beside_and_in_a_wide_change():
    """A message in its own column names the field on its row, however far to its left; a
    status bar's message that changed with a whole strip of the window is read too."""
    from vision.diff import FrameDiff, Region
    from vision.frames import DecodedFrame
    from vision.inference import EventInference
    from vision.ocr import default_reader

    inference = EventInference(OneField(), default_reader())
    strips = ((410, 100, 200, 24), (0, 160, 900, 240))  # the beside column; a wide strip
    out = []
    for t, (message, kind) in enumerate(((False, "new_screen"), (True, "local"))):
        regions = () if t == 0 else tuple(Region(b, b[2] * b[3]) for b in strips)
        out += inference.push(DecodedFrame(f"frm_{t}", 100 * t, t, form(message), None, None),
                              FrameDiff(regions, kind=kind, changed_fraction=1.0 - t * 0.9))
    errors = sorted((c.payload.message, c.payload.field) for c in out
                    if c.type == "validation_error")
    assert errors == [("Enter a valid date.", "Start date:"), ("Enter your user name.", None)]


def test_a_dialogs_message_is_its_text_not_its_title():
    """An error dialog titled "Error": the title is worded like an error, but the message is
    the sentence under it."""
    from types import SimpleNamespace

    from vision.diff import FrameDiff, Region
    from vision.frames import DecodedFrame
    from vision.inference.messages import Messages
    from vision.ocr import default_reader

    img = Image.new("RGB", (900, 500), (246, 246, 246))
    d = ImageDraw.Draw(img)
    d.rectangle((250, 150, 660, 340), fill=(250, 250, 250), outline=(90, 90, 90))
    d.text((262, 158), "Error", fill=(0, 0, 0), font=font(13))
    d.line((251, 180, 659, 180), fill=(200, 200, 200))
    d.text((350, 220), "Please enter article.", fill=(0, 0, 0), font=font(13))
    d.rectangle((560, 290, 640, 318), fill=(60, 60, 60))
    d.text((590, 296), "OK", fill=(255, 255, 255), font=font(13))
    dialog = (250, 150, 411, 191)
    screen = SimpleNamespace(reader=default_reader(), elements=[], text=lambda box: "")
    frame = DecodedFrame("frm_1", 1000, 1, np.asarray(img).copy(), None, None)
    [error] = Messages().push(frame, FrameDiff((Region(dialog, 5000),), kind="local"), screen,
                              dialog)
    assert (error.payload.message, error.payload.field) == ("Please enter article.", None)


def stacked_form(message: bool) -> np.ndarray:
    """Labels over their fields: "Price" (its value right-aligned, the field the detector
    takes for a button) and "Note", with red messages under Price and right beside Note."""
    img = Image.new("RGB", (640, 300), (206, 206, 212))
    d = ImageDraw.Draw(img)
    d.text((18, 40), "Price", fill=(0, 0, 0), font=font(13))
    d.rectangle((16, 60, 140, 86), fill=(255, 255, 255), outline=(150, 150, 150))
    d.text((96, 66), "12,5x", fill=(0, 0, 0), font=font(13))
    d.text((18, 160), "Note", fill=(0, 0, 0), font=font(13))
    d.rectangle((16, 180, 260, 206), fill=(255, 255, 255), outline=(150, 150, 150))
    if message:
        d.text((18, 90), "Enter a valid amount.", fill=(200, 0, 0), font=font(12))
        d.text((272, 186), "Please enter a note.", fill=(200, 0, 0), font=font(12))
    return np.asarray(img).copy()


def test_a_message_names_the_field_it_stands_under_or_beside_though_the_detector_missed_it():
    from vision.diff import FrameDiff, Region
    from vision.frames import DecodedFrame
    from vision.inference import EventInference
    from vision.ocr import default_reader

    from tests.helpers import FixedDetector

    detector = FixedDetector([("button", (78, 61, 62, 25)), ("text", (16, 38, 40, 18)),
                              ("text", (16, 158, 40, 18))])
    inference = EventInference(detector, default_reader())
    changed = ((16, 88, 200, 20), (268, 182, 200, 24))
    out = []
    for t, message in enumerate((False, True)):
        regions = () if t == 0 else tuple(Region(b, b[2] * b[3]) for b in changed)
        out += inference.push(
            DecodedFrame(f"frm_{t}", 100 * t, t, stacked_form(message), None, None),
            FrameDiff(regions, kind="new_screen" if t == 0 else "local",
                      changed_fraction=1.0 if t == 0 else 0.02))
    errors = sorted((c.payload.message, c.payload.field) for c in out
                    if c.type == "validation_error")
    assert errors == [("Enter a valid amount.", "Price"), ("Please enter a note.", "Note")]


@pytest.mark.parametrize("rows, read", [(1, True), (3, False)])
def test_a_status_bar_seen_as_a_lone_row_is_read_a_tables_red_cell_is_not(rows, read):
    """The detector may take a status bar for a list row; alone, it is no table, and the red
    message in it is read. A red worded cell among rows is content."""
    from types import SimpleNamespace

    from vision.diff import FrameDiff, Region
    from vision.frames import DecodedFrame
    from vision.inference.messages import Messages
    from vision.inference.screen import Element
    from vision.ocr import default_reader

    img = Image.new("RGB", (600, 300), (200, 200, 200))
    d = ImageDraw.Draw(img)
    d.rectangle((10, 200 - 22 * (rows - 1), 400, 221), fill=(225, 225, 225))
    d.text((14, 204), "Required field: Article", fill=(200, 0, 0), font=font(12))
    elements = [Element("listitem", (10, 200 - 22 * i, 390, 22), 0.3) for i in range(rows)]
    screen = SimpleNamespace(reader=default_reader(), elements=elements, text=lambda box: "")
    frame = DecodedFrame("frm_1", 1000, 1, np.asarray(img).copy(), None, None)
    found = Messages().push(frame, FrameDiff((Region((12, 202, 200, 16), 3200),), kind="local"),
                            screen, None)
    assert [c.payload.message for c in found] == (["Required field: Article"] if read else [])


@pytest.mark.parametrize("field_in_dialog", [True, False])
def test_a_message_in_a_dialog_names_the_dialogs_field_beside_it_not_the_pages(
        field_in_dialog):
    """A note dialog with a "Text:" field and a red message right of it: the message names
    the field. A message box over a page names none, though a field of the page stands on
    its row, left of the box."""
    from types import SimpleNamespace

    from vision.diff import FrameDiff, Region
    from vision.frames import DecodedFrame
    from vision.inference.messages import Messages
    from vision.inference.screen import Element
    from vision.ocr import default_reader

    img = Image.new("RGB", (900, 500), (240, 240, 240))
    d = ImageDraw.Draw(img)
    d.rectangle((300, 150, 800, 330), fill=(250, 250, 250), outline=(90, 90, 90))
    field = (340, 220, 200, 26) if field_in_dialog else (20, 220, 200, 26)
    x, y, w, h = field
    d.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255), outline=(120, 120, 120))
    d.text((552, 226), "Please enter a note.", fill=(200, 0, 0), font=font(12))
    dialog = (300, 150, 501, 181)
    screen = SimpleNamespace(reader=default_reader(), elements=[Element("textbox", field, 0.9)],
                             text=lambda box: "", name_of=lambda el: "Text:")
    frame = DecodedFrame("frm_1", 1000, 1, np.asarray(img).copy(), None, None)
    [error] = Messages().push(frame, FrameDiff((Region(dialog, 9000),), kind="local"), screen,
                              dialog)
    assert error.payload.field == ("Text:" if field_in_dialog else None)
