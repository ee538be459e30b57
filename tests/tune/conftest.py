"""Fixtures of the search tests: a throwaway PostgreSQL server on 127.0.0.1."""

from __future__ import annotations

import subprocess
import tempfile

import pytest
from tune_testkit import ROOT

SCRIPT = ROOT / "scripts" / "test-postgres.sh"


@pytest.fixture(scope="session")
def postgres_url():
    """Start a test cluster with ``scripts/test-postgres.sh`` (PostgreSQL itself comes
    from ``scripts/system-deps.sh``); yield its URL; stop and delete it afterwards."""
    folder = tempfile.mkdtemp(prefix="trainlab-pg-", dir="/tmp")  # reachable by user postgres
    try:
        proc = subprocess.run(
            ["bash", str(SCRIPT), "start", folder], text=True, capture_output=True, timeout=900
        )
        assert proc.returncode == 0, proc.stderr
        url = proc.stdout.strip().splitlines()[-1]
        assert url.startswith("postgresql://") and "@127.0.0.1:" in url
        yield url
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", folder], capture_output=True, timeout=120)
