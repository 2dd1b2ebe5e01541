"""The exercises of mmtutor.exercises.networks: convolution, the GRU step, layer sizes.

The NumPy references the checkers compare with are checked here against Keras's own layers
(``Conv2D``, ``GRUCell``, and ``count_params`` for the sizes); the wrong answers are written
as a learner would write them, independently of the mistake functions inside the package.
"""

import keras
import numpy as np
import pytest
from judging import check

from mmtutor import exercises
from mmtutor.exercises import ____, networks


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


# ---- the references against Keras -----------------------------------------------------------

@pytest.mark.parametrize("image_shape, kernel_shape", [((6, 6), (3, 3)), ((5, 7), (2, 3)),
                                                       ((4, 4), (4, 4)), ((3, 5), (1, 1))])
def test_conv2d_valid_reference_matches_keras_conv2d(image_shape, kernel_shape):
    rng = np.random.default_rng(0)
    image, kernel, bias = rng.normal(size=image_shape), rng.normal(size=kernel_shape), 0.7
    layer = keras.layers.Conv2D(1, kernel_shape, padding="valid")
    layer.build((None, *image_shape, 1))
    layer.set_weights([kernel[:, :, None, None], np.array([bias])])
    expected = keras.ops.convert_to_numpy(layer(image[None, :, :, None].astype("float32")))
    got = networks.conv2d_valid_reference(image, kernel, bias)
    assert got.shape == expected.shape[1:3]
    np.testing.assert_allclose(got, expected[0, :, :, 0], atol=1e-5)


def test_conv2d_valid_reference_is_not_a_flipped_convolution():
    image = np.arange(9.0).reshape(3, 3)
    kernel = np.array([[1.0, 0.0], [0.0, 0.0]])  # picks the top-left pixel of each patch
    np.testing.assert_array_equal(networks.conv2d_valid_reference(image, kernel, 0.0),
                                  [[0.0, 1.0], [3.0, 4.0]])


@pytest.mark.parametrize("batch, features, units", [(3, 4, 5), (1, 2, 3)])
def test_gru_step_reference_matches_keras_gru_cell(batch, features, units):
    rng = np.random.default_rng(1)
    cell = keras.layers.GRUCell(units)  # reset_after=True, Keras's default
    cell.build((None, features))
    kernel, recurrent_kernel, bias = cell.get_weights()
    cell.set_weights([kernel, recurrent_kernel, rng.normal(size=bias.shape)])
    x, h = rng.normal(size=(batch, features)), rng.normal(size=(batch, units))
    expected, _ = cell(x.astype("float32"), [h.astype("float32")])
    got = networks.gru_step_reference(x, h, *cell.get_weights())
    np.testing.assert_allclose(got, keras.ops.convert_to_numpy(expected), atol=1e-5)


def test_layer_sizes_are_those_keras_counts():
    conv = keras.layers.Conv2D(8, 5)
    conv.build((None, 32, 32, 3))
    lstm = keras.layers.LSTM(32)
    lstm.build((None, None, 13))
    gru = keras.layers.GRU(32)
    gru.build((None, None, 13))
    assert networks.conv_parameters.value == conv.count_params()
    assert networks.lstm_parameters.value == lstm.count_params()
    # The wrong value that the hint calls "a GRU" is the GRU's count.
    assert "That is a GRU" in check(networks.lstm_parameters, gru.count_params())


# ---- conv2d_valid ----------------------------------------------------------------------------

def loop_conv(image, kernel, bias, flip=False, transpose=False, with_bias=True):
    kernel = kernel[::-1, ::-1] if flip else kernel
    kernel = kernel.T if transpose else kernel
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel) + (bias if with_bias else 0)
    return out


def test_conv2d_valid_accepts_the_reference_solution_and_a_loop():
    check(networks.conv2d_valid, networks._Solutions.conv2d_valid, "correct")
    check(networks.conv2d_valid, loop_conv, "correct")


def bias_in_every_product(image, kernel, bias):
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel + bias)
    return out


