"""Drop-down choices the frames show in less plain ways: the list opening in the same change
as the focus ring the field above lets go, another list opening over a box not read yet, a
box the detector missed holding a value, a value chosen again after an unseen reset; and what
opens no list (the pointer's own trail under a box)."""

from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image, ImageDraw

from vision.inference import EventInference
from vision.inference.popups import _attached, _unlike_fields, unseen_box
from vision.inference.screen import Element
from vision.ocr import default_reader

from tests.helpers import FixedDetector as Boxes, LookingDetector, font
from tests.inference.test_click_cues import COMBO, OPTIONS, events, list_chosen, status_box

FIELD, TERMS, TICK = (200, 60, 150, 26), (200, 90, 122, 26), (200, 122, 110, 18)
TERMS_LIST = (200, 116, 150, 70)


def payment_form(*, focused: bool, terms: str = "", open_list: bool = False,
                 ticked: bool = False) -> np.ndarray:
    """"Purchase order:" (ringed in blue while it has the focus) over an empty "Payment
    terms:" box, a check box right under that (``ticked`` or not); the box's list open over
    the check box."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    for (x, y, w, h), label in ((FIELD, "Purchase order:"), (TERMS, "Payment terms:")):
        draw.text((x - 110, y + 6), label, fill=(0, 0, 0), font=font(13))
    x, y, w, h = FIELD
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255),
                   outline=(40, 110, 220) if focused else (150, 150, 150))
    draw.text((x + 6, y + 6), "B2025-222", fill=(0, 0, 0), font=font(13))
    x, y, w, h = TERMS
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255), outline=(120, 120, 120))
    draw.text((x + 6, y + 6), terms, fill=(0, 0, 0), font=font(13))
    draw.polygon([(x + w - 18, y + 10), (x + w - 8, y + 10), (x + w - 13, y + 16)],
                 fill=(40, 40, 40))
    draw.rectangle((202, 124, 215, 137), fill=(255, 255, 255), outline=(90, 90, 90))
    if ticked:
        draw.line((204, 130, 207, 134, 213, 126), fill=(20, 20, 20), width=2)
    draw.text((220, 123), "Send copy", fill=(0, 0, 0), font=font(13))
    if open_list:
        x, y, w, h = TERMS_LIST
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255), outline=(90, 90, 90))
        draw.rectangle((x + 1, y + 1, x + w - 2, y + 22), fill=(50, 90, 170))  # the current
        for i, option in enumerate(("Net 30", "Net 14", "Net 60")):
            draw.text((x + 6, y + 4 + 22 * i), option, fill=(255, 255, 255) if i == 0 else
                      (0, 0, 0), font=font(13))
    return np.asarray(img).copy()


def test_a_list_opening_with_the_focus_ring_let_go_above_is_the_pressed_boxs():
    """The field above loses its focus ring in the frame the list opens, so one change holds
    both; the pointer, gone on to the list where it covers a check box, pressed the box
    before: its choice is a select, not a check box's click."""
    def see(rgb):
        listed = rgb[140, 330].tolist() == [255, 255, 255]
        return [("textbox", FIELD), ("combobox", TERMS)] + (
            [("listitem", (201, 117 + 22 * i, 148, 22)) for i in range(3)] if listed
            else [("checkbox", TICK)])

    inference = EventInference(LookingDetector(see), default_reader())
    pressed, on_item = (260, 100), (260, 128)
    merged = (FIELD[0], FIELD[1], TERMS_LIST[2], TERMS_LIST[1] + TERMS_LIST[3] - FIELD[1])
    steps = [(payment_form(focused=True), (), pressed),
             (payment_form(focused=True), (), pressed),
             (payment_form(focused=False, open_list=True), (merged,), on_item),
             (payment_form(focused=False, terms="Net 60"), (TERMS_LIST,), on_item)]
    steps += [(payment_form(focused=False, terms="Net 60"), (), on_item)] * 6
    out = events(inference, steps)
    assert [(c.payload.target.name, c.payload.value) for c in out if c.type == "select"] == [
        ("Payment terms:", "Net 60")]
    assert not [c for c in out if c.type == "click" and c.payload.target.role == "checkbox"]


CURRENCY, STATUS = (200, 100, 100, 26), (200, 130, 150, 26)
CURRENCY_LIST, STATUS_LIST = (200, 126, 100, 68), (200, 70, 150, 92)


