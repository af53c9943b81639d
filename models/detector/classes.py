"""The detector's classes, in output-channel order (roles of the contract, plus title bars)."""

from __future__ import annotations

CLASSES: tuple[str, ...] = ("button", "textbox", "checkbox", "radio", "combobox", "tab",
                            "menuitem", "link", "listitem", "cell", "icon", "text", "titlebar")
INTERACTIVE: tuple[str, ...] = ("button", "textbox", "checkbox", "radio", "combobox", "tab",
                                "menuitem", "link")
