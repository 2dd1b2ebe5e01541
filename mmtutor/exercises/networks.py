"""Exercises on the networks of chapter 4a: convolution, the GRU and LSTM cells, their sizes.

- :data:`conv2d_valid`: the learner writes ``f(image, kernel, bias)``, a 2-D single-channel
  convolution as Keras's ``Conv2D`` computes it (a sliding dot product, ``padding="valid"``);
- :data:`conv_parameters`: the parameter count of a ``Conv2D`` layer, by formula;
- :data:`gru_step`: ``f(x, h, kernel, recurrent_kernel, bias)``, one step of a GRU in the
  convention of ``keras.layers.GRUCell`` (``reset_after=True``);
- :data:`update_gate`: what an update gate near 1 does (multiple choice);
- :data:`lstm_parameters`: the parameter count of an ``LSTM`` layer, by formula;
- :data:`half_digit`: the page's trained RNN classifying digits from their top rows only,
  checked against its accuracy on whole digits (it should be lower).

The checkers compare with NumPy definitions, :func:`conv2d_valid_reference` and
:func:`gru_step_reference`, which the tests check against ``keras.layers.Conv2D`` and
``keras.layers.GRUCell``.

Example:
    >>> import numpy as np
    >>> def flipped(image, kernel, bias):  # a true convolution: Keras does not flip
    ...     return conv2d_valid_reference(image, kernel[::-1, ::-1], bias)
    >>> conv2d_valid.check(flipped).message.startswith("You flipped the kernel")
    True

Book: section "sec-seed-fixed".
"""

from __future__ import annotations

import numpy as np

from mmtutor.exercises._choice import ExperimentAnswer, MultipleChoice, NumericAnswer
from mmtutor.exercises._code import Case, CodeExercise, Mistake
from mmtutor.exercises._language import text

__all__ = ["conv2d_valid", "conv2d_valid_reference", "conv_parameters", "gru_step",
           "gru_step_reference", "half_digit", "lstm_parameters", "update_gate"]

_RANDOM = text("random inputs", "随机输入")
_rng = np.random.default_rng(20240605)


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow


class _Solutions:
    """Reference solutions as a learner writes them: NumPy only, the exercise's names.

    ``exercise.solution()`` shows their source; the tests check that they pass the checkers.
    """

    def conv2d_valid(image, kernel, bias):
        kh, kw = kernel.shape
        out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))  # "valid": no padding
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                window = image[i:i + kh, j:j + kw]  # (kh, kw): the patch under the kernel
                out[i, j] = np.sum(window * kernel) + bias  # a dot product, kernel not flipped
        return out

    def gru_step(x, h, kernel, recurrent_kernel, bias):
        def sigmoid(a):
            return 1 / (1 + np.exp(-a))

        w_z, w_r, w_h = np.split(kernel, 3, axis=1)  # each (d, u), in Keras's order z, r, h
        u_z, u_r, u_h = np.split(recurrent_kernel, 3, axis=1)  # each (u, u)
        b_z, b_r, b_h = np.split(bias[0], 3)  # input biases, each (u,)
        c_z, c_r, c_h = np.split(bias[1], 3)  # recurrent biases, each (u,)
        z = sigmoid(x @ w_z + b_z + h @ u_z + c_z)  # update gate (N, u)
        r = sigmoid(x @ w_r + b_r + h @ u_r + c_r)  # reset gate (N, u)
        candidate = np.tanh(x @ w_h + b_h + r * (h @ u_h + c_h))  # reset after the matmul
        return z * h + (1 - z) * candidate  # z near 1 keeps the old state


# ---- conv2d_valid: y_ij = sum_kl x_{i+k, j+l} w_kl + b ---------------------------------------

def conv2d_valid_reference(image, kernel, bias):
    """What ``Conv2D(1, kernel.shape, padding="valid")`` computes on one single-channel image.

    Formula:
        y_ij = sum_{k, l} x_{i+k, j+l} w_kl + b   (no flip: a cross-correlation).

    Args:
        image: ``(H, W)``.
        kernel: ``(kh, kw)``.
        bias: a number.

    Returns:
        ``(H - kh + 1, W - kw + 1)``.

    Example:
        >>> conv2d_valid_reference(np.arange(9.0).reshape(3, 3), np.eye(2), 1.0)
        array([[ 5.,  7.],
               [11., 13.]])

    Book: section "sec-seed-fixed".
    """
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)  # (H', W', kh, kw)
    return np.einsum("ijkl,kl->ij", windows, kernel) + bias  # (H', W')


