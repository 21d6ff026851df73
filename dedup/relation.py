"""How a copy relates to its source: verbatim, edited, rewrite or partial.

Shingle containment alone mislabels copies that were cut at a different point than their source
(pages are often stored or republished truncated): the part of a copy beyond the end of the stored
source is not "changed". So the label comes from the copy's sentences, compared with the source's
by their content words (the sentence index's band keys: equal keys in every band mean the same
content words): in the stretch where both texts run,

- verbatim: nearly every sentence of the copy is one of the source's;
- edited: many are, the rest changed or added;
- partial: most of the copy is other material around a block of the source;
- rewrite: few sentences survive unchanged (decided by the rewrite evidence).
"""
from __future__ import annotations

import numpy as np

from .types import Fingerprint

VERBATIM_SHARE = 0.85  # share of the copy's sentences found unchanged in the source
EDITED_SHARE = 0.3
PARTIAL_BLOCK = 0.5  # a copy whose source-derived part is less than this share is partial


def _row_keys(keys: np.ndarray) -> np.ndarray:
    """One 64-bit key per sentence from its band keys."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.uint64)
    out = np.zeros(keys.shape[0], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(keys.shape[1]):
            out = (out ^ keys[:, band]) * np.uint64(0x100000001B3)
    return out


def sentence_identity(copy: Fingerprint, source: Fingerprint) -> dict[str, float]:
    """Shares of the copy's sentences found unchanged in the source, within the stretch where both
    texts run (the copy's sentences after the source's last one are not counted when the source
    ends there), and of the whole copy."""
    c, s = _row_keys(copy.sentence_keys), _row_keys(source.sentence_keys)
    if len(c) == 0 or len(s) == 0:
        return {"same_in_stretch": 0.0, "same_of_copy": 0.0, "copy_sentences": float(len(c))}
    position = {int(k): i for i, k in reversed(list(enumerate(s.tolist())))}
    found = np.array([position.get(int(k), -1) for k in c.tolist()])
    matched = np.flatnonzero(found >= 0)
    if len(matched) == 0:
        return {"same_in_stretch": 0.0, "same_of_copy": 0.0, "copy_sentences": float(len(c))}
    end = len(c)
    if found[matched].max() >= len(s) - 2:  # the source runs out here (its last sentence may be
        end = int(matched.max()) + 1        # cut short): what follows in the copy is beyond it
    elif found[-1] < 0 and end > 1:  # the copy's own last sentence may be cut short
        end -= 1
    return {"same_in_stretch": len(matched) / end, "same_of_copy": len(matched) / len(c),
            "copy_sentences": float(len(c))}


def relation_label(copy_in_source: float, source_in_copy: float, identity: dict[str, float]) -> str:
    """The relation of a copy that shares shingles with its source."""
    same = identity["same_in_stretch"]
    if identity["copy_sentences"] >= 2:
        if same >= VERBATIM_SHARE:
            return "verbatim"
        if same < PARTIAL_BLOCK and source_in_copy >= 0.5 and copy_in_source < 0.5:
            return "partial"
        if same >= EDITED_SHARE or copy_in_source >= 0.5:
            return "edited"
        return "partial" if source_in_copy >= 0.5 else "rewrite"
    # too few indexed sentences to count: shingles decide
    if copy_in_source >= 0.9:
        return "verbatim"
    if copy_in_source >= 0.5:
        return "edited"
    return "partial"
