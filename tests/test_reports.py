"""Tests for mmtutor.reports: summaries over seeds, tables, the JSON report."""

import numpy as np
import pytest

from mmtutor import reports


def test_summarize_matches_numpy_mean_and_population_std_at_every_leaf():
    runs = [{"single": {"image": {"accuracy": a, "params": 10}}, "best": "image"}
            for a in (0.7, 0.8, 0.95)]
    summary = reports.summarize(runs)
    leaf = summary["single"]["image"]["accuracy"]
    assert leaf["mean"] == pytest.approx(np.mean([0.7, 0.8, 0.95]))
    assert leaf["std"] == pytest.approx(np.std([0.7, 0.8, 0.95]))
    assert leaf["values"] == [0.7, 0.8, 0.95]
    assert summary["single"]["image"]["params"]["std"] == 0.0 and summary["best"] == "image"


def test_summarize_rejects_empty_and_mismatched_runs():
    with pytest.raises(ValueError, match="summarize expects at least one run"):
        reports.summarize([])
    with pytest.raises(ValueError, match=r"every run to have the keys \['a'\] at runs"):
        reports.summarize([{"a": 1.0}, {"b": 1.0}])


def test_markdown_table_and_mean_std_format():
    table = reports.markdown_table(["model", "accuracy"], [["image", reports.format_mean_std(
        {"mean": 0.81234, "std": 0.0049})]])
    assert table.splitlines() == ["| model | accuracy |", "|---|---|",
                                  "| image | 0.812 ± 0.005 |"]
    with pytest.raises(ValueError, match="markdown_table expects rows of 2 cells"):
        reports.markdown_table(["a", "b"], [["only one"]])


def test_write_report_is_atomic_json_in_the_schema_and_reads_back(tmp_path):
    path = tmp_path / "results" / "bench.json"
    runs = [{"seed": 0, "accuracy": np.float32(0.5)}, {"seed": 1, "accuracy": 0.7}]
    written = reports.write_report(path, benchmark="bench_test", runs=runs,
                                   arguments={"out": tmp_path}, targets={"ok": True})
    assert sorted(p.name for p in path.parent.iterdir()) == ["bench.json"]  # no temp left
    report = reports.read_report(path)
    assert report["runs"] == [{"seed": 0, "accuracy": 0.5}, {"seed": 1, "accuracy": 0.7}]
    assert report["arguments"] == {"out": str(tmp_path)} and written["targets"] == {"ok": True}
    assert report["schema"] == reports.SCHEMA and report["seeds"] == [0, 1]
    assert report["summary"]["accuracy"]["mean"] == pytest.approx(0.6)
    assert set(report["versions"]) >= {"mmtutor", "tensorflow", "keras"}


def test_read_report_rejects_other_json(tmp_path):
    path = tmp_path / "old.json"
    path.write_text('{"runs": []}')
    with pytest.raises(ValueError, match="read_report expects a report of schema"):
        reports.read_report(path)
