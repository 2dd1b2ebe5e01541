"""Benchmark the seed's three models, corrected, on scikit-learn's digits split.

Trains ``mmtutor.models.CNN``, ``RNN`` (reading the image rows as steps) and ``Autoencoder`` on
the first 898 digits and tests on the last 899, beside the classical baselines measured in the
same run: ``sklearn.svm.SVC(gamma=0.001)`` (on the raw 0-16 pixel values, as in scikit-learn's
"Recognizing hand-written digits" example) for the classifiers, and PCA with as many components
as the autoencoder's code for the autoencoder. Prints one table of medians over the seeds and
writes every run to ``benchmarks/results/seed_models.json``.

Targets: the CNN beats the SVC, the autoencoder beats PCA, each model trains in under 30 s on
2 CPU cores.

Usage::

    python benchmarks/bench_seed_models.py                 # seeds 0 1 2
    python benchmarks/bench_seed_models.py --seeds 0 --quick
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

import mmtutor  # noqa: E402
from mmtutor.datasets import load_digits  # noqa: E402
from mmtutor.losses import ReconstructionLoss, reconstruction_loss  # noqa: E402
from mmtutor.metrics import accuracy  # noqa: E402
from mmtutor.models import CNN, RNN, Autoencoder  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "seed_models.json"


class Clock:
    """Wall-clock and CPU seconds of a block. CPU seconds do not depend on what else runs on the
    machine: on an idle 2-core machine the wall time is at most about the CPU time."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def timed_fit(model, x, y, *, epochs, batch_size, learning_rate, loss):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss)
    with Clock() as clock:
        model.fit(x, y, epochs=epochs, batch_size=batch_size, shuffle=True, verbose=0)
    return clock


def predict(model, x):
    # A direct call (inference mode): model.predict would retrace for every new model.
    return np.asarray(model(x, training=False))


def times(clock):
    return {"train_s": clock.wall, "train_cpu_s": clock.cpu}


