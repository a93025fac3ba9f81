"""Per-call overhead of an analysis on a tiny input (what a Dask partition or the
report pays per call): scorecard on the sample and on one response, best of 5
x 50 calls. Run: PYTHONPATH=build/bindings/python LD_LIBRARY_PATH=build/lib
/usr/bin/python3 bench/small_calls.py"""
import time, touchpoint as tp
c,e,f=tp.load_sample()
small=tp.Feedback(c); small.append("c1", 1767225600000, "website", "csat", 4, comment="great")
for name, fb in (("sample", f), ("one row", small)):
    best=1e9
    for _ in range(5):
        t=time.perf_counter()
        for _ in range(50): tp.scorecard(None, fb)
        best=min(best,(time.perf_counter()-t)/50)
    print("%s: scorecard %.3f ms" % (name, best*1e3))