def two_lists(currency: str, status: str, *, opened: str | None = None) -> np.ndarray:
    """A "Currency:" box over a "Status:" box; Currency's list opens under it, Status's list
    over both boxes, centred on its value."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    for (x, y, w, h), label, value in ((CURRENCY, "Currency:", currency),
                                       (STATUS, "Status:", status)):
        draw.text((130, y + 6), label, fill=(0, 0, 0), font=font(13))
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255),
                       outline=(120, 120, 120))
        draw.text((x + 6, y + 6), value, fill=(0, 0, 0), font=font(13))
    if opened is not None:
        (x, y, w, h), options = ((CURRENCY_LIST, ("EUR", "USD", "GBP")) if opened == "currency"
                                 else (STATUS_LIST, ("Open", "On hold", "Closed")))
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255), outline=(90, 90, 90))
        for i, option in enumerate(options):
            draw.text((x + 6, y + 6 + 28 * i), option, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


def test_a_list_opening_over_a_box_not_read_yet_leaves_that_boxs_choice_as_it_was():
    """Currency's list closes on USD; before its box has settled, Status's list opens over it
    and stays open past the longest wait: the box is read from the frame before that list
    opened, not through the list."""
    inference = EventInference(Boxes([("combobox", CURRENCY), ("combobox", STATUS)]),
                               default_reader())
    on_currency, on_status = (250, 113), (300, 143)
    steps = [(two_lists("EUR", "Open"), (), on_currency),
             (two_lists("EUR", "Open", opened="currency"), (CURRENCY_LIST,), on_currency),
             (two_lists("USD", "Open"), (CURRENCY_LIST, CURRENCY), on_currency),
             (two_lists("USD", "Open"), (STATUS,), on_status)]   # Status seen again
    steps += [(two_lists("USD", "Open", opened="status"), (STATUS_LIST,), on_status)]
    steps += [(two_lists("USD", "Open", opened="status"), (), on_status)] * 10
    steps += [(two_lists("USD", "Closed"), (STATUS_LIST,), on_status)]
    steps += [(two_lists("USD", "Closed"), (), on_status)] * 6
    out = events(inference, steps)
    assert [(c.payload.target.name, c.payload.value) for c in out if c.type == "select"] == [
        ("Currency:", "USD"), ("Status:", "Closed")]


def test_a_value_chosen_again_after_the_box_was_reset_unseen_is_a_new_choice():
    """"Closed" is chosen, the box goes back to "Open" (a form reset, no list), and "Closed"
    is chosen again: two choices. Only a list closing over the value reported last, which
    the box showed as the list opened, is no choice."""
    inference = EventInference(Boxes([("combobox", COMBO), ("text", (138, 104, 52, 18))]
                                     + [("listitem", b) for b in OPTIONS]), default_reader())
    on, away, listed = (320, 113), (560, 320), (200, 126, 150, 68)

    def choose(before: str, after: str):
        return [(status_box(before, open_list=False), (), on),
                (status_box(before, open_list=True), (listed,), on),
                (status_box(after, open_list=False), (listed, COMBO), on)] + [
            (status_box(after, open_list=False), (), on)] * 5

    steps = choose("Open", "Closed") + [(status_box("Open", open_list=False), (COMBO,), away)]
    steps += [(status_box("Open", open_list=False), (), away)] * 3
    steps += choose("Open", "Closed") + choose("Closed", "Closed")
    out = events(inference, steps)
    assert [c.payload.value for c in out if c.type == "select"] == ["Closed", "Closed"]


def test_the_pointers_trail_under_a_box_opens_no_list():
    """A fast move down past a combo box leaves a narrow, tall change right under it: a list
    is about as wide as its box. A list drawn over its box, centred on the value, may end a
    few pixels short of the box's lower edge."""
    box = (535, 202, 243, 34)
    assert not _attached((636, 232, 18, 68), box, "dropdown")
    assert _attached((538, 232, 236, 120), box, "dropdown")
    assert _attached((538, 126, 230, 106), box, "dropdown")


def test_a_field_seen_both_as_a_text_field_and_as_a_combo_box_is_not_the_lists_owner():
    site, contact = Element("combobox", (583, 382, 161, 25), 0.86), Element(
        "combobox", (584, 411, 155, 23), 0.31)
    screen = SimpleNamespace(previous=[site, contact,
                                       Element("textbox", (582, 410, 157, 26), 0.6)])
    assert _unlike_fields([site, contact], screen) == [site]
    assert _unlike_fields([contact], screen) == [contact]   # none left: kept


