"""The OCR stage's one stateful object: the two models, their character list, and the cache."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

import cv2
import numpy as np

from ..errors import VisionError
from ..onnx_model import OnnxModel
from .cache import CacheInfo, ContentCache, content_key
from .detect import det_input, line_boxes, reading_order, scaled_size
from .glyphs import text_runs
from .recognise import (TextRead, charset_from_metadata, check_rgb, ctc_greedy, line_input,
                        settle_round_letters)

__all__ = ["OcrConfig", "TextLine", "TextReader", "default_reader", "rapidocr_model",
           "DETECTOR_FILE", "RECOGNISER_FILE"]

BBox = tuple[int, int, int, int]
DETECTOR_FILE = "PP-OCRv6_det_small.onnx"
RECOGNISER_FILE = "PP-OCRv6_rec_small.onnx"


def rapidocr_model(name: str) -> Path:
    """Path of a model file shipped inside the installed ``rapidocr`` wheel.

    Raises
    ------
    VisionError
        ``internal_error`` when ``rapidocr`` or the file is missing (nothing is downloaded).
    """
    try:
        path = Path(str(resources.files("rapidocr").joinpath("models", name)))
    except ModuleNotFoundError:
        raise VisionError("internal_error", "the OCR stage needs the rapidocr package; "
                          "install nusomi-vision with its dependencies", param="model") from None
    if not path.is_file():
        raise VisionError("internal_error", f"model file {name} is missing from the installed "
                          f"rapidocr package ({path}); reinstall rapidocr", param="model")
    return path


@dataclass(frozen=True)
class OcrConfig:
    """Settings of the OCR stage."""

    line_padding: float = 0.15
    """Margin kept around a line's glyphs before scaling to 48 px, in glyph heights."""
    line_blur: float = 0.07
    """Gaussian blur of a line before scaling, in glyph heights (about 1 px at UI sizes)."""
    detect_scale: float = 1.0
    """Factor applied to a region before text detection (see :mod:`.detect`)."""
    detect_threshold: float = 0.3
    """Probability above which a map pixel belongs to a line's core."""
    box_threshold: float = 0.5
    """Mean core probability a detected line must reach."""
    unclip_ratio: float = 1.5
    """A core grows back into its line by this times its area over its perimeter (DB)."""
    cache_size: int = 4096
    """Results kept (lines read and regions searched), least recently used dropped first."""


@dataclass(frozen=True)
class TextLine:
    """A line of text found in a frame."""

    text: str
    bbox: BBox
    """``(x, y, w, h)`` of the glyphs, in frame pixels."""
    score: float
    """The recogniser's score of ``text`` (see :class:`TextRead`)."""
    box_score: float
    """The detector's mean probability over the line's core, in ``[0, 1]``."""


