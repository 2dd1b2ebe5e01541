"""One test harness for every mmtutor layer and model, in the spirit of Keras's ``run_layer_test``.

``run_model_test`` and ``run_layer_test`` check, on one tiny batch, what every public layer and
model promises: it builds and gives the expected output shapes; ``get_config`` holds the base
keys (``name``, ``trainable``, ``dtype``) and ``from_config`` rebuilds an equal object; one
``fit`` step with sample weights runs and moves the weights; ``predict`` equals calling it; a
``.keras`` file loads back to the same predictions; a ``float64`` dtype policy gives float64
outputs, also after a config round trip; and, for a layer that takes a mask, masked steps
change nothing.
"""

from __future__ import annotations

import copy
import json

import keras
import numpy as np

#: The keys ``Layer.get_config`` gives; an override that skips ``super().get_config()`` loses them.
BASE_KEYS = {"name", "trainable", "dtype"}


def _flat(x) -> list:
    return [np.asarray(t) for t in keras.tree.flatten(x)]


def _batch_size(inputs) -> int:
    return len(keras.tree.flatten(inputs)[0])


def _assert_same(got, expected, atol=1e-6):
    got, expected = _flat(got), _flat(expected)
    assert len(got) == len(expected)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_allclose(a, b, atol=atol, rtol=1e-5)


def _assert_shapes(outputs, expected_shapes):
    if expected_shapes is not None:
        got = [tuple(t.shape) for t in keras.tree.flatten(outputs)]
        assert got == [tuple(s) for s in expected_shapes], f"shapes {got} != {expected_shapes}"


def _assert_float_outputs(outputs, dtype):
    for t in keras.tree.flatten(outputs):
        if np.issubdtype(np.asarray(t).dtype, np.floating):
            assert np.asarray(t).dtype == np.dtype(dtype), f"{np.asarray(t).dtype} != {dtype}"


def _as_json(config) -> dict:
    """A config as a ``.keras`` file stores it: tuples become lists."""
    return json.loads(json.dumps(config))


def _missing_base_keys(config) -> set:
    """The base keys a config lacks; a functional model's config is checked layer by layer."""
    if "input_layers" not in config:
        return BASE_KEYS - set(config)
    # A plain functional model (create_*) stores no dtype of its own but each layer's; ops
    # such as the NotEqual behind a mask are no layers and have no "trainable".
    missing = {"name", "trainable"} - set(config)
    for layer in config["layers"]:
        if "trainable" in layer["config"]:
            missing |= _missing_base_keys(layer["config"])
    return missing


def _assert_config_round_trip(obj):
    config = obj.get_config()
    missing = _missing_base_keys(config)
    assert not missing, f"{type(obj).__name__}.get_config() lacks {missing}"
    clone = type(obj).from_config(copy.deepcopy(config))  # Functional's pops from its config
    assert _as_json(clone.get_config()) == _as_json(config)
    return clone


def _fit_one_step(model, inputs, labels, loss, sample_weight=None):
    keras.utils.set_random_seed(0)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=loss,
                  run_eagerly=True)  # tracing would cost more than the step itself
    before = [keras.ops.convert_to_numpy(w).copy() for w in model.trainable_weights]
    n = _batch_size(inputs)
    if sample_weight is None:  # every model takes sample weights
        sample_weight = np.where(np.arange(n) == 1, 0.0, 1.0)
    history = model.fit(inputs, labels, sample_weight=sample_weight, epochs=1, batch_size=n,
                        verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert any(not np.allclose(keras.ops.convert_to_numpy(w), b)
               for w, b in zip(model.trainable_weights, before, strict=True)), "nothing trained"


def _check_float64(make, inputs):
    wide = make(dtype="float64")
    _assert_float_outputs(wide(inputs), "float64")
    _assert_float_outputs(type(wide).from_config(wide.get_config())(inputs), "float64")


def run_model_test(make, inputs, *, tmp_path, labels=None, loss=None, expected_shapes=None,
                   train=True, sample_weight=None):
    """Check one model on one tiny batch (see the module docstring).

    Args:
        make: a function of keyword arguments (at least ``dtype``) that returns a new model.
        inputs: one batch of inputs, an array or a dict of arrays.
        tmp_path: a folder for the ``.keras`` file.
        labels: the targets of ``fit``; None for a model with a built-in loss.
        loss: the compiled loss; None for a model with a built-in loss.
        expected_shapes: the output shapes, a list in ``keras.tree.flatten`` order; None
            skips the check.
        train: whether to run the ``fit`` step.
        sample_weight: the sample weights of ``fit``; None gives ``(batch_size,)`` weights
            with one 0.
    """
    keras.utils.set_random_seed(0)
    model = make()
    outputs = model(inputs)
    _assert_shapes(outputs, expected_shapes)
    clone = _assert_config_round_trip(model)
    assert clone.count_params() == model.count_params()
    if train:
        _fit_one_step(model, inputs, labels, loss, sample_weight)
    predicted = model.predict(inputs, batch_size=_batch_size(inputs), verbose=0)
    _assert_same(predicted, model(inputs))
    path = tmp_path / f"{model.name}.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded) is type(model)
    assert _as_json(loaded.get_config()) == _as_json(model.get_config())
    _assert_same(loaded.predict(inputs, batch_size=_batch_size(inputs), verbose=0), predicted)
    _check_float64(make, inputs)


def run_layer_test(make, inputs, *, tmp_path, expected_shapes=None, mask=None, train=True,
                   call_options=None):
    """Check one layer on one tiny batch; the layer also runs inside a functional model.

    Args:
        make: a function of keyword arguments (at least ``dtype``) that returns a new layer.
        inputs: one batch, an array.
        tmp_path: a folder for the ``.keras`` file.
        expected_shapes: the output shapes, a list in ``keras.tree.flatten`` order.
        mask: optional boolean mask of the layer's steps; changing the masked steps must
            change nothing.
        train: whether to fit the model around the layer for one step (the layer must have
            trainable weights).
        call_options: extra keyword arguments of the layer's call, e.g. ``{"training": True}``.
    """
    keras.utils.set_random_seed(0)
    call_options = call_options or {}
    layer = make()
    outputs = layer(inputs, **call_options)
    _assert_shapes(outputs, expected_shapes)
    _assert_config_round_trip(layer)
    if mask is not None:
        masked = np.where(np.asarray(mask)[..., None], inputs, 1e3)
        _assert_same(layer(masked, mask=mask), layer(inputs, mask=mask))
        assert not np.allclose(_flat(layer(masked))[0], _flat(outputs)[0]), "mask ignored"
    x = keras.Input(inputs.shape[1:], dtype=str(inputs.dtype))
    model = keras.Model(x, make()(x))
    if train:
        targets = keras.tree.map_structure(np.zeros_like, _flat(model(inputs)))
        _fit_one_step(model, inputs, targets if len(targets) > 1 else targets[0], "mse")
    predicted = model.predict(inputs, batch_size=len(inputs), verbose=0)
    _assert_same(predicted, model(inputs))
    model.save(tmp_path / "layer.keras")
    loaded = keras.models.load_model(tmp_path / "layer.keras")
    assert type(loaded.layers[-1]) is type(layer)
    _assert_same(loaded.predict(inputs, batch_size=len(inputs), verbose=0), predicted)
    wide = make(dtype="float64")
    _assert_float_outputs(wide(inputs, **call_options), "float64")
    _assert_float_outputs(type(wide).from_config(wide.get_config())(inputs, **call_options),
                          "float64")
