"""mmtutor: multimodal deep learning, taught by running it.

The package behind the mmtutor book. Every chapter imports it; learners import it in exercises.
Subpackages: ``datasets`` (data), ``layers`` and ``models`` (Keras building blocks), ``losses``
and ``metrics`` (the formulas the book derives), ``impute`` and ``plotting`` (helpers).
"""

__version__ = "0.1.0"
