"""trainlab: how a neural network learns, from scratch on NumPy."""

__version__ = "0.1.0"


def __getattr__(name):
    # ``trainlab.check(MyRule)`` without importing the checker with trainlab
    if name == "check":
        import trainlab.check as check

        return check
    if name == "load_run":  # a trained run's network, to predict (trainlab.train.saved)
        from trainlab.train.saved import load_run

        return load_run
    raise AttributeError(f"module 'trainlab' has no attribute {name!r}")
