"""The frame-diff stage on realistic screens: codec noise, caret, pointer, scrolls, merging."""

import cv2
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image, ImageDraw

from fixtures.sessiongen.pointer import draw_pointer, sprite
from vision.diff import DiffConfig, FrameDiffer, _changed_tiles, find_shift, same_pixels
from vision.pointer import sprite_at

from tests.helpers import font, form_screen, jpeg

ARROW = [(0, 0), (0, 16), (4, 12), (7, 19), (10, 18), (7, 11), (12, 11)]


def with_pointer(rgb, x, y, scale=1.0, inverted=False):
    """Draw an arrow pointer (outline and fill) with its hot spot at (x, y)."""
    img = Image.fromarray(rgb)
    pts = [(x + px * scale, y + py * scale) for px, py in ARROW]
    fill, line = ((0, 0, 0), (255, 255, 255)) if inverted else ((255, 255, 255), (0, 0, 0))
    ImageDraw.Draw(img).polygon(pts, fill=fill, outline=line)
    return np.asarray(img).copy()


def with_ibeam(rgb, x, y):
    """Draw an I-beam pointer (black with a white outline) centred at (x, y)."""
    img = Image.fromarray(rgb)
    draw = ImageDraw.Draw(img)
    for colour, pad in (((255, 255, 255), 1), ((0, 0, 0), 0)):
        draw.rectangle((x - 4 - pad, y - 10 - pad, x + 4 + pad, y - 8 + pad), fill=colour)
        draw.rectangle((x - 1 - pad, y - 10 - pad, x + 1 + pad, y + 10 + pad), fill=colour)
        draw.rectangle((x - 4 - pad, y + 8 - pad, x + 4 + pad, y + 10 + pad), fill=colour)
    return np.asarray(img).copy()


def to_16bit(rgb):
    out = rgb.copy()
    out[..., 0] &= 0xF8
    out[..., 1] &= 0xFC
    out[..., 2] &= 0xF8
    return out


def diff_of(a, b, **kw):
    differ = FrameDiffer()
    differ.push(a)
    return differ.push(b, **kw)


BASE = form_screen(1280, 800, values={"Vendor": "Acme Corporation", "Amount": "1,234.56"})


def test_identical_frames_are_unchanged():
    d = diff_of(BASE, BASE.copy())
    assert d.kind == "unchanged" and not d.regions and d.changed_fraction == 0


@pytest.mark.parametrize("quality", [30, 40, 55, 70])
def test_jpeg_noise_alone_is_no_change(quality):
    assert diff_of(BASE, jpeg(BASE, quality)).kind == "unchanged"
    assert diff_of(jpeg(BASE, quality), jpeg(BASE, 95)).kind == "unchanged"  # build to lossless


def test_16_bit_colour_and_dithering_are_no_change():
    rng = np.random.default_rng(1)
    dithered = np.clip(BASE.astype(int) + rng.integers(-6, 7, BASE.shape), 0, 255)
    assert diff_of(BASE, to_16bit(BASE)).kind == "unchanged"
    assert diff_of(to_16bit(BASE), to_16bit(dithered.astype(np.uint8))).kind == "unchanged"


@pytest.mark.parametrize("noisy", [False, True])
def test_one_typed_character_is_one_small_region(noisy):
    after = form_screen(1280, 800, values={"Vendor": "Acme Corporations", "Amount": "1,234.56"})
    a, b = (jpeg(BASE, 45), jpeg(after, 60)) if noisy else (BASE, after)
    d = diff_of(a, b)
    assert d.kind == "local" and len(d.regions) == 1
    x, y, w, h = d.regions[0].bbox
    assert 230 <= x <= 250 and 62 <= y <= 72 and w <= 14 and h <= 14


def test_a_blinking_caret_is_reported_as_a_caret_not_a_change():
    on = BASE.copy()
    on[64:80, 232] = 0
    for a, b in ((BASE, on), (on, BASE)):
        d = diff_of(a, b)
        assert d.kind == "unchanged" and not d.regions
        assert len(d.carets) == 1 and d.carets[0][0] in range(230, 235)


def test_a_moving_pointer_is_no_change_and_its_position_is_kept():
    a = with_pointer(BASE, 500, 300)
    b = with_pointer(BASE, 640, 420)
    d = diff_of(a, b)
    assert d.kind == "unchanged", d.regions
    assert d.pointer is not None and abs(d.pointer.x - 640) <= 2 and abs(d.pointer.y - 420) <= 2
    assert d.pointer.shape == "arrow"


@pytest.mark.parametrize("scale,inverted", [(1.0, False), (1.5, False), (2.0, True)])
def test_pointer_sizes_and_colours(scale, inverted):
    d = diff_of(with_pointer(BASE, 500, 300, scale, inverted),
                with_pointer(BASE, 700, 500, scale, inverted))
    assert d.kind == "unchanged", d.regions
    assert d.pointer is not None and abs(d.pointer.x - 700) <= 3


