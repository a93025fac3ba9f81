"""Every analysis through Python, checked against the C tool and by hand."""
import math

import pytest

import touchpoint as tp

STEPS = "website,cart,online-checkout"


def test_python_and_c_give_identical_tables(sample, cli):
    """The same analyses, through the binding and through the C tool, agree to
    the last bit (CSV doubles are written in their shortest exact form)."""
    catalog, events, feedback = sample
    cases = [
        (tp.scorecard(events, feedback), ["scorecard"]),
        (tp.scorecard(events, feedback, by="channel"), ["scorecard", "--by", "channel"]),
        (tp.hotspots(events, feedback, alpha=0.01), ["hotspots", "--alpha", "0.01"]),
        (tp.drivers(events, feedback, outcome="conversion"), ["drivers", "--outcome", "conversion"]),
        (tp.trend(events, feedback, period="week"), ["trend", "--period", "week"]),
        (tp.sentiment_terms(events, feedback, top_terms=3), ["sentiment", "--top", "3"]),
        (tp.journeys(events, timeout="7d"), ["journeys", "--timeout", "7d"]),
        (tp.transitions(events), ["paths", "--view", "transitions"]),
        (tp.variants(events, top=5, collapse="repeats"), ["paths", "--top", "5", "--collapse", "repeats"]),
        (tp.conversion_times(events), ["paths", "--view", "times"]),
        (tp.flow(events, max_steps=3), ["paths", "--view", "flow", "--max-steps", "3"]),
        (tp.next_touchpoints(events, "cart"), ["paths", "--after", "cart"]),
        (tp.funnel(events, STEPS, window="7d")[0], ["funnel", "--steps", STEPS, "--window", "7d"]),
        (tp.funnel(events, STEPS)[1], ["funnel", "--steps", STEPS, "--dropoffs"]),
        (tp.conformance(events, "online-purchase")[0], ["conform", "--map", "online-purchase"]),
        (tp.conformance(events, "online-purchase")[1],
         ["conform", "--map", "online-purchase", "--per-journey"]),
        (tp.attribution_compare(events), ["attribute"]),
        (tp.attribution_compare(events), ["attribution-compare"]),
        (tp.attribute(events, "all"), ["attribute", "--model", "all"]),
        (tp.attribute(events), ["attribute", "--long"]),
        (tp.attribute(events, "markov", order=2), ["attribute", "--model", "markov", "--order", "2"]),
        (tp.markov_chain(events)[0], ["attribute", "--chain"]),
        (tp.scorecard(events, feedback, stage="during", segment="region=north",
                      since="2026-02-01", until="2026-05-01"),
         ["scorecard", "--stage", "during", "--segment", "region=north",
          "--from", "2026-02-01", "--to", "2026-05-01"]),
    ]
    for table, args in cases:
        assert table.to_csv() == cli(*args, "--format", "csv"), args


def test_nps_by_hand(sample):
    """NPS per touchpoint recomputed from the raw responses with pandas."""
    pd = pytest.importorskip("pandas")
    _, events, feedback = sample
    df = feedback.to_pandas()
    nps = df[df["metric"] == "nps"]
    card = {r["touchpoint"]: r for r in tp.scorecard(events, feedback)}
    checked = 0
    for touchpoint, group in nps.groupby("touchpoint"):
        n = len(group)
        promoters = int((group["score"] >= 9).sum())
        detractors = int((group["score"] <= 6).sum())
        row = card[touchpoint]
        assert row["nps_n"] == n and row["promoters"] == promoters
        assert row["nps"] == pytest.approx(100 * (promoters - detractors) / n, rel=1e-12)
        checked += 1
    assert checked >= 5
    reach = events.to_pandas().groupby("touchpoint")["customer_id"].nunique()
    assert card["website"]["reach"] == reach["website"]


