"""The investigator's loop: verdicts on networks, declared affiliations, and labels that
build up over time.

* :mod:`cib.review.verdicts`: record a verdict (``cib review NETWORK --verdict ...``), import
  the verdicts.json report.html writes (``cib review import``), list them, export them as
  labels ``cib evaluate`` reads (``cib review export --labels``).
* :mod:`cib.review.affiliations`: accounts a team knows belong to one organisation
  (``cib affiliations add``); pairs inside one organisation are not evidence.
* :mod:`cib.review.apply`: what a later scan says about judged networks, and the ``review``
  block of changes.json.

:func:`cib.pipeline.detect_run` calls :func:`apply_affiliations` on the detection (both
engines), :func:`mark_affiliations` on the report model before tracking, and
:func:`apply_verdicts` after tracking, before the run is saved.
"""

from __future__ import annotations

from cib.review.affiliations import (
    AFFILIATED,
    AFFILIATION_REASON,
    add_affiliations_file,
    apply_affiliations,
    mark_affiliations,
    read_affiliations,
    shared_organisation,
)
from cib.review.apply import (
    AFFILIATION,
    BENIGN,
    CHANGED,
    CONFIRMED,
    UNSURE,
    apply_verdicts,
    benign_changes,
    refresh_badges,
    rerank,
    review_changes,
)
from cib.review.verdicts import (
    FILE_FORMAT,
    VERDICTS,
    confirmed_tracks,
    current_verdicts,
    export_labels,
    import_verdicts,
    parse_verdicts_file,
    record_verdict,
    resolve_network,
    reviewer_name,
)

__all__ = [
    "AFFILIATED",
    "AFFILIATION",
    "AFFILIATION_REASON",
    "BENIGN",
    "CHANGED",
    "CONFIRMED",
    "FILE_FORMAT",
    "UNSURE",
    "VERDICTS",
    "add_affiliations_file",
    "apply_affiliations",
    "apply_verdicts",
    "benign_changes",
    "confirmed_tracks",
    "current_verdicts",
    "export_labels",
    "import_verdicts",
    "mark_affiliations",
    "parse_verdicts_file",
    "read_affiliations",
    "record_verdict",
    "refresh_badges",
    "rerank",
    "resolve_network",
    "review_changes",
    "reviewer_name",
    "shared_organisation",
]
