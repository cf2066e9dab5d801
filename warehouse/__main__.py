"""Entry point: ``python -m warehouse {summary,sync}``."""

from warehouse.cli import main

raise SystemExit(main())