def test_filters_and_options_change_results(sample):
    _, events, feedback = sample
    everything = tp.scorecard(events, feedback)
    during = tp.scorecard(events, feedback, stage="during")
    assert 0 < len(during) < len(everything)
    assert set(during["stage"]) == {"during"}
    f = tp.Filter(stage="during")
    assert tp.scorecard(events, feedback, filter=f).to_csv() == during.to_csv()
    o = tp.Options(level=0.8)
    narrow = tp.scorecard(events, feedback, options=o)
    wide = tp.scorecard(events, feedback, level=0.99)
    i = everything.column("touchpoint").index("online-checkout")
    assert (wide["nps_high"][i] - wide["nps_low"][i]) > (narrow["nps_high"][i] - narrow["nps_low"][i])
    with pytest.raises(tp.InvalidArgumentError, match="either filter= or filter keywords"):
        tp.scorecard(events, feedback, filter=f, stage="after")
    with pytest.raises(tp.InvalidArgumentError, match="not to a path set"):
        tp.attribute(tp.Paths.from_events(events), "first", stage="during")


def test_paths_attribution_by_hand():
    p = tp.Paths()
    p.add(["a", "b"], conversions=2, value=20)
    p.add(["b"], conversions=1, value=5, nulls=1)
    p.add(["a", "c"], nulls=3)
    assert (len(p), p.conversions(), p.value(), p.nulls()) == (3, 3.0, 25.0, 4.0)
    assert not p.has_times()
    first = {r["touchpoint"]: r["conversions"] for r in tp.attribute(p, "first")}
    assert first == {"a": 2.0, "b": 1.0, "c": 0.0}
    linear = {r["touchpoint"]: r["conversions"] for r in tp.attribute(p, "linear")}
    assert linear == {"a": 1.0, "b": 2.0, "c": 0.0}
    # Shapley of the conversions game splits each path's conversions equally
    shapley = {r["touchpoint"]: r["value"] for r in tp.attribute(p, "shapley")}
    assert shapley == pytest.approx({"a": 10.0, "b": 15.0, "c": 0.0}, rel=1e-12)
    chain, summary = tp.markov_chain(p)
    p_conv = summary["p_conversion"][0]
    # (start) -> a 5/9, b 2/9... : P(conversion) = 3 conversions / 7 journeys
    assert p_conv == pytest.approx(3 / 7, rel=1e-12)
    assert set(chain.columns) == {"from", "to", "weight", "probability"}
    text = p.to_table().to_csv()
    again = tp.Paths()
    rep = again.read_csv(data=text)
    assert rep.rows_accepted() == 3 and again.to_table().to_csv() == text
    with pytest.raises(tp.InvalidArgumentError):
        tp.attribute(p, "time-decay")


def test_streaming_conformer_matches_batch(sample):
    catalog, events, _ = sample
    c = tp.Conformer(catalog, "online-purchase")
    for i in range(len(events)):
        c.add(events.customer(i), events.time(i), events.touchpoint(i), events.type(i))
    summary, per_journey = c.finish()
    batch_summary, batch_journeys = tp.conformance(events, "online-purchase")
    # the sample log is in time order per customer, so the stream sees the same
    # journeys; the mean fitness may differ in the last bits (summation order)
    stream_rows, batch_rows = summary.to_records(), batch_summary.to_records()
    assert [(r["kind"], r["touchpoint"], r["count"], r["journeys"]) for r in stream_rows] == \
        [(r["kind"], r["touchpoint"], r["count"], r["journeys"]) for r in batch_rows]
    for a, b in zip(stream_rows, batch_rows):
        assert (a["fitness"] is None and b["fitness"] is None) or \
            a["fitness"] == pytest.approx(b["fitness"], rel=1e-12)
    assert len(per_journey) == len(batch_journeys)


def test_funnel_objects(sample):
    _, events, _ = sample
    f = tp.Funnel(["website", ("cart", True), ("online-checkout", False, "2d")], window="7d",
                  exclude=["support"])
    assert len(f) == 3
    steps, drops = f.run(events)
    assert steps.column("optional") == [0, 1, 0]
    assert steps["customers"][0] >= steps["customers"][2]
    strict = tp.Funnel(STEPS, mode="strict").run(events)[0]
    loose = tp.funnel(events, STEPS)[0]
    assert strict["customers"][2] <= loose["customers"][2]
    with pytest.raises(tp.NotFoundError):
        tp.funnel(events, "website,teleporter")


