"""Calibrate MultiDigits: train simple single-modality and all-modality models, over seeds.

For each setting and seed, four small Keras models are trained on the train split by
``mmtutor.training.Trainer`` (Adam 2e-3, batch 32, up to 40 epochs, early stopping on the
validation loss with patience 6 and the best epoch restored) and scored once on the test split:

- image: Conv2D(16, 3) -> MaxPool -> Flatten -> Dense(10);
- audio: log-mel frames standardised per band (train statistics) -> Conv1D(32, 5) -> MaxPool
  -> Conv1D(32, 5) -> global average pooling -> Dense(10);
- text: Embedding(16, mask_zero) -> masked average pooling -> Dense(10) (a bag of words);
- all: the three trunks above, concatenated -> Dense(64) -> Dense(10).

Usage:
    python benchmarks/calibrate_multidigits.py                    # both settings, seeds 0-2
    python benchmarks/calibrate_multidigits.py --setting default --seeds 0 \
        --set snr_db=-3 image_energy=0.6
    python benchmarks/calibrate_multidigits.py --time-generation 5   # generation time only

``--time-generation N`` generates the default set N times without any cache (TensorFlow
already imported, as in a notebook) and prints the median wall and CPU time. Otherwise prints
test accuracy (mean ± std over seeds) and the targets of the data set's description (default:
all three >= best single + 8 points; clean: each modality alone >= 0.975), and writes the
report (schema of :mod:`mmtutor.reports`) to benchmarks/results/calibrate_multidigits.json.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from mmtutor import reports  # noqa: E402
from mmtutor.datasets import load_multidigits  # noqa: E402
from mmtutor.evaluation import classification_scores, predict_in_batches  # noqa: E402
from mmtutor.modalities import MODALITIES  # noqa: E402
from mmtutor.training import Trainer  # noqa: E402

MODELS = (*MODALITIES, "all")
SPLITS = ("train", "validation", "test")
RESULTS = Path(__file__).parent / "results" / "calibrate_multidigits.json"


def trunk(modality, metadata):
    """Input layer and feature tensor of one modality's simple model."""
    if modality == "image":
        x_in = keras.Input(metadata["image_shape"], name="image")
        h = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(x_in)
        h = keras.layers.Flatten()(keras.layers.MaxPooling2D()(h))
    elif modality == "audio":
        x_in = keras.Input(metadata["audio_shape"], name="audio")  # standardised by inputs()
        h = keras.layers.Conv1D(32, 5, activation="relu")(x_in)
        h = keras.layers.Conv1D(32, 5, activation="relu")(keras.layers.MaxPooling1D()(h))
        h = keras.layers.GlobalAveragePooling1D()(h)
    elif modality == "text":
        x_in = keras.Input((metadata["text_length"],), name="text", dtype="int32")
        embedded = keras.layers.Embedding(len(metadata["vocabulary"]), 16, mask_zero=True)(x_in)
        h = keras.layers.GlobalAveragePooling1D()(embedded)
    else:
        raise ValueError(f"unknown modality {modality!r}")
    return x_in, h


def make_model(modalities, metadata):
    """One modality's model, or several's trunks concatenated -> Dense(64)."""
    trunks = {m: trunk(m, metadata) for m in modalities}
    h = [h for _, h in trunks.values()]
    if len(h) > 1:
        h = [keras.layers.Dense(64, activation="relu")(keras.layers.Concatenate()(h))]
    return keras.Model({m: x_in for m, (x_in, _) in trunks.items()},
                       keras.layers.Dense(10, activation="softmax")(h[0]))


def inputs(data):
    """Each split's inputs, the audio standardised per mel band with the train split's stats."""
    # Not a Normalization layer: it keeps adapted statistics in constant tensors, which a
    # Trainer does not copy from a later seed's model into the compiled twin it trains.
    bands = data.train.inputs["audio"].reshape(-1, data.metadata["audio_shape"][1])
    mean, std = bands.mean(axis=0), np.maximum(bands.std(axis=0), keras.config.epsilon())
    return {s: {**getattr(data, s).inputs, "audio": ((getattr(data, s).inputs["audio"] - mean)
                                                     / std).astype("float32")} for s in SPLITS}