def test_a_pointer_that_changes_shape_is_followed_in_each_shape_it_has_shown():
    """An I-beam over text fields, an arrow between them: once both shapes have been seen
    moving, the pointer is found in either, even on a short move whose old and new places
    touch (one changed area, from which no shape can be learned)."""
    differ = FrameDiffer()
    frames = [with_pointer(BASE, 500, 300), with_pointer(BASE, 620, 380),   # arrow learned
              with_ibeam(BASE, 800, 500), with_ibeam(BASE, 900, 560),       # I-beam learned
              with_pointer(BASE, 700, 450), with_ibeam(BASE, 702, 458),     # short moves
              with_ibeam(BASE, 702, 470)]
    seen = [differ.push(f).pointer for f in frames]
    for (x, y), p in zip([(700, 450), (702, 458), (702, 470)], seen[4:]):
        assert p is not None and abs(p.x - x) <= 3 and abs(p.y - y) <= 3, p
    assert [p.shape for p in seen[4:]] == ["arrow", "ibeam", "ibeam"]


@pytest.mark.parametrize("arrow_last", [(620, 380), (282, 140)],
                         ids=["from afar", "a short last move"])
def test_a_pointer_that_turns_into_an_ibeam_where_it_comes_to_rest_is_followed(arrow_last):
    """Moved onto a text field, the arrow turns into an I-beam and rests there to click: the
    arrow left its place and an I-beam's picture is the one other change, or lies beside
    that place in one change when the last move was short. Neither is a change of the
    screen, and the pointer is the I-beam from then on."""
    differ = FrameDiffer()
    frames = [with_pointer(BASE, 500, 300), with_pointer(BASE, *arrow_last),  # arrow learned
              with_ibeam(BASE, 300, 151), with_ibeam(BASE, 300, 151)]       # at rest in a field
    seen = [differ.push(f) for f in frames]
    for d in seen[2:]:
        assert d.kind == "unchanged", d.regions
        assert d.pointer is not None and d.pointer.shape == "ibeam"
        assert abs(d.pointer.x - 300) <= 2 and abs(d.pointer.y - 151) <= 2


def test_a_tick_appearing_as_the_pointer_vanishes_is_no_pointer():
    """The arrow hidden (moved off where it cannot be found) as a check box is ticked: the
    tick is a change of the screen, not a new shape of the pointer."""
    ticked = BASE.copy()
    ticked[243:257, 494:508] = 40
    differ = FrameDiffer()
    for f in (with_pointer(BASE, 500, 300), with_pointer(BASE, 620, 380)):
        differ.push(f)
    d = differ.push(ticked)
    assert d.kind == "local" and len(d.regions) >= 1
    assert d.pointer is None


def with_box_icon(rgb, x, y):
    """A window's maximise glyph: a 15 x 14 white square in a dark frame."""
    out = rgb.copy()
    out[y:y + 14, x:x + 15] = 26
    out[y + 2:y + 12, x + 2:x + 13] = 255
    return out


def test_a_box_that_vanishes_in_one_place_and_appears_in_another_is_no_pointer():
    """A dialog opening redraws the caption glyphs of the windows: the same little square
    leaves one place and shows in another, as a pointer moving does. A pointer is shaped (an
    arrow, a bar, a hand); a picture filling its whole box is an icon."""
    d = diff_of(with_box_icon(BASE, 300, 300), with_box_icon(BASE, 900, 600))
    assert d.pointer is None
    assert len(d.regions) == 2


def test_a_change_under_a_resting_pointer_is_still_seen():
    ticked = BASE.copy()
    ticked[243:257, 494:508] = 40  # a check mark's box filled beside the pointer's hot spot
    d = diff_of(with_pointer(BASE, 500, 250), with_pointer(ticked, 500, 250))
    assert d.kind == "local" and len(d.regions) == 1


def test_a_change_while_the_pointer_moves_away_is_still_seen():
    ticked = BASE.copy()
    ticked[243:257, 480:494] = 40
    d = diff_of(with_pointer(BASE, 500, 250), with_pointer(ticked, 560, 330))
    assert len(d.regions) == 1
    x, y, w, h = d.regions[0].bbox
    assert 476 <= x <= 482 and w <= 20


def test_cursor_hints_place_the_pointer_without_pixels():
    differ = FrameDiffer()
    differ.push(BASE, cursor=(10, 10))
    d = differ.push(BASE.copy(), cursor=(300, 200))
    assert d.kind == "unchanged" and (d.pointer.x, d.pointer.y) == (300, 200)


