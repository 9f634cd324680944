from django.urls import path

from .views import employer, entrepreneurship, public, resident, subsidies

app_name = "portal"

urlpatterns = [
    path("", public.home, name="home"),
    path("c/<str:code>/", public.community_jobs, name="community_jobs"),
    path("c/<str:code>/join/", public.join, name="join"),
    path("c/<str:code>/qr.svg", public.qr_svg, name="qr_svg"),
    path("backoffice/posters/", public.poster_list, name="poster_list"),
    path("backoffice/posters/<str:code>/", public.poster, name="poster"),
    path("healthz", public.healthz, name="healthz"),
    # 社区快聘 H5 (residents)
    path("m/", resident.m_home, name="m_home"),
    path("m/login/", resident.m_login, name="m_login"),
    path("m/register/", resident.m_register, name="m_register"),
    path("m/profile/", resident.m_profile, name="m_profile"),
    path("m/jobs/", resident.m_jobs, name="m_jobs"),
    path("m/occupations/", resident.m_occupation_options, name="m_occupation_options"),
    path("m/jobs/<int:pk>/", resident.m_job_detail, name="m_job_detail"),
    path("m/jobs/<int:pk>/apply/", resident.m_apply, name="m_apply"),
    path("m/applications/", resident.m_applications, name="m_applications"),
    path("m/applications/<int:pk>/withdraw/", resident.m_withdraw, name="m_withdraw"),
    path("m/fairs/", resident.m_fairs, name="m_fairs"),
    path("m/fairs/<str:token>/", resident.m_fair_sign_in, name="m_fair_sign_in"),
    path("m/inbox/", resident.m_inbox, name="m_inbox"),
    path("m/inbox/<int:pk>/", resident.m_inbox_message, name="m_inbox_message"),
    path("m/subsidies/", subsidies.m_subsidies, name="m_subsidies"),
    path("m/subsidies/<slug:code>/apply/", subsidies.m_subsidy_apply, name="m_subsidy_apply"),
    path("m/subsidies/applications/<int:pk>/decline/", subsidies.m_subsidy_decline, name="m_subsidy_decline"),
    path("m/subsidies/applications/<int:pk>/bank/", subsidies.m_subsidy_bank, name="m_subsidy_bank"),
    path("m/loans/", entrepreneurship.m_loans, name="m_loans"),
    path("m/loans/apply/", entrepreneurship.m_loan_apply, name="m_loan_apply"),
    # employer portal
    path("employer/register/", employer.employer_register, name="employer_register"),
    path("employer/", employer.employer_home, name="employer_home"),
    path("employer/jobs/new/", employer.employer_job_create, name="employer_job_create"),
    path("employer/jobs/<int:pk>/edit/", employer.employer_job_edit, name="employer_job_edit"),
    path("employer/jobs/<int:pk>/status/", employer.employer_job_status, name="employer_job_status"),
    path("employer/jobs/<int:pk>/applicants/", employer.employer_applicants, name="employer_applicants"),
    path("employer/applications/<int:pk>/contact/", employer.employer_applicant_phone, name="employer_applicant_phone"),
    path(
        "employer/applications/<int:pk>/transition/",
        employer.employer_application_transition,
        name="employer_application_transition",
    ),
]
