"""Benchmark the seed's three models, corrected, on scikit-learn's digits split.

Trains ``mmtutor.models.CNN``, ``RNN`` (reading the image rows as steps) and ``Autoencoder`` on
the first 898 digits and tests on the last 899, beside the classical baselines measured in the
same run: ``sklearn.svm.SVC(gamma=0.001)`` (on the raw 0-16 pixel values, as in scikit-learn's
"Recognizing hand-written digits" example) for the classifiers, and PCA with as many components
as the autoencoder's code for the autoencoder. The networks train through
``mmtutor.training.Trainer`` (Adam, fixed epochs, no validation split: nothing is selected, and
the test split is touched once, at the end); the baselines' fits are timed the same way (wall
and CPU seconds). Prints a table (mean ± std and median over the seeds) and writes the report
(schema of :mod:`mmtutor.reports`) to ``benchmarks/results/seed_models.json``.

Targets (on the medians): the CNN beats the SVC, the autoencoder beats PCA, each model trains
in under 30 s on 2 CPU cores.

Usage::

    python benchmarks/bench_seed_models.py                 # seeds 0 1 2
    python benchmarks/bench_seed_models.py --seeds 0 --quick
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from mmtutor import reports  # noqa: E402
from mmtutor.datasets import load_digits  # noqa: E402
from mmtutor.evaluation import classification_scores, predict_in_batches  # noqa: E402
from mmtutor.losses import ReconstructionLoss, reconstruction_loss  # noqa: E402
from mmtutor.models import CNN, RNN, Autoencoder  # noqa: E402
from mmtutor.training import Trainer  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "seed_models.json"
EPOCHS = {"cnn": 60, "rnn": 40, "autoencoder": 60}


def timed(fit):
    """A baseline fitted by ``fit()``, with its wall and CPU seconds as a TrainingResult has."""
    start, cpu = time.perf_counter(), time.process_time()
    fitted = fit()
    return fitted, SimpleNamespace(seconds=time.perf_counter() - start,
                                   cpu_seconds=time.process_time() - cpu)


def row(name, metric, value, params, clock):
    """One model's line of a run."""
    return {"model": name, "metric": metric, "value": float(value), "params": int(params),
            "seconds": clock.seconds, "cpu_seconds": clock.cpu_seconds}


def run_seed(seed, data, trainer, *, encoding_dim, epochs):
    """One seed's measurements: per model its metric's value, parameters and training time."""
    (x_train, y_train), (x_test, y_test) = data
    flat_train, flat_test = x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)
    rows_train, rows_test = x_train[..., 0], x_test[..., 0]  # (n, 8 steps, 8 features)
    accuracy = lambda y_pred: classification_scores(y_test, y_pred)["accuracy"]  # noqa: E731
    # SVC on the raw 0..16 pixel values, as scikit-learn's example fits it.
    svc, clock = timed(lambda: SVC(gamma=0.001).fit(flat_train * 16, y_train))
    run = {"seed": seed, "svc": row("SVC(gamma=0.001)", "test accuracy",
                                    accuracy(svc.predict(flat_test * 16)),
                                    svc.support_vectors_.size + svc.dual_coef_.size, clock)}
    for key, name, make, x, x_eval, options in (
            ("cnn", "mmtutor CNN", lambda: CNN((8, 8, 1), 10), x_train, x_test,
             {"batch_size": 64, "learning_rate": 2e-3}),
            ("rnn", "mmtutor RNN (rows as steps)", lambda: RNN((8, 8), 10), rows_train,
             rows_test, {"batch_size": 32, "learning_rate": 3e-3})):
        result = trainer.fit(key, make, (x, y_train), seed=seed, epochs=epochs[key], **options)
        run[key] = row(name, "test accuracy", accuracy(predict_in_batches(result.model, x_eval)),
                       result.model.count_params(), result)

    pca, clock = timed(lambda: PCA(n_components=encoding_dim, random_state=seed).fit(flat_train))
    error = reconstruction_loss(flat_test, pca.inverse_transform(pca.transform(flat_test)))
    run["pca"] = row(f"PCA({encoding_dim})", "test reconstruction error", error,
                     pca.components_.size + pca.mean_.size, clock)
    result = trainer.fit("autoencoder", lambda: Autoencoder((8, 8, 1), encoding_dim),
                         (x_train, x_train), seed=seed, epochs=epochs["autoencoder"],
                         batch_size=32, learning_rate=2e-3, loss=ReconstructionLoss())
    error = reconstruction_loss(x_test, predict_in_batches(result.model, x_test))
    run["autoencoder"] = row(f"mmtutor Autoencoder({encoding_dim})",
                             "test reconstruction error", error, result.model.count_params(),
                             result)
    return run


def median(leaf):
    """The median over seeds of one :func:`mmtutor.reports.summarize` leaf."""
    return float(np.median(leaf["values"]))


def table(summary):
    rows = [[s["model"], s["metric"], reports.format_mean_std(s["value"], digits=4),
             f"{median(s['value']):.4f}", int(s["params"]["mean"]),
             f"{median(s['seconds']):.1f}", f"{median(s['cpu_seconds']):.1f}"]
            for s in summary.values()]
    return reports.markdown_table(["model", "metric", "mean ± std", "median", "parameters",
                                   "train s (median)", "CPU s (median)"], rows)


def targets(summary):
    value = {key: median(s["value"]) for key, s in summary.items()}
    out = {"CNN beats SVC": value["cnn"] > value["svc"],
           "autoencoder beats PCA": value["autoencoder"] < value["pca"]}
    for clock, unit in (("seconds", "s"), ("cpu_seconds", "CPU s")):
        out[f"slowest model (median {unit})"] = max(median(s[clock]) for s in summary.values())
        out[f"each model trains in < 30 {unit}"] = out[f"slowest model (median {unit})"] < 30
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--encoding-dim", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="a few epochs, to check the script")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    start, load = time.perf_counter(), os.getloadavg()
    epochs = dict.fromkeys(EPOCHS, 2) if args.quick else dict(EPOCHS)
    data = load_digits()
    trainer = Trainer(metrics=())  # one compiled twin per network, traced once
    runs = []
    for seed in args.seeds:
        runs.append(run_seed(seed, data, trainer, encoding_dim=args.encoding_dim, epochs=epochs))
        for m in list(runs[-1].values())[1:]:
            print(f"seed {seed}: {m['model']:<30} {m['value']:.4f}  {m['seconds']:.1f} s "
                  f"(CPU {m['cpu_seconds']:.1f} s)", flush=True)
        summary = reports.summarize([{k: x for k, x in r.items() if k != "seed"} for r in runs])
        usage = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        reports.write_report(  # after every seed: a run cut short keeps the seeds done
            args.out, benchmark="bench_seed_models", runs=runs,
            arguments={**vars(args), "epochs": epochs},
            data={"name": "scikit-learn digits", "train": len(data[0][0]),
                  "test": len(data[1][0]), "split": "first 898 train, last 899 test"},
            targets=targets(summary), table=table(summary),
            total_seconds=time.perf_counter() - start,
            total_cpu_seconds=sum(u.ru_utime + u.ru_stime for u in usage),
            load_average_start=load)

    print(f"\nOver seeds {args.seeds} (digits: 898 train / 899 test)\n\n{table(summary)}\n")
    for key, value in targets(summary).items():
        print(f"  {key}: {round(value, 1) if isinstance(value, float) else value}")
    print(f"Total: {time.perf_counter() - start:.0f} s wall (load average {load[0]:.1f} at the "
          f"start, {os.cpu_count()} CPUs); wrote {args.out}")


if __name__ == "__main__":
    main()
