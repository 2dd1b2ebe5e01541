"""Calibrate MultiDigits: train simple single-modality and all-modality models, over seeds.

For each setting and seed, four small Keras models are trained on the train split (early
stopping on the validation split) and scored on the test split:

- image: Conv2D(16, 3) -> MaxPool -> Flatten -> Dense(10);
- audio: per-feature normalization -> Conv1D(32, 5) -> MaxPool -> Conv1D(32, 5)
  -> global average pooling -> Dense(10) over the log-mel frames;
- text: Embedding(16, mask_zero) -> masked average pooling -> Dense(10) (a bag of words);
- all: the three trunks above, concatenated -> Dense(64) -> Dense(10).

Usage:
    python benchmarks/calibrate_multidigits.py                    # both settings, seeds 0-2
    python benchmarks/calibrate_multidigits.py --setting default --seeds 0 \
        --set snr_db=-3 image_energy=0.6
    python benchmarks/calibrate_multidigits.py --time-generation 5   # generation time only

``--time-generation N`` generates the default set N times without any cache (TensorFlow
already imported, as in a notebook) and prints the median wall and CPU time.

Prints a Markdown table (mean and standard deviation over seeds) and writes it, with every
number, to benchmarks/results/calibrate_multidigits.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from mmtutor.datasets import load_multidigits  # noqa: E402

MODELS = ("image", "audio", "text", "all")


def trunk(modality, metadata, train_inputs):
    """Input layer and feature tensor of one modality's simple model."""
    if modality == "image":
        x_in = keras.Input(metadata["image_shape"], name="image")
        h = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(x_in)
        h = keras.layers.MaxPooling2D()(h)
        h = keras.layers.Flatten()(h)
    elif modality == "audio":
        x_in = keras.Input(metadata["audio_shape"], name="audio")
        norm = keras.layers.Normalization(axis=-1)
        norm.adapt(train_inputs["audio"].reshape(-1, metadata["audio_shape"][1]))
        h = norm(x_in)
        h = keras.layers.Conv1D(32, 5, activation="relu")(h)
        h = keras.layers.MaxPooling1D()(h)
        h = keras.layers.Conv1D(32, 5, activation="relu")(h)
        h = keras.layers.GlobalAveragePooling1D()(h)
    elif modality == "text":
        x_in = keras.Input((metadata["text_length"],), name="text", dtype="int32")
        h = keras.layers.Embedding(len(metadata["vocabulary"]), 16, mask_zero=True)(x_in)
        h = keras.layers.GlobalAveragePooling1D()(h)
    else:
        raise ValueError(f"unknown modality {modality!r}")
    return x_in, h


def make_model(which, metadata, train_inputs):
    modalities = ("image", "audio", "text") if which == "all" else (which,)
    inputs, features = {}, []
    for modality in modalities:
        x_in, h = trunk(modality, metadata, train_inputs)
        inputs[modality] = x_in
        features.append(h)
    h = features[0] if len(features) == 1 else keras.layers.Concatenate()(features)
    if which == "all":
        h = keras.layers.Dense(64, activation="relu")(h)
    out = keras.layers.Dense(10, activation="softmax")(h)
    model = keras.Model(inputs, out)
    model.compile(optimizer=keras.optimizers.Adam(2e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def run(setting, seed, epochs, overrides):
    t0 = time.perf_counter()
    data = load_multidigits(setting=setting, seed=seed, **overrides)
    made = time.perf_counter() - t0
    results = {"generation_s": made}
    for which in MODELS:
        keras.utils.set_random_seed(seed)
        modalities = ("image", "audio", "text") if which == "all" else (which,)

        def pick(split, modalities=modalities):
            return {m: split.inputs[m] for m in modalities}

        model = make_model(which, data.metadata, data.train.inputs)
        stop = keras.callbacks.EarlyStopping(patience=6, restore_best_weights=True,
                                             monitor="val_accuracy")
        model.fit(pick(data.train), data.train.labels, batch_size=32, epochs=epochs,
                  validation_data=(pick(data.validation), data.validation.labels),
                  callbacks=[stop], verbose=0)
        _, acc = model.evaluate(pick(data.test), data.test.labels, verbose=0)
        results[which] = float(acc)
    return results


def time_generation(repeats):
    from mmtutor.datasets import _multidigits, log_mel_spectrogram

    log_mel_spectrogram(np.zeros((1, 8000)))  # TensorFlow's first-call set-up, as in a notebook
    wall, cpu = [], []
    for seed in range(repeats):
        _multidigits._MEMORY.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        load_multidigits(seed=seed, cache=False)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"default MultiDigits, {repeats} runs: median wall {np.median(wall):.2f} s "
          f"(min {min(wall):.2f}), median CPU {np.median(cpu):.2f} s; "
          f"{os.cpu_count()} cores, load average {load:.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setting", nargs="+", default=["default", "clean"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--set", nargs="*", default=[], help="knob=value overrides")
    parser.add_argument("--time-generation", type=int, default=0, metavar="N")
    args = parser.parse_args()
    if args.time_generation:
        time_generation(args.time_generation)
        return
    overrides = {}
    for item in args.set:
        key, value = item.split("=")
        overrides[key] = int(value) if key == "occlusion" else float(value)
    table, raw = [], {}
    for setting in args.setting:
        runs = []
        for seed in args.seeds:
            result = run(setting, seed, args.epochs, overrides)
            print(setting, seed, {k: round(v, 3) for k, v in result.items()}, flush=True)
            runs.append(result)
        raw[setting] = runs
        row = [setting]
        for which in MODELS:
            values = np.array([r[which] for r in runs])
            row.append(f"{values.mean():.3f} ± {values.std():.3f}")
        best_single = np.array([max(r["image"], r["audio"], r["text"]) for r in runs])
        gain = np.array([r["all"] for r in runs]) - best_single
        row.append(f"{100 * gain.mean():+.1f} ± {100 * gain.std():.1f}")
        table.append(row)
    header = "| setting | image | audio | text | all three | all − best single (points) |"
    lines = [header, "|" + "---|" * 6] + ["| " + " | ".join(r) + " |" for r in table]
    print(f"\nTest accuracy, mean ± std over seeds {args.seeds}"
          + (f", overrides {overrides}" if overrides else "") + ":\n")
    print("\n".join(lines))
    out = Path(__file__).parent / "results" / "calibrate_multidigits.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"seeds": args.seeds, "overrides": overrides, "runs": raw,
                               "table": lines}, indent=2))


if __name__ == "__main__":
    main()
