"""Folding text for matching: Latin accents and case go, other scripts keep their signs."""

from fithub.lib.text import fold


def test_latin_accents_case_and_spacing_fold() -> None:
    assert fold("Việt  Tiến") == fold("viet tien") == "viet tien"
    assert fold("Químicas") == "quimicas"
    assert fold("ĐỒNG NAI") == "dong nai"
    assert fold("Straße") == "strasse"


def test_vowel_signs_of_other_scripts_are_kept() -> None:
    # কারখানা (factory) and করখন differ only by vowel signs: they are different words.
    assert fold("কারখানা") != fold("করখন")
    assert fold("کراچی") == "کراچی"
