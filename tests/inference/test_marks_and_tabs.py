"""Pixel cues of clicks: where a check box's caption starts, which tab became selected, and a
thin change away from a field's text (the I-beam pointer passing) that is not typing."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from vision.detect import Detections
from vision.diff import FrameDiff, Region
from vision.frames import DecodedFrame
from vision.inference import EventInference
from vision.inference.clicks import _selected_tab
from vision.inference.screen import Element, _after_mark, iou
from vision.inference.typing import _away_from_text_end
from vision.ocr import default_reader
from vision.pointer import PointerMatch

from tests.helpers import font


def check_box_row(mark_colour, background=(255, 255, 255), caption="Print label"):
    """A 26 px high row: a 13 px check box, then its caption from x = 19."""
    img = Image.new("RGB", (110, 26), background)
    draw = ImageDraw.Draw(img)
    draw.rectangle((2, 6, 14, 18), outline=mark_colour)
    draw.text((19, 5), caption, fill=(0, 0, 0) if sum(background) > 384 else (230, 230, 230),
              font=font(12))
    return np.asarray(img).copy()


@pytest.mark.parametrize("mark_colour, background", [
    ((0, 0, 0), (255, 255, 255)),          # a mark in plain view
    ((50, 50, 50), (40, 40, 40)),          # a dark theme's mark, barely visible
])
def test_the_caption_starts_after_the_mark_visible_or_not(mark_colour, background):
    row = check_box_row(mark_colour, background)
    start = _after_mark(row, (0, 0, 110, 26))
    ink = np.flatnonzero((np.abs(row[:, 17:].astype(int) - row[0, 0]).max(axis=2) > 40)
                         .any(axis=0))
    assert start <= 17 + ink[0] and start >= 15    # not inside the mark, not past the first letter


def tab_strip(selected: int, style: str) -> np.ndarray:
    """Two tabs (x 0-59 and 60-119, y 0-27) over a white page from y = 28."""
    img = Image.new("RGB", (200, 120), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    for i in range(2):
        x = i * 60
        if style == "flat":      # selected: a green underline and caption; others plain
            colour = (30, 140, 40) if i == selected else (0, 0, 0)
            if i == selected:
                draw.rectangle((x, 25, x + 59, 27), fill=colour)
        else:                    # 3D: unselected tabs grey with a rule under them
            colour = (0, 0, 0)
            if i != selected:
                draw.rectangle((x, 2, x + 59, 27), fill=(200, 200, 200))
                draw.line((x, 27, x + 59, 27), fill=(120, 120, 120))
        draw.text((x + 12, 8), ("Item", "Stock")[i], fill=colour, font=font(12))
    return np.asarray(img).copy()


@pytest.mark.parametrize("style", ["flat", "classic"])
def test_the_tab_that_became_selected_is_found_in_either_style(style):
    tabs = [Element("tab", (0, 0, 60, 28), 0.9), Element("tab", (60, 0, 60, 28), 0.9)]
    before, after = tab_strip(0, style), tab_strip(1, style)
    assert _selected_tab(before, after, tabs, (0, 28, 200, 92), 28) is tabs[1]
    assert _selected_tab(after, before, tabs, (0, 28, 200, 92), 28) is tabs[0]


def test_a_thin_change_far_from_the_text_is_not_typing_but_one_at_its_end_is():
    field = (100, 50, 200, 24)
    inside = np.full((18, 194, 3), 255, np.uint8)
    inside[4:14, 2:40] = 0                       # text up to x = 100 + 3 + 40
    assert _away_from_text_end((220, 54, 3, 14), field, inside)      # the I-beam, far right
    assert not _away_from_text_end((145, 54, 3, 12), field, inside)  # a key after the text
    assert not _away_from_text_end((180, 54, 30, 12), field, inside)  # a wide change: typing
    empty = np.full((18, 194, 3), 255, np.uint8)
    assert not _away_from_text_end((104, 54, 3, 12), field, empty)   # the first key
    assert _away_from_text_end((200, 54, 2, 12), field, empty)


def test_a_clock_ticking_beside_an_icon_stops_counting_as_a_change():
    from types import SimpleNamespace

    from vision.inference.clicks import Clicks

    clicks, clock = Clicks(), SimpleNamespace(bbox=(1791, 63, 60, 20))
    kept = [clicks._not_busy(SimpleNamespace(t_ms=1000 * i), [clock]) for i in range(5)]
    assert [len(k) for k in kept] == [1, 1, 0, 0, 0]   # a third change within 5 s: a clock
    once = SimpleNamespace(bbox=(400, 300, 60, 20))
    assert clicks._not_busy(SimpleNamespace(t_ms=20_000), [once]) == [once]


class TabBoxes:
    """A detector that finds the two tabs of :func:`tab_page` and nothing else."""

    classes = ("tab",)
    boxes = ((120, 80, 70, 28), (190, 80, 70, 28))

    def _found(self) -> Detections:
        xyxy = np.array([[x, y, x + w, y + h] for x, y, w, h in self.boxes], np.float32)
        return Detections(xyxy, np.full(2, 0.9, np.float32), np.zeros(2, np.int32), self.classes)

    def detect(self, image) -> Detections:
        return self._found()

    def detect_regions(self, image, regions) -> list[Detections]:
        return [self._found() for _ in regions]


def tab_page(selected: int) -> np.ndarray:
    """A window with two tabs, "Header" and "Lines", over a framed page of fields; the
    selected tab joins its page, the other is grey with a rule under it."""
    img = Image.new("RGB", (640, 400), (236, 236, 236))
    draw = ImageDraw.Draw(img)
    draw.rectangle((120, 107, 540, 330), fill=(250, 250, 250), outline=(90, 90, 90))
    for i, (x, caption) in enumerate(((120, "Header"), (190, "Lines"))):
        fill = (250, 250, 250) if i == selected else (205, 205, 205)
        draw.rectangle((x, 80, x + 69, 107), fill=fill, outline=(90, 90, 90))
        if i == selected:
            draw.line((x + 1, 107, x + 68, 107), fill=fill)
        draw.text((x + 10, 87), caption, fill=(0, 0, 0), font=font(13))
    labels = ("Vendor", "Order date", "Buyer") if selected == 0 else ("Article", "Quantity")
    for row, label in enumerate(labels):
        draw.text((140, 130 + 40 * row), label, fill=(0, 0, 0), font=font(13))
        draw.rectangle((260, 126 + 40 * row, 500, 150 + 40 * row), fill=(255, 255, 255),
                       outline=(120, 120, 120))
    return np.asarray(img).copy()


@pytest.mark.parametrize("pointer", [(224, 94), None])
def test_a_tab_switch_is_a_click_on_the_tab_not_a_dialog(pointer):
    """The changed area spans the tab strip and the page under it at once."""
    inference = EventInference(TabBoxes(), default_reader())
    out = []
    for t, (selected, kind) in enumerate(((0, "new_screen"), (0, "unchanged"), (1, "local"))):
        rgb = tab_page(selected)
        regions = (Region((120, 80, 421, 251), 421 * 251),) if kind == "local" else ()
        seen = None if pointer is None else PointerMatch(*pointer, (*pointer, 12, 20), "arrow",
                                                         0.9)
        frame = DecodedFrame(f"frm_{t}", 100 * t, t, rgb, None, None)
        out += inference.push(frame, FrameDiff(regions, pointer=seen, kind=kind,
                                               changed_fraction=0.4 if regions else 0.0))
    assert [c.type for c in out] == ["click"]
    target = out[0].payload.target
    assert (target.role, target.name, target.bbox) == ("tab", "Lines", TabBoxes.boxes[1])


def test_the_tab_clicked_is_the_one_the_pointer_rests_on_not_one_it_crossed():
    """The pointer crossed "Header" on its way to "Lines", where it clicked: both tabs hold a
    recent place of the pointer, the last one before the switch is on "Lines"."""
    inference = EventInference(TabBoxes(), default_reader())
    steps = ((0, "new_screen", (150, 94)), (0, "local", (170, 94)), (0, "local", (224, 94)),
             (1, "local", (224, 94)))
    out = []
    for t, (selected, kind, (x, y)) in enumerate(steps):
        regions = (Region((120, 80, 421, 251), 421 * 251),) if t == 3 else (
            () if t == 0 else (Region((x - 2, y - 2, 14, 22), 308),))
        frame = DecodedFrame(f"frm_{t}", 100 * t, t, tab_page(selected), None, None)
        out += inference.push(frame, FrameDiff(regions, pointer=PointerMatch(
            x, y, (x, y, 12, 20), "arrow", 0.9), kind=kind, changed_fraction=0.01))
    assert [(c.payload.target.role, c.payload.target.name) for c in out
            if c.type == "click"] == [("tab", "Lines")]


class FieldBoxes(TabBoxes):
    """A detector that finds two text fields, one above the other."""

    classes = ("textbox",)
    boxes = ((200, 100, 200, 26), (200, 160, 200, 26))


def fields_screen(ringed: tuple[int, ...]) -> np.ndarray:
    """The two fields of :class:`FieldBoxes`; those in ``ringed`` drawn with a blue frame."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    for i, (x, y, w, h) in enumerate(FieldBoxes.boxes):
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255),
                       outline=(40, 110, 220) if i in ringed else (150, 150, 150))
    return np.asarray(img).copy()


