from django.urls import path

from fithub.accounts import views

app_name = "accounts"
urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership-remove"),
    path("invitations/<str:token>/", views.accept, name="accept"),
]
