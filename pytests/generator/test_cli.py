"""The command line: one-line errors with exit code 2 and nothing written; atomic runs; outputs."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from generator import writer as writer_mod
from generator.cli import main
from generator.schema import TABLES, TABLES_BY_NAME

REPO = Path(__file__).resolve().parents[2]


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _fail(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the CLI in-process; assert exit code 2 and a single stderr line; return it."""
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--scale", "0"], "0"),
        (["--scale", "-1"], "-1"),
        (["--scale", "abc"], "abc"),
        (["--scale", "nan"], "nan"),
        (["--start", "2025-02-30"], "2025-02-30"),
        (["--start", "2025-06-01", "--end", "2025-01-01"], "2025-01-01"),
        (["--dirty-rate", "2"], "2"),
        (["--schema", "oracle=x"], "oracle=x"),
        (["--schema", "azure_sql=bad-name"], "bad-name"),
        (["--seed", "x1"], "x1"),
    ],
)
def test_bad_generate_arguments_exit_2_naming_the_value(
    tmp_path: Path, capsys, args: list[str], named: str
) -> None:
    db = tmp_path / "w.duckdb"
    line = _fail(["generate", "--db", str(db), *args], capsys)
    assert named in line
    assert not db.exists()


def test_unwritable_or_missing_directory_is_rejected(tmp_path: Path, capsys) -> None:
    db = tmp_path / "missing" / "w.duckdb"
    assert str(db) in _fail(["generate", "--db", str(db)], capsys)
    assert not db.parent.exists()


def test_a_file_that_is_not_duckdb_is_left_alone(tmp_path: Path, capsys) -> None:
    db = tmp_path / "notes.duckdb"
    db.write_text("not a database\n" * 10)
    before = _digest(db)
    line = _fail(["generate", "--db", str(db)], capsys)
    assert str(db) in line and "not a DuckDB" in line
    assert _digest(db) == before


def test_a_foreign_duckdb_database_is_left_alone(tmp_path: Path, capsys) -> None:
    db = tmp_path / "foreign.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table important as select 42 as answer")
    con.close()
    before = _digest(db)
    for argv in (["generate", "--db", str(db)], ["sync", "--db", str(db)]):
        assert "_generator_state" in _fail(argv, capsys)
    assert _digest(db) == before


def test_sync_without_a_database_is_rejected(tmp_path: Path, capsys) -> None:
    db = tmp_path / "none.duckdb"
    assert str(db) in _fail(["sync", "--db", str(db)], capsys)
    assert not db.exists()


@pytest.mark.parametrize(
    ("drift", "named"),
    [
        ("tide=2", "tide"),
        ("fuel_price=abc", "abc"),
        ("fuel_price", "fuel_price"),
        ("weather_severity:MARS=2", "MARS"),
        ("congestion=-1", "congestion=-1"),
    ],
)
def test_bad_drifts_are_rejected_before_anything_is_written(
    clean_db: Path, tmp_path: Path, capsys, drift: str, named: str
) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(clean_db, db)
    before = _digest(db)
    assert named in _fail(["sync", "--db", str(db), "--drift", drift], capsys)
    assert _digest(db) == before


