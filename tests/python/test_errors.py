"""Errors become exceptions of the right class, with the C message and context."""
import pytest

import touchpoint as tp
from conftest import data_file


def test_hierarchy():
    for cls, base in [(tp.InvalidArgumentError, ValueError), (tp.OutOfMemoryError, MemoryError),
                      (tp.FileError, OSError), (tp.ParseError, ValueError),
                      (tp.ValidationError, ValueError), (tp.NotFoundError, LookupError),
                      (tp.ConflictError, ValueError), (tp.LimitError, ValueError),
                      (tp.CancelledError, RuntimeError)]:
        assert issubclass(cls, tp.Error) and issubclass(cls, base)
    assert tp.Error.__module__ == "touchpoint"


@pytest.mark.parametrize("name, cls, line, column, field, text", [
    ("bad_quote.csv", tp.ParseError, 3, 3, "touchpoint", "quote inside an unquoted field"),
    ("bad_timestamp.csv", tp.ValidationError, 3, 2, "timestamp", '"2026-13-01" is out of range'),
    ("invalid_utf8.csv", tp.ParseError, 3, 1, "customer_id", "invalid UTF-8"),
    ("nul_byte.csv", tp.ParseError, 2, 3, "touchpoint", "NUL byte"),
    ("wrong_columns.csv", tp.ParseError, 3, 4, "", "expected 4 fields, found 3"),
    ("missing_column.csv", tp.ParseError, 1, 0, "", 'missing required column "timestamp"'),
    ("duplicate_header.csv", tp.ParseError, 1, 4, "", "duplicate column"),
    ("unterminated_quote.csv", tp.ParseError, 3, 3, "touchpoint", "unterminated quoted field"),
    ("huge_field.csv", tp.LimitError, 2, 4, "comment", "field longer than 64 bytes"),
])
def test_strict_read_errors_carry_file_line_field(name, cls, line, column, field, text):
    e = tp.Events()
    e.append("c0", 0, "website")
    with pytest.raises(cls) as info:
        e.read_csv(data_file(name), strict=True, max_field_bytes=64)
    err = info.value
    assert type(err) is cls and err.file.endswith(name)
    assert (err.line, err.column, err.field) == (line, column, field)
    assert text in str(err)
    prefix = "%s:%d:%s" % (err.file, line, "%d:" % column if column else "")
    assert str(err).startswith(prefix)
    assert len(e) == 1                 # nothing of the failed read was kept


def test_catalog_errors():
    with pytest.raises(tp.ParseError) as info:
        tp.Catalog.load(data_file("syntax.json"))
    assert info.value.file.endswith("syntax.json") and info.value.line > 0
    with pytest.raises(tp.ValidationError) as info:
        tp.Catalog.load(data_file("unknown_stage.json"))
    assert info.value.field.startswith("$.touchpoints[")
    with pytest.raises(tp.ValidationError, match="cycle"):
        tp.Catalog.load(data_file("cycle.json"))
    with pytest.raises(tp.FileError) as info:
        tp.Catalog.load("/nonexistent/catalog.json")
    assert "/nonexistent/catalog.json" in str(info.value) and isinstance(info.value, OSError)
    c = tp.Catalog()
    c.add_touchpoint("store")
    with pytest.raises(tp.ConflictError, match="store"):
        c.add_touchpoint("store")
    with pytest.raises(tp.NotFoundError):
        c.add_touchpoint("parking", parent="garage")
    with pytest.raises(tp.InvalidArgumentError):
        c.add_touchpoint("x", kind="telepathic")
    assert len(c) == 1


def test_argument_errors():
    t = tp.Table()
    with pytest.raises(tp.InvalidArgumentError, match="column type"):
        t.add_column("a", "decimal")
    t.add_column("a", "int64")
    with pytest.raises(tp.InvalidArgumentError):
        t.set_string(0, 0, "x")
    with pytest.raises(tp.NotFoundError):
        t.find_column("b")
    with pytest.raises(TypeError):
        tp.scorecard(tp.Events(), None, since=[1.5j])
    with pytest.raises(tp.ParseError, match="keyword since: cannot read 'someday' as a time"):
        tp.scorecard(tp.Events(), None, since="someday")
    with pytest.raises(tp.InvalidArgumentError, match="hotspots: unknown option or parameter 'colour'"):
        tp.hotspots(tp.Events(), None, colour="red")
    with pytest.raises(tp.InvalidArgumentError):
        tp.scorecard(None, None)
    with pytest.raises(tp.InvalidArgumentError, match="model"):
        tp.attribute(tp.Paths(), "magic")