def test_purchase_steps_match_an_independent_count(sample):
    """A step may be a purchase at a touchpoint or anywhere; counted again
    here from the events with pandas."""
    pd = pytest.importorskip("pandas")
    _, events, _ = sample
    df = events.to_pandas()
    first_web = df[df.touchpoint == "website"].groupby("customer_id").timestamp.min()
    buys = df[df.type == "conversion"]

    def bought_after(rows):
        last = rows.groupby("customer_id").timestamp.max()
        both = pd.concat([first_web, last], axis=1, join="inner")
        return int((both.iloc[:, 0] < both.iloc[:, 1]).sum())

    steps, _ = tp.funnel(events, "website, (conversion)")
    assert steps["touchpoint"] == ["website", "(conversion)"]
    assert steps["customers"] == [len(first_web), bought_after(buys)]
    online = tp.funnel(events, ["website", "online-checkout (conversion)"])[0]
    assert online["customers"][1] == bought_after(buys[buys.touchpoint == "online-checkout"])
    assert 0 < online["customers"][1] < steps["customers"][1]
    # the same funnel from a list of step texts, tuples, and the text
    text = tp.funnel(events, "website, cart?, online-checkout (conversion)<2d")[0]
    for form in (["website", "cart?", "online-checkout (conversion)<2d"],
                 ["website", ("cart", True), ("online-checkout (conversion)", False, "2d")]):
        assert tp.Funnel(form).run(events)[0].to_records() == text.to_records()
    # a purchase anywhere as an exclusion: it starts the customer over and is
    # never a step, so a checkout visit counts when a website visit came
    # after the last purchase before it
    reached = 0
    for _, rows in df.sort_values("timestamp", kind="stable").groupby("customer_id"):
        web = False
        for t, kind in zip(rows.touchpoint, rows.type):
            if kind == "conversion":
                web = False
            elif t == "website":
                web = True
            elif t == "online-checkout" and web:
                reached += 1
                break
    before = tp.funnel(events, "website, online-checkout", exclude="(conversion)")[0]
    assert before["customers"][1] == reached


def test_targets_against_the_scorecard(sample):
    """Each target's value and interval are the scorecard's; the call follows
    the interval (recomputed here)."""
    catalog, events, feedback = sample
    card = {r["touchpoint"]: r for r in tp.scorecard(events, feedback).to_records()}
    rows = tp.targets(events, feedback).to_records()
    assert len(rows) == sum(len(catalog.targets(t["id"])) for t in catalog.touchpoints)
    seen = set()
    for r in rows:
        assert catalog.targets(r["touchpoint"])[r["metric"]] == r["target"]
        if r["metric"] != "cx_index" and r["n"]:
            c = card[r["touchpoint"]]
            assert (r["value"], r["low"], r["high"]) == \
                (c[r["metric"]], c[r["metric"] + "_low"], c[r["metric"] + "_high"])
        elif r["metric"] == "cx_index":
            assert r["value"] == pytest.approx(card[r["touchpoint"]]["cx_index"], rel=1e-12)
            assert r["low"] <= r["value"] <= r["high"]
        want = ("no data" if not r["n"] else "met" if r["low"] >= r["target"]
                else "missed" if r["high"] < r["target"] else "unclear")
        assert r["status"] == want
        seen.add(want)
        if r["n"]:
            assert r["gap"] == pytest.approx(r["value"] - r["target"])
    assert seen == {"met", "missed", "unclear", "no data"}    # the sample shows each
    assert {r["touchpoint"] for r in tp.targets(events, feedback, stage="after").to_records()} \
        <= {t["id"] for t in catalog.touchpoints if t["stage"] == "after"}


