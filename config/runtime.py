"""Process tuning for web workers, shared by gunicorn.conf.py and the benches (which
measure pages as a worker serves them).

Python's cyclic garbage collector runs a full collection every few hundred thousand
allocations, and a full collection walks every live object: the worker's search caches
and a page's model instances. Rendering a 150-exchange briefing page took 42 ms, but
1 render in 10 took 100-160 ms for that walk (measured with bench/page_bench.py: p95
45 ms with the collector off). Collecting the youngest generation less often and leaving
the objects of start-up out of full collections brought p95 to 75-95 ms.
"""

from __future__ import annotations

import gc

GC_THRESHOLDS = (50_000, 20, 100)  # CPython's defaults are (700, 10, 10)


def tune_gc() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    gc.freeze()  # what exists now (settings, URL conf, templates) is never collected
