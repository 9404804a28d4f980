"""Permission codenames of the employment app (granted to roles in ``organisations/roles.py``)."""

VIEW_REFERRAL = "employment.view_referral"
CHANGE_REFERRAL = "employment.change_referral"
ADD_FOLLOW_UP = "employment.add_followup"
VIEW_VACANCY = "employment.view_vacancy"
ADD_VACANCY = "employment.add_vacancy"
CHANGE_VACANCY = "employment.change_vacancy"