_CONV = {
    "question": text(
        "Write conv2d_valid(image, kernel, bias): slide the kernel (kh, kw) over the image "
        "(H, W) and at every position take the dot product of the kernel with the patch under "
        "it, plus the bias, as keras.layers.Conv2D(1, (kh, kw), padding='valid') does. Return "
        "an array of shape (H - kh + 1, W - kw + 1).",
        "编写 conv2d_valid(image, kernel, bias)：让卷积核 (kh, kw) 在图像 (H, W) 上滑动，在每个位置"
        "计算卷积核与其覆盖的图像块的点积，再加上偏置，与 keras.layers.Conv2D(1, (kh, kw), "
        "padding='valid') 的计算相同。返回形状为 (H - kh + 1, W - kw + 1) 的数组。"),
    "hints": (
        text("The output has one value per position where the whole kernel fits inside the "
             "image: H - kh + 1 rows and W - kw + 1 columns.",
             "卷积核完全落在图像内的每个位置对应一个输出值：共 H - kh + 1 行、W - kw + 1 列。"),
        text("Loop over the output's rows i and columns j; the patch is "
             "image[i:i + kh, j:j + kw].",
             "对输出的行 i 和列 j 循环；对应的图像块是 image[i:i + kh, j:j + kw]。"),
        text("out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel) + bias"),
    ),
    "remark": text(
        "This is what every filter of a Conv2D layer computes; with several input channels the "
        "dot product also runs over the channels. Deep-learning libraries do not flip the "
        "kernel: strictly, they compute a cross-correlation.",
        "这正是 Conv2D 层中每个滤波器的计算；有多个输入通道时，点积也在通道上求和。深度学习库"
        "不翻转卷积核：严格地说，它们计算的是互相关。"),
    "flipped": text(
        "You flipped the kernel, which is the convolution of signal processing. Keras's Conv2D "
        "does not flip it: multiply the patch by the kernel as it is.",
        "你翻转了卷积核，那是信号处理中的卷积。Keras 的 Conv2D 不翻转卷积核：直接用原样的卷积核"
        "乘图像块。"),
    "transposed": text(
        "Your kernel is transposed: kernel[k, l] multiplies image[i + k, j + l], row offset "
        "first.",
        "你的卷积核被转置了：kernel[k, l] 乘的是 image[i + k, j + l]，先是行偏移。"),
    "no_bias": text("You forgot the bias: add it at every position.",
                    "你忘了偏置：要在每个位置加上它。"),
    "bias_per_product": text(
        "You added the bias to every product of the window: add it once per position, after "
        "the sum.",
        "你把偏置加到了窗口中的每个乘积上：每个位置只在求和之后加一次偏置。"),
}


def _conv_cases():
    return [
        Case(_RANDOM, (_rng.normal(size=(6, 6)), _rng.normal(size=(3, 3)), 0.3)),
        Case(text("a rectangular image and kernel", "长方形的图像和卷积核"),
             (_rng.normal(size=(5, 7)), _rng.normal(size=(2, 3)), -0.5)),
        Case(text("a kernel as large as the image", "与图像一样大的卷积核"),
             (_rng.normal(size=(3, 4)), _rng.normal(size=(3, 4)), 1.0)),
        Case(text("a 1x1 kernel", "1x1 的卷积核"),
             (_rng.normal(size=(4, 3)), _rng.normal(size=(1, 1)), 0.0)),
    ]


#: CodeExercise: ``f(image, kernel, bias)``, the "valid" sliding dot product of one
#: single-channel kernel over one image (:func:`conv2d_valid_reference`, as ``Conv2D``).
conv2d_valid = CodeExercise(
    "networks.conv2d_valid",
    reference=conv2d_valid_reference,
    solution=_Solutions.conv2d_valid,
    outputs={"output": "(H - kh + 1, W - kw + 1)"},
    cases=_conv_cases(),
    mistakes=[
        Mistake(_CONV["flipped"],
                same_as=lambda x, w, b: conv2d_valid_reference(x, w[::-1, ::-1], b)),
        Mistake(_CONV["transposed"], same_as=lambda x, w, b: conv2d_valid_reference(x, w.T, b)),
        Mistake(_CONV["no_bias"], same_as=lambda x, w, b: conv2d_valid_reference(x, w, 0.0)),
        Mistake(_CONV["bias_per_product"],
                same_as=lambda x, w, b: conv2d_valid_reference(x, w, b * w.size)),
    ],
    question=_CONV["question"], hints=_CONV["hints"], remark=_CONV["remark"],
)

