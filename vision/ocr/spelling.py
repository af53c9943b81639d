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

_WORD = re.compile(r"^(\W*?)(['’]?[^\W\d_][\w'’]*[^\W\d_])(\W*)$")
"""A token: punctuation around a word of letters (an apostrophe or a stray mark inside it, or
one before it: a thin first letter read as one)."""
_SHORTEST = 4
"""Shorter words have too many neighbours one letter away to tell."""


@lru_cache(maxsize=1)
def _dictionary():
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word)
                   if not unicodedata.combining(c))


_COMMONER = 20
"""How many times commoner than any other a word must be to be told apart from them."""


def _far_commonest(near: set[str], words) -> set[str]:
    """The one of ``near`` far commoner than the rest ("invoice" beside "unvoice"), else all."""
    if len(near) < 2:
        return near
    first, second = sorted(near, key=lambda c: words.word_frequency[c], reverse=True)[:2]
    return {first} if words.word_frequency[first] >= _COMMONER * words.word_frequency[
        second] else near


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
    >>> spelled("Néw claim"), spelled("Größe"), spelled("Op'n…"), spelled("New 'nvoice")
    ('New claim', 'Größe', 'Open…', 'New invoice')
    >>> spelled("'Draft'")
    "'Draft'"
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
        if len(word) < _SHORTEST or word.isupper() or low in words or (
                low[0] in "'’" and low[1:] in words):  # a quoted word
            out.append(token)
            continue
        if "'" in low or "’" in low:
            # a contraction is no caption's word: an apostrophe read in one is a thin glyph
            # (i, l, e) read wrongly, and that glyph is what takes its place
            at = low.replace("’", "'").index("'")
            near = {c for c in (low[:at] + letter + low[at + 1:]
                                for letter in "abcdefghijklmnopqrstuvwxyz") if c in words}
            near = _far_commonest(near, words)
        else:
            near = {c for c in words.candidates(low) or () if c != low and "'" not in c}
        if len(near) != 1:
            out.append(token)
            continue
        fix = next(iter(near))
        out.append(lead + (fix[0].upper() + fix[1:] if word[0].isupper() else fix) + tail)
    return " ".join(out)
