"""An RNN on log-mel features of real spoken digits (FSDD), and the same RNN trained on
mmtutor's synthetic speech alone and tested on the real recordings.

- real -> real: trained on FSDD's takes 5-49, tested on takes 0-4 (FSDD's own split);
- synthetic -> real: trained on synthetic words only (random speakers, 20 dB SNR), tested on
  the same real takes 0-4, and on every real recording (none was seen in training).

Features: ``log_mel_spectrogram`` (61 frames x 32 mel bands for 1 s), floored 26 dB below
each utterance's peak, shifted so the word starts at the first frame, and standardised per
utterance and mel band (see ``normalise``): this removes level, silence and onset differences
between the synthesizer and the microphone. Model: ``mmtutor.models.RNN`` (one LSTM of 64
units, softmax head), trained by ``mmtutor.training.Trainer`` (Adam 2e-3, 30 epochs, batch
32, no validation split: nothing is selected), scored by ``mmtutor.evaluation``.

Usage:
    python benchmarks/bench_fsdd.py [--data-dir DIR] [--seeds 0 1 2]
    python benchmarks/bench_fsdd.py --seeds 0 --epochs 2 --synthetic 100 --out /tmp/f.json

DIR defaults to ``../shared/data/fsdd-sample`` next to the repository (one speaker, 500
recordings); any folder of FSDD v1.0.10 recordings works, as does a downloaded copy. Prints
accuracy and macro-F1 (mean ± std over seeds) and the targets (synthetic -> real above chance,
0.10), and writes the report (schema of :mod:`mmtutor.reports`) to
benchmarks/results/bench_fsdd.json.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from mmtutor import reports  # noqa: E402
from mmtutor.datasets import load_fsdd, log_mel_spectrogram, synthesize_speech  # noqa: E402
from mmtutor.evaluation import classification_scores, predict_in_batches  # noqa: E402
from mmtutor.models import RNN  # noqa: E402
from mmtutor.training import Trainer  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CHANCE = 0.10


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared" / "data" /
                                                  "fsdd-sample"))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--synthetic", type=int, default=1000, help="synthetic words")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" /
                        "bench_fsdd.json")
    args = parser.parse_args()

    start, load = time.perf_counter(), os.getloadavg()
    fsdd = load_fsdd(args.data_dir)
    print(fsdd.metadata["summary"])
    real_train = (normalise(fsdd.train.inputs["audio"]), fsdd.train.labels)
    real_test = (normalise(fsdd.test.inputs["audio"]), fsdd.test.labels)
    every_real = tuple(np.concatenate(pair) for pair in zip(real_train, real_test, strict=True))
    tests = {"real test (takes 0-4)": real_test}
    # One architecture for both trainings: one compiled twin, traced once.
    trainer = Trainer(epochs=args.epochs, batch_size=32, learning_rate=2e-3, metrics=())
    make = lambda: RNN(real_train[0].shape[1:], 10)  # noqa: E731

    runs = []
    for seed in args.seeds:
        labels = np.arange(args.synthetic) % 10
        waves = synthesize_speech(labels, seed=seed, snr_db=20.0)
        synthetic = (normalise(log_mel_spectrogram(waves)), labels)
        run = {"seed": seed}
        for trained, train, tested in (
                ("real -> real", real_train, tests),
                ("synthetic -> real", synthetic, {**tests, "every real recording": every_real})):
            result = trainer.fit("rnn", make, train, seed=seed)
            run[trained] = {name: classification_scores(y, predict_in_batches(result.model, x))
                            for name, (x, y) in tested.items()}
            run[trained].update(seconds=result.seconds, cpu_seconds=result.cpu_seconds)
        runs.append(run)
        print(f"seed {seed} ({time.perf_counter() - start:.0f} s):",
              {k: {t: round(s["accuracy"], 3) for t, s in x.items() if isinstance(s, dict)}
               for k, x in run.items() if k != "seed"}, flush=True)

        summary = reports.summarize([{k: x for k, x in r.items() if k != "seed"} for r in runs])
        rows = [[trained.split(" -> ")[0], tested, reports.format_mean_std(s["accuracy"]),
                 reports.format_mean_std(s["macro_f1"])]
                for trained, x in summary.items() for tested, s in x.items()
                if isinstance(s, dict) and "accuracy" in s]
        table = reports.markdown_table(["trained on", "tested on", "accuracy", "macro-F1"], rows)
        synthetic_real = summary["synthetic -> real"]["real test (takes 0-4)"]["accuracy"]["mean"]
        targets = {
            "real -> real accuracy": summary["real -> real"]["real test (takes 0-4)"]
            ["accuracy"]["mean"],
            "synthetic -> real accuracy": synthetic_real,
            f"synthetic -> real above chance ({CHANCE:.2f})": synthetic_real > CHANCE}
        usage = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        reports.write_report(  # after every seed: a run cut short keeps the seeds done
            args.out, benchmark="bench_fsdd", runs=runs, arguments=vars(args),
            data={"summary": fsdd.metadata["summary"], "real train": len(fsdd.train),
                  "real test": len(fsdd.test), "synthetic words": args.synthetic,
                  "features": "normalise(log_mel_spectrogram): (61 frames, 32 mel bands)"},
            targets=targets, table=table, total_seconds=time.perf_counter() - start,
            total_cpu_seconds=sum(u.ru_utime + u.ru_stime for u in usage),
            load_average_start=load)

    print(f"\nMean ± std over seeds {args.seeds} ({len(fsdd.train)} real training recordings, "
          f"{args.synthetic} synthetic words):\n\n{table}\n\nTargets:")
    for key, value in targets.items():
        print(f"  {key}: {round(value, 3) if isinstance(value, float) else value}")
    print(f"Total: {time.perf_counter() - start:.0f} s wall; wrote {args.out}")


if __name__ == "__main__":
    main()
