"""Exercises on chapter 6: features, robustness and evaluation (macro-F1 in code and by hand).

- :data:`standardize_log_mel`: the learner writes ``f(train_audio, audio)``, each mel bin
  standardized with the training split's statistics (checked against NumPy, equal to
  ``keras.layers.Normalization`` adapted on the training split);
- :data:`missing_audio_experiment`: the fused model trained with modality dropout, without the
  audio, against the one trained on complete data (higher);
- :data:`precision_recall`: the learner writes ``f(y_true, y_pred, num_classes)``, each class's
  precision and recall, checked against :func:`mmtutor.metrics.precision_recall_f1`;
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

import dataclasses

import numpy as np

from mmtutor.exercises import _solutions
from mmtutor.exercises._choice import ExperimentAnswer, MultipleChoice, NumericAnswer
from mmtutor.exercises._code import Case, CodeExercise, Mistake
from mmtutor.exercises._language import text
from mmtutor.metrics import precision_recall_f1

__all__ = ["f1_macro", "macro_f1_by_hand", "missing_audio_experiment", "precision_recall",
           "rare_class", "standardize_log_mel"]

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


def _log_mel_like(n, frames, bins, shift=0.0):
    """Random clips shaped like log-mel features: each bin its own level, many values < 0."""
    levels = _rng.normal(0.0, 2.0, size=bins) + shift  # (bins,)
    spread = _rng.uniform(0.5, 2.0, size=bins)  # (bins,)
    return levels + spread * _rng.normal(size=(n, frames, bins))  # (n, frames, bins)


def standardize_reference(train_audio, audio):
    """Each mel bin standardized with the training split's mean and standard deviation."""
    mean = train_audio.mean(axis=(0, 1))  # (bins,): over examples and frames
    std = train_audio.std(axis=(0, 1))  # (bins,)
    return (audio - mean) / std


def solution_standardize_log_mel(train_audio, audio):
    # One mean and one standard deviation per mel bin, from the training split only.
    mean = train_audio.mean(axis=(0, 1))  # (bins,): over examples and frames
    std = train_audio.std(axis=(0, 1))  # (bins,)
    return (audio - mean) / std  # (N, frames, bins), broadcast over the last axis


def _standardize_cases():
    train = _log_mel_like(20, 12, 4)
    train2 = _log_mel_like(16, 9, 6)
    return [
        Case(text("log-mel clips, 4 mel bins", "对数梅尔片段，4 个梅尔频带"),
             (train, _log_mel_like(6, 12, 4, shift=1.0))),
        Case(text("log-mel clips, 6 mel bins", "对数梅尔片段，6 个梅尔频带"),
             (train2, _log_mel_like(5, 9, 6, shift=-1.0))),
        Case(text("a test split of one clip", "只有一个片段的测试集"),
             (train, _log_mel_like(1, 12, 4, shift=0.5))),
        Case(text("test clips with another number of frames", "帧数不同的测试片段"),
             (train, _log_mel_like(3, 7, 4)),
             hint=text("Compute one mean and one standard deviation per mel bin (the last "
                       "axis): they must not depend on the number of frames.",
                       "每个梅尔频带（最后一个轴）计算一个均值和一个标准差：它们不应依赖帧数。")),
    ]


_TEST_STATS = text(
    "You computed the statistics on the split you transform. Take them from the training "
    "split only: the test split stands for data the model has never seen, and a test set of "
    "one clip has no statistics worth the name.",
    "你在要变换的那个数据划分上计算了统计量。只能从训练集计算：测试集代表模型从未见过的数据，"
    "而且只有一个片段的测试集根本谈不上统计量。")

