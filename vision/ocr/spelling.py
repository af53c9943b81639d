"""Words of an interface's captions misread by one letter, spelled as the word they must be.

The recogniser reads small UI text well, but a letter at a time it still slips on thin or
tightly set glyphs: "Notity customer", "Confdential", "Descrintion". Captions and labels are
written in a language's ordinary words, so a word the dictionary does not know, one edit away
from exactly one word it does know, is that word. Anything else stays as read: a word of no
dictionary (a name, a code, a word of another language) has no such neighbour, and a misread
with two or more neighbours ("nvoice": invoice, voice, novice) cannot be told. Only captions and
labels go through here, never what a person typed or a list's data.

The English word frequencies of ``pyspellchecker`` (shipped in its wheel) are the dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["spelled"]

_WORD = re.compile(r"^(\W*)([^\W\d_][\w'’]*[^\W\d_])(\W*)$")
"""A token: punctuation around a word of letters (an apostrophe or a stray mark inside it)."""
_SHORTEST = 4
"""Shorter words have too many neighbours one letter away to tell."""


@lru_cache(maxsize=1)
def _dictionary():
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word)
                   if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def spelled(text: str) -> str:
    """``text`` with each unknown word that is one edit from exactly one known word made that
    word (its first letter's case kept), and a word that is known once its accents are dropped
    made so; words in capitals (abbreviations), with digits, or shorter than four letters are
    otherwise left.

    >>> spelled("Notity customer"), spelled("Confdential:"), spelled("Descrintion *")
    ('Notify customer', 'Confidential:', 'Description *')
    >>> spelled("Lieferant"), spelled("IBAN no."), spelled("nvoice"), spelled("ART43881")
    ('Lieferant', 'IBAN no.', 'nvoice', 'ART43881')
    >>> spelled("Néw claim"), spelled("Größe"), spelled("Op'n…")
    ('New claim', 'Größe', 'Open…')
    """
    words = _dictionary()
    out = []
    for token in text.split(" "):
        found = _WORD.match(token)
        if found is None:
            out.append(token)
            continue
        lead, word, tail = found.groups()
        low = word.lower()
        plain = _unaccented(word)
        if plain != word and plain.lower() in words:  # "Néw": an accent the glyph never had
            out.append(lead + plain + tail)
            continue
        if len(word) < _SHORTEST or word.isupper() or low in words:
            out.append(token)
            continue
        # (a contraction is no caption's word: an apostrophe read inside one is a lost glyph)
        near = {c for c in words.candidates(low) or () if c != low and "'" not in c}
        if len(near) != 1:
            out.append(token)
            continue
        fix = next(iter(near))
        out.append(lead + (fix[0].upper() + fix[1:] if word[0].isupper() else fix) + tail)
    return " ".join(out)
