"""Exercises on scaling out: the global batch, synchronized statistics, precision and XLA.

- :data:`gathered_info_nce`: the learner writes ``f(a, b, temperature)``: ``a`` and ``b`` of
  shape ``(R, n, d)`` hold the embeddings of ``R`` replicas, ``n`` pairs each; return the
  symmetric InfoNCE loss of the GLOBAL batch (the replicas' embeddings gathered), checked
  against :func:`mmtutor.losses.info_nce` on the concatenated batch;
- :data:`global_negatives`: the number of negatives one embedding meets with the gather (a
  number);
- :data:`synchronized_batch_norm`: why batch-normalization statistics are synchronized across
  replicas (multiple choice);
- :data:`float32_outputs`: why the output layer stays float32 under a mixed policy (multiple
  choice);
- :data:`xla_speedup_experiment`: read the dual encoder's XLA speed-up from the committed
  benchmark report, checked against the chapter's value.

Example:
    >>> global_negatives.check(255).status
    'correct'
    >>> synchronized_batch_norm.check("a").status
    'correct'

Book: section "sec-scaling".
"""

from __future__ import annotations

import numpy as np

from mmtutor.exercises._choice import ExperimentAnswer, MultipleChoice, NumericAnswer
from mmtutor.exercises._code import Case, CodeExercise, Mistake
from mmtutor.exercises._inputs import log_softmax
from mmtutor.exercises._language import text
from mmtutor.losses import info_nce as _info_nce

__all__ = ["float32_outputs", "gathered_info_nce", "global_negatives",
           "synchronized_batch_norm", "xla_speedup_experiment"]

_rng = np.random.default_rng(20261203)


def _gathered_reference(a, b, temperature):
    """The package's InfoNCE on the global batch: every replica's rows, in replica order."""
    d = a.shape[-1]
    return float(_info_nce(a.reshape(-1, d), b.reshape(-1, d), temperature=temperature))


def _gathered_solution():
    """The reference solution, under the name a learner gives it (``.solution()`` shows it)."""

    def gathered_info_nce(a, b, temperature):
        a = a.reshape(-1, a.shape[-1])  # (R * n, d): all_gather, replicas one after another
        b = b.reshape(-1, b.shape[-1])  # (R * n, d)
        a = a / np.linalg.norm(a, axis=1, keepdims=True)
        b = b / np.linalg.norm(b, axis=1, keepdims=True)
        logits = a @ b.T / temperature  # (R * n, R * n): every pair of the global batch

        def log_softmax(x):
            x = x - x.max(axis=1, keepdims=True)
            return x - np.log(np.exp(x).sum(axis=1, keepdims=True))

        a_to_b = -np.diag(log_softmax(logits))  # (R * n,)
        b_to_a = -np.diag(log_softmax(logits.T))  # (R * n,)
        return np.mean(0.5 * (a_to_b + b_to_a))

    return gathered_info_nce


def _local(a, b, temperature, normalize=True):
    """Each replica's own InfoNCE, over its ``n`` pairs only: ``(R,)``."""
    losses = []
    for a_r, b_r in zip(a, b, strict=True):
        if normalize:
            a_r = a_r / np.linalg.norm(a_r, axis=1, keepdims=True)
            b_r = b_r / np.linalg.norm(b_r, axis=1, keepdims=True)
        logits = a_r @ b_r.T / temperature  # (n, n)
        losses.append(np.mean(0.5 * (-np.diag(log_softmax(logits, axis=1))
                                     - np.diag(log_softmax(logits, axis=0)))))
    return np.array(losses)


def _unnormalized(a, b, temperature):
    d = a.shape[-1]
    a, b = a.reshape(-1, d), b.reshape(-1, d)  # (R * n, d)
    logits = a @ b.T / temperature
    return np.mean(0.5 * (-np.diag(log_softmax(logits, axis=1))
                          - np.diag(log_softmax(logits, axis=0))))


def _rows(shape, scale=1.0):
    return scale * _rng.normal(size=shape)


