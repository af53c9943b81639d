"""Which frames to render for the detector: one screen of a generated application, in a state.

Applications come from the session generator's own draws (:func:`fixtures.sessiongen.variety.
draw_app`), so the detector's ``train`` and ``test`` frames follow the project's split: they
share no font, colour family or layout template, and the test frames look like the benchmark's
test sessions, which the detector never saw. A scene shows one of the application's screens,
plain or with a menu or drop-down open, a dialog up, or validation messages shown.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

import numpy as np

from fixtures.sessiongen.spec import AppSpec
from fixtures.sessiongen.variety import Split, draw_app

__all__ = ["Scene", "SceneState", "sample_scene"]

SceneState = Literal["plain", "menu", "combo", "dialog", "errors"]
_STATES: tuple[SceneState, ...] = ("plain", "plain", "menu", "combo", "dialog", "errors")
_DESKTOPS = ((1920, 1080), (1920, 1080), (1600, 900), (1366, 768), (1280, 1024))


@dataclass(frozen=True)
class Scene:
    """One frame to render: an application opened on a screen, its state and desktop size."""

    app: AppSpec
    state: SceneState
    desktop: tuple[int, int]
    seamless: bool
    seed: int

    def button_keys(self, verb: str) -> tuple[str, ...]:
        """Keys of the start screen's buttons whose action starts with ``verb``."""
        screen = self.app.screen(self.app.start)
        return tuple(b.key for b in screen.buttons if b.action.startswith(verb))


def sample_scene(seed: int, split: Split) -> Scene:
    """The scene for one frame, drawn from ``seed`` alone (so data rebuilds byte for byte)."""
    rng = np.random.default_rng([seed, split == "test"])
    app = draw_app(rng, split, seed=seed)
    start = app.screens[int(rng.integers(len(app.screens)))].key
    state = _STATES[int(rng.integers(len(_STATES)))]
    desktop = _DESKTOPS[int(rng.integers(len(_DESKTOPS)))]
    return Scene(dataclasses.replace(app, start=start), state, desktop,
                 bool(rng.random() < 0.3), seed)
