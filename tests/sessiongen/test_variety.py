"""Applications drawn for the test split never share a look or a layout with train ones."""

import numpy as np
import pytest

from fixtures.sessiongen.spec import parse_action
from fixtures.sessiongen.variety import COLOUR_FAMILIES, FONTS, LAYOUTS, draw_app

SEEDS = range(40)


@pytest.fixture(scope="module")
def apps():
    return {split: [draw_app(np.random.default_rng(s), split, seed=s) for s in SEEDS]
            for split in ("train", "test")}


def test_declared_fonts_colour_families_and_layouts_are_disjoint():
    assert not set(FONTS["train"]) & set(FONTS["test"])
    assert not set(COLOUR_FAMILIES["train"]) & set(COLOUR_FAMILIES["test"])
    train = [t for t in LAYOUTS if t.split == "train"]
    test = [t for t in LAYOUTS if t.split == "test"]
    assert not {t.name for t in train} & {t.name for t in test}
    assert not {t.knobs() for t in train} & {t.knobs() for t in test}


@pytest.mark.parametrize("attribute", ["theme.name", "theme.font", "theme.colour_family",
                                       "layout"])
def test_drawn_apps_of_the_two_splits_share_nothing(apps, attribute):
    def get(app):
        value = app
        for part in attribute.split("."):
            value = getattr(value, part)
        return value

    train, test = {get(a) for a in apps["train"]}, {get(a) for a in apps["test"]}
    assert train and test and not train & test


def test_screens_use_their_apps_layout_template(apps):
    for app in apps["train"] + apps["test"]:
        assert {s.template for s in app.screens} == {app.layout}
        assert app.theme.split == app.split


def test_draws_are_varied(apps):
    train = apps["train"]
    assert len({a.theme.family for a in train}) >= 4
    assert len({a.name for a in train}) >= 15
    assert len({a.layout for a in train}) >= 4
    assert len({a.theme.antialias for a in train}) == 3


def test_every_action_names_a_screen_or_dialog_that_exists(apps):
    for app in apps["train"] + apps["test"]:
        screens, dialogs = {s.key for s in app.screens}, {d.key for d in app.dialogs}
        actions = [b.action for s in app.screens for b in s.buttons + s.toolbar]
        actions += [b.action for d in app.dialogs for b in d.buttons]
        actions += [a for m in app.menus for _, a in m.items]
        actions += [a for s in app.screens for a in s.link_actions]
        for action in actions:
            verb, arg = parse_action(action)
            while verb == "submit" and arg:
                verb, arg = parse_action(arg)
            assert verb in ("none", "close", "filter", "reset", "submit", "navigate", "dialog")
            if verb == "navigate":
                assert arg in screens
            if verb == "dialog":
                assert arg in dialogs


def test_field_keys_are_unique_within_an_app(apps):
    for app in apps["train"]:
        keys = [f.key for s in app.screens for f in s.fields + tuple(
            f for t in s.tabs for f in t.fields)] + [f.key for d in app.dialogs for f in d.fields]
        assert len(keys) == len(set(keys))


def test_same_seed_same_app():
    a = draw_app(np.random.default_rng(5), "test", seed=5)
    b = draw_app(np.random.default_rng(5), "test", seed=5)
    assert a == b
