"""build_training_state: one trace of the training step, and training unchanged."""

import keras
import numpy as np
import pytest

from mmtutor import experiments


def _compiled_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def _count_traces(model):
    traces = []
    train_step = model.train_step

    def counted(data):
        traces.append(1)  # runs once per trace, never per step
        return train_step(data)

    model.train_step = counted
    return traces


def test_build_training_state_leaves_one_trace_and_the_same_training():
    x = np.random.default_rng(0).normal(size=(24, 4)).astype("float32")
    y = np.arange(24) % 3
    plain, prebuilt = _compiled_model(), _compiled_model()
    experiments.build_training_state(prebuilt, x[:2], y[:2])
    assert prebuilt.optimizer.built
    traces = _count_traces(prebuilt)
    for model in (plain, prebuilt):
        keras.utils.set_random_seed(1)
        model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    assert len(traces) == 1
    np.testing.assert_allclose(prebuilt(x), plain(x), rtol=1e-5, atol=1e-6)


def test_build_training_state_rejects_an_uncompiled_model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="build_training_state expects a compiled model"):
        experiments.build_training_state(model, np.zeros((1, 4)), np.zeros(1))
