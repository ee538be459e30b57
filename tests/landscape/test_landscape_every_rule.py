"""Every rule in RULES races on every function with a learning rate that moves it."""

import math

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
    start = f.value(*f.start)
    for rule, (t, lr) in r.rules.items():
        assert r.source[rule] == ("rule default" if rule == "adadelta" else "default"), rule
        assert lr == lr_for(f, rule) or rule == "adadelta"
        assert not t.diverged and math.isfinite(t.mean_value), (rule, lr)
        assert t.values[t.last] < start, (rule, lr, t.values[t.last], start)
