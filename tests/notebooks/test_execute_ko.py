"""Every Korean notebook, top to bottom, as a learner runs it: every check cell passes
and every figure it draws is shown, every label with its glyphs. (One file per
language: the two languages run on the two test workers side by side.)"""

from __future__ import annotations

import pytest
from nb_testkit import notebook_paths, run_and_check


@pytest.mark.parametrize("path", notebook_paths("ko"), ids=lambda p: p.stem)
def test_korean_notebook_runs_and_its_check_passes(path, tmp_path):
    run_and_check(path, tmp_path)
