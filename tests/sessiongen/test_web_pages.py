"""The Python side of the Chromium renderers: looks, page documents, spec checks, geometry.

No browser is needed here; ``test_web.py`` drives the pages themselves.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("playwright")

from fixtures.sessiongen.spec import (AppSpec, ButtonSpec, DialogSpec, ScreenSpec,  # noqa: E402
                                      Theme)
from fixtures.sessiongen.variety import draw_app  # noqa: E402
from fixtures.sessiongen.web.chromium import device_box, playwright_key, start_time  # noqa: E402
from fixtures.sessiongen.web.pages import (check_app, icon_names, look_of,  # noqa: E402
                                           page_document, theme_variables)

THEME = Theme(name="t", family="flat", font="Liberation Sans", font_pt=9, dpi_scale=1.0,
              window_bg="#f0f0f0", text="#101010", field_bg="#ffffff", field_border="#808080",
              button_bg="#e0e0e0", button_text="#101010", accent="#2050a0", error="#c00000",
              title_bar="#2050a0", title_text="#ffffff")
SCREEN = ScreenSpec("form", "Form", "form", buttons=(ButtonSpec("ok", "OK", "none"),))


def app_with(*, buttons=(), dialogs=(), error_display="inline") -> AppSpec:
    screen = dataclasses.replace(SCREEN, buttons=SCREEN.buttons + tuple(buttons),
                                 error_display=error_display)
    return AppSpec("App", THEME, (screen,), dialogs=tuple(dialogs), start="form")


@pytest.mark.parametrize("family, web, canvas", [
    ("classic3d", {"legacy"}, "classic"), ("windows", {"legacy"}, "classic"),
    ("dark", {"dark"}, "dark"), ("flat", {"flat", "bootstrap"}, "flat"),
    ("fusion", {"flat", "bootstrap"}, "flat"),
])
def test_each_family_gets_its_looks(family, web, canvas):
    theme = dataclasses.replace(THEME, family=family)
    assert {look_of(theme, "web", seed) for seed in range(4)} == web
    assert look_of(theme, "canvas", 0) == canvas


def test_text_on_the_accent_stays_readable():
    dark = theme_variables(THEME)
    light = theme_variables(dataclasses.replace(THEME, accent="#ffd54a"))
    assert (dark["--on-accent"], light["--on-accent"]) == ("#ffffff", "#000000")
    assert dark["--fs"] == "12.00px"
    with pytest.raises(ValueError, match="#rrggbb"):
        theme_variables(dataclasses.replace(THEME, accent="blue"))


def embedded_spec(document: str) -> dict:
    return json.loads(document.split("const SPEC = ", 1)[1].split(";\nconst LOOK = ", 1)[0])


@pytest.mark.parametrize("split", ["train", "test"])
def test_every_drawn_app_is_embedded_whole(split):
    for seed in range(12):
        app = draw_app(np.random.default_rng(seed), split, seed=seed)
        for kind in ("web", "canvas"):
            as_json = json.loads(json.dumps(dataclasses.asdict(app)))
            assert embedded_spec(page_document(app, kind)) == as_json


def test_texts_cannot_end_the_script():
    app = dataclasses.replace(app_with(), name="Sales</script><script>alert(1)")
    document = page_document(app, "canvas")
    assert document.count("</script>") == 1
    assert embedded_spec(document)["name"] == app.name


@pytest.mark.parametrize("app, message", [
    (app_with(buttons=[ButtonSpec("x", "X", "explode")]), "unknown action"),
    (app_with(buttons=[ButtonSpec("x", "X", "navigate:nowhere")]), "names no navigate target"),
    (app_with(buttons=[ButtonSpec("x", "X", "submit:dialog:nowhere")]), "names no dialog target"),
    (app_with(buttons=[ButtonSpec("x", None, "none", icon="unicorn")]), "icon 'unicorn'"),
    (app_with(buttons=[ButtonSpec("x", None, "none")]), "neither a caption nor an icon"),
    (app_with(error_display="dialog"), "no is_error dialog"),
])
def test_specs_the_pages_cannot_show_are_refused(app, message):
    with pytest.raises(ValueError, match=message):
        check_app(app)


def test_an_error_dialog_makes_dialog_display_acceptable():
    error = DialogSpec("error", "Error", "", (ButtonSpec("ok", "OK", "close"),), is_error=True)
    check_app(app_with(error_display="dialog", dialogs=[error]))
    assert {"search", "save", "print", "help", "add", "open", "filter", "calendar"} <= icon_names()


@pytest.mark.parametrize("name, expected", [
    ("ctrl+a", "Control+a"), ("Down", "ArrowDown"), ("Up", "ArrowUp"), ("Backtab", "Shift+Tab"),
    ("space", "Space"), ("Enter", "Enter"), ("Escape", "Escape"), ("shift+Tab", "Shift+Tab"),
    ("x", "x"),
])
def test_backend_key_names_map_to_playwright(name, expected):
    assert playwright_key(name) == expected


@given(st.integers(0, 10**9), st.integers(0, 86399))
def test_clock_starts_on_a_weekday_at_the_apps_time_of_day(seed, clock_start_s):
    start = start_time(seed, clock_start_s)
    assert start.weekday() < 5
    assert start.hour * 3600 + start.minute * 60 + start.second == clock_start_s


@settings(max_examples=200)
@given(st.floats(-50, 900), st.floats(-50, 700), st.floats(0.5, 400), st.floats(0.5, 300),
       st.sampled_from([1.0, 1.25, 1.5]))
def test_device_box_covers_the_scaled_rect_within_the_client(x, y, w, h, scale):
    size = (1000, 800)
    box = device_box({"x": x, "y": y, "w": w, "h": h}, scale, size)
    left, top = max(0.0, x * scale), max(0.0, y * scale)
    right, bottom = min(size[0], (x + w) * scale), min(size[1], (y + h) * scale)
    if box is None:
        assert right - left < 1 or bottom - top < 1
        return
    bx, by, bw, bh = box
    assert 0 <= bx <= left + 1e-3 and 0 <= by <= top + 1e-3
    assert right - 1e-3 <= bx + bw <= size[0] and bottom - 1e-3 <= by + bh <= size[1]
    assert bw <= right - left + 2 and bh <= bottom - top + 2
