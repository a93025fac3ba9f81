"""The CX report from Python: tp.report() and tp.chart() give the library's
report, its findings agree with the analyses computed here, and misuse is
refused with a clear exception."""
import json
import os

import pytest

import touchpoint as tp


@pytest.fixture(scope="module")
def rep(sample):
    _, events, feedback = sample
    return tp.report(events, feedback, title="Q1 review")


def test_findings_agree_with_the_analyses(sample, rep):
    catalog, events, feedback = sample
    findings = {f.key: f for f in rep.findings}
    assert list(findings) == ["worst_touchpoint", "best_touchpoint", "biggest_funnel_drop",
                              "top_channel"]
    hot = tp.hotspots(events, feedback).to_records()
    worst = next(r for r in hot if r["kind"] == "pain")
    best = next(r for r in hot if r["kind"] == "bright")
    assert findings["worst_touchpoint"].subject == worst["touchpoint"]
    assert findings["worst_touchpoint"].value == pytest.approx(worst["cx_index"])
    assert findings["best_touchpoint"].subject == best["touchpoint"]
    # Markov credit summed per catalog channel, here.
    channel = {r["id"]: r["channel"] or "(none)" for r in catalog.to_table().to_records()}
    per = {}
    for r in tp.attribute(events, "markov").to_records():
        per[channel.get(r["touchpoint"], "(none)")] = per.get(
            channel.get(r["touchpoint"], "(none)"), 0) + r["conversions"]
    top = max(per, key=per.get)
    assert findings["top_channel"].subject == top
    assert findings["top_channel"].value == pytest.approx(per[top])
    assert all(f.text for f in rep.findings)
    assert rep.text.splitlines()[0].startswith("Worst touchpoint:")


def test_notebook_faces(rep):
    frag = rep._repr_html_()
    assert frag.startswith('<div class="tp-report"><style>')
    assert "<html" not in frag and "<script" not in frag
    assert frag.count("<svg ") == 9
    assert rep.html.startswith("<!DOCTYPE html>") and "<title>Q1 review</title>" in rep.html
    data = rep.to_dict()
    assert data["title"] == "Q1 review" and data["attribution_rollup"]["by"] == "channel"
    assert json.loads(rep.json) == data
    assert "Report:" in repr(rep)


def test_charts(sample, rep):
    _, events, feedback = sample
    names = [c.name for c in tp.charts()]
    assert names == ["journey", "nps", "hotspots", "drivers", "targets", "funnel", "flow", "attribution",
                     "trend", "segments"]
    for name in names:
        c = rep.chart(name)
        assert c._repr_svg_().startswith('<svg xmlns="http://www.w3.org/2000/svg" class="tp-chart"')
        assert "<style>svg.tp-chart{" in c.svg and str(c) == c.svg and name in repr(c)
    alone = tp.chart("trend", events, feedback, title="Q1 review")
    assert alone.svg == rep.chart("trend").svg
    with pytest.raises(tp.InvalidArgumentError, match="did you mean 'journey'"):
        rep.chart("jurney")


def test_save(rep, tmp_path):
    rep.save(tmp_path / "r.html")
    rep.save(str(tmp_path / "r.json"))
    rep.save(tmp_path / "r.out", form="text")
    rep.chart("funnel").save(tmp_path / "funnel.svg")
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert json.loads((tmp_path / "r.json").read_text())["title"] == "Q1 review"
    assert (tmp_path / "r.out").read_text() == rep.text
    assert (tmp_path / "funnel.svg").read_text().startswith("<svg")
    assert sorted(os.listdir(tmp_path)) == ["funnel.svg", "r.html", "r.json", "r.out"]
    with pytest.raises(tp.FileError, match="no/such"):
        rep.save(tmp_path / "no" / "such" / "r.html")
    with pytest.raises(TypeError):
        rep.save(42)
    with pytest.raises(tp.InvalidArgumentError, match="html"):
        rep.save(tmp_path / "x", form="htm")


def test_keywords_reach_the_library(sample):
    catalog, events, feedback = sample
    during = tp.report(events, feedback, stage="during").to_dict()
    assert list(during["trend_by_stage"]) == ["during"]
    by_owner = tp.report(events, feedback, credit_by="owner", funnel=["website", "cart"])
    d = by_owner.to_dict()
    assert d["attribution_rollup"]["by"] == "owner"
    assert [s["touchpoint"] for s in d["funnel"]["steps"]] == ["website", "cart"]
    assert d["funnel"]["steps_from"] == "steps"
    assert by_owner.findings[3].key == "top_owner"
    f = tp.Funnel("website, product-page, cart", window="7d")
    assert [s["touchpoint"] for s in tp.report(events, funnel=f).to_dict()["funnel"]["steps"]] == [
        "website", "product-page", "cart"]
    with pytest.raises(tp.InvalidArgumentError, match="did you mean 'channel'"):
        tp.report(events, feedback, credit_by="chanel")


