"""The project carries its own documents (docs/): no tracked file points at material outside the
repository, and every relative link between the documents resolves."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
# Built from parts so that this file does not name them itself.
FORBIDDEN = [
    "shared" + "/spec",
    "shared" + "/seeds",
    "../" + "shared",
    "/work" + "/",
    *(name + ".md" for name in ("ROLES", "EVALUATE", "POLICY", "ARCHITECTURE", "ROADMAP")),
]
DOCUMENTS = ["policy.md", "calculator.md", "roles.md", "architecture.md", "howto.md"]


SKIP = {".git", ".venv", ".tools", "var", "__pycache__", ".ruff_cache", ".hypothesis"}


def _tracked_files() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        # an exported tree without git: every file outside tool and cache directories
        return [
            p for p in ROOT.rglob("*") if p.is_file() and not SKIP & set(p.relative_to(ROOT).parts)
        ]
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [ROOT / name for name in listed.split("\0") if name]


def test_no_tracked_file_points_outside_the_repository():
    found = []
    for path in _tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue  # binary (compiled catalogue, images) or deleted in the work tree
        for needle in FORBIDDEN:
            if needle in text:
                found.append(f"{path.relative_to(ROOT)}: {needle}")
    assert found == []


def test_the_documents_exist_and_their_links_resolve():
    docs = ROOT / "docs"
    for name in DOCUMENTS:
        assert (docs / name).is_file(), name
    for page in docs.glob("*.md"):
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.name}: {target}"
