"""The capture side: frame times, display latency, shared files, the client-drawn pointer."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from fixtures.sessiongen.backend import WindowImage
from fixtures.sessiongen.degrade import Transport, TransportSettings
from fixtures.sessiongen.desktop import Desktop, plan_desktop
from fixtures.sessiongen.pointer import sprite
from fixtures.sessiongen.recorder import CaptureSettings, Recorder, capture_times

SIZE = (320, 240)


class LampBackend:
    """A window that is dark until ``switch()`` and bright after: one visible state change."""

    def __init__(self):
        self.on = False
        self._images = {False: np.full((120, 200, 3), 30, np.uint8),
                        True: np.full((120, 200, 3), 220, np.uint8)}

    def switch(self):
        self.on = True

    def render(self, t_ms):
        return [WindowImage("main", self._images[self.on], 60, 60, "Lamp", True)]

    def pointer_shape(self, x, y):
        return "arrow"

    def elements(self):
        return []


def make_recorder(tmp_path, backend, theme, *, latency=0, fps=10.0, **capture):
    layout = plan_desktop(np.random.default_rng(0), theme, SIZE, mode="desktop",
                          wallpaper=("#204060", "#102030"), other_titles=(), other_lines=(),
                          clock_start_s=9 * 3600)
    transport = Transport(TransportSettings("lossless", "local", 24, None, 0, 0.0, latency, 1.0))
    return Recorder(tmp_path, session_id="ses_t", backend=backend, desktop=Desktop(layout),
                    transport=transport, capture=CaptureSettings(fps=fps, jitter=0.0, **capture),
                    rng=np.random.default_rng(0), size=SIZE)


def frames(tmp_path):
    return [json.loads(line) for line in open(tmp_path / "frames.jsonl")]


@pytest.mark.parametrize("latency", [0, 250])
def test_pixels_show_an_action_latency_ms_after_it(tmp_path, theme, latency):
    backend = LampBackend()
    recorder = make_recorder(tmp_path, backend, theme, latency=latency, pointer_drawn=False)
    recorder.advance(1000)
    backend.switch()                       # the action, at 1000 ms
    recorder.finish(2000)
    lines = frames(tmp_path)
    files = {line["t_ms"]: line["file"] for line in lines}
    before = [f for t, f in files.items() if t < 1000 + latency]
    after = [f for t, f in files.items() if t >= 1000 + latency]
    assert len(set(before)) == 1 and len(set(after)) == 1 and before[0] != after[0]


def test_identical_frames_share_one_file(tmp_path, theme):
    recorder = make_recorder(tmp_path, LampBackend(), theme, pointer_drawn=False)
    result = recorder.finish(3000)
    assert result.frames == 30 and result.files == 1
    assert len(list((tmp_path / "frames").iterdir())) == 1


def test_the_pointer_is_drawn_with_its_hot_spot_where_it_is(tmp_path, theme):
    recorder = make_recorder(tmp_path, LampBackend(), theme, cursor_hints=True)
    recorder.pointer(0, 100, 100)
    recorder.advance(500)
    recorder.pointer(500, 150, 90)
    recorder.finish(1000)
    lines = frames(tmp_path)
    assert {tuple(line["cursor"]) for line in lines} == {(100, 100), (150, 90)}
    image = cv2.imread(str(tmp_path / lines[-1]["file"]))[..., ::-1]
    arrow = sprite("arrow")
    x, y, w, h = arrow.box_at(150, 90)
    assert tuple(image[y, x]) == (0, 0, 0)            # the arrow's tip is black, at the hot spot
    assert len({line["file"] for line in lines}) == 2


def test_capture_times_follow_the_rate_with_jitter_and_drops():
    rng = np.random.default_rng(1)
    settings = CaptureSettings(fps=5.0, jitter=0.15, drop_rate=0.1)
    times = []
    for t in capture_times(rng, settings):
        if t > 60_000:
            break
        times.append(t)
    gaps = np.diff(times)
    assert times[0] == 0
    assert gaps.min() >= 170 and 190 < np.median(gaps) < 215
    assert 0.07 < 1 - len(times) / (60_000 / 200) < 0.13      # a tenth dropped


def test_elements_under_a_window_stacked_above_are_not_visible():
    from fixtures.sessiongen.backend import Element
    from fixtures.sessiongen.recorder import visible_elements

    image = np.zeros((10, 10, 3), np.uint8)
    windows = [WindowImage("main", image, 0, 0, "Main"), WindowImage("dlg", image, 50, 50, "D"),
               WindowImage("popup", image, 0, 0, None)]
    frames = {"main": (0, 0, 300, 300), "dlg": (40, 40, 100, 100), "popup": (0, 0, 20, 20)}
    hidden = Element("save", "button", "Save", (60, 60, 20, 10), "main")
    shown = Element("cancel", "button", "Cancel", (200, 200, 20, 10), "main")
    on_top = Element("dlg.ok", "button", "OK", (60, 60, 20, 10), "dlg")
    title = Element("titlebar:main", "titlebar", "Main", (0, 0, 300, 20), "main")
    got = visible_elements([hidden, shown, on_top, title], windows, frames)
    assert [e.key for e in got] == ["cancel", "dlg.ok", "titlebar:main"]