def test_a_field_lighting_up_alone_is_hover_and_two_trading_looks_is_focus():
    """Focus leaving one field for another changes both frames; the pointer hovering over a
    field changes that field's frame alone, while the focused one keeps its look."""
    inference = EventInference(FieldBoxes(), default_reader())
    first, second = FieldBoxes.boxes
    caret = (205, 105, 1, 16)
    steps = ((fields_screen((0,)), "new_screen", (), ()),
             (fields_screen((0,)), "unchanged", (), (caret,)),     # the caret shows: focus
             (fields_screen((0, 1)), "local", (second,), ()),      # the second lights alone
             (fields_screen((1,)), "local", (first, second), ()))  # the two trade looks
    moved = []
    for t, (rgb, kind, regions, carets) in enumerate(steps):
        frame = DecodedFrame(f"frm_{t}", 100 * t, t, rgb, None, None)
        inference.push(frame, FrameDiff(tuple(Region(b, b[2] * b[3]) for b in regions),
                                        carets=carets, kind=kind,
                                        changed_fraction=0.01 if regions else 0.0))
        field = inference.edits.focus_moved_to
        moved.append(None if field is None else
                      next(i for i, b in enumerate(FieldBoxes.boxes) if iou(field.bbox, b) > 0.8))
    assert moved == [None, 0, None, 1]


