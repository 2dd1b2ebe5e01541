"""Data-parallel training with ``tf.distribute``: the model in the strategy's scope, the data
distributed by the strategy, and a loop over ``strategy.run`` where Keras's ``fit`` fails.

Keras's ``fit`` distributes a ``tf.data.Dataset`` itself when the model was created inside
``strategy.scope()`` (it calls ``strategy.experimental_distribute_dataset``). Under
``tf.distribute.MultiWorkerMirroredStrategy`` Keras 3's ``fit`` fails (keras-team/keras#20585,
"Attempt to convert a value (PerReplica...)"), so :func:`fit_custom_loop` trains there: each
step runs ``strategy.run`` on every replica, the model's own ``compute_loss`` (which Keras
and the package's models divide by the number of replicas, so the replicas' losses add up to
the global batch's mean) and the model's Keras optimizer, whose ``apply_gradients`` sums the
replicas' gradients. Nothing here averages gradients by hand. ``examples/multiworker.py``
runs it with two worker processes on localhost.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from mmtutor import _validation as v


def check_strategy(name: str, strategy) -> None:
    """Raise ``TypeError`` unless ``strategy`` is a ``tf.distribute.Strategy`` (or None)."""
    if strategy is not None:
        v.check_type(name, "strategy", strategy, tf.distribute.Strategy,
                     "a tf.distribute.Strategy, e.g. tf.distribute.MirroredStrategy()")


def is_multi_worker(strategy) -> bool:
    """True for the strategies Keras 3's ``fit`` cannot train under (keras-team/keras#20585)."""
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)


def model_in_scope(name: str, model, strategy) -> keras.Model:
    """Return the model, built inside ``strategy.scope()`` when ``model`` is a builder.

    Args:
        name: the calling function's name, for error messages.
        model: a ``keras.Model`` created inside ``strategy.scope()``, or a function of no
            arguments that creates one (called here, inside the scope).
        strategy: a ``tf.distribute.Strategy``.

    Raises:
        TypeError: if ``model`` is neither a model nor a function returning one.
        ValueError: if the model's variables were created outside ``strategy.scope()``.
    """
    if not isinstance(model, keras.Model) and callable(model):
        with strategy.scope():
            model = model()
    v.check_type(name, "model", model, keras.Model,
                 "a keras.Model or a function of no arguments that builds one")
    outside = [w.path for w in model.weights
               if not strategy.extended.variable_created_in_scope(w.value)]
    if outside:
        raise ValueError(
            v.message(name, "a model created inside strategy.scope() when a strategy is given",
                      f"a model whose variable {outside[0]!r} was created outside it",
                      "Pass a function that builds the model, e.g. fit(lambda: "
                      "FusionClassifier(...), ..., strategy=strategy), or create it under "
                      "`with strategy.scope():`")
        )
    return model


def _replica_losses(model, strategy, data, *, training):
    """One step on every replica; the replicas' losses summed: the global batch's loss."""

    def step(data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            y_pred = model(x, training=training)
            # Divided by the number of replicas (Keras's compiled losses, mmtutor's models).
            loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                      training=training)
        if training:
            variables = model.trainable_variables
            gradients = tape.gradient(model.optimizer.scale_loss(loss), variables)
            model.optimizer.apply_gradients(zip(gradients, variables, strict=True))
        return loss

    losses = strategy.run(step, args=(data,))
    return strategy.reduce(tf.distribute.ReduceOp.SUM, losses, axis=None)


def _epoch_loss(function, dataset) -> float:
    losses = [float(function(batch)) for batch in dataset]
    return float(np.mean(losses))


def fit_custom_loop(model, strategy, train, validation=None, *, epochs, patience=None,
                    verbose=0):
    """Train a compiled model with a loop over ``strategy.run`` instead of ``model.fit``.

    For ``tf.distribute.MultiWorkerMirroredStrategy``, where Keras 3's ``fit`` fails
    (keras-team/keras#20585); it runs under any strategy. Each step calls ``strategy.run``
    with the model's ``compute_loss`` and its Keras optimizer's ``apply_gradients``; the
    reported loss is the sum of the replicas' losses, each divided by the number of replicas:
    the mean over the global batch when the replicas' shares are equal (use
    ``drop_remainder=True``). Early stopping works as in :func:`~mmtutor.training.fit`:
    with validation data the best epoch's weights are restored. Only ``loss`` and
    ``val_loss`` are recorded (no compiled metrics).

    Args:
        model: a compiled ``keras.Model`` created inside ``strategy.scope()``.
        strategy: the ``tf.distribute.Strategy``.
        train: a batched ``tf.data.Dataset`` (global batch size), the same on every worker.
        validation: a batched ``tf.data.Dataset``, or None.
        epochs: the most epochs to train.
        patience: epochs without a better validation loss before stopping, or None.
        verbose: print one line per epoch when > 0.

    Returns:
        ``(history, epochs_run, best_epoch)``: ``history`` a dict of per-epoch ``loss``
        (and ``val_loss``) lists; ``best_epoch`` is 1-based, or None without validation.

    Book: section "sec-training-protocol".
    """
    train_dist = strategy.experimental_distribute_dataset(train)
    val_dist = (None if validation is None
                else strategy.experimental_distribute_dataset(validation))
    # No AutoGraph: the steps have no tensor-dependent Python control flow to rewrite.
    train_step = tf.function(lambda data: _replica_losses(model, strategy, data,
                                                          training=True), autograph=False)
    test_step = tf.function(lambda data: _replica_losses(model, strategy, data,
                                                         training=False), autograph=False)
    history = {"loss": []} if val_dist is None else {"loss": [], "val_loss": []}
    best, best_weights, waited = None, None, 0
    for epoch in range(1, epochs + 1):
        history["loss"].append(_epoch_loss(train_step, train_dist))
        if val_dist is not None:
            history["val_loss"].append(_epoch_loss(test_step, val_dist))
        if verbose:
            print(f"Epoch {epoch}/{epochs}: "
                  + ", ".join(f"{k}={vals[-1]:.4f}" for k, vals in history.items()))
        if val_dist is None:
            continue
        if best is None or history["val_loss"][-1] < history["val_loss"][best - 1]:
            best, best_weights, waited = epoch, model.get_weights(), 0
        else:
            waited += 1
            if patience is not None and waited >= patience:
                break
    if best_weights is not None:
        model.set_weights(best_weights)
    return history, len(history["loss"]), best
