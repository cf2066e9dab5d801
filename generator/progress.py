"""Progress per table on a terminal (quiet otherwise) and the end-of-run summary table."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

OVERALL = "all tables"


class RunProgress:
    """Tracks rows and seconds per table; on a TTY shows a bar per table and an overall bar with the
    rows landed, rows/s and the time left (ETA over the chunks of work announced by ``expect``)."""

    def __init__(self, out: TextIO | None = None, enabled: bool | None = None) -> None:
        self.out = out or sys.stdout
        self.tty = self.out.isatty() if enabled is None else enabled
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.started = time.perf_counter()
        self._progress: Progress | None = None
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> RunProgress:
        if self.tty:
            self._progress = Progress(
                TextColumn("{task.description:<12}"),
                BarColumn(bar_width=16),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rows]:>12,} rows"),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TaskProgressColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.out),
                transient=False,
            )
            self._progress.start()
            self._tasks[OVERALL] = self._progress.add_task(OVERALL, total=0, rows=0, rate="")
        return self

    def expect(self, chunks: int) -> None:
        """Announce ``chunks`` more chunks of work (the overall bar's total; its ETA follows)."""
        if self._progress is not None:
            task = self._progress.tasks[self._tasks[OVERALL]]
            self._progress.update(self._tasks[OVERALL], total=(task.total or 0) + chunks)

    def chunk_done(self) -> None:
        """One announced chunk of work is done."""
        if self._progress is not None:
            self._progress.update(self._tasks[OVERALL], advance=1)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    @contextmanager
    def table(self, name: str, steps: int = 1, timed: bool = True) -> Iterator[Callable[[int], None]]:
        """Context for producing one table in ``steps`` chunks; yields ``tick(rows)``.

        ``timed=False``: the caller attributes seconds itself (``add_seconds``).
        """
        t0 = time.perf_counter()
        if self._progress is not None and name not in self._tasks:
            self._tasks[name] = self._progress.add_task(name, total=steps, rows=0, rate="")
        elif self._progress is not None:  # a table landed in several passes (the initial load's chunks)
            task = self._tasks[name]
            self._progress.update(task, total=(self._progress.tasks[task].total or 0) + steps)

        def tick(rows: int) -> None:
            self.rows[name] = self.rows.get(name, 0) + rows
            if self._progress is not None:
                total = sum(self.rows.values())
                rate = f"{total / max(time.perf_counter() - self.started, 1e-9):>11,.0f} rows/s"
                self._progress.update(self._tasks[name], advance=1, rows=self.rows[name])
                self._progress.update(self._tasks[OVERALL], rows=total, rate=rate)

        self.rows.setdefault(name, 0)
        try:
            yield tick
        finally:
            if timed:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0

    def add_seconds(self, name: str, seconds: float) -> None:
        """Attribute extra time (e.g. the shared simulation) to a table."""
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def summary(self, title: str) -> None:
        """Print table | rows | seconds | rows/s and the total."""
        total_s = time.perf_counter() - self.started
        table = Table()
        for col, justify in (("table", "left"), ("rows", "right"), ("seconds", "right"), ("rows/s", "right")):
            table.add_column(col, justify=justify)
        for name, rows in self.rows.items():
            s = self.seconds.get(name, 0.0)
            table.add_row(name, f"{rows:,}", f"{s:.2f}", f"{rows / s:,.0f}" if s > 0 else "-")
        total = sum(self.rows.values())
        table.add_row("total (wall)", f"{total:,}", f"{total_s:.2f}", f"{total / total_s:,.0f}", style="bold")
        console = Console(file=self.out, width=100 if not self.tty else None, no_color=not self.tty)
        console.print(title, highlight=False)
        console.print(table)
