"""A target's name is read from before the pointer came onto it: the pointer rests on the
caption it clicks, and the button may be boxed a little differently once drawn pressed, or
gone with the screen the click left."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from vision.detect import Detections
from vision.diff import FrameDiff, Region
from vision.frames import DecodedFrame
from vision.inference import EventInference
from vision.inference.popups import box_value
from vision.inference.screen import Element, ScreenModel, name_text
from vision.ocr import default_reader
from vision.pointer import PointerMatch

from tests.helpers import FixedDetector, drawn_arrow, font

CLEAN = (100, 60, 90, 28)
PRESSED = (98, 58, 94, 31)


class FixedBoxes:
    """A detector that finds one button: boxed one way on clean frames, another way pressed."""

    classes = ("button",)

    def __init__(self) -> None:
        self.box = CLEAN

    def _found(self) -> Detections:
        x, y, w, h = self.box
        return Detections(np.array([[x, y, x + w, y + h]], np.float32),
                          np.array([0.9], np.float32), np.array([0], np.int32), self.classes)

    def detect(self, image) -> Detections:
        return self._found()

    def detect_regions(self, image, regions) -> list[Detections]:
        return [self._found() for _ in regions]


def screen(*, covered: bool = False, page: str = "form") -> np.ndarray:
    """A button "Submit"; ``covered``: something dark over its middle letters (a pointer)."""
    img = Image.new("RGB", (320, 160), (236, 233, 216))
    draw = ImageDraw.Draw(img)
    if page == "form":
        draw.rectangle((100, 60, 189, 87), fill=(212, 208, 200), outline=(64, 64, 64))
        draw.text((122, 66), "Submit", fill=(0, 0, 0), font=font(13))
        if covered:
            draw.polygon([(140, 68), (140, 92), (146, 86), (152, 96), (156, 94), (150, 84),
                          (158, 84)], fill=(0, 0, 0), outline=(255, 255, 255))
    else:
        draw.text((20, 20), "Thank you", fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


def pointer_at(x: int, y: int) -> PointerMatch:
    return PointerMatch(x, y, (x, y, 12, 20), "arrow", 0.9)


def push(model: ScreenModel, t: int, rgb: np.ndarray, pointer, kind="local", changed=()):
    frame = DecodedFrame(f"frm_{t}", t, t, rgb, None, None)
    regions = tuple(Region(b, b[2] * b[3]) for b in changed)
    model.update(frame, FrameDiff(regions, pointer=pointer, kind=kind,
                                  changed_fraction=1.0 if kind == "new_screen" else 0.01))


@pytest.mark.parametrize("pressed", [PRESSED, (84, 68, 100, 24)],
                         ids=["boxed-alike", "boxed-with-its-focus-frame"])
def test_a_pressed_buttons_name_comes_from_before_the_pointer_covered_it(pressed):
    """Drawn pressed, the button may be boxed anew: a little larger, or with the focus frame
    around its caption taken in (half its clean box's overlap)."""
    boxes = FixedBoxes()
    model = ScreenModel(boxes, default_reader())
    push(model, 0, screen(), pointer_at(20, 140), kind="new_screen")
    push(model, 1, screen(covered=True), pointer_at(141, 69), changed=[(138, 66, 22, 32)])
    boxes.box = pressed
    push(model, 2, screen(covered=True), pointer_at(141, 69), changed=[pressed])
    button = next(e for e in model.elements if e.role == "button")
    assert button.bbox == pressed
    assert model.read(button.bbox).text != "Submit"        # the pointer hides letters here
    assert model.name_of(button) == "Submit"

    push(model, 3, screen(page="thanks"), pointer_at(141, 69), kind="new_screen")
    assert model.name_of(Element("button", pressed, 0.9), previous=True) == "Submit"



def test_a_name_the_pointer_covered_before_its_tip_reached_the_button_is_read_clean():
    """The arrow hangs below its tip: coming from above, it lies on the caption while its
    tip is still off the button. The name kept is the one from before it came."""
    model = ScreenModel(FixedBoxes(), default_reader())
    push(model, 0, screen(), None, kind="new_screen")
    for t, (x, y) in enumerate(((134, 50), (140, 64), (140, 64)), start=1):
        rgb, pointer = drawn_arrow(screen(), x, y)
        push(model, t, rgb, pointer)
    button = next(e for e in model.elements if e.role == "button")
    assert model.read(button.bbox).text != "Submit"        # the arrow hides letters here
    assert model.name_of(button) == "Submit"


def test_a_labels_box_reaches_past_a_tight_right_edge_but_not_into_its_field():
    """A detector's box drawn tight cuts off a final period or a required star."""
    model = ScreenModel(FixedBoxes(), default_reader())
    push(model, 0, screen(), None, kind="new_screen")
    field = Element("textbox", (200, 100, 110, 22), 0.9)
    for label, right in (((100, 103, 80, 16), 184), ((100, 103, 97, 16), 198)):
        model.elements = (field, Element("text", label, 0.9))
        x, _, w, _ = model._label_box(field, False)
        assert x + w == right    # 4 px more, short of the field's frame


def message_screen(message: bool) -> np.ndarray:
    """The "Submit" button, and under it, when ``message``, an error in red."""
    rgb = screen()
    if message:
        img = Image.fromarray(rgb)
        ImageDraw.Draw(img).text((100, 100), "Enter a valid date.", fill=(200, 0, 0),
                                 font=font(13))
        rgb = np.asarray(img).copy()
    return rgb


@pytest.mark.parametrize("message", [True, False])
def test_a_press_is_a_click_when_its_result_shows_beside_the_button_not_on_hover(message):
    """The change of a press often spans the button and a message under it at once; a change
    of the button alone, with nothing else, is the pointer hovering over it."""
    inference = EventInference(FixedBoxes(), default_reader())
    point = pointer_at(141, 72)
    changed = (100, 60, 160, 60) if message else CLEAN
    out = []
    for t, (rgb, kind, regions) in enumerate(((screen(), "new_screen", ()),
                                              (screen(), "unchanged", ()),
                                              (message_screen(message), "local", (changed,)))):
        frame = DecodedFrame(f"frm_{t}", 100 * t, t, rgb, None, None)
        diff = FrameDiff(tuple(Region(b, b[2] * b[3]) for b in regions), pointer=point,
                         kind=kind, changed_fraction=0.02 if regions else 0.0)
        out += inference.push(frame, diff)
    clicks = [c for c in out if c.type == "click"]
    if message:
        assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
            ("button", "Submit")]
    else:
        assert clicks == []


