# ---- Python sugar (bindings/python/sugar.py, appended to touchpoint.py) ----
#
# The generated classes above follow the C API; this part gives them the
# shape a Python user expects: keyword arguments, properties, iteration, len,
# context managers, pandas and numpy interop, and module-level analyses.

import collections as _collections
import datetime as _datetime
import numbers as _numbers
import os as _os

Error = _touchpoint.Error
InvalidArgumentError = _touchpoint.InvalidArgumentError
OutOfMemoryError = _touchpoint.OutOfMemoryError
FileError = _touchpoint.FileError
ParseError = _touchpoint.ParseError
ValidationError = _touchpoint.ValidationError
NotFoundError = _touchpoint.NotFoundError
ConflictError = _touchpoint.ConflictError
LimitError = _touchpoint.LimitError
CancelledError = _touchpoint.CancelledError

__version__ = version()

#: A point estimate with its standard error, interval and number of responses.
Estimate = _collections.namedtuple("Estimate", "value se low high n")

def _filter_key_names():
    """The filter keys as the library lists them (tp_filter_key_name)."""
    return [_filter_key_name(i) for i in range(_filter_key_count())]


# Filter keywords: the library's keys, their plurals (stages=[...]) and filter=.
_FILTER_KEYS = frozenset(_filter_key_names() + [k + "s" for k in _filter_key_names()]
                         + ["filter"])


def _option_descriptions():
    """Every option as the library describes it (tp_option_at)."""
    out = []
    for i in range(_option_count()):
        choices = []
        while _option_choice(i, len(choices)) is not None:
            choices.append(_option_choice(i, len(choices)))
        kind = _option_text(i, 1)
        out.append({"name": _option_text(i, 0), "type": kind, "default": _option_text(i, 2),
                    "doc": _option_text(i, 3), "min": _option_number(i, 0),
                    "max": _option_number(i, 1), "min_open": bool(_option_number(i, 2)),
                    "max_open": bool(_option_number(i, 3)),
                    "nan_ok": bool(_option_number(i, 4)), "choices": choices})
    return out


_attached = []


def _method(cls, name=None):
    """Attach the decorated function to a generated class (the module-level
    name it leaves behind is removed at the end of the sugar)."""
    def attach(fn):
        setattr(cls, name or fn.__name__, fn)
        _attached.append(fn)
        return fn
    return attach


def _doc_from(c_function, text=""):
    """Give a sugar function the docstring of the wrapper it calls."""
    def attach(fn):
        fn.__doc__ = (text + "\n\n" if text else "") + (c_function.__doc__ or "")
        return fn
    return attach


