"""Hyperparameter search and optimizer benchmarks on Optuna studies.

* :mod:`trainlab.tune.search`: the notes' search (random, TPE or grid) of the
  learning rate, weight decay and more, on validation data;
* :mod:`trainlab.tune.benchmark`: a fair comparison of update rules over
  several problems (tuned learning rates, several seeds, performance profile);
* :mod:`trainlab.tune.storage`, :mod:`trainlab.tune.trials`: shared studies, a
  global trial budget, and recovery from workers that die (the worker processes
  run on :mod:`trainlab.train.parallel`, the pool of trainings too).
"""
