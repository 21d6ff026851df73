"""Phrase patterns of site furniture, by language (en, fr, es, de, pt, it, id).

Each family is a list of regular expressions over a *normalised* line (folded, case folded,
whitespace collapsed, see `dedup.boilerplate_page.line_form`). `WHOLE` families must match the
whole line (the line is nothing but the furniture); `LEADING` families must match at the start of
a short line (a notice followed by more of itself, e.g. "Your email address will not be
published. Required fields are marked *"). Keeping them whole-line or leading is what keeps them
off article sentences: "read more" inside a sentence is never touched.

Also here: cheap necessary conditions of the patterns, tried first so the patterns run on few
lines: `start_test` (what a match can start with, unfolded from a pattern's parse), the names of
`AGENCIES` and `PHOTO_SOURCES` as lists, and the `may_end_*` tests of line ends.
"""
from __future__ import annotations

import re
import re._constants as _C
import re._parser as _parser

import regex

_END = r"\s*[:.!*|>»\-]*\s*"  # trailing punctuation a furniture line may carry

# The line is only this (plus trailing punctuation).
WHOLE: dict[str, list[str]] = {
    "comment-form": [
        # en
        r"leave a (reply|comment|response)( to .{1,80})?", r"post a comment", r"add a comment",
        r"write a comment", r"\d* ?comments?( \(\d+\))?", r"join the (conversation|discussion)",
        r"cancel reply", r"please enter your (comment|name here|email address here)",
        r"you have entered an incorrect email address", r"show comments", r"view comments",
        # fr
        r"laisser un commentaire", r"laisser une r[eé]ponse", r"ajouter un commentaire",
        r"\d* ?commentaires?", r"annuler la r[eé]ponse", r"r[eé]agir",
        # es
        r"deja (una respuesta|un comentario|tu comentario)", r"dejar un comentario",
        r"\d* ?comentarios?", r"publicar un comentario", r"cancelar respuesta",
        # de
        r"schreibe einen kommentar", r"kommentar schreiben", r"hinterlasse einen kommentar",
        r"\d* ?kommentare?( \(\d+\))?", r"antworten abbrechen", r"antwort hinterlassen",
        # pt
        r"deixe (um coment[aá]rio|uma resposta|seu coment[aá]rio)", r"\d* ?coment[aá]rios",
        r"cancelar resposta",
        # it
        r"lascia un commento", r"lascia una risposta", r"\d* ?comment[io]", r"annulla risposta",
        # id
        r"tinggalkan (balasan|komentar)", r"\d* ?komentar", r"batalkan balasan", r"tulis komentar",
    ],
    "related-header": [
        # en
        r"related( (posts?|articles?|stories|story|news|content|coverage|topics|reading|links|videos?))?",
        r"read (more|also|next|this next)", r"also read", r"see also", r"more (stories|news|articles|on this story|from .{1,40})",
        r"you (may|might) (also )?(like|be interested in)", r"recommended( for you| stories| articles)?",
        r"most (popular|read|viewed|shared)( (articles|stories|news|posts|now))?", r"trending( now| stories| news)?",
        r"latest( (news|stories|posts|articles|headlines|videos))?", r"top stories", r"don'?t miss",
        r"check out (our )?other (content|tags|articles)", r"check out other tags", r"more to explore",
        r"tags?", r"topics?", r"editor'?s picks?", r"what to read next", r"keep reading", r"continue reading",
        # fr
        r"[aà] lire aussi", r"lire aussi", r"lire la suite", r"articles? similaires", r"sur le m[eê]me sujet",
        r"les plus lus", r"[aà] (la une|voir aussi)", r"voir aussi", r"dans la m[eê]me rubrique",
        # es
        r"(te|le|tambi[eé]n te) puede (interesar|gustar)", r"noticias relacionadas", r"art[ií]culos relacionados",
        r"lee tambi[eé]n", r"leer m[aá]s", r"lo m[aá]s (le[ií]do|visto)", r"m[aá]s noticias", r"relacionad[oa]s",
        r"etiquetas", r"te recomendamos",
        # de
        r"mehr zum thema", r"weitere artikel", r"weiterlesen", r"das k[oö]nnte sie auch interessieren",
        r"auch interessant", r"meistgelesen", r"verwandte artikel", r"lesen sie auch", r"mehr lesen", r"schlagw[oö]rter",
        # pt
        r"leia (tamb[eé]m|mais)", r"not[ií]cias relacionadas", r"posts relacionados", r"veja tamb[eé]m",
        r"mais lidas", r"saiba mais",
        # it
        r"leggi anche", r"articoli correlati", r"potrebbe interessarti", r"leggi (di pi[uù]|tutto)",
        r"(i )?pi[uù] lett[ie]", r"correlati",
        # id
        r"baca juga", r"berita terkait", r"artikel terkait", r"baca selengkapnya", r"terpopuler",
        r"lihat juga", r"berita lainnya", r"simak juga",
    ],
    "source-link": [
        r"source link", r"original (source|article)", r"source", r"sources?\s*:\s*.{1,60}", r"via\s*:?\s*.{1,40}",
        r"fuente\s*:?\s*.{0,60}", r"fonte\s*:?\s*.{0,60}", r"quelle\s*:?\s*.{0,60}", r"sumber\s*:?\s*.{0,60}",
        r"source\s*:\s*.{1,60}", r"lien source", r"enlace (de la )?fuente", r"link (sumber|da fonte)",
    ],
    "share-prompt": [
        r"share( (this|on|via) .{0,40}| this( (article|story|post|page))?)?", r"(click|tap) to share on .{1,40}",
        r"share on (facebook|twitter|x|whatsapp|linkedin|telegram|reddit|email)",
        r"(facebook|twitter|x|whatsapp|linkedin|telegram|reddit|pinterest|email|e-mail|print|copy link|imprimir|drucken|stampa|cetak)",
        r"tweet", r"like this", r"follow us( on .{1,60})?", r"partager( sur .{1,40})?", r"compartir( en .{1,40})?",
        r"teilen( auf .{1,40})?", r"condividi( su .{1,40})?", r"bagikan( ke .{1,40})?", r"compartilhe?( no .{1,40})?",
        r"siguenos en .{1,40}", r"s[ií]guenos en .{1,40}", r"folgen sie uns( auf .{1,40})?", r"seguici su .{1,40}",
        r"ikuti kami di .{1,40}", r"suivez-nous( sur .{1,40})?", r"siga-nos( no .{1,40})?",
    ],
    "newsletter-prompt": [
        r"subscribe( now| today| here| for free)?", r"newsletter", r"sign up( now| here| for free)?",
        r"abonnez-vous", r"suscr[ií]bete", r"abonnieren", r"iscriviti", r"assine( j[aá])?", r"berlangganan",
    ],
    "media-notice": [
        r"advertisement", r"advertising", r"sponsored( content)?", r"anzeige", r"werbung", r"publicidad",
        r"publicit[eé]", r"pubblicit[aà]", r"publicidade", r"iklan", r"scroll to continue( with content)?",
        r"story continues below( (this )?(ad|advertisement))?", r"(this|your) browser does not support the (video|audio)( element| tag)?",
        r"\d{1,2}:\d{2}(:\d{2})?", r"\d+ (of|/|de|von|di|dari) \d+", r"\d+ min(ute)?s? read", r"(watch|listen)( now| live)?",
        r"listen to (this )?(article|story)", r"loading(\.\.\.)?", r"oops!?", r"something went wrong\.?",
        r"(\d+\. )?skip to .{1,40}", r"menu", r"search", r"home", r"close", r"play video", r"video",
        r"image", r"photo", r"font size", r"print this (article|page)", r"-{3,}|_{3,}|\*{3,}|\.|!\[\]\(\)\s*\|?",
    ],
}

