"""Exercises on chapters 1 and 2: modalities, complementary errors, late fusion, shared spaces.

Chapter 1 (:ref:`sec-background`, :ref:`sec-late-fusion`):

- :data:`late_fusion_mean`: ``f(probabilities, present)``, the mean of the per-modality
  probabilities over each example's present modalities (the package's late fusion,
  ``FusionClassifier(fusion="late")``);
- :data:`late_fusion_product`: ``f(probabilities, present)``, the normalized product of the
  present modalities' probabilities (the sum of their log-probabilities, then a softmax);
- :data:`independent_errors`: the accuracy two classifiers with independent errors reach when
  the pair is wrong only where both are (a number to compute);
- :data:`liang_quantification`: which of Liang, Zadeh and Morency's six challenges a page that
  measures each modality's contribution works on (multiple choice);
- :data:`broken_image_experiment`: with the validation images shuffled across examples, the
  product's accuracy against the mean's (it should be lower).

Chapter 2 (:ref:`sec-core-concepts`):

- :data:`cosine_similarity`: ``f(queries, candidates)``, the cross-modal cosine similarity
  matrix (:func:`mmtutor.metrics.similarity_matrix`);
- :data:`cca_directions`: how many canonical directions can carry shared information when two
  modalities are paired only through ten classes (a number);
- :data:`liang_transference`: which challenge an image-trained classifier that reads speech
  works on (multiple choice);
- :data:`cca_directions_experiment`: speech-to-image recall@1 with twenty CCA directions
  instead of nine (it should be lower).

Example:
    >>> import numpy as np
    >>> def my_mean(probabilities, present):
    ...     return probabilities.mean(axis=1)  # forgets the missing modalities
    >>> late_fusion_mean.check(my_mean).message.startswith("A missing modality")
    True

Book: section "sec-late-fusion".
"""

from __future__ import annotations

import numpy as np
from keras import ops

from mmtutor.exercises._choice import ExperimentAnswer, MultipleChoice, NumericAnswer
from mmtutor.exercises._code import Case, CodeExercise, Mistake
from mmtutor.exercises._inputs import scaled_rows, softmax
from mmtutor.exercises._language import text
from mmtutor.metrics import similarity_matrix
from mmtutor.models._fusion_heads import late_fusion as _package_late_fusion

__all__ = [
    "broken_image_experiment",
    "cca_directions",
    "cca_directions_experiment",
    "cosine_similarity",
    "independent_errors",
    "late_fusion_mean",
    "late_fusion_product",
    "liang_quantification",
    "liang_transference",
]

_rng = np.random.default_rng(20261203)
_RANDOM = text("random inputs", "随机输入")
_BATCH_OF_ONE = text("a batch of one example", "只有一个样本的批次")


# ---- inputs of the late fusion exercises: probabilities (N, M, C), presence (N, M) ----------

def _probabilities(n, m, c, sharpness=1.5):
    return softmax(sharpness * _rng.normal(size=(n, m, c)))  # (N, M, C), rows sum to 1


def _present(n, m):
    present = _rng.random((n, m)) < 0.6  # (N, M)
    present[np.arange(n), _rng.integers(0, m, size=n)] = True  # at least one per example
    present[0] = True  # the first example keeps every modality
    present[-1] = np.arange(m) == m - 1  # the last keeps only the last modality
    return present


def _with_zeros(probabilities):
    """Exact zeros for about a third of the classes, never for all of a class's modalities."""
    p = probabilities.copy()
    zero = _rng.random(p.shape) < 0.3  # (N, M, C)
    zero[:, :, 0] = False  # class 0 keeps a nonzero probability in every modality
    p[zero] = 0.0
    return p / p.sum(axis=-1, keepdims=True)


