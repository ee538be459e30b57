"""Every learner-style fixture gets its verdict, and every faulty one the right cause."""

import pytest
from fixture_rules import fixture_class

from trainlab.check.engine import check_class
from trainlab.check.recognise import rule_from_name

# fixture file, verdict, diagnosis id (None: no cause named), rule it is checked as
TABLE = [
    # correct, in the book's form
    ("book_sgd", "pass", None, "sgd"),
    ("book_momentum", "pass", None, "momentum"),
    ("book_nesterov", "pass", None, "nesterov"),
    ("book_adagrad", "pass", None, "adagrad"),
    ("book_rmsprop", "pass", None, "rmsprop"),
    ("book_adam", "pass", None, "adam"),
    # correct, in other forms and conventions
    ("adam_beta_form", "pass", None, "adam"),
    ("sgd_learning_rate_name", "pass", None, "sgd"),
    ("rmsprop_other_default", "pass", None, "rmsprop"),
    ("mystery_rule", "pass", None, "adagrad"),
    ("adamw_torch_form", "pass", None, "adamw"),
    ("sgd_nesterov_torch", "pass", None, "sgd"),
    ("adadelta_paper", "pass", None, "adadelta"),
    # correct, the rules after the notes
    ("lion", "pass", None, "lion"),
    ("adopt", "pass", None, "adopt"),
    ("ademamix", "pass", None, "ademamix"),
    ("lamb", "pass", None, "lamb"),
    ("mystery_lion", "pass", None, "lion"),
    ("schedule_free_sgd", "pass", None, "schedulefreesgd"),
    ("schedule_free_adamw", "pass", None, "schedulefreeadamw"),
    ("adamax", "pass", None, "adamax"),
    ("rprop", "pass", None, "rprop"),
    ("prodigy", "pass", None, "prodigy"),
    ("asgd", "pass", None, "asgd"),
    ("adafactor", "pass", None, "adafactor"),
    ("soap", "pass", None, "soap"),
    ("schedule_free_adamw_warmup", "pass", None, "schedulefreeadamw"),
    ("muon", "pass", None, "muon"),
    ("amsgrad", "pass", None, "amsgrad"),
    ("swats", "pass", None, "swats"),
    ("muon_original_scale", "pass with a note", "muon-original-scale", "muon"),
    ("adamax_eps_outside", "pass with a note", "adamax-eps-outside", "adamax"),
    ("lamb_paper_form", "pass with a note", "lamb-paper-form", "lamb"),
    ("lion_decay_without_lr", "pass with a note", "lion-decay-without-lr", "lion"),
    ("momentum_torch_convention", "another convention", "torch-convention", "momentum"),
    ("nesterov_torch_convention", "another convention", "torch-convention", "nesterov"),
    ("sgd_lr_read_once", "another convention", "lr-read-once", "sgd"),
    ("adam_eps_inside", "pass with a note", "eps-inside", "adam"),
    ("adagrad_eps_inside", "pass with a note", "eps-inside", "adagrad"),
    ("adam_paper_form", "pass with a note", "eps-torch", "adam"),
    ("adagrad_hardcoded_eps", "pass with a note", "eps=1e-08", "adagrad"),
    # the lecture's code (notes 003)
    ("lecture_rmsprop", "pass with a note", "eps-inside", "rmsprop"),
    ("lecture_adam_warm_start", "pass with a note", "lecture-warm-start", "adam"),
    ("lecture_adam", "departs", "lecture-adam", "adam"),
    ("lecture_adagrad", "departs", "lecture-adagrad", "adagrad"),
    # one per mistake in the catalogue
    ("reset_adagrad", "departs", "reset", "adagrad"),
    ("reset_momentum", "departs", "reset", "momentum"),
    ("reset_adam_all", "departs", "reset", "adam"),
    ("reset_adam_iter", "departs", "reset:t", "adam"),
    ("nesterov_2016", "departs", "nesterov2016", "nesterov"),
    ("adam_no_bias_correction", "departs", "no-bias-correction", "adam"),
    ("adam_iter_off_by_one", "departs", "t+1", "adam"),
    ("sgd_sign", "departs", "sign", "sgd"),
    ("sgd_no_lr", "departs", "lr-missing", "sgd"),
    ("momentum_lr_twice", "departs", "lr-squared", "momentum"),
    ("rmsprop_square", "departs", "square", "rmsprop"),
    ("sgd_writes_grads", "departs", "writes-grads", "sgd"),
    ("sgd_replaces", "departs", "replaces", "sgd"),
    ("sgd_zip", "departs", "paired-by-position", "sgd"),
    ("adagrad_by_position", "departs", "state-by-position", "adagrad"),
    ("adagrad_class_attribute", "departs", "shared-state", "adagrad"),
    ("adagrad_g_not_squared", "departs", "g-not-squared", "adagrad"),
    ("adam_iter_used_before_increment", "departs", "t-1", "adam"),
    ("sgd_rebinds_local", "departs", "no-change", "sgd"),
    ("sgd_returns_new_dict", "departs", "no-change", "sgd"),
    ("mystery_forgetful", "departs", "reset", "adagrad"),
    # a state seeded with the first gradient, and no eps, in rules old and new
    ("adagrad_seeded", "departs", "seeded", "adagrad"),
    ("rmsprop_seeded", "departs", "seeded", "rmsprop"),
    ("adam_seeded", "departs", "seeded", "adam"),
    ("lion_seeded", "departs", "seeded", "lion"),
    ("ademamix_seeded", "departs", "seeded", "ademamix"),
    ("adadelta_seeded", "departs", "seeded", "adadelta"),
    ("adamax_seeded", "departs", "seeded", "adamax"),
    ("momentum_seeded", "departs", "seeded", "momentum"),
    ("nesterov_seeded", "departs", "seeded", "nesterov"),
    ("rprop_seeded", "departs", "seeded", "rprop"),
    ("schedule_free_adamw_seeded", "departs", "seeded", "schedulefreeadamw"),
    ("prodigy_seeded", "departs", "seeded", "prodigy"),
    ("adopt_seeded", "departs", "seeded", "adopt"),
    ("amsgrad_seeded", "departs", "seeded", "amsgrad"),
    ("swats_seeded", "departs", "seeded", "swats"),
    ("muon_seeded", "departs", "seeded", "muon"),
    ("amsgrad_reset", "departs", "reset", "amsgrad"),
    ("amsgrad_by_position", "departs", "state-by-position", "amsgrad"),
    ("amsgrad_class_attribute", "departs", "shared-state", "amsgrad"),
    ("swats_class_attribute", "departs", "shared-state", "swats"),
    ("adadelta_no_eps", "departs", "no-eps", "adadelta"),
    ("adam_eps_zero", "departs", "no-eps", "adam"),
    ("rmsprop_no_eps", "departs", "no-eps", "rmsprop"),
    ("adam_no_eps", "departs", "no-eps", "adam"),
    ("adopt_no_eps", "departs", "no-eps", "adopt"),
    ("lamb_no_eps", "departs", "lamb-no-eps", "lamb"),
    ("adafactor_no_eps1", "departs", "adafactor-no-eps1", "adafactor"),
    ("adafactor_no_eps2", "departs", "adafactor-no-eps2", "adafactor"),
    # one per mistake of the rules after the notes
    ("lion_m_first", "departs", "lion-m-first", "lion"),
    ("lion_sign_of_m", "departs", "lion-sign-of-m", "lion"),
    ("lion_betas_swapped", "departs", "lion-betas-swapped", "lion"),
    ("lion_coupled_decay", "departs", "lion-coupled-decay", "lion"),
    ("adopt_adam_order", "departs", "adopt-adam-order", "adopt"),
    ("adopt_current_v", "departs", "adopt-current-v", "adopt"),
    ("ademamix_no_warmup", "departs", "ademamix-no-warmup", "ademamix"),
    ("lamb_no_trust_ratio", "departs", "lamb-no-trust-ratio", "lamb"),
    ("schedule_free_sgd_at_z", "departs", "schedule-free-at-z", "schedulefreesgd"),
    ("rprop_no_standstill", "departs", "rprop-no-standstill", "rprop"),
    ("adafactor_no_clipping", "departs", "adafactor-no-clipping", "adafactor"),
    ("adafactor_not_factored", "departs", "adafactor-not-factored", "adafactor"),
    ("soap_not_projected_back", "departs", "soap-not-projected-back", "soap"),
    ("soap_v_unrotated", "departs", "soap-v-unrotated", "soap"),
    ("soap_never_refreshed", "departs", "soap-never-refreshed", "soap"),
    ("soap_no_weight_decay", "departs", "no-decay", "soap"),
    ("prodigy_w0_follows", "departs", "prodigy-w0-follows", "prodigy"),
    ("prodigy_d_latest", "departs", "prodigy-d-latest", "prodigy"),
    ("asgd_eta_constant", "departs", "asgd-eta-constant", "asgd"),
    ("schedule_free_adamw_at_z", "departs", "schedule-free-adamw-at-z", "schedulefreeadamw"),
    ("muon_not_normalised", "departs", "muon-not-normalised", "muon"),
    ("muon_not_scaled", "departs", "muon-not-scaled", "muon"),
    ("muon_plain_momentum", "departs", "muon-plain-momentum", "muon"),
    ("muon_orthogonalised_gradient", "departs", "muon-orthogonalised-gradient", "muon"),
    (
        "schedule_free_adamw_uniform_average",
        "departs",
        "schedule-free-uniform-average",
        "schedulefreeadamw",
    ),
]


