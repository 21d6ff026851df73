"""Function words of the languages dedup is tuned for; content words are everything else.

Used to build the content-word features that reach rewrites (a paraphrase keeps names, numbers and
content words while it changes the little words around them). Lists written for this project.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

_LISTS = {
    "en": """a an the and or but if then than so as at by for from in into of off on onto out over to up
        with without within about above after again against all am any are aren't be because been before
        being below between both can could did do does doing down during each few further had has have
        having he her here hers herself him himself his how i i'm it it's its itself just me more most my
        myself no nor not now once only other our ours ourselves own same she should some such that that's
        their theirs them themselves there these they this those through too under until very was we were
        what when where which while who whom why will would you your yours yourself also said says say
        told according one two new last year years week this-week like may might must shall upon via amid
        among per since still yet even however s t""",
    "fr": """le la les un une des du de d l et ou mais donc or ni car à au aux en dans par pour sur sous
        avec sans chez entre vers ce cet cette ces il elle ils elles on nous vous je tu me te se lui leur
        leurs son sa ses mon ma mes ton ta tes notre nos votre vos qui que quoi dont où ne pas plus est sont
        été être avoir a ont avait était sera c qu n s j m y""",
    "es": """el la los las un una unos unas de del al y o u pero ni que en con por para sin sobre entre
        hasta desde hacia es son fue ser estar está están era ha han había se su sus lo le les me te nos
        os mi tu yo él ella ellos ellas este esta estos estas ese esa como más muy ya no sí cuando donde""",
    "de": """der die das den dem des ein eine einer eines einem einen und oder aber doch nicht kein keine
        zu zum zur im in am an auf aus bei mit nach seit von vor für über unter durch gegen um ist sind war
        waren wird werden wurde wurden hat haben hatte sein seine ihr ihre es er sie wir ich du man sich
        dass auch als wie noch nur so schon""",
    "it": """il lo la i gli le un uno una di del della dei degli delle da dal dalla in nel nella con su
        sul sulla per tra fra e ed o ma non che chi cui è sono era stato stata ha hanno si suo sua suoi
        sue come più anche""",
    "pt": """o a os as um uma uns umas de do da dos das em no na nos nas por pelo pela para com sem sobre
        entre e ou mas não que se seu sua seus suas é são foi ser estar está ter tem como mais muito
        também ao aos""",
    "id": """yang dan di ke dari untuk dengan pada dalam ini itu adalah akan tidak juga atau oleh karena
        sebagai bahwa telah sudah ada mereka kami kita saya anda ia dia tersebut para bagi hingga""",
}

STOPWORDS: frozenset[str] = frozenset(w for words in _LISTS.values() for w in words.split())


def is_stopword(word: str) -> bool:
    return word in STOPWORDS


@lru_cache(maxsize=2)
def stopword_hashes(single_letters: bool = True) -> np.ndarray:
    """Sorted word hashes of every stopword, and of every single letter a-z when `single_letters`
    (the fingerprints' content words leave them out too), for np.isin or a search."""
    from .fingerprint import word_hash

    singles = [chr(c) for c in range(ord("a"), ord("z") + 1)] if single_letters else []
    return np.unique(np.array([word_hash(w) for w in sorted(STOPWORDS) + singles], dtype=np.uint64))
