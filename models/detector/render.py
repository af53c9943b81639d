"""A :class:`~.scenes.Scene` drawn by the Qt renderer on a desktop: pixels and true boxes.

Boxes come from widget geometry (:meth:`Backend.elements`) and from the desktop's window frames
(:meth:`Desktop.elements`). Elements hidden under a window higher in the stack (a dialog over
the main window, a drop-down list over a form) are dropped, since no pixel shows them. The
pointer is drawn last, unlabelled: the engine finds it from motion (``vision.pointer``), and the
detector learns to ignore it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fixtures.sessiongen.backend import Element, WindowImage
from fixtures.sessiongen.colours import hsl
from fixtures.sessiongen.desktop import Desktop, plan_desktop
from fixtures.sessiongen.pointer import POINTER_SCALES, draw_pointer, sprite
from fixtures.sessiongen.qt import QtBackend

from .classes import CLASSES
from .scenes import Scene

__all__ = ["RenderedFrame", "render_scene"]

_MAX_HIDDEN = 0.5
"""Largest share of an element's box a window above it may cover for it to stay labelled."""


@dataclass(frozen=True)
class RenderedFrame:
    """A rendered frame and its true boxes."""

    image: np.ndarray
    """(H, W, 3) uint8 RGB."""
    boxes: np.ndarray
    """(n, 4) int32 ``x0, y0, x1, y1`` in frame pixels, exclusive ends."""
    labels: np.ndarray
    """(n,) int32 indices into :data:`~.classes.CLASSES`."""


def _window_rects(windows: list[WindowImage], title_h: int) -> dict[str, tuple[int, tuple]]:
    """Stack position and outer rectangle (frame included) of every window, by key."""
    out = {}
    for i, win in enumerate(windows):
        h, w = win.image.shape[:2]
        top = title_h if win.title is not None else 0
        out[win.key] = (i, (win.x, win.y - top, win.x + w, win.y + h))
    return out


def _covered(box: tuple[int, int, int, int], above: list[tuple[int, int, int, int]]) -> float:
    """Share of ``box`` (x0, y0, x1, y1) covered by the union of the ``above`` rectangles."""
    x0, y0, x1, y1 = box
    mask = np.zeros((y1 - y0, x1 - x0), bool)
    for ax0, ay0, ax1, ay1 in above:
        mask[max(ay0 - y0, 0):max(ay1 - y0, 0), max(ax0 - x0, 0):max(ax1 - x0, 0)] = True
    return float(mask.mean())


def _visible(elements: list[Element], windows: list[WindowImage], title_h: int,
             size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    rects = _window_rects(windows, title_h)
    width, height = size
    boxes, labels = [], []
    for e in elements:
        if e.role not in CLASSES:
            continue
        x, y, w, h = e.bbox
        box = (max(x, 0), max(y, 0), min(x + w, width), min(y + h, height))
        if box[2] - box[0] < 3 or box[3] - box[1] < 3:
            continue
        level = rects.get(e.window, (-1, None))[0]
        above = [r for k, (i, r) in rects.items() if i > level]
        if _covered(box, above) > _MAX_HIDDEN:
            continue
        boxes.append(box)
        labels.append(CLASSES.index(e.role))
    return np.array(boxes, np.int32).reshape(-1, 4), np.array(labels, np.int32)


def _act(backend: QtBackend, scene: Scene, rng: np.random.Generator) -> tuple[int, int]:
    """Put the application in the scene's state; returns where the pointer rests."""
    wanted = {"menu": ("menuitem", None), "combo": ("combobox", None),
              "dialog": ("button", scene.button_keys("dialog")),
              "errors": ("button", scene.button_keys("submit"))}.get(scene.state)
    hits = [] if wanted is None else [e for e in backend.elements() if e.role == wanted[0]
                                      and (wanted[1] is None or e.key in wanted[1])]
    if hits:
        x, y = hits[int(rng.integers(len(hits)))].centre()
        backend.move(x, y)
        backend.press(x, y)
        backend.release(x, y)
    else:
        x, y = int(rng.integers(scene.desktop[0])), int(rng.integers(scene.desktop[1]))
        backend.move(x, y)
    return x, y


def render_scene(scene: Scene, backend: QtBackend | None = None) -> RenderedFrame:
    """Render ``scene`` with the Qt renderer and compose it on a desktop."""
    rng = np.random.default_rng([scene.seed, 7])
    theme = scene.app.theme
    hue = rng.uniform(0, 360)
    layout = plan_desktop(rng, theme, scene.desktop,
                          mode="seamless" if scene.seamless else "desktop",
                          wallpaper=(hsl(hue, 0.4, 0.45), hsl(hue + 30, 0.5, 0.2)),
                          other_titles=("Inbox - Mail", "Report.txt")[:int(rng.integers(0, 3))],
                          other_lines=tuple(f"Line {i}: quarterly figures {i * 37 % 991}"
                                            for i in range(60)),
                          clock_start_s=int(rng.integers(0, 86400)))
    backend = backend or QtBackend()
    backend.open(scene.app, client_rect=layout.main_client)
    try:
        px, py = _act(backend, scene, rng)
        windows = backend.render(1000)
        desktop = Desktop(layout)
        image = desktop.compose(windows, 1000)
        elements = backend.elements() + desktop.elements(windows, 1000)
        boxes, labels = _visible(elements, windows, layout.chrome.title_h, scene.desktop)
        shape = backend.pointer_shape(px, py)
    finally:
        backend.close()
    cursor = sprite(shape, POINTER_SCALES[int(rng.integers(len(POINTER_SCALES)))])
    return RenderedFrame(draw_pointer(image, px, py, cursor), boxes, labels)
