"""Shared fixtures."""

from pathlib import Path

import pytest

from tests.helpers import form_screen, write_session


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
