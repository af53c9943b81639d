"""Clicks whose own press does not show: focus leaving a field for a button, a row picked
with a muted highlight or with the clicked cell drawn apart, a record opened from its cell;
elements the detector sees differently from one frame to the next (a ticked box as text, a
selected row as a title bar, a menu's items not at all); and what is no click at all (the
pointer's own trail across a button, hover lighting a row as the pointer arrives, fields a tab
switch draws)."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from vision.diff import FrameDiff, Region, Shift
from vision.frames import DecodedFrame
from vision.inference import EventInference
from vision.inference.screen import iou
from vision.ocr import TextRead, default_reader
from vision.pointer import PointerMatch

from tests.helpers import FixedDetector as Boxes, LookingDetector, drawn_arrow, font


def events(inference, steps, *, flush: bool = True):
    """Push ``(rgb, changed boxes, pointer)`` steps 400 ms apart (then flush): what came out.
    A pointer is its hot spot (x, y), or a PointerMatch with its sprite drawn in ``rgb``."""
    out = []
    for t, (rgb, changed, pointer) in enumerate(steps):
        kind = "new_screen" if t == 0 else ("local" if changed else "unchanged")
        seen = pointer if pointer is None or isinstance(pointer, PointerMatch) else (
            PointerMatch(*pointer, (*pointer, 12, 20), "arrow", 0.9))
        frame = DecodedFrame(f"frm_{t}", 400 * t, t, rgb, None, None)
        out += inference.push(frame, FrameDiff(tuple(Region(b, b[2] * b[3]) for b in changed),
                                               pointer=seen, kind=kind,
                                               changed_fraction=1.0 if t == 0 else 0.01))
    return out + inference.flush() if flush else out


def run(inference, steps):
    """The clicks of :func:`events`."""
    return [c for c in events(inference, steps, flush=False) if c.type == "click"]


FIELD, BUTTON = (200, 100, 200, 26), (420, 300, 90, 28)


def form(focused: bool, value: str = "Acme") -> np.ndarray:
    """A field showing ``value`` (ringed in blue while it has focus) and a "Save" button."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    x, y, w, h = FIELD
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255),
                   outline=(40, 110, 220) if focused else (150, 150, 150))
    draw.text((x + 6, y + 6), value, fill=(0, 0, 0), font=font(13))
    x, y, w, h = BUTTON
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(225, 225, 225), outline=(110, 110, 110))
    draw.text((x + 28, y + 7), "Save", fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


@pytest.mark.parametrize("pointer, clicked", [((460, 312), True), ((600, 60), False)])
def test_focus_leaving_a_field_for_the_button_under_the_pointer_is_a_click_on_it(
        pointer, clicked):
    """Pressing a button takes the focus from the field being typed in. The frames may catch
    neither the pressed look nor any result, only the field losing its focus ring; with the
    pointer on no button, focus went elsewhere by the keyboard."""
    inference = EventInference(Boxes([("textbox", FIELD), ("button", BUTTON)]),
                               default_reader())
    typed = (204, 104, 60, 18)
    clicks = run(inference, [(form(True, ""), (), pointer), (form(True), (typed,), pointer),
                             (form(False), (FIELD,), pointer)])
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == (
        [("button", "Save")] if clicked else [])


@pytest.mark.parametrize("rest, clicked", [((300, 112), True), ((600, 60), False)],
                         ids=["brought onto the field", "left away from it"])
def test_typing_into_the_focused_field_the_pointer_was_brought_onto_follows_a_click(
        rest, clicked):
    """Focus came to the field by the keyboard; a click into the field that has the focus
    already shows nothing, but the pointer brought to rest on it as typing begins clicked it.
    With the pointer left away from the field, the typing follows no click."""
    inference = EventInference(Boxes([("textbox", FIELD), ("button", BUTTON)]),
                               default_reader())
    typed = (204, 104, 60, 18)
    away = (600, 60)
    clicks = run(inference, [(form(False, ""), (), away), (form(True, ""), (FIELD,), away),
                             (form(True, ""), (), away), (form(True, ""), (), rest),
                             (form(True, ""), (), rest), (form(True), (typed,), rest)])
    assert [(c.t_ms, c.payload.target.role, (c.payload.x, c.payload.y)) for c in clicks] == (
        [(2000, "textbox", rest)] if clicked else [])


def test_the_pointers_own_trail_across_a_button_is_no_press():
    """A fast pointer leaves a change that holds its old and new places and the button's
    hover look between them: no result of a click."""
    inference = EventInference(Boxes([("textbox", FIELD), ("button", BUTTON)]),
                               default_reader())
    lit = form(False)
    lit[302:326, 422:508] = (235, 240, 250)
    trail = (440, 278, 52, 60)
    clicks = run(inference, [(form(False), (), (470, 280)), (lit, (trail,), (470, 280)),
                             (lit, (trail,), (462, 312))])
    assert clicks == []


FIELDS = ((200, 100, 200, 26), (200, 134, 200, 26))


def two_fields(ringed: int) -> np.ndarray:
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    for i, (x, y, w, h) in enumerate(FIELDS):
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255),
                       outline=(40, 110, 220) if i == ringed else (150, 150, 150))
    return np.asarray(img).copy()


def test_focus_moving_between_fields_that_change_as_one_region_is_seen():
    """Fields 8 px apart trade their focus rings in one changed region that is neither's
    box: each field's frame is compared on its own."""
    inference = EventInference(Boxes([("textbox", b) for b in FIELDS]), default_reader())
    both = (200, 100, 200, 60)
    clicks = run(inference, [(two_fields(0), (), (300, 147)), (two_fields(0), (), (300, 147)),
                             (two_fields(1), (both,), (300, 147))])
    assert len(clicks) == 1 and iou(clicks[0].payload.target.bbox, FIELDS[1]) > 0.8


def test_a_ring_drawn_late_on_the_field_typed_in_moves_no_focus_to_the_field_it_left():
    """Typing shows the focus first; the rings trade places a frame later, in one region.
    The field whose frame now stands out less lost the ring: focus did not go there, and
    the typing after it is no second click into the field typed in."""
    def typed(ringed: int, text: str) -> np.ndarray:
        img = Image.fromarray(two_fields(ringed))
        ImageDraw.Draw(img).text((206, 140), text, fill=(0, 0, 0), font=font(13))
        return np.asarray(img).copy()

    inference = EventInference(Boxes([("textbox", b) for b in FIELDS]), default_reader())
    on, both, letters = (300, 147), (200, 100, 200, 60), (205, 139, 40, 16)
    clicks = run(inference, [(typed(0, ""), (), on), (typed(0, "Ac"), (letters,), on),
                             (typed(1, "Ac"), (both,), on), (typed(1, "Acme"), (letters,), on)])
    assert [iou(c.payload.target.bbox, FIELDS[1]) > 0.8 for c in clicks] == [True]


ROWS = tuple((50, 100 + 24 * i, 600, 22) for i in range(5))
NAMES = ("Anna Silva", "Bjorn Rossi", "Emma Fischer", "Frank Weber", "Greta Novak")


