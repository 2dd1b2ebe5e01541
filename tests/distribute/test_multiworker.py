"""Two workers of ``MultiWorkerMirroredStrategy`` on localhost: examples/multiworker.py."""

import importlib.util
import math
from pathlib import Path

import pytest

pytestmark = pytest.mark.scale

EXAMPLE = Path(__file__).parents[2] / "examples" / "multiworker.py"


def _example():
    spec = importlib.util.spec_from_file_location("multiworker_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_workers_on_localhost_train_one_model():
    reports = _example().launch(epochs=2, timeout=120)
    assert [r["worker"] for r in reports] == [0, 1]
    assert all(r["replicas"] == 2 for r in reports)
    # One model: both workers report the same losses (reduced over the cluster).
    assert reports[0]["loss"] == pytest.approx(reports[1]["loss"], rel=1e-6)
    assert reports[0]["val_loss"] == pytest.approx(reports[1]["val_loss"], rel=1e-6)
    losses = reports[0]["loss"]
    assert all(math.isfinite(x) for x in losses) and losses[-1] < losses[0]


def test_tf_config_names_loopback_workers():
    config = _example().tf_config([1234, 5678], 1)
    assert '"worker": ["127.0.0.1:1234", "127.0.0.1:5678"]' in config
    assert '"index": 1' in config
