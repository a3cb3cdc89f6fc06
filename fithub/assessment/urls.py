from django.urls import path

from fithub.assessment.views import assessments, findings, questionnaires

app_name = "assessment"
urlpatterns = [
    path("", assessments.assessment_list, name="list"),
    path("new/", assessments.assessment_start, name="start"),
    path("<int:pk>/", assessments.assessment_detail, name="detail"),
    path("<int:pk>/people/", assessments.assessment_people, name="people"),
    path("<int:pk>/statements/<int:statement_pk>/", assessments.answer_save, name="answer"),
    path("<int:pk>/submit/", assessments.assessment_submit, name="submit"),
    path("<int:pk>/recommendations/", assessments.recommendations, name="recommendations"),
    path("<int:pk>/compare/", assessments.compare, name="compare"),
    path("<int:pk>/pdf/", assessments.results_pdf, name="results-pdf"),
    path("answers/<int:pk>/evidence/", assessments.evidence_download, name="evidence"),
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaires"),
    path("questionnaires/new/", questionnaires.questionnaire_create, name="questionnaire-create"),
    path(
        "questionnaires/<int:pk>/edit/",
        questionnaires.questionnaire_edit,
        name="questionnaire-edit",
    ),
    path("versions/<int:pk>/", questionnaires.version_detail, name="version"),
    path(
        "versions/<int:pk>/new-draft/", questionnaires.version_new_draft, name="version-new-draft"
    ),
    path("versions/<int:pk>/publish/", questionnaires.version_publish, name="version-publish"),
    path("versions/<int:pk>/pdf/", questionnaires.questionnaire_pdf, name="version-pdf"),
    path("versions/<int:pk>/import/", questionnaires.version_import, name="version-import"),
    path("versions/<int:pk>/export/", questionnaires.version_export, name="version-export"),
    path("versions/<int:pk>/sections/new/", questionnaires.section_create, name="section-create"),
    path("sections/<int:pk>/edit/", questionnaires.section_edit, name="section-edit"),
    path("sections/<int:pk>/delete/", questionnaires.section_delete, name="section-delete"),
    path(
        "sections/<int:pk>/statements/new/",
        questionnaires.statement_create,
        name="statement-create",
    ),
    path("statements/<int:pk>/edit/", questionnaires.statement_edit, name="statement-edit"),
    path("statements/<int:pk>/delete/", questionnaires.statement_delete, name="statement-delete"),
    path("factories/<int:pk>/findings/", findings.findings, name="findings"),
    path("mappings/", findings.mappings, name="mappings"),
    path("mappings/import/", findings.mappings_import, name="mappings-import"),
    path("mappings/<int:pk>/delete/", findings.mapping_delete, name="mapping-delete"),
]
