"""Tests for the boilerplate finder: rules per language, golden cases, corpus evidence, CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from dedup.boilerplate import (
    CORPUS_RULES,
    RULES,
    LineCounts,
    count_lines,
    find_boilerplate,
    find_corpus_boilerplate,
    line_evidence,
    merge_counts,
    strip_boilerplate,
)
from dedup.types import Document, Span

CASES = sorted((Path(__file__).parent / "cases" / "boilerplate").glob("*.json"))


def flagged(text: str, spans) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in spans]


def covered(spans, start: int, end: int) -> bool:
    """Is every non-space character of [start, end) inside some span?"""
    inside = set()
    for s in spans:
        inside.update(range(s.start, s.end))
    return all(i in inside for i in range(start, end))


def touched(spans, start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in spans)


def find(text: str, **kw) -> tuple[Span, ...]:
    return find_boilerplate(Document(id="d", text=text, **kw))


# ---- golden cases ------------------------------------------------------------------------------

def test_there_are_enough_golden_cases():
    assert len(CASES) >= 10


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_case(path):
    case = json.loads(path.read_text(encoding="utf-8"))
    text = case["text"]
    spans = find(text)
    for piece in case["boilerplate"]:
        start = text.index(piece)
        assert covered(spans, start, start + len(piece)), f"not flagged: {piece!r} in {spans}"
    for piece in case["article"]:
        start = text.index(piece)
        assert not touched(spans, start, start + len(piece)), f"article text flagged: {piece!r} in {spans}"


# ---- one test per language: comment forms, notices, related headers ----------------------------

BODY = "The committee met on Thursday and agreed to publish its findings next month, a spokesperson said.\n\n"
LANGUAGE_FURNITURE = {
    "en": ["Leave a Reply", "Your email address will not be published.", "Related posts", "Source link",
           "Read more", "Subscribe to our newsletter", "We use cookies to improve your experience.",
           "© 2024 Example Media. All rights reserved."],
    "fr": ["Laisser un commentaire", "Votre adresse e-mail ne sera pas publiée.", "À lire aussi",
           "Abonnez-vous", "Tous droits réservés", "Ce site utilise des cookies pour mesurer l'audience."],
    "es": ["Deja una respuesta", "Tu dirección de correo electrónico no será publicada.", "Noticias relacionadas",
           "Leer más", "Suscríbete", "Todos los derechos reservados", "Este sitio web utiliza cookies."],
    "de": ["Schreibe einen Kommentar", "Deine E-Mail-Adresse wird nicht veröffentlicht.", "Mehr zum Thema",
           "Weiterlesen", "Newsletter abonnieren", "Alle Rechte vorbehalten", "Diese Website verwendet Cookies."],
    "pt": ["Deixe um comentário", "O seu endereço de e-mail não será publicado.", "Leia também",
           "Notícias relacionadas", "Todos os direitos reservados", "Este site utiliza cookies."],
    "it": ["Lascia un commento", "Il tuo indirizzo email non sarà pubblicato.", "Leggi anche",
           "Articoli correlati", "Tutti i diritti riservati", "Questo sito utilizza cookie tecnici."],
    "id": ["Tinggalkan Balasan", "Alamat email Anda tidak akan dipublikasikan.", "Baca juga", "Berita terkait",
           "Hak Cipta Dilindungi Undang-Undang", "Situs ini menggunakan cookie."],
}


@pytest.mark.parametrize("lang", sorted(LANGUAGE_FURNITURE))
def test_phrases_per_language(lang):
    lines = LANGUAGE_FURNITURE[lang]
    text = "A headline for the test\n\n" + BODY + "\n\n".join(lines) + "\n"
    spans = find(text)
    for line in lines:
        start = text.index(line)
        assert covered(spans, start, start + len(line)), f"{lang}: not flagged {line!r}: {spans}"
        assert all(s.rule in RULES for s in spans)
    body = text.index(BODY.strip())
    assert not touched(spans, body, body + len(BODY.strip()))


@pytest.mark.parametrize("sentence", [
    "Readers were asked to leave a reply in the comment box, and hundreds did.",
    "The newsletter, which has 40,000 subscribers, will now be sent twice a week.",
    "Source: a person familiar with the talks said the deal would be signed on Monday.",
    "By Friday, the river had risen two metres above its usual level.",
    "Published in 2010, the report warned that the bridge needed repairs.",
    "Photo agencies such as Getty Images and AFP were not allowed into the hall.",
    "Copyright law was the main topic of the debate on Tuesday, the minister said.",
    "World leaders gathered in Geneva on Monday for the start of the talks.",
])
def test_article_sentences_are_not_flagged(sentence):
    text = "Headline of a story\n\nFirst paragraph of the story, long enough to be a paragraph of prose.\n\n" \
           + sentence + "\n\nLast paragraph of the story, which also reads as ordinary prose here.\n"
    spans = find(text)
    start = text.index(sentence)
    assert not touched(spans, start, start + len(sentence)), spans


# ---- head, tail and caption shapes -------------------------------------------------------------

def test_rule_names_say_what_found_them():
    text = ("79.7 F\nSpringfield\nSaturday, July 20, 2024\n\nDam repairs finished early\n\n"
            "NewsDam repairs finished early\n\nEngineers finished repairs to the old dam two weeks ahead of "
            "schedule, the water board said on Friday.\n\nSource link\n")
    rules = {s.text: s.rule for s in find(text)}
    assert rules["79.7 F"] == "weather-widget"
    assert rules["Springfield"] == "weather-widget"
    assert rules["Saturday, July 20, 2024"] == "date-widget"
    assert rules["News"] == "section-glued-headline"
    assert rules["Source link"] == "source-link"


def test_glued_site_name_only_the_name_goes():
    text = ("Storm closes mountain pass\n\nHILL Times OnlineSnow closed the mountain pass for a second day on "
            "Sunday as crews worked to clear drifts several metres deep.\n")
    spans = find(text)
    assert [s.text for s in spans] == ["HILL Times Online"]
    assert spans[0].rule == "site-name-glued"


def test_caption_repeated_with_credit_and_agency_signoff():
    text = ("Flood waters recede\n\nVolunteers clear mud from a school in Riverton\n"
            "Volunteers clear mud from a school in Riverton on Monday.Example Photos\n"
            "Flood waters began to recede on Tuesday, letting hundreds of families return home, the mayor "
            "said. (Yonhap)\n")
    spans = find(text)
    rules = {s.text: s.rule for s in spans}
    assert rules["Volunteers clear mud from a school in Riverton"] == "caption-repeat"
    assert rules["(Yonhap)"] == "agency-credit"
    start = text.index("Flood waters began")
    assert not touched(spans, start, text.index(" (Yonhap)"))


def test_link_list_after_related_header():
    text = (BODY + "Read also:\nCouncil to vote on new parking rules\nLocal bakery wins national prize\n")
    rules = {s.text: s.rule for s in find(text)}
    assert rules["Read also:"] == "related-header"
    assert rules["Council to vote on new parking rules"] == "related-list"
    assert rules["Local bakery wins national prize"] == "related-list"


def test_registry_entries_are_named_and_described():
    from dedup.boilerplate import describe_rule

    assert len(RULES) >= 15
    for name, rule in RULES.items():
        assert rule.name == name and rule.description and callable(rule.find)
        assert describe_rule(name) == rule.description
    for name in CORPUS_RULES:
        assert describe_rule(name) != "unknown rule"


# ---- invariants --------------------------------------------------------------------------------

_LINE = st.one_of(
    st.sampled_from(["Leave a Reply", "Source link", "AFP", "Published", "79.7 F", "Read more", "",
                     "Saturday, July 20, 2024", "Photo: Jane Example", "© 2024 Example", "World",
                     "Putin threatens to arm North Korea"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=80),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, max_size=12))
def test_spans_are_sorted_disjoint_and_point_into_the_text(lines):
    text = "\n".join(lines)
    spans = find(text)
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert s.text == text[s.start:s.end]
        assert s.rule in RULES or s.rule in CORPUS_RULES
    stripped = strip_boilerplate(text, spans)
    assert len(stripped) == len(text) - sum(s.end - s.start for s in spans) + len(spans)
    # what is kept is kept in order and unchanged
    pos, kept = 0, []
    for s in spans:
        kept.append(text[pos:s.start])
        pos = s.end
    kept.append(text[pos:])
    assert stripped.split("\n") == "\n".join(kept).split("\n")


def test_strip_replaces_each_span_by_one_newline():
    text = "abc DEF ghi JKL"
    spans = (Span(4, 7, "DEF", "x"), Span(12, 15, "JKL", "y"))
    assert strip_boilerplate(text, spans) == "abc \n ghi \n"
    assert strip_boilerplate(text, ()) == text


def test_deterministic():
    case = json.loads(CASES[0].read_text(encoding="utf-8"))
    assert find(case["text"]) == find(case["text"])


# ---- corpus evidence ---------------------------------------------------------------------------

FOOTER = [
    "About the Valley Ledger",
    "The Valley Ledger is an independent community newspaper serving the towns of the upper valley since 1952.",
    "Contact the newsroom",
    "Advertise with us",
    "Careers at the Ledger",
    "Terms of use and privacy policy",
    "Valley Ledger Media Group, 12 Mill Street",
]
TOPICS = [
    ("Orchard growers expect record apple harvest",
     "Apple growers across the valley expect a record harvest this autumn after a mild spring and steady "
     "summer rain, the growers association said on Wednesday.\n\n"
     "Picking crews have been hired early, and cold storage warehouses near the railway depot are being "
     "cleaned and repaired ahead of the first deliveries, which are due in the second week of next month.\n\n"
     "The association's chair said prices were likely to fall slightly because of the larger crop, but "
     "that most growers had already signed contracts with supermarkets and juice makers in the city.\n\n"
     "Smaller orchards on the eastern slopes reported some hail damage in June, though inspectors said "
     "the affected fruit could still be sold for cider and sauce rather than being left to rot."),
    ("School board approves new science wing",
     "The school board voted five to two on Tuesday night to build a science wing at the high school, "
     "with laboratories for chemistry, physics and biology and a lecture room for eighty pupils.\n\n"
     "Parents who spoke during the two-hour meeting urged the board to add a greenhouse, and the "
     "architect told members that one could be fitted on the flat roof without raising the budget much.\n\n"
     "The two members who voted against the plan said the district should first repair the leaking gym "
     "roof and replace the heating in the primary school, which failed twice last winter.\n\n"
     "Construction is expected to start after the summer holidays and to last about eighteen months, "
     "during which classes will use temporary rooms on the sports field."),
    ("Fire crews contain grass blaze near quarry",
     "Firefighters contained a grass fire that burned about forty hectares near the old limestone quarry "
     "on Sunday afternoon, the county fire service said.\n\n"
     "No homes were damaged and nobody was hurt, but a farmer lost several bales of hay and a stretch of "
     "fencing, and the road to the quarry was closed for five hours while crews worked.\n\n"
     "The fire chief said dry, gusty winds had made the work difficult and that a helicopter had been "
     "called in from the neighbouring county to drop water on the steep ground above the pit.\n\n"
     "The cause of the fire is under investigation, and residents were reminded that garden bonfires are "
     "banned until the end of September."),
    ("Library launches seed lending programme",
     "The public library now lends vegetable and flower seeds alongside its books, inviting gardeners to "
     "return seeds from their own harvest at the end of the season.\n\n"
     "Librarians said tomatoes, beans and sunflowers were the most popular choices in the first week, and "
     "that more than two hundred packets had been taken by Saturday evening.\n\n"
     "The scheme was started by a retired teacher who runs a gardening club in the basement on Thursday "
     "evenings, where volunteers sort, dry and label the seeds that are brought back.\n\n"
     "Anyone with a library card can borrow up to five packets at a time, and the club is offering "
     "free workshops on saving seeds for beginners in the spring."),
]


def page(i: int, site: str | None = "valleyledger.example") -> Document:
    title, body = TOPICS[i]
    return Document(id=f"doc{i}", text=title + "\n\n" + body + "\n\n" + "\n".join(FOOTER) + "\n", site=site)


def test_footer_shared_by_unrelated_pages_of_a_site_is_furniture():
    docs = [page(0), page(1)]
    found = find_corpus_boilerplate(docs)
    for doc in docs:
        spans = found[doc.id]
        for line in FOOTER:
            start = doc.text.index(line)
            assert covered(spans, start, start + len(line)), (line, spans)
        body = doc.text.index(TOPICS[int(doc.id[-1])][1])
        assert not touched(spans, body, body + len(TOPICS[int(doc.id[-1])][1]))
    assert {s.rule for s in found["doc0"]} >= {"corpus-site"}


def test_footer_across_unknown_sites_needs_three_pages():
    two = find_corpus_boilerplate([page(0, None), page(1, None)])
    assert not any(s.rule == "corpus-line" for s in two["doc0"])
    three = find_corpus_boilerplate([page(0, None), page(1, None), page(2, None)])
    assert any(s.rule == "corpus-line" for s in three["doc0"])


def test_wire_copy_paragraphs_shared_by_related_copies_are_not_furniture():
    wire = [
        "The central bank raised its main interest rate by a quarter point on Thursday, its third rise this year.",
        "Policymakers said inflation remained too high and that further increases could not be ruled out.",
        "Markets had largely expected the move, and the currency was little changed after the announcement.",
        "The bank will publish new forecasts for growth and prices at its next meeting in six weeks.",
    ]
    docs = [Document(id=f"copy{i}", text=f"Headline {i}\n\n" + "\n\n".join(wire[: 4 - (i % 2)]) + f"\n\nSite {i} footer\n",
                     site=f"site{i}.example") for i in range(6)]
    found = find_corpus_boilerplate(docs)
    for doc in docs:
        for para in wire:
            if para in doc.text:
                start = doc.text.index(para)
                assert not touched(found[doc.id], start, start + len(para)), (doc.id, para)


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(range(4))), st.integers(1, 3))
def test_merge_counts_is_a_commutative_associative_reduction(order, cut):
    docs = [page(i) for i in order]
    whole = count_lines(docs)
    parts = [count_lines(docs[:cut]), count_lines(docs[cut:])]
    assert merge_counts(*parts).lines == whole.lines and merge_counts(*parts).docs == whole.docs
    assert merge_counts(parts[0], parts[1]).lines == merge_counts(parts[1], parts[0]).lines
    a, b, c = count_lines(docs[:1]), count_lines(docs[1:2]), count_lines(docs[2:])
    assert merge_counts(merge_counts(a, b), c).lines == merge_counts(a, merge_counts(b, c)).lines
    assert line_evidence(merge_counts(*parts)) == line_evidence(whole)


def test_empty_counts_merge_to_identity():
    counts = count_lines([page(0)])
    assert merge_counts(LineCounts(), counts).lines == counts.lines


LONG_FOOTER = FOOTER + [
    "Our reporters cover council meetings, school boards, courts and high school sports across the valley.",
    "Support local journalism by becoming a member: members get early access to our weekend edition.",
    "Letters to the editor may be edited for length and clarity and must include the writer's town.",
    "Corrections and clarifications are published on page two of every print edition and online.",
]


def footer_pages() -> list[Document]:
    return [Document(id=f"a{i}", text=TOPICS[i][0] + "\n\n" + TOPICS[i][1] + "\n\n" + "\n".join(LONG_FOOTER) + "\n",
                     site="valleyledger.example") for i in (0, 1)]


def test_long_site_footer_is_out_of_the_fingerprinted_text():
    docs = footer_pages()
    found = find_corpus_boilerplate(docs)
    before = jaccard5(docs[0].text, docs[1].text)
    after = jaccard5(*(strip_boilerplate(d.text, found[d.id]) for d in docs))
    assert before > 0.2 and after < 0.02, (before, after)


def test_two_unrelated_articles_sharing_a_long_footer_are_not_grouped():
    from dedup.config import Config
    from dedup.pipeline import scan

    docs = footer_pages()
    result = scan(docs, Config())
    clusters = {d.id: d.cluster for d in result.documents}
    assert clusters["a0"] is None or clusters["a0"] != clusters["a1"]
    assert not any({m.a, m.b} == {"a0", "a1"} and m.relation for m in result.matches)
    # and the footer is listed, per document, among the spans the scan removed
    for d in result.documents:
        assert any("Support local journalism" in s.text for s in d.boilerplate)


def jaccard5(a: str, b: str) -> float:
    from dedup.text import words

    def shingles(t):
        w = words(t)
        return {tuple(w[i:i + 5]) for i in range(len(w) - 4)}

    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y)


# ---- the seeds (shared material) ---------------------------------------------------------------

def test_seeds_furniture_flagged_and_article_kept(shared_dir):
    seeds = sorted((shared_dir / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("no seeds in ../shared/seeds")
    docs = [Document(id=p.stem, text=p.read_text(encoding="utf-8")) for p in seeds]
    found = find_corpus_boilerplate(docs)
    flags = {d.id[:3]: "\n".join(s.text for s in found[d.id]) for d in docs}
    for key, piece in [("001", "Tinggalkan Balasan"), ("000", "Post a Comment"), ("003", "Source link"),
                       ("003", "79.7 F"), ("004", "AFP covers the world")]:
        assert piece in flags[key], (key, piece)
    for key, piece in [("004", "North Korea has denounced a declaration"), ("003", "A key U.S. ally fired"),
                       ("001", "Pyongyang has repeatedly denied accusations")]:
        assert piece not in flags[key], (key, piece)


# ---- CLI ---------------------------------------------------------------------------------------

def test_cli_json_lists_every_document_with_offsets(tmp_path):
    from click.testing import CliRunner

    from dedup.cli import main

    texts = {"one": "Bridge reopens after repairs\n\nThe old bridge reopened on Monday after six months of "
                    "repairs, the council said.\n\nLeave a Reply\n",
             "two": "No furniture here at all, only a sentence of an article about the weather today.\n"}
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["boilerplate", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["id"] for d in data] == ["one", "two"]
    one = data[0]["boilerplate"]
    assert [(b["text"], b["rule"]) for b in one] == [("Leave a Reply", "comment-form")]
    assert texts["one"][one[0]["start"]:one[0]["end"]] == "Leave a Reply"
    assert data[1]["boilerplate"] == []
    text_out = CliRunner().invoke(main, ["boilerplate", str(tmp_path)])
    assert text_out.exit_code == 0 and "[comment-form]" in text_out.output


def test_cli_missing_path_is_an_error(tmp_path):
    from click.testing import CliRunner

    from dedup.cli import main

    result = CliRunner().invoke(main, ["boilerplate", str(tmp_path / "nowhere.jsonl")])
    assert result.exit_code != 0


@pytest.mark.parametrize("line", [
    "Saturday, July 20, 2024", "20 July 2024 - 14:05", "Samedi 20 juillet 2024", "20 de julio de 2024",
    "Samstag, 20. Juli 2024", "20 de julho de 2024", "sabato 20 luglio 2024", "Sabtu, 20 Juli 2024 13:45 WIB",
    "2024-07-20", "20.07.2024",
])
def test_date_widgets_in_several_languages(line):
    text = "Headline of a story\n\n" + line + "\n\n" + BODY
    spans = find(text)
    assert [(s.text, s.rule) for s in spans] == [(line, "date-widget")]


@pytest.mark.parametrize("line", [
    "By Jane Example", "Por María Ejemplo", "Par Jeanne Exemple", "Von Lena Beispiel", "Oleh Budi Contoh",
    "Published", "Updated: 20 July 2024", "Veröffentlicht am 20.07.2024", "Publicado el 20 de julio de 2024",
    "Diperbarui 20 Juli 2024", "AFP", "(AP)", "Reuters Staff",
])
def test_bylines_stamps_and_agency_lines(line):
    text = "Headline of a story\n\n" + line + "\n\n" + BODY
    spans = find(text)
    assert [s.text for s in spans] == [line], spans
    assert spans[0].rule in {"byline", "publish-stamp", "agency-credit", "date-widget"}


# ---- fast paths give what their plain definitions give (the finder's speed-ups change nothing) ---

import hashlib  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import regex  # noqa: E402

from dedup import boilerplate_corpus as BC  # noqa: E402
from dedup import boilerplate_credits as BCR  # noqa: E402
from dedup import boilerplate_phrases as BP  # noqa: E402
from dedup import boilerplate_prefilters as BF  # noqa: E402
from dedup import boilerplate_page as BPG  # noqa: E402
from dedup import boilerplate_rules as BR  # noqa: E402
from dedup import boilerplate_sketch as BS  # noqa: E402
from dedup.text import normalise  # noqa: E402

_PLAIN_WORD = regex.compile(r"[\p{L}\p{N}]+")
_ODD = ["\t", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\u2028", "\u00a0", "  ", "\n\n", " \n "]
_PIECES = st.one_of(
    st.sampled_from(["date 2024-07-13", "date 2024-07-13T10:00", "Leave a Reply", "- Read more", "• Tags",
                     "# World", "Photo: Jane Example", "(AP Photo/Jane Example)", "...Tuesday.AP", "© 2024",
                     "By Jane Example", "ﬁnal ½ İstanbul ſome", "٣ ² ፩ 7 ⓵ 𝟙 𑁧", "“Quoted,” she said.", "|", "*"]),
    st.sampled_from(_ODD),
    st.text(st.sampled_from("aZé9 .,-*#|()’İ\n"), max_size=6),
)
# pages start with blank lines, odd breaks and stored date labels as often as not
_TEXTS = st.tuples(st.sampled_from(["", "", "\n", "\n\n", " \t\n", "\x0c", "\u2028", "\x1f\n"]),
                   st.sampled_from(["", "date 2024-07-13", "  date 2024-07-13 ", "date 2024-07-13\x0cNext"]),
                   st.lists(_PIECES, max_size=14).map("".join)).map("".join)


def _plain_page(text: str) -> list[tuple]:
    """Pages as first defined: str.splitlines, whitespace stripped, the date label split off the
    first line, forms normalised by NFKC and case folding, words counted with a Unicode pattern."""
    lines: list[tuple] = []
    pos = 0
    for piece in text.splitlines(keepends=True):
        body = piece.rstrip("\r\n")
        pieces = [(pos, pos + len(body))]
        label = BR._DATE_LABEL.match(body) if not lines else None
        if label:
            pieces = [(pos, pos + label.end()), (pos + label.end(), pos + len(body))]
        for start, end in pieces:
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                form = " ".join(BR._MARKERS.sub("", normalise(text[start:end])).split())
                lines.append((len(lines), start, end, text[start:end], form, len(_PLAIN_WORD.findall(form))))
        pos += len(piece)
    return lines


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_pages_are_the_lines_of_their_plain_definition(text):
    assert [tuple(line) for line in BPG.make_page(text).lines] == _plain_page(text)


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_line_keys_and_shapes_are_those_of_their_plain_definition(text):
    for line in BPG.make_page(text).lines:
        folded = "".join("0" if c.isdigit() else c for c in line.form)
        assert BC.line_key(line.form) == int.from_bytes(
            hashlib.blake2b(folded.encode("utf-8"), digest_size=8).digest(), "little")
        ends = regex.search(r"[.!?][\"')\]]*$", line.form)
        expected = BC.LONG if line.n_words > BC.LONG_LINE_WORDS else (
            BC.SENTENCE if line.n_words >= 3 and ends else BC.SHORT)
        assert BC.line_shape(line.n_words, line.form) == expected


def _plain_minhash(values: np.ndarray) -> tuple[int, bytes]:
    values = np.unique(values)
    if len(values) == 0:
        return 0, b""
    x = values[None, :] ^ BS._SEEDS[:, None]
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return len(values), (x.min(axis=1) >> np.uint64(32)).astype("<u4").tobytes()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=300))
def test_minhash_is_that_of_its_plain_definition(values):
    array = np.array(values, dtype=np.uint64)
    assert BS._minhash(array.copy()) == _plain_minhash(array)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 60), max_size=12), st.integers(0, 60))
def test_a_key_joins_a_sample_as_the_bottom_k(keys, key):
    sample = BC._bottom(keys)
    assert BC._add_key(sample, key) == BC._bottom(sample + (key,))


def test_caseless_shows_every_case_insensitive_match_of_a_credit_letter():
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for letter in "abcdefghijklmnopqrstuvwxyzé":
        for char in regex.findall("(?i:" + letter + ")", every):
            assert BF.caseless(char) == letter, (char, letter)


def test_name_lists_are_the_alternatives_of_their_patterns():
    for pattern, names in ((BP.AGENCIES, BF.AGENCY_NAMES), (BP.PHOTO_SOURCES, BF.PHOTO_SOURCE_NAMES)):
        compiled = regex.compile(f"(?:{pattern})")
        assert all(compiled.fullmatch(name) for name in names)
        assert len(names) >= pattern.count("|") + 1
    with pytest.raises(ValueError):
        BF.alternatives(r"afp|a.p")


def _start_cases(pattern: str) -> st.SearchStrategy[str]:
    return st.from_regex(pattern, fullmatch=True).filter(lambda s: "\x00" not in s)


_FAMILY_PATTERNS = [(kind, family) for kind, table in (("whole", BP.WHOLE), ("leading", BP.LEADING)) for family in table]


@pytest.mark.parametrize("kind,family", _FAMILY_PATTERNS, ids=[f"{k}-{f}" for k, f in _FAMILY_PATTERNS])
def test_lines_a_phrase_matches_pass_its_start_test(kind, family):
    if kind == "whole":
        compiled, test = BP.compile_whole(BP.WHOLE[family]), BR._WHOLE_START
        strategy = _start_cases(compiled.pattern)
        matches = compiled.fullmatch
    else:
        compiled, test = BP.compile_leading(BP.LEADING[family]), BR._LEADING_START
        strategy = st.tuples(_start_cases(compiled.pattern), st.text(max_size=20)).map("".join)
        matches = compiled.match

    @settings(max_examples=60, deadline=None)
    @given(strategy)
    def check(line):
        if matches(line):
            assert test(line), line

    check()


def test_start_tests_of_patterns_they_cannot_read_let_everything_through():
    for pattern in (r"(?i)leave a reply", r"\p{Lu}ead more", r"(?x) read \ more"):
        assert BF.start_test(pattern)("LEAVE A REPLY")
    assert not BF.start_test(r"leave a reply")("LEAVE A REPLY")
    assert BF.start_test(r"leave a reply")("leave a reply to Jane")


_CASES = {"i": "iI\u0130", "s": "sS\u017f", "k": "kK\u212a"}
_ENDS = ["", ".", " |", ")", ")."]


@st.composite
def _tail_lines(draw) -> str:
    """Lines ending in an agency, a photo source or a credit, in any case."""
    name = draw(st.sampled_from(BF.AGENCY_NAMES + BF.PHOTO_SOURCE_NAMES + (
        "Photo: Jane Example", "Copyright AFP Jane EXAMPLE", "credit: Example Images", "(AP Photo/Jane Example)",
        "(Yonhap)", "[Reuters]", "Image: Example")))
    name = "".join(draw(st.sampled_from(_CASES.get(c.lower(), c.lower() + c.upper()))) for c in name)
    head = draw(st.sampled_from(["", "Rescuers searched the river on Tuesday", "said the mayor.", "Le Monde ",
                                 "Smoke rises over the port. ", "a caption -", "x/y "]))
    glue = draw(st.sampled_from(["", " ", ".", ". ", " - ", " | ", "/"]))
    return (head + glue + name + draw(st.sampled_from(_ENDS))).strip() or "x"


@settings(max_examples=400, deadline=None)
@given(_tail_lines())
def test_lines_a_tail_pattern_matches_pass_its_cheap_test(raw):
    if BCR._tail_search(BCR._AGENCY_SIGNOFF, raw):
        assert raw[-1] in ")]"
    if BCR._tail_search(BCR._AGENCY_TAIL, raw):
        assert raw[-1].isalpha() and BF.may_end_with_agency(raw)
    if BCR._tail_search(BCR._SOURCE_TAIL, raw):
        assert BF.may_end_with_source(raw)
    tail = max(0, len(raw) - BF.CREDIT_CHARS)
    if BCR._CREDIT_TAIL.search(raw, tail) and BCR._CREDIT_WORDS.search(raw, tail):
        assert BF.may_end_in_credit(raw[tail:])
    if BCR._CAPTION_START.match(raw):
        assert raw[0] in BCR._CAPTION_FIRST


def test_phrase_results_kept_per_form_change_nothing():
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in CASES]
    warm = [find(text) for text in texts]
    BR._MEMO.clear()
    assert [find(text) for text in texts] == warm