def test_a_hinted_ibeam_touching_a_field_frame_that_lights_up_is_learned_as_the_pointer():
    """Entering a text field, the I-beam often touches the field's frame, which lights up in
    the same frame: the sprite is what changed at the hinted hot spot, not the frame with it
    (left as a thin bar in the field, the I-beam reads as a caret or a typed letter)."""
    before = np.full((300, 640, 3), 250, np.uint8)
    before[200, 300:460] = before[225, 300:460] = 160
    before[200:226, 300] = before[200:226, 459] = 160
    after = before.copy()
    after[200, 300:460] = after[225, 300:460] = (40, 110, 220)
    after[200:226, 300] = after[200:226, 459] = (40, 110, 220)
    after = with_ibeam(after, 380, 214)              # its foot on the field's bottom edge
    differ = FrameDiffer()
    differ.push(before, cursor=(100, 100))
    d = differ.push(after, cursor=(380, 214))
    assert d.pointer.shape == "ibeam" and d.pointer.sprite is not None
    assert not any(r.bbox[2] <= 12 and r.bbox[3] <= 30 for r in d.regions)


def _page(offset, height=800):
    """A long list of rows, viewed from ``offset`` pixels down."""
    img = Image.new("RGB", (1280, 3000), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    f = font(12)
    for i in range(130):
        y = 22 * i
        draw.rectangle((0, y, 1280, y + 21), fill=(245, 245, 250) if i % 2 else (255, 255, 255))
        draw.text((12, y + 4), f"INV-{4000 + i * 7}  Vendor {chr(65 + i % 26)}{i * 13 % 97}"
                  f"  {(i * 37) % 1000}.{i % 100:02d} EUR", fill=(0, 0, 0), font=f)
    page = np.asarray(img)
    screen = form_screen(1280, height).copy()
    screen[100:700, 100:1100] = page[offset:offset + 600, 0:1000]
    return screen


@pytest.mark.parametrize("delta", [22, 66, 120, -44])
def test_a_scroll_is_a_shift_with_its_offset(delta):
    d = diff_of(_page(400), _page(400 + delta))
    assert d.kind == "local" and not d.regions
    assert len(d.shifts) == 1
    shift = d.shifts[0]
    assert (shift.dx, shift.dy) == (0, delta)
    x, y, w, h = shift.region  # what changed of the list: its rows, not its constant margins
    assert x >= 100 and y >= 100 and x + w <= 1100 and y + h <= 700 and h >= 560 and w >= 180


@pytest.mark.parametrize("delta", [63, 145, -21])
def test_a_scroll_by_an_odd_offset_is_found_though_halving_blends_its_rows(delta):
    d = diff_of(_page(400), _page(400 + delta))
    assert not d.regions and len(d.shifts) == 1
    assert abs(d.shifts[0].dy - delta) <= 1 and d.shifts[0].dx == 0


def _plain_list(offset):
    """A list box of plain rows 15 px apart (no stripes, no grid), viewed from ``offset``."""
    img = Image.new("RGB", (400, 3000), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    for i in range(190):
        draw.text((4, 15 * i + 1), f"{(i * 7919) % 900 + 100}-{(i * 104729) % 9000 + 1000}  "
                  f"{('Fuse 10 A', 'Valve PN16', 'Toner cartridge black', 'Pallet wrap')[i % 4]}",
                  fill=(0, 0, 0), font=font(11))
    screen = form_screen(1280, 800).copy()
    screen[100:700, 100:500] = np.asarray(img)[offset:offset + 600]
    return screen


@pytest.mark.parametrize("delta", [45, -75])
def test_a_plain_list_scrolled_by_an_odd_number_of_rows_is_a_shift(delta):
    """Rows of text alone blur badly once halved: an odd offset comes only half-way near
    the two half-resolution offsets beside it."""
    d = diff_of(_plain_list(600), _plain_list(600 + delta))
    assert [(s.dx, s.dy) for s in d.shifts] == [(0, delta)]


def test_a_scroll_of_a_scaled_screen_moves_by_a_fraction_of_a_pixel():
    def scaled(rgb):  # an 1280 x 800 session shown at 1.2x: 54 px become 64.8
        return cv2.resize(rgb, (1536, 960), interpolation=cv2.INTER_LINEAR)

    d = diff_of(scaled(_page(400)), scaled(_page(454)))
    assert len(d.shifts) == 1 and abs(d.shifts[0].dy - 64.8) <= 2


def test_a_scroll_under_jpeg_noise_is_still_a_shift():
    d = diff_of(jpeg(_page(400), 50), jpeg(_page(466), 50))
    assert [(s.dx, s.dy) for s in d.shifts] == [(0, 66)]


def test_nearby_changes_merge_into_one_region_and_far_ones_do_not():
    after = BASE.copy()
    after[100:110, 200:260] = 0
    after[100:110, 270:330] = 0     # 10 px gap: same change
    after[500:510, 900:960] = 0     # far away: another
    d = diff_of(BASE, after)
    assert [r.bbox for r in d.regions] == [(200, 100, 130, 10), (900, 500, 60, 10)]


def _table_screen():
    """A different screen: a grid of records across the whole window."""
    img = Image.new("RGB", (1280, 800), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    f = font(12)
    draw.rectangle((0, 0, 1280, 30), fill=(60, 60, 60))
    draw.text((10, 8), "Open items - 214 records", fill=(255, 255, 255), font=f)
    for i in range(34):
        for c, x in enumerate(range(10, 1280, 210)):
            draw.text((x, 40 + 22 * i), f"{['DOC', 'Vendor', 'Net', 'Tax', 'Due', 'State', 'Owner'][c]}"
                      f"-{(i * 31 + c * 7) % 997}", fill=(0, 0, 0), font=f)
    return np.asarray(img).copy()


@pytest.mark.parametrize("other", [255 - BASE, _table_screen()], ids=["dark", "table"])
def test_a_new_page_is_a_new_screen(other):
    d = diff_of(BASE, other)
    assert d.kind == "new_screen" and d.changed_fraction > 0.4


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 1270), st.integers(0, 790), st.integers(3, 60), st.integers(3, 60),
       st.integers(0, 255))
def test_any_solid_change_is_found_inside_its_box(x, y, w, h, level):
    """A box painted over the form is found wherever it covers 16 pixels it changed by more
    than 80 grey levels, in blocks at least 2 px across. (The diff works at half resolution
    to stay cheap and above codec noise: a one-pixel line of that contrast, such as the
    corner of a field's frame covered by a box of nearly the background's colour, averages
    below the noise level there.)"""
    after = BASE.copy()
    after[y:y + h, x:x + w] = level
    d = diff_of(BASE, after)
    luma = np.array([0.299, 0.587, 0.114])
    changed = (np.abs((after.astype(float) - BASE) @ luma) > 80).astype(np.uint8)
    if cv2.erode(changed, np.ones((2, 2), np.uint8)).sum() >= 16:
        assert d.regions or d.carets or d.shifts
        for r in d.regions:
            rx, ry, rw, rh = r.bbox
            assert rx >= x - 2 and ry >= y - 2 and rx + rw <= x + w + 2 and ry + rh <= y + h + 2


def test_find_shift_needs_real_content_agreement():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 255, (200, 100), dtype=np.uint8)
    b = rng.integers(0, 255, (200, 100), dtype=np.uint8)
    assert find_shift(a, b) is None


