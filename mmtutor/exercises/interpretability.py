"""Exercises on chapter 5: saliency, modality ablation, scaling laws and a deletion test.

- :data:`linear_saliency`: the learner writes ``f(x, weights, bias, labels)``, the saliency
  ``|d p_y / d x|`` of a linear softmax classifier, checked against TensorFlow's automatic
  differentiation;
- :data:`ablation`: what modality ablation measures (multiple choice);
- :data:`scaling_factor`: by how much a power law in the parameter count lowers the loss when
  the model grows tenfold (a number);
- :data:`deletion_experiment`: the page's attention-fusion model with each test image's most
  salient pixels deleted, against the same number of random pixels deleted (lower).

Example:
    >>> ablation.check("a").message.startswith("That is what the attention weights")
    True

Book: section "sec-trends".
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from mmtutor.exercises._choice import ExperimentAnswer, MultipleChoice, NumericAnswer
from mmtutor.exercises._code import Case, CodeExercise, Mistake
from mmtutor.exercises._language import text

__all__ = ["ablation", "deletion_experiment", "linear_saliency", "scaling_factor"]

_rng = np.random.default_rng(20240605)


def _autodiff_saliency(x, weights, bias, labels):
    """|d p_y / d x| by TensorFlow's automatic differentiation, in float64."""
    x = tf.convert_to_tensor(np.asarray(x, dtype=np.float64))
    with tf.GradientTape() as tape:
        tape.watch(x)
        probabilities = tf.nn.softmax(x @ weights + bias, axis=-1)  # (N, C)
        true_class = tf.gather(probabilities, labels, batch_dims=1)  # (N,)
    return np.abs(tape.gradient(true_class, x).numpy())  # (N, D)


def _softmax(scores):
    scores = scores - scores.max(axis=1, keepdims=True)  # (N, C), largest 0
    exps = np.exp(scores)
    return exps / exps.sum(axis=1, keepdims=True)


def _signed(x, weights, bias, labels):
    p = _softmax(x @ weights + bias)  # (N, C)
    p_y = p[np.arange(len(x)), labels]  # (N,)
    return p_y[:, None] * (weights[:, labels].T - p @ weights.T)  # (N, D)


def solution_linear_saliency(x, weights, bias, labels):
    scores = x @ weights + bias  # (N, C)
    scores = scores - scores.max(axis=1, keepdims=True)  # exp cannot overflow now
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)  # (N, C)
    p_y = p[np.arange(len(x)), labels]  # (N,): probability of the true class
    # d p_y / d x = p_y (w_y - sum_c p_c w_c), the softmax's chain rule
    gradient = p_y[:, None] * (weights[:, labels].T - p @ weights.T)  # (N, D)
    return np.abs(gradient)


def _saliency_cases():
    def case(label, n, d, c, scale=1.0, **hints):
        x = _rng.normal(size=(n, d))
        weights = scale * _rng.normal(size=(d, c))
        bias = _rng.normal(size=c)
        labels = _rng.integers(0, c, size=n)
        return Case(label, (x, weights, bias, labels), **hints)

    return [
        case(text("random inputs, 3 classes", "随机输入，3 个类别"), 6, 5, 3),
        case(text("random inputs, 4 classes", "随机输入，4 个类别"), 5, 8, 4),
        case(text("a batch of one example", "只有一个样本的批次"), 1, 4, 3),
        case(text("scores of magnitude 1e4", "量级为 1e4 的分数"), 4, 5, 3, scale=1e4,
             nan_hint=text("NaN for scores of 1e4: exp(1e4) overflows. Subtract each row's "
                           "largest score before exp; the softmax does not change.",
                           "分数为 1e4 时得到了 NaN：exp(1e4) 溢出了。先减去每行最大的分数再取 "
                           "exp；softmax 的结果不变。")),
    ]