def test_roadmap_follows_the_map_targets_and_trend(sample):
    """Rows in map order; values from targets; the slope is the least-squares
    line through the monthly trend per touchpoint (recomputed here)."""
    np = pytest.importorskip("numpy")
    catalog, events, feedback = sample
    road = tp.roadmap(events, feedback, "online-purchase").to_records()
    stages = catalog.journey_map("online-purchase").stages
    order = [t for _, members in stages for t in members]
    assert list(dict.fromkeys(r["touchpoint"] for r in road)) == order
    targets = {(r["touchpoint"], r["metric"]): r for r in tp.targets(events, feedback).to_records()}
    trend = tp.trend(events, feedback, by_touchpoint=True).to_pandas()
    for r in road:
        if r["status"] == "no target":
            assert r["target"] is None and not catalog.targets(r["touchpoint"])
        else:
            t = targets[(r["touchpoint"], r["metric"])]
            assert (r["value"], r["status"], r["target"]) == (t["value"], t["status"], t["target"])
        rows = trend[(trend.touchpoint == r["touchpoint"]) & trend[r["metric"]].notna()]
        assert r["periods"] == len(rows)
        if len(rows) >= 2:
            months = rows.start.dt.year * 12 + rows.start.dt.month
            slope = np.polyfit(months.astype(float), rows[r["metric"]].astype(float), 1)[0]
            assert r["slope"] == pytest.approx(slope, rel=1e-9, abs=1e-9)
        if r["reached_by"] not in (None, "now", "moving away", "not moving"):
            assert r["slope"] > 0 and r["value"] < r["target"]
            import datetime, math
            last = rows.start.max()
            k = math.ceil((r["target"] - r["value"]) / r["slope"])
            month = last.year * 12 + last.month - 1 + k
            assert r["reached_by"] == "%04d-%02d-01" % (month // 12, month % 12 + 1)
    assert {r["reached_by"] for r in road} >= {"now", "moving away"}
    with pytest.raises(tp.NotFoundError):
        tp.roadmap(events, feedback, "online-purchse")


def test_owner_filter_and_owner_columns(sample):
    catalog, events, feedback = sample
    owned = [t["id"] for t in catalog.touchpoints if t["owner"] == "E-commerce"]
    assert tp.scorecard(events, feedback, owner="E-commerce")["touchpoint"] == owned
    both = tp.scorecard(events, feedback, owner=["E-commerce", "Logistics"])["touchpoint"]
    assert set(both) == {t["id"] for t in catalog.touchpoints
                         if t["owner"] in ("E-commerce", "Logistics")}
    with pytest.raises(tp.NotFoundError, match="did you mean 'E-commerce'"):
        tp.scorecard(events, feedback, owner="Ecommerce")
    owner_of = {t["id"]: t["owner"] for t in catalog.touchpoints}
    for analysis in (tp.hotspots, tp.drivers, tp.targets):
        rows = analysis(events, feedback).to_records()
        assert rows and all(r["owner"] == owner_of[r["touchpoint"]] for r in rows)


def test_an_empty_table_says_why(sample):
    _, events, feedback = sample
    hot = tp.hotspots(events, feedback, min_responses=100000)
    assert len(hot) == 0 and "no touchpoint has min_responses (100000)" in hot.note
    assert hot.note in repr(hot) and hot.note in hot._repr_html_()
    assert hot.to_pandas().attrs["note"] == hot.note
    assert "no drivers" in tp.drivers(events, feedback, stage="before").note
    assert tp.hotspots(events, feedback).note is None


def test_catalog_targets_set_read_and_refused():
    c = tp.Catalog()
    c.add_touchpoint("store", stage="during")
    assert c.targets("store") == {}
    c.set_target("store", "nps", 20)
    c.set_target(0, "ces", 5.5)
    assert c.targets("store") == {"nps": 20.0, "ces": 5.5}
    assert c.touchpoint("store")["targets"] == {"nps": 20.0, "ces": 5.5}
    again = tp.Catalog.parse_json(c.to_json())
    assert again.targets("store") == {"nps": 20.0, "ces": 5.5}
    c.set_target("store", "nps", None)
    assert c.targets("store") == {"ces": 5.5}
    with pytest.raises(tp.InvalidArgumentError, match="did you mean 'nps'"):
        c.set_target("store", "nsp", 20)
    with pytest.raises(tp.InvalidArgumentError, match="ces targets are from 1 to 7, not 8"):
        c.set_target("store", "ces", 8)
    with pytest.raises(TypeError):
        c.set_target("store", "nps", "20")
    with pytest.raises(tp.NotFoundError):
        c.set_target("stor", "nps", 20)


def test_any_order_funnel_counts_distinct_steps(sample):
    """mode="any": row k = customers who did at least k of the steps, in any
    order (recounted here with pandas)."""
    _, events, _ = sample
    steps = ["website", "cart", "online-checkout", "store"]
    df = events.to_pandas()
    done = df[df.touchpoint.isin(steps)].groupby("customer_id").touchpoint.nunique()
    table, _ = tp.funnel(events, steps, mode="any")
    assert table["touchpoint"] == ["(any %d of 4)" % k for k in range(1, 5)]
    assert table["customers"] == [int((done >= k).sum()) for k in range(1, 5)]
    with pytest.raises(tp.InvalidArgumentError, match="any order has no optional steps"):
        tp.funnel(events, "website, cart?", mode="any")
    with pytest.raises(tp.InvalidArgumentError, match="did you mean 'any'"):
        tp.funnel(events, steps, mode="anyy")


def test_funnel_steps_refuse_what_is_not_a_step(sample):
    _, events, _ = sample
    with pytest.raises(TypeError, match="step 2 is None"):
        tp.Funnel(["website", None])
    with pytest.raises(tp.InvalidArgumentError, match="one step per item"):
        tp.Funnel(["website", "cart, online-checkout"])
    with pytest.raises(tp.InvalidArgumentError, match="one exclusion per item"):
        tp.Funnel(["website"], exclude=["support, billing"])
    with pytest.raises(tp.NotFoundError, match="did you mean 'online-checkout \\(conversion\\)'"):
        tp.funnel(events, "website, online-checkout (convrsion)")
    with pytest.raises(tp.InvalidArgumentError, match="every event of step 2"):
        tp.funnel(events, "website, (conversion)", exclude=["(conversion)"])


def test_edges_to_dot(sample):
    _, events, _ = sample
    dot = tp.flow(events, max_steps=2).to_dot()
    assert dot.startswith("digraph") and "->" in dot


def test_times_durations_and_flags_come_out_as_what_they_are(sample):
    """Columns with a unit: to_pandas gives datetimes in UTC, timedeltas and
    bools; rows give datetime, timedelta and bool; to_csv keeps milliseconds."""
    import datetime
    pd = pytest.importorskip("pandas")
    _, events, _ = sample
    table = tp.journeys(events)
    assert table.units["start"] == "time" and table.units["duration"] == "duration"
    assert table.units["converted"] == "flag" and table.units["touches"] == "none"
    df = table.to_pandas()
    assert str(df["start"].dtype).startswith("datetime64") and str(df["start"].dt.tz) == "UTC"
    assert str(df["duration"].dtype).startswith("timedelta64") and df["converted"].dtype == bool
    # the same instants as the milliseconds of the CSV
    import csv, io
    rows = list(csv.DictReader(io.StringIO(table.to_csv())))
    assert df["start"][0] == pd.Timestamp(int(rows[0]["start"]), unit="ms", tz="UTC")
    assert df["duration"][0] == pd.Timedelta(milliseconds=int(rows[0]["duration"]))
    assert list(df["converted"][:20]) == [r["converted"] == "1" for r in rows[:20]]
    row = table[0]
    assert row["start"] == datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + \
        datetime.timedelta(milliseconds=int(rows[0]["start"]))
    assert isinstance(row["duration"], datetime.timedelta) and row["converted"] in (True, False)
    # a duration that is null (the first funnel step has no time to it) is NaT / None
    steps = tp.funnel(events, "website, cart, online-checkout")[0]
    assert pd.isna(steps.to_pandas()["median_ms"][0]) and steps["median_ms"][0] is None
    assert steps.to_pandas()["optional"].dtype == bool


def test_sample_adequacy_by_hand(sample):
    """respondents and response_rate recounted with pandas from the raw rows;
    each margin of error is half its interval; low_sample lists the metrics
    with fewer than min_responses answers."""
    pytest.importorskip("pandas")
    _, events, feedback = sample
    ev = events.to_pandas()
    fb = feedback.to_pandas()
    reached = ev.groupby("touchpoint")["customer_id"].apply(set)
    answered = fb.groupby("touchpoint")["customer_id"].apply(set)
    metrics = ["nps", "csat", "ces", "rating", "sentiment", "audit"]
    for min_n in (30, 100):
        card = tp.scorecard(events, feedback, min_responses=min_n).to_pandas()
        assert card.attrs.get("note") is None
        for r in card.itertuples():
            who = answered.get(r.touchpoint, set())
            seen = reached.get(r.touchpoint, set())
            assert r.respondents == len(who)
            if seen:
                assert r.response_rate == pytest.approx(len(who & seen) / len(seen), rel=1e-15)
            else:
                assert math.isnan(r.response_rate)
            for m in metrics + ["cx"]:
                low, high, moe = (getattr(r, m + s) for s in ("_low", "_high", "_moe"))
                if math.isnan(low):
                    assert math.isnan(moe)
                else:
                    assert moe == pytest.approx((high - low) / 2, rel=1e-15)
            few = [m for m in metrics if 0 < getattr(r, m + "_n") < min_n]
            assert (r.low_sample.split(",") if isinstance(r.low_sample, str) else []) == few
    flagged = tp.scorecard(events, feedback).to_pandas().low_sample.notna()
    assert 0 < flagged.sum() < len(flagged)  # the sample has both


def test_breakdown_by_hand(sample):
    """breakdown= puts the attribute's value first; each block's NPS is the
    NPS of that segment's customers recomputed with pandas (a customer's
    segment from the events), and a funnel block is the funnel of that
    segment; the segment-vs-rest test is Welch's on the 0-100 values."""
    pd = pytest.importorskip("pandas")
    _, events, feedback = sample
    card = tp.scorecard(events, feedback, breakdown="segment").to_pandas()
    assert list(card.columns[:2]) == ["segment", "touchpoint"]
    assert sorted(card.segment.unique()) == ["(none)", "new", "returning", "vip"]
    ev = events.to_pandas()
    fb = feedback.to_pandas()
    segment_of = ev.groupby("customer_id")["segment"].last()
    fb["segment"] = fb.customer_id.map(segment_of).fillna("(none)")
    nps = fb[fb.metric == "nps"]
    checked = 0
    for (seg, touchpoint), g in nps.groupby(["segment", "touchpoint"]):
        row = card[(card.segment == seg) & (card.touchpoint == touchpoint)].iloc[0]
        want = 100 * ((g.score >= 9).sum() - (g.score <= 6).sum()) / len(g)
        assert row.nps == pytest.approx(want, abs=1e-9)
        assert row.nps_n == len(g)
        checked += 1
    assert checked > 20
    tested = card.dropna(subset=["p_value"])
    assert len(tested) > 20 and ((tested.p_value >= 0) & (tested.p_value <= 1)).all()
    assert (tested.difference - (tested["mean"] - tested.rest_mean)).abs().max() < 1e-9
    steps = tp.funnel(events, "website,cart,online-checkout", breakdown="region")[0].to_pandas()
    for region in ["east", "north", "south", "west"]:
        alone = tp.funnel(events, "website,cart,online-checkout", segment="region=" + region)[0]
        got = steps[steps.region == region].drop(columns="region").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, alone.to_pandas(), check_dtype=False)
    with pytest.raises(tp.NotFoundError, match="did you mean 'region'"):
        tp.scorecard(events, feedback, breakdown="regoin")
    with pytest.raises(TypeError, match="breakdown takes one value"):
        tp.scorecard(events, feedback, breakdown=["region"])
    with pytest.raises(TypeError, match="level takes one value"):  # not the last of a list
        tp.scorecard(events, feedback, level=[0.9, 0.8])
    with pytest.raises(TypeError, match="takes a str"):
        tp.Options(breakdown=3)
    assert tp.Options(breakdown="region").get("breakdown") == "region"