def _late_cases():
    p_missing, p_zeros = _probabilities(6, 3, 4), _with_zeros(_probabilities(5, 3, 6))
    return [
        Case(text("every modality present", "所有模态都在"),
             (_probabilities(4, 3, 5), np.ones((4, 3), dtype=bool))),
        Case(text("some modalities missing", "部分模态缺失"), (p_missing, _present(6, 3)),
             hint=text("Check the examples with a missing modality (present[n, m] False): only "
                       "the present modalities count, and each example's result sums to 1.",
                       "检查有模态缺失的样本（present[n, m] 为 False）：只计入存在的模态，"
                       "且每个样本的结果之和为 1。"),
             nan_hint=text("NaN where a modality is missing: a missing modality must drop out "
                           "(weight 0 in the mean, a factor 1, i.e. log-probability 0, in the "
                           "product), not zero every class.",
                           "模态缺失处出现 NaN：缺失的模态应当被去掉（均值中权重为 0，乘积中因子为 "
                           "1，即对数概率为 0），而不是把每个类别都变成 0。")),
        Case(text("a single modality", "只有一个模态"),
             (_probabilities(3, 1, 4), np.ones((3, 1), dtype=bool))),
        Case(_BATCH_OF_ONE, (_probabilities(1, 2, 3), np.ones((1, 2), dtype=bool))),
        Case(text("exact zeros among the probabilities", "概率中有恰好为 0 的值"),
             (p_zeros, _present(5, 3)),
             nan_hint=text("NaN or infinity where a probability is exactly 0: log(0) is -inf; "
                           "subtract each row's largest finite score before exp, and let a "
                           "class that some modality rules out get probability 0.",
                           "某个概率恰好为 0 时出现 NaN 或无穷大：log(0) 是 -inf；在 exp 之前减去"
                           "每行最大的有限分数，让被某个模态排除的类别得到概率 0。")),
    ]


# ---- late_fusion_mean: p(c) = sum_m r_m p_m(c) / sum_m r_m ----------------------------------

def _package_mean(probabilities, present):
    """The package's late fusion with equal weights (FusionClassifier, late_weights="mean")."""
    p = np.asarray(probabilities, dtype=np.float64)  # (N, M, C)
    kept = np.asarray(present, dtype=np.float64)  # (N, M)
    fused, _ = _package_late_fusion(p, kept, np.zeros(p.shape[1]))
    return ops.convert_to_numpy(fused)  # (N, C)


def late_fusion_mean(probabilities, present):
    weights = present.astype(float)  # (N, M): 1 for a present modality, 0 for a missing one
    total = np.einsum("nm,nmc->nc", weights, probabilities)  # (N, C): sum over present ones
    return total / weights.sum(axis=1, keepdims=True)  # divided by how many are present


_mean_solution = late_fusion_mean


def _normalized_product(probabilities, present):
    """Normalized product of the present modalities' probabilities, in log space."""
    with np.errstate(divide="ignore"):
        log_p = np.log(np.asarray(probabilities, dtype=np.float64))  # (N, M, C), -inf for 0
    scores = np.where(np.asarray(present)[..., None], log_p, 0.0).sum(axis=1)  # (N, C)
    scores = scores - scores.max(axis=1, keepdims=True)  # the largest score becomes 0
    exps = np.exp(scores)
    return exps / exps.sum(axis=1, keepdims=True)  # (N, C)


def _mean_over_all(p, present):
    return p.mean(axis=1)


def _divided_by_m(p, present):
    return np.einsum("nm,nmc->nc", present.astype(float), p) / p.shape[1]


def _summed(p, present):
    return np.einsum("nm,nmc->nc", present.astype(float), p)


