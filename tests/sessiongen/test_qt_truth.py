"""Hand-checked workflows on the real Qt backend: the truth follows the contract's rules."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6")

from fixtures.sessiongen.actor import Actor  # noqa: E402
from fixtures.sessiongen.backend import make_backend  # noqa: E402
from fixtures.sessiongen.degrade import Transport, draw_settings  # noqa: E402
from fixtures.sessiongen.desktop import Desktop, plan_desktop  # noqa: E402
from fixtures.sessiongen.person import Person  # noqa: E402
from fixtures.sessiongen.recorder import CaptureSettings, Recorder  # noqa: E402
from fixtures.sessiongen.truth import TruthLog  # noqa: E402

STEADY = Person(chars_per_s=6.0, typo_rate=0.0, pointer_speed=1.0, hesitation=0.0, wander=0.0,
                tab_habit=0.0, reading_ms=(300, 400))
SIZE = (1024, 700)


@pytest.fixture
def actor(app, tmp_path):
    rng = np.random.default_rng(0)
    layout = plan_desktop(rng, app.theme, SIZE, mode="seamless", wallpaper=("#336699", "#223344"),
                          other_titles=(), other_lines=(), clock_start_s=app.clock_start_s)
    backend = make_backend("qt")
    backend.open(app, client_rect=layout.main_client)
    recorder = Recorder(tmp_path, session_id="ses_test", backend=backend,
                        desktop=Desktop(layout),
                        transport=Transport(draw_settings("lossless", rng)),
                        capture=CaptureSettings(fps=2.0), rng=rng, size=SIZE)
    person = Actor(app, backend, recorder, TruthLog(masked_fields=frozenset({"password"})),
                   STEADY, rng, start=(500, 400))
    yield person
    recorder.finish(person.t)
    backend.close()


def log_in(actor: Actor) -> None:
    actor.type_text("jmeyer")
    actor.key("Tab")
    actor.type_text("pw")
    actor.key("Enter")


def events(actor: Actor):
    return [(e.type, e.payload) for e in actor.truth.finish()]


def test_login_by_keyboard_gives_two_edits_a_masked_one_and_no_click(actor):
    assert actor.backend.focused() == "user"          # the screen opens with focus there
    log_in(actor)
    got = events(actor)
    assert [t for t, _ in got] == ["input_text", "input_text", "screen_change"]
    assert (got[0][1].text, got[0][1].target.name) == ("jmeyer", "User name:")
    assert got[1][1].masked and got[1][1].text is None
    assert got[2][1].kind == "navigation" and got[2][1].title == "New invoice"


def test_click_into_a_field_then_type(actor):
    log_in(actor)
    actor.click("amount")
    actor.type_text("12.50")
    actor.click("vendor")
    got = events(actor)[3:]     # by time: the edit ends with its last keystroke
    assert [t for t, _ in got] == ["click", "input_text", "click"]
    assert got[0][1].target.role == "textbox" and got[0][1].target.name == "Amount:"
    assert got[1][1].text == "12.50" and got[1][1].target.name == "Amount:"


def test_a_dropdown_opened_and_closed_gives_nothing_and_a_pick_gives_one_select(actor):
    log_in(actor)
    start = len(actor.truth.events)
    actor.click("currency")
    actor.key("Escape")
    assert len(actor.truth.events) == start
    actor.click("currency")
    actor.click("option:currency=GBP")
    got = events(actor)[start:]
    assert [t for t, _ in got] == ["select"]
    assert (got[0][1].target.name, got[0][1].value) == ("Currency:", "GBP")


def test_checkbox_button_dialog_and_its_closing(actor):
    log_in(actor)
    actor.click("vendor")
    actor.type_text("Acme")
    actor.click("urgent")
    actor.click("save")
    actor.click("saved.ok")
    got = events(actor)[3:]       # "vendor" had the focus already: clicking it shows nothing
    assert [t for t, _ in got] == ["input_text", "click", "click", "screen_change", "click",
                                   "screen_change"]
    assert got[1][1].target.role == "checkbox" and got[1][1].target.checked is True
    assert [p.kind for t, p in got if t == "screen_change"] == ["dialog_open", "dialog_close"]


def test_a_bad_value_shows_a_validation_error_once_and_fixing_it_saves(actor):
    log_in(actor)
    actor.click("vendor")
    actor.type_text("Acme")
    actor.click("amount")
    actor.type_text("12x")
    actor.click("save")
    got = events(actor)[3:]
    errors = [p for t, p in got if t == "validation_error"]
    assert [(e.field, e.message) for e in errors] == [("Amount:", "Enter a valid amount.")]
    assert actor.backend.open_dialogs() == []


def test_menu_title_and_item_are_two_clicks_then_tabs_and_a_double_clicked_row(actor):
    log_in(actor)
    start = len(actor.truth.events)
    actor.click("menu:File")
    actor.click("menu:File/Search")
    actor.click("cell:3:1", count=2)
    actor.click("tab:Lines")
    got = events(actor)[start:]
    assert [t for t, _ in got] == ["click", "click", "screen_change", "click", "screen_change",
                                   "click"]
    assert [p.target.role for t, p in got if t == "click"] == ["menuitem", "menuitem", "cell",
                                                               "tab"]
    assert got[3][1].count == 2 and got[3][1].target.name == "Bolt"


def test_a_wheel_burst_is_one_scroll_by_the_pixels_the_list_moved(actor):
    log_in(actor)
    actor.click("menu:File")
    actor.click("menu:File/Products")
    start = len(actor.truth.events)
    actor.scroll("list", down=True)
    actor.wait(1500)
    got = events(actor)[start:]
    assert [t for t, _ in got] == ["scroll"]
    assert got[0][1].dy == int(actor.backend.value("scroll:list")) > 0
    assert got[0][1].region == actor.backend.element("list").bbox
