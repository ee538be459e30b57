"""The catalogue's rules: the textbook forms are trainlab's rules, and every cause shows."""

import pytest

from trainlab.check import scenarios as sc
from trainlab.check.catalogue import causes
from trainlab.check.compare import first_departure
from trainlab.check.recognise import NAMED, trainlab_defaults
from trainlab.check.replay import replay
from trainlab.check.textbook import RULES as TEXTBOOK_RULES
from trainlab.check.textbook import Textbook
from trainlab.errors import ConfigError
from trainlab.optim import create


def reference(rule, hp):
    return lambda lr=None: create(rule, **({**hp, "lr": lr} if lr is not None else hp))


def scenarios_for(rule, hp, network=False):
    make = reference(rule, hp)
    out = [sc.bowl(make(), None), sc.arrays(make()), sc.order(make()), sc.lr_change(make())]
    return out + [sc.network(make())] * network


@pytest.mark.parametrize("rule", TEXTBOOK_RULES)
def test_textbook_form_without_a_fault_is_trainlabs_rule(rule):
    hp = {"lr": trainlab_defaults(rule)["lr"]}
    for s in scenarios_for(rule, hp, network=True):
        out = replay(lambda lr=None: Textbook(rule, (), lr=lr or hp["lr"]), s)
        assert first_departure(s, out) is None, (rule, s.name, first_departure(s, out))


#: options under which a rule has causes that its defaults leave out
WITH_OPTIONS = [
    ("lion", {"weight_decay": 0.1}),
    ("ademamix", {"t_alpha_beta3": 100.0}),
    ("schedulefreesgd", {"warmup_steps": 20}),
    ("schedulefreeadamw", {"warmup_steps": 20}),
]
#: rules with a cause that only the network shows: Adafactor's eps1 and eps2 matter only
#: where a row of the gradient is always 0 (blank pixels) or a weight starts at 0 (a bias)
SEEN_ON_THE_NETWORK = ("adafactor",)


@pytest.mark.parametrize("rule, options", [(rule, {}) for rule in sorted(NAMED)] + WITH_OPTIONS)
def test_every_cause_gives_numbers_of_its_own(rule, options):
    """A cause that gave trainlab's numbers everywhere could never be diagnosed."""
    hp = {"lr": trainlab_defaults(rule)["lr"], **options}
    found = causes(rule, hp)
    assert len({c.id for c in found}) == len(found)
    runs = scenarios_for(rule, hp, network=rule in SEEN_ON_THE_NETWORK)
    for cause in found:
        departs = [first_departure(s, replay(cause.build, s)) for s in runs]
        assert any(d is not None for d in departs), (rule, cause.id)
        if cause.kind == "convention":  # the same while lr is constant
            assert all(
                d is None for d, s in zip(departs, runs, strict=False) if not s.explains_only
            ), cause.id


def test_catalogue_covers_the_issue_list():
    ids = {rule: {c.id for c in causes(rule, {"lr": 0.01})} for rule in NAMED}
    assert {
        "sign",
        "lr-missing",
        "lr-squared",
        "replaces",
        "writes-grads",
        "paired-by-position",
    } <= ids["sgd"]
    assert {"reset", "state-by-position", "shared-state", "no-change"} <= ids["momentum"]
    assert {
        "reset",
        "reset:m,v",
        "reset:t",
        "t+1",
        "t-1",
        "no-bias-correction",
        "eps-inside",
        "eps-torch",
        "square",
        "no-root",
    } <= ids["adam"]
    assert {"reset", "eps-inside", "square"} <= ids["adagrad"]
    assert {"nesterov2016", "torch-convention"} <= ids["nesterov"]
    assert "torch-convention" in ids["momentum"]


