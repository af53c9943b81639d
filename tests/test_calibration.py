"""Calibrated confidence: the emitted range, the floor a caller may only raise, and the shipped
set loading and mapping cues as it was fitted."""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from vision import Extractor, VisionError
from vision.calibration import (CONFIDENCE_CAP, CONFIDENCE_FLOOR, CalibrationSet, Calibrator,
                                fit_combination, fit_isotonic)
from vision.diff import FrameDiff, Shift
from vision.events import Click, Target
from vision.extractor import CALIBRATION_FILE, ExtractorConfig
from vision.frames import DecodedFrame
from vision.onnx_model import bundled_path
from vision.inference.candidates import Candidate
from vision.inference.scrolls import Scrolls

cue_values = st.floats(-5, 5, allow_nan=False)
SHIPPED = CalibrationSet.load(bundled_path(CALIBRATION_FILE))


@settings(max_examples=200, deadline=None)
@given(evidence=st.floats(0, 1), cues=st.dictionaries(
    st.sampled_from(["evidence", "pointer", "named", "role=button", "reaction=toggle",
                     "duration_ms", "unknown cue"]), cue_values, max_size=6),
       type_=st.sampled_from(["click", "input_text", "select", "scroll", "screen_change",
                              "validation_error", "not a type"]))
def test_shipped_confidences_never_exceed_the_cap_and_are_probabilities(evidence, cues, type_):
    p = SHIPPED.confidence(type_, evidence, cues)
    assert 0.0 <= p <= CONFIDENCE_CAP


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.booleans(), st.booleans()), min_size=5,
                max_size=60),
       st.floats(CONFIDENCE_FLOOR, 1.0))
def test_the_extractor_emits_only_confidences_between_its_floor_and_the_cap(rows, floor):
    """Whatever the calibration says, an event goes out only in [floor, 0.95]."""
    cues = [{"evidence": e, "pointer": float(p)} for e, p, _ in rows]
    names, weights, bias = fit_combination(cues, [ok for *_, ok in rows], min_count=1)
    cal = Calibrator("isotonic", xs=(0.0, 1.0), ys=(0.0, 1.0), names=names, weights=weights,
                     bias=bias)
    ex = Extractor("ses_01HZX3ABCDEFGHJKMNPQRSTVWX", confidence_gte=floor,
                   config=ExtractorConfig(calibration=CalibrationSet({"click": cal})))
    target = Target(role="button", name="OK", bbox=(0, 0, 10, 10))
    ex._hold([Candidate(f"frm_{i}", i, Click(x=1, y=1, target=target), e, {"pointer": p})
              for i, (e, p, _) in enumerate(rows)])
    for event in ex.flush():
        assert floor <= event.confidence <= CONFIDENCE_CAP


@pytest.mark.parametrize("floor", [0.5, 0.69, 1.01, "0.8", True])
def test_the_floor_can_be_raised_never_lowered(floor):
    with pytest.raises(VisionError) as err:
        Extractor("ses_01HZX3ABCDEFGHJKMNPQRSTVWX", confidence_gte=floor)
    assert err.value.code == "invalid_request" and err.value.param == "confidence_gte"


def test_a_combination_learns_which_cue_makes_an_event_right():
    rng = np.random.default_rng(0)
    pointer = rng.random(400) < 0.5
    right = np.where(pointer, rng.random(400) < 0.9, rng.random(400) < 0.3)
    cues = [{"evidence": 0.6, "pointer": float(p)} for p in pointer]
    names, weights, bias = fit_combination(cues, right)
    cal = Calibrator("isotonic", xs=(0.0, 1.0), ys=(0.0, 1.0), names=names, weights=weights,
                     bias=bias)
    assert cal(0.6, {"evidence": 0.6, "pointer": 1.0}) == pytest.approx(0.9, abs=0.06)
    assert cal(0.6, {"evidence": 0.6}) == pytest.approx(0.3, abs=0.06)


def test_a_calibration_set_survives_its_json_round_trip(tmp_path):
    cues = [{"evidence": x, "role=tab": float(x > 0.5)} for x in np.linspace(0, 1, 50)]
    names, weights, bias = fit_combination(cues, [x > 0.3 for x in np.linspace(0, 1, 50)])
    scores = [1 / (1 + math.exp(-(bias + sum(w * c.get(n, 0) for n, w in zip(names, weights)))))
              for c in cues]
    iso = fit_isotonic(scores, [x > 0.3 for x in np.linspace(0, 1, 50)])
    cal = Calibrator("isotonic", iso.xs, iso.ys, names=names, weights=weights, bias=bias)
    path = tmp_path / "calibration.json"
    CalibrationSet({"click": cal}, fitted_on="test").save(path)
    loaded = CalibrationSet.load(path)
    for c in cues:
        assert loaded.confidence("click", c["evidence"], c) == \
            CalibrationSet({"click": cal}).confidence("click", c["evidence"], c)
    assert json.loads(path.read_text())["version"] == 2


def test_the_environment_may_name_another_calibration_file(tmp_path, monkeypatch):
    from vision.extractor import CALIBRATION_ENV, shipped_calibration

    CalibrationSet({"click": Calibrator("platt", a=0.0, b=5.0)}).save(tmp_path / "mine.json")
    monkeypatch.setenv(CALIBRATION_ENV, str(tmp_path / "mine.json"))
    assert set(shipped_calibration().calibrators) == {"click"}
    monkeypatch.setenv(CALIBRATION_ENV, str(tmp_path / "missing.json"))
    with pytest.raises(VisionError) as err:
        shipped_calibration()
    assert err.value.param == CALIBRATION_ENV


