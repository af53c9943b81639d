"""Transport profiles do what they say: 16-bit colour, lossy then lossless, cached tiles."""

import numpy as np
import pytest

from fixtures.sessiongen.degrade import (PROFILES, TILE, Transport, TransportSettings,
                                         draw_settings, scale_frame, to_rgb565)


def settings(profile: str, **overrides) -> TransportSettings:
    base = draw_settings(profile, np.random.default_rng(0))
    return TransportSettings(**{**base.__dict__, **overrides})


def noisy_frame(seed: int, size=(192, 256)) -> np.ndarray:
    """A frame with text-like detail, where JPEG cannot be exact."""
    rng = np.random.default_rng(seed)
    frame = np.full(size + (3,), 236, np.uint8)
    frame[rng.random(size) < 0.15] = (20, 40, 90)
    return frame


def test_rgb565_keeps_at_most_65536_colours_with_high_bits_replicated():
    values = np.arange(256, dtype=np.uint8)
    red, green = np.meshgrid(values, values, indexing="ij")
    frame = np.stack([red, green, np.full_like(red, 77)], -1)
    out = to_rgb565(frame)
    r, g, b = out[..., 0], out[..., 1], out[..., 2]
    assert len(np.unique(out.reshape(-1, 3), axis=0)) <= 65536
    assert np.all((r & 7) == (r >> 5)) and np.all((b & 7) == (b >> 5))
    assert np.all((g & 3) == (g >> 6))
    assert np.all(np.abs(out.astype(int) - frame) <= 7)


def test_rdp_frames_are_16_bit_colour():
    transport = Transport(settings("rdp"))
    first = noisy_frame(0)
    transport.send(first)
    shown = transport.send(first)             # refined: exactly the 565 frame
    np.testing.assert_array_equal(shown, to_rgb565(first))


@pytest.mark.parametrize("refine_after", [1, 3])
def test_citrix_changed_tiles_are_lossy_then_refined_and_others_stay_identical(refine_after):
    transport = Transport(settings("citrix", quality=45, refine_after=refine_after))
    before = noisy_frame(0)
    transport.send(before)
    for _ in range(refine_after):
        settled = transport.send(before)
    np.testing.assert_array_equal(settled, before)
    after = before.copy()
    after[10:30, 70:120] = noisy_frame(1)[10:30, 70:120]  # changes tiles (0, 1) only
    lossy = transport.send(after)
    tile = (slice(0, TILE), slice(TILE, 2 * TILE))
    assert np.abs(lossy[tile].astype(int) - after[tile]).max() > 10
    untouched = np.ones(after.shape[:2], bool)
    untouched[:TILE, TILE:2 * TILE] = False
    np.testing.assert_array_equal(lossy[untouched], settled[untouched])
    for i in range(refine_after):
        shown = transport.send(after)
        assert np.array_equal(shown, after) == (i == refine_after - 1)


def test_lossless_passes_frames_through():
    frame = noisy_frame(3)
    assert Transport(settings("lossless")).send(frame) is frame


def test_scaling_blurs_to_the_client_size():
    frame = noisy_frame(4, (200, 300))
    out = scale_frame(frame, (450, 300))
    assert out.shape == (300, 450, 3)
    assert len(np.unique(out.reshape(-1, 3), axis=0)) > len(np.unique(frame.reshape(-1, 3),
                                                                      axis=0))


def test_profiles_draw_settings_in_their_ranges():
    for seed in range(20):
        rng = np.random.default_rng(seed)
        c = draw_settings("citrix", rng)
        assert 40 <= c.quality <= 70 and 100 <= c.latency_ms <= 300 and c.drop_rate > 0
        assert draw_settings("scaled", rng).scale in (1.25, 1.5)
        assert draw_settings("rdp", rng).colour_bits == 16
    assert set(PROFILES) == {"lossless", "rdp", "citrix", "scaled"}
