"""Exercises on shared representations: InfoNCE in code, and what its temperature does.

- :data:`info_nce`: the learner writes ``f(a, b, temperature)``, the symmetric instance
  InfoNCE loss on embeddings it normalises itself, checked against
  :func:`mmtutor.losses.info_nce` on unnormalised inputs;
- :data:`temperature`: what a higher temperature does to the loss (multiple choice);
- :data:`temperature_experiment`: retrain the dual encoder at temperature 1.0 and report
  class-level recall@1, checked against the chapter's value (it should be lower).

Example:
    >>> temperature.check("b").status
    'correct'

Book: section "sec-shared-representations".
"""

from __future__ import annotations

import numpy as np

from mmtutor.exercises import _solutions
from mmtutor.exercises._choice import ExperimentAnswer, MultipleChoice
from mmtutor.exercises._code import Case, CodeExercise, Mistake
from mmtutor.exercises._inputs import log_softmax, scaled_rows
from mmtutor.exercises._language import text
from mmtutor.losses import info_nce as _info_nce

__all__ = ["info_nce", "temperature", "temperature_experiment"]

_rng = np.random.default_rng(20240605)


def _logits(a, b, temperature, normalize_axis=1, scale=None):
    """Similarities over the temperature (or times ``scale`` instead), rows normalised."""
    if normalize_axis is not None:
        a = a / np.linalg.norm(a, axis=normalize_axis, keepdims=True)
        b = b / np.linalg.norm(b, axis=normalize_axis, keepdims=True)
    return a @ b.T * scale if scale is not None else a @ b.T / temperature  # (N, N)


def _directions(logits):
    """Per-example loss a -> b (softmax over each row) and b -> a (over each column)."""
    a_to_b = -np.diag(log_softmax(logits, axis=1))  # (N,)
    b_to_a = -np.diag(log_softmax(logits, axis=0))  # (N,)
    return a_to_b, b_to_a


def _symmetric(logits):
    a_to_b, b_to_a = _directions(logits)
    return np.mean(0.5 * (a_to_b + b_to_a))


_ONE_WAY = text(
    "You computed one direction only: InfoNCE here is symmetric. Average the loss of a picking "
    "its b among all b (softmax over each row of the similarity matrix) and of b picking its a "
    "(softmax over each column).",
    "你只算了一个方向：这里的 InfoNCE 是对称的。要把 a 在所有 b 中找出自己的 "
    "b（在相似度矩阵的每一行上"
    "做 softmax）和 b 找出自己的 a（在每一列上做 softmax）这两个损失取平均。")
_TEMPERATURE = text("Divide the similarities by the temperature: s_ij / tau.",
                    "要把相似度除以温度：s_ij / tau。")

