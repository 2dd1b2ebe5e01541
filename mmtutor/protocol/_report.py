"""Tables and targets of the multimodal benchmark, from a summary over seeds."""

from mmtutor import reports
from mmtutor.modalities import MODALITIES


def summary_tables(s: dict) -> str:
    """Markdown tables of a summary of :func:`run_seed` results (mean ± std over seeds).

    Args:
        s: :func:`mmtutor.reports.summarize` of the runs, their ``"seed"`` left out.

    Returns:
        One table per part that ran: classifiers, classifiers with modalities removed,
        retrieval, the autoencoder's generated images.

    Book: section "sec-training-protocol".
    """
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


def check_targets(s: dict, runs) -> dict:
    """Each target of the benchmark with its measured value, or whether it is met.

    Fusion gain over the best single modality >= 8 points; with modality dropout, each
    modality alone within 3 points of its own model; class R@1 of each direction >= the
    query modality's own accuracy - 1 point (plain and prototype queries); images generated
    from audio recognised >= 70%; every model trained in 60 s or less.

    Args:
        s: the summary, as for :func:`summary_tables`.
        runs: the runs themselves (for the slowest model).

    Book: section "sec-training-protocol".
    """
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
