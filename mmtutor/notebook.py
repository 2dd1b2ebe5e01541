"""What the chapters need beside the models: numbers for the prose, source, model checks.

- :func:`glue`: the book's sentences never type a measured number: a cell computes it and
  :func:`glue` names it, and the markdown inserts it with myst-nb's ``glue:text`` role when
  the book is built. In Colab or plain Jupyter, where myst-nb is not installed, it does
  nothing: the cell prints its numbers anyway.
- :func:`show_source`: print a package function's or class's code, without its docstring,
  where a chapter reads the implementation.
- :func:`compare_models`: a chapter builds a model in plain Keras, then shows that the
  package's model is the same one: same parameters, same outputs on the same weights.
"""

from __future__ import annotations

import dataclasses
import inspect
import re

import numpy as np

from mmtutor import _validation as v

__all__ = ["ModelComparison", "compare_models", "glue", "show_source"]


def glue(name: str, value) -> None:
    """Keep ``value`` under ``name`` for the page's prose (myst-nb's ``glue``, not displayed).

    Args:
        name: the name the markdown refers to, e.g. ``"best_single_accuracy"``.
        value: what the sentence shows: a number, or a string already formatted (format
            here what the sentence needs, e.g. ``f"{accuracy:.2f}"``).

    Raises:
        TypeError: if ``name`` is not a string.

    Example:
        >>> glue("fusion_gain", "12.5")  # the prose then shows it with the glue:text role

    Book: section "sec-background".
    """
    v.check_type("glue", "name", name, str, "a string")
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # Colab, plain Jupyter: nothing reads the value
        return
    myst_glue(name, value, display=False)


_DOCSTRING = re.compile(r'(:\n)([ \t]*)(?:"""|\'\'\')[\s\S]*?(?:"""|\'\'\')[ \t]*\n')


def show_source(obj) -> None:
    """Print the source code of a function, method or class, without its docstring.

    Args:
        obj: a function, method or class (of ``mmtutor`` or any module with source on disk).

    Raises:
        TypeError: if ``obj`` has no source code (a built-in, a number, an instance).

    Example:
        >>> from mmtutor.losses import reconstruction_loss
        >>> show_source(reconstruction_loss)  # doctest: +ELLIPSIS
        def reconstruction_loss(...

    Book: section "sec-formulas".
    """
    try:
        source = inspect.getsource(obj)
    except (TypeError, OSError) as error:
        raise TypeError(v.message(
            "show_source", "a function, method or class whose source is on disk",
            f"{type(obj).__name__} {obj!r:.60}",
            "Pass the function or class itself, not an instance or the result of a call",
        )) from error
    print(_DOCSTRING.sub(r"\1", inspect.cleandoc("\n" + source) if source[:1].isspace()
                         else source, count=1).rstrip())


@dataclasses.dataclass(frozen=True)
class ModelComparison:
    """What :func:`compare_models` found: parameter counts and the largest output difference.

    Book: section "sec-multimodal-classifier".
    """

    plain_parameters: int
    package_parameters: int
    max_abs_difference: float
    atol: float

    @property
    def same(self) -> bool:
        """True when the parameter counts are equal and the outputs agree within ``atol``."""
        return (self.plain_parameters == self.package_parameters
                and self.max_abs_difference <= self.atol)

    def __str__(self) -> str:
        verdict = "the same model" if self.same else "NOT the same model"
        return (f"{verdict}: {self.plain_parameters:,} parameters (plain Keras) and "
                f"{self.package_parameters:,} (package); largest output difference "
                f"{self.max_abs_difference:.2e} (tolerance {self.atol:g})")


def _outputs(model, inputs) -> list[np.ndarray]:
    import keras

    result = model(inputs, training=False)
    return [np.asarray(keras.ops.convert_to_numpy(x), dtype=np.float64)
            for x in keras.tree.flatten(result)]


def _path_in(model, weight) -> str:
    """A weight's path without the model's own name (a subclassed model prefixes it)."""
    return weight.path.removeprefix(f"{model.name}/")


def compare_models(plain, package, inputs, *, atol: float = 1e-5) -> ModelComparison:
    """Copy ``package``'s weights into ``plain`` and compare their parameters and outputs.

    A chapter builds a model layer by layer in plain Keras, then checks it is the package's
    model: the weights are copied by name when the two models name their layers alike (the
    same set of variable paths, e.g. ``image_conv_1/kernel``), otherwise in order (as
    ``plain.set_weights(package.get_weights())``); both models then run on ``inputs`` in
    inference mode, and every output is compared (dicts and lists are flattened in key
    order).

    Args:
        plain: the model the chapter built, already built (called once, or functional).
        package: the package's model, already built.
        inputs: what both models take: an array, or a dict keyed by modality.
        atol: the largest absolute output difference still counted as equal.

    Returns:
        A :class:`ModelComparison`; ``.same`` says whether both checks passed.

    Raises:
        ValueError: if the two models' weights differ in number or in shape (the message
            names the first mismatch), or their outputs differ in number or shape.

    Example:
        >>> import keras, numpy as np
        >>> a = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> b = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> compare_models(a, b, np.ones((4, 3), "float32")).same
        True

    Book: section "sec-multimodal-classifier".
    """
    theirs, ours = package.weights, plain.weights
    by_path = {_path_in(package, w): w for w in theirs}
    if len(by_path) == len(theirs) and set(by_path) == {_path_in(plain, w) for w in ours}:
        theirs = [by_path[_path_in(plain, w)] for w in ours]  # same names: match by name
    if len(theirs) != len(ours):
        raise ValueError(v.message(
            "compare_models", "two models with the same number of weight tensors",
            f"{len(ours)} in plain ({plain.name}) and {len(theirs)} in package "
            f"({package.name})",
            "Build every layer the package's model has, and call both models once first"))
    for index, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
        if tuple(mine.shape) != tuple(other.shape):
            raise ValueError(v.message(
                "compare_models", "weights of the same shapes, matched by name or in order",
                f"weight {index}: {mine.path} {tuple(mine.shape)} in plain, {other.path} "
                f"{tuple(other.shape)} in package",
                "Name the layers as the package does (package.weights lists its weights), "
                "or create them in the same order"))
    for mine, other in zip(ours, theirs, strict=True):
        mine.assign(other)
    mine, other = _outputs(plain, inputs), _outputs(package, inputs)
    if len(mine) != len(other) or any(
            a.shape != b.shape for a, b in zip(mine, other, strict=True)):
        raise ValueError(v.message(
            "compare_models", "two models with outputs of the same shapes",
            f"{[a.shape for a in mine]} from plain and {[b.shape for b in other]} from package",
            "Return the same outputs, in the same order, from the plain model"))
    difference = max((float(np.max(np.abs(a - b))) if a.size else 0.0)
                     for a, b in zip(mine, other, strict=True))
    return ModelComparison(plain.count_params(), package.count_params(), difference, atol)
