"""The simulated person: typing reproduces the text, timings stay inside the contract's gaps."""

import numpy as np
from hypothesis import given, settings, strategies as st

from fixtures.sessiongen.person import (Person, keystrokes, pointer_path, typo_for, wheel_burst)

CLUMSY = Person(chars_per_s=3.0, typo_rate=0.3, pointer_speed=1.0, hesitation=0.2, wander=0.2,
                tab_habit=0.5, reading_ms=(300, 900))


def replay(steps) -> str:
    text = ""
    for _, key in steps:
        text = text[:-1] if key == "Backspace" else text + key
    return text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABC0123456789.,-@", max_size=30),
       st.integers(0, 2**32 - 1))
def test_keystrokes_type_the_text_exactly_and_never_pause_five_seconds(text, seed):
    steps = keystrokes(np.random.default_rng(seed), CLUMSY, text)
    assert replay(steps) == text
    assert all(0 < dt < 5000 for dt, _ in steps)


def test_typos_happen_and_are_corrected():
    steps = keystrokes(np.random.default_rng(1), CLUMSY, "invoice number 4711 approved")
    assert any(key == "Backspace" for _, key in steps)


def test_typo_is_a_neighbouring_key_of_the_same_case():
    rng = np.random.default_rng(0)
    assert typo_for("s", rng) in set("adwxz")
    assert typo_for("S", rng).isupper()
    assert typo_for("€", rng) is None


@settings(max_examples=40, deadline=None)
@given(st.tuples(st.integers(0, 1900), st.integers(0, 1000)),
       st.tuples(st.integers(0, 1900), st.integers(0, 1000)), st.integers(0, 10**6))
def test_pointer_path_lands_on_the_target(start, end, seed):
    steps = pointer_path(np.random.default_rng(seed), CLUMSY, start, end)
    if start == end:
        assert steps == []
    else:
        assert steps[-1][1:] == end
        assert all(dt > 0 for dt, _, _ in steps)


def test_a_wheel_burst_keeps_its_steps_under_a_second_apart():
    for seed in range(20):
        burst = wheel_burst(np.random.default_rng(seed), down=False)
        assert 2 <= len(burst) <= 8
        assert all(dt < 1000 and notches == -1 for dt, notches in burst)
