"""Bengali and Urdu ship complete: every marked string is in both catalogues, translated."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "fithub"
LANGUAGES = ["bn", "ur"]

# Python-format and brace placeholders: %(name)s, %s, %d, {name}, {0}. "%%" is a literal sign.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfir]|\{\w*\}")

# The keywords makemessages passes to xgettext, with the positions of context and message.
# name: (context argument or None, singular argument, plural argument or None)
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

# One Python string literal, as templatize writes it (repr, with an optional u prefix).
_LITERAL = r"""u?(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
_TEMPLATE_CALL = re.compile(
    rf"\b(n?p?gettext)\(\s*({_LITERAL}(?:\s*,\s*{_LITERAL})*)(?:\s*,\s*count)?\s*\)"
)

Key = tuple[str | None, str, str | None]  # (msgctxt, msgid, msgid_plural)


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def _sources(*suffixes: str) -> Iterator[Path]:
    for path in sorted(APP.rglob("*")):
        parts = path.relative_to(APP).parts
        if path.suffix in suffixes and "tests" not in parts and "migrations" not in parts:
            yield path


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


def _python_strings(path: Path) -> Iterator[tuple[Key, int]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name not in KEYWORDS:
            continue
        context, singular, plural = KEYWORDS[name]
        args = node.args

        def literal(i: int | None, args: list[ast.expr] = args) -> str | None:
            if i is None or i >= len(args):
                return None
            arg = args[i]
            return (
                arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            )

        msgid = literal(singular)
        if msgid:  # xgettext skips non-literal arguments, and so does this
            yield (literal(context), msgid, literal(plural)), node.lineno


def _template_strings(path: Path) -> Iterator[tuple[Key, int]]:
    # Django's own template-to-gettext step, the one makemessages runs before xgettext.
    out = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for match in _TEMPLATE_CALL.finditer(out):
        name = match.group(1)
        args = [ast.literal_eval(s) for s in re.findall(_LITERAL, match.group(2))]
        context = args.pop(0) if name.startswith(("pgettext", "npgettext")) else None
        plural = args[1] if name.startswith(("ngettext", "npgettext")) else None
        line = out.count("\n", 0, match.start()) + 1
        yield (context, args[0], plural), line


def _marked_strings() -> dict[Key, list[str]]:
    found: dict[Key, list[str]] = {}
    for path in _sources(".py"):
        for key, line in _python_strings(path):
            found.setdefault(key, []).append(f"{path.relative_to(ROOT)}:{line}")
    for path in _sources(".html", ".txt"):
        for key, line in _template_strings(path):
            found.setdefault(key, []).append(f"{path.relative_to(ROOT)}:{line}")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    po = _catalogue(language)
    entries = [e for e in po if not e.obsolete]
    assert entries, f"locale/{language} has no entries"
    empty = [
        e.msgid
        for e in entries
        if (e.msgid_plural and not all(e.msgstr_plural.get(i) for i in (0, 1)))
        or (not e.msgid_plural and not e.msgstr)
    ]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not empty, f"untranslated in locale/{language}: {empty}"
    assert not fuzzy, f"fuzzy in locale/{language}: {fuzzy}"
    assert po.metadata.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    wrong = []
    for e in _catalogue(language):
        if e.obsolete:
            continue
        if e.msgid_plural:
            pairs = [
                (e.msgid, e.msgstr_plural.get(0, "")),
                (e.msgid_plural, e.msgstr_plural.get(1, "")),
            ]
        else:
            pairs = [(e.msgid, e.msgstr)]
        for source, translation in pairs:
            if _placeholders(source) != _placeholders(translation):
                wrong.append(f"{source!r} -> {translation!r}")
    assert not wrong, f"placeholders differ in locale/{language}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_in_the_catalogue(language: str) -> None:
    marked = _marked_strings()
    assert len(marked) > 100, "the scan found too few strings; is it still looking in fithub/?"
    # A msgid used both with and without a plural is one entry, with the plural.
    known = {(e.msgctxt, e.msgid): e.msgid_plural or None for e in _catalogue(language)}
    missing = sorted(
        f"{where[0]}: {msgid!r}" + (f" (context {context!r})" if context else "")
        for (context, msgid, plural), where in marked.items()
        if (context, msgid) not in known or (plural and known[context, msgid] != plural)
    )
    assert not missing, (
        f"{len(missing)} marked strings are not in locale/{language}: run ./dev messages and "
        "translate them.\n" + "\n".join(missing)
    )