#: CodeExercise: ``f(probabilities, present)``, probabilities ``(N, M, C)`` and a boolean
#: presence mask ``(N, M)``; the mean over each example's present modalities ``(N, C)``.
late_fusion_mean = CodeExercise(
    "modalities.late_fusion_mean",
    reference=_package_mean,
    solution=_mean_solution,
    outputs={"fused": "(N, C)"},
    cases=_late_cases(),
    mistakes=[
        Mistake(text("A missing modality was averaged in: average over each example's present "
                     "modalities only (present[n, m] True).",
                     "把缺失的模态也平均进去了：只对每个样本中存在的模态（present[n, m] 为 True）"
                     "取平均。"), same_as=_mean_over_all),
        Mistake(text("You divided by the number of modalities M, so an example with a missing "
                     "modality no longer sums to 1: divide by how many are present.",
                     "你除以了模态总数 M，有模态缺失的样本概率之和就不再是 1：应除以存在的模态"
                     "个数。"), same_as=_divided_by_m),
        Mistake(text("You summed the probabilities without dividing: each example's result "
                     "should sum to 1.",
                     "你把概率相加了却没有相除：每个样本的结果之和应为 1。"), same_as=_summed),
        Mistake(text("That is the normalized product (the sum of log-probabilities), the other "
                     "combination: this exercise asks for the mean.",
                     "这是归一化乘积（对数概率之和），是另一种组合：本题要求的是平均。"),
                same_as=_normalized_product),
    ],
    question=text(
        "Write f(probabilities, present): probabilities (N, M, C) of M per-modality classifiers, "
        "a boolean mask present (N, M); return the late fusion (N, C), the mean of the present "
        "modalities' probabilities.",
        "编写 f(probabilities, present)：probabilities 形状为 (N, M, C)，是 M 个单模态分类器的"
        "概率；present (N, M) 是布尔掩码；返回晚期融合结果 (N, C)，即存在模态的概率平均值。"),
    hints=(
        text("A missing modality simply drops out: it gets weight 0.",
             "缺失的模态直接退出：它的权重为 0。"),
        text("Sum present[n, m] * probabilities[n, m, c] over m, then divide by the number of "
             "present modalities of example n.",
             "对 m 求 present[n, m] * probabilities[n, m, c] 的和，"
             "再除以样本 n 中存在的模态个数。"),
    ),
    remark=text("This is FusionClassifier(fusion='late')'s combination: one modality can pull "
                "the average by at most 1/M, and a missing one just leaves the average.",
                "这正是 FusionClassifier(fusion='late') 的组合方式：一个模态对平均值的影响至多为 "
                "1/M，缺失的模态只是离开平均。"),
)


# ---- late_fusion_product: p(c) proportional to prod_m p_m(c)^{r_m} -------------------------

def late_fusion_product(probabilities, present):
    with np.errstate(divide="ignore"):
        log_p = np.log(probabilities)  # (N, M, C); log(0) = -inf rules a class out
    scores = np.sum(np.where(present[:, :, None], log_p, 0.0), axis=1)  # (N, C)
    scores = scores - scores.max(axis=1, keepdims=True)  # stable: the largest score is 0
    exps = np.exp(scores)
    return exps / exps.sum(axis=1, keepdims=True)  # normalized: each row sums to 1


_product_solution = late_fusion_product


def _unnormalized(p, present):
    return np.prod(np.where(present[:, :, None], p, 1.0), axis=1)


def _product_over_all(p, present):
    return _normalized_product(p, np.ones_like(present))


def _geometric_mean(p, present):
    log_p = np.log(np.clip(p, 1e-300, 1.0))
    scores = np.sum(np.where(present[:, :, None], log_p, 0.0), axis=1)
    scores = scores / present.sum(axis=1, keepdims=True)  # the mean of the logs
    return softmax(scores)


