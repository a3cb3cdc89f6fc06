"""Render certificates of completion to PDF, each in its own language, with a QR code.

A session's certificates are laid out in one WeasyPrint run, one page each, whatever their
languages: every page carries its own lang and dir and gets its language's fonts from the
rules built here, so a classroom of Bengali and English speakers prints in one go. Texts are
picked here, in the certificate's language; the template only lays them out.

The certificate's fixed phrases ("Certificate of completion", ...) are marked for
translation, and gettext answers them under translation.override(language) when the .po files
have them. Khmer is not one of the site's languages, so it has no .po file: its phrases, and
the Bengali and Urdu ones until the translators' files hold them, come from PHRASES below.
"""

import base64
import functools
import mimetypes
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from fithub.accounts.models import Organisation
from fithub.certificates.models import Certificate
from fithub.lib import pdf
from fithub.lib.i18n import localized_with_language, text_direction

TEMPLATE = "certificates/pdf/certificate.html"
# The languages a certificate can be printed in: the site's three, and Khmer.
LANGUAGES = ("en", "bn", "ur", "km")
LANGUAGE_NAMES = {"en": "English", "bn": "বাংলা", "ur": "اردو", "km": "ខ្មែរ"}

# English text (the msgid) -> the same phrase in the other certificate languages.
PHRASES: dict[str, dict[str, str]] = {
    gettext_noop("Certificate of completion"): {
        "bn": "সমাপনী সনদপত্র",
        "ur": "تکمیل کی سند",
        "km": "វិញ្ញាបនបត្របញ្ចប់ការសិក្សា",
    },
    gettext_noop("This is to certify that"): {
        "bn": "এই মর্মে প্রত্যয়ন করা যাচ্ছে যে",
        "ur": "تصدیق کی جاتی ہے کہ",
        "km": "សូមបញ្ជាក់ថា",
    },
    gettext_noop("has completed the training module"): {
        "bn": "নিম্নোক্ত প্রশিক্ষণ মডিউলটি সম্পন্ন করেছেন",
        "ur": "نے درج ذیل تربیتی ماڈیول مکمل کر لیا ہے",
        "km": "បានបញ្ចប់ម៉ូឌុលបណ្តុះបណ្តាលដូចខាងក្រោម",
    },
    gettext_noop("Date"): {"bn": "তারিখ", "ur": "تاریخ", "km": "កាលបរិច្ឆេទ"},
    gettext_noop("Facilitator"): {"bn": "সহায়ক", "ur": "سہولت کار", "km": "អ្នកសម្របសម្រួល"},
    gettext_noop("Issued by"): {"bn": "প্রদানকারী", "ur": "جاری کنندہ", "km": "ចេញដោយ"},
    gettext_noop("Scan to check this certificate"): {
        "bn": "সনদটি যাচাই করতে স্ক্যান করুন",
        "ur": "اس سند کی تصدیق کے لیے اسکین کریں",
        "km": "ស្កេនដើម្បីផ្ទៀងផ្ទាត់វិញ្ញាបនបត្រនេះ",
    },
    gettext_noop("Verification code"): {
        "bn": "যাচাই কোড",
        "ur": "تصدیقی کوڈ",
        "km": "លេខកូដផ្ទៀងផ្ទាត់",
    },
    gettext_noop("Factory Improvement Toolset — ILO"): {
        "bn": "ফ্যাক্টরি ইমপ্রুভমেন্ট টুলসেট — আইএলও",
        "ur": "فیکٹری امپروومنٹ ٹول سیٹ — آئی ایل او",
        "km": "កញ្ចប់ឧបករណ៍កែលម្អរោងចក្រ (FIT) — ILO",
    },
}
KEYS = {
    "title": "Certificate of completion",
    "intro": "This is to certify that",
    "completed": "has completed the training module",
    "date": "Date",
    "facilitator": "Facilitator",
    "issued_by": "Issued by",
    "scan": "Scan to check this certificate",
    "code": "Verification code",
    "brand": "Factory Improvement Toolset — ILO",
}


