"""``just diff [BASE]``: build BASE and the working tree on the same generated data and diff them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from warehouse.datadiff.builds import (
    CACHE_ROOT,
    DataSpec,
    DiffError,
    build_head,
    cached_base,
    default_base,
    resolve_commit,
)
from warehouse.datadiff.report import DiffHeader, markdown, page
from warehouse.datadiff.values import diff_builds
from warehouse.runtime import REPO_ROOT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="just diff", description=__doc__)
    parser.add_argument("base", nargs="?", help="commit to compare with (default: merge base with main)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed of the shared landing")
    parser.add_argument("--scale", type=float, default=0.01, help="generator scale of the shared landing")
    parser.add_argument("--full", action="store_true", help="build the head from the landing, not slim")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "target" / "datadiff",
                        help="folder for diff.md and diff.html")
    parser.add_argument("--fail-on-change", nargs="+", default=[], metavar="MODEL",
                        help="exit 1 if any of these models changed, was added or removed")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the diff; 0 whatever it finds, 1 if a --fail-on-change model changed, 2 on bad input."""
    args = _parser().parse_args(argv)
    try:
        if args.scale <= 0:
            raise DiffError(f"--scale must be positive, got {args.scale:g}")
        base_commit = resolve_commit(args.base) if args.base else default_base()
        spec = DataSpec(seed=args.seed, scale=args.scale)
        base = cached_base(base_commit, spec)
        head = build_head(base, REPO_ROOT, CACHE_ROOT / "head", spec, slim=not args.full)
        diffs = diff_builds(base.db, head.db, base.manifest(), head.manifest())
    except DiffError as err:
        print(f"just diff: {err}", file=sys.stderr)
        return 2
    header = DiffHeader(base_commit, "working tree", spec.seed, spec.scale, base.seconds, head.seconds,
                        slim=not args.full)
    args.out.mkdir(parents=True, exist_ok=True)
    summary = markdown(header, diffs)
    (args.out / "diff.md").write_text(summary)
    (args.out / "diff.html").write_text(page(header, diffs))
    print(summary, end="")
    print(f"\nwritten: {args.out / 'diff.md'}, {args.out / 'diff.html'}")
    guarded = {d.name for d in diffs if d.status != "identical"} & set(args.fail_on_change)
    if guarded:
        print(f"just diff: models that must not change did: {', '.join(sorted(guarded))}", file=sys.stderr)
        return 1
    return 0
