from django.core.management import call_command
from django.core.management.base import BaseCommand

from upskill.core.jobs import start_worker_thread
from upskill.demo.seed import DEMO_PASSWORD, learner_logins, organisations, seed


class Command(BaseCommand):
    help = "Migrate, load the Gong'an 2023 / Wuhan demo, print the log-ins and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="set up only, do not serve")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address:port to serve on")

    def handle(self, *args, no_serve: bool = False, addr: str = "127.0.0.1:8000", **options):
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write("Loading the demo (Gong'an County 2023, Wuhan enterprise federation)…")
        logins = seed()
        self.stdout.write(self.style.SUCCESS(f"\nDemo log-ins (password for all: {DEMO_PASSWORD})"))
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.username.ljust(width)}  {login.organisation} · {login.role}"
            )
        learners = learner_logins(organisations())
        if learners:
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nLearners (/me/login/: ID number and {DEMO_PASSWORD}, on a phone too)"
                )
            )
            for learner in learners:
                self.stdout.write(f"  {learner.id_number}  {learner.name} · {learner.enterprise}")
        if no_serve:
            return
        # Background jobs (imports…) run in this process: the demo needs no other server.
        stop_worker = start_worker_thread()
        self.stdout.write(self.style.SUCCESS(f"\nServing http://{addr}/  (Ctrl-C stops)"))
        try:
            call_command("runserver", addr, use_reloader=False)
        finally:
            stop_worker()