#: CodeExercise: the learner writes ``f(train_audio, audio)``, standardizing each mel bin of
#: ``audio`` with the training split's mean and standard deviation.
standardize_log_mel = CodeExercise(
    "evaluation.standardize_log_mel",
    reference=standardize_reference,
    solution=solution_standardize_log_mel,
    outputs={"standardized": "(N, frames, mel_bins)"},
    cases=_standardize_cases(),
    mistakes=[
        Mistake(text("You divided by the maximum. Log-mel values are logarithms of energies: "
                     "they are negative wherever the energy is below 1, and their zero means "
                     "nothing, so x / max neither maps them to [0, 1] nor centers them. "
                     "Subtract each mel bin's training mean and divide by its training "
                     "standard deviation.",
                     "你除以了最大值。对数梅尔值是能量的对数：能"
                     "量小于 1 的地方它们都是负数，而且它们的"
                     "零点没有意义，所以 x / max 既不能把它们"
                     "映射到 [0, 1]，也不能把它们中心化。请减去"
                     "每个梅尔频带在训练集上的均值，再除以其训练集上的标准差。"),
                same_as=lambda train, x: x / train.max()),
        Mistake(text("You used min-max scaling: one loud or silent frame sets the range, and "
                     "test values fall outside [0, 1] anyway. Standardize instead: subtract each "
                     "mel bin's training mean, divide by its training standard deviation.",
                     "你用了最小-最大缩放：一个很响或很静的帧就决"
                     "定了范围，而且测试值仍会落在 [0, 1] "
                     "之外。请改为标准化：减去每个梅尔频带的训练均值，再除以其训练标准差。"),
                when=lambda args, got, expected: any(
                    np.allclose(got, (args[1] - lo) / (hi - lo), rtol=1e-4, atol=1e-6)
                    for lo, hi in [(args[0].min(axis=(0, 1)), args[0].max(axis=(0, 1))),
                                   (args[0].min(), args[0].max()),
                                   (args[1].min(axis=(0, 1)), args[1].max(axis=(0, 1))),
                                   (args[1].min(), args[1].max())])),
        Mistake(_TEST_STATS, same_as=lambda train, x: standardize_reference(x, x)),
        Mistake(text("You used one mean and one standard deviation for all mel bins: each bin "
                     "has its own level (low frequencies carry more energy), so compute them "
                     "per bin, over examples and frames: axis=(0, 1).",
                     "你对所有梅尔频带只用了一个均值和一个标准"
                     "差：每个频带有自己的水平（低频能量更多），"
                     "所以要按频带、在样本和帧上计算：axis=(0, 1)。"),
                same_as=lambda train, x: (x - train.mean()) / train.std()),
        Mistake(text("Wrong axis: you standardized each frame across the mel bins (or each clip "
                     "on its own). Standardize each mel bin over the training examples and "
                     "frames: mean and std with axis=(0, 1).",
                     "轴选错了：你在梅尔频带之间标准化了每一帧"
                     "（或者单独标准化了每个片段）。应在训练集的"
                     "样本和帧上标准化每个梅尔频带：mean 和 std 用 axis=(0, 1)。"),
                when=lambda args, got, expected: any(
                    np.allclose(got, (args[1] - args[1].mean(axis=a, keepdims=True))
                                / args[1].std(axis=a, keepdims=True), rtol=1e-4, atol=1e-6)
                    for a in [-1, 1, (1, 2)])),
        Mistake(text("You subtracted the mean but did not divide by the standard deviation: "
                     "the bins keep their own spreads.",
                     "你减去了均值，但没有除以标准差：各频带仍保留各自的离散程度。"),
                same_as=lambda train, x: x - train.mean(axis=(0, 1))),
        Mistake(text("Use the population standard deviation (ddof=0, NumPy's default), as "
                     "Keras's Normalization and BatchNormalization layers do.",
                     "请使用总体标准差（ddof=0，NumPy 的默认值），与 Keras 的 Normalization 和 "
                     "BatchNormalization 层一致。"),
                same_as=lambda train, x: (x - train.mean(axis=(0, 1)))
                / train.std(axis=(0, 1), ddof=1)),
    ],
    question=text(
        "Write standardize_log_mel(train_audio, audio): log-mel features of shape (N, frames, "
        "mel_bins). Return audio with each mel bin standardized by the mean and the standard "
        "deviation of that bin over the training split's examples and frames.",
        "编写 standardize_log_mel(train_audio, audio)：对数梅尔特征，形状为 (N, frames, "
        "mel_bins)。返回标准化后的 audio：每个梅尔频带用该频带在训练集所有样本和帧上的均值和标准差"
        "进行标准化。"),
    hints=(
        text("Statistics come from train_audio only, and there is one mean per mel bin.",
             "统计量只来自 train_audio，并且每个梅尔频带一个均值。"),
        text("mean = train_audio.mean(axis=(0, 1)) has shape (mel_bins,); the same for std.",
             "mean = train_audio.mean(axis=(0, 1)) 的形状是 (mel_bins,)；std 也一样。"),
        text("Return (audio - mean) / std: broadcasting applies the bin's statistics to every "
             "frame.", "返回 (audio - mean) / std：广播会把频带的统计量应用到每一帧。"),
    ),
    remark=text(
        "This is what keras.layers.Normalization(axis=-1) computes after adapt(train_audio), "
        "and what the encoders' BatchNormalization learns. Standardized features have no "
        "bounds: a model that must reproduce them needs a linear output, not a sigmoid.",
        "这正是 keras.layers.Normalization(axis=-1) 在 adapt(train_audio) 之后的计算，也是编码器中 "
        "BatchNormalization 学到的东西。标准"
        "化后的特征没有上下界：需要重建它们的模型应使用线性输出，"
        "而不是 sigmoid。"),
)


