from django.urls import path

from fithub.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_start, name="start"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/people/", views.assessment_people, name="people"),
    path("<int:pk>/statements/<int:statement_pk>/", views.answer_save, name="answer"),
    path("<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("<int:pk>/recommendations/", views.recommendations, name="recommendations"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/pdf/", views.results_pdf, name="results-pdf"),
    path("answers/<int:pk>/evidence/", views.evidence_download, name="evidence"),
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/new/", views.questionnaire_create, name="questionnaire-create"),
    path("questionnaires/<int:pk>/edit/", views.questionnaire_edit, name="questionnaire-edit"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/new-draft/", views.version_new_draft, name="version-new-draft"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version-publish"),
    path("versions/<int:pk>/pdf/", views.questionnaire_pdf, name="version-pdf"),
    path("versions/<int:pk>/import/", views.version_import, name="version-import"),
    path("versions/<int:pk>/export/", views.version_export, name="version-export"),
    path("versions/<int:pk>/sections/new/", views.section_create, name="section-create"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section-edit"),
    path("sections/<int:pk>/delete/", views.section_delete, name="section-delete"),
    path("sections/<int:pk>/statements/new/", views.statement_create, name="statement-create"),
    path("statements/<int:pk>/edit/", views.statement_edit, name="statement-edit"),
    path("statements/<int:pk>/delete/", views.statement_delete, name="statement-delete"),
    path("factories/<int:pk>/findings/", views.findings, name="findings"),
    path("mappings/", views.mappings, name="mappings"),
    path("mappings/import/", views.mappings_import, name="mappings-import"),
    path("mappings/<int:pk>/delete/", views.mapping_delete, name="mapping-delete"),
]
