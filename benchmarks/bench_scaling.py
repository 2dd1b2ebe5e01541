"""Benchmark training throughput: one device, two replicas, mixed precision and XLA.

Trains the fusion classifier (intermediate fusion of image, audio and text) and the dual
encoder (image and audio, label-aware InfoNCE) of the book on MultiDigits, and measures
examples per second in each setting:

- ``float32``: one device, Keras's defaults (no XLA on a CPU-only machine);
- ``mixed_bfloat16`` and ``mixed_float16``: ``keras.mixed_precision`` policies (layers compute
  in 16 bits, weights stay float32; float16 adds loss scaling);
- ``xla``: float32 with ``jit_compile=True``;
- ``two_replicas``: ``tf.distribute.MirroredStrategy`` over two devices (two logical CPUs
  split from one, or two logical GPUs on a one-GPU machine, or the first two GPUs), the
  same global batch; for the dual encoder also ``two_replicas_no_gather`` (each replica
  contrasts its own half of the batch only).

Each setting trains ``--runs`` timed epochs of ``--steps`` steps after one warm-up epoch;
throughput is the median over the timed epochs. The first step (tracing, and XLA's
compilation) is timed on its own and reported separately. The two-replica settings run in a
fresh process, since TensorFlow splits a device into logical ones only before it
initializes; the one-device settings run in another.

On a CPU, 16-bit arithmetic may well be slower than float32 (most CPUs have no fast float16
units), and two logical devices share the same cores: the point there is correctness and the
overhead, not a speed-up. The numbers are what they are; the book reports them as measured.

Usage:
    python benchmarks/bench_scaling.py                  # about 4 min on 2 cores
    python benchmarks/bench_scaling.py --steps 2 --runs 2 --out /tmp/quick.json  # a smoke run

Writes the report (schema of :mod:`mmtutor.reports`) to benchmarks/results/bench_scaling.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402  (importing does not initialize TensorFlow's devices)
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from mmtutor import recipes, reports  # noqa: E402
from mmtutor.datasets import load_multidigits, to_dataset  # noqa: E402

RESULTS = Path(__file__).parent / "results"
MODELS = ("fusion", "dual")
ONE_DEVICE = ("float32", "mixed_bfloat16", "mixed_float16", "xla")
REPLICAS = ("two_replicas", "two_replicas_no_gather")
BATCH_SIZE = 64


def split_devices():
    """Two devices for MirroredStrategy, split before TensorFlow initializes; their names."""
    gpus = tf.config.list_physical_devices("GPU")
    if len(gpus) >= 2:
        return [d.name.replace("physical_device:", "") for d in gpus[:2]]
    if gpus:  # one GPU: two logical GPUs of 2 GB each
        config = tf.config.LogicalDeviceConfiguration(memory_limit=2048)
        tf.config.set_logical_device_configuration(gpus[0], [config, config])
        return [d.name for d in tf.config.list_logical_devices("GPU")]
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    return [d.name for d in tf.config.list_logical_devices("CPU")]


class EpochTimer(keras.callbacks.Callback):
    """Wall-clock seconds of every epoch of a ``fit``."""

    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def make_model(name, data, *, gather=True):
    if name == "fusion":
        return recipes.fusion_classifier(data, ("image", "audio", "text"),
                                         fusion="intermediate")
    elif name == "dual":
        return recipes.dual_encoder(data, ("image", "audio"), gather=gather)
    else:
        raise ValueError(f"unknown model {name!r}")


def measure(name, setting, data, args, strategy=None):
    """Train one model in one setting; its throughput, first-step time and last loss."""
    modalities = ("image", "audio", "text") if name == "fusion" else ("image", "audio")
    dataset = to_dataset(data.train, batch_size=BATCH_SIZE, shuffle=True, seed=0,
                         modalities=list(modalities), drop_remainder=True).repeat()
    policy = setting if setting.startswith("mixed_") else "float32"
    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy(policy)
    keras.utils.set_random_seed(0)
    try:
        with strategy.scope() if strategy is not None else contextlib.nullcontext():
            model = make_model(name, data, gather=setting != "two_replicas_no_gather")
            model.compile(optimizer=keras.optimizers.Adam(1e-3),
                          loss="sparse_categorical_crossentropy" if name == "fusion" else None,
                          jit_compile=setting == "xla")
    finally:
        keras.mixed_precision.set_global_policy(previous)
    start = time.perf_counter()
    # tracing (and XLA) and one step; the dataset shuffles itself (shuffle=False here)
    model.fit(dataset, epochs=1, steps_per_epoch=1, shuffle=False, verbose=0)
    first_step = time.perf_counter() - start
    timer = EpochTimer()
    history = model.fit(dataset, epochs=args.runs + 1, steps_per_epoch=args.steps,
                        shuffle=False, verbose=0,
                        callbacks=[timer])
    runs = timer.seconds[1:]  # the first epoch is a warm-up
    median = float(np.median(runs))
    return {
        "examples_per_second": args.steps * BATCH_SIZE / median,
        "run_seconds": [round(s, 4) for s in runs],
        "step_seconds": median / args.steps,
        "first_step_seconds": first_step,
        # what the first step costs beyond a warm step: tracing, and compiling with XLA
        "compile_seconds": max(first_step - median / args.steps, 0.0),
        "final_loss": float(history.history["loss"][-1]),
        "replicas": 1 if strategy is None else int(strategy.num_replicas_in_sync),
        "policy": policy,
        "jit_compile": setting == "xla",
    }


def worker(group, args):
    """Run one group of settings in this process; print their results as one JSON line."""
    devices = split_devices() if group == "replicas" else None
    data = load_multidigits()
    strategy = tf.distribute.MirroredStrategy(devices) if devices else None
    gpus = tf.config.list_physical_devices("GPU")
    out = {"device": "GPU" if gpus else "CPU", "devices": devices or
           [d.name for d in tf.config.list_logical_devices("GPU" if gpus else "CPU")][:1],
           "results": {}}
    settings = REPLICAS if group == "replicas" else ONE_DEVICE
    for name in args.models:
        for setting in settings:
            if setting == "two_replicas_no_gather" and name != "dual":
                continue  # only the contrastive loss gathers
            start = time.perf_counter()
            result = measure(name, setting, data, args, strategy=strategy)
            out["results"].setdefault(name, {})[setting] = result
            print(f"  {name:6s} {setting:24s} {result['examples_per_second']:8.0f} ex/s  "
                  f"first step {result['first_step_seconds']:5.1f} s  "
                  f"({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)
    print(json.dumps(out))


def run_group(group, args):
    command = [sys.executable, __file__, "--worker", group, "--steps", str(args.steps),
               "--runs", str(args.runs), "--models", *args.models]
    # The worker's progress goes to this process's stderr; its results come on stdout.
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"the {group} worker failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def table_and_targets(results):
    rows, targets = [], {}
    for name, settings in results.items():
        base = settings["float32"]["examples_per_second"]
        for setting, r in settings.items():
            rows.append([name, setting, r["replicas"], f"{r['examples_per_second']:.0f}",
                         f"{r['examples_per_second'] / base:.2f}",
                         f"{r['first_step_seconds']:.1f}", f"{r['final_loss']:.3f}"])
        targets[f"{name}: every loss finite"] = all(
            r["final_loss"] == r["final_loss"] and abs(r["final_loss"]) < float("inf")
            for r in settings.values())
    header = ["model", "setting", "replicas", "examples/s (median)", "vs float32",
              "first step (s)", "last loss"]
    return reports.markdown_table(header, rows), targets


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=15, help="steps per timed epoch")
    parser.add_argument("--runs", type=int, default=5, help="timed epochs (after a warm-up)")
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--worker", choices=["one_device", "replicas"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=RESULTS / "bench_scaling.json")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args)
        return
    start, load = time.perf_counter(), os.getloadavg()
    print("one device (float32, mixed_bfloat16, mixed_float16, xla):", flush=True)
    one = run_group("one_device", args)
    print("two replicas (MirroredStrategy):", flush=True)
    two = run_group("replicas", args)
    results = {name: {**one["results"][name], **two["results"][name]} for name in args.models}
    table, targets = table_and_targets(results)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    reports.write_report(
        args.out, benchmark="bench_scaling", runs=[{"seed": 0, **results}], table=table,
        arguments={"steps": args.steps, "runs": args.runs, "batch_size": BATCH_SIZE,
                   "models": list(args.models)},
        data={"name": "MultiDigits", "setting": "default", "split": "train",
              "device": one["device"], "one_device": one["devices"],
              "two_replicas": two["devices"]},
        targets=targets, total_seconds=time.perf_counter() - start,
        total_cpu_seconds=usage.ru_utime + usage.ru_stime, load_average_start=load)
    print("\n" + table + "\n\nTargets:")
    for key, value in targets.items():
        print(f"  {key}: {value}")
    print(f"Total: {time.perf_counter() - start:.0f} s wall; wrote {args.out}")


if __name__ == "__main__":
    main()