def test_focus_shown_by_a_caret_in_an_otherwise_unchanged_frame_is_a_click():
    """A click into a field often shows as nothing but the caret appearing there, a change
    the diff stage reports on an unchanged frame."""
    inference = EventInference(FieldBoxes(), default_reader())
    caret = (205, 165, 1, 16)
    clicks = []
    for t, (kind, carets) in enumerate((("new_screen", ()), ("unchanged", ()),
                                        ("unchanged", (caret,)))):
        frame = DecodedFrame(f"frm_{t}", 100 * t, t, fields_screen(()), None, None)
        out = inference.push(frame, FrameDiff((), carets=carets, kind=kind,
                                              changed_fraction=1.0 if t == 0 else 0.0))
        clicks += [c for c in out if c.type == "click"]
    assert [(c.t_ms, c.payload.target.role) for c in clicks] == [(200, "textbox")]
    assert iou(clicks[0].payload.target.bbox, FieldBoxes.boxes[1]) > 0.8


@pytest.mark.parametrize("path, clicked", [
    (((300, 170), (300, 170), (300, 170)), True),   # resting on the field it clicked
    (((300, 170), (450, 120), (560, 60)), False),   # crossing it on its way elsewhere
])
def test_focus_is_a_click_only_with_the_pointer_on_the_field_when_it_shows(path, clicked):
    """Focus entering a field while the pointer is in view elsewhere came by the keyboard,
    or with a screen another click opened: crossing the field a moment before is no click."""
    inference = EventInference(FieldBoxes(), default_reader())
    caret = (205, 165, 1, 16)
    clicks = []
    for t, ((x, y), carets) in enumerate(zip(path, ((), (), (caret,)))):
        frame = DecodedFrame(f"frm_{t}", 100 * t, t, fields_screen(()), None, None)
        out = inference.push(frame, FrameDiff(
            (), carets=carets, kind="new_screen" if t == 0 else "unchanged",
            pointer=PointerMatch(x, y, (x, y, 12, 20), "arrow", 0.9),
            changed_fraction=1.0 if t == 0 else 0.0))
        clicks += [c for c in out if c.type == "click"]
    assert len(clicks) == (1 if clicked else 0)


