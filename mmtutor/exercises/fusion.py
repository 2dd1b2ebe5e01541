"""Exercises on fusion: building the fusions, combining predictions, a missing modality.

- :data:`late_fusion_mean`: the learner writes ``f(probs, presence)``, the mean of the present
  modalities' probabilities, checked against the package's late fusion
  (``FusionClassifier(fusion="late")`` with ``late_weights="mean"``);
- :data:`concatenation_head_parameters`: the parameters of an intermediate-fusion head, by hand;
- :data:`early_fusion`: which fusion concatenates the modalities' raw features (multiple choice);
- :data:`late_fusion`: what late fusion combines (multiple choice);
- :data:`confident_mistake`: which late-fusion combination survives one confidently wrong
  modality (multiple choice);
- :data:`missing_modality`: which fusion copes most simply with a missing modality;
- :data:`missing_modality_experiment`: the fused model's accuracy with the image removed,
  checked against its accuracy with every modality (it should be lower).

Example:
    >>> late_fusion.check("b").message.startswith("That is intermediate fusion")
    True
    >>> concatenation_head_parameters.check(6400).message.startswith("That is the hidden layer")
    True

Book: section "sec-multimodal-classifier".
"""

from __future__ import annotations

import numpy as np

from mmtutor.exercises._choice import ExperimentAnswer, MultipleChoice, NumericAnswer
from mmtutor.exercises._code import Case, CodeExercise, Mistake
from mmtutor.exercises._inputs import softmax
from mmtutor.exercises._language import text
from mmtutor.models._fusion_heads import late_fusion as _package_late_fusion

__all__ = [
    "concatenation_head_parameters",
    "confident_mistake",
    "early_fusion",
    "late_fusion",
    "late_fusion_mean",
    "missing_modality",
    "missing_modality_experiment",
]

_rng = np.random.default_rng(20240605)


def _late_reference(probs, presence):
    """The package's late fusion with ``late_weights="mean"`` (weight logits at zero)."""
    fused, _ = _package_late_fusion(probs, presence, np.zeros(presence.shape[1]))
    return np.asarray(fused)


def _late_fusion_solution():
    """The reference solution, under the name a learner gives it (``.solution()`` shows it)."""

    def late_fusion(probs, presence):
        weights = presence / presence.sum(axis=1, keepdims=True)  # (N, M): 1 / (present count)
        return np.einsum("nm,nmc->nc", weights, probs)  # (N, C): mean of the present p_m

    return late_fusion


def _probabilities(n, m, c, scale=1.5):
    return softmax(scale * _rng.normal(size=(n, m, c)))  # (N, M, C), each row sums to 1


def _presence(n, m):
    presence = (_rng.random((n, m)) < 0.6).astype(np.float64)  # (N, M)
    presence[np.arange(n), _rng.integers(0, m, size=n)] = 1.0  # at least one present
    return presence


def _late_cases():
    zeros = _probabilities(4, 3, 5)
    zeros[:, 2] = np.eye(5)[[1, 2, 3, 4]]  # the third modality certain, all else exactly 0
    one_each = np.eye(3)[[0, 2, 1, 2]]  # (4, 3): one modality present per example
    return [
        Case(text("every modality present", "所有模态都在"),
             (_probabilities(5, 3, 4), np.ones((5, 3)))),
        Case(text("some modalities missing", "缺少部分模态"),
             (_probabilities(6, 3, 10), _presence(6, 3))),
        Case(text("one modality per example", "每个样本只有一个模态"),
             (_probabilities(4, 3, 5), one_each)),
        Case(text("probabilities with exact zeros", "含有精确为 0 的概率"),
             (zeros, np.ones((4, 3)))),
        Case(text("a batch of one example", "只有一个样本的批次"),
             (_probabilities(1, 2, 3), np.array([[0.0, 1.0]]))),
    ]


def _product_rule(probs, presence):
    log_p = np.log(np.clip(probs, 1e-7, 1.0)) * presence[:, :, None]  # (N, M, C)
    return softmax(log_p.sum(axis=1))  # (N, C): the normalized product


