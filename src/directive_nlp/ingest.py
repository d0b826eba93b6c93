"""Ingest: files and folders -> read + extract each file under limits -> the store.

Every file is read and extracted in a worker process of its own (forked, so it starts at once
with the pipeline already imported) under a wall-clock limit and an address-space limit
(``Limits``). A file over a limit, or whose worker crashes, gets one line naming it and the
problem; the batch goes on. Library warnings and anything a library prints are captured in the
worker, never shown. Finished documents are written to the store one by one, in the order the
files were given, and released at once, so memory stays flat whatever the batch size: at most
``2 × jobs`` results wait to be written.

Only regular files are read: FIFOs, devices and sockets are refused, links inside a folder are
not followed out of it, every file of a folder is counted (read, or skipped with a reason), and
file names that are not valid UTF-8 are shown and stored in an escaped form.

    from directive_nlp.ingest import Limits, ingest_paths
    from directive_nlp.storage.store import Store

    with Store("outputs/directives.db") as store:
        report = ingest_paths(store, ["corpus/"], jobs=2, limits=Limits(timeout=60))
"""

from __future__ import annotations

import contextlib
import faulthandler
import hashlib
import io
import json
import logging
import multiprocessing
import os
import resource
import signal
import sqlite3
import stat
import sys
import tempfile
import time
import traceback
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DirectiveError, InputError
from .model import Block, Extraction, ReadDocument
from .reading import SUPPORTED, file_kind
from .storage import textsig

if TYPE_CHECKING:  # the store (sqlite-utils) is imported when something is written, not at start-up
    from .storage.store import Store, StoredFile, Written

__all__ = [
    "Limits",
    "Analysed",
    "IngestResult",
    "IngestReport",
    "analyse_file",
    "collect_files",
    "display_path",
    "file_sha256",
    "ingest_file",
    "ingest_paths",
    "pipeline_fingerprint",
    "read_document",
    "run_limited",
    "stored_file",
]

DEFAULT_TIMEOUT = 120.0  # seconds per file; a 200-page plan takes a few seconds
DEFAULT_MAX_MEMORY = 2048  # MB of address space per worker
# Office lock files and hidden files/folders: counted as skipped, never read.
SKIPPED_PREFIXES = (".", "~$")
# Code whose change can change an extraction (with model.py and the gazetteer data).
PIPELINE_PACKAGES = ("reading", "outline", "extraction", "normalise")
PARTITION_SCHEMA = "directive-nlp/partition/v1"
EXIT_GRACE = 5.0  # seconds a worker whose pipe closed without a result gets to exit


@dataclass(frozen=True)
class Limits:
    """Per-file limits: wall-clock seconds and MB of address space (0 or None: no limit)."""

    timeout: float | None = DEFAULT_TIMEOUT
    max_memory: int | None = DEFAULT_MAX_MEMORY


# --------------------------------------------------------------------------- paths


