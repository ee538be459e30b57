"""The quadratic's rate lab: the map's colours follow the stability edge written
here, and a click on a cell draws that pair's path."""

import numpy as np
import pytest

from trainlab.notebooks import RateLab
from trainlab.notebooks.rate_lab import DIVERGES


@pytest.fixture(scope="module")
def lab():
    return RateLab("bowl", "momentum", lang="ko", columns=8, rows=5)


def test_the_lab_starts_at_the_best_pair(lab):
    kappa = 20.0
    a = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2  # Polyak's heavy ball
    assert lab.momentum.value == pytest.approx(a, abs=0.01)  # the slider's step
    assert lab.lr.value == pytest.approx(4 / (np.sqrt(2) + np.sqrt(0.1)) ** 2, rel=1e-2)
    assert lab.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_maps_red_cells_are_the_unstable_pairs(lab):
    for m, row in zip(lab.momenta, lab.cells, strict=True):
        for lr, cell in zip(lab.lrs, row, strict=True):
            unstable = lr * 2.0 >= 2 * (1 + m) * (1 - 1e-9)  # ηL ≥ 2(1 + α): rate ≥ 1
            assert (cell.style.button_color == DIVERGES) == unstable


def test_a_click_on_a_cell_draws_that_pairs_path(lab):
    png = lab.image.value
    lab.cells[2][3].click()
    assert (lab.lr.value, lab.momentum.value) == pytest.approx((lab.lrs[3], lab.momenta[2]))
    assert lab.image.value != png
    c = lab.contraction
    assert c.trace.points[1] == pytest.approx((-7 - lab.lrs[3] * -0.7, 2 - lab.lrs[3] * 4))
    lab.cells[4][7].click()  # the top right: momentum 0.95 at its own edge of stability
    assert lab.contraction.predicted.max() == pytest.approx(1.0, abs=1e-6)


def test_gradient_descent_has_one_row():
    lab = RateLab("quadratic:kappa=10,angle=30", "sgd", lang="en", columns=6)
    assert len(lab.cells) == 1 and lab.momentum.disabled
    lab.lr.value = 0.5
    assert lab.contraction.predicted == pytest.approx(np.abs(1 - 0.5 * np.array([0.1, 1.0])))
