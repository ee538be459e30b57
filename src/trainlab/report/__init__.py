"""The report: one self-contained HTML page from saved run folders."""

from trainlab.report.html import build, find_runs

__all__ = ["build", "find_runs"]
