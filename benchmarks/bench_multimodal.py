"""Benchmark the multimodal models of mmtutor on MultiDigits, over seeds.

Each seed runs :func:`mmtutor.protocol.run_seed` (single-modality classifiers; early,
intermediate, late and attention fusion without and with modality dropout, scored with
modalities removed; a dual encoder's retrieval; a bimodal autoencoder's audio-to-image
generation). Seeds train in ``--workers`` processes (one TensorFlow thread each: these
models keep about one core busy), each tracing every architecture once.

Usage:
    python benchmarks/bench_multimodal.py                          # default setting, seeds 0-4
    python benchmarks/bench_multimodal.py --setting clean --parts dual   # retrieval, clean data
    python benchmarks/bench_multimodal.py --seeds 0 --epochs 3     # a quick smoke run

Prints Markdown tables (mean ± standard deviation over seeds), the targets, and writes the
report (schema of :mod:`mmtutor.reports`) to benchmarks/results/. Targets: best fusion >= best
single + 8 points; with modality dropout, one modality alone within 3 points of its own model;
class-level R@1 of each direction >= the query modality's own accuracy - 1 point; audio-to-
image generations recognised >= 70%; each model <= 60 s and the run <= 15 min on 2 cores.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from mmtutor import protocol, recipes, reports  # noqa: E402
from mmtutor.datasets import load_multidigits  # noqa: E402
from mmtutor.training import Trainer  # noqa: E402

RESULTS = Path(__file__).parent / "results"
_WORKER = {}  # in each training process: the data, the trainer and the config


def start_worker(args):
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    _WORKER["data"] = load_multidigits(setting=args.setting)
    _WORKER["trainer"] = Trainer(epochs=args.epochs, batch_size=64, learning_rate=2e-3,
                                 patience=4)
    _WORKER["config"] = protocol.BenchmarkConfig(
        parts=tuple(args.parts), fusions=tuple(args.fusions),
        bae_epochs=min(args.epochs * 2, 60), dual_epochs=min(args.epochs * 2, 60))


def run_seed(seed):
    w = _WORKER
    out = protocol.run_seed(w["data"], seed, trainer=w["trainer"], config=w["config"],
                            log=lambda line: print(line, flush=True))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return out, os.getpid(), usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--setting", choices=["default", "clean"], default="default")
    parser.add_argument("--parts", nargs="+", default=["classifiers", "dual", "bae"],
                        choices=["classifiers", "dual", "bae"])
    parser.add_argument("--fusions", nargs="+", default=list(recipes.FUSIONS),
                        choices=recipes.FUSIONS)
    parser.add_argument("--epochs", type=int, default=30, help="most epochs per model")
    parser.add_argument("--workers", type=int, default=2, help="processes training seeds")
    parser.add_argument("--threads", type=int, default=1, help="TensorFlow threads each")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    suffix = "" if args.setting == "default" else f"_{args.setting}"
    args.out = args.out or RESULTS / f"bench_multimodal{suffix}.json"

    start, load = time.perf_counter(), os.getloadavg()
    data = load_multidigits(setting=args.setting)  # made once here; the workers read the cache
    print(f"MultiDigits {args.setting}: {len(data.train)} train, {len(data.validation)} "
          f"validation, {len(data.test)} test; {args.workers} worker process(es)", flush=True)
    done, worker_cpu = {}, {}
    context = multiprocessing.get_context("spawn")  # a fresh TensorFlow in each worker
    with ProcessPoolExecutor(args.workers, mp_context=context, initializer=start_worker,
                             initargs=(args,)) as pool:
        for future in as_completed([pool.submit(run_seed, s) for s in args.seeds]):
            run, pid, cpu = future.result()
            done[run["seed"]], worker_cpu[pid] = run, cpu
            runs = [done[s] for s in args.seeds if s in done]
            summary = reports.summarize([{k: x for k, x in r.items() if k != "seed"}
                                         for r in runs])
            usage = resource.getrusage(resource.RUSAGE_SELF)
            table, checks = protocol.summary_tables(summary), protocol.check_targets(summary, runs)
            reports.write_report(
                args.out, benchmark="bench_multimodal", runs=runs, table=table,
                arguments={k: str(x) if isinstance(x, Path) else x
                           for k, x in vars(args).items()},
                data={k: data.metadata[k] for k in ("setting", "seed", "audio_shape",
                                                    "text_length")},
                targets=checks, total_seconds=time.perf_counter() - start,
                total_cpu_seconds=usage.ru_utime + usage.ru_stime + sum(worker_cpu.values()),
                load_average_start=load)
            print(f"  seed {run['seed']} done at {time.perf_counter() - start:.0f} s",
                  flush=True)
    print("\n" + table + "\n\nTargets:")
    for key, value in checks.items():
        print(f"  {key}: {np.round(value, 3) if isinstance(value, float) else value}")
    print(f"Total: {time.perf_counter() - start:.0f} s wall; wrote {args.out}")


if __name__ == "__main__":
    main()