# The line starts with this and is short (at most LEADING_MAX_WORDS words).
LEADING_MAX_WORDS = 60
LEADING: dict[str, list[str]] = {
    "comment-form": [
        r"your email address will not be published", r"required fields are marked",
        r"save my name,? email,? and website", r"you must be logged in to post a comment",
        r"votre adresse (e-mail|email|de messagerie) ne sera pas publi[eé]e", r"les champs obligatoires sont indiqu[eé]s",
        r"tu (direcci[oó]n de )?correo( electr[oó]nico)? no ser[aá] publicad[oa]", r"los campos obligatorios est[aá]n marcados",
        r"(deine|ihre) e-?mail-?adresse wird nicht ver[oö]ffentlicht", r"erforderliche felder sind (mit \* )?markiert",
        r"o (seu )?endere[cç]o de e-?mail n[aã]o ser[aá] publicado", r"seu endere[cç]o de e-?mail n[aã]o ser[aá] publicado",
        r"campos obrigat[oó]rios s[aã]o marcados",
        r"il tuo indirizzo e-?mail non sar[aà] pubblicato", r"i campi obbligatori sono contrassegnati",
        r"alamat email anda tidak akan dipublikasikan", r"ruas yang wajib ditandai",
    ],
    "newsletter-prompt": [
        r"(subscribe|sign up) (to|for) (our|the) .{0,40}(newsletter|alerts|updates|digest|briefing)",
        r"get the latest .{0,80}(delivered|straight|sent) to your inbox", r"breaking news .{0,60}sent to your (email|inbox)",
        r"join (our|us on) (whatsapp|telegram)", r"(click|tap) here to (join|connect with|follow|subscribe)",
        r"inscrivez-vous [aà] (notre|la) newsletter", r"abonnez-vous [aà] (notre|la) newsletter",
        r"suscr[ií]bete (a|al) (nuestro|nuestra|la) (bolet[ií]n|newsletter)", r"rec[ií]be (nuestro|las) .{0,40}(bolet[ií]n|newsletter)",
        r"(abonnieren sie|jetzt) .{0,30}newsletter", r"melden sie sich .{0,40}newsletter",
        r"assine (a nossa|nossa) newsletter", r"cadastre-se .{0,40}newsletter",
        r"iscriviti alla (nostra )?newsletter", r"ricevi .{0,40}newsletter",
        r"berlangganan (newsletter|buletin)", r"dapatkan (update|berita) .{0,60}(telegram|whatsapp|email)",
    ],
    "share-prompt": [
        r"follow us on (twitter|facebook|instagram|x|telegram|whatsapp|google news|linkedin)",
        r"share (this )?(article|story) (on|via)", r"click (here )?to share",
    ],
    "cookie-notice": [
        r"(we|this (site|website)|our (site|website)) uses? cookies", r"by (using|continuing to use|browsing) (this|our) (site|website)",
        r"accept (all )?cookies", r"cookie (policy|settings|preferences)",
        r"(ce site|nous) utilis(e|ons) des cookies", r"en poursuivant votre navigation",
        r"(este sitio( web)?|usamos|utilizamos) (utiliza |usa )?cookies", r"al continuar navegando",
        r"(diese (web)?seite|diese website|wir) (verwendet|verwenden|nutzt|nutzen) cookies",
        r"(este site|n[oó]s) (utiliza|usa|usamos|utilizamos) cookies",
        r"(questo sito|utilizziamo|usiamo) (utilizza |usa )?(i )?cookie",
        r"(situs (web )?ini|kami) menggunakan cookie",
    ],
    "copyright": [
        r"©", r"(\(c\)|copyright|copr\.)\s*(©|\(c\))?\s*\d{4}", r"copyright\s*(©|\(c\))", r"all rights reserved", r"tous droits r[eé]serv[eé]s",
        r"todos los derechos reservados", r"alle rechte vorbehalten", r"todos os direitos reservados",
        r"tutti i diritti riservati", r"hak cipta( dilindungi)?", r"this material may not be published",
    ],
    "agency-blurb": [
        r"with [\d,.]+ staff .{0,200}afp", r"afp covers the world", r"afp is a (leading )?global news agency",
        r"the associated press is an independent", r"founded in 1846, ap", r"reuters, the news and media division",
        r"\(?this (story|article|report) (has not been|was not) edited by .{0,80}(auto-generated|syndicated)",
        r"\(?(only the headline|except for the headline).{0,80}(edited|syndicated)",
        r"disclaimer\s*:", r"\(?with inputs? from .{1,40}\)?$",
    ],
    "reporting-credit": [
        r"\(?(additional )?(reporting|writing|editing|compiled|produced) by [^.]{1,150}\)?\.?$",
        r"\(?(r[eé]daction|[eé]dit[eé] par|reportage) .{0,80}\)?$", r"\(?(reportaje|redacci[oó]n|edici[oó]n) (de|por) .{1,80}\)?$",
        r"\(?(berichterstattung|redigiert) von .{1,80}\)?$", r"\(?(reportagem|edi[cç][aã]o) de .{1,80}\)?$",
        r"\(?(hanno collaborato|a cura di) .{1,80}\)?$", r"\(?(penulis|editor|pewarta|reporter)\s*:\s*.{1,80}\)?$",
    ],
}

