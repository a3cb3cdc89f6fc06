"""The code slips: printed on their own and at the end of the session pack."""

import segno
from django.http import HttpRequest
from django.urls import reverse

from fithub.surveys import services
from fithub.surveys.models import Survey


def public_url(request: HttpRequest, survey: Survey) -> str:
    """Return the survey's answer link, as the participants' phones open it."""
    return request.build_absolute_uri(reverse("surveys:answer", args=[survey.token]))


def slips_context(request: HttpRequest, survey: Survey) -> dict[str, object]:
    """Issue the survey's slip codes as needed; return what surveys/pdf/_slips.html prints."""
    codes = services.codes_issue(survey=survey, by=request.user)  # type: ignore[arg-type]
    url = public_url(request, survey)
    qr_svg = segno.make(url, error="m").svg_data_uri(scale=3, border=1)
    return {"survey": survey, "codes": codes, "url": url, "qr": qr_svg}