_ABSENT_COUNTED = text(
    "A missing modality got a weight: multiply each modality's probabilities by its presence "
    "flag and divide by the number of PRESENT modalities, presence.sum(axis=1).",
    "缺失的模态也得到了权重：把每个模态的概率乘以它的存在标志，再除以存在的模态个数 "
    "presence.sum(axis=1)。")

#: CodeExercise: the learner writes ``f(probs, presence)``: ``probs`` ``(N, M, C)``, ``presence``
#: ``(N, M)``; returns the mean of the present modalities' probabilities ``(N, C)``, as the
#: package's late fusion does with ``late_weights="mean"``.
late_fusion_mean = CodeExercise(
    "fusion.late_fusion_mean",
    reference=_late_reference,
    solution=_late_fusion_solution(),
    outputs={"fused": "(N, C)"},
    cases=_late_cases(),
    mistakes=[
        Mistake(_ABSENT_COUNTED, same_as=lambda probs, presence: probs.mean(axis=1)),
        Mistake(text("You divided by M, the number of modalities, instead of the number of "
                     "present modalities: where one is missing, the rows no longer sum to 1.",
                     "你除以的是模态总数 M，而不是存在的模态个数：缺少模态时，每行的和不再是 1。"),
                same_as=lambda probs, presence: (probs * presence[:, :, None]).sum(axis=1)
                / probs.shape[1]),
        Mistake(text("That is a sum of probabilities, not their mean: divide by the number of "
                     "present modalities, so each row sums to 1.",
                     "这是概率之和，不是平均：要除以存在的模态个数，使每行的和为 1。"),
                same_as=lambda probs, presence: (probs * presence[:, :, None]).sum(axis=1)),
        Mistake(text("That is the product of the probabilities (a sum of log-probabilities), "
                     "the other late-fusion combination; the package averages them.",
                     "这是概率的乘积（对数概率之和），是另一种晚期融合方式；本包取的是平均。"),
                same_as=_product_rule),
    ],
    question=text(
        "Write f(probs, presence): probs of shape (N, M, C) holds each modality's class "
        "probabilities, presence of shape (N, M) is 1.0 for a present modality and 0.0 for a "
        "missing one. Return the mean of the present modalities' probabilities, shape (N, C).",
        "编写 f(probs, presence)：probs 的形状为 (N, M, C)，是每个模态的类别概率；presence 的"
        "形状为 (N, M)，存在的模态为 1.0，缺失的为 0.0。返回存在模态的概率平均，形状为 (N, C)。"),
    hints=(
        text("Each present modality gets the same weight, and the weights of one example sum "
             "to 1.", "每个存在的模态权重相同，同一样本的权重之和为 1。"),
        text("weights = presence / presence.sum(axis=1, keepdims=True), then a weighted sum "
             "over the modality axis (axis 1).",
             "weights = presence / presence.sum(axis=1, keepdims=True)，再沿模态轴（axis 1）"
             "加权求和。"),
    ),
    remark=text("This is FusionClassifier(fusion='late') after its heads: a missing modality "
                "simply drops out of the average, so no retraining is needed.",
                "这就是 FusionClassifier(fusion='late') 在各分类头之后做的事：缺失的模态直接"
                "退出平均，无需重新训练。"),
)

