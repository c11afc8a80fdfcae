"""The report model: what one detection run found, as the writers read it.

:class:`Report` is a frozen dataclass: the run metadata, the ranked networks, and the blocks
later steps add (``tracking`` from :mod:`cib.tracking`, ``review`` from :mod:`cib.review`).
A step that adds to the report returns a new one (``dataclasses.replace``) instead of
changing it in place. :meth:`Report.to_dict` is networks.json (``networks.schema.json``);
:meth:`Report.from_dict` reads a document back (networks.json, the store's copy of a run).

A network is a :class:`Network` ``TypedDict``, not a dataclass, and so are its parts
(members, edges, evidence and its example posts, timeline, histograms). A network is a
nested JSON document several steps annotate (tracking adds ``history``, the review steps
``review``, ranks and flags) and several read back from disk; as a ``TypedDict`` every key is
typed for mypy, while at run time it stays the plain dict networks.json holds, with no
conversion on the way in or out, and its key order is the document's order, so networks.json
comes out as it always did. Dataclasses for it would need a converter per level, written and
kept in step with the schema by hand, for no gain at run time.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

__all__ = [
    "SCHEMA_VERSION",
    "Edge",
    "Evidence",
    "EvidencePost",
    "HistogramBucket",
    "Member",
    "Network",
    "Report",
    "ReportLike",
    "RunMeta",
    "TimelinePoint",
    "Tracking",
    "as_report",
]

#: ``schema_version`` of networks.json.
SCHEMA_VERSION = 1


class Member(TypedDict):
    """One account of a network (``networks[].members[]``)."""

    account_id: str
    account_name: NotRequired[str | None]
    account_location: NotRequired[str | None]
    account_created_at: NotRequired[str | None]
    followers: NotRequired[int | None]
    client: NotRequired[str | None]
    posts: int
    coordinated_posts: int
    degree: float
    role: str


class Edge(TypedDict):
    """A kept pair inside a network on one signal (``networks[].edges[]``)."""

    account_a: str
    account_b: str
    signal: str
    n_coactions: int
    weight: float
    z: float


class EvidencePost(TypedDict):
    """An example post of a shared object."""

    post_id: str
    account_id: str
    created_at: str | None
    text: str | None


class Evidence(TypedDict):
    """A shared object the members acted on together (``networks[].evidence[]``)."""

    signal: str
    object_id: str
    label: str
    n_accounts: int
    first_at: str | None
    last_at: str | None
    span_s: float
    posts: list[EvidencePost]


class TimelinePoint(TypedDict):
    """A member post on the network's timeline."""

    account_id: str
    created_at: str
    coordinated: bool


class HistogramBucket(TypedDict):
    """Accounts created in one week."""

    bucket: str
    count: int


class Network(TypedDict):
    """One network of the report, ranked (``networks[]``).

    ``history`` is added by :func:`cib.tracking.annotate_with_history` and ``review`` by the
    review steps; both are plain data described in their modules.
    """

    network_id: int
    rank: int
    score: float
    flagged: bool
    name: str
    why: str
    parts: dict[str, float | None]
    signals: dict[str, int]
    members: list[Member]
    edges: list[Edge]
    evidence: list[Evidence]
    timeline: list[TimelinePoint]
    creation_histogram: list[HistogramBucket]
    hours: dict[str, Any]
    bursts: NotRequired[dict[str, Any]]
    platforms: NotRequired[dict[str, int]]
    demoted: NotRequired[list[str]]
    history: NotRequired[dict[str, Any]]
    review: NotRequired[dict[str, Any]]


class RunMeta(TypedDict, total=False):
    """The run block (``run``): what ran on which inputs, and the counts.

    The pipeline gives the first group; :func:`cib.assemble.build_report` adds ``counts``
    (merged into any given), ``caps``, ``detection`` and ``demoted``; tracking adds
    ``new_inputs`` and ``previous_run_id``.
    """

    cib_version: str
    run_id: str
    created_at: str
    engine: str
    model_id: str | None
    config: dict[str, Any]
    inputs: list[dict[str, Any]]
    counts: dict[str, int]
    caps: dict[str, int]
    detection: dict[str, Any]
    demoted: dict[str, Any]
    new_inputs: list[dict[str, Any]]
    previous_run_id: str | None


class Tracking(TypedDict, total=False):
    """Network identity across runs (``tracking``, :mod:`cib.tracking`)."""

    previous_run_id: str | None
    earlier_runs: int
    counts: dict[str, int]
    dormant: list[dict[str, Any]]
    watchlist_accounts: int
    params: dict[str, Any]
    playbook: dict[str, Any] | None


@dataclass(frozen=True)
class Report:
    """The report of one detection run (the content of networks.json).

    ``networks`` are in rank order once built; the writers sort by ``rank`` anyway, so a
    document edited by hand renders the same.
    """

    run: RunMeta
    networks: list[Network] = field(default_factory=list)
    tracking: Tracking | None = None
    review: dict[str, Any] | None = None
    schema_version: int = SCHEMA_VERSION

    @property
    def by_rank(self) -> list[Network]:
        """The networks sorted by rank."""
        return sorted(self.networks, key=lambda n: n["rank"])

    @property
    def flagged(self) -> list[Network]:
        """The flagged networks, in list order."""
        return [n for n in self.networks if n.get("flagged")]

    def to_dict(self) -> dict[str, Any]:
        """networks.json as data: ``schema_version``, ``run``, ``networks``, then
        ``tracking`` and ``review`` when present (the networks are shared, not copied)."""
        out: dict[str, Any] = {
            "schema_version": self.schema_version,
            "run": self.run,
            "networks": self.networks,
        }
        if self.tracking is not None:
            out["tracking"] = self.tracking
        if self.review is not None:
            out["review"] = self.review
        return out

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Report:
        """The model of a networks.json document (validate it first to be sure of it:
        :func:`cib.report.validate_report`). The networks are shared, not copied."""
        return cls(
            run=doc.get("run", {}),
            networks=list(doc.get("networks", [])),
            tracking=doc.get("tracking"),
            review=doc.get("review"),
            schema_version=int(doc.get("schema_version", SCHEMA_VERSION)),
        )

    def __getitem__(self, key: str) -> Any:
        """Deprecated: ``report["networks"]`` reads the document's top-level keys, for
        callers written against the dict the report used to be; use the attributes."""
        warnings.warn(
            f"report[{key!r}] is deprecated; the report is a cib.report.model.Report: use "
            f"report.{key} (or report.to_dict() for the networks.json document).",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.to_dict()[key]

    def get(self, key: str, default: Any = None) -> Any:
        """Deprecated, as :meth:`__getitem__`."""
        warnings.warn(
            f"report.get({key!r}) is deprecated; use report.{key} on the Report.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.to_dict().get(key, default)


#: What the writers accept: the model, or a networks.json document read back.
ReportLike = Report | Mapping[str, Any]


def as_report(report: ReportLike) -> Report:
    """``report`` as the model (a document is read with :meth:`Report.from_dict`)."""
    return report if isinstance(report, Report) else Report.from_dict(report)
