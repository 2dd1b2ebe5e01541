"""Tests for mmtutor.training: fit, the seeded Trainer and its twins, fit_over_seeds."""

import keras
import numpy as np
import pytest

from mmtutor import training
from mmtutor.training import Trainer


def _data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 4
    x = np.eye(4, dtype="float32")[y] + 0.3 * rng.normal(size=(n, 4)).astype("float32")
    return x, y


def _make():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, activation="softmax")])


def _make_random():
    """A model with a random layer: its draws depend on a seed state, not only on weights."""
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dropout(0.5, seed=None),
                             keras.layers.Dense(4, activation="softmax")])


def _count_traces(model):
    traces = []
    train_step = model.train_step

    def counted(data):
        traces.append(1)  # runs once per trace, never per step
        return train_step(data)

    model.train_step = counted
    return traces


def test_fit_restores_the_best_validation_epoch():
    train, validation = _data(), _data(seed=1)
    keras.utils.set_random_seed(0)
    # A learning rate this large makes the validation loss jump about, so the best epoch is
    # rarely the last one.
    result = training.fit(_make(), train, validation=validation, epochs=6, learning_rate=3.0)
    best = int(np.argmin(result.history["val_loss"])) + 1
    assert result.best_epoch == best and result.epochs == 6
    restored = result.model.evaluate(*validation, verbose=0, return_dict=True)["loss"]
    assert restored == pytest.approx(min(result.history["val_loss"]), rel=1e-4)


def test_fit_stops_after_patience_epochs_without_improvement():
    train = _data()
    keras.utils.set_random_seed(0)
    result = training.fit(_make(), train, validation=train, epochs=50, learning_rate=5.0,
                          patience=1)
    assert result.epochs < 50
    assert result.seconds > 0 and result.cpu_seconds > 0


def test_fit_without_validation_trains_every_epoch_and_has_no_best_epoch():
    keras.utils.set_random_seed(0)
    result = training.fit(_make(), _data(), epochs=3, batch_size=20)
    assert result.epochs == 3 and result.best_epoch is None and "val_loss" not in result.history


def test_build_training_state_leaves_one_trace_and_the_same_training():
    x, y = _data(24)
    models = []
    for _ in range(2):
        keras.utils.set_random_seed(0)
        model = _make()
        model.compile(optimizer=keras.optimizers.Adam(0.05),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        models.append(model)
    plain, prebuilt = models
    training.build_training_state(prebuilt, x, y)
    assert prebuilt.optimizer.built
    traces = _count_traces(prebuilt)
    for model in (plain, prebuilt):
        keras.utils.set_random_seed(1)
        model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    assert len(traces) == 1
    np.testing.assert_allclose(prebuilt(x), plain(x), rtol=1e-5, atol=1e-6)


def test_build_training_state_rejects_an_uncompiled_model():
    with pytest.raises(ValueError, match="build_training_state expects a compiled model"):
        training.build_training_state(_make(), np.zeros((1, 4)), np.zeros(1))


def test_trainer_runs_seed_k_alone_and_after_other_seeds_identically():
    train, validation = _data(), _data(seed=1)
    options = {"epochs": 2, "batch_size": 10, "learning_rate": 0.05}
    after = Trainer(**options)
    for seed in (0, 1):  # seed 1 trains on the twin that seed 0 traced and left behind
        late = after.fit("random", _make_random, train, seed=seed, validation=validation)
    alone = Trainer(**options).fit("random", _make_random, train, seed=1,
                                   validation=validation)
    for a, b in zip(late.model.variables, alone.model.variables, strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert late.history == alone.history


def test_trainer_trains_adapted_normalization_models_on_their_own_statistics():
    x, y = _data()

    def make(shift):
        def make_model():
            norm = keras.layers.Normalization()
            norm.adapt(x + shift)
            return keras.Sequential([keras.Input((4,)), norm,
                                     keras.layers.Dense(4, activation="softmax")])
        return make_model

    options = {"epochs": 1, "batch_size": 10, "learning_rate": 0.05}
    after = Trainer(**options)
    after.fit("norm", make(0.0), (x, y), seed=0)
    late = after.fit("norm", make(100.0), (x, y), seed=0)
    alone = Trainer(**options).fit("norm", make(100.0), (x, y), seed=0)
    assert late.history == alone.history


def test_trainer_results_keep_their_own_weights_after_later_seeds():
    trainer = Trainer(epochs=1, batch_size=10)
    first = trainer.fit("dense", _make, _data(), seed=0)
    kept = [np.array(w) for w in first.model.get_weights()]
    second = trainer.fit("dense", _make, _data(), seed=1)
    assert first.model is not second.model
    for a, b in zip(first.model.get_weights(), kept, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(first.model.get_weights()[0], second.model.get_weights()[0])


def test_trainer_rejects_bad_arguments():
    trainer = Trainer(epochs=1)
    with pytest.raises(TypeError, match="Trainer.fit expects make_model"):
        trainer.fit("a", _make(), _data(), seed=0)
    with pytest.raises(ValueError, match="overrides among epochs"):
        trainer.fit("a", _make, _data(), seed=0, momentum=0.9)
    with pytest.raises(TypeError, match=r"make_model\(\) to be a keras.Model"):
        trainer.fit("a", lambda: "model", _data(), seed=0)
    trainer.fit("a", _make, _data(), seed=0)
    with pytest.raises(ValueError, match="same architecture on every call"):
        trainer.fit("a", _make_random, _data(), seed=0)
    with pytest.raises(ValueError, match="epochs to be a positive integer"):
        Trainer(epochs=0)
    with pytest.raises(ValueError, match="learning_rate to be a real number > 0"):
        Trainer(learning_rate=0.0)


def test_fit_rejects_bad_data_and_models():
    with pytest.raises(TypeError, match="fit expects train to be a data split"):
        training.fit(_make(), "data")
    with pytest.raises(TypeError, match="fit expects model to be a keras.Model"):
        training.fit(_make, _data())
    with pytest.raises(ValueError, match="batch_size to be a positive integer"):
        training.fit(_make(), _data(), batch_size=-1)


def test_fit_accepts_numpy_learning_rates_and_split_objects():
    class Split:
        inputs, labels = _data()

    keras.utils.set_random_seed(0)
    result = training.fit(_make(), Split(), validation=Split(), epochs=1,
                          learning_rate=np.float32(0.01))
    assert "val_accuracy" in result.history


def test_fit_over_seeds_orders_results_seed_by_seed():
    results = training.fit_over_seeds({"a": _make, "b": _make}, _data(), seeds=(0, 1),
                                      epochs=1, batch_size=20)
    assert [(r.name, r.seed) for r in results] == [("a", 0), ("b", 0), ("a", 1), ("b", 1)]
    with pytest.raises(TypeError, match="candidates to be a non-empty dict"):
        training.fit_over_seeds({}, _data())
    with pytest.raises(ValueError, match="at least one seed"):
        training.fit_over_seeds({"a": _make}, _data(), seeds=())