def solution_precision_recall(y_true, y_pred, num_classes):
    precision, recall = [], []
    for c in range(num_classes):
        tp = np.sum((y_pred == c) & (y_true == c))
        predicted = np.sum(y_pred == c)  # TP + FP: how often the model says c
        actual = np.sum(y_true == c)  # TP + FN: how many c there are
        precision.append(tp / predicted if predicted > 0 else 0.0)  # 0/0 counts as 0
        recall.append(tp / actual if actual > 0 else 0.0)
    return np.array(precision), np.array(recall)


def _over_n(args, got, expected):
    y_true, y_pred, num_classes = args
    tp = np.array([np.sum((y_pred == c) & (y_true == c)) for c in range(num_classes)])  # (C,)
    return any(np.allclose(g, tp / len(y_true)) for g in got)


_ZERO_DIVISION = text(
    "NaN for a class that is never predicted (or never occurs): its precision (or recall) is "
    "0/0. Count it as 0, as scikit-learn's zero_division=0 does.",
    "某个类别从未被预测（或从未出现），得到了 NaN：它的精确率（或召回率）是 0/0。把它记为 0，"
    "与 scikit-learn 的 zero_division=0 一致。")


def _precision_recall_cases():
    return [dataclasses.replace(case, nan_hint=_ZERO_DIVISION) for case in _cases()]


def _swapped(args, got, expected):
    return np.allclose(got[0], expected[1]) and np.allclose(got[1], expected[0])


