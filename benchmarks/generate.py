"""A deterministic generator of a news-like corpus of any size, for benchmarks.

    python benchmarks/generate.py --docs 100000 --seed 1 -o news.jsonl

Articles are made from an invented vocabulary (pseudo-words built from syllables, mixed with common
English function words typed here) in a news shape: a headline, a dateline with an agency credit,
8 to 15 paragraphs of sentences carrying names, numbers and quotes, and the furniture of the site
that published them. About 30% of the documents belong to syndication groups (an original and 2 to 6
copies: verbatim, trimmed, lightly edited, a paragraph dropped, a paraphrase, a partial copy inside
other text); a few are independent articles about the same invented event (same names and numbers,
different text). Each record carries its labels ("story", "event", "relation", "edit") beside the
fields dedup reads. Output is streamed block by block: memory stays small at any size, and a
corpus of a multiple of 1,000 documents is the start of any larger corpus of the same seed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import sys
import time
from typing import Iterator

import numpy as np

from typography import typeset_lines

# Common English function words (typed for this generator), so that tokenising and stopword lists
# behave as on English text; "said" is among them, as in news.
FUNCTION_WORDS = tuple("""
the of and to a in that is was he for it with as his on be at by this had not are but from or have
an they which one you were her all she there would their we him been has when who will more no if
out so said what up its about into than them can only other new some could these two may then do
first any my now such like our over even most made after also did many before must through back
where much your way well down should because each just those how too very make still own see get
here between both under never same another while last might us off since against came take three
during without again around however week month told added according amid across until later
""".split())

_ONSETS = ("b br c ch d dr f fl g gr h j k kl l m n p pl pr r s sh sk st t tr v w z " * 2).split() + [""] * 6
_VOWELS = "a e i o u a e i o ai ea ou io".split()
_CODAS = ("n r s l m t nd st rk x " + "- " * 8).split()


def pseudo_words(rng: np.random.Generator, n: int, exclude: set) -> list[str]:
    """`n` distinct invented words of one to three syllables, none in `exclude`."""
    out: list[str] = []
    seen = set(exclude)
    while len(out) < n:
        syllables = int(rng.choice([1, 2, 2, 2, 3]))
        word = "".join(_ONSETS[rng.integers(len(_ONSETS))] + _VOWELS[rng.integers(len(_VOWELS))]
                       + _CODAS[rng.integers(len(_CODAS))].strip("-") for _ in range(syllables))
        if len(word) > 2 and word not in seen:
            seen.add(word)
            out.append(word)
    return out


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
AGENCIES = (("Meridian Press Service", "MPS"), ("Northgate Wire", "NGW"), ("Agence Orvale", "AO"),
            ("Continental Newsline", "CNL"), ("AFP", "AFP"), ("Reuters", "Reuters"), ("AP", "AP"))
SECTIONS = ("world", "business", "politics", "region", "science", "news")
SITE_KINDS = ("Herald", "Times", "Post", "Daily", "Gazette", "Chronicle", "Tribune", "Observer",
              "Courier", "Journal", "Express", "Monitor")
HEADER_LINES = ("Home | World | Business | Sport | Culture | Opinion", "Menu", "Search {site}",
                "Subscribe", "Sign in | Register", "Latest news", "Today's paper", "Breaking")
FOOTER_LINES = ("Copyright {year} {site}. All rights reserved.", "Share this story",
                "Follow {site} for more updates", "Most read", "Terms of use | Privacy | Contact us",
                "Get our morning briefing in your inbox", "Read more from {site}")
COMMENT_LINES = ("Join the discussion", "Comments are checked by {site} editors before they appear.",
                 "Name", "Email", "Post your comment")

BLOCK = 1000  # documents generated (and shuffled) together
VOCAB_SEED = 20240611  # the invented language is the same for every corpus seed
EDITS = ("verbatim", "trimmed", "light-edit", "dropped-paragraph", "paraphrase", "partial")
EDIT_WEIGHTS = (0.25, 0.2, 0.2, 0.1, 0.15, 0.1)
RELATION_OF_EDIT = {"verbatim": "verbatim", "trimmed": "verbatim", "light-edit": "edited",
                    "dropped-paragraph": "edited", "paraphrase": "rewrite", "partial": "partial"}
# units of a block: a syndication group (an original and 2 to 6 copies), a same-event pair, a
# unique article; weighted so that about 30% of documents are in groups, 6% in same-event pairs.
UNIT_WEIGHTS = (0.06, 0.03, 0.64)
START = dt.datetime(2024, 1, 1, 6, 0)
DOCS_PER_DAY = 2000
# Texts are built already escaped for JSON (the words are plain ASCII): a line break is the two
# characters backslash and n, a quote is backslash and quote. Writing a record is then one format.
_LINE, _PARA = "\\n", "\\n\\n"
_END = 6  # rendering of the last token of a body or headline: ends with a separator


class _Lexicon:
    """Token strings in seven renderings (plain, capitalised, sentence end, paragraph end, opening
    quote, closing quote, end of body); a rendered token is table[rendering * size + token id]."""

    def __init__(self) -> None:
        rng = np.random.default_rng(VOCAB_SEED)
        words = pseudo_words(rng, 21300, exclude=set(FUNCTION_WORDS))
        n_function = len(FUNCTION_WORDS)
        self.content = (n_function, n_function + 20000)  # content ids [lo, hi)
        numbers = [str(i) for i in range(2, 100)] + [f"{i},{j:03d}" for i in range(1, 40) for j in (0, 250, 500)]
        numbers += [f"{i}.{j}" for i in range(1, 20) for j in (2, 5, 8)] + ["percent", "million", "billion"]
        places = [w.capitalize() + s for w, s in zip(words[21000:], ["", "a", "ia", "ville", "burg", "ton"] * 50)]
        strings = list(FUNCTION_WORDS) + words[:20000]
        groups = {}
        for name, items in (("first", [w.capitalize() for w in words[20000:20400]]),
                            ("last", [w.capitalize() for w in words[20400:21000]]),
                            ("place", places), ("number", numbers)):
            groups[name] = np.arange(len(strings), len(strings) + len(items))
            strings += items
        self.first_ids, self.last_ids = groups["first"], groups["last"]
        self.place_ids, self.number_ids = groups["place"], groups["number"]
        self.said = strings.index("said")
        self.strings = strings
        self.size = len(strings)
        caps = [s[:1].upper() + s[1:] for s in strings]
        self.table = np.array([s + " " for s in strings] + [c + " " for c in caps]
                              + [s + ". " for s in strings] + [s + "." + _PARA for s in strings]
                              + ['\\"' + c + " " for c in caps] + [s + ',\\"' + " " for s in strings]
                              + [s + "\0" for s in strings], dtype=object)
        ranks = np.arange(self.content[1], dtype=np.float64)  # function words are the top ranks
        cdf = np.cumsum(1.0 / (ranks + 2.7))
        # a lookup table of 2**20 quantiles: drawing a word is one random integer and one index
        self.quantiles = np.searchsorted(cdf / cdf[-1], (np.arange(1 << 20) + 0.5) / (1 << 20))
        self.quantiles = self.quantiles.astype(np.uint16)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.quantiles[rng.integers(0, 1 << 20, n)].astype(np.int64)

    def synonym(self, ids: np.ndarray) -> np.ndarray:
        """Each content word has one synonym: its neighbour of the same frequency rank."""
        lo = self.content[0]
        return lo + ((ids - lo) ^ 1)

    def join(self, ids: np.ndarray, ver: np.ndarray) -> str:
        return "".join(self.table[ver * self.size + ids].tolist())

    def headline(self, ids: np.ndarray) -> str:
        ver = np.zeros(len(ids), dtype=np.int64)
        ver[0] = 1
        return self.join(ids, ver).strip()


LEX = _Lexicon()


class Bodies:
    """Many article bodies as token ids with their sentence and paragraph structure, rendered in
    one pass. Body b has sentences sent[b]:sent[b+1]; sentence s has words ends[s]-lens[s]:ends[s];
    paragraph sizes (in sentences) paras[para[b]:para[b+1]]."""

    def __init__(self, ids, lens, paras, quotes, sent, para):
        self.ids, self.lens, self.paras, self.quotes = ids, lens, paras, quotes
        self.sent, self.para = sent, para

    def render(self) -> list[list[str]]:
        """The paragraphs of every body."""
        ends = np.cumsum(self.lens)
        starts = ends - self.lens
        ver = np.zeros(len(self.ids), dtype=np.int64)
        ver[starts] = 1
        ver[ends - 1] = 2
        ver[ends[np.cumsum(self.paras) - 1] - 1] = 3
        ver[starts[self.quotes]] = 4
        ver[ends[self.quotes] - 4] = 5
        ver[ends[self.sent[1:] - 1] - 1] = _END
        return [body.split(_PARA) for body in LEX.join(self.ids, ver).split("\0")[:-1]]

    def one(self, b: int, ids: np.ndarray | None = None) -> "Bodies":
        """Body b alone (optionally with other word ids of the same length)."""
        s0, s1 = int(self.sent[b]), int(self.sent[b + 1])
        w0, w1 = int(self.lens[:s0].sum()), int(self.lens[:s1].sum())
        return Bodies(self.ids[w0:w1] if ids is None else ids, self.lens[s0:s1],
                      self.paras[self.para[b]:self.para[b + 1]], self.quotes[s0:s1],
                      np.array([0, s1 - s0]), np.array([0, self.para[b + 1] - self.para[b]]))

    def words(self, b: int) -> np.ndarray:
        s0, s1 = int(self.sent[b]), int(self.sent[b + 1])
        return self.ids[int(self.lens[:s0].sum()):int(self.lens[:s1].sum())]


def _offsets(counts: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(counts)])


def _bodies(rng: np.random.Generator, casts: dict, cast_of: np.ndarray) -> Bodies:
    """One body for each entry of `cast_of` (the cast it is about), 8 to 15 paragraphs each."""
    n = len(cast_of)
    n_paras = rng.integers(8, 16, n)
    paras = np.array([1, 2, 2, 3])[rng.integers(0, 4, int(n_paras.sum()))]
    para = _offsets(n_paras)
    sent = _offsets(np.add.reduceat(paras, para[:-1]))
    n_sent = int(sent[-1])
    lens = rng.integers(11, 34, n_sent)
    ends = np.cumsum(lens)
    starts = ends - lens
    ids = LEX.draw(rng, int(ends[-1]))
    # a name, a place or a figure inside most sentences, clear of the quote attribution
    cast = np.repeat(cast_of, np.diff(sent))
    r = rng.random((4, n_sent))
    pos = starts + 1 + (r[0] * (lens - 6)).astype(np.int64)
    kind = (r[1] * 5).astype(np.int64)
    who = (r[2] * 3).astype(np.int64)
    person = kind < 2
    ids[pos[person]] = casts["firsts"][cast[person], who[person]]
    ids[pos[person] + 1] = casts["lasts"][cast[person], who[person]]
    place = kind == 2
    ids[pos[place]] = casts["places"][cast[place], who[place] % 2]
    fig = kind == 3
    ids[pos[fig]] = casts["numbers"][cast[fig], who[fig]]
    ids[pos[fig] + 1] = LEX.number_ids[-3 + who[fig]]
    quotes = r[3] < 0.2
    quotes[sent[:-1]] = False  # the lead is never a quote
    qe = ends[quotes]
    ids[qe - 3] = LEX.said
    qw = (r[0][quotes] * 3).astype(np.int64)
    ids[qe - 2] = casts["firsts"][cast[quotes], qw]
    ids[qe - 1] = casts["lasts"][cast[quotes], qw]
    return Bodies(ids, lens, paras, quotes, sent, para)


def _headlines(rng: np.random.Generator, casts: dict, cast_of: np.ndarray) -> list[np.ndarray]:
    n = len(cast_of)
    lens = rng.integers(6, 12, n)
    ids = LEX.draw(rng, int(lens.sum()))
    starts = _offsets(lens)[:-1]
    ids[starts + 1 + (rng.random(n) * (lens - 1)).astype(np.int64)] = casts["places"][cast_of, 0]
    return np.split(ids, starts[1:])


def _headline_texts(heads: list[np.ndarray]) -> list[str]:
    """Many headlines rendered in one pass."""
    lens = np.array([len(h) for h in heads])
    ends = np.cumsum(lens)
    ver = np.zeros(int(ends[-1]), dtype=np.int64)
    ver[ends - lens] = 1
    ver[ends - 1] = _END
    return LEX.join(np.concatenate(heads), ver).split("\0")[:-1]


def _synonyms(rng: np.random.Generator, ids: np.ndarray, rate: float, count: int = 0) -> np.ndarray:
    ids = ids.copy()
    content = np.flatnonzero((ids >= LEX.content[0]) & (ids < LEX.content[1]))
    if count:
        chosen = rng.choice(content, min(count, len(content)), replace=False)
    else:
        chosen = content[rng.random(len(content)) < rate]
    ids[chosen] = LEX.synonym(ids[chosen])
    return ids


def _paraphrase(rng: np.random.Generator, body: Bodies) -> list[str]:
    """Synonyms for half the content words, clauses of long sentences swapped, paragraphs regrouped."""
    ids = _synonyms(rng, body.ids, 0.5)
    ends = np.cumsum(body.lens)
    pieces = []
    cuts = rng.random(len(ends))
    for start, end, quoted, c in zip((ends - body.lens).tolist(), ends.tolist(), body.quotes.tolist(), cuts.tolist()):
        if not quoted and end - start >= 14 and c < 0.6:
            cut = start + 4 + int(c / 0.6 * (end - start - 8))
            pieces += [ids[cut:end], ids[start:cut]]
        else:
            pieces.append(ids[start:end])
    n = len(body.lens)
    paras = np.array([1, 2, 2, 3])[rng.integers(0, 4, n)]
    paras = paras[np.cumsum(paras) <= n]
    if paras.sum() < n:
        paras = np.append(paras, n - paras.sum())
    return Bodies(np.concatenate(pieces), body.lens, paras, body.quotes,
                  np.array([0, n]), np.array([0, len(paras)])).render()[0]


def _sites() -> list[tuple]:
    rng = np.random.default_rng(VOCAB_SEED + 1)
    sites = []
    for i, name in enumerate(pseudo_words(rng, 36, set(LEX.strings))):
        kind = SITE_KINDS[i % len(SITE_KINDS)]
        title = f"The {name.capitalize()} {kind}"
        header = [title] + [line.format(site=title) for line in
                            rng.choice(HEADER_LINES, int(rng.integers(1, 4)), replace=False)]
        footer = [line.format(site=title, year=2024) for line in
                  rng.choice(FOOTER_LINES, int(rng.integers(2, 5)), replace=False)]
        if rng.random() < 0.5:
            footer += [line.format(site=title) for line in COMMENT_LINES]
        sites.append((f"{name}{kind.lower()}.example", _LINE.join(header), _LINE.join(footer),
                      int(rng.choice([0, 0, 3, 4]))))
    return sites


SITES = _sites()
# orders in which a story visits sites (the original's site first, then its copies')
SITE_ORDERS = [random.Random(i).sample(range(len(SITES)), 8) for i in range(64)]


def _record(site: int, title: str, paras: list[str], credit: str, when: dt.datetime,
            story: str, event: str, relation: str, edit: str | None) -> str:
    """The JSON of a record after its id: '", "text": ..., "edit": ...}'."""
    domain, header, footer, ad_every = SITES[site]
    if ad_every:
        paras = [p for i, para in enumerate(paras)
                 for p in ((para, "Advertisement") if (i + 1) % ad_every == 0 else (para,))]
    text = _PARA.join([header, title, *paras, credit, footer] if credit else [header, title, *paras, footer])
    slug = "-".join(title.lower().split()[:6])
    day = f"{when.year}/{when.month:02d}/{when.day:02d}"
    return (f'", "text": "{text}", "title": "{title}", "site": "{domain}", '
            f'"date": "{day.replace("/", "-")}T{when.hour:02d}:{when.minute:02d}:00Z", '
            f'"url": "https://{domain}/{SECTIONS[len(title) % len(SECTIONS)]}/{day}/{slug}", '
            f'"story": "{story}", "event": "{event}", "relation": "{relation}", '
            f'"edit": {"null" if edit is None else chr(34) + edit + chr(34)}}}\n')


def _copy(rng, pick: random.Random, edit: str, bodies: Bodies, b: int, paras: list[str], head: np.ndarray, title: str,
          dateline: str, host: list[str], casts: dict, cast: int) -> tuple[str, list[str], bool]:
    """The title and paragraphs of a copy of body b, and whether it keeps the agency credit."""
    if edit == "trimmed":
        return title, paras[:pick.randrange(3, max(4, len(paras) - 2))], True
    if edit == "light-edit":
        ids = _synonyms(rng, bodies.words(b), 0, count=pick.randrange(3, 9))
        edited = bodies.one(b, ids).render()[0]
        return LEX.headline(_synonyms(rng, head, 0, count=2)), [dateline + edited[0]] + edited[1:], True
    if edit == "dropped-paragraph":
        drop = pick.randrange(1, len(paras))
        return title, paras[:drop] + paras[drop + 1:], True
    if edit == "paraphrase":
        return LEX.headline(_synonyms(rng, head, 0, count=3)), _paraphrase(rng, bodies.one(b)), False
    if edit == "partial":
        take = pick.randrange(2, 5)
        at = pick.randrange(0, max(1, len(paras) - take))
        host = host[:pick.randrange(4, 8)]
        cut = pick.randrange(1, len(host))
        return LEX.headline(_headlines(rng, casts, np.array([cast]))[0]), \
            host[:cut] + paras[at:at + take] + host[cut:], False
    return title, paras, True


def _block(seed: int, index: int, size: int) -> list[str]:
    rng = np.random.default_rng([seed, index])  # arrays
    pick = random.Random(seed * 1_000_003 + index)  # single choices
    day = START + dt.timedelta(days=(index * BLOCK) // DOCS_PER_DAY)
    # plan: one unit after another until the block is full
    units, count = [], 0
    kinds = rng.choice(3, size, p=np.array(UNIT_WEIGHTS) / sum(UNIT_WEIGHTS)).tolist()
    while count < size:
        room, kind = size - count, kinds[len(units)]
        if kind == 0 and room >= 3:
            edits = pick.choices(range(len(EDITS)), EDIT_WEIGHTS, k=min(pick.randrange(2, 7), room - 1))
            units.append(("group", [EDITS[e] for e in edits]))
            count += 1 + len(edits)
        elif kind == 1 and room >= 2:
            units.append(("event", 2))
            count += 2
        else:
            units.append(("unique", 1))
            count += 1
    n = len(units)
    casts = {"firsts": rng.choice(LEX.first_ids, (n, 3)), "lasts": rng.choice(LEX.last_ids, (n, 3)),
             "places": rng.choice(LEX.place_ids, (n, 2)), "numbers": rng.choice(LEX.number_ids, (n, 4))}
    # one body and headline for each original article, and a host text for each partial copy
    cast_of = [u for u, (kind, what) in enumerate(units)
               for _ in range(1 + what.count("partial") if kind == "group" else what)]
    cast_of = np.array(cast_of, dtype=np.int64)
    bodies = _bodies(rng, casts, cast_of)
    rendered = bodies.render()
    heads = _headlines(rng, casts, cast_of)
    titles = _headline_texts(heads)
    minutes = rng.integers(0, 24 * 60, len(cast_of)).tolist()
    out: list[str] = []
    b = 0
    for u, (kind, what) in enumerate(units):
        tag = f"{seed}-{index}-{u}"
        sites = pick.choice(SITE_ORDERS)
        for k in range(1 if kind == "group" else what):
            when = day + dt.timedelta(minutes=minutes[b + k])
            agency, short = pick.choice(AGENCIES)
            place = LEX.strings[int(casts["places"][u, 0])].upper()
            dateline = f"{place}, {MONTHS[when.month - 1]} {when.day} ({short}) - "
            credit = f"(c) {agency} {when.year}"
            paras = [dateline + rendered[b + k][0]] + rendered[b + k][1:]
            story = f"s{tag}" if kind != "event" else f"s{tag}.{k}"
            relation = {"group": "original", "event": "independent", "unique": "unique"}[kind]
            out.append(_record(sites[k], titles[b + k], paras, credit, when, story,
                               f"e{tag}", relation, None))
        if kind == "group":
            sites = sites[1:]
            hosts = iter(rendered[b + 1:b + 1 + what.count("partial")])
            for c, edit in enumerate(what):
                title, copy, credited = _copy(rng, pick, edit, bodies, b, paras, heads[b], titles[b], dateline,
                                              next(hosts) if edit == "partial" else [], casts, u)
                later = when + dt.timedelta(minutes=pick.randrange(5, 30 * 60))
                out.append(_record(sites[c], title, copy, credit if credited else "", later,
                                   f"s{tag}", f"e{tag}", RELATION_OF_EDIT[edit], edit))
            b += 1 + what.count("partial")
        else:
            b += what
    pick.shuffle(out)
    return out


def _block_lines(args: tuple[int, int, int]) -> str:
    """Block `index` of a corpus of `n` documents as JSON lines."""
    seed, index, n = args
    start = index * BLOCK
    return "".join([f'{{"id": "doc-{start + offset:07d}' + rest
                    for offset, rest in enumerate(_block(seed, index, min(BLOCK, n - start)))])


def generate(n: int, seed: int = 1, typographic: bool = False) -> Iterator[dict]:
    """Yield `n` article records, the same ones for the same seed, block by block of 1,000; the
    corpus of m documents (m a multiple of 1,000) is the start of any larger one of the same seed.
    `typographic`: texts and titles typeset (typography.typeset) as most news is: not ASCII, as real text."""
    for index in range((n + BLOCK - 1) // BLOCK):
        lines = _block_lines((seed, index, n))
        for line in (typeset_lines(lines) if typographic else lines).splitlines():
            yield json.loads(line)


def write(n: int, seed: int, out, jobs: int = 1, typographic: bool = False) -> int:
    """Write the corpus as JSON lines to the text stream `out`; blocks are made by `jobs`
    processes and written in order, so the output does not depend on `jobs`."""
    tasks = [(seed, index, n) for index in range((n + BLOCK - 1) // BLOCK)]
    finish = typeset_lines if typographic else str
    if jobs > 1 and len(tasks) > 1:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for lines in pool.imap(_block_lines, tasks):
                out.write(finish(lines))
    else:
        for task in tasks:
            out.write(finish(_block_lines(task)))
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, required=True, help="number of documents")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-", help="JSONL file to write ('-' for stdout)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes making blocks (the output is the same for any number)")
    parser.add_argument("--typographic", action="store_true",
                        help="curly quotes and apostrophes and em dashes, as most news sites publish (not ASCII)")
    args = parser.parse_args(argv)
    if args.docs < 0:
        parser.error("--docs must be 0 or more")
    began = time.perf_counter()
    if args.output == "-":
        count = write(args.docs, args.seed, sys.stdout, args.jobs, args.typographic)
    else:
        with open(args.output, "w", encoding="utf-8") as out:
            count = write(args.docs, args.seed, out, args.jobs, args.typographic)
    took = time.perf_counter() - began
    print(f"{count} documents in {took:.1f} s ({count / max(took, 1e-9):,.0f} docs/s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