def test_a_missed_box_is_found_where_the_pointer_pressed_or_above_the_value_a_list_covers():
    img = Image.fromarray(payment_form(focused=True))
    merged = (200, 60, 150, 126)
    x, y, w, h = unseen_box(np.asarray(img), merged, (260, 100))
    assert (abs(x - TERMS[0]) <= 2, abs(y - TERMS[1]) <= 2, abs(w - TERMS[2]) <= 3) == (
        True, True, True)
    # a box holding a value from its left edge; its list drawn over it from its top
    valued = Image.new("RGB", (400, 300), (236, 236, 236))
    draw = ImageDraw.Draw(valued)
    draw.rectangle((100, 100, 254, 124), fill=(255, 255, 255), outline=(120, 120, 120))
    draw.text((104, 105), "WH01 Central", fill=(0, 0, 0), font=font(13))
    x, y, w, h = unseen_box(np.asarray(valued), (99, 101, 158, 84))
    assert abs(x - 100) <= 2 and abs(y - 100) <= 2 and 20 <= h <= 28


def warehouse_box(value: str, *, open_list: bool) -> np.ndarray:
    """A "Warehouse:" box showing ``value``; its list drawn over it from its top."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    draw.text((110, 106), "Warehouse:", fill=(0, 0, 0), font=font(13))
    draw.rectangle((200, 100, 349, 125), fill=(255, 255, 255), outline=(120, 120, 120))
    draw.text((205, 106), value, fill=(0, 0, 0), font=font(13))
    if open_list:
        draw.rectangle((200, 101, 349, 192), fill=(255, 255, 255), outline=(90, 90, 90))
        for i, option in enumerate(("WH01 Central", "WH02 North", "WH03 Port", "WH07 Returns")):
            draw.text((205, 105 + 22 * i), option, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


def test_with_no_pointer_drawn_a_list_over_a_box_the_detector_missed_is_its_choice():
    """No pointer in the frames (a Citrix session without the cursor drawn): a list of rows
    drawn over a box the detector never saw, holding a value, is that box's drop-down."""
    def see(rgb):
        rows = [("listitem", (201, 103 + 22 * i, 148, 22)) for i in range(4)]
        return [("text", (110, 104, 80, 18))] + (rows if rgb[180, 300, 0] == 255 else [])

    inference = EventInference(LookingDetector(see), default_reader())
    listed = (200, 101, 150, 92)
    out = events(inference, list_chosen(warehouse_box, "WH01 Central", "WH03 Port", listed, None))
    assert [(c.payload.target.name, c.payload.value) for c in out if c.type == "select"] == [
        ("Warehouse:", "WH03 Port")]
    assert not [c for c in out if c.type == "click"]   # the rows were the list's, no pick


NOTES = (200, 122, 200, 60)


def list_over_notes(terms: str = "", *, opened: bool = False,
                    lit: int | None = None) -> np.ndarray:
    """A "Payment terms:" box over a "Notes:" text area holding a line of text; ``opened``,
    the box's list open over the area, row ``lit`` lit."""
    img = Image.new("RGB", (640, 400), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    for (x, y, w, h), label in ((TERMS, "Payment terms:"), (NOTES, "Notes:")):
        draw.text((x - 110, y + 6), label, fill=(0, 0, 0), font=font(13))
    x, y, w, h = NOTES
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255), outline=(150, 150, 150))
    draw.text((x + 6, y + 6), "Deliver to gate 4", fill=(0, 0, 0), font=font(13))
    x, y, w, h = TERMS
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255), outline=(120, 120, 120))
    draw.text((x + 6, y + 6), terms, fill=(0, 0, 0), font=font(13))
    if opened:
        x, y, w, h = TERMS_LIST
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255), outline=(90, 90, 90))
        for i, option in enumerate(("Net 30", "Net 14", "Net 60")):
            top = y + 2 + 22 * i
            if i == lit:
                draw.rectangle((x + 2, top, x + w - 3, top + 21), fill=(50, 100, 200))
            draw.text((x + 6, top + 2), option, fill=(255, 255, 255) if i == lit else (0, 0, 0),
                      font=font(13))
    return np.asarray(img).copy()


