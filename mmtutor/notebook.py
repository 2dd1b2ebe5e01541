"""Hand a number a chapter's cell computed to the chapter's prose.

The book's sentences never type a measured number: a cell computes it and :func:`glue` names
it, and the markdown inserts it with myst-nb's ``glue:text`` role when the book is
built. In Colab or plain Jupyter, where myst-nb is not installed, :func:`glue` does nothing:
the cell prints its numbers anyway.
"""

from __future__ import annotations

from mmtutor import _validation as v

__all__ = ["glue"]


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
