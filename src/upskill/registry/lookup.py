"""Finding registered persons by resident ID number.

Every exact look-up goes through the keyed hash of the number (core/crypto.py): the number
itself is stored encrypted and never searched. A roster (the registry's own, a class roster,
an enterprise's contract list) hashes all its numbers first and fetches the registered persons
in bulk with :func:`persons_by_id_number_hash`, one query per 2,000 numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from upskill.core import crypto

from .identity import normalise_digits
from .models import Person

ID_PURPOSE = "person.id_number"

# Hashes per query: well under SQLite's and PostgreSQL's limits on bound parameters.
_CHUNK = 2000


def id_number_hash(number: str) -> str:
    """The keyed lookup hash of a resident ID number (full-width digits and spaces allowed)."""
    return crypto.lookup_hash(normalise_digits(number), purpose=ID_PURPOSE)


def persons_by_id_number_hash(
    digests: Iterable[str], *, only: Sequence[str] | None = None
) -> dict[str, Person]:
    """The registered persons among ``digests`` (made by :func:`id_number_hash`), keyed by the
    hash. ``only``: the fields to load (the hash is always loaded); by default every field but
    the encrypted number, since a roster has the number already and nothing need be
    decrypted. Not scoped: the caller holds the full numbers and checks the permission."""
    wanted = list(dict.fromkeys(digests))
    persons: dict[str, Person] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = Person.objects.filter(id_number_hash__in=wanted[start : start + _CHUNK])
        if only is not None:
            query = query.only("id_number_hash", *only)
        else:
            query = query.defer("id_number")
        persons.update((person.id_number_hash, person) for person in query)
    return persons