def run_once(seed, data, *, encoding_dim, epochs):
    (x_train, y_train), (x_test, y_test) = data
    rows = []

    # SVC on the raw 0..16 pixel values, as scikit-learn's example fits it.
    with Clock() as svc_time:
        svc = SVC(gamma=0.001).fit(x_train.reshape(len(x_train), -1) * 16, y_train)
    svc_acc = accuracy(y_test, svc.predict(x_test.reshape(len(x_test), -1) * 16))
    rows.append({"model": "SVC(gamma=0.001)", "metric": "test accuracy", "value": svc_acc,
                 "params": int(svc.support_vectors_.size + svc.dual_coef_.size),
                 **times(svc_time)})

    keras.utils.set_random_seed(seed)
    cnn = CNN((8, 8, 1), 10)
    t = timed_fit(cnn, x_train, y_train, epochs=epochs["cnn"], batch_size=64,
                  learning_rate=2e-3, loss="sparse_categorical_crossentropy")
    rows.append({"model": "mmtutor CNN", "metric": "test accuracy",
                 "value": accuracy(y_test, predict(cnn, x_test).argmax(axis=1)),
                 "params": cnn.count_params(), **times(t)})

    keras.utils.set_random_seed(seed)
    rnn = RNN((8, 8), 10)
    rows_train, rows_test = x_train[..., 0], x_test[..., 0]  # (n, 8 steps, 8 features)
    t = timed_fit(rnn, rows_train, y_train, epochs=epochs["rnn"], batch_size=32,
                  learning_rate=3e-3, loss="sparse_categorical_crossentropy")
    rows.append({"model": "mmtutor RNN (rows as steps)", "metric": "test accuracy",
                 "value": accuracy(y_test, predict(rnn, rows_test).argmax(axis=1)),
                 "params": rnn.count_params(), **times(t)})

    flat_train = x_train.reshape(len(x_train), -1)
    flat_test = x_test.reshape(len(x_test), -1)
    with Clock() as pca_time:
        pca = PCA(n_components=encoding_dim, random_state=seed).fit(flat_train)
    pca_hat = pca.inverse_transform(pca.transform(flat_test))
    rows.append({"model": f"PCA({encoding_dim})", "metric": "test reconstruction error",
                 "value": float(reconstruction_loss(flat_test, pca_hat)),
                 "params": int(pca.components_.size + pca.mean_.size), **times(pca_time)})

    keras.utils.set_random_seed(seed)
    ae = Autoencoder((8, 8, 1), encoding_dim)
    t = timed_fit(ae, x_train, x_train, epochs=epochs["ae"], batch_size=32,
                  learning_rate=2e-3, loss=ReconstructionLoss())
    rows.append({"model": f"mmtutor Autoencoder({encoding_dim})",
                 "metric": "test reconstruction error",
                 "value": float(reconstruction_loss(x_test, predict(ae, x_test))),
                 "params": ae.count_params(), **times(t)})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--encoding-dim", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="a few epochs, to check the script")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    epochs = {"cnn": 60, "rnn": 40, "ae": 60}
    if args.quick:
        epochs = dict.fromkeys(epochs, 2)
    data = load_digits()
    runs = {}
    for seed in args.seeds:
        runs[seed] = run_once(seed, data, encoding_dim=args.encoding_dim, epochs=epochs)
        for row in runs[seed]:
            print(f"seed {seed}: {row['model']:<30} {row['value']:.4f}  {row['train_s']:.1f} s "
                  f"(CPU {row['train_cpu_s']:.1f} s)", flush=True)

    names = [row["model"] for row in runs[args.seeds[0]]]
    table = []
    for i, name in enumerate(names):
        per_seed = [runs[s][i] for s in args.seeds]
        table.append({"model": name, "metric": per_seed[0]["metric"],
                      "value": statistics.median(r["value"] for r in per_seed),
                      "params": per_seed[0]["params"],
                      "train_s": statistics.median(r["train_s"] for r in per_seed),
                      "train_cpu_s": statistics.median(r["train_cpu_s"] for r in per_seed)})

    print(f"\nMedians over seeds {args.seeds} (digits: 898 train / 899 test)")
    print(f"| {'model':<30} | {'metric':<25} | {'value':>7} | {'params':>7} | {'train s':>7} "
          f"| {'CPU s':>7} |")
    print(f"|{'-' * 32}|{'-' * 27}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
    for row in table:
        print(f"| {row['model']:<30} | {row['metric']:<25} | {row['value']:>7.4f} | "
              f"{row['params']:>7d} | {row['train_s']:>7.1f} | {row['train_cpu_s']:>7.1f} |")

    by_name = {row["model"]: row for row in table}
    cnn_beats_svc = by_name["mmtutor CNN"]["value"] > by_name["SVC(gamma=0.001)"]["value"]
    ae_name = f"mmtutor Autoencoder({args.encoding_dim})"
    ae_beats_pca = by_name[ae_name]["value"] < by_name[f"PCA({args.encoding_dim})"]["value"]
    under_30 = all(row["train_s"] < 30 for row in table)
    cpu_under_30 = all(row["train_cpu_s"] < 30 for row in table)
    load = os.getloadavg()[0]
    print(f"\nCNN beats SVC: {cnn_beats_svc}; autoencoder beats PCA: {ae_beats_pca}; "
          f"every model trains in < 30 s: {under_30} (wall, load average {load:.1f} on "
          f"{os.cpu_count()} CPUs), {cpu_under_30} (CPU seconds)")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"seeds": args.seeds, "encoding_dim": args.encoding_dim, "epochs": epochs,
              "medians": table, "runs": {str(s): r for s, r in runs.items()},
              "targets": {"cnn_beats_svc": cnn_beats_svc, "ae_beats_pca": ae_beats_pca,
                          "each_trains_under_30_s": under_30,
                          "each_trains_under_30_cpu_s": cpu_under_30},
              "versions": {"mmtutor": mmtutor.__version__, "tensorflow": tf.__version__,
                           "keras": keras.__version__, "python": platform.python_version()},
              "cpus": os.cpu_count(), "load_average": list(os.getloadavg())}
    args.out.write_text(json.dumps(report, indent=2))
    print(f"Wrote {args.out}")


if __name__ == "__main__":
    main()
