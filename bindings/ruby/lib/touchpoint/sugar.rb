# frozen_string_literal: true

# Ruby sugar over the SWIG-generated Touchpoint extension: keyword arguments,
# Enumerable tables, predicates, bulk ingest from Arrays and module-level
# analyses. Loaded by the extension itself (require "touchpoint").
module Touchpoint
  # Every libtouchpoint error includes Error (rescue Touchpoint::Error) and is
  # also the Ruby error it is (InvalidArgumentError < ArgumentError, FileError <
  # IOError, NotFoundError < KeyError, the others StandardError). status is the
  # C status code; file, line, column and field locate the input that failed
  # ("" or 0 when none).
  module Error
    attr_reader :status, :file, :line, :column, :field
  end

  # A point estimate with its standard error, interval and number of responses.
  Estimate = Struct.new(:value, :se, :low, :high, :n)

  EVENT_TYPES = { "" => 0, "interaction" => 0, "conversion" => 1, "exit" => 2 }.freeze
  # Filter keywords: the library's keys (tp_filter_key_name), their plurals and filter:.
  FILTER_NAMES = Array.new(_filter_key_count) { |i| _filter_key_name(i) }.freeze
  FILTER_KEYS = (FILTER_NAMES.map(&:to_sym) + FILTER_NAMES.map { |k| :"#{k}s" } + [:filter]).freeze
  private_constant :EVENT_TYPES, :FILTER_KEYS, :FILTER_NAMES

  VERSION = version

  # progress: true. One line on $stderr: redrawn in place ten times a second
  # on a terminal, a line a second in a log, cleared when the call ends.
  # Called with the library's figures: (bytes done, bytes total, rows) for a
  # read, (done, total) of the current step for an analysis.
  class ProgressLine
    def initialize(what, unit, io: $stderr)
      @what = what
      @unit = unit
      @io = io
      @last = nil
      @shown = false
    end

    def call(done, total, rows = nil)
      now = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      tty = @io.tty?
      return if @last && now - @last < (tty ? 0.1 : 1.0)

      @last = now
      text = +"#{@what}: #{done} of #{total} #{@unit}"
      text << " (#{100 * done / total}%)" if total.positive?
      text << ", #{rows} rows" if rows
      tty ? @io.write("\r#{text}\e[K") : @io.puts(text)
      @shown = tty
    end

    def close
      @io.write("\r\e[K") if @shown
      @shown = false
    end
  end
  private_constant :ProgressLine

  # Conversions of Ruby values to what the extension takes; not part of the API.
  module Convert
    module_function

    # What to redact, as the library reads it: nil/false -> "", true -> "all",
    # :email or "email" -> "email", [:email, :phone] -> "email,phone".
    def redact_arg(redact)
      case redact
      when nil, false then ""
      when true then "all"
      when Array then redact.map(&:to_s).join(",")
      when String, Symbol then redact.to_s
      else raise TypeError, "redact: expected true, a Symbol, a String or an Array, not #{redact.class}"
      end
    end

    # A time as milliseconds since the epoch: Integer (ms), String, Time or Date.
    def to_ms(value)
      case value
      when Integer then value
      when Time then (value.to_r * 1000).floor
      when String then Touchpoint.parse_time(value, nil)
      else
        return Touchpoint.parse_time(value.iso8601, nil) if value.respond_to?(:iso8601)

        raise TypeError, "expected a time (Integer ms, String, Time), not #{value.class}"
      end
    end

    # Times read for an append, with a hint when they are not times: the time
    # comes before the touchpoint in both stores' appends.
    def times_first(where)
      yield
    rescue Touchpoint::ParseError, Touchpoint::ValidationError, TypeError => e
      raise e.class, "#{where}: #{e.message} (the order is customer, time, touchpoint, as in Feedback#append)"
    end

    # A read's thread count: an Integer, never a Float, String or true.
    def threads_arg(threads)
      raise TypeError, "threads must be an Integer (0: one per CPU), not #{threads.class}" unless threads.is_a?(Integer)

      threads
    end

    # columns: { customer_id: "user_pseudo_id" } as the library's text.
    def columns_arg(columns)
      return nil if columns.nil?
      raise TypeError, "columns: expected a Hash of column => the file's name, not #{columns.class}" unless columns.is_a?(Hash)

      columns.map do |k, v|
        pair = "#{k}=#{v}"
        raise ArgumentError, "columns: a name with ',' or '=' cannot be mapped: #{pair}" if pair.count("=") != 1 || pair.include?(",")

        pair
      end.join(",")
    end

    # A duration as milliseconds: Integer (ms) or text such as "30d", "12h".
    def to_duration_ms(value)
      case value
      when nil then 0
      when String then Touchpoint.parse_duration(value)
      else Integer(value)
      end
    end

    # A time bound as the library reads it: Integer ms and String as given, a
    # Time as ms, a Date or DateTime in ISO 8601 (the library reads an until of
    # a date alone as the end of that day, so the window includes it).
    def time_bound(value)
      case value
      when Integer, String then value
      when Time then to_ms(value)
      else
        return value.iso8601 if value.respond_to?(:iso8601)

        raise TypeError, "expected a time (Integer ms, String, Time, Date), not #{value.class}"
      end
    end

    # A Range as a time window [since, until]: its end is included with ..
    # (a date's whole day) and left out with ... (Time, Date, String or ms).
    def time_window(range)
      since = range.begin.nil? ? nil : time_bound(range.begin)
      till = range.end.nil? ? nil : time_bound(range.end)
      if till.is_a?(Integer) && !range.exclude_end?
        till += 1 # the window excludes its end: one ms past an included one
      elsif till.is_a?(String) && range.exclude_end? && till.match?(/\A\s*\d{4}-\d\d-\d\d\s*\z/)
        till = "#{till.strip}T00:00:00Z" # a day left out: its start ends the window
      end
      [since, till]
    end

    # What progress: (or a block) asks for, as the callable the library calls:
    # nil (none; Ctrl-C still stops the call), the block or callable as given,
    # or true (a ProgressLine). Yields it and closes a ProgressLine after.
    def with_progress(value, block, what, unit = "steps")
      raise ArgumentError, "#{what}: give progress: or a block, not both" if block && ![nil, false].include?(value)

      hook = block || case value
                      when nil, false then nil
                      when true then ProgressLine.new(what, unit)
                      else
                        unless value.respond_to?(:call)
                          raise TypeError, "progress: expected true, false, nil, a Proc or a block, not #{value.class}"
                        end

                        value
                      end
      begin
        yield hook
      ensure
        hook.close if hook.is_a?(ProgressLine)
      end
    end

    # Keyword arguments of an analysis, with Ruby-only value types converted;
    # since: a Range is the whole window (since: t1..t2).
    def analysis_keywords(kw)
      window = kw[:since] || kw["since"]
      if window.is_a?(Range)
        raise ArgumentError, "give since: a Range or since: and until:, not both" if kw.key?(:until) || kw.key?("until")

        kw = kw.reject { |k, _| k.to_s == "since" }
        since, till = time_window(window)
        kw[:since] = since unless since.nil?
        kw[:until] = till unless till.nil?
      end
      kw.to_h { |k, v| [k, %i[since until].include?(k.to_sym) && !v.nil? ? time_bound(v) : v] }
    end

    # A file path: a String or anything with to_path (Pathname, File).
    def path(value, what)
      return value.to_path if value.respond_to?(:to_path)
      return value if value.is_a?(String)

      raise TypeError, "#{what}: expected a path (String or Pathname), not #{value.class}"
    end

    # The items of a column argument: an Array, or any Enumerable but a Hash.
    def items(values, what)
      return values.to_a if values.is_a?(Array) || (values.is_a?(Enumerable) && !values.is_a?(Hash))

      raise TypeError, "#{what}: expected an Array, not #{values.class}"
    end

    # Text column (nil entries allowed where the C API allows NULL).
    def text_column(values, what)
      return nil if values.nil?

      items(values, what).map { |v| v.nil? || v.is_a?(String) ? v : v.to_s }
    end

    def time_column(values, what)
      items(values, what).map { |t| to_ms(t) }
    end

    def type_codes(types)
      return nil if types.nil?

      items(types, "types").each_with_index.map do |t, i|
        next t if t.is_a?(Integer)

        EVENT_TYPES.fetch(t.to_s.strip.downcase) do
          raise InvalidArgumentError, "types[#{i}]: '#{t}' is not one of interaction, conversion, exit"
        end
      end
    end

    # A path set and the options left for the model: data is Paths, or Events
    # (one path per journey, filter keywords apply).
  end
  private_constant :Convert

  module_function

  # ---- Table ------------------------------------------------------------------

  # A row of a Table: a Hash of column name => value that answers to a Symbol
  # as to its String (row[:touchpoint] is row["touchpoint"]).
  class Row < Hash
    def [](key) = super(Row.name_of(key))
    def fetch(key, *rest, &block) = super(Row.name_of(key), *rest, &block)
    def key?(key) = super(Row.name_of(key))
    alias include? key?
    alias has_key? key?
    alias member? key?
    def dig(key, *rest) = super(Row.name_of(key), *rest)
    def values_at(*keys) = super(*keys.map { |k| Row.name_of(k) })

    def self.name_of(key) = key.is_a?(Symbol) ? key.name : key
  end

  class Table
    include Enumerable

    # What the numbers of each column mean, by name: :time (given as Time, in
    # UTC), :duration (milliseconds), :flag (true or false) or :none.
    def units
      columns.each_with_index.to_h { |name, i| [name, column_unit(i).to_sym] }
    end

    # Column names, in order.
    def columns
      Array.new(column_count) { |i| column_name(i) }
    end

    # Column types by name: "string", "int64" or "double".
    def dtypes
      columns.each_with_index.to_h { |name, i| [name, column_type(i)] }
    end

    # One whole column as an Array (nil for nulls), by name or index: times as
    # Time (UTC), flags as true/false (see units).
    def column(col)
      index = col.is_a?(Integer) ? col : find_column(col.to_s)
      in_unit(index, _column(index))
    end

    def size
      row_count
    end
    alias length size

    def empty?
      row_count.zero?
    end

    # Yield each row as a Hash of column name => value (nil for nulls).
    def each
      return enum_for(:each) { row_count } unless block_given?

      names = columns
      cols = Array.new(names.size) { |i| column(i) }
      row_count.times do |r|
        row = Row.new
        names.each_with_index { |name, c| row[name] = cols[c][r] }
        yield row
      end
      self
    end

    # table["col"] is a column; table[i] is row i (a Hash).
    def [](key)
      case key
      when String, Symbol then column(key.to_s)
      when Integer
        key += row_count if key.negative?
        raise IndexError, "row #{key} is out of range (#{row_count} rows)" unless key.between?(0, row_count - 1)

        row = Row.new
        columns.each_with_index { |name, c| row[name] = in_unit(c, [cell(key, c)])[0] }
        row
      else raise TypeError, "index a table by column name or row number"
      end
    end

    def to_s
      format("text")
    end

    private

    # Cells of column @p col in the Ruby class of its unit.
    def in_unit(col, values)
      case column_unit(col)
      when "time" then values.map { |v| v && Time.at(0, v, :millisecond, in: "UTC") }
      when "flag" then values.map { |v| v.nil? ? nil : v != 0 }
      else values
      end
    end

    # One cell (nil for null), without building its whole column.
    def cell(row, col)
      return nil if null?(row, col)

      case column_type(col)
      when "string" then get_string(row, col)
      when "int64" then get_int64(row, col)
      else get_double(row, col)
      end
    end

    public

    def to_csv
      format("csv")
    end

    def to_json(*_args)
      format("json")
    end

    # Why the table is as it is, above all why it has no rows; nil when the
    # analysis has nothing to add.
    def note = _note

    def inspect
      "#<Touchpoint::Table #{row_count} rows x #{column_count} columns: #{columns.first(8).join(', ')}" \
        "#{column_count > 8 ? ', ...' : ''}#{note ? " (#{note})" : ''}>"
    end
  end

  # ---- Catalog ----------------------------------------------------------------
  class Catalog
    FIELDS = %w[id name stage channel kind owner expectation parent].freeze

    # The built-in default catalog.
    def self.default
      default_catalog
    end

    # Read a catalog JSON file.
    def self.load(path)
      load_json(path.to_s)
    end

    # Stage names, in order.
    def stages
      Array.new(stage_count) { |i| stage_name(i) }
    end

    # Add a touchpoint; returns its index.
    def add_touchpoint(id, name: nil, stage: nil, channel: nil, kind: nil, owner: nil,
                       expectation: nil, weight: 1.0, parent: nil)
      _add_touchpoint(id, name, stage, channel, kind&.to_s, owner, expectation, Float(weight), parent)
    end

    # A touchpoint as a Hash, by id or index ("targets" as #targets gives them).
    def touchpoint(key)
      index = key.is_a?(Integer) ? key : find_touchpoint(key.to_s)
      h = FIELDS.each_with_index.to_h { |f, i| [f, _touchpoint_text(index, i)] }
      h["weight"] = _touchpoint_weight(index)
      h["targets"] = targets(index)
      h
    end

    # The target metrics, in the library's order (:nps ... :cx_index).
    def self.target_metrics
      (0..).lazy.map { |k| target_name(k) }.take_while { |w| w }.map(&:to_sym).to_a
    end

    # A touchpoint's numeric targets, by id or index: { nps: 20.0, ces: 5.5 }
    # (only those it has).
    def targets(key)
      index = key.is_a?(Integer) ? key : find_touchpoint(key.to_s)
      Catalog.target_metrics.each_with_index.filter_map do |m, k|
        v = _target(index, k)
        [m, v] unless v.nan?
      end.to_h
    end

    # Set a touchpoint's target (by id or index) for :nps, :csat, :ces, :rating,
    # :audit or :cx_index; nil removes it.
    def set_target(key, metric, value)
      index = key.is_a?(Integer) ? key : find_touchpoint(key.to_s)
      raise TypeError, "set_target: a target is a Numeric or nil, not #{value.class}" unless value.nil? || value.is_a?(Numeric)

      _set_target(index, metric.to_s, value.nil? ? Float::NAN : Float(value))
    end

    # Every touchpoint as a Hash, in catalog order; yields each with a block.
    def touchpoints(&block)
      all = Array.new(touchpoint_count) { |i| touchpoint(i) }
      block ? all.each(&block) : all
    end

    def size
      touchpoint_count
    end
    alias length size

    def include?(id)
      find_touchpoint(id.to_s)
      true
    rescue NotFoundError
      false
    end

    # Copies of the catalog's journey maps.
    def journey_maps
      Array.new(journey_map_count) { |i| journey_map_at(i) }
    end
  end

  class JourneyMap
    # Designed stages as [name, [touchpoint ids]] pairs.
    def stages
      Array.new(stage_count) { |s| [stage_name(s), Array.new(stage_size(s)) { |i| stage_touchpoint(s, i) }] }
    end

    # Allowed transitions as [from, to] pairs.
    def transitions
      Array.new(transition_count) { |i| [_transition_end(i, 0), _transition_end(i, 1)] }
    end
  end

  # Shared by Events and Feedback.
  module Store
    include Enumerable

    # The extension's count (the number of rows) becomes _count, so that
    # count with an argument or a block is Enumerable's (events.count { ... }).
    def self.included(base)
      base.send(:alias_method, :_count, :count)
      base.send(:remove_method, :count)
    end

    def count(*args, &block)
      args.empty? && !block ? _count : super
    end

    # The catalog the store's touchpoints belong to (borrowed; keeps the store alive).
    def catalog
      cat = _catalog
      cat.instance_variable_set(:@owner, self)
      cat
    end

    # :register (the default) or :reject unknown touchpoint ids.
    def unknown_policy=(policy)
      _set_unknown_policy(policy.to_s)
      @unknown_policy = policy.to_s
    end

    def unknown_policy
      @unknown_policy || "register"
    end

    def size
      _count
    end
    alias length size

    def to_a
      to_table.to_a
    end

    # Yield each row as a Touchpoint::Row (times as Time in UTC); the store is
    # Enumerable (events.select { |e| e[:touchpoint] == "cart" }).
    def each(&block)
      return enum_for(:each) { _count } unless block

      to_table.each(&block)
      self
    end
  end

  # Keeps the borrowed catalog alive as long as the store.
  module KeepsCatalog
    def initialize(catalog = nil)
      super
      @catalog_ref = catalog
    end
  end

  class Events
    include Store
    prepend KeepsCatalog

    # Read events from CSV (a path, or data: text); returns the ReadLog.
    # strict: true stops at the first bad row and adds nothing. threads: reads
    # a large input (1 MiB a thread or more) in pieces at once (0: one per
    # CPU); the result is the same whatever the count. max_input_bytes: (0,
    # the default: 4 GiB) a larger input raises LimitError, a pipe as soon as
    # it passes the limit. progress: true draws a line on $stderr; a block (or
    # progress: a Proc) gets |bytes_done, bytes_total, rows| about every 65,536
    # rows. Ctrl-C stops the read (Interrupt), as does anything the block
    # raises, and the store stays as it was.
    def read_csv(path = nil, data: nil, name: nil, strict: false, delimiter: ",",
                 epoch_unit: "auto", max_field_bytes: 0, max_input_bytes: 0, threads: 1, columns: nil,
                 progress: nil, &block)
      Convert.with_progress(progress, block, "reading #{name || path || 'data'}", "bytes") do |hook|
        _read("csv", path&.to_s, data, name, strict, delimiter, epoch_unit.to_s, max_field_bytes,
              max_input_bytes, Convert.threads_arg(threads), Convert.columns_arg(columns), hook)
      end
    end

    # Read events from JSON Lines; returns the ReadLog (progress: as read_csv).
    def read_jsonl(path = nil, data: nil, name: nil, strict: false, epoch_unit: "auto",
                   max_field_bytes: 0, max_input_bytes: 0, columns: nil, progress: nil, &block)
      Convert.with_progress(progress, block, "reading #{name || path || 'data'}", "bytes") do |hook|
        _read("jsonl", path&.to_s, data, name, strict, ",", epoch_unit.to_s, max_field_bytes,
              max_input_bytes, 1, Convert.columns_arg(columns), hook)
      end
    end

    # Append one event (time: Integer ms, String or Time).
    def append(customer, time, touchpoint, type: "interaction", value: 0.0)
      ms = Convert.times_first("Events#append") { Convert.to_ms(time) }
      _append(customer.to_s, touchpoint.to_s, ms, type.to_s, Float(value))
      self
    end

    # Append whole Arrays at once, all or none, in the order of Feedback#append_many.
    def append_many(customers, times, touchpoints, types: nil, values: nil)
      ms = Convert.times_first("Events#append_many") { Convert.time_column(times, "times") }
      _append_many(Convert.text_column(customers, "customers"), Convert.text_column(touchpoints, "touchpoints"),
                   ms, Convert.type_codes(types), values)
      self
    end

    # A new event log from whole Arrays.
    def self.from_arrays(customers, times, touchpoints, types: nil, values: nil, catalog: nil)
      new(catalog).append_many(customers, times, touchpoints, types: types, values: values)
    end
  end

  class Feedback
    include Store
    prepend KeepsCatalog

    # Read responses from CSV (a path, or data: text); returns the ReadLog.
    # redact: removes personal data from comments as they are read: true (all),
    # :email, :phone or an array of those (see Touchpoint.redact_text).
    # progress: and a block as in Events#read_csv.
    def read_csv(path = nil, data: nil, name: nil, strict: false, delimiter: ",",
                 epoch_unit: "auto", max_field_bytes: 0, max_input_bytes: 0, redact: nil,
                 threads: 1, columns: nil, progress: nil, &block)
      Convert.with_progress(progress, block, "reading #{name || path || 'data'}", "bytes") do |hook|
        _read(path&.to_s, data, name, strict, delimiter, epoch_unit.to_s, max_field_bytes,
              max_input_bytes, Convert.redact_arg(redact), Convert.threads_arg(threads),
              Convert.columns_arg(columns), hook)
      end
    end

    # Append one response (metric: nps, csat, ces, rating or audit:<item>).
    def append(customer, time, touchpoint, metric, score, weight: 1.0, comment: nil)
      _append(customer.to_s, Convert.to_ms(time), touchpoint.to_s, metric.to_s, Float(score),
              Float(weight), comment)
      self
    end

    # Append whole Arrays at once, all or none.
    def append_many(customers, times, touchpoints, metrics, scores, weights: nil, comments: nil)
      _append_many(Convert.text_column(customers, "customers"), Convert.time_column(times, "times"),
                   Convert.text_column(touchpoints, "touchpoints"), Convert.text_column(metrics, "metrics"), scores,
                   weights, Convert.text_column(comments, "comments"))
      self
    end

    # A new feedback set from whole Arrays.
    def self.from_arrays(customers, times, touchpoints, metrics, scores, weights: nil,
                         comments: nil, catalog: nil)
      new(catalog).append_many(customers, times, touchpoints, metrics, scores,
                               weights: weights, comments: comments)
    end
  end

  class ReadLog
    # Rejected rows as Hashes: file, line, offset, column, field, status, reason.
    def issues(&block)
      all = to_table.to_a
      block ? all.each(&block) : all
    end

    def inspect
      "#<Touchpoint::ReadLog read=#{rows_read} accepted=#{rows_accepted} rejected=#{rows_rejected}>"
    end
  end

  class Options
    # Options.new(level: 0.9, period: :week, ...)
    prepend(Module.new do
      def initialize(**options)
        super()
        update(**options)
      end
    end)

    # Set an option by name (number, true/false, String or Symbol).
    def set(name, value)
      return _set_lexicon_kept(value) if name.to_s == "lexicon"

      if _is_text(name.to_s)
        unless value.nil? || value.is_a?(String) || value.is_a?(Symbol)
          raise TypeError, "option #{name} takes a String or Symbol (an attribute name), not #{value.class}"
        end

        _set(name.to_s, value.to_s)
        return self
      end
      text = case value
             when true then "1"
             when false then "0"
             else value.to_s
             end
      _set(name.to_s, text)
      self
    end
    alias []= set

    def update(**options)
      options.each do |k, v|
        if %i[knockout knockouts].include?(k)
          Array(v).each { |item| add_knockout(item.to_s) }
        else
          set(k, v)
        end
      end
      self
    end

    # Every option as the library describes it (tp_option_at): Hashes with
    # :name, :type, :default, :doc, :min, :max, :min_open, :max_open, :nan_ok, :choices.
    def self.describe
      Array.new(Touchpoint._option_count) do |i|
        choices = []
        while (c = Touchpoint._option_choice(i, choices.size))
          choices << c
        end
        { name: Touchpoint._option_text(i, 0), type: Touchpoint._option_text(i, 1).to_sym,
          default: Touchpoint._option_text(i, 2), doc: Touchpoint._option_text(i, 3),
          min: Touchpoint._option_number(i, 0), max: Touchpoint._option_number(i, 1),
          min_open: Touchpoint._option_number(i, 2) == 1, max_open: Touchpoint._option_number(i, 3) == 1,
          nan_ok: Touchpoint._option_number(i, 4) == 1, choices: choices }
      end
    end

    # Read an option by name (Integer for integer options, String for text
    # ones such as breakdown, Float otherwise).
    def get(name)
      return _get_text(name.to_s) if _is_text(name.to_s)

      v = _get(name.to_s)
      _is_int(name.to_s) ? v.to_i : v
    end
    alias [] get

    private

    def _set_lexicon_kept(lexicon)
      _set_lexicon(lexicon)
      @lexicon = lexicon
      self
    end
  end

  class Filter
    # Filter.new(since:, until:, segment:, stage:, channel:, touchpoint:): each part
    # one value or an Array; the parts are the library's (Filter#set by name).
    prepend(Module.new do
      def initialize(**parts)
        super()
        bounds = { since: parts.delete(:since), until: parts.delete(:until) }.compact
        if bounds[:since].is_a?(Range)
          raise ArgumentError, "give since: a Range or since: and until:, not both" if bounds.key?(:until)

          bounds = %i[since until].zip(Convert.time_window(bounds[:since])).to_h.compact
        end
        bounds.transform_values! { |v| Convert.time_bound(v) }
        ms = bounds.select { |_, v| v.is_a?(Integer) }
        set_time_range(ms.fetch(:since, -2**63), ms.fetch(:until, 2**63 - 1)) unless ms.empty?
        bounds.each { |k, v| set(k.to_s, v) if v.is_a?(String) }
        parts.each do |k, v|
          part = [k.to_s, k.to_s.delete_suffix("s")].find { |n| FILTER_NAMES.include?(n) }
          raise ArgumentError, "Filter: unknown keyword #{k} (keys: #{FILTER_NAMES.join(', ')})" unless part

          Array(v).each { |item| set(part, item.to_s) }
        end
      end
    end)
  end

  class Lexicon
    def self.default
      default_lexicon
    end

    # [kind, value] of a term; raises NotFoundError when missing.
    def lookup(term)
      [lookup_kind(term), lookup_value(term)]
    end

    alias length size
  end

  class Funnel
    # Funnel.new("website, cart?, online-checkout (conversion)<2d", window: "7d", mode: :strict,
    #            exclude: ["support", "(exit)"])
    # Steps as one text, or an Array of step texts ("cart?", "(conversion)": a purchase
    # anywhere) and [step, optional, window] arrays.
    prepend(Module.new do
      def initialize(steps = nil, window: nil, mode: "loose", exclude: [])
        super()
        case steps
        when String then parse(steps)
        when Array
          steps.each.with_index(1) do |s, i|
            case s
            when String, Symbol then add_step(s.to_s)
            when Array
              unless (1..3).cover?(s.size) && (s[0].is_a?(String) || s[0].is_a?(Symbol))
                raise TypeError, "Funnel: step #{i} is #{s.inspect}; a step is text or [step, optional, window]"
              end
              add_step(s[0].to_s, s[1] || false, Convert.to_duration_ms(s[2]))
            else
              raise TypeError, "Funnel: step #{i} is #{s.inspect}; a step is text ('cart?', '(conversion)') " \
                               "or [step, optional, window]"
            end
          end
        when nil
        else raise TypeError, "Funnel: steps are text or an Array, not #{steps.class}"
        end
        set_window(Convert.to_duration_ms(window)) if window
        set_mode(mode.to_s)
        Array(exclude).each { |e| add_exclusion(e.to_s) }
      end
    end)

    alias size step_count

    # [steps, dropoffs] over the events.
    def run(events, **kw)
      _run(events, Convert.analysis_keywords(kw))
    end
  end

  class Conformer
    prepend(Module.new do
      def initialize(catalog, map_id, **options)
        super(catalog, map_id.to_s, Convert.analysis_keywords(options))
      end
    end)

    # Feed one event (times in order per customer).
    def add(customer, time, touchpoint, type = "interaction")
      _add(customer.to_s, Convert.to_ms(time), touchpoint.to_s, type.to_s)
      self
    end
  end

  class Paths
    class << self
      alias_method :_from_events, :from_events

      # One path per journey of the events.
      def from_events(events, **kw)
        _from_events(events, Convert.analysis_keywords(kw))
      end
    end

    def read_csv(path = nil, data: nil, name: nil, separator: nil, strict: false, delimiter: ",",
                 max_field_bytes: 0, max_input_bytes: 0, threads: 1, progress: nil, &block)
      Convert.with_progress(progress, block, "reading #{name || path || 'data'}", "bytes") do |hook|
        _read(path&.to_s, data, name, separator, strict, delimiter, max_field_bytes, max_input_bytes,
              Convert.threads_arg(threads), hook)
      end
    end

    alias size count
    alias length count
  end

  # A mergeable partial aggregate (scorecard, transitions, variants): add
  # partitions, merge, send as bytes, finalize into the analysis's Table.
  class Aggregate
    # Add one partition (filter keywords and options as for the analysis); returns self.
    def add(events = nil, feedback = nil, **kw)
      _add(events, feedback, Convert.analysis_keywords(kw))
      self
    end

    # Add a Paths set (markov and shapley); returns self.
    def add_paths(paths, **kw)
      _add_paths(paths, Convert.analysis_keywords(kw))
      self
    end

    # Add one partition to a funnel aggregate (a Funnel); returns self.
    def add_funnel(events, funnel, **kw)
      _add_funnel(events, funnel, Convert.analysis_keywords(kw))
      self
    end

    # The aggregate in its versioned binary form (a binary String).
    def to_bytes
      _serialize
    end

    # An aggregate from bytes made by to_bytes (Touchpoint::ParseError if not).
    def self.from_bytes(data)
      _deserialize(data)
    end

    # The result Table; catalog: the one the partitions were read against.
    def finalize(catalog, **kw)
      _finalize(catalog, Convert.analysis_keywords(kw))
    end

    # A new aggregate: self merged with other.
    def +(other)
      Aggregate.from_bytes(to_bytes).tap { |a| a.merge(other) }
    end

    def inspect
      "#<Touchpoint::Aggregate #{kind}#{empty? ? ' (empty)' : ''}>"
    end
  end

  # ---- Analyses ------------------------------------------------------------------

  # One analysis as the library describes it (Touchpoint.analyses).
  Analysis = Struct.new(:name, :doc, :needs, :takes, :filtered, :options, :params, :tables, :agg_kind)
  # One parameter of an analysis: type "text", "choice" or "duration"; default nil when none.
  AnalysisParam = Struct.new(:name, :type, :choices, :required, :positional, :list, :default, :doc)
  # One table an analysis returns, with the columns it always has.
  AnalysisTable = Struct.new(:name, :columns, :doc)

  # The library's registry, read once.
  module Registry
    module_function

    def list
      out = []
      loop do
        v = yield(out.size)
        break if v.nil?

        out << v
      end
      out.freeze
    end

    def param(i, k)
      flags = Touchpoint._analysis_param_flags(i, k)
      AnalysisParam.new(Touchpoint._analysis_param_text(i, k, 0), Touchpoint._analysis_param_text(i, k, 1),
                        list { |c| Touchpoint._analysis_param_choice(i, k, c) },
                        flags.anybits?(Touchpoint::PARAM_REQUIRED), flags.anybits?(Touchpoint::PARAM_POSITIONAL),
                        flags.anybits?(Touchpoint::PARAM_LIST),
                        Touchpoint._analysis_param_text(i, k, 2), Touchpoint._analysis_param_text(i, k, 3)).freeze
    end

    def analysis(i)
      n = ->(field) { Touchpoint._analysis_number(i, field) }
      Analysis.new(Touchpoint._analysis_text(i, 0), Touchpoint._analysis_text(i, 1), n[0], n[1], n[2] == 1,
                   Array.new(n[3]) { |k| Touchpoint._analysis_option(i, k) }.freeze,
                   Array.new(n[4]) { |k| param(i, k) }.freeze,
                   Array.new(n[5]) do |k|
                     AnalysisTable.new(Touchpoint._analysis_output_text(i, k, 0),
                                       list { |c| Touchpoint._analysis_output_column(i, k, c) },
                                       Touchpoint._analysis_output_text(i, k, 1)).freeze
                   end.freeze, n[6]).freeze
    end

    OPTION_NAMES = Array.new(Touchpoint._option_count) { |i| Touchpoint._option_text(i, 0) }.freeze
    ALL = Array.new(Touchpoint._analysis_count) { |i| analysis(i) }.to_h { |a| [a.name, a] }.freeze

    # The names of an analysis's inputs, and how many of them must be given.
    def inputs(a)
      return [%i[data], 1] if a.takes.anybits?(Touchpoint::INPUT_PATHS)
      return [%i[events feedback], 0] if a.takes.anybits?(Touchpoint::INPUT_FEEDBACK)

      [%i[events], 1]
    end

    def check_input(a, what, value, *classes)
      return if value.nil? || classes.any? { |c| value.is_a?(c) }

      raise TypeError, "#{a.name}: #{what} must be a #{classes.map { |c| c.name }.join(' or ')}, not #{value.class}"
    end

    # Run analysis a with the caller's positional and keyword arguments.
    def call(a, args, kw, &block)
      names, required = inputs(a)
      positional = a.params.select(&:positional)
      most = names.size + positional.size
      least = required + positional.count { |p| p.required && !kw.key?(p.name.to_sym) }
      if args.size < least || args.size > most
        raise ArgumentError, "#{a.name}: wrong number of arguments (given #{args.size}, expected " \
                             "#{least}..#{most})"
      end
      inputs = names.zip(args).to_h
      kw = kw.dup
      positional.each_with_index { |p, k| kw[p.name.to_sym] = args[names.size + k] if args.size > names.size + k }
      events = feedback = paths = nil
      if names == %i[data]
        check_input(a, "data", inputs[:data], Events, Paths)
        inputs[:data].is_a?(Paths) ? paths = inputs[:data] : events = inputs[:data]
        raise TypeError, "#{a.name}: data must be a Touchpoint::Events or Touchpoint::Paths, not nil" if inputs[:data].nil?
      else
        events = inputs[:events]
        feedback = inputs[:feedback]
        check_input(a, "events", events, Events)
        check_input(a, "feedback", feedback, Feedback)
      end
      unread = kw.keys.map(&:to_s).find { |k| OPTION_NAMES.include?(k) && !a.options.include?(k) }
      if unread
        raise InvalidArgumentError, "#{a.name} does not read the option #{unread} " \
                                    "(it reads: #{a.options.empty? ? 'none' : a.options.join(', ')})"
      end
      kw = kw.to_h { |k, v| [k, v.is_a?(Symbol) ? v.to_s : v] }
      progress = kw.delete(:progress)
      tables = Convert.with_progress(progress, block, a.name) do |hook|
        kw[:progress] = hook if hook
        Touchpoint._run(a.name, events, feedback, paths, Convert.analysis_keywords(kw))
      end
      tables = tables.first(a.tables.size)
      tables.size == 1 ? tables[0] : tables
    end
  end
  private_constant :Registry

  # Every analysis of the library by name: Analysis structs (doc, inputs, the
  # options it reads, its parameters, the tables it returns).
  def analyses = Registry::ALL

  Registry::ALL.each_value do |a|
    define_method(a.name) { |*args, **kw, &block| Registry.call(a, args, kw, &block) }
    module_function a.name.to_sym
  end

  # ---- The CX report ---------------------------------------------------------------

  # One headline finding of a report; value is nil when the finding names no number.
  Finding = Struct.new(:key, :heading, :subject, :value, :text)
  # One chart a report draws.
  ChartInfo = Struct.new(:name, :doc)

  # The charts a report draws, in the order of the page.
  def charts
    Array.new(_report_chart_count) { |i| ChartInfo.new(_report_chart_name(i), _report_chart_doc(i)).freeze }
  end

  # One chart of a report: a standalone SVG document (its style inside).
  class Chart
    attr_reader :name, :svg

    def initialize(name, svg)
      @name = name
      @svg = svg
    end

    def to_s = svg
    def inspect = "#<Touchpoint::Chart #{name} (#{svg.bytesize} bytes of SVG)>"

    # Write the SVG to path atomically.
    def save(path)
      Touchpoint._file_write(Convert.path(path, "Chart#save"), svg)
      self
    end
  end

  class Report
    # Report.new(events, feedback = nil, title:, source:, funnel:, read_log:, credit_by:, **filter_and_options)
    prepend(Module.new do
      def initialize(events, feedback = nil, title: nil, source: nil, funnel: nil, read_log: nil,
                     credit_by: nil, **kw)
        raise TypeError, "report: events must be a Touchpoint::Events, not #{events.class}" unless events.is_a?(Events)
        unless feedback.nil? || feedback.is_a?(Feedback)
          raise TypeError, "report: feedback must be a Touchpoint::Feedback or nil, not #{feedback.class}"
        end
        unless read_log.nil? || read_log.is_a?(ReadLog)
          raise TypeError, "report: read_log: takes the Touchpoint::ReadLog of a read, not #{read_log.class}"
        end

        funnel = case funnel
                 when nil, Funnel then funnel
                 when String, Array then Funnel.new(funnel)
                 else raise TypeError, "report: funnel: takes a Touchpoint::Funnel, steps text or an Array, not #{funnel.class}"
                 end
        progress = kw.delete(:progress)
        Convert.with_progress(progress, nil, "report") do |hook|
          kw[:progress] = hook if hook
          super(events, feedback, Convert.analysis_keywords(kw), title&.to_s, source&.to_s, funnel,
                read_log, credit_by&.to_s)
        end
      end
    end)

    # The whole HTML page.
    def html = render("html")
    # The JSON form, as text.
    def json = render("json")
    # The findings as text lines.
    def text = render("text")
    alias to_s text

    # The JSON form as Ruby data (symbol keys with symbolize_names: true).
    def to_h(symbolize_names: false)
      require "json"
      JSON.parse(json, symbolize_names: symbolize_names)
    end

    # The headline findings, as Finding structs.
    def findings
      _findings.map { |r| Finding.new(r["key"], r["heading"], r["subject"], r["value"], r["text"]).freeze }
    end

    # One chart (see Touchpoint.charts) as a Chart.
    def chart(name) = Chart.new(name.to_s, _chart(name.to_s))

    # Write the report to path atomically: form :html (default), :json, :text or
    # :fragment; without form, a path ending in .json or .txt picks it.
    def save(path, form: nil)
      _save(Convert.path(path, "Report#save"), form&.to_s)
      self
    end

    def inspect = "#<Touchpoint::Report #{findings.first&.text}>"
  end

  # The CX report of events and feedback (keywords as for Report.new).
  def report(events, feedback = nil, **kw) = Report.new(events, feedback, **kw)

  # One chart of the report of events and feedback (names: Touchpoint.charts).
  def chart(name, events, feedback = nil, **kw) = Report.new(events, feedback, **kw).chart(name)

  # A Float for one String, a Table (text, compound, label, terms) for an Array.
  def sentiment(texts, lexicon: nil)
    unless lexicon.nil? || lexicon.is_a?(Lexicon)
      raise TypeError, "sentiment: lexicon: takes a Touchpoint::Lexicon, not #{lexicon.class}"
    end

    lex = lexicon || (@default_lexicon ||= Lexicon.default)
    texts.is_a?(String) ? lex.score(texts) : lex.table(Convert.items(texts, "texts"))
  end

  def nps_estimate(promoters, passives, detractors, level: 0.95)
    Estimate.new(*_nps_estimate(promoters, passives, detractors, level))
  end

  def csat_estimate(satisfied, n, level: 0.95) = Estimate.new(*_csat_estimate(satisfied, n, level))
  def mean_estimate(values, level: 0.95) = Estimate.new(*_mean_estimate(values, level))

  # ---- Sample data -------------------------------------------------------------------

  # Directory of the bundled sample data set.
  def sample_dir
    dirs = [ENV.fetch("TOUCHPOINT_SAMPLE_DIR", nil), *_sample_dirs.split(":")].compact.reject(&:empty?)
    dirs.find { |d| File.exist?(File.join(d, "events.csv")) } or
      raise FileError, "the sample data set is not installed (looked in #{dirs.join(', ')})"
  end

  # [catalog, events, feedback] of the sample data; yields them with a block.
  def load_sample(strict: true)
    d = sample_dir
    catalog = Catalog.load(File.join(d, "catalog.json"))
    events = Events.new(catalog)
    events.read_csv(File.join(d, "events.csv"), strict: strict)
    feedback = Feedback.new(catalog)
    feedback.read_csv(File.join(d, "feedback.csv"), strict: strict)
    block_given? ? yield(catalog, events, feedback) : [catalog, events, feedback]
  end

  # ---- What each object holds, for inspect and irb ------------------------------
  module Store
    def inspect
      attrs = Array.new(attribute_count) { |i| attribute_name(i) }
      who = respond_to?(:customer_count) ? " from #{customer_count} customers" : ""
      "#<#{self.class.name} #{size} rows#{who}#{attrs.empty? ? '' : "; attributes: #{attrs.join(', ')}"}>"
    end
  end

  class Catalog
    def inspect
      "#<Touchpoint::Catalog #{touchpoint_count} touchpoints in #{stage_count} stages, " \
        "#{journey_map_count} journey maps, #{funnel_count} funnels>"
    end
  end

  class JourneyMap
    def inspect = "#<Touchpoint::JourneyMap #{id}: #{stage_count} stages, #{transition_count} transitions>"
  end

  class Paths
    def inspect = "#<Touchpoint::Paths #{count} paths>"
  end

  class Funnel
    def inspect = "#<Touchpoint::Funnel #{step_count} steps>"
  end

  [Filter, Options, Lexicon, Conformer].each do |klass|
    klass.define_method(:inspect) { "#<#{klass.name}>" }
  end
end
