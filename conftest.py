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


# Under `pytest --cov`, coverage's tracer is already running when this file loads, and it is
# called on every Python line it sees, even in files it does not measure. Importing
# TensorFlow, Keras and the other third-party libraries runs a great many such lines, so they
# are imported here with the tracer paused and resumed right after (coverage supports
# `sys.settrace(sys.gettrace())`). mmtutor itself is imported later, traced, so its own
# module-level lines still count. Without a tracer (e.g. `pytest book/` under nbval, which
# needs no TensorFlow in this process) nothing is imported early, nor in pytest-xdist's
# controller, which runs no tests.
def _xdist_controller():
    """True in the process that hands tests out to pytest-xdist workers and runs none itself."""
    if "PYTEST_XDIST_WORKER" in os.environ:
        return False
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg in ("-n", "--numprocesses"):
            value = args[i + 1] if i + 1 < len(args) else "0"
        elif arg.startswith("--numprocesses="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-n") and len(arg) > 2:
            value = arg[2:]
        else:
            continue
        return value != "0"  # "-n 0" runs the tests in this process
    return False


_tracer = sys.gettrace()
if _tracer is not None and not _xdist_controller():
    sys.settrace(None)
    try:
        import hypothesis  # noqa: F401
        import keras  # noqa: F401
        import matplotlib.pyplot  # noqa: F401
        import sklearn.metrics  # noqa: F401
        import tensorflow  # noqa: F401
    finally:
        sys.settrace(_tracer)
del _tracer

from hypothesis import settings  # noqa: E402

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


def pytest_unconfigure(config):
    folder = getattr(config, "_mmtutor_data_dir", None)
    for name, value in _SAVED.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
