from django.urls import path

from fithub.committees.views import committee, elections, meetings, reviews

app_name = "committees"
urlpatterns = [
    path("", committee.committee_list, name="list"),
    path("factory/<int:factory_pk>/new/", committee.committee_create, name="create"),
    path("<int:pk>/", committee.committee_detail, name="detail"),
    path("<int:pk>/edit/", committee.committee_edit, name="edit"),
    path("<int:pk>/history/", committee.committee_history, name="history"),
    path(
        "<int:pk>/export/<str:what>/",
        committee.committee_export,
        name="export",
    ),
    path("<int:pk>/members/", committee.member_add, name="member-add"),
    path("members/<int:pk>/edit/", committee.member_edit, name="member-edit"),
    path("members/<int:pk>/leave/", committee.member_leave, name="member-leave"),
    path("<int:pk>/elections/new/", elections.election_create, name="election-create"),
    path("elections/<int:pk>/", elections.election_detail, name="election"),
    path("elections/<int:pk>/edit/", elections.election_edit, name="election-edit"),
    path("elections/<int:pk>/candidates/", elections.candidate_add, name="candidate-add"),
    path(
        "elections/<int:pk>/candidates/<int:candidate_pk>/remove/",
        elections.candidate_remove,
        name="candidate-remove",
    ),
    path("elections/<int:pk>/results/", elections.results_record, name="results"),
    path("elections/<int:pk>/join/", elections.elected_join, name="join"),
    path("<int:pk>/meetings/", meetings.meeting_list, name="meetings"),
    path("<int:pk>/meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/attendees/", meetings.attendee_add, name="attendee-add"),
    path(
        "meetings/<int:pk>/attendees/<int:attendance_pk>/remove/",
        meetings.attendee_remove,
        name="attendee-remove",
    ),
    path("meetings/<int:pk>/minutes/", meetings.minutes_save, name="minutes"),
    path("meetings/<int:pk>/decisions/", meetings.decision_add, name="decision-add"),
    path("decisions/<int:pk>/edit/", meetings.decision_edit, name="decision-edit"),
    path("meetings/<int:pk>/approve/", meetings.minutes_approve, name="approve"),
    path("<int:pk>/reviews/new/", reviews.review_create, name="review-create"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review"),
]