def test_errors_do_not_leak_between_calls():
    with pytest.raises(tp.NotFoundError):
        tp.Catalog().find_touchpoint("x")
    # a later successful call raises nothing, whatever the thread's last error
    assert tp.Catalog.default().find_touchpoint("store") >= 0


def test_max_input_bytes_caps_files_buffers_and_pipes(tmp_path):
    text = "customer_id,timestamp,touchpoint\nc1,2026-01-01,web\n"
    e = tp.Events()
    with pytest.raises(tp.LimitError, match="larger than the limit of 20 bytes"):
        e.read_csv(data=text, max_input_bytes=20)
    p = tmp_path / "e.csv"
    p.write_text(text)
    with pytest.raises(tp.LimitError, match="max_input_bytes"):
        e.read_csv(p, max_input_bytes=len(text) - 1)
    assert len(e) == 0
    e.read_csv(p, max_input_bytes=len(text))
    assert len(e) == 1
    with pytest.raises(tp.LimitError):
        e.read_jsonl(data='{"customer_id":"c","timestamp":1,"touchpoint":"w"}\n',
                     max_input_bytes=10)
    with pytest.raises(tp.LimitError):
        tp.Feedback().read_csv(p, max_input_bytes=10)
    with pytest.raises(tp.LimitError):
        tp.Paths().read_csv(data="path,conversions\na > b,1\n", max_input_bytes=10)
    # An endless device stops at the limit instead of growing memory.
    with pytest.raises(tp.LimitError, match="/dev/zero"):
        tp.Events().read_csv("/dev/zero", max_input_bytes=1 << 20)
    with pytest.raises((OverflowError, TypeError, tp.InvalidArgumentError)):
        e.read_csv(p, max_input_bytes=-1)


def test_max_input_bytes_wrong_types():
    for bad in ("big", None, 1.5):
        with pytest.raises(TypeError):
            tp.Events().read_csv(data="customer_id,timestamp,touchpoint\n", max_input_bytes=bad)


def test_markov_work_limit_and_its_name():
    import random
    rnd = random.Random(1)
    p = tp.Paths()
    for i in range(3000):
        p.add(["t%d" % rnd.randrange(400) for _ in range(4)], conversions=i % 3 == 0,
              nulls=i % 3 != 0)
    with pytest.raises(tp.LimitError, match="option markov_max_work"):
        tp.attribute(p, "markov", markov_max_work=1e6)
    with pytest.raises(tp.InvalidArgumentError, match="did you mean 'markov_max_work'"):
        tp.attribute(p, "markov", markov_max_wrok=1e6)
    with pytest.raises(tp.InvalidArgumentError):
        tp.attribute(p, "markov", markov_max_work=10)   # below the option's range
    assert len(tp.attribute(p, "markov")) == 400
    assert issubclass(tp.CancelledError, tp.Error)


@pytest.mark.parametrize("keywords, says", [
    ({"stage": "purchase"}, "no stage 'purchase' in the catalog (stages: before, during, after)"),
    ({"touchpoint": "webiste"}, "did you mean 'website'?"),
    ({"channel": "wbe"}, "no channel 'wbe' in the catalog (did you mean 'web'?)"),
    ({"segment": "regio=north"}, "no attribute 'regio' in the events"),
    ({"segment": "region=nrth"}, "no row has region 'nrth' (did you mean 'north'?)"),
    ({"stages": ["during", "durin"]}, "did you mean 'during'?"),
])
def test_a_typo_in_a_filter_is_never_an_empty_table(sample, keywords, says):
    _, events, feedback = sample
    for run in (lambda: tp.scorecard(events, feedback, **keywords),
                lambda: tp.journeys(events, **keywords),
                lambda: tp.Report(events, feedback, **keywords)):
        with pytest.raises(tp.NotFoundError) as e:
            run()
        assert says in str(e.value)


def test_a_typo_in_a_funnel_step_or_map_names_what_was_meant(sample):
    catalog, events, _ = sample
    with pytest.raises(tp.NotFoundError, match="did you mean 'online-checkout'"):
        tp.funnel(events, "website, chekout")
    with pytest.raises(tp.NotFoundError, match="did you mean 'online-purchase'"):
        tp.conformance(events, "online-purchse")