#: CodeExercise: the learner writes ``f(a, b, temperature)``, the symmetric instance InfoNCE loss
#: on embeddings it normalises itself, checked against :func:`mmtutor.losses.info_nce` on
#: unnormalised inputs.
info_nce = CodeExercise(
    "shared_representations.info_nce",
    reference=lambda a, b, temperature: _info_nce(a, b, temperature=temperature),
    solution=_solutions.info_nce,
    outputs={"loss": "()"},
    cases=[
        Case(text("random embeddings", "随机嵌入"),
             (scaled_rows(_rng, (4, 3), 0.5, 3.0), scaled_rows(_rng, (4, 3), 0.5, 3.0), 0.1)),
        Case(text("embeddings of very different lengths", "长度差异很大的嵌入"),
             (scaled_rows(_rng, (6, 4), 0.01, 100.0), scaled_rows(_rng, (6, 4), 0.01, 100.0),
              0.5)),
        Case(text("a batch of one pair", "只有一对样本的批次"),
             (_rng.normal(size=(1, 5)), _rng.normal(size=(1, 5)), 0.1)),
        Case(text("logits of magnitude 1e4 (temperature 1e-4)",
                  "量级为 1e4 的 logits（温度 1e-4）"),
             (scaled_rows(_rng, (5, 3), 0.5, 3.0), scaled_rows(_rng, (5, 3), 0.5, 3.0), 1e-4),
             nan_hint=text(
                 "NaN or infinity for logits of magnitude 1e4: exp overflows. Compute the "
                 "log-softmax with each row's maximum subtracted first (the log-sum-exp trick).",
                 "logits 量级为 1e4 时得到了 NaN 或无穷大：exp 上溢。计算 log-softmax "
                 "时先减去每行的"
                 "最大值（log-sum-exp 技巧）。")),
    ],
    mistakes=[
        Mistake(_ONE_WAY, same_as=lambda a, b, t: np.mean(_directions(_logits(a, b, t))[0])),
        Mistake(_ONE_WAY, same_as=lambda a, b, t: np.mean(_directions(_logits(a, b, t))[1])),
        Mistake(text("You added the two directions: average them, 0.5 * (a_to_b + b_to_a).",
                     "你把两个方向相加了：应取平均，0.5 * (a_to_b + b_to_a)。"),
                same_as=lambda a, b, t: np.mean(np.sum(_directions(_logits(a, b, t)), axis=0))),
        Mistake(text("The embeddings are not normalised: divide each row of a and b by its L2 "
                     "norm, so that a_i . b_j is the cosine similarity.",
                     "嵌入没有归一化：把 a 和 b 的每一行除以它的 L2 范数，使 a_i . b_j "
                     "成为余弦相似度。"),
                same_as=lambda a, b, t: _symmetric(_logits(a, b, t, normalize_axis=None))),
        Mistake(text("You normalised the columns: each embedding is a row, so normalise over "
                     "axis=1 (keepdims=True).",
                     "你归一化的是列：每个嵌入是一行，所以应在 axis=1 上归一化（keepdims=True）。"),
                same_as=lambda a, b, t: _symmetric(_logits(a, b, t, normalize_axis=0))),
        Mistake(_TEMPERATURE, same_as=lambda a, b, t: _symmetric(_logits(a, b, t, scale=t))),
        Mistake(_TEMPERATURE, same_as=lambda a, b, t: _symmetric(_logits(a, b, t, scale=1.0))),
        Mistake(text("You summed over the pairs: average over the batch.",
                     "你在样本对上求和了：应在批次上取平均。"),
                same_as=lambda a, b, t: np.sum(0.5 * np.add(*_directions(_logits(a, b, t))))),
    ],
    question=text(
        "Write info_nce(a, b, temperature): embeddings a and b of shape (N, d), row i of a "
        "paired with row i of b. Normalise the rows, form s_ij = a_i . b_j / tau, and return the "
        "symmetric InfoNCE loss: the mean over i of -log softmax over j of s_ij at j = i, and the "
        "same over the columns, averaged.",
        "编写 info_nce(a, b, temperature)：嵌入 a 和 b 的形状为 (N, d)，a 的第 i 行与 b 的第 i 行"
        "配对。先把各行归一化，得到 s_ij = a_i . b_j / tau，再返回对称 InfoNCE 损失：对 i 求平均的"
        "-log softmax_j(s_ij) 在 j = i 处的值，与在列上做同样计算的结果，两者取平均。"),
    hints=(
        text("The loss is a cross-entropy whose targets are the diagonal of the N x N similarity "
             "matrix: once over its rows (a finds b), once over its columns (b finds a).",
             "这个损失是以 N x N 相似度矩阵的对角线为目标的交叉熵：在行上算一次（a 找 b），"
             "在列上算一次（b 找 a）。"),
        text("Normalise with a / np.linalg.norm(a, axis=1, keepdims=True); logits = a @ b.T / "
             "temperature; a stable log-softmax subtracts each row's maximum first.",
             "用 a / np.linalg.norm(a, axis=1, keepdims=True) 归一化；logits = a @ b.T / "
             "temperature；"
             "稳定的 log-softmax 先减去每行的最大值。"),
        text("loss = 0.5 * (mean of -diag(log_softmax(logits)) + mean of "
             "-diag(log_softmax(logits.T))).",
             "loss = 0.5 * (-diag(log_softmax(logits)) 的平均 + -diag(log_softmax(logits.T)) "
             "的平均)。"),
    ),
    remark=text(
        "This is mmtutor.losses.info_nce, the loss that trains CLIP. Normalising makes the "
        "similarities cosines in [-1, 1], so the temperature alone sets how sharp the softmax is.",
        "这就是 mmtutor.losses.info_nce，训练 CLIP 的损失。归一化使相似度成为 [-1, 1] 内的余弦，"
        "于是 softmax 的尖锐程度完全由温度决定。"),
)