#: NumericAnswer: the parameters of ``Conv2D(8, 5)`` on RGB images (5 * 5 * 3 * 8 + 8).
conv_parameters = NumericAnswer(
    "networks.conv_parameters",
    question=text(
        "A keras.layers.Conv2D(8, 5) layer (8 filters of 5x5) reads RGB images of shape "
        "(32, 32, 3). How many parameters does it have?",
        "一个 keras.layers.Conv2D(8, 5) 层（8 个 5x5 滤波器）读取形状为 (32, 32, 3) 的 RGB 图像。"
        "它有多少个参数？"),
    value=5 * 5 * 3 * 8 + 8,
    tolerance=0.5,
    mistakes=[
        (5 * 5 * 3 * 8, text("You forgot the biases: one per filter.",
                             "你忘了偏置：每个滤波器一个。")),
        (5 * 5 * 8 + 8, text("Each filter spans every input channel: its kernel is 5 x 5 x 3.",
                             "每个滤波器覆盖所有输入通道：它的卷积核是 5 x 5 x 3。")),
        (5 * 5 * 3 + 1, text("That is one filter; the layer has 8.",
                             "那是一个滤波器的参数；这一层有 8 个。")),
        (32 * 32 * 3 * 8 + 8, text(
            "The image size does not count: the same kernel slides over every position.",
            "图像大小不计入参数：同一个卷积核在所有位置上滑动。")),
    ],
    working=text("Each filter has a 5 x 5 x 3 kernel and one bias: 8 * (75 + 1).",
                 "每个滤波器有一个 5 x 5 x 3 的卷积核和一个偏置：8 * (75 + 1)。"),
    hints=(text("Count one filter first: its kernel covers 5 x 5 pixels in every input channel.",
                "先数一个滤波器：它的卷积核覆盖每个输入通道中的 5 x 5 个像素。"),
           text("kernel_height * kernel_width * input_channels * filters + filters",
                "kernel_height * kernel_width * input_channels * filters + filters")),
    remark=text("The count does not depend on the image's size: that weight sharing is why a "
                "CNN needs far fewer parameters than a dense layer on the same pixels.",
                "参数量与图像大小无关：正是这种权重共享，使 CNN 所需的参数远少于作用在同样像素上"
                "的全连接层。"),
)


# ---- gru_step: Keras's GRUCell, reset_after=True --------------------------------------------

def gru_step_reference(x, h, kernel, recurrent_kernel, bias):
    """One step of ``keras.layers.GRUCell(units)`` (``reset_after=True``) in NumPy.

    Keras stores the gates side by side in the order update ``z``, reset ``r``, candidate.

    Formula:
        z = sigmoid(x W_z + b_z + h U_z + c_z),   r = sigmoid(x W_r + b_r + h U_r + c_r),
        h_cand = tanh(x W_h + b_h + r * (h U_h + c_h)),   h_new = z * h + (1 - z) * h_cand.

    Args:
        x: inputs ``(N, d)``.
        h: previous states ``(N, u)``.
        kernel: ``(d, 3u)``, ``[W_z | W_r | W_h]``.
        recurrent_kernel: ``(u, 3u)``, ``[U_z | U_r | U_h]``.
        bias: ``(2, 3u)``: the input biases ``b`` and the recurrent biases ``c``.

    Returns:
        The new states ``(N, u)``.

    Book: section "sec-seed-fixed".
    """
    u = h.shape[-1]
    from_x = x @ kernel + bias[0]  # (N, 3u)
    from_h = h @ recurrent_kernel + bias[1]  # (N, 3u)
    z = _sigmoid(from_x[:, :u] + from_h[:, :u])  # (N, u)
    r = _sigmoid(from_x[:, u:2 * u] + from_h[:, u:2 * u])  # (N, u)
    candidate = np.tanh(from_x[:, 2 * u:] + r * from_h[:, 2 * u:])  # (N, u)
    return z * h + (1 - z) * candidate


