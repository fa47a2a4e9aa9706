"""The judge's clock: CPU seconds of the calling thread, so that a verdict does not depend on the machine's load.

Every time limit inside a judgement (a formula's, an assignment search's, an evaluation's) is measured with
:func:`now`. Wall-clock limits gave different verdicts on a busy machine than on a quiet one: a formula
judged CORRECT in 1.5 s on an idle machine ran out of a 4 s limit when four other processes shared its two
cores, and was reported UNRECOGNIZED. The CPU time of the judging thread advances only while that thread
computes, so the same document gets the same verdicts under any load (up to cache effects, a few per cent).

The document's own budget (:mod:`proofs.budget`) stays in wall seconds: that one is a service limit, about
how long a caller waits.

Examples
--------
>>> t0 = now()
>>> _ = sum(i * i for i in range(200_000))
>>> now() >= t0
True
>>> import time as _t
>>> t1 = now(); _t.sleep(0.05); round(now() - t1, 2) < 0.05   # sleeping costs no CPU time
True
"""

from __future__ import annotations

import time

__all__ = ["now"]


def now() -> float:
    """CPU seconds used so far by the calling thread (a monotonic count; only differences mean anything)."""
    return time.thread_time()
