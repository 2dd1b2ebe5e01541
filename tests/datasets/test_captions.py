"""The caption grammar: hints are true of their digit, knobs do what they say."""

import numpy as np

from mmtutor.datasets._captions import (
    MAX_WORDS,
    NUMBER_WORDS,
    digits_matching,
    make_captions,
    tokenize,
    vocabulary,
)


def test_vocabulary_starts_with_pad_and_unk_and_covers_every_caption():
    vocab = vocabulary()
    assert vocab[:2] == ["<pad>", "<unk>"] and len(set(vocab)) == len(vocab)
    captions = make_captions(np.arange(500) % 10, np.random.default_rng(0),
                             name_probability=0.3)
    words = {w for c in captions for w in c.split()}
    assert words <= set(vocab)
    assert max(len(c.split()) for c in captions) <= MAX_WORDS


def test_hint_captions_are_true_of_their_digit_and_often_fit_several():
    labels = np.arange(1000) % 10
    captions = make_captions(labels, np.random.default_rng(1), name_probability=0.0)
    sizes = []
    for digit, caption in zip(labels, captions, strict=True):
        matching = digits_matching(caption)
        assert digit in matching, caption
        assert {"digit", "number"} & set(caption.split()), caption  # a hint, not a name
        sizes.append(len(matching))
    sizes = np.array(sizes)
    assert (sizes >= 2).mean() > 0.8  # mostly ambiguous
    assert (sizes == 1).mean() > 0.02  # two hints sometimes pin the digit down


def test_digits_matching_reads_examples_by_hand():
    assert digits_matching("an odd number above four") == {5, 7, 9}
    assert digits_matching("a digit with a closed loop") == {0, 6, 8, 9}
    assert digits_matching("a number not divisible by three and that is not prime") == {1, 4, 8}
    assert digits_matching("a handwritten seven") == {7}


def test_name_probability_one_names_every_digit():
    labels = np.arange(30) % 10
    captions = make_captions(labels, np.random.default_rng(2), name_probability=1.0)
    assert all(c.split()[-1] == NUMBER_WORDS[d] for d, c in zip(labels, captions, strict=True))


def test_word_dropout_and_typos_damage_captions():
    labels = np.arange(400) % 10
    clean = make_captions(labels, np.random.default_rng(3), name_probability=0.0)
    dropped = make_captions(labels, np.random.default_rng(3), name_probability=0.0,
                            word_dropout=0.5)
    typos = make_captions(labels, np.random.default_rng(3), name_probability=0.0,
                          typo_rate=0.5)
    n_clean = sum(len(c.split()) for c in clean)
    assert 0.35 < sum(len(c.split()) for c in dropped) / n_clean < 0.65
    assert all(len(c.split()) >= 1 for c in dropped)
    vocab = set(vocabulary())
    unknown = sum(w not in vocab for c in typos for w in c.split())
    assert unknown > 0.2 * n_clean


def test_tokenize_pads_with_zero_and_maps_unknown_words_to_one():
    vocab = ["<pad>", "<unk>", "a", "seven"]
    ids = tokenize(["a seven", "a sevn seven"], vocab, 4)
    np.testing.assert_array_equal(ids, [[2, 3, 0, 0], [2, 1, 3, 0]])
    assert ids.dtype == np.int32
