"""Every analysis of the library's registry is reachable, by the same name, in
Python and in the tool, with the same parameters and options, and gives the
same tables. Nothing here lists the analyses: the test walks the registry."""
import inspect
import os
import subprocess

import pytest

import touchpoint as tp

# Values for required parameters, by parameter name (the sample's touchpoints).
# A new required parameter fails test_every_analysis_runs_alike until it has one.
REQUIRED = {"steps": "website,cart,online-checkout", "after": "website", "id": "C03434"}


def flag(name):
    return "--" + name.replace("_", "-")


def tool(*args):
    exe = os.environ.get("TOUCHPOINT_CLI")
    if not exe:
        pytest.skip("TOUCHPOINT_CLI is not set")
    return subprocess.run([exe, *args], capture_output=True, text=True)


def test_registry_is_whole():
    analyses = tp.analyses()
    assert len(analyses) >= 16
    options = {o["name"] for o in tp.Options.describe()}
    for name, a in analyses.items():
        assert a.name == name and a.doc and a.tables
        assert set(a.options) <= options
        for p in a.params:
            assert p.name not in options
            assert p.type in ("text", "choice", "duration")
            assert not p.choices or p.type == "choice"


@pytest.mark.parametrize("name", sorted(tp.analyses()))
def test_every_analysis_is_a_function_and_a_command(name):
    a = tp.analyses()[name]
    fn = getattr(tp, name)
    assert callable(fn) and fn.__name__ == name
    sig = inspect.signature(fn)
    for p in a.params:
        assert p.name in sig.parameters
        assert p.name in fn.__doc__ and p.doc in fn.__doc__
    for option in a.options:
        assert option + ":" in fn.__doc__
    for t in a.tables:
        assert ", ".join(t.columns) in fn.__doc__
    # the tool: a command by the same name ('_' as '-'), whose --help tells the
    # same parameters, options and tables
    r = tool(name.replace("_", "-"), "--help")
    assert r.returncode == 0, r.stderr
    assert a.doc in r.stdout
    for p in a.params:
        assert flag(p.name) in r.stdout
    for option in a.options:
        assert flag(option) in r.stdout
    for t in a.tables:
        assert t.name + ":" in r.stdout
    # the underscore spelling is a command as well
    assert tool(name, "--help").returncode == 0


@pytest.mark.parametrize("name", sorted(tp.analyses()))
def test_every_analysis_runs_alike(name, sample):
    _, events, feedback = sample
    a = tp.analyses()[name]
    params = {}
    for p in a.params:
        if p.default:
            params[p.name] = p.default  # given explicitly: the tool's groupings choose by it
        if p.required:
            assert p.name in REQUIRED, "no sample value for required parameter " + p.name
            params[p.name] = REQUIRED[p.name]
    inputs = (events, feedback) if a.takes & tp.INPUT_FEEDBACK else (events,)
    got = getattr(tp, name)(*inputs, **params)
    tables = got if isinstance(got, tuple) else (got,)
    assert len(tables) == len(a.tables)
    args = [name.replace("_", "-")]
    for key, value in params.items():
        args += [flag(key), value]
    for t, table in zip(a.tables, tables):
        assert list(table.columns[:len(t.columns)]) == list(t.columns)
        r = tool(*args, "--table", t.name, "--format", "csv", "-q")
        assert r.returncode == 0, r.stderr
        assert table.to_csv() == r.stdout, (name, t.name)


def test_typos_are_refused_with_the_nearest_name(sample):
    _, events, feedback = sample
    with pytest.raises(tp.InvalidArgumentError, match="did you mean 'mode'"):
        tp.funnel(events, "website,cart", moed="strict")
    with pytest.raises(tp.InvalidArgumentError, match="did you mean 'strict'"):
        tp.funnel(events, "website,cart", mode="strcit")
    with pytest.raises(tp.InvalidArgumentError, match="did you mean 'min_responses'"):
        tp.hotspots(events, feedback, min_respones=5)
    with pytest.raises(tp.InvalidArgumentError,
                       match=r"journeys does not read the option level \(it reads: timeout, breakdown\)"):
        tp.journeys(events, level=0.9)
    r = tool("fnnel")
    assert r.returncode == 64 and "did you mean 'funnel'" in r.stderr
    r = tool("funnel", "--steps", "website", "--mode", "strcit")
    assert r.returncode == 64 and "did you mean 'strict'" in r.stderr
    r = tool("journeys", "--steps", "website")
    assert r.returncode == 64 and "unknown option or parameter 'steps'" in r.stderr


def test_list_and_duration_parameters(sample):
    _, events, _ = sample
    text = tp.funnel(events, "website, cart?, online-checkout", window="7d")[0]
    listed = tp.funnel(events, ["website", "cart?", "online-checkout"], window=604800000)[0]
    import datetime
    delta = tp.funnel(events, "website, cart?, online-checkout",
                      window=datetime.timedelta(days=7))[0]
    assert text.to_csv() == listed.to_csv() == delta.to_csv()
    assert list(text["optional"]) == [0, 1, 0]