def rows(colours: dict[int, tuple[int, int, int]]) -> np.ndarray:
    img = Image.new("RGB", (700, 300), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    for i, ((x, y, w, h), name) in enumerate(zip(ROWS, NAMES)):
        if i in colours:
            draw.rectangle((x, y, x + w - 1, y + h - 1), fill=colours[i])
        draw.text((x + 6, y + 4), name, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


HOVER, MUTED = (236, 236, 236), (226, 218, 206)


@pytest.mark.parametrize("moved, clicked", [(False, True), (True, False)])
def test_a_muted_selection_replacing_the_hover_under_a_resting_pointer_is_a_click(
        moved, clicked):
    """Some themes select a row in a colour close to their hover: the row changing colour
    while the pointer rests on it is a pick; lighting up as the pointer arrives is hover."""
    inference = EventInference(Boxes([("listitem", b) for b in ROWS]), default_reader())
    row = ROWS[2]
    steps = [(rows({}), (), (400, 60)),
             (rows({2: HOVER}), (row,), (400, 160) if not moved else (400, 60)),
             (rows({2: MUTED}), (row,), (400, 160))]
    clicks = run(inference, steps)
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == (
        [("listitem", "Emma Fischer")] if clicked else [])


CELLS = tuple(("cell", (50 + 150 * c, 100 + 24 * r, 150, 22)) for r in range(4) for c in range(3))


def grid(selected: int | None) -> np.ndarray:
    """A table of 4 rows of 3 cells; the selected row blue but for its first cell, which is
    the current cell: white with a dotted frame."""
    img = Image.new("RGB", (700, 300), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    for _, (x, y, w, h) in CELLS:
        r, c = (y - 100) // 24, (x - 50) // 150
        if r == selected and c > 0:
            draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(50, 100, 200))
        if r == selected and c == 0:
            for px in range(x, x + w, 2):
                draw.point([(px, y), (px, y + h - 1)], fill=(0, 0, 0))
        text = ("PO-1001", "PO-1002", "PO-1003", "PO-1004")[r] if c == 0 else f"{r}{c}"
        draw.text((x + 6, y + 4), text, fill=(255, 255, 255) if r == selected and c else (0, 0, 0),
                  font=font(13))
    return np.asarray(img).copy()


def test_a_row_lit_but_for_the_cell_clicked_is_a_click_on_that_cell():
    inference = EventInference(Boxes(CELLS), default_reader())
    lit = (200, 148, 450, 22)                      # the row but for its first cell
    clicks = run(inference, [(grid(None), (), (110, 159)), (grid(None), (), (110, 159)),
                             (grid(2), (lit,), (110, 159))])
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
        ("cell", "PO-1003")]


STATUSES = ("Open", "Paid", "Posted", "On hold")


def status_grid(selected: int | None) -> np.ndarray:
    """A table of 4 rows: an order number, a vendor and a status; the selected row blue."""
    img = Image.new("RGB", (700, 300), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    for r in range(4):
        y = 100 + 24 * r
        if r == selected:
            draw.rectangle((50, y, 499, y + 21), fill=(50, 100, 200))
        colour = (255, 255, 255) if r == selected else (0, 0, 0)
        for c, text in enumerate((f"PO-100{r + 1}", "Acme", STATUSES[r])):
            draw.text((56 + 150 * c, y + 4), text, fill=colour, font=font(13))
    return np.asarray(img).copy()


def test_a_row_picked_in_a_cell_the_detector_missed_is_a_click_on_that_cell():
    """The detector found the row's other cells but not the one under the pointer, which
    rests past the end of its text: the cell clicked is the line of text it lies after, and
    the point is the pointer's."""
    seen = [("cell", (50 + 150 * c, 100 + 24 * r, 150, 22)) for r in range(4) for c in range(2)]
    inference = EventInference(Boxes(seen), default_reader())
    on = (470, 159)
    clicks = run(inference, [(status_grid(None), (), on), (status_grid(None), (), on),
                             (status_grid(2), ((50, 148, 450, 22),), on)])
    assert [(c.payload.target.role, c.payload.target.name, (c.payload.x, c.payload.y))
            for c in clicks] == [("cell", "Posted", on)]


def tinted_field(focused: bool) -> np.ndarray:
    """A field holding "Rue de la Gare 20", its inside tinted blue while it has focus."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    x, y, w, h = FIELD
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(200, 220, 250) if focused else (
        255, 255, 255), outline=(40, 110, 220) if focused else (150, 150, 150))
    draw.text((x + 6, y + 6), "Rue de la Gare 20", fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


def test_a_value_in_a_field_the_detector_sees_as_a_row_is_no_row_picked():
    """The text in a field may look like a list's row to the detector: the field lighting
    up as it takes the focus is a click on the field, not a row picked."""
    inference = EventInference(Boxes([("textbox", FIELD), ("listitem", (204, 104, 140, 18))]),
                               default_reader())
    on = (260, 112)
    clicks = run(inference, [(tinted_field(False), (), on), (tinted_field(False), (), on),
                             (tinted_field(True), (FIELD,), on)])
    assert [c.payload.target.role for c in clicks] == ["textbox"]


def test_a_list_refilled_by_a_search_picks_no_row_under_the_pointer():
    """A search fills the list and selects its first row, where the pointer happens to be."""
    inference = EventInference(Boxes([("listitem", b) for b in ROWS]), default_reader())
    refilled = rows({0: (50, 100, 200)})
    clicks = run(inference, [(rows({}), (), (300, 110)), (rows({}), (), (300, 110)),
                             (refilled, ((50, 100, 600, 118),), (300, 110))])
    assert clicks == []


def test_a_field_emptied_as_the_button_under_the_pointer_is_pressed_is_a_click_on_it():
    """Saving a record empties the form for the next one: the field being typed in is
    emptied from afar, a result of the press, not typing."""
    inference = EventInference(Boxes([("textbox", FIELD), ("button", BUTTON)]),
                               default_reader())
    text, near, on_button = (204, 104, 90, 18), (300, 112), (460, 312)
    pressed = form(True, "")
    pressed[301:327, 421:509] = (200, 200, 200)
    steps = [(form(True, ""), (), near)]
    steps += [(form(True, "Acme Corp"[:n]), (text,), near) for n in (2, 4, 6, 9)]
    steps += [(form(True, "Acme Corp"), (), on_button), (pressed, (text, BUTTON), on_button)]
    clicks = run(inference, steps)         # the field clicked first, the pointer on it
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
        ("textbox", None), ("button", "Save")]


CANCEL = (520, 300, 90, 28)


def results_form(pressed: tuple[int, int, int, int] | None = None, listed: bool = False):
    """The form with a "Cancel" button beside "Save", the button ``pressed`` drawn darker,
    and with ``listed`` a table of results filled under the field."""
    img = Image.fromarray(form(False))
    draw = ImageDraw.Draw(img)
    x, y, w, h = CANCEL
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(225, 225, 225), outline=(110, 110, 110))
    draw.text((x + 22, y + 7), "Cancel", fill=(0, 0, 0), font=font(13))
    if pressed is not None:
        x, y, w, h = pressed
        draw.rectangle((x + 1, y + 1, x + w - 2, y + h - 2), fill=(190, 200, 215))
        draw.text((x + 22 + 6 * (pressed == BUTTON), y + 7),
                  "Save" if pressed == BUTTON else "Cancel", fill=(0, 0, 0), font=font(13))
    if listed:
        for row in range(4):
            draw.text((30, 170 + 22 * row), f"Record {row + 1}   Acme {row * 7}",
                      fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


@pytest.mark.parametrize("lit, clicked", [
    ([BUTTON], ("button", "Save")),             # its pressed look, then the result
    ([CANCEL], ("button", "Cancel")),
    ([BUTTON, CANCEL], None),                   # both changed at once: no telling which
    ([], None)])                                # nothing changed its look
def test_with_no_pointer_drawn_the_button_that_changed_its_look_before_a_result_was_pressed(
        lit, clicked):
    """A client may leave the pointer out of its frames. The button pressed still shows its
    pressed (or hovered) look alone in a frame before the result: it stands in for the
    pointer, at its centre. Where no button, or more than one, changed its look, no press is
    told."""
    inference = EventInference(Boxes([("textbox", FIELD), ("button", BUTTON),
                                      ("button", CANCEL)]), default_reader())
    looked = results_form()
    for box in lit:
        looked = np.where(results_form(box) != results_form(), results_form(box), looked)
    table = (20, 160, 400, 100)
    steps = [(results_form(), (), None), (looked, tuple(lit), None),
             (results_form(listed=True), (table, *lit), None)]
    clicks = run(inference, steps)
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == (
        [clicked] if clicked else [])
    if clicked:
        x, y, w, h = BUTTON if clicked[1] == "Save" else CANCEL
        assert (clicks[0].payload.x, clicks[0].payload.y) == (x + w // 2, y + h // 2)


NUMBER = (200, 100, 110, 26)


def number_field(value: str) -> np.ndarray:
    """A field aligned right (a quantity), labelled "Qty", the caret after its digits."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    draw.text((150, 105), "Qty", fill=(0, 0, 0), font=font(13))
    x, y, w, h = NUMBER
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255), outline=(40, 110, 220))
    right = x + w - 7
    left = right - int(draw.textlength(value, font=font(13)))
    draw.text((left, y + 6), value, fill=(0, 0, 0), font=font(13))
    draw.line((right + 1, y + 5, right + 1, y + 20), fill=(0, 0, 0))
    return np.asarray(img).copy()


def test_digits_typed_into_a_field_aligned_right_that_looks_like_a_combo_box_are_an_edit():
    """A quantity's field keeps its digits and caret at its right end, and the detector
    may take it for a combo box (a spin box's look): typing there is still an edit."""
    inference = EventInference(Boxes([("combobox", NUMBER), ("text", (148, 104, 30, 18))]),
                               default_reader())
    pointer = (250, 112)
    steps = [(number_field(""), (), pointer)]
    steps += [(number_field(v), ((270, 104, 36, 18),), pointer) for v in ("2", "27", "271")]
    steps += [(number_field("271"), (), pointer)] * 13        # the value rests
    out = events(inference, steps)
    assert [(c.payload.target.name, c.payload.text) for c in out if c.type == "input_text"] == [
        ("Qty", "271")]


def list_chosen(draw, before: str, after: str, listed, pointer, *, closing=None) -> list:
    """Steps of a drop-down list opened over a box showing ``before`` and closed on ``after``
    (the change as it closes: ``closing``, by default the list's area), then six at rest."""
    return [(draw(before, open_list=False), (), pointer),
            (draw(before, open_list=True), (listed,), pointer),
            (draw(after, open_list=False), closing or (listed,), pointer)] + [
        (draw(after, open_list=False), (), pointer)] * 6


COMBO = (200, 100, 150, 26)
OPTIONS = tuple((201, 127 + 22 * i, 148, 22) for i in range(3))