class LosingBox:
    """A detector that finds a check box on the first frame, then, once it is drawn with a
    focus ring, nothing."""

    classes = ("checkbox",)
    box = (100, 100, 110, 20)

    def __init__(self) -> None:
        self.calls = 0

    def _found(self) -> Detections:
        x, y, w, h = self.box
        n = 1 if self.calls == 0 else 0
        return Detections(np.array([[x, y, x + w, y + h]] * n, np.float32).reshape(n, 4),
                          np.full(n, 0.8, np.float32), np.zeros(n, np.int32), self.classes)

    def detect(self, image) -> Detections:
        found = self._found()
        self.calls += 1
        return found

    def detect_regions(self, image, regions) -> list[Detections]:
        self.calls += 1
        return [self._found() for _ in regions]


class MisseenBox(LosingBox):
    """A detector that finds the check box, then, once it is drawn with a focus ring, a list
    row in its place with a weak score."""

    classes = ("checkbox", "listitem")

    def _found(self) -> Detections:
        if self.calls == 0:
            return super()._found()
        x, y, w, h = self.box
        return Detections(np.array([[x - 4, y - 2, x + w + 12, y + h + 2]], np.float32),
                          np.array([0.3], np.float32), np.array([1], np.int32), self.classes)


def classic_check_box(ticked: bool, ring: bool) -> np.ndarray:
    """A Windows-classic check box at (102, 103): a sunken 3D border, a small tick."""
    img = Image.new("RGB", (320, 200), (212, 208, 200))
    d = ImageDraw.Draw(img)
    d.rectangle((102, 103, 114, 115), fill=(255, 255, 255), outline=(128, 128, 128))
    d.line((103, 104, 113, 104), fill=(64, 64, 64))
    d.line((103, 104, 103, 114), fill=(64, 64, 64))
    if ticked:
        d.line([(105, 109), (107, 112), (112, 106)], fill=(0, 0, 0), width=2)
    d.text((120, 102), "Confidential", fill=(0, 0, 0), font=font(12))
    if ring:
        for x in range(118, 200, 2):
            d.point([(x, 101), (x, 117)], fill=(0, 0, 0))
    return np.asarray(img).copy()


@pytest.mark.parametrize("detector", [LosingBox, MisseenBox])
def test_a_check_box_the_detector_loses_once_ringed_is_still_clicked_off(detector):
    """Unticking a classic check box draws a focus ring round its caption; the detector may
    see it no more, or see a list row there with a weak score, and the tick is small beside
    the box's 3D border."""
    inference = EventInference(detector(), default_reader())
    pointer = PointerMatch(150, 110, (150, 110, 12, 20), "arrow", 0.9)
    frames = ((classic_check_box(True, False), "new_screen", ()),
              (classic_check_box(False, True), "local", ((101, 100, 100, 19),)))
    clicks = []
    for t, (rgb, kind, changed) in enumerate(frames):
        frame = DecodedFrame(f"frm_{t}", 100 * t, t, rgb, None, None)
        out = inference.push(frame, FrameDiff(tuple(Region(b, b[2] * b[3]) for b in changed),
                                              pointer=pointer, kind=kind,
                                              changed_fraction=1.0 if t == 0 else 0.01))
        clicks += [c.payload for c in out if c.type == "click"]
    assert [(c.target.role, c.target.name, c.target.checked) for c in clicks] == [
        ("checkbox", "Confidential", False)]