def test_a_row_lighting_in_a_list_open_over_a_text_area_is_no_typing_there():
    """The list of a box opens over the text area below it, which the detector still finds
    under the list. A row lighting up as the pointer comes onto it changes the area's place:
    that is no typing into the area and no click on it."""
    inference = EventInference(Boxes([("combobox", TERMS), ("textbox", NOTES)]),
                               default_reader())
    pressed, on = (260, 100), (260, 173)
    row = (TERMS_LIST[0] + 2, TERMS_LIST[1] + 46, TERMS_LIST[2] - 4, 22)
    steps = [(list_over_notes(), (), pressed), (list_over_notes(), (), pressed),
             (list_over_notes(opened=True), (TERMS_LIST,), pressed),
             (list_over_notes(opened=True, lit=2), (row,), on),
             (list_over_notes(opened=True, lit=2), (), on),
             (list_over_notes("Net 60"), (TERMS_LIST,), on)]
    steps += [(list_over_notes("Net 60"), (), on)] * 6
    out = events(inference, steps)
    assert not [c for c in out if c.type == "input_text"]
    assert not [c for c in out if c.type == "click" and c.payload.target.role == "textbox"]


def test_a_choice_whose_box_is_swept_away_before_it_settles_is_read_as_last_shown():
    """The list closes on "USD" and, before the box has settled, its dialog closes over it
    (the pointer moved straight on to a button that shuts it): the choice is the value
    the box showed last. The item picked, which the detector took for a menu's, was not
    clicked on its own: picking it is the choice."""
    def see(rgb):
        if rgb[100, 200].tolist() == [240, 240, 240]:
            return []  # the page under the dialog
        listed = rgb[185, 290].tolist() == [255, 255, 255]
        return [("combobox", CURRENCY), ("combobox", STATUS)] + (
            [("menuitem", (201, 127 + 28 * i, 98, 26)) for i in range(2)] if listed else [])

    inference = EventInference(LookingDetector(see), default_reader())
    on_box, on_item = (250, 113), (240, 165)
    page = np.full((400, 640, 3), 240, np.uint8)
    steps = [(two_lists("EUR", "Open"), (), on_box), (two_lists("EUR", "Open"), (), on_box),
             (two_lists("EUR", "Open", opened="currency"), (CURRENCY_LIST,), on_box),
             (two_lists("EUR", "Open", opened="currency"), (), on_item),
             (two_lists("USD", "Open"), (CURRENCY_LIST, CURRENCY), on_item),
             (page, ((0, 0, 640, 400),), on_item)]
    steps += [(page, (), on_item)] * 8
    out = events(inference, steps)
    assert [(c.payload.target.name, c.payload.value) for c in out if c.type == "select"] == [
        ("Currency:", "USD")]
    assert [c for c in out if c.type == "click"] == []


@pytest.mark.parametrize("ticked", [False, True], ids=["uncovered", "ticked under it"])
def test_a_check_box_a_list_closes_off_is_toggled_only_if_it_changed_under_it(ticked):
    """The item picked may lie over a check box, which the list closing shows again under
    the pointer: as it was before the list opened, it was not clicked. At a low frame rate
    the box may be ticked in the frame the list closes in (a choice, then a click on the
    box): that box did change."""
    inference = EventInference(Boxes([("textbox", FIELD), ("combobox", TERMS),
                                      ("checkbox", TICK)]), default_reader())
    on_box, on_item = (260, 100), (208, 130)
    steps = [(payment_form(focused=False), (), on_box), (payment_form(focused=False), (), on_box),
             (payment_form(focused=False, open_list=True), (TERMS_LIST,), on_box),
             (payment_form(focused=False, open_list=True), (), on_item),
             (payment_form(focused=False, terms="Net 30", ticked=ticked), (TERMS_LIST, TERMS),
              on_item)]
    steps += [(payment_form(focused=False, terms="Net 30", ticked=ticked), (), on_item)] * 6
    out = events(inference, steps)
    assert [(c.payload.target.name, c.payload.value) for c in out if c.type == "select"] == [
        ("Payment terms:", "Net 30")]
    assert [(c.payload.target.role, c.payload.target.checked) for c in out
            if c.type == "click"] == ([("checkbox", True)] if ticked else [])
