"""Stand-ins: the text that can stand for a text in the fast paths (dedup.text_spans, the plain
pages of dedup.boilerplate_page, the in-place words of dedup.text), which know ASCII and little
else. A stand-in has the text's length (the same offsets), its lines and sentence ends, and its
words once lower-cased; each fast path gives what its general path gives the text itself (the
hypothesis tests of tests/test_fast_paths.py and tests/test_boilerplate_fast.py check it).

- ASCII text stands for itself.
- Typographic text (curly quotes, apostrophes, dashes, odd spaces: most news) stands as folded.
- Letters outside ASCII of scripts written with spaces (accented Latin, Greek, Cyrillic) stay:
  the fast paths take a byte above 127 for a byte of a letter.
- Symbols and punctuation outside ASCII (an ellipsis, a bullet, a currency sign, an arrow, an
  emoji) stand as "~": like them, it is in no word, ends no sentence, closes no quotation and is
  no space. Only the page's line forms hold them (NFKC makes the ellipsis three full stops):
  `line_forms_text` gives the text those come from.
"""
from __future__ import annotations

import re
import unicodedata

import regex

from .text import _FOLD_CHARS, _SCRIPT_CHAR, fold_chars, normalise

_NOT_FOLDED_TO_SPACE = ("\u200b", "\ufeff")  # folded to spaces, but no whitespace to str.isspace


def ascii_stand_in(text: str) -> str | None:
    """The ASCII text that can stand for `text` in the fast paths of ASCII text (same length, so
    the same offsets): the text itself when it is ASCII; else text.translate(_FOLD) when that is
    ASCII (typographic quotes, dashes and odd spaces, as in most news), holds whitespace where the
    text does (no zero-width space or byte-order mark, which folding makes spaces), and folding and
    case folding any part of it gives what they give the same part of the text (NFKC changes
    nothing that folding does not); otherwise None."""
    if text.isascii():
        return text
    folded = fold_chars(text)
    if not folded.isascii() or any(c in text for c in _NOT_FOLDED_TO_SPACE):
        return None
    return folded if unicodedata.is_normalized("NFKC", text) or normalise(text) == folded.lower() else None


_SCRIPT_LETTER = regex.compile(rf"[{_SCRIPT_CHAR}]")
_WORD_CHAR = regex.compile(r"\w")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_PLAIN_LETTER: dict[str, bool] = {}
_PLAIN_SYMBOL: dict[str, bool] = {}
SYMBOL = "~"  # what a symbol outside ASCII is in a stand-in
# symbols whose normal form (NFKC) is another, without a letter, digit, space or mark: the line
# forms hold that (`line_forms_text`)
_NFKC_SYMBOLS = {"\u2026": "..."}  # the ellipsis
_SENTENCE_MARKS = "\u3002\uff01\uff1f\u0964\u061f"  # end a sentence (dedup.text._SENTENCE_END_RE)


def _plain_letter(c: str) -> bool:
    """Is `c` (outside ASCII) a letter the fast paths can take as one: a letter of a script written
    with spaces between words, whose lower case is one character of as many UTF-8 bytes and is its
    case folding ("\u0130" lowers to two characters, the Kelvin sign to one byte, "\u00df" folds
    to "ss"), and not the capital sigma (lower-cased by its place in a word)? Remembered per character."""
    plain = _PLAIN_LETTER.get(c)
    if plain is None:
        low = c.lower()
        plain = _PLAIN_LETTER[c] = (unicodedata.category(c).startswith("L") and _SCRIPT_LETTER.match(c) is None
                                    and c != "\u03a3" and len(low) == 1 and low == c.casefold()
                                    and len(low.encode("utf-8")) == len(c.encode("utf-8")))
    return plain


def _plain_symbol(c: str) -> bool:
    """Is `c` (outside ASCII, not folded) a symbol or punctuation mark that `SYMBOL` can stand
    for: in no word (no letter, mark, digit or connector, no word character to either pattern
    engine), no space, no sentence end, no case, and its own normal form or one of
    `_NFKC_SYMBOLS` ("\u2122" is "TM" once normal, the acute accent a space and a mark)?
    Remembered per character."""
    plain = _PLAIN_SYMBOL.get(c)
    if plain is None:
        kind = unicodedata.category(c)
        plain = _PLAIN_SYMBOL[c] = (kind[0] in "PS" and kind != "Pc" and c not in _SENTENCE_MARKS
                                    and c not in _FOLD_CHARS and _WORD_CHAR.match(c) is None
                                    and re.match(r"\w", c) is None and not c.isspace()
                                    and c.lower() == c == c.casefold() == c.upper()
                                    and (unicodedata.normalize("NFKC", c) == c or c in _NFKC_SYMBOLS))
    return plain


def stand_in_with_symbols(text: str) -> tuple[str, bool] | None:
    """(the stand-in of `text`, whether symbols outside ASCII stand in it as `SYMBOL`), or None
    when the text has none: it is ASCII once folded (`ascii_stand_in`), or it is NFKC but for
    `_NFKC_SYMBOLS`, holds no zero-width space or byte-order mark, and every character outside
    ASCII left by folding is a letter `_plain_letter` takes (lower-casing then keeps every offset,
    in characters and in UTF-8 bytes, and gives the text's normal form) or a symbol `_plain_symbol`
    takes."""
    if text.isascii():
        return text, False
    folded = fold_chars(text)
    if folded.isascii():
        stand_in = ascii_stand_in(text)
        return None if stand_in is None else (stand_in, False)
    return stands_for(text, folded)


def stands_for(text: str, folded: str) -> tuple[str, bool] | None:
    """`stand_in_with_symbols(text)` of a text whose folded text (`folded`) is not ASCII."""
    others = set(_NON_ASCII.findall(folded))
    symbols = [c for c in others if not _plain_letter(c)]
    if not all(map(_plain_symbol, symbols)) or any(c in text for c in _NOT_FOLDED_TO_SPACE):
        return None
    if not symbols:
        return (folded, False) if unicodedata.is_normalized("NFKC", text) else None
    if not unicodedata.is_normalized("NFKC", _normal_symbols(text)):
        return None
    for symbol in symbols:  # (str.replace: str.translate looks up every character of the text)
        folded = folded.replace(symbol, SYMBOL)
    return folded, True


def _normal_symbols(text: str) -> str:
    """`text` with the symbols of `_NFKC_SYMBOLS` in their normal form."""
    for symbol, normal in _NFKC_SYMBOLS.items():
        text = text.replace(symbol, normal)
    return text


def plain_stand_in(text: str) -> str | None:
    """The stand-in of `text` (see `stand_in_with_symbols`), or None."""
    found = stand_in_with_symbols(text)
    return None if found is None else found[0]


def line_forms_text(text: str) -> str:
    """The text whose lower-cased lines are the line forms of a text whose stand-in holds symbols
    (`stand_in_with_symbols`): folded, with the symbols in their normal form."""
    return _normal_symbols(fold_chars(text))
