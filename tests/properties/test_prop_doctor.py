"""The doctor on arbitrary histories: always some verdict, never a crash."""

from hypothesis import given, settings
from hypothesis import strategies as st

from trainlab.train.doctor import Verdict, diagnose

NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.sampled_from(["inf", "-inf", "nan"]),
    st.integers(-5, 5),
)
CURVE = st.lists(NUMBER, max_size=40)
LAYER = st.fixed_dictionaries(
    {
        "layer": st.integers(1, 4),
        "kind": st.just("relu"),
        "mean": st.floats(0, 1),
        "std": st.floats(0, 1),
        "dead": st.floats(0, 1),
    }
)
HISTORY = st.fixed_dictionaries(
    {},
    optional={
        "train_loss": CURVE,
        "train_loss_epoch": CURVE,
        "lr": CURVE,
        "train_acc": CURVE,
        "val_acc": CURVE,
        "val_loss": CURVE,
        "test_acc": CURVE,
        "test_loss": CURVE,
        "grad_norm_max": CURVE,
        "grad_norm": st.lists(
            st.one_of(st.none(), st.dictionaries(st.sampled_from(["layer1", "layer2"]), NUMBER)),
            max_size=10,
        ),
        "activations": st.lists(st.lists(LAYER, max_size=3), max_size=5),
    },
)


@settings(max_examples=150, deadline=None)
@given(history=HISTORY)
def test_any_history_gets_a_verdict(history):
    verdicts = diagnose({"history": history})
    assert verdicts and all(isinstance(v, Verdict) and v.evidence and v.fix for v in verdicts)
    assert len({v.name for v in verdicts}) == len(verdicts)