# Section and site words: a line that is one of these, or a head line glued to one ("WorldPutin").
SECTION_WORDS = frozenset("""
news world politics business economy economics markets money sport sports tech technology science
health opinion entertainment culture lifestyle travel asia europe africa americas us uk nation
national international local breaking latest video live analysis environment climate defence
defense security energy finance education crime justice law media region regional middle east
monde politique économie sport culture international actualités
mundo política economía deportes cultura internacional nacional noticias actualidad
welt politik wirtschaft sport kultur ausland inland nachrichten
mundo política economia esportes cultura internacional notícias
mondo politica economia sport cultura esteri cronaca notizie
dunia politik ekonomi olahraga nasional internasional berita
""".split())

SITE_WORDS = SECTION_WORDS | frozenset("""
times post daily today herald journal tribune online media network tv press wire report gazette
express observer mail insider hub digest review chronicle star sun telegraph standard weekly
nachrichten zeitung noticias diario notizie giornale berita harian actualités journal jornal
""".split())

AGENCIES = (
    r"afp|ap|reuters|xinhua|efe|ani|pti|ians|dpa|ansa|upi|bernama|antara|anadolu( agency)?|yonhap|"
    r"kyodo( news)?|tass|sputnik|wam|spa|kuna|apa|ats|pa( media)?|press association|aap|cna|"
    r"agence france-presse|associated press|the associated press|thomson reuters|bloomberg|"
    r"europa press|agencia efe|agenzia nova|lusa|afp relaxnews|aa|irna|kcna|ptv|nhk|dpa-afx"
)
# Photo sources a caption may end with (not agencies: an agency name also signs off paragraphs).
PHOTO_SOURCES = (
    r"getty( images)?|afp via getty images|epa(-efe)?|shutterstock|planet labs( pbc)?|maxar( technologies)?|"
    r"alamy|istock|picture alliance|imago|sipa|zuma|abaca|nurphoto|handout|supplied|bloomberg via getty images"
)

WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|mi[eé]rcoles|jueves|viernes|"
    r"s[aá]bado|domingo|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"segunda-feira|ter[cç]a-feira|quarta-feira|quinta-feira|sexta-feira|luned[iì]|marted[iì]|"
    r"mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica|senin|selasa|rabu|kamis|jum'?at|sabtu|minggu"
)
MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    r"janvier|f[eé]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[eé]cembre|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    r"januar|februar|m[aä]rz|juni|juli|oktober|dezember|"
    r"janeiro|fevereiro|mar[cç]o|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|"
    r"januari|februari|maret|mei|juni|juli|agustus|oktober|desember"
)
_TIME = r"(\d{1,2}[:.h]\d{2}( ?[ap]\.?m\.?)?( ?\(?(utc|gmt|ist|et|edt|est|pt|cet|cest|wib)[+\-\d:]*\)?)?)"
_DAY_FIRST = rf"\d{{1,2}}(\.|er|º)? (de )?({MONTHS})\.?,? (de |del )?\d{{4}}"
_MONTH_FIRST = rf"({MONTHS})\.? \d{{1,2}}(st|nd|rd|th)?,? \d{{4}}"
_NUMERIC = r"\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
# A line that is only a date (a date widget or a dateline stamp), optionally with weekday and time.
DATE_LINE = (
    rf"(({WEEKDAYS}),? )?({_DAY_FIRST}|{_MONTH_FIRST}|{_NUMERIC})"
    rf"(,? ?(-|\||at|um|às|alle|pukul|a las|à)? ?{_TIME})?"
)
STAMP_WORDS = (
    r"published|updated|posted|last updated|last modified|modified|first published|"
    r"publi[eé]|mis [aà] jour|publicado|actualizado|ver[oö]ffentlicht|aktualisiert|stand|"
    r"atualizado|pubblicato|aggiornato|diterbitkan|diperbarui|dipublikasikan|diposting"
)


def compile_whole(patterns: list[str]) -> regex.Pattern:
    return regex.compile(r"(?:" + "|".join(patterns) + r")" + _END, regex.V0)


