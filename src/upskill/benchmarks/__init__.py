"""The benchmarks behind ``upskill bench import`` and ``upskill bench roster`` (``upskill bench
policy`` is the policy engine's own, ``upskill.policy.bench``). Not tests: each builds a fresh
SQLite database, borrows the demo's organisations and people, and times one import.

They sit on the top layer with ``demo`` (docs/architecture.md): they import the demo and the
apps, nothing imports them but the ``upskill`` command."""