#: CodeExercise: ``f(probabilities, present)``, as :data:`late_fusion_mean`; the normalized
#: product of the present modalities' probabilities ``(N, C)``.
late_fusion_product = CodeExercise(
    "modalities.late_fusion_product",
    reference=_normalized_product,
    solution=_product_solution,
    outputs={"fused": "(N, C)"},
    cases=_late_cases(),
    mistakes=[
        Mistake(text("Your rows do not sum to 1: divide the product by its sum over the classes "
                     "(a softmax of the summed log-probabilities does both at once).",
                     "你的每行之和不是 1：把乘积除以它在各类别上的和（对对数概率之和做 softmax "
                     "可一步完成）。"), same_as=_unnormalized),
        Mistake(text("A missing modality was multiplied in: it must contribute a factor 1 "
                     "(log-probability 0), whatever its array holds.",
                     "把缺失的模态也乘进去了：无论其数组里是什么，"
                     "它只能贡献因子 1（对数概率 0）。"),
                same_as=_product_over_all),
        Mistake(text("You averaged the log-probabilities: that is the normalized geometric mean, "
                     "the product with every factor raised to 1/M. Sum them instead.",
                     "你对对数概率取了平均：那是归一化的几何平均，相当于把每个因子开 M 次方。"
                     "应当求和。"), same_as=_geometric_mean),
        Mistake(text("That is the mean of the probabilities, the other combination: this "
                     "exercise asks for the normalized product.",
                     "这是概率的平均，是另一种组合：本题要求的是归一化乘积。"),
                same_as=_package_mean),
    ],
    question=text(
        "Write f(probabilities, present) with the arguments of late_fusion_mean, returning the "
        "normalized product (N, C): p(c) proportional to the product over present modalities "
        "of p_m(c), computed as the sum of log-probabilities followed by a softmax.",
        "编写 f(probabilities, present)，参数与 late_fusion_mean 相同，返回归一化乘积 (N, C)："
        "p(c) 正比于所有存在模态的 p_m(c) 之积，先求对数概率之和，再做 softmax。"),
    hints=(
        text("Multiply in log space: log of a product is the sum of the logs.",
             "在对数空间里相乘：乘积的对数等于对数之和。"),
        text("Give a missing modality log-probability 0 (np.where on present[:, :, None]), sum "
             "over m, subtract each row's maximum, exp, and divide by the row's sum.",
             "给缺失模态的对数概率赋 0（对 present[:, :, None] 用 np.where），对 m 求和，减去每行"
             "最大值，取 exp，再除以该行之和。"),
    ),
    remark=text("With calibrated, conditionally independent modalities this is Bayes' rule. "
                "But one modality that gives the true class probability 0 vetoes it, however "
                "sure the others are.",
                "当各模态校准良好且在给定类别时相互独立，这就是贝叶斯法则。但只要有一个模态给真实"
                "类别的概率为 0，无论其他模态多么确定，它都会被否决。"),
)


# ---- independent_errors: a number ---------------------------------------------------------

#: NumericAnswer: the accuracy of a pair of classifiers (0.80 and 0.70) with independent
#: errors when the pair is wrong only where both are.
independent_errors = NumericAnswer(
    "modalities.independent_errors",
    question=text(
        "An image classifier is right on 0.80 of the digits and an audio classifier on 0.70, "
        "and their mistakes are independent. If the fused classifier is wrong only where both "
        "are wrong, what accuracy does it reach?",
        "图像分类器对 0.80 的数字判断正确，音频分类器对 0.70 正确，且二者的错误相互独立。若融合"
        "分类器只在二者都错时出错，它的准确率是多少？"),
    value=0.94,
    tolerance=1e-3,
    mistakes=[
        (0.06, text("0.06 is the share both get wrong; the accuracy is what is left.",
                    "0.06 是二者都错的比例；准确率是剩下的部分。")),
        (0.56, text("0.56 is the share both get right; the pair is also right where only one "
                    "of the two is.",
                    "0.56 是二者都对的比例；只要其中一个对，这对分类器也是对的。")),
        (0.75, text("0.75 is the mean of the two accuracies; multiply the error rates instead.",
                    "0.75 是两个准确率的平均；应当把错误率相乘。")),
        (0.80, text("0.80 is the better classifier alone; the other one fixes some of its "
                    "mistakes.",
                    "0.80 是较好的那个分类器单独的准确率；另一个能纠正它的一部分错误。")),
    ],
    working=text("Independent errors: both wrong with probability (1 - 0.80)(1 - 0.70) = 0.06, "
                 "so the pair is right on 1 - 0.06 = 0.94.",
                 "错误独立：二者同时出错的概率为 (1 - 0.80)(1 - 0.70) = 0.06，所以准确率为 "
                 "1 - 0.06 = 0.94。"),
    hints=(text("Compute the share of digits that both get wrong first.",
                "先算出二者都错的数字所占的比例。"),
           text("For independent events, P(both wrong) = P(image wrong) P(audio wrong).",
                "对于独立事件，P(都错) = P(图像错) P(音频错)。")),
    remark=text("That is the optimistic bound: chapter 1 measures how close real fusion comes, "
                "and errors that coincide leave nothing to fix.",
                "这是乐观的上界：第 1 章测量了实际融合离它有多近；"
                "若错误重合，就没有什么可以纠正。"),
)


