"""Scale-out: check many documents on a Dask cluster (``convproof check big/ --dask local|tcp://host:8786``).

The same per-document work as the local process pool (:func:`proofs.course.check_paths`, which stays the
default): each document is one task running the pool's per-document checker on a worker, so
the reports are the same, in path order. Dask is an optional extra (``pip install "convproof[dask]"``),
imported only here. The documents' paths must be readable by the workers (a shared file system).
"""

from __future__ import annotations

import os
from functools import partial
from typing import Iterable

from ..findings import Report

__all__ = ["check_paths_dask"]


def check_paths_dask(paths: Iterable[str | os.PathLike], address: str, *, verbose: bool = False,
                     strict: bool = False, budget=None) -> list[Report]:
    """Check every document under ``paths`` on the Dask cluster at ``address``; one report per document.

    Parameters
    ----------
    paths : files and directories (as :func:`proofs.course.check_paths`).
    address : ``"local"`` (a ``LocalCluster`` of one single-threaded worker process per core, closed
        afterwards) or a scheduler address such as ``"tcp://scheduler:8786"``.

    Raises
    ------
    ImportError
        when Dask's ``distributed`` is not installed (with the install line).
    ValueError
        when ``address`` is empty.
    """
    if not isinstance(address, str) or not address.strip():
        raise ValueError(f"--dask needs 'local' or a scheduler address such as tcp://host:8786, got {address!r}")
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ImportError('checking on Dask needs the dask extra: pip install "convproof[dask]"') from exc
    from ..course import INTERNAL_ERROR, _check_one, _error_report, walk_paths

    files, unlisted = walk_paths(paths)
    cluster = LocalCluster(threads_per_worker=1, processes=True, dashboard_address=None) \
        if address.strip() == "local" else None
    client = Client(cluster if cluster is not None else address.strip())
    try:
        one = partial(_check_one, verbose=verbose, strict=strict, check=None, budget=budget)
        futures = client.map(one, [str(f) for f in files], pure=False)
        out = []
        for f, fut in zip(files, futures):
            try:
                out.append(fut.result())
            except Exception as exc:  # noqa: BLE001 - a lost worker or an unpicklable result: an error report
                out.append(_error_report(str(f), f"{type(exc).__name__}: {exc}", strict, INTERNAL_ERROR))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return out + [_error_report(str(d), f"{d}: {why}", strict) for d, why in unlisted]