def test_the_fit_holds_out_whole_fonts_and_picks_a_map_that_holds_on_them():
    """Candidates of three fonts, where the pointer seen on the target makes a click right 90 %
    of the time and 30 % without: the map chosen on held-out fonts learns the cue."""
    from models.calibrate import Sample, _font, fit_type

    assert _font({"theme": "classic3d-navy-notosans-10"}) == "notosans"
    assert _font({"theme": "custom", "session_id": "ses_1"}) == "ses_1"
    rng = np.random.default_rng(0)
    samples = []
    for i in range(400):
        font = ("a", "b", "c")[i % 3]
        cue = float(rng.random() < 0.5)
        right = bool(rng.random() < (0.9 if cue else 0.3))
        samples.append(Sample(f"s{i % 12}", "lossless", "click", 0.5, right, {"pointer": cue},
                              font))
    cal = fit_type(samples)
    assert cal.samples == 400 and cal.holdout_ece is not None
    assert cal(0.5, {"pointer": 1.0}) > 0.75 > 0.45 > cal(0.5, {"pointer": 0.0})


def test_a_screen_changes_kind_and_title_are_cues_for_its_calibrator():
    """Dialogs and navigations are right at different rates: the kind is a cue of its own."""
    from vision.events import ScreenChange

    change = ScreenChange(kind="dialog_open", title="Confirm", changed_fraction=0.08)
    cues = Candidate("frm_1", 0, change, 0.9, {"changed_fraction": 0.08}).cues()
    assert cues["kind=dialog_open"] == 1.0 and "kind=navigation" not in cues
    assert cues["changed_fraction"] == 0.08
    assert cues["title_length"] == pytest.approx(math.log1p(len("Confirm")))


def test_the_shipped_scroll_map_trusts_one_step_in_a_tall_view_not_in_a_short_area():
    """One wheel step is all the evidence a scroll of a long list may give; views people
    scroll are tall, while a short area whose content moved is as often a small list
    refilled or a panel re-laid out."""
    def one_step(height: int) -> float:
        scrolls = Scrolls()
        frame = DecodedFrame("frm_0", 0, 0, np.zeros((1080, 1920, 3), np.uint8), None, None)
        shift = Shift(0, 45, (500, 100, 300, height))
        scrolls.push(frame, FrameDiff(shifts=(shift,), kind="local"), _NoElements())
        candidate, = scrolls.flush()
        return SHIPPED.confidence("scroll", candidate.evidence, candidate.cues())

    assert one_step(900) >= CONFIDENCE_FLOOR > one_step(80)


class _NoElements:
    previous = elements = ()


def test_crossed_cues_weigh_a_cue_apart_for_each_kind_of_candidate():
    """The pointer on the target makes a toggle right and says nothing about a focus click:
    only the crossed combination tells the two apart."""
    rng = np.random.default_rng(1)
    cues, right = [], []
    for _ in range(800):
        reaction = "reaction=toggle" if rng.random() < 0.5 else "reaction=focus"
        pointer = float(rng.random() < 0.5)
        cues.append({reaction: 1.0, "pointer": pointer})
        p = (0.9 if pointer else 0.2) if reaction == "reaction=toggle" else 0.5
        right.append(bool(rng.random() < p))
    names, weights, bias = fit_combination(cues, right, cross=True)
    assert "reaction=toggle*pointer" in names
    cal = Calibrator("isotonic", xs=(0.0, 1.0), ys=(0.0, 1.0), names=names, weights=weights,
                     bias=bias)
    toggle = {"reaction=toggle": 1.0, "pointer": 1.0}
    focus = {"reaction=focus": 1.0, "pointer": 1.0}
    assert cal(0.5, toggle) == pytest.approx(0.9, abs=0.06)
    assert cal(0.5, focus) == pytest.approx(0.5, abs=0.08)


def test_the_map_chosen_is_the_one_emitting_most_right_events_among_calibrated_ones():
    """A timid map that calls everything 0.6 is calibrated and emits nothing: among maps
    calibrated well enough, the one that emits the most right events wins."""
    from models.calibrate import ECE_BUDGET, choose

    errors = {"timid": 0.005, "sharp": ECE_BUDGET - 0.005, "wild": ECE_BUDGET + 0.05}
    right = {"timid": 100, "sharp": 400, "wild": 600}
    assert choose(errors, right) == "sharp"
    assert choose({"a": 0.2, "b": 0.1}, {"a": 500, "b": 10}) == "b"   # none calibrated
    assert choose({"a": 0.01, "b": 0.02}, {"a": 300, "b": 300}) == "a"  # a tie
    # on few events, an error within sampling noise counts as calibrated
    assert choose({"a": 0.02, "b": 0.06}, {"a": 30, "b": 60}, {"a": 0.07, "b": 0.07}) == "b"


def test_the_sampling_noise_of_a_perfect_map_shrinks_with_more_events():
    from models.calibrate import sampling_noise

    rng = np.random.default_rng(1)
    few, many = rng.uniform(0.5, 0.95, 150), rng.uniform(0.5, 0.95, 5000)
    assert sampling_noise(few) > 0.03 > sampling_noise(many)
