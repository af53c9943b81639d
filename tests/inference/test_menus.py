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


def test_a_closed_drop_down_is_read_once_settled_and_at_the_latest_after_the_hold_back():
    import numpy as np

    from vision.inference.popups import SETTLE_MS, Popup, Popups, _Closing
    from vision.ocr import TextRead

    combo = Element("combobox", (100, 100, 150, 26), 0.9)
    screen = SimpleNamespace(read=lambda box, **_: TextRead("Net 30", 0.9, 0.8))

    def closed_at(popups, t_ms):
        popup = Popup("dropdown", combo, "Payment terms:", (100, 126, 150, 80),
                      np.zeros((80, 150), np.float32), "Net 60", t_ms - 500)
        popups._closing = _Closing(popup, "frm_close", t_ms, t_ms + SETTLE_MS)

    def push(popups, t_ms, changed):
        diff = SimpleNamespace(regions=[SimpleNamespace(bbox=combo.bbox)] if changed else [])
        return popups._settle(SimpleNamespace(t_ms=t_ms), diff, screen)

    settled = Popups()
    closed_at(settled, 1000)
    assert push(settled, 1500, changed=True) == []            # the transport refining it
    assert push(settled, 2600, changed=False) == []           # 1.1 s unchanged: not yet
    [choice] = push(settled, 2700, changed=False)
    assert (choice.t_ms, choice.frame_id, choice.payload.value) == (1000, "frm_close", "Net 30")

    busy = Popups()                                           # a caret blinking in the box
    closed_at(busy, 1000)
    assert all(push(busy, t, changed=True) == [] for t in range(1100, 4000, 100))
    assert busy.watermark() == 1000                           # later events wait for it
    [choice] = push(busy, 4000, changed=True)
    assert choice.payload.value == "Net 30" and busy.watermark() is None


def test_a_list_closed_over_its_box_is_closed_though_the_box_shows_a_new_value():
    """A list drawn over its combo box covers the box; when it closes the box shows the value
    chosen, and the rest shows again what the list covered: closed, not a list opening anew."""
    import numpy as np

    from vision.inference.popups import Popup, _reverted

    combo = Element("combobox", (100, 120, 150, 26), 0.9)
    rgb = np.full((400, 400, 3), 200, np.uint8)
    popup = Popup("dropdown", combo, "Curr.:", (100, 100, 160, 150),
                  np.full((150, 160), 200, np.float32), "EUR", 0)
    rgb[124:142, 104:200] = 20                             # the new value in the box
    assert _reverted(popup, rgb)
    rgb[180:240, 100:260] = 255                            # items still showing under it
    assert not _reverted(popup, rgb)


def test_a_list_may_open_over_its_box_from_its_left_edge_and_wider():
    from vision.inference.popups import _attached

    box = (152, 275, 105, 31)
    assert _attached((150, 242, 150, 212), box, "dropdown")      # over it, wider
    assert not _attached((150, 242, 150, 212), box, "menu")      # a menu hangs below only
    assert not _attached((300, 242, 150, 212), box, "dropdown")  # beside it


def test_the_empty_combo_box_a_list_hangs_from_is_found_where_the_detector_missed_it():
    """An empty combo box shows nothing but its frame and arrow, and the detector may miss
    it; the list opening under it (or over it) finds it in the pixels."""
    import numpy as np
    from PIL import Image, ImageDraw

    from vision.inference.popups import unseen_box

    img = Image.new("RGB", (400, 300), (236, 236, 236))
    draw = ImageDraw.Draw(img)
    draw.rectangle((100, 100, 249, 123), fill=(255, 255, 255), outline=(120, 120, 120))
    draw.rectangle((228, 101, 248, 122), fill=(225, 225, 225), outline=(120, 120, 120))
    draw.polygon([(233, 108), (243, 108), (238, 114)], fill=(40, 40, 40))  # the arrow
    rgb = np.asarray(img)
    for list_area in ((100, 124, 150, 100), (100, 100, 150, 100)):  # under it, over it
        x, y, w, h = unseen_box(rgb, list_area)
        assert abs(x - 100) <= 2 and abs(y - 100) <= 2 and 20 <= h <= 26 and 120 <= w <= 152
    assert unseen_box(rgb, (100, 200, 150, 80)) is None             # nothing above it
    assert unseen_box(rgb, (20, 124, 400, 100)) is None             # far wider than the box


