"""Call everything the touchpoint module offers the way users misuse it.

Run as a child process by test_misuse.py (a crash must not take the test run
with it). Every public function and class of `touchpoint`, every method and
property of its classes, and every function of the extension module behind
them (`_touchpoint`, where a crash would live) is taken from the modules
themselves and called with wrong-typed arguments, None, swapped stores, closed
objects and bad keyword values. Each call must return or raise TypeError,
ValueError, LookupError, OverflowError or a touchpoint.Error.

Before each call its description is written to the file named by argv[1], so
the parent can name the call that killed the interpreter. Each call that raises
anything else prints one line "BAD <call>: <exception>".
"""
import inspect
import math
import os
import random
import re
import sys

import touchpoint as tp

ALLOWED = (TypeError, ValueError, LookupError, OverflowError, tp.Error)
# A C identifier of the library or the binding in a message
C_NAME = re.compile(r"\btpb?_[a-z0-9_]+")

# Not called: SWIG's own registration hooks (they take a class object, not
# user data) and the raw destructors (delete_X frees the object under any
# Python proxy that still holds it; the proxies call them themselves).
SKIP_RAW = ("swigregister", "swiginit", "delete_", "SWIG_")

EVENTS_CSV = ("customer_id,timestamp,touchpoint,type,value,tier\n"
              "c1,2026-03-01T10:00:00Z,website,,,gold\n"
              "c1,2026-03-01T10:05:00Z,cart,,,gold\n"
              "c1,2026-03-01T10:09:00Z,online-checkout,conversion,12.5,gold\n"
              "c2,2026-03-02T09:00:00Z,website,,,silver\n"
              "c2,2026-03-02T09:30:00Z,store,exit,,silver\n")


def live_objects():
    """One small, valid object of every class, by class name."""
    cat = tp.Catalog.default()
    events = tp.Events(cat)
    report = events.read_csv(data=EVENTS_CSV, name="events.csv")
    feedback = tp.Feedback(cat)
    feedback.append("c1", "2026-03-01T10:10:00Z", "online-checkout", "nps", 9, comment="quick")
    feedback.append("c2", "2026-03-02T09:40:00Z", "store", "csat", 2, comment="slow queue")
    return {
        "Catalog": cat,
        "JourneyMap": cat.journey_map_at(0),
        "Events": events,
        "Feedback": feedback,
        "ReadLog": report,
        "Table": tp.transitions(events),
        "Filter": tp.Filter(stage="during"),
        "Options": tp.Options(level=0.9),
        "Lexicon": tp.Lexicon.default(),
        "Funnel": tp.Funnel("website, cart"),
        "Conformer": tp.Conformer(cat, cat.journey_map_at(0).id()),
        "Paths": tp.Paths.from_events(events),
        "Aggregate": tp.Aggregate("transitions"),
        "Report": tp.report(events, feedback),
    }


def proxy_classes():
    """The module's wrapped classes (SWIG proxies), found in the module."""
    return {name: obj for name, obj in vars(tp).items()
            if inspect.isclass(obj) and not name.startswith("_") and hasattr(obj, "thisown")}


def closed(obj):
    obj.close()
    return obj


def argument_pool(live):
    """Values users pass by mistake, and objects of every class (live and closed)."""
    import numpy as np
    import pandas as pd
    pool = [None, "x", "", "website", "since", 0, 1, -1, 2 ** 70, -2 ** 70, 1.5, math.nan,
            math.inf, True, 1j, b"\xff\xfe", bytearray(b"a,b"), [], ["x", None], [1, 2], (None,),
            {}, {"since": object()}, {"segment": {"tier": object()}}, object(), np.array([1.5]),
            np.array(["a", None], dtype=object), np.array([[1, 2], [3, 4]]),
            np.int64(3), pd.DataFrame(), pd.DataFrame({"customer_id": ["c1"]}),
            pd.Series([math.nan, "x"])]
    pool += list(live.values())
    pool += [closed(obj) for obj in live_objects().values()]
    return pool


BAD_KEYWORDS = {
    "since": [object(), 1.5j, [object()], b"\xff", 2 ** 70, math.nan, "", "2026-02-30"],
    "until": [object(), "someday", -2 ** 70],
    "segment": [object(), {"tier": object()}, "=", "tier", ["tier=gold", 3]],
    "stage": [3, object(), [None]],
    "filter": ["x", 3, object()],
    "options": ["x", {}, object()],
    "lexicon": ["x", object()],
    "level": ["high", 2.0, -1, math.nan, object()],
    "order": [0, 2 ** 70, "two", 1.5],
    "timeout": ["30days", -5, object()],
    "knockout": [3, [object()], ""],
    "threads": [-1, 10 ** 6, "many"],
    "colour": ["red"],
}


