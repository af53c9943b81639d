"""The OCR stage: read UI text from crops, and find text lines where the layout is unknown.

Two PP-OCR models shipped inside the ``rapidocr`` wheel run through :class:`~vision.onnx_model.
OnnxModel` (nothing is downloaded): a recogniser for one line of text, and a detector used only
where lines must be found (a dialog's message, an error text near a field). Results are cached
by the bytes of the pixels read, so text that did not change is never read twice.

The module functions use one reader per process (:func:`default_reader`), so every stage
shares its cache:

>>> import cv2
>>> crop = np.full((24, 90, 3), 40, np.uint8)          # light text on a dark theme
>>> _ = cv2.putText(crop, "Submit", (6, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (230,) * 3, 1)
>>> read_line(crop).text
'Submit'
"""

from __future__ import annotations

import numpy as np

from .cache import CacheInfo
from .reader import OcrConfig, TextLine, TextReader, default_reader
from .recognise import TextRead

__all__ = ["TextRead", "TextLine", "OcrConfig", "TextReader", "CacheInfo", "default_reader",
           "read_line", "find_lines"]


def read_line(crop: np.ndarray) -> TextRead:
    """Read one line of text from an RGB crop with the shared reader.

    See :meth:`TextReader.read_line`.
    """
    return default_reader().read_line(crop)


def find_lines(rgb: np.ndarray, region: tuple[int, int, int, int] | None = None
               ) -> tuple[TextLine, ...]:
    """Detect and read the text lines of a region of an RGB frame with the shared reader.

    See :meth:`TextReader.find_lines`.
    """
    return default_reader().find_lines(rgb, region)
