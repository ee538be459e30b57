"""The few things trainlab needs from Optuna that Optuna does not offer publicly.

Everything else in :mod:`trainlab.tune` uses Optuna's public API only: studies,
``ask``/``tell``, and the storage methods of ``optuna.storages.BaseStorage``
(``get_trial``, ``set_trial_user_attr``, ``set_trial_state_values``,
``get_study_id_from_name``, ``get_trial_id_from_study_id_trial_number``,
``record_heartbeat``, ``get_heartbeat_interval``). What is left lives here, each
with the promise that needs it, and ``tests/tune/test_optuna_adapter.py`` fails
the day a new Optuna changes one of them:

* :func:`storage_of`: the storage a study reads and writes (``study._storage``).
  A study opened by trainlab gets its storage from :func:`open_storage`, but
  ``Trial.storage`` is public and a study's is not; reaping and heartbeats
  must write through the very object the study caches with.
* :func:`stale_trial_numbers`: the running trials whose RDB heartbeat the database
  server finds older than the grace period, judged by the *server's* clock
  (``_get_stale_trial_ids``). The public ``optuna.storages.fail_stale_trials``
  fails them without their reason and without queueing their parameters again,
  which "none lost beyond the workers killed" needs.
* :data:`UpdateFinishedTrialError`: public since Optuna 4.3; earlier versions
  raise a ``RuntimeError`` for a write to a finished trial.
* :data:`RDB_LOGGER`: the name of the logger whose warnings quote whole SQL
  statements during an outage (a name, not an import).
"""

from __future__ import annotations

try:
    from optuna.exceptions import UpdateFinishedTrialError
except ImportError:  # Optuna < 4.3
    UpdateFinishedTrialError = RuntimeError  # type: ignore[misc, assignment]

RDB_LOGGER = "optuna.storages._rdb.storage"


def storage_of(study):
    """The storage ``study`` reads and writes through (Optuna's cache included)."""
    return study._storage  # Optuna's private name: this module's purpose (see above)


def trial_id(storage, study_name: str, number: int) -> int:
    """The storage's id of trial ``number`` of study ``study_name`` (public API)."""
    study_id = storage.get_study_id_from_name(study_name)
    return storage.get_trial_id_from_study_id_trial_number(study_id, number)


def has_heartbeat(storage) -> bool:
    """True for a storage with Optuna's heartbeat switched on (RDB with ``heartbeat_interval``)."""
    interval = getattr(storage, "get_heartbeat_interval", None)
    return interval is not None and interval() is not None


def stale_trial_numbers(storage, study_name: str) -> set[int]:
    """Numbers of the running trials whose heartbeat is older than the grace
    period, by the database server's clock."""
    study_id = storage.get_study_id_from_name(study_name)
    ids = storage._get_stale_trial_ids(study_id)  # Optuna's private name: see above
    return {storage.get_trial(i).number for i in ids}