def status_box(value: str, *, open_list: bool) -> np.ndarray:
    """A combo box showing ``value``, its list of three options open under it or not."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    draw.text((140, 105), "Status:", fill=(0, 0, 0), font=font(13))
    x, y, w, h = COMBO
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255), outline=(120, 120, 120))
    draw.text((x + 6, y + 6), value, fill=(0, 0, 0), font=font(13))
    draw.polygon([(x + w - 18, y + 10), (x + w - 8, y + 10), (x + w - 13, y + 16)],
                 fill=(40, 40, 40))
    if open_list:
        draw.rectangle((200, 126, 349, 193), fill=(255, 255, 255), outline=(90, 90, 90))
        for (ox, oy, _, _), option in zip(OPTIONS, ("Open", "In progress", "Closed")):
            draw.text((ox + 6, oy + 4), option, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


def test_a_list_opened_again_before_its_box_was_read_gives_the_choice_at_its_last_closing():
    """Opened once for nothing and again at once, the list's first closing is read from the
    frame before it opened again (no choice), the choice at the second closing."""
    inference = EventInference(Boxes([("combobox", COMBO), ("text", (138, 104, 52, 18))]
                                     + [("listitem", b) for b in OPTIONS]), default_reader())
    on, listed = (320, 113), (200, 126, 150, 68)
    steps = [(status_box("Open", open_list=False), (), on),
             (status_box("Open", open_list=True), (listed,), on),
             (status_box("Open", open_list=False), (listed,), on),
             (status_box("Open", open_list=True), (listed,), on),
             (status_box("Closed", open_list=False), (listed, COMBO), on)]
    steps += [(status_box("Closed", open_list=False), (), on)] * 6
    out = events(inference, steps)
    assert [(c.t_ms, c.payload.target.name, c.payload.value) for c in out
            if c.type == "select"] == [(1600, "Status:", "Closed")]


class MisreadBox:
    """The shared reader, but for a combo box's value once it changed: read as ``misread``
    the default way, and the second way too where ``both`` (the box read while something
    else lay over it)."""

    def __init__(self, misread: str, both: bool) -> None:
        self._reader, self._misread, self._both = default_reader(), misread, both
        self._first = None

    def read_line(self, crop, *, again: bool = False):
        if crop.shape[:2] == (COMBO[3], COMBO[2] - COMBO[3]):    # the box less its button
            if self._first is None:
                self._first = crop.copy()
            if not np.array_equal(crop, self._first) and (self._both or not again):
                return TextRead(self._misread, 0.8, 0.4)
        return (self._reader.read_line_again if again else self._reader.read_line)(crop)

    def read_line_again(self, crop):
        return self.read_line(crop, again=True)

    def __getattr__(self, name):
        return getattr(self._reader, name)


@pytest.mark.parametrize("misread, both, value", [("Clased", False, "Closed"),
                                                  ("Gear motor", True, "Gear motor")])
def test_a_choice_read_badly_in_its_box_is_the_option_its_list_showed(misread, both, value):
    """The box's value misread by a letter one way is the option of the list that just
    closed, which the other readings agree on; a value no option comes near stays as read,
    and in doubt."""
    inference = EventInference(Boxes([("combobox", COMBO), ("text", (138, 104, 52, 18))]
                                     + [("listitem", b) for b in OPTIONS]),
                               MisreadBox(misread, both))
    on, listed = (320, 113), (200, 126, 150, 68)
    steps = list_chosen(status_box, "Open", "Closed", listed, on, closing=(listed, COMBO))
    [choice] = [c for c in events(inference, steps) if c.type == "select"]
    assert (choice.payload.value, choice.features["value_listed"]) == (value, value == "Closed")


def two_boxes(status: str, *, open_list: bool) -> np.ndarray:
    """A narrow "Currency" box over "Status", 4 px apart; the list of Status opens over its
    own box."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    for (label, value, y, w) in (("Currency:", "CHF", 70, 70), ("Status:", status, 100, 150)):
        draw.text((130, y + 5), label, fill=(0, 0, 0), font=font(13))
        draw.rectangle((200, y, 199 + w, y + 25), fill=(255, 255, 255), outline=(120, 120, 120))
        draw.text((206, y + 6), value, fill=(0, 0, 0), font=font(13))
    if open_list:
        draw.rectangle((200, 100, 349, 193), fill=(255, 255, 255), outline=(90, 90, 90))
        for i, option in enumerate(("Open", "In progress", "Closed")):
            draw.text((206, 104 + 30 * i), option, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


def test_a_list_opening_over_a_box_the_detector_missed_is_that_boxs_not_the_one_above():
    """The list opens right under a combo box the detector saw, but over the one the pointer
    clicked, which it missed: the choice is that box's."""
    inference = EventInference(Boxes([("combobox", (200, 70, 70, 26)),
                                      ("text", (204, 102, 40, 20)),
                                      ("listitem", (201, 130, 148, 26)),
                                      ("listitem", (201, 160, 148, 26))]), default_reader())
    on, listed = (320, 113), (200, 100, 150, 94)
    out = events(inference, list_chosen(two_boxes, "Open", "Closed", listed, on))
    assert [(c.payload.target.name, c.payload.value) for c in out if c.type == "select"] == [
        ("Status:", "Closed")]


def menu_bar(lit: bool, menu: bool) -> np.ndarray:
    """A menu bar ("Document", "Records") over a form; "Document" lit, its menu open."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 20, 639, 41), fill=(40, 60, 110))
    if lit:
        draw.rectangle((4, 21, 89, 40), fill=(20, 30, 60))
    for x, title in ((10, "Document"), (100, "Records")):
        draw.text((x, 24), title, fill=(255, 255, 255), font=font(13))
    draw.text((20, 80), "Part number", fill=(0, 0, 0), font=font(13))
    draw.rectangle((120, 76, 300, 100), fill=(255, 255, 255), outline=(120, 120, 120))
    if menu:
        draw.rectangle((4, 41, 170, 120), fill=(200, 200, 205), outline=(90, 90, 90))
        for i, item in enumerate(("New stock item", "Open...", "Print...")):
            draw.text((14, 48 + 24 * i), item, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


def test_a_menu_whose_items_the_detector_misses_opens_under_the_title_pressed():
    """Drawn over a form, a menu's items may be seen as nothing at all (or as a field): under
    the title the pointer pressed, a narrow list of lines of text is its menu."""
    inference = EventInference(Boxes([("text", (8, 22, 70, 18)), ("menuitem", (98, 22, 60, 18)),
                                      ("textbox", (120, 76, 180, 24))]), default_reader())
    on = (40, 30)
    clicks = run(inference, [(menu_bar(False, False), (), on), (menu_bar(True, False),
                                                                ((4, 21, 86, 20),), on),
                             (menu_bar(True, True), ((4, 41, 167, 80),), (40, 56))])
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
        ("menuitem", "Document")]


def test_a_menu_item_the_pointer_lay_on_at_opening_and_at_its_pick_is_named_whole():
    """Coming down from the title, the arrow lies on the first item as the menu opens, and on
    other letters of it, lit, as it is picked: neither picture holds the whole caption, the
    two together do."""
    def lit_first(rgb: np.ndarray) -> np.ndarray:
        img = Image.fromarray(rgb)
        draw = ImageDraw.Draw(img)
        draw.rectangle((5, 44, 169, 66), fill=(40, 60, 140))
        draw.text((14, 48), "New stock item", fill=(255, 255, 255), font=font(13))
        return np.asarray(img).copy()

    items = [("menuitem", (6, 44 + 24 * i, 163, 23)) for i in range(3)]
    inference = EventInference(Boxes([("menuitem", (8, 22, 70, 18)),
                                      ("textbox", (120, 76, 180, 24))] + items),
                               default_reader())
    opened, on_new = drawn_arrow(menu_bar(True, True), 18, 40)
    picked, on_item = drawn_arrow(lit_first(menu_bar(True, True)), 104, 50)
    steps = [(menu_bar(False, False), (), None), (menu_bar(True, False), ((4, 21, 86, 20),), None),
             (opened, ((4, 41, 167, 80),), on_new), (picked, ((5, 44, 165, 23),), on_item),
             (menu_bar(False, False), ((4, 21, 167, 100),), on_item)]
    names = [c.payload.target.name for c in run(inference, steps)]
    assert names[-1] == "New stock item"


def test_of_two_boxes_the_pointer_was_on_the_list_is_the_one_it_is_on_now():
    """Coming from the box above (the pointer by its lower edge a moment ago), the pointer
    opens the list of the box under it: the list hangs right under the first, and over the
    second."""
    inference = EventInference(Boxes([("combobox", (200, 70, 70, 26)),
                                      ("combobox", (200, 100, 150, 26)),
                                      ("listitem", (201, 130, 148, 26)),
                                      ("listitem", (201, 160, 148, 26))]), default_reader())
    listed = (200, 100, 150, 94)
    steps = [(two_boxes("Open", open_list=False), (), (240, 93)),
             (two_boxes("Open", open_list=False), (), (240, 93)),
             (two_boxes("Open", open_list=True), (listed,), (320, 113)),
             (two_boxes("Closed", open_list=False), (listed,), (320, 113))]
    steps += [(two_boxes("Closed", open_list=False), (), (320, 113))] * 6
    out = events(inference, steps)
    assert [(c.payload.target.name, c.payload.value) for c in out if c.type == "select"] == [
        ("Status:", "Closed")]


TICK_BOX = (100, 100, 90, 18)


def tick_box(ticked: bool) -> np.ndarray:
    """A check box captioned "Urgent", ticked (and focused: its caption ringed) or not."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    draw.rectangle((102, 102, 115, 115), fill=(255, 255, 255), outline=(90, 90, 90))
    if ticked:
        draw.line((104, 108, 107, 112, 113, 104), fill=(20, 20, 20), width=2)
        draw.rectangle((119, 100, 187, 117), outline=(40, 110, 220))
    draw.text((122, 102), "Urgent", fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


@pytest.mark.parametrize("pointer, clicked", [((140, 109), True), ((500, 300), False),
                                               (None, True)],
                         ids=["on the box", "in view elsewhere", "not in view"])
def test_a_box_ticked_with_the_pointer_in_view_elsewhere_was_not_clicked(pointer, clicked):
    """A form reset or filled by a button ticks its boxes: with the pointer in view and not
    lately on the box, its tick is no click on it. With no pointer in view, it may be."""
    inference = EventInference(Boxes([("checkbox", TICK_BOX)]), default_reader())
    clicks = run(inference, [(tick_box(False), (), pointer), (tick_box(False), (), pointer),
                             (tick_box(True), ((100, 100, 90, 18),), pointer)])
    assert [(c.payload.target.role, c.payload.target.checked) for c in clicks] == (
        [("checkbox", True)] if clicked else [])


def test_a_check_box_the_detector_reads_as_text_once_ticked_still_toggled():
    """Ticked, a box and its caption may look like text to the detector: the box seen
    there a frame before is the one clicked."""
    def see(rgb):
        ticked = rgb[104:114, 104:114].min() < 100
        return [("text" if ticked else "checkbox", TICK_BOX)]

    inference = EventInference(LookingDetector(see), default_reader())
    on = (140, 109)
    clicks = run(inference, [(tick_box(False), (), on), (tick_box(False), (), on),
                             (tick_box(True), ((100, 100, 90, 18),), on)])
    assert [(c.payload.target.role, c.payload.target.name, c.payload.target.checked)
            for c in clicks] == [("checkbox", "Urgent", True)]


@pytest.mark.parametrize("pointer, toggled", [((140, 109), True), (None, False)])
def test_a_check_box_the_detector_misses_ticked_under_the_pointer_is_clicked(pointer, toggled):
    """A theme the detector never saw: no element where the box is. A small change inside a
    small square box, a caption on its right and the pointer on them is a click on a check
    box, named by its caption. Without the pointer there, the change is no click."""
    inference = EventInference(Boxes([("button", BUTTON)]), default_reader())
    away = None if pointer is None else (500, 60)
    tick, ring = (103, 103, 12, 12), (119, 100, 69, 18)
    clicks = run(inference, [(tick_box(False), (), away), (tick_box(False), (), pointer),
                             (tick_box(True), (tick, ring), pointer)])
    assert [(c.payload.target.role, c.payload.target.name, c.payload.target.checked)
            for c in clicks] == ([("checkbox", "Urgent", True)] if toggled else [])


@pytest.mark.parametrize("pointer, toggled", [((140, 109), True), (None, False)])
def test_a_check_box_found_a_few_pixels_off_once_ticked_under_the_pointer_still_toggled(
        pointer, toggled):
    """Ticked, with a focus frame round its caption and the pointer on it, a box may be found
    shifted (8 px up, a third of it); the box seen clearly before is the one clicked where
    the pointer is on it. Without the pointer, a box found elsewhere is no evidence."""
    def see(rgb):
        ticked = rgb[104:114, 104:114].min() < 100
        return [("checkbox", (98, 92, 100, 15) if ticked else TICK_BOX)]

    inference = EventInference(LookingDetector(see), default_reader())
    clicks = run(inference, [(tick_box(False), (), pointer), (tick_box(False), (), pointer),
                             (tick_box(True), ((100, 100, 90, 18),), pointer)])
    assert [(c.payload.target.role, c.payload.target.name, c.payload.target.checked)
            for c in clicks] == ([("checkbox", "Urgent", True)] if toggled else [])


RADIOS = {"Low": 100, "High": 220}
"""The left edge of each radio button of a dark theme's row of two."""


def dark_radios(chosen: str) -> np.ndarray:
    """Two radio buttons on a dark theme: a grey ring round a dim inside, the chosen one's
    inside darker with a light dot (drawn as a dark theme draws them: the dot is the only
    ink far from the background, and the inside is no mark at all)."""
    img = Image.new("RGB", (640, 300), (45, 45, 45))
    draw = ImageDraw.Draw(img)
    for name, x in RADIOS.items():
        on = name == chosen
        draw.ellipse((x, 100, x + 15, 115), fill=(62, 62, 62) if on else (85, 85, 85),
                     outline=(110, 110, 110))
        if on:  # a soft dot: a dim rim round a light middle
            draw.ellipse((x + 3, 103, x + 12, 112), fill=(110, 110, 110))
            draw.ellipse((x + 5, 105, x + 10, 110), fill=(155, 155, 155))
        draw.text((x + 22, 100), name, fill=(200, 200, 200), font=font(13))
    return np.asarray(img).copy()


@pytest.mark.parametrize("seen_as", ["radio", "button"])
def test_a_radio_buttons_dot_on_a_dark_theme_is_a_click_on_it(seen_as):
    """On a dark theme a radio button's dot fills the small change it makes, so the change
    holds no ink against its own median: it is measured against the button's whole mark.
    Whether the detector sees the radio button or takes it (ringed) for a button, the dot
    appearing under the pointer is a click on it, and the dot leaving the other is none."""
    seen = [("radio", (RADIOS["Low"], 94, 60, 28)),
            (seen_as, (RADIOS["High"], 94, 64, 28))]
    inference = EventInference(Boxes(seen), default_reader())
    on = (RADIOS["High"] + 36, 108)
    dots = tuple((x + 4, 104, 8, 8) for x in RADIOS.values())
    clicks = run(inference, [(dark_radios("Low"), (), on), (dark_radios("Low"), (), on),
                             (dark_radios("High"), dots, on)])
    assert [(c.payload.target.role, c.payload.target.name, c.payload.target.checked)
            for c in clicks] == [("radio", "High", True)]


def wide_cells(selected: bool) -> np.ndarray:
    """A table's row of a number and a name in a wide cell, lit up blue when selected."""
    img = Image.new("RGB", (900, 300), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    if selected:
        draw.rectangle((50, 100, 849, 121), fill=(50, 100, 200))
    colour = (255, 255, 255) if selected else (0, 0, 0)
    draw.text((56, 104), "55180", fill=colour, font=font(13))
    draw.text((156, 104), "Quentin Silva", fill=colour, font=font(13))
    return np.asarray(img).copy()


def test_a_wide_cell_lost_to_the_detector_as_its_row_lights_is_the_one_clicked():
    """Lit up, the wide cell under the pointer is found boxed round its text alone: the cell
    clicked is the one under the pointer before the row lit, and the point is the
    pointer's, far right of the cell's text."""
    def see(rgb):
        lit = rgb[110, 400, 2] > 150 and rgb[110, 400, 0] < 100
        return [("cell", (50, 100, 100, 22)), ("cell", (150, 100, 120, 22) if lit else (
            150, 100, 700, 22))]

    inference = EventInference(LookingDetector(see), default_reader())
    on = (640, 111)
    clicks = run(inference, [(wide_cells(False), (), on), (wide_cells(False), (), on),
                             (wide_cells(True), ((50, 100, 800, 22),), on)])
    assert [(c.payload.target.role, c.payload.target.name, (c.payload.x, c.payload.y))
            for c in clicks] == [("cell", "Quentin Silva", on)]


SELECTED = (30, 60, 110)


def test_a_row_selected_in_a_dark_band_is_a_pick_not_a_dialog_opening():
    """Selected, a row is a dark band of light text, like a title bar to the detector. A
    window hangs below its title bar; a band alone is no dialog, and the row it was a frame
    before is the one picked."""
    def see(rgb):
        return [("titlebar" if rgb[ROWS[i][1] + 2, 52].max() < 150 else "listitem", ROWS[i])
                for i in range(len(ROWS))]

    inference = EventInference(LookingDetector(see), default_reader())
    lit = rows({2: SELECTED})
    band = lit[ROWS[2][1]:ROWS[2][1] + 22, 50:650]
    band[band.max(axis=2) < 100] = (255, 255, 255)      # its text drawn light
    out = events(inference, [(rows({}), (), (400, 160)), (rows({}), (), (400, 160)),
                             (lit, (ROWS[2],), (400, 160))], flush=False)
    assert [c.payload.kind for c in out if c.type == "screen_change"] == []
    assert [(c.payload.target.role, c.payload.target.name) for c in out
            if c.type == "click"] == [("listitem", "Emma Fischer")]


def page(tab: int, ringed: int | None = None, *, typed: str = "",
         general_field: bool = False) -> np.ndarray:
    """Two tabs over a page. The second tab's page holds two fields (``ringed`` in blue, the
    first showing ``typed``); the first tab's page a line of text or (``general_field``) one
    field where the second tab's second one is."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    for i, (x, name) in enumerate(((60, "General"), (160, "Transport"))):
        draw.rectangle((x, 40, x + 90, 64), fill=(255, 255, 255) if i == tab else (220, 220, 220),
                       outline=(120, 120, 120))
        draw.text((x + 10, 45), name, fill=(0, 0, 0), font=font(13))
    if tab == 1:
        for i, (x, y, w, h) in enumerate(FIELDS):
            draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255),
                           outline=(40, 110, 220) if i == ringed else (150, 150, 150))
        draw.text((FIELDS[0][0] + 6, FIELDS[0][1] + 6), typed, fill=(0, 0, 0), font=font(13))
    elif general_field:
        x, y, w, h = FIELDS[1]
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(250, 250, 200),
                       outline=(40, 110, 220) if ringed == 1 else (150, 150, 150))
        draw.text((x + 6, y + 6), "Order 4711", fill=(0, 0, 0), font=font(13))
    else:
        draw.text((200, 110), "No transport booked for this order yet.", fill=(0, 0, 0),
                  font=font(13))
    return np.asarray(img).copy()


def test_a_field_a_tab_switch_draws_beside_where_the_focus_was_takes_no_focus():
    """The field that had the focus on the first page is where the second page draws its
    second field; the page's first field changes its frame too, in a change the size of the
    page's part: no focus moved there, so typing into it later shows the click into it."""
    inference = EventInference(Boxes([("tab", (60, 40, 91, 25)), ("tab", (160, 40, 91, 25))]
                                     + [("textbox", b) for b in FIELDS]), default_reader())
    on_tab, on_field, on_other = (200, 52), (260, 113), (300, 147)
    part, text = (150, 40, 300, 130), (204, 104, 60, 18)
    clicks = run(inference, [(page(0, general_field=True), (), on_other),
                             (page(0, 1, general_field=True), (FIELDS[1],), on_other),
                             (page(0, 1, general_field=True), (), on_tab),
                             (page(1), (part,), on_tab), (page(1), (), on_field),
                             (page(1, typed="Ac"), (text,), on_field)])
    assert [c.payload.target.role for c in clicks] == ["textbox", "tab", "textbox"]
    assert iou(clicks[2].payload.target.bbox, FIELDS[0]) > 0.8


def test_fields_drawn_by_a_tab_switching_take_no_focus_so_the_click_into_one_is_seen():
    """A tab switch draws a page of fields: every field there "changes its frame", none took
    the focus. The later click into the first field shows by its focus ring."""
    inference = EventInference(Boxes([("tab", (60, 40, 91, 25)), ("tab", (160, 40, 91, 25))]
                                     + [("textbox", b) for b in FIELDS]), default_reader())
    on_tab, on_field = (200, 52), (260, 113)
    part = (150, 40, 300, 130)
    clicks = run(inference, [(page(0), (), on_tab), (page(0), (), on_tab),
                             (page(1), (part,), on_tab), (page(1), (), on_field),
                             (page(1, ringed=0), (FIELDS[0],), on_field)])
    assert [c.payload.target.role for c in clicks] == ["tab", "textbox"]
    assert iou(clicks[1].payload.target.bbox, FIELDS[0]) > 0.8


def list_over_box(value: str, *, open_list: bool) -> np.ndarray:
    """A combo box showing ``value``; its list drawn over it, the current value on top, lit."""
    img = Image.fromarray(status_box(value, open_list=False))
    draw = ImageDraw.Draw(img)
    if open_list:
        draw.rectangle((200, 100, 353, 175), fill=(255, 255, 255), outline=(90, 90, 90))
        draw.rectangle((201, 101, 352, 124), fill=(50, 100, 200))
        for i, option in enumerate(("Open", "In progress", "Closed")):
            draw.text((206, 105 + 24 * i), option, font=font(13),
                      fill=(255, 255, 255) if i == 0 else (0, 0, 0))
    return np.asarray(img).copy()


def test_a_list_drawn_over_a_box_the_detector_missed_is_a_drop_down_not_a_menu():
    """Some styles draw a drop-down's list over its box, the current value on top and lit.
    Seen only once the list is open, that item is no menu's title: the list is the box's,
    the pointer on it."""
    def see(rgb):
        if rgb[110, 300].tolist() == [50, 100, 200]:     # the list open
            return [("menuitem", (202, 101, 150, 23)), ("listitem", (202, 125, 150, 23)),
                    ("listitem", (202, 149, 150, 23))]
        return [("text", (138, 104, 52, 18))]

    inference = EventInference(LookingDetector(see), default_reader())
    on, listed = (320, 113), (200, 100, 154, 76)
    steps = [(list_over_box("Open", open_list=False), (), on),
             (list_over_box("Open", open_list=False), (), on),
             (list_over_box("Open", open_list=True), (listed,), on),
             (list_over_box("Closed", open_list=False), (listed,), (260, 161))]
    steps += [(list_over_box("Closed", open_list=False), (), (260, 161))] * 6
    out = events(inference, steps)
    assert [(c.payload.target.name, c.payload.value) for c in out if c.type == "select"] == [
        ("Status:", "Closed")]
    assert [c for c in out if c.type == "click"] == []


MENU_ITEMS = tuple(("menuitem", (5, 45 + 24 * i, 164, 22)) for i in range(3))
TITLES = [("menuitem", (8, 22, 70, 18)), ("menuitem", (98, 22, 60, 18))]


@pytest.mark.parametrize("pointer, opened", [((40, 30), True), ((500, 300), False)])
def test_a_menu_opens_under_the_title_the_pointer_pressed_not_under_one_it_is_away_from(
        pointer, opened):
    """A page part redrawn under a menu bar may look like a menu hanging from a title; with
    the pointer in view away from both, nobody pressed the title."""
    def see(rgb):
        return TITLES + (list(MENU_ITEMS) if rgb[60, 150].tolist() == [200, 200, 205] else [])

    inference = EventInference(LookingDetector(see), default_reader())
    clicks = run(inference, [(menu_bar(False, False), (), pointer),
                             (menu_bar(False, False), (), pointer),
                             (menu_bar(True, True), ((4, 21, 167, 100),), pointer)])
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == (
        [("menuitem", "Document")] if opened else [])


def file_edit_bar(menu: bool) -> np.ndarray:
    """A menu bar of two short titles side by side ("File", "Edit"), a menu open under them
    that starts between the two."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    for x, title in ((4, "File"), (36, "Edit")):
        draw.text((x, 23), title, fill=(0, 0, 0), font=font(13))
    if menu:
        draw.rectangle((14, 21, 66, 40), fill=(200, 215, 240))
        draw.text((36, 23), "Edit", fill=(0, 0, 0), font=font(13))
        draw.rectangle((14, 41, 130, 120), fill=(255, 255, 255), outline=(90, 90, 90))
        for i, item in enumerate(("Copy", "Paste", "Find...")):
            draw.text((22, 48 + 24 * i), item, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


def test_of_two_titles_a_menu_may_hang_from_the_one_the_pointer_pressed_opened_it():
    """Short titles side by side: a menu starting between them hangs from either. The one
    the pointer pressed opened it, though its left edge lies farther from the menu's."""
    titles = [("menuitem", (2, 20, 30, 18)), ("menuitem", (33, 20, 34, 18))]
    items = [("menuitem", (16, 45 + 24 * i, 110, 22)) for i in range(3)]

    def see(rgb):
        return titles + (items if rgb[100, 100].tolist() == [255, 255, 255] else [])

    inference = EventInference(LookingDetector(see), default_reader())
    on_edit = (50, 30)
    clicks = run(inference, [(file_edit_bar(False), (), on_edit),
                             (file_edit_bar(False), (), on_edit),
                             (file_edit_bar(True), ((14, 20, 117, 101),), on_edit)])
    assert [(c.payload.target.name, c.features["reaction"]) for c in clicks] == [
        ("Edit", "menu_open")]


def test_the_item_picked_from_a_menu_whose_items_the_detector_lost_is_read_from_its_line():
    """Once the pointer lights an item up, the detector may see no items in the menu: the
    item picked is the line of text under the pointer as the menu closes."""
    def see(rgb):
        opened = rgb[60, 150].tolist() == [200, 200, 205]
        lit = rgb[57, 150].tolist() == [60, 90, 170]
        return TITLES + (list(MENU_ITEMS) if opened and not lit else [])

    inference = EventInference(LookingDetector(see), default_reader())
    hovered = menu_bar(True, True)
    hovered[46:68, 6:168][hovered[46:68, 6:168].max(axis=2) > 150] = (60, 90, 170)
    on_title, on_item = (40, 30), (120, 57)
    clicks = run(inference, [(menu_bar(False, False), (), on_title),
                             (menu_bar(False, False), (), on_title),
                             (menu_bar(True, True), ((4, 21, 167, 100),), on_title),
                             (hovered, ((5, 45, 164, 24),), on_item),
                             (menu_bar(False, False), ((4, 21, 167, 100),), on_item)])
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
        ("menuitem", "Document"), ("menuitem", "New stock item")]


def test_a_menu_closed_onto_a_page_drawn_shifted_gives_the_item_picked():
    """The page a menu item opens may show, where the menu was, the old page's content moved
    as a whole (a list drawn a few rows lower): the diff stage gives it as a shift, not as a
    changed region. The menu closed all the same, on the item under the pointer."""
    inference = EventInference(LookingDetector(
        lambda rgb: TITLES + (list(MENU_ITEMS) if rgb[60, 150].tolist() == [200, 200, 205]
                              else [])), default_reader())
    on_title, on_item = (40, 30), (120, 57)
    steps = [(menu_bar(False, False), None, on_title), (menu_bar(False, False), None, on_title),
             (menu_bar(True, True), ((4, 21, 167, 100),), on_title),
             (menu_bar(True, True), None, on_item),
             (menu_bar(False, False), Shift(0, -24, (0, 42, 640, 300)), on_item)]
    clicks = []
    for t, (rgb, changed, point) in enumerate(steps):
        shifts = (changed,) if isinstance(changed, Shift) else ()
        regions = tuple(Region(b, b[2] * b[3]) for b in changed or ()) if not shifts else ()
        kind = "new_screen" if t == 0 else ("local" if changed else "unchanged")
        diff = FrameDiff(regions, shifts, pointer=PointerMatch(*point, (*point, 12, 20),
                                                               "arrow", 0.9),
                         kind=kind, changed_fraction=1.0 if t == 0 else 0.2)
        clicks += [c for c in inference.push(DecodedFrame(f"frm_{t}", 400 * t, t, rgb, None,
                                                          None), diff) if c.type == "click"]
    assert [(c.features["reaction"], c.payload.target.name) for c in clicks] == [
        ("menu_open", "Document"), ("menu_item", "New stock item")]


def record_page() -> np.ndarray:
    """The page a record opens on: a heading and two fields."""
    img = Image.new("RGB", (700, 300), (235, 238, 245))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 699, 40), fill=(40, 60, 110))
    draw.text((12, 10), "Purchase order PO-1003", fill=(255, 255, 255), font=font(16))
    for y, label in ((80, "Vendor"), (120, "Amount")):
        draw.text((30, y + 4), label, fill=(0, 0, 0), font=font(13))
        draw.rectangle((140, y, 400, y + 24), fill=(255, 255, 255), outline=(120, 120, 120))
    return np.asarray(img).copy()