#: MultipleChoice: what a higher temperature does to the loss (multiple choice).
temperature = MultipleChoice(
    "shared_representations.temperature",
    question=text("InfoNCE divides the cosine similarities by a temperature tau before the "
                  "softmax. What does a higher temperature do?",
                  "InfoNCE 在 softmax 之前把余弦相似度除以温度 tau。温度升高会怎样？"),
    options={
        "a": text("It sharpens the softmax, so the loss concentrates on the hardest negatives.",
                  "使 softmax 更尖锐，损失集中在最难的负样本上。"),
        "b": text("It flattens the softmax, so the loss weighs the negatives more evenly and "
                  "separates a pair from its negatives less sharply.",
                  "使 softmax 更平缓，损失对各个负样本的权重更平均，把正样本对与负样本分开得不那么"
                  "明显。"),
        "c": text("Nothing: cosine similarities already lie in [-1, 1].",
                  "没有影响：余弦相似度本来就在 [-1, 1] 之间。"),
        "d": text("It adds negatives to each batch.", "为每个批次增加负样本。"),
    },
    answer="b",
    feedback={
        "a": text("That is a lower temperature: dividing by a small tau magnifies the "
                  "differences between the similarities.",
                  "那是降低温度的效果：除以较小的 tau 会放大相似度之间的差异。"),
        "c": text("Dividing by tau rescales the logits, and softmax changes under scaling (it is "
                  "only invariant to shifts).",
                  "除以 tau 会缩放 logits，而 softmax 在缩放下会改变（它只对平移不变）。"),
        "d": text("The negatives are the other pairs of the batch; only the batch size changes "
                  "their number.", "负样本是批次中的其他样本对；只有批次大小能改变它们的数量。"),
    },
    explanation=text(
        "The logits s_ij / tau of a high temperature differ little, so the softmax over the "
        "batch stays flat: every negative gets a similar share of the gradient, and the hard "
        "negatives (similar-looking pairs) are pushed away no harder than the easy ones.",
        "温度高时 logits s_ij / tau 之间差别很小，批次上的 softmax 保持平缓："
        "每个负样本分到的梯度差不多，"
        "难负样本（看起来相似的样本对）不会比容易的负样本被推得更远。"),
    hints=(text("Compare softmax([1, 0.5]) with softmax([1, 0.5] / 10).",
                "比较 softmax([1, 0.5]) 与 softmax([1, 0.5] / 10)。"),),
    remark=text("The chapter's exercise measures it: at temperature 1.0 class-level recall@1 "
                "drops.", "本章的练习会测出这一点：温度为 1.0 时类别级 recall@1 下降。"),
)

#: ExperimentAnswer: retrain the dual encoder at temperature 1.0 and report class-level recall@1,
#: checked against the chapter's value (it should be lower).
temperature_experiment = ExperimentAnswer(
    "shared_representations.temperature_experiment",
    question=text(
        "Train the chapter's dual encoder again with temperature=1.0 and measure class-level "
        "recall@1 from audio to images on the test set. Check it against the chapter's value: "
        ".check(your_recall, baseline=chapter_recall).",
        "用 temperature=1.0 重新训练本章的双编码器，在测试集上测量从音频到图像的类别级 recall@1。"
        "与本章的数值比较：.check(your_recall, baseline=chapter_recall)。"),
    expect="lower",
    valid_range=(0.0, 1.0),
    feedback=text(
        "You measured {measured:.4g}, not below the chapter's {baseline:.4g}. Check that you "
        "passed temperature=1.0 to the dual encoder and trained it again from scratch; with one "
        "seed, try a second one.",
        "你测得 {measured:.4g}，没有低于本章的 {baseline:.4g}。请确认把 temperature=1.0 "
        "传给了双编码器"
        "并从头重新训练；只用了一个随机种子的话，再试一个。"),
    explanation=text(
        "At temperature 1 the logits are cosines in [-1, 1]: the softmax over the batch stays "
        "nearly flat even for well-aligned pairs, so the loss keeps pushing on every negative "
        "alike and the digits cluster less tightly; recall@1 falls.",
        "温度为 1 时 logits 就是 [-1, 1] 内的余弦：即使样本对已经对齐，批次上的 softmax "
        "也几乎是平的，"
        "损失对每个负样本施加差不多的推力，各数字聚得不够紧；recall@1 因此下降。"),
    hints=(text("Change only the temperature; keep the seed, the data and the epochs.",
                "只改温度；保持随机种子、数据和训练轮数不变。"),),
    remark=text("A high temperature flattens the softmax, and retrieval suffers.",
                "高温度使 softmax 变平，检索效果随之变差。"),
)
