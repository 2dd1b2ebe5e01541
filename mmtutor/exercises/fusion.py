"""Exercises on fusion: what early and late fusion combine, and a missing-modality experiment.

- :data:`early_fusion`: which fusion concatenates the modalities' raw features (multiple choice);
- :data:`late_fusion`: what late fusion combines (multiple choice);
- :data:`missing_modality`: which fusion copes most simply with a missing modality;
- :data:`missing_modality_experiment`: the fused model's accuracy with the image removed,
  checked against its accuracy with every modality (it should be lower).

Example:
    >>> late_fusion.check("b").message.startswith("That is intermediate fusion")
    True

Book: section "sec-multimodal-classifier".
"""

from __future__ import annotations

from mmtutor.exercises._choice import ExperimentAnswer, MultipleChoice
from mmtutor.exercises._language import text

__all__ = ["early_fusion", "late_fusion", "missing_modality", "missing_modality_experiment"]

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
