from django.urls import path

from fithub.compliance.views import assessments, self_diagnosis, tools

app_name = "compliance"

urlpatterns = [
    path("", assessments.assessment_list, name="list"),
    path("rates/", assessments.rates_across, name="rates-across"),
    path("engagements/<int:engagement_pk>/plan/", assessments.assessment_plan, name="plan"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/plan/", assessments.assessment_replan, name="replan"),
    path("assessments/<int:pk>/start/", assessments.assessment_start, name="start"),
    path("assessments/<int:pk>/facts/", assessments.assessment_facts, name="facts"),
    path("assessments/<int:pk>/counts/", assessments.assessment_counts, name="counts"),
    path(
        "assessments/<int:pk>/clusters/<int:cluster_pk>/",
        assessments.assessment_cluster,
        name="cluster",
    ),
    path(
        "assessments/<int:pk>/questions/<int:question_pk>/",
        assessments.finding_save,
        name="finding",
    ),
    path("evidence/<int:pk>/", assessments.evidence_file, name="evidence"),
    path("assessments/<int:pk>/submit/", assessments.assessment_submit, name="submit"),
    path("assessments/<int:pk>/correct/", assessments.assessment_correct, name="correct"),
    path("assessments/<int:pk>/rates/", assessments.assessment_rates, name="rates"),
    path(
        "engagements/<int:engagement_pk>/self-diagnosis/",
        self_diagnosis.self_diagnosis_start,
        name="self-diagnosis-start",
    ),
    path("self-diagnoses/<int:pk>/", self_diagnosis.self_diagnosis_detail, name="self-diagnosis"),
    path("tools/", tools.tool_list, name="tools"),
    path("tools/new/", tools.tool_create, name="tool-create"),
    path("tools/<int:pk>/", tools.tool_detail, name="tool"),
    path("versions/<int:pk>/", tools.version_detail, name="version"),
    path("versions/<int:pk>/export.<str:fmt>", tools.version_export, name="version-export"),
    path("versions/<int:pk>/import/", tools.version_import, name="version-import"),
    path("versions/<int:pk>/publish/", tools.version_publish, name="version-publish"),
    path("versions/<int:pk>/edit/", tools.version_new_draft, name="version-edit"),
]
