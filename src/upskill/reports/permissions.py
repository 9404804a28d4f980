"""Permission codenames of the reports app (granted to roles in ``organisations/roles.py``)."""

VIEW_TARGET = "reports.view_target"
ADD_TARGET = "reports.add_target"
SPLIT_TARGET = "reports.split_target"
VIEW_DASHBOARD = "reports.view_dashboard"
VIEW_UPWARD = "reports.view_upwardreport"
ADD_UPWARD = "reports.add_upwardreport"