class TextReader:
    """Reads UI text from RGB frames; results are cached by the content of their pixels.

    Parameters
    ----------
    config : OcrConfig
    recogniser, detector : OnnxModel, optional
        The models; by default the PP-OCR files inside the ``rapidocr`` package, whose
        onnxruntime sessions are shared by every reader of the process.
    threads : int
        Intra-op threads of the default models' sessions.

    Examples
    --------
    >>> import cv2
    >>> crop = np.full((24, 90, 3), 255, np.uint8)
    >>> _ = cv2.putText(crop, "Cancel", (6, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (0, 0, 0), 1)
    >>> reader = TextReader()
    >>> reader.read_line(crop).text
    'Cancel'
    >>> reader.read_line(crop.copy()) is reader.read_line(crop)   # same pixels: no second read
    True
    """

    def __init__(self, config: OcrConfig = OcrConfig(), *, recogniser: OnnxModel | None = None,
                 detector: OnnxModel | None = None, threads: int = 1) -> None:
        self.config = config
        if recogniser is None:
            recogniser = OnnxModel(rapidocr_model(RECOGNISER_FILE), threads=threads)
        if detector is None:
            detector = OnnxModel(rapidocr_model(DETECTOR_FILE), threads=threads)
        self.recogniser, self.detector = recogniser, detector
        self._cache = ContentCache(config.cache_size)

    @cached_property
    def charset(self) -> tuple[str, ...]:
        """The recogniser's classes, from the character list in its metadata."""
        characters = self.recogniser.metadata.get("character")
        if characters is None:
            raise VisionError("internal_error", f"{self.recogniser.path.name} carries no "
                              "character list in its metadata", param="model")
        return charset_from_metadata(characters)

    def read_line(self, crop: np.ndarray) -> TextRead:
        """Read one line of text (a caption, a field's value, a label) from an RGB crop.

        The crop may hold margins and a field's frame around the text; a crop holding no text
        reads as ``""``. Light text on a dark background reads as well as dark on light.

        Raises
        ------
        ValueError
            When ``crop`` is not a non-empty ``(H, W, 3)`` uint8 array.
        """
        check_rgb(crop, "crop")
        return self._cache.get_or_compute(("line", *content_key(crop)),
                                          lambda: self._recognise(crop))

    def read_line_again(self, crop: np.ndarray) -> TextRead:
        """``crop`` read a second way: its glyphs left sharp, with margins twice as wide.

        Where this and :meth:`read_line` differ, the text is in doubt: the recogniser is
        unsure of the glyphs of this font at this size, whatever its scores say.
        """
        check_rgb(crop, "crop")
        cfg = self.config
        return self._cache.get_or_compute(
            ("again", *content_key(crop)),
            lambda: self._recognise(crop, padding=2 * cfg.line_padding, blur=0.0))

    def find_lines(self, rgb: np.ndarray, region: BBox | None = None) -> tuple[TextLine, ...]:
        """Detect and read every line of text in ``region`` (``(x, y, w, h)``, default: all).

        Lines come in reading order, boxes in frame pixels. A detected line that the side of
        a frame crosses (a label next to its field's value) gives one line on each side.
        Detections that read as empty (icons the detector took for text) are left out.

        Raises
        ------
        ValueError
            When ``rgb`` is not a non-empty ``(H, W, 3)`` uint8 array, or ``region`` is not a
            non-empty box inside it.
        """
        check_rgb(rgb, "rgb")
        x, y, w, h = _check_region(region, rgb.shape)
        crop = rgb[y:y + h, x:x + w]
        return self._cache.get_or_compute(("lines", x, y, *content_key(crop)),
                                          lambda: self._find(crop, (x, y)))

    def cache_info(self) -> CacheInfo:
        return self._cache.info()

    def _recognise(self, crop: np.ndarray, *, padding: float | None = None,
                   blur: float | None = None) -> TextRead:
        padding = self.config.line_padding if padding is None else padding
        pixels = line_input(crop, padding=padding,
                            blur=self.config.line_blur if blur is None else blur)
        probs = self.recogniser(pixels[None])[0]
        return settle_round_letters(crop, ctc_greedy(probs, self.charset), probs, padding)

    def _find(self, crop: np.ndarray, origin: tuple[int, int]) -> tuple[TextLine, ...]:
        cfg = self.config
        h, w = crop.shape[:2]
        map_h, map_w = scaled_size(crop.shape, cfg.detect_scale)
        prob = self.detector(det_input(crop, cfg.detect_scale))[0, 0, :map_h, :map_w]
        found = line_boxes(prob, threshold=cfg.detect_threshold,
                           box_threshold=cfg.box_threshold, unclip_ratio=cfg.unclip_ratio)
        boxes = [_unscale(box, cfg.detect_scale, (w, h)) for box, _ in found]
        grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
        lines = []
        for i in reading_order(boxes):
            bx, by, bw, bh = boxes[i]
            for rx, ry, rw, rh in text_runs(grey[by:by + bh, bx:bx + bw]):
                x, y = bx + rx, by + ry
                read = self.read_line(crop[y:y + rh, x:x + rw])
                if read.text.strip():
                    lines.append(TextLine(read.text, (x + origin[0], y + origin[1], rw, rh),
                                          read.score, found[i][1]))
        return tuple(lines)


def _unscale(box: BBox, scale: float, size: tuple[int, int]) -> BBox:
    """A box in detector-map pixels as a box in crop pixels, clipped to the crop."""
    x, y, w, h = box
    x0, y0 = int(np.floor(x / scale)), int(np.floor(y / scale))
    x1 = min(size[0], int(np.ceil((x + w) / scale)))
    y1 = min(size[1], int(np.ceil((y + h) / scale)))
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)


def _check_region(region: BBox | None, shape: tuple[int, ...]) -> BBox:
    height, width = shape[:2]
    if region is None:
        return 0, 0, width, height
    if len(region) != 4 or not all(isinstance(v, (int, np.integer)) for v in region):
        raise ValueError(f"region must be four integers (x, y, w, h); got {region!r}")
    x, y, w, h = (int(v) for v in region)
    if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > width or y + h > height:
        raise ValueError(f"region {region!r} must be a non-empty box inside the "
                         f"{width}x{height} frame")
    return x, y, w, h


@cache
def default_reader() -> TextReader:
    """The process's shared reader (default config), so every stage shares one cache."""
    return TextReader()