class Sweep:
    def __init__(self, log_path, seed=20261202):
        self.log = open(log_path, "w", buffering=1, encoding="utf-8")
        self.rng = random.Random(seed)
        self.calls = 0
        self.bad = 0
        self.seen = set()

    def call(self, label, fn, args=(), kwargs=None):
        kwargs = kwargs or {}
        self.log.write("%s%s %s\n" % (label, describe(args), sorted(kwargs)))
        self.calls += 1
        try:
            fn(*args, **kwargs)
        except ALLOWED as e:
            self.message(label, args, kwargs, e)
        except BaseException as e:  # noqa: B902 - everything else is a finding
            self.bad += 1
            print("BAD %s%s %s: %s: %s" % (label, describe(args), sorted(kwargs), type(e).__name__,
                                           " ".join(str(e).split())[:160]), flush=True)

    def message(self, label, args, kwargs, e):
        """A message speaks of what the caller wrote, never of a C function."""
        text = str(e)
        name = C_NAME.search(text)
        # the private extension module (_touchpoint) speaks C; what a user calls must not
        if name and not label.startswith("_touchpoint.") and text not in self.seen:
            self.seen.add(text)
            self.bad += 1
            print("BAD %s%s %s: names the C function %s: %s" % (
                label, describe(args), sorted(kwargs), name.group(0), " ".join(text.split())[:160]),
                flush=True)

    def positional(self, label, fn, arities, pool):
        """Each position with each pool value (the rest drawn from the pool), then
        the same value everywhere, then random draws."""
        for n in arities:
            for v in pool:
                self.call(label, fn, (v,) * n)
            for i in range(n):
                for v in pool:
                    args = [self.rng.choice(pool) for _ in range(n)]
                    args[i] = v
                    self.call(label, fn, tuple(args))
            for _ in range(20):
                self.call(label, fn, tuple(self.rng.choice(pool) for _ in range(n)))

    def keywords(self, label, fn, nargs, pool, live):
        """Bad keyword values with plausible positional arguments."""
        stores = [live["Events"], live["Feedback"], live["Paths"], None, "x"]
        for key, values in BAD_KEYWORDS.items():
            for v in values:
                args = tuple(self.rng.choice(stores) for _ in range(nargs))
                self.call(label, fn, args, {key: v})


def describe(args):
    def one(a):
        if hasattr(type(a), "thisown"):
            return "<%s%s>" % (type(a).__name__, "" if "this" in a.__dict__ else " closed")
        if hasattr(a, "shape"):
            return "<%s %s>" % (type(a).__name__, a.shape)
        return repr(a)[:40]
    return "(" + ", ".join(one(a) for a in args) + ")"


def arity_range(fn):
    """Positional arities to try: from the signature, or 0..5 for builtins."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return range(0, 6), False
    params = [p for p in sig.parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = sum(1 for p in params if p.default is p.empty)
    has_kw = any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values())
    top = len(params) + 1 if not any(p.kind == p.VAR_POSITIONAL
                                     for p in sig.parameters.values()) else len(params) + 2
    return range(max(0, required - 1), min(top, 6) + 1), has_kw


# Methods of the classes that are data, not calls to make with junk.
NOT_METHODS = ("this", "thisown")


def main():
    os.chdir(sys.argv[2])  # writes by mistake ("x") land in a scratch folder
    sweep = Sweep(sys.argv[1])
    live = live_objects()
    classes = proxy_classes()
    missing = sorted(set(classes) - set(live))
    if missing:
        print("BAD no live object for the classes %s: add one to live_objects()" % missing)
        sys.exit(1)
    pool = argument_pool(live)

    # Module-level public functions and the classes' constructors.
    for name, fn in sorted(vars(tp).items()):
        if name.startswith("_") or not callable(fn) or inspect.ismodule(fn):
            continue
        if inspect.isclass(fn) and issubclass(fn, BaseException):
            continue
        arities, has_kw = arity_range(fn)
        sweep.positional("tp." + name, fn, arities, pool)
        if has_kw:
            sweep.keywords("tp." + name, fn, max(1, arities.start + 1), pool, live)

    # Methods and properties of every class, on a fresh live object and a closed one.
    for cname, cls in sorted(classes.items()):
        names = sorted(n for n in dir(cls)
                       if (not n.startswith("__") or n in DUNDERS) and n not in NOT_METHODS)
        for mname in names:
            attr = inspect.getattr_static(cls, mname)
            for state in ("live", "closed"):
                obj = live_objects()[cname]
                if state == "closed":
                    obj.close()
                label = "%s(%s).%s" % (cname, state, mname)
                if isinstance(attr, property):
                    sweep.call(label, getattr, (obj, mname))
                    if attr.fset is not None:
                        for v in pool[:12]:
                            sweep.call(label + "=", setattr, (obj, mname, v))
                    continue
                if isinstance(attr, (staticmethod, classmethod)):
                    fn = getattr(cls, mname)
                else:
                    fn = getattr(obj, mname, None)
                    if fn is None or not callable(fn):
                        continue
                arities, has_kw = arity_range(fn)
                sweep.positional(label, fn, arities, pool)
                if has_kw:
                    sweep.keywords(label, fn, max(1, arities.start), pool, live)

    # repr() and str() never raise, on live and closed objects alike.
    for cname in sorted(classes):
        for obj in (live_objects()[cname], closed(live_objects()[cname])):
            for show in (repr, str):
                try:
                    text = show(obj)
                    assert isinstance(text, str) and text
                except BaseException as e:  # noqa: B902
                    sweep.bad += 1
                    print("BAD %s(%s): %s: %s" % (show.__name__, cname, type(e).__name__, e))

    # The extension module itself: every wrapper, including those the sugar hides.
    for name, fn in sorted(vars(tp._touchpoint).items()):
        if not callable(fn) or any(s in name for s in SKIP_RAW):
            continue
        sweep.positional("_touchpoint." + name, fn, range(0, 6), pool)

    print("calls %d, bad %d" % (sweep.calls, sweep.bad), flush=True)
    sys.exit(1 if sweep.bad else 0)


# Python protocols a user reaches through operators and built-ins.
DUNDERS = ("__len__", "__getitem__", "__setitem__", "__contains__", "__iter__", "__add__",
           "__repr__", "__str__", "__reduce__", "__enter__", "__exit__", "__init__")

if __name__ == "__main__":
    main()
