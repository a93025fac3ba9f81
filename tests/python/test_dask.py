"""Partial aggregates on a Dask cluster: 8 customer partitions on a
LocalCluster of 2 worker processes give exactly the single-process tables."""
import os
import pickle
import zlib

import pandas as pd
import pytest

import touchpoint as tp

NPART = 8


def split_by_customer(src, out_dir, stem):
    """Write src (CSV without quoted newlines) as NPART files by customer."""
    with open(src, encoding="utf-8") as f:
        header, *lines = f.read().splitlines(keepends=True)
    parts = [[header] for _ in range(NPART)]
    for line in lines:
        parts[zlib.crc32(line.split(",", 1)[0].encode()) % NPART].append(line)
    paths = []
    for i, part in enumerate(parts):
        path = os.path.join(out_dir, "%s-%d.csv" % (stem, i))
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(part)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def partitions(tmp_path_factory):
    d = tp.sample_dir()
    out = str(tmp_path_factory.mktemp("parts"))
    ev = split_by_customer(os.path.join(d, "events.csv"), out, "events")
    fb = split_by_customer(os.path.join(d, "feedback.csv"), out, "feedback")
    return [{"events": e, "feedback": f} for e, f in zip(ev, fb)]


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def same(single, merged):
    pd.testing.assert_frame_equal(single.to_pandas(), merged.to_pandas(), check_exact=True)


CASES = [
    ("scorecard", {}),
    ("transitions", {}),
    ("variants", {"top": 1000}),
    ("variants", {"top": 1000, "collapse": "repeats"}),
    ("scorecard", {"segment": "segment=new", "level": 0.9}),
    ("markov", {}),
    ("markov", {"order": 2}),
    ("shapley", {}),
    ("funnel", {"steps": "website, product-page?, cart, online-checkout<7d"}),
    ("funnel", {"steps": ["advertising", "website", "cart"], "mode": "strict", "window": "30d"}),
]


@pytest.mark.parametrize("kind,kw", CASES)
def test_dask_equals_single_process(client, partitions, sample, kind, kw):
    catalog, events, feedback = sample
    single = {"scorecard": lambda: tp.scorecard(events, feedback, **kw),
              "transitions": lambda: tp.transitions(events, **kw),
              "variants": lambda: tp.variants(events, **kw),
              "markov": lambda: tp.attribute(events, "markov", **kw),
              "shapley": lambda: tp.attribute(events, "shapley", **kw),
              "funnel": lambda: tp.funnel(events, **kw)[0],
              }[kind]()
    parts = partitions if kind == "scorecard" else [{"events": p["events"]} for p in partitions]
    merged = tp.run_on_dask(kind, parts, catalog, client=client, split_every=2, **kw)
    assert len(merged) >= 3  # the shortest: a 3-step funnel
    same(single, merged)


def test_partials_ran_on_the_workers(client, partitions, sample):
    """The workers (other processes) really built the partials."""
    catalog = sample[0]
    futures = [client.submit(tp.partial_bytes, "transitions", catalog.to_json(),
                             {"events": p["events"]}, pure=False) for p in partitions]
    blobs = client.gather(futures)
    who = client.run(os.getpid)
    assert len(who) == 2 and os.getpid() not in who.values()
    merged = tp.Aggregate.from_bytes(tp.merge_bytes(*blobs))
    same(tp.transitions(sample[1]), merged.finalize(catalog))


def test_aggregate_object(sample):
    catalog, events, feedback = sample
    a = tp.Aggregate("variants")
    assert a.empty() and a.kind() == "variants" and "empty" in repr(a)
    a.add(events)
    b = pickle.loads(pickle.dumps(a))
    assert b.to_bytes() == a.to_bytes()
    doubled = (a + b).finalize(catalog, top=3).to_pandas()
    once = a.finalize(catalog, top=3).to_pandas()
    assert list(doubled["journeys"]) == [2 * n for n in once["journeys"]]
    with pytest.raises(tp.ParseError, match="byte 0: magic"):
        tp.Aggregate.from_bytes(b"nope" + a.to_bytes()[4:])
    with pytest.raises(tp.ConflictError, match="timeout"):
        a.add(events, timeout="1h")
    with pytest.raises(tp.InvalidArgumentError, match="unknown aggregate kind"):
        tp.Aggregate("funnels")
    with pytest.raises(tp.InvalidArgumentError):
        a.merge(tp.Aggregate("scorecard").add(events, feedback))


def test_path_sets_merge(sample):
    """Path aggregates (fractional counts) split in two merge to tp.attribute."""
    whole, halves = tp.Paths(), [tp.Paths(), tp.Paths()]
    rows = [(["search", "website", "store"], 3.5, 120.25, 1), (["social", "website"], 0, 0, 4.75),
            (["email", "store", "store"], 2.1, 40.3, 2.2), (["social"], 0.2, 1.1, 9)]
    for i in range(40):
        touch, conv, value, nulls = rows[i % 4]
        whole.add(touch, conv, value, nulls)
        halves[i % 3 == 0].add(touch, conv, value, nulls)
    for model in ("markov", "shapley"):
        merged = tp.Aggregate(model).add_paths(halves[0]) + tp.Aggregate(model).add_paths(halves[1])
        same(tp.attribute(whole, model), merged.finalize(tp.Catalog()))


def test_threads_give_the_same_table(sample):
    """The threads option (Markov removals in parallel) changes nothing."""
    events = sample[1]
    one = tp.attribute(events, "markov", order=2)
    for threads in (2, 0):
        same(one, tp.attribute(events, "markov", order=2, threads=threads))
    with pytest.raises(tp.InvalidArgumentError, match="threads"):
        tp.attribute(events, "markov", threads=999)