def test_profile_by_hand(sample):
    """One customer's profile against their raw rows (pandas): the touches in
    time order cut into journeys, every answer, the attributes, and per
    touchpoint their CX index beside everyone's."""
    pytest.importorskip("pandas")
    _, events, feedback = sample
    ev = events.to_pandas()
    fb = feedback.to_pandas()
    who = ev[ev.type == "conversion"].customer_id.iloc[3]
    summary, touches, answers, tps = tp.profile(events, feedback, who)
    mine = ev[ev.customer_id == who].sort_values("timestamp", kind="stable")
    said = fb[fb.customer_id == who].sort_values("timestamp", kind="stable")
    s = summary.to_records()[0]
    assert s["customer"] == who and s["events"] == len(mine)
    assert s["conversions"] == (mine.type == "conversion").sum()
    assert s["value"] == pytest.approx(mine.value.sum())
    assert s["segment"] == mine.segment.iloc[-1] and s["region"] == mine.region.iloc[-1]
    t = touches.to_pandas()
    assert list(t.touchpoint) == list(mine.touchpoint)
    assert list(t.timestamp) == list(mine.timestamp)
    # a journey ends at a conversion or an exit, or after 30 days without a touch
    gaps = mine.timestamp.diff() > pytest.importorskip("pandas").Timedelta(days=30)
    ends = mine.type.isin(["conversion", "exit"]).shift(fill_value=False)
    assert list(t.journey) == list((gaps | ends).cumsum() + 1)
    a = answers.to_pandas()
    assert list(a.metric) == list(said.metric) and list(a.score) == list(said.score)
    per = tps.to_pandas().set_index("touchpoint")
    for touchpoint, n in mine.touchpoint.value_counts().items():
        assert per.loc[touchpoint, "touches"] == n
    everyone = tp.scorecard(events, feedback).to_pandas().set_index("touchpoint")
    for touchpoint, row in per.iterrows():
        assert row.overall_cx_index == pytest.approx(everyone.loc[touchpoint, "cx_index"],
                                                     nan_ok=True)
    with pytest.raises(tp.NotFoundError, match="no customer"):
        tp.profile(events, feedback, who + "x")
    with pytest.raises(tp.InvalidArgumentError, match="needs id"):
        tp.profile(events, feedback)
    assert len(tp.scorecard(events, feedback, customer=who).to_pandas()) > 0


