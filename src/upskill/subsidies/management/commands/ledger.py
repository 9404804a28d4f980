"""``upskill ledger …``: the fund ledger's chain and its signed checkpoints (HB45-PUB-1).

* ``verify`` — the whole chain: order, links, content hashes, the MAC of every keyed entry (needs
  the ledger keys), and every checkpoint file (signature, the entry it signed, the count). Exits 1
  naming what it found. ``--from-checkpoint``: only from the newest good checkpoint (what the
  auditor's page shows).
* ``checkpoint`` — verify from the newest checkpoint, then sign and write a new one.
* ``public-key`` — the public half of the signing key, for the auditors.
* ``verify-checkpoints --public-key KEY`` — what an auditor checks with the public key alone:
  the checkpoint signatures, the plain hash chain, and that every signed entry and count is
  still there (no MAC: no secret key needed).
"""

from __future__ import annotations

import base64

from django.core.management.base import BaseCommand, CommandError

from upskill.core.scoping import SYSTEM
from upskill.subsidies import anchor, ledger
from upskill.subsidies.models import CheckpointReason


class Command(BaseCommand):
    help = "Verify, checkpoint and anchor the fund ledger's chain (HB45-PUB-1)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "action", choices=["verify", "checkpoint", "public-key", "verify-checkpoints"]
        )
        parser.add_argument(
            "--from-checkpoint",
            action="store_true",
            help="verify: walk only from the newest good checkpoint.",
        )
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            help="verify-checkpoints: a trusted public key (base64 or a PEM file); repeat for "
            "earlier keys.",
        )
        parser.add_argument(
            "--pem", action="store_true", help="public-key: print it as PEM instead of base64."
        )

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "public-key":
            if options["pem"]:
                self.stdout.write(anchor.public_key_pem().rstrip())
            else:
                key = anchor.public_key_b64()
                self.stdout.write(key)
                self.stderr.write(f"fingerprint {anchor.fingerprint(base64.b64decode(key))}")
            return
        if action == "checkpoint":
            try:
                made = ledger.checkpoint(actor=SYSTEM, reason=CheckpointReason.MANUAL)
            except ledger.ChainBroken as exc:
                self._broken(exc.verification)
            self.stdout.write(
                f"checkpoint {made.name}: entry {made.seq}, {made.count} entries, "
                f"signed by {made.signer} (HB45-PUB-1)"
            )
            return
        if action == "verify-checkpoints":
            if not options["public_key"]:
                raise CommandError("give the auditors' public key: --public-key KEY")
            keys = {}
            for value in options["public_key"]:
                if not value.strip().startswith("-----BEGIN") and value.endswith(".pem"):
                    with open(value) as handle:
                        value = handle.read()
                key = anchor.load_public_key(value)
                keys[anchor.fingerprint(anchor.public_key_bytes(key))] = key
            result = ledger.verify(public_keys=keys, use_mac=False)
            if not result.ok:
                self._broken(result)
            self.stdout.write(
                f"ledger OK with the public key: {result.count} entries, hash chain intact, "
                f"{result.checkpoints} signed checkpoints match the ledger (HB45-PUB-1)"
            )
            return
        result = ledger.verify_recent() if options["from_checkpoint"] else ledger.verify()
        if not result.ok:
            self._broken(result)
        self.stdout.write(
            f"ledger OK: {result.count} entries, hash chain intact from entry {result.from_seq}, "
            f"{result.macs} MACs verified, {result.checkpoints} signed checkpoints match "
            "(HB45-PUB-1)"
        )

    def _broken(self, result) -> None:
        where = f" at entry {result.broken_seq}" if result.broken_seq else ""
        self.stderr.write(f"ledger BROKEN{where} (HB45-PUB-1):")
        for problem in result.problems:
            self.stderr.write(f"  - {problem}")
        raise SystemExit(1)
