from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("classes/", views.class_list, name="class_list"),
    path("classes/<int:pk>/", views.class_page, name="class_page"),
    path("classes/<int:pk>/compliance/", views.compliance, name="compliance"),
    path("classes/<int:pk>/evidence/", views.evidence_fragment, name="evidence_fragment"),
    path("classes/<int:pk>/inspections/", views.inspection_record, name="inspection_record"),
    path("classes/<int:pk>/uploads/", views.upload_start, name="upload_start"),
    path("uploads/<uuid:pk>/finish/", views.upload_finish, name="upload_finish"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("screenshots/<int:pk>/file", views.screenshot_file, name="screenshot_file"),
    path("evidence/<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("evidence/<int:pk>/file", views.evidence_file, name="evidence_file"),
    path("signals/", views.signal_list, name="signal_list"),
    path("signals/scan/", views.signal_scan, name="signal_scan"),
    path("signals/<int:pk>/", views.signal_detail, name="signal_detail"),
    path("signals/<int:pk>/review/", views.signal_review, name="signal_review"),
    path("signals/<int:pk>/blacklist/", views.signal_blacklist, name="signal_blacklist"),
    path("spot-checks/", views.spot_check_list, name="spot_check_list"),
    path("spot-checks/<int:pk>/", views.spot_check_detail, name="spot_check_detail"),
    path("spot-checks/<int:pk>/close/", views.spot_check_close, name="spot_check_close"),
    path("spot-check-items/<int:pk>/", views.spot_check_item, name="spot_check_item"),
    path("organisations/<int:pk>/", views.institution, name="institution"),
    path("sanctions/<int:pk>/", views.sanction_detail, name="sanction_detail"),
    # public, no account (GA23-SPT-1: public criticism)
    path("public/criticisms/", views.public_criticisms, name="public_criticisms"),
]
