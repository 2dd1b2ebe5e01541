"""Settings for every test and doctest (tests/ and the doctests under mmtutor/).

- Data generated or cached during a run goes to a private temporary folder, never to the
  user's cache: ``MMTUTOR_DATA_DIR`` is set before collection and the folder is removed at
  the end. (tests/datasets/conftest.py narrows this further to one folder per test.)
- Hypothesis runs a small, fixed set of examples, so the suite is fast and reproducible.
"""

import os
import shutil
import sys
import tempfile

from hypothesis import settings


def _import_libraries_untraced():
    """Import TensorFlow, Keras and the other third-party libraries with any tracer paused.

    Under `pytest --cov`, coverage's tracer is called on every Python line it sees, even in
    files it does not measure, and importing these libraries runs a great many such lines.
    Coverage supports pausing it with `sys.settrace(None)` and resuming it with the old
    tracer. mmtutor itself is imported later, traced, so its own module-level lines count.
    """
    tracer = sys.gettrace()
    sys.settrace(None)
    try:
        import hypothesis  # noqa: F401
        import keras  # noqa: F401
        import matplotlib.pyplot  # noqa: F401
        import sklearn.metrics  # noqa: F401
        import tensorflow  # noqa: F401
    finally:
        sys.settrace(tracer)


settings.register_profile("mmtutor", max_examples=20, deadline=None, derandomize=True,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "mmtutor"))

_SAVED = {}


def pytest_configure(config):
    folder = tempfile.mkdtemp(prefix="mmtutor-test-data-")
    for name in ("MMTUTOR_DATA_DIR", "XDG_CACHE_HOME"):
        _SAVED[name] = os.environ.get(name)
    os.environ["MMTUTOR_DATA_DIR"] = folder
    os.environ["XDG_CACHE_HOME"] = os.path.join(folder, "xdg-cache")
    config._mmtutor_data_dir = folder
    # Only a measured run that runs tests here gains from the early import: not `pytest
    # book/` under nbval (no coverage, no TensorFlow needed in this process), nor
    # pytest-xdist's controller, which hands the tests to its workers.
    controller = bool(getattr(config.option, "numprocesses", None)) and not hasattr(
        config, "workerinput")
    if getattr(config.option, "cov_source", None) and not controller:
        _import_libraries_untraced()


def pytest_unconfigure(config):
    folder = getattr(config, "_mmtutor_data_dir", None)
    for name, value in _SAVED.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
