"""trainlab's search uses Optuna's public API, except for what
``trainlab.tune.optuna_adapter`` holds; these tests fail the day a new Optuna
changes one of those things, and no private Optuna name creeps in elsewhere."""

from __future__ import annotations

import ast
import logging
import re
import time
from pathlib import Path

import optuna
from optuna.distributions import FloatDistribution
from optuna.storages import JournalStorage, RDBStorage
from optuna.trial import TrialState

import trainlab
from trainlab.tune import optuna_adapter as adapter
from trainlab.tune.storage import open_storage

SRC = Path(trainlab.__file__).parent
DIST = {"lr": FloatDistribution(1e-3, 1e-1)}
#: Optuna's private names trainlab once used, and the SQL it wrote into Optuna's tables
PRIVATE = re.compile(
    r"\._(storage|trial_id|study_id|backend|replay_result|sync_with_backend|thread_lock|"
    r"get_stale_trial_ids|cached_frozen_trial|file_path|lock)\b|"
    r"optuna(\.\w+)*\._\w+|\b(INSERT INTO|UPDATE|DELETE FROM) (trials|trial_\w+|studies)\b"
)


def test_no_private_optuna_name_outside_the_adapter():
    found = []
    for path in sorted((SRC / "tune").rglob("*.py")) + sorted((SRC / "commands").rglob("*.py")):
        if path.name == "optuna_adapter.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = None
            if isinstance(node, ast.Attribute):
                text = "." + node.attr
            elif isinstance(node, ast.ImportFrom) and node.module:
                text = node.module
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            if text and PRIVATE.search(text):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {text[:60]}")
    assert found == []


def _sqlite(tmp_path, **kw):
    return RDBStorage(f"sqlite:///{tmp_path / 'db.sqlite3'}", **kw)


def test_storage_of_is_the_storage_the_study_writes_through(tmp_path):
    journal = open_storage(str(tmp_path / "s.journal"))
    study = optuna.create_study(storage=journal, study_name="s")
    assert adapter.storage_of(study) is journal
    rdb = optuna.create_study(storage=_sqlite(tmp_path), study_name="r")
    for s in (study, rdb):
        trial = s.ask(DIST)
        store = adapter.storage_of(s)
        store.set_trial_user_attr(adapter.trial_id(store, s.study_name, trial.number), "k", 1)
        assert s.trials[trial.number].user_attrs == {"k": 1}  # seen by the study at once


def test_trial_id_is_the_storages_own(tmp_path):
    storage = _sqlite(tmp_path)
    first = optuna.create_study(storage=storage, study_name="a")
    second = optuna.create_study(storage=storage, study_name="b")
    trials = [first.ask(DIST), second.ask(DIST), second.ask(DIST)]
    for study, t in zip((first, second, second), trials, strict=True):
        tid = adapter.trial_id(storage, study.study_name, t.number)
        assert storage.get_trial(tid).number == t.number
        assert storage.get_trial(tid).params == t.params
    assert adapter.trial_id(storage, "b", 0) != 0  # ids are not numbers: b's trial 0 is id 1


def test_stale_trials_are_those_whose_heartbeat_the_server_finds_silent(tmp_path):
    storage = _sqlite(tmp_path, heartbeat_interval=1, grace_period=1)
    study = optuna.create_study(storage=storage, study_name="h")
    assert adapter.has_heartbeat(adapter.storage_of(study))
    assert not adapter.has_heartbeat(
        JournalStorage(optuna.storages.journal.JournalFileBackend(str(tmp_path / "j.journal")))
    )
    silent, beating = study.ask(DIST), study.ask(DIST)
    for t in (silent, beating):
        storage.record_heartbeat(adapter.trial_id(storage, "h", t.number))
    time.sleep(2.5)
    storage.record_heartbeat(adapter.trial_id(storage, "h", beating.number))
    assert adapter.stale_trial_numbers(adapter.storage_of(study), "h") == {silent.number}


def test_a_write_to_a_finished_trial_raises_the_adapters_error(tmp_path):
    for storage in (open_storage(str(tmp_path / "f.journal")), _sqlite(tmp_path)):
        study = optuna.create_study(storage=storage)
        trial = study.ask(DIST)
        study.tell(trial, 1.0)
        tid = adapter.trial_id(storage, study.study_name, trial.number)
        try:
            storage.set_trial_state_values(tid, TrialState.FAIL)
        except adapter.UpdateFinishedTrialError:
            pass
        else:
            raise AssertionError("no error for a write to a finished trial")
        assert study.trials[0].state == TrialState.COMPLETE


def test_the_rdb_logger_is_the_one_optuna_logs_sql_warnings_to(tmp_path):
    _sqlite(tmp_path)  # loads the RDB storage module, which creates its logger
    assert adapter.RDB_LOGGER in logging.Logger.manager.loggerDict
    assert RDBStorage.__module__ == adapter.RDB_LOGGER