def certificate_language(language: str | None) -> str:
    """Return the certificate language for a language code ("bn-BD" -> "bn"), else English."""
    code = (language or "").lower().split("-")[0]
    return code if code in LANGUAGES else "en"


def phrases(language: str) -> dict[str, str]:
    """Return the certificate's fixed phrases in a language, by key (see KEYS)."""
    texts = {}
    with translation.override(language):
        for key, english in KEYS.items():
            translated = gettext(english)
            if translated == english and language != "en":
                translated = PHRASES[english].get(language, english)
            texts[key] = translated
    return texts


@dataclass(frozen=True)
class Run:
    """A text with the language and direction it is written in."""

    text: str
    lang: str

    @property
    def dir(self) -> str:
        return text_direction(self.lang)

    def __str__(self) -> str:
        return self.text


# The first strong letter of a name decides its script, and with it the face it is set in:
# an Urdu name on an English certificate is still written in Nastaliq.
SCRIPTS = (
    ("ARABIC", "ur"),
    ("BENGALI", "bn"),
    ("KHMER", "km"),
)


def script_language(text: str, default: str) -> str:
    """Return the language whose fonts suit the script of text (its first letter's)."""
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for script, language in SCRIPTS:
            if name.startswith(script):
                return language
        # A Latin name in a Bengali, Urdu or Khmer certificate is set as English, left to right.
        return "en" if name.startswith("LATIN") else default
    return default


def script_run(text: str, default: str) -> Run:
    """Return text marked with the language of its script (default if it cannot tell)."""
    return Run(text, script_language(text, default))


def verification_url(code: str) -> str:
    """Return the absolute address of a certificate's public verification page."""
    return settings.SITE_URL + reverse("certificates:verify", args=[code])


def display_code(code: str) -> str:
    """Return a code as printed, in two groups: "ABCDE-FGHJK" (lookups ignore the dash)."""
    half = (len(code) + 1) // 2
    return f"{code[:half]}-{code[half:]}"


def qr_data_uri(url: str) -> str:
    """Return a QR code for url as a PNG data: URI, one pixel per module."""
    # One pixel per module, enlarged by the template without smoothing (image-rendering:
    # pixelated), prints as sharp as vectors in a fraction of the bytes, and lets a test read
    # the modules back out of the PDF. Level M survives a crease or a stain; the quiet zone
    # around the code is the page's white padding.
    return str(segno.make(url, error="m").png_data_uri(scale=1, border=0))


