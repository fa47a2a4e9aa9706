"""Scale-out on Dask: a LocalCluster of 2 workers gives the same reports as the local process pool."""

import time

import pytest

pytest.importorskip("distributed", reason='Dask is not installed (pip install "convproof[dask]")')

from distributed import LocalCluster  # noqa: E402

from proofs.course import check_paths  # noqa: E402
from proofs.integrations.dask_run import check_paths_dask  # noqa: E402

N_DOCUMENTS = 200


def _collection(root, n):
    """``n`` small documents: each states an output-size formula, right or wrong, and a worked example."""
    for i in range(n):
        k, s = 1 + i % 5, 1 + i % 3
        formula = ("H_{out} = \\left\\lfloor \\frac{H + 2P - k}{S} \\right\\rfloor + 1" if i % 2
                   else "H_{out} = \\frac{H - k}{S}")
        h = 10 + i
        example = f"With $H = {h}$, $k = {k}$, $P = 0$ and $S = {s}$ the output has $H_{{out}} = {(h - k) // s + 1 + i % 4 // 3}$ rows."
        sub = root / f"part{i % 7}"
        sub.mkdir(exist_ok=True)
        (sub / f"doc{i:03d}.md").write_text(f"# Convolution {i}\n\nThe output size is $${formula}$$\n\n{example}\n")


def _key(reports):
    return [(r.document, [(f.line, f.kind, f.source, f.verdict.value, f.expected) for f in r.findings]) for r in reports]


def test_dask_local_cluster_gives_the_process_pool_reports(tmp_path, capsys):
    _collection(tmp_path, N_DOCUMENTS)
    t0 = time.perf_counter()
    pool = check_paths([tmp_path], jobs=2, progress=False, verbose=True)
    t_pool = time.perf_counter() - t0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        t0 = time.perf_counter()
        dask = check_paths_dask([tmp_path], cluster.scheduler_address, verbose=True)
        t_dask = time.perf_counter() - t0
    assert len(pool) == N_DOCUMENTS
    assert _key(dask) == _key(pool)
    assert sum(f.verdict.value == "INCORRECT" for r in dask for f in r.findings) >= N_DOCUMENTS // 2
    with capsys.disabled():
        print(f"\n{N_DOCUMENTS} documents: process pool (2 workers) {N_DOCUMENTS / t_pool:.1f} docs/s, "
              f"Dask LocalCluster (2 workers) {N_DOCUMENTS / t_dask:.1f} docs/s")


@pytest.mark.parametrize("address", ["", "   "])
def test_an_empty_address_is_refused(address):
    with pytest.raises(ValueError, match="--dask needs 'local' or a scheduler address"):
        check_paths_dask(["."], address)
