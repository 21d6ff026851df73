"""Phrase patterns of site furniture, by language (en, fr, es, de, pt, it, id).

Each family is a list of regular expressions over a *normalised* line (folded, case folded,
whitespace collapsed, see `dedup.boilerplate_page.line_form`). `WHOLE` families must match the
whole line (the line is nothing but the furniture); `LEADING` families must match at the start of
a short line (a notice followed by more of itself, e.g. "Your email address will not be
published. Required fields are marked *"). Keeping them whole-line or leading is what keeps them
off article sentences: "read more" inside a sentence is never touched.

The cheap necessary conditions of these patterns, tried first so the patterns run on few lines,
are in `dedup.boilerplate_prefilters`.
"""
from __future__ import annotations

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
