"""Fixtures shared by the unit tests under tests/, and the ``scale`` marker."""

import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "scale: data-parallel, precision and XLA tests, most in fresh processes (two "
        "logical CPUs, two workers); `make scale` runs them, `make unit` leaves them out",
    )


@pytest.fixture
def compile_built():
    """Return a function that compiles a built model and creates its optimizer's variables.

    Left to itself, Keras (TensorFlow backend) creates the optimizer's slot variables while
    tracing the first training step, and ``tf.function`` then traces that step a second time
    without creating them. For the tiny models of these tests the doubled trace is most of the
    cost of ``fit``. Building the optimizer first, as Keras itself does under a distribution
    strategy, gives the same training (the slots start at zero either way) with one trace.
    The model must already be built, so ``trainable_variables`` lists every weight.
    """

    def compile_built(model, **compile_options):
        assert model.built, "build the model (call it once) before compile_built"
        model.compile(**compile_options)
        model.optimizer.build(model.trainable_variables)
        return model

    return compile_built