class _Bar:
    """progress=True: a tqdm bar when tqdm is installed, else one line on
    standard error (redrawn in place ten times a second on a terminal, a line
    a second in a log). Called with
    the library's figures: (bytes done, bytes total, rows) for a read, (done,
    total) of the current step for an analysis; closed when the call ends."""

    def __init__(self, what, unit, rows_total=None):
        self._what, self._unit, self._rows_total = what, unit, rows_total
        self._bar = None
        self._last = -1e9
        self._shown = False
        try:
            import tqdm
            self._tqdm = tqdm.tqdm
        except ImportError:
            self._tqdm = None

    def _figures(self, done, total, rows):
        if rows is not None and not total:  # a frame: rows of a known count
            return rows, self._rows_total or 0, "rows"
        return done, total, self._unit

    def __call__(self, done, total, rows=None):
        done, total, unit = self._figures(done, total, rows)
        if self._tqdm is not None:
            if self._bar is None:
                self._bar = self._tqdm(total=total or None, desc=self._what, unit=unit,
                                       unit_scale=unit == "B", leave=False)
            if total and self._bar.total != total:
                self._bar.reset(total=total)
            self._bar.n = done
            if rows is not None and unit == "B":
                self._bar.set_postfix_str("%d rows" % rows, refresh=False)
            self._bar.refresh()
            return
        import sys
        import time
        now = time.monotonic()
        tty = sys.stderr.isatty()
        if now - self._last < (0.1 if tty else 1.0):
            return
        self._last = now
        share = " (%d%%)" % (100 * done // total) if total else ""
        text = "%s: %d of %d %s%s" % (self._what, done, total, unit, share)
        if rows is not None and unit == "B":
            text += ", %d rows" % rows
        # a terminal: one line redrawn in place; a log: a line a second
        sys.stderr.write("\r" + text + "\x1b[K" if tty else text + "\n")
        sys.stderr.flush()
        self._shown = tty

    def close(self):
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._shown:  # the line goes, as tqdm's bar does
            import sys
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self._shown = False

    __del__ = close


def _progress(progress, what, unit="steps", rows_total=None):
    """progress= of a long call as the function the library calls: None (none;
    Ctrl-C still stops the call), a callable as given, or True (a _Bar)."""
    if progress is None or progress is False:
        return None
    if progress is True:
        return _Bar(what, unit, rows_total)
    if callable(progress):
        return progress
    raise TypeError("progress: expected True, False, None or a callable, not %s"
                    % type(progress).__name__)


def _done(hook):
    """Close a bar _progress made, as its call ends (however it ends)."""
    if isinstance(hook, _Bar):
        hook.close()


def _kw(kw, what="touchpoint"):
    """Keyword arguments of an analysis, with Python-only value types converted
    (progress=True becomes a bar, closed when the dict is dropped)."""
    out = {}
    for key, value in kw.items():
        if isinstance(value, _datetime.timedelta):
            value = int(value / _datetime.timedelta(milliseconds=1))
        if key == "progress":
            value = _progress(value, what)
        out[key] = value
    return out


def _threads_arg(threads):
    """A read's thread count: an integer (numpy's too), never a bool, float or text."""
    if isinstance(threads, bool) or not isinstance(threads, _numbers.Integral):
        raise TypeError("threads must be an integer (0: one per CPU), not %s"
                        % type(threads).__name__)
    return int(threads)


def _ms(value):
    """A time as milliseconds since the epoch: int (ms), str, datetime or date."""
    if isinstance(value, bool):
        raise TypeError("a time cannot be a bool")
    if isinstance(value, _numbers.Integral):  # int, numpy integers
        return int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    if isinstance(value, str):
        return parse_time(value, None)
    raise TypeError("expected a time (int ms, str, datetime), not %s" % type(value).__name__)


def _time_text(value):
    """A time as the library reads it: text as given, a date or datetime (also
    pandas' Timestamp) in ISO 8601, a numpy datetime64 as its text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not (hasattr(value, "isoformat") or _is_datetime64(value)):
        raise TypeError("expected a time (int ms, str, date, datetime), not %s"
                        % type(value).__name__)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _is_datetime64(value):
    return type(value).__name__ == "datetime64"


def _duration_ms(value):
    """A duration as milliseconds: int (ms), "30d"-style text, or timedelta."""
    if value is None:
        return 0
    if isinstance(value, _datetime.timedelta):
        return int(value / _datetime.timedelta(milliseconds=1))
    if isinstance(value, str):
        return parse_duration(value)
    return int(value)


def _close(self):
    """Release the object now. Objects that use it (an event log bound to this
    catalog, ...) keep the underlying data alive until they are released too."""
    self.__dict__.pop("this", None)


def _enter(self):
    return self


def _exit(self, *exc):
    self.close()
    return False


#: Every wrapped handle class.
_HANDLES = (Catalog, JourneyMap, Events, Feedback, ReadLog, Table, Filter, Options, Lexicon,
            Funnel, Conformer, Paths, Aggregate, Report)

for _cls in _HANDLES:
    _cls.close = _close
    _cls.__enter__ = _enter
    _cls.__exit__ = _exit


def _closed_aware_repr(cls):
    shown = cls.__repr__

    def __repr__(self):
        if "this" not in self.__dict__:
            return "<touchpoint.%s (closed)>" % type(self).__name__
        return shown(self)
    cls.__repr__ = __repr__


def _borrowed(obj, owner):
    """A handle borrowed from owner: keep the owner, its data and what it keeps
    alive as long as the borrowed handle."""
    obj._owner = (owner, owner.this)
    return obj


# ---- Table -----------------------------------------------------------------

@_method(Table)
def __len__(self):
    return self.row_count()


@_method(Table, "columns")
@property
def _table_columns(self):
    """Column names, in order."""
    return [self.column_name(i) for i in range(self.column_count())]


@_method(Table, "dtypes")
@property
def _table_dtypes(self):
    """Column types by name: "string", "int64" or "double"."""
    return {self.column_name(i): self.column_type(i) for i in range(self.column_count())}


def _column_index(table, col):
    return col if isinstance(col, int) else table.find_column(col)


@_method(Table, "units")
@property
def _table_units(self):
    """What the numbers of each column mean, by name: "time" (a datetime),
    "duration" (a timedelta), "flag" (a bool) or "none"."""
    return {self.column_name(i): self.column_unit(i) for i in range(self.column_count())}


_EPOCH = _datetime.datetime(1970, 1, 1, tzinfo=_datetime.timezone.utc)


def _in_unit(unit, values):
    """Cells of a column with a unit as Python values: times as UTC datetimes,
    durations as timedeltas, flags as bools (None stays None)."""
    def each(convert):
        return [None if v is None or v != v else convert(v) for v in values]
    if unit == "time":
        return each(lambda v: _EPOCH + _datetime.timedelta(milliseconds=v))
    if unit == "duration":
        return each(lambda v: _datetime.timedelta(milliseconds=v))
    if unit == "flag":
        return each(bool)
    return values


@_method(Table)
def column(self, col):
    """One whole column as a list (None for nulls), by name or index: times
    as UTC datetimes, durations as timedeltas, flags as bools (see units)."""
    index = _column_index(self, col)
    kind, *data = self._column(index)
    if kind == "string":
        return data[0]
    values = list(memoryview(data[0]).cast("q" if kind == "int64" else "d"))
    mask = data[1]
    if mask is not None:
        values = [None if m else v for v, m in zip(values, mask)]
    return _in_unit(self.column_unit(index), values)


@_method(Table)
def to_records(self):
    """The rows as a list of dicts (None for nulls)."""
    names = self.columns
    cols = [self.column(i) for i in range(len(names))]
    return [dict(zip(names, row)) for row in zip(*cols)]


@_method(Table)
def __iter__(self):
    """Iterate over the rows as dicts."""
    return iter(self.to_records())


@_method(Table, "shape")
@property
def _table_shape(self):
    """(rows, columns), as a DataFrame's."""
    return (self.row_count(), self.column_count())


def _take(table, rows, cols):
    """A new table of these rows and columns (indexes), units kept."""
    out = Table()
    types = [table.column_type(c) for c in cols]
    for k, c in enumerate(cols):
        out.add_column(table.column_name(c), types[k])
        out.set_column_unit(k, table.column_unit(c))
    for r in rows:
        row = out.append_row()
        for k, c in enumerate(cols):
            if table.is_null(r, c):
                continue
            if types[k] == "string":
                out.set_string(row, k, table.get_string(r, c))
            elif types[k] == "int64":
                out.set_int64(row, k, table.get_int64(r, c))
            else:
                out.set_double(row, k, table.get_double(r, c))
    return out


@_method(Table)
def __getitem__(self, key):
    """table["col"] is a column (list); table[i] is row i (dict); as in
    pandas, table[["a", "b"]] is a table of those columns and table[1:3] a
    table of those rows."""
    if isinstance(key, str):
        return self.column(key)
    if isinstance(key, slice):
        return _take(self, range(*key.indices(self.row_count())), range(self.column_count()))
    if isinstance(key, (list, tuple)):
        if not all(isinstance(k, str) for k in key):
            raise TypeError("a list of columns holds column names (str)")
        return _take(self, range(self.row_count()), [self.find_column(k) for k in key])
    if isinstance(key, bool):
        raise TypeError("index a table by column name, a list of names, a row number or a slice")
    if isinstance(key, _numbers.Integral):
        key = int(key)
        n = self.row_count()
        if key < 0:
            key += n
        if not 0 <= key < n:
            raise IndexError("row %d is out of range (%d rows)" % (key, n))
        row = {}
        for c, name in enumerate(self.columns):
            if self.is_null(key, c):
                row[name] = None
            elif self.column_type(c) == "string":
                row[name] = self.get_string(key, c)
            else:
                value = self.get_int64(key, c) if self.column_type(c) == "int64" \
                    else self.get_double(key, c)
                row[name] = _in_unit(self.column_unit(c), [value])[0]
        return row
    raise TypeError("index a table by column name, a list of names, a row number or a slice")


@_method(Table)
def to_numpy(self, col=None):
    """One column as a numpy array (nulls: NaN for doubles; int64 columns with
    nulls become float64 with NaN; text as objects); with no column, the whole
    table as a 2-D array (rows x columns: float64 when every column is a
    number, objects otherwise), as DataFrame.to_numpy() gives."""
    import numpy as np
    if col is None:
        cols = [self.to_numpy(c) for c in range(self.column_count())]
        if not cols:
            return np.empty((self.row_count(), 0))
        numeric = all(c.dtype.kind in "if" for c in cols)
        return np.column_stack([c.astype(np.float64 if numeric else object) for c in cols])
    kind, *data = self._column(_column_index(self, col))
    if kind == "string":
        return np.array(data[0], dtype=object)
    arr = np.frombuffer(data[0], dtype=np.int64 if kind == "int64" else np.float64)
    if data[1] is not None:
        mask = np.frombuffer(data[1], dtype=np.bool_)
        arr = arr.astype(np.float64)
        arr[mask] = np.nan
    return arr


def _pandas_in_unit(unit, values, mask):
    """A numeric column with a unit as a pandas Series: times as
    datetime64[ms, UTC] (ns before pandas 2, which holds 1677 to 2262: a time
    beyond falls back to datetime objects), durations as timedelta64, flags as
    bool (pandas' nullable boolean when a cell is null)."""
    import numpy as np
    import pandas as pd
    if unit == "flag":
        if mask is None:
            return pd.Series(values != 0)
        return pd.Series(pd.array([None if m else bool(v) for v, m in zip(values, mask)],
                                  dtype="boolean"))
    missing = mask.copy() if mask is not None else np.zeros(len(values), dtype=np.bool_)
    if values.dtype.kind == "f":
        missing |= np.isnan(values)
        values = np.where(missing, 0, np.round(values)).astype(np.int64)
    arr = values.astype("datetime64[ms]" if unit == "time" else "timedelta64[ms]")
    arr[missing] = np.datetime64("NaT") if unit == "time" else np.timedelta64("NaT")
    try:
        series = pd.Series(arr)
    except (pd.errors.OutOfBoundsDatetime, OverflowError):
        return pd.Series(_in_unit(unit, [None if m else int(v) for v, m in zip(values, missing)]),
                         dtype=object)
    return series.dt.tz_localize("UTC") if unit == "time" else series


@_method(Table)
def to_pandas(self):
    """The table as a pandas DataFrame: string columns as object, int64 as
    int64 (nullable Int64 when a cell is null), double as float64 (NaN);
    times as datetime64 in UTC, durations as timedelta64 and flags as bool
    (see units; to_csv() keeps the milliseconds)."""
    import numpy as np
    import pandas as pd
    cols = {}
    for c, name in enumerate(self.columns):
        kind, *data = self._column(c)
        unit = self.column_unit(c)
        if kind == "string":
            cols[name] = pd.Series(data[0], dtype=object)
        elif unit != "none":
            mask = np.frombuffer(data[1], dtype=np.bool_) if data[1] is not None else None
            values = np.frombuffer(data[0], dtype=np.int64 if kind == "int64" else np.float64)
            cols[name] = _pandas_in_unit(unit, values, mask)
        elif kind == "int64":
            values = np.frombuffer(data[0], dtype=np.int64)
            if data[1] is None:
                cols[name] = pd.Series(values, dtype=np.int64)
            else:
                mask = np.frombuffer(data[1], dtype=np.bool_)
                cols[name] = pd.Series(pd.arrays.IntegerArray(values.copy(), mask.copy()))
        else:
            cols[name] = pd.Series(np.frombuffer(data[0], dtype=np.float64))
    df = pd.DataFrame(cols, columns=self.columns)
    if self.note:
        df.attrs["note"] = self.note
    return df


Table.note = property(lambda self: self._note(), doc=(
    "Why the table is as it is, above all why it has no rows (\"no hot spots: "
    "no touchpoint has min_responses (30) responses ...\"); None when the "
    "analysis has nothing to add. to_pandas() keeps it in DataFrame.attrs[\"note\"]."))


@_method(Table)
def __str__(self):
    return self.format("text") if "this" in self.__dict__ else repr(self)


@_method(Table)
def __repr__(self):
    n = self.row_count()
    text = self.head(10).format("text") if n > 10 else self.format("text")
    more = "\n... (%d rows)" % n if n > 10 else ""
    note = "\n(%s)" % self.note if self.note else ""
    return "<touchpoint.Table %d rows x %d columns>\n%s%s%s" % (n, self.column_count(),
                                                                text.rstrip("\n"), more, note)


@_method(Table)
def head(self, n=5):
    """A new table with the first n rows."""
    return _take(self, range(min(n, self.row_count())), range(self.column_count()))


def _html_escape(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


@_method(Table)
def _repr_html_(self, max_rows=50):
    """HTML for notebooks (at most max_rows rows)."""
    names = self.columns
    rows = self.head(max_rows).to_records() if len(self) > max_rows else self.to_records()
    out = ['<table class="touchpoint-table"><thead><tr>']
    out += ["<th>%s</th>" % _html_escape(n) for n in names]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for n in names:
            v = row[n]
            if v is None:
                cell = ""
            elif isinstance(v, float):
                cell = "%.6g" % v
            else:
                cell = _html_escape(v)
            out.append('<td style="text-align:%s">%s</td>' %
                       ("left" if isinstance(v, str) else "right", cell))
        out.append("</tr>")
    out.append("</tbody></table>")
    if len(self) > max_rows:
        out.append("<p>%d of %d rows</p>" % (max_rows, len(self)))
    if self.note:
        out.append("<p><em>%s</em></p>" % _html_escape(self.note))
    return "".join(out)


@_method(Table)
def to_csv(self):
    """The table as CSV text."""
    return self.format("csv")


@_method(Table)
def to_json(self):
    """The table as JSON text (an array of row objects)."""
    return self.format("json")


# ---- Catalog and journey maps ---------------------------------------------

_TOUCHPOINT_FIELDS = ("id", "name", "stage", "channel", "kind", "owner", "expectation", "parent")


@_method(Catalog, "default")
@staticmethod
def _catalog_default():
    """The built-in default catalog: the standard touchpoints of the three
    purchase stages and the "online-purchase" journey map."""
    return Catalog.default_catalog()


@_method(Catalog, "load")
@staticmethod
def _catalog_load(path):
    """Read a catalog JSON file (same as Catalog.load_json)."""
    return Catalog.load_json(_os.fspath(path))


@_method(Catalog, "stages")
@property
def _catalog_stages(self):
    """Stage names, in order."""
    return [self.stage_name(i) for i in range(self.stage_count())]


@_method(Catalog)
def add_touchpoint(self, id, name=None, stage=None, channel=None, kind=None, owner=None,
                   expectation=None, weight=1.0, parent=None):
    """Add a touchpoint; returns its index. kind: "digital", "physical",
    "human" or "unknown"; weight: criticality, >= 0; parent: an existing id."""
    return self._add_touchpoint(id, name, stage, channel, kind, owner, expectation,
                                float(weight), parent)


def _target_words():
    """The target metrics, in the library's order ("nps", ..., "cx_index")."""
    words, k = [], 0
    while Catalog.target_name(k) is not None:
        words.append(Catalog.target_name(k))
        k += 1
    return words


@_method(Catalog)
def touchpoint(self, key):
    """A touchpoint as a dict (id, name, stage, channel, kind, owner,
    expectation, parent, weight, targets), by id or index."""
    index = key if isinstance(key, int) else self.find_touchpoint(key)
    d = {f: self._touchpoint_text(index, i) for i, f in enumerate(_TOUCHPOINT_FIELDS)}
    d["weight"] = self._touchpoint_weight(index)
    d["targets"] = self.targets(index)
    return d


@_method(Catalog)
def targets(self, key):
    """A touchpoint's numeric targets, by id or index: {"nps": 20, "ces": 5.5}
    (only those it has; scales as the scorecard reports them)."""
    index = key if isinstance(key, int) else self.find_touchpoint(key)
    got = ((w, self._target(index, k)) for k, w in enumerate(_target_words()))
    return {w: v for w, v in got if v == v}


@_method(Catalog)
def set_target(self, key, metric, value):
    """Set a touchpoint's target (by id or index) for metric "nps", "csat",
    "ces", "rating", "audit" or "cx_index"; None removes it. A value off the
    metric's scale raises InvalidArgumentError."""
    index = key if isinstance(key, int) else self.find_touchpoint(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise TypeError("set_target: a target is a number or None, not %s" % type(value).__name__)
    self._set_target(index, metric, float("nan") if value is None else float(value))


@_method(Catalog, "touchpoints")
@property
def _catalog_touchpoints(self):
    """Every touchpoint as a dict, in catalog order."""
    return [self.touchpoint(i) for i in range(self.touchpoint_count())]


@_method(Catalog)
def __len__(self):
    return self.touchpoint_count()


@_method(Catalog)
def __contains__(self, id):
    try:
        self.find_touchpoint(id)
        return True
    except NotFoundError:
        return False


@_method(Catalog, "journey_maps")
@property
def _catalog_journey_maps(self):
    """Copies of the catalog's journey maps."""
    return [self.journey_map_at(i) for i in range(self.journey_map_count())]


@_method(JourneyMap, "stages")
@property
def _map_stages(self):
    """Designed stages as (name, [touchpoint ids]) pairs."""
    return [(self.stage_name(s), [self.stage_touchpoint(s, i) for i in range(self.stage_size(s))])
            for s in range(self.stage_count())]


@_method(JourneyMap, "transitions")
@property
def _map_transitions(self):
    """Allowed transitions as (from, to) pairs."""
    return [(self._transition_end(i, 0), self._transition_end(i, 1))
            for i in range(self.transition_count())]


# ---- Events and feedback ------------------------------------------------------

def _bound_init(cls):
    generated = cls.__init__

    def __init__(self, catalog=None):
        generated(self, catalog)
        # the store borrows the catalog: keep its data alive as long as the store
        self._catalog_data = catalog.this if catalog is not None else None
    __init__.__doc__ = generated.__doc__
    cls.__init__ = __init__


_bound_init(Events)
_bound_init(Feedback)


def _catalog_of(self):
    """The catalog the store's touchpoints belong to (borrowed)."""
    return _borrowed(self._catalog(), self)


Events.catalog = property(_catalog_of)
Feedback.catalog = property(_catalog_of)


def _policy_get(self):
    return self.__dict__.get("_policy", "register")


def _policy_set(self, value):
    self._set_unknown_policy(value)
    self.__dict__["_policy"] = value


for _cls in (Events, Feedback):
    _cls.unknown_policy = property(_policy_get, _policy_set, doc=(
        'What appends and reads do with touchpoint ids the catalog lacks: '
        '"register" (add them; the default) or "reject" (a bad row).'))
    _cls.__len__ = lambda self: self.count()


def _read_args(path, data, name):
    if (path is None) == (data is None):
        raise TypeError("give either a path or data=")
    return (None if path is None else _os.fspath(path)), data, name


def _columns_arg(columns):
    """columns={"customer_id": "user_pseudo_id"} as the library's text."""
    if columns is None:
        return None
    if not isinstance(columns, dict):
        raise TypeError("columns: expected a dict of column -> the file's name, not %s"
                        % type(columns).__name__)
    for k, v in columns.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise TypeError("columns: names are str, not %s" % type(v if isinstance(k, str)
                                                                  else k).__name__)
        if any(ch in k + v for ch in ",="):
            raise ValueError("columns: a name with ',' or '=' cannot be mapped: %r" % (k + "=" + v))
    return ",".join("%s=%s" % kv for kv in columns.items())


@_method(Events)
def read_csv(self, path=None, *, data=None, name=None, strict=False, delimiter=",",
             epoch_unit="auto", max_field_bytes=0, max_input_bytes=0, threads=1, columns=None,
             progress=None):
    """Read events from a CSV file (or data= text/bytes) with a header row
    customer_id,timestamp,touchpoint[,type][,value][,channel][,...];
    columns= gives the file's names of these ({"customer_id": "user_pseudo_id",
    "timestamp": "event_time"}).
    strict=True stops at the first bad row (and adds nothing); otherwise bad
    rows are skipped. threads reads a large input (1 MiB a thread or more) in
    pieces at once (0: one per CPU); the result is the same whatever the count.
    max_input_bytes (default 0: 4 GiB) refuses a larger input with LimitError,
    a pipe as soon as it passes the limit.
    progress=True shows a bar (tqdm when installed); a callable is called with
    (bytes_done, bytes_total, rows) about every 65,536 rows. Ctrl-C stops the
    read (KeyboardInterrupt) and leaves the store as it was; so does an
    exception the callable raises.
    Returns the ReadLog of what was read and rejected."""
    path, data, name = _read_args(path, data, name)
    hook = _progress(progress, "reading " + (name or path or "data"), "B")
    try:
        return self._read("csv", path, data, name, strict, delimiter, epoch_unit,
                          max_field_bytes, max_input_bytes, _threads_arg(threads),
                          _columns_arg(columns), hook)
    finally:
        _done(hook)


@_method(Events)
def read_jsonl(self, path=None, *, data=None, name=None, strict=False, epoch_unit="auto",
               max_field_bytes=0, max_input_bytes=0, columns=None, progress=None):
    """Read events from JSON Lines, one object a line with the keys read_csv
    reads as columns (columns= maps them too); see read_csv for the options."""
    path, data, name = _read_args(path, data, name)
    hook = _progress(progress, "reading " + (name or path or "data"), "B")
    try:
        return self._read("jsonl", path, data, name, strict, ",", epoch_unit, max_field_bytes,
                          max_input_bytes, 1, _columns_arg(columns), hook)
    finally:
        _done(hook)


def _times_first(where, convert, times):
    """Times read for an append, with a hint when they are not times: the time
    comes before the touchpoint in both stores' appends."""
    try:
        return convert(times)
    except (ParseError, TypeError) as e:
        raise type(e)("%s: %s (the order is customer, time, touchpoint, as in "
                      "Feedback.append)" % (where, e)) from None


@_method(Events)
def append(self, customer, time, touchpoint, type="interaction", value=0.0):
    """Append one event: customer, time (int ms, ISO 8601 text, a datetime or
    a date), touchpoint, in the order Feedback.append takes them."""
    self._append(customer, touchpoint, _times_first("Events.append", _ms, time), type,
                 float(value))


def _np():
    import numpy as np
    return np


def _str_column(values):
    """A column of text as something the C side reads without a per-row call."""
    if hasattr(values, "dtype"):
        np = _np()
        arr = values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
        if arr.dtype.kind in "iuUSb" or (arr.dtype.kind == "f"):
            arr = arr.astype(str)
        if arr.dtype.kind in "US":
            arr = arr.astype(object)
        return arr
    return values


def _optional_text(values):
    """Text with missing entries (None, NaN) as None."""
    if values is None:
        return None
    if hasattr(values, "isna"):
        return values.astype(object).where(values.notna(), None).to_numpy()
    return [None if v is None or (isinstance(v, float) and v != v) else v for v in values]


def _time_column(values):
    """Times as int64 milliseconds: datetime64 / pandas datetimes (tz-aware are
    converted to UTC), integers (already ms), or text and datetime objects."""
    if hasattr(values, "dtype"):
        np = _np()
        kind = values.dtype.kind
        if hasattr(values, "dt") and getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
            kind = "M"
        if kind == "M":
            arr = values.to_numpy() if hasattr(values, "to_numpy") else values
            return arr.astype("datetime64[ms]").astype(np.int64)
        if kind in "iu":
            arr = values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
            if kind == "u" and arr.size and arr.max() > np.iinfo(np.int64).max:
                raise InvalidArgumentError("times: %d does not fit a signed 64-bit millisecond count"
                                 % int(arr.max()))
            return np.ascontiguousarray(arr, dtype=np.int64)
        values = list(values)
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return values
    return [_ms(v) for v in values]


def _type_column(values):
    """Event types as uint8 codes (names case-insensitive; "" is interaction)."""
    if values is None:
        return None
    if hasattr(values, "dtype"):
        if values.dtype.kind in "iu":
            np = _np()
            arr = values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
            bad = (arr < 0) | (arr > 2)
            if bad.any():  # never wrapped: 256 is not 0 (interaction)
                i = int(np.argmax(bad))
                raise InvalidArgumentError("types[%d]: %d is not an event type code (0 interaction, "
                                 "1 conversion, 2 exit)" % (i, int(arr[i])))
            return np.ascontiguousarray(arr, dtype=np.uint8)
        return _event_type_codes(_str_column(values))
    return _event_type_codes(values)


def _float_column(values):
    if values is None:
        return None
    if hasattr(values, "dtype"):
        np = _np()
        arr = values.to_numpy() if hasattr(values, "to_numpy") else values
        return np.ascontiguousarray(arr, dtype=np.float64)
    return values


@_method(Events)
def append_many(self, customers, times, touchpoints, types=None, values=None):
    """Append whole columns at once, all or none, in the order of
    Feedback.append_many: customers and touchpoints are sequences or arrays of
    text; times int64 ms, datetime64 or text; types names or codes (0
    interaction, 1 conversion, 2 exit), None for all interactions; values
    numbers or None."""
    ms = _times_first("Events.append_many", _time_column, times)
    self._append_many(_str_column(customers), _str_column(touchpoints), ms,
                      _type_column(types), _float_column(values))


@_method(Events, "from_arrays")
@classmethod
def _events_from_arrays(cls, customers, times, touchpoints, types=None, values=None,
                        catalog=None):
    """A new event log from whole columns (see append_many)."""
    events = cls(catalog)
    events.append_many(customers, times, touchpoints, types, values)
    return events


def _frame_columns(df, where):
    """A reader of df's columns by name for from_pandas: a required column that
    is missing raises NotFoundError naming it; an optional one is None."""
    if not hasattr(df, "columns") or not hasattr(df, "__getitem__"):
        raise TypeError("%s: expected a pandas DataFrame, not %s" % (where, type(df).__name__))

    def column(name, what, required=True):
        if not isinstance(name, str):
            raise TypeError("%s: %s= names a column (str), not %s"
                            % (where, what, type(name).__name__))
        if name in df.columns:
            return df[name]
        if required:
            raise NotFoundError("%s: no column %r (columns: %s)"
                                % (where, name, ", ".join(map(str, df.columns)) or "none"))
        return None
    return column


def _reader_columns(input_kind, count=None):
    """The columns a reader of the library knows by name, in its order, and
    the required ones (tp_read_column): what read_pandas reads of a frame."""
    names = []
    while count is None or len(names) < count:
        name = _reader_column(input_kind, len(names))
        if name is None:
            break
        names.append(name)
    return tuple(names), tuple(n for i, n in enumerate(names)
                               if _reader_column_required(input_kind, i))


# A frame's event columns: the reader's first five (its channel column names a
# new touchpoint's channel in a file; in a frame it is an attribute).
_EVENT_ROLES, _EVENT_REQUIRED = _reader_columns(INPUT_EVENTS, 5)


def _text_cells(series):
    """A frame column as text cells: str as is, missing cells (None, NaN,
    pd.NA, NaT) as None, whole floats as integers ("7", not "7.0": an integer
    column with a gap is read as floats), anything else as str(value)."""
    np = _np()
    import pandas as pd
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=False) == "string":
        return series.to_numpy(dtype=object)  # all text, none missing: read in place
    missing = series.isna().to_numpy()
    if series.dtype.kind == "f":
        values = series.to_numpy(dtype=np.float64)
        whole = np.isfinite(values) & (values == np.round(values))
        cells = np.array([("%d" % v if w else repr(float(v))) for v, w in zip(values, whole)],
                         dtype=object)
    elif series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) == "string":
        cells = series.to_numpy(dtype=object, copy=True)
    else:
        def text(v):
            if isinstance(v, str):
                return v
            if isinstance(v, float) and abs(v) < 2 ** 63 and v == int(v):
                return "%d" % v
            return str(v)
        cells = np.array([text(v) for v in series], dtype=object)
    cells[missing] = None
    return cells


def _frame_roles(df, columns, roles, required, where):
    """The role -> frame column mapping of a read_pandas: each role's own name
    unless columns= says otherwise; every other column is an attribute."""
    if not hasattr(df, "columns") or not hasattr(df, "__getitem__"):
        raise TypeError("%s: expected a pandas DataFrame, not %s" % (where, type(df).__name__))
    columns = dict(columns or {})
    unknown = [k for k in columns if k not in roles]
    if unknown:
        raise NotFoundError("%s: columns= maps the unknown column %r (the columns read: %s)"
                            % (where, unknown[0], ", ".join(roles)))
    have = {str(c): c for c in df.columns}
    found = {}
    for role in roles:
        name = columns.get(role, role)
        if not isinstance(name, str):
            raise TypeError("%s: columns[%r] names a column (str), not %s"
                            % (where, role, type(name).__name__))
        if name in have:
            found[role] = have[name]
        elif role in columns or role in required:
            raise NotFoundError("%s: no column %r for %s (columns: %s)%s" % (
                where, name, role, ", ".join(have) or "none",
                "" if role in columns else "; map it with columns={%r: ...}" % role))
    used = {str(c) for c in found.values()}
    attrs = [c for name, c in have.items() if name not in used]
    return found, attrs


def _frame_times(t):
    """A time column as (times_ms, time_missing, time_text): datetime64 (naive
    is UTC) and integers (ms) whole, anything else as text cells."""
    np = _np()
    if t.dtype.kind in "Miu" or getattr(getattr(t, "dt", None), "tz", None) is not None:
        # NaT reads as the smallest int64; time_missing marks it
        return (np.ascontiguousarray(_time_column(t), dtype=np.int64),
                t.isna().to_numpy().astype(np.uint8), None)
    missing = t.isna().to_numpy()
    return None, None, np.array([None if m else v if isinstance(v, str) else
                                 v.isoformat() if hasattr(v, "isoformat") else str(v)
                                 for v, m in zip(t, missing)], dtype=object)


def _frame_numbers(v):
    """A number column as (doubles with NaN for missing, None) or, when it holds
    text, (None, text cells) for the library to read as a file's numbers."""
    np = _np()
    if v.dtype.kind in "fiub" or str(v.dtype) in ("Float64", "Int64", "Float32", "Int32"):
        return np.ascontiguousarray(v.to_numpy(dtype=np.float64, na_value=np.nan)), None
    return None, _text_cells(v)


def _frame_attrs(df, attrs):
    """The attribute columns' names and their cells one column after another."""
    if not attrs:
        return None, None
    return [str(c) for c in attrs], _np().concatenate([_text_cells(df[c]) for c in attrs])


def _warn_skipped(where, log):
    if log.rows_rejected():
        import warnings
        first = log.issues[0]
        warnings.warn("%s: %d of %d rows skipped (the first, %s:%d: %s: %s); read_pandas "
                      "returns them all" % (where, log.rows_rejected(), log.rows_read(),
                                            first["file"], first["line"], first["field"],
                                            first["reason"]), stacklevel=3)


@_method(Events)
def read_pandas(self, df, *, columns=None, strict=False, name="DataFrame", epoch_unit="auto",
                progress=None):
    """Read events from a pandas DataFrame as read_csv reads a file: the
    columns customer_id, timestamp and touchpoint, optional type and value,
    every other column an attribute (segment). columns= maps these names to
    the frame's ({"customer_id": "user_pseudo_id", "timestamp": "event_time"}).
    Missing cells (None, NaN, pd.NA, NaT, and "" in type or value) are missing
    as empty CSV fields are: a row without a customer, touchpoint or time is
    bad, a type is an interaction, a value 0. Times may be datetime64 (naive
    is UTC), integers (milliseconds), or text and datetime objects (read as
    the CSV reader reads timestamps, with epoch_unit). With strict=False bad
    rows are skipped; strict=True stops at the first (and adds nothing). A bad
    row is named by its position from 1 ("DataFrame:3: customer_id: ...").
    progress= as in read_csv (a callable gets (0, 0, rows)); Ctrl-C stops the
    read and leaves the store as it was. Returns the ReadLog."""
    np = _np()
    found, attrs = _frame_roles(df, columns, _EVENT_ROLES, _EVENT_REQUIRED, "read_pandas")
    names = [str(found.get(role, role)) for role in _EVENT_ROLES]
    times_ms, time_missing, time_text = _frame_times(df[found["timestamp"]])
    types = _text_cells(df[found["type"]]) if "type" in found else None
    if types is not None and df[found["type"]].dtype.kind in "iu":
        words = ["interaction", "conversion", "exit"]
        types = np.array([words[c] if 0 <= c <= 2 else str(c)
                          for c in df[found["type"]].to_numpy()], dtype=object)
    values, value_text = _frame_numbers(df[found["value"]]) if "value" in found else (None, None)
    hook = _progress(progress, "reading " + name, "rows", len(df))
    try:
        return self._read_columns(name, strict, epoch_unit, names,
                                  _text_cells(df[found["customer_id"]]),
                                  _text_cells(df[found["touchpoint"]]), times_ms, time_missing,
                                  time_text, types, values, value_text,
                                  *_frame_attrs(df, attrs), hook)
    finally:
        _done(hook)


@_method(Events, "from_pandas")
@classmethod
def _events_from_pandas(cls, df, customer="customer_id", touchpoint="touchpoint",
                        timestamp="timestamp", type="type", value="value", catalog=None, *,
                        columns=None, strict=True, name="DataFrame", progress=None):
    """A new event log from a DataFrame, read as Events.read_pandas reads it
    (every other column an attribute; columns= or the keywords name the
    frame's columns). strict=True (the default) raises at the first bad row;
    with strict=False bad rows are skipped with a warning that counts them
    (read_pandas returns their ReadLog)."""
    given = {"customer_id": customer, "timestamp": timestamp, "touchpoint": touchpoint,
             "type": type, "value": value}
    mapping = {role: col for role, col in given.items() if col != role}
    mapping.update(columns or {})
    events = cls(catalog)
    _warn_skipped("Events.from_pandas",
                  events.read_pandas(df, columns=mapping, strict=strict, name=name,
                                     progress=progress))
    return events


def _store_frame(store):
    """A store as a DataFrame in the columns from_pandas reads, so
    from_pandas(store.to_pandas()) is the store."""
    return store.to_table().to_pandas()


@_method(Events)
def to_pandas(self):
    """The log as a DataFrame in the columns from_pandas and read_csv read:
    customer_id, timestamp (datetime64 in UTC), touchpoint, type, value and
    the attributes."""
    return _store_frame(self)


def _redact_arg(redact):
    """None/False -> "", True -> "all", "email" -> "email", ["email", "phone"] -> "email,phone"."""
    if redact is None or redact is False:
        return ""
    if redact is True:
        return "all"
    if isinstance(redact, str):
        return redact
    return ",".join(redact)


@_method(Feedback)
def read_csv(self, path=None, *, data=None, name=None, strict=False, delimiter=",",
             epoch_unit="auto", max_field_bytes=0, max_input_bytes=0, redact=None, threads=1,
             columns=None, progress=None):
    """Read responses from CSV with a header row
    customer_id,timestamp,touchpoint,metric,score[,comment][,weight][,...].

    redact removes personal data from comments as they are read: True (or "all"),
    "email", "phone", or a list of those; see touchpoint.redact_text for the rules.
    Returns the ReadLog; see Events.read_csv for the other options."""
    path, data, name = _read_args(path, data, name)
    hook = _progress(progress, "reading " + (name or path or "data"), "B")
    try:
        return self._read(path, data, name, strict, delimiter, epoch_unit, max_field_bytes,
                          max_input_bytes, _redact_arg(redact), _threads_arg(threads),
                          _columns_arg(columns),
                          hook)
    finally:
        _done(hook)


@_method(Feedback)
def append(self, customer, time, touchpoint, metric, score, weight=1.0, comment=None):
    """Append one response (metric: nps, csat, ces, rating or audit:<item>)."""
    self._append(customer, _ms(time), touchpoint, metric, float(score), float(weight), comment)


@_method(Feedback)
def append_many(self, customers, times, touchpoints, metrics, scores, weights=None,
                comments=None):
    """Append whole columns at once, all or none (see Events.append_many)."""
    self._append_many(_str_column(customers), _time_column(times), _str_column(touchpoints),
                      _str_column(metrics), _float_column(scores), _float_column(weights),
                      _optional_text(comments))


@_method(Feedback, "from_arrays")
@classmethod
def _feedback_from_arrays(cls, customers, times, touchpoints, metrics, scores, weights=None,
                          comments=None, catalog=None):
    """A new feedback set from whole columns."""
    feedback = cls(catalog)
    feedback.append_many(customers, times, touchpoints, metrics, scores, weights, comments)
    return feedback


_FEEDBACK_ROLES, _FEEDBACK_REQUIRED = _reader_columns(INPUT_FEEDBACK)


@_method(Feedback)
def read_pandas(self, df, *, columns=None, strict=False, name="DataFrame", epoch_unit="auto",
                redact=None, progress=None):
    """Read responses from a pandas DataFrame as read_csv reads a file: the
    columns customer_id, timestamp, touchpoint, metric and score, optional
    weight and comment, every other column an attribute; columns= maps these
    names to the frame's. Missing cells are empty fields (a missing score is a
    bad row; text scores such as "pass" and "n/a" read as in a file); see
    Events.read_pandas for the rest. Returns the ReadLog."""
    found, attrs = _frame_roles(df, columns, _FEEDBACK_ROLES, _FEEDBACK_REQUIRED, "read_pandas")
    names = [str(found.get(role, role)) for role in _FEEDBACK_ROLES]
    times_ms, time_missing, time_text = _frame_times(df[found["timestamp"]])
    scores, score_text = _frame_numbers(df[found["score"]])
    weights, weight_text = (_frame_numbers(df[found["weight"]]) if "weight" in found
                            else (None, None))
    comments = _text_cells(df[found["comment"]]) if "comment" in found else None
    hook = _progress(progress, "reading " + name, "rows", len(df))
    try:
        return self._read_columns(name, strict, epoch_unit, _redact_arg(redact), names,
                                  _text_cells(df[found["customer_id"]]),
                                  _text_cells(df[found["touchpoint"]]), times_ms, time_missing,
                                  time_text, _text_cells(df[found["metric"]]), scores,
                                  score_text, weights, weight_text, comments,
                                  *_frame_attrs(df, attrs), hook)
    finally:
        _done(hook)


@_method(Feedback, "from_pandas")
@classmethod
def _feedback_from_pandas(cls, df, customer="customer_id", timestamp="timestamp",
                          touchpoint="touchpoint", metric="metric", score="score",
                          weight="weight", comment="comment", catalog=None, *, columns=None,
                          strict=True, name="DataFrame", redact=None, progress=None):
    """A new feedback set from a DataFrame, read as Feedback.read_pandas reads
    it; strict as in Events.from_pandas."""
    given = {"customer_id": customer, "timestamp": timestamp, "touchpoint": touchpoint,
             "metric": metric, "score": score, "weight": weight, "comment": comment}
    mapping = {role: col for role, col in given.items() if col != role}
    mapping.update(columns or {})
    feedback = cls(catalog)
    _warn_skipped("Feedback.from_pandas",
                  feedback.read_pandas(df, columns=mapping, strict=strict, name=name,
                                       redact=redact, progress=progress))
    return feedback


@_method(Feedback)
def to_pandas(self):
    """The responses as a DataFrame in the columns from_pandas reads
    (customer_id, timestamp in UTC, touchpoint, metric, score, weight,
    comment, attributes)."""
    return _store_frame(self)


# ---- ReadLog -----------------------------------------------------------------

@_method(ReadLog, "issues")
@property
def _report_issues(self):
    """Rejected rows as dicts: file, line, offset, column, field, status, reason."""
    return self.to_table().to_records()


@_method(ReadLog)
def __repr__(self):
    return "<touchpoint.ReadLog read=%d accepted=%d rejected=%d>" % (
        self.rows_read(), self.rows_accepted(), self.rows_rejected())


# ---- Options, filter, lexicon ----------------------------------------------------

_options_init = Options.__init__


def _options_new(self, **options):
    _options_init(self)
    self.update(**options)


def _options_doc():
    lines = ["Options(**options): analysis options by name; every analysis also takes "
             "them as keyword arguments.", "", "Options (default):"]
    for o in _option_descriptions():
        values = " | ".join(o["choices"]) if o["choices"] else o["type"]
        lines.append("  %s=%s (%s): %s" % (o["name"], o["default"], values, o["doc"]))
    lines += ["  knockout=ITEM or [ITEMS]: audit items that fail their whole visit",
              "  lexicon=Lexicon: the sentiment lexicon", "",
              "Options.describe() lists them as dicts."]
    return "\n".join(lines)


_options_new.__doc__ = _options_doc()
Options.__init__ = _options_new
Options.__doc__ = _options_new.__doc__
Options.describe = staticmethod(_option_descriptions)


@_method(Options)
def set(self, name, value):
    """Set an option by name; value is a number, bool or text ("week", "30d")."""
    if not isinstance(name, str):
        raise TypeError("Options.set: the option name is a str, not %s" % type(name).__name__)
    if name == "lexicon":
        self._set_lexicon(value)
        self.__dict__["_lexicon_data"] = value.this
        return
    if self._is_text(name):
        if value is not None and not isinstance(value, str):
            raise TypeError("option %s takes a str (an attribute name), not %s"
                            % (name, type(value).__name__))
        self._set(name, value or "")
        return
    if isinstance(value, _datetime.timedelta):
        value = int(value / _datetime.timedelta(milliseconds=1))
    if isinstance(value, bool):
        text = "1" if value else "0"
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = str(value)
    self._set(name, text)


@_method(Options)
def update(self, **options):
    """Set several options by name (see Options); knockout= takes an item or a list."""
    for k, v in options.items():
        if k in ("knockout", "knockouts"):
            for item in ([v] if isinstance(v, str) else v):
                self.add_knockout(item)
        else:
            self.set(k, v)


@_method(Options)
def get(self, name):
    """Read an option by name (int for integer options, str for text ones
    such as breakdown, float otherwise)."""
    if not isinstance(name, str):
        raise TypeError("Options.get: the option name is a str, not %s" % type(name).__name__)
    if self._is_text(name):
        return self._get_text(name)
    v = self._get(name)
    return int(v) if self._is_int(name) else v


@_method(Options)
def __getitem__(self, name):
    return self.get(name)


@_method(Options)
def __setitem__(self, name, value):
    self.set(name, value)


_filter_init = Filter.__init__


def _filter_new(self, **parts):
    _filter_init(self)
    since, until = parts.pop("since", None), parts.pop("until", None)
    # ints are milliseconds; text and dates go to the library, which reads an
    # until of a date alone as the end of that day (the window includes it)
    def is_ms(t):
        return isinstance(t, _numbers.Integral) and not isinstance(t, bool)
    if is_ms(since) or is_ms(until):
        self.set_time_range(int(since) if is_ms(since) else -2 ** 63,
                            int(until) if is_ms(until) else 2 ** 63 - 1)
    for key, value in (("since", since), ("until", until)):
        if value is not None and not is_ms(value):
            self.set(key, _time_text(value))
    names = _filter_key_names()
    for key, value in parts.items():
        part = key if key in names else key[:-1] if key[:-1] in names else None
        if part is None or part in ("since", "until"):
            raise TypeError("Filter: unknown keyword %r (keys: %s)" % (key, ", ".join(names)))
        items = [value] if isinstance(value, str) else list(value)
        for item in items:
            self.set(part, item)


_filter_new.__doc__ = "\n".join(
    ["Filter(**parts): the rows an analysis reads. Each part takes one value or a list:"]
    + ["  %s: %s" % (_filter_key_name(i), _filter_key_doc(i)) for i in range(_filter_key_count())])
Filter.__init__ = _filter_new


@_method(Lexicon, "default")
@staticmethod
def _lexicon_default():
    """The built-in English sentiment lexicon."""
    return Lexicon.default_lexicon()


@_method(Lexicon)
def lookup(self, term):
    """(kind, value) of a term; raises NotFoundError when it is missing."""
    return self.lookup_kind(term), self.lookup_value(term)


Lexicon.__len__ = lambda self: self.size()
Lexicon.__contains__ = lambda self, term: self.contains(term)


# ---- Funnel, conformance, paths --------------------------------------------------

_funnel_init = Funnel.__init__


def _funnel_new(self, steps=None, window=None, mode="loose", exclude=()):
    _funnel_init(self)
    if isinstance(steps, str):
        self.parse(steps)
    elif steps is not None:
        for i, s in enumerate(steps, 1):
            if isinstance(s, str):
                self.add_step(s)
            elif isinstance(s, (tuple, list)) and 1 <= len(s) <= 3 and isinstance(s[0], str):
                self.add_step(s[0], bool(s[1]) if len(s) > 1 else False,
                              _duration_ms(s[2]) if len(s) > 2 and s[2] is not None else 0)
            else:
                raise TypeError("Funnel: step %d is %r; a step is text ('cart?', "
                                "'(conversion)') or a (step, optional, window) tuple" % (i, s))
    if window is not None:
        self.set_window(_duration_ms(window))
    self.set_mode(mode)
    for e in ([exclude] if isinstance(exclude, str) else exclude):
        self.add_exclusion(e)


_funnel_new.__doc__ = ('Funnel(steps, window=None, mode="loose", exclude=()): steps as text '
                       '("website, cart?, online-checkout (conversion)<2d") or a list of '
                       'step texts ("cart?", "(conversion)": a purchase anywhere) or '
                       '(step, optional, window) tuples; window and step windows as "7d", '
                       'timedelta or ms; mode "loose" or "strict"; exclude as steps are '
                       'written ("support", "(conversion)").')
Funnel.__init__ = _funnel_new
Funnel.__len__ = lambda self: self.step_count()


@_method(Funnel)
def run(self, events, **kw):
    """(steps, dropoffs) tables of the funnel over the events (filter and option keywords)."""
    return self._run(events, _kw(kw))


_conformer_init = Conformer.__init__


def _conformer_new(self, catalog, map_id, **options):
    _conformer_init(self, catalog, map_id, _kw(options))


_conformer_new.__doc__ = ("Conformer(catalog, map_id, **options): a streaming conformance "
                          "checker; feed events with add(), read tables with finish().")
Conformer.__init__ = _conformer_new


@_method(Conformer)
def add(self, customer, time, touchpoint, type="interaction"):
    """Feed one event (times in order per customer)."""
    self._add(customer, _ms(time), touchpoint, type)


@_method(Paths)
def read_csv(self, path=None, *, data=None, name=None, separator=None, strict=False,
             delimiter=",", max_field_bytes=0, max_input_bytes=0, threads=1, progress=None):
    """Read path aggregates (path, conversions[, value][, nulls]) from CSV; returns the
    ReadLog. See Events.read_csv for the options (threads: the same set whatever the
    count)."""
    path, data, name = _read_args(path, data, name)
    hook = _progress(progress, "reading " + (name or path or "data"), "B")
    try:
        return self._read(path, data, name, separator, strict, delimiter, max_field_bytes,
                          max_input_bytes, _threads_arg(threads), hook)
    finally:
        _done(hook)


Paths.__len__ = lambda self: self.count()


_paths_from_events_c = Paths.from_events


@_method(Paths, "from_events")
@staticmethod
def _paths_from_events(events, **kw):
    """One path per journey of the events (filter keywords and timeout,
    credit_conversion options)."""
    return _paths_from_events_c(events, _kw(kw))


# ---- Partial aggregates and Dask -------------------------------------------------

@_method(Aggregate)
def add(self, events=None, feedback=None, **kw):
    """Add one partition: what the analysis would select from events and
    feedback (filter keywords and options as for the analysis). Returns self."""
    self._add(events, feedback, _kw(kw))
    return self


@_method(Aggregate)
def add_paths(self, paths, **kw):
    """Add a Paths set (markov and shapley; order and self_loops options). Returns self."""
    self._add_paths(paths, _kw(kw))
    return self


@_method(Aggregate)
def add_funnel(self, events, steps, *, window=None, mode="loose", exclude=(), **kw):
    """Add one partition to a funnel aggregate (steps as for touchpoint.funnel:
    a Funnel, text such as "website, cart?, online-checkout<2d", or a list).
    Returns self."""
    f = steps if isinstance(steps, Funnel) else Funnel(steps, window, mode, exclude)
    self._add_funnel(events, f, _kw(kw))
    return self


@_method(Aggregate)
def to_bytes(self):
    """The aggregate in its versioned binary form (bytes)."""
    return self._serialize()


@_method(Aggregate, "from_bytes")
@staticmethod
def _aggregate_from_bytes(data):
    """An aggregate from bytes made by to_bytes (validated; ParseError if not)."""
    return Aggregate._deserialize(data)


@_method(Aggregate)
def finalize(self, catalog, **kw):
    """The analysis's result Table; catalog: the one the partitions were read
    against; result options (level, weights, top, ...) as keywords."""
    return self._finalize(catalog, _kw(kw))


def _aggregate_loads(data):
    return Aggregate._deserialize(data)


@_method(Aggregate)
def __reduce__(self):
    return (_aggregate_loads, (self.to_bytes(),))


@_method(Aggregate)
def __add__(self, other):
    out = Aggregate.from_bytes(self.to_bytes())
    out.merge(other)
    return out


Aggregate.__repr__ = lambda self: "<touchpoint.Aggregate %s%s>" % (
    self.kind(), " (empty)" if self.empty() else "")


def _catalog_text(catalog):
    if isinstance(catalog, Catalog):
        return catalog.to_json()
    if not isinstance(catalog, (str, _os.PathLike)):
        raise TypeError("catalog: expected a Catalog or the path of its JSON, not %s"
                        % type(catalog).__name__)
    return Catalog.load(catalog).to_json()


def _partition_part(cls, catalog, data, read):
    """Events or Feedback of one partition: a path (CSV, or JSON Lines for
    events when it ends in .jsonl), a DataFrame, or None."""
    if data is None:
        return None
    if isinstance(data, (str, bytes, _os.PathLike)):
        store = cls(catalog)
        path = _os.fspath(data)
        if cls is Events and str(path).endswith(".jsonl"):
            store.read_jsonl(path, **read)
        else:
            store.read_csv(path, **read)
        return store
    return cls.from_pandas(data, catalog=catalog)


def partial_bytes(kind, catalog_json, partition, read=None, **kw):
    """One partition's aggregate as bytes (runs on a worker): partition is a
    mapping with "events" and/or "feedback" (paths or DataFrames)."""
    catalog = Catalog.parse_json(catalog_json)
    read = dict(read or {})
    events = _partition_part(Events, catalog, partition.get("events"), read)
    feedback = _partition_part(Feedback, catalog, partition.get("feedback"), read)
    if kind == "funnel":
        funnel_kw = {k: kw.pop(k) for k in _param_names("funnel") - {"steps"} if k in kw}
        return Aggregate(kind).add_funnel(events, kw.pop("steps"), **funnel_kw, **kw).to_bytes()
    return Aggregate(kind).add(events, feedback, **kw).to_bytes()


def _param_names(analysis):
    a = _ANALYSES.get(analysis)
    return {p.name for p in a.params} if a else set()


def merge_bytes(*blobs):
    """Merge serialized aggregates of one kind into one (bytes)."""
    merged = Aggregate.from_bytes(blobs[0])
    for blob in blobs[1:]:
        merged.merge(Aggregate.from_bytes(blob))
    return merged.to_bytes()


def run_on_dask(kind, partitions, catalog, *, client=None, split_every=4, read=None, **kw):
    """Run a mergeable analysis (scorecard, transitions, variants, markov,
    shapley, funnel: give steps= and optionally window=, mode=, exclude=) over
    partitions with Dask: one partial aggregate per partition on the workers, a
    tree merge (split_every partials per node), then the result Table here.

    partitions: mappings with "events" and/or "feedback", each a file path or a
    pandas DataFrame. Journey analyses and reach need each customer's events in
    one partition (partition by customer); audit visits keep their items
    together. catalog: a Catalog or the path of its JSON. client: a
    dask.distributed Client (None: the current default scheduler). read:
    keywords for read_csv (strict, delimiter, ...). Other keywords: the
    analysis's filter and options. The Table equals the single-process one."""
    import dask
    if split_every < 2:
        raise InvalidArgumentError("split_every must be at least 2")
    text = _catalog_text(catalog)
    Aggregate(kind)  # fail early on an unknown kind
    nodes = [dask.delayed(partial_bytes, pure=True)(kind, text, dict(p), read, **kw)
             for p in partitions]
    if not nodes:
        nodes = [dask.delayed(Aggregate(kind).to_bytes())]
    while len(nodes) > 1:
        nodes = [dask.delayed(merge_bytes, pure=True)(*nodes[i:i + split_every])
                 for i in range(0, len(nodes), split_every)]
    if client is not None:
        blob = client.compute(nodes[0]).result()
    else:
        (blob,) = dask.compute(nodes[0])
    result_catalog = catalog if isinstance(catalog, Catalog) else Catalog.parse_json(text)
    return Aggregate.from_bytes(blob).finalize(result_catalog, **{
        k: v for k, v in kw.items()
        if k not in _FILTER_KEYS and k not in _param_names(kind)})


# ---- Analyses: one function per entry of the library's registry -------------------

import inspect as _inspect

_INPUT_EVENTS, _INPUT_FEEDBACK, _INPUT_PATHS = INPUT_EVENTS, INPUT_FEEDBACK, INPUT_PATHS
_PARAM_REQUIRED, _PARAM_POSITIONAL, _PARAM_LIST = PARAM_REQUIRED, PARAM_POSITIONAL, PARAM_LIST

#: One analysis as the library describes it (touchpoint.analyses()).
Analysis = _collections.namedtuple(
    "Analysis", "name doc needs takes filtered options params tables agg_kind")
#: One parameter of an analysis: name, type ("text", "choice", "duration"), the
#: choices, required, positional, list (may repeat), default (None: none), doc.
AnalysisParam = _collections.namedtuple(
    "AnalysisParam", "name type choices required positional list default doc")
#: One table an analysis returns: its name, the columns it always has, doc.
AnalysisTable = _collections.namedtuple("AnalysisTable", "name columns doc")


def _registry_rows():
    def items(fn, *args):
        out = []
        while fn(*args, len(out)) is not None:
            out.append(fn(*args, len(out)))
        return out
    rows = []
    for i in range(_analysis_count()):
        params = []
        for k in range(_analysis_number(i, 4)):
            flags = _analysis_param_flags(i, k)
            params.append(AnalysisParam(
                _analysis_param_text(i, k, 0), _analysis_param_text(i, k, 1),
                tuple(items(_analysis_param_choice, i, k)), bool(flags & _PARAM_REQUIRED),
                bool(flags & _PARAM_POSITIONAL), bool(flags & _PARAM_LIST),
                _analysis_param_text(i, k, 2), _analysis_param_text(i, k, 3)))
        tables = tuple(AnalysisTable(_analysis_output_text(i, k, 0),
                                     tuple(items(_analysis_output_column, i, k)),
                                     _analysis_output_text(i, k, 1))
                       for k in range(_analysis_number(i, 5)))
        options = tuple(_analysis_option(i, k) for k in range(_analysis_number(i, 3)))
        rows.append(Analysis(_analysis_text(i, 0), _analysis_text(i, 1), _analysis_number(i, 0),
                             _analysis_number(i, 1), bool(_analysis_number(i, 2)), options,
                             tuple(params), tables, _analysis_number(i, 6)))
    return rows


_ANALYSES = {a.name: a for a in _registry_rows()}
_OPTION_NAMES = frozenset(_option_text(i, 0) for i in range(_option_count()))


def analyses():
    """Every analysis of the library, by name: a dict of Analysis tuples (doc,
    inputs, the options it reads, its parameters, the tables it returns)."""
    return dict(_ANALYSES)


def _inputs_of(a):
    """The leading parameters of an analysis function: its inputs."""
    P = _inspect.Parameter
    if a.takes & _INPUT_PATHS:
        return [P("data", P.POSITIONAL_OR_KEYWORD)]
    if a.takes & _INPUT_FEEDBACK:
        events = ({} if a.needs & _INPUT_EVENTS else {"default": None})
        return [P("events", P.POSITIONAL_OR_KEYWORD, **events),
                P("feedback", P.POSITIONAL_OR_KEYWORD, default=None)]
    return [P("events", P.POSITIONAL_OR_KEYWORD)]


def _signature_of(a):
    P = _inspect.Parameter
    params = _inputs_of(a)
    for p in a.params:
        if p.positional:
            # a required one after an input that may be left out (feedback)
            # defaults to None; the library says it is missing
            after_default = any(q.default is not P.empty for q in params)
            params.append(P(p.name, P.POSITIONAL_OR_KEYWORD,
                            **({} if p.required and not after_default else
                               {"default": p.default})))
    for p in a.params:
        if not p.positional:
            params.append(P(p.name, P.KEYWORD_ONLY, default=p.default))
    params.append(P("kw", P.VAR_KEYWORD))
    return _inspect.Signature(params)


def _doc_of(a, sig):
    returns = " -> " + ("Table" if len(a.tables) == 1 else
                        "(%s)" % ", ".join(t.name for t in a.tables))
    lines = [a.name + str(sig) + returns, "", a.doc[:1].upper() + a.doc[1:] + "."]
    if a.takes & _INPUT_PATHS:
        lines += ["", "data: a Paths set, or Events (one path per journey; the filter "
                      "keywords apply to its events)."]
    elif a.takes & _INPUT_FEEDBACK:
        lines += ["", "events: Events or None (for reach); feedback: Feedback."]
    if a.params:
        lines += ["", "Parameters:"]
        for p in a.params:
            kind = "one of " + ", ".join(p.choices) if p.choices else p.type
            lines.append("  %s (%s%s): %s" % (p.name, kind, ", repeatable" if p.list else "",
                                              p.doc))
    if a.options:
        lines += ["", "Options it reads (keywords, or options=Options(...)):"]
        described = {o["name"]: o for o in _option_descriptions()}
        for name in a.options:
            o = described[name]
            lines.append("  %s: %s (default %s)" % (name, o["doc"], o["default"]))
    if a.filtered:
        lines += ["", "Filter keywords (or filter=Filter(...)): " + ", ".join(
            _filter_key_names()) + "; plurals take lists."]
    lines += ["", "Returns:"]
    for t in a.tables:
        lines.append("  %s: %s; columns %s, ..." % (t.name, t.doc, ", ".join(t.columns)))
    return "\n".join(lines)


def _input_error(a, what, value, allowed):
    return TypeError("%s: %s must be a %s, not %s" % (
        a.name, what, " or ".join("touchpoint." + c.__name__ for c in allowed),
        type(value).__name__))


def _analysis_function(a):
    sig = _signature_of(a)
    params = {p.name for p in a.params}

    def analysis(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        given = bound.arguments
        events = feedback = paths = None
        if a.takes & _INPUT_PATHS:
            data = given["data"]
            if isinstance(data, Paths):
                paths = data
            elif isinstance(data, Events):
                events = data
            else:
                raise _input_error(a, "data", data, (Events, Paths))
        else:
            events = given.get("events")
            feedback = given.get("feedback")
            if events is not None and not isinstance(events, Events):
                raise _input_error(a, "events", events, (Events,))
            if feedback is not None and not isinstance(feedback, Feedback):
                raise _input_error(a, "feedback", feedback, (Feedback,))
        for what, value in (("events", events), ("feedback", feedback), ("data", paths)):
            if value is not None and "this" not in value.__dict__:
                raise InvalidArgumentError("%s: this %s is closed" % (a.name,
                                                                      type(value).__name__))
        keywords = dict(given.get("kw", {}))
        unread = [k for k in keywords if k in _OPTION_NAMES and k not in a.options]
        if unread:
            raise InvalidArgumentError("%s does not read the option %s (it reads: %s)" % (
                a.name, unread[0], ", ".join(a.options) or "none"))
        for name in params:
            if given.get(name) is not None:
                keywords[name] = given[name]
        tables = _run(a.name, events, feedback, paths, _kw(keywords, a.name))[:len(a.tables)]
        return tables[0] if len(tables) == 1 else tuple(tables)

    analysis.__name__ = analysis.__qualname__ = a.name
    analysis.__signature__ = sig
    analysis.__doc__ = _doc_of(a, sig)
    return analysis


for _a in _ANALYSES.values():
    globals()[_a.name] = _analysis_function(_a)
del _a


def sentiment(texts, lexicon=None):
    """Score texts: a float for one str, a Table (text, compound, label, terms) for a list."""
    if lexicon is not None and not isinstance(lexicon, Lexicon):
        raise TypeError("sentiment: lexicon= takes a touchpoint.Lexicon, not %s"
                        % type(lexicon).__name__)
    lex = lexicon if lexicon is not None else _default_lexicon()
    if isinstance(texts, str):
        return lex.score(texts)
    return lex.table(list(texts))


_lexicon_cache = []


def _default_lexicon():
    if not _lexicon_cache:
        _lexicon_cache.append(Lexicon.default())
    return _lexicon_cache[0]


# ---- The CX report --------------------------------------------------------------------

#: One headline finding of a report; value is None when the finding names no number.
Finding = _collections.namedtuple("Finding", "key heading subject value text")

#: A chart of the report, as the library lists them.
ChartInfo = _collections.namedtuple("ChartInfo", "name doc")


def charts():
    """The charts a report draws (name, doc), in the order of the page."""
    return [ChartInfo(_report_chart_name(i), _report_chart_doc(i))
            for i in range(_report_chart_count())]


class Chart:
    """One chart of a report as a standalone SVG document (its style inside).
    A notebook shows it inline; str() is the SVG text; save() writes a file."""

    def __init__(self, name, svg):
        self.name = name
        self.svg = svg

    def _repr_svg_(self):
        return self.svg

    def __str__(self):
        return self.svg

    def __repr__(self):
        return "<touchpoint.Chart %s (%d bytes of SVG)>" % (self.name, len(self.svg))

    def save(self, path):
        """Write the SVG to path atomically."""
        _file_write(_os.fspath(path), self.svg)


def _funnel_of(funnel):
    """A Funnel from funnel=: a Funnel, steps text, or a list of step texts."""
    if funnel is None or isinstance(funnel, Funnel):
        return funnel
    if isinstance(funnel, str) or (isinstance(funnel, (list, tuple)) and
                                   all(isinstance(x, str) for x in funnel)):
        return Funnel(funnel)
    raise TypeError("report: funnel= takes a touchpoint.Funnel, steps text or a list of "
                    "step texts, not %s" % type(funnel).__name__)


_report_init = Report.__init__


def _report_new(self, events, feedback=None, *, title=None, source=None, funnel=None,
                read_log=None, credit_by=None, **kw):
    if not isinstance(events, Events):
        raise TypeError("report: events must be a touchpoint.Events, not %s"
                        % type(events).__name__)
    if feedback is not None and not isinstance(feedback, Feedback):
        raise TypeError("report: feedback must be a touchpoint.Feedback or None, not %s"
                        % type(feedback).__name__)
    if read_log is not None and not isinstance(read_log, ReadLog):
        raise TypeError("report: read_log= takes the touchpoint.ReadLog of a read, not %s"
                        % type(read_log).__name__)
    for what, value in (("events", events), ("feedback", feedback), ("read_log", read_log)):
        if value is not None and "this" not in value.__dict__:
            raise InvalidArgumentError("report: this %s is closed" % type(value).__name__)
    _report_init(self, events, feedback, _kw(kw, "report"), title, source, _funnel_of(funnel), read_log,
                 credit_by)


_report_new.__doc__ = (
    "Report(events, feedback=None, *, title=None, source=None, funnel=None, read_log=None, "
    "credit_by=None, **filter_and_options): every analysis in one report, built once.\n\n"
    "funnel: a Funnel, steps text or a list of step texts (default: the catalog's first "
    "funnel, else the most common converting path). credit_by: stage, channel (default), "
    "owner or parent, the roll-up of attribution. read_log: the ReadLog of the reads, for "
    "the count of rejected rows. Filter keywords (since, until, segment, stage, channel, "
    "touchpoint) and option keywords apply to every analysis.\n\n"
    "A notebook shows the report inline; .html is the page, .json the data, .findings "
    "the headline findings, .chart(name) one chart, .save(path) writes it.")
Report.__init__ = _report_new


@_method(Report)
def save(self, path, form=None):
    """Write the report to path atomically: form "html" (default), "json", "text" or
    "fragment"; without form, a path ending in .json or .txt picks it."""
    self._save(_os.fspath(path), form)


@_method(Report)
def chart(self, name):
    """One chart of the report (see touchpoint.charts()) as a Chart."""
    return Chart(name, self._chart(name))


@_method(Report)
def to_dict(self):
    """The report's JSON form as Python data."""
    import json
    return json.loads(self.render("json"))


@_method(Report)
def to_pandas(self):
    """The report's tables as DataFrames, by section: "findings" and every
    table of the JSON form ("scorecard", "hotspots", "drivers", "trend",
    "funnel_steps", "funnel_dropoffs", "attribution_rollup", "trend_by_stage"
    with a stage column, ...), in the JSON form's columns and units."""
    import pandas as pd
    data = self.to_dict()
    out = {"findings": pd.DataFrame([f._asdict() for f in self.findings])}
    for key, value in data.items():
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            out[key] = pd.DataFrame(value)
        elif isinstance(value, dict):
            lists = {k: v for k, v in value.items()
                     if isinstance(v, list) and all(isinstance(x, dict) for x in v)}
            if key == "attribution_rollup" and "rows" in lists:
                out[key] = pd.DataFrame(lists["rows"])
            elif lists and all(isinstance(v, list) for v in value.values()):
                out[key] = pd.concat([pd.DataFrame(v).assign(**{"stage": k})
                                      for k, v in value.items()], ignore_index=True)
            else:
                for k, v in lists.items():
                    out["%s_%s" % (key, k)] = pd.DataFrame(v)
    return out


def _report_findings(self):
    """The headline findings, as Finding tuples."""
    rows = self._findings().to_records()
    return [Finding(r["key"], r["heading"], r["subject"], r["value"], r["text"]) for r in rows]


Report.findings = property(_report_findings)
Report.html = property(lambda self: self.render("html"), doc="The whole HTML page.")
Report.json = property(lambda self: self.render("json"), doc="The JSON form, as text.")
Report.text = property(lambda self: self.render("text"), doc="The findings as text lines.")
Report._repr_html_ = lambda self: self.render("fragment")


@_method(Report)
def __repr__(self):
    return "<touchpoint.Report: %s>" % "; ".join(f.text for f in self.findings[:1])


def report(events, feedback=None, **kw):
    """The CX report of events and feedback (see touchpoint.Report for the keywords):
    a notebook shows it inline; .html, .json, .findings, .chart(name), .save(path)."""
    return Report(events, feedback, **kw)


def chart(name, events, feedback=None, **kw):
    """One chart of the report of events and feedback (names: touchpoint.charts()):
    a Chart, which a notebook shows inline. Keywords as for touchpoint.Report."""
    return Report(events, feedback, **kw).chart(name)


# ---- Metrics ------------------------------------------------------------------------

@_doc_from(_nps_estimate)
def nps_estimate(promoters, passives, detractors, level=0.95):
    return Estimate(*_nps_estimate(promoters, passives, detractors, level))


@_doc_from(_csat_estimate)
def csat_estimate(satisfied, n, level=0.95):
    return Estimate(*_csat_estimate(satisfied, n, level))


@_doc_from(_mean_estimate)
def mean_estimate(values, level=0.95):
    return Estimate(*_mean_estimate(_float_column(values), level))


_parse_time = parse_time


def parse_time(text, unit="auto"):
    """Milliseconds since the epoch of ISO 8601 text or an epoch number
    (unit: "auto", "seconds", "milliseconds")."""
    return _parse_time(text, unit)


# ---- Sample data ---------------------------------------------------------------------

def sample_dir():
    """Directory of the bundled sample data set (catalog.json, events.csv,
    feedback.csv): $TOUCHPOINT_SAMPLE_DIR, the installed copy, or the source tree."""
    dirs = [_os.environ.get("TOUCHPOINT_SAMPLE_DIR")] + _sample_dirs().split(":")
    for d in dirs:
        if d and _os.path.exists(_os.path.join(d, "events.csv")):
            return d
    raise FileError("the sample data set is not installed (looked in %s)" % ", ".join(
        d for d in dirs if d))


def load_sample(strict=True):
    """(catalog, events, feedback) of the bundled sample data set."""
    d = sample_dir()
    catalog = Catalog.load(_os.path.join(d, "catalog.json"))
    events = Events(catalog)
    events.read_csv(_os.path.join(d, "events.csv"), strict=strict)
    feedback = Feedback(catalog)
    feedback.read_csv(_os.path.join(d, "feedback.csv"), strict=strict)
    return catalog, events, feedback


def _store_repr(self):
    attrs = [self.attribute_name(i) for i in range(self.attribute_count())]
    who = " from %d customers" % self.customer_count() if hasattr(self, "customer_count") else ""
    return "<touchpoint.%s %d rows%s%s>" % (type(self).__name__, len(self), who,
                                            "; attributes: " + ", ".join(attrs) if attrs else "")


Events.__repr__ = _store_repr
Feedback.__repr__ = _store_repr
Catalog.__repr__ = lambda self: (
    "<touchpoint.Catalog %d touchpoints in %d stages, %d journey maps, %d funnels>" % (
        self.touchpoint_count(), self.stage_count(), self.journey_map_count(),
        self.funnel_count()))
JourneyMap.__repr__ = lambda self: "<touchpoint.JourneyMap %s: %d stages, %d transitions>" % (
    self.id(), self.stage_count(), self.transition_count())
Paths.__repr__ = lambda self: "<touchpoint.Paths %d paths>" % self.count()
Funnel.__repr__ = lambda self: "<touchpoint.Funnel %d steps>" % self.step_count()
Filter.__repr__ = lambda self: "<touchpoint.Filter>"
Options.__repr__ = lambda self: "<touchpoint.Options>"
Lexicon.__repr__ = lambda self: "<touchpoint.Lexicon>"
Conformer.__repr__ = lambda self: "<touchpoint.Conformer>"

for _cls in _HANDLES:  # after every class has its own __repr__
    _closed_aware_repr(_cls)


# ---- The module's namespace ----------------------------------------------------------

# Methods attached to the classes above leave their function under a module-level
# name (tp.head, tp.to_pandas, ...): those are methods, not functions of the module.
def _drop_attached(names, attached):
    ids = {id(fn) for fn in attached}
    for name in [n for n, v in names.items() if id(v) in ids and not n.startswith("_")]:
        del names[name]


_drop_attached(globals(), _attached)
del _attached
# A parameter's flags are its AnalysisParam fields (kept as _PARAM_*); the input
# bits stay: Analysis.needs and .takes are made of them.
del PARAM_REQUIRED, PARAM_POSITIONAL, PARAM_LIST

_CLASS_DOCS = {
    Catalog: "The touchpoints (id, name, stage, channel, owner, expectation, parent), stages, "
             "journey maps and funnels: Catalog.default(), Catalog.load(path).",
    Events: "An event log: a customer's touches of touchpoints over time (read_csv, "
            "read_jsonl, read_pandas, append, to_pandas).",
    Feedback: "Responses (NPS, CSAT, CES, ratings, audits, comments) per customer and "
              "touchpoint (read_csv, read_pandas, append, to_pandas).",
    ReadLog: "What a read accepted and rejected: counts and the issues with file, line, "
             "column, field and reason.",
    Table: "A result table: columns by name, rows, to_pandas(), to_numpy(), to_csv(); shown "
           "as HTML in a notebook.",
    Filter: "Which events and responses an analysis reads: a time window, segments, "
            "stages, channels, touchpoints.",
    Funnel: "Ordered steps (optional steps, time limits, exclusions) for tp.funnel().",
    Conformer: "Conformance on a stream of events against a journey map (add, finish).",
    JourneyMap: "A designed journey: stages of touchpoints and the allowed transitions.",
    Lexicon: "Words and their sentiment for comment scoring (Lexicon.default(), load).",
    Paths: "Journeys as paths with their conversions and value, for attribution "
           "(read_csv, from_events, add).",
    Aggregate: "A mergeable partial aggregate of one analysis (add, merge, finalize, "
               "to_bytes): how run_on_dask scales out.",
    Report: "The whole CX report: findings, charts and tables; render(), save(), shown "
            "inline in a notebook.",
}
for _cls, _doc in _CLASS_DOCS.items():
    _cls.__doc__ = _doc
del _cls, _doc, _CLASS_DOCS

#: The module's documented names: its classes, errors, one function per
#: analysis of the library's registry, the report and the helpers.
__all__ = sorted(
    ["Aggregate", "Catalog", "Conformer", "Events", "Feedback", "Filter", "Funnel",
     "JourneyMap", "Lexicon", "Options", "Paths", "ReadLog", "Report", "Table",
     "Analysis", "AnalysisParam", "AnalysisTable", "Chart", "ChartInfo", "Estimate", "Finding",
     "Error", "CancelledError", "ConflictError", "FileError", "InvalidArgumentError",
     "LimitError", "NotFoundError", "OutOfMemoryError", "ParseError", "ValidationError",
     "analyses", "report", "chart", "charts", "sentiment", "load_sample", "sample_dir",
     "run_on_dask", "partial_bytes", "merge_bytes",
     "bayes_average", "check_metric", "csat_estimate", "mean_estimate", "nps_estimate",
     "normal_quantile", "t_test_p", "welch_test", "wilson_interval", "sentiment_label",
     "redact_text", "format_time", "parse_time", "parse_duration", "model_name",
     "status_name", "version", "version_number",
     "INPUT_EVENTS", "INPUT_FEEDBACK", "INPUT_PATHS"]
    + list(_ANALYSES))


__doc__ = """libtouchpoint: customer-experience analytics over touchpoints.

Read journeys and feedback (Events.read_csv / read_pandas, Feedback.read_csv /
read_pandas, or load_sample() for the bundled data), then run an analysis:
scorecard, hotspots, drivers, trend, sentiment_terms, journeys, funnel,
conformance, attribute, attribution_compare, markov_chain, transitions,
variants, flow, next_touchpoints, conversion_times (analyses() lists them with
their inputs and options). Every analysis returns a Table (to_pandas(),
to_records(), to_csv(); a notebook shows it as HTML) and takes filter and
option keywords. report(events, feedback) is the whole CX report, shown inline
in a notebook. Errors are touchpoint.Error subclasses. Aggregate and
run_on_dask scale an analysis out with mergeable partial aggregates.
"""
