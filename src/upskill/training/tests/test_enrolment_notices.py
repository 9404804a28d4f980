"""GA23-PUB-1: training and enrolment notices are published — a public page, read without an
account, lists the approved classes that still have places, with what a person needs to
enrol (occupation, organiser, township, venue, dates, open places, contact)."""

from __future__ import annotations

from django.urls import reverse


def _rows(html: str) -> str:
    start = html.index('data-testid="notices"')
    return html[start : html.index("</table>", start)]


def test_ga23_pub_1_the_public_page_lists_approved_classes_with_open_places(
    client, make_class, enrol
):
    open_class = make_class(status="approved", places=5)
    enrol(open_class, 2)
    full = make_class(status="approved", entry="domestic", places=1)
    enrol(full, 1)
    make_class(status="submitted", entry="electrician")  # not approved: not published
    response = client.get(reverse("training:notices"))  # no log-in
    assert response.status_code == 200
    rows = _rows(response.content.decode())
    assert open_class.name in rows and full.name not in rows
    assert "电工培训班" not in rows
    assert open_class.venue in rows and open_class.organisation.name in rows
    assert "2023-05-08 – 2023-05-19" in rows
    assert "<td>3</td>" in rows  # 5 places, 2 enrolled


def test_ga23_pub_1_a_class_leaves_the_notices_when_it_starts_or_fills(client, make_class, enrol):
    running = make_class(status="running")
    filling = make_class(status="approved", entry="domestic", places=2)
    rows = _rows(client.get(reverse("training:notices")).content.decode())
    assert filling.name in rows and running.name not in rows
    enrol(filling, 2)
    rows = _rows(client.get(reverse("training:notices")).content.decode())
    assert filling.name not in rows
    assert '<td colspan="8">' in rows  # "no class is open for enrolment"
