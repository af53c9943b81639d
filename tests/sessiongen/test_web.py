"""The Chromium renderers (``fixtures.sessiongen.web``): the HTML page and the canvas UI.

Each behaviour is checked on both kinds against one small hand-made application; the pixel
checks compare renders of the same page before and after one input, so they hold for every look.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("playwright")
pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(),
                                reason="needs Debian's chromium")

from fixtures.sessiongen.spec import (AppSpec, ButtonSpec, DialogSpec, FieldSpec,  # noqa: E402
                                      ScreenSpec, Theme, failure)
from fixtures.sessiongen.web import make_backend  # noqa: E402
from fixtures.sessiongen.web.browser import browser  # noqa: E402
from fixtures.sessiongen.web.pages import ASSETS  # noqa: E402

CLIENT = (20, 10, 800, 600)
THEME = Theme(name="test-flat", family="flat", font="Liberation Sans", font_pt=10, dpi_scale=1.0,
              window_bg="#f0f0f0", text="#000000", field_bg="#ffffff", field_border="#7a7a7a",
              button_bg="#e1e1e1", button_text="#000000", accent="#1f5fbf", error="#d00000",
              title_bar="#1f5fbf", title_text="#ffffff")
FORM = ScreenSpec(
    "form", "New invoice", "form",
    fields=(FieldSpec("name", "Name:", "text", required=True, error_message="Enter a name."),
            FieldSpec("amount", "Amount:", "number", rule="number",
                      error_message="Enter a valid amount."),
            FieldSpec("pin", "PIN:", "password"),
            FieldSpec("currency", "Currency:", "combo", options=("EUR", "USD", "GBP", "CHF")),
            FieldSpec("urgent", "Urgent", "checkbox"),
            FieldSpec("terms", "Terms:", "radio", options=("Net 30", "Net 60"))),
    buttons=(ButtonSpec("save", "Save", "submit", default=True),
             ButtonSpec("about", "About", "dialog:about"),
             ButtonSpec("more", "Products", "navigate:list")),
    status_text="Ready")
LIST = ScreenSpec("list", "Products", "list",
                  list_items=tuple(f"Product {i:03d}" for i in range(60)),
                  buttons=(ButtonSpec("back", "Back", "navigate:form"),))
APP = AppSpec("Invoice Desk", THEME, (FORM, LIST),
              dialogs=(DialogSpec("about", "About", "Invoice Desk 1.0",
                                  (ButtonSpec("ok", "OK", "close", default=True),)),),
              start="form")


@pytest.fixture(params=["web", "canvas"])
def kind(request) -> str:
    return request.param


def opened(kind: str, app: AppSpec = APP):
    backend = make_backend(kind)
    backend.open(app, client_rect=CLIENT)
    return backend


@pytest.fixture
def ui(kind):
    backend = opened(kind)
    yield backend
    backend.close()


def frame(backend, t_ms: int) -> np.ndarray:
    """The main window's picture at ``t_ms``, in desktop coordinates' frame of the client."""
    return np.asarray(backend.render(t_ms)[0].image)


def local(box):
    x, y, w, h = box
    return x - CLIENT[0], y - CLIENT[1], w, h


def changed_box(a: np.ndarray, b: np.ndarray):
    ys, xs = np.nonzero(np.any(a != b, axis=2))
    if not len(xs):
        return None
    return xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1


def inside(box, outer, slack: int = 0) -> bool:
    x, y, w, h = box
    ox, oy, ow, oh = outer
    return (x >= ox - slack and y >= oy - slack
            and x + w <= ox + ow + slack and y + h <= oy + oh + slack)


def click(backend, key: str) -> None:
    x, y = backend.element(key).centre()
    backend.press(x, y)
    backend.release(x, y)


def test_renders_the_client_area_with_every_field_boxed(ui):
    windows = ui.render(0)
    main = windows[0]
    assert (main.key, main.x, main.y, main.image.shape) == ("main", 20, 10, (600, 800, 3))
    assert main.title == "Invoice Desk - New invoice"
    found = {e.key: e for e in ui.elements()}
    roles = {"name": "textbox", "pin": "textbox", "currency": "combobox", "urgent": "checkbox",
             "terms=Net 30": "radio", "save": "button", "label:amount": "text", "heading": "text"}
    assert {k: found[k].role for k in roles} == roles
    assert found["amount"].name == "Amount:" and found["save"].name == "Save"
    assert all(inside(e.bbox, CLIENT) and e.window == "main" for e in found.values())


def test_hover_changes_exactly_the_buttons_box(ui):
    save = ui.element("save")
    ui.move(CLIENT[0] + 5, CLIENT[1] + CLIENT[3] - 5)
    before = frame(ui, 0)
    ui.move(*save.centre())
    after = frame(ui, 10)
    box = changed_box(before, after)
    sx, sy, sw, sh = local(save.bbox)
    assert box is not None and inside(box, (sx, sy, sw, sh))
    assert box[2] >= sw - 3 and box[3] >= sh - 3          # the whole face, not a part of it


def test_focus_redraws_the_fields_border_inside_its_box(ui):
    assert ui.focused() == "name"           # a screen focuses its first text field
    before = frame(ui, 0)
    click(ui, "amount")
    after = frame(ui, 10)
    changed = np.any(before != after, axis=2)
    ax, ay, aw, ah = local(ui.element("amount").bbox)
    assert changed[ay:ay + ah, ax:ax + aw].any(axis=0).sum() >= 0.9 * aw
    for key in ("name", "amount"):          # nothing changed outside the two fields
        x, y, w, h = local(ui.element(key).bbox)
        changed[y:y + h, x:x + w] = False
    assert not changed.any()


def test_label_box_bounds_its_ink(ui):
    image = frame(ui, 0)
    x, y, w, h = local(ui.element("label:amount").bbox)
    ink = np.nonzero(image[y - 3:y + h + 3, x - 3:x + w + 3].max(axis=2) < 96)
    assert ink[1].min() >= 3 - 1 and ink[1].max() <= w + 3
    assert ink[1].max() - ink[1].min() + 1 >= 0.7 * w


def test_typing_changes_the_value_and_keeps_focus(ui):
    click(ui, "name")
    for ch in "Acme GmbH":
        ui.type_char(ch)
    assert ui.value("name") == "Acme GmbH"
    assert ui.focused() == "name"
    ui.key("Tab")
    assert ui.focused() == "amount"


def test_password_pixels_do_not_depend_on_the_text(ui):
    x, y, w, h = local(ui.element("pin").bbox)
    empty = frame(ui, 0)[y:y + h, x:x + w]
    shots = []
    for t, text in ((100, "WWWWWW"), (1200, "iiiiii")):
        click(ui, "pin")
        ui.key("ctrl+a")
        ui.key("Backspace")
        for ch in text:
            ui.type_char(ch)
        assert ui.value("pin") == text
        shots.append(frame(ui, t)[y:y + h, x:x + w])
    assert np.array_equal(shots[0], shots[1])
    assert not np.array_equal(shots[0], empty)


def test_caret_blinks_on_the_simulated_clock(ui):
    click(ui, "name")
    ui.type_char("A")
    shown = frame(ui, 5)
    hidden = frame(ui, 5 + 530)
    again = frame(ui, 5 + 1060)
    box = changed_box(shown, hidden)
    assert box is not None and box[2] <= 2 and box[3] >= 8
    assert inside(box, local(ui.element("name").bbox))
    assert np.array_equal(shown, again)


def test_an_unchanged_page_reuses_its_picture(ui):
    first = ui.render(100)[0].image
    assert ui.render(100)[0].image is first


def test_dropdown_opens_picks_and_closes(ui):
    assert ui.value("currency") == "EUR"
    click(ui, "currency")
    options = {e.key: e for e in ui.elements() if e.key.startswith("option:currency=")}
    assert set(options) == {f"option:currency={c}" for c in ("EUR", "USD", "GBP", "CHF")}
    assert {e.window for e in options.values()} == {"popup"}
    assert [w.key for w in ui.render(50)] == ["main", "popup"]
    click(ui, "option:currency=GBP")
    assert ui.value("currency") == "GBP"
    assert not [e for e in ui.elements() if e.key.startswith("option:")]
    assert [w.key for w in ui.render(100)] == ["main"]


def test_check_box_and_radio_report_their_state(ui):
    click(ui, "urgent")
    click(ui, "terms=Net 60")
    assert ui.value("urgent") is True
    assert ui.value("terms") == "Net 60"
    assert (ui.value("terms=Net 60"), ui.value("terms=Net 30")) == (True, False)


def test_inline_validation_message_in_the_error_colour(ui):
    click(ui, "amount")
    for ch in "12x":
        ui.type_char(ch)
    click(ui, "save")
    errors = {field: (message, box) for field, message, box in ui.visible_errors()}
    assert set(errors) == {"Name:", "Amount:"}
    message, box = errors["Amount:"]
    assert message == "Enter a valid amount."
    x, y, w, h = local(box)
    crop = frame(ui, 10)[y:y + h, x:x + w].astype(int)
    reddish = (crop[..., 0] > 150) & (crop[..., 1] < 110) & (crop[..., 2] < 110)
    assert reddish.sum() >= 20
    click(ui, "amount")
    ui.type_char("5")                   # editing the field hides its message
    assert {f for f, _, _ in ui.visible_errors()} == {"Name:"}


def test_dialog_is_a_window_of_its_own_and_escape_closes_it(ui):
    click(ui, "about")
    assert ui.open_dialogs() == ["about"]
    found = {e.key: e for e in ui.elements()}
    assert found["about.ok"].window == "about" and found["about.message"].name == "Invoice Desk 1.0"
    windows = ui.render(10)
    assert [w.key for w in windows] == ["main", "about"]
    dialog = windows[1]
    assert inside((dialog.x, dialog.y, *dialog.image.shape[1::-1]), CLIENT)
    assert inside(found["about.ok"].bbox, (dialog.x, dialog.y, *dialog.image.shape[1::-1]))
    ui.key("Escape")
    assert ui.open_dialogs() == []


def test_wheel_moves_the_list_by_the_scrolled_pixels(ui):
    click(ui, "more")
    assert ui.screen() == "list"
    area = ui.element("list")
    away = (CLIENT[0] + CLIENT[2] - 5, CLIENT[1] + CLIENT[3] - 5)   # no hover look on the rows
    ui.move(*away)
    before = frame(ui, 0)
    items = {e.key: e.bbox for e in ui.elements() if e.key.startswith("item:")}
    ui.wheel(*area.centre(), 1)
    ui.move(*away)
    moved = int(ui.value("scroll:list"))
    after = frame(ui, 10)
    assert moved > 0
    kept = {e.key: e.bbox for e in ui.elements() if e.key.startswith("item:") and e.key in items}
    whole = {k: box for k, box in kept.items() if box[3] == items[k][3]}   # not clipped
    assert whole and all(items[k][1] - box[1] == moved for k, box in whole.items())
    x, y, w, h = local(area.bbox)
    inner = slice(x + 4, x + w // 2)     # clear of borders and the scroll bar
    assert np.array_equal(after[y + 4:y + h - moved - 4, inner],
                          before[y + 4 + moved:y + h - 4, inner])


def test_same_app_same_pixels(kind):
    first, second = opened(kind), opened(kind)
    try:
        assert np.array_equal(frame(first, 700), frame(second, 700))
    finally:
        first.close()
        second.close()


def test_web_wheel_step_is_a_hundred_css_pixels():
    ui = opened("web", dataclasses.replace(APP, start="list"))
    try:
        ui.wheel(*ui.element("list").centre(), 2)
        assert ui.value("scroll:list") == "200"
        ui.wheel(*ui.element("list").centre(), -1)
        assert ui.value("scroll:list") == "100"
    finally:
        ui.close()


def test_page_validation_matches_spec_failure():
    fields = (FieldSpec("n", "Amount: *", "number", rule="number"),
              FieldSpec("d", "Date", "date", rule="date", required=True),
              FieldSpec("e", "E-mail:", "text", rule="email"),
              FieldSpec("t", "Name *", "text", required=True, rule="nonempty",
                        error_message="Enter a name."),
              FieldSpec("c", "Currency", "combo", options=("EUR",), required=True))
    values = ("", "  ", "12", "-3", "1,250.00", "1.250,5", "1 250", "12,5x", "1,25,0", "007",
              "3.14159", "31.12.2024", "12/31/2024", "31/12/24", "2024-02-30", "2024-02-29",
              "2023-02-29", "1.1.2024", "2024-1-05", "a@b.de", "a@b", "x y@z.com", "Acme")
    page = browser("grey").new_page()
    try:
        page.add_script_tag(content=(ASSETS / "common.js").read_text(encoding="utf-8"))
        got = page.evaluate("cases => cases.map(([f, v]) => failure(f, v))",
                            [[dataclasses.asdict(f), v] for f in fields for v in values])
    finally:
        page.close()
    assert got == [failure(f, v) for f in fields for v in values]