#: CodeExercise: the learner writes ``f(y_true, y_pred, num_classes)``, each class's precision
#: and recall, checked against :func:`mmtutor.metrics.precision_recall_f1` (``average=None``).
precision_recall = CodeExercise(
    "evaluation.precision_recall",
    reference=lambda y_true, y_pred, num_classes: precision_recall_f1(
        y_true, y_pred, average=None, num_classes=num_classes)[:2],
    solution=solution_precision_recall,
    outputs={"precision": "(C,)", "recall": "(C,)"},
    cases=_precision_recall_cases(),
    mistakes=[
        Mistake(text("Precision and recall are swapped: precision divides TP by how often the "
                     "model predicts c (TP + FP), recall by how many examples of c there are "
                     "(TP + FN).",
                     "精确率和召回率弄反了：精确率是 TP 除以模型预测"
                     "为 c 的次数（TP + FP），召回率是 TP "
                     "除以类别 c 的真实样本数（TP + FN）。"),
                when=_swapped),
        Mistake(text("You divided TP by the number of examples N: precision divides by the "
                     "predicted count of the class, recall by its true count.",
                     "你把 TP 除以了样本总数 N：精确率应除"
                     "以该类别被预测的次数，召回率应除以它的真实"
                     "数量。"),
                when=_over_n),
    ],
    question=text(
        "Write precision_recall(y_true, y_pred, num_classes): integer labels of shape (N,). "
        "Return two arrays of shape (num_classes,): each class's precision TP / (TP + FP) and "
        "recall TP / (TP + FN), counting 0/0 as 0.",
        "编写 precision_recall(y_true, y_pred, num_classes)：整数标签，形状 (N,)。返回两个形状为 "
        "(num_classes,) 的数组：每个类别的精确率 TP / (TP"
        " + FP) 和召回率 TP / (TP + FN)，0/0 记为 0。"),
    hints=(
        text("TP + FP is how often the model predicts c; TP + FN is how many examples of c "
             "there are.", "TP + FP 是模型预测为 c 的次数；TP + FN 是类别 c 的样本数。"),
        text("Divide only where the denominator is positive, e.g. tp / predicted if predicted "
             "> 0 else 0.0.", "只在分母为正时相除，例如 tp / predicted"
                              " if predicted > 0 else 0.0。"),
    ),
    remark=text(
        "These are the columns of a confusion matrix read two ways: precision divides its "
        "diagonal by the column sums, recall by the row sums.",
        "这是从两个方向读混淆矩阵：精确率用对角线除以列和，召回率用对角线除以行和。"),
)


#: ExperimentAnswer: the page's fused model trained with modality dropout, evaluated without
#: the audio, against the same architecture trained on complete data (higher).
missing_audio_experiment = ExperimentAnswer(
    "evaluation.missing_audio_experiment",
    question=text(
        "The chapter measures its two intermediate-fusion models, trained with and without "
        "modality dropout, with images missing. Measure both with the audio missing from every "
        "test example instead (impute.remove_modality(test.inputs, 'audio') marks it absent) and "
        ".check(accuracy_with_dropout, baseline=accuracy_without_dropout).",
        "本章在缺少图像时测量了两个中间融合模型（训练时使用和不使用模态丢弃）。改为在每个测试样本都"
        "缺少音频时测量两者（impute.remove_modality(test.inputs, 'audio') 把音频标记为缺失），然后 "
        ".check(accuracy_with_dropout, baseline=accuracy_without_dropout)。"),
    expect="higher",
    valid_range=(0.0, 1.0),
    feedback=text(
        "You measured {measured:.4g} for the model trained with modality dropout, not higher "
        "than {baseline:.4g} without it. Check that the audio is marked absent in both "
        "evaluations and that the baseline is the model trained on complete data.",
        "你测得使用模态丢弃训练的模型为 {measured:.4g}"
        "，没有高于不使用时的 {baseline:.4g}。请确认两次"
        "评估中音频都被标记为缺失，并且基准是在完整数据上训练的模型。"),
    explanation=text(
        "Trained while modalities were hidden at random, the model learned to predict from "
        "image and text alone; the model trained on complete data never saw a clip missing.",
        "训练时模态被随机隐藏，模型学会了只凭图像和文本预测；在完整数据上训练的模型从未见过缺失的"
        "音频。"),
    hints=(text("Reuse the two trained models; change only the test inputs.",
                "复用两个训练好的模型；只改变测试输入。"),),
    remark=text("Modality dropout buys robustness to whichever modality goes missing, not only "
                "the one you tested first.",
                "模态丢弃带来的稳健性适用于任何缺失的模态，而不只是你最先测试的那个。"),
)