def test_bad_days_are_rejected(clean_db: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(clean_db, db)
    assert "0" in _fail(["sync", "--db", str(db), "--days", "0"], capsys)


def test_errors_print_no_traceback_in_a_subprocess(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--scale", "-3", "--db", str(tmp_path / "w.duckdb")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "-3" in r.stderr and "Traceback" not in r.stderr


def test_a_locked_database_names_the_file_and_the_remedy(clean_db: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(clean_db, db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        line = _fail(["sync", "--db", str(db)], capsys)
        assert str(db) in line and "close" in line
    finally:
        holder.kill()
        holder.wait()


def test_help_shows_examples(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "generate --scale 0.01 --seed 42" in out and "sync --days" in out


def test_list_drifts_prints_every_drift(capsys) -> None:
    assert main(["sync", "--list-drifts"]) == 0
    out = capsys.readouterr().out
    for name in ("fuel_price", "congestion", "weather_severity", "weather_severity:<REGION>"):
        assert name in out


def test_summary_lists_rows_seconds_and_rate_per_table(tmp_path: Path, capsys, scale: float) -> None:
    db = tmp_path / "w.duckdb"
    assert main(["generate", "--scale", str(scale), "--db", str(db), "--start", "2025-11-01"]) == 0
    out = capsys.readouterr().out
    assert "rows/s" in out and "total" in out
    for t in TABLES:
        assert t.name in out


def test_db_defaults_to_the_environment_variable(tmp_path: Path, monkeypatch, scale: float) -> None:
    db = tmp_path / "env.duckdb"
    monkeypatch.setenv("LOGISTICS_DB", str(db))
    assert main(["generate", "--scale", str(scale), "--start", "2025-12-01", "--quiet"]) == 0
    assert db.exists()


def test_schema_mapping_lands_tables_in_the_named_schemas(tmp_path: Path, q, scale: float) -> None:
    db = tmp_path / "w.duckdb"
    assert (
        main(
            [
                "generate",
                "--scale",
                str(scale),
                "--db",
                str(db),
                "--start",
                "2025-12-01",
                "--quiet",
                "--schema",
                "azure_sql=raw_sql",
                "--schema",
                "telematics=raw_events",
            ]
        )
        == 0
    )
    assert main(["sync", "--db", str(db), "--quiet"]) == 0
    assert q(db, "select count(*) > 0 from raw_sql.shipments")[0][0]
    assert q(
        db, "select count(*) > 0 from raw_events.telematics where _fivetran_synced > '2025-12-31 23:59:59'"
    )
    assert q(
        db, "select count(*) from information_schema.schemata where schema_name = 'landing_azure_sql'"
    ) == [(0,)]


def test_parquet_export_writes_one_file_per_table(tmp_path: Path, q, scale: float) -> None:
    db, out = tmp_path / "w.duckdb", tmp_path / "parquet"
    assert (
        main(
            [
                "generate",
                "--scale",
                str(scale),
                "--db",
                str(db),
                "--start",
                "2025-12-01",
                "--quiet",
                "--parquet",
                str(out),
            ]
        )
        == 0
    )
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"{t.name}.parquet" for t in TABLES)
    n = q(db, f"select count(*) from read_parquet('{(out / 'telematics.parquet').as_posix()}')")[0][0]
    assert n == q(db, "select count(*) from landing_telematics.telematics")[0][0]
    assert main(["sync", "--db", str(db), "--quiet", "--parquet", str(out)]) == 0
    synced = q(db, f"select count(*) from read_parquet('{(out / 'shipments.parquet').as_posix()}')")[0][0]
    assert 0 < synced < n


class Boom(RuntimeError):
    """Injected failure."""


def _explode_after_first_table(monkeypatch: pytest.MonkeyPatch) -> None:
    real = writer_mod.Writer._write_now
    seen: list[str] = []

    def write(self, name, df):
        if seen and name != seen[0]:
            raise Boom("injected")
        seen.append(name)
        return real(self, name, df)

    monkeypatch.setattr(writer_mod.Writer, "_write_now", write)


@pytest.mark.parametrize("command", [["generate", "--scale", "0.01", "--seed", "9"], ["sync", "--days", "2"]])
def test_a_failure_mid_write_leaves_the_previous_database_unchanged(
    clean_db: Path, tmp_path: Path, sums, q, monkeypatch, command: list[str]
) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(clean_db, db)
    before = sums(db)
    _explode_after_first_table(monkeypatch)
    with pytest.raises(Boom):
        main([*command, "--db", str(db), "--quiet"])
    assert sums(db) == before
    assert q(db, "select count(*) from information_schema.tables where table_name like '_generating%'") == [
        (0,)
    ]
    assert q(db, "select sync_number from main._generator_state") == [(0,)]


def test_a_sync_commits_each_batch_as_it_writes_it(clean_db: Path, tmp_path: Path, monkeypatch) -> None:
    """DuckDB holds Arrow batches appended inside a transaction outside its buffer pool until the
    commit, so a sync that wrote into its one transaction grew with its length (SF 1, 365 days:
    1.7 GiB). Every batch goes to a staging twin committed as it is written — another connection
    sees it at once — and only the final transaction touches the landing tables."""
    db = tmp_path / "w.duckdb"
    shutil.copy(clean_db, db)
    real = writer_mod.Writer._write_now
    seen: dict[str, tuple[int, int]] = {}

    def write(self, name, df):
        real(self, name, df)
        if name in TABLES_BY_NAME:
            other = self.con.cursor()
            try:
                twin = other.execute(f"select count(*) from {self.qualified(TABLES_BY_NAME[name])}")
                seen[name] = (twin.fetchone()[0], seen.get(name, (0, 0))[1] + df.height)
            finally:
                other.close()

    monkeypatch.setattr(writer_mod.Writer, "_write_now", write)
    assert main(["sync", "--db", str(db), "--days", "9", "--quiet"]) == 0
    assert {"shipments", "telematics", "weather", "traffic"} <= set(seen)
    assert all(visible == written for visible, written in seen.values()), seen


def test_a_sync_after_a_killed_one_drops_its_leftover_twins(
    clean_db: Path, tmp_path: Path, sums, q, tbl
) -> None:
    """A sync killed before its final transaction leaves its committed staging twins behind (and the
    landing tables as they were); the next run drops them and lands what a clean database would."""
    expected, db = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    shutil.copy(clean_db, expected)
    shutil.copy(clean_db, db)
    con = duckdb.connect(str(db))
    try:
        for name in ("shipments", "telematics"):
            schema, table = tbl(name).split(".")
            con.execute(f"create table {schema}._generating_{table} as select * from {schema}.{table}")
        con.execute("create table main._generating_defects as select * from main._generator_defects")
    finally:
        con.close()
    for path in (expected, db):
        assert main(["sync", "--db", str(path), "--days", "2", "--quiet"]) == 0
    assert sums(db) == sums(expected)
    assert q(db, "select count(*) from information_schema.tables where table_name like '_generating%'") == [
        (0,)
    ]


def test_a_failed_first_load_leaves_no_file(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "new.duckdb"
    _explode_after_first_table(monkeypatch)
    with pytest.raises(Boom):
        main(["generate", "--scale", "0.01", "--db", str(db), "--quiet"])
    assert not db.exists()
