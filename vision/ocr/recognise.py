"""Reading one line of text: the crop prepared for the recogniser, and CTC greedy decoding.

The recogniser (PP-OCR's multilingual "small" model) reads a 48 px tall image and emits one
class per 8 px column: a blank, or a character of its list. UI text is 11-15 px tall, and crops
arrive with varying margins and often with a field's frame around the text, so the glyphs are
located first (:func:`~.glyphs.text_extent`) and only their box, with a fixed margin, is scaled
to 48 px. Binary glyph edges (text drawn without anti-aliasing) turn into staircases when
scaled 3-4 times, so the box is blurred by about a pixel first. On Qt-rendered UI strings
(``python -m benchmarks.ocr_bench``, lossless) the whole crop reads 0.906 exactly as rendered
and 0.726 with 60 px more background; the glyph box reads 0.927 in both cases, and 0.944 when
blurred.

The image is read in grey, which removes the colour fringes JPEG chroma subsampling and
sub-pixel anti-aliasing put around small text. Light text on a dark background is not inverted:
it reads as well as dark on light (exact 0.946 on the dark theme and 0.951 white on blue, 0.910
on the light one, in the same benchmark).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .glyphs import ROUND_GLYPHS, background_level, round_letters, text_extent

__all__ = ["TextRead", "REC_HEIGHT", "check_rgb", "line_input", "ctc_greedy",
           "settle_round_letters", "charset_from_metadata"]

REC_HEIGHT = 48
"""Input height of the recogniser, in pixels."""
_MIN_WIDTH = 16
"""Two of the recogniser's 8 px steps, for crops narrower than their height."""
_BLANK = ""


@dataclass(frozen=True)
class TextRead:
    """What one line crop reads as."""

    text: str
    """The characters read, ``""`` when the crop holds no text."""
    score: float
    """Mean probability of the characters read (of the blank, when ``text`` is empty), in
    ``[0, 1]``: a raw evidence score, not a calibrated confidence."""
    lowest: float = 1.0
    """Probability of the least certain character read (``score`` when ``text`` is empty):
    one doubtful letter makes a name or a value wrong however sure the rest is."""


def check_rgb(image: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` unless ``image`` is a non-empty ``(H, W, 3)`` uint8 array."""
    if not isinstance(image, np.ndarray):
        raise ValueError(f"{name} must be a numpy array; got {type(image).__name__}")
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"{name} must have shape (H, W, 3); got {image.shape}")
    if image.dtype != np.uint8:
        raise ValueError(f"{name} must be uint8; got {image.dtype}")
    if image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"{name} is empty (shape {image.shape}); pass a crop holding the text")


def line_input(rgb: np.ndarray, *, padding: float = 0.15, blur: float = 0.07) -> np.ndarray:
    """The recogniser's input for one line crop: ``(3, 48, W)`` float32 in ``[-1, 1]``.

    The glyphs' box, widened by ``padding`` times its height on every side (filled with the
    background level), is blurred by a Gaussian of ``blur`` times its height, then scaled to
    48 px tall with linear interpolation. A crop without ink is scaled whole, so the
    recogniser itself says it is blank.
    """
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    extent = text_extent(grey)
    if extent is not None:
        x, y, w, h = extent
        margin = _margin(h, padding)
        background = round(background_level(grey))
        grey = cv2.copyMakeBorder(grey[y:y + h, x:x + w], margin, margin, margin, margin,
                                  cv2.BORDER_CONSTANT, value=background)
        if blur > 0:
            grey = cv2.GaussianBlur(grey, (0, 0), blur * h)
    h, w = grey.shape
    width = max(_MIN_WIDTH, round(w * REC_HEIGHT / h))
    scaled = cv2.resize(grey, (width, REC_HEIGHT), interpolation=cv2.INTER_LINEAR)
    channel = scaled.astype(np.float32) / 127.5 - 1.0
    return np.repeat(channel[None], 3, axis=0)


def _margin(height: int, padding: float) -> int:
    return max(1, round(padding * height))


def settle_round_letters(rgb: np.ndarray, read: TextRead, probs: np.ndarray,
                         padding: float) -> TextRead:
    """``read`` (the best path of ``probs``, read from ``rgb`` prepared with ``padding``) with
    its zeros and capital O's of x-height made letters o (:func:`~.glyphs.round_letters`):
    each character is placed by the step of the recogniser that emitted it."""
    if not any(c in ROUND_GLYPHS for c in read.text):
        return read
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    extent = text_extent(grey)
    if extent is None:
        return read
    x, y, w, h = extent
    margin = _margin(h, padding)
    steps = np.flatnonzero(_emitted(probs)[1])
    # a step's centre across the padded box, then across the glyphs' box
    centres = [((i + 0.5) / len(probs) * (w + 2 * margin) - margin) / w for i in steps]
    text = round_letters(grey[y:y + h, x:x + w], read.text, centres)
    return TextRead(text, read.score, read.lowest) if text != read.text else read


def _emitted(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The best class of each step, and which steps emit a character (not a blank, not a
    repeat of the step before)."""
    best = probs.argmax(axis=1)
    emitted = best != 0
    emitted[1:] &= best[1:] != best[:-1]
    return best, emitted


def charset_from_metadata(characters: str) -> tuple[str, ...]:
    """The recogniser's classes from its ``character`` metadata: blank, the list, a space."""
    return (_BLANK, *characters.splitlines(), " ")


def ctc_greedy(probs: np.ndarray, charset: tuple[str, ...]) -> TextRead:
    """Best-path CTC decoding of ``(T, C)`` class probabilities: merge repeats, drop blanks.

    Examples
    --------
    >>> charset = ("", "a", "b")
    >>> probs = np.array([[.1, .9, 0], [.2, .8, 0], [.9, .1, 0], [.1, .9, 0], [.3, .1, .6]])
    >>> read = ctc_greedy(probs, charset)
    >>> read.text, round(read.score, 3), read.lowest
    ('aab', 0.8, 0.6)
    """
    if probs.shape[1] != len(charset):
        raise ValueError(f"the model emits {probs.shape[1]} classes but the character list "
                         f"has {len(charset)}")
    best, emitted = _emitted(probs)
    confidence = probs.max(axis=1)
    if not emitted.any():
        blank = float(confidence.mean())
        return TextRead("", blank, blank)
    text = "".join(charset[i] for i in best[emitted])
    return TextRead(text, float(confidence[emitted].mean()), float(confidence[emitted].min()))