#: CodeExercise: the learner writes ``f(a, b, temperature)`` for embeddings ``(R, n, d)`` held by
#: ``R`` replicas; returns the InfoNCE loss of the gathered global batch.
gathered_info_nce = CodeExercise(
    "scale.gathered_info_nce",
    reference=_gathered_reference,
    solution=_gathered_solution(),
    outputs={"loss": "()"},
    cases=[
        Case(text("two replicas of four pairs", "两个副本，每个四对"),
             (_rows((2, 4, 3)), _rows((2, 4, 3)), 0.5)),
        Case(text("four replicas of two pairs", "四个副本，每个两对"),
             (_rows((4, 2, 5), 3.0), _rows((4, 2, 5), 0.2), 0.1)),
        Case(text("three replicas of one pair each", "三个副本，每个一对"),
             (_rows((3, 1, 4)), _rows((3, 1, 4)), 0.3)),
        Case(text("one replica (the gather changes nothing)", "一个副本（收集不改变任何东西）"),
             (_rows((1, 5, 3)), _rows((1, 5, 3)), 0.2)),
        Case(text("logits of magnitude 1e4 (temperature 1e-4)",
                  "量级为 1e4 的 logits（温度 1e-4）"),
             (_rows((2, 3, 3)), _rows((2, 3, 3)), 1e-4),
             nan_hint=text(
                 "NaN or infinity for logits of magnitude 1e4: subtract each row's maximum "
                 "before exp (the log-sum-exp trick).",
                 "logits 量级为 1e4 时得到了 NaN 或无穷大：先减去每行的最大值再取 exp"
                 "（log-sum-exp 技巧）。")),
    ],
    mistakes=[
        Mistake(text("Each replica contrasted its own pairs only, and you averaged the "
                     "replicas' losses: that is data parallelism WITHOUT the gather, with n - 1 "
                     "negatives instead of R * n - 1. Concatenate the replicas' rows first "
                     "(a.reshape(-1, d)), then compute one loss over the global batch.",
                     "每个副本只对比了自己的样本对，然后你对各副本的损失取了平均：这是不做收集的数据"
                     "并行，负样本只有 n - 1 个而不是 R * n - 1 个。先把各副本的行拼接起来"
                     "（a.reshape(-1, d)），再在全局批次上计算一个损失。"),
                same_as=lambda a, b, t: np.mean(_local(a, b, t))),
        Mistake(text("You summed the replicas' local losses: that is what training reports "
                     "when each replica's loss is not divided by the number of replicas, and it "
                     "still misses the other replicas' negatives. Gather the embeddings, then "
                     "take one mean over the global batch.",
                     "你把各副本的局部损失加起来了：这正是每个副本的损失没有除以副本数时训练所报告的"
                     "值，而且仍然缺少其他副本的负样本。先收集嵌入，再在全局批次上取一个平均。"),
                same_as=lambda a, b, t: np.sum(_local(a, b, t))),
        Mistake(text("The embeddings are not normalized: divide each row by its L2 norm, as "
                     "info_nce does.",
                     "嵌入没有归一化：像 info_nce 那样把每一行除以它的 L2 范数。"),
                same_as=_unnormalized),
    ],
    question=text(
        "Data parallelism over R replicas: a and b, of shape (R, n, d), hold the image and audio "
        "embeddings each replica computed for its n pairs (row i of a[r] is paired with row i "
        "of b[r]). Write gathered_info_nce(a, b, temperature): the symmetric InfoNCE loss "
        "(rows normalized, s_ij = a_i . b_j / tau) of the GLOBAL batch of R * n pairs, as one "
        "device would compute it.",
        "在 R 个副本上做数据并行：形状为 (R, n, d) 的 a 和 b 是每个副本为自己的 n 对样本算出的"
        "图像和音频嵌入（a[r] 的第 i 行与 b[r] 的第 i 行配对）。编写 "
        "gathered_info_nce(a, b, temperature)：返回全局批次 R * n 对样本的对称 InfoNCE 损失"
        "（各行归一化，s_ij = a_i . b_j / tau），与单个设备算出的相同。"),
    hints=(
        text("What all_gather gives every replica is the replicas' rows one after another: "
             "an array of shape (R * n, d).",
             "all_gather 给每个副本的是各副本的行依次排列：形状为 (R * n, d) 的数组。"),
        text("a.reshape(-1, a.shape[-1]) is that gather; then the InfoNCE of the previous "
             "chapter on the (R * n, R * n) similarity matrix.",
             "a.reshape(-1, a.shape[-1]) 就是这个收集；然后在 (R * n, R * n) 的相似度矩阵上"
             "计算上一章的 InfoNCE。"),
    ),
    remark=text("With the gather, every embedding meets R * n - 1 negatives, as on one device; "
                "this is why CLIP gathers embeddings across its accelerators, and why "
                "DualEncoder(gather=True) does under a tf.distribute strategy.",
                "有了收集，每个嵌入会遇到 R * n - 1 个负样本，与单个设备上相同；这就是 CLIP 要在"
                "加速器之间收集嵌入的原因，也是 DualEncoder(gather=True) 在 tf.distribute 策略下"
                "这样做的原因。"),
)

