"""Captions for digits from a small grammar, from naming the digit to ambiguous hints.

A caption either names the digit ("a neatly written seven") or gives one or two hints about
it, each true of several digits ("an odd number above five" fits 7 and 9). Word dropout and
typos then damage it. Hints that fit several digits carry real but partial information: text
alone cannot be sure, but together with an image or a sound it narrows the choice.
"""

from __future__ import annotations

import numpy as np

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

# Each property: the digits it is true of, and (adjective or None, phrases after the noun) for
# "true" and "false". A property family gives exactly one of its two sides for any digit.
PROPERTIES = {
    "parity": ({1, 3, 5, 7, 9}, ("odd", ()), ("even", ())),
    "size": ({5, 6, 7, 8, 9}, (None, ("above four", "greater than four", "five or more")),
             (None, ("below five", "less than five", "smaller than five"))),
    "loop": ({0, 6, 8, 9}, (None, ("with a closed loop", "with a loop")),
             (None, ("without a closed loop", "with no loop"))),
    "prime": ({2, 3, 5, 7}, ("prime", ()), (None, ("that is not prime",))),
    "strokes": ({1, 4, 7}, (None, ("made of straight lines",)),
                (None, ("with a curved stroke", "with curves"))),
    "three": ({0, 3, 6, 9}, (None, ("divisible by three",)),
              (None, ("not divisible by three",))),
}

_NAMED = ("{a} {word}", "the digit {word}", "a handwritten {word}", "the number {word}",
          "this is a {word}", "a neatly written {word}", "someone wrote {word}",
          "a quick sketch of {word}")
_OPENERS = ("", "", "this is", "it shows", "someone wrote", "a sketch of")
_NOUNS = ("digit", "number")
_NAMED_PREFIX_WORDS = ("a", "an", "the", "digit", "handwritten", "number", "this", "is",
                       "neatly", "written", "someone", "wrote", "quick", "sketch", "of")
_EXTRA_WORDS = ("and", "it", "shows")

MAX_WORDS = 14  # longest caption: opener (2) + "an odd digit" (3) + phrase (4) + "and" + phrase (4)


def vocabulary() -> list[str]:
    """Every word the grammar can produce, after ``"<pad>"`` (id 0) and ``"<unk>"`` (id 1)."""
    words = set(NUMBER_WORDS) | set(_NAMED_PREFIX_WORDS) | set(_EXTRA_WORDS) | set(_NOUNS)
    for _, yes, no in PROPERTIES.values():
        for adjective, phrases in (yes, no):
            if adjective:
                words.add(adjective)
            for phrase in phrases:
                words.update(phrase.split())
    return ["<pad>", "<unk>"] + sorted(words)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _hint_caption(digit: int, rng: np.random.Generator, n_hints: int) -> str:
    families = rng.permutation(list(PROPERTIES))[:n_hints]
    adjectives, phrases = [], []
    for family in families:
        members, yes, no = PROPERTIES[family]
        adjective, options = yes if digit in members else no
        if adjective and not adjectives:
            adjectives.append(adjective)
        else:
            options = options or (f"that is {adjective}",)
            phrases.append(options[rng.integers(len(options))])
    noun = _NOUNS[rng.integers(len(_NOUNS))]
    head = " ".join(adjectives + [noun])
    words = [_article(head), head]
    if phrases:
        words.append(" and ".join(phrases))
    opener = _OPENERS[rng.integers(len(_OPENERS))]
    return " ".join(([opener] if opener else []) + words)


def make_captions(labels, rng: np.random.Generator, *, name_probability: float,
                  two_hint_probability: float = 0.5, word_dropout: float = 0.0,
                  typo_rate: float = 0.0) -> list[str]:
    """One caption per label: named with ``name_probability``, else one or two hints."""
    captions = []
    for digit in np.asarray(labels):
        digit = int(digit)
        if rng.random() < name_probability:
            word = NUMBER_WORDS[digit]
            template = _NAMED[rng.integers(len(_NAMED))]
            caption = template.format(a=_article(word), word=word)
        else:
            n_hints = 2 if rng.random() < two_hint_probability else 1
            caption = _hint_caption(digit, rng, n_hints)
        captions.append(_damage(caption, rng, word_dropout, typo_rate))
    return captions


def _damage(caption: str, rng: np.random.Generator, word_dropout: float,
            typo_rate: float) -> str:
    words = caption.split()
    draws = rng.random((len(words), 2))
    kept = [w for w, d in zip(words, draws[:, 0], strict=True) if d >= word_dropout]
    if not kept:
        kept = [words[int(rng.integers(len(words)))]]
    out = []
    for word, d in zip(kept, draws[: len(kept), 1], strict=True):
        if d < typo_rate and len(word) >= 3:
            word = _typo(word, rng)
        out.append(word)
    return " ".join(out)


def _typo(word: str, rng: np.random.Generator) -> str:
    """Swap two neighbouring letters, drop one, or double one."""
    i = int(rng.integers(len(word) - 1))
    kind = int(rng.integers(3))
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def tokenize(captions, vocab: list[str], length: int) -> np.ndarray:
    """Token ids ``(n, length)`` int32: unknown words -> 1, padding -> 0 at the end."""
    index = {word: i for i, word in enumerate(vocab)}
    ids = np.zeros((len(captions), length), dtype=np.int32)
    for row, caption in enumerate(captions):
        tokens = [index.get(word, 1) for word in caption.split()][:length]
        ids[row, :len(tokens)] = tokens
    return ids


def digits_matching(caption: str) -> set[int]:
    """The digits an undamaged caption is true of (used by the tests and the book)."""
    words = caption.split()
    if words[-1] in NUMBER_WORDS and (len(words) < 2 or words[-2] not in ("than", "by", "above",
                                                                           "below")):
        return {NUMBER_WORDS.index(words[-1])}  # a named digit
    matching = set(range(10))
    text = f" {caption} "
    for members, yes, no in PROPERTIES.values():
        # The negative side first: "not divisible by three" contains "divisible by three".
        for side, digits in ((no, set(range(10)) - members), (yes, members)):
            adjective, phrases = side
            phrases = phrases + ((f"that is {adjective}", f"{adjective} digit",
                                  f"{adjective} number") if adjective else ())
            if any(f" {p} " in text for p in phrases):
                matching &= digits
                break
    return matching