def test_catalogue_covers_the_rules_after_the_notes_and_their_mistakes():
    def ids(rule, **options):
        return {c.id for c in causes(rule, {"lr": 0.01, **options})}

    for rule in ("adagrad", "rmsprop", "adadelta", "adam", "adamw", "nadam", "radam"):
        assert {"seeded", "no-eps"} <= ids(rule), rule
    assert {"seeded", "lion-m-first", "lion-sign-of-m", "lion-betas-swapped"} <= ids("lion")
    assert {"lion-coupled-decay", "lion-decay-without-lr"} <= ids("lion", weight_decay=0.1)
    assert "lion-coupled-decay" not in ids("lion")
    assert {"no-eps", "adopt-adam-order", "adopt-current-v"} <= ids("adopt")
    assert {"seeded", "no-eps"} <= ids("ademamix")
    assert "ademamix-no-warmup" in ids("ademamix", t_alpha_beta3=100.0) - ids("ademamix")
    assert {"seeded", "no-eps", "lamb-no-trust-ratio", "lamb-paper-form"} <= ids("lamb")
    assert "schedule-free-at-z" in ids("schedulefreesgd")
    assert {"seeded", "no-eps", "adamax-eps-outside"} <= ids("adamax")
    assert {"adafactor-no-clipping", "adafactor-not-factored"} <= ids("adafactor")
    assert "rprop-no-standstill" in ids("rprop") and "lr-read-once" not in ids("rprop")
    assert "no-eps" not in ids("lion")


def test_catalogue_covers_soap_and_the_mistakes_of_every_newer_rule():
    def ids(rule, **options):
        return {c.id for c in causes(rule, {"lr": 0.01, **options})}

    assert {"soap-not-projected-back", "soap-v-unrotated", "soap-never-refreshed"} <= ids("soap")
    assert {"prodigy-w0-follows", "prodigy-d-latest"} <= ids("prodigy")
    assert "asgd-eta-constant" in ids("asgd") and "reset" not in ids("asgd")
    assert "schedule-free-adamw-at-z" in ids("schedulefreeadamw")
    for rule in ("schedulefreesgd", "schedulefreeadamw"):
        warm = ids(rule, warmup_steps=20) - ids(rule)
        assert "schedule-free-uniform-average" in warm, rule
    assert "lamb-no-eps" in ids("lamb")
    assert "no-decay" in ids("soap") and "no-decay" in ids("adamw")
    assert "no-decay" not in ids("adam") and "no-decay" in ids("lion", weight_decay=0.1)


def test_a_seeded_state_is_checked_wherever_a_seed_can_show():
    def ids(rule):
        return {c.id for c in causes(rule, {"lr": 0.01})}

    for rule in ("momentum", "nesterov", "rprop", "schedulefreeadamw", "prodigy", "adopt"):
        assert "seeded" in ids(rule), rule
    # ASGD's average never enters its step; Adafactor's first step overwrites its
    # moments; SOAP's first step only sets its basis up: a seed cannot show
    for rule in ("asgd", "adafactor", "soap", "sgd"):
        assert "seeded" not in ids(rule), rule


def test_catalogue_covers_muon_amsgrad_swats_and_their_state():
    def ids(rule, **options):
        return {c.id for c in causes(rule, {"lr": 0.01, **options})}

    muon = {"not-normalised", "not-scaled", "plain-momentum", "orthogonalised-gradient"}
    assert {f"muon-{mistake}" for mistake in muon} | {"muon-original-scale"} <= ids("muon")
    assert "muon-plain-momentum" not in ids("muon", nesterov=False)
    for rule in ("amsgrad", "swats", "muon"):
        assert {"reset", "seeded", "shared-state", "state-by-position"} <= ids(rule), rule


def test_every_rule_with_an_eps_has_its_missing_eps_named():
    """A rule's eps (Adafactor's eps1 and eps2) left out is a cause wherever it has one."""
    for rule in NAMED:
        found = {c.id for c in causes(rule, {"lr": 0.01})}
        for eps in (n for n in trainlab_defaults(rule) if n.removeprefix("eps") in ("", "1", "2")):
            assert {"no-eps", f"{rule}-no-{eps}"} & found, (rule, eps)
    assert {"adafactor-no-eps1", "adafactor-no-eps2"} <= {
        c.id for c in causes("adafactor", {"lr": 0.01})
    }


def test_the_faulty_variants_leave_the_public_rules_as_strict_as_they_were():
    """The checker builds eps = 0 on a built rule; the options still refuse it."""
    for rule in ("adagrad", "adam", "adopt", "lamb"):
        with pytest.raises(ConfigError):
            create(rule, eps=0.0)