def same_padding(image, kernel, bias):
    kh, kw = kernel.shape
    padded = np.pad(image, ((kh // 2, (kh - 1) // 2), (kw // 2, (kw - 1) // 2)))
    return loop_conv(padded, kernel, bias)


@pytest.mark.parametrize("answer, hint", [
    (lambda x, w, b: loop_conv(x, w, b, flip=True), "You flipped the kernel"),
    (lambda x, w, b: loop_conv(x, w, b, transpose=True), "Your kernel is transposed"),
    (lambda x, w, b: loop_conv(x, w, b, with_bias=False), "You forgot the bias"),
    (bias_in_every_product, "add it once per position"),
    (same_padding, "(H - kh + 1, W - kw + 1), here (4, 4); your function returned shape (6, 6)"),
])
def test_conv2d_valid_names_the_mistake(answer, hint):
    assert hint in check(networks.conv2d_valid, answer)


def test_conv2d_valid_names_an_output_one_row_too_small():
    def conv(image, kernel, bias):
        return loop_conv(image, kernel, bias)[:-1, :-1]  # range(H - kh) instead of H - kh + 1

    assert "Expected output of shape (H - kh + 1, W - kw + 1)" in check(networks.conv2d_valid,
                                                                        conv)


@pytest.mark.parametrize("answer", [____, lambda image, kernel, bias: ____])
def test_conv2d_valid_blank_is_not_attempted(answer):
    def conv(image, kernel, bias):
        out = np.zeros((image.shape[0] - kernel.shape[0] + 1, image.shape[1]
                        - kernel.shape[1] + 1))
        out[0, 0] = ____
        return out

    check(networks.conv2d_valid, answer, "not_attempted")
    check(networks.conv2d_valid, conv, "not_attempted")


def test_conv2d_valid_reports_the_exception_of_an_answer_that_raises():
    def conv(image, kernel, bias):
        return image @ kernel  # shapes (6, 6) and (3, 3) do not multiply

    assert "ValueError" in check(networks.conv2d_valid, conv)


# ---- gru_step ---------------------------------------------------------------------------------

def learner_gru(x, h, kernel, recurrent_kernel, bias, *, swap=False, reset_before=False,
                order="zrh", recurrent_bias=True):
    u = h.shape[1]
    blocks = {g: slice(k * u, (k + 1) * u) for k, g in enumerate(order)}
    c = bias[1] if recurrent_bias else 0 * bias[1]
    z = sigmoid(x @ kernel[:, blocks["z"]] + bias[0, blocks["z"]]
                + h @ recurrent_kernel[:, blocks["z"]] + c[blocks["z"]])
    r = sigmoid(x @ kernel[:, blocks["r"]] + bias[0, blocks["r"]]
                + h @ recurrent_kernel[:, blocks["r"]] + c[blocks["r"]])
    if reset_before:
        recurrent = (r * h) @ recurrent_kernel[:, blocks["h"]] + c[blocks["h"]]
    else:
        recurrent = r * (h @ recurrent_kernel[:, blocks["h"]] + c[blocks["h"]])
    candidate = np.tanh(x @ kernel[:, blocks["h"]] + bias[0, blocks["h"]] + recurrent)
    return (1 - z) * h + z * candidate if swap else z * h + (1 - z) * candidate


def test_gru_step_accepts_the_reference_solution_and_an_independent_one():
    check(networks.gru_step, networks._Solutions.gru_step, "correct")
    check(networks.gru_step, learner_gru, "correct")


@pytest.mark.parametrize("options, hint", [
    ({"swap": True}, "The roles of z and 1 - z are swapped"),
    ({"reset_before": True}, "that is reset_after=False"),
    ({"order": "rzh"}, "in the order z, r, candidate"),
    ({"recurrent_bias": False}, "You left out the recurrent biases"),
])
def test_gru_step_names_the_mistake(options, hint):
    def gru(x, h, kernel, recurrent_kernel, bias):
        return learner_gru(x, h, kernel, recurrent_kernel, bias, **options)

    assert hint in check(networks.gru_step, gru)


def test_gru_step_without_the_reset_gate_gets_a_generic_hint():
    def gru(x, h, kernel, recurrent_kernel, bias):
        u = h.shape[1]
        z = sigmoid(x @ kernel[:, :u] + bias[0, :u] + h @ recurrent_kernel[:, :u] + bias[1, :u])
        candidate = np.tanh(x @ kernel[:, 2 * u:] + bias[0, 2 * u:]
                            + h @ recurrent_kernel[:, 2 * u:] + bias[1, 2 * u:])
        return z * h + (1 - z) * candidate

    message = check(networks.gru_step, gru)
    assert "differ from the reference" in message and "largest difference in h_new" in message


def test_gru_step_blank_and_exception():
    def blank(x, h, kernel, recurrent_kernel, bias):
        z = ____
        return z * h

    def raises(x, h, kernel, recurrent_kernel, bias):
        return x @ recurrent_kernel  # (N, d) @ (u, 3u)

    check(networks.gru_step, blank, "not_attempted")
    check(networks.gru_step, ____, "not_attempted")
    assert "raised ValueError" in check(networks.gru_step, raises)


def test_gru_step_wants_the_new_state_not_the_gates():
    def gru(x, h, kernel, recurrent_kernel, bias):
        return sigmoid(x @ kernel + bias[0] + h @ recurrent_kernel + bias[1])  # (N, 3u)

    assert "Expected h_new of shape (N, u), here (4, 2)" in check(networks.gru_step, gru)


# ---- conceptual, numeric and experiment exercises --------------------------------------------

@pytest.mark.parametrize("exercise, right, wrongs", [
    (networks.conv_parameters, 608, [(600, "forgot the biases"),
                                     (208, "spans every input channel"),
                                     (76, "That is one filter"),
                                     (24584, "image size does not count")]),
    (networks.lstm_parameters, 5888, [(5760, "forgot the biases"),
                                      (1792, "forgot the recurrent weights"),
                                      (1472, "That is one gate")]),
])
def test_layer_size_questions_accept_the_count_and_name_the_wrong_ones(exercise, right, wrongs):
    check(exercise, right, "correct")
    for wrong, hint in wrongs:
        assert hint in check(exercise, wrong)
    check(exercise, ____, "not_attempted")
    assert "not within" in check(exercise, right + 7)


def test_update_gate_question():
    q = networks.update_gate
    check(q, "a", "correct")
    assert "z near 0 in Keras's convention" in check(q, "b")
    assert "reset gate r near 0" in check(q, "d")
    check(q, ____, "not_attempted")
    assert "(a) it keeps almost exactly its previous value" in q.solution().message


def test_half_digit_experiment_wants_a_clearly_lower_accuracy():
    q = networks.half_digit
    assert q.check(0.11, baseline=0.87).status == "correct"
    result = q.check(0.85, baseline=0.87)  # within the margin: not clearly lower
    assert result.status == "incorrect" and "states[:, half - 1]" in result.message
    assert "looks like a percentage" in q.check(11, baseline=0.87).message
    assert q.check(____, baseline=0.87).status == "not_attempted"


def test_hints_are_staged_and_translated():
    q = networks.gru_step
    first, second = q.hint(), q.hint()
    assert "np.split" in first.message and "sigmoid" in second.message
    exercises.set_language("zh")
    assert "卷积核" in check(networks.conv2d_valid, lambda x, w, b: loop_conv(x, w, b, flip=True))
