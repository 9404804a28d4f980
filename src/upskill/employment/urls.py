from django.urls import path

from . import views

app_name = "employment"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/wishes/", views.referral_wishes, name="referral_wishes"),
    path("referrals/<int:pk>/recommend/", views.recommend, name="recommend"),
    path("referrals/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("vacancies/", views.vacancies, name="vacancies"),
    path("vacancies/import/", views.vacancies_import, name="vacancies_import"),
    path("vacancies/<int:pk>/close/", views.vacancy_close, name="vacancy_close"),
    path("rates/", views.rates, name="rates"),
]
