"""Screen changes: a dialog's title bar is new, a retitled window's bar is not; a form replaced
on a light window is a navigation; a message box the detector missed is still a dialog."""

from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image, ImageDraw

from vision.diff import FrameDiffer
from vision.frames import DecodedFrame
from vision.inference.screen import Element
from vision.inference.screens import ScreenChanges, _bar_stayed, _distance, _quarter, _same_bar

from tests.helpers import font, form_screen, jpeg

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


# --- navigations and message boxes on a full-size light window -------------------------------

def _window(fields: list[str], buttons: list[tuple[str, int, int]], box: bool = False):
    """A 1920 x 1080 light window: a title bar, labelled fields down the left, buttons; the
    elements a detector would see. ``box`` draws a small message box in the middle, its title
    bar plain enough for a detector to miss, the owner's title greyed and Save pressed."""
    img = Image.new("RGB", (1920, 1080), (246, 246, 246))
    d = ImageDraw.Draw(img)
    f = font(14)
    d.rectangle((0, 0, 1919, 29), fill=(225, 228, 235))
    d.text((10, 7), "ProcureNet", fill=(140, 140, 140) if box else (0, 0, 0), font=f)
    elements = [Element("titlebar", (0, 0, 1920, 30), 0.9)]
    d.text((40, 60), fields[0].split()[0], fill=(0, 0, 0), font=font(28))
    for i, label in enumerate(fields):
        x, y = 40 + 520 * (i // 6), 120 + 40 * (i % 6)
        d.text((x, y + 5), label, fill=(0, 0, 0), font=f)
        d.rectangle((x + 160, y, x + 440, y + 26), fill=(255, 255, 255), outline=(150, 150, 150))
        elements += [Element("text", (x, y + 5, 120, 16), 0.8),
                     Element("textbox", (x + 160, y, 281, 27), 0.9)]
    for caption, x, y in buttons:
        pressed = box and caption == "Save"
        d.rectangle((x, y, x + 90, y + 26), fill=(160, 160, 160) if pressed else (230, 230, 230),
                    outline=(120, 120, 120))
        d.text((x + 18, y + 5), caption, fill=(0, 0, 0), font=f)
        elements.append(Element("button", (x, y, 91, 27), 0.9))
    if box:
        d.rectangle((798, 318, 1122, 442), fill=(250, 250, 250), outline=(90, 90, 90))
        d.line((799, 346, 1121, 346), fill=(200, 200, 200))
        d.text((808, 324), "StockMaster", fill=(0, 0, 0), font=f)
        d.text((850, 370), "Document posted.", fill=(0, 0, 0), font=f)
        d.rectangle((1010, 404, 1100, 430), fill=(60, 60, 60))
        d.text((1040, 409), "OK", fill=(255, 255, 255), font=f)
        elements += [Element("text", (850, 370, 130, 16), 0.8),
                     Element("button", (1010, 404, 91, 27), 0.9)]
    return np.asarray(img).copy(), elements


def _screen_changes(screens: list[tuple[int, np.ndarray, list[Element]]]):
    """Every candidate ScreenChanges gives over frames ``(t_ms, rgb, elements)``."""
    changes, differ, out = ScreenChanges(), FrameDiffer(), []
    previous = None
    for i, (t_ms, rgb, elements) in enumerate(screens):
        frame = DecodedFrame(f"frm_{i}", t_ms, i, rgb, None, None)
        diff = differ.push(rgb)
        screen = SimpleNamespace(
            frame=frame, prev_frame=previous[0] if previous else None, elements=elements,
            previous=previous[1] if previous else [], text=lambda box, previous=False: "",
            within=lambda box, roles=(), previous=False: [])
        out += changes.push(frame, diff, screen)
        previous = (frame, elements)
    return out + changes.flush()


ORDER_FIELDS = ["Vendor name", "Document date", "SKU", "Short text", "Qty", "Unit price",
                "Site", "Contact", "Delivery date", "Payment terms", "Currency", "Notes"]
ORDER_BUTTONS = [("Save", 1560, 70), ("Close", 1660, 70), ("Reset", 1760, 70)]
LOG_ON = _window(["User ID", "Password"], [("Log on", 1780, 870)])
ORDER = _window(ORDER_FIELDS, ORDER_BUTTONS)


def test_a_form_replaced_on_a_light_window_is_a_navigation_though_only_words_change():
    # a mean difference of a grey level or so over the frame: faint, but a new screen
    assert 0.8 <= _distance(_quarter(LOG_ON[0]), ORDER[0]) < 2.0
    [event] = _screen_changes([(0, *LOG_ON), (1000, *LOG_ON), (1400, *ORDER),
                               (1900, *ORDER)])
    assert (event.t_ms, event.payload.kind) == (1400, "navigation")


def test_a_small_message_box_whose_bar_the_detector_missed_opens_and_closes():
    boxed = _window(ORDER_FIELDS, ORDER_BUTTONS, box=True)
    events = _screen_changes([(0, *ORDER), (1000, *boxed), (3000, *ORDER), (3500, *ORDER)])
    assert [(e.t_ms, e.payload.kind) for e in events] == [(1000, "dialog_open"),
                                                         (3000, "dialog_close")]


def test_a_dialog_seen_from_pixels_is_closed_by_a_change_where_it_was_not_by_a_new_page():
    from vision.diff import FrameDiff, Region
    from vision.inference.screens import _Dialog

    changes = ScreenChanges()
    changes._dialogs.append(_Dialog((714, 288, 492, 166), None, None))
    screen = SimpleNamespace(within=lambda box, roles=(), previous=False: [])
    closed = FrameDiff((Region((714, 288, 492, 166), 30_000), Region((0, 0, 748, 28), 4_000),
                        Region((1560, 70, 91, 27), 1_500)), kind="local")
    replaced = FrameDiff((Region((0, 40, 1900, 1000), 180_000),
                          Region((714, 288, 492, 166), 30_000)), kind="local")
    assert changes._covered_back(screen, closed)
    assert not changes._covered_back(screen, replaced)


def _tinted(window):
    """The window's page drawn on another background: most of the frame changes."""
    pixels = window[0].copy()
    pixels[(pixels == 246).all(axis=2)] = (150, 170, 200)
    return pixels, window[1]


def _reworded(window):
    """The window's page with every label and button caption replaced, and a panel along its
    lower part: a change spread over the window, but far from all of its pixels."""
    pixels = window[0].copy()
    pixels[100:, :] = np.where((pixels[100:, :] < 128).all(axis=2, keepdims=True),
                               (90, 90, 200), pixels[100:, :])
    pixels[880:1040, 20:1900] = (150, 165, 190)
    return pixels, window[1][:1]


@pytest.mark.parametrize("after, kinds", [
    (ORDER, ["dialog_open", "dialog_close"]),
    (_tinted(LOG_ON), ["dialog_open", "dialog_close", "navigation"]),
    (_reworded(LOG_ON), ["dialog_open", "dialog_close", "navigation"])],
    ids=["same-page", "new-page", "new-page-in-part"])
def test_a_dialog_closing_onto_another_page_is_also_a_navigation(after, kinds):
    """A confirmation's button may lead to another page: its title bar goes and the frame
    changes across the window, mostly outside where the dialog was (all of it, or its words
    only). Closing onto the page it covered changes little besides its own place."""
    pixels, elements = _window(ORDER_FIELDS, ORDER_BUTTONS, box=True)
    pixels[319:346, 799:1122] = (10, 36, 106)                  # its title bar, drawn dark
    boxed = (pixels, elements + [Element("titlebar", (799, 319, 323, 27), 0.9)])
    events = _screen_changes([(0, *ORDER), (1000, *boxed), (3000, *after), (3500, *after)])
    assert [e.payload.kind for e in events] == kinds
    assert all(e.t_ms == 3000 for e in events[1:])


def _dark_titled(box: bool, left: int = 760):
    """The order form under a dark title bar, active; with ``box``, the bar greyed as a
    message box opens (its left edge at ``left``), a plain grey box the detector sees no bar
    of, with no header band: only its border and title words tell it."""
    rgb, elements = _window(ORDER_FIELDS, ORDER_BUTTONS)
    img = Image.fromarray(rgb)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 1919, 29), fill=(200, 200, 200) if box else (30, 60, 140))
    d.text((10, 7), "ProcureNet", fill=(120, 120, 120) if box else (255, 255, 255),
           font=font(14))
    if box:
        d.rectangle((left, 420, left + 399, 579), fill=(190, 190, 190))
        d.text((left + 12, 426), "Print document", fill=(0, 0, 0), font=font(14))
        d.text((left + 40, 480), "Print the current document?", fill=(0, 0, 0), font=font(14))
        d.rectangle((left + 290, 540, left + 380, 566), fill=(60, 60, 60))
        d.text((left + 320, 545), "OK", fill=(255, 255, 255), font=font(14))
        elements = elements + [Element("text", (left + 40, 480, 220, 16), 0.8),
                               Element("button", (left + 290, 540, 91, 27), 0.9)]
    return np.asarray(img).copy(), elements