#: NumericAnswer: negatives of one embedding with the gather (8 replicas of 32 pairs).
global_negatives = NumericAnswer(
    "scale.global_negatives",
    question=text(
        "A dual encoder trains on 8 replicas with a per-replica batch of 32 pairs, and the "
        "replicas gather their embeddings. In the image-to-audio direction, how many negatives "
        "does one image embedding meet?",
        "一个双编码器在 8 个副本上训练，每个副本的批次是 32 对样本，且各副本会收集彼此的嵌入。"
        "在图像到音频的方向上，一个图像嵌入会遇到多少个负样本？"),
    value=8 * 32 - 1,
    tolerance=0.5,
    mistakes=[
        (32 - 1, text("That is without the gather: each replica's own 32 pairs. The gather "
                      "makes the global batch, 8 * 32 pairs, visible to every replica.",
                      "这是不做收集的情况：只有每个副本自己的 32 对。收集之后，每个副本都能看到全局"
                      "批次的 8 * 32 对。")),
        (8 * 32, text("One of the global batch's audio embeddings is the image's own pair, its "
                      "positive: subtract it.",
                      "全局批次的音频嵌入中有一个是这张图像自己的配对，即正样本：要减去它。")),
        (32, text("That is one replica's batch, positive included: with the gather the "
                  "negatives come from all 8 * 32 pairs, less the positive.",
                  "这是一个副本的批次，还包含了正样本：收集之后负样本来自全部 8 * 32 对，"
                  "再减去正样本。")),
        (2 * (8 * 32 - 1), text("Count one direction only: image to audio.",
                                "只数一个方向：图像到音频。")),
    ],
    working=text("The global batch is 8 * 32 = 256 pairs; all but the image's own audio are "
                 "negatives: 255.",
                 "全局批次是 8 * 32 = 256 对；除了这张图像自己的音频，其余都是负样本：255。"),
    hints=(text("The global batch is the sum of the replicas' batches.",
                "全局批次是各副本批次之和。"),
           text("A negative is any audio embedding of the global batch except the positive.",
                "负样本是全局批次中除正样本外的任何音频嵌入。")),
    remark=text("More negatives make the contrastive task harder and its gradient more "
                "informative: one reason CLIP trained with a global batch of 32,768.",
                "负样本越多，对比任务越难，梯度信息也越丰富：这是 CLIP 用 32,768 的全局批次训练的"
                "原因之一。"),
)

