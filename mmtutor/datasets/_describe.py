"""Descriptions of the data sets, shipped as package data (``descr/*.md``)."""

from __future__ import annotations

from importlib import resources

from mmtutor._validation import check_option

DESCRIPTIONS = ("digits", "multidigits", "mnist", "fsdd")


def describe(name):
    """Return the description of a data set: source, licence, citation, how it is made,
    shapes and dtypes, splits and (for MultiDigits) the calibration numbers.

    Args:
        name: ``"digits"``, ``"multidigits"``, ``"mnist"`` or ``"fsdd"``.

    Returns:
        The description as Markdown text.

    Raises:
        ValueError: for an unknown name.

    Example:

    >>> describe("fsdd").splitlines()[0]
    '# Free Spoken Digit Dataset (FSDD)'

    Book: section "sec-data".
    """
    check_option("describe", "name", name, DESCRIPTIONS)
    return resources.files("mmtutor.datasets").joinpath("descr", f"{name}.md").read_text(
        encoding="utf-8")