def test_until_of_a_date_includes_that_day(sample):
    """until= of a day (text, date, numpy datetime64, in a keyword or a Filter)
    ends the window at the end of that day, as the tool's --to does; a time of
    day or milliseconds end it exactly there."""
    import datetime
    import numpy as np
    _, events, _ = sample
    day_end = tp.journeys(events, since="2026-03-01", until="2026-03-02T00:00:00Z").to_csv()
    assert day_end.count("\n") > 1
    for until in ("2026-03-01", datetime.date(2026, 3, 1), np.datetime64("2026-03-01")):
        assert tp.journeys(events, since="2026-03-01", until=until).to_csv() == day_end, until
        assert tp.journeys(events, filter=tp.Filter(since="2026-03-01", until=until)).to_csv() \
            == day_end, until
    midnight = 1772323200000  # 2026-03-01T00:00:00Z
    for until in (datetime.datetime(2026, 3, 1), pd_timestamp("2026-03-01"), midnight,
                  np.datetime64("2026-03-01T00:00")):
        assert tp.journeys(events, since="2026-03-01", until=until).to_csv().count("\n") == 1, until


def pd_timestamp(text):
    import pandas as pd
    return pd.Timestamp(text, tz="UTC")


def test_a_time_window_that_cannot_be_read_says_why(sample):
    _, events, _ = sample
    with pytest.raises(tp.ParseError, match=r"keyword until: cannot read 'May 1' as a time: "
                                            r"write ISO 8601"):
        tp.journeys(events, until="May 1")
    with pytest.raises(tp.InvalidArgumentError, match=r"the time window starts \(since "
                                                      r"2026-05-01T00:00:00.000Z\) after it ends"):
        tp.journeys(events, since="2026-05-01", until="2026-03-01")
    with pytest.raises(tp.InvalidArgumentError, match="after it ends"):
        tp.Filter(since="2026-05-01", until="2026-03-01")
    with pytest.raises(TypeError, match="expected a time"):
        tp.Filter(until=1.5)
    with pytest.raises(TypeError, match="expected a time"):
        tp.Filter(since=True)
    with pytest.raises(TypeError, match="keyword since: expected a time"):
        tp.journeys(events, since=False)
    with pytest.raises(tp.ParseError, match="cannot read 'NaT' as a time"):
        tp.journeys(events, until=np_nat())


def np_nat():
    import numpy as np
    return np.datetime64("NaT")


def test_messages_name_the_call_not_the_c_function(sample):
    """The library's message names its C function; the binding says which call of
    the module failed, and None where a value is needed is a TypeError."""
    catalog, _, _ = sample
    with pytest.raises(TypeError, match=r"^Catalog\.find_touchpoint: an argument is None$"):
        catalog.find_touchpoint(None)
    with pytest.raises(tp.InvalidArgumentError, match=r"^csat_estimate: level must be in \(0, 1\)"):
        tp.csat_estimate(3, 5, level=2)
    assert not [name for name in dir(tp) if name.startswith("tpb_")]


def test_both_stores_append_customer_time_touchpoint():
    """One order for both stores; the other order says which it is."""
    e, f = tp.Events(), tp.Feedback()
    e.append("c1", "2026-03-01T10:00:00Z", "website")
    f.append("c1", "2026-03-01T10:05:00Z", "website", "csat", 4)
    e.append(customer="c1", time=0, touchpoint="cart")
    assert (e.touchpoint(0), e.touchpoint(1), f.touchpoint(0)) == ("website", "cart", "website")
    with pytest.raises(tp.ParseError, match=r"Events.append: .*'website'.*the order is customer, "
                                            r"time, touchpoint, as in Feedback.append"):
        e.append("c2", "website", "2026-03-01")
    with pytest.raises(tp.ParseError, match="the order is customer, time, touchpoint"):
        e.append_many(["c2"], ["website"], ["2026-03-01"])
    assert len(e) == 2


def test_the_module_holds_its_documented_names_and_no_others():
    """dir(touchpoint) is __all__ (the classes, errors, an analysis function per
    registry entry, the helpers): no wrapper, constant or sugar helper leaks."""
    public = sorted(n for n in dir(tp) if not n.startswith("_"))
    assert public == sorted(tp.__all__)
    assert {a.name for a in tp.analyses().values()} <= set(tp.__all__)
    for name in tp.__all__:
        if not name.startswith("INPUT_"):  # ints: the bits of Analysis.needs and .takes
            assert getattr(tp, name).__doc__, name  # every public name says what it is