#: MultipleChoice: why batch-normalization statistics are synchronized across replicas.
synchronized_batch_norm = MultipleChoice(
    "scale.synchronized_batch_norm",
    question=text(
        "Two replicas train the audio encoder, which begins with BatchNormalization, on halves "
        "of each global batch. Why does the package synchronize the batch statistics "
        "(BatchNormalization(synchronized=True)) across replicas?",
        "两个副本在每个全局批次的两半上训练音频编码器，而音频编码器以 BatchNormalization 开头。"
        "为什么本包要在副本之间同步批统计量（BatchNormalization(synchronized=True)）？"),
    options={
        "a": text("Each half has its own mean and variance; normalizing with them changes the "
                  "activations and the gradients, so the replicas would train a different model "
                  "from one device on the same global batch.",
                  "每一半都有自己的均值和方差；用它们归一化会改变激活和梯度，因此副本训练出的模型"
                  "会与单个设备在同一全局批次上训练的模型不同。"),
        "b": text("Without it the replicas' weights drift apart, since each applies its own "
                  "gradients.",
                  "否则各副本的权重会逐渐分离，因为每个副本使用自己的梯度。"),
        "c": text("It makes training faster.", "它让训练更快。"),
        "d": text("The moving averages used at inference cannot be saved otherwise.",
                  "否则推理时用的滑动平均无法保存。"),
    },
    answer="a",
    feedback={
        "b": text("MirroredStrategy sums the replicas' gradients before every update, so the "
                  "weights stay identical with or without synchronized statistics; what differs "
                  "is the gradient itself, computed from per-half statistics.",
                  "MirroredStrategy 在每次更新前对各副本的梯度求和，所以无论是否同步统计量，权重"
                  "都保持一致；不同的是梯度本身，它是由每一半的统计量算出来的。"),
        "c": text("It is slower: one more all-reduce per normalization layer and step. It is "
                  "chosen for correctness.",
                  "它更慢：每个归一化层每一步都多一次 all-reduce。选择它是为了正确性。"),
        "d": text("Moving averages are variables like any other and are saved either way.",
                  "滑动平均和其他变量一样，无论如何都会被保存。"),
    },
    explanation=text(
        "Batch normalization computes mu_B and sigma_B^2 over the batch it sees; on a replica "
        "that is half the global batch. Synchronized statistics are those of the global batch, "
        "so two replicas compute exactly what one device computes.",
        "批归一化在它看到的批次上计算 mu_B 和 sigma_B^2；在一个副本上那只是全局批次的一半。"
        "同步后的统计量是全局批次的，所以两个副本算出的与单个设备完全相同。"),
    hints=(text("What does a replica's BatchNormalization compute its mean over?",
                "一个副本上的 BatchNormalization 是在什么上计算均值的？"),),
    remark=text("With small per-replica batches the per-replica statistics are also noisy; "
                "synchronizing them is what large-scale detection and segmentation models do.",
                "每个副本的批次较小时，各自的统计量还会很嘈杂；同步统计量正是大规模检测和分割模型的"
                "做法。"),
)

