"""mmtutor.training.fit under a tf.distribute strategy, in this process (one device).

Two replicas need a CPU split into logical devices before TensorFlow starts, so those
comparisons live in test_replicas.py (marked ``scale``); here one-device strategies cover
the same code: the model built in the strategy's scope, the distributed data, the loop over
``strategy.run`` that multi-worker training uses, and the dual encoder's gathered loss.
"""

import contextlib

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmtutor import training
from mmtutor.datasets import to_dataset
from mmtutor.models import (
    BimodalAutoencoder,
    DualEncoder,
    FusionClassifier,
    create_audio_encoder,
)
from mmtutor.training import _distribute


def _data(shift=0):
    x = np.eye(4, dtype="float32").repeat(4, axis=0)  # 16 one-hot rows
    return x, (np.arange(4).repeat(4) + shift) % 4


def _make():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, activation="softmax")])


@pytest.fixture(scope="module")
def strategy():
    return tf.distribute.OneDeviceStrategy("/cpu:0")


def test_fit_builds_the_model_in_the_strategy_scope_and_keeps_the_best_epoch(strategy):
    keras.utils.set_random_seed(0)
    validation = to_dataset(_data(), batch_size=8, shuffle=False)  # arrays or a dataset
    result = training.fit(_make, _data(), validation=validation, epochs=2, batch_size=8,
                          learning_rate=0.5, strategy=strategy)
    assert all(strategy.extended.variable_created_in_scope(w.value)
               for w in result.model.weights)
    assert result.model.optimizer.built and result.epochs == 2
    assert result.best_epoch == 2 and result.history["accuracy"][-1] > 0.5


def test_fit_rejects_a_model_built_outside_the_strategy_scope(strategy):
    with pytest.raises(ValueError, match=r"a model created inside strategy.scope\(\).*"
                       r"Pass a function that builds the model"):
        training.fit(_make(), _data(), strategy=strategy)
    with pytest.raises(TypeError, match="strategy to be a tf.distribute.Strategy"):
        training.fit(_make, _data(), strategy="mirrored")
    with pytest.raises(TypeError, match="model to be a keras.Model or a function"):
        training.fit(lambda: "model", _data(), strategy=strategy)


def test_fit_trains_on_a_dataset():
    keras.utils.set_random_seed(0)
    train = to_dataset(_data(), batch_size=8, seed=0)
    result = training.fit(_make(), train, epochs=2, learning_rate=0.5)
    assert result.epochs == 2 and result.history["loss"][1] < result.history["loss"][0]


def test_custom_loop_trains_as_keras_fit_does(strategy):
    """The loop over strategy.run (multi-worker training's) against Keras's own fit."""
    dataset = to_dataset(_data(), batch_size=8, shuffle=False)
    models = []
    for _ in range(2):
        keras.utils.set_random_seed(0)
        with strategy.scope():
            model = _make()
            model.compile(optimizer=keras.optimizers.SGD(0.5),
                          loss="sparse_categorical_crossentropy")
        models.append(model)
    keras_history = models[0].fit(dataset, epochs=2, verbose=0, shuffle=False).history
    history, run, best = training.fit_custom_loop(models[1], strategy, dataset, epochs=2)
    assert (run, best) == (2, None)
    np.testing.assert_allclose(history["loss"], keras_history["loss"], rtol=1e-5)
    for ours, theirs in zip(models[1].get_weights(), models[0].get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_fit_routes_multi_worker_strategies_to_the_custom_loop(strategy, monkeypatch, capsys):
    monkeypatch.setattr(_distribute, "is_multi_worker", lambda s: True)
    with pytest.raises(ValueError, match="no callbacks under MultiWorkerMirroredStrategy"):
        training.fit(_make, _data(), strategy=strategy,
                     callbacks=[keras.callbacks.History()])
    keras.utils.set_random_seed(0)
    # Validation labels shifted by one class: the better the fit, the worse the validation.
    result = training.fit(_make, _data(), validation=_data(shift=1), epochs=5, batch_size=8,
                          learning_rate=0.5, patience=1, verbose=1, strategy=strategy)
    assert sorted(result.history) == ["loss", "val_loss"]  # the custom loop's history
    assert (result.epochs, result.best_epoch) == (2, 1)
    assert "Epoch 1/5: loss=" in capsys.readouterr().out
    restored = result.model.evaluate(*_data(shift=1), verbose=0, return_dict=True)["loss"]
    assert restored == pytest.approx(result.history["val_loss"][0], rel=1e-4)


def test_is_multi_worker_tells_the_strategies_apart(strategy):
    assert not _distribute.is_multi_worker(strategy)


def _dual(**options):
    keras.utils.set_random_seed(0)
    return DualEncoder({"image": (8, 8, 1), "audio": (6, 8)}, projection_dim=4,
                       embedding_dim=8, encoder_options={"audio": {"units": 4,
                                                                   "conv_filters": 4}},
                       **options)


def test_dual_encoder_loss_in_a_replica_equals_its_loss_alone(strategy):
    rng = np.random.default_rng(0)
    x = {"image": rng.uniform(size=(6, 8, 8, 1)).astype("float32"),
         "audio": rng.normal(size=(6, 6, 8)).astype("float32")}
    y, weights = np.array([0, 1, 0, 2, 1, 3]), np.linspace(0.5, 1.0, 6).astype("float32")
    model = _dual()
    z = model(x)
    # One model, its options switched in place: building one per option costs more.
    for gather, positives in ((True, "pairs"), (False, "pairs"), (True, "labels")):
        model.gather, model.positives = gather, positives
        alone = model.compute_loss(x=x, y=y, y_pred=z, sample_weight=weights)
        replica = strategy.run(lambda: model.compute_loss(  # noqa: B023 (runs at once)
            x=x, y=y, y_pred=z, sample_weight=weights))
        assert float(replica) == pytest.approx(float(alone), rel=1e-6)


def test_dual_encoder_gather_option_is_a_bool_and_round_trips():
    assert DualEncoder.from_config(_dual(gather=False).get_config()).gather is False
    with pytest.raises(TypeError, match="gather to be True or False"):
        _dual(gather="yes")


@pytest.mark.parametrize("in_scope", [True, False])
def test_models_synchronize_batch_statistics_when_built_under_a_strategy(strategy, in_scope):
    scope = strategy.scope() if in_scope else contextlib.nullcontext()
    with scope:
        models = [FusionClassifier({"audio": (6, 8)}, fusion="early"),
                  BimodalAutoencoder((8, 8, 1), (6, 8), encoding_dim=2, hidden_units=4),
                  create_audio_encoder((6, 8), embedding_dim=4, units=4, conv_filters=4)]
    for model in models:
        norms = [layer for layer in model._flatten_layers()
                 if isinstance(layer, keras.layers.BatchNormalization)]
        assert norms and all(layer.synchronized is in_scope for layer in norms)


def test_synchronized_batch_norm_nearly_equals_per_batch_statistics_on_one_device():
    # Log-mel-like values far from zero: E[x^2] - E[x]^2 (synchronized) against
    # E[(x - mean)^2] (Keras's default) in float32: close, not equal, hence the models
    # synchronize only when built under a strategy.
    x = (-20.0 + 3.0 * np.random.default_rng(0).normal(size=(32, 6, 8))).astype("float32")
    outputs = [keras.layers.BatchNormalization(synchronized=s)(x, training=True)
               for s in (True, False)]
    np.testing.assert_allclose(outputs[0], outputs[1], atol=1e-4)
