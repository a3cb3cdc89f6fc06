"""Serializer fields that read a form the way they read JSON: a field left out is left out.

Django REST framework reads HTML form input as a browser would send it: a boolean missing from
the form is an unticked checkbox, so False (None if null is allowed). An API client that sends
form data without `present` has not said "absent", yet DRF records it so, and a PUT of a
factory's profile as a form without `better_work` clears it. Every API serializer that takes
booleans uses the two classes below, and fithub/tests/test_api_forms.py checks that every
request body means the same in JSON, form and multipart.
"""

from typing import Any

from django.db import models
from rest_framework import serializers
from rest_framework.fields import empty


class BooleanField(serializers.BooleanField):
    """A boolean that a form leaves out the way JSON does: required, or its default."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Set after DRF's __init__, which sets it again for fields that allow null.
        self.default_empty_html = empty


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose fields for model booleans are the BooleanField above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.BooleanField: BooleanField,
    }
