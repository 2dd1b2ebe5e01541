"""Data sets for the book: embedded, generated, and real ones downloaded with checksums.

- :func:`load_digits`: scikit-learn's bundled 8x8 handwritten digits (offline).
"""

from mmtutor.datasets._digits import load_digits

__all__ = ["load_digits"]
