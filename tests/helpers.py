"""Test helpers: small synthetic screens and stored sessions written to tmp dirs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from vision.pointer import PointerMatch, Sprite

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def font(size: int = 12) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(FONT_PATH, size)
    except OSError:
        return ImageFont.load_default()


def form_screen(width: int = 640, height: int = 400, *, values: dict | None = None,
                dialog: bool = False, page: str = "Invoice") -> np.ndarray:
    """A grey business form with labelled fields; ``dialog`` draws a modal box over it."""
    values = values or {}
    img = Image.new("RGB", (width, height), (236, 233, 216))
    d = ImageDraw.Draw(img)
    f = font(12)
    d.rectangle((0, 0, width, 28), fill=(10, 36, 106))
    d.text((8, 7), f"{page} - Accounts Payable", fill=(255, 255, 255), font=f)
    for i, label in enumerate(("Vendor", "Amount", "Date", "Reference")):
        y = 60 + 40 * i
        d.text((20, y + 4), f"{label}:", fill=(0, 0, 0), font=f)
        d.rectangle((120, y, 360, y + 22), fill=(255, 255, 255), outline=(128, 128, 128))
        d.text((124, y + 4), values.get(label, ""), fill=(0, 0, 0), font=f)
    d.rectangle((120, 240, 200, 264), fill=(212, 208, 200), outline=(64, 64, 64))
    d.text((136, 245), "Approve", fill=(0, 0, 0), font=f)
    if dialog:
        d.rectangle((180, 120, 460, 280), fill=(236, 233, 216), outline=(0, 0, 0))
        d.rectangle((181, 121, 459, 143), fill=(10, 36, 106))
        d.text((188, 125), "Confirm", fill=(255, 255, 255), font=f)
        d.text((196, 170), "Approve invoice 4711?", fill=(0, 0, 0), font=f)
        d.rectangle((290, 240, 350, 262), fill=(212, 208, 200), outline=(64, 64, 64))
        d.text((310, 244), "OK", fill=(0, 0, 0), font=f)
    return np.asarray(img).copy()


def png_bytes(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "PNG")
    return buf.getvalue()


def jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=quality)
    return np.asarray(Image.open(buf).convert("RGB")).copy()


def write_session(root: Path, frames: list[tuple[int, np.ndarray]], *,
                  session_id: str = "ses_test", truth: list[dict] | None = None) -> Path:
    """Write a stored session; identical consecutive images share one file."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "frames").mkdir(exist_ok=True)
    h, w = frames[0][1].shape[:2]
    (root / "session.json").write_text(json.dumps(
        {"session_id": session_id, "width": w, "height": h, "source": "local"}))
    lines, last, name = [], None, None
    for i, (t, rgb) in enumerate(frames):
        if last is None or not np.array_equal(last, rgb):
            name = f"frames/{i:06d}.png"
            (root / name).write_bytes(png_bytes(rgb))
            last = rgb
        lines.append(json.dumps({"frame_id": f"frm_{i:06d}", "t_ms": t, "file": name}))
    (root / "frames.jsonl").write_text("\n".join(lines) + "\n")
    if truth is not None:
        (root / "truth.jsonl").write_text("".join(json.dumps(t) + "\n" for t in truth))
    return root


def _detections(elements):
    """Detections of ``(role, (x, y, w, h))`` elements, scored 0.9, or of ``(role, box,
    score)``."""
    from vision.detect import Detections

    elements = [(e[0], e[1], e[2] if len(e) > 2 else 0.9) for e in elements]
    classes = tuple(sorted({role for role, _, _ in elements}))
    xyxy = np.array([[x, y, x + w, y + h] for _, (x, y, w, h), _ in elements],
                    np.float32).reshape(-1, 4)
    ids = np.array([classes.index(role) for role, _, _ in elements], np.int32)
    scores = np.array([score for _, _, score in elements], np.float32)
    return Detections(xyxy, scores, ids, classes)


class FixedDetector:
    """A detector that finds the given ``(role, (x, y, w, h)[, score])`` elements wherever
    it looks."""

    def __init__(self, elements) -> None:
        self._found = _detections(elements)
        self.classes = self._found.classes

    def detect(self, image):
        return self._found

    def detect_regions(self, image, regions) -> list:
        return [self._found for _ in regions]


class LookingDetector:
    """A detector whose findings depend on the frame: ``see(rgb)`` gives the ``(role, box)``
    elements of each frame (a ticked check box the model takes for text, say)."""

    def __init__(self, see) -> None:
        self._see = see

    def detect(self, image):
        return _detections(self._see(image))

    def detect_regions(self, image, regions) -> list:
        found = self.detect(image)
        return [found for _ in regions]


def drawn_arrow(rgb: np.ndarray, x: int, y: int) -> tuple[np.ndarray, PointerMatch]:
    """``rgb`` with an arrow pointer drawn, its tip at (x, y), and the pointer as matched."""
    shape = Image.new("L", (19, 29), 0)
    ImageDraw.Draw(shape).polygon([(0, 0), (0, 24), (6, 18), (12, 28), (16, 26), (10, 16),
                                   (18, 16)], fill=255)
    mask = np.asarray(shape) > 0
    out = rgb.copy()
    out[y:y + 29, x:x + 19][mask] = 0
    sprite = Sprite(np.where(mask, 0, 255).astype(np.uint8), mask, (0, 0), "arrow")
    return out, PointerMatch(x, y, (x, y, 19, 29), "arrow", 0.9, sprite)