def run(setting, seed, trainer, overrides):
    """One setting and seed: generation time, and each model's test scores and training."""
    start = time.perf_counter()
    data = load_multidigits(setting=setting, seed=seed, **overrides)
    result, standardised = {"generation_s": time.perf_counter() - start}, inputs(data)
    for which in MODELS:
        names = MODALITIES if which == "all" else (which,)
        x = {s: {m: standardised[s][m] for m in names} for s in SPLITS}
        fitted = trainer.fit(which, lambda n=names: make_model(n, data.metadata),
                             (x["train"], data.train.labels), seed=seed,
                             validation=(x["validation"], data.validation.labels))
        y_pred = predict_in_batches(fitted.model, x["test"])
        result[which] = {**classification_scores(data.test.labels, y_pred),
                         "best_epoch": fitted.best_epoch, "seconds": fitted.seconds,
                         "cpu_seconds": fitted.cpu_seconds}
    best_single = max(result[m]["accuracy"] for m in MODALITIES)
    result["all - best single (points)"] = 100 * (result["all"]["accuracy"] - best_single)
    return result, {s: len(getattr(data, s)) for s in SPLITS}


def time_generation(repeats):
    from mmtutor.datasets import _multidigits, log_mel_spectrogram

    log_mel_spectrogram(np.zeros((1, 8000)))  # TensorFlow's first-call set-up, as in a notebook
    times = []
    for seed in range(repeats):
        _multidigits._MEMORY.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        load_multidigits(seed=seed, cache=False)
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    wall, cpu = np.array(times).T
    print(f"default MultiDigits, {repeats} runs: median wall {np.median(wall):.2f} s "
          f"(min {min(wall):.2f}), median CPU {np.median(cpu):.2f} s; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setting", nargs="+", default=["default", "clean"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--set", nargs="*", default=[], help="knob=value overrides")
    parser.add_argument("--time-generation", type=int, default=0, metavar="N")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.time_generation:
        time_generation(args.time_generation)
        return
    overrides = {key: int(value) if key == "occlusion" else float(value)
                 for key, value in (item.split("=") for item in args.set)}
    start, load = time.perf_counter(), os.getloadavg()
    # One compiled twin per model, traced once, shared by every setting and seed.
    trainer = Trainer(epochs=args.epochs, batch_size=32, learning_rate=2e-3, patience=6)
    runs, sizes = [], {}
    for seed in args.seeds:  # seed by seed: the report after each keeps the seeds done
        runs.append({"seed": seed})
        for setting in args.setting:
            runs[-1][setting], sizes[setting] = run(setting, seed, trainer, overrides)
            print(setting, seed, {k: round(x["accuracy"] if isinstance(x, dict) else x, 3)
                                  for k, x in runs[-1][setting].items()}, flush=True)
        summary = reports.summarize([{k: x for k, x in r.items() if k != "seed"} for r in runs])
        f = reports.format_mean_std
        rows = [[setting, *(f(summary[setting][m]["accuracy"]) for m in MODELS),
                 f(summary[setting]["all - best single (points)"], digits=1)]
                for setting in args.setting]
        table = reports.markdown_table(["setting", "image", "audio", "text", "all three",
                                        "all − best single (points)"], rows)
        gain = {k: summary[k]["all - best single (points)"]["mean"] for k in args.setting}
        targets = {f"{k}: all - best single (points)": x for k, x in gain.items()}
        if "default" in gain:
            targets["default: all - best single >= 8 points"] = gain["default"] >= 8
        if "clean" in gain:
            targets["clean: every modality alone >= 0.975"] = min(
                summary["clean"][m]["accuracy"]["mean"] for m in MODALITIES) >= 0.975
        usage = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        reports.write_report(
            args.out, benchmark="calibrate_multidigits", runs=runs, arguments=vars(args),
            data={"sizes": sizes, "overrides": overrides}, targets=targets, table=table,
            total_seconds=time.perf_counter() - start,
            total_cpu_seconds=sum(u.ru_utime + u.ru_stime for u in usage),
            load_average_start=load)
    print(f"\nTest accuracy, mean ± std over seeds {args.seeds}"
          + (f", overrides {overrides}" if overrides else "") + f":\n\n{table}\n\nTargets:")
    for key, value in targets.items():
        print(f"  {key}: {round(value, 1) if isinstance(value, float) else value}")
    print(f"Total: {time.perf_counter() - start:.0f} s wall; wrote {args.out}")


if __name__ == "__main__":
    main()
