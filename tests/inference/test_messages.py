"""What makes a line of text an error message: red ink (not the coloured fringes of sub-pixel
anti-aliased black text), and words (not a red figure in a table)."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from vision.inference.messages import RED_TEXT, _sentence_like, red_share

from tests.helpers import font, jpeg


def line(text: str, colour, *, subpixel: bool = False) -> np.ndarray:
    """One line of 12 px text on white. With ``subpixel``, drawn the way ClearType draws it:
    at three times the width, each pixel's red, green and blue taken from three neighbouring
    columns, which leaves coloured fringes on every stroke's edges."""
    scale = 3 if subpixel else 1
    img = Image.new("RGB", (200 * scale, 20), (255, 255, 255))
    ImageDraw.Draw(img).text((4 * scale, 3), text, fill=colour, font=font(12))
    rgb = np.asarray(img)
    if subpixel:
        grey = rgb.mean(axis=2).reshape(20, 200, 3)
        rgb = grey.round().astype(np.uint8)
    return np.ascontiguousarray(rgb)


BOX = (0, 0, 200, 20)


@pytest.mark.parametrize("subpixel", [False, True])
def test_black_text_is_not_red_even_with_coloured_fringes(subpixel):
    rgb = line("Stock item list 54 items", (0, 0, 0), subpixel=subpixel)
    if subpixel:  # the fringes are there, as in the frames that fooled an area measure
        r, g, b = (rgb[..., i].astype(int) for i in range(3))
        assert ((r >= 120) & (r - np.maximum(g, b) >= 60)).sum() > 10
    assert red_share(rgb, BOX) < RED_TEXT / 2


@pytest.mark.parametrize("quality", [None, 50])
def test_red_text_is_red_also_after_lossy_compression(quality):
    rgb = line("Enter your password.", (204, 0, 0))
    if quality is not None:
        rgb = jpeg(rgb, quality)
    assert red_share(rgb, BOX) >= RED_TEXT


@pytest.mark.parametrize("text, words", [
    ("Please enter a number.", True), ("Required", True), ("135-7534", False),
    ("211", False), ("ID", False)])
def test_a_message_has_words(text, words):
    assert _sentence_like(text) is words