def test_loyalty_by_hand(sample):
    """Retention, repeat purchases and engagement recomputed with pandas from
    the raw events (months, UTC)."""
    pd = pytest.importorskip("pandas")
    _, events, feedback = sample
    ev = events.to_pandas()
    month = ev.timestamp.dt.year * 12 + ev.timestamp.dt.month - 1
    ev = ev.assign(month=month)
    first = ev.groupby("customer_id").month.transform("min")
    ev = ev.assign(age=ev.month - first, cohort=first)
    active = ev.drop_duplicates(["customer_id", "age"]).groupby(["cohort", "age"]).size()
    sizes = ev.drop_duplicates("customer_id").groupby("cohort").size()
    ret = tp.retention(events)[0].to_pandas()
    for r in ret.itertuples():
        c = r.start.year * 12 + r.start.month - 1
        assert r.customers == sizes[c]
        assert r.active == active.get((c, r.age), 0)
        assert r.share == pytest.approx(r.active / r.customers)
    # every observable age of every cohort, up to the data's last month
    assert len(ret) == sum(month.max() - c + 1 for c in sizes.index)
    tri = tp.retention(events)[1].to_pandas()
    assert tri.p0.eq(1).all() and len(tri) == len(sizes)
    # repeat: buyers, repeaters and the median gap from the first purchase to the second
    buys = ev[ev.type == "conversion"].sort_values(["customer_id", "timestamp"], kind="stable")
    nth = buys.groupby("customer_id").cumcount()
    t1 = buys[nth == 0].set_index("customer_id").timestamp
    t2 = buys[nth == 1].set_index("customer_id").timestamp
    rep = tp.repeat(events).to_pandas().set_index("touchpoint")
    assert rep.loc["(all)", "buyers"] == len(t1) and rep.loc["(all)", "repeaters"] == len(t2)
    assert rep.loc["(all)", "median_ms"] == (t2 - t1[t2.index]).median()
    # the buyers who touched the website between their first purchase and the next
    nxt = t2.reindex(t1.index)
    after = ev.merge(t1.rename("t1"), left_on="customer_id", right_index=True) \
              .merge(nxt.rename("t2"), left_on="customer_id", right_index=True, how="left")
    hit = after[(after.touchpoint == "website") & (after.type != "conversion") &
                (after.timestamp > after.t1) & (after.t2.isna() | (after.timestamp < after.t2))]
    touched = set(hit.customer_id)
    assert rep.loc["website", "buyers"] == len(touched)
    assert rep.loc["website", "repeaters"] == len(touched & set(t2.index))
    # engagement: distinct customers and touches per touchpoint
    eng = tp.engagement(events)[0].to_pandas().set_index("touchpoint")
    counts = ev.groupby("touchpoint").agg(customers=("customer_id", "nunique"),
                                          touches=("customer_id", "size"))
    for t, row in counts.iterrows():
        assert eng.loc[t, "customers"] == row.customers and eng.loc[t, "touches"] == row.touches
    last = ev.timestamp.max()
    recency = (last - ev.groupby(["touchpoint", "customer_id"]).timestamp.max()) \
        .groupby("touchpoint").median()
    for t, value in recency.items():
        assert eng.loc[t, "recency_ms"] == value
    with pytest.raises(tp.InvalidArgumentError, match="did you mean 'first_event'"):
        tp.retention(events, cohort="first_evnt")


