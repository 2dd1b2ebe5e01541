"""Exercises on shared representations: InfoNCE in code, its positives, its temperature.

- :data:`info_nce`: the learner writes ``f(a, b, temperature)``, the symmetric instance
  InfoNCE loss on embeddings it normalizes itself, checked against
  :func:`mmtutor.losses.info_nce` on unnormalized inputs;
- :data:`label_info_nce`: the learner writes ``f(a, b, labels, temperature)``, the
  label-aware InfoNCE (every same-label item of the batch a positive), checked against
  ``mmtutor.losses.info_nce(..., labels=labels)``;
- :data:`info_nce_chance`: the loss when every similarity is equal, log N (a number);
- :data:`instance_positives`: what instance InfoNCE asks of label-paired data (multiple
  choice);
- :data:`temperature`: what a higher temperature does to the loss (multiple choice);
- :data:`prototype_experiment`: snap the chapter's instance-InfoNCE audio queries to class
  prototypes and report class-level recall@1, checked against the chapter's value (it should
  be higher);
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
from mmtutor.exercises._choice import ExperimentAnswer, MultipleChoice, NumericAnswer
from mmtutor.exercises._code import Case, CodeExercise, Mistake
from mmtutor.exercises._inputs import log_softmax, scaled_rows
from mmtutor.exercises._language import text
from mmtutor.losses import info_nce as _info_nce

__all__ = ["info_nce", "info_nce_chance", "instance_positives", "label_info_nce",
           "prototype_experiment", "temperature", "temperature_experiment"]

_rng = np.random.default_rng(20240605)


def _logits(a, b, temperature, normalize_axis=1, scale=None):
    """Similarities over the temperature (or times ``scale`` instead), rows normalized."""
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
#: on embeddings it normalizes itself, checked against :func:`mmtutor.losses.info_nce` on
#: unnormalized inputs.
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
        Mistake(text("The embeddings are not normalized: divide each row of a and b by its L2 "
                     "norm, so that a_i . b_j is the cosine similarity.",
                     "嵌入没有归一化：把 a 和 b 的每一行除以它的 L2 范数，使 a_i . b_j "
                     "成为余弦相似度。"),
                same_as=lambda a, b, t: _symmetric(_logits(a, b, t, normalize_axis=None))),
        Mistake(text("You normalized the columns: each embedding is a row, so normalize over "
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
        "paired with row i of b. Normalize the rows, form s_ij = a_i . b_j / tau, and return the "
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
        text("Normalize with a / np.linalg.norm(a, axis=1, keepdims=True); logits = a @ b.T / "
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
        "This is mmtutor.losses.info_nce, the loss that trains CLIP. Normalizing makes the "
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
    remark=text("The temperature is a knob of training, not of retrieval: dividing every "
                "similarity by the same tau changes no ranking, only how hard the loss pushes "
                "on each negative.",
                "温度是训练的旋钮，而不是检索的旋钮：把所有相似度除以同一个 tau 不会改变任何排序，"
                "只改变损失对每个负样本的推力。"),
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


def _label_logits(a, b, temperature, normalize=True):
    if normalize:
        a = a / np.linalg.norm(a, axis=1, keepdims=True)  # (N, d)
        b = b / np.linalg.norm(b, axis=1, keepdims=True)  # (N, d)
    return a @ b.T / temperature  # (N, N)


def _label_loss(a, b, labels, t, *, normalize=True, divide=True, log_inside=True,
                self_positive=True, directions=(0, 1)):
    """Label-aware InfoNCE with one known mistake switched on (each flag's default is right)."""
    logits = _label_logits(a, b, t, normalize)
    positive = (labels[:, None] == labels[None, :]).astype(float)  # (N, N)
    if not self_positive:
        positive = positive - np.eye(len(labels))
    terms = []
    for direction in directions:  # 0: a_i against every b_j (rows), 1: b_i against every a_j
        log_p = log_softmax(logits if direction == 0 else logits.T, axis=1)  # (N, N)
        if log_inside:
            total = -np.sum(positive * log_p, axis=1)  # (N,)
        else:
            total = -np.log(np.sum(positive * np.exp(log_p), axis=1))  # (N,)
        count = positive.sum(axis=1) if divide and log_inside else 1.0
        terms.append(total / count + (np.log(positive.sum(axis=1)) if not log_inside and divide
                                      else 0.0))
    return np.mean(np.mean(terms, axis=0))


def label_info_nce(a, b, labels, temperature):
    a = a / np.linalg.norm(a, axis=1, keepdims=True)  # (N, d): unit rows
    b = b / np.linalg.norm(b, axis=1, keepdims=True)  # (N, d)
    logits = a @ b.T / temperature  # (N, N): s_ij / tau
    positive = labels[:, None] == labels[None, :]  # (N, N): same label, the diagonal included
    count = positive.sum(axis=1)  # (N,): |P(i)| >= 1

    def log_softmax(z):  # over each row, with the row's maximum subtracted first
        z = z - z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    a_to_b = -np.sum(positive * log_softmax(logits), axis=1) / count  # (N,)
    b_to_a = -np.sum(positive * log_softmax(logits.T), axis=1) / count  # (N,)
    return np.mean(0.5 * (a_to_b + b_to_a))


_label_info_nce_solution = label_info_nce


def _pairs(shape, labels, temperature, low=0.5, high=3.0):
    return (scaled_rows(_rng, shape, low, high), scaled_rows(_rng, shape, low, high),
            np.asarray(labels), temperature)


#: CodeExercise: the learner writes ``f(a, b, labels, temperature)``, the label-aware
#: symmetric InfoNCE (every same-label item of the batch is a positive), checked against
#: ``mmtutor.losses.info_nce(a, b, temperature=temperature, labels=labels)``.
label_info_nce = CodeExercise(
    "shared_representations.label_info_nce",
    reference=lambda a, b, labels, temperature: _info_nce(a, b, temperature=temperature,
                                                          labels=labels),
    solution=_label_info_nce_solution,
    outputs={"loss": "()"},
    cases=[
        Case(text("random embeddings, every label twice or more", "随机嵌入，每个标签至少出现两次"),
             _pairs((8, 3), [0, 1, 2, 0, 1, 2, 0, 1], 0.1)),
        Case(text("every label the same", "所有标签相同"), _pairs((4, 3), [5, 5, 5, 5], 0.2)),
        Case(text("embeddings of very different lengths, labels with repeats",
                  "长度差异很大的嵌入，标签有重复"),
             _pairs((6, 4), [3, 1, 3, 1, 1, 3], 0.5, low=0.01, high=100.0)),
        Case(text("every label different (the instance loss)", "所有标签各不相同（即实例损失）"),
             _pairs((5, 4), [0, 1, 2, 3, 4], 0.5)),
        Case(text("a batch of one pair", "只有一对样本的批次"),
             (_rng.normal(size=(1, 5)), _rng.normal(size=(1, 5)), np.array([7]), 0.1)),
        Case(text("logits of magnitude 1e4 (temperature 1e-4)",
                  "量级为 1e4 的 logits（温度 1e-4）"),
             _pairs((6, 3), [0, 0, 1, 1, 2, 2], 1e-4),
             nan_hint=text(
                 "NaN or infinity for logits of magnitude 1e4: exp overflows. Compute the "
                 "log-softmax with each row's maximum subtracted first (the log-sum-exp trick).",
                 "logits 量级为 1e4 时得到了 NaN 或无穷大：exp 上溢。计算 log-softmax "
                 "时先减去每行的最大值（log-sum-exp 技巧）。")),
    ],
    mistakes=[
        Mistake(text("Only the diagonal counts as a positive here: that is the instance loss. "
                     "Every b_j whose label equals a_i's is a positive, P(i) = {j : y_j = y_i}.",
                     "这里只有对角线算作正样本：那是实例损失。凡是标签与 a_i 相同的 b_j "
                     "都是正样本，P(i) = {j : y_j = y_i}。"),
                same_as=lambda a, b, y, t: _symmetric(_logits(a, b, t))),
        Mistake(text("You summed -log softmax over the positives: average it, dividing row i "
                     "by |P(i)|, its number of positives, so that a row with many same-label "
                     "items does not weigh more.",
                     "你在正样本上对 -log softmax 求和了：应取平均，把第 i 行除以它的正样本数 "
                     "|P(i)|，这样同类样本多的行不会权重更大。"),
                same_as=lambda a, b, y, t: _label_loss(a, b, y, t, divide=False)),
        Mistake(text("You took the log of the positives' total probability, -log sum_p "
                     "softmax: the loss averages -log softmax over the positives (the log "
                     "inside the mean), which asks for every positive to be close, not just one.",
                     "你对正样本概率之和取了 log，即 -log sum_p softmax：这个损失是在正样本上对 "
                     "-log softmax 取平均（log 在平均之内），要求每个正样本都接近，而不只是一个。"),
                same_as=lambda a, b, y, t: _label_loss(a, b, y, t, log_inside=False)),
        Mistake(text("You took the log of the positives' total probability, -log sum_p "
                     "softmax: the loss averages -log softmax over the positives (the log "
                     "inside the mean), which asks for every positive to be close, not just one.",
                     "你对正样本概率之和取了 log，即 -log sum_p softmax：这个损失是在正样本上对 "
                     "-log softmax 取平均（log 在平均之内），要求每个正样本都接近，而不只是一个。"),
                same_as=lambda a, b, y, t: _label_loss(a, b, y, t, log_inside=False,
                                                       divide=False)),
        Mistake(text("The pair itself (j = i) is a positive too: P(i) = {j : y_j = y_i} "
                     "includes i, so every row has at least one positive.",
                     "样本对本身（j = i）也是正样本：P(i) = {j : y_j = y_i} 包含 i，"
                     "因此每一行至少有一个正样本。"),
                same_as=lambda a, b, y, t: _label_loss(a, b, y, t, self_positive=False)),
        Mistake(_ONE_WAY, same_as=lambda a, b, y, t: _label_loss(a, b, y, t, directions=(0,))),
        Mistake(_ONE_WAY, same_as=lambda a, b, y, t: _label_loss(a, b, y, t, directions=(1,))),
        Mistake(text("The embeddings are not normalized: divide each row of a and b by its L2 "
                     "norm, so that a_i . b_j is the cosine similarity.",
                     "嵌入没有归一化：把 a 和 b 的每一行除以它的 L2 范数，使 a_i . b_j "
                     "成为余弦相似度。"),
                same_as=lambda a, b, y, t: _label_loss(a, b, y, t, normalize=False)),
        Mistake(_TEMPERATURE, same_as=lambda a, b, y, t: _label_loss(a, b, y, 1.0)),
    ],
    question=text(
        "Write label_info_nce(a, b, labels, temperature): embeddings a and b of shape (N, d), "
        "row i of each with label labels[i]. Normalize the rows, form s_ij = a_i . b_j / tau, "
        "and return the label-aware symmetric InfoNCE: for each row i, the mean over its "
        "positives P(i) = {j : y_j = y_i} (i included) of -log softmax_j(s_ij), the same over "
        "the columns, both directions averaged, then the mean over i.",
        "编写 label_info_nce(a, b, labels, temperature)：嵌入 a 和 b 的形状为 (N, d)，两者的第 i "
        "行标签都是 labels[i]。先把各行归一化，得到 s_ij = a_i . b_j / tau，再返回带标签的对称 "
        "InfoNCE：对每一行 i，在它的正样本 P(i) = {j : y_j = y_i}（包括 i）上对 "
        "-log softmax_j(s_ij) 取平均，在列上做同样计算，两个方向取平均，最后对 i 取平均。"),
    hints=(
        text("Start from your instance InfoNCE: the only change is which entries of each row "
             "of the log-softmax matrix are targets. There, the diagonal; here, a mask.",
             "从你的实例 InfoNCE 出发：唯一的变化是 log-softmax 矩阵每一行中哪些元素是目标。"
             "那里是对角线，这里是一个掩码。"),
        text("positive = labels[:, None] == labels[None, :] is the (N, N) mask; it is "
             "symmetric, so it serves both directions.",
             "positive = labels[:, None] == labels[None, :] 就是 (N, N) 的掩码；它是对称的，"
             "两个方向都可以用。"),
        text("a_to_b = -(positive * log_softmax(logits)).sum(axis=1) / positive.sum(axis=1); "
             "b_to_a the same with logits.T; loss = mean of 0.5 * (a_to_b + b_to_a).",
             "a_to_b = -(positive * log_softmax(logits)).sum(axis=1) / positive.sum(axis=1)；"
             "b_to_a 用 logits.T 同样计算；loss = 0.5 * (a_to_b + b_to_a) 的平均。"),
    ),
    remark=text(
        "This is mmtutor.losses.info_nce with labels=..., the loss of DualEncoder(positives="
        "'labels'). When every label differs it is the instance loss; its smallest value is "
        "no longer 0 but the mean of log |P(i)|, reached when each row spreads its "
        "probability evenly over its positives.",
        "这就是带 labels=... 的 mmtutor.losses.info_nce，即 DualEncoder(positives='labels') "
        "的损失。标签各不相同时它就是实例损失；它的最小值不再是 0，而是 log |P(i)| 的平均，"
        "在每一行把概率平均分给它的正样本时取到。"),
)

_CHANCE_BATCH = 64

#: NumericAnswer: the instance InfoNCE loss when every similarity is equal, log N for N = 64.
info_nce_chance = NumericAnswer(
    "shared_representations.info_nce_chance",
    question=text(
        f"Before training, a dual encoder's embeddings carry no information, so every "
        f"similarity in the batch is about the same. What is the instance InfoNCE loss when all "
        f"similarities of a batch of N = {_CHANCE_BATCH} pairs are exactly equal? Give it to "
        f"two decimals (natural logarithm, as in the cross-entropy).",
        f"训练之前，双编码器的嵌入不含任何信息，所以批次中的相似度都差不多。当一个包含 "
        f"N = {_CHANCE_BATCH} 对样本的批次中所有相似度完全相等时，实例 InfoNCE 损失是多少？"
        f"保留两位小数（自然对数，与交叉熵相同）。"),
    value=float(np.log(_CHANCE_BATCH)),
    tolerance=5e-3,
    mistakes=[
        (float(_CHANCE_BATCH), text(
            "That is the number of candidates. The loss is -log of the probability the softmax "
            "gives to the right partner.", "这是候选的数量。损失是 softmax 分给正确配对的概率的 "
            "-log。")),
        (1 / _CHANCE_BATCH, text(
            "That is the probability the softmax gives to the right partner; the loss is its "
            "negative logarithm.", "这是 softmax 分给正确配对的概率；损失是它的负对数。")),
        (float(np.log2(_CHANCE_BATCH)), text(
            "That is log base 2. The cross-entropy uses the natural logarithm.",
            "这是以 2 为底的对数。交叉熵用的是自然对数。")),
        (float(2 * np.log(_CHANCE_BATCH)), text(
            "You added the two directions: InfoNCE averages them, and here they are equal.",
            "你把两个方向相加了：InfoNCE 取两者的平均，而这里两者相等。")),
        (float(-np.log(_CHANCE_BATCH)), text(
            "Check the sign: a loss of -log p is positive for p < 1.",
            "检查符号：p < 1 时 -log p 是正数。")),
        (float(np.log(_CHANCE_BATCH - 1)), text(
            "The right partner is one of the N columns of the softmax: count it in the "
            "denominator too.", "正确配对也是 softmax 的 N 列之一：分母里也要算上它。")),
    ],
    working=text(
        f"Equal logits give a uniform softmax: the right partner gets probability 1/N in both "
        f"directions, so the loss is -log(1/N) = log N = log {_CHANCE_BATCH} = "
        f"{np.log(_CHANCE_BATCH):.2f}. A first epoch's loss near this value means the model "
        f"starts from chance.",
        f"相等的 logits 给出均匀的 softmax：两个方向上正确配对的概率都是 1/N，所以损失为 "
        f"-log(1/N) = log N = log {_CHANCE_BATCH} = {np.log(_CHANCE_BATCH):.2f}。第一轮的损失接近"
        f"这个值，说明模型从随机水平起步。"),
    hints=(text("Equal logits make the softmax uniform: what probability does each of the N "
                "candidates get?", "相等的 logits 使 softmax 均匀：N 个候选各得到多少概率？"),),
    remark=text("Compare it with the first epoch of the chapter's training curves: both dual "
                "encoders start at about log 64.",
                "把它和本章训练曲线的第一轮比较：两个双编码器都从大约 log 64 起步。"),
)

#: MultipleChoice: what instance InfoNCE asks of data paired only by label.
instance_positives = MultipleChoice(
    "shared_representations.instance_positives",
    question=text(
        "MultiDigits pairs each image with a recording of the same digit drawn at random. "
        "Trained on it with instance InfoNCE (row i matches row i only), what does the loss "
        "ask of the model that the data cannot teach it?",
        "MultiDigits 把每张图像与随机抽取的同一数字的一段录音配对。用实例 InfoNCE（第 i 行只与"
        "第 i 行匹配）在它上面训练时，损失要求模型做到哪件数据无法教会它的事？"),
    options={
        "a": text("To tell the ten digits apart in both modalities.",
                  "在两种模态中区分十个数字。"),
        "b": text("To rank the recording paired with an image above the other recordings of "
                  "the same digit in the batch, although chance alone decided the pairing.",
                  "把与图像配对的那段录音排在批次中同一数字的其他录音之前，尽管配对完全由随机决定。"),
        "c": text("To reconstruct the image from the audio.", "从音频重建图像。"),
        "d": text("To give every pair the same similarity.", "让每一对样本的相似度都相同。"),
    },
    answer="b",
    feedback={
        "a": text("The data do teach that: a recording and an image of the same digit share "
                  "the label, and telling digits apart lowers the loss.",
                  "数据确实能教会这一点：同一数字的录音和图像有相同的标签，区分数字能降低损失。"),
        "c": text("That is the bimodal autoencoder's task; InfoNCE compares embeddings.",
                  "那是双模态自编码器的任务；InfoNCE 比较的是嵌入。"),
        "d": text("That is the chance level InfoNCE starts from, not what it asks for.",
                  "那是 InfoNCE 起步时的随机水平，而不是它要求的目标。"),
    },
    explanation=text(
        "Two sevens of the batch are, for the instance loss, a positive and a negative, and "
        "nothing but the random pairing tells them apart. On the training set the model can "
        "memorize that pairing (its training loss keeps falling), on new data it cannot (the "
        "validation loss stops falling or rises). The label-aware loss counts every "
        "same-digit item as a positive and asks only for what the data carry.",
        "对实例损失来说，批次中的两个七一个是正样本、一个是负样本，而区分它们的只有随机配对。"
        "在训练集上模型可以记住这种配对（训练损失持续下降），在新数据上则不能（验证损失不再"
        "下降或上升）。带标签的损失把同一数字的所有样本都算作正样本，只要求数据中真正有的信息。"),
    hints=(text("Think of two images of a seven in one batch, and the recording paired with "
                "the first.", "想一想一个批次中两张七的图像，以及与第一张配对的录音。"),),
    remark=text("That is why the chapter trains the label-aware loss beside the instance one.",
                "这就是本章在实例损失之外还训练带标签损失的原因。"),
)

#: ExperimentAnswer: snap the chapter's instance-InfoNCE audio queries to class prototypes and
#: report class-level recall@1, checked against the chapter's value (it should be higher).
prototype_experiment = ExperimentAnswer(
    "shared_representations.prototype_experiment",
    question=text(
        "Without training again: take the chapter's instance-InfoNCE dual encoder, compute the "
        "class prototypes of its training audio and image embeddings "
        "(evaluation.class_prototypes), replace each test audio query by the image prototype "
        "of its nearest audio class (evaluation.snap_to_prototypes with targets=...), and "
        "measure class-level recall@1 from audio to images on the test set. Check it against "
        "the chapter's value: .check(your_recall, baseline=chapter_recall).",
        "不重新训练：取本章用实例 InfoNCE 训练的双编码器，在训练集的音频和图像嵌入上计算类别原型"
        "（evaluation.class_prototypes），把每个测试音频查询换成与它最近的音频类别对应的图像原型"
        "（evaluation.snap_to_prototypes，传入 targets=...），然后在测试集上测量从音频到图像的"
        "类别级 recall@1。与本章的数值比较：.check(your_recall, baseline=chapter_recall)。"),
    expect="higher",
    valid_range=(0.0, 1.0),
    feedback=text(
        "You measured {measured:.4g}, not above the chapter's {baseline:.4g}. Check that the "
        "prototypes come from the training split, that the audio prototypes choose the class "
        "and the image prototypes replace the query (targets=image_prototypes), and that you "
        "used the instance-InfoNCE model.",
        "你测得 {measured:.4g}，没有高于本章的 {baseline:.4g}。请确认原型来自训练集，音频原型"
        "用来选类别而图像原型替换查询（targets=image_prototypes），并且用的是实例 InfoNCE 模型。"),
    explanation=text(
        "A query that lies between two digits retrieves the images that lie between them too. "
        "Snapped to its class's image prototype it retrieves that class's most typical images, "
        "so class-level recall@1 becomes the accuracy of a nearest-prototype classifier of the "
        "audio, which is higher. The label-aware loss builds this class structure into the "
        "space during training; the prototypes add it afterwards (at the price of recall@5: "
        "every query of a class now ranks the gallery alike).",
        "位于两个数字之间的查询也会检索到位于它们之间的图像。换成它所属类别的图像原型后，它检索到"
        "该类最典型的图像，于是类别级 recall@1 就成了音频最近原型分类器的准确率，更高。带标签的"
        "损失在训练时把这种类别结构建进空间；原型则在训练后补上它（代价是 recall@5：同一类的查询"
        "对图库的排序都一样）。"),
    hints=(text("prototypes, classes = evaluation.class_prototypes(train_embeddings, "
                "train_labels), once per modality; then evaluation.snap_to_prototypes(z_audio, "
                "audio_prototypes, targets=image_prototypes).",
                "prototypes, classes = evaluation.class_prototypes(train_embeddings, "
                "train_labels)，每种模态各算一次；然后 evaluation.snap_to_prototypes(z_audio, "
                "audio_prototypes, targets=image_prototypes)。"),),
    remark=text("Class prototypes turn a space trained on pairs into one organized by class.",
                "类别原型把按样本对训练的空间变成按类别组织的空间。"),
)
