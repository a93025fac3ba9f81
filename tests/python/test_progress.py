"""Progress and Ctrl-C: every long call shows progress when asked
(progress=True, a callable) and stops on KeyboardInterrupt or on an exception
of the callable, leaving the store as it was. No timing here: each stop is
caused by the test itself (a signal sent from the callable, a pipe whose
writer is still running)."""
import io
import os
import signal
import subprocess
import sys

import pandas as pd
import pytest

import touchpoint as tp

ROWS = 200_000  # over 65,536 rows: the read asks its hook a few times


def _events_csv(rows=ROWS):
    places = ["website", "cart", "online-checkout", "store", "search"]
    lines = ["customer_id,timestamp,touchpoint"]
    lines += ["c%d,%d,%s" % (i % 50_000, 1_767_225_600_000 + i * 1000, places[i % 5])
              for i in range(rows)]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("progress") / "events.csv"
    path.write_text(_events_csv())
    return str(path)


def _store():
    events = tp.Events(tp.Catalog.default())
    events.append("before", "2026-01-01", "website")
    return events


def test_a_read_calls_progress_with_its_figures(big):
    events = _store()
    seen = []
    log = events.read_csv(big, progress=lambda done, total, rows: seen.append((done, total, rows)))
    size = os.path.getsize(big)
    assert len(events) == 1 + ROWS and log.rows_accepted() == ROWS
    assert len(seen) >= 3
    assert seen[-1] == (size, size, ROWS)
    assert all(d <= t == size for d, t, _ in seen)
    assert [r for _, _, r in seen] == sorted(r for _, _, r in seen)


@pytest.mark.parametrize("threads", [1, 2])
def test_an_exception_of_the_callable_stops_the_read(big, threads):
    events = _store()

    def stop(done, total, rows):
        raise ValueError("enough at %d rows" % rows)
    with pytest.raises(ValueError, match="enough at"):
        events.read_csv(big, progress=stop, threads=threads)
    assert len(events) == 1  # as it was
    events.read_csv(big, threads=threads)  # and it reads on
    assert len(events) == 1 + ROWS


@pytest.mark.parametrize("threads", [1, 2])
def test_ctrl_c_during_a_read_raises_keyboard_interrupt(big, threads):
    events = _store()
    calls = []

    def interrupt(done, total, rows):
        calls.append(rows)
        os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C would, in the middle of the read
    with pytest.raises(KeyboardInterrupt):
        events.read_csv(big, progress=interrupt, threads=threads)
    assert len(calls) == 1  # stopped at the next ask, not at the end
    assert len(events) == 1


def test_ctrl_c_stops_a_read_without_progress_and_before_its_input_ends(tmp_path):
    """A pipe whose writer has gone quiet: the read blocks until the writer
    sends SIGINT; without a stop, it would wait for the writer's 30 s sleep."""
    fifo = str(tmp_path / "events.fifo")
    os.mkfifo(fifo)
    writer = subprocess.Popen(
        ["sh", "-c", "exec 3>'%s'; printf 'customer_id,timestamp,touchpoint\\nc1,1000,store\\n' >&3;"
                     " sleep 0.5; kill -INT %d; sleep 30" % (fifo, os.getpid())])
    events = _store()
    try:
        with pytest.raises(KeyboardInterrupt):
            events.read_csv(fifo)
        assert writer.poll() is None  # the input had not ended
    finally:
        writer.kill()
        writer.wait()
    assert len(events) == 1


def test_read_pandas_and_from_pandas_take_progress():
    df = pd.DataFrame({"customer_id": ["c%d" % (i % 7) for i in range(ROWS)],
                       "timestamp": [1000 + i for i in range(ROWS)],
                       "touchpoint": ["website"] * ROWS})
    seen = []
    events = tp.Events.from_pandas(df, progress=lambda d, t, r: seen.append((d, t, r)))
    assert len(events) == ROWS
    assert seen[-1] == (0, 0, ROWS) and len(seen) >= 3
    with pytest.raises(KeyboardInterrupt):
        tp.Events(tp.Catalog.default()).read_pandas(
            df, progress=lambda d, t, r: os.kill(os.getpid(), signal.SIGINT))
    fb = pd.DataFrame({"customer_id": ["c1"] * ROWS, "timestamp": [1000] * ROWS,
                       "touchpoint": ["store"] * ROWS, "metric": ["nps"] * ROWS,
                       "score": [9] * ROWS})
    feedback = tp.Feedback(tp.Catalog.default())
    with pytest.raises(RuntimeError, match="stop"):
        feedback.read_pandas(fb, progress=lambda d, t, r: (_ for _ in ()).throw(RuntimeError("stop")))
    assert len(feedback) == 0


