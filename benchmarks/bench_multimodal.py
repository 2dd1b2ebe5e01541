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
from mmtutor.modalities import MODALITIES  # noqa: E402
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


def tables(s):
    """Markdown tables of a summary (mean ± std over seeds)."""
    f = reports.format_mean_std
    parts = []
    if "fusion" in s:
        rows = [[f"{m} only", f(s["single"][m]["accuracy"]), f(s["single"][m]["macro_f1"]),
                 int(s["single"][m]["params"]["mean"]), f(s["single"][m]["seconds"], digits=0)]
                for m in MODALITIES]
        rows += [[k, f(x["accuracy"]), f(x["macro_f1"]), int(x["params"]["mean"]),
                  f(x["seconds"], digits=0)] for k, x in s["fusion"].items()]
        parts.append(reports.markdown_table(
            ["model", "accuracy", "macro-F1", "parameters", "train s"], rows))
        rows = [[k + (" (masked / imputed)" if "imputed" in x["only"]["image"] else "")]
                + ["/".join([f(x[p][m]["accuracy"])] + ([f(x[p][m]["imputed"])]
                            if "imputed" in x[p][m] else []))
                   for p in ("without", "only") for m in MODALITIES]
                for k, x in s["fusion"].items()]
        parts.append(reports.markdown_table(
            ["model"] + [f"{p} {m}" for p in ("without", "only") for m in MODALITIES], rows))
    if "dual_encoder" in s:
        keys = ["class R@1", "class R@5", "class mAP", "class median rank", "instance R@1",
                "instance mAP"]
        rows = [[d + suffix] + [f(s["dual_encoder"][f"{d}{key} {k}"])
                                if f"{d}{key} {k}" in s["dual_encoder"] else "" for k in keys]
                for key, suffix in (("", ""), (" prototype", " (prototype queries)"))
                for d in ("audio->image", "image->audio")]
        rows += [[f"{d} (classifier probabilities)"]
                 + [f(s["classifier_retrieval"][f"{d} {k}"]) if k.startswith("class")
                    else "" for k in keys] for d in ("audio->image", "image->audio")]
        parts.append(reports.markdown_table(["direction", *keys], rows))
    if "bimodal_autoencoder" in s:
        b = s["bimodal_autoencoder"]
        parts.append(reports.markdown_table(
            ["images", "recognised"], [[k.replace(" recognised", ""), f(b[k])] for k in
                                       ("audio->image recognised", "image->image recognised",
                                        "real images recognised")]))
    return "\n\n".join(parts)


def targets(s, runs):
    mean = lambda leaf: leaf["mean"]  # noqa: E731
    out = {}
    if "fusion" in s:
        best_single = max(MODALITIES, key=lambda m: mean(s["single"][m]["accuracy"]))
        best = max(s["fusion"], key=lambda k: mean(s["fusion"][k]["accuracy"]))
        gain = 100 * (mean(s["fusion"][best]["accuracy"]) - mean(s["single"][best_single]
                                                                  ["accuracy"]))
        out.update({"best single": best_single, "best fusion": best,
                    "fusion gain (points)": gain, "fusion gain >= 8 points": gain >= 8})
        for key in (k for k in s["fusion"] if k.endswith("+dropout")):
            deficits = {m: 100 * (mean(s["single"][m]["accuracy"])
                                  - mean(s["fusion"][key]["only"][m]["accuracy"]))
                        for m in MODALITIES}
            out[f"{key}: only-m deficit (points)"] = deficits
            out[f"{key}: every deficit <= 3 points"] = max(deficits.values()) <= 3
    if "dual_encoder" in s:
        for query, target in (("audio", "image"), ("image", "audio")):
            bound = mean(s["single"][query]["accuracy"]) - 0.01
            for kind in ("", " prototype"):
                r1 = mean(s["dual_encoder"][f"{query}->{target}{kind} class R@1"])
                out[f"{query}->{target}{kind} class R@1 {r1:.3f} >= {query} accuracy - 1 "
                    f"point {bound:.3f}"] = r1 >= bound
    if "bimodal_autoencoder" in s:
        out["audio->image recognised >= 0.70"] = mean(
            s["bimodal_autoencoder"]["audio->image recognised"]) >= 0.70
    seconds = [x["seconds"] for r in runs for part in r.values() if isinstance(part, dict)
               for x in ([part] if "seconds" in part else part.values())
               if isinstance(x, dict) and "seconds" in x]
    out["slowest model (s)"] = max(seconds)
    out["every model <= 60 s"] = max(seconds) <= 60
    return out


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
            table, checks = tables(summary), targets(summary, runs)
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
