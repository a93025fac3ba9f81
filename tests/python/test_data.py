"""Events, Feedback, ReadLog: reading files, appending rows and whole columns."""
import datetime

import pytest

import touchpoint as tp
from conftest import data_file

CSV = ("customer_id,timestamp,touchpoint,type,value,tier\n"
       "c1,2026-01-01T10:00:00Z,website,,,gold\n"
       "c1,2026-01-01T10:05:00Z,cart,,,gold\n"
       "c1,2026-01-01T10:09:00Z,online-checkout,conversion,40.5,gold\n"
       "c2,2026-01-02T09:00:00Z,website,,,\n")


def test_events_read_csv_buffer_and_accessors():
    e = tp.Events()
    report = e.read_csv(data=CSV, name="visits.csv")
    assert (report.rows_read(), report.rows_accepted(), report.rows_rejected()) == (4, 4, 0)
    assert report.bytes_read() == len(CSV)
    assert len(e) == e.count() == 4 and e.customer_count() == 2
    assert [e.customer(i) for i in range(4)] == ["c1", "c1", "c1", "c2"]
    assert e.touchpoint(2) == "online-checkout" and e.type(2) == "conversion"
    assert e.value(2) == 40.5 and e.time(0) == tp.parse_time("2026-01-01T10:00:00Z")
    assert e.touchpoint_index(0) == e.catalog.find_touchpoint("website")
    assert e.attribute_count() == 1 and e.attribute_name(0) == "tier"
    assert e.attribute(0, 0) == "gold" and e.attribute(0, 3) == ""
    assert e.to_table().columns == ["customer_id", "timestamp", "touchpoint", "type", "value", "tier"]
    with pytest.raises(tp.InvalidArgumentError, match="out of range"):
        e.customer(4)


