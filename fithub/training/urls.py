from django.urls import path

from fithub.training import pack
from fithub.training.views import attendance, costs, participants, sessions

app_name = "training"
urlpatterns = [
    path("", sessions.session_list, name="list"),
    path("sessions/new/", sessions.session_create, name="session-create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session-edit"),
    path("sessions/<int:pk>/people/search/", sessions.people_search, name="people-search"),
    path("sessions/<int:pk>/people/add/", sessions.registration_add, name="registration-add"),
    path("sessions/<int:pk>/people/new/", sessions.registration_new_participant, name="people-new"),
    path("sessions/<int:pk>/groups/form/", attendance.groups_form, name="groups-form"),
    path("sessions/<int:pk>/groups/rotate/", attendance.roles_rotate, name="roles-rotate"),
    path("sessions/<int:pk>/attendance/", attendance.attendance, name="attendance"),
    path(
        "sessions/<int:pk>/attendance/sheet/", attendance.attendance_sheet, name="attendance-sheet"
    ),
    path(
        "sessions/<int:pk>/attendance/import/",
        attendance.attendance_import,
        name="attendance-import",
    ),
    path("sessions/<int:pk>/check-in.svg", attendance.check_in_qr, name="check-in-qr"),
    path("sessions/<int:pk>/reflection/", sessions.reflection, name="reflection"),
    path("sessions/<int:pk>/cascade/", sessions.cascade, name="cascade"),
    path("sessions/<int:pk>/pack.pdf", pack.session_pack_view, name="pack"),
    path("sessions/<int:pk>/cost/", costs.session_cost, name="session-cost"),
    path(
        "registrations/<int:pk>/remove/", sessions.registration_remove, name="registration-remove"
    ),
    path("registrations/<int:pk>/group/", attendance.group_move, name="group-move"),
    path("registrations/<int:pk>/attendance/", attendance.attendance_tap, name="attendance-tap"),
    path("registrations/<int:pk>/cascade/", sessions.child_session_create, name="child-create"),
    path("check-in/<str:token>/", attendance.check_in, name="check-in"),
    path("participants/", participants.participant_list, name="participants"),
    path("participants/new/", participants.participant_create, name="participant-create"),
    path("participants/<int:pk>/", participants.participant_detail, name="participant"),
    path("participants/<int:pk>/edit/", participants.participant_edit, name="participant-edit"),
]
