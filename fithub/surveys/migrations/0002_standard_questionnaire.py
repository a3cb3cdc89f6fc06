"""Ship the standard FIT post-training survey, so that any session's survey can be opened."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone

from fithub.surveys.standard import QUESTIONS, TITLE


def create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Version = apps.get_model("surveys", "Version")
    Question = apps.get_model("surveys", "Question")
    if Questionnaire.objects.filter(owner=None).exists():
        return
    questionnaire = Questionnaire.objects.create(owner=None, name=TITLE)
    version = Version.objects.create(
        questionnaire=questionnaire, number=1, status="published", published_at=timezone.now()
    )
    Question.objects.bulk_create(
        Question(version=version, code=code, kind=kind, text=text, required=required, order=i)
        for i, (code, kind, text, required) in enumerate(QUESTIONS)
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