def test_a_record_opened_from_the_cell_under_the_pointer_is_a_click_on_that_cell():
    """A double click on a table's cell opens its record: the page changes with the pointer
    resting on the cell."""
    def see(rgb):
        if rgb[20, 300].tolist() == [40, 60, 110]:
            return [("text", (10, 8, 260, 24)), ("textbox", (140, 80, 261, 25)),
                    ("textbox", (140, 120, 261, 25))]
        return list(CELLS)

    inference = EventInference(LookingDetector(see), default_reader())
    on = (110, 159)
    out = events(inference, [(grid(None), (), on), (grid(None), (), on),
                             (record_page(), ((0, 0, 700, 300),), on)] + [
        (record_page(), (), on)] * 4, flush=False)
    assert [(c.payload.target.role, c.payload.target.name) for c in out
            if c.type == "click"] == [("cell", "PO-1003")]
    assert [c.payload.kind for c in out if c.type == "screen_change"] == ["navigation"]


def claim_field(value: str, *, selected: bool = False, caret: bool = True) -> np.ndarray:
    """A field labelled "Claim no." showing ``value`` (selected: light on a blue band), the
    caret after it while it has focus; a menu bar far from it."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    draw.text((20, 10), "File   Edit", fill=(0, 0, 0), font=font(13))
    draw.text((110, 105), "Claim no.", fill=(0, 0, 0), font=font(13))
    x, y, w, h = FIELD
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255), outline=(40, 110, 220))
    width = int(draw.textlength(value, font=font(13)))
    if selected:
        draw.rectangle((x + 5, y + 4, x + 6 + width, y + h - 5), fill=(50, 100, 200))
    draw.text((x + 6, y + 6), value, fill=(255, 255, 255) if selected else (0, 0, 0),
              font=font(13))
    if caret:
        draw.line((x + 7 + width, y + 5, x + 7 + width, y + 20), fill=(0, 0, 0))
    return np.asarray(img).copy()


def test_a_value_selected_then_deleted_is_an_edit_to_empty_not_a_reset_from_afar():
    """Select all and Delete empties the field with the pointer away from it, as a form
    reset by a button does; the value shown selected first tells the keys did it."""
    inference = EventInference(Boxes([("textbox", FIELD), ("text", (108, 103, 80, 20))]),
                               default_reader())
    away = (40, 18)
    inside = (204, 104, 120, 18)
    steps = [(claim_field("CL-127329"), (), away), (claim_field("CL-127329"), (), away),
             (claim_field("CL-127329", selected=True, caret=False), (inside,), away),
             (claim_field(""), (inside,), away)]
    steps += [(claim_field(""), (), away)] * 12
    out = events(inference, steps)
    assert [(c.payload.target.name, c.payload.text) for c in out if c.type == "input_text"] == [
        ("Claim no.", "")]


@pytest.mark.parametrize("off", [-9, 8])
def test_a_row_picked_is_named_by_its_line_of_text_though_its_box_is_off_the_row(off):
    """A detector's row boxes may sit a few pixels off the rows, holding part of the glyphs
    of two: the row picked is named by the line of text the pointer is on."""
    boxes = [("listitem", (x, y + off, w, h)) for x, y, w, h in ROWS]
    inference = EventInference(Boxes(boxes), default_reader())
    on = (400, 156)
    lit = rows({2: SELECTED})
    band = lit[ROWS[2][1]:ROWS[2][1] + 22, 50:650]
    band[band.max(axis=2) < 100] = (255, 255, 255)
    clicks = run(inference, [(rows({}), (), on), (rows({}), (), on),
                             (lit, ((50, 148 + min(off, 0), 600, 22 + abs(off)),), on)])
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
        ("listitem", "Emma Fischer")]


TABS = ((60, 40, 91, 25), (160, 40, 91, 25))


def flat_tabs(tab: int) -> np.ndarray:
    """Two flat tabs, the selected one underlined in blue just under its box, over a page of
    labelled lines: "General" shows three, "Transport" two."""
    img = Image.new("RGB", (640, 400), (245, 245, 245))
    draw = ImageDraw.Draw(img)
    for i, ((x, y, w, h), name) in enumerate(zip(TABS, ("General", "Transport"))):
        draw.text((x + 12, y + 5), name, fill=(0, 0, 0), font=font(13))
        if i == tab:
            draw.rectangle((x, y + h, x + w - 1, y + h + 2), fill=(40, 110, 220))
    lines = (("Order no.", "Customer", "Created on"), ("Carrier", "Weight"))[tab]
    for row, label in enumerate(lines):
        draw.text((30, 90 + 30 * row), label, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


@pytest.mark.parametrize("seen_before", ["tab", "menuitem"])
def test_a_tab_whose_page_changes_from_right_under_its_box_is_clicked_not_a_menu(seen_before):
    """A flat tab's box may end where its page begins, the underline that marks it drawn in
    the page's change; and the detector may have taken it for a menu item before it was
    selected. Its page's lines of text under the tab pressed are no menu opening."""
    def see(rgb):
        second = "tab" if rgb[65, 200, 2] > 200 else seen_before  # underlined: selected
        return [("tab", TABS[0]), (second, TABS[1])]

    inference = EventInference(LookingDetector(see), default_reader())
    on = (200, 52)
    clicks = run(inference, [(flat_tabs(0), (), on), (flat_tabs(0), (), on),
                             (flat_tabs(1), ((30, 65, 500, 100),), on)])
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
        ("tab", "Transport")]


