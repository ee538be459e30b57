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
    if name == "lrfind":  # trainlab.lrfind(net, x, t, 'adam'): the learning-rate range test
        from trainlab.train.lrfind import lrfind

        return lrfind
    raise AttributeError(f"module 'trainlab' has no attribute {name!r}")
