"""Frame input: what a caller hands over, checked and decoded to one RGB array.

A caller gives pixels as a numpy array (RGB unless ``channels="bgr"``; grey or with an ignored
alpha channel), a PIL image, or encoded bytes (PNG, JPEG, WebP, BMP). :func:`decode_image`
checks every limit of the contract and returns an ``H x W x 3`` ``uint8`` array, or raises
:class:`~vision.errors.VisionError` with the limit's code.

Examples
--------
>>> import numpy as np
>>> decode_image(np.zeros((40, 64), np.uint8)).shape
(40, 64, 3)
>>> decode_image(b"not an image")
Traceback (most recent call last):
...
vision.errors.VisionError: unsupported_image (image): bytes are not PNG, JPEG, WebP or BMP
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal, Union

import cv2
import numpy as np
from PIL import Image

from .errors import VisionError

__all__ = ["Frame", "DecodedFrame", "decode_image", "check_frame_fields", "MAX_ENCODED_BYTES",
           "MIN_SIZE", "MAX_SIZE"]

MAX_ENCODED_BYTES = 10_000_000
MIN_SIZE = (32, 32)
"""Smallest accepted frame, (width, height)."""
MAX_SIZE = (7680, 4320)
"""Largest accepted frame, (width, height)."""

ImageInput = Union[np.ndarray, Image.Image, bytes, bytearray, memoryview]

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"BM", "BMP"),
)


@dataclass(frozen=True)
class Frame:
    """One screenshot as the caller hands it over.

    Parameters
    ----------
    image : ndarray, PIL.Image or bytes
        The pixels; see the module docstring for accepted forms.
    t_ms : int
        Milliseconds since session start; >= 0 and non-decreasing within a session.
    frame_id : str, optional
        ``frm_`` + an id unique in the session; derived deterministically when omitted.
    cursor : (int, int), optional
        Pointer position, if the capture side knows it. A hint, never required.
    channels : {"rgb", "bgr"}
        Channel order of an array ``image``.
    content_key : bytes, optional
        A digest of the encoded image: frames with equal keys have equal pixels, which lets the
        engine skip comparing them. Stored-session readers set it; callers rarely need to.
    """

    image: ImageInput
    t_ms: int
    frame_id: str | None = None
    cursor: tuple[int, int] | None = None
    channels: Literal["rgb", "bgr"] = "rgb"
    content_key: bytes | None = None


@dataclass(frozen=True)
class DecodedFrame:
    """A frame the engine accepted: id assigned, pixels decoded to RGB."""

    frame_id: str
    t_ms: int
    index: int
    """Position in the session, counting accepted frames from 0."""
    rgb: np.ndarray
    """``(H, W, 3) uint8``, C-contiguous, read-only."""
    cursor: tuple[int, int] | None
    content_key: bytes | None

    @property
    def size(self) -> tuple[int, int]:
        """``(width, height)``."""
        return self.rgb.shape[1], self.rgb.shape[0]


def _check_size(width: int, height: int) -> None:
    if not (MIN_SIZE[0] <= width <= MAX_SIZE[0] and MIN_SIZE[1] <= height <= MAX_SIZE[1]):
        raise VisionError(
            "invalid_frame_size",
            f"frame is {width}x{height}; accepted sizes are {MIN_SIZE[0]}x{MIN_SIZE[1]} to "
            f"{MAX_SIZE[0]}x{MAX_SIZE[1]}", param="image")


def _sniff(data: bytes) -> str | None:
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _decode_bytes(data: bytes) -> np.ndarray:
    if len(data) > MAX_ENCODED_BYTES:
        raise VisionError("frame_too_large", f"encoded frame is {len(data)} bytes; the limit is "
                          f"{MAX_ENCODED_BYTES}", param="image")
    if _sniff(data) is None:
        raise VisionError("unsupported_image", "bytes are not PNG, JPEG, WebP or BMP",
                          param="image")
    try:  # read the header alone first, so a huge image is refused before it is decoded
        with Image.open(io.BytesIO(data)) as header:
            width, height = header.size
    except Exception as exc:
        raise VisionError("unsupported_image", f"image header does not decode ({exc})",
                          param="image") from None
    _check_size(width, height)
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if bgr is None or bgr.shape[:2] != (height, width):
        raise VisionError("unsupported_image", "image data is truncated or corrupt",
                          param="image")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def _from_array(array: np.ndarray, channels: str) -> np.ndarray:
    if array.dtype != np.uint8:
        raise VisionError("unsupported_image", f"array dtype must be uint8; got {array.dtype}",
                          param="image")
    if array.ndim == 2:
        _check_size(array.shape[1], array.shape[0])
        return cv2.cvtColor(np.ascontiguousarray(array), cv2.COLOR_GRAY2RGB)
    if array.ndim != 3 or array.shape[2] not in (3, 4):
        raise VisionError("unsupported_image", f"array shape must be (H, W), (H, W, 3) or "
                          f"(H, W, 4); got {array.shape}", param="image")
    _check_size(array.shape[1], array.shape[0])
    if channels == "bgr":
        code = cv2.COLOR_BGR2RGB if array.shape[2] == 3 else cv2.COLOR_BGRA2RGB
        return cv2.cvtColor(np.ascontiguousarray(array), code)
    if array.shape[2] == 4:
        return np.ascontiguousarray(array[:, :, :3])
    if not array.flags.writeable and array.flags.c_contiguous:
        return array  # read-only: the caller promised not to change it; no copy needed
    return np.array(array, order="C")  # the caller may reuse its buffer for the next frame


def decode_image(image: ImageInput, *, channels: Literal["rgb", "bgr"] = "rgb") -> np.ndarray:
    """Check and decode a frame's pixels to a read-only ``(H, W, 3) uint8`` RGB array.

    Parameters
    ----------
    image : ndarray, PIL.Image or bytes
        Pixels as the caller has them.
    channels : {"rgb", "bgr"}
        Channel order of an array input; ignored for images and bytes.

    Raises
    ------
    VisionError
        ``frame_too_large``, ``unsupported_image`` or ``invalid_frame_size``.
    """
    if channels not in ("rgb", "bgr"):
        raise VisionError("invalid_request", f"channels must be 'rgb' or 'bgr'; got "
                          f"{channels!r}", param="channels")
    if isinstance(image, np.ndarray):
        rgb = _from_array(image, channels)
    elif isinstance(image, Image.Image):
        _check_size(*image.size)
        rgb = np.asarray(image.convert("RGB"))
    elif isinstance(image, (bytes, bytearray, memoryview)):
        rgb = _decode_bytes(bytes(image))
    else:
        raise VisionError("unsupported_image", f"image must be a numpy array, a PIL image or "
                          f"encoded bytes; got {type(image).__name__}", param="image")
    if rgb.flags.writeable:
        rgb.flags.writeable = False
    return rgb


def check_frame_fields(frame: Frame) -> None:
    """Check the fields of a frame that need no session state (types, ranges)."""
    if not isinstance(frame, Frame):
        raise VisionError("invalid_request", f"expected a vision.Frame; got "
                          f"{type(frame).__name__}", param="frame")
    t = frame.t_ms
    if not isinstance(t, (int, np.integer)) or isinstance(t, bool):
        raise VisionError("invalid_request", f"t_ms must be an integer; got {t!r}",
                          param="t_ms")
    if t < 0:
        raise VisionError("frame_out_of_order", f"t_ms must be >= 0; got {t}", param="t_ms")
    if frame.frame_id is not None and (not isinstance(frame.frame_id, str)
                                       or not frame.frame_id.startswith("frm_")
                                       or len(frame.frame_id) < 5):
        raise VisionError("invalid_request", f"frame_id must be 'frm_' followed by an id; got "
                          f"{frame.frame_id!r}", param="frame_id")
    cursor = frame.cursor
    if cursor is not None and not (
            len(cursor) == 2 and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                                     for v in cursor)):
        raise VisionError("invalid_request", f"cursor must be two integers (x, y); got "
                          f"{cursor!r}", param="cursor")
