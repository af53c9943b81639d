"""A target's name is read from before the pointer came onto it: the pointer rests on the
caption it clicks, and the button may be boxed a little differently once drawn pressed, or
gone with the screen the click left."""

import numpy as np
from PIL import Image, ImageDraw

from vision.detect import Detections
from vision.diff import FrameDiff, Region
from vision.frames import DecodedFrame
from vision.inference.screen import Element, ScreenModel
from vision.ocr import default_reader
from vision.pointer import PointerMatch

from tests.helpers import font

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


def test_a_pressed_buttons_name_comes_from_before_the_pointer_covered_it():
    boxes = FixedBoxes()
    model = ScreenModel(boxes, default_reader())
    push(model, 0, screen(), pointer_at(20, 140), kind="new_screen")
    push(model, 1, screen(covered=True), pointer_at(141, 69), changed=[(138, 66, 22, 32)])
    boxes.box = PRESSED
    push(model, 2, screen(covered=True), pointer_at(141, 69), changed=[PRESSED])
    button = next(e for e in model.elements if e.role == "button")
    assert button.bbox == PRESSED
    assert model.read(button.bbox).text != "Submit"        # the pointer hides letters here
    assert model.name_of(button) == "Submit"

    push(model, 3, screen(page="thanks"), pointer_at(141, 69), kind="new_screen")
    assert model.name_of(Element("button", PRESSED, 0.9), previous=True) == "Submit"



def test_a_labels_box_reaches_past_a_tight_right_edge_but_not_into_its_field():
    """A detector's box drawn tight cuts off a final period or a required star."""
    model = ScreenModel(FixedBoxes(), default_reader())
    push(model, 0, screen(), None, kind="new_screen")
    field = Element("textbox", (200, 100, 110, 22), 0.9)
    for label, right in (((100, 103, 80, 16), 184), ((100, 103, 97, 16), 198)):
        model.elements = (field, Element("text", label, 0.9))
        x, _, w, _ = model._label_box(field, False)
        assert x + w == right    # 4 px more, short of the field's frame
