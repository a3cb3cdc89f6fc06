from django.urls import path
from django.views.generic import RedirectView

from fithub.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("engagements/", views.engagement_list, name="engagements"),
    path("engagements/new/", views.engagement_create, name="engagement-create"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement"),
    path("engagements/<int:pk>/edit/", views.engagement_edit, name="engagement-edit"),
    path("engagements/<int:pk>/cost/", views.engagement_cost, name="engagement-cost"),
    path("engagements/<int:pk>/sponsors/", views.sponsorship_add, name="sponsorship-add"),
    path(
        "engagements/<int:pk>/sponsors/<int:sponsorship>/remove/",
        views.sponsorship_remove,
        name="sponsorship-remove",
    ),
    path("costs/", views.cost_items, name="cost-items"),
    # A session's cost is training's page now; old links and bookmarks still lead there.
    path(
        "sessions/<int:pk>/cost/",
        RedirectView.as_view(pattern_name="training:session-cost", query_string=True),
        name="session-cost",
    ),
]
