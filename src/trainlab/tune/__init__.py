"""Hyperparameter search and optimizer benchmarks on Optuna studies.

* :mod:`trainlab.tune.search`: the notes' search (random, TPE or grid) of the
  learning rate, weight decay and more, on validation data; a search is a
  :class:`~trainlab.tune.search_spec.SearchSpec`, carried out into its run
  folder by :mod:`trainlab.tune.search_run`;
* :mod:`trainlab.tune.benchmark`: a fair comparison of update rules over
  several problems (tuned learning rates, several seeds, performance profile);
  a benchmark is a :class:`~trainlab.tune.benchmark_spec.BenchmarkSpec`,
  carried out by :mod:`trainlab.tune.benchmark_run`;
* :mod:`trainlab.tune.storage`, :mod:`trainlab.tune.trials`: shared studies, a
  global trial budget, and recovery from workers that die (the worker processes
  run on :mod:`trainlab.train.parallel`, the pool of trainings too);
  :mod:`trainlab.tune.postgres` and :mod:`trainlab.tune.outage` for studies on
  a PostgreSQL server.
"""
