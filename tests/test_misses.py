"""The misses report: each true event no prediction matched, with the first criterion its
nearest prediction fails, as the harness scores."""

from __future__ import annotations

import pytest

from benchmarks.misses import main, misses, why_missed
from vision.events import Click, Event, InputText, Select, Target, TrueEvent

OK = Target(role="button", name="OK", bbox=(100, 100, 60, 24))
VENDOR = Target(role="textbox", name="Vendor:", bbox=(100, 140, 120, 24))
CURRENCY = Target(role="combobox", name="Currency", bbox=(100, 180, 90, 24))


def click(target: Target, x: int = 110, y: int = 110) -> Click:
    return Click(x=x, y=y, target=target)


def typed(text: str, target: Target = VENDOR) -> InputText:
    return InputText(target=target, text=text, started_t_ms=0)


@pytest.mark.parametrize("truth, prediction, reason", [
    (click(OK), click(Target(role="link", name="OK", bbox=OK.bbox)), "role"),
    (click(OK), click(Target(role="button", name="Cancel", bbox=OK.bbox)), "name"),
    (click(OK), click(OK, x=300), "point"),
    (typed("Acme"), typed("Acne"), "text"),
    (typed("Acme"), typed("Acme", Target(role="textbox", name="Vendor no.", bbox=VENDOR.bbox)),
     "name"),
    (Select(target=CURRENCY, value="USD"), Select(target=CURRENCY, value="EUR"), "value"),
    (click(OK), None, "no prediction"),
])
def test_the_first_criterion_a_prediction_fails_is_named(truth, prediction, reason):
    assert why_missed(truth, prediction) == reason


def test_a_miss_names_its_nearest_unmatched_prediction_and_matched_ones_are_not_misses():
    truth = [TrueEvent(1000, "click", click(OK)),
             TrueEvent(5000, "input_text", typed("Acme")),
             TrueEvent(9000, "select", Select(target=CURRENCY, value="USD"))]
    predictions = [Event.create("ses_1", "frm_1", 1100, click(OK), 0.9),
                   Event.create("ses_1", "frm_2", 5200, typed("Acne"), 0.8),
                   Event.create("ses_1", "frm_3", 5900, typed("Acm"), 0.8)]
    found = misses(truth, predictions)
    assert [(m.truth.type, m.reason, m.nearest and m.nearest.t_ms) for m in found] == [
        ("input_text", "text", 5200), ("select", "no prediction", None)]


def test_the_report_counts_misses_by_type_and_reason_on_a_stored_session(capsys):
    assert main(["fixtures/sessions/test", "--split", "test", "--type", "click",
                 "--limit", "1"]) == 0
    out = capsys.readouterr().out
    header, *rows = out.split("\n\n")[0].splitlines()
    assert header.split() == ["type", "reason", "misses"]
    assert rows and all(r.split()[0] == "click" for r in rows)