def typed_screen(value: str) -> np.ndarray:
    """The fields of :class:`FieldBoxes`, the first one showing ``value``."""
    img = Image.fromarray(fields_screen(()))
    ImageDraw.Draw(img).text((206, 105), value, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


@pytest.mark.parametrize("clear", [True, False])
def test_a_field_emptied_by_a_button_far_away_keeps_the_value_typed(clear):
    """A Clear button, or Save resetting the form, empties the field after focus left it:
    the edit carries the value typed. Emptied with the pointer on it, the field was not left
    with the value typed."""
    inference = EventInference(FieldBoxes(), default_reader())
    away = PointerMatch(600, 380, (600, 380, 12, 20), "arrow", 0.9)
    near = PointerMatch(300, 112, (300, 112, 12, 20), "arrow", 0.9)
    steps = [(typed_screen(""), "new_screen", near)]
    steps += [(typed_screen("Acme Corp"[:n]), "local", near) for n in (2, 4, 6, 9)]
    steps += [(typed_screen(""), "local", away if clear else near)]
    out = []
    for t, (rgb, kind, pointer) in enumerate(steps):
        frame = DecodedFrame(f"frm_{t}", 400 * t, t, rgb, None, None)
        text = (204, 103, 110, 20)                     # where the value is drawn
        regions = () if kind == "new_screen" else (Region(text, text[2] * text[3]),)
        out += inference.push(frame, FrameDiff(regions, pointer=pointer, kind=kind,
                                               changed_fraction=1.0 if t == 0 else 0.01))
    for t in range(len(steps), len(steps) + 20):       # quiet frames: the edit settles
        frame = DecodedFrame(f"frm_{t}", 400 * t, t, steps[-1][0], None, None)
        out += inference.push(frame, FrameDiff((), pointer=steps[-1][2], kind="unchanged",
                                               changed_fraction=0.0))
    out += inference.flush()
    texts = [c.payload.text for c in out if c.type == "input_text"]
    assert texts == ["Acme Corp"] if clear else "Acme Corp" not in texts


def test_the_same_value_typed_again_after_the_form_was_reset_is_a_second_edit():
    """Entering records one after the other, the same value goes into the same field of a
    form emptied in place (no new screen): each is an edit of its own."""
    inference = EventInference(FieldBoxes(), default_reader())
    near = PointerMatch(300, 112, (300, 112, 12, 20), "arrow", 0.9)
    away = PointerMatch(600, 380, (600, 380, 12, 20), "arrow", 0.9)
    record = [(typed_screen("Acme Corp"[:n]), near) for n in (2, 4, 6, 9)]
    rest = [(typed_screen("Acme Corp"), near)] * 12
    steps = [(typed_screen(""), near)] + record + rest + [(typed_screen(""), away)] * 3
    steps += record + rest
    out, text = [], (204, 103, 110, 20)                   # where the value is drawn
    for t, (rgb, pointer) in enumerate(steps):
        frame = DecodedFrame(f"frm_{t}", 400 * t, t, rgb, None, None)
        changed = t > 0 and not np.array_equal(rgb, steps[t - 1][0])
        out += inference.push(frame, FrameDiff(
            (Region(text, text[2] * text[3]),) if changed else (), pointer=pointer,
            kind="new_screen" if t == 0 else ("local" if changed else "unchanged"),
            changed_fraction=1.0 if t == 0 else 0.01 * changed))
    out += inference.flush()
    assert [c.payload.text for c in out if c.type == "input_text"] == ["Acme Corp"] * 2


def test_focus_or_a_tick_shown_again_without_a_click_between_is_one_click():
    """A field's focus look or a check box flickering under a lossy transport shows the same
    reaction twice; a box checked, then unchecked, is two clicks."""
    from vision.events import Click, Target
    from vision.inference.candidates import Candidate
    from vision.inference.clicks import Clicks

    def click(reaction, box, checked=None):
        target = Target(role="checkbox" if checked is not None else "textbox", name="x",
                        bbox=box, checked=checked)
        return Candidate("frm", 0, Click(x=box[0] + 2, y=box[1] + 2, target=target), 0.8,
                         {"reaction": reaction})

    clicks, a, b = Clicks(), (10, 10, 100, 20), (10, 50, 100, 20)
    area, first_line = (10, 100, 200, 60), (12, 100, 150, 24)   # a text area boxed two ways
    kept = [clicks._not_again([c]) for c in (
        click("focus", a), click("focus", a), click("focus", b), click("focus", a),
        click("toggle", b, True), click("toggle", b, True), click("toggle", b, False),
        click("focus", area), click("focus", first_line), click("focus", area))]
    assert [len(k) for k in kept] == [1, 0, 1, 1, 1, 0, 1, 1, 0, 0]


class LabelOnly(TabBoxes):
    """A detector that finds a text area's label and not the text area itself (its lines
    of text look like labels of their own)."""

    classes = ("text",)
    boxes = ((120, 104, 64, 18),)


def text_area(lines: tuple[str, ...], width: int) -> np.ndarray:
    """A text area of ``width`` x 70 px at (200, 100) showing ``lines``, the caret after the
    last one, labelled "Remarks:" level with its first line."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    draw.text((122, 105), "Remarks:", fill=(0, 0, 0), font=font(13))
    draw.rectangle((200, 100, 200 + width - 1, 169), fill=(255, 255, 255),
                   outline=(150, 150, 150))
    for i, line in enumerate(lines):
        draw.text((205, 105 + 20 * i), line, fill=(0, 0, 0), font=font(13))
    end = 207 + int(draw.textlength(lines[-1], font=font(13)))
    draw.line((end, 104 + 20 * (len(lines) - 1), end, 120 + 20 * (len(lines) - 1)),
              fill=(0, 0, 0))
    return np.asarray(img).copy()


@pytest.mark.parametrize("lines, width", [
    (("Goods received damaged",), 320),
    (("Please check against", "delivery note"), 170),   # wrapped: one value on two lines
])
def test_text_typed_into_a_text_area_the_detector_missed_is_one_edit(lines, width):
    """A multi-line field found from its pixels: named by the label level with its first
    line, its value read line by line and joined as typed."""
    inference = EventInference(LabelOnly(), default_reader())
    value = " ".join(lines)
    pointer = PointerMatch(600, 380, (600, 380, 12, 20), "arrow", 0.9)
    typed = [value[:n] for n in range(3, len(value) + 1, 3)] + [value]
    steps = [text_area(("",), width)]
    for part in typed:
        shown = (part,) if len(part) <= len(lines[0]) else (lines[0], part[len(lines[0]) + 1:])
        steps.append(text_area(shown, width))
    out, previous = [], None
    for t, rgb in enumerate(steps):
        frame = DecodedFrame(f"frm_{t}", 300 * t, t, rgb, None, None)
        if previous is None:
            diff = FrameDiff((), pointer=pointer, kind="new_screen", changed_fraction=1.0)
        else:
            ys, xs = np.nonzero((np.abs(rgb.astype(int) - previous).max(axis=2) > 0))
            box = (int(xs.min()), int(ys.min()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1)
            diff = FrameDiff((Region(box, box[2] * box[3]),) if len(xs) else (),
                             pointer=pointer, kind="local" if len(xs) else "unchanged",
                             changed_fraction=0.01)
        out += inference.push(frame, diff)
        previous = rgb.astype(int)
    for t in range(len(steps), len(steps) + 20):       # quiet frames: the edit settles
        frame = DecodedFrame(f"frm_{t}", 300 * t, t, steps[-1], None, None)
        out += inference.push(frame, FrameDiff((), pointer=pointer, kind="unchanged",
                                               changed_fraction=0.0))
    out += inference.flush()
    edits = [(c.payload.target.name, c.payload.text) for c in out if c.type == "input_text"]
    assert edits == [("Remarks:", value)]


class ComboAndBox(TabBoxes):
    """A detector that finds a combo box and, just under it, a check box."""

    classes = ("combobox", "checkbox")
    boxes = ((100, 60, 150, 24), (100, 90, 110, 20))

    def _found(self) -> Detections:
        xyxy = np.array([[x, y, x + w, y + h] for x, y, w, h in self.boxes], np.float32)
        return Detections(xyxy, np.full(2, 0.8, np.float32), np.arange(2, dtype=np.int32),
                          self.classes)


def combo_and_box(value: str, ticked: bool) -> np.ndarray:
    img = Image.new("RGB", (320, 200), (236, 236, 236))
    d = ImageDraw.Draw(img)
    d.rectangle((100, 60, 249, 83), fill=(255, 255, 255), outline=(120, 120, 120))
    d.text((104, 64), value, fill=(0, 0, 0), font=font(12))
    d.rectangle((102, 93, 114, 105), fill=(255, 255, 255), outline=(90, 90, 90))
    if ticked:
        d.line([(104, 99), (107, 103), (112, 95)], fill=(0, 0, 0), width=2)
    d.text((120, 92), "Urgent", fill=(0, 0, 0), font=font(12))
    return np.asarray(img).copy()


def test_a_box_ticked_under_a_combo_box_changing_with_it_is_no_list_opening():
    """The combo box's value and the check box under it change in one region (a value
    chosen a moment ago settling): with the pointer on the check box, no list opened."""
    inference = EventInference(ComboAndBox(), default_reader())
    steps = ((combo_and_box("Net 30", False), "new_screen", (180, 70)),
             (combo_and_box("Net 30", False), "unchanged", (108, 99)),
             (combo_and_box("Net 60", True), "local", (108, 99)))
    clicks = []
    for t, (rgb, kind, (x, y)) in enumerate(steps):
        frame = DecodedFrame(f"frm_{t}", 300 * t, t, rgb, None, None)
        regions = (Region((100, 62, 150, 46), 150 * 46),) if kind == "local" else ()
        out = inference.push(frame, FrameDiff(regions, pointer=PointerMatch(
            x, y, (x, y, 12, 20), "arrow", 0.9), kind=kind, changed_fraction=0.01))
        clicks += [c.payload for c in out if c.type == "click"]
    assert inference.popups.open is None
    assert [(c.target.role, c.target.checked) for c in clicks] == [("checkbox", True)]