def display_path(path: str | Path) -> str:
    """``path`` as text that can be printed and stored: bytes that are not UTF-8 become \\xNN."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class Collected:
    """Files to read, and one-line problems and skips for everything else that was named."""

    files: list[Path] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)  # refused: count as failures
    skipped: list[InputError] = field(default_factory=list)  # not read by design: counted, named


def _check_regular(p: Path) -> InputError | None:
    """None for a regular file (or a link to one); the refusal otherwise."""
    try:
        st = p.stat()
    except FileNotFoundError:
        return InputError(display_path(p), "err.no_such_path")
    except OSError as e:
        return InputError(display_path(p), "err.cannot_open", detail=e.strerror or str(e))
    if stat.S_ISDIR(st.st_mode):
        return InputError(display_path(p), "err.is_folder")
    if not stat.S_ISREG(st.st_mode):
        return InputError(display_path(p), "err.not_regular", kind=file_kind(st.st_mode))
    return None


def _walk(root: Path, out: Collected, add: Callable[[Path], None]) -> None:
    """Every entry under ``root`` (a folder), in name order, without following links out of it."""
    real_root = root.resolve()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: os.fsencode(e.name))
        except OSError as e:
            out.problems.append(InputError(display_path(folder), "err.cannot_open", detail=e.strerror or e))
            continue
        subfolders = []
        for entry in entries:
            p = Path(entry.path)
            if entry.name.startswith(SKIPPED_PREFIXES):
                out.skipped.append(InputError(display_path(p), "msg.skipped_hidden"))
                continue
            if entry.is_symlink():
                try:
                    target = p.resolve()
                except (RuntimeError, OSError) as e:  # a loop of links (RuntimeError before 3.13)
                    out.problems.append(InputError(display_path(p), "err.cannot_open", detail=str(e)))
                    continue
                if not target.is_relative_to(real_root):
                    out.problems.append(
                        InputError(display_path(p), "err.link_outside", target=display_path(target))
                    )
                    continue
                if target.is_dir():  # its files are in the folder already, under their own path
                    out.skipped.append(InputError(display_path(p), "msg.skipped_link"))
                    continue
            if entry.is_dir():
                subfolders.append(p)
                continue
            if p.suffix.lower() not in SUPPORTED:
                out.skipped.append(InputError(display_path(p), "msg.skipped_type", suffix=p.suffix or "—"))
                continue
            problem = _check_regular(p)
            if problem is not None:
                out.problems.append(problem)
            else:
                add(p)
        stack.extend(reversed(subfolders))


def collect_files(paths: Iterable[str | Path]) -> Collected:
    """Expand files and folders (recursively) into the files to read, in a stable order.

    In a folder, files of a type ``read`` knows (``reading.SUPPORTED``) are read; every other
    entry is counted and named (``skipped``: hidden, Office lock files, other types) or refused
    (``problems``: FIFOs, devices, sockets, links out of the folder). A file named explicitly is
    kept whatever its type, so that ``read`` can say what is wrong with it. The same file (by
    its real path) is read once.
    """
    out = Collected()
    seen: set[Path] = set()

    def add(p: Path) -> None:
        r = p.resolve()
        if r not in seen:
            seen.add(r)
            out.files.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            _walk(p, out, add)
            continue
        problem = _check_regular(p)
        if problem is not None:
            out.problems.append(problem)
        else:
            add(p)
    return out


# --------------------------------------------------------------------------- read + extract


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """A short hash of the reading/extraction code, gazetteers and models in use.

    Stored with each file: an unchanged file is re-extracted when this differs, so ``make run``
    after an extractor change refreshes the store.
    """
    from . import resources

    pkg = Path(__file__).resolve().parent
    h = hashlib.sha256()
    files = [pkg / "model.py"]
    for part in PIPELINE_PACKAGES:
        files += sorted((pkg / part).rglob("*.py"))
    for f in files:
        if f.is_file():
            h.update(f.relative_to(pkg).as_posix().encode() + b"\0" + f.read_bytes())
    data, models = resources.data_dir(), resources.models_dir()
    if data is not None and data.is_dir():
        for f in sorted(data.rglob("*.toml")):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    if models is not None and models.is_dir():  # built artefacts: names and sizes suffice
        for f in sorted(p for p in models.rglob("*") if p.is_file()):
            h.update(f"{f.relative_to(models).as_posix()}:{f.stat().st_size}".encode())
    return h.hexdigest()[:16]


@dataclass
class Analysed:
    """What reading and extracting one file gives the writer."""

    extraction: Extraction
    blocks: list[Block] = field(default_factory=list)
    sketch: list[int] = field(default_factory=list)
    units: dict[str, tuple[str, str]] = field(default_factory=dict)  # unit name -> (key, display)
    notes: list[str] = field(default_factory=list)  # library warnings captured while reading
    extractor: str = ""  # pipeline_fingerprint() of the code that made it

    def to_json(self, path: str) -> dict[str, Any]:
        """One line of an extraction partition (``batch``): everything the writer needs."""
        return {
            "schema": PARTITION_SCHEMA,
            "path": path,
            "extractor": self.extractor,
            "extraction": self.extraction.to_dict(),
            "blocks": [b.to_dict() for b in self.blocks],
            "sketch": self.sketch,
            "units": {name: list(value) for name, value in self.units.items()},
            "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Analysed:
        return cls(
            extraction=Extraction.from_dict(data["extraction"]),
            blocks=[Block.from_dict(b) for b in data.get("blocks") or []],
            sketch=[int(h) for h in data.get("sketch") or []],
            units={name: (str(v[0]), str(v[1])) for name, v in (data.get("units") or {}).items()},
            notes=list(data.get("notes") or []),
            extractor=str(data.get("extractor") or ""),
        )


def read_document(path: str | Path, *, ocr: bool = True) -> ReadDocument:
    """``reading.read`` with the ingest contract: a printable path (``read`` refuses a document
    without a letter or a digit)."""
    from .reading import read

    p = Path(path)
    doc = read(p, ocr=ocr)
    doc.path = display_path(doc.path)  # what extraction records as the source and provenance
    return doc


def analyse_file(path: str | Path, *, ocr: bool = True) -> Analysed:
    """Read and extract one file (raises ``InputError`` for unreadable or empty input)."""
    from .extraction import pipeline
    from .storage.store import unit_identity

    doc = read_document(path, ocr=ocr)
    text = doc.text
    # the store holds what the spec JSON holds: the same whether written now or from a partition
    ex = Extraction.from_dict(pipeline.extract(doc).to_dict())
    names = {n for t in ex.tasks for n in (*t.lead, *t.support)}
    return Analysed(
        extraction=ex,
        blocks=list(doc.blocks),
        sketch=textsig.sketch(text),
        units={n: unit_identity(n) for n in names},
        extractor=pipeline_fingerprint(),
    )


def stored_file(path: Path, analysed: Analysed) -> StoredFile:
    """What the store writes for ``path``: its absolute display path, sha256 and extraction."""
    from .storage.store import StoredFile

    ex = analysed.extraction
    return StoredFile(
        path=display_path(path.resolve()),
        sha256=ex.source.get("sha256") or file_sha256(path),
        extraction=ex,
        blocks=analysed.blocks,
        sketch=analysed.sketch,
        extractor=analysed.extractor or pipeline_fingerprint(),
        units=analysed.units,
    )


# --------------------------------------------------------------------------- workers under limits


def _failure(e: BaseException) -> tuple[str, dict[str, Any], str]:
    """(message key, params, traceback) of an exception raised while reading a file."""
    trace = "".join(traceback.format_exception(e))
    if isinstance(e, InputError):
        return e.key, dict(e.params), trace
    if isinstance(e, MemoryError):
        return "err.memory_limit", {}, trace
    if isinstance(e, RecursionError):
        return "err.too_deep", {}, trace
    detail = " ".join(str(e).split()) or "—"
    if isinstance(e, DirectiveError):
        return "err.failed", {"detail": detail}, trace
    return "err.unexpected", {"error": f"{type(e).__name__}: {detail}"}, trace


def _worker(conn: Connection, path: str, ocr: bool, max_memory: int | None) -> None:
    """Entry point of a worker process: read and extract ``path``, send the outcome, exit.

    The worker's stdout and stderr go to /dev/null (libraries print there), Python warnings
    and log records are captured. Its address space is capped at ``max_memory`` MB.
    """
    faulthandler.disable()  # a crash is reported by the parent, in one line
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    if max_memory:
        limit = int(max_memory) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    log = io.StringIO()
    logging.basicConfig(stream=log, level=logging.WARNING, force=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            analysed = analyse_file(path, ocr=ocr)
        except Exception as e:  # the worker process's last-resort handler: any failure is one line
            key, params, trace = _failure(e)
            conn.send(("failed", key, params, trace))
            return
    analysed.notes = [f"{w.category.__name__}: {w.message}" for w in caught]
    analysed.notes += [line for line in log.getvalue().splitlines() if line.strip()]
    conn.send(("ok", analysed))


@dataclass
class _Running:
    path: Path
    process: multiprocessing.process.BaseProcess
    conn: Connection
    started: float


Outcome = tuple[Analysed | None, InputError | None, str | None]  # (result, failure, traceback)


def _start(ctx: Any, path: Path, ocr: bool, limits: Limits) -> _Running:
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(send, str(path), ocr, limits.max_memory), daemon=True)
    proc.start()
    send.close()
    return _Running(path, proc, receive, time.monotonic())


def _finish(run: _Running, limits: Limits) -> Outcome:
    """The outcome of a worker that has sent its result, died, or run out of time."""
    shown = display_path(run.path)
    message: Any = None
    if run.conn.poll():
        try:
            message = run.conn.recv()
        except (EOFError, OSError):  # died while sending
            message = None
    killed = False
    if message is None:  # died, is dying (its pipe closed first), or is out of time
        limit = limits.timeout or float("inf")
        run.process.join(max(0.0, min(EXIT_GRACE, run.started + limit - time.monotonic())))
        if run.process.is_alive():
            run.process.kill()
            killed = time.monotonic() - run.started >= limit  # else: hung on its way out
    run.process.join()
    run.conn.close()
    if message is not None and message[0] == "ok":
        return message[1], None, None
    if message is not None:
        _, key, params, trace = message
        if key == "err.memory_limit":
            params = {"mb": limits.max_memory or 0}
        return None, InputError(shown, key, **params), trace
    if killed:
        return None, InputError(shown, "err.timeout", seconds=f"{limits.timeout or 0:g}"), None
    code = run.process.exitcode or 0
    name = signal.Signals(-code).name if code < 0 else f"exit {code}"
    return None, InputError(shown, "err.worker_died", signal=name), None


def _inline(path: Path, ocr: bool) -> Outcome:
    """Read and extract in this process (where no worker process can be started): no limits."""
    try:
        return analyse_file(path, ocr=ocr), None, None
    except Exception as e:  # as the worker's last-resort handler: any failure is one line
        key, params, trace = _failure(e)
        return None, InputError(display_path(path), key, **params), trace


# A few lines of a plan, read and extracted once before workers are forked, so that every
# lazily built pattern and table already exists in them (each worker would build it again).
WARM_UP_TEXT = """ỦY BAN NHÂN DÂN HUYỆN MẪU
Số: 01/KH-UBND
KẾ HOẠCH
Thực hiện chương trình mẫu năm 2025
I. NHIỆM VỤ
1. Phòng Tư pháp chủ trì, phối hợp với Phòng Nội vụ rà soát các văn bản, hoàn thành trước ngày 30/6/2025.
2. Công an huyện thực hiện thường xuyên; báo cáo kết quả theo quý.
"""


@lru_cache(maxsize=1)
def _warm_up() -> None:
    """Import the pipeline and run it once on a short plan, so forked workers start ready."""
    with tempfile.TemporaryDirectory(prefix="directive-nlp-") as tmp:
        sample = Path(tmp) / "warm-up.txt"
        sample.write_text(WARM_UP_TEXT, encoding="utf-8")
        with warnings.catch_warnings(), contextlib.suppress(DirectiveError):
            warnings.simplefilter("ignore")
            analyse_file(sample)


def run_limited(
    files: list[Path], *, jobs: int = 1, limits: Limits | None = None, ocr: bool = True
) -> Iterator[tuple[Path, Outcome]]:
    """Read and extract ``files``, each in its own worker under ``limits``, ``jobs`` at a time.

    Yields ``(path, (analysed, failure, traceback))`` in the order of ``files``; at most
    ``2 × jobs`` finished results wait for their turn (a slow file holds back new starts, not
    memory). Stopping the iteration kills the workers still running.
    """
    if not files:
        return
    limits = limits or Limits()
    if multiprocessing.current_process().daemon:  # e.g. a Dask worker left daemonic: no children
        for path in files:
            yield path, _inline(path, ocr)
        return
    _warm_up()
    ctx = multiprocessing.get_context("fork")
    jobs = max(1, jobs)
    window = 2 * jobs
    todo = deque(enumerate(files))
    running: dict[int, _Running] = {}
    done: dict[int, Outcome] = {}
    next_out = 0
    try:
        while next_out < len(files):
            while todo and len(running) < jobs and todo[0][0] < next_out + window:
                i, path = todo.popleft()
                running[i] = _start(ctx, path, ocr, limits)
            while next_out in done:
                yield files[next_out], done.pop(next_out)
                next_out += 1
            if not running:
                continue
            now = time.monotonic()
            deadlines = [r.started + limits.timeout - now for r in running.values() if limits.timeout]
            wait_for = max(0.0, min(deadlines)) if deadlines else None
            handles: list[Any] = [r.conn for r in running.values()]
            handles += [r.process.sentinel for r in running.values()]
            ready = set(wait(handles, timeout=wait_for))
            now = time.monotonic()
            for i, run in list(running.items()):
                over = bool(limits.timeout) and now - run.started >= (limits.timeout or 0)
                if run.conn in ready or run.process.sentinel in ready or over:
                    done[i] = _finish(run, limits)
                    del running[i]
            while next_out in done:
                yield files[next_out], done.pop(next_out)
                next_out += 1
    finally:
        for run in running.values():
            run.process.kill()
            run.process.join()
            run.conn.close()


# --------------------------------------------------------------------------- results


@dataclass
class IngestResult:
    """Outcome of ingesting one file."""

    path: str  # as given, display form
    status: str  # added | updated | merged | unchanged | skipped | failed
    doc_id: int | None = None
    symbol: str | None = None
    tasks: int = 0
    citations: int = 0
    pages: int | None = None
    format: str | None = None
    error: str | None = None  # "FILE: problem" when failed or skipped
    trace: str | None = None  # the worker's traceback of an unexpected failure (for --debug)
    notes: list[str] = field(default_factory=list)  # library warnings captured while reading

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass
class IngestReport:
    """Outcome of a batch: counts by status, tasks/citations written in this run, the failures
    and skips. Every result is kept in ``results`` only with ``keep_results`` (a long batch
    streams its results to ``on_result`` instead, so the report stays small)."""

    keep_results: bool = True
    results: list[IngestResult] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[IngestResult] = field(default_factory=list)
    skipped: list[IngestResult] = field(default_factory=list)
    tasks: int = 0
    citations: int = 0

    def add(self, r: IngestResult) -> None:
        self.counts[r.status] = self.counts.get(r.status, 0) + 1
        if r.status == "failed":
            self.failures.append(r)
        elif r.status == "skipped":
            self.skipped.append(r)
        elif r.status in ("added", "updated", "merged"):
            self.tasks += r.tasks
            self.citations += r.citations
        if self.keep_results:
            self.results.append(r)

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def merged(self) -> int:
        return self.count("merged")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "merged": self.merged,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "failed": len(self.failures),
            "tasks": self.tasks,
            "citations": self.citations,
            "failures": [r.error for r in self.failures],
        }


def _result(path: Path | str, written: Written, ex: Extraction | None = None, **extra: Any) -> IngestResult:
    return IngestResult(
        path=display_path(path),
        status=written.status,
        doc_id=written.doc_id,
        symbol=ex.document.symbol if ex else None,
        # a file merged into a stored document adds only what its document gained (usually 0)
        tasks=written.tasks if written.status != "merged" else written.gained[0],
        citations=written.citations if written.status != "merged" else written.gained[1],
        pages=ex.source.get("pages") if ex else None,
        format=ex.source.get("format") if ex else None,
        **extra,
    )


def _failed(error: InputError, trace: str | None = None, status: str = "failed") -> IngestResult:
    return IngestResult(path=error.path, status=status, error=str(error), trace=trace)


# --------------------------------------------------------------------------- partitions


def partition_line(path: Path, outcome: Outcome) -> str:
    """The JSON line an extraction partition holds for one file (its result or its failure)."""
    analysed, failure, _trace = outcome
    shown = display_path(path.resolve())
    if analysed is not None:
        data = analysed.to_json(shown)
    else:
        assert failure is not None
        error = {"key": failure.key, "params": failure.params}
        data = {"schema": PARTITION_SCHEMA, "path": shown, "error": error}
    return json.dumps(data, ensure_ascii=False)


def read_partition(file: Path) -> Iterator[tuple[str, Analysed | None, InputError | None]]:
    """``(path, analysed, failure)`` for each line of a partition; ``InputError`` if malformed."""
    with file.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                if data.get("schema") != PARTITION_SCHEMA:
                    raise ValueError(f"schema {data.get('schema')!r}")
                path = str(data["path"])
                if "error" in data:
                    err = data["error"]
                    yield path, None, InputError(path, str(err["key"]), **dict(err.get("params") or {}))
                else:
                    yield path, Analysed.from_json(data), None
            except (ValueError, KeyError, TypeError, IndexError, AttributeError) as e:
                detail = str(e)[:200]
                raise InputError(display_path(file), "err.bad_partition", line=n, detail=detail) from None


def partition_files(folder: Path) -> list[Path]:
    """The partitions in ``folder`` (``*.jsonl``, in name order); ``InputError`` if none."""
    if not folder.is_dir():
        raise InputError(display_path(folder), "err.no_such_path")
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise InputError(display_path(folder), "err.no_partitions")
    return files


def ingest_partitions(
    store: Store,
    folder: str | Path,
    *,
    force: bool = False,
    on_result: Callable[[IngestResult], None] | None = None,
    keep_results: bool = True,
) -> IngestReport:
    """Load extraction partitions written by ``batch`` into the store, in order, one document
    per transaction (the same store ``ingest`` of the same files gives)."""
    report = IngestReport(keep_results=keep_results)

    def emit(result: IngestResult) -> None:
        report.add(result)
        if on_result:
            on_result(result)

    for part in partition_files(Path(folder)):
        try:
            for path, analysed, failure in read_partition(part):
                if analysed is None:
                    assert failure is not None
                    emit(_failed(failure))
                    continue
                sha = analysed.extraction.source.get("sha256") or ""
                extractor = analysed.extractor or pipeline_fingerprint()
                written = None if force else store.unchanged(path, sha, extractor)
                if written is not None:
                    emit(_result(path, written, analysed.extraction))
                else:
                    emit(write_analysed(store, Path(path), analysed))
        except InputError as e:
            emit(_failed(e))
    return report


# --------------------------------------------------------------------------- ingest


def write_analysed(store: Store, path: Path, analysed: Analysed) -> IngestResult:
    """Write one analysed file; a database failure is reported on one line, not raised."""
    try:
        written = store.write(stored_file(path, analysed))
    except (sqlite3.Error, OSError, UnicodeError, DirectiveError) as e:  # not stored; the next file goes in
        key, params, trace = _failure(e)
        return _failed(InputError(display_path(path), key, **params), trace)
    return _result(path, written, analysed.extraction, notes=analysed.notes)


def _unchanged(store: Store, path: Path, force: bool) -> IngestResult | None:
    if force:
        return None
    row = store.stored_file(display_path(path.resolve()))
    if row is None:
        return None
    written = store.unchanged(row["path"], file_sha256(path), pipeline_fingerprint())
    if written is None:
        return None
    return IngestResult(
        path=display_path(path),
        status="unchanged",
        doc_id=written.doc_id,
        tasks=written.tasks,
        citations=written.citations,
        pages=row["pages"],
        format=row["format"],
    )


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    jobs: int = 1,
    limits: Limits | None = None,
    ocr: bool = True,
    force: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    keep_results: bool = True,
) -> IngestReport:
    """Ingest files and folders into ``store``; never raises for a bad file (one line each).

    ``jobs`` workers read and extract at once (each file in its own process under ``limits``);
    writing stays in this process, each document in its own transaction as soon as it is
    ready. ``force`` re-extracts files stored unchanged. ``on_start(total)`` is called once with
    the number of entries, ``on_result`` once per entry (file, refusal or skip).
    """
    limits = limits or Limits()
    collected = collect_files(paths)
    report = IngestReport(keep_results=keep_results)

    def emit(result: IngestResult) -> None:
        report.add(result)
        if on_result:
            on_result(result)

    if on_start:
        on_start(len(collected.files) + len(collected.problems) + len(collected.skipped))
    for problem in collected.problems:
        emit(_failed(problem))
    for skip in collected.skipped:
        emit(_failed(skip, status="skipped"))

    todo: list[Path] = []
    for f in collected.files:
        try:
            unchanged = _unchanged(store, f, force)
        except OSError as e:
            emit(_failed(InputError(display_path(f), "err.cannot_open", detail=e.strerror or str(e))))
            continue
        if unchanged is not None:
            emit(unchanged)
        else:
            todo.append(f)

    for path, (analysed, failure, trace) in run_limited(todo, jobs=jobs, limits=limits, ocr=ocr):
        if analysed is None:
            assert failure is not None
            emit(_failed(failure, trace))
        else:
            emit(write_analysed(store, path, analysed))
    return report


def ingest_file(
    store: Store, path: str | Path, *, limits: Limits | None = None, ocr: bool = True, force: bool = False
) -> IngestResult:
    """Ingest one file (in a worker under ``limits``); raises ``InputError`` when it cannot be.

    A file stored with the same path, sha256 and extractor fingerprint is left alone
    ("unchanged") unless ``force``. Errors of the database itself propagate.
    """
    p = Path(path)
    limits = limits or Limits()
    problem = _check_regular(p)
    if problem is not None:
        raise problem
    unchanged = _unchanged(store, p, force)
    if unchanged is not None:
        return unchanged
    for _, (analysed, failure, _trace) in run_limited([p], limits=limits, ocr=ocr):
        if analysed is None:
            assert failure is not None
            raise failure
        return _result(p, store.write(stored_file(p, analysed)), analysed.extraction, notes=analysed.notes)
    raise AssertionError("unreachable")  # pragma: no cover


def ingest_analysed(store: Store, path: str | Path, analysed: Analysed) -> IngestResult:
    """Write an extraction made elsewhere (``batch`` partitions); raises database errors."""
    p = Path(path)
    return _result(p, store.write(stored_file(p, analysed)), analysed.extraction, notes=analysed.notes)
