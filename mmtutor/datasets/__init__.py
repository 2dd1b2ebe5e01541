"""Data sets for the book: embedded, generated, and real ones downloaded with checksums.

- :func:`load_digits`: scikit-learn's bundled 8x8 handwritten digits (offline).
- :func:`load_multidigits`: each digit seen, heard and described: images, synthetic speech
  and captions, paired by label (offline, generated in seconds).
- :func:`log_mel_spectrogram`: the audio features shared by synthetic and real speech.
"""

from mmtutor.datasets._digits import load_digits
from mmtutor.datasets._features import log_mel_spectrogram
from mmtutor.datasets._multidigits import (
    MultiDigits,
    MultiDigitsSplit,
    load_multidigits,
)

__all__ = [
    "MultiDigits",
    "MultiDigitsSplit",
    "load_digits",
    "load_multidigits",
    "log_mel_spectrogram",
]
