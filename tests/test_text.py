"""Normalisation, word tokens with offsets into the original text, and sentences, in any script."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup.text as T
from dedup.text import fold, normalise, sentences, tokens, words


def spans(text: str) -> list[str]:
    return [text[t.start : t.end] for t in tokens(text)]


def forms(text: str) -> list[str]:
    return [t.form for t in tokens(text)]


# --- tokens in several scripts -----------------------------------------------------------------


def test_latin_words_numbers_and_apostrophes():
    text = "Officials said 2,400 homes lost power, and it\u2019s 3.5 km away."
    assert forms(text) == ["officials", "said", "2,400", "homes", "lost", "power", "and", "it's",
                           "3.5", "km", "away"]
    # offsets point into the original text, curly apostrophe included
    assert spans(text)[7] == "it\u2019s"


def test_cyrillic_words():
    text = "Министр заявил в среду, что переговоры продолжатся."
    assert forms(text) == ["министр", "заявил", "в", "среду", "что", "переговоры", "продолжатся"]
    assert spans(text)[0] == "Министр"


def test_devanagari_keeps_vowel_signs_inside_words():
    text = "राजधानी में भारी बारिश हुई।"
    assert spans(text) == ["राजधानी", "में", "भारी", "बारिश", "हुई"]


def test_arabic_words():
    text = "أعلنت الوزارة يوم الاثنين عن خطة جديدة"
    assert spans(text) == ["أعلنت", "الوزارة", "يوم", "الاثنين", "عن", "خطة", "جديدة"]


def test_cjk_each_character_is_a_token():
    text = "大阪で新しい橋が開通した。"
    toks = tokens(text)
    assert [t.form for t in toks] == list("大阪で新しい橋が開通した")
    assert all(t.end - t.start == 1 for t in toks)
    assert [t.start for t in toks] == list(range(12))


def test_mixed_scripts_in_one_text():
    text = "Reuters: 東京 and Москва, 2024."
    assert forms(text) == ["reuters", "東", "京", "and", "москва", "2024"]


@pytest.mark.parametrize("text", [
    "Plain ASCII words, with punctuation!",
    "\u201cQuoted\u201d \u2014 a dash \u2013 and \u00abguillemets\u00bb",
    "Ünïcödé Straße ÉCOLE",
    "Москва и Санкт-Петербург",
    "नई दिल्ली",
    "مرحبا بالعالم",
    "東京都庁で会見",
    "ﬁne ligature and full\u00a0width Ｔｅｘｔ",
])
def test_offsets_point_into_the_original_and_forms_are_normalised(text):
    for t in tokens(text):
        original = text[t.start : t.end]
        assert original.strip() == original and original
        assert t.form == normalise(original)


@given(st.text(max_size=80))
def test_tokens_are_ordered_non_overlapping_and_inside_the_text(text):
    toks = tokens(text)
    last_end = 0
    for t in toks:
        assert last_end <= t.start < t.end <= len(text)
        last_end = t.end
        assert t.form  # never an empty form


_PLAIN = st.text(alphabet=st.sampled_from(list("abcXYZ019 .,!?'-\néЖжनिع東京’“”—")),
                 max_size=60)


@given(_PLAIN)
def test_words_fast_path_agrees_with_tokens(text):
    assert words(text) == [t.form for t in tokens(text)]


# --- fold / normalise ----------------------------------------------------------------------------


def test_fold_quotes_dashes_and_odd_spaces():
    assert fold("\u201cYes,\u201d she said \u2014 \u2018twice\u2019\u00a0\u2013 ok") == "\"Yes,\" she said - 'twice' - ok"


def test_normalise_folds_case_and_unicode_forms():
    assert normalise("ÉCOLE") == "école"
    assert normalise("Straße") == "strasse"
    assert normalise("E\u0301cole") == normalise("\u00c9cole")  # decomposed and composed agree
    assert normalise("Ｆｕｌｌ ｗｉｄｔｈ") == "full width"


def test_words_ignore_quote_and_dash_variants():
    a = "The \u201cnew\u201d plan \u2014 officials said \u2014 was approved."
    b = 'The "new" plan - officials said - was approved.'
    assert words(a) == words(b)


# --- sentences ---------------------------------------------------------------------------------


def test_sentences_keep_abbreviations_inside():
    text = "The U.S. envoy met Mr. Okafor in the capital on Monday. Talks resume on Friday."
    got = [s.text for s in sentences(text)]
    assert got == ["The U.S. envoy met Mr. Okafor in the capital on Monday.", "Talks resume on Friday."]


def test_sentences_split_on_question_and_exclamation_marks_and_lines():
    text = "Was it planned? Nobody knows!\nA new line starts here"
    assert [s.text for s in sentences(text)] == ["Was it planned?", "Nobody knows!", "A new line starts here"]


def test_sentences_in_other_scripts():
    assert [s.text for s in sentences("बारिश हुई। सड़कें बंद हैं।")] == ["बारिश हुई।", "सड़कें बंद हैं।"]
    assert [s.text for s in sentences("地震が起きた。被害はない。")] == ["地震が起きた。", "被害はない。"]
    assert [s.text for s in sentences("هل انتهى الاجتماع؟ نعم")] == ["هل انتهى الاجتماع؟", "نعم"]


def test_sentence_offsets_point_into_the_original():
    text = "  First one here.   Second \u201cquoted\u201d one.  "
    for s in sentences(text):
        assert text[s.start : s.end] == s.text
    assert [s.text for s in sentences(text)] == ["First one here.", "Second \u201cquoted\u201d one."]


def test_sentence_ending_with_a_quote_is_split_after_the_quote():
    text = "\u201cWe will rebuild,\u201d the mayor said. \u201cIt will take time.\u201d Work began."
    assert [s.text for s in sentences(text)] == [
        "\u201cWe will rebuild,\u201d the mayor said.", "\u201cIt will take time.\u201d", "Work began."]


def test_empty_and_blank_texts_have_no_tokens_or_sentences():
    for text in ("", "   ", "\n\n", "—, !?"):
        assert tokens(text) == []
        assert words(text) == []
    assert sentences("   \n ") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from([chr(c) for c in T._FOLD] + list("ab .\n\u00e9")), st.characters()),
               max_size=60))
def test_fold_chars_is_the_translation_table(text):
    """fold_chars replaces only the characters of the folding table, as str.translate does."""
    assert T.fold_chars(text) == text.translate(T._FOLD)
