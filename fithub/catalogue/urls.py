from django.urls import path

from fithub.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.module_list, name="list"),
    path("new/", views.module_create, name="create"),
    path("import/", views.catalogue_import, name="import"),
    path("export/", views.catalogue_export, name="export"),
    path("translations/", views.translations, name="translations"),
    path("<int:pk>/", views.module_detail, name="detail"),
    path("<int:pk>/edit/", views.module_edit, name="edit"),
    path("<int:pk>/files/new/", views.module_file_add, name="file-add"),
    path("<int:pk>/adapt/", views.adaptation_create, name="adapt"),
    path("files/<int:pk>/download/", views.file_download, name="download"),
    path("adaptations/", views.adaptation_list, name="adaptations"),
    path("adaptations/<int:pk>/", views.adaptation_detail, name="adaptation"),
    path("adaptations/<int:pk>/edit/", views.adaptation_edit, name="adaptation-edit"),
    path("adaptations/<int:pk>/files/new/", views.adaptation_file_add, name="adaptation-file-add"),
]
