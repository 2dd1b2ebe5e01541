"""Tests for mmtutor.notebook.glue: myst-nb's glue when it is there, nothing when it is not."""

import sys

import keras
import numpy as np
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


def _dense(units=2, seed=0):
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(
        units, kernel_initializer=keras.initializers.GlorotUniform(seed))])


def test_compare_models_copies_the_package_weights_and_finds_the_same_model():
    plain, package = _dense(seed=1), _dense(seed=2)
    comparison = notebook.compare_models(plain, package, np.ones((4, 3), "float32"))
    assert comparison.same and comparison.max_abs_difference == 0.0
    assert comparison.plain_parameters == comparison.package_parameters == 8
    np.testing.assert_array_equal(plain.get_weights()[0], package.get_weights()[0])
    assert str(comparison).startswith("the same model: 8 parameters")


def test_compare_models_reports_different_outputs_and_parameter_counts():
    plain = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="relu")])
    inputs = np.array([[1, 1, 1], [-1, -1, -1]], "float32")  # x and -x: relu cuts one
    comparison = notebook.compare_models(plain, _dense(), inputs)
    assert comparison.max_abs_difference > 1e-3 and not comparison.same
    assert str(comparison).startswith("NOT the same model: 8 parameters")


def test_compare_models_names_the_first_mismatching_weight():
    with pytest.raises(ValueError, match="weight 0: .*\\(3, 4\\) in plain.*\\(3, 2\\)"):
        notebook.compare_models(_dense(units=4), _dense(units=2), np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match="same number of weight tensors"):
        notebook.compare_models(keras.Sequential([keras.Input((3,)), keras.layers.Dense(
            2, use_bias=False)]), _dense(), np.ones((1, 3), "float32"))


def test_compare_models_refuses_outputs_of_different_shapes():
    plain = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2),
                              keras.layers.Reshape((2, 1))])
    with pytest.raises(ValueError, match="outputs of the same shapes"):
        notebook.compare_models(plain, _dense(), np.ones((1, 3), "float32"))


def test_show_source_prints_code_without_the_docstring(capsys):
    notebook.show_source(notebook.glue)
    printed = capsys.readouterr().out
    assert printed.startswith("def glue(name: str, value) -> None:\n")
    assert "Keep ``value``" not in printed and "myst_glue(name, value" in printed


def test_show_source_dedents_a_method(capsys):
    notebook.show_source(notebook.ModelComparison.__str__)
    assert capsys.readouterr().out.startswith("def __str__(self) -> str:\n")


def test_show_source_refuses_what_has_no_source():
    with pytest.raises(TypeError, match="show_source expects a function"):
        notebook.show_source(3)


def test_compare_models_matches_weights_by_name_when_the_orders_differ():
    class Package(keras.Model):  # creates the audio layer first
        def __init__(self):
            super().__init__()
            self.audio_dense = keras.layers.Dense(2, name="audio_dense")
            self.image_dense = keras.layers.Dense(2, name="image_dense")

        def call(self, inputs):
            return keras.ops.concatenate([self.image_dense(inputs["image"]),
                                          self.audio_dense(inputs["audio"])], axis=-1)

    inputs = {m: keras.Input((3,), name=m) for m in ("image", "audio")}
    plain = keras.Model(inputs, keras.layers.Concatenate()(
        [keras.layers.Dense(2, name=f"{m}_dense")(inputs[m]) for m in ("image", "audio")]))
    data = {m: np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
            for m in ("image", "audio")}
    package = Package()
    package(data)
    assert plain.weights[0].path != package.weights[0].path
    assert notebook.compare_models(plain, package, data).same