#: NumericAnswer: the parameters of an intermediate-fusion head (three embeddings of 32, three
#: presence flags, a hidden layer of 64 units, 10 classes).
concatenation_head_parameters = NumericAnswer(
    "fusion.concatenation_head_parameters",
    question=text(
        "An intermediate-fusion head reads three embeddings of 32 numbers and the three "
        "presence flags, has one hidden ReLU layer of 64 units and a softmax over 10 classes, "
        "each layer with its biases. How many parameters does it have?",
        "一个中间融合分类头读入三个 32 维嵌入和三个存在标志，有一个 64 个单元的 ReLU 隐藏层和一个"
        " 10 类的 softmax 层，每层都有偏置。它有多少个参数？"),
    value=(3 * 32 + 3) * 64 + 64 + 64 * 10 + 10,
    tolerance=0.5,
    mistakes=[
        ((3 * 32) * 64 + 64 + 64 * 10 + 10,
         text("You left out the presence flags: the hidden layer reads 3 * 32 + 3 numbers.",
              "你漏掉了存在标志：隐藏层读入的是 3 * 32 + 3 个数。")),
        ((3 * 32 + 3) * 64 + 64 * 10,
         text("Each unit has a bias too: add 64 for the hidden layer and 10 for the softmax "
              "layer.", "每个单元还有一个偏置：隐藏层加 64，softmax 层加 10。")),
        ((3 * 32 + 3) * 64 + 64,
         text("That is the hidden layer alone: add the softmax layer, 64 * 10 + 10.",
              "这只是隐藏层：还要加上 softmax 层，64 * 10 + 10。")),
        (3 * 32 * 64 + 64 * 10,
         text("You left out the presence flags and the biases.", "你漏掉了存在标志和偏置。")),
    ],
    working=text("The hidden layer has (3 * 32 + 3) * 64 weights and 64 biases, 6,400; the "
                 "softmax layer 64 * 10 + 10 = 650.",
                 "隐藏层有 (3 * 32 + 3) * 64 个权重和 64 个偏置，共 6,400；softmax 层有 "
                 "64 * 10 + 10 = 650。"),
    hints=(text("A dense layer from n inputs to k units has n * k weights and k biases.",
                "从 n 个输入到 k 个单元的全连接层有 n * k 个权重和 k 个偏置。"),
           text("The hidden layer's inputs are the concatenation: 3 * 32 embedding numbers "
                "and 3 flags.", "隐藏层的输入是拼接后的向量：3 * 32 个嵌入数值和 3 个标志。")),
    remark=text("Small next to the encoders: the head of intermediate fusion is cheap, and it "
                "grows with the number of modalities times the embedding size.",
                "与编码器相比很小：中间融合的分类头很便宜，其大小随模态数乘嵌入维度增长。"),
)

#: MultipleChoice: which fusion concatenates the modalities' raw features (multiple choice).
early_fusion = MultipleChoice(
    "fusion.early_fusion",
    question=text(
        "Which fusion concatenates the modalities' raw features (pixels, spectrogram frames, "
        "tokens) and learns everything from them with one shared network?",
        "哪种融合把各模态的原始特征（像素、频谱帧、词元）拼接起来，再用一个共享网络从中学习一切？"),
    options={
        "a": text("early fusion", "早期融合"),
        "b": text("late fusion", "晚期融合"),
        "c": text("a dual encoder trained with InfoNCE", "用 InfoNCE 训练的双编码器"),
        "d": text("intermediate fusion", "中间融合"),
    },
    answer="a",
    feedback={
        "b": text("Late fusion combines each modality's prediction, not its features.",
                  "晚期融合组合的是各模态的预测，而不是特征。"),
        "d": text("Intermediate fusion concatenates the embeddings that per-modality encoders "
                  "learned, not the raw features.",
                  "中间融合拼接的是各模态编码器学到的嵌入，而不是原始特征。"),
        "c": text("A dual encoder maps each modality into one shared space; it compares the "
                  "embeddings instead of concatenating them.",
                  "双编码器把各模态映射到同一个共享空间；它比较嵌入，而不是把它们拼接起来。"),
    },
    explanation=text(
        "Early fusion builds z = [x_image; x_audio; x_text] from the raw features and trains one "
        "network on it (FusionClassifier(fusion='early')); intermediate fusion concatenates "
        "learned embeddings [e_image; e_audio; e_text] instead.",
        "早期融合由原始特征构造 z = [x_image; x_audio; x_text]，并在其上训练一个网络"
        "（FusionClassifier(fusion='early')）；中间融合拼接的则是学到的嵌入 "
        "[e_image; e_audio; e_text]。"),
    hints=(text("Fusion is named after where in the network the modalities meet.",
                "融合方式是按各模态在网络中相遇的位置命名的。"),),
    remark=text("Early fusion can learn interactions between the modalities' raw features, at "
                "the price of learning every feature from scratch in one network.",
                "早期融合能学习各模态原始特征之间的交互，代价是要在一个网络里从头学习所有特征。"),
)