def _lexicon_kinds():
    import os
    kinds = {}
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, "data", "lexicon-en.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            kinds[parts[0].lower()] = parts[2] if len(parts) > 2 else "word"
    return kinds


def test_phrases_by_hand(sample):
    """Comment phrases recounted with a tokenizer written here from the
    documented rules: clauses, stop words and modifiers from the lexicon file,
    each comment once, at least two comments, the inner two-word phrase of a
    three-word one with as many comments left out, the top five."""
    import collections
    import string
    pytest.importorskip("pandas")
    _, events, feedback = sample
    kinds = _lexicon_kinds()
    fb = feedback.to_pandas()
    fb = fb[fb.comment.notna() & (fb.comment != "")]
    punct = string.punctuation
    counts = collections.defaultdict(collections.Counter)
    for touchpoint, text in zip(fb.touchpoint, fb.comment):
        seen, win = set(), []
        for raw in text.split():
            core = raw.strip(punct)
            if not core or raw[0] in punct or len(core) > 64:
                win = []
                if not core or len(core) > 64:
                    continue
            word = core.lower()
            kind = kinds.get(word)
            win = (win + [(word, kind not in ("stop", "contrast"), kind in (None, "word"))])[-3:]
            if win[-1][2]:
                for n in (2, 3):
                    if len(win) >= n and win[-n][1]:
                        seen.add(" ".join(w for w, _, _ in win[-n:]))
            if raw.rstrip("'") != raw.rstrip(punct):
                win = []
        for p in seen:
            counts[touchpoint][p] += 1
    got = tp.phrases(events, feedback).to_pandas()
    for touchpoint, group in got.groupby("touchpoint"):
        c = {p: n for p, n in counts[touchpoint].items() if n >= 2}
        inner = {p for p in c if p.count(" ") == 1 and any(
            q.count(" ") == 2 and c[q] == c[p] and (q.startswith(p + " ") or q.endswith(" " + p))
            for q in c)}
        want = sorted((p for p in c if p not in inner), key=lambda p: (-c[p], -p.count(" "), p))[:5]
        assert list(group.phrase) == want, touchpoint
        assert list(group["count"]) == [c[p] for p in want]
    assert "hidden shipping costs" in set(got.phrase)
    assert set(got.words) <= {2, 3}
