"""Workers share one study through a real PostgreSQL server (on 127.0.0.1)."""

from __future__ import annotations

import optuna
import sqlalchemy
from optuna.trial import TrialState
from tune_testkit import TINY, cli_process


def test_two_workers_share_a_postgres_study(postgres_url, tmp_path):
    # two commands, as on two machines, each started the same way
    args = [
        "tune",
        *TINY,
        "--trials",
        "10",
        "--epochs",
        "8",
        "--storage",
        postgres_url,
        "--study-name",
        f"shared-{tmp_path.name}",
    ]
    procs = [cli_process(*args, "--out", str(tmp_path / f"m{i}")) for i in range(2)]
    outs = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]

    url = postgres_url.replace("postgresql://", "postgresql+psycopg2://")
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as conn:  # the rows themselves, read with SQL
        rows = conn.execute(
            sqlalchemy.text(
                "SELECT t.number, t.state FROM trials t JOIN studies s USING (study_id) "
                "WHERE s.study_name = :n ORDER BY t.number"
            ),
            {"n": f"shared-{tmp_path.name}"},
        ).all()
    engine.dispose()
    assert [r[0] for r in rows] == list(range(10))
    assert {r[1] for r in rows} <= {"COMPLETE", "PRUNED", "FAIL"}

    study = optuna.load_study(study_name=f"shared-{tmp_path.name}", storage=url)
    assert all(
        t.state in (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL) for t in study.trials
    )
    # every trial was run by one of the two commands
    assert {t.user_attrs["worker"]["pid"] for t in study.trials} <= {p.pid for p in procs}
    # both commands report the same ranking
    lists = [(tmp_path / f"m{i}" / "best_trials.txt").read_text() for i in range(2)]
    assert lists[0] == lists[1] and lists[0].count("Best-") == 10
