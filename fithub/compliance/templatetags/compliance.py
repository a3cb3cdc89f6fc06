"""Template helpers of the compliance app: whether the menu offers compliance assessments."""

from typing import Any

from django import template

from fithub.compliance.scoping import sees_assessments

register = template.Library()


@register.filter
def sees_compliance(user: Any) -> bool:
    """Whether the user is offered compliance assessments: the menu asks the scoping rule."""
    return sees_assessments(user)
