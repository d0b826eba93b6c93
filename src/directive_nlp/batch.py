"""Batch extraction beyond one machine: read + extract over many files on Dask.

``run_batch(paths, out)`` splits the files into groups, maps read + extract over them on a Dask
cluster (a ``LocalCluster`` by default, or the scheduler at ``scheduler``), and writes one
extraction partition (JSON Lines, ``part-00000.jsonl`` …) per group as results come back.
Inside a Dask worker each file is still read in a process of its own under ``Limits``.
``ingest_partitions`` (``directive-nlp ingest --from DIR``) then loads the partitions into the
store, giving the same store as ``ingest`` of the same files.

The workers must be able to read the input paths (a shared file system on a real cluster);
partitions are written by the client, so the output folder need only exist where it runs.
Dask is an optional dependency (the ``[batch]`` extra).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DirectiveError
from .i18n import msg
from .ingest import Collected, Limits, collect_files, partition_line, run_limited

DEFAULT_GROUP = 25  # files per task and per partition


class BatchUnavailable(DirectiveError):
    """Dask (``dask.distributed``) is not installed, or the scheduler cannot be reached."""


@dataclass
class BatchReport:
    partitions: list[Path] = field(default_factory=list)
    files: int = 0
    failed: int = 0
    collected: Collected = field(default_factory=Collected)


def _extract_group(files: list[str], limits: Limits, ocr: bool) -> tuple[list[str], int]:
    """A Dask task: the partition lines of a group of files, in order, and how many failed."""
    lines, failed = [], 0
    for path, outcome in run_limited([Path(f) for f in files], limits=limits, ocr=ocr):
        lines.append(partition_line(path, outcome))
        failed += outcome[0] is None
    return lines, failed


def _client(scheduler: str | None, workers: int, processes: bool) -> Any:
    try:
        import dask
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise BatchUnavailable(msg("err.dask_missing")) from None
    # workers start a process per file (under the limits): they must not be daemonic
    dask.config.set({"distributed.worker.daemon": False})
    if scheduler:
        try:
            return Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as e:
            raise BatchUnavailable(msg("err.scheduler", detail=f"{scheduler}: {e}")) from None
    cluster = LocalCluster(
        n_workers=max(1, workers),
        threads_per_worker=1,
        processes=processes,
        dashboard_address=None,
    )
    return Client(cluster)


def run_batch(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    group: int = DEFAULT_GROUP,
    limits: Limits | None = None,
    ocr: bool = True,
    processes: bool = True,
    on_partition: Callable[[Path, int, int], None] | None = None,
) -> BatchReport:
    """Extract ``paths`` on Dask and write the partitions to ``out`` (created if needed).

    Each partition is written (to a temporary name, then renamed) as soon as its group is done,
    and released; ``on_partition(file, lines, failed)`` is called for each.
    """
    limits = limits or Limits()
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    collected = collect_files(paths)
    files = [os.fsdecode(os.fsencode(f)) for f in collected.files]
    groups = [files[i : i + group] for i in range(0, len(files), max(1, group))]
    report = BatchReport(collected=collected)
    client = _client(scheduler, workers, processes)
    from dask.distributed import as_completed  # importable: _client checked

    try:
        futures = {
            client.submit(_extract_group, chunk, limits, ocr, pure=False): n for n, chunk in enumerate(groups)
        }
        for future in as_completed(futures):
            n = futures[future]
            lines, failed = future.result()
            target = out_dir / f"part-{n:05d}.jsonl"
            tmp = target.with_suffix(".jsonl.tmp")
            tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            tmp.replace(target)
            report.partitions.append(target)
            report.files += len(lines)
            report.failed += failed
            if on_partition:
                on_partition(target, len(lines), failed)
            future.release()
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None and not scheduler:
            cluster.close()
    report.partitions.sort()
    return report