def logo_data_uri(organisation: Organisation | None) -> str:
    """Return an organisation's logo as a data: URI, or "" if it has none or it is unreadable."""
    if organisation is None or not organisation.logo:
        return ""
    try:
        with organisation.logo.open("rb") as f:
            data = f.read()
    except OSError:  # a logo lost from storage must not stop the certificates
        return ""
    mime = mimetypes.guess_type(organisation.logo.name or "")[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def length_class(text: str, long: int, longer: int) -> str:
    """Return "", "long" or "longer": the template sets long names and titles smaller."""
    size = len(text)
    return "longer" if size > longer else "long" if size > long else ""


@dataclass(frozen=True)
class PrintedCertificate:
    lang: str
    dir: str
    texts: dict[str, str]
    name: Run
    name_size: str
    module: Run
    module_size: str
    date: str
    facilitator: Run | None
    provider: Run | None
    logo: str
    code: str
    url: str
    qr: str


def facilitator_name(certificate: Certificate) -> str:
    session = certificate.registration.session
    # In a cascade the facilitator is factory staff, named without an account.
    if session.facilitator_name:
        return session.facilitator_name
    return session.facilitator.name if session.facilitator else ""


def issuer_name(certificate: Certificate) -> str:
    """Return who issued the certificate: the session's provider, else the organising factory."""
    session = certificate.registration.session
    if session.provider is not None:
        return session.provider.name
    return session.organising_factory.name if session.organising_factory else ""


def printed(certificate: Certificate, logos: dict[int, str] | None = None) -> PrintedCertificate:
    """Return what a certificate's page shows, in the certificate's language."""
    lang = certificate_language(certificate.language)
    session = certificate.registration.session
    title, title_lang = localized_with_language(session.module.title, lang)
    logos = {} if logos is None else logos
    if session.provider_id is not None and session.provider_id not in logos:
        logos[session.provider_id] = logo_data_uri(session.provider)
    with translation.override(lang):
        date = date_format(session.date, "DATE_FORMAT")
    facilitator = facilitator_name(certificate)
    provider = issuer_name(certificate)
    url = verification_url(certificate.code)
    module = title or session.module.code
    return PrintedCertificate(
        lang=lang,
        dir=text_direction(lang),
        texts=phrases(lang),
        name=script_run(certificate.name, lang),
        name_size=length_class(certificate.name, 28, 45),
        module=Run(module, title_lang if title else "en"),
        module_size=length_class(module, 55, 90),
        date=date,
        facilitator=script_run(facilitator, lang) if facilitator else None,
        provider=script_run(provider, lang) if provider else None,
        logo=logos.get(session.provider_id, "") if session.provider_id else "",
        code=display_code(certificate.code),
        url=url,
        qr=qr_data_uri(url),
    )


@functools.cache
def language_css() -> str:
    """Return font rules per language, for pages and names in a language not the document's."""
    rules = []
    for lang in LANGUAGES:
        setting = pdf.typesetting(lang)
        rules.append(
            f'[lang="{lang}"] {{ font-family: {pdf.font_stack(setting.text)}; '
            f"line-height: {setting.line_height}; }}"
        )
    return "\n".join(rules)


def with_relations(certificates: Iterable[Certificate]) -> list[Certificate]:
    """Return the certificates with what their pages need, read in one query if a queryset."""
    if hasattr(certificates, "select_related"):
        certificates = certificates.select_related(
            "registration__session__module",
            "registration__session__provider",
            "registration__session__organising_factory",
            "registration__session__facilitator",
        )
    return list(certificates)


def certificates_pdf(certificates: Iterable[Certificate]) -> bytes:
    """Render certificates as one PDF, one page each, each in its own language."""
    logos: dict[int, str] = {}
    pages = [printed(c, logos) for c in with_relations(certificates)]
    if not pages:
        raise ValueError("No certificates to render.")
    # The document's language is the first page's; every page also says its own.
    return pdf.render_pdf(
        template=TEMPLATE,
        context={"certificates": pages, "language_css": language_css()},
        language=pages[0].lang,
    )


def separate_pdfs(certificates: Iterable[Certificate]) -> list[tuple[Certificate, bytes]]:
    """Render each certificate as a PDF of its own, laying out all of a language's at once.

    The same pages as certificate_pdf gives one by one, each document in its own language,
    at about the cost of one PDF of them all rather than one WeasyPrint run per certificate.
    """
    logos: dict[int, str] = {}
    listed = with_relations(certificates)
    by_language: dict[str, list[tuple[Certificate, PrintedCertificate]]] = {}
    for certificate in listed:
        page = printed(certificate, logos)
        by_language.setdefault(page.lang, []).append((certificate, page))
    files: dict[int, bytes] = {}
    for lang, group in by_language.items():
        pages = pdf.render_pdf_pages(
            template=TEMPLATE,
            context={"certificates": [p for _, p in group], "language_css": language_css()},
            language=lang,
        )
        if len(pages) == len(group):
            files.update((c.pk, data) for (c, _), data in zip(group, pages, strict=True))
        else:  # a certificate ran onto a second page: render those one by one
            files.update((c.pk, certificate_pdf(c)) for c, _ in group)
    return [(c, files[c.pk]) for c in listed]


def certificate_pdf(certificate: Certificate) -> bytes:
    """Render one certificate as a one-page PDF."""
    return certificates_pdf([certificate])


def filename(certificate: Certificate) -> str:
    """Return the download name of a certificate's PDF: its code, safe in any file system."""
    return f"certificate-{certificate.code}.pdf"
