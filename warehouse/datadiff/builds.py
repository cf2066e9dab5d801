"""The two builds of a data diff: one landing, a cached base build, a slim (or full) head build."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from warehouse.runtime import DB_NAME, MODELS_ONLY, REPO_ROOT, ScratchWarehouse, dbt_env, run_dbt
from warehouse.runtime.scratch import PROJECT_ENTRIES

CACHE_ROOT = REPO_ROOT / ".diff-cache"
_COMPLETE = "complete"  # marker file: the folder holds a finished build


class DiffError(RuntimeError):
    """A diff that cannot be made (unknown commit, failed build); the message says which."""


@dataclass(frozen=True)
class DataSpec:
    """The generated landing both sides are built from."""

    seed: int = 42
    scale: float = 0.01

    def key(self) -> str:
        """Cache key: seed, scale and the generator's source (another generator, other data)."""
        return f"seed{self.seed}-scale{self.scale:g}-gen{generator_digest()[:12]}"


def generator_digest(root: Path = REPO_ROOT / "generator") -> str:
    """SHA-256 over the generator's source and data files, in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".csv"}):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Built(ScratchWarehouse):
    """A finished build: its folder (database, target) and the project it was built from."""

    project: Path
    seconds: float


def landing(spec: DataSpec, cache: Path = CACHE_ROOT) -> Path:
    """A DuckDB file holding only the generated landing of ``spec``, generated once per key."""
    path = cache / f"landing-{spec.key()}.duckdb"
    if not path.exists():
        staging = ScratchWarehouse(cache / f"landing-{spec.key()}.partial")
        shutil.rmtree(staging.folder, ignore_errors=True)
        staging.folder.mkdir(parents=True)
        staging.generator("generate", "--scale", f"{spec.scale:g}", "--seed", str(spec.seed))
        staging.db.replace(path)
        shutil.rmtree(staging.folder)
    return path


def resolve_commit(ref: str) -> str:
    """The full SHA of ``ref``; a one-line :class:`DiffError` if git does not know it."""
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )
    if found.returncode != 0:
        raise DiffError(f"BASE {ref!r} is not a commit of this repository")
    return found.stdout.strip()


def default_base() -> str:
    """The merge base of HEAD with ``main`` (or ``origin/main``); HEAD itself when neither exists."""
    for branch in ("main", "origin/main"):
        found = subprocess.run(
            ["git", "merge-base", "HEAD", branch], cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
        if found.returncode == 0:
            return found.stdout.strip()
    return resolve_commit("HEAD")


def export_commit(commit: str, dest: Path) -> Path:
    """The dbt project files of ``commit`` (``git archive``) extracted into ``dest``."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, *_tracked_entries(commit)],
        cwd=REPO_ROOT, capture_output=True, check=False,
    )
    if archive.returncode != 0:
        raise DiffError(f"git archive {commit[:12]} failed: {archive.stderr.decode().strip()}")
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def _tracked_entries(commit: str) -> list[str]:
    """The project entries (models, macros, …) that exist in ``commit``."""
    listing = subprocess.run(
        ["git", "ls-tree", "--name-only", commit], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    present = set(listing.stdout.split())
    return [entry for entry in PROJECT_ENTRIES if entry in present]


def _dbt_build(project: Path, folder: Path, args: list[str]) -> float:
    """``dbt build`` (models, seeds, snapshots; no tests) of ``project`` into ``folder``'s database."""
    run = run_dbt(
        ["build", *MODELS_ONLY, *args],
        project_dir=project,
        profiles_dir=project / "profiles",
        target_path=folder / "target",
        log_path=folder / "logs",
        env=dbt_env(DB_NAME, isolated=True),
        cwd=folder,
    )
    if not run.ok:
        raise DiffError(f"dbt build of {project} failed:\n{run.tail(15)}")
    return run.seconds


def build_full(project: Path, folder: Path, landing_db: Path) -> Built:
    """Build every model of ``project`` from a copy of ``landing_db`` in ``folder``."""
    shutil.rmtree(folder / "target", ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(landing_db, folder / DB_NAME)
    seconds = _dbt_build(project, folder, [])
    (folder / _COMPLETE).write_text(json.dumps({"seconds": seconds}))
    return Built(folder, project, seconds)


def cached_base(commit: str, spec: DataSpec, cache: Path = CACHE_ROOT) -> Built:
    """The full build of ``commit`` on ``spec``'s landing, reused when it was built before."""
    folder = cache / f"base-{commit[:12]}-{spec.key()}"
    if (folder / _COMPLETE).exists():
        seconds = json.loads((folder / _COMPLETE).read_text())["seconds"]
        return Built(folder, folder / "project", seconds)
    shutil.rmtree(folder, ignore_errors=True)
    project = export_commit(commit, folder / "project")
    return build_full(project, folder, landing(spec, cache))


def build_head(base: Built, project: Path, folder: Path, spec: DataSpec, *, slim: bool = True,
               cache: Path = CACHE_ROOT) -> Built:
    """Build ``project`` into ``folder``: slim (base copy + ``state:modified+``) or full from the landing."""
    shutil.rmtree(folder, ignore_errors=True)
    if not slim:
        return build_full(project, folder, landing(spec, cache))
    (folder / "target").mkdir(parents=True)
    for name in (DB_NAME, DB_NAME + ".wal"):
        if (base.folder / name).exists():
            shutil.copy2(base.folder / name, folder / name)
    # dbt re-parses only the files that differ from the base's parse (same profile and vars).
    if (base.target / "partial_parse.msgpack").exists():
        shutil.copy2(base.target / "partial_parse.msgpack", folder / "target" / "partial_parse.msgpack")
    seconds = _dbt_build(
        project, folder, ["--select", "state:modified+", "--state", str(base.target), "--full-refresh"]
    )
    return Built(folder, project, seconds)
