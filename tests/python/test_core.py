"""Table, Catalog, JourneyMap, Options, Filter, Lexicon, metrics and time."""
import datetime
import json
import math

import pytest

import touchpoint as tp


def make_table():
    t = tp.Table()
    assert t.add_column("name", "string") == 0
    assert t.add_column("n", "int64") == 1
    assert t.add_column("x", "double") == 2
    for i, (name, n, x) in enumerate([("a", 1, 0.5), ("b", None, 2.25), (None, 3, None)]):
        assert t.append_row() == i
        if name is not None:
            t.set_string(i, 0, name)
        if n is not None:
            t.set_int64(i, 1, n)
        if x is not None:
            t.set_double(i, 2, x)
    return t


def test_table_cells_columns_and_records():
    t = make_table()
    assert len(t) == 3 and t.column_count() == 3
    assert t.columns == ["name", "n", "x"]
    assert t.dtypes == {"name": "string", "n": "int64", "x": "double"}
    assert t.column("n") == [1, None, 3]
    assert t.column(2) == [0.5, 2.25, None]
    assert t["name"] == ["a", "b", None]
    assert t[1] == {"name": "b", "n": None, "x": 2.25}
    assert t[-1] == {"name": None, "n": 3, "x": None}
    assert list(t) == t.to_records()
    assert t.to_records()[0] == {"name": "a", "n": 1, "x": 0.5}
    assert t.is_null(1, 1) and not t.is_null(0, 1)
    assert t.get_double(0, 1) == 1.0
    assert math.isnan(t.get_double(2, 2))
    assert t.find_column("x") == 2
    t.set_null(0, 0)
    assert t.get_string(0, 0) is None
    with pytest.raises(IndexError):
        t[3]


def test_table_export_formats(tmp_path):
    t = make_table()
    assert t.to_csv() == "name,n,x\na,1,0.5\nb,,2.25\n,3,\n"
    assert json.loads(t.to_json()) == t.to_records()
    assert "name" in str(t) and "2.25" in repr(t) and "3 rows" in repr(t)
    html = t._repr_html_()
    assert html.count("<tr>") == 4 and "<th>x</th>" in html
    path = tmp_path / "t.csv"
    t.write(str(path), "csv")
    assert path.read_text() == t.to_csv()
    assert t.head(2).to_records() == t.to_records()[:2]


def test_long_text_wraps_in_text_and_stays_whole_in_wide():
    t = tp.Table()
    t.add_column("path", "string")
    t.append_row()
    path = " > ".join(["store-signage", "sales-staff", "point-of-sale"] * 3)
    t.set_string(0, 0, path)
    text, wide = t.format("text"), t.format("wide")
    assert "\u2026" not in text and len(text.splitlines()) > 2
    assert " ".join(line.strip() for line in text.splitlines()[1:]) == path  # nothing cut
    assert wide.splitlines()[1] == path
    with pytest.raises(tp.InvalidArgumentError, match="table, wide, csv or json"):
        t.format("wdie")


def test_table_to_pandas_types_and_nulls():
    pd = pytest.importorskip("pandas")
    df = make_table().to_pandas()
    assert list(df.columns) == ["name", "n", "x"]
    assert str(df["n"].dtype) == "Int64"          # nullable: it has a null
    assert df["n"].isna().tolist() == [False, True, False]
    assert df["x"].dtype == "float64" and math.isnan(df["x"][2])
    assert df["name"].tolist() == ["a", "b", None]
    t = tp.Table()
    t.add_column("k", "int64")
    t.append_row()
    t.set_int64(0, 0, 2 ** 62)
    assert t.to_pandas()["k"].dtype == "int64" and t.to_pandas()["k"][0] == 2 ** 62
    assert isinstance(make_table().to_numpy("x"), type(pd.Series([1.0]).to_numpy()))


def test_catalog_build_and_read_back(tmp_path):
    c = tp.Catalog()
    assert c.stages == ["before", "during", "after"]
    c.add_stage("loyalty")
    store = c.add_touchpoint("store", name="Store", stage="during", channel="store",
                             kind="physical", owner="Retail", expectation="Tidy", weight=2)
    c.add_touchpoint("parking", stage="during", parent="store")
    assert store == 0 and len(c) == 2 and "parking" in c and "nope" not in c
    assert c.touchpoint("parking")["parent"] == "store"
    assert c.touchpoint(0) == {"id": "store", "name": "Store", "stage": "during",
                               "channel": "store", "kind": "physical", "owner": "Retail",
                               "expectation": "Tidy", "parent": None, "weight": 2.0,
                               "targets": {}}
    assert c.to_table().column("depth") == [0, 1]
    m = tp.JourneyMap("visit")
    m.add_stage("in store", ["parking", "store"])
    m.allow("(start)", "parking")
    m.allow("parking", "store")
    c.add_journey_map(m)
    copy = c.journey_map("visit")
    assert copy.id() == "visit" and copy.stages == [("in store", ["parking", "store"])]
    assert copy.transitions == [("(start)", "parking"), ("parking", "store")]
    assert copy.allows("parking", "store") and not copy.allows("store", "parking")
    path = tmp_path / "c.json"
    c.save_json(str(path))
    back = tp.Catalog.load(path)
    assert back.to_json() == c.to_json()
    assert tp.Catalog.parse_json(c.to_json()).touchpoints == c.touchpoints
    assert [m.id() for m in back.journey_maps] == ["visit"]
    c.set_parent("parking", None)
    assert c.touchpoint("parking")["parent"] is None
    c.set_stages(["before", "during", "after"])
    assert c.find_stage("after") == 2


