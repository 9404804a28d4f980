"""What bench/replica.sh checks once both clusters run: the standby has replayed the primary's
writes, a page marked for replica reads runs its queries on the standby, every other read and
every write stays on the primary."""

from __future__ import annotations

import os
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upskill.settings")
    import django

    django.setup()
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from upskill.core.routers import REPLICA, replica_reads
    from upskill.registry.models import Person

    primary, replica = connections["default"], connections[REPLICA]
    with primary.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    start = time.perf_counter()
    with replica.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s", [target])
            in_recovery, caught_up = cursor.fetchone()
            if caught_up:
                break
            time.sleep(0.05)
    assert in_recovery, "the replica alias must be the standby"
    print(f"standby replayed the primary's writes {time.perf_counter() - start:.2f} s after")

    with replica_reads():
        assert Person.objects.all().db == REPLICA
        on_replica = Person.objects.count()
    assert Person.objects.all().db == "default"
    print(f"persons read on the standby inside replica_reads(): {on_replica}")

    client = Client()
    client.get("/subsidies/disclosure/")  # the first request loads templates and catalogues
    with CaptureQueriesContext(replica) as on_standby, CaptureQueriesContext(primary) as on_main:
        started = time.perf_counter()
        response = client.get("/subsidies/disclosure/")
        took = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    assert len(on_standby) > 0, "the disclosure page did not read from the standby"
    print(
        f"public disclosure page: {len(on_standby)} queries on the standby, "
        f"{len(on_main)} on the primary, {took:.0f} ms"
    )
    try:
        with replica.cursor() as cursor:
            cursor.execute("CREATE TABLE refused (id int)")
    except Exception as exc:
        print(f"a write sent to the standby is refused: {type(exc).__name__}")
    else:
        raise AssertionError("the standby accepted a write")


if __name__ == "__main__":
    main()