def test_events_read_files(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(CSV.replace(",", ";"))
    e = tp.Events()
    assert e.read_csv(path, delimiter=";").rows_accepted() == 4
    j = tp.Events()
    rep = j.read_jsonl(data_file("events.jsonl"))
    assert rep.rows_accepted() == len(j) > 0
    assert j.attribute_name(0) == "device"


def test_lenient_read_reports_and_strict_read_rolls_back():
    bad = CSV + "c3,not-a-time,website,,,\n"
    e = tp.Events()
    rep = e.read_csv(data=bad, name="bad.csv")
    assert rep.rows_rejected() == 1 and len(e) == 4
    (issue,) = rep.issues
    assert issue["file"] == "bad.csv" and issue["line"] == 6 and issue["field"] == "timestamp"
    strict = tp.Events()
    strict.read_csv(data=CSV, name="good.csv")
    with pytest.raises(tp.ParseError) as info:
        strict.read_csv(data=bad, name="bad.csv", strict=True)
    assert (info.value.file, info.value.line, info.value.field) == ("bad.csv", 6, "timestamp")
    assert str(info.value).startswith("bad.csv:6:2: timestamp:")
    assert len(strict) == 4          # the failed read added nothing


def test_unknown_policy():
    c = tp.Catalog.default()
    e = tp.Events(c)
    assert e.unknown_policy == "register"
    e.unknown_policy = "reject"
    with pytest.raises(tp.NotFoundError):
        e.append("c1", 0, "teleporter")
    assert len(e) == 0 and "teleporter" not in c
    with pytest.raises(tp.InvalidArgumentError):
        e.unknown_policy = "ignore"


def test_append_one_and_many_agree():
    rows = [("c1", "website", "2026-01-01T10:00:00Z", "interaction", 0.0),
            ("c1", "online-checkout", "2026-01-01T11:00:00Z", "conversion", 12.5),
            ("c2", "store", "2026-01-03T08:00:00Z", "exit", 0.0)]
    one = tp.Events()
    for c, t, when, typ, v in rows:
        one.append(c, when, t, typ, v)
    many = tp.Events.from_arrays([r[0] for r in rows], [tp.parse_time(r[2]) for r in rows],
                                 [r[1] for r in rows],
                                 [r[3] for r in rows], [r[4] for r in rows])
    assert one.to_table().to_records() == many.to_table().to_records()
    dt = tp.Events()
    dt.append("c1", datetime.datetime(2026, 1, 1, 10, tzinfo=datetime.timezone.utc), "website")
    assert dt.time(0) == one.time(0)


def test_append_many_is_all_or_none():
    e = tp.Events()
    e.append("c0", 0, "website")
    with pytest.raises(tp.InvalidArgumentError, match="event 1"):
        e.append_many(["c1", ""], [1, 2], ["website", "cart"])
    assert len(e) == 1
    with pytest.raises(tp.InvalidArgumentError, match="times has 1 entries, expected 2"):
        e.append_many(["c1", "c2"], [1], ["website", "cart"])
    with pytest.raises(TypeError, match=r"customers\[1\]"):
        e.append_many(["c1", 7], [1, 2], ["website", "cart"])
    with pytest.raises(tp.InvalidArgumentError, match="types\\[0\\]"):
        e.append_many(["c1"], [1], ["website"], ["purchase"])
    assert len(e) == 1


def test_from_numpy_and_pandas_columns():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    n = 1000
    customers = np.array(["c%d" % (i % 37) for i in range(n)], dtype=object)
    touchpoints = np.array(["website", "cart", "store", "support"] * (n // 4), dtype=object)
    times = np.arange(n, dtype=np.int64) * 60000
    values = np.linspace(0, 1, n)
    e = tp.Events.from_arrays(customers, times, touchpoints, np.zeros(n, dtype=np.uint8), values)
    assert len(e) == n and e.customer_count() == 37
    assert e.time(999) == 999 * 60000 and e.value(999) == 1.0
    df = pd.DataFrame({"customer_id": customers, "touchpoint": touchpoints,
                       "timestamp": pd.to_datetime(times, unit="ms", utc=True),
                       "type": ["interaction"] * n, "value": values})
    from_df = tp.Events.from_pandas(df)
    assert from_df.to_table().to_records() == e.to_table().to_records()
    # integer customer ids and naive datetimes
    df2 = pd.DataFrame({"customer_id": np.arange(3), "touchpoint": ["a", "b", "c"],
                        "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03"])})
    e2 = tp.Events.from_pandas(df2)
    assert e2.customer(2) == "2" and e2.time(1) == tp.parse_time("2026-01-02")
    back = e.to_pandas()
    assert str(back["timestamp"].dtype).startswith("datetime64") and back["timestamp"].dt.tz
    assert back["timestamp"].tolist() == pd.to_datetime(times, unit="ms", utc=True).tolist()
    # the store's frame is what from_pandas reads: the same names in and out
    assert tp.Events.from_pandas(back).to_table().to_csv() == e.to_table().to_csv()


def test_bulk_columns_read_in_place_and_type_names():
    """numpy object columns are read in place (also sliced, i.e. strided, ones and
    views of other arrays); type names in any case and with spaces, None meaning
    interaction; a bad name is named by its row."""
    np = pytest.importorskip("numpy")
    names = np.array(["c1", "c2", "c3", "c4"] * 50, dtype=object)
    tps = np.array(["website", "store"] * 100, dtype=object)
    times = np.arange(200, dtype=np.int64)
    types = np.array([" Conversion", "exit", None, "INTERACTION"] * 50, dtype=object)
    e = tp.Events.from_arrays(names, times, tps, types)
    assert [e.type(i) for i in range(4)] == ["conversion", "exit", "interaction", "interaction"]
    listed = tp.Events.from_arrays(list(names), list(times), list(tps), list(types))
    assert listed.to_table().to_csv() == e.to_table().to_csv()
    odd = tp.Events.from_arrays(names[::2], times[::2], tps[::2], types[::2])
    assert len(odd) == 100 and odd.customer(1) == "c3" and odd.type(1) == "interaction"
    grid = names.reshape(2, 100)[1]  # a row of a 2-D array
    assert tp.Events.from_arrays(grid, times[:100], tps[:100]).customer(0) == "c1"
    with pytest.raises(tp.InvalidArgumentError, match=r"types\[2\]: 'later'"):
        tp.Events.from_arrays(names[:3], times[:3], tps[:3], ["exit", "exit", "later"])
    with pytest.raises(TypeError, match="customers"):
        tp.Events.from_arrays(np.array([1.5, "x"], dtype=object), times[:2], tps[:2])


def test_feedback_read_append_and_pandas(sample):
    f = tp.Feedback()
    rep = f.read_csv(data_file("feedback_audit.csv"))
    assert rep.rows_accepted() == len(f) > 0
    assert f.metric_kind(0) == "audit" and f.metric(0) == "audit:greeting"
    assert f.weight(0) == 2.0
    g = tp.Feedback()
    g.append("c1", "2026-01-05", "store", "nps", 9, comment="Great staff")
    g.append("c2", 0, "store", "csat", 2)
    assert (g.customer(0), g.score(0), g.comment(0), g.comment(1)) == ("c1", 9.0, "Great staff", None)
    assert g.touchpoint(1) == "store" and g.time(1) == 0
    with pytest.raises(tp.ValidationError, match="score"):
        g.append("c3", 0, "store", "nps", 11)
    pd = pytest.importorskip("pandas")
    catalog, _, feedback = sample
    df = feedback.to_pandas()
    again = tp.Feedback.from_pandas(df, catalog=catalog)
    assert again.to_table().to_csv() == feedback.to_table().to_csv()
    with pytest.raises(tp.ValidationError, match="response 1"):
        tp.Feedback.from_arrays(["a", "b"], [0, 0], ["x", "x"], ["nps", "nps"], [3, 12])


def test_feedback_redaction():
    csv = ("customer_id,timestamp,touchpoint,metric,score,comment\n"
           "c1,2026-01-01,store,nps,9,\"mail me: c1@example.com, or +31 6 1234 5678\"\n")
    cases = [(None, "mail me: c1@example.com, or +31 6 1234 5678"),
             (True, "mail me: [email], or [phone]"),
             ("email", "mail me: [email], or +31 6 1234 5678"),
             (["phone"], "mail me: c1@example.com, or [phone]"),
             (["email", "phone"], "mail me: [email], or [phone]")]
    for redact, comment in cases:
        f = tp.Feedback()
        f.read_csv(data=csv, redact=redact)
        assert f.comment(0) == comment, redact
    with pytest.raises(tp.InvalidArgumentError,
                       match="'names' is not one of none, email, phone, all"):
        tp.Feedback().read_csv(data=csv, redact="names")   # the library's own words
    assert tp.redact_text("call 555-123-4567 on 2026-01-31") == "call [phone] on 2026-01-31"
    assert tp.redact_text("a@b.co 555-123-4567", "email") == "[email] 555-123-4567"



def _big_csv(rows, header, row):
    return header + "".join(row(i) for i in range(rows))


def test_reading_on_threads_gives_the_same_store():
    """threads= reads pieces of a large input at once; store and report are the
    same as on one thread (bad rows, new touchpoints and all)."""
    events = _big_csv(
        60000, "customer_id,timestamp,touchpoint,type,value,segment\n",
        lambda i: (f"c{i * 7919 % 4001},{1700000000000 + i * 977},"
                   f"{'kiosk-%d' % (i % 31) if i % 53 == 0 else 'website'},"
                   f"{'conversion' if i % 9 == 0 else ''},{i % 5},"
                   f"{'bad-time' if i % 1201 == 0 else 'seg%d' % (i % 3)}\n"))
    events = events.replace(",bad-time\n", ",x\n").replace(
        "c0,1700000000000,", "c0,not-a-time,", 1)
    assert len(events) > 2 << 20
    tables, reports = [], []
    for threads in (1, 2, 0):
        e = tp.Events()
        rep = e.read_csv(data=events, name="big.csv", threads=threads)
        tables.append(e.to_table().to_csv())
        reports.append((rep.rows_read(), rep.rows_accepted(), rep.rows_rejected(),
                        rep.to_table().to_csv()))
    assert tables[0] == tables[1] == tables[2]
    assert reports[0] == reports[1] == reports[2]
    assert reports[0][2] == 1 and "big.csv" in reports[0][3]
    feedback = _big_csv(
        70000, "customer_id,timestamp,touchpoint,metric,score,comment\n",
        lambda i: f"c{i % 3001},{1700000000000 + i},store,nps,{i % 11},\"ok\nthen {i}\"\n")
    assert len(feedback) > 2 << 20
    one, two = tp.Feedback(), tp.Feedback()
    one.read_csv(data=feedback)
    two.read_csv(data=feedback, threads=2)
    assert one.to_table().to_csv() == two.to_table().to_csv()
    with pytest.raises(tp.InvalidArgumentError, match="threads"):
        tp.Events().read_csv(data=events, threads=-1)
    with pytest.raises(tp.InvalidArgumentError, match="threads"):
        tp.Feedback().read_csv(data=feedback, threads=257)
    paths = _big_csv(
        80000, "path,conversions,value,nulls\n",
        lambda i: (f"website > {'late-%d' % (i % 17) if i % 41 == 0 else 'store'} > email,"
                   f"{i % 2 if i % 997 else -1},{i % 50},{1 - i % 2}\n"))
    assert len(paths) > 2 << 20
    sets, logs = [], []
    for threads in (1, 2):
        p = tp.Paths()
        log = p.read_csv(data=paths, name="paths.csv", threads=threads)
        sets.append(p.to_table().to_csv())
        logs.append((log.rows_read(), log.rows_rejected(), log.to_table().to_csv()))
    assert sets[0] == sets[1] and logs[0] == logs[1]
    assert logs[0][1] > 0 and "must be >= 0" in logs[0][2]
    with pytest.raises(tp.InvalidArgumentError, match="threads"):
        tp.Paths().read_csv(data=paths, threads=-1)
    # Not an integer: a TypeError naming threads, never a truncated count.
    for bad, store in (("2", tp.Paths), (2.5, tp.Events), (True, tp.Feedback),
                       (None, tp.Paths), ([2], tp.Events)):
        with pytest.raises(TypeError, match="threads"):
            store().read_csv(data=paths, threads=bad)
    import numpy as np
    assert tp.Paths().read_csv(data=paths, threads=np.int64(2)).rows_read() == 80000


def test_a_file_cut_short_while_read_raises_not_crashes(tmp_path):
    """A file truncated while it is read (logrotate's copytruncate) is a FileError
    or a complete read; it cannot kill the interpreter (files are never mapped)."""
    import threading
    import time
    master = "customer_id,timestamp,touchpoint\n" + "".join(
        "c%d,%d,website\n" % (i % 997, 1767225600 + i) for i in range(200000))
    path = tmp_path / "rot.csv"
    outcomes = set()
    for k in range(6):
        path.write_text(master)
        cutter = threading.Timer(0.002 * k, lambda: open(path, "w").close())
        e = tp.Events(tp.Catalog.default())
        cutter.start()
        try:
            e.read_csv(str(path), strict=True)
            outcomes.add("read")
        except tp.FileError as err:
            assert "shrank while it was read" in str(err)
            outcomes.add("shrank")
        except tp.ParseError:
            outcomes.add("cut")  # the cut came before the read began: an empty file
        cutter.join()
        time.sleep(0.01)
    assert outcomes <= {"read", "shrank", "cut"}


def test_integer_columns_are_range_checked_not_wrapped():
    """numpy integers that do not fit the C types are refused, not wrapped:
    type 256 used to become 0 (interaction), a uint64 time 2**64-1 became -1 ms."""
    np = pytest.importorskip("numpy")
    e = tp.Events(tp.Catalog.default())
    for bad in (np.array([256]), np.array([-1]), np.array([3], dtype=np.uint8)):
        with pytest.raises(tp.InvalidArgumentError, match="not an event type code"):
            e.append_many(["a"], np.array([1]), ["website"], types=bad)
    with pytest.raises(tp.InvalidArgumentError, match="does not fit"):
        e.append_many(["a"], np.array([2**64 - 1], dtype=np.uint64), ["website"])
    assert len(e) == 0
    e.append_many(["a"], np.array([5], dtype=np.uint64), ["website"], types=np.array([1]))
    assert len(e) == 1 and e.to_pandas()["type"][0] == "conversion"


def test_read_pandas_reads_a_frame_as_read_csv_reads_a_file(sample):
    """Ordinary pandas data: missing cells (None, NaN, pd.NA, NaT, '') are
    missing as empty CSV fields are, bad rows are skipped into the ReadLog with
    their position and column, every other column is an attribute, columns=
    maps the frame's names, and the accepted rows equal read_csv of the same
    rows."""
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    df = pd.DataFrame({
        "user_pseudo_id": ["u1", None, "u3", np.nan, "u5", "u6", 7.0, "u8"],
        "page": ["website", "cart", "", "store", "store", "cart", "store", pd.NA],
        "event_time": pd.to_datetime(["2026-03-01 10:00", "2026-03-01 10:05", "2026-03-01 11:00",
                                      "2026-03-02", None, "2026-03-03", "2026-03-04",
                                      "2026-03-05"], utc=True),
        "type": ["", "conversion", None, "exit", "exit", "CONVERSION", np.nan, "exit"],
        "value": [np.nan, 12.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        "region": ["north", "south", pd.NA, None, "east", np.nan, "west", "north"],
    })
    events = tp.Events()
    log = events.read_pandas(df, columns={"customer_id": "user_pseudo_id", "touchpoint": "page",
                                          "timestamp": "event_time"})
    assert (log.rows_read(), log.rows_accepted(), log.rows_rejected()) == (8, 3, 5)
    assert [(i["file"], i["line"], i["field"], i["reason"]) for i in log.issues] == [
        ("DataFrame", 2, "user_pseudo_id", "customer id is missing"),
        ("DataFrame", 3, "page", "touchpoint id is empty"),
        ("DataFrame", 4, "user_pseudo_id", "customer id is missing"),
        ("DataFrame", 5, "event_time", "timestamp is missing"),
        ("DataFrame", 8, "page", "touchpoint id is missing")]
    # an independent reading: the accepted rows, written as CSV by hand (7.0, an
    # integer id in a column with gaps, is the customer "7")
    csv = ("customer_id,timestamp,touchpoint,type,value,region\n"
           "u1,2026-03-01T10:00:00Z,website,,,north\n"
           "u6,2026-03-03T00:00:00Z,cart,conversion,4,\n"
           "7,2026-03-04T00:00:00Z,store,,5,west\n")
    same = tp.Events()
    same.read_csv(data=csv, strict=True)
    assert events.to_table().to_csv() == same.to_table().to_csv()
    # a segment on an attribute of the frame finds its rows
    assert len(tp.journeys(events, segment="region=west")) == 1


def test_from_pandas_is_strict_and_keeps_every_column(sample):
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    catalog, events, _ = sample
    df = events.to_pandas()
    assert {"segment", "region"} <= set(df.columns)
    again = tp.Events.from_pandas(df, catalog=catalog)
    assert again.to_table().to_csv() == events.to_table().to_csv()   # attributes kept
    assert len(tp.journeys(again, segment="region=north")) == \
        len(tp.journeys(events, segment="region=north")) > 0
    bad = df.head(3).copy()
    bad.loc[1, "timestamp"] = pd.NaT
    with pytest.raises(tp.ValidationError) as e:
        tp.Events.from_pandas(bad, catalog=catalog)
    assert (e.value.file, e.value.line, e.value.field) == ("DataFrame", 2, "timestamp")
    with pytest.warns(UserWarning, match=r"1 of 3 rows skipped \(the first, DataFrame:2: "
                                         r"timestamp: timestamp is missing\)"):
        lenient = tp.Events.from_pandas(bad, catalog=catalog, strict=False)
    assert len(lenient) == 2
    # the old keywords still name the frame's columns
    renamed = df.head(3).rename(columns={"customer_id": "who", "timestamp": "when"})
    assert len(tp.Events.from_pandas(renamed, customer="who", timestamp="when")) == 3
    with pytest.raises(tp.NotFoundError, match=r"no column 'customer_id' for customer_id .*"
                                               r"map it with columns="):
        tp.Events.from_pandas(renamed)
    with pytest.raises(tp.NotFoundError, match="unknown column 'customer'"):
        tp.Events().read_pandas(df, columns={"customer": "who"})
    with pytest.raises(TypeError, match="expected a pandas DataFrame"):
        tp.Events().read_pandas([1, 2])
    # a value that is not a number is a bad row, never a silent 0
    text = df.head(2).astype({"value": object})
    text.loc[1, "value"] = "twelve"
    log = tp.Events(catalog).read_pandas(text)
    assert log.issues[0]["field"] == "value" and "not a number" in log.issues[0]["reason"]


def test_feedback_read_pandas(sample):
    """Responses from an ordinary frame: missing cells, text scores, comments
    redacted as read_csv redacts them, other columns kept as attributes."""
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    df = pd.DataFrame({
        "respondent": ["r1", "r2", "r3", "r4", "r5"],
        "answered": pd.to_datetime(["2026-03-01", "2026-03-02", "2026-03-03", None,
                                    "2026-03-05"], utc=True),
        "touchpoint": ["store", "store", "web", "web", "store"],
        "metric": ["nps", np.nan, "csat", "nps", "audit:greeting"],
        "score": [9, 7, pd.NA, 3, "pass"],
        "comment": ["write to r1@example.com", None, None, None, np.nan],
        "tier": ["gold", "gold", None, "silver", "silver"],
    })
    feedback = tp.Feedback()
    log = feedback.read_pandas(df, columns={"customer_id": "respondent", "timestamp": "answered"},
                               redact="email")
    assert [(i["line"], i["field"], i["reason"]) for i in log.issues] == [
        (2, "metric", "metric is missing"), (3, "score", "score is missing"),
        (4, "answered", "timestamp is missing")]
    csv = ("customer_id,timestamp,touchpoint,metric,score,comment,tier\n"
           "r1,2026-03-01,store,nps,9,write to [email],gold\n"
           "r5,2026-03-05,store,audit:greeting,pass,,silver\n")
    same = tp.Feedback()
    same.read_csv(data=csv, strict=True)
    assert feedback.to_table().to_csv() == same.to_table().to_csv()
    with pytest.raises(tp.ValidationError, match=r"DataFrame:2: metric: metric is missing"):
        tp.Feedback.from_pandas(df, columns={"customer_id": "respondent",
                                             "timestamp": "answered"})
    with pytest.warns(UserWarning, match="3 of 5 rows skipped"):
        tp.Feedback.from_pandas(df, customer="respondent", timestamp="answered", strict=False)


def test_read_csv_maps_the_files_column_names():
    csv = ("user_pseudo_id,event_time,page,region\n"
           "u1,2026-03-01T10:00:00Z,website,north\n")
    e = tp.Events()
    log = e.read_csv(data=csv, strict=True, columns={"customer_id": "user_pseudo_id",
                                                     "timestamp": "event_time",
                                                     "touchpoint": "page"})
    assert log.rows_accepted() == 1 and e.customer(0) == "u1" and e.touchpoint(0) == "website"
    with pytest.raises(tp.ParseError, match=r"missing required column \"customer_id\""):
        tp.Events().read_csv(data=csv, strict=True, columns={"timestamp": "event_time"})
    with pytest.raises(tp.InvalidArgumentError, match="'custmer_id=user_pseudo_id' is not"):
        tp.Events().read_csv(data=csv, columns={"custmer_id": "user_pseudo_id"})
    with pytest.raises(TypeError, match="expected a dict"):
        tp.Events().read_csv(data=csv, columns=["customer_id"])
    jl = '{"user_pseudo_id": "u2", "event_time": "2026-03-02", "page": "cart"}\n'
    e.read_jsonl(data=jl, strict=True, columns={"customer_id": "user_pseudo_id",
                                                "timestamp": "event_time", "touchpoint": "page"})
    assert len(e) == 2 and e.customer(1) == "u2" and e.touchpoint(1) == "cart"
    with pytest.raises(tp.ValidationError, match="when: missing key"):
        tp.Events().read_jsonl(data=jl, strict=True, columns={"customer_id": "user_pseudo_id",
                                                              "timestamp": "when"})
    fb = ("who,when,where,question,answer\nu1,2026-03-01,store,nps,9\n")
    f = tp.Feedback()
    f.read_csv(data=fb, strict=True, columns={"customer_id": "who", "timestamp": "when",
                                              "touchpoint": "where", "metric": "question",
                                              "score": "answer"})
    assert len(f) == 1 and f.score(0) == 9