def test_feedback_and_paths_reads_take_progress(tmp_path):
    fb = tmp_path / "fb.csv"
    fb.write_text("customer_id,timestamp,touchpoint,metric,score\n" +
                  "".join("c%d,%d,store,nps,%d\n" % (i, 1000 + i, i % 11) for i in range(ROWS)))
    feedback = tp.Feedback(tp.Catalog.default())
    with pytest.raises(KeyboardInterrupt):
        feedback.read_csv(str(fb), progress=lambda *a: os.kill(os.getpid(), signal.SIGINT))
    assert len(feedback) == 0
    paths = tmp_path / "paths.csv"
    paths.write_text("path,conversions\n" + "".join("a%d > b,1\n" % (i % 900) for i in range(ROWS)))
    p = tp.Paths()
    seen = []
    p.read_csv(str(paths), progress=lambda *a: seen.append(a))
    assert seen[-1][2] == ROWS and len(p) == ROWS


def test_analyses_report_progress_and_stop(sample):
    _, events, feedback = sample
    steps = []
    plain = tp.journeys(events)
    shown = tp.journeys(events, progress=lambda done, total: steps.append((done, total)))
    assert shown.to_pandas().equals(plain.to_pandas())
    assert steps and all(0 <= d <= t for d, t in steps)
    for run in (lambda kw: tp.journeys(events, **kw),
                lambda kw: tp.funnel(events, steps="website,cart", **kw),
                lambda kw: tp.attribute(events, model="markov", **kw),
                lambda kw: tp.Report(events, feedback, **kw)):
        with pytest.raises(KeyboardInterrupt):
            run({"progress": lambda d, t: os.kill(os.getpid(), signal.SIGINT)})
        with pytest.raises(ZeroDivisionError):
            run({"progress": lambda d, t: 1 / 0})
    # An Options object given is copied, not changed, to carry the hook.
    opts = tp.Options(level=0.9)
    tp.journeys(events, options=opts, progress=lambda d, t: None)
    assert repr(opts) == repr(tp.Options(level=0.9))


def test_progress_true_draws_a_bar_and_clears_it(big, monkeypatch, capsys):
    events = _store()
    events.read_csv(big, progress=True)  # tqdm when installed
    assert len(events) == 1 + ROWS
    err = capsys.readouterr().err
    assert "reading" in err
    # without tqdm: a plain line a second in a log
    monkeypatch.setitem(sys.modules, "tqdm", None)
    tp.journeys(events, progress=True)
    err = capsys.readouterr().err
    assert "journeys: 0 of" in err and "steps" in err


def test_progress_refuses_what_it_cannot_call(big, sample):
    _, events, _ = sample
    with pytest.raises(TypeError, match="progress"):
        tp.Events(tp.Catalog.default()).read_csv(big, progress="yes")
    with pytest.raises(TypeError, match="progress"):
        tp.journeys(events, progress=42)
    # a callable with the wrong arity raises its TypeError, and stops the call
    with pytest.raises(TypeError):
        tp.journeys(events, progress=lambda done: None)


@pytest.mark.parametrize("threads", [1, 2])
def test_an_exception_at_the_reads_last_call_is_raised_not_lost(big, threads):
    """The read itself succeeded (its rows stay), but what the callable
    raised at the end is the caller's to see."""
    events = _store()

    def at_the_end(done, total, rows):
        if rows == ROWS:
            raise LookupError("the end")
    with pytest.raises(LookupError, match="the end"):
        events.read_csv(big, progress=at_the_end, threads=threads)
    assert len(events) == 1 + ROWS