FILE = (20, 30, 40, 22)
MENU = (20, 52, 150, 84)
ITEMS = ("New claim", "Search…", "Print")


def menu_screen(*, open_menu: bool, lit: int | None = None, page: str = "Claims"):
    """A menu bar ("File", "View") over a page headed ``page``; File's menu open under it,
    item ``lit`` highlighted."""
    import numpy as np
    from PIL import Image, ImageDraw

    from tests.helpers import font

    img = Image.new("RGB", (640, 400), (250, 250, 250))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 30, 639, 51), fill=(235, 235, 235))
    draw.text((28, 33), "File", fill=(0, 0, 0), font=font(13))
    draw.text((78, 33), "View", fill=(0, 0, 0), font=font(13))
    draw.text((30, 90), page, fill=(0, 0, 0), font=font(20))
    for i in range(6):
        draw.text((30, 160 + 30 * i), f"{page} row {i + 1}", fill=(60, 60, 60), font=font(13))
    if open_menu:
        x, y, w, h = MENU
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255),
                       outline=(160, 160, 160))
        for i, item in enumerate(ITEMS):
            top = y + 4 + 26 * i
            if i == lit:
                draw.rectangle((x + 2, top, x + w - 3, top + 23), fill=(200, 212, 230))
            draw.text((x + 12, top + 4), item, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


def row(i: int) -> tuple[int, int, int, int]:
    return (MENU[0] + 2, MENU[1] + 4 + 26 * i, MENU[2] - 4, 24)


def test_the_light_moving_over_items_the_detector_missed_leaves_the_menu_open():
    """Only the title is seen as a menu item; the light going from item to item changes a
    row or two inside the menu, which stays open, and the item picked is the one under the
    pointer as the page changes, not the one lit before."""
    from vision.inference import EventInference
    from vision.ocr import default_reader

    from tests.helpers import FixedDetector
    from tests.inference.test_click_cues import events

    inference = EventInference(FixedDetector([("menuitem", FILE)]), default_reader())
    on_title, on_search, on_new = (36, 40), (90, 92), (90, 66)
    two_rows = (row(0)[0], row(0)[1], row(0)[2], 2 * 26)
    steps = [(menu_screen(open_menu=False), (), on_title),
             (menu_screen(open_menu=False), (), on_title),
             (menu_screen(open_menu=True), (MENU,), on_title),
             (menu_screen(open_menu=True, lit=1), (row(1),), on_search),
             (menu_screen(open_menu=True, lit=0), (two_rows,), on_new),
             (menu_screen(open_menu=False, page="New claim"), ((0, 52, 640, 348),), on_new)]
    steps += [(menu_screen(open_menu=False, page="New claim"), (), on_new)] * 3
    clicks = [c.payload.target.name for c in events(inference, steps) if c.type == "click"]
    assert clicks == ["File", "New claim"]


def test_a_list_drawn_with_a_new_page_is_no_menu_opening():
    """A navigation redraws the page under the menu bar, a narrow list under a title among
    it: the page's, opened by no one."""
    from vision.diff import FrameDiff, Region
    from vision.frames import DecodedFrame
    from vision.inference import EventInference
    from vision.ocr import default_reader

    from tests.helpers import FixedDetector

    def opened(paged: bool) -> bool:
        inference = EventInference(FixedDetector([("menuitem", FILE)]), default_reader())
        for t, (rgb, changed) in enumerate([(menu_screen(open_menu=False), ()),
                                            (menu_screen(open_menu=False), ()),
                                            (menu_screen(open_menu=True), (MENU,))]):
            frame = DecodedFrame(f"frm_{t}", 400 * t, t, rgb, None, None)
            diff = FrameDiff(tuple(Region(b, b[2] * b[3]) for b in changed),
                             kind="new_screen" if t == 0 else ("local" if changed else
                                                                "unchanged"),
                             changed_fraction=1.0 if t == 0 else 0.03)
            inference.screen.update(frame, diff)
            inference.clicks.trail.push(frame, diff)
            inference.popups.push(frame, diff, inference.screen, lambda box: (36, 40),
                                  paged=paged and t == 2)
        return inference.popups.open is not None

    assert opened(paged=False)
    assert not opened(paged=True)


def test_a_menu_opening_under_a_title_the_detector_missed_is_a_click_on_the_title():
    """The detector sees no title and no items (a lit title, a degraded frame): the line of
    text the pointer pressed right above a narrow list of lines is the menu's title."""
    from vision.inference import EventInference
    from vision.ocr import default_reader

    from tests.helpers import FixedDetector
    from tests.inference.test_click_cues import events

    inference = EventInference(FixedDetector([("text", (500, 300, 40, 16))]), default_reader())
    on_title = (36, 44)
    steps = [(menu_screen(open_menu=False), (), on_title),
             (menu_screen(open_menu=False), (), on_title),
             (menu_screen(open_menu=True), (MENU,), on_title)]
    steps += [(menu_screen(open_menu=True), (), on_title)] * 3
    [click] = [c for c in events(inference, steps) if c.type == "click"]
    assert (click.payload.target.role, click.payload.target.name) == ("menuitem", "File")


def bar_screen(*, title: str, open_menu: bool = False):
    """A menu bar ("File", "View") whose File title is ``title``: "plain", "lit" (a framed
    highlight, as the pointer hovers it) or "lit" with its menu open under it."""
    import numpy as np
    from PIL import Image, ImageDraw

    from tests.helpers import font

    img = Image.new("RGB", (640, 400), (250, 250, 250))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 30, 639, 51), fill=(235, 235, 235))
    if title == "lit":
        x, y, w, h = LIT_FILE
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(200, 212, 230), outline=(90, 120, 170))
    draw.text((28, 33), "File", fill=(0, 0, 0), font=font(13))
    draw.text((78, 33), "View", fill=(0, 0, 0), font=font(13))
    if open_menu:
        x, y, w, h = MENU
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(255, 255, 255),
                       outline=(160, 160, 160))
        for i, item in enumerate(ITEMS):
            draw.text((x + 12, y + 8 + 26 * i), item, fill=(0, 0, 0), font=font(13))
    return np.asarray(img).copy()