#: CodeExercise: the learner writes ``f(x, weights, bias, labels)``, the saliency
#: ``|d p_y / d x|`` of a linear softmax classifier, checked against TensorFlow's gradient.
linear_saliency = CodeExercise(
    "interpretability.linear_saliency",
    reference=_autodiff_saliency,
    solution=solution_linear_saliency,
    outputs={"saliency": "(N, D)"},
    cases=_saliency_cases(),
    mistakes=[
        Mistake(text("You returned the weights of the true class, the gradient of its score "
                     "s_y. The saliency is the gradient of its probability p_y = softmax(s)_y, "
                     "and the softmax couples every class: d p_y / d x = p_y (w_y - sum_c p_c "
                     "w_c).",
                     "你返回的是真实类别的权重，即其分数 s_y 的梯度。显著性是概率 "
                     "p_y = softmax(s)_y 的梯度，而 softmax 把所有类别联系在一起："
                     "d p_y / d x = p_y (w_y - sum_c p_c w_c)。"),
                same_as=lambda x, w, b, y: np.abs(w[:, y].T)),
        Mistake(text("You left out the factor p_y: the derivative of the softmax is "
                     "d p_y / d s_c = p_y (delta_yc - p_c).",
                     "你漏掉了因子 p_y：softmax 的导数是 d p_y / d s_c = p_y (delta_yc - p_c)。"),
                same_as=lambda x, w, b, y: np.abs(w[:, y].T - _softmax(x @ w + b) @ w.T)),
        Mistake(text("You took the gradient for the predicted class (the argmax); the exercise "
                     "asks for the true class, labels.",
                     "你求的是预测类别（argmax）的梯度；题目要求的是真实类别 labels。"),
                same_as=lambda x, w, b, y: np.abs(_signed(x, w, b, (x @ w + b).argmax(axis=1)))),
        Mistake(text("Your values have the right size but some are negative: the saliency is the "
                     "absolute value of the gradient.",
                     "你的数值大小对了，但有些是负数：显著性是梯度的绝对值。"),
                when=lambda args, got, expected: np.allclose(np.abs(got), expected, rtol=1e-4,
                                                             atol=1e-6)),
        Mistake(text("You divided each example's saliency by its maximum: the chapter does that "
                     "only to draw the maps. Return |d p_y / d x| itself.",
                     "你把每个样本的显著性除以了它的最大值：本章只在画图时这样做。请直接返回 "
                     "|d p_y / d x|。"),
                when=lambda args, got, expected: np.allclose(
                    got, expected / np.maximum(expected.max(axis=1, keepdims=True), 1e-300),
                    rtol=1e-4, atol=1e-6)),
    ],
    question=text(
        "A linear classifier gives scores s = x W + b and probabilities p = softmax(s). Write "
        "linear_saliency(x, weights, bias, labels): x of shape (N, D), weights (D, C), bias "
        "(C,), integer labels (N,). Return the saliency |d p_y / d x| of each example's true "
        "class y, shape (N, D).",
        "一个线性分类器给出分数 s = x W + b 和概率 p = softmax(s)。编写 "
        "linear_saliency(x, weights, bias, labels)：x 形状为 (N, D)，weights 为 (D, C)，bias 为 "
        "(C,)，整数标签 labels 为 (N,)。返回每个样本真实类"
        "别 y 的显著性 |d p_y / d x|，形状 (N, D)。"),
    hints=(
        text("Chain rule: d p_y / d x = sum_c (d p_y / d s_c) (d s_c / d x), and d s_c / d x is "
             "column c of W.",
             "链式法则：d p_y / d x = sum_c (d p_y / d s_c) (d s_c / d x)，而 d s_c / d x 是 W "
             "的第 c 列。"),
        text("The softmax's derivative is d p_y / d s_c = p_y (delta_yc - p_c), so "
             "d p_y / d x = p_y (w_y - sum_c p_c w_c).",
             "softmax 的导数是 d p_y / d s_c = p_y (delta_yc - p_c)，所以 "
             "d p_y / d x = p_y (w_y - sum_c p_c w_c)。"),
        text("In NumPy: p_y[:, None] * (weights[:, labels].T - p @ weights.T), then np.abs; "
             "subtract each row's maximum score before exp.",
             "用 NumPy：p_y[:, None] * (weights[:, labels].T - p @ weights.T)，再取 np.abs；"
             "取 exp 之前先减去每行的最大分数。"),
    ),
    remark=text(
        "This is what tf.GradientTape computes for the chapter's networks, one layer at a time. "
        "The factor p_y shows a limit of gradient saliency: where the model is sure (p_y near "
        "0 or 1) the gradient vanishes, however much the input matters.",
        "这正是 tf.GradientTape 在本章的网络上逐层计算的东西。因子 p_y 揭示了梯度显著性的一个局限："
        "模型很确定时（p_y 接近 0 或 1）梯度消失，无论输入有多重要。"),
)

