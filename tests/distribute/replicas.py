"""One device against two replicas: the script the scale tests run in a fresh process.

``python tests/distribute/replicas.py`` splits the CPU into two logical devices (this must
happen before TensorFlow initializes, hence a process of its own), trains each model a few
SGD steps on the same global batches on one device and under
``tf.distribute.MirroredStrategy`` over the two logical CPUs, from the same initial weights,
and prints one JSON object: per case, the largest weight difference and both reported
losses. SGD, not Adam: Adam divides by the gradient's size, so a gradient twice too large
would leave almost no trace in the weights.

Dropout, modality dropout and augmentation are off in every model here: their random draws
differ per replica by design (each replica draws for its own examples), so with them on the
two runs are not meant to agree.

``--package DIR`` imports mmtutor from another checkout (to measure an older version);
``--only NAME ...`` runs some cases. GPUs are hidden: the comparison is between CPUs.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import sys

GLOBAL_BATCH = 16
STEPS = 3
LEARNING_RATE = 0.1


def _data(num, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    labels = np.arange(num) % 10
    image = rng.uniform(size=(num, 8, 8, 1)).astype("float32")
    # Log-mel-like values: far from zero, so batch statistics matter.
    audio = (-6.0 + 2.0 * rng.normal(size=(num, 6, 8)) + labels[:, None, None] / 3.0)
    return {"image": image, "audio": audio.astype("float32")}, labels.astype("int64")


def _run(make, compile_options, inputs, labels, strategy, weights=None):
    """Train ``STEPS`` SGD steps; return (weights after, reported mean loss, weights before)."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    with strategy.scope():
        model = make()
        if weights is not None:
            model.set_weights(weights)
        model.compile(optimizer=keras.optimizers.SGD(LEARNING_RATE), **compile_options)
    start = [w.copy() for w in model.get_weights()]
    arrays = inputs if labels is None else (inputs, labels)
    dataset = tf.data.Dataset.from_tensor_slices(arrays).batch(GLOBAL_BATCH)
    history = model.fit(dataset, epochs=1, verbose=0, shuffle=False)
    return model.get_weights(), float(history.history["loss"][0]), start


def compare(make, compile_options, inputs, labels, mirrored):
    """Largest weight difference and the two reported losses, one device vs replicas.

    ONE ``MirroredStrategy`` serves every case: a second one over the same devices in the
    same process starts its collective operations' keys again and collides with the first
    (TensorFlow reports "Shape mismatch in the collective instance 100").
    """
    import numpy as np
    import tensorflow as tf

    one, one_loss, start = _run(make, compile_options, inputs, labels,
                                tf.distribute.get_strategy())  # the default: no replicas
    two, two_loss, _ = _run(make, compile_options, inputs, labels, mirrored, weights=start)
    difference = max(float(np.max(np.abs(a - b))) for a, b in zip(one, two, strict=True))
    moved = max(float(np.max(np.abs(a - b))) for a, b in zip(one, start, strict=True))
    return {"weight_difference": difference, "weight_change": moved,
            "loss_one_device": one_loss, "loss_two_replicas": two_loss}


def cases():
    """Name -> (model builder, compile options, whether the model is fit on labels)."""
    from mmtutor.models import BimodalAutoencoder, DualEncoder, FusionClassifier

    image_audio = {"image": (8, 8, 1), "audio": (6, 8)}
    small_audio = {"audio": {"units": 4, "conv_filters": 4}}

    def dual(**options):
        return lambda: DualEncoder(image_audio, projection_dim=4, embedding_dim=8,
                                   encoder_options=small_audio, **options)

    sparse = {"loss": "sparse_categorical_crossentropy"}
    built = {
        "fusion_early": (lambda: FusionClassifier(image_audio, fusion="early",
                                                  hidden_units=8), sparse, True),
        "fusion_early_without_audio": (lambda: FusionClassifier(
            {"image": (8, 8, 1)}, fusion="early", hidden_units=8), sparse, True),
        "fusion_intermediate_auxiliary": (lambda: FusionClassifier(
            image_audio, embedding_dim=8, hidden_units=8, encoder_options=small_audio,
            auxiliary_weight=0.5), sparse, True),
        "bimodal_autoencoder": (lambda: BimodalAutoencoder(
            (8, 8, 1), (6, 8), encoding_dim=4, hidden_units=8, modality_dropout=0.0),
            {}, False),
        "dual_encoder_gather": (dual(), {}, False),
        "dual_encoder_labels_gather": (dual(positives="labels"), {}, True),
    }
    if "gather" in inspect.signature(DualEncoder).parameters:  # older versions never gather
        built["dual_encoder_no_gather"] = (dual(gather=False), {}, False)
    return built


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", help="import mmtutor from this folder")
    parser.add_argument("--only", nargs="*", help="the cases to run (default: all)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if args.package:
        sys.path.insert(0, args.package)
    import tensorflow as tf

    # CPUs only, also on a machine with a GPU: one device and the replicas must run the same
    # kernels (a GPU's TF32 matmuls alone would differ by more than the tolerance).
    tf.config.set_visible_devices([], "GPU")
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    mirrored = tf.distribute.MirroredStrategy(
        [d.name for d in tf.config.list_logical_devices("CPU")])

    inputs, labels = _data(STEPS * GLOBAL_BATCH)
    results = {}
    for name, (make, options, with_labels) in cases().items():
        if args.only and name not in args.only:
            continue
        keep = {m: inputs[m] for m in ("image", "audio")
                if name != "fusion_early_without_audio" or m == "image"}
        results[name] = compare(make, options, keep, labels if with_labels else None,
                                mirrored)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
