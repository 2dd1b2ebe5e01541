"""Tests for mmtutor.notebook.glue: myst-nb's glue when it is there, nothing when it is not."""

import sys

import pytest

from mmtutor import notebook


def test_glue_hands_the_value_to_myst_nb_without_displaying_it(monkeypatch):
    calls = []
    fake = type(sys)("myst_nb")
    fake.glue = lambda name, value, display=True: calls.append((name, value, display))
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    notebook.glue("gain", "12.5")
    assert calls == [("gain", "12.5", False)]


def test_glue_does_nothing_without_myst_nb(monkeypatch):
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import raises ImportError
    assert notebook.glue("gain", 1.0) is None


def test_glue_rejects_a_name_that_is_not_a_string():
    with pytest.raises(TypeError, match="glue expects name to be a string"):
        notebook.glue(3, 1.0)
