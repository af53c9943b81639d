"""The examples in the generator's docstrings run, so the docs cannot drift."""

import doctest
import importlib

import pytest

MODULES = ["spec", "colours", "degrade", "suite"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"fixtures.sessiongen.{name}")
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failed == 0
