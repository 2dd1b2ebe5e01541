"""Data sets for the book: embedded, generated, and real ones downloaded with checksums.

- :func:`load_digits`: scikit-learn's bundled 8x8 handwritten digits (offline).
- :func:`load_multidigits`: each digit seen, heard and described: images, synthetic speech
  and captions, paired by label (offline, generated in seconds).
- :func:`load_mnist`, :func:`load_fsdd`: real handwritten and spoken digits, downloaded once
  and verified by SHA-256 (or read from a local folder).
- :func:`log_mel_spectrogram`: the audio features shared by synthetic and real speech;
  :func:`synthesize_speech`: the speech synthesizer behind the audio of MultiDigits.
- :func:`to_dataset`: a split as a shuffled, batched ``tf.data.Dataset`` (data-parallel
  training reads it).
- :func:`describe`: the description (provenance, licence, shapes) of a data set.
"""

from mmtutor.datasets._describe import describe
from mmtutor.datasets._digits import load_digits
from mmtutor.datasets._features import log_mel_spectrogram
from mmtutor.datasets._mnist import load_mnist
from mmtutor.datasets._multidigits import (
    MultiDigits,
    MultiDigitsSplit,
    load_multidigits,
)
from mmtutor.datasets._pipeline import to_dataset
from mmtutor.datasets._real import FSDD, FSDDSplit, load_fsdd
from mmtutor.datasets._speech import synthesize_speech

__all__ = [
    "FSDD",
    "FSDDSplit",
    "MultiDigits",
    "MultiDigitsSplit",
    "describe",
    "load_digits",
    "load_fsdd",
    "load_mnist",
    "load_multidigits",
    "log_mel_spectrogram",
    "synthesize_speech",
    "to_dataset",
]
