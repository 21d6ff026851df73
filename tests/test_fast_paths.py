"""The fast paths give exactly what the reference definitions give (speed only, never behaviour)."""
from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import text
from dedup.text import normalise, tokens, words

# ASCII words, numbers with separators, apostrophes, and characters where the rules are subtle:
# combining marks, scripts without spaces (Thai, Han), compatibility forms, other digits.
_TRICKY = st.text(alphabet=st.sampled_from(list(
    "abcXYZ019 .,!?'-\n\t\u2019\u201c\u201d\u2014\u00e9\u0416\u0436\u0928\u093f\u0639\u6771\u4eac"
    "\ufb01\uff34\u00b2\u00bd\u2177\u0301\u0e01\u0e34\u00aa\u0663\u212a")), max_size=60)
_ANY = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


def reference_words(t: str) -> list[str]:
    return text.TOKEN_RE.findall(normalise(t))


def reference_tokens(t: str) -> list[tuple[str, int, int]]:
    folded = t.translate(text._FOLD)
    return [(unicodedata.normalize("NFKC", m.group()).casefold(), m.start(), m.end())
            for m in text.TOKEN_RE.finditer(folded)]


@settings(max_examples=400)
@given(st.one_of(_TRICKY, _ANY))
def test_words_equal_the_reference_pattern(t):
    assert words(t) == reference_words(t)


@settings(max_examples=400)
@given(st.one_of(_TRICKY, _ANY))
def test_tokens_equal_the_reference_pattern(t):
    assert [(k.form, k.start, k.end) for k in tokens(t)] == reference_tokens(t)


def test_fast_paths_on_news_like_text():
    t = ("Officials said 2,400 homes (3.5%) lost power; it\u2019s the 1990's worst. "
         "Rock'n'roll's fans paid $1,000,000.50 - \u00abno\u00bb, d'Artagnan said. 'Tis 3.x, 4,a.")
    assert words(t) == reference_words(t)
    assert [(k.form, k.start, k.end) for k in tokens(t)] == reference_tokens(t)


def test_fast_paths_on_the_dev_corpus(shared_dir):
    import json

    for line in (shared_dir / "dev" / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        t = json.loads(line)["text"]
        assert words(t) == reference_words(t)
        assert [(k.form, k.start, k.end) for k in tokens(t)] == reference_tokens(t)
