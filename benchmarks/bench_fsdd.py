"""An RNN on log-mel features of real spoken digits (FSDD), and the same RNN trained on
mmtutor's synthetic speech alone and tested on the real recordings.

- real -> real: trained on FSDD's takes 5-49, tested on takes 0-4 (FSDD's own split);
- synthetic -> real: trained on synthetic words only (random speakers, 20 dB SNR), tested on
  the same real takes 0-4, and on every real recording (none was seen in training).

Features: ``log_mel_spectrogram`` (61 frames x 32 mel bands for 1 s), floored 26 dB below
each utterance's peak, shifted so the word starts at the first frame, and standardised per
utterance and mel band (see ``normalise``): this removes level, silence and onset differences
between the synthesizer and the microphone. Model: ``mmtutor.models.RNN`` (one LSTM of 64
units, softmax head), Adam, 30 epochs, batch 32.

Usage:
    python benchmarks/bench_fsdd.py [--data-dir DIR] [--seeds 0 1 2]

DIR defaults to ``../shared/data/fsdd-sample`` next to the repository (one speaker, 500
recordings); any folder of FSDD v1.0.10 recordings works, as does a downloaded copy.
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

from mmtutor.datasets import load_fsdd, log_mel_spectrogram, synthesize_speech  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def normalise(features, floor=6.0):
    """Make log-mel features (n, frames, bands) comparable across recording conditions.

    1. Floor each utterance at its peak minus ``floor`` (natural log, about 26 dB): digital
       silence (real padding) and a noise floor (synthetic) then look alike.
    2. Shift each utterance so that its first loud frame comes first: FSDD's words start at
       once, the synthesizer's at a random onset.
    3. Standardise per utterance and band (removes level and microphone colouring).
    """
    out = np.empty_like(features, dtype=np.float32)
    for i, u in enumerate(features):
        u = np.maximum(u, u.max() - floor)
        energy = u.mean(axis=1)  # (frames,)
        start = np.flatnonzero(energy > energy.min() + 0.3 * (energy.max() - energy.min()))[0]
        u = np.concatenate([u[start:], np.full((start, u.shape[1]), u.min())])
        out[i] = (u - u.mean(axis=0)) / (u.std(axis=0) + 1e-3)
    return out


def make_rnn(input_shape):
    try:
        from mmtutor.models import RNN

        model = RNN(input_shape, 10)
    except ImportError:  # helper models not present: the same architecture by hand
        model = keras.Sequential([keras.Input(input_shape), keras.layers.LSTM(64),
                                  keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(2e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train_and_score(x_train, y_train, tests, seed, epochs):
    keras.utils.set_random_seed(seed)
    model = make_rnn(x_train.shape[1:])
    model.fit(x_train, y_train, batch_size=32, epochs=epochs, verbose=0)
    return {name: float(model.evaluate(x, y, verbose=0)[1]) for name, (x, y) in tests.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared" / "data" /
                                                  "fsdd-sample"))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--synthetic", type=int, default=1000, help="synthetic words")
    args = parser.parse_args()

    fsdd = load_fsdd(args.data_dir)
    print(fsdd.metadata["summary"])
    x_real_train = normalise(fsdd.train.inputs["audio"])
    x_real_test = normalise(fsdd.test.inputs["audio"])
    x_real_all = np.concatenate([x_real_train, x_real_test])
    y_real_all = np.concatenate([fsdd.train.labels, fsdd.test.labels])
    tests = {"real test (takes 0-4)": (x_real_test, fsdd.test.labels)}

    results = {"real -> real": [], "synthetic -> real": []}
    for seed in args.seeds:
        t0 = time.perf_counter()
        results["real -> real"].append(train_and_score(
            x_real_train, fsdd.train.labels, tests, seed, args.epochs))
        labels = np.arange(args.synthetic) % 10
        waves = synthesize_speech(labels, seed=seed, snr_db=20.0)
        x_syn = normalise(log_mel_spectrogram(waves))
        results["synthetic -> real"].append(train_and_score(
            x_syn, labels, {**tests, "every real recording": (x_real_all, y_real_all)},
            seed, args.epochs))
        print(f"seed {seed} ({time.perf_counter() - t0:.0f} s):",
              {k: v[-1] for k, v in results.items()}, flush=True)

    print(f"\nAccuracy, mean ± std over seeds {args.seeds} "
          f"({len(fsdd.train)} real training recordings, {args.synthetic} synthetic words):\n")
    print("| trained on | tested on | accuracy |\n|---|---|---|")
    for trained, runs in results.items():
        for tested in runs[0]:
            values = np.array([r[tested] for r in runs])
            print(f"| {trained.split(' -> ')[0]} | {tested} | "
                  f"{values.mean():.3f} ± {values.std():.3f} |")
    out = REPO / "benchmarks" / "results" / "bench_fsdd.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"seeds": args.seeds, "summary": fsdd.metadata["summary"],
                               "results": results}, indent=2))


if __name__ == "__main__":
    main()
