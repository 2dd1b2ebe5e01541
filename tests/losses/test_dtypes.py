"""Every loss computes in a float dtype, whatever the inputs' dtypes, and names bad inputs.

Integer, uint8 and boolean inputs are compared with a float64 NumPy loop: a loss that cast one
input to the other's integer dtype would truncate (or, for uint8, wrap around) the values.
"""

import keras
import numpy as np
import pytest

from mmtutor.losses import (
    CategoricalCrossentropy,
    InfoNCE,
    ReconstructionLoss,
    SequenceCrossentropy,
    categorical_crossentropy,
    info_nce,
    reconstruction_loss,
    sequence_crossentropy,
)

EPS = keras.config.epsilon()
INT_DTYPES = ["int32", "int64", "uint8", "bool"]


def reconstruction_reference(x, x_hat):
    x, x_hat = np.asarray(x, np.float64), np.asarray(x_hat, np.float64)
    return sum(((xn - hn) ** 2).sum() for xn, hn in zip(x, x_hat, strict=True)) / len(x)


def info_nce_reference(a, b, temperature, normalize=True):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if normalize:
        a = a / np.linalg.norm(a, axis=1, keepdims=True)
        b = b / np.linalg.norm(b, axis=1, keepdims=True)
    total = 0.0
    for i in range(len(a)):
        row = np.array([a[i] @ b[j] for j in range(len(b))]) / temperature
        col = np.array([b[i] @ a[j] for j in range(len(a))]) / temperature
        total += np.log(np.exp(row).sum()) - row[i] + np.log(np.exp(col).sum()) - col[i]
    return total / (2 * len(a))


def log_probs(p, from_logits):
    p = np.asarray(p, np.float64)
    if from_logits:
        shifted = p - p.max(axis=-1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return np.log(np.clip(p, EPS, 1.0))


def categorical_reference(y, p, from_logits=False):
    y, lp = np.asarray(y, np.float64), log_probs(p, from_logits)
    return float(np.mean([-(yi * li).sum() for yi, li in zip(y, lp, strict=True)]))


def sequence_reference(y, p, from_logits=False):
    y, lp = np.asarray(y, np.float64), log_probs(p, from_logits)
    return float(np.mean([np.mean([-(yt * lt).sum() for yt, lt in zip(yn, ln, strict=True)])
                          for yn, ln in zip(y, lp, strict=True)]))


# uint8 images and float reconstructions: the reviewer's case (truncated predictions).
X = np.array([[0, 3, 1], [5, 1, 0]])
X_HAT = np.array([[0.4, 1.6, 0.2], [3.9, 0.2, 1.7]])


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_reconstruction_loss_of_integer_inputs_matches_float64_reference(dtype):
    x = X.astype(dtype)
    got = reconstruction_loss(x, X_HAT)
    assert got.dtype == "float64"  # x_hat is float64
    assert float(got) == pytest.approx(reconstruction_reference(x, X_HAT), rel=1e-12)
    got32 = reconstruction_loss(x, X_HAT.astype("float32"))
    assert got32.dtype == "float32"
    assert float(got32) == pytest.approx(reconstruction_reference(x, X_HAT), rel=1e-6)


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_reconstruction_loss_of_two_integer_inputs_is_float32_and_never_wraps(dtype):
    # uint8 arithmetic would wrap 0 - 50 around to 206, and 50 ** 2 around to 196.
    big = X * 10 if dtype != "bool" else X
    x, x_hat = big.astype(dtype), big[::-1].astype(dtype)
    got = reconstruction_loss(x, x_hat)
    assert got.dtype == "float32"
    assert float(got) == pytest.approx(reconstruction_reference(x, x_hat), rel=1e-6)
    assert float(ReconstructionLoss()(x, x_hat)) == pytest.approx(float(got), rel=1e-6)


def test_reconstruction_loss_class_of_uint8_inputs_matches_reference():
    x = X.astype("uint8")
    assert float(ReconstructionLoss()(x, X_HAT)) == pytest.approx(
        reconstruction_reference(x, X_HAT), rel=1e-6)


A = np.array([[1, 0, 2], [0, 1, 1], [2, 2, 0]])
B = np.array([[0.6, 0.3, 1.4], [0.2, 0.9, 0.4], [1.1, 0.7, 0.1]])


@pytest.mark.parametrize("normalize", [True, False])
@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_info_nce_of_integer_inputs_matches_float64_reference(dtype, normalize):
    a = A.astype(dtype)
    for first, second in ((a, B), (B, a)):  # the integer input first or second
        got = info_nce(first, second, temperature=0.5, normalize=normalize)
        assert got.dtype == "float64"
        assert float(got) == pytest.approx(
            info_nce_reference(first, second, 0.5, normalize), rel=1e-9)
    b = A[::-1].astype(dtype)
    both = info_nce(a, b, temperature=0.5, normalize=normalize)
    assert both.dtype == "float32"
    assert float(both) == pytest.approx(info_nce_reference(a, b, 0.5, normalize), rel=1e-5)


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_info_nce_class_of_integer_inputs_matches_float64_reference(dtype):
    a, b = A.astype(dtype), A[::-1].astype(dtype)
    got = float(InfoNCE(temperature=0.5)(np.zeros(3), np.stack([a, b], axis=1)))
    assert got == pytest.approx(info_nce_reference(a, b, 0.5), rel=1e-5)


def test_info_nce_with_integer_labels_and_float_embeddings_matches_reference():
    got = info_nce(A.astype("uint8"), B, temperature=0.5, labels=np.arange(3, dtype="uint8"))
    assert float(got) == pytest.approx(info_nce_reference(A, B, 0.5), rel=1e-9)


Y = np.array([[0, 1, 0], [1, 0, 0]])
P = np.array([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]])
LOGITS = np.array([[2, -1, 0], [0, 3, 1]])


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_categorical_crossentropy_of_integer_inputs_matches_float64_reference(dtype):
    y = Y.astype(dtype)
    got = categorical_crossentropy(y, P)
    assert got.dtype == "float64"
    assert float(got) == pytest.approx(categorical_reference(y, P), rel=1e-12)
    # Integer logits, and integer (one-hot) "probabilities" that put 0 on the true class.
    logits = LOGITS.astype("int64" if dtype == "bool" else dtype)
    got = categorical_crossentropy(y, logits, from_logits=True)
    assert got.dtype == "float32"
    assert float(got) == pytest.approx(categorical_reference(y, logits, True), rel=1e-5)
    wrong = Y[::-1].astype(dtype)
    assert float(categorical_crossentropy(y, wrong)) == pytest.approx(
        categorical_reference(y, wrong), rel=1e-5)
    assert float(CategoricalCrossentropy(from_logits=True)(y, logits)) == pytest.approx(
        categorical_reference(y, logits, True), rel=1e-5)
    assert float(CategoricalCrossentropy()(y, wrong)) == pytest.approx(
        categorical_reference(y, wrong), rel=1e-5)


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_sequence_crossentropy_of_integer_inputs_matches_float64_reference(dtype):
    y = np.stack([Y, Y[::-1]]).astype(dtype)  # (2 sequences, 2 steps, 3 classes)
    p = np.stack([P, P[::-1]])
    got = sequence_crossentropy(y, p)
    assert got.dtype == "float64"
    assert float(got) == pytest.approx(sequence_reference(y, p), rel=1e-12)
    logits = np.stack([LOGITS, LOGITS[::-1]]).astype("int64" if dtype == "bool" else dtype)
    got = sequence_crossentropy(y, logits, from_logits=True,
                                mask=np.ones((2, 2), dtype=dtype))
    assert got.dtype == "float32"
    assert float(got) == pytest.approx(sequence_reference(y, logits, True), rel=1e-5)
    assert float(SequenceCrossentropy(from_logits=True)(y, logits)) == pytest.approx(
        sequence_reference(y, logits, True), rel=1e-5)