def test_one_press_shown_over_two_frames_is_one_click():
    """A message under the button, then the next screen: one press, even when the button is
    boxed quite differently in the two frames it is taken from."""
    boxes = FixedBoxes()
    inference = EventInference(boxes, default_reader())
    point = pointer_at(141, 72)
    frames = ((screen(), "new_screen", (), CLEAN), (screen(), "unchanged", (), CLEAN),
              (message_screen(True), "local", ((100, 60, 160, 60),), (95, 55, 102, 38)),
              (screen(page="thanks"), "new_screen", ((0, 0, 320, 160),), CLEAN))
    out = []
    for t, (rgb, kind, regions, box) in enumerate(frames):
        boxes.box = box
        frame = DecodedFrame(f"frm_{t}", 100 * t, t, rgb, None, None)
        diff = FrameDiff(tuple(Region(b, b[2] * b[3]) for b in regions), pointer=point,
                         kind=kind, changed_fraction=1.0 if kind == "new_screen" else 0.02)
        out += inference.push(frame, diff)
    assert [c.payload.target.name for c in out if c.type == "click"] == ["Submit"]


@pytest.mark.parametrize("caption, name", [("Save", "Save"), ("OK", "OK"),
                                           ("Comment...", "Comment…")])
def test_a_buttons_caption_is_read_inside_its_border(caption, name):
    """The detector's box takes the button's dark border with it, which a line recogniser
    reads as a bar ("|OK"); the caption is read inside the padding. Three dots closing a
    caption are the ellipsis character the caption is written with."""
    img = Image.new("RGB", (320, 160), (236, 233, 216))
    draw = ImageDraw.Draw(img)
    draw.rectangle((100, 60, 189, 87), fill=(225, 225, 225), outline=(20, 20, 20), width=2)
    draw.text((112, 66), caption, fill=(0, 0, 0), font=font(13))
    model = ScreenModel(FixedBoxes(), default_reader())
    push(model, 0, np.asarray(img).copy(), None, kind="new_screen")
    assert model.name_of(Element("button", (99, 59, 92, 30), 0.9)) == name


def test_a_check_box_caption_beside_a_text_area_is_not_its_label():
    """A text area labelled above it has a check box's caption level with it on the left:
    the caption names the box."""
    img = Image.new("RGB", (640, 240), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    draw.text((202, 80), "Remarks", fill=(0, 0, 0), font=font(13))
    draw.rectangle((200, 100, 459, 159), fill=(255, 255, 255), outline=(150, 150, 150))
    draw.rectangle((22, 123, 34, 135), fill=(255, 255, 255), outline=(90, 90, 90))
    draw.text((42, 122), "Recurring", fill=(0, 0, 0), font=font(13))
    detector = FixedDetector([("textbox", (200, 100, 260, 60)), ("text", (200, 78, 70, 16)),
                              ("checkbox", (20, 120, 110, 20)), ("text", (40, 121, 86, 17))])
    model = ScreenModel(detector, default_reader())
    model.update(DecodedFrame("frm_0", 0, 0, np.asarray(img).copy(), None, None),
                 FrameDiff((), kind="new_screen", changed_fraction=1.0))
    area = next(e for e in model.elements if e.role == "textbox")
    assert model.name_of(area) == "Remarks"


@pytest.mark.parametrize("role, reading, name", [
    ("checkbox", "Notity customer", "Notify customer"),     # one letter misread
    ("textbox", "Descrintion:", "Description:"),
    ("button", "Confdential", "Confidential"),
    ("menuitem", "nvoice", "nvoice"),                       # invoice? voice? novice? as read
    ("textbox", "Lieferant:", "Lieferant:"),                # no English word near: as read
    ("listitem", "Bjorn Rossi", "Bjorn Rossi"),             # a list's data: never respelled
    ("cell", "Kestrl", "Kestrl")])
def test_a_caption_word_misread_by_one_letter_is_the_one_word_it_can_be(role, reading, name):
    """Captions and labels are written in ordinary words: a word no dictionary knows, one
    letter from exactly one that it knows, is that word. Names, codes and words of another
    language have no such neighbour; a list's rows and a table's cells hold data."""
    assert name_text(role, reading) == name


@pytest.mark.parametrize("reading, value", [
    ("WH07 Returms", "WH07 Returns"), ("[DKK", "DKK"),
    ("Kuehne+Nagel", "Kuehne+Nagel"), ("Microsoft Print to PDF", "Microsoft Print to PDF"),
    ("\\\\PRN02\\Kyocera FS", "\\\\PRN02\\Kyocera FS")])
def test_a_drop_down_value_misread_by_one_letter_is_its_word(reading, value):
    """A drop-down's options are most often worded; names and codes are left as read."""
    assert box_value(reading) == value