def test_default_catalog():
    c = tp.Catalog.default()
    assert len(c) == c.touchpoint_count() > 20
    assert c.stages == ["before", "during", "after"]
    assert [m.id() for m in c.journey_maps] == ["online-purchase"]
    assert c.touchpoint("store-parking")["parent"] == "store"


def test_options_and_filter():
    o = tp.Options(level=0.9, period="week", timeout="12h", all_hotspots=True)
    assert o["level"] == 0.9 and o["period"] == 1 and o["all_hotspots"] == 1
    assert o.get("timeout") == 12 * 3600 * 1000
    o["order"] = 3
    o.set("half_life", datetime.timedelta(days=2))
    assert o.get("order") == 3 and o.get("half_life") == 2 * 86400 * 1000
    o.add_knockout("audit:greeting")
    with pytest.raises(tp.InvalidArgumentError, match="unknown option 'bogus'"):
        o.set("bogus", 1)
    f = tp.Filter(since="2026-02-01", until=datetime.datetime(2026, 3, 1), stage="during",
                  channels=["web", "store"], segment="tier=gold")
    f.add_touchpoint("store")
    f.add_segment("region", "north", negate=True)
    with pytest.raises(TypeError):
        tp.Filter(color="red")


def test_lexicon_and_sentiment():
    lex = tp.Lexicon.default()
    assert len(lex) > 200 and "great" in lex
    kind, value = lex.lookup("great")
    assert kind == "word" and value > 0
    assert tp.sentiment("not bad at all") > 0.05
    mine = tp.Lexicon()
    mine.set("zesty", "word", 2.0)
    mine.set("very", "booster", 0.3)
    assert mine.lookup("zesty") == ("word", 2.0)
    # compound = M / sqrt(M^2 + 4) with M the word's valence
    assert mine.score("zesty") == pytest.approx(2 / math.sqrt(8), abs=1e-12)
    mine.load_buffer("meh\t-1.5\n", "extra.tsv")
    assert mine.lookup_value("meh") == -1.5
    table = mine.table(["zesty", "meh", "nothing"])
    assert table.column("label") == ["positive", "negative", "neutral"]
    assert tp.sentiment_label(0.5) == "positive"
    with pytest.raises(tp.NotFoundError):
        mine.lookup("absent")


def test_metrics_against_hand_computed_values():
    # 50 promoters, 30 passives, 20 detractors: NPS 30; p=.5, d=.2,
    # SE = 100 sqrt((.7 - .09) / 100)
    e = tp.nps_estimate(50, 30, 20)
    assert e.value == 30 and e.n == 100
    assert e.se == pytest.approx(100 * math.sqrt(0.61 / 100), rel=1e-12)
    z = tp.normal_quantile(0.975)
    assert z == pytest.approx(1.959963984540054, rel=1e-12)
    assert e.low == pytest.approx(30 - z * e.se, rel=1e-12)
    low, high = tp.wilson_interval(8, 10, 0.95)
    centre = (8 + z * z / 2) / (10 + z * z)
    half = z * math.sqrt(8 * 2 / 10 + z * z / 4) / (10 + z * z)
    assert (low, high) == pytest.approx((centre - half, centre + half), rel=1e-12)
    assert tp.csat_estimate(8, 10).value == 80
    m = tp.mean_estimate([1, 2, 3, 4])
    assert m.value == 2.5 and m.se == pytest.approx(math.sqrt(5 / 3) / 2, rel=1e-12)
    assert tp.bayes_average(20, 5, 3.0, 10) == pytest.approx((30 + 20) / 15, rel=1e-12)
    t, df, p = tp.welch_test([1, 2, 3, 4], [2, 4, 6, 8])
    assert t == pytest.approx(-2.5 / math.sqrt(5 / 12 + 20 / 12), rel=1e-12)
    assert 0 < p < 1 and df > 0
    assert tp.t_test_p(0.0, 10) == pytest.approx(1.0)
    assert tp.check_metric("nps", "9") == ["nps", 9.0]


