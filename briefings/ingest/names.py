"""Speaker labels to personal names, and the keys used to match names across briefings.

Transcripts print speakers in many ways: "MS. PSAKI", "Mr. Liang Wenhua", "SECRETARY
BECERRA", "Dr. Anthony Fauci", "Tian Yulong". `clean_label` returns the name with
honorifics and office titles split off; `name_key` (briefings/text.py) folds case and punctuation so
that the loader can match "Liang Wenhua" with "LIANG WENHUA".
"""

from __future__ import annotations

import re

from briefings.text import HONORIFICS, name_key

# Office words that stand before a surname in White House style labels
# ("SECRETARY BECERRA", "ACTING ADMINISTRATOR SLAVITT", "ADMIRAL GIROIR").
OFFICE_WORDS = {
    "acting",
    "administrator",
    "admiral",
    "admirar",  # a real typo in the March 16, 2020 transcript
    "ambassador",
    "attorney",
    "chair",
    "chairman",
    "chairwoman",
    "chancellor",
    "chief",
    "commissioner",
    "deputy",
    "director",
    "general",
    "governor",
    "leader",
    "lieutenant",
    "mayor",
    "minister",
    "premier",
    "president",
    "prime",
    "representative",
    "secretary",
    "senator",
    "speaker",
    "surgeon",
    "vice",
    "colonel",
    "captain",
    "commander",
    "coordinator",
    "advisor",
    "adviser",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "sergeant",
    "major",
}

# Labels that name a role, not a person. They keep their label and get no Person row
# unless the transcript tells who holds the role.
ROLE_LABELS = {
    "moderator",
    "operator",
    "aide",
    "the president",
    "the vice president",
    "the first lady",
    "the interpreter",
    "interpreter",
    "participant",
    "audience member",
    "staff",
    "press",
    "q",
    "a",
    "reporter",
    "question",
    "answer",
}


def smart_title(word: str) -> str:
    """Title-case an upper-case name word, keeping McDonough, O'Brien, Jean-Pierre."""
    if not word.isupper():
        return word
    lower = word.lower()
    titled = "-".join(part[:1].upper() + part[1:] for part in lower.split("-"))
    if titled.startswith("Mc") and len(titled) > 2:
        titled = "Mc" + titled[2].upper() + titled[3:]
    if titled[:2] in ("O'", "O’") and len(titled) > 2:
        titled = titled[:2] + titled[2].upper() + titled[3:]
    return titled


def clean_label(label: str) -> tuple[str, str]:
    """Split a speaker label into (name, title).

    >>> clean_label("MS. PSAKI")
    ('Psaki', '')
    >>> clean_label("ACTING ADMINISTRATOR SLAVITT")
    ('Slavitt', 'Acting Administrator')
    >>> clean_label("Mr. Liang Wenhua")
    ('Liang Wenhua', '')

    Role labels ("MODERATOR", "THE PRESIDENT") come back as ("", label).
    """
    label = " ".join(label.replace("\u00a0", " ").split()).strip(" :")
    if not label or is_role_label(label):
        return "", smart_title_phrase(label)
    words = label.split()
    shouting = label.isupper()
    while words and words[0].lower().rstrip(".") in HONORIFICS:
        words = words[1:]
    # Upper-case labels never print initials: "M. PSAKI" and "S. PSAKI" are typos of
    # "MS. PSAKI", not other people.
    if shouting and len(words) == 2 and re.fullmatch(r"[A-Z]\.", words[0]):
        words = words[1:]
    title_words: list[str] = []
    if shouting:
        # "SECRETARY BECERRA": office words before the surname are a title.
        while len(words) > 1 and words[0].lower().rstrip(".") in OFFICE_WORDS:
            title_words.append(words.pop(0))
    name = " ".join(smart_title(word) for word in words)
    return name, smart_title_phrase(" ".join(title_words))


def smart_title_phrase(text: str) -> str:
    if not text.isupper():
        return text
    small = {"of", "the", "and", "for", "on", "to", "in"}
    words = [smart_title(word) for word in text.split()]
    return " ".join(
        word.lower() if index and word.lower() in small else word
        for index, word in enumerate(words)
    )


_ROLE_SHAPES = re.compile(
    r"(?:^|\s)(?:official|officials|aide|crew|interpreter|translator)$|^speaker \d+$"
)


def is_role_label(label: str) -> bool:
    """True for labels that name a role ("MODERATOR", "SENIOR ADMINISTRATION OFFICIAL")."""
    key = name_key(label)
    return key in ROLE_LABELS or bool(_ROLE_SHAPES.search(key))
