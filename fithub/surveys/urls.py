from django.urls import path

from fithub.surveys import views

app_name = "surveys"
urlpatterns = [
    path("s/<str:token>/", views.answer, name="answer"),
    path("s/<str:token>/thanks/", views.thanks, name="thanks"),
    path("results/", views.results, name="results"),
    path("questionnaires/", views.questionnaires, name="questionnaires"),
    path("questionnaires/new-draft/", views.version_new_draft, name="new-draft"),
    path("versions/<int:pk>/", views.version, name="version"),
    path("versions/<int:pk>/publish/", views.version_publish, name="publish"),
    path("session/<int:session_pk>/open/", views.survey_open, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/qr/", views.qr, name="qr"),
    path("<int:pk>/slips/", views.slips, name="slips"),
    path("<int:pk>/paper/", views.paper, name="paper"),
    path("<int:pk>/tally/", views.tally, name="tally"),
]