@pytest.mark.parametrize("left", [760, 1300], ids=["centred", "off-centre"])
def test_a_message_box_greying_its_dark_owners_title_opens_a_dialog_not_a_new_page(left):
    """The owner's dark title bar turning grey moves many pixels, more than a light window's
    would, but nothing else of the window changes: the one other change, a box, is a message
    box, though its look alone is plain and it stands off the window's middle."""
    from vision.inference.screens import dialog_score

    opened = _dark_titled(box=True, left=left)
    grey = np.asarray(Image.fromarray(opened[0]).convert("L"))
    assert 0.6 <= dialog_score(grey, (left, 420, 400, 160), (1920, 1080)) < 0.85
    plain = _dark_titled(box=False)
    events = _screen_changes([(0, *plain), (1000, *opened), (3000, *plain), (3500, *plain)])
    assert [(e.t_ms, e.payload.kind) for e in events] == [(1000, "dialog_open"),
                                                         (3000, "dialog_close")]


def test_a_light_dialogs_bar_over_a_light_page_is_new_though_few_of_its_pixels_change():
    """A white dialog with a near-white bar opens over a light page: the bar's pixels hardly
    change, but a bar in the middle of the screen, where none was, is a dialog's."""
    rgb, elements = ORDER
    img = Image.fromarray(rgb)
    d = ImageDraw.Draw(img)
    d.rectangle((1100, 500, 1499, 659), fill=(250, 250, 250), outline=(90, 90, 90))
    d.rectangle((1101, 501, 1498, 526), fill=(244, 244, 244))
    d.text((1110, 506), "Validation", fill=(0, 0, 0), font=font(14))
    d.text((1160, 560), "Invalid e-mail address", fill=(0, 0, 0), font=font(14))
    d.rectangle((1400, 620, 1490, 646), fill=(60, 60, 60))
    opened = (np.asarray(img).copy(), elements + [Element("titlebar", (1101, 501, 398, 26), 0.8),
                                                  Element("button", (1400, 620, 91, 27), 0.9)])
    assert _bar_stayed(rgb, opened[0], (1101, 501, 398, 26))
    events = _screen_changes([(0, *ORDER), (1000, *opened), (3000, *ORDER), (3500, *ORDER)])
    assert [(e.t_ms, e.payload.kind) for e in events] == [(1000, "dialog_open"),
                                                         (3000, "dialog_close")]
