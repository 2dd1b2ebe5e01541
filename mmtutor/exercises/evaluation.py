"""Exercises on evaluation: macro-F1 in code and by hand, and why it goes beside accuracy.

- :data:`f1_macro`: the learner writes ``f(y_true, y_pred, num_classes)``, checked against
  :func:`mmtutor.metrics.precision_recall_f1` (``average="macro"``, a class absent from both
  arrays counting as F1 = 0);
- :data:`macro_f1_by_hand`: the macro-F1 of a 3-class confusion matrix, as a number;
- :data:`rare_class`: which metric exposes a classifier that ignores a rare class.

Example:
    >>> macro_f1_by_hand.check(0.68).message.startswith("That is the accuracy")
    True

Book: section "sec-evaluation".
"""

from __future__ import annotations

import numpy as np

from mmtutor.exercises import _solutions
from mmtutor.exercises._choice import MultipleChoice, NumericAnswer
from mmtutor.exercises._code import Case, CodeExercise, Mistake
from mmtutor.exercises._language import text
from mmtutor.metrics import precision_recall_f1

__all__ = ["f1_macro", "macro_f1_by_hand", "rare_class"]

_rng = np.random.default_rng(20240604)


def _per_class(y_true, y_pred, num_classes):
    """Precision, recall and F1 of each class (0/0 counted as 0), and each class's support."""
    classes = np.arange(num_classes)[:, None]  # (C, 1)
    tp = np.sum((y_pred == classes) & (y_true == classes), axis=1)  # (C,)
    predicted = np.sum(y_pred == classes, axis=1)  # (C,)
    support = np.sum(y_true == classes, axis=1)  # (C,)
    precision = np.where(predicted > 0, tp / np.maximum(predicted, 1), 0.0)
    recall = np.where(support > 0, tp / np.maximum(support, 1), 0.0)
    total = precision + recall
    f1 = np.where(total > 0, 2 * precision * recall / np.where(total > 0, total, 1), 0.0)
    return precision, recall, f1, support


def _present_only(y_true, y_pred, num_classes):
    f1 = _per_class(y_true, y_pred, num_classes)[2]
    return np.mean(f1[np.union1d(y_true, y_pred)])


def _true_classes_only(y_true, y_pred, num_classes):
    return np.mean(_per_class(y_true, y_pred, num_classes)[2][np.unique(y_true)])


def _f1_of_means(y_true, y_pred, num_classes):
    precision, recall = (m.mean() for m in _per_class(y_true, y_pred, num_classes)[:2])
    return 2 * precision * recall / (precision + recall)


def _weighted(y_true, y_pred, num_classes):
    _, _, f1, support = _per_class(y_true, y_pred, num_classes)
    return np.sum(f1 * support) / np.sum(support)


def _noisy(y_true, num_classes, flip=0.4):
    y_pred = y_true.copy()
    flipped = _rng.random(len(y_true)) < flip
    y_pred[flipped] = _rng.integers(0, num_classes, size=int(flipped.sum()))
    return y_pred


def _cases():
    y1 = _rng.integers(0, 4, size=20)
    y2 = _rng.integers(0, 3, size=30)
    y3 = _rng.integers(0, 4, size=12)  # num_classes=5: class 4 occurs nowhere
    y4 = np.array([0, 1, 2, 2, 1, 0, 2, 1, 0, 0])
    p4 = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1, 0])  # class 2 occurs but is never predicted
    absent = text("NaN for a class absent from both y_true and y_pred: its precision and recall "
                  "are 0/0. Count its F1 as 0 (divide only where the denominator is positive).",
                  "某个类别在 y_true 和 y_pred 中都没有出现，得到了 NaN：它的精确率和召回率都是 "
                  "0/0。"
                  "把它的 F1 记为 0（只在分母为正时才相除）。")
    return [
        Case(text("random labels", "随机标签"), (y1, _noisy(y1, 4), 4)),
        Case(text("random labels", "随机标签"), (y2, _noisy(y2, 3), 3)),
        Case(text("a class that occurs nowhere", "一个哪里都没出现的类别"),
             (y3, _noisy(y3, 4), 5), nan_hint=absent),
        Case(text("a class that is never predicted", "一个从未被预测的类别"), (y4, p4, 3),
             nan_hint=text(
                 "NaN for a class that is never predicted: its precision is 0/0, and then its "
                 "F1 too. Count 0/0 as 0, as scikit-learn's zero_division=0 does.",
                 "某个类别从未被预测，得到了 NaN：它的精确率是 0/0，F1 也随之是 0/0。把 0/0 记为 "
                 "0，"
                 "与 scikit-learn 的 zero_division=0 一致。")),
        Case(text("a batch of one example", "只有一个样本的批次"),
             (np.array([1]), np.array([1]), 3), nan_hint=absent),
    ]


