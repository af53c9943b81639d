"""Screen changes: a dialog's title bar is new, a retitled window's bar is not."""

import pytest

from vision.inference.screens import _bar_stayed, _same_bar

from tests.helpers import form_screen, jpeg

WINDOW_BAR = (0, 0, 640, 28)
DIALOG_BAR = (181, 121, 279, 23)


@pytest.mark.parametrize("quality", [None, 40])
def test_a_window_retitled_by_a_navigation_keeps_its_bar(quality):
    before = form_screen(page="Invoice")
    after = form_screen(page="Payments", values={"Vendor": "Zeta"})
    if quality:
        before, after = jpeg(before, quality), jpeg(after, quality)
    assert _bar_stayed(before, after, WINDOW_BAR)


@pytest.mark.parametrize("quality", [None, 40])
def test_a_dialogs_bar_covers_what_was_there(quality):
    before = form_screen()
    after = form_screen(dialog=True)
    if quality:
        before, after = jpeg(before, quality), jpeg(after, quality)
    assert not _bar_stayed(before, after, DIALOG_BAR)


def test_a_bar_box_that_moved_a_little_is_the_same_bar():
    assert _same_bar((499, 108, 1220, 22), (492, 108, 1179, 21))
    assert not _same_bar((499, 108, 1220, 22), (700, 400, 500, 22))