#: MultipleChoice: why the output layer stays float32 under a mixed policy.
float32_outputs = MultipleChoice(
    "scale.float32_outputs",
    question=text(
        "Under keras.mixed_precision's 'mixed_float16' policy, the package's models compute "
        "their hidden layers in float16 but their softmax (and the dual encoder's projection) "
        "in float32. Why?",
        "在 keras.mixed_precision 的 'mixed_float16' 策略下，本包的模型用 float16 计算隐藏层，"
        "却用 float32 计算 softmax（以及双编码器的投影）。为什么？"),
    options={
        "a": text("The weights are float16 under the policy, and the last layer needs float32 "
                  "weights.", "在该策略下权重是 float16，而最后一层需要 float32 权重。"),
        "b": text("float16 rounds small probabilities to 0 and its smallest positive number is "
                  "about 6e-8, so a float16 softmax and a normalization by max(norm, 1e-12) "
                  "give log(0) or 0 / 0 in the loss.",
                  "float16 会把很小的概率舍入为 0，其最小正数约为 6e-8，因此 float16 的 softmax "
                  "以及用 max(norm, 1e-12) 做的归一化会在损失中产生 log(0) 或 0 / 0。"),
        "c": text("XLA cannot compile a float16 softmax.", "XLA 无法编译 float16 的 softmax。"),
        "d": text("It is faster.", "这样更快。"),
    },
    answer="b",
    feedback={
        "a": text("Under a mixed policy the weights stay float32 (the variable dtype); only the "
                  "computation is float16.",
                  "在混合策略下权重仍是 float32（变量 dtype）；只有计算是 float16。"),
        "c": text("XLA compiles float16 softmax fine; the problem is its range, not compilation.",
                  "XLA 可以编译 float16 的 softmax；问题在于它的数值范围，而不是编译。"),
        "d": text("float32 is slower on hardware with fast float16 units; it is chosen for the "
                  "numerics.",
                  "在有快速 float16 单元的硬件上 float32 更慢；选择它是为了数值稳定。"),
    },
    explanation=text(
        "A float16 number smaller than about 6e-8 is 0, and 1e-12 is 0: the loss would take "
        "log(0) or divide by 0. Keras's mixed-precision guide keeps the output layer float32; "
        "the few float32 operations cost little.",
        "小于约 6e-8 的 float16 数就是 0，1e-12 也是 0：损失会取 log(0) 或除以 0。Keras 的混合精度"
        "指南让输出层保持 float32；少量 float32 运算代价很小。"),
    hints=(text("What is 1e-12 in float16?", "1e-12 在 float16 中是多少？"),),
    remark=text("Before this, the dual encoder's loss was NaN under mixed_float16 whenever an "
                "embedding had norm 0.",
                "在此之前，只要某个嵌入的范数为 0，双编码器在 mixed_float16 下的损失就是 NaN。"),
)

#: ExperimentAnswer: the dual encoder's XLA speed-up read from the benchmark report.
xla_speedup_experiment = ExperimentAnswer(
    "scale.xla_speedup_experiment",
    question=text(
        "Read benchmarks/results/bench_scaling.json with mmtutor.reports.read_report and "
        "compute the dual encoder's XLA speed-up: its examples per second with XLA divided by "
        "those in float32 (both on one device). Check it against the chapter's value: "
        ".check(speedup, baseline=chapter_value).",
        "用 mmtutor.reports.read_report 读取 benchmarks/results/bench_scaling.json，计算双编码器"
        "的 XLA 加速比：使用 XLA 时每秒处理的样本数除以 float32 时的（均在单个设备上）。再与本章的"
        "数值比较：.check(speedup, baseline=chapter_value)。"),
    expect="similar",
    margin=0.01,
    valid_range=(0.0, 100.0),
    feedback=text(
        "You computed {measured:.4g}, more than {margin:g} away from the chapter's "
        "{baseline:.4g}. Take report['runs'][0]['dual']['xla']['examples_per_second'] over "
        "report['runs'][0]['dual']['float32']['examples_per_second'].",
        "你算得 {measured:.4g}，与本章的 {baseline:.4g} 相差超过 {margin:g}。请用 "
        "report['runs'][0]['dual']['xla']['examples_per_second'] 除以 "
        "report['runs'][0]['dual']['float32']['examples_per_second']。"),
    explanation=text(
        "The ratio of the two medians in the report; above 1, XLA trains faster once compiled, "
        "and its first step (compilation) says how many steps it takes to pay that back.",
        "报告中两个中位数之比；大于 1 表示 XLA 编译后训练更快，而它的第一步（编译）说明需要多少步"
        "才能收回这笔开销。"),
    hints=(text("report['runs'][0] holds one dict per model, then one per setting.",
                "report['runs'][0] 中每个模型一个字典，其下每个设置一个字典。"),),
    remark=text("A speed-up measured on one machine under load is a measurement, not a law: "
                "run the benchmark on your own hardware before deciding.",
                "在一台有负载的机器上测得的加速比只是一次测量，而非定律：做决定前请在自己的硬件上运行"
                "基准测试。"),
)