#: MultipleChoice: what late fusion combines (multiple choice).
late_fusion = MultipleChoice(
    "fusion.late_fusion",
    question=text("What does late fusion combine?", "晚期融合组合的是什么？"),
    options={
        "a": text("the raw inputs of the modalities", "各模态的原始输入"),
        "b": text("the embeddings of the per-modality encoders, concatenated",
                  "各模态编码器的嵌入，拼接在一起"),
        "c": text("the per-modality predictions, e.g. by averaging their class probabilities",
                  "各模态的预测，例如对它们的类别概率取平均"),
        "d": text("the gradients of the per-modality losses", "各模态损失的梯度"),
    },
    answer="c",
    feedback={
        "a": text("Combining the raw inputs is the earliest possible fusion, the opposite end.",
                  "组合原始输入是最早的融合方式，恰好在另一端。"),
        "b": text("That is intermediate fusion: the embeddings meet before one shared head.",
                  "那是中间融合：嵌入在同一个分类头之前相遇。"),
        "d": text("Gradients are how any model trains; they are not what a fusion combines.",
                  "梯度是所有模型训练的方式；并不是融合所组合的对象。"),
    },
    explanation=text(
        "Late (decision-level) fusion gives each modality its own classifier and combines their "
        "outputs, e.g. y_hat = mean_m softmax(f_m(x_m)), as FusionClassifier(fusion='late') does.",
        "晚期（决策级）融合为每个模态配一个分类器并组合它们的输出，例如 "
        "y_hat = mean_m softmax(f_m(x_m))，FusionClassifier(fusion='late') 就是这样做的。"),
    hints=(text("Late means at the very end of each modality's network.",
                "“晚期”指的是在每个模态网络的最末端。"),),
    remark=text("Because each modality predicts on its own, late fusion cannot model "
                "interactions between modalities, but it survives a missing one.",
                "由于每个模态各自预测，晚期融合无法建模模态间的交互，但能应对某个模态的缺失。"),
)

#: MultipleChoice: which late-fusion combination survives one confidently wrong modality.
confident_mistake = MultipleChoice(
    "fusion.confident_mistake",
    question=text(
        "Three modalities give the true class the probabilities 0.9, 0.8 and 0.0: the third is "
        "confidently wrong and puts all its probability on another class. Which late-fusion "
        "combination still picks the true class?",
        "三个模态给真实类别的概率分别是 0.9、0.8 和 0.0：第三个模态自信地出错，把全部概率给了另一个"
        "类别。哪种晚期融合方式仍能选出真实类别？"),
    options={
        "a": text("the product of the probabilities (the sum of log-probabilities)",
                  "概率的乘积（对数概率之和）"),
        "b": text("the mean of the probabilities", "概率的平均"),
        "c": text("both", "两者都能"),
        "d": text("neither", "两者都不能"),
    },
    answer="b",
    feedback={
        "a": text("A probability of 0 makes the product 0 (log 0 is minus infinity): one "
                  "confidently wrong modality vetoes the true class, however sure the others "
                  "are.",
                  "概率为 0 会使乘积为 0（log 0 是负无穷）：一个自信出错的模态就能否决真实类别，"
                  "无论其他模态多么确定。"),
        "c": text("Not the product: a probability of 0 makes it 0 for the true class.",
                  "乘积不行：概率 0 会让真实类别的乘积为 0。"),
        "d": text("Compute the mean: the true class gets (0.9 + 0.8 + 0) / 3, about 0.57, and "
                  "no other class can get more than 1 - 0.57.",
                  "算一下平均：真实类别得到 (0.9 + 0.8 + 0) / 3，约 0.57，其他类别都不可能超过 "
                  "1 - 0.57。"),
    },
    explanation=text(
        "The mean gives the true class (0.9 + 0.8 + 0) / 3, about 0.57, more than any other "
        "class can get; the product gives it 0.9 * 0.8 * 0 = 0.",
        "平均给真实类别 (0.9 + 0.8 + 0) / 3，约 0.57，比其他任何类别都多；乘积给它的是 "
        "0.9 * 0.8 * 0 = 0。"),
    hints=(text("Compute both combinations for the true class.",
                "对真实类别分别算出两种组合的结果。"),),
    remark=text("The product is Bayes' rule for calibrated, independent evidence; the mean "
                "is robust to a modality that is confidently wrong, which is why the package's "
                "late fusion averages.",
                "乘积是针对已校准、相互独立证据的贝叶斯规则；平均对自信出错的模态更稳健，所以本包的"
                "晚期融合取平均。"),
)

