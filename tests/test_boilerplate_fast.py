"""The fast paths of the boilerplate rules find exactly what the registered rules find."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import boilerplate as B
from dedup import boilerplate_credits as BCR
from dedup import boilerplate_head as BH
from dedup import boilerplate_page as BPG
from dedup import boilerplate_rules as R
from dedup.boilerplate_page import make_page
from dedup.corpus import read_corpus

# Lines of the kinds the rules look for (and near misses), invented for these tests.
_LINES = [
    "Leave a Reply", "Related posts", "Read more", "Share this article", "Subscribe now", "12 comments",
    "Your email address will not be published. Required fields are marked *", "Advertisement",
    "Tuesday, 14 March 2023 10:05 GMT", "Updated: 3 May 2022 at 08:15", "Published", "By Mara Quill",
    "By Mara Quill and Tomas Brandt, Lisbon", "AFP", "(Reuters)", "Reuters Staff",
    "The mayor opened the bridge on Friday. (Yonhap)", "Crowds gathered at the harbour on Monday.AP",
    "Smoke rises over the valley. - Copyright AFP Jan Ostrava", "A worker inspects a turbine. Photo: Lena Varga",
    "Satellite view of the port, taken in May. Planet Labs PBC", "(AP Photo/Rui Mendes)",
    "Photo: A crowd at the gate", "\u25b2 Rescue teams at the site", "79.7 F", "Springfield",
    "World", "PoliticsNorth Korea", "Valley NewsThe council voted on Tuesday to close the old library for repairs",
    "Council votes to close library", "WorldCouncil votes to close library",
    "HAVEN, Norland (AP) \u2014 The council voted to close the library for two years of repairs and more.",
    "The council voted on Tuesday to close the old library for two years while the roof is repaired.",
    "Officials said the work would cost 2.4 million euros, paid by the regional government and a grant.",
    "\u00a9 2024 Valley Ledger. All rights reserved.", "Credit: Getty Images", "Tags: council, library",
    "Follow us on Twitter", "- Read more", "* Share", "date 2024-07-13", "Ver\u00f6ffentlicht am 3. Mai 2022",
    "Por Mar\u00eda P\u00e9rez", "Baca juga: Dewan menutup perpustakaan", "3 of 12", "\u0130stanbul'da toplant\u0131",
    "Firefighters worked through the night, the Fire Service said. EFE", "A view of the dam / Handout",
]
_PAGES = st.lists(st.one_of(st.sampled_from(_LINES), st.text(st.sampled_from("aZ9 .:()-/"), min_size=1, max_size=12)),
                  max_size=16).map("\n\n".join)


def registry_findings(text: str) -> list[tuple[int, int, str]]:
    page = make_page(text)
    return sorted((start, end, name) for name, rule in R.RULES.items() for start, end in rule.find(page))


@settings(max_examples=300, deadline=None)
@given(_PAGES)
def test_find_all_finds_what_every_registered_rule_finds(text):
    expected = registry_findings(text)
    assert sorted(B.find_all(make_page(text))) == expected
    assert sorted(B.find_all(make_page(text))) == expected  # again, from the line memo


def test_find_all_on_the_dev_corpus(shared_dir):
    for doc in read_corpus(shared_dir / "dev" / "corpus.jsonl").documents:
        assert sorted(B.find_all(make_page(doc.text))) == registry_findings(doc.text), doc.id


def test_every_rule_runs_line_by_line_or_on_the_page():
    assert set(B.PAGE_RULES) | B.LINE_RULES == set(R.RULES)
    assert not set(B.PAGE_RULES) & B.LINE_RULES


# plain ASCII pages (lines broken by "\n" only) take a fast path in make_page; near misses do not
_PLAIN_PIECES = st.sampled_from(["Council votes", "- Read more", "* Share", "> quoted", "| World", "# Tags",
                                 "date 2024-07-13 Title", "x", "7", " ", "  ", "\t", "\r", "\x0c", "a b", "---"])
_PLAIN_PAGES = st.lists(st.tuples(_PLAIN_PIECES, st.sampled_from(["\n", "\n\n", " ", "\n \n", ""])),
                        max_size=12).map(lambda parts: "".join(a + b for a, b in parts))


def plain_lines(text: str) -> list[tuple]:
    """The lines of the general path of make_page (as if the text were not plain)."""
    from dedup import boilerplate_page as BPG

    spans = [m.span() for m in BPG._LINE.finditer(text)]
    if spans:
        spans[:1] = BPG._first_line(text, *spans[0])
    out = []
    for i, (start, end) in enumerate(spans):
        form = BPG.line_form(text[start:end])
        out.append((i, start, end, text[start:end], form, BPG.count_words(form)))
    return out


@settings(max_examples=400, deadline=None)
@given(_PLAIN_PAGES)
def test_plain_ascii_pages_are_cut_as_the_general_path_cuts_them(text):
    assert [tuple(line) for line in make_page(text).lines] == plain_lines(text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("-0\u0663\u00b29.,\u00b0 fcFCab'"), min_size=1, max_size=12))
def test_a_temperature_starts_with_a_minus_or_a_digit(form):
    if R._WEATHER.fullmatch(form):
        assert form[0] == "-" or form[0].isdigit()


_DATELINE_TEXT = st.lists(st.sampled_from(
    ["LONDON", "\u00c9VORA", "\u0394ELPHI", "Paris", "london", ", ", " ", "(Reuters)", "(AFP)", " - ", " \u2014 ",
     "The", "3", '"', "March 3", "(", ")", "\u01c5", "\u2160"]), min_size=1, max_size=10).map("".join)


@settings(max_examples=500, deadline=None)
@given(_DATELINE_TEXT)
def test_a_dateline_starts_with_a_capital(raw):
    if BH._DATELINE.match(raw):
        assert raw[0].isupper()


# -- context rules against their first definitions (before their cheap tests were added) ----------

def first_related_list(page):
    header = [("related-header" in whole) for whole, _ in R.phrase_families(page)]
    for i, line in enumerate(page.lines):
        if header[i]:
            for nxt in page.lines[i + 1:]:
                if not R._title_like(nxt, 16) or header[nxt.index]:
                    break
                yield nxt.start, nxt.end


def first_caption_repeat(page):
    for a, b in zip(page.lines, page.lines[1:]):
        head = a.form.rstrip(".!? ")
        if a.n_words >= 4 and b.form.startswith(head) and b.n_words <= BCR.CAPTION_MAX_WORDS:
            if BPG._WORD.search(b.form[len(head):]) and b.n_words - a.n_words <= 12:
                yield a.start, a.end
                yield b.start, b.end


def first_section_glued_headline(page):
    head = page.lines[:BH.HEAD_LINES + 2]
    simple = [BH._simple(line.raw) for line in head]
    for j, line in enumerate(head):
        low = simple[j]
        if len(low) != len(line.raw):
            continue
        for earlier, title in zip(head[:j], simple):
            if earlier.n_words < 3 or len(low) <= len(title) or not low.endswith(title):
                continue
            prefix = line.raw[: len(low) - len(title)]
            found = BPG._WORD.findall(prefix)
            if 1 <= len(found) <= 3 and prefix.strip() and not prefix[-1].isspace():
                yield line.start, line.start + len(prefix)
                yield line.start + len(prefix), line.end
                break


def first_site_name_glued(page):
    for line in page.lines[:BH.HEAD_LINES]:
        m = BH._GLUED_HEAD.match(line.raw)
        if not m:
            continue
        found = m.group("prefix").split()
        last = BPG._WORD.findall(found[-1].casefold())
        if last and last[-1] in R.P.SITE_WORDS and line.n_words - len(found) >= 6:
            yield line.start, line.start + m.end()


_HEAD_LINES = st.lists(st.sampled_from([
    "Council votes to close library", "WorldCouncil votes to close library", "World Council votes to close library",
    "Council votes", "Valley NewsThe council voted on Tuesday to close the old library for repairs",
    "Valley TimesThe council voted on Tuesday to close it", "The Daily PostCouncil members voted on Tuesday to close it",
    "Related posts", "Read more", "Library hours change", "Ferry timetable", "Officials said the work would cost millions.",
    "Crowds at the pier on Monday.", "Crowds at the pier on Monday. Photo: Lena Varga", "Crowds at the pier",
    "\u00c9coleNews la mairie a vot\u00e9 mardi pour fermer la biblioth\u00e8que", "NOTICIASEl consejo", "x"]),
    max_size=9).map("\n".join)


@settings(max_examples=400, deadline=None)
@given(_HEAD_LINES)
def test_context_rules_find_what_their_first_definitions_found(text):
    for rule, first in ((R.related_list, first_related_list), (BCR.caption_repeat, first_caption_repeat),
                        (BH.section_glued_headline, first_section_glued_headline),
                        (BH.site_name_glued, first_site_name_glued)):
        assert list(rule(make_page(text))) == list(first(make_page(text))), rule.__name__


@settings(max_examples=300, deadline=None)
@given(st.one_of(_PLAIN_PAGES, _PAGES))
def test_line_forms_are_those_of_the_page(text):
    from dedup.boilerplate_page import line_forms

    assert line_forms(text) == [(line.form, line.n_words) for line in make_page(text).lines]
    assert [tuple(line) for line in make_page(text).lines] == plain_lines(text)


def first_dateline(page):
    for line in page.lines[:12]:
        m = BH._DATELINE.match(line.raw) if line.n_words >= 8 else None
        if m:
            yield line.start, line.start + m.end()
            return


_DATELINE_LINES = st.lists(st.sampled_from(
    ["LONDON", "Paris", "NEW DELHI", ", ", " ", "(Reuters)", "(AFP)", "(ap)", "(Ap)", "(\u0130ANS)", "(afp relaxnews)",
     "(The Associated Press)", "(AFP", "AFP)", "(X)", "()", "(", ")", " - ", " \u2014 ", "The", "March 3", "3", '"',
     "said on Monday", "\u00c9VORA", "\u01c5", "s", "\t", "\u3000", "\x1c"]), min_size=1, max_size=14).map("".join)


_DATELINE_SHAPED = st.tuples(
    st.sampled_from(["LONDON", "Paris", "NEW DELHI", "\u00c9VORA", "london", "ADANA, Turkey", "Mumbai, Nov 5", "The"]),
    st.sampled_from([" ", "", "  ", "\t", " , "]),
    st.sampled_from(["(Reuters)", "(AFP)", "(ap)", "(\u0130ANS)", "(afp relaxnews)", "(The Associated Press)", "(AFP",
                     "(X)", "()", "(Reuters) (AFP)", "[AFP]", "(AP Photo)", "(Anadolu Agency)", "(\u212aYODO)"]),
    st.sampled_from([" - ", " \u2014 ", ": ", " ", ""]),
    st.sampled_from(["The ministry said on Monday that tax receipts rose", "the ministry said it would close the pier",
                     "3 people died when the ferry sank off the coast", '"We will rebuild," the mayor said on Monday',
                     "Officials (AFP) said on Monday they would rebuild it"]),
).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(_DATELINE_LINES, _DATELINE_SHAPED), min_size=1, max_size=4).map("\n".join))
def test_dateline_finds_what_its_first_definition_found(text):
    page = make_page(text)
    assert list(BH.dateline(page)) == list(first_dateline(page))


_GLUE_WORDS = st.lists(st.sampled_from(
    ["Valley", "News", "NewsThe", "newsThe", "TimesCouncil", "Daily", "PostCouncil", "council", "voted", "on",
     "Tuesday", "iPhone", "McDonald", "\u00c9coleNews", "x", "3", "A&B", "O'Neil", "Jean-Luc"]), min_size=1, max_size=12)
_GLUE_LINES = st.tuples(_GLUE_WORDS, st.lists(st.sampled_from([" ", "  ", "\t", "\x1c", "\u3000", " - "]),
                                                min_size=11, max_size=11)).map(
    lambda ws: "".join(w + s for w, s in zip(ws[0], ws[1])).strip() or "x")


@settings(max_examples=600, deadline=None)
@given(st.lists(_GLUE_LINES, min_size=1, max_size=6).map("\n".join))
def test_site_name_glued_finds_what_its_first_definition_found(text):
    page = make_page(text)
    assert list(BH.site_name_glued(page)) == list(first_site_name_glued(page))


def first_resolve(text, found):
    """_resolve as first written: findings (start, end, priority, rule), whitespace trimmed char by char."""
    from dedup.types import Span

    spans = []
    for start, _, _, end, rule in sorted([(f[0], f[0] - f[1], f[2], f[1], f[3]) for f in found]):
        if spans and start < spans[-1].end:
            start = spans[-1].end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append(Span(start, end, text[start:end], rule))
    return tuple(spans)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("ab \n\t\u3000\u00a0.x"), min_size=1, max_size=40).flatmap(
    lambda text: st.tuples(st.just(text), st.lists(st.tuples(
        st.integers(0, len(text)), st.integers(0, len(text)), st.integers(0, 3), st.sampled_from(["r", "s", "t"])),
        max_size=8))))
def test_resolve_keeps_what_its_first_definition_kept(case):
    text, raw = case
    found = [(a, b, p, r) for a, b, p, r in raw if b > a]
    assert B._resolve(text, [(a, a - b, p, b, r) for a, b, p, r in found]) == first_resolve(text, found)


# typographic quotes, dashes and odd spaces fold to ASCII, and letters outside ASCII of scripts
# written with spaces are letters: such pages take the fast paths through their folded stand-in
# (dedup.stand_in), and so do symbols outside ASCII (an ellipsis, a bullet, a currency sign: "~"
# in the stand-in, themselves in the line forms); a zero-width space, a byte-order mark, a double
# prime (NFKC makes it two primes), the trade mark sign, or a letter whose case or normal form
# changes its length keep them on the general path
_TYPOGRAPHIC = st.sampled_from(["\u201cQuote,\u201d", "it\u2019s", "\u2014 Read more", "\u2013", "a\u00a0b", "\u00a0",
                                "x\u2009y", "\u200b", "\ufeff", "\u2033", "caf\u00e9", "\u2022 Share", "\u00abWorld\u00bb",
                                "\u00c9VORA", "- \u00e9t\u00e9", "\u041c\u043e\u0441\u043a\u0432\u0430", "stra\u00dfe", "\u0130zmir",
                                "\u212a", "\u03a3\u039f\u03a6\u039f\u03a3", "e\u0301", "\u00bd", "date 2024-07-13 \u00c9t\u00e9",
                                "Read more\u2026", "\u2026", "\u2022", "\u25b2 Rescue", "\u00b7 a", "\u20ac5", "\u2122",
                                "\U0001f947 Gold", "x \u2192 y", "\u00a9 2024 Valley", "~"])
_TYPOGRAPHIC_PAGES = st.lists(st.tuples(st.one_of(_PLAIN_PIECES, _TYPOGRAPHIC),
                                        st.sampled_from(["\n", "\n\n", " ", "\n \n", ""])),
                              max_size=12).map(lambda parts: "".join(a + b for a, b in parts))


@settings(max_examples=500, deadline=None)
@given(_TYPOGRAPHIC_PAGES)
def test_typographic_pages_are_cut_as_the_general_path_cuts_them(text):
    from dedup.boilerplate_page import line_forms

    assert [tuple(line) for line in make_page(text).lines] == plain_lines(text)
    assert line_forms(text) == [(line.form, line.n_words) for line in make_page(text).lines]
