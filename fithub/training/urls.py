from django.urls import path

from fithub.training import pack, views

app_name = "training"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/people/search/", views.people_search, name="people-search"),
    path("sessions/<int:pk>/people/add/", views.registration_add, name="registration-add"),
    path("sessions/<int:pk>/people/new/", views.registration_new_participant, name="people-new"),
    path("sessions/<int:pk>/groups/form/", views.groups_form, name="groups-form"),
    path("sessions/<int:pk>/groups/rotate/", views.roles_rotate, name="roles-rotate"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("sessions/<int:pk>/attendance/sheet/", views.attendance_sheet, name="attendance-sheet"),
    path("sessions/<int:pk>/attendance/import/", views.attendance_import, name="attendance-import"),
    path("sessions/<int:pk>/check-in.svg", views.check_in_qr, name="check-in-qr"),
    path("sessions/<int:pk>/reflection/", views.reflection, name="reflection"),
    path("sessions/<int:pk>/cascade/", views.cascade, name="cascade"),
    path("sessions/<int:pk>/pack.pdf", pack.session_pack_view, name="pack"),
    path("registrations/<int:pk>/remove/", views.registration_remove, name="registration-remove"),
    path("registrations/<int:pk>/group/", views.group_move, name="group-move"),
    path("registrations/<int:pk>/attendance/", views.attendance_tap, name="attendance-tap"),
    path("registrations/<int:pk>/cascade/", views.child_session_create, name="child-create"),
    path("check-in/<str:token>/", views.check_in, name="check-in"),
    path("participants/", views.participant_list, name="participants"),
    path("participants/new/", views.participant_create, name="participant-create"),
    path("participants/<int:pk>/", views.participant_detail, name="participant"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant-edit"),
]
