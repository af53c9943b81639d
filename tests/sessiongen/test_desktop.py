"""Desktop composition: windows where they say, frames around them, stacking, the clock."""

from __future__ import annotations

import numpy as np
import pytest

from fixtures.sessiongen.backend import WindowImage
from fixtures.sessiongen.colours import rgb
from fixtures.sessiongen.desktop import Desktop, plan_desktop

SIZE = (640, 480)


@pytest.fixture
def desktop(theme):
    layout = plan_desktop(np.random.default_rng(3), theme, SIZE, mode="desktop",
                          wallpaper=("#204060", "#102030"), other_titles=("notes.txt",),
                          other_lines=("a line",) * 30, clock_start_s=9 * 3600 + 59 * 60)
    return Desktop(layout)


def window(key, value, x, y, title, size=(60, 80), active=True):
    return WindowImage(key, np.full(size + (3,), value, np.uint8), x, y, title, active)


def test_clients_land_where_they_say_and_stack_in_order(desktop):
    main = window("main", 200, 100, 100, "App - Form", (200, 300))
    dialog = window("dlg", 50, 150, 150, "Saved")
    frame = desktop.compose([main, dialog], 0)
    assert np.all(frame[100:120, 100:140] == 200)              # main, clear of the dialog
    assert np.all(frame[150:210, 150:230] == 50)               # the dialog above it
    th = desktop.layout.chrome.title_h
    title_row = frame[100 - th // 2, 110:130]
    assert np.all(title_row != 200)                            # a title bar above the client


def test_title_bars_and_caption_buttons_are_elements(desktop):
    main = window("main", 200, 100, 100, "App - Form", (200, 300))
    els = {e.key: e for e in desktop.elements([main], 0)}
    bar = els["titlebar:main"]
    assert (bar.role, bar.name) == ("titlebar", "App - Form")
    assert bar.bbox[1] + bar.bbox[3] <= 100 and bar.bbox[2] >= 300
    assert sum(k.startswith("caption:main") for k in els) == 3
    assert els["taskbar:clock"].name == "09:59"


def test_the_taskbar_clock_changes_with_the_minute(desktop):
    assert desktop.clock_text(0) == "09:59" and desktop.clock_text(61_000) == "10:00"
    main = [window("main", 200, 100, 100, "App", (200, 300))]
    assert not np.array_equal(desktop.compose(main, 0), desktop.compose(main, 61_000))
    assert np.array_equal(desktop.compose(main, 0), desktop.compose(main, 30_000))


def test_seamless_layout_is_one_maximised_window(theme):
    layout = plan_desktop(np.random.default_rng(0), theme, SIZE, mode="seamless",
                          wallpaper=("#000000", "#000000"), other_titles=("x",),
                          other_lines=(), clock_start_s=0)
    x, y, w, h = layout.main_client
    assert (x, w, y + h) == (0, SIZE[0], SIZE[1]) and y == layout.chrome.title_h
    assert layout.taskbar_h == 0 and layout.others == ()
    frame = Desktop(layout).compose([window("main", 77, x, y, "App", (h, w))], 0)
    assert np.all(frame[y:, :] == 77)
    assert tuple(frame[y // 2, 2]) == rgb(theme.title_bar)
