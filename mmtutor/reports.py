"""Summaries over seeds, Markdown tables and the one JSON report every benchmark writes.

A claim such as "fusion beats the best single modality" means little from one training run:
another seed moves small models by a point or two. Each seed's measurements are a nested
dict (as :func:`mmtutor.evaluation.evaluate_classifier` returns); :func:`summarize` turns a
list of them into the mean and spread of every number, and :func:`write_report` saves the
runs, their summary and the targets in one schema, atomically, so a chapter can read a
benchmark's numbers back.

Report schema (``"schema": "mmtutor.report/1"``): ``benchmark`` (the script's name),
``versions``, ``machine``, ``arguments``, ``data``, ``seeds``, ``total_seconds``,
``total_cpu_seconds``, ``runs`` (one nested dict per seed, with its ``"seed"``),
``summary`` (:func:`summarize` of the runs), ``targets`` and ``table`` (Markdown).
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from mmtutor import _validation as v

SCHEMA = "mmtutor.report/1"

__all__ = ["SCHEMA", "format_mean_std", "machine_info", "markdown_table", "read_report",
           "summarize", "write_report"]


def summarize(runs: Sequence[Mapping]) -> dict:
    """Mean and standard deviation over runs of every number in nested dicts.

    Every run must have the same nesting; numbers (ints, floats, bools) become
    ``{"mean": ..., "std": ..., "values": [...]}`` with the population standard deviation
    (``ddof=0``, 0.0 for one run); strings must agree across runs and are kept.

    Args:
        runs: one nested dict per seed.

    Returns:
        A dict with the same nesting.

    Raises:
        ValueError: if ``runs`` is empty or the runs' keys differ.

    Example:
        >>> summary = summarize([{"image": {"accuracy": 0.8}}, {"image": {"accuracy": 0.9}}])
        >>> round(summary["image"]["accuracy"]["mean"], 3), summary["image"]["accuracy"]["std"]
        (0.85, 0.05)

    Book: section "sec-training-protocol".
    """
    runs = list(runs)
    if not runs:
        raise ValueError(v.message("summarize", "at least one run", "runs=[]",
                                   "Pass one dict of measurements per seed"))
    return _summarize("summarize", runs, "runs")


def _summarize(name, values, where):
    first = values[0]
    if isinstance(first, Mapping):
        keys = list(first)
        for other in values[1:]:
            if not isinstance(other, Mapping) or list(other) != keys:
                got = list(other) if isinstance(other, Mapping) else type(other).__name__
                raise ValueError(v.message(name, f"every run to have the keys {keys} at {where}",
                                           f"a run with {got}",
                                           "Measure every seed the same way"))
        return {k: _summarize(name, [x[k] for x in values], f"{where}[{k!r}]") for k in keys}
    if isinstance(first, (bool, int, float, np.integer, np.floating)):
        array = np.asarray(values, dtype=np.float64)
        return {"mean": float(array.mean()), "std": float(array.std()),
                "values": [float(x) for x in array]}
    return first


def format_mean_std(summary_leaf: Mapping, *, digits=3, scale=1.0) -> str:
    """``"mean ± std"`` of one :func:`summarize` leaf.

    Example:
        >>> format_mean_std({"mean": 0.8512, "std": 0.0123})
        '0.851 ± 0.012'

    Book: section "sec-training-protocol".
    """
    return (f"{summary_leaf['mean'] * scale:.{digits}f} ± "
            f"{summary_leaf['std'] * scale:.{digits}f}")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence]) -> str:
    """A Markdown table: one header row, then one row per entry (cells formatted by ``str``).

    Example:
        >>> print(markdown_table(["model", "accuracy"], [["image", "0.80"]]))
        | model | accuracy |
        |---|---|
        | image | 0.80 |

    Book: section "sec-training-protocol".
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(v.message("markdown_table", f"rows of {len(header)} cells, one per "
                                       "header", f"a row of {len(row)} cells: {list(row)!r}"))
        lines.append("| " + " | ".join(str(cell) for cell in row) + " |")
    return "\n".join(lines)


def machine_info(load_average_start=None) -> dict:
    """The machine a report was measured on: CPUs, platform and load averages."""
    info = {"cpus": os.cpu_count(), "platform": platform.platform()}
    if hasattr(os, "getloadavg"):
        info["load_average_start"] = (list(load_average_start) if load_average_start
                                      else None)
        info["load_average_end"] = list(os.getloadavg())
    return info


def _versions() -> dict:
    import keras
    import tensorflow as tf

    import mmtutor

    return {"mmtutor": mmtutor.__version__, "tensorflow": tf.__version__,
            "keras": keras.__version__, "numpy": np.__version__,
            "python": platform.python_version()}


def write_report(path, *, benchmark: str, runs: Sequence[Mapping], arguments=None, data=None,
                 targets=None, table="", total_seconds=None, total_cpu_seconds=None,
                 load_average_start=None, summary=True) -> dict:
    """Write a benchmark's report as JSON, atomically, in the one schema every script uses.

    The file is written to a temporary file beside ``path`` and renamed over it, so a run cut
    short never leaves half a report. Call it after every seed to keep the seeds done so far.

    Args:
        path: where to write (its folder is created).
        benchmark: the script's name, e.g. ``"bench_multimodal"``.
        runs: one nested dict of measurements per seed, each with its ``"seed"``.
        arguments: the script's settings (JSON-able values).
        data: a description of the data (setting, sizes).
        targets: each target's measured value or whether it is met.
        table: the printed Markdown table.
        total_seconds: the whole run's wall-clock seconds.
        total_cpu_seconds: the whole run's CPU seconds (every process).
        load_average_start: ``os.getloadavg()`` at the start.
        summary: add :func:`summarize` of the runs (their ``"seed"`` left out).

    Returns:
        The report, as written.

    Book: section "sec-training-protocol".
    """
    runs = [dict(r) for r in runs]
    report = {
        "schema": SCHEMA, "benchmark": benchmark, "versions": _versions(),
        "machine": machine_info(load_average_start), "arguments": dict(arguments or {}),
        "data": dict(data or {}), "seeds": [r.get("seed") for r in runs],
        "total_seconds": total_seconds, "total_cpu_seconds": total_cpu_seconds,
        "runs": runs,
        "summary": (summarize([{k: x for k, x in r.items() if k != "seed"} for r in runs])
                    if summary and runs else {}),
        "targets": dict(targets or {}), "table": table,
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=1, default=_jsonable)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.",
                                     suffix=".tmp", delete=False, encoding="utf-8") as file:
        file.write(text + "\n")
    os.replace(file.name, path)
    return report


def _jsonable(value):
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON-able: {type(value).__name__}")


def read_report(path) -> dict:
    """Read a report :func:`write_report` wrote, checking its schema.

    Raises:
        ValueError: if the file is not a report of this schema.

    Book: section "sec-training-protocol".
    """
    report = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(report, dict) or report.get("schema") != SCHEMA:
        got = report.get("schema") if isinstance(report, dict) else type(report).__name__
        raise ValueError(v.message("read_report", f"a report of schema {SCHEMA!r}",
                                   f"schema={got!r} in {path}",
                                   "Rerun the benchmark that writes it"))
    return report
