"""Typed data passed between the pipeline stages.

reading -> ``ReadDocument`` (blocks with provenance)
outline -> ``OutlineNode`` per block (enumerator, level, role)
extraction -> ``Extraction`` (document metadata, citations, tasks)

Every stage takes and returns these dataclasses; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Kinds of block a reader may emit.
BLOCK_KINDS = ("heading", "paragraph", "list_item", "table_row", "header")


@dataclass
class Block:
    """One unit of reading order: a paragraph, heading, list item or table row.

    ``text`` is the cleaned display text (Unicode NFC, control characters and look-alike
    letters fixed, original tone-mark placement kept). A list label rendered from Word's
    automatic numbering is part of ``text`` and also kept in ``label``.
    ``span`` is the character span of ``text`` inside ``ReadDocument.text``.
    """

    index: int
    text: str
    kind: str = "paragraph"
    page: int | None = None
    span: tuple[int, int] = (0, 0)
    label: str | None = None
    level: int | None = None  # heading level (Markdown '#', Word outline level) when known
    bold: bool = False  # the whole block is bold/emphasised (a heading cue)
    cells: list[str] | None = None  # table rows: the cell texts in column order
    table: int | None = None  # table rows: index of the table within the document
    header_row: bool = False  # table rows: this row is the table's header
    source: str | None = None  # reader-specific locator, e.g. "p12" (DOCX paragraph), "page 3 line 7"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        return {k: v for k, v in d.items() if v not in (None, False) or k in ("index", "text", "kind")}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Block:
        span = d.get("span") or (0, 0)
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__ and k != "span"}
        return cls(**known, span=(int(span[0]), int(span[1])))


@dataclass
class ReadDocument:
    """What a reader returns: the blocks of one file in reading order."""

    path: str
    format: str  # txt | md | pdf | docx
    sha256: str
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    ocr: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    def reindex(self) -> ReadDocument:
        """Renumber blocks and recompute spans after blocks were added or removed."""
        pos = 0
        for i, b in enumerate(self.blocks):
            b.index = i
            b.span = (pos, pos + len(b.text))
            pos += len(b.text) + 1
        return self


@dataclass
class Provenance:
    """Where an extracted value comes from."""

    document: str  # path of the source file
    block: int  # index of the first block
    page: int | None
    span: tuple[int, int]  # character span in ReadDocument.text
    blocks: list[int] = field(default_factory=list)  # every block that contributed

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "block": self.block,
            "page": self.page,
            "span": list(self.span),
            "blocks": self.blocks,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Provenance:
        span = d.get("span") or (0, 0)
        return cls(
            document=d.get("document") or "",
            block=int(d.get("block") or 0),
            page=d.get("page"),
            span=(int(span[0]), int(span[1])),
            blocks=list(d.get("blocks") or []),
        )


@dataclass
class Deadline:
    kind: str = "none"  # by_date in_month in_quarter in_year range recurring ongoing immediate none
    due: str | None = None  # ISO date
    start: str | None = None
    text: str | None = None
    inherited: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "due": self.due, "start": self.start, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Deadline:
        d = d or {}
        return cls(kind=d.get("kind") or "none", due=d.get("due"), start=d.get("start"), text=d.get("text"))


@dataclass
class Citation:
    symbol: str  # canonical symbol or stable name key
    doc_type: str | None = None
    date: str | None = None
    issuer: str | None = None
    mentions: int = 0
    evidence: list[str] = field(default_factory=list)  # sentences citing it (for graph edges)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "doc_type": self.doc_type,
            "date": self.date,
            "issuer": self.issuer,
            "mentions": self.mentions,
            "evidence": self.evidence[:3],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Citation:
        return cls(
            symbol=d["symbol"],
            doc_type=d.get("doc_type"),
            date=d.get("date"),
            issuer=d.get("issuer"),
            mentions=int(d.get("mentions") or 0),
            evidence=list(d.get("evidence") or []),
        )


@dataclass
class DocumentMeta:
    symbol: str | None = None
    doc_type: str | None = None
    title: str | None = None
    issuer: str | None = None
    issued_date: str | None = None
    signer: str | None = None
    implements: list[str] = field(default_factory=list)
    place: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "doc_type": self.doc_type,
            "title": self.title,
            "issuer": self.issuer,
            "issued_date": self.issued_date,
            "signer": self.signer,
            "implements": list(self.implements),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> DocumentMeta:
        d = d or {}
        return cls(
            symbol=d.get("symbol"),
            doc_type=d.get("doc_type"),
            title=d.get("title"),
            issuer=d.get("issuer"),
            issued_date=d.get("issued_date"),
            signer=d.get("signer"),
            implements=list(d.get("implements") or []),
        )


@dataclass
class Task:
    id: str
    text: str
    section: str | None = None
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    deadline: Deadline = field(default_factory=Deadline)
    targets: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    phase: str | None = None
    lead_implied: bool = False  # lead is the issuer, not stated
    basis: str | None = None  # a task table's reference column ("Thông báo số 14-TB/TGV …")
    cite_context: str | None = None  # text whose citations the task inherits (a table row's whole cell)
    # where lead and deadline came from: stated, field_line, heading, introducing_sentence,
    # table_column, phase, implied_issuer (None: no lead / no deadline)
    lead_source: str | None = None
    deadline_source: str | None = None
    deliverable: str | None = None  # a task table's product / result column ("Sản phẩm")
    provenance: Provenance | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "section": self.section,
            "phase": self.phase,
            "lead": self.lead,
            "support": self.support,
            "deadline": self.deadline.to_dict(),
            "targets": self.targets,
            "cites": self.cites,
        }
        if self.lead_implied:
            d["lead_implied"] = True
        if self.basis:
            d["basis"] = self.basis
        for key in ("lead_source", "deadline_source", "deliverable"):
            value = getattr(self, key)
            if value:
                d[key] = value
        if self.provenance:
            d["provenance"] = self.provenance.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Task:
        prov = d.get("provenance")
        return cls(
            id=str(d["id"]),
            text=d.get("text") or "",
            section=d.get("section"),
            lead=list(d.get("lead") or []),
            support=list(d.get("support") or []),
            deadline=Deadline.from_dict(d.get("deadline")),
            targets=list(d.get("targets") or []),
            cites=list(d.get("cites") or []),
            phase=d.get("phase"),
            lead_implied=bool(d.get("lead_implied")),
            basis=d.get("basis"),
            lead_source=d.get("lead_source"),
            deadline_source=d.get("deadline_source"),
            deliverable=d.get("deliverable"),
            provenance=Provenance.from_dict(prov) if isinstance(prov, dict) else None,
        )


@dataclass
class Extraction:
    source: dict[str, Any]
    document: DocumentMeta
    citations: list[Citation] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "directive-nlp/extraction/v1",
            "source": self.source,
            "document": self.document.to_dict(),
            "citations": [c.to_dict() for c in self.citations],
            "tasks": [t.to_dict() for t in self.tasks],
            "warnings": self.warnings,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        """Rebuild an ``Extraction`` from the spec JSON (a gold file or a stored extraction)."""
        return cls(
            source=dict(data.get("source") or {}),
            document=DocumentMeta.from_dict(data.get("document")),
            citations=[Citation.from_dict(c) for c in data.get("citations") or []],
            tasks=[Task.from_dict(t) for t in data.get("tasks") or []],
            warnings=list(data.get("warnings") or []),
        )