_ABSENT = text(
    "Average over all num_classes classes: a class absent from both y_true and y_pred counts "
    "as F1 = 0 here, it is not left out.",
    "要在全部 num_classes 个类别上取平均：在 y_true 和 y_pred 中都没出现的类别在这里记 F1 = 0，"
    "而不是被排除。")

#: CodeExercise: the learner writes ``f(y_true, y_pred, num_classes)``, checked against
#: :func:`mmtutor.metrics.precision_recall_f1` (``average="macro"``, a class absent from both
#: arrays counting as F1 = 0).
f1_macro = CodeExercise(
    "evaluation.f1_macro",
    reference=lambda y_true, y_pred, num_classes: precision_recall_f1(
        y_true, y_pred, average="macro", num_classes=num_classes)[2],
    solution=_solutions.f1_macro,
    outputs={"f1": "()"},
    cases=_cases(),
    mistakes=[
        Mistake(_ABSENT, same_as=_present_only),
        Mistake(_ABSENT, same_as=_true_classes_only),
        Mistake(text("You computed accuracy (micro-F1 equals accuracy when each example has one "
                     "label): macro-F1 computes F1 per class and averages the classes equally.",
                     "你算的是准确率（每个样本只有一个标签时 micro-F1 等于准确率）：macro-F1 是先对"
                     "每个类别算 F1，再对类别等权平均。"),
                same_as=lambda y_true, y_pred, num_classes: np.mean(y_true == y_pred)),
        Mistake(text("You took the F1 of the averaged precision and recall: compute F1 for each "
                     "class first, then average the F1 values.",
                     "你对平均后的精确率和召回率求了 F1："
                     "应先对每个类别算 F1，再对这些 F1 取平均。"),
                same_as=_f1_of_means),
        Mistake(text("You weighted the classes by their support: macro-F1 gives every class the "
                     "same weight.",
                     "你按支持数（样本数）给类别加权了：macro-F1 中每个类别的权重相同。"),
                same_as=_weighted),
        Mistake(text("You averaged precision (or recall) alone: the F1 of a class is the "
                     "harmonic mean of both, 2PR / (P + R).",
                     "你只平均了精确率（或召回率）："
                     "一个类别的 F1 是两者的调和平均 2PR / (P + R)。"),
                when=lambda args, got, expected: any(
                    np.isclose(got, m.mean()) for m in _per_class(*args)[:2])),
    ],
    question=text(
        "Write f1_macro(y_true, y_pred, num_classes): integer labels of shape (N,). Compute each "
        "class's F1 = 2PR / (P + R), counting 0/0 as 0, and average over all num_classes "
        "classes, including any that occur in neither array (their F1 is 0).",
        "编写 f1_macro(y_true, y_pred, num_classes)：整数标签，形状 (N,)。对每个类别计算 "
        "F1 = 2PR / (P + R)（0/0 记为 0），再在全部 num_classes 个类别上取平均，"
        "包括两个数组中都没出现的"
        "类别（它们的 F1 为 0）。"),
    hints=(
        text("Loop over the classes c = 0 .. num_classes - 1 and count, for each, TP, FP and FN.",
             "对类别 c = 0 .. num_classes - 1 循环，分别数出 TP、FP 和 FN。"),
        text("TP = sum((y_pred == c) & (y_true == c)), FP = sum((y_pred == c) & (y_true != c)), "
             "FN = sum((y_pred != c) & (y_true == c)).",
             "TP = sum((y_pred == c) & (y_true == c))，FP = sum((y_pred == c) & (y_true != c))，"
             "FN = sum((y_pred != c) & (y_true == c))。"),
        text("F1 = 2TP / (2TP + FP + FN) when TP > 0, else 0; then np.mean over all classes.",
             "TP > 0 时 F1 = 2TP / (2TP + FP + FN)，否则为 0；最后对所有类别取 np.mean。"),
    ),
    remark=text(
        "This is mmtutor.metrics.precision_recall_f1(..., num_classes=C)[2]. Each class counts "
        "equally, so a model that ignores a rare class loses a whole 1/C of the score, however "
        "few examples that class has.",
        "这就是 mmtutor.metrics.precision_recall_f1(..., num_classes=C)[2]。每个类别权重相同，"
        "所以忽略某个稀有类别的模型会丢掉整整 1/C 的分数，无论这个类别的样本多么少。"),
)

# Rows: true class, columns: predicted class (scikit-learn's convention).
_MATRIX = "[[8, 1, 3], [1, 6, 3], [0, 0, 3]]"

