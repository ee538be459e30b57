"""Check your own update rule against trainlab's: ``trainlab check FILE.py[:CLASS]``.

From Python (a notebook)::

    import trainlab
    trainlab.check(MyAdaGrad)                            # a class: run here
    trainlab.check("my_rules.py:AdaGrad", rule="adagrad")  # a file: in a child process

The result prints as text, and as HTML or Markdown in a notebook; it has
``.passed``, ``.departure``, ``.diagnosis`` and ``.notes``. How the rule is
recognised, what is run and how a cause is found: ``docs/check.md``.

``trainlab.check`` is this package, and calling it calls :func:`check`.
"""

import sys
import types

from trainlab.check.api import check as run_check


def check(target, rule=None, opts=None, *, timeout=None):
    """Check an update rule class, or a file ``"FILE.py[:CLASS]"``, against trainlab's rule.

    Args:
        target: a class with ``update(params, grads)`` (run in this process) or
            the path of a Python file, optionally ``:CLASS`` (run in a child
            process, stopped after ``timeout`` seconds, 60 by default).
        rule: trainlab's name of the rule (``'adagrad'``, ...); by default it
            is recognised from the class name, else from its behaviour.
        opts: constructor arguments, by the class's own parameter names.
    Returns:
        a :class:`trainlab.check.result.Result`.
    """
    return run_check(target, rule=rule, opts=opts, timeout=timeout)


class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs):
        return check(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["check"]
