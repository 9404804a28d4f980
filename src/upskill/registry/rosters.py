"""What every roster of persons shares: the header wordings offices use for a person's
columns (the roster vocabulary's defaults), how a name, a phone, a township and a household
registration are read. The registry's roster and the training app's class roster are built
from these (training depends on the registry, never the reverse)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from upskill.core.imports import Column
from upskill.organisations.models import Region, RegionLevel

from .identity import normalise_digits
from .vocabulary import DEFAULT_HEADERS, Vocabulary, vocabulary

# The default wordings (registry/vocabulary.py); imports read the vocabulary, which holds these
# and the wordings a county added.
NAME_HEADERS = DEFAULT_HEADERS["name"]
ID_NUMBER_HEADERS = DEFAULT_HEADERS["id_number"]
PHONE_HEADERS = DEFAULT_HEADERS["phone"]
TOWNSHIP_HEADERS = DEFAULT_HEADERS["township"]
HUKOU_HEADERS = DEFAULT_HEADERS["hukou"]
CATEGORY_HEADERS = DEFAULT_HEADERS["category"]


def person_columns(*, township_required: bool, words: Vocabulary | None = None) -> list[Column]:
    """The columns of a person on any roster: name and ID number (required), phone, township
    (required where the importer's own township is not meant) and household registration,
    with the headings of the roster vocabulary ``words`` (the general one if None)."""
    words = words or vocabulary()
    return [
        Column("name", words.headers("name"), pgettext_lazy("person", "Name")),
        Column("id_number", words.headers("id_number"), gettext_lazy("ID number")),
        Column("phone", words.headers("phone"), gettext_lazy("Phone"), required=False),
        Column(
            "township",
            words.headers("township"),
            gettext_lazy("Township"),
            required=township_required,
        ),
        Column(
            "hukou",
            words.headers("hukou"),
            gettext_lazy("Household registration"),
            required=False,
        ),
    ]


NAME_MAX_LENGTH = 64


def person_name(value: str) -> str:
    """Spaces collapsed; a Chinese name loses the spaces that align two-character names in a
    roster (张  伟 is 张伟)."""
    name = " ".join(str(value or "").split())
    if name and not re.search(r"[A-Za-z]", name):
        name = name.replace(" ", "")
    return name


def check_person_name(value: str) -> str:
    """The name as :func:`person_name` reads it; ValueError says what is wrong with it."""
    name = person_name(value)
    if not name:
        raise ValueError(_("The name is required."))
    if len(name) > NAME_MAX_LENGTH:
        raise ValueError(_("The name is longer than 64 characters."))
    return name


def check_phone(value: str) -> str:
    """The phone number's digits ("" for none); ValueError unless it has 7 to 15 digits."""
    phone = normalise_digits(value)
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
        raise ValueError(_("A phone number has 7 to 15 digits."))
    return phone


def roster_words(value: str) -> str:
    """A cell's words compared without spaces, quotes or case."""
    return "".join(ch for ch in value if ch not in " “”\"'‘’「」").casefold()


def township_index(prefix: str | None) -> dict[str, Region | None]:
    """The townships whose code starts with ``prefix`` (all for None) by every key a roster
    names them with, compared as :func:`roster_words`: the code, the name, the name without
    镇/乡, the county's name before it. A key two townships share maps to None (ambiguous)."""
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("parent")
    if prefix:
        townships = townships.filter(code__startswith=prefix)
    index: dict[str, Region | None] = {}
    for township in townships:
        for key in {
            township.code,
            roster_words(township.name),
            roster_words(township.name.rstrip("镇乡")),
            roster_words(township.parent.name + township.name),
        }:
            # a short name two townships share would be ambiguous: keep neither
            index[key] = None if key in index else township
    return index


def hukou_from_words(value: str, words: Vocabulary | None = None) -> str | None:
    """The household registration a roster cell names (农业, 非农业, 城镇户口 …), or None, as
    the roster vocabulary ``words`` reads it (the general one if None)."""
    return (words or vocabulary()).hukou(value or "")