def _gru_variant(*, swap_update=False, reset_before=False, gate_order="zrh",
                 recurrent_bias=True):
    """A GRU step with one of the known mistakes."""
    def step(x, h, kernel, recurrent_kernel, bias):
        u = h.shape[-1]
        parts = {g: slice(k * u, (k + 1) * u) for k, g in enumerate(gate_order)}
        c = bias[1] if recurrent_bias else np.zeros_like(bias[1])
        from_x = x @ kernel + bias[0]  # (N, 3u)
        from_h = h @ recurrent_kernel + c  # (N, 3u)
        z = _sigmoid(from_x[:, parts["z"]] + from_h[:, parts["z"]])
        r = _sigmoid(from_x[:, parts["r"]] + from_h[:, parts["r"]])
        if reset_before:  # reset_after=False: the reset gate scales h before the matmul
            recurrent = (r * h) @ recurrent_kernel[:, parts["h"]] + c[parts["h"]]
        else:
            recurrent = r * from_h[:, parts["h"]]
        candidate = np.tanh(from_x[:, parts["h"]] + recurrent)
        return (1 - z) * h + z * candidate if swap_update else z * h + (1 - z) * candidate
    return step


_GRU = {
    "question": text(
        "Write gru_step(x, h, kernel, recurrent_kernel, bias), one step of "
        "keras.layers.GRUCell(u) with its own weights: x (N, d), h (N, u), kernel (d, 3u), "
        "recurrent_kernel (u, 3u), bias (2, 3u) (row 0 the input biases, row 1 the recurrent "
        "ones). The gates sit side by side in the order update z, reset r, candidate; Keras "
        "applies the reset gate after the recurrent matmul (reset_after=True) and returns "
        "z * h + (1 - z) * candidate.",
        "编写 gru_step(x, h, kernel, recurrent_kernel, bias)，用 keras.layers.GRUCell(u) 自己的权重"
        "计算一步：x (N, d)、h (N, u)、kernel (d, 3u)、recurrent_kernel (u, 3u)、bias (2, 3u)"
        "（第 0 行是输入偏置，第 1 行是循环偏置）。各门并排存放，"
        "顺序为更新门 z、重置门 r、候选状态；"
        "Keras 在循环矩阵乘法之后才施加重置门（reset_after=True），并返回 "
        "z * h + (1 - z) * candidate。"),
    "hints": (
        text("Split kernel, recurrent_kernel and each row of bias into three equal blocks, in "
             "the order z, r, candidate (np.split(..., 3, axis=-1)).",
             "把 kernel、recurrent_kernel 和 bias 的每一行分成三个等大的块，顺序为 z、r、候选状态"
             "（np.split(..., 3, axis=-1)）。"),
        text("z = sigmoid(x W_z + b_z + h U_z + c_z), and r the same with the r blocks.",
             "z = sigmoid(x W_z + b_z + h U_z + c_z)，r 用 r 的块同样计算。"),
        text("candidate = tanh(x W_h + b_h + r * (h U_h + c_h)); the new state is "
             "z * h + (1 - z) * candidate.",
             "candidate = tanh(x W_h + b_h + r * (h U_h + c_h))；新状态为 "
             "z * h + (1 - z) * candidate。"),
    ),
    "remark": text(
        "This is keras.layers.GRUCell, and the cell of the book's audio encoder. The update "
        "gate z interpolates between keeping the old state and taking the candidate, which is "
        "what lets a gradient flow through many steps.",
        "这就是 keras.layers.GRUCell，也是本书音频编码器所用的单元。更新门 z 在保留旧状态与采用候选"
        "状态之间插值，这使梯度能够穿过许多时间步。"),
    "swap_update": text(
        "The roles of z and 1 - z are swapped: in Keras's convention the update gate z weighs "
        "the previous state, h_new = z * h + (1 - z) * candidate (some texts write it the "
        "other way round).",
        "z 与 1 - z 的作用反了：按 Keras 的约定，更新门 z 加权的是先前状态，"
        "h_new = z * h + (1 - z) * candidate（有些教材写法相反）。"),
    "reset_before": text(
        "You applied the reset gate before the recurrent matmul, (r * h) U_h: that is "
        "reset_after=False, the original GRU. Keras's default multiplies afterwards: "
        "r * (h U_h + c_h).",
        "你在循环矩阵乘法之前施加了重置门，(r * h) U_h：那是 reset_after=False，即最初的 GRU。"
        "Keras 默认在之后相乘：r * (h U_h + c_h)。"),
    "gate_order": text(
        "Your update and reset gates come from each other's blocks: Keras stores the gates in "
        "the order z, r, candidate.",
        "你的更新门和重置门取错了块：Keras 按 z、r、候选状态的顺序存放各门。"),
    "recurrent_bias": text(
        "You left out the recurrent biases, bias[1]: with reset_after=True each gate has an "
        "input bias and a recurrent bias.",
        "你漏掉了循环偏置 bias[1]：在 reset_after=True 时，每个门都有一个输入偏置和一个循环偏置。"),
}


