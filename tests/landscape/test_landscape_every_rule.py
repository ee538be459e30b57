"""Every rule in RULES races on every function with a learning rate that moves it."""

import math

import numpy as np
import pytest

from trainlab.landscape import FUNCTIONS, get_function
from trainlab.landscape.base import lr_for
from trainlab.landscape.lab import race
from trainlab.optim import RULES

NAMES = [name for name in FUNCTIONS if name != "notes"]


@pytest.mark.parametrize("name", NAMES)
def test_every_rule_leaves_the_start_and_stays_finite(name):
    f = get_function(name)
    r = race(f, list(RULES), newton=False)
    width, start = f.window[0][1] - f.window[0][0], f.value(*f.start)
    for rule, (t, lr) in r.rules.items():
        own = rule in ("adadelta", "prodigy")  # their lr is a factor on a step they find
        assert r.source[rule] == ("rule default" if own else "default"), rule
        assert own or lr == lr_for(f, rule)
        assert not t.diverged and math.isfinite(t.mean_value), (rule, lr)
        moved = float(np.hypot(*(t.points[t.last] - np.asarray(f.start))))
        assert t.values[t.last] < start or moved > 0.02 * width, (rule, lr, moved)