LIT_FILE = (22, 31, 40, 20)
VIEW = (70, 32, 44, 18)


def test_a_title_lit_on_its_menu_bar_as_its_menu_opens_is_a_menu_not_a_drop_down():
    """Hovered, the title is lost to the detector; lit in a frame, with its menu open under
    it, it looks like a drop-down's box with its list. Level with the bar's other titles
    seen before, it is the menu's title: the opening is a click on a menu item."""
    from vision.inference import EventInference
    from vision.ocr import default_reader

    from tests.helpers import LookingDetector
    from tests.inference.test_click_cues import events

    def see(rgb):
        lit, opened = rgb[31, 30, 0] < 150, rgb[60, 100, 0] == 255
        found = [("menuitem", VIEW)] + ([] if lit else [("menuitem", FILE)])
        if opened:
            found += [("menuitem", LIT_FILE)] + [("listitem", row(i)) for i in range(3)]
        return found

    inference = EventInference(LookingDetector(see), default_reader())
    on_title = (40, 41)
    region = (20, 31, MENU[0] + MENU[2] - 20, MENU[1] + MENU[3] - 31)
    steps = [(bar_screen(title="plain"), (), on_title),
             (bar_screen(title="plain"), (), on_title),
             (bar_screen(title="lit"), (LIT_FILE,), on_title),
             (bar_screen(title="lit", open_menu=True), (region,), on_title)]
    steps += [(bar_screen(title="lit", open_menu=True), (), on_title)] * 3
    clicks = [c for c in events(inference, steps) if c.type == "click"]
    assert [(c.payload.target.role, c.payload.target.name) for c in clicks] == [
        ("menuitem", "File")]
    assert inference.popups.open is not None and inference.popups.open.kind == "menu"