def _gru_case(n, d, u, scale=1.0):
    return (scale * _rng.normal(size=(n, d)), np.tanh(_rng.normal(size=(n, u))),
            _rng.normal(size=(d, 3 * u)) / np.sqrt(d), _rng.normal(size=(u, 3 * u)) / np.sqrt(u),
            0.5 * _rng.normal(size=(2, 3 * u)))


#: CodeExercise: ``f(x, h, kernel, recurrent_kernel, bias)``, one step of Keras's GRUCell
#: (:func:`gru_step_reference`).
gru_step = CodeExercise(
    "networks.gru_step",
    reference=gru_step_reference,
    solution=_Solutions.gru_step,
    outputs={"h_new": "(N, u)"},
    cases=[
        Case(_RANDOM, _gru_case(4, 3, 2)),
        Case(_RANDOM, _gru_case(3, 5, 4)),
        Case(text("a batch of one example", "只有一个样本的批次"), _gru_case(1, 2, 3)),
        Case(text("inputs of magnitude 100 (saturated gates)", "幅值为 100 的输入（门饱和）"),
             _gru_case(3, 2, 2, scale=100.0)),
    ],
    mistakes=[
        Mistake(_GRU["swap_update"], same_as=_gru_variant(swap_update=True)),
        Mistake(_GRU["reset_before"], same_as=_gru_variant(reset_before=True)),
        Mistake(_GRU["gate_order"], same_as=_gru_variant(gate_order="rzh")),
        Mistake(_GRU["recurrent_bias"], same_as=_gru_variant(recurrent_bias=False)),
    ],
    question=_GRU["question"], hints=_GRU["hints"], remark=_GRU["remark"],
)

#: MultipleChoice: what a unit does when its update gate is near 1 (Keras's convention).
update_gate = MultipleChoice(
    "networks.update_gate",
    question=text(
        "In a Keras GRU, h_new = z * h + (1 - z) * candidate. At one step, a unit's update "
        "gate is z = 0.99. What happens to that unit?",
        "在 Keras 的 GRU 中，h_new = z * h + (1 - z) * candidate。某一步中，一个单元的更新门 "
        "z = 0.99。这个单元会怎样？"),
    options={
        "a": text("it keeps almost exactly its previous value, whatever the input",
                  "无论输入是什么，它几乎完全保持先前的值"),
        "b": text("it is replaced by the candidate computed from the input",
                  "它被由输入计算出的候选状态替换"),
        "c": text("it is reset to zero", "它被重置为零"),
        "d": text("its candidate ignores the previous state", "它的候选状态忽略先前状态"),
    },
    answer="a",
    feedback={
        "b": text("That happens for z near 0 in Keras's convention (some texts swap z and "
                  "1 - z, so check which one a formula uses).",
                  "按 Keras 的约定，z 接近 0 时才会这样（有些教材交换了 z 与 1 - z，"
                  "请看清公式用的是哪一个）。"),
        "c": text("No gate sets the state to zero: the new state mixes the old one and the "
                  "candidate.",
                  "没有哪个门会把状态设为零：新状态是旧状态与候选状态的混合。"),
        "d": text("That is the reset gate r near 0, which drops h from the candidate.",
                  "那是重置门 r 接近 0 的效果：它把 h 从候选状态中去掉。"),
    },
    explanation=text(
        "With z = 0.99, h_new = 0.99 h + 0.01 candidate: the unit carries its value on to the "
        "next step, which is how a GRU remembers over many steps.",
        "当 z = 0.99 时，h_new = 0.99 h + 0.01 candidate：这个单元把它的值带到下一步，GRU 正是这样"
        "跨越许多步记住信息的。"),
    hints=(text("Put z = 1 into h_new = z * h + (1 - z) * candidate.",
                "把 z = 1 代入 h_new = z * h + (1 - z) * candidate。"),),
    remark=text("A gate near 1 is a path along which the state, and its gradient, pass "
                "unchanged from step to step.",
                "接近 1 的门是一条通路：状态及其梯度沿着它逐步不变地传递。"),
)