def compile_leading(patterns: list[str]) -> regex.Pattern:
    return regex.compile(_LEADING_MARKS + r"*(?:" + "|".join(patterns) + r")", regex.V0)


_LEADING_MARKS = r"[\s\-*•·(\[]"  # what a leading notice may start with


# ---- cheap tests run before the patterns (each is a necessary condition of a pattern) ---------

def alternatives(pattern: str) -> tuple[str, ...]:
    """The strings a pattern of plain alternatives matches ("getty( images)?|epa" -> getty, getty
    images, epa); ValueError when an alternative is more than letters, spaces, ' and - with at most
    one optional tail."""
    out: list[str] = []
    for alt in pattern.split("|"):
        m = regex.fullmatch(r"([\w '\-]+)(?:\(([\w '\-]+)\)\?)?", alt, regex.ASCII)
        if m is None:
            raise ValueError(f"not a plain alternative: {alt!r}")
        out.append(m.group(1))
        if m.group(2):
            out.append(m.group(1) + m.group(2))
    return tuple(out)


AGENCY_NAMES = alternatives(AGENCIES)
PHOTO_SOURCE_NAMES = alternatives(PHOTO_SOURCES)
_AGENCY_CHARS = max(map(len, AGENCY_NAMES))
_SOURCE_CHARS = max(map(len, PHOTO_SOURCE_NAMES))
TAIL_CHARS = 60  # how far from a line's end the name patterns are searched
CREDIT_CHARS = 200  # ... and the credit pattern
# Case-insensitive patterns match these words in any case: copyright, caption and credit words.
CREDIT_WORDS = ("copyright", "©", "photo", "foto", "image", "bild", "picture", "credit", "crédito", "gambar")
CREDIT_WORD = re.compile("|".join(map(re.escape, CREDIT_WORDS)))
# The only characters a case-insensitive letter matches whose lower case is not that letter.
_CASELESS = str.maketrans({"\u0130": "i", "\u017f": "s"})


def caseless(text: str) -> str:
    """Lower case in which every case-insensitive match of a lower-case word shows as that word."""
    if "\u0130" in text or "\u017f" in text:
        text = text.translate(_CASELESS)
    return text.lower()


def may_end_in_credit(tail: str) -> bool:
    """False when the credit pattern cannot match: no credit word, and no "(...)" closing the line."""
    low = caseless(tail)
    if "(" in low and _strip_end(low).endswith(")"):
        return True  # "(AP Photo/...)"
    # a credit word then ":" or "by" ("Photo: ...", "Picture by ..."), or a copyright
    if ":" not in low and "by" not in low and "©" not in low and "copyright" not in low:
        return False
    return CREDIT_WORD.search(low) is not None


def _strip_end(low: str) -> str:
    """A line's end without the `\\s*[|.]?\\s*` patterns allow after a credit or a name."""
    low = low.rstrip()
    return low[:-1].rstrip() if low[-1:] in ("|", ".") else low


def may_end_with_agency(raw: str) -> bool:
    """False when no agency name (in any case) closes the line: the agency tail pattern cannot match."""
    return caseless(raw[-_AGENCY_CHARS:]).endswith(AGENCY_NAMES)


def may_end_with_source(raw: str) -> bool:
    """False when the photo source pattern cannot match: no photo source name closing the line's end."""
    tail = raw[-TAIL_CHARS:]
    if "/" in tail:
        return True
    end = _strip_end(tail)
    # names end in a letter, and so does whatever matches one in any case
    return end[-1:].isalpha() and caseless(end[-_SOURCE_CHARS:]).endswith(PHOTO_SOURCE_NAMES)


# ---- how a match can start: a test of a line's first characters before the patterns ----------
# A pattern's source is read with the standard library's parser (the phrase patterns use only the
# syntax both engines share) into the set of strings of at most `size` characters its matches can
# start with: a closed string stands for any continuation (a wide class, `.`, the pattern's end).
# Only ASCII is listed: a line starting with another character is always tried.

_ASCII_SPACE = " \t\n\r\x0b\x0c"
_NOT_ASCII = "\x80"  # stands for every non-ASCII character (never in a tested start)
_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")  # "0": any ASCII digit
_LIMIT = 200_000  # listed starts; past it a pattern stops being unfolded
_WIDE = 2  # a repeated class with more members is unfolded once
START_SIZE = 6  # characters of a line's start tested


