"""Usernames that cannot pass for someone else's: one script each, and no look-alike of another.

A username's skeleton (after Unicode TS #39, "Unicode Security Mechanisms") maps every character to
one representative of the characters it can be mistaken for: Cyrillic "і" and Latin "i", the digit
"1", capital "I" and small "l", full-width letters and their plain forms. Two usernames with the same
skeleton look alike. The look-alike data is Unicode's confusables list, as shipped by the
confusable-homoglyphs package; its script table decides "one script".
"""

import unicodedata
from functools import cache

from confusable_homoglyphs import categories, confusables

ONE_SCRIPT = (
    "Use the letters of one alphabet only (for example Latin or Cyrillic, not both), with digits "
    "and @ . + - _ if you like."
)
TAKEN = "This username is taken. Choose another one."  # also when it differs only in case
LOOKS_LIKE_ANOTHER = "This username looks too much like one that is already taken. Choose another one."

# Characters every script uses (digits, punctuation) and combining marks, which take their letter's.
SHARED = {"COMMON", "INHERITED"}
# Scripts written together (TS #39's "highly restrictive" level): Japanese, Chinese, Korean.
WRITTEN_TOGETHER = [{"HAN", "HIRAGANA", "KATAKANA"}, {"HAN", "BOPOMOFO"}, {"HAN", "HANGUL"}]


def is_one_script(username: str) -> bool:
    scripts = categories.unique_aliases(username) - SHARED
    return len(scripts) <= 1 or any(scripts <= together for together in WRITTEN_TOGETHER)


@cache
def _representatives() -> dict[str, str]:
    """Character -> the representative of everything it can be confused with (single characters)."""
    parent: dict[str, str] = {}

    def root(char: str) -> str:
        while parent.get(char, char) != char:
            char = parent[char]
        return char

    for char, look_alikes in confusables.confusables_data.items():
        if len(char) != 1:
            continue
        for look_alike in look_alikes:
            if len(look_alike["c"]) == 1:
                first, second = sorted((root(char), root(look_alike["c"])))
                if first != second:
                    parent[second] = first
    return {char: root(char) for char in parent}


def _mapped(text: str) -> str:
    representatives = _representatives()
    text = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(representatives.get(char, char) for char in text))


def skeleton(username: str) -> str:
    """Equal for usernames that look alike, whatever their case."""
    return _mapped(_mapped(unicodedata.normalize("NFKC", username)).casefold())


def looks_like(username: str, others) -> bool:
    """Whether `username` looks like any of the usernames `others`."""
    mine = skeleton(username)
    return any(skeleton(other) == mine for other in others)
