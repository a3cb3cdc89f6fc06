"""Country names as facility lists write them: CLDR names in every language, ISO's, aliases."""

import pytest

from fithub.factories.countries import TSV, cldr_names, country_code


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("United States", "US"), ("USA", "US"), ("U.S.A.", "US"), ("UK", "GB"),
        ("Great Britain", "GB"), ("Ivory Coast", "CI"), ("C\u00f4te d\u2019Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"), ("Burma", "MM"), ("Myanmar (Burma)", "MM"), ("Macau", "MO"),
        ("Viet Nam", "VN"), ("Vietnam", "VN"), ("Türkiye", "TR"), ("Turkey", "TR"),
        ("bangladesh ", "BD"), ("BGD", "BD"), ("bd", "BD"), ("বাংলাদেশ", "BD"),
        ("پاکستان", "PK"), ("កម្ពុជា", "KH"), ("Korea, Republic of", "KR"),
        ("South Korea", "KR"), ("St. Lucia", "LC"), ("The Gambia", "GM"),
        ("Bosnia & Herzegovina", "BA"),
    ],
)  # fmt: skip
def test_names_people_use_are_read(written: str, code: str) -> None:
    assert country_code(written) == code


@pytest.mark.parametrize(
    "written", ["Korea", "Congo (DRC) or Congo", "Virgin Islands", "Atlantis", "", "  "]
)
def test_a_name_of_two_countries_or_none_is_not_guessed(written: str) -> None:
    # "Korea" is North Korea in one CLDR language and part of both Koreas' ISO names.
    assert country_code(written) == ""


def test_the_names_file_is_what_babel_gives() -> None:
    # Regenerate with `./dev manage country_names` after Babel (so the CLDR) is upgraded.
    names = cldr_names()
    written = {
        k: (c, p == "1") for k, c, p in (line.split("\t") for line in TSV.read_text().splitlines())
    }
    assert written == names
    assert names["ivory coast"] == ("CI", False) and names["united states"] == ("US", True)


@pytest.mark.parametrize("language", ["bn", "ur"])
def test_the_bengali_and_urdu_country_names_are_the_cldrs(language: str) -> None:
    import polib

    from fithub.factories.countries import CATALOGUES, country_catalogue

    written = polib.pofile(str(CATALOGUES / language / "LC_MESSAGES" / "django.po"))
    made = country_catalogue(language)
    assert {e.msgid: e.msgstr for e in written} == {e.msgid: e.msgstr for e in made}
    # Every name django-countries shows has one, its common and former names too.
    assert {"Bangladesh", "Pakistan", "Cambodia", "Vietnam", "Turkey"} <= {e.msgid for e in made}


def test_an_override_replaces_the_cldr_name(tmp_path, monkeypatch) -> None:
    from fithub.factories import countries

    overrides = tmp_path / "overrides.tsv"
    overrides.write_text("# language\tcode\tname\nbn\tBD\tগণপ্রজাতন্ত্রী বাংলাদেশ\n")
    monkeypatch.setattr(countries, "OVERRIDES", overrides)
    names = {e.msgid: e.msgstr for e in countries.country_catalogue("bn")}
    assert names["Bangladesh"] == "গণপ্রজাতন্ত্রী বাংলাদেশ"
    assert names["Pakistan"] == "পাকিস্তান"