def start_test(pattern: str, size: int = START_SIZE, before: str = ""):
    """A test of a string's start (a standard library pattern's `match`): no match only when
    `pattern` (compiled without flags, as the phrase patterns are) cannot match at the start.
    `before`: a standard pattern for what may come first."""
    try:
        parsed = _parser.parse(pattern)
        flagged = parsed.state.flags & ~re.UNICODE  # (?i), (?x)...: no test
        starts = {""} if flagged else {s for s, _ in _sequence(parsed, size)}
    except Exception:  # syntax the standard parser does not know: no test
        starts = {""}
    return re.compile(before + _trie(starts)).match


def leading_start_test(patterns: list[str], size: int = START_SIZE):
    """`start_test` of `compile_leading(patterns)` (the standard engine's \\s is the wider)."""
    return start_test("(?:" + "|".join(patterns) + ")", size, before=_LEADING_MARKS + "*")


def _trie(starts: set[str]) -> str:
    """A pattern matching the strings that start with one of `starts` (ASCII digits shown as 0,
    any non-ASCII character as _NOT_ASCII)."""
    if "" in starts:
        return ""
    if not starts:
        return "(?!)"
    branches: dict[str, set[str]] = {}
    for s in starts:
        branches.setdefault(s[0], set()).add(s[1:])
    alts = []
    for first in sorted(branches):
        char = "[0-9]" if first == "0" else "[^\\x00-\\x7f]" if first == _NOT_ASCII else re.escape(first)
        alts.append(char + _trie(branches[first]))
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _concat(first: set, then: set, size: int) -> set:
    out = set()
    for s, open_ in first:
        if not open_ or len(s) >= size:
            out.add((s[:size], False))
            continue
        for t, more in then:
            u = s + t
            out.add((u[:size], False) if len(u) >= size else (u, more))
    if len(out) > _LIMIT:
        return {(s, False) for s, _ in first}
    return out


def _sequence(items, size: int) -> set:
    out = {("", True)}
    for item in items:
        if all(not open_ or len(s) >= size for s, open_ in out):
            break
        out = _concat(out, _item(item, size), size)
    return out


def _item(item, size: int) -> set:
    op, av = item
    if op is _C.LITERAL:
        return {(chr(av).translate(_DIGITS_AS_ZERO), True) if av < 128 else (_NOT_ASCII, False)}
    if op is _C.IN:
        members = _members(av)
        return {("", False)} if members is None else {(c, True) for c in members} | {(_NOT_ASCII, False)}
    if op is _C.BRANCH:
        return set().union(*(_sequence(branch, size) for branch in av[1]))
    if op is _C.SUBPATTERN:
        return {("", False)} if av[1] or av[2] else _sequence(av[3], size)  # inline flags: no test
    if op is _C.MAX_REPEAT or op is _C.MIN_REPEAT:
        low, high, inner = av[0], av[1], _sequence(av[2], size)
        if len(inner) > _WIDE:  # a repeated wide class: listed once, then any continuation
            return ({("", True)} if low == 0 else set()) | {(s, False) for s, _ in inner}
        times = min(high, size)
        out, reps = set(), {("", True)}
        for i in range(times + 1):
            if i >= low:
                out |= reps
            if i < times:
                reps = _concat(reps, inner, size)
        if high > times:  # more repeats may follow: what was listed is only a start
            out |= {(s, False) for s, _ in reps}
        return out
    if op is _C.AT or op is _C.ASSERT or op is _C.ASSERT_NOT:
        return {("", True)}  # zero width (a look-around's condition is not tested)
    return {("", False)}


def _members(items) -> set[str] | None:
    """The ASCII members of a character class (digits as 0), or None when it is too wide to list."""
    out: set[str] = set()
    for op, av in items:
        if op is _C.LITERAL:
            if av < 128:
                out.add(chr(av).translate(_DIGITS_AS_ZERO))
        elif op is _C.RANGE:
            out |= {chr(c).translate(_DIGITS_AS_ZERO) for c in range(av[0], min(av[1], 127) + 1)}
        elif op is _C.CATEGORY and av is _C.CATEGORY_DIGIT:
            out.add("0")
        elif op is _C.CATEGORY and av is _C.CATEGORY_SPACE:
            out |= set(_ASCII_SPACE)
        else:
            return None
    return out