#: MultipleChoice: what modality ablation measures.
ablation = MultipleChoice(
    "interpretability.ablation",
    question=text(
        "The chapter removes one modality from every test example (through the presence mask) "
        "and measures the trained model's accuracy again. What does the drop in accuracy "
        "measure?",
        "本章从每个测试样本中去掉一个模态（通过存在掩码），再测一次训练好的模型的准确率。准确率的"
        "下降衡量的是什么？"),
    options={
        "a": text("how much attention the model pays to that modality",
                  "模型对该模态投入了多少注意力"),
        "b": text("how much this trained model's decisions depend on that modality",
                  "这个训练好的模型的决策在多大程度上依赖该模态"),
        "c": text("how well that modality alone predicts the label",
                  "该模态单独预测标签的能力"),
        "d": text("how sensitive the output is to a small change of that modality's input",
                  "输出对该模态输入的微小变化有多敏感"),
    },
    answer="b",
    feedback={
        "a": text("That is what the attention weights show, and they need not agree with the "
                  "ablation: a modality can carry a large weight and still be replaceable.",
                  "那是注意力权重所显示的，而它不一定与消融结果一致：一个模态可以权重很大，却仍可被"
                  "替代。"),
        "c": text("That is a single-modality model's accuracy. A modality that predicts well "
                  "alone can cost nothing when removed, if the others carry the same evidence.",
                  "那是单模态模型的准确率。一个单独预测得很好的模态，如果其他模态携带同样的证据，"
                  "去掉它可能毫无损失。"),
        "d": text("That is gradient saliency, a local measure; ablation removes the modality "
                  "altogether.",
                  "那是梯度显著性，一种局部度量；消融则是把整个模态去掉。"),
    },
    explanation=text(
        "Ablation measures what the decision needs: the accuracy this model loses without the "
        "modality. A model trained with every modality present has never learned to do "
        "without one, so the drop also measures its brittleness; modality dropout in training "
        "makes it smaller.",
        "消融衡量的是决策需要什么：这个模型没有该模态时损失的准确率。一个总在全部模态下训练的模型"
        "从未学过如何缺一个模态，所以这个下降也衡量了它的脆弱性；训练时使用模态丢弃可以减小它。"),
    hints=(text("Which of the four changes the input and looks at the decision?",
                "四个选项中，哪一个改变输入并观察决策？"),),
    remark=text("When attention weights and ablation disagree, trust the ablation: it measures "
                "the decision.", "当注意力权重与消融结果不一致时，相信消融：它衡量的是决策。"),
)

_ALPHA = 0.076

