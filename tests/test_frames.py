"""Frame input: every accepted form decodes to the same RGB; every limit has its code."""

import io

import numpy as np
import pytest
from PIL import Image

from vision import VisionError
from vision.frames import MAX_ENCODED_BYTES, decode_image

from tests.helpers import form_screen, png_bytes

RGB = form_screen(96, 64)


def _encode(rgb, fmt, **kw):
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, fmt, **kw)
    return buf.getvalue()


@pytest.mark.parametrize("image", [
    RGB, RGB[:, :, ::-1].copy(), np.dstack([RGB, np.full(RGB.shape[:2], 7, np.uint8)]),
    Image.fromarray(RGB), png_bytes(RGB), _encode(RGB, "WEBP", lossless=True),
    _encode(RGB, "BMP"), bytearray(png_bytes(RGB)),
], ids=["rgb", "bgr", "rgba", "pil", "png", "webp", "bmp", "bytearray"])
def test_every_input_form_gives_the_same_pixels(image):
    channels = "bgr" if isinstance(image, np.ndarray) and image is not RGB and \
        image.shape[2] == 3 else "rgb"
    out = decode_image(image, channels=channels)
    assert out.dtype == np.uint8 and out.shape == RGB.shape
    assert np.array_equal(out, RGB)
    assert not out.flags.writeable


def test_jpeg_decodes_close_to_the_original():
    out = decode_image(_encode(RGB, "JPEG", quality=95))
    assert out.shape == RGB.shape and np.mean(np.abs(out.astype(int) - RGB)) < 3


def test_grey_arrays_become_rgb():
    grey = np.arange(64 * 64, dtype=np.uint8).reshape(64, 64)
    out = decode_image(grey)
    assert out.shape == (64, 64, 3) and np.array_equal(out[:, :, 1], grey)


def test_a_writeable_array_is_copied_so_the_caller_may_reuse_its_buffer():
    buffer = RGB.copy()
    out = decode_image(buffer)
    buffer[:] = 0
    assert np.array_equal(out, RGB)


@pytest.mark.parametrize("image,code", [
    (b"GIF89a" + bytes(100), "unsupported_image"),
    (png_bytes(RGB)[:60], "unsupported_image"),
    (b"\x89PNG\r\n\x1a\n" + bytes(MAX_ENCODED_BYTES), "frame_too_large"),
    (RGB.astype(np.float32), "unsupported_image"),
    (RGB[:, :, :2].copy(), "unsupported_image"),
    (np.zeros((4, 40, 40, 3), np.uint8), "unsupported_image"),
    ("frame.png", "unsupported_image"),
    (np.zeros((31, 100, 3), np.uint8), "invalid_frame_size"),
    (np.zeros((100, 7681, 3), np.uint8), "invalid_frame_size"),
    (png_bytes(np.zeros((20, 20, 3), np.uint8)), "invalid_frame_size"),
], ids=["gif", "truncated", "too-large", "float", "two-channels", "4d", "str", "short",
        "wide", "small-png"])
def test_each_limit_raises_its_code(image, code):
    with pytest.raises(VisionError) as err:
        decode_image(image)
    assert err.value.code == code
    assert err.value.param == "image"


def test_a_huge_image_is_refused_from_its_header_before_decoding():
    big = Image.new("L", (8000, 40))
    buf = io.BytesIO()
    big.save(buf, "PNG")
    with pytest.raises(VisionError) as err:
        decode_image(buf.getvalue())
    assert err.value.code == "invalid_frame_size"