def sunken(box: tuple[int, int, int, int] | None, listed: bool = False) -> np.ndarray:
    """:func:`results_form` in a 3D style, the button at ``box`` drawn pressed in: its light
    and dark edges swapped and a dotted focus ring inside, its face the same grey."""
    img = Image.fromarray(results_form(listed=listed))
    draw = ImageDraw.Draw(img)
    for x, y, w, h in (BUTTON, CANCEL):
        light, dark = ((90, 90, 90), (255, 255, 255)) if (x, y, w, h) == box else (
            (255, 255, 255), (90, 90, 90))
        draw.line((x, y + h - 1, x, y, x + w - 1, y), fill=light, width=2)
        draw.line((x + 1, y + h - 1, x + w - 1, y + h - 1, x + w - 1, y + 1), fill=dark,
                  width=2)
        if (x, y, w, h) == box:
            for px in range(x + 4, x + w - 4, 2):
                draw.point([(px, y + 4), (px, y + h - 5)], fill=(0, 0, 0))
            for py in range(y + 4, y + h - 4, 2):
                draw.point([(x + 4, py), (x + w - 5, py)], fill=(0, 0, 0))
    return np.asarray(img).copy()


def test_with_no_pointer_drawn_a_3d_button_pressed_in_before_a_result_was_clicked():
    """A 3D button pressed keeps its face: only its edges and a focus ring change, over its
    whole box. With no pointer in the frames, that press before a result is the click."""
    inference = EventInference(Boxes([("textbox", FIELD), ("button", BUTTON),
                                      ("button", CANCEL)]), default_reader())
    clicks = run(inference, [(sunken(None), (), None), (sunken(CANCEL), (CANCEL,), None),
                             (sunken(None, listed=True), (CANCEL, (20, 160, 400, 100)), None)])
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
        ("button", "Cancel")]