LOSS_CALLS = {
    "reconstruction_loss": lambda x, y: reconstruction_loss(x, y),
    "ReconstructionLoss": lambda x, y: ReconstructionLoss()(x, y),
    "info_nce": lambda x, y: info_nce(x, y),
    "InfoNCE": lambda x, y: InfoNCE()(x, y),
    "categorical_crossentropy": lambda x, y: categorical_crossentropy(x, y),
    "CategoricalCrossentropy": lambda x, y: CategoricalCrossentropy()(x, y),
    "sequence_crossentropy": lambda x, y: sequence_crossentropy(x, y),
    "SequenceCrossentropy": lambda x, y: SequenceCrossentropy()(x, y),
}
FIRST_ARG = {"reconstruction_loss": "x", "info_nce": "a", "categorical_crossentropy": "y_true",
             "sequence_crossentropy": "y_true"}
SECOND_ARG = {"reconstruction_loss": "x_hat", "info_nce": "b",
              "categorical_crossentropy": "y_pred", "sequence_crossentropy": "y_pred"}


@pytest.mark.parametrize("name", list(LOSS_CALLS))
def test_every_loss_names_a_string_given_for_an_array(name):
    first = FIRST_ARG.get(name, "y_true")
    second = SECOND_ARG.get(name, "y_pred")
    with pytest.raises(TypeError, match=rf"^{name} expects {first} to be a numeric array or "
                       rf"tensor.*Received: {first}='abc' of type str\. Pass a NumPy array"):
        LOSS_CALLS[name]("abc", np.ones((2, 3)))
    with pytest.raises(TypeError, match=rf"^{name} expects {second} to be a numeric array or "
                       rf"tensor.*Received: {second} with dtype <U1 and shape \(2,\)\."):
        LOSS_CALLS[name](np.ones((2, 3)), np.array(["a", "b"]))


@pytest.mark.parametrize("temperature", [np.float32(0.5), np.float64(0.5), np.int64(1), 1])
def test_info_nce_accepts_numpy_numbers_as_temperature(temperature):
    expected = info_nce_reference(A, B, float(temperature))
    assert float(info_nce(A, B, temperature=temperature)) == pytest.approx(expected, rel=1e-9)
    loss = InfoNCE(temperature=temperature)
    assert type(loss.get_config()["temperature"]) is float  # serialisable as JSON


@pytest.mark.parametrize("temperature", [True, "0.1", None])
def test_info_nce_rejects_temperature_that_is_not_a_real_number(temperature):
    with pytest.raises(TypeError, match=r"info_nce expects temperature to be a real number > 0"
                       r"\. Received: temperature=.* of type"):
        info_nce(A, B, temperature=temperature)
    with pytest.raises(TypeError, match=r"InfoNCE expects temperature to be a real number > 0"):
        InfoNCE(temperature=temperature)


@pytest.mark.parametrize("temperature", [0, -0.1, float("nan"), float("inf")])
def test_info_nce_rejects_temperature_out_of_range(temperature):
    with pytest.raises(ValueError, match=r"info_nce expects temperature to be a real number > 0"
                       r"\. Received: temperature=.*\. Typical values lie between 0\.05 and 1"):
        info_nce(A, B, temperature=temperature)