@pytest.mark.parametrize("name, verdict, cause, rule", TABLE, ids=[t[0] for t in TABLE])
def test_fixture_gets_its_verdict_and_cause(name, verdict, cause, rule):
    result = check_class(fixture_class(name), target=name)
    assert result.rule == rule
    assert result.verdict == verdict, str(result)
    assert (result.diagnosis.id if result.diagnosis else None) == cause, str(result)
    assert result.passed == (verdict != "departs")
    if verdict == "departs":
        assert result.departure is not None


def test_a_departure_names_step_parameter_element_and_both_values():
    result = check_class(fixture_class("reset_adagrad"))
    d = result.departure
    # step 1 of the bowl is the same with or without h kept: h starts empty anyway
    assert (d.scenario, d.step, d.key, d.index, d.kind) == ("bowl", 2, "x", (), "value")
    # from x = -5.5 with g = -0.55 and lr = 1.5: a reset h steps by lr*g/|g| = 1.5
    assert d.before == pytest.approx(-5.5, rel=1e-6)
    assert d.yours - d.before == pytest.approx(1.5, rel=1e-6)
    assert d.trainlab - d.before == pytest.approx(1.5 * 0.55 / (0.7**2 + 0.55**2) ** 0.5, rel=1e-3)


def test_catalogue_mistakes_that_change_numbers_show_in_the_first_scenario():
    for name in ("sgd_sign", "nesterov_2016", "adam_no_bias_correction", "rmsprop_square"):
        result = check_class(fixture_class(name))
        assert result.departure.scenario == "bowl" and result.departure.step == 1, name