def test_same_pixels_handles_odd_sizes():
    a = np.zeros((33, 35, 3), np.uint8)
    b = a.copy()
    assert same_pixels(a, b)
    b[-1, -1, -1] = 1
    assert not same_pixels(a, b)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([0.01, 0.05, 0.12, 0.3]),
       st.sampled_from([(40, 64), (36, 60), (54, 96)]))
def test_a_tile_is_changed_when_it_holds_enough_changed_pixels(seed, density, shape):
    """Tiles are counted by repeated halving (OpenCV's fast path): the same as counting."""
    cfg = DiffConfig()
    rng = np.random.default_rng(seed)
    strong = ((rng.random(shape) < density) * 255).astype(np.uint8)
    side = cfg.tile // 2
    h, w = shape
    padded = np.zeros((-(-h // side) * side, -(-w // side) * side), np.uint8)
    padded[:h, :w] = strong > 0
    counts = padded.reshape(padded.shape[0] // side, side, -1, side).sum(axis=(1, 3))
    assert np.array_equal(_changed_tiles(strong, cfg), counts >= cfg.min_changed)


@pytest.mark.parametrize("background", [56, 200], ids=["dark", "light"])
@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_an_ibeam_in_a_box_tight_around_it_is_learned_whole(background, scale):
    """In a box tight around it, an I-beam's serifs span most of the box's width and its stem
    most of its height, as a lit field's frame would; they are the sprite all the same, black
    outline and white fill, on a dark theme too. Learned cut short, the sprite leaves parts
    of itself when painted out of a field, which read as typed text."""
    ibeam = sprite("ibeam", scale)
    base = np.full((120, 120, 3), background, np.uint8)
    shown = cv2.cvtColor(draw_pointer(base, 60, 60, ibeam), cv2.COLOR_RGB2GRAY)
    x, y, w, h = ibeam.box_at(60, 60)
    found = sprite_at(shown, base[..., 0], (x - 1, y - 1, w + 2, h + 2), (60, 60))
    assert found is not None and found[1] == (x, y, w, h)
    assert found[0].shape == "ibeam"
