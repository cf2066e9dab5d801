"""``python -m modelops {train,score,export,serve}``: the verbs of `just train`, `just score`, `just serve`.

Each command fails with one line naming the problem and exit code 2 (a locked or unbuilt
warehouse, an online store not exported yet, a tampered model file), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from modelops.artefacts import ArtefactIntegrityError
from modelops.online import OnlineStore, OnlineStoreError, export_online_store
from modelops.registry import RegistryError
from warehouse.preflight import PreflightError, ensure_unlocked, locked_message
from warehouse.runtime import warehouse_path


def export(db: Path) -> int:
    """Export the serving views and production models to the online store folder."""
    with duckdb.connect(str(db), read_only=True) as con:
        folder = export_online_store(db, con)
    print(f"online store exported to {folder}")
    return 0


def serve(db: Path, host: str, port: int) -> int:
    """Load the online store into memory and answer HTTP on host:port until stopped."""
    import uvicorn

    from modelops.api import create_app

    store = OnlineStore.for_warehouse(db)
    uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the sub-command and run it."""
    parser = argparse.ArgumentParser(prog="python -m modelops", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("export", help="export the serving views and production models to the online store")
    serve_parser = sub.add_parser("serve", help="the HTTP endpoint over the online store")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    db = warehouse_path()
    try:
        if args.command == "serve":
            return serve(db, args.host, args.port)
        if not db.exists():
            raise PreflightError(f"no warehouse at {db}; run `just demo` first")
        ensure_unlocked(db)
        return export(db)
    except (PreflightError, RegistryError, OnlineStoreError, ArtefactIntegrityError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except duckdb.IOException as error:
        print(f"error: {locked_message(db, error)}", file=sys.stderr)
        return 2
    except duckdb.CatalogException as error:
        print(
            f"error: {db} holds no built ML layer ({str(error).splitlines()[0]}); run `just build` first",
            file=sys.stderr,
        )
        return 2