#: NumericAnswer: the parameters of ``LSTM(32)`` on 13 features per step (4 * (32 * 45 + 32)).
lstm_parameters = NumericAnswer(
    "networks.lstm_parameters",
    question=text(
        "A keras.layers.LSTM(32) layer reads sequences of 13 features per step (e.g. MFCC "
        "frames). How many parameters does it have?",
        "一个 keras.layers.LSTM(32) 层读取每步 13 个特征的序列（例如 MFCC 帧）。它有多少个参数？"),
    value=4 * (32 * (13 + 32) + 32),
    tolerance=0.5,
    mistakes=[
        (4 * 32 * (13 + 32), text("You forgot the biases: one per unit and gate.",
                                  "你忘了偏置：每个单元、每个门各一个。")),
        (4 * (32 * 13 + 32), text(
            "You forgot the recurrent weights: each gate also reads the previous state h, "
            "32 x 32 weights per gate.",
            "你忘了循环权重：每个门还要读取先前状态 h，每个门有 32 x 32 个权重。")),
        (32 * (13 + 32) + 32, text(
            "That is one gate: an LSTM has four weight blocks (input, forget and output gates "
            "and the candidate).",
            "那只是一个门：LSTM 有四组权重（输入门、遗忘门、输出门和候选状态）。")),
        (3 * (32 * (13 + 32)) + 2 * 3 * 32, text(
            "That is a GRU (three blocks, two biases each with reset_after=True); an LSTM has "
            "four blocks and one bias each.",
            "那是 GRU（三组权重，reset_after=True 时各有两个偏置）；LSTM 有四组，每组一个偏置。")),
    ],
    working=text("Four blocks (input, forget, output, candidate), each with a 13 x 32 kernel, "
                 "a 32 x 32 recurrent kernel and 32 biases: 4 * (13 * 32 + 32 * 32 + 32).",
                 "四组（输入门、遗忘门、输出门、候选状态），每组有一个 13 x 32 的核、"
                 "一个 32 x 32 的循环核和 32 个偏置：4 * (13 * 32 + 32 * 32 + 32)。"),
    hints=(text("Each of the LSTM's four blocks reads the input x and the previous state h.",
                "LSTM 的四组权重都读取输入 x 和先前状态 h。"),
           text("4 * (units * (features + units) + units)",
                "4 * (units * (features + units) + units)")),
    remark=text("The count does not depend on the sequence's length: the same weights are "
                "used at every step.",
                "参数量与序列长度无关：每一步都使用同样的权重。"),
)

#: ExperimentAnswer: the page's RNN classifying validation digits from their top half only,
#: against its accuracy on whole digits.
half_digit = ExperimentAnswer(
    "networks.half_digit",
    question=text(
        "Use the page's trained RNN on the validation digits, but stop reading halfway: "
        "classify each digit from its hidden state after the first half of the rows "
        "(states[:, half - 1] in the page's notation, half = steps // 2) with the RNN's dense "
        "layer. Check its accuracy against the accuracy after all rows: "
        ".check(accuracy_half, baseline=accuracy_all).",
        "用本页训练好的 RNN 处理验证集数字，但只读到一半：用读完前一半行之后的隐藏状态"
        "（按本页的记号是 states[:, half - 1]，half = steps // 2）和 RNN 的全连接层对每个数字分类。"
        "把它的准确率与读完所有行后的准确率比较：.check(accuracy_half, baseline=accuracy_all)。"),
    expect="lower",
    margin=0.05,
    valid_range=(0.0, 1.0),
    feedback=text(
        "You measured {measured:.4g}, not lower than {baseline:.4g}{by}. Check that the "
        "state you classify is the one after the first half of the rows, "
        "states[:, half - 1] in the page's notation, and that the baseline uses the last "
        "state, states[:, -1].",
        "你测得 {measured:.4g}，没有比 {baseline:.4g} 更低{by}。请确认你分类所用的是读完前一半行"
        "之后的状态（按本页的记号是 states[:, half - 1]），且基准用的是最后的状态 states[:, -1]。"),
    explanation=text(
        "The RNN was trained to decide after the last row; halfway down, a 7 and a 9, or a "
        "3 and an 8, still look alike, and its state has not seen what tells them apart.",
        "这个 RNN 被训练成在最后一行之后作决定；读到一半时，7 和 9、3 和 8 看起来仍然相似，它的状态"
        "还没见到区分它们的部分。"),
    hints=(text("Keep the trained weights; only read fewer rows.",
                "保持训练好的权重不变；只是少读几行。"),),
    remark=text("The plot of the hidden state over the rows shows the same: the state keeps "
                "changing until the last rows.",
                "隐藏状态随行变化的图也说明了这一点：状态一直变化到最后几行。"),
)