# ---- the challenges of Liang, Zadeh and Morency (2022) -------------------------------------

def _liang_options():
    return {
        "a": text("representation", "表示"),
        "b": text("alignment", "对齐"),
        "c": text("reasoning", "推理"),
        "d": text("generation", "生成"),
        "e": text("transference", "迁移"),
        "f": text("quantification", "量化"),
    }


#: MultipleChoice: the challenge of a page that measures each modality's contribution.
liang_quantification = MultipleChoice(
    "modalities.liang_quantification",
    question=text(
        "A page removes one modality at a time from a trained classifier, measures how much the "
        "accuracy drops, and draws saliency maps of what the model looked at. Which of the six "
        "challenges of Liang, Zadeh and Morency does it work on?",
        "某一页每次从训练好的分类器中去掉一个模态，测量准确率下降多少，并画出模型关注之处的显著性"
        "图。它研究的是 Liang、Zadeh 和 Morency 六大挑战中的哪一个？"),
    options=_liang_options(),
    answer="f",
    feedback={
        "a": text("Representation is about building the vectors; this page studies a model "
                  "already trained.", "表示关注的是如何构建向量；这一页研究的是已经训练好的模型。"),
        "b": text("Alignment finds which parts of the modalities correspond; here nothing is "
                  "matched.", "对齐是找出各模态中相互对应的部分；这里没有做任何匹配。"),
        "c": text("Reasoning composes evidence in several steps; the page measures instead.",
                  "推理是分多步组合证据；这一页做的是测量。"),
        "d": text("Generation produces a modality; nothing is produced here.",
                  "生成是产生某个模态；这里没有产生任何东西。"),
        "e": text("Transference moves knowledge from one modality to another; here the "
                  "modalities are taken away, not transferred.",
                  "迁移是把知识从一个模态转移到另一个；这里是去掉模态，而不是迁移。"),
    },
    explanation=text(
        "Quantification studies what a multimodal model uses: the contribution of each modality, "
        "their interactions, and how the model learned them.",
        "量化研究多模态模型用到了什么：各模态的贡献、它们之间的交互，以及模型如何学到这些。"),
    hints=(text("The page measures and explains; it does not build or train anything new.",
                "这一页在测量和解释；它并不构建或训练新东西。"),),
    remark=text("Measuring each modality's contribution is how one finds a model that ignores a "
                "modality, or leans on a spurious one.",
                "测量每个模态的贡献，才能发现忽略了某个模态、或依赖虚假模态的模型。"),
)


