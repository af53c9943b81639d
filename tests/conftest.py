"""Shared fixtures."""

import json
from pathlib import Path

import pytest

from vision.calibration import FORMAT_VERSION
from vision.extractor import CALIBRATION_ENV

from tests.helpers import form_screen, write_session


@pytest.fixture(scope="session", autouse=True)
def uncalibrated(tmp_path_factory):
    """Tests of what the engine finds run with the uncalibrated evidence mapping (an empty
    calibration set), so they do not hang on the fitted numbers of the shipped set, which
    ``tests/test_calibration.py`` checks on its own. Set through the environment, it reaches
    batch workers and Ray tasks too."""
    path = tmp_path_factory.mktemp("calibration") / "empty.json"
    path.write_text(json.dumps({"version": FORMAT_VERSION, "calibrators": {}}))
    mp = pytest.MonkeyPatch()
    mp.setenv(CALIBRATION_ENV, str(path))
    yield path
    mp.undo()


@pytest.fixture
def dialog_session(tmp_path: Path) -> Path:
    """A form; a value typed; a dialog opens and closes; then a new page."""
    base = form_screen()
    typed = form_screen(values={"Vendor": "Acme"})
    frames = [(0, base), (200, base), (400, typed), (600, typed),
              (800, form_screen(values={"Vendor": "Acme"}, dialog=True)),
              (1000, form_screen(values={"Vendor": "Acme"}, dialog=True)),
              (1200, typed), (1400, typed),
              (1600, form_screen(page="Payments", values={"Vendor": "Zeta", "Amount": "12.00",
                                                          "Date": "2024-01-01"})),
              (2200, form_screen(page="Payments", values={"Vendor": "Zeta", "Amount": "12.00",
                                                          "Date": "2024-01-01"}))]
    return write_session(tmp_path / "dialog", frames)
