"""Where alerts go: a webhook (HTTP POST of JSON) or a file (one JSON object a line, appended).

The target is a URL (``http://`` or ``https://``) or a file path, from ``--notify`` or
``$MONITOR_NOTIFY``. One message per evaluation that opened or resolved alerts; nothing is sent
for alerts that were already firing (they are not new).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import asdict
from pathlib import Path
from typing import Any

from monitoring.alerts import Alert, Outcome

TIMEOUT_S = 10


class NotifyError(RuntimeError):
    """The notification could not be delivered."""


def message(outcome: Outcome) -> dict[str, Any]:
    """The JSON payload: alerts opened and resolved by this evaluation, and the count still firing."""

    def as_dict(alert: Alert) -> dict[str, Any]:
        return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(alert).items()}

    return {
        "source": "logistics-monitor",
        "opened": [as_dict(a) for a in outcome.opened],
        "resolved": [as_dict(a) for a in outcome.resolved],
        "firing_count": len(outcome.firing),
        "critical_count": len(outcome.critical),
    }


def notify(target: str, outcome: Outcome) -> bool:
    """Send the evaluation's news to ``target``; False when there was nothing new to send."""
    if not outcome.opened and not outcome.resolved:
        return False
    body = json.dumps(message(outcome), default=str, sort_keys=True)
    if target.startswith(("http://", "https://")):
        request = urllib.request.Request(
            target, data=body.encode(), headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                if response.status >= 300:
                    raise NotifyError(f"webhook {target} answered HTTP {response.status}")
        except (urllib.error.URLError, OSError) as error:
            raise NotifyError(f"webhook {target} unreachable: {error}") from error
        return True
    path = Path(target)
    if not path.parent.is_dir():
        raise NotifyError(f"notify file {target}: folder {path.parent} does not exist")
    with path.open("a", encoding="utf-8") as out:
        out.write(body + "\n")
    return True
