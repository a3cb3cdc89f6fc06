from django.urls import path

from fithub.improvement import followup_views, import_views, views

app_name = "improvement"
urlpatterns = [
    path("engagements/<int:pk>/start/", views.plan_start, name="plan-start"),
    path("plans/", views.plan_list, name="plans"),
    path("answers/<int:pk>/to-plan/", views.item_from_answer, name="from-answer"),
    path(
        "decisions/<int:pk>/to-plan/<int:engagement_pk>/",
        views.item_from_decision,
        name="from-decision",
    ),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/items/new/", views.item_create, name="item-create"),
    path("plans/<int:pk>/sign-off/", views.plan_sign_off, name="sign-off"),
    path("plans/<int:pk>/export/", views.plan_export, name="plan-export"),
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="plan-pdf"),
    path("plans/<int:pk>/import/", import_views.plan_import, name="plan-import"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/move/<str:move>/", views.item_move, name="item-move"),
    path("items/<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path("items/<int:pk>/comments/", views.comment_add, name="comment-add"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("sessions/<int:pk>/items/", views.session_item_add, name="session-item-add"),
    path("follow-ups/", followup_views.followup_list, name="followups"),
    path("follow-ups/<int:pk>/", followup_views.followup_detail, name="followup"),
    path(
        "follow-ups/<int:pk>/evidence/",
        followup_views.followup_evidence,
        name="followup-evidence",
    ),
    path("adoption/", followup_views.adoption, name="adoption"),
]
