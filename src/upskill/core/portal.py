"""The public portal: every service a member of the public uses without logging in, linked from
the home page. Named by URL, so core imports no app; a service whose app is not installed is
left out."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PublicService:
    key: str
    title: str
    text: str
    url_name: str


PUBLIC_SERVICES = (
    PublicService(
        "catalogues",
        _("Training catalogues"),
        _("The occupations, projects and designated institutions of each year's catalogue."),
        "catalog:catalog_list",
    ),
    PublicService(
        "enrolment",
        _("Enrolment notices"),
        _("Classes with open places, their dates, venue and the organiser's contact telephone."),
        "training:notices",
    ),
    PublicService(
        "verify",
        _("Certificate verification"),
        _("Check a certificate by its number and verification code."),
        "assessment:verify",
    ),
    PublicService(
        "notices",
        _("Public notices of subsidies"),
        _("Who is to receive which subsidy, during the notice period; lodge an objection there."),
        "subsidies:notice_list",
    ),
    PublicService(
        "disclosure",
        _("Fund use"),
        _("How the subsidy funds were used, by year, program and county."),
        "subsidies:disclosure",
    ),
    PublicService(
        "criticisms",
        _("Public criticisms"),
        _("Training organisations criticised or blacklisted after an inspection."),
        "supervision:public_criticisms",
    ),
)


def public_services() -> list[dict]:
    services = []
    for service in PUBLIC_SERVICES:
        try:
            url = reverse(service.url_name)
        except NoReverseMatch:
            continue
        services.append(
            {"key": service.key, "title": service.title, "text": service.text, "url": url}
        )
    return services