def test_a_menu_whose_change_starts_at_its_lit_titles_top_hangs_from_the_title():
    """Lit, a title's highlight may be a pixel or two taller than the box the detector gave
    it; the change of its menu opening starts there, above the box, and still hangs from it.
    A change starting well above the title does not."""
    from vision.inference.popups import _attached

    title = (268, 59, 68, 21)
    assert _attached((266, 58, 100, 74), title, "menu")
    assert _attached((266, 57, 100, 75), title, "menu")
    assert not _attached((266, 40, 100, 92), title, "menu")
    # a drop-down's box at the top of a list opened over the box below it is no owner
    assert not _attached((492, 150, 158, 86), (493, 154, 86, 22), "dropdown")


def test_an_item_the_pointer_hid_part_of_both_times_is_read_whole_from_the_two_pictures():
    """The detector sees no items. As the menu opened the pointer, on the title, hid the
    left of the first item's caption; as it closed, on that item, it hid the right. Each
    picture alone reads a letter short ("New clim"); the two together read it whole."""
    from vision.inference import EventInference
    from vision.ocr import default_reader

    from tests.helpers import FixedDetector, drawn_arrow
    from tests.inference.test_click_cues import events

    def shown(rgb, at):
        return drawn_arrow(rgb, *at)

    inference = EventInference(FixedDetector([("menuitem", FILE)]), default_reader())
    on_title, on_item = (40, 44), (84, 60)
    closed, opened = menu_screen(open_menu=False), menu_screen(open_menu=True)
    lit = menu_screen(open_menu=True, lit=0)
    steps = [shown(closed, on_title), shown(closed, on_title), shown(opened, on_title),
             shown(lit, on_item), shown(menu_screen(open_menu=False, page="New claim"),
                                        on_item)]
    changes = [(), (), (MENU,), (row(0),), ((0, 52, 640, 348),)]
    steps = [(rgb, changed, pointer) for (rgb, pointer), changed in zip(steps, changes)]
    steps += [(steps[-1][0], (), steps[-1][2])] * 3
    clicks = [c.payload.target.name for c in events(inference, steps) if c.type == "click"]
    assert clicks == ["File", "New claim"]


def icon_bar(*, hovered: bool):
    """A menu bar ("File", "View") over a tool bar of two icons (no text); ``hovered``, the
    pointer on "File" lights it and the icon under it."""
    import numpy as np
    from PIL import Image, ImageDraw

    from tests.helpers import font

    img = Image.new("RGB", (640, 400), (250, 250, 250))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 30, 639, 51), fill=(235, 235, 235))
    if hovered:
        draw.rectangle((20, 30, 59, 51), fill=(245, 245, 245), outline=(160, 160, 160))
        draw.rectangle((22, 56, 47, 81), outline=(120, 120, 120))
    draw.text((28, 33), "File", fill=(0, 0, 0), font=font(13))
    draw.text((78, 33), "View", fill=(0, 0, 0), font=font(13))
    for x in (26, 52):  # a printer and a disk, drawn as blocks
        draw.rectangle((x, 62, x + 16, 74), fill=(60, 60, 60))
        draw.rectangle((x + 4, 58, x + 12, 64), fill=(200, 200, 200), outline=(60, 60, 60))
    return np.asarray(img).copy()


def test_a_hover_lighting_a_title_and_the_icons_under_it_opens_no_menu():
    """The pointer resting on a menu's title lights the title and the tool bar's icon under
    it, which the detector may take for menu items: with no line of text under the title,
    that is no menu opening and no click."""
    from vision.inference import EventInference
    from vision.ocr import default_reader

    from tests.helpers import FixedDetector
    from tests.inference.test_click_cues import events

    icons = [("menuitem", (24, 58, 22, 22)), ("menuitem", (50, 58, 22, 22))]
    inference = EventInference(FixedDetector([("menuitem", FILE)] + icons), default_reader())
    on_title = (40, 41)
    steps = [(icon_bar(hovered=False), (), on_title), (icon_bar(hovered=False), (), on_title),
             (icon_bar(hovered=True), ((20, 30, 54, 52),), on_title)]
    steps += [(icon_bar(hovered=True), (), on_title)] * 3
    assert [c for c in events(inference, steps) if c.type == "click"] == []
    assert inference.popups.open is None
