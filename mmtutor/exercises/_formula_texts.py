"""The texts of :mod:`mmtutor.exercises.formulas`: questions, hints, remarks, mistakes.

Kept apart from the checkers so that a translation touches one file. Every entry is
``text(english, chinese)``.
"""

from mmtutor.exercises._language import text

_ZEROS = text(
    "NaN where a wrong class has probability exactly 0: 0 * log(0) is 0 * (-inf) = NaN in "
    "floating point. Take the log of the true class's probability only, "
    "np.sum(y_true * y_prob, axis=-1), or clip the probabilities, np.clip(y_prob, 1e-7, 1), "
    "before the log.",
    "某个错误类别的概率恰好为 0 时得到了 NaN：在浮点运算中 0 * log(0) 等于 0 * (-inf) = NaN。"
    "只对真实类别的概率取对数（np.sum(y_true * y_prob, axis=-1)），或者先裁剪概率"
    "（np.clip(y_prob, 1e-7, 1)）再取对数。")

AE = {
    "question": text(
        "Write autoencoder_loss(x, x_hat): the squared error summed over each example's "
        "features, then averaged over the batch, L = 1/N sum_n ||x_n - x_hat_n||^2. x and "
        "x_hat have shape (N, ...); return one number.",
        "编写 autoencoder_loss(x, x_hat)：先对每个样本的所有特征求平方误差之和，再对批次取平均，"
        "L = 1/N sum_n ||x_n - x_hat_n||^2。x 和 x_hat 的形状为 (N, ...)；返回一个数。"),
    "hints": (
        text("The loss reduces twice: first over the features of each example, then over the "
             "examples.",
             "这个损失要归约两次：先在每个样本的特征上，再在样本之间。"),
        text("Square the differences, (x - x_hat) ** 2, and sum them over every axis except the "
             "first, axis=tuple(range(1, x.ndim)), which leaves shape (N,); then take the mean.",
             "先求差的平方 (x - x_hat) ** 2，再在除第一个轴以外的所有轴上求和"
             "（axis=tuple(range(1, x.ndim))），得到形状 (N,)；最后取平均。"),
        text("np.mean(np.sum((x - x_hat) ** 2, axis=tuple(range(1, x.ndim))))"),
    ),
    "remark": text(
        "This is mmtutor.losses.reconstruction_loss. Summing over the features, where Keras's "
        "mean_squared_error averages, makes the loss d times larger: the same minimum, but a "
        "learning rate tuned for one is wrong for the other.",
        "这就是 mmtutor.losses.reconstruction_loss。这里在特征上求和，而 Keras 的 "
        "mean_squared_error 求平均，因此损失大 d 倍：最小值相同，但为其中一个调好的学习率不适用于另"
        "一个。"),
    "mean_features": text(
        "You averaged over the features: sum the squared errors over each example's features "
        "and average only over the examples (your value is d times too small, like Keras's "
        "mean_squared_error).",
        "你在特征上取了平均：应在每个样本的特征上对平方误差求和，只在样本之间取平均"
        "（你的结果小了 d 倍，和 Keras 的 mean_squared_error 一样）。"),
    "sum_batch": text(
        "You summed over the batch as well: the loss is the mean over the examples of each "
        "example's summed squared error.",
        "你在批次上也求了和：损失是每个样本的平方误差之和在样本之间的平均。"),
    "norm": text("You took the norm ||x - x_hat||, not its square: drop the square root.",
                 "你算的是范数 ||x - x_hat||，而不是它的平方：去掉平方根。"),
    "abs": text("You summed absolute errors: the loss squares the differences.",
                "你对绝对误差求和了：损失应对差取平方。"),
    "axes": text(
        "Sum over every axis except the batch axis: for images (N, H, W) that is axis=(1, 2), "
        "in general axis=tuple(range(1, x.ndim)).",
        "要在除批次轴以外的所有轴上求和：对图像 (N, H, W) 是 axis=(1, 2)，"
        "一般写作 axis=tuple(range(1, x.ndim))。"),
}