#: NumericAnswer: by how much a power law in the parameter count lowers the loss when the
#: model grows tenfold.
scaling_factor = NumericAnswer(
    "interpretability.scaling_factor",
    question=text(
        f"Kaplan et al. fit the test loss of language models as L(N) = (N_c / N)^alpha with "
        f"alpha = {_ALPHA} for N parameters. By what factor L(10 N) / L(N) does the loss change "
        "when the model grows tenfold? Give three decimals.",
        f"Kaplan 等人把语言模型的测试损失拟合为 L(N) = (N_c / N)^alpha，其中 N 是参数量，"
        f"alpha = {_ALPHA}。模型增大到十倍时，损失变为原来的多少倍，即 L(10 N) / L(N)？"
        "保留三位小数。"),
    value=10 ** -_ALPHA,
    tolerance=5e-3,
    mistakes=[
        (1 - _ALPHA, text("That is 1 - alpha, a linear guess: in a power law the ratio is "
                          "(N / 10N)^alpha = 10^(-alpha).",
                          "这是 1 - alpha，一个线性的猜测：幂律中的比值是 "
                          "(N / 10N)^alpha = 10^(-alpha)。")),
        (10 ** _ALPHA, text("The loss grows in your answer: N is in the denominator, so the "
                            "exponent of 10 is negative.",
                            "按你的答案损失变大了：N 在分母上，所以 10 的指数是负的。")),
        (0.1, text("That would be alpha = 1. With alpha = 0.076 a tenfold model lowers the loss "
                   "by far less.", "那相当于 alpha = 1。alpha = 0.076 时，模型增大十倍带来的损失"
                   "下降要小得多。")),
    ],
    working=text(f"L(10 N) / L(N) = (N / 10 N)^alpha = 10^(-{_ALPHA}) = 0.839: about 16 % lower.",
                 f"L(10 N) / L(N) = (N / 10 N)^alpha = 10^(-{_ALPHA}) = 0.839：约降低 16 %。"),
    hints=(text("Write both losses with the formula and divide: N_c cancels.",
                "用公式写出两个损失再相除：N_c 会约掉。"),),
    remark=text("Each tenfold step buys the same factor: on log-log axes a power law is a "
                "straight line, which is how such laws are found. Small exponents are why large "
                "models need so many more parameters for a visible gain.",
                "每增大十倍都带来同样的倍数：在双对数坐标中"
                "幂律是一条直线，人们正是这样发现这类规律的。"
                "指数很小，所以大模型要增加非常多的参数才能看到明显的提升。"),
)

#: ExperimentAnswer: the page's attention-fusion model with each test image's most salient
#: pixels deleted, against the same number of random pixels deleted (it should be lower).
deletion_experiment = ExperimentAnswer(
    "interpretability.deletion_experiment",
    question=text(
        "Deletion test of the chapter's saliency maps: with the attention-fusion model trained "
        "on the page, set each test image's 16 most salient pixels to 0 and measure the test "
        "accuracy; then set 16 random pixels of each image to 0 instead. "
        ".check(accuracy_salient_deleted, baseline=accuracy_random_deleted).",
        "检验本章显著性图的删除测试：用本页训练的注意力融合模型，把每张测试图像最显著的 16 个像素"
        "设为 0，测量测试准确率；再改为把每张图像随机的 16 个像素设为 0。"
        ".check(accuracy_salient_deleted, baseline=accuracy_random_deleted)。"),
    expect="lower",
    valid_range=(0.0, 1.0),
    feedback=text(
        "You measured {measured:.4g} with the salient pixels deleted, not lower than "
        "{baseline:.4g} with random ones. Check that you ranked the pixels by saliency of "
        "each image separately, deleted the largest (np.argsort(...)[:, -16:]), and kept the "
        "audio and the text unchanged.",
        "删除显著像素后你测得 {measured:.4g}，没有低于"
        "删除随机像素时的 {baseline:.4g}。请确认是对每张"
        "图像分别按显著性排序，删除的是最大的那些（np.argso"
        "rt(...)[:, -16:]），并且音频和文本保持不变。"),
    explanation=text(
        "If the saliency map points at the pixels the decision uses, deleting them hurts more "
        "than deleting as many random pixels. A map that fails this test explains nothing, "
        "however plausible it looks.",
        "如果显著性图指向决策所用的像素，删除它们的损害就大于删除同样多的随机像素。通不过这个测试的"
        "显著性图什么也解释不了，无论它看起来多么合理。"),
    hints=(text("Compute the saliency of all test images with one GradientTape, as the page does "
                "for eight.", "像本页对八张图像那样，用一个 GradientTape 计算所有测试图像的"
                "显著性。"),),
    remark=text("This is the idea behind deletion metrics for saliency: a faithful map ranks "
                "the pixels by how much the decision needs them.",
                "这就是显著性删除指标背后的思想：忠实的显著性图按决策对像素的需要程度给像素排序。"),
)