def test_misuse_is_refused(sample):
    catalog, events, feedback = sample
    with pytest.raises(TypeError, match="events must be"):
        tp.report(feedback, events)
    with pytest.raises(TypeError, match="events must be"):
        tp.report(None)
    with pytest.raises(TypeError, match="funnel="):
        tp.report(events, feedback, funnel=3)
    with pytest.raises(TypeError, match="read_log="):
        tp.report(events, feedback, read_log="x")
    with pytest.raises(tp.InvalidArgumentError):
        tp.report(events, feedback, levle=0.9)
    e2 = tp.Events(catalog)
    e2.close()
    with pytest.raises(tp.InvalidArgumentError, match="closed"):
        tp.report(e2)


def test_catalog_funnel_and_read_log(tmp_path):
    cat = tp.Catalog.parse_json(json.dumps({
        "touchpoints": [{"id": "website"}, {"id": "cart"}, {"id": "checkout"}],
        "funnels": [{"id": "buy", "steps": ["website", "cart?", "checkout"], "window": "7d"}]}))
    assert cat.funnel_count() == 1 and cat.funnel_id(0) == "buy"
    assert len(cat.funnel("buy")) == 3
    with pytest.raises(tp.NotFoundError, match="did you mean 'buy'"):
        cat.funnel("bye")
    events = tp.Events(cat)
    log = events.read_csv(data="customer_id,timestamp,touchpoint\na,1,website\na,2,checkout\n"
                               "b,1,website\nb,oops,cart\n", name="e.csv")
    rep = tp.report(events, read_log=log)
    d = rep.to_dict()
    assert d["funnel"]["funnel_id"] == "buy" and d["funnel"]["steps_from"] == "catalog"
    assert d["inputs"]["rejected_rows"] == log.rows_rejected() == 1
    cat.add_funnel("again", tp.Funnel("website, checkout"))
    assert cat.funnel_count() == 2 and '"again"' in cat.to_json()


def test_attribution_by_group(sample):
    """by= sums the credit of each channel: the same as summing here."""
    catalog, events, _ = sample
    channel = {r["id"]: r["channel"] or "(none)" for r in catalog.to_table().to_records()}
    want = {}
    for r in tp.attribute(events, "linear").to_records():
        c = channel.get(r["touchpoint"], "(none)")
        want[c] = want.get(c, 0) + r["conversions"]
    got = {r["channel"]: r["conversions"] for r in tp.attribute(events, "linear", by="channel")}
    assert got.keys() == want.keys()
    assert all(got[c] == pytest.approx(want[c]) for c in want)
    comp = tp.attribution_compare(events, by="stage")
    assert comp.columns[0] == "stage"
    with pytest.raises(tp.InvalidArgumentError, match="needs the catalog"):
        tp.attribute(tp.Paths.from_events(events), "first", by="channel")


def test_report_to_pandas_gives_its_tables(sample):
    """Report.to_pandas(): one DataFrame per table of the report, equal to the
    analysis it comes from."""
    pd = pytest.importorskip("pandas")
    _, events, feedback = sample
    frames = tp.Report(events, feedback).to_pandas()
    assert {"findings", "scorecard", "hotspots", "funnel_steps", "trend_by_stage"} <= set(frames)
    assert all(isinstance(f, pd.DataFrame) for f in frames.values())
    card = {r["touchpoint"]: r for r in tp.scorecard(events, feedback)}
    got = frames["scorecard"].set_index("touchpoint")
    assert set(got.index) == set(card)
    for touchpoint, row in card.items():
        if row["cx_index"] is not None:
            assert got.loc[touchpoint, "cx_index"] == pytest.approx(row["cx_index"], rel=1e-12)
    assert list(frames["findings"].columns) == ["key", "heading", "subject", "value", "text"]
    stages = set(frames["trend_by_stage"]["stage"])
    assert stages and stages <= {"before", "during", "after"}


def test_segments_section(sample):
    """breakdown= gives the report its segments section; each value's
    responses are those of the broken-down scorecard, and the differences
    listed are the scorecard rows below alpha (at most 15, most significant
    first)."""
    _, events, feedback = sample
    rep = tp.report(events, feedback, breakdown="region", alpha=0.01)
    seg = rep.to_dict()["segments"]
    assert seg["attribute"] == "region" and seg["alpha"] == 0.01
    card = tp.scorecard(events, feedback, breakdown="region").to_pandas()
    summary = {r["value"]: r for r in seg["summary"]}
    assert sorted(summary) == ["(none)", "east", "north", "south", "west"]
    for value, group in card.groupby("region"):
        assert summary[value]["responses"] == group.responses.sum()
    below = card[card.p_value < 0.01].sort_values("p_value")
    got = [(r["value"], r["touchpoint"]) for r in seg["differences"]]
    assert got == list(zip(below.region, below.touchpoint))[:15]
    assert 'id="segments"' in rep.html
    assert tp.report(events, feedback).to_dict()["segments"] is None
