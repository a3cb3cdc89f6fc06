from django.urls import path

from fithub.collect import compliance, views

app_name = "collect"
urlpatterns = [
    path("", views.form_list, name="list"),
    path("versions/<int:pk>/xlsform/", views.xlsform_download, name="xlsform"),
    path("versions/<int:pk>/xform/", views.xform_download, name="xform"),
    path("import/", views.submissions_import, name="import"),
    path("import/<int:pk>/", views.submission_import_detail, name="import-detail"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/<int:pk>/xlsform/", views.visit_xlsform, name="visit-xlsform"),
    path("visits/<int:pk>/import/", views.visit_import, name="visit-import"),
    path("surveys/<int:pk>/xlsform/", views.survey_xlsform, name="survey-xlsform"),
    path("surveys/<int:pk>/import/", views.survey_import, name="survey-import"),
    path("compliance/<int:pk>/xlsform/", compliance.tool_xlsform, name="compliance-xlsform"),
    path("compliance/<int:pk>/import/", compliance.tool_import, name="compliance-import"),
]