def test_a_button_the_detector_loses_once_pressed_in_is_still_the_one_clicked():
    """Pressed in, a 3D button looks unlike the buttons the model learned and may go unseen
    in that frame; the result the next frame shows is still its click, under the pointer."""
    def see(rgb):
        raised = rgb[CANCEL[1] + 8, CANCEL[0], 0] > 200  # its left edge light
        return [("textbox", FIELD), ("button", BUTTON)] + ([("button", CANCEL)] if raised else [])

    inference = EventInference(LookingDetector(see), default_reader())
    on = (565, 314)
    clicks = run(inference, [(sunken(None), (), on), (sunken(None), (), on),
                             (sunken(CANCEL), (CANCEL,), on),
                             (sunken(None, listed=True), (CANCEL, (20, 160, 400, 100)), on)])
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
        ("button", "Cancel")]


VIEW_TITLES = [("menuitem", (8, 22, 70, 18)), ("menuitem", (98, 22, 40, 18)),
               ("menuitem", (158, 22, 44, 18))]
VIEW_ITEMS = tuple(("menuitem", (157, 45 + 26 * i, 150, 24)) for i in range(2))


def view_menu(*, opened: bool, lit: bool = False, page: str = "New shipment") -> np.ndarray:
    """A menu bar ("Document", "Edit", "View") over a page; the "View" menu open, its first
    item ("Routes") lit."""
    img = Image.new("RGB", (640, 400), (250, 250, 250))
    draw = ImageDraw.Draw(img)
    for x, title in ((10, "Document"), (100, "Edit"), (160, "View")):
        draw.text((x, 24), title, fill=(0, 0, 0), font=font(13))
    draw.text((20, 80), page, fill=(0, 0, 0), font=font(18))
    if opened:
        draw.rectangle((156, 21, 202, 40), fill=(50, 110, 170))
        draw.text((160, 24), "View", fill=(255, 255, 255), font=font(13))
        draw.rectangle((156, 42, 308, 100), fill=(250, 250, 250), outline=(120, 120, 120))
        for i, item in enumerate(("Routes", "Shipments")):
            y = 45 + 26 * i
            if lit and i == 0:
                draw.rectangle((157, y, 307, y + 23), fill=(50, 110, 170))
            draw.text((170, y + 4), item, fill=(255, 255, 255) if lit and i == 0 else (0, 0, 0),
                      font=font(13))
    return np.asarray(img).copy()


