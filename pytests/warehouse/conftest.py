"""The warehouse tests' builds are the shared session fixtures of ``pytests/conftest.py``.

``clean_build``, ``dirty_build`` and ``synced_build`` live there so that other packages (monitoring,
modelops, …) reuse the same builds; the constants stay importable from here.
"""

from __future__ import annotations

from pytests.conftest import CI_SCALE, DIRTY_RATE, SEED, new_build

__all__ = ["CI_SCALE", "DIRTY_RATE", "SEED", "new_build"]
