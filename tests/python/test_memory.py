"""Creating and freeing objects many times leaves memory where it was."""
import gc
import os

import pytest

import touchpoint as tp


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def churn(rounds):
    """Five handles, one analysis result and one exception per round."""
    for i in range(rounds):
        catalog = tp.Catalog()
        catalog.add_touchpoint("web", stage="before")
        events = tp.Events(catalog)
        events.append_many(["c%d" % i, "c%d" % i], [0, 1000], ["web", "cart"])
        table = tp.journeys(events, timeout="1d", stage="before")
        options = tp.Options(level=0.9)
        f = tp.Filter(channel="web")
        try:
            catalog.find_touchpoint("missing")
        except tp.NotFoundError:
            pass
        del catalog, events, table, options, f


@pytest.mark.skipif("LD_PRELOAD" in os.environ and "asan" in os.environ["LD_PRELOAD"],
                    reason="AddressSanitizer keeps freed memory in quarantine")
def test_100k_objects_do_not_grow_memory():
    churn(20000)                      # warm up the allocators
    gc.collect()
    before = rss_bytes()
    churn(20000)                      # 20,000 rounds x 5 handles = 100,000 objects
    gc.collect()
    growth = rss_bytes() - before
    # one leaked catalog or table per round would be megabytes
    assert growth < 2 * 1024 * 1024, "resident memory grew by %d bytes" % growth
