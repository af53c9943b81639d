"""When a change under a menu bar is that title's menu opening: a narrow list of items starting
at the title's left edge, not a page or a panel redrawn under the bar."""

from types import SimpleNamespace

from vision.inference.popups import _menu_under
from vision.inference.screen import Element

TITLE = (333, 350, 69, 18)


def items(x: int, top: int, n: int, role: str = "menuitem", width: int = 130):
    return [Element(role, (x + 12, top + 20 * i, width, 18), 0.8) for i in range(n)]


def test_a_list_opening_under_the_title_is_its_menu():
    screen = SimpleNamespace(elements=items(333, 372, 4))
    assert _menu_under((332, 368, 150, 84), TITLE, screen)


def test_the_title_lit_up_inside_the_change_with_its_items_seen_as_rows():
    # a degraded frame: the items read as list rows; the title, lit up, is part of the change
    screen = SimpleNamespace(elements=[Element("menuitem", TITLE, 0.8)]
                             + items(333, 372, 3, role="listitem"))
    assert _menu_under((332, 350, 146, 84), TITLE, screen)


def test_a_page_redrawn_under_the_menu_bar_is_no_menu():
    screen = SimpleNamespace(elements=items(10, 380, 8, role="cell", width=700))
    assert not _menu_under((8, 370, 1200, 600), TITLE, screen)        # too wide
    assert not _menu_under((600, 370, 300, 200), TITLE, screen)       # starts elsewhere


def test_a_single_item_is_no_menu():
    screen = SimpleNamespace(elements=items(333, 372, 1))
    assert not _menu_under((332, 368, 150, 30), TITLE, screen)