def test_dict_order_mistakes_are_found_where_the_order_first_changes():
    zipped = check_class(fixture_class("sgd_zip")).departure
    assert (zipped.scenario, zipped.step, zipped.kind) == ("order", 2, "error")
    assert "another order" in zipped.what
    by_position = check_class(fixture_class("adagrad_by_position")).departure
    assert (by_position.scenario, by_position.step) == ("order", 6)
    assert "new order" in by_position.what


def test_replacing_arrays_and_writing_grads_are_named_at_step_one():
    replaced = check_class(fixture_class("sgd_replaces")).departure
    assert (replaced.kind, replaced.step) == ("replaced", 1)
    written = check_class(fixture_class("sgd_writes_grads")).departure
    assert (written.kind, written.step) == ("grads", 1)
    assert written.yours == pytest.approx(written.before * 0.95)  # lr of the bowl figure


def test_given_rule_overrides_the_class_name():
    result = check_class(fixture_class("book_sgd"), rule="adagrad")
    assert result.rule == "adagrad" and result.rule_how == "given"
    assert result.verdict == "departs"


def test_defaults_that_differ_from_the_notes_are_notes_not_failures():
    result = check_class(fixture_class("rmsprop_other_default"))
    assert result.hyperparameters == {"lr": 0.001, "decay_rate": 0.9}
    assert any("rho=0.9 differs from the notes' decay_rate=0.99" in n for n in result.notes)


def test_opt_overrides_a_constructor_argument():
    result = check_class(fixture_class("book_momentum"), opts={"momentum": 0.5})
    assert result.hyperparameters == {"lr": 0.01, "momentum": 0.5}
    assert result.verdict == "pass"


def test_convention_note_says_when_the_two_forms_differ():
    result = check_class(fixture_class("momentum_torch_convention"))
    lr_change = [s for s in result.scenarios if s["name"] == "lr change"][0]
    assert lr_change["status"].startswith("departs at step 11")
    assert "SGD(momentum=μ)" in result.diagnosis.fix


def test_state_shared_between_objects_shows_when_a_second_one_meets_the_same_keys():
    result = check_class(fixture_class("adagrad_class_attribute"))
    status = {s["name"]: s["status"] for s in result.scenarios}
    # bowl (x, y) and arrays (W, b, ...) meet their keys first; order reuses arrays' keys
    assert status["bowl"] == status["arrays"] == status["network"] == "pass"
    assert status["order"] == "departs at step 1"


