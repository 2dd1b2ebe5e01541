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
        "the mask) before normalizing, so that padded steps get weight exactly 0.",
        "被掩码的步得到了非零权重：在归一化之前把被掩码的分数设为 -inf（或把 exp 乘以掩码），"
        "使填充步的权重恰好为 0。"),
    "over_batch": text(
        "Your weights sum to 1 over the batch (axis 0): normalize each example over its own "
        "steps, axis 1.",
        "你的权重是在批次上（axis 0）和为 1：应在每个样本自己的步上（axis 1）归一化。"),
    "unnormalized": text(
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


# ---- Questions answered with a number or a choice, one group per page of chapter 3 ----------

AE_HAND = {
    "question": text(
        "Two examples with d = 3 values each: x_1 = (1, 0, 2) with reconstruction "
        "x_hat_1 = (0.5, 0, 4), and x_2 = (0, 1, 1) with x_hat_2 = (0, 0, 1). Compute the "
        "autoencoder loss L = 1/N sum_n ||x_n - x_hat_n||^2 by hand.",
        "两个样本，每个有 d = 3 个值：x_1 = (1, 0, 2)，重建为 x_hat_1 = (0.5, 0, 4)；"
        "x_2 = (0, 1, 1)，重建为 x_hat_2 = (0, 0, 1)。手算自编码器损失 "
        "L = 1/N sum_n ||x_n - x_hat_n||^2。"),
    "hints": (
        text("First each example's squared error, summed over its three values; then the mean "
             "of the two.",
             "先算每个样本三个值上的平方误差之和，再对两个样本取平均。"),
        text("Example 1: 0.5^2 + 0^2 + 2^2. Example 2: 0^2 + 1^2 + 0^2.",
             "样本 1：0.5^2 + 0^2 + 2^2。样本 2：0^2 + 1^2 + 0^2。"),
    ),
    "working": text("(0.25 + 0 + 4) = 4.25 and (0 + 1 + 0) = 1; their mean is 2.625.",
                    "(0.25 + 0 + 4) = 4.25，(0 + 1 + 0) = 1；两者的平均是 2.625。"),
    "remark": text("Keras's mean_squared_error of the same batch is 0.875, three times smaller: "
                   "it averages over the d = 3 values.",
                   "同一批数据的 Keras mean_squared_error 是 0.875，小了三倍："
                   "它在 d = 3 个值上取平均。"),
    "sum_batch": text("That is the sum over the two examples: divide by N = 2.",
                      "这是两个样本之和：还要除以 N = 2。"),
    "mse": text("That is the mean over all six values, Keras's mean squared error: sum over each "
                "example's values, average only over the examples.",
                "这是六个值的平均，即 Keras 的均方误差："
                "应在每个样本的值上求和，只在样本之间取平均。"),
    "norm": text("You averaged the norms ||x_n - x_hat_n||: the loss squares them.",
                 "你对范数 ||x_n - x_hat_n|| 取了平均：损失用的是范数的平方。"),
    "abs": text("You summed absolute differences: the loss squares them.",
                "你对差的绝对值求和了：损失要对差取平方。"),
}

AE_NOISE = {
    "question": text(
        "Minimizing the autoencoder's squared error is maximum likelihood for which model of "
        "the input x given the code h?",
        "最小化自编码器的平方误差，相当于对给定编码 h 时输入 x 的哪种模型做最大似然？"),
    "options": {
        "a": text("every value Gaussian around the decoder's output D(h), with one fixed "
                  "variance",
                  "每个值服从以解码器输出 D(h) 为均值、方差固定且相同的高斯分布"),
        "b": text("every value 0 or 1, Bernoulli with the decoder's output as its probability",
                  "每个值为 0 或 1，服从以解码器输出为概率的伯努利分布"),
        "c": text("every value Laplace-distributed around D(h)",
                  "每个值服从以 D(h) 为中心的拉普拉斯分布"),
        "d": text("every value Gaussian around D(h), with a variance the decoder also predicts",
                  "每个值服从以 D(h) 为均值的高斯分布，方差也由解码器预测"),
    },
    "feedback": {
        "b": text("A Bernoulli model gives the binary cross-entropy, "
                  "-x log x_hat - (1 - x) log(1 - x_hat), not the squared error.",
                  "伯努利模型给出的是二元交叉熵 -x log x_hat - (1 - x) log(1 - x_hat)，"
                  "而不是平方误差。"),
        "c": text("The negative log-likelihood of Laplace noise is the absolute error "
                  "|x - x_hat|, up to constants.",
                  "拉普拉斯噪声的负对数似然（忽略常数）是绝对误差 |x - x_hat|。"),
        "d": text("With a predicted variance the terms log sigma^2 depend on the network and each "
                  "squared error is weighted by 1/sigma^2: not the plain squared error.",
                  "方差由网络预测时，log sigma^2 项依赖于网络，而且每个平方误差都被 1/sigma^2 "
                  "加权：这不是普通的平方误差。"),
    },
    "explanation": text(
        "-log N(x; D(h), sigma^2 I) = ||x - D(h)||^2 / (2 sigma^2) + (d/2) log(2 pi sigma^2); "
        "with sigma fixed the second term is a constant, so minimizing the squared error "
        "maximizes the likelihood.",
        "-log N(x; D(h), sigma^2 I) = ||x - D(h)||^2 / (2 sigma^2) + (d/2) log(2 pi sigma^2)；"
        "sigma 固定时第二项是常数，所以最小化平方误差就是最大化似然。"),
    "hints": (text("Write down the negative log-likelihood of each option and look for "
                   "(x - x_hat)^2.",
                   "写出每个选项的负对数似然，找出含 (x - x_hat)^2 的那个。"),),
    "remark": text("The choice of loss is a choice of noise model: binary images suit the "
                   "Bernoulli one, heavy-tailed errors the Laplace one.",
                   "选择损失就是选择噪声模型：二值图像适合伯努利模型，重尾误差适合拉普拉斯模型。"),
}

AE_TEST = {
    "question": text(
        "The page's linear autoencoder and PCA were both fit to the training digits. Center the "
        "test digits with the training mean, reconstruct them with both (no training again), "
        "and pass the ratio of the two losses: .check(loss_autoencoder / loss_pca). Does the "
        "autoencoder stay as good as PCA on digits neither has seen?",
        "本页的线性自编码器和 PCA 都是在训练集数字上拟合的。用训练集的均值把测试集数字中心化，"
        "用两者分别重建（不要重新训练），并传入两个损失之比：.check(loss_autoencoder / loss_pca)。"
        "在两者都没见过的数字上，自编码器是否仍和 PCA 一样好？"),
    "feedback": text(
        "Your ratio {measured:.4g} lies outside [{low:.4g}, {high:.4g}]. Center the test digits "
        "with the training mean (the one both models were fit with), flatten them to 64 values, "
        "and compute both losses with reconstruction_loss on the same centered digits.",
        "你的比值 {measured:.4g} 不在 [{low:.4g}, {high:.4g}] 内。请用训练集的均值（两个模型拟合时"
        "用的那个）中心化测试集数字，展平为 64 个值，并在同样中心化后的数字上用 "
        "reconstruction_loss 计算两个损失。"),
    "explanation": text(
        "Both project onto the same 8-dimensional subspace, so they reconstruct new digits "
        "equally well: the ratio is 1 to a few decimals. The test loss is higher than the "
        "training loss for both, since the subspace was fit to the training digits.",
        "两者投影到同一个 8 维子空间，所以重建新数字的效果相同：比值在小数点后几位都等于 1。"
        "两者的测试损失都高于训练损失，因为子空间是按训练集数字拟合的。"),
    "hints": (text("x_test.reshape(len(x_test), -1) - mean, then linear_ae(...) and "
                   "pca.inverse_transform(pca.transform(...))",
                   "x_test.reshape(len(x_test), -1) - mean，然后 linear_ae(...) 和 "
                   "pca.inverse_transform(pca.transform(...))"),),
    "remark": text("Same subspace, same reconstructions: what the linear autoencoder learned is "
                   "PCA, on new data too.",
                   "子空间相同，重建也相同：线性自编码器学到的就是 PCA，在新数据上也一样。"),
}

CE_HAND = {
    "question": text(
        "A classifier gives three examples these probabilities for their true classes: 0.8, "
        "0.5 and 0.25 (the table on the page). Compute the cross-entropy L, with the natural "
        "logarithm.",
        "一个分类器给三个样本的真实类别的概率分别是 0.8、0.5 和 0.25（见本页的表）。用自然对数"
        "计算交叉熵 L。"),
    "hints": (
        text("Only the true class's term survives: L is the mean of -log(p_true).",
             "只有真实类别那一项保留下来：L 是 -log(p_true) 的平均。"),
        text("-log 0.8 = 0.223, -log 0.5 = 0.693, -log 0.25 = 1.386.",
             "-log 0.8 = 0.223，-log 0.5 = 0.693，-log 0.25 = 1.386。"),
    ),
    "working": text("(0.2231 + 0.6931 + 1.3863) / 3 = 0.7675.",
                    "(0.2231 + 0.6931 + 1.3863) / 3 = 0.7675。"),
    "remark": text("The three terms add up to log 10, since the probabilities multiply to 1/10: "
                   "cross-entropy is minus the log-likelihood of the labels, divided by N.",
                   "三项之和是 log 10，因为三个概率之积是 1/10："
                   "交叉熵就是标签的负对数似然除以 N。"),
    "sum": text("That is the sum over the examples: divide by N = 3.",
                "这是对样本的求和：还要除以 N = 3。"),
    "log2": text("That is in bits (log base 2): the loss uses the natural logarithm.",
                 "这是以比特为单位（以 2 为底的对数）：损失用的是自然对数。"),
    "log10": text("That uses log base 10: the loss uses the natural logarithm.",
                  "这用的是以 10 为底的对数：损失用的是自然对数。"),
    "sign": text("Check the sign: log of a probability is negative, and the loss is its "
                 "negative, so L >= 0.",
                 "检查符号：概率的对数是负的，损失取它的相反数，所以 L >= 0。"),
    "all_classes": text("You divided by N C = 9 entries: average over the examples only.",
                        "你除以了 N C = 9 个元素：只应在样本之间取平均。"),
}

CE_GRAD = {
    "question": text(
        "A softmax turns the logits s into probabilities y_hat, and the loss of one example is "
        "l = -sum_c y_c log y_hat_c with a one-hot y. What is dl/ds_k?",
        "softmax 把 logits s 变成概率 y_hat，一个样本的损失是 l = -sum_c y_c log y_hat_c，"
        "其中 y 为独热向量。dl/ds_k 等于什么？"),
    "options": {
        "a": text("y_hat_k - y_k"),
        "b": text("-y_k / y_hat_k"),
        "c": text("y_hat_k (1 - y_hat_k)"),
        "d": text("2 (y_hat_k - y_k)"),
    },
    "feedback": {
        "b": text("That is the gradient with respect to the probability y_hat_k, not the logit: "
                  "the chain rule through the softmax is still missing.",
                  "这是对概率 y_hat_k 的梯度，不是对 logit 的：还缺少经过 softmax 的链式法则。"),
        "c": text("That is dy_hat_k/ds_k, one entry of the softmax's Jacobian, not the loss's "
                  "gradient.",
                  "这是 dy_hat_k/ds_k，softmax 雅可比矩阵的一个元素，不是损失的梯度。"),
        "d": text("That looks like a squared error's gradient; the cross-entropy has no factor 2.",
                  "这像是平方误差的梯度；交叉熵没有因子 2。"),
    },
    "explanation": text(
        "l = -sum_c y_c s_c + log sum_c' exp(s_c'); the first term gives -y_k, the second "
        "softmax(s)_k = y_hat_k. Over a batch the mean adds a factor 1/N.",
        "l = -sum_c y_c s_c + log sum_c' exp(s_c')；第一项给出 -y_k，第二项给出 "
        "softmax(s)_k = y_hat_k。对批次取平均时再乘以 1/N。"),
    "hints": (text("Write log y_hat_c = s_c - log sum_c' exp(s_c') and use sum_c y_c = 1.",
                   "写出 log y_hat_c = s_c - log sum_c' exp(s_c')，并利用 sum_c y_c = 1。"),),
    "remark": text("The gradient is the prediction error itself: no exponential, no division, "
                   "and about -1 on the true class when the model is confidently wrong.",
                   "梯度就是预测误差本身：没有指数也没有除法；"
                   "模型自信地犯错时，真实类别上的梯度约为 -1。"),
}

CE_SCALE = {
    "question": text(
        "Multiply the trained softmax regression's test logits by 10. The predicted classes, "
        "and so the accuracy, do not change. Compute the test cross-entropy of the scaled "
        "logits and compare it with the page's: .check(loss_scaled, baseline=test_loss).",
        "把训练好的 softmax 回归在测试集上的 logits 乘以 10。预测类别和准确率都不变。计算放大后"
        "logits 的测试交叉熵，并与本页的结果比较：.check(loss_scaled, baseline=test_loss)。"),
    "feedback": text(
        "You measured {measured:.4g}, not higher than the page's {baseline:.4g}. Multiply the "
        "logits (before the softmax), keep from_logits=True, and use the test digits.",
        "你测得 {measured:.4g}，没有高于本页的 {baseline:.4g}。请乘以 logits（softmax 之前），"
        "保留 from_logits=True，并使用测试集数字。"),
    "explanation": text(
        "Scaled logits make every prediction more confident. The right ones gain almost "
        "nothing (-log p is already near 0), while each wrong one now costs about ten times "
        "its margin: the loss rises although the accuracy is the same.",
        "放大 logits 让每个预测都更自信。正确的预测几乎没有收益（-log p 已接近 0），"
        "而每个错误的预测现在要付出约十倍于其间隔的代价：准确率不变，损失却上升了。"),
    "hints": (text("categorical_crossentropy(y_test_1h, 10 * test_logits, from_logits=True)"),),
    "remark": text("Cross-entropy scores the probabilities, not just the ranking: an "
                   "overconfident model pays for every mistake.",
                   "交叉熵评价的是概率，而不只是排序：过度自信的模型要为每个错误付出代价。"),
}

SEQ_HAND = {
    "question": text(
        "A batch of two sequences padded to T = 3 steps (the table on the page): sequence 1 has "
        "3 real steps with per-step losses 0.2, 0.4 and 0.6; sequence 2 has 1 real step with "
        "loss 1.0, then two padded steps. Compute mmtutor's masked sequence cross-entropy.",
        "一批两个序列，填充到 T = 3 步（见本页的表）：序列 1 有 3 个真实步，每步损失为 0.2、0.4 和"
        " 0.6；序列 2 有 1 个真实步，损失为 1.0，后面是两个填充步。"
        "计算 mmtutor 的带掩码序列交叉熵。"),
    "hints": (
        text("Each sequence's mean over its own real steps first, then the mean over the two "
             "sequences.",
             "先求每个序列在自己真实步上的平均，再对两个序列取平均。"),
        text("Sequence 1: (0.2 + 0.4 + 0.6) / 3. Sequence 2: 1.0 / 1.",
             "序列 1：(0.2 + 0.4 + 0.6) / 3。序列 2：1.0 / 1。"),
    ),
    "working": text("(0.2 + 0.4 + 0.6) / 3 = 0.4 and 1.0 / 1 = 1.0; their mean is 0.7.",
                    "(0.2 + 0.4 + 0.6) / 3 = 0.4，1.0 / 1 = 1.0；两者的平均是 0.7。"),
    "remark": text("Each sequence counts once, however long: the short one weighs as much as "
                   "the long one.",
                   "每个序列无论长短都只计一次：短序列和长序列的权重相同。"),
    "per_token": text("That is the mean over all 4 real steps of the batch at once (Keras with a "
                      "Keras mask): average each sequence over its own steps first.",
                      "这是对整批 4 个真实步一起取平均（Keras 使用 Keras 掩码时的做法）：应先在每个"
                      "序列自己的步上取平均。"),
    "diluted": text("You divided by the padded length T = 3 (or by N T = 6): the padded steps "
                    "diluted the short sequence. Divide each sequence by its own real steps.",
                    "你除以了填充后的长度 T = 3（或 N T = 6）：填充步稀释了短序列的损失。应除以每个"
                    "序列自己的真实步数。"),
    "no_division": text("You summed each sequence's steps without dividing by its length.",
                        "你对每个序列的步求和了，却没有除以它的长度。"),
    "sum_batch": text("You summed over the two sequences: take their mean.",
                      "你对两个序列求和了：应取平均。"),
}

SEQ_MASK = {
    "question": text(
        "Sequences of different lengths are padded to T steps. What does the mask m_nt do in "
        "mmtutor's sequence cross-entropy?",
        "不同长度的序列被填充到 T 步。在 mmtutor 的序列交叉熵中，掩码 m_nt 起什么作用？"),
    "options": {
        "a": text("it leaves the padded steps out of the sum and divides each sequence by its own "
                  "number of real steps T_n",
                  "把填充步排除在求和之外，并用每个序列自己的真实步数 T_n 去除"),
        "b": text("it gives the padded steps a padding class for the network to predict",
                  "给填充步一个“填充”类别，让网络去预测"),
        "c": text("it sets the padded steps' targets to zero and divides by T",
                  "把填充步的目标设为零，再除以 T"),
        "d": text("it averages over all real steps of the batch at once",
                  "对整批数据的所有真实步一起取平均"),
    },
    "feedback": {
        "b": text("Padded steps carry no label; a padding class makes the network spend its "
                  "capacity predicting padding.",
                  "填充步没有标签；设一个填充类别会让网络把能力花在预测填充上。"),
        "c": text("That is the unmasked loss: zero targets add nothing, but dividing by T shrinks "
                  "a short sequence's loss by T_n / T.",
                  "那是不带掩码的损失：零目标不增加任何东西，但除以 T 会把短序列的损失缩小为 "
                  "T_n / T 倍。"),
        "d": text("That is Keras's per-token reduction with a Keras mask: a long sequence then "
                  "weighs more than a short one.",
                  "那是 Keras 使用 Keras 掩码时的逐词元归约：长序列的权重会大于短序列。"),
    },
    "explanation": text(
        "L = 1/N sum_n (1/T_n) sum_t m_nt l_nt: the mask removes the padded steps and T_n is the "
        "real length; a fully masked sequence contributes 0.",
        "L = 1/N sum_n (1/T_n) sum_t m_nt l_nt：掩码去掉填充步，T_n 是真实长度；"
        "完全被掩码的序列贡献 0。"),
    "hints": (text("Padding changes the shape of the batch, not what the sequence says.",
                   "填充改变的是批次的形状，而不是序列的内容。"),),
    "remark": text("With the mask, padding a sequence to any length leaves its loss unchanged, "
                   "as the page's plot shows.",
                   "有了掩码，把序列填充到任意长度都不会改变它的损失，如本页的图所示。"),
}

ATT_HAND = {
    "question": text(
        "Three steps v_1 = (1, 0), v_2 = (0, 1), v_3 = (1, 1) and the query a = (log 2, 0) "
        "(natural log). Compute the attention weights and the context z = sum_i alpha_i v_i by "
        "hand, and pass its first component z_1.",
        "三个步 v_1 = (1, 0)，v_2 = (0, 1)，v_3 = (1, 1)，查询 a = (log 2, 0)（自然对数）。手算"
        "注意力权重和 context z = sum_i alpha_i v_i，并传入它的第一个分量 z_1。"),
    "hints": (
        text("The scores are e_i = a^T v_i = (log 2, 0, log 2); their exps are (2, 1, 2).",
             "分数 e_i = a^T v_i = (log 2, 0, log 2)；它们的指数是 (2, 1, 2)。"),
        text("The weights are the exps divided by their sum, 5. Then z_1 = sum_i alpha_i v_i1.",
             "权重是指数除以它们的和 5。然后 z_1 = sum_i alpha_i v_i1。"),
    ),
    "working": text("alpha = (2, 1, 2) / 5 = (0.4, 0.2, 0.4), so z = 0.4 (1, 0) + 0.2 (0, 1) + "
                    "0.4 (1, 1) = (0.8, 0.6).",
                    "alpha = (2, 1, 2) / 5 = (0.4, 0.2, 0.4)，所以 z = 0.4 (1, 0) + 0.2 (0, 1) + "
                    "0.4 (1, 1) = (0.8, 0.6)。"),
    "remark": text("The steps with the higher score pull the context toward them; the context "
                   "stays inside the convex hull of the steps.",
                   "分数较高的步把 context 拉向自己；context 始终位于各步的凸包之内。"),
    "uniform": text("That is the plain mean of the steps: weight them by the softmax of the "
                    "scores.",
                    "这是各步的简单平均：应按分数的 softmax 加权。"),
    "unnormalized": text("You weighted by exp(e_i) without dividing by their sum, 5.",
                         "你用 exp(e_i) 加权，却没有除以它们的和 5。"),
    "scores": text("You weighted by the scores e_i themselves: apply the softmax first.",
                   "你直接用分数 e_i 加权：要先做 softmax。"),
    "second": text("That is the second component, z_2: pass z_1.",
                   "这是第二个分量 z_2：请传入 z_1。"),
    "scaled": text("You divided the scores by sqrt(d): the page's formula has no scaling.",
                   "你把分数除以了 sqrt(d)：本页的公式没有缩放。"),
}

ATT_SQRT = {
    "question": text(
        "The Transformer's attention divides the scores q^T k by sqrt(d). Why?",
        "Transformer 的注意力把分数 q^T k 除以 sqrt(d)。为什么？"),
    "options": {
        "a": text("q^T k sums d products, so its variance grows like d; large scores saturate "
                  "the softmax onto one step and its gradients vanish. Dividing by sqrt(d) "
                  "brings the variance back to 1",
                  "q^T k 是 d 个乘积之和，方差随 d 增长；"
                  "分数过大时 softmax 饱和到某一步，梯度消失。"
                  "除以 sqrt(d) 把方差拉回 1"),
        "b": text("so that the weights sum to 1", "让权重之和为 1"),
        "c": text("so that exp cannot overflow", "防止 exp 上溢"),
        "d": text("it makes attention cheaper to compute", "让注意力的计算更便宜"),
    },
    "feedback": {
        "b": text("The softmax makes the weights sum to 1 at any scale.",
                  "无论尺度如何，softmax 都让权重之和为 1。"),
        "c": text("Subtracting the largest score before exp prevents overflow exactly, at any "
                  "scale; the scaling is about the shape of the softmax.",
                  "在取 exp 前减去最大分数就能在任何尺度下防止上溢；缩放关乎的是 softmax 的形状。"),
        "d": text("A division costs more than none; it is about how spread out the scores are.",
                  "多一次除法只会更贵；它关乎的是分数的分散程度。"),
    },
    "explanation": text(
        "With independent entries of mean 0 and variance 1, Var(q^T k) = d. The page's plot "
        "shows the entropy of unscaled weights falling toward 0 as d grows, while scaled "
        "weights keep the same entropy.",
        "各元素独立、均值 0、方差 1 时，Var(q^T k) = d。本页的图显示：随着 d 增大，未缩放权重的熵"
        "趋向 0，而缩放后的权重熵保持不变。"),
    "hints": (text("Compute the variance of a sum of d independent products q_j k_j.",
                   "计算 d 个独立乘积 q_j k_j 之和的方差。"),),
    "remark": text("The article's unscaled formula is fine when the query is a learned weight, "
                   "which training can shrink; it matters when queries and keys both come from "
                   "a network.",
                   "当查询是可学习的权重时，文章中不缩放的公式没有问题，训练可以把它变小；"
                   "当查询和键都来自网络时缩放才重要。"),
}

ATT_MARKER = {
    "question": text(
        "Mask out the marked step of every test sequence (mask False there), pool the test "
        "sequences with the trained query, classify the contexts with the model's Dense layer, "
        "and compare the accuracy with the page's: "
        ".check(accuracy_masked, baseline=acc_attention).",
        "把每个测试序列中带标记的那一步掩码掉（该处掩码为 False），用训练好的查询对测试序列做池化，"
        "用模型的 Dense 层对 context 分类，并与本页的准确率比较："
        ".check(accuracy_masked, baseline=acc_attention)。"),
    "feedback": text(
        "You measured {measured:.4g}, not lower than the page's {baseline:.4g}{by}. Set the mask "
        "to False at where_test for every test sequence and pass it to attention_pool.",
        "你测得 {measured:.4g}，没有低于本页的 {baseline:.4g}{by}。请在每个测试序列的 where_test "
        "处把掩码设为 False，并把它传给 attention_pool。"),
    "explanation": text(
        "Without the marked step the class code is gone: the layer can only attend to noise, "
        "and the accuracy falls to about chance, 1 in 4.",
        "去掉带标记的那一步后类别编码就没了：这一层只能关注噪声，准确率降到随机水平，约四分之一。"),
    "hints": (text("A mask True everywhere except at the marked step: mask = np.ones((500, 10), "
                   "bool); mask[np.arange(500), where_test] = False.",
                   "除带标记的那一步外处处为 True 的掩码：mask = np.ones((500, 10), bool)；"
                   "mask[np.arange(500), where_test] = False。"),),
    "remark": text("The accuracy came from one step: the attention weights said so, and removing "
                   "that step confirms it.",
                   "准确率来自那一步：注意力权重这样显示，去掉那一步也证实了这一点。"),
}