CE = {
    "question": text(
        "Write cross_entropy(y_true, y_prob): one-hot targets and predicted probabilities, both "
        "of shape (N, C); return L = -1/N sum_i sum_c y_ic log(y_prob_ic). Some wrong classes "
        "have probability exactly 0.",
        "编写 cross_entropy(y_true, y_prob)：独热目标和预测概率，形状均为 (N, C)；返回 "
        "L = -1/N sum_i sum_c y_ic log(y_prob_ic)。有些错误类别的概率恰好为 0。"),
    "hints": (
        text("Only the true class's term of the inner sum is nonzero: the loss is the average "
             "over the examples of -log(probability of the true class).",
             "内层求和中只有真实类别那一项不为零：损失是各样本 -log(真实类别概率) 的平均。"),
        text("Beware 0 * log(0): in floating point it is 0 * (-inf) = NaN. Pick out the true "
             "class's probability first, np.sum(y_true * y_prob, axis=1), or clip the "
             "probabilities, np.clip(y_prob, 1e-7, 1), before the log.",
             "小心 0 * log(0)：浮点运算中它等于 0 * (-inf) = NaN。先取出真实类别的概率"
             "（np.sum(y_true * y_prob, axis=1)），或在取对数前裁剪概率（np.clip(y_prob, 1e-7, 1)）"
             "。"),
        text("-np.mean(np.log(np.sum(y_true * y_prob, axis=1)))"),
    ),
    "remark": text(
        "This is mmtutor.losses.categorical_crossentropy. With a softmax in front, its gradient "
        "with respect to the logits is (y_hat - y) / N.",
        "这就是 mmtutor.losses.categorical_crossentropy。前面接 softmax 时，它对 logits 的梯度是 "
        "(y_hat - y) / N。"),
    "zeros_label": text("exact zeros among the wrong classes' probabilities",
                        "错误类别的概率中有恰好为 0 的值"),
    "zeros": _ZEROS,
    "sign": text("Check the sign: the loss is a negative log-likelihood, so it is >= 0; put a "
                 "minus in front.",
                 "检查符号：损失是负对数似然，应当 >= 0；在前面加上负号。"),
    "sum_batch": text("You summed over the examples: the loss is the mean over the batch "
                      "(divide by N).",
                      "你在样本上求和了：损失是批次上的平均（除以 N）。"),
    "mean_classes": text(
        "You averaged over the classes too: sum over the classes (only the true class "
        "contributes), then average over the examples; your value is C times too small.",
        "你在类别上也取了平均：应在类别上求和（只有真实类别有贡献），再在样本之间取平均；"
        "你的结果小了 C 倍。"),
    "no_log": text("Take the logarithm: the loss is -log p of the true class, not -p.",
                   "要取对数：损失是真实类别的 -log p，而不是 -p。"),
    "log_base": text("Use the natural logarithm, np.log: your value matches log base 2 or 10.",
                     "请用自然对数 np.log：你的结果对应以 2 或 10 为底的对数。"),
}