def test_with_no_pointer_the_item_lit_as_its_menu_opened_is_the_one_picked():
    """With no pointer in the frames, a menu may open with an item already lit (the pointer
    came onto it as the menu showed); closing onto a new page, that item was picked. A lossy
    transport's noise widens the menu's change a few pixels past its left edge."""
    def see(rgb):
        return VIEW_TITLES + (list(VIEW_ITEMS) if rgb[70, 300].tolist() == [250, 250, 250]
                              and rgb[42, 200].tolist() == [120, 120, 120] else [])

    inference = EventInference(LookingDetector(see), default_reader())
    clicks = run(inference, [(view_menu(opened=False), (), None),
                             (view_menu(opened=False), (), None),
                             (view_menu(opened=True, lit=True), ((136, 21, 173, 80),), None),
                             (view_menu(opened=False, page="Routes"), ((0, 21, 640, 379),),
                              None)])
    assert [(c.features["reaction"], c.payload.target.name) for c in clicks] == [
        ("menu_open", "View"), ("menu_item", "Routes")]


LEAVE_BOXES = ((202, 134, 110, 20), (202, 160, 100, 20), (202, 186, 90, 20))


def leave_form(*, combo_focused: bool, pressed: bool = False, ticked: bool = False):
    """A combo box ("Sick leave", its value lit while it has the focus) over three check
    boxes: "Confidential" (``pressed``: its square grey and its caption ringed; ``ticked``),
    "Recurring" and "Urgent"."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    x, y, w, h = COMBO
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255), outline=(120, 120, 120))
    if combo_focused:
        draw.rectangle((x + 3, y + 3, x + 110, y + h - 4), fill=(40, 70, 160))
    draw.text((x + 6, y + 6), "Sick leave", fill=(255, 255, 255) if combo_focused else (0, 0, 0),
              font=font(13))
    for i, ((bx, by, _, _), caption) in enumerate(zip(LEAVE_BOXES, ("Confidential",
                                                                    "Recurring", "Urgent"))):
        held = i == 0 and (pressed or ticked)
        draw.rectangle((bx + 2, by + 3, bx + 15, by + 16),
                       fill=(200, 200, 200) if i == 0 and pressed else (255, 255, 255),
                       outline=(90, 90, 90))
        if i == 0 and ticked:
            draw.line((bx + 4, by + 9, bx + 7, by + 13, bx + 13, by + 5), fill=(20, 20, 20),
                      width=2)
        if held:
            draw.rectangle((bx + 19, by + 1, bx + 105, by + 18), outline=(60, 60, 60))
        draw.text((bx + 22, by + 3), caption, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


def test_a_box_pressed_under_a_combo_box_losing_its_focus_is_no_list_opening():
    """A check box pressed right under a combo box changes with the combo box's value losing
    its focus look, as one area hanging from it, the pointer moved on to the combo box's
    edge: but it pressed the check box, not the combo box. The tick that follows is the
    click; no list opened and no choice is made in the combo box."""
    inference = EventInference(Boxes([("combobox", COMBO)] + [("checkbox", b)
                                                              for b in LEAVE_BOXES]),
                               default_reader())
    on_box, near_combo = (214, 143), (230, 124)
    steps = [(leave_form(combo_focused=True), (), on_box),
             (leave_form(combo_focused=True), (), on_box),
             (leave_form(combo_focused=False, pressed=True), ((200, 103, 150, 75),), near_combo),
             (leave_form(combo_focused=False, ticked=True), ((204, 137, 14, 14),), near_combo)]
    steps += [(leave_form(combo_focused=False, ticked=True), (), near_combo)] * 6
    out = events(inference, steps)
    assert [(c.type, c.payload.target.name) for c in out if c.type in ("click", "select")] == [
        ("click", "Confidential")]
    assert out[0].payload.target.checked is True


def test_a_change_under_a_check_boxs_caption_the_pointer_was_on_opens_no_menu():
    """The pointer's own sprite, when its shape is not learned yet, changes the frame as it
    moves down over captions: a narrow change of lines of text under the caption it lay on
    looks like a menu opened under a title the detector missed. A check box's caption is no
    menu's title."""
    inference = EventInference(Boxes([("combobox", COMBO)] + [("checkbox", b)
                                                              for b in LEAVE_BOXES]),
                               default_reader())
    form = leave_form(combo_focused=False)
    clicks = run(inference, [(form, (), (240, 145)), (form, (), (240, 145)),
                             (form, ((222, 150, 100, 60),), (250, 200))])
    assert clicks == []


def test_a_check_box_also_seen_as_a_button_is_clicked_once_by_its_tick():
    """The detector may see a check box as a button as well. Pressed under the pointer as the
    combo box above loses its focus look, it is no button's press: its tick shows the click."""
    inference = EventInference(Boxes([("combobox", COMBO), ("button", LEAVE_BOXES[0])]
                                     + [("checkbox", b) for b in LEAVE_BOXES]),
                               default_reader())
    on_box = (214, 143)
    clicks = run(inference, [(leave_form(combo_focused=True), (), on_box),
                             (leave_form(combo_focused=True), (), on_box),
                             (leave_form(combo_focused=False, pressed=True),
                              ((200, 100, 150, 26), LEAVE_BOXES[0]), on_box),
                             (leave_form(combo_focused=False, ticked=True), ((204, 137, 14, 14),),
                              on_box)])
    assert [(c.payload.target.role, c.payload.target.name, c.payload.target.checked)
            for c in clicks] == [("checkbox", "Confidential", True)]


@pytest.mark.parametrize("seen_as", ["listitem", "cell"])
def test_a_row_the_detector_missed_lit_under_the_pointer_is_picked(seen_as):
    """The detector may miss one row of a list it sees the other rows of (as items, or as
    cells alone in their rows): a change one row tall under the pointer, starting where the
    list's rows start, that lit up, is that row picked, named by its line of text."""
    boxes = [(seen_as, (x, y, 160, h)) for i, (x, y, _, h) in enumerate(ROWS) if i != 2]
    assert third_row_picked(boxes) == [("listitem", "Emma Fischer")]


def third_row_picked(boxes) -> list[tuple[str, str | None]]:
    """The clicks (role, name) of the third of ROWS lighting up under the resting pointer,
    the detector finding ``boxes``."""
    inference = EventInference(Boxes(boxes), default_reader())
    on = (400, 160)
    clicks = run(inference, [(rows({}), (), on), (rows({}), (), on),
                             (rows({2: SELECTED}), (ROWS[2],), on)])
    return [(c.payload.target.role, c.payload.target.name) for c in clicks]


