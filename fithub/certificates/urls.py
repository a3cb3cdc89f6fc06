from django.urls import path

from fithub.certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("sessions/<int:pk>/", views.session_certificates, name="session"),
    path("sessions/<int:pk>/issue/", views.issue_all, name="issue-all"),
    path("sessions/<int:pk>/batches/", views.batch_create, name="batch-create"),
    path("registrations/<int:pk>/issue/", views.issue_one, name="issue"),
    path("<int:pk>/certificate.pdf", views.certificate_download, name="pdf"),
    path("<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path("<int:pk>/reissue/", views.certificate_reissue, name="reissue"),
    path("batches/<int:pk>/", views.batch_status, name="batch"),
    path("batches/<int:pk>/download/", views.batch_download, name="batch-download"),
    path("logo/", views.logo, name="logo"),
    path("logo/<int:pk>/", views.logo_upload, name="logo-upload"),
    path("logo/<int:pk>/image.png", views.logo_image, name="logo-image"),
    # Public: the QR code on every certificate opens this page. No login.
    path("verify/", views.verify_form, name="verify-form"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
