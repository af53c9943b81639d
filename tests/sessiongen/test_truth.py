"""The contract's event rules (CONTRACT.md section 3) as the truth log applies them."""

from dataclasses import replace

import pytest

from fixtures.sessiongen.backend import Element
from fixtures.sessiongen.truth import TruthLog, UiState

NAME = Element("name", "textbox", "Name:", (100, 50, 120, 22))
PASSWORD = Element("pw", "textbox", "Password:", (100, 80, 120, 22))
COMBO = Element("cur", "combobox", "Currency:", (100, 110, 80, 22))
OPTION = Element("option:cur=USD", "listitem", "USD", (100, 132, 80, 18), "popup")
CHECK = Element("urgent", "checkbox", "Urgent", (100, 140, 70, 18))
SAVE = Element("save", "button", "Save", (300, 300, 80, 24))
TAB = Element("tab:Lines", "tab", "Lines", (100, 20, 60, 24))
LABEL = Element("label:name", "text", "Name:", (40, 54, 40, 14))
FIELDS = {e.key: e for e in (NAME, PASSWORD, COMBO, CHECK)}


def state(**changes) -> UiState:
    base = UiState(screen="form", screen_title="Invoice", dialogs=(), focused=None,
                   values=(("name", ""), ("pw", ""), ("cur", "EUR"), ("urgent", False)),
                   errors=(), tab="General", row=None, item=None, popup=None)
    values = dict(base.values)
    values.update(changes.pop("set", {}))
    return replace(base, values=tuple(values.items()), **changes)


def click(log: TruthLog, t: int, el: Element, before: UiState, after: UiState, count: int = 1):
    x, y = el.centre()
    log.click(t, el, x, y, count=count, before=before, after=after, field_boxes=FIELDS)


def typing(log: TruthLog, t0: int, field: str, text: str, *, step: int = 200,
           focused: str | None = None) -> int:
    """Type ``text`` into ``field`` one character per ``step`` ms; returns the last time."""
    t = t0
    for i in range(1, len(text) + 1):
        before = state(focused=focused or field, set={field: text[:i - 1]})
        after = state(focused=focused or field, set={field: text[:i]})
        log.keys(t, before=before, after=after, field_boxes=FIELDS)
        t += step
    return t - step


def types(events):
    return [e.type for e in events]


def test_click_into_field_then_typing_gives_click_and_one_input_text():
    log = TruthLog()
    click(log, 1000, NAME, state(), state(focused="name"))
    last = typing(log, 1500, "name", "Acme GmbH")
    events = log.finish()
    assert types(events) == ["click", "input_text"]
    assert events[0].payload.target.role == "textbox" and events[0].payload.target.name == "Name:"
    text = events[1].payload
    assert (text.text, text.started_t_ms, events[1].t_ms) == ("Acme GmbH", 1500, last)


def test_tab_moves_focus_without_a_click_and_ends_the_edit():
    log = TruthLog()
    typing(log, 0, "name", "jmeyer")
    before = state(focused="name", set={"name": "jmeyer"})
    log.keys(3000, before=before, after=replace(before, focused="pw"), field_boxes=FIELDS)
    typing(log, 3500, "pw", "secret", focused="pw")
    events = log.finish()
    assert types(events) == ["input_text", "input_text"]
    assert events[0].payload.text == "jmeyer"


def test_password_edit_is_masked_without_text():
    log = TruthLog(masked_fields=frozenset({"pw"}))
    typing(log, 0, "pw", "s3cret!")
    (event,) = log.finish()
    assert event.payload.masked and event.payload.text is None


def test_a_five_second_rest_splits_an_edit_and_shorter_pauses_do_not():
    log = TruthLog()
    last = typing(log, 0, "name", "ab", step=4900)          # 4.9 s pause: one edit
    before = state(focused="name", set={"name": "ab"})
    log.keys(last + 5000, before=before, after=state(focused="name", set={"name": "abc"}),
             field_boxes=FIELDS)                           # 5 s rest: a second edit
    events = log.finish()
    assert [e.payload.text for e in events] == ["ab", "abc"]


def test_typo_corrected_with_backspace_gives_the_final_value_only():
    log = TruthLog()
    for t, (old, new) in enumerate([("", "A"), ("A", "Ac"), ("Ac", "Acx"), ("Acx", "Ac"),
                                    ("Ac", "Acm")]):
        log.keys(t * 150, before=state(focused="name", set={"name": old}),
                 after=state(focused="name", set={"name": new}), field_boxes=FIELDS)
    (event,) = log.finish()
    assert event.payload.text == "Acm"


def test_dropdown_choice_is_one_select_and_its_clicks_are_not_clicks():
    log = TruthLog()
    opened = state(popup="combo:cur")
    click(log, 1000, COMBO, state(), opened)
    click(log, 1800, OPTION, opened, state(set={"cur": "USD"}))
    (event,) = log.finish()
    assert event.type == "select"
    assert (event.payload.target.name, event.payload.value) == ("Currency:", "USD")
    assert event.payload.target.bbox == COMBO.bbox


