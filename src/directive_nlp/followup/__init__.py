"""Follow-up of obligations: progress reports, task statuses, the register, periodic reports.

One component per module:

* ``cues``       status cue phrases (data: ``gazetteers/status_cues.toml``) -> a status
* ``recognise``  is this document a progress report?
* ``items``      one ``StatusItem`` per reported task (task words, status, unit, evidence, as-of)
* ``link``       status items -> stored tasks (cited documents first, then task-word alignment)
* ``register``   per task its latest status, overdue and unreported tasks
* ``api``        the library functions behind the ``status`` and ``report`` commands

``cues``, ``recognise``, ``items``, ``link`` and ``register`` are pure; the store lives in
``storage.status``.
"""

from __future__ import annotations

STATUSES = ("done", "in_progress", "overdue", "not_started")
# the register adds this for tasks no report mentions
UNREPORTED = "unreported"
