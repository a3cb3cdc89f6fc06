"""Text as people type it: one folded form for matching names across accents, case and spacing."""

import unicodedata

# Latin letters with no decomposition into a base letter and a mark.
_LETTERS = str.maketrans(
    {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ħ": "h", "\u0131": "i", "æ": "ae", "œ": "oe"}
)


def _latin(char: str) -> bool:
    # Latin-1, Latin Extended A/B, IPA, and Latin Extended Additional (Vietnamese).
    return ord(char) < 0x0250 or 0x1E00 <= ord(char) <= 0x1EFF


def fold(text: str) -> str:
    """Fold case, Latin accents and spacing: "Việt  Tiến" and "viet tien" fold alike.

    Marks are dropped only after Latin letters: in Bengali, Devanagari or Khmer the combining
    signs are vowels and viramas, and dropping them would make different words match.
    """
    out: list[str] = []
    latin = False
    for char in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.combining(char):
            if not latin:
                out.append(char)
            continue
        latin = _latin(char)
        out.append(char)
    folded = unicodedata.normalize("NFC", "".join(out)).translate(_LETTERS)
    return " ".join(folded.split())