SEQ = {
    "question": text(
        "Write sequence_cross_entropy(y_true, y_prob, mask): targets and probabilities of shape "
        "(N, T, C), a boolean mask (N, T), True for real steps. Average each sequence's per-step "
        "cross-entropy over its real steps (0 for a sequence without any), then average over "
        "the batch.",
        "编写 sequence_cross_entropy(y_true, y_prob, mask)：目标和概率的形状为 (N, T, C)，布尔掩码 "
        "(N, T) 中 True 表示真实步。先把每个序列的逐步交叉熵在它的真实步上取平均（没有真实步的序列"
        "记为 0），再在批次上取平均。"),
    "hints": (
        text("Compute the per-step loss, shape (N, T), as in cross_entropy; then use the mask.",
             "像 cross_entropy 那样先算出逐步损失，形状 (N, T)；然后再使用掩码。"),
        text("Multiply the per-step losses by the mask, sum over the steps, and divide each "
             "sequence by its own number of real steps, mask.sum(axis=1).",
             "把逐步损失乘以掩码，在步上求和，再把每个序列除以它自己的真实步数 mask.sum(axis=1)。"),
        text("A sequence without real steps gives 0/0: divide by np.maximum(mask.sum(axis=1), 1) "
             "so that it contributes 0, and keep it in the batch mean.",
             "没有真实步的序列会得到 0/0：除以 np.maximum(mask.sum(axis=1), 1)，让它贡献 0，"
             "并且仍然计入批次平均。"),
    ),
    "remark": text(
        "This is mmtutor.losses.sequence_crossentropy with mask=. Dividing each sequence by its "
        "own length makes a short padded sequence weigh as much as a long one; Keras's masked "
        "losses average over all real steps of the batch instead.",
        "这就是带 mask= 的 mmtutor.losses.sequence_crossentropy。每个序列除以自己的长度，"
        "使短的填充序列与长序列权重相同；Keras 的掩码损失则是在整个批次的所有真实步上取平均。"),
    "empty_label": text("a fully masked sequence", "一个被完全掩码的序列"),
    "empty": text(
        "NaN for a fully masked sequence: it has no real step, so its average is 0/0. Give it "
        "loss 0: divide by np.maximum(mask.sum(axis=1), 1).",
        "完全被掩码的序列得到了 NaN：它没有真实步，平均值是 0/0。让它的损失为 0："
        "除以 np.maximum(mask.sum(axis=1), 1)。"),
    "ignore_mask": text(
        "Padded steps were counted: multiply the per-step losses by the mask and divide each "
        "sequence by its number of real steps, mask.sum(axis=1), not by T.",
        "填充步也被计入了：把逐步损失乘以掩码，并把每个序列除以它的真实步数 mask.sum(axis=1)，"
        "而不是 T。"),
    "divide_by_t": text(
        "You divided each sequence by T, the padded length: divide by its number of real "
        "steps, mask.sum(axis=1).",
        "你把每个序列除以了填充后的长度 T：应除以它的真实步数 mask.sum(axis=1)。"),
    "token_mean": text(
        "You averaged over all real steps of the batch at once (as Keras does): average each "
        "sequence over its own real steps first, then average the sequences, so that a short "
        "sequence weighs as much as a long one.",
        "你一次性在整个批次的所有真实步上取了平均（Keras 的做法）：应先在每个序列自己的真实步上"
        "取平均，再对序列取平均，这样短序列与长序列权重相同。"),
    "no_division": text("You summed over the steps: average each sequence over its real steps "
                        "(divide by mask.sum(axis=1)).",
                        "你在步上求和了：应在每个序列的真实步上取平均（除以 mask.sum(axis=1)）。"),
    "drop_empty": text(
        "A fully masked sequence still counts in the batch mean, with loss 0: divide by N, not "
        "by the number of sequences that have real steps.",
        "完全被掩码的序列仍计入批次平均，其损失为 0：应除以 N，而不是有真实步的序列数。"),
    "sum_batch": text("You summed over the sequences: average over the batch.",
                      "你在序列上求和了：应在批次上取平均。"),
}

