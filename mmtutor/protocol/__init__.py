"""The book's multimodal benchmark as package functions a learner can call.

:func:`run_seed` trains and scores every model of the benchmark for one seed;
:func:`summary_tables` and :func:`check_targets` turn a summary over seeds into tables and the
targets. ``benchmarks/bench_multimodal.py`` is these functions run over seeds, with a report.
"""

from mmtutor.protocol._report import check_targets, summary_tables
from mmtutor.protocol._seed import PAIR, BenchmarkConfig, run_seed

__all__ = ["PAIR", "BenchmarkConfig", "check_targets", "run_seed", "summary_tables"]