def button_page(title: str, caption: str) -> np.ndarray:
    """A page headed ``title`` with one button captioned ``caption`` at BUTTON."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    draw.text((20, 20), title, fill=(0, 0, 0), font=font(20))
    x, y, w, h = BUTTON
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(200, 200, 210), outline=(110, 110, 110))
    left = x + (w - draw.textlength(caption, font=font(14))) / 2
    draw.text((left, y + 6), caption, fill=(20, 40, 120), font=font(14))
    return np.asarray(img).copy()


@pytest.mark.parametrize("caption, next_caption", [("New", "Clear"), ("Add", "Cancel")])
def test_a_button_that_opened_a_page_with_another_button_in_its_place_keeps_its_name(
        caption, next_caption):
    """The page a button opens may hold a button of its own in the same place, its caption
    of about the same length: the click is named as the button read before the page
    changed, not after."""
    inference = EventInference(Boxes([("button", BUTTON)]), default_reader())
    on = (465, 314)
    clicks = run(inference, [(button_page("Orders", caption), (), on),
                             (button_page("Orders", caption), (), on),
                             (button_page("Create item", next_caption), ((0, 0, 640, 400),),
                              on)])
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
        ("button", caption)]


@pytest.mark.parametrize("seen", ["nothing", "another row"])
def test_a_row_of_a_list_the_detector_misses_lit_under_the_pointer_is_picked(seen):
    """A list whose rows the detector misses (or boxes off the row): a band one line tall
    lit under the pointer, its text in line with the rows' text above and below and the band
    reaching well past it, is a row picked, named by its text."""
    boxes = [] if seen == "nothing" else [("listitem", (90, ROWS[3][1] + 8, 400, 20))]
    assert third_row_picked(boxes) == [("listitem", "Emma Fischer")]


def test_text_selected_in_a_band_no_wider_than_itself_is_no_row_picked():
    """Selecting a field's text lights a band that hugs the text: in line with other text
    as it may be, it is no list's row."""
    inference = EventInference(Boxes([]), default_reader())
    on = (80, 160)
    selected = rows({})
    band = (ROWS[2][0], ROWS[2][1], 110, ROWS[2][3])
    x, y, w, h = band
    lit = np.where(selected[y:y + h, x:x + w] < 128, 255, 0).astype(np.uint8)
    lit[(lit == 0).all(axis=2)] = SELECTED
    selected[y:y + h, x:x + w] = lit
    assert run(inference, [(rows({}), (), on), (rows({}), (), on),
                           (selected, (band,), on)]) == []


def ringed_field(focused: bool) -> np.ndarray:
    """A quantity's field labelled "Qty", framed in grey, or ringed in blue with the caret
    at its right end while it has focus."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    draw.text((150, 105), "Qty", fill=(0, 0, 0), font=font(13))
    x, y, w, h = NUMBER
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255),
                   outline=(40, 110, 220) if focused else (150, 150, 150))
    if focused:
        draw.rectangle((x + 1, y + 1, x + w - 2, y + h - 2), outline=(40, 110, 220))
        draw.line((x + w - 7, y + 5, x + w - 7, y + 20), fill=(0, 0, 0))
    return np.asarray(img).copy()


def test_a_field_the_detector_takes_for_a_combo_box_once_focused_is_clicked_into():
    """Focused, a field aligned right shows its caret at its right end, where a combo box
    has its arrow, and the detector may find it weakly as one: it is still the field found
    clearly there before, and focus moving into it under the pointer is a click on it."""
    def see(rgb):
        focused = tuple(rgb[NUMBER[1], NUMBER[0]]) == (40, 110, 220)
        return [("combobox", NUMBER, 0.55) if focused else ("textbox", NUMBER, 0.9),
                ("text", (148, 104, 30, 18))]

    inference = EventInference(LookingDetector(see), default_reader())
    on = (250, 112)
    clicks = run(inference, [(ringed_field(False), (), on), (ringed_field(False), (), on),
                             (ringed_field(True), (NUMBER,), on)])
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
        ("textbox", "Qty")]


def test_a_fields_digits_the_detector_takes_for_a_button_are_never_pressed():
    """A spin box's digits may look like a button to the detector. A change elsewhere (a
    total worked out, a hint shown) while the pointer rests on them is no press of any
    button: a click into the field shows as focus moving, or not at all."""
    inference = EventInference(Boxes([("textbox", NUMBER), ("button", (250, 100, 62, 26)),
                                      ("text", (148, 104, 30, 18))]), default_reader())
    on = (280, 112)
    totalled = Image.fromarray(number_field("12"))
    ImageDraw.Draw(totalled).text((400, 302), "Total 144.00", fill=(0, 0, 0), font=font(13))
    clicks = run(inference, [(number_field("12"), (), on), (number_field("12"), (), on),
                             (np.asarray(totalled).copy(), ((400, 300, 120, 20),), on)])
    assert clicks == []


def test_the_pointers_blurred_trail_over_a_box_just_ticked_toggles_it_no_more():
    """Scaled frames blur the pointer's edges past its sprite: leaving a box it just ticked,
    the pointer smears the tick for a frame, which looks like the box cleared and ticked
    again. One click."""
    inference = EventInference(Boxes([("checkbox", TICK_BOX)]), default_reader())
    smeared = tick_box(True)
    smeared[104:114, 104:114] = (255, 255, 255)
    clicks = run(inference, [(tick_box(False), (), (112, 110)), (tick_box(False), (), (112, 110)),
                             (tick_box(True), ((100, 100, 90, 18),), (112, 110)),
                             (smeared, ((104, 104, 10, 10),), (116, 112)),
                             (tick_box(True), ((104, 104, 10, 10),), (150, 160))])
    assert [(c.payload.target.role, c.payload.target.checked) for c in clicks] == [
        ("checkbox", True)]


def records_menu(opened: bool, lit: int | None = None) -> np.ndarray:
    """The menu bar of :func:`menu_bar`, "Records" open: its menu under it (item ``lit``
    lit), and an icon beside the menu redrawn at the same moment."""
    img = Image.fromarray(menu_bar(False, False))
    draw = ImageDraw.Draw(img)
    draw.ellipse((56, 50, 76, 70), fill=(90, 140, 200) if opened else (120, 120, 120))
    if opened:
        draw.rectangle((98, 41, 260, 120), fill=(250, 250, 250), outline=(90, 90, 90))
        for i, item in enumerate(("Search", "New record", "Export")):
            if i == lit:
                draw.rectangle((99, 45 + 24 * i, 259, 66 + 24 * i), fill=(40, 60, 140))
            draw.text((108, 48 + 24 * i), item, fill=(255, 255, 255) if i == lit else (0, 0, 0),
                      font=font(13))
    return np.asarray(img).copy()


def test_a_menu_whose_change_reaches_past_its_left_edge_still_opens_under_its_title():
    """Something beside a menu may change as it opens (an icon redrawn, codec noise), and
    the change then starts left of the menu: the items starting at the title's left edge
    show it is that title's menu, whose item lit under the pointer is then picked."""
    def see(rgb):
        items = [("menuitem", (100, 45 + 24 * i, 150, 22)) for i in range(3)]
        return [("text", (8, 22, 70, 18)), ("menuitem", (98, 22, 60, 18)),
                ("textbox", (120, 76, 180, 24))] + (items if rgb[110, 200, 0] == 250 else [])

    inference = EventInference(LookingDetector(see), default_reader())
    on, item = (120, 30), (150, 80)
    clicks = run(inference, [(records_menu(False), (), on), (records_menu(False), (), on),
                             (records_menu(True), ((56, 41, 205, 80),), on),
                             (records_menu(True, lit=1), ((99, 69, 161, 22),), item),
                             (records_menu(False), ((56, 41, 205, 80),), item)])
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
        ("menuitem", "Records"), ("menuitem", "New record")]


def test_a_menu_whose_lines_the_detector_boxes_as_a_field_is_no_typing():
    """As a menu opens, the detector may box its lines as one text field, found there only
    now: its items appearing are no text typed, and focus came to no field."""
    def see(rgb):
        opened = rgb[110, 200, 0] == 250
        return [("text", (8, 22, 70, 18)), ("menuitem", (98, 22, 60, 18)),
                ("textbox", (120, 76, 180, 24))] + (
                    [("menuitem", (100, 45, 150, 22)), ("menuitem", (100, 69, 150, 22)),
                     ("textbox", (100, 44, 158, 72), 0.3)]
                    if opened else [])

    inference = EventInference(LookingDetector(see), default_reader())
    on = (120, 30)
    steps = [(records_menu(False), (), on), (records_menu(False), (), on),
             (records_menu(True), ((56, 41, 205, 80),), on)]
    steps += [(records_menu(True), (), on)] * 8
    out = events(inference, steps)
    assert [(c.type, c.payload.target.role, c.payload.target.name) for c in out
            if c.type in ("click", "input_text")] == [("click", "menuitem", "Records")]
