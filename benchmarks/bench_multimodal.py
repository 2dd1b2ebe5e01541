"""Benchmark the multimodal models of mmtutor on MultiDigits (default setting), over seeds.

For each seed this trains, with early stopping on the validation split, and scores on the
test split:

- three single-modality classifiers (``create_unimodal_classifier`` on each encoder);
- ``FusionClassifier`` with early, late and attention fusion, each without and with
  modality dropout, scored with all modalities, with one modality removed (marked absent
  through ``inputs["presence"]``), with only one modality left, and (models trained without
  modality dropout) with the removed modalities mean-imputed instead;
- a ``DualEncoder`` (image, audio) trained with symmetric InfoNCE: recall@1 and @5, class and
  instance level, in both directions;
- a ``BimodalAutoencoder`` (image, audio): how often the image-only classifier of the same
  seed recognises the digit in images generated from the audio alone.

Usage:
    python benchmarks/bench_multimodal.py                 # seeds 0-4, about 15 minutes
    python benchmarks/bench_multimodal.py --seeds 0 --max-epochs 5   # a quick smoke run

Prints Markdown tables (mean and standard deviation over seeds) and writes every number to
benchmarks/results/bench_multimodal.json. Targets (issue 5): best fusion >= best single + 8
points; with modality dropout, one modality alone within 3 points of its own model;
class-level R@1 >= 0.80 and R@5 >= 0.95; audio-to-image generations recognised >= 70%; each
model <= 60 s and the whole run <= 15 minutes on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from mmtutor.datasets import load_multidigits  # noqa: E402
from mmtutor.impute import feature_means, remove_modality  # noqa: E402
from mmtutor.metrics import accuracy, precision_recall_f1, recall_at_k  # noqa: E402
from mmtutor.models import (  # noqa: E402
    BimodalAutoencoder,
    DualEncoder,
    FusionClassifier,
    create_audio_encoder,
    create_image_encoder,
    create_text_encoder,
    create_unimodal_classifier,
)

MODALITIES = ("image", "audio", "text")
FUSIONS = ("early", "late", "attention")
RESULTS = Path(__file__).parent / "results" / "bench_multimodal.json"


class Trainer:
    """Train every candidate on one compiled twin across seeds.

    Tracing a training step costs more than training these small models (about 35 s for a
    fused model on a busy 2-core machine), so each architecture is compiled once: for every
    seed a fresh model is built (its own initial weights, from ``keras.utils.set_random_seed``)
    and its weights are copied into the twin, whose optimizer is reset to step 0. Training
    then runs exactly as on the fresh model.
    """

    def __init__(self, args):
        self.args = args
        self.twins = {}

    def fit(self, key, make, train, validation, *, loss="sparse_categorical_crossentropy"):
        """Return (trained model, seconds, epochs); seconds include any first-time tracing."""
        args = self.args
        start = time.perf_counter()
        fresh = make()
        twin = self.twins.get(key)
        if twin is None:
            twin = self.twins[key] = fresh
            twin.compile(optimizer=keras.optimizers.Adam(args.learning_rate), loss=loss)
        else:
            twin.set_weights(fresh.get_weights())
            for variable in twin.optimizer.variables:  # back to step 0, zero moments
                if variable.name == "learning_rate":
                    variable.assign(args.learning_rate)
                else:
                    variable.assign(np.zeros(variable.shape, dtype=variable.dtype))
        stop = keras.callbacks.EarlyStopping("val_loss", patience=args.patience,
                                             restore_best_weights=True)
        history = twin.fit(*train, validation_data=validation, epochs=args.max_epochs,
                           batch_size=args.batch_size, callbacks=[stop], verbose=0)
        return twin, time.perf_counter() - start, len(history.history["loss"])


def scores(y_true, probs):
    y_pred = np.asarray(probs).argmax(axis=1)
    return {"accuracy": accuracy(y_true, y_pred),
            "macro_f1": float(precision_recall_f1(y_true, y_pred, average="macro")[2])}


def imputed(inputs, removed, fill):
    """Replace the removed modalities by their training "mean": a standard model sees a guess."""
    out = dict(inputs)
    for m in removed:
        out[m] = np.broadcast_to(fill[m], inputs[m].shape).astype(inputs[m].dtype)
    return out


def training_fill(train_inputs):
    """Mean image and mean clip; for text (token ids) the most frequent token per position."""
    text = train_inputs["text"]
    mode = np.array([np.bincount(text[:, t]).argmax() for t in range(text.shape[1])])
    return {"image": feature_means(train_inputs["image"]).astype("float32"),
            "audio": feature_means(train_inputs["audio"]).astype("float32"),
            "text": mode.astype("int32")}


def run_seed(seed, data, args, trainer):
    md = data.metadata
    shapes = {"image": tuple(md["image_shape"]), "audio": tuple(md["audio_shape"]),
              "text": (md["text_length"],)}
    vocabulary_size = len(md["vocabulary"])
    train, val = data.train, data.validation
    out = {}

    encoders = {"image": lambda: create_image_encoder(shapes["image"]),
                "audio": lambda: create_audio_encoder(shapes["audio"]),
                "text": lambda: create_text_encoder(vocabulary_size, shapes["text"][0])}
    single_models = {}
    if "classifiers" in args.parts:
        out["single"], out["fusion"] = {}, {}
        run_classifiers(seed, data, args, trainer, out, encoders, single_models)
    pair = ("image", "audio")
    if "dual" in args.parts:
        run_dual(seed, data, args, trainer, out, shapes, pair)
    if "bae" in args.parts:
        if "image" not in single_models:  # the recogniser: the image-only classifier
            keras.utils.set_random_seed(seed)
            single_models["image"] = trainer.fit(
                "image", lambda: create_unimodal_classifier(encoders["image"]()),
                (train.inputs["image"], train.labels), (val.inputs["image"], val.labels))[0]
        run_bae(seed, data, args, trainer, out, shapes, pair, single_models["image"])
    return out


def run_classifiers(seed, data, args, trainer, out, encoders, single_models):
    md = data.metadata
    shapes = {"image": tuple(md["image_shape"]), "audio": tuple(md["audio_shape"]),
              "text": (md["text_length"],)}
    vocabulary_size = len(md["vocabulary"])
    train, val, test = data.train, data.validation, data.test
    y_test = test.labels
    for m in MODALITIES:
        keras.utils.set_random_seed(seed)
        model, seconds, epochs = trainer.fit(
            m, lambda m=m: create_unimodal_classifier(encoders[m]()),
            (train.inputs[m], train.labels), (val.inputs[m], val.labels))
        out["single"][m] = {**scores(y_test, model.predict(test.inputs[m], verbose=0)),
                            "params": model.count_params(), "seconds": seconds,
                            "epochs": epochs}
        single_models[m] = model
        print(f"  seed {seed} {m}-only: {out['single'][m]['accuracy']:.3f} "
              f"({seconds:.0f} s, {epochs} epochs)", flush=True)

    fill = training_fill(train.inputs)
    full = {**test.inputs, "presence": np.ones((len(test), len(MODALITIES)), "float32")}
    for fusion in FUSIONS:
        for rate in (0.0, args.modality_dropout):
            key = f"{fusion}" if rate == 0 else f"{fusion}+dropout"
            keras.utils.set_random_seed(seed)
            model, seconds, epochs = trainer.fit(
                key, lambda fusion=fusion, rate=rate: FusionClassifier(
                    shapes, fusion=fusion, vocabulary_size=vocabulary_size,
                    modality_dropout=rate, seed=seed),
                (train.inputs, train.labels), (val.inputs, val.labels))
            result = {**scores(y_test, model.predict(full, verbose=0)),
                      "params": model.count_params(), "seconds": seconds, "epochs": epochs,
                      "without": {}, "only": {}}
            for m in MODALITIES:
                without = remove_modality(full, m)
                only = full
                for other in MODALITIES:
                    if other != m:
                        only = remove_modality(only, other)
                result["without"][m] = scores(y_test, model.predict(without, verbose=0))
                result["only"][m] = scores(y_test, model.predict(only, verbose=0))
                if rate == 0:  # mean imputation: the model is told nothing is missing
                    others = [o for o in MODALITIES if o != m]
                    result["without"][m]["imputed"] = scores(
                        y_test, model.predict(imputed(full, [m], fill), verbose=0))["accuracy"]
                    result["only"][m]["imputed"] = scores(
                        y_test, model.predict(imputed(full, others, fill), verbose=0))["accuracy"]
            out["fusion"][key] = result
            print(f"  seed {seed} {key}: {result['accuracy']:.3f} ({seconds:.0f} s, "
                  f"{epochs} epochs); only image/audio/text "
                  + "/".join(f"{result['only'][m]['accuracy']:.3f}" for m in MODALITIES),
                  flush=True)



def run_dual(seed, data, args, trainer, out, shapes, pair):
    """Dual encoder: image and audio into one space, symmetric InfoNCE."""
    train, val, test = data.train, data.validation, data.test
    y_test = test.labels
    keras.utils.set_random_seed(seed)
    dual, seconds, epochs = trainer.fit(
        "dual", lambda: DualEncoder({m: shapes[m] for m in pair}, temperature=args.temperature),
        ({m: train.inputs[m] for m in pair},), ({m: val.inputs[m] for m in pair},), loss=None)
    z = {m: dual.embed(test.inputs[m], modality=m) for m in pair}
    retrieval = {"seconds": seconds, "epochs": epochs, "params": dual.count_params()}
    for query, target in (("audio", "image"), ("image", "audio")):
        for level in ("class", "instance"):
            for k in (1, 5):
                retrieval[f"{query}->{target} {level} R@{k}"] = recall_at_k(
                    z[query], z[target], k=k, level=level, labels=y_test)
    out["dual_encoder"] = retrieval
    print(f"  seed {seed} dual encoder: audio->image class R@1 "
          f"{retrieval['audio->image class R@1']:.3f} ({seconds:.0f} s)", flush=True)



def run_bae(seed, data, args, trainer, out, shapes, pair, recogniser):
    """Bimodal autoencoder: hear a digit, generate its image, ask the image classifier."""
    train, val, test = data.train, data.validation, data.test
    y_test = test.labels
    keras.utils.set_random_seed(seed)
    bae, seconds, epochs = trainer.fit(
        "bae", lambda: BimodalAutoencoder(shapes["image"], shapes["audio"],
                                          code_dim=args.code_dim,
                                          audio_weight=args.audio_weight, seed=seed),
        ({m: train.inputs[m] for m in pair},), ({m: val.inputs[m] for m in pair},), loss=None)
    generated = bae.reconstruct({"audio": test.inputs["audio"]}, source="audio")["image"]
    rebuilt = bae.reconstruct({"image": test.inputs["image"]}, source="image")["image"]
    out["bimodal_autoencoder"] = {
        "audio->image recognised": scores(
            y_test, recogniser.predict(generated, verbose=0))["accuracy"],
        "image->image recognised": scores(
            y_test, recogniser.predict(rebuilt, verbose=0))["accuracy"],
        "real images recognised": scores(
            y_test, recogniser.predict(test.inputs["image"], verbose=0))["accuracy"],
        "seconds": seconds, "epochs": epochs, "params": bae.count_params(),
    }
    print(f"  seed {seed} bimodal autoencoder: audio->image recognised "
          f"{out['bimodal_autoencoder']['audio->image recognised']:.3f} ({seconds:.0f} s)",
          flush=True)


def mean_std(values):
    values = np.asarray(values, dtype=np.float64)
    return float(values.mean()), float(values.std())


def fmt(values, scale=1.0, digits=3):
    mean, std = mean_std(np.asarray(values) * scale)
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def tables(runs):
    lines = []
    if "single" in runs[0]:
        lines += classifier_tables(runs)
    if "dual_encoder" in runs[0]:
        lines += dual_table(runs)
    if "bimodal_autoencoder" in runs[0]:
        lines += bae_table(runs)
    return "\n".join(lines)


def classifier_tables(runs):
    lines = ["### Classification (test set)", "",
             "| model | accuracy | macro-F1 | parameters | train s | epochs |",
             "|---|---|---|---|---|---|"]
    for m in MODALITIES:
        r = [run["single"][m] for run in runs]
        lines.append(f"| {m} only | {fmt([x['accuracy'] for x in r])} | "
                     f"{fmt([x['macro_f1'] for x in r])} | {r[0]['params']:,} | "
                     f"{fmt([x['seconds'] for x in r], digits=0)} | "
                     f"{fmt([x['epochs'] for x in r], digits=0)} |")
    for key in runs[0]["fusion"]:
        r = [run["fusion"][key] for run in runs]
        lines.append(f"| {key} | {fmt([x['accuracy'] for x in r])} | "
                     f"{fmt([x['macro_f1'] for x in r])} | {r[0]['params']:,} | "
                     f"{fmt([x['seconds'] for x in r], digits=0)} | "
                     f"{fmt([x['epochs'] for x in r], digits=0)} |")
    lines += ["", "### Missing modalities: accuracy with one modality removed, or only one left",
              "", "| model | " + " | ".join(f"without {m}" for m in MODALITIES) + " | "
              + " | ".join(f"only {m}" for m in MODALITIES) + " |",
              "|---|" + "---|" * 6]
    lines.append("| single-modality model | | | | "
                 + " | ".join(fmt([run["single"][m]["accuracy"] for run in runs])
                              for m in MODALITIES) + " |")
    for key in runs[0]["fusion"]:
        r = [run["fusion"][key] for run in runs]
        cells = [fmt([x["without"][m]["accuracy"] for x in r]) for m in MODALITIES]
        cells += [fmt([x["only"][m]["accuracy"] for x in r]) for m in MODALITIES]
        lines.append(f"| {key} (masked) | " + " | ".join(cells) + " |")
        if "imputed" in r[0]["only"]["image"]:
            cells = [fmt([x["without"][m]["imputed"] for x in r]) for m in MODALITIES]
            cells += [fmt([x["only"][m]["imputed"] for x in r]) for m in MODALITIES]
            lines.append(f"| {key} (mean-imputed) | " + " | ".join(cells) + " |")
    return lines + [""]


def dual_table(runs):
    lines = ["### Dual encoder retrieval (test set, 360 candidates)", "",
              "| direction | class R@1 | class R@5 | instance R@1 | instance R@5 |",
              "|---|---|---|---|---|"]
    for d in ("audio->image", "image->audio"):
        lines.append(f"| {d} | " + " | ".join(
            fmt([run["dual_encoder"][f"{d} {lv} R@{k}"] for run in runs])
            for lv, k in (("class", 1), ("class", 5), ("instance", 1), ("instance", 5)))
            + " |")
    return lines + [""]


def bae_table(runs):
    lines = ["### Bimodal autoencoder: images recognised by the image-only classifier",
             "", "| images | recognised |", "|---|---|"]
    for key in ("audio->image recognised", "image->image recognised",
                "real images recognised"):
        lines.append(f"| {key.replace(' recognised', '')} | "
                     f"{fmt([run['bimodal_autoencoder'][key] for run in runs])} |")
    return lines + [""]


def targets(runs):
    """Each target of issue 5 with the measured value and whether it is met."""
    out = {}
    if "single" in runs[0]:
        out.update(classifier_targets(runs))
    if "dual_encoder" in runs[0]:
        for d in ("audio->image", "image->audio"):
            r1 = np.mean([r["dual_encoder"][f"{d} class R@1"] for r in runs])
            r5 = np.mean([r["dual_encoder"][f"{d} class R@5"] for r in runs])
            out[f"{d} class R@1 >= 0.80"] = bool(r1 >= 0.80)
            out[f"{d} class R@5 >= 0.95"] = bool(r5 >= 0.95)
    if "bimodal_autoencoder" in runs[0]:
        rec = np.mean([r["bimodal_autoencoder"]["audio->image recognised"] for r in runs])
        out["audio->image recognised >= 0.70"] = bool(rec >= 0.70)
    slowest = max(x["seconds"] for r in runs for x in
                  [*r.get("single", {}).values(), *r.get("fusion", {}).values(),
                   *[r[k] for k in ("dual_encoder", "bimodal_autoencoder") if k in r]])
    out["slowest model (s)"] = slowest
    out["every model <= 60 s"] = bool(slowest <= 60)
    return out


def classifier_targets(runs):
    best_single = max(MODALITIES, key=lambda m: np.mean([r["single"][m]["accuracy"]
                                                         for r in runs]))
    fusions = list(runs[0]["fusion"])
    best_fusion = max(fusions, key=lambda f: np.mean([r["fusion"][f]["accuracy"]
                                                      for r in runs]))
    gaps = [100 * (r["fusion"][best_fusion]["accuracy"] - r["single"][best_single]["accuracy"])
            for r in runs]
    out = {"best single": best_single, "best fusion": best_fusion,
           "fusion gain (points)": mean_std(gaps),
           "fusion gain >= 8 points": bool(np.mean(gaps) >= 8)}
    for fusion in FUSIONS:
        for suffix in ("", "+dropout"):
            key = fusion + suffix
            drops = {m: mean_std([100 * (r["single"][m]["accuracy"]
                                         - r["fusion"][key]["only"][m]["accuracy"])
                                  for r in runs]) for m in MODALITIES}
            out[f"{key}: only-m deficit vs m's own model (points)"] = drops
            if suffix:
                out[f"{key}: every deficit <= 3 points"] = bool(
                    all(d[0] <= 3 for d in drops.values()))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--max-epochs", type=int, default=30)
    parser.add_argument("--patience", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--modality-dropout", type=float, default=0.5)
    parser.add_argument("--parts", nargs="+", default=["classifiers", "dual", "bae"],
                        choices=["classifiers", "dual", "bae"])
    # 0.3 rather than CLIP's 0.1: the pairs share only a label, so a batch holds same-class
    # "negatives" that a sharp softmax pushes apart (chosen on the validation split, seed 0).
    parser.add_argument("--temperature", type=float, default=0.3)
    parser.add_argument("--code-dim", type=int, default=32)
    parser.add_argument("--audio-weight", type=float, default=0.1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    start = time.perf_counter()
    data = load_multidigits(setting="default")
    print(f"MultiDigits default: {len(data.train)} train, {len(data.validation)} validation, "
          f"{len(data.test)} test; load {time.perf_counter() - start:.0f} s", flush=True)
    runs = []
    trainer = Trainer(args)
    for seed in args.seeds:
        runs.append(run_seed(seed, data, args, trainer))
        total = time.perf_counter() - start
        table = tables(runs)
        checks = targets(runs)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({  # after every seed, so a cut-short run keeps its seeds
            "arguments": {k: str(x) if isinstance(x, Path) else x for k, x in vars(args).items()},
            "seeds_done": args.seeds[:len(runs)],
            "data": {k: data.metadata[k] for k in ("setting", "seed", "audio_shape",
                                                   "text_length", "args")},
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                        "load_average_end": os.getloadavg()},
            "total_seconds": total, "runs": runs, "targets": checks, "table": table,
        }, indent=1, default=float))
        print(f"  seed {seed} done at {total:.0f} s", flush=True)
    print("\n" + table + "\n")
    print("Targets:")
    for key, value in checks.items():
        print(f"  {key}: {value}")
    print(f"Total time: {total:.0f} s (load average {os.getloadavg()[0]:.1f} at the end)")
    print(f"Wrote {args.out}")


if __name__ == "__main__":
    main()
