from django.urls import path

from fithub.factories import views

app_name = "factories"
urlpatterns = [
    path("", views.factory_list, name="list"),
    path("new/", views.factory_create, name="create"),
    path("import/", views.factory_import, name="import"),
    path("export/", views.factory_export, name="export"),
    path("<int:pk>/", views.factory_detail, name="detail"),
    path("<int:pk>/edit/", views.factory_edit, name="edit"),
    path("<int:pk>/team/", views.team_add, name="team-add"),
    path("<int:pk>/team/<int:member_pk>/remove/", views.team_remove, name="team-remove"),
    path("<int:pk>/invite/", views.factory_invite, name="invite"),
    path("access/", views.access_list, name="access-requests"),
    path("access/ask/", views.access_ask, name="access-ask"),
    path("access/<int:pk>/", views.access_detail, name="access-request"),
    path("access/<int:pk>/approve/", views.access_approve, name="access-approve"),
    path("access/<int:pk>/decline/", views.access_decline, name="access-decline"),
]