def test_time_helpers():
    assert tp.parse_time("1970-01-02") == 86400000
    assert tp.parse_time("2026-03-01T09:30:00+01:00") == tp.parse_time("2026-03-01T08:30:00Z")
    assert tp.parse_time("1700000000", "seconds") == 1700000000000
    assert tp.format_time(0) == "1970-01-01T00:00:00.000Z"
    assert tp.parse_duration("1.5h") == 5400000
    with pytest.raises(tp.ParseError):
        tp.parse_time("yesterday")
    with pytest.raises(tp.InvalidArgumentError):
        tp.parse_duration("soon")


def test_version_and_docstrings():
    assert tp.__version__ == tp.version() == "%d.%d.%d" % (
        tp.version_number() // 10000, tp.version_number() // 100 % 100, tp.version_number() % 100)
    assert "JSON path" in tp.Catalog.parse_json.__doc__
    assert "C: tp_events_read_csv()" in tp.Events._read.__doc__
    # an analysis's docstring comes from the registry: its doc, parameters, the
    # options it reads with their docs, the filter keys and its tables' columns
    doc = tp.scorecard.__doc__
    assert doc.startswith("scorecard(events=None, feedback=None, *, by=None, **kw) -> Table")
    assert "by (one of stage, channel, owner, parent)" in doc
    assert "level: " in doc and "weight_nps: " in doc and "timeout" not in doc
    assert "Filter keywords" in doc and "columns touchpoint, name, stage" in doc
    assert "min_responses" in tp.hotspots.__doc__


def test_context_managers_release_and_keep_borrowers_alive():
    with tp.Catalog.default() as c:
        events = tp.Events(c)
    # the catalog proxy is closed, the log still uses its data
    with pytest.raises(tp.InvalidArgumentError, match="this Catalog is closed"):
        c.touchpoint_count()
    events.append("c1", 0, "store")
    assert events.catalog.touchpoint("store")["kind"] == "physical"
    borrowed = events.catalog
    events.close()
    del events
    assert len(borrowed) > 20


def test_table_is_dataframe_like():
    """Column lists, slices, shape and whole-table to_numpy, as pandas users
    write them; wrong keys raise and never return something else."""
    np = pytest.importorskip("numpy")
    t = make_table()
    assert t.shape == (3, 3)
    sub = t[["x", "name"]]
    assert sub.columns == ["x", "name"] and sub.shape == (3, 2)
    assert sub.to_records() == [{"x": 0.5, "name": "a"}, {"x": 2.25, "name": "b"},
                                {"x": None, "name": None}]
    assert [r["name"] for r in t[1:]] == ["b", None]
    assert [r["n"] for r in t[::-2]] == [3, 1]
    assert t[-1:].to_records() == [t[2]] and t[5:].shape == (0, 3)
    assert t[np.int64(1)] == t[1]
    arr = t[["n", "x"]].to_numpy()
    assert arr.dtype == np.float64 and arr.shape == (3, 2)
    assert np.isnan(arr[1, 0]) and arr[0, 1] == 0.5
    mixed = t.to_numpy()
    assert mixed.dtype == object and mixed.shape == (3, 3) and mixed[0, 0] == "a"
    with pytest.raises(tp.NotFoundError):
        t[["x", "nope"]]
    with pytest.raises(TypeError, match="column names"):
        t[["x", 1]]
    with pytest.raises(TypeError):
        t[True]
    with pytest.raises(TypeError):
        t[1.5]
    # units survive a selection
    t.set_column_unit(1, "duration")
    assert t[["n"]].units == {"n": "duration"} and t.head(1).units["n"] == "duration"
    with pytest.raises(tp.InvalidArgumentError, match="a string column cannot hold a time"):
        t.set_column_unit(0, "time")
    with pytest.raises(tp.InvalidArgumentError, match="did you mean 'time'"):
        t.set_column_unit(1, "tiem")


def test_module_and_objects_say_what_they_are(sample):
    catalog, events, feedback = sample
    assert tp.__doc__ and "scorecard" in tp.__doc__
    assert repr(events) == "<touchpoint.Events %d rows from %d customers; attributes: %s>" % (
        len(events), events.customer_count(),
        ", ".join(events.attribute_name(i) for i in range(events.attribute_count())))
    assert repr(catalog).startswith("<touchpoint.Catalog %d touchpoints" % catalog.touchpoint_count())
    assert "proxy of" not in repr(tp.Filter()) + repr(feedback) + repr(catalog.journey_map_at(0))
    e = tp.Events()
    e.close()
    assert repr(e) == "<touchpoint.Events (closed)>"