#: MultipleChoice: the challenge of an image-trained classifier that reads speech.
liang_transference = MultipleChoice(
    "modalities.liang_transference",
    question=text(
        "Chapter 2 trains a classifier on the shared vectors of images only and lets it classify "
        "spoken digits. Which of the six challenges of Liang, Zadeh and Morency is that?",
        "第 2 章只用图像的共享向量训练分类器，再让它识别语音数字。这属于 Liang、Zadeh 和 Morency "
        "六大挑战中的哪一个？"),
    options=_liang_options(),
    answer="e",
    feedback={
        "a": text("The shared space is a representation, but what the experiment tests is "
                  "whether knowledge learned on one modality carries to the other.",
                  "共享空间是一种表示，但这个实验检验的是在一个模态上学到的知识能否带到另一个模态。"),
        "b": text("Alignment matches parts of two modalities (frames to words); here whole "
                  "examples are classified.",
                  "对齐是匹配两个模态的局部（帧与词）；这里分类的是整个样本。"),
        "d": text("Generation would produce an image or a sound; the classifier only labels.",
                  "生成会产生图像或声音；这个分类器只输出标签。"),
        "c": text("Reasoning composes several steps of evidence; this is one linear classifier.",
                  "推理是多步组合证据；这里只是一个线性分类器。"),
        "f": text("Quantification measures what a model uses; here the model is used on a new "
                  "modality.", "量化是测量模型用到了什么；这里是把模型用在新的模态上。"),
    },
    explanation=text(
        "Transference (co-learning in Baltrušaitis et al.'s 2019 taxonomy) transfers knowledge "
        "from one modality to another, here through the CCA space.",
        "迁移（即 Baltrušaitis 等人 2019 年分类中的协同学习）把知识从一个模态转移到另一个模态，"
        "这里是借助 CCA 空间。"),
    hints=(text("The classifier never saw speech during training.",
                "这个分类器在训练时从未见过语音。"),),
    remark=text("Transfer through a shared space is what lets a model use a modality that has "
                "few labels.", "借助共享空间的迁移，使模型能够利用标签很少的模态。"),
)


# ---- the experiments ---------------------------------------------------------------------

#: ExperimentAnswer: the product's accuracy with shuffled validation images, against the mean's.
broken_image_experiment = ExperimentAnswer(
    "modalities.broken_image_experiment",
    question=text(
        "Shuffle the validation images across examples (each image now belongs to another "
        "digit, as with a misaligned camera), keep the page's classifiers, and measure the "
        "accuracy of both late fusions: .check(product_accuracy, baseline=mean_accuracy).",
        "把验证集图像在样本间打乱（每张图像现在属于另一个数字，就像摄像头错位），保持本页的分类器"
        "不变，测量两种晚期融合的准确率：.check(product_accuracy, baseline=mean_accuracy)。"),
    expect="lower",
    valid_range=(0.0, 1.0),
    feedback=text(
        "You measured {measured:.4g} for the product, not below the mean's {baseline:.4g}. "
        "Check that only the images were shuffled (the labels, audio and captions stay in "
        "place) and that both fusions read the same shuffled probabilities.",
        "你测得乘积的准确率为 {measured:.4g}，并不低于平均的 {baseline:.4g}。请确认只打乱了图像"
        "（标签、音频和描述保持原位），并且两种融合读取的是同一份打乱后的概率。"),
    explanation=text(
        "A shuffled image is confidently wrong: its classifier gives the true digit a tiny "
        "probability, which the product multiplies in and the mean only adds 1/M of.",
        "打乱后的图像会自信地出错：它的分类器给真实数字的概率极小，乘积会把它乘进去，而平均只加入"
        "它的 1/M。"),
    hints=(text("Permute the rows of the image features only, e.g. with "
                "np.random.default_rng(0).permutation.",
                "只打乱图像特征的行，例如使用 np.random.default_rng(0).permutation。"),),
    remark=text("The product trusts every modality fully; the mean bounds what a broken one can "
                "do.", "乘积完全信任每个模态；平均则限制了一个损坏模态所能造成的影响。"),
)

