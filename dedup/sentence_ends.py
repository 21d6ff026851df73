"""Where the sentences of ASCII text end, found with numpy: the ends of the matches of
`dedup.text._SENTENCE_END_RE` (`[m.end() for m in finditer(text)]`) without running the pattern.
Scanning a batch's texts with it, a match object per sentence, was a third of fingerprinting them.

On ASCII text the pattern's matches are of two kinds (its third alternative needs other scripts):

- a run of end marks (. ! ?) and the run of closing quotes and brackets after it, when a run of
  spaces follows that is two long or followed by no lower-case letter or digit, or nothing
  follows; it starts at the run's first mark unless an abbreviation or an initial ends just before
  it ("Mr.", "U.S."), then at its second mark, if it has one (the pattern tries each position in
  turn: the second mark follows a mark, which no abbreviation ends with);
- a run of spaces holding a line break (from the first break to the end of the run).

The pattern's \\s on ASCII is tab, line feed, vertical tab, form feed, carriage return and space
(str.isspace also takes \\x1c-\\x1f). Equal to the pattern on any ASCII text: tests/test_sentence_ends.py.

The same holds for the UTF-8 bytes of a text whose only characters outside ASCII are letters of
scripts written with spaces (stand-ins: `dedup.stand_in`): to the pattern such a letter is a word
character (it ends no abbreviation's whole word) that is no ASCII letter, no space and no mark,
and so are the bytes of its UTF-8 form here. The ends are then byte offsets.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .text import SENTENCE_ABBREVIATIONS


_OTHER, _SPACE, _BREAK, _MARK, _CLOSER, _UPPER, _LOWER, _DIGIT, _UNDERSCORE, _DOT = range(10)
_LINE_BREAK, _FULL_STOP, _EXCLAMATION, _QUESTION = (np.uint8(ord(c)) for c in "\n.!?")
_CLASS = np.full(256, _OTHER, dtype=np.uint8)
for _chars, _kind in ((b"\t\x0b\x0c\r ", _SPACE), (b"\n", _BREAK), (b"!?", _MARK), (b".", _DOT),
                      (b"'\")]", _CLOSER), (bytes(range(65, 91)), _UPPER), (bytes(range(97, 123)), _LOWER),
                      (b"0123456789", _DIGIT), (b"_", _UNDERSCORE)):
    _CLASS[np.frombuffer(_chars, dtype=np.uint8)] = _kind
_CLASS[128:] = _UNDERSCORE  # a byte of a letter outside ASCII (UTF-8): a word character, no ASCII letter
_MAX_ABBREVIATION = 4
_EMPTY = np.zeros(0, dtype=np.int64)


def _code(letters: Sequence, length) -> np.ndarray | int:
    """Up to four letters packed in an int (the first in the lowest byte); `length` of each."""
    if isinstance(length, np.ndarray):
        return sum((np.where(k < length, letters[k], 0).astype(np.int64) << (8 * k)) for k in range(_MAX_ABBREVIATION))
    return sum(letters[k] << (8 * k) for k in range(min(length, _MAX_ABBREVIATION)))


_ABBREVIATION_CODES = np.array(sorted(_code(a.encode("ascii"), len(a)) for a in SENTENCE_ABBREVIATIONS
                                      if len(a) <= _MAX_ABBREVIATION), dtype=np.int64)
if len(_ABBREVIATION_CODES) != len(SENTENCE_ABBREVIATIONS):
    raise ImportError("dedup.sentence_ends packs abbreviations of at most 4 letters")


def sentence_ends(data: np.ndarray) -> np.ndarray:
    """The ends of the sentence-end pattern's matches in an ASCII text given as its bytes (uint8),
    in increasing order (int64). Only the marks and line breaks are looked at closely: the text is
    read twice, for the positions of each."""
    n = len(data)
    if n == 0:
        return _EMPTY

    def kind(at: np.ndarray) -> np.ndarray:  # the class of the character at each position (_OTHER past the ends)
        return np.where((at >= 0) & (at < n), _CLASS[data[np.clip(at, 0, n - 1)]], _OTHER)

    def past(at: np.ndarray, kinds: tuple) -> np.ndarray:  # the first position at or after each not of `kinds`
        at = at.copy()
        moving = np.flatnonzero(np.isin(kind(at), kinds))
        while len(moving):  # (runs are short: a few steps)
            at[moving] += 1
            moving = moving[np.isin(kind(at[moving]), kinds)]
        return at

    # a run of spaces holding a line break: from its first break to its end
    by_break = past(np.flatnonzero(data == _LINE_BREAK), (_SPACE, _BREAK))  # (in order; a run's breaks, one end)
    by_break = by_break[np.concatenate(([True], by_break[1:] != by_break[:-1]))] if len(by_break) else _EMPTY
    # runs of end marks, and the closers after them
    marks = np.flatnonzero((data == _FULL_STOP) | (data == _EXCLAMATION) | (data == _QUESTION))
    if len(marks) == 0:
        return by_break
    joined = marks[1:] == marks[:-1] + 1  # a mark right after another
    first = marks[np.concatenate(([True], ~joined))]
    past_marks = marks[np.concatenate((~joined, [True]))] + 1
    end = past(past_marks, (_CLOSER,))
    # what follows: nothing, or spaces (two, or one before anything but a lower-case letter or digit)
    gap, after = kind(end), kind(end + 1)
    followed = (end == n) | (np.isin(gap, (_SPACE, _BREAK)) & ~np.isin(after, (_LOWER, _DIGIT)))
    by_mark = end[followed & (~_abbreviation_before(data, kind, first) | (past_marks - first >= 2))]
    return np.sort(np.concatenate((by_mark, by_break)), kind="stable")  # (two sorted runs, no end in both)


def _abbreviation_before(data: np.ndarray, kind, at: np.ndarray) -> np.ndarray:
    """Does an initial ([A-Z][a-z]?.?[A-Z]) or a listed abbreviation (a whole word) end just before
    each position of `at`? (`kind`: the character class at positions.)"""
    def back(k: int) -> np.ndarray:  # the class of the character k before each position
        return kind(at - k)

    b1, b2, b3, b4 = back(1), back(2), back(3), back(4)
    upper2, dot2 = b2 == _UPPER, b2 == _DOT
    initial = (b1 == _UPPER) & (upper2 | ((b2 == _LOWER) & (b3 == _UPPER)) | (dot2 & (b3 == _UPPER))
                                | (dot2 & (b3 == _LOWER) & (b4 == _UPPER)))
    # the letters just before: how many (up to one more than the longest abbreviation), and what precedes them
    letters = [back(k) for k in range(1, _MAX_ABBREVIATION + 2)]
    is_letter = [(c == _UPPER) | (c == _LOWER) for c in letters]
    length = np.zeros(len(at), dtype=np.int64)
    run = np.ones(len(at), dtype=bool)
    for k, letter in enumerate(is_letter, 1):
        run &= letter
        length += run
    before = np.where(length < len(letters), np.choose(np.minimum(length, len(letters) - 1), letters), _OTHER)
    whole = (length >= 2) & (length <= _MAX_ABBREVIATION) & ~np.isin(before, (_UPPER, _LOWER, _DIGIT, _UNDERSCORE))
    chars = [data[np.clip(at - length + k, 0, len(data) - 1)] for k in range(_MAX_ABBREVIATION)]
    return initial | (whole & np.isin(_code(chars, length), _ABBREVIATION_CODES))