ATT = {
    "question": text(
        "Write attention_pool(values, query, mask): values (N, n, d), query (d,), a boolean "
        "mask (N, n), True for real steps. Return (context, weights) of shapes (N, d) and "
        "(N, n): alpha_i = exp(a^T v_i) / sum_j exp(a^T v_j) over the real steps, "
        "z = sum_i alpha_i v_i. Masked steps get weight 0; a fully masked row gives zero "
        "weights and a zero context.",
        "编写 attention_pool(values, query, mask)：values 形状 (N, n, d)，query 形状 (d,)，"
        "布尔掩码 "
        "(N, n) 中 True 表示真实步。返回形状为 (N, d) 和 (N, n) 的 (context, weights)：在真实步上 "
        "alpha_i = exp(a^T v_i) / sum_j exp(a^T v_j)，z = sum_i alpha_i v_i。被掩码的步权重为 0；"
        "完全被掩码的行给出全零的权重和全零的 context。"),
    "hints": (
        text("Scores first: values @ query has shape (N, n). Then a softmax over the steps "
             "(axis 1) that skips masked steps.",
             "先算分数：values @ query 的形状是 (N, n)。然后在步（axis 1）上做跳过被掩码步的 "
             "softmax。"),
        text("Give masked steps a score of -inf, np.where(mask, scores, -np.inf), and subtract "
             "each row's maximum before exp, so that scores of 1e4 cannot overflow.",
             "把被掩码步的分数设为 -inf（np.where(mask, scores, -np.inf)），并在取 exp 前减去每行的"
             "最大值，这样 1e4 量级的分数也不会溢出。"),
        text("In a fully masked row every score is -inf: use 0 as its maximum and divide by the "
             "sum only where the sum is positive. The context is "
             "np.einsum('nt,ntd->nd', weights, values).",
             "完全被掩码的行所有分数都是 -inf：把它的最大值取为 0，并且只在和为正时才相除。context "
             "是 "
             "np.einsum('nt,ntd->nd', weights, values)。"),
    ),
    "remark": text(
        "This is mmtutor.layers.attention_pool. Subtracting the maximum changes nothing "
        "mathematically (softmax is shift-invariant) and keeps every exponent <= 0; masked "
        "steps get exactly 0.",
        "这就是 mmtutor.layers.attention_pool。减去最大值在数学上不改变结果（softmax 对平移不变），"
        "却让所有指数都 <= 0；被掩码的步权重恰好为 0。"),
    "big_label": text("scores of magnitude 1e4", "量级为 1e4 的分数"),
    "big": text(
        "NaN for scores of magnitude 1e4: exp overflows (or underflows to 0/0). Subtract each "
        "row's largest score over its real steps before exp; softmax does not change when the "
        "same number is subtracted from every score.",
        "分数量级为 1e4 时得到了 NaN：exp 上溢（或下溢成 0/0）。在取 exp 前减去每行真实步上的最大"
        "分数；所有分数减去同一个数时 softmax 不变。"),
    "big_differs": text(
        "With scores of magnitude 1e4 your values differ: subtract each row's largest score "
        "over its real (unmasked) steps before exp, not the largest over all steps.",
        "分数量级为 1e4 时结果不同：在取 exp 前应减去每行真实（未被掩码）步上的最大分数，"
        "而不是所有步上的最大分数。"),
    "empty_label": text("a fully masked row", "一个被完全掩码的行"),
    "empty": text(
        "NaN for a fully masked row: with no real step the sum of exps is 0, and 0/0 is NaN. "
        "Give such a row zero weights, e.g. divide by the sum only where it is positive.",
        "完全被掩码的行得到了 NaN：没有真实步时 exp 之和为 0，而 0/0 是 NaN。让这样的行权重全为 0，"
        "例如只在和为正时才相除。"),
    "empty_row": text(
        "A fully masked row must give zero weights and a zero context: it has no real step to "
        "attend to. Yours gives it nonzero values (uniform weights?).",
        "完全被掩码的行必须给出全零的权重和全零的 context：它没有可关注的真实步。你的结果在这一行"
        "不为零（是均匀权重吗？）。"),
    "masked_step": text(
        "A masked step got a nonzero weight: set masked scores to -inf (or multiply the exps by "
        "the mask) before normalising, so that padded steps get weight exactly 0.",
        "被掩码的步得到了非零权重：在归一化之前把被掩码的分数设为 -inf（或把 exp 乘以掩码），"
        "使填充步的权重恰好为 0。"),
    "over_batch": text(
        "Your weights sum to 1 over the batch (axis 0): normalise each example over its own "
        "steps, axis 1.",
        "你的权重是在批次上（axis 0）和为 1：应在每个样本自己的步上（axis 1）归一化。"),
    "unnormalised": text(
        "The weights of an example should sum to 1 over its real steps: divide the exps by "
        "their sum over axis 1 (keepdims=True).",
        "一个样本的权重在它的真实步上之和应为 1：把 exp 除以它们在 axis 1 上的和"
        "（keepdims=True）。"),
    "scaled": text("The chapter's formula has no 1/sqrt(d) scale: alpha_i = softmax_i(a^T v_i).",
                   "本章的公式没有 1/sqrt(d) 缩放：alpha_i = softmax_i(a^T v_i)。"),
    "context": text(
        "Your weights are right but the context is not: z = sum_i alpha_i v_i, a weighted sum "
        "over the steps, np.einsum('nt,ntd->nd', weights, values).",
        "你的权重是对的，但 context 不对：z = sum_i alpha_i v_i 是在步上的加权和，"
        "np.einsum('nt,ntd->nd', weights, values)。"),
}
