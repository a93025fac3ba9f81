"""No call can crash the interpreter: wrong types, None, swapped stores and
closed objects raise clear exceptions (see misuse_sweep.py for the sweep)."""
import os
import signal
import subprocess
import sys

import pytest

import touchpoint as tp

HERE = os.path.dirname(os.path.abspath(__file__))


def test_sweep_of_every_callable(tmp_path):
    """Everything the module offers, called wrongly, in a child interpreter."""
    log = tmp_path / "calls.log"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    proc = subprocess.run([sys.executable, "-W", "ignore", os.path.join(HERE, "misuse_sweep.py"),
                           str(log), str(scratch)], capture_output=True, text=True, timeout=1500)
    if proc.returncode < 0:
        last = log.read_text(encoding="utf-8", errors="replace").splitlines()[-1:]
        pytest.fail("the interpreter died of %s during %s\n%s" % (
            signal.Signals(-proc.returncode).name, last, proc.stderr[-3000:]))
    bad = [line for line in proc.stdout.splitlines() if line.startswith("BAD")]
    assert proc.returncode == 0 and not bad, "\n".join(bad[:40]) + proc.stderr[-3000:]
    calls = int(proc.stdout.split("calls ")[1].split(",")[0])
    assert calls > 100000   # the sweep really ran


@pytest.fixture
def stores():
    cat = tp.Catalog.default()
    events = tp.Events(cat)
    events.append("c1", 0, "website")
    events.append("c1", 1000, "cart")
    feedback = tp.Feedback(cat)
    feedback.append("c1", 2000, "cart", "nps", 9)
    return cat, events, feedback


@pytest.mark.parametrize("call, words", [
    (lambda e, f: tp.scorecard(f, e), "scorecard: events must be a touchpoint.Events, not Feedback"),
    (lambda e, f: tp.journeys("x"), "journeys: events must be a touchpoint.Events, not str"),
    (lambda e, f: tp.hotspots(1, 2), "hotspots: events must be a touchpoint.Events, not int"),
    (lambda e, f: tp.funnel("x", "a,b"), "events must be a touchpoint.Events, not str"),
    (lambda e, f: tp.Paths.from_events("x"), "Paths.from_events: events must be"),
    (lambda e, f: tp.Aggregate("transitions").add("x"), "Aggregate.add: events must be a touchpoint.Events, not str"),
    (lambda e, f: tp.scorecard(__import__("pandas").DataFrame()), "not DataFrame"),
])
def test_wrong_types_raise_type_error_naming_the_parameter(stores, call, words):
    _, events, feedback = stores
    with pytest.raises(TypeError) as info:
        call(events, feedback)
    assert words in str(info.value)


def test_closed_objects_say_so(stores):
    cat, events, feedback = stores
    events.close()
    with pytest.raises(tp.InvalidArgumentError, match="journeys: this Events is closed"):
        tp.journeys(events)
    with pytest.raises(tp.InvalidArgumentError, match="Events.count: this Events is closed"):
        len(events)
    assert repr(events) == "<touchpoint.Events (closed)>"
    table = tp.scorecard(None, feedback)
    table.close()
    assert str(table) == "<touchpoint.Table (closed)>"
    agg = tp.Aggregate("scorecard")
    agg.close()                       # every handle can be closed
    with pytest.raises(tp.Error, match="closed"):
        agg.to_bytes()


def test_none_where_text_is_needed(stores):
    options = tp.Options()
    with pytest.raises(tp.InvalidArgumentError, match="no option name given"):
        options._get(None)           # used to call strcmp(NULL)
    with pytest.raises(TypeError):
        options[None]


def test_every_option_can_be_read_back():
    options = tp.Options(threads=4)
    assert options["threads"] == 4


def test_methods_are_not_module_functions():
    """Functions attached to classes leave no module-level names behind."""
    for name in ("head", "to_pandas", "set", "update", "run", "add", "read_csv", "to_records"):
        assert not hasattr(tp, name), name
    assert tp.Table.head and tp.Options.update and tp.Events.read_csv


def test_registry_reaches_every_option_by_its_name(cli):
    """Every option the library describes is settable and readable under the same
    name in Python and in the tool (--name-with-dashes VALUE and --option name=VALUE);
    nothing here lists them by hand."""
    described = tp.Options.describe()
    help_text = cli("--help")
    assert len(described) >= 29 and {"threads", "level", "half_life"} <= {o["name"] for o in described}
    types = {o["name"]: o["type"] for o in described}
    assert (types["half_life"], types["period"], types["self_loops"], types["level"]) == (
        "duration", "choice", "flag", "number")
    for o in described:
        name, default = o["name"], o["default"]
        opts = tp.Options(**{name: default})
        value = opts[name]
        assert value == tp.Options()[name] or (value != value and tp.Options()[name] != tp.Options()[name])
        if o["choices"]:
            last = o["choices"][-1]
            assert tp.Options(**{name: last})[name] == len(o["choices"]) - 1
        assert name in tp.Options.__doc__ and o["doc"] in tp.Options.__doc__
        value_text = "yes" if o["type"] == "flag" else default
        cli("catalog", "--option", "%s=%s" % (name, value_text))
        flag = "--" + name.replace("_", "-")
        assert flag in help_text and o["doc"] in help_text, flag
        if o["type"] != "flag":
            cli("catalog", flag, default)
    with pytest.raises(tp.InvalidArgumentError, match="did you mean 'half_life'"):
        tp.Options(halflife="7d")


def test_filter_keys_come_from_the_library():
    names = [tp._filter_key_name(i) for i in range(tp._filter_key_count())]
    assert names == ["since", "until", "segment", "stage", "channel", "touchpoint", "owner",
                     "customer"]
    f = tp.Filter(stages=["during", "after"], segment="tier=gold", touchpoint="website")
    assert "stage" in tp.Filter.__init__.__doc__
    with pytest.raises(TypeError, match="unknown keyword 'stag'"):
        tp.Filter(stag="during")
    f.set("channel", "web")
    with pytest.raises(tp.InvalidArgumentError, match="did you mean 'stage'"):
        f.set("stag", "during")


def test_every_public_method_has_a_docstring():
    """Docstrings come from every public header (a hand list of headers once
    missed agg.h and left every Aggregate method without one)."""
    for cname in dir(tp):
        cls = getattr(tp, cname)
        if not isinstance(cls, type) or not hasattr(cls, "thisown"):
            continue
        for name in dir(cls):
            fn = getattr(cls, name)
            if not name.startswith("_") and callable(fn):
                assert (fn.__doc__ or "").strip(), "%s.%s" % (cname, name)
    assert "Merge" in tp.Aggregate.merge.__doc__