#: ExperimentAnswer: speech-to-image recall@1 with twenty CCA directions, against nine.
cca_directions_experiment = ExperimentAnswer(
    "modalities.cca_directions_experiment",
    question=text(
        "Fit CCA with k=20 directions instead of 9, retrieve validation images for each spoken "
        "validation word as the page does, and check your recall@1 against the page's: "
        ".check(recall_at_1_with_20, baseline=r1).",
        "用 k=20 个方向（而不是 9 个）拟合 CCA，按本页的方法用每个语音验证样本检索验证集图像，"
        "并把 recall@1 与本页的结果比较：.check(recall_at_1_with_20, baseline=r1)。"),
    expect="lower",
    margin=0.02,
    valid_range=(0.0, 1.0),
    feedback=text(
        "You measured {measured:.4g}, not below the page's {baseline:.4g}{by}. Check that the "
        "projections use 20 directions (z has 20 columns) and that queries and candidates come "
        "from the validation split, as the page's r1 does.",
        "你测得 {measured:.4g}，没有低于本页的 {baseline:.4g}{by}。请确认投影使用了 20 个方向"
        "（z 有 20 列），并且查询和候选与本页的 r1 一样来自验证集。"),
    explanation=text(
        "Directions beyond the ninth carry chance correlations of the training pairs: on held-out "
        "pairs they add noise to the cosine similarity, and recall@1 falls.",
        "第九个之后的方向只承载训练样本对中的偶然相关：在保留的样本对上它们给余弦相似度加入噪声，"
        "recall@1 因而下降。"),
    hints=(text("Call fit_cca(x_train, y_train, k=20) and project the validation pairs again.",
                "调用 fit_cca(x_train, y_train, k=20)，并重新投影验证样本对。"),),
    remark=text("More dimensions are not more information: look at the held-out correlations "
                "before choosing k.",
                "维度更多并不意味着信息更多：选择 k 之前先看保留数据上的相关性。"),
)


# ---- cosine_similarity: S_ij = q_i . c_j / (|q_i| |c_j|) ---------------------------------

def cosine_similarity(queries, candidates):
    q = queries / np.linalg.norm(queries, axis=1, keepdims=True)  # (Nq, d): unit rows
    c = candidates / np.linalg.norm(candidates, axis=1, keepdims=True)  # (Nc, d)
    return q @ c.T  # (Nq, Nc)


_cosine_solution = cosine_similarity


def _rows(n, d, low=0.5, high=2.0):
    return scaled_rows(_rng, (n, d), low, high)


#: CodeExercise: ``f(queries, candidates)``, the cosine similarity of every query row to every
#: candidate row, ``(Nq, Nc)`` (:func:`mmtutor.metrics.similarity_matrix`).
cosine_similarity = CodeExercise(
    "modalities.cosine_similarity",
    reference=similarity_matrix,
    solution=_cosine_solution,
    outputs={"similarity": "(Nq, Nc)"},
    cases=[
        Case(_RANDOM, (_rows(3, 4), _rows(5, 4))),
        Case(text("as many queries as candidates", "查询与候选数量相同"),
             (_rows(4, 3), _rows(4, 3)),
             hint=text("Rows of the result are queries, columns candidates.",
                       "结果的行是查询，列是候选。")),
        Case(text("rows of very different lengths", "长度相差悬殊的行"),
             (_rows(4, 5, 1e-2, 1e2), _rows(6, 5, 1e-2, 1e2))),
        Case(text("one query", "只有一个查询"), (_rows(1, 3), _rows(4, 3))),
    ],
    mistakes=[
        Mistake(text("That is the dot product: divide by the lengths of both vectors, so only "
                     "their directions count.",
                     "这是点积：要除以两个向量的长度，只让方向起作用。"),
                same_as=lambda q, c: q @ c.T),
        Mistake(text("You normalized the columns (axis=0): each embedding is a row, so divide "
                     "each row by its own length (axis=1).",
                     "你对列做了归一化（axis=0）：每个嵌入是一行，应把每行除以它自己的长度（axis=1）。"),
                same_as=lambda q, c: (q / np.linalg.norm(q, axis=0)) @ (
                    c / np.linalg.norm(c, axis=0)).T),
        Mistake(text("Only the queries were normalized: normalize the candidates too.",
                     "只对查询做了归一化：候选也要归一化。"),
                same_as=lambda q, c: (q / np.linalg.norm(q, axis=1, keepdims=True)) @ c.T),
        Mistake(text("Only the candidates were normalized: normalize the queries too.",
                     "只对候选做了归一化：查询也要归一化。"),
                same_as=lambda q, c: q @ (c / np.linalg.norm(c, axis=1, keepdims=True)).T),
        Mistake(text("Your matrix is transposed: row i is query i, column j candidate j.",
                     "你的矩阵转置了：第 i 行是查询 i，第 j 列是候选 j。"),
                same_as=lambda q, c: _cosine_solution(c, q)),
    ],
    question=text(
        "Write f(queries, candidates) for embeddings of shapes (Nq, d) and (Nc, d): return the "
        "(Nq, Nc) matrix of cosine similarities, S[i, j] = cos(queries[i], candidates[j]).",
        "编写 f(queries, candidates)，嵌入形状分别为 (Nq, d) 和 (Nc, d)：返回 (Nq, Nc) 的余弦"
        "相似度矩阵，S[i, j] = cos(queries[i], candidates[j])。"),
    hints=(
        text("Cosine similarity is the dot product of unit vectors.",
             "余弦相似度就是单位向量的点积。"),
        text("Divide each row by np.linalg.norm(..., axis=1, keepdims=True), then queries @ "
             "candidates.T.", "把每一行除以 np.linalg.norm(..., axis=1, keepdims=True)，"
             "再计算 queries @ candidates.T。"),
    ),
    remark=text("Cosine similarity ignores the length of the embeddings: retrieval compares "
                "directions, as CLIP and the dual encoder of chapter 4 do.",
                "余弦相似度不看嵌入的长度：检索比较的是方向，CLIP 和第 4 章的双编码器都是如此。"),
)