@pytest.mark.parametrize(
    "name, rule",
    [
        ("SGD", "sgd"),
        ("Momentum", "momentum"),
        ("MomentumSGD", "momentum"),
        ("Nesterov", "nesterov"),
        ("NAG", "nesterov"),
        ("AdaGrad", "adagrad"),
        ("Adagrad", "adagrad"),
        ("RMSprop", "rmsprop"),
        ("RMSProp", "rmsprop"),
        ("MyRMSProp", "rmsprop"),
        ("Adadelta", "adadelta"),
        ("AdaDelta", "adadelta"),
        ("Adam", "adam"),
        ("AdamW", "adamw"),
        ("NAdam", "nadam"),
        ("RAdam", "radam"),
        ("Lion", "lion"),
        ("MyLion", "lion"),
        ("ADOPT", "adopt"),
        ("Adopt", "adopt"),
        ("AdEMAMix", "ademamix"),
        ("LAMB", "lamb"),
        ("Lamb", "lamb"),
        ("ScheduleFreeSGD", "schedulefreesgd"),
        ("Adamax", "adamax"),
        ("AdaMax", "adamax"),
        ("Rprop", "rprop"),
        ("RProp", "rprop"),
        ("Prodigy", "prodigy"),
        ("ASGD", "asgd"),
        ("Adafactor", "adafactor"),
        ("ScheduleFreeAdamW", "schedulefreeadamw"),
        ("SOAP", "soap"),
        ("Muon", "muon"),
        ("MuonAdamW", "muon"),
        ("AMSGrad", "amsgrad"),
        ("SWATS", "swats"),
        ("MySoap", "soap"),
        ("BrokenAdam", "adam"),
        ("Adam_v2", "adam"),
        ("Optimizer", None),
        ("MyRule", None),
    ],
)
def test_rule_from_the_class_name(name, rule):
    assert rule_from_name(name) == rule


def test_a_rule_without_lr_skips_the_lr_change_with_a_note():
    result = check_class(fixture_class("adadelta_paper"))
    assert result.verdict == "pass"
    assert {s["name"]: s["status"] for s in result.scenarios}["lr change"] == "skipped"
    assert any("when lr changes" in n for n in result.notes)


def test_pytorch_style_sgd_options_map_onto_trainlabs_sgd():
    result = check_class(fixture_class("sgd_nesterov_torch"), opts={"nesterov": False})
    assert result.hyperparameters == {"lr": 0.01, "momentum": 0.9, "nesterov": False}
    assert result.verdict == "pass"


def test_an_unnamed_rule_that_raises_at_once_shows_its_traceback():
    result = check_class(fixture_class("mystery_raises"))
    assert result.verdict == "error" and not result.rule
    assert "AttributeError: 'MyRule' object has no attribute 'scale'" in result.traceback


def test_a_rule_that_returns_its_result_is_told_the_book_updates_in_place():
    result = check_class(fixture_class("sgd_returns_new_dict"))
    assert result.diagnosis.id == "no-change"
    assert any("returns a dict" in n for n in result.notes)


@pytest.mark.parametrize(
    "name, opts, verdict, cause",
    [
        ("book_adam", {"lr": 0.01, "beta1": 0.5, "beta2": 0.9}, "pass", None),
        ("reset_adam_iter", {"lr": 0.01, "beta1": 0.5, "beta2": 0.9}, "departs", "reset:t"),
        ("book_momentum", {"lr": 0.05, "momentum": 0.5}, "pass", None),
        ("momentum_lr_twice", {"lr": 0.05, "momentum": 0.5}, "departs", "lr-squared"),
        ("book_rmsprop", {"decay_rate": 0.9}, "pass", None),
        ("rmsprop_square", {"decay_rate": 0.9}, "departs", "square"),
        ("lion", {"weight_decay": 0.1}, "pass", None),
        ("lion_coupled_decay", {"weight_decay": 0.0}, "pass", None),
        ("ademamix", {"t_alpha_beta3": 100}, "pass", None),
        ("ademamix_no_warmup", {"t_alpha_beta3": None}, "pass", None),
        ("lamb", {"weight_decay": 0.01}, "pass", None),
    ],
)
def test_verdicts_hold_with_other_hyperparameters(name, opts, verdict, cause):
    result = check_class(fixture_class(name), opts=opts)
    assert (
        result.verdict == verdict and (result.diagnosis.id if result.diagnosis else None) == cause
    )


def test_a_missing_eps_shows_as_nan_where_a_gradient_is_always_zero():
    """The network's first layer has weights fed by pixels blank in every image."""
    result = check_class(fixture_class("rmsprop_no_eps"))
    network = {s["name"]: s["status"] for s in result.scenarios}["network"]
    assert network == "departs at step 1"
    assert "0/0 = NaN" in result.diagnosis.why


def test_an_eps_of_zero_is_checked_with_trainlabs_and_named_missing():
    """trainlab's options refuse eps=0: the rule is built with its own eps instead."""
    result = check_class(fixture_class("adam_eps_zero"))
    assert result.hyperparameters["eps"] == 1e-7
    assert any("your eps=0 is a value trainlab's options refuse" in n for n in result.notes)


def test_an_unnamed_lion_is_recognised_from_its_numbers():
    result = check_class(fixture_class("mystery_lion"))
    assert result.rule_how == "recognised from its behaviour: trainlab's numbers exactly"


def test_a_seeded_state_names_what_each_state_starts_at():
    result = check_class(fixture_class("adam_seeded"))
    assert "m = g, v = g·g" in result.diagnosis.title
