from django.urls import path

from . import views

app_name = "gigs"

urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.gig_detail, name="gig_detail"),
    path("<int:pk>/action/", views.gig_action, name="gig_action"),
    path("signups/<int:pk>/action/", views.signup_action, name="signup_action"),
    path("stations/", views.station_list, name="station_list"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("stations/<int:pk>/qr.svg", views.station_qr, name="station_qr"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("figures/", views.figures, name="figures"),
]