#: MultipleChoice: which fusion copes most simply with a missing modality.
missing_modality = MultipleChoice(
    "fusion.missing_modality",
    question=text("At test time the audio is missing for some examples. Which fusion handles "
                  "that most simply, without retraining?",
                  "测试时部分样本缺少音频。哪种融合无需重新训练就能最简单地应对？"),
    options={
        "a": text("intermediate fusion", "中间融合"),
        "b": text("late fusion", "晚期融合"),
    },
    answer="b",
    feedback={
        "a": text("The head of intermediate fusion was trained on the concatenation of every "
                  "modality's embedding; zeros in place of the audio are inputs it has never "
                  "seen, unless it was trained with modality dropout.",
                  "中间融合的分类头是在所有模态嵌入拼接后的输入上训练的；用零代替音频是它从未见过的"
                  "输入，除非训练时使用了模态丢弃。"),
    },
    explanation=text("Late fusion averages the predictions of the modalities that are present.",
                     "晚期融合只对存在的模态的预测取平均。"),
    hints=(text("Which of the two can simply leave one modality's contribution out?",
                "两者中哪一个可以直接去掉某个模态的贡献？"),),
    remark=text("Intermediate fusion can learn the same robustness, with modality dropout in "
                "training.",
                "中间融合在训练中使用模态丢弃，也能学到同样的稳健性。"),
)

#: ExperimentAnswer: the fused model's accuracy with the image removed, checked against its
#: accuracy with every modality (it should be lower).
missing_modality_experiment = ExperimentAnswer(
    "fusion.missing_modality_experiment",
    question=text(
        "Evaluate the chapter's fused model on the test set with the image marked missing, and "
        "check its accuracy against the accuracy with every modality: "
        ".check(accuracy_without_image, baseline=accuracy_all).",
        "在测试集上评估本章的融合模型，把图像标记为缺失，并把它的准确率与使用全部模态时的准确率比较"
        "："
        ".check(accuracy_without_image, baseline=accuracy_all)。"),
    expect="lower",
    valid_range=(0.0, 1.0),
    feedback=text(
        "You measured {measured:.4g}, not below the accuracy with every modality, "
        "{baseline:.4g}. Check that the image really is absent in the evaluation (its presence "
        "flag set to 0) and that the baseline is the same model with every modality.",
        "你测得 {measured:.4g}，没有低于使用全部模态时的准确率 {baseline:.4g}。请确认评估时图像确实"
        "缺失（其存在标志设为 0），并且基准是同一个模型在全部模态下的结果。"),
    explanation=text(
        "Without the image the model loses its most reliable evidence on most examples, and "
        "its accuracy drops to what audio and text can tell it.",
        "没有图像时模型在大多数样本上失去了最可靠的证据，准确率下降到仅凭音频和文本所能达到的水平。"),
    hints=(text("Keep the trained model; change only the test inputs.",
                "保持训练好的模型不变；只改变测试输入。"),),
    remark=text("How much it drops says how much the model leans on the image.",
                "下降的幅度说明模型在多大程度上依赖图像。"),
)