# ---- cca_directions: a number ------------------------------------------------------------

#: NumericAnswer: how many canonical directions can carry shared information with ten classes.
cca_directions = NumericAnswer(
    "modalities.cca_directions",
    question=text(
        "An image and a spoken word are paired only through their digit (ten classes), and each "
        "view has 64 features. At most how many canonical directions can carry information the "
        "two views share?",
        "图像与语音只通过它们的数字（十个类别）配对，每个视图有 64 个特征。最多有多少个典型方向"
        "能承载两个视图共有的信息？"),
    value=9,
    tolerance=0.5,
    mistakes=[
        (10, text("Close: the cross-covariance is built from the ten class means after the "
                  "overall mean is subtracted, and centered means are linearly dependent.",
                  "很接近：互协方差由减去总体均值之后的十个类均值构成，而中心化后的均值是线性相关的。")),
        (64, text("64 is the number of features: CCA finds 64 directions, but most of them only "
                  "fit chance correlations of the training pairs.",
                  "64 是特征数：CCA 能找到 64 个方向，"
                  "但其中大多数只拟合了训练样本对中的偶然相关。")),
    ],
    working=text("Given the digit, the two views are independent, so their cross-covariance is "
                 "sum_c pi_c (mu_c^x - mu^x)(mu_c^y - mu^y)^T: ten centered class means whose "
                 "weighted sum is zero, a matrix of rank at most 10 - 1 = 9.",
                 "给定数字时两个视图相互独立，因此互协方差为 "
                 "sum_c pi_c (mu_c^x - mu^x)(mu_c^y - mu^y)^T：十个中心化的类均值，其加权和为零，"
                 "矩阵的秩至多为 10 - 1 = 9。"),
    hints=(text("What links an image and a sound here? Only the class.",
                "这里把图像和声音联系起来的是什么？只有类别。"),
           text("Write the cross-covariance through the class means; what is the rank of ten "
                "centered vectors whose weighted sum is zero?",
                "用类均值写出互协方差；十个加权和为零的中心化向量，秩是多少？")),
    remark=text("That is why the page keeps nine directions, and why the held-out "
                "correlations vanish beyond the ninth.",
                "这就是本页保留九个方向的原因，也是第九个之后保留数据上的相关性消失的原因。"),
)