#: NumericAnswer: the macro-F1 of a 3-class confusion matrix, as a number.
macro_f1_by_hand = NumericAnswer(
    "evaluation.macro_f1_by_hand",
    question=text(
        f"A classifier's confusion matrix on 25 examples is {_MATRIX} (row: true class, column: "
        "predicted class). What is its macro-F1? Give three decimals.",
        f"某分类器在 25 个样本上的混淆矩阵为 {_MATRIX}（行：真实类别，列：预测类别）。它的 "
        f"macro-F1 "
        "是多少？保留三位小数。"),
    value=(16 / 21 + 12 / 17 + 6 / 12) / 3,
    tolerance=5e-3,
    mistakes=[
        (17 / 25, text("That is the accuracy (the diagonal over the total): compute F1 for each "
                       "class, then average.",
                       "这是准确率（对角线之和除以总数）：应对每个类别算 F1，再取平均。")),
        (0.7081, text("That is the support-weighted F1: macro-F1 weighs the three classes "
                      "equally.", "这是按支持数加权的 F1：macro-F1 对三个类别等权。")),
        (0.7230, text("That is the F1 of the mean precision and the mean recall: average the "
                      "per-class F1 values instead.",
                      "这是平均精确率与平均召回率的 F1：应改为对各类别的 F1 取平均。")),
        (0.6931, text("That is the mean precision; F1 combines precision and recall per class.",
                      "这是平均精确率；F1 要在每个类别上结合精确率和召回率。")),
        (0.7556, text("That is the mean recall; F1 combines precision and recall per class.",
                      "这是平均召回率；F1 要在每个类别上结合精确率和召回率。")),
    ],
    working=text(
        "Per class, F1 = 2TP / (2TP + FP + FN): class 0: 16/21 = 0.762, class 1: 12/17 = "
        "0.706, class 2: 6/12 = 0.5 (precision 3/9, recall 3/3). Their mean is 0.656.",
        "每个类别 F1 = 2TP / (2TP + FP + FN)：类别 0：16/21 = 0.762，类别 1：12/17 = 0.706，"
        "类别 2：6/12 = 0.5（精确率 3/9，召回率 3/3）。平均为 0.656。"),
    hints=(
        text("Column sums are the predicted counts (TP + FP), row sums the true counts (TP + FN).",
             "列和是预测数（TP + FP），行和是真实数（TP + FN）。"),
        text("F1 of a class is 2TP / (2TP + FP + FN); average the three values.",
             "一个类别的 F1 是 2TP / (2TP + FP + FN)；对三个值取平均。"),
    ),
    remark=text("Macro-F1 (0.656) is below the accuracy (0.68): class 2 is predicted far too "
                "often, and macro-F1 shows it.",
                "macro-F1（0.656）低于准确率（0.68）："
                "类别 2 被预测得太多，macro-F1 揭示了这一点。"),
)

#: MultipleChoice: which metric exposes a classifier that ignores a rare class.
rare_class = MultipleChoice(
    "evaluation.rare_class",
    question=text("A test set has 90 examples of class 0 and 10 of class 1. Which number exposes "
                  "a model that always predicts class 0?",
                  "测试集中类别 0 有 90 个样本，类别 1 有 10 个。哪个数值能揭示一个总是预测类别 0 "
                  "的模型？"),
    options={"a": text("accuracy", "准确率"), "b": text("micro-F1", "micro-F1"),
             "c": text("macro-F1", "macro-F1"), "d": text("the training loss", "训练损失")},
    answer="c",
    feedback={
        "a": text("Its accuracy is 0.9, which looks good: accuracy is dominated by the frequent "
                  "class.", "它的准确率是 0.9，看起来不错：准确率被多数类别主导。"),
        "b": text("With one label per example micro-F1 equals accuracy, 0.9 here.",
                  "每个样本只有一个标签时 micro-F1 等于准确率，这里是 0.9。"),
        "d": text("The training loss says how well the model fits its training data, not how it "
                  "treats each class on the test set.",
                  "训练损失说明模型对训练数据拟合得如何，而不是它在测试集上如何对待每个类别。"),
    },
    explanation=text("Macro-F1 is (0.947 + 0) / 2 = 0.474: class 1 scores F1 = 0 and counts as "
                     "much as class 0.",
                     "macro-F1 为 (0.947 + 0) / 2 = 0.474："
                     "类别 1 的 F1 为 0，且与类别 0 权重相同。"),
    hints=(text("Compute each number for the always-class-0 model.",
                "对这个总是预测类别 0 的模型，把每个数值都算一算。"),),
    remark=text("Report macro-F1 beside accuracy whenever the classes are imbalanced.",
                "类别不平衡时，要在准确率旁边同时报告 macro-F1。"),
)