def test_opening_and_closing_a_dropdown_without_a_new_value_gives_nothing():
    log = TruthLog()
    opened = state(popup="combo:cur")
    click(log, 1000, COMBO, state(), opened)
    click(log, 1800, COMBO, opened, state())               # clicked again: closes it
    log.keys(2500, before=opened, after=state(), field_boxes=FIELDS)  # or Escape
    click(log, 3000, Element("option:cur=EUR", "listitem", "EUR", (100, 132, 80, 18), "popup"),
          opened, state())                                 # the current value again
    assert log.finish() == []


def test_clicking_the_focused_field_or_a_label_gives_nothing():
    log = TruthLog()
    click(log, 1000, NAME, state(focused="name"), state(focused="name"))
    click(log, 2000, LABEL, state(), state())
    assert log.finish() == []


def test_checkbox_click_carries_the_state_after():
    log = TruthLog()
    click(log, 1000, CHECK, state(), state(set={"urgent": True}))
    (event,) = log.finish()
    assert event.payload.target.checked is True and event.payload.target.role == "checkbox"


def test_tab_switch_is_a_click_on_the_tab_not_a_screen_change():
    log = TruthLog()
    click(log, 1000, TAB, state(), state(tab="Lines"))
    (event,) = log.finish()
    assert event.type == "click" and event.payload.target.role == "tab"


def test_button_opening_a_dialog_gives_click_and_dialog_open_then_close():
    log = TruthLog()
    with_dialog = state(dialogs=(("saved", "Saved"),))
    click(log, 1000, SAVE, state(), with_dialog)
    log.keys(2000, before=with_dialog, after=state(), field_boxes=FIELDS)   # Escape
    events = log.finish()
    assert types(events) == ["click", "screen_change", "screen_change"]
    assert [e.payload.kind for e in events[1:]] == ["dialog_open", "dialog_close"]
    assert events[1].payload.title == "Saved"


def test_menu_title_and_item_are_two_menuitem_clicks():
    log = TruthLog()
    title = Element("menu:File", "menuitem", "File", (0, 0, 40, 20))
    item = Element("menu:File/Search", "menuitem", "Search", (0, 20, 120, 22), "popup")
    opened = state(popup="menu:File")
    click(log, 1000, title, state(), opened)
    click(log, 1600, item, opened, state(screen="search", screen_title="Search"))
    events = log.finish()
    assert types(events) == ["click", "click", "screen_change"]
    assert [e.payload.target.role for e in events[:2]] == ["menuitem", "menuitem"]
    assert events[2].payload.kind == "navigation"


def test_a_modal_dialog_blocks_clicks_on_the_window_beneath():
    log = TruthLog()
    blocked = state(dialogs=(("saved", "Saved"),))
    click(log, 1000, SAVE, blocked, blocked)
    assert log.finish() == []


def test_validation_messages_count_when_they_appear_and_again_after_going_away():
    log = TruthLog()
    error = (("Name:", "Name is required.", (230, 54, 100, 14)),)
    click(log, 1000, SAVE, state(), state(errors=error))
    click(log, 2000, SAVE, state(errors=error), state(errors=error))     # still shown
    moved = (("Name:", "Name is required.", (230, 60, 100, 14)),)
    click(log, 2500, SAVE, state(errors=error), state(errors=moved))     # only moved
    click(log, 3000, SAVE, state(), state(errors=error))                 # shown again
    events = [e for e in log.finish() if e.type == "validation_error"]
    assert [e.t_ms for e in events] == [1000, 3000]
    assert events[0].payload.field == "Name:"


def test_navigation_ends_an_open_edit():
    log = TruthLog()
    typing(log, 0, "name", "ab")
    before = state(focused="name", set={"name": "ab"})
    log.keys(1000, before=before, after=replace(before, screen="list", screen_title="List"),
             field_boxes=FIELDS)
    events = log.finish()
    assert types(events) == ["input_text", "screen_change"]


@pytest.mark.parametrize("gaps, expected", [((100, 300, 900), [3]), ((100, 1000, 100), [1, 2])])
def test_wheel_steps_under_a_second_apart_are_one_scroll(gaps, expected):
    log = TruthLog()
    t = 0
    for gap in gaps:
        t += gap
        log.wheel(t, "list", (10, 10, 200, 300), 40)
    events = log.finish()
    assert [e.payload.dy // 40 for e in events] == expected


def test_scrolling_that_moves_nothing_gives_nothing():
    log = TruthLog()
    for t in (0, 100, 200):
        log.wheel(t, "list", (10, 10, 200, 300), 0)
    assert log.finish() == []


def test_coordinates_are_scaled_to_frame_pixels():
    log = TruthLog(scale=1.5)
    click(log, 1000, SAVE, state(), state(dialogs=(("saved", "Saved"),)))
    event = log.finish()[0]
    assert event.payload.target.bbox == (450, 450, 120, 36)
    assert (event.payload.x, event.payload.y) == (510, 468)


def test_values_changed_by_a_button_are_not_edits():
    log = TruthLog()
    reset = Element("clear", "button", "Clear", (400, 300, 80, 24))
    click(log, 1000, reset, state(focused="clear", set={"name": "Acme"}), state(focused="clear"))
    assert types(log.finish()) == ["click"]
