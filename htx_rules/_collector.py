"""Pausing Python's garbage collector around work that builds many objects.

Compiling a rubric and building a trace tree allocate thousands of container
objects and free almost none: no garbage cycles.  The collector, run every
few hundred allocations, would scan them again and again (and, for a full
collection, every module and the parser tables too), so that the time grows
faster than the work.  Paused, the work is linear; the collector is resumed
afterwards if it was running.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the garbage collector inside the ``with`` block (resumed after
    it only if it was running before)."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
