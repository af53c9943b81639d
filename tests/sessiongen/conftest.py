"""A small hand-made application and a quiet person to drive it, for hand-checked truth."""

from __future__ import annotations

import pytest

from fixtures.sessiongen.spec import (AppSpec, ButtonSpec, DialogSpec, FieldSpec, MenuSpec,
                                      ScreenSpec, TableSpec, TabSpec, Theme)

THEME = Theme(name="flat-steel-test", family="flat", font="Liberation Sans", font_pt=9,
              dpi_scale=1.0, window_bg="#f3f4f6", text="#1f2328", field_bg="#ffffff",
              field_border="#b8bec6", button_bg="#e9ecef", button_text="#1f2328",
              accent="#2f6fb3", error="#c0261c", title_bar="#2f6fb3", title_text="#ffffff")


def handmade_app(theme: Theme = THEME) -> AppSpec:
    login = ScreenSpec(
        "login", "Sign in", "form",
        fields=(FieldSpec("user", "User name:", "text", required=True, rule="nonempty",
                          samples=("jmeyer",)),
                FieldSpec("password", "Password:", "password", required=True, rule="nonempty",
                          samples=("s3cret!",))),
        buttons=(ButtonSpec("signin", "Sign in", "submit:navigate:invoice", default=True),))
    invoice = ScreenSpec(
        "invoice", "New invoice", "form",
        fields=(FieldSpec("vendor", "Vendor *", "text", required=True, rule="nonempty"),
                FieldSpec("amount", "Amount:", "number", rule="number",
                          error_message="Enter a valid amount."),
                FieldSpec("currency", "Currency:", "combo", options=("EUR", "USD", "GBP")),
                FieldSpec("urgent", "Urgent", "checkbox")),
        buttons=(ButtonSpec("save", "Save", "submit:dialog:saved", default=True),
                 ButtonSpec("search", "Search", "navigate:search")))
    search = ScreenSpec(
        "search", "Invoices", "table",
        fields=(FieldSpec("q", "", "text", placeholder="Search"),),
        buttons=(ButtonSpec("go", "Find", "filter"),),
        table=TableSpec(("No.", "Vendor", "Amount"),
                        tuple((f"INV-{1000 + i}", ("Acme", "Bolt")[i % 2], f"{10 * i}.00")
                              for i in range(40)), row_action="navigate:detail"))
    detail = ScreenSpec(
        "detail", "Invoice INV-1003", "tabs",
        tabs=(TabSpec("General", (FieldSpec("d_ref", "Reference:", "text"),)),
              TabSpec("Lines", (FieldSpec("d_qty", "Quantity:", "number"),))),
        buttons=(ButtonSpec("back", "Back", "navigate:search"),))
    products = ScreenSpec("products", "Products", "list",
                          list_items=tuple(f"Product {i:03d}" for i in range(80)))
    dialogs = (DialogSpec("saved", "Saved", "Invoice saved.",
                          (ButtonSpec("ok", "OK", "close", default=True),)),)
    menus = (MenuSpec("File", (("Search", "navigate:search"), ("Products", "navigate:products"))),)
    return AppSpec("Kreditor 7", theme, (login, invoice, search, detail, products), dialogs,
                   menus, start="login", seed=1)


@pytest.fixture
def theme() -> Theme:
    return THEME


@pytest.fixture
def app() -> AppSpec:
    return handmade_app()
