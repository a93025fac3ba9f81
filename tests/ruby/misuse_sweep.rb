# frozen_string_literal: true

# Call everything the Touchpoint module offers the way users misuse it.
#
# Run as a child process by test_misuse.rb (a crash must not take the test run
# with it). Every module function of Touchpoint, every class it defines and
# every public method of those classes (singleton and instance, sugar and
# generated alike) is taken from the module itself and called with wrong-typed
# arguments, nil, swapped stores and bad keyword values. Each call must return
# or raise TypeError, ArgumentError, RangeError, IndexError or a
# Touchpoint::Error.
#
# Usage: ruby misuse_sweep.rb LOG SCRATCH_DIR. Before each call its description
# is written to LOG, so the parent can name the call that killed the process;
# each call that raises anything else prints one line "BAD <call>: <exception>".
require "set"
require "touchpoint"

ALLOWED = [TypeError, ArgumentError, RangeError, IndexError, Touchpoint::Error].freeze

EVENTS_CSV = <<~CSV
  customer_id,timestamp,touchpoint,type,value,tier
  c1,2026-03-01T10:00:00Z,website,,,gold
  c1,2026-03-01T10:05:00Z,cart,,,gold
  c1,2026-03-01T10:09:00Z,online-checkout,conversion,12.5,gold
  c2,2026-03-02T09:00:00Z,website,,,silver
  c2,2026-03-02T09:30:00Z,store,exit,,silver
CSV

# One small, valid object of every class, by class name.
def live_objects
  cat = Touchpoint::Catalog.default
  events = Touchpoint::Events.new(cat)
  report = events.read_csv(data: EVENTS_CSV, name: "events.csv")
  feedback = Touchpoint::Feedback.new(cat)
  feedback.append("c1", "2026-03-01T10:10:00Z", "online-checkout", "nps", 9, comment: "quick")
  feedback.append("c2", "2026-03-02T09:40:00Z", "store", "csat", 2, comment: "slow queue")
  map = cat.journey_map_at(0)
  {
    "Catalog" => cat, "JourneyMap" => map, "Events" => events, "Feedback" => feedback,
    "ReadLog" => report, "Table" => Touchpoint.transitions(events),
    "Filter" => Touchpoint::Filter.new(stage: "during"), "Options" => Touchpoint::Options.new(level: 0.9),
    "Lexicon" => Touchpoint::Lexicon.default, "Funnel" => Touchpoint::Funnel.new("website, cart"),
    "Conformer" => Touchpoint::Conformer.new(cat, map.id), "Paths" => Touchpoint::Paths.from_events(events),
    "Aggregate" => Touchpoint::Aggregate.new("transitions"), "Row" => Touchpoint.transitions(events).first,
    "Report" => Touchpoint.report(events, feedback), "Chart" => Touchpoint.chart(:funnel, events, feedback)
  }
end

# The classes the module wraps (not its exceptions or plain structs).
def wrapped_classes
  Touchpoint.constants.map { |c| Touchpoint.const_get(c) }
            .select { |k| k.is_a?(Class) && !(k <= Exception) && !(k <= Struct) }
            .to_h { |k| [k.name.split("::").last, k] }
end

BAD_KEYWORDS = {
  since: [Object.new, [Object.new], "\xff".b, 2**70, Float::NAN, "", "2026-02-30"],
  until: [Object.new, "someday", -2**70],
  segment: [Object.new, { tier: Object.new }, "=", "tier", ["tier=gold", 3]],
  stage: [3, Object.new, [nil]],
  filter: ["x", 3, Object.new],
  options: ["x", {}, Object.new],
  lexicon: ["x", Object.new],
  level: ["high", 2.0, -1, Float::NAN, Object.new],
  order: [0, 2**70, "two", 1.5],
  timeout: ["30days", -5, Object.new],
  knockout: [3, [Object.new], ""],
  threads: [-1, 10**6, "many", "2", 2.5, true],
  colour: ["red"]
}.freeze

class Sweep
  attr_reader :calls, :bad

  def initialize(log_path)
    @log = File.open(log_path, "w")
    @log.sync = true
    @rng = Random.new(20_261_202)
    @calls = 0
    @bad = 0
    @seen = Set.new
  end

  def describe(args)
    "(" + args.map do |a|
      a.class.name&.start_with?("Touchpoint::") ? "<#{a.class.name}>" : a.inspect[0, 40]
    end.join(", ") + ")"
  end

  # A message speaks of what the caller wrote, never of a C function.
  def speaks_ruby(label, args, kw, err)
    name = err.message.scrub[/\btpb?_[a-z0-9_]+/]
    return unless name && @seen.add?(err.message)

    @bad += 1
    puts "BAD #{label}#{describe(args)} #{kw.keys}: names the C function #{name}: " \
         "#{err.message.split.join(' ')[0, 160]}"
  end

  def call(label, args = [], kw = {})
    @log.puts("#{label}#{describe(args)} #{kw.keys}")
    @calls += 1
    begin
      kw.empty? ? yield(*args) : yield(*args, **kw)
    rescue *ALLOWED => e
      speaks_ruby(label, args, kw, e)
    rescue Exception => e # rubocop:disable Lint/RescueException
      @bad += 1
      puts "BAD #{label}#{describe(args)} #{kw.keys}: #{e.class}: #{e.message.split.join(' ')[0, 160]}"
    end
  end

  # Each position with each pool value (the rest drawn from the pool), the same
  # value everywhere, then random draws.
  def positional(label, arities, pool, &fn)
    arities.each do |n|
      pool.each { |v| call(label, [v] * n, &fn) }
      n.times do |i|
        pool.each do |v|
          args = Array.new(n) { pool.sample(random: @rng) }
          args[i] = v
          call(label, args, &fn)
        end
      end
      20.times { call(label, Array.new(n) { pool.sample(random: @rng) }, &fn) }
    end
  end

  def keywords(label, nargs, live, &fn)
    stores = [live["Events"], live["Feedback"], live["Paths"], nil, "x"]
    BAD_KEYWORDS.each do |key, values|
      values.each { |v| call(label, Array.new(nargs) { stores.sample(random: @rng) }, { key => v }, &fn) }
    end
  end
end

# Positional arities to try, and whether the method takes keywords.
def arities(method)
  params = method.parameters
  req = params.count { |kind, _| kind == :req }
  opt = params.count { |kind, _| kind == :opt }
  rest = params.any? { |kind, _| kind == :rest }
  has_kw = params.any? { |kind, _| %i[key keyreq keyrest].include?(kind) }
  top = [req + opt + (rest ? 2 : 1), 5].min
  [([req - 1, 0].max..top), has_kw]
end

def pool_for(live)
  [nil, "x", "", "website", :website, 0, 1, -1, 2**70, -2**70, 1.5, Float::NAN, Float::INFINITY,
   true, false, "\xff\xfe".b, [], ["x", nil], [1, 2], [[1, 2]], {}, { since: Object.new },
   Object.new, Time.at(0), 1r, (1..2)] + live.values
end

# Methods that are Ruby's, not the binding's: those of every Object, and
# Enumerable's (Table#reduce without a block is Ruby's LocalJumpError).
OBJECT_METHODS = (Object.public_instance_methods + Enumerable.public_instance_methods + %i[to_s inspect]).freeze

def main
  Dir.chdir(ARGV.fetch(1)) # writes by mistake ("x") land in a scratch folder
  sweep = Sweep.new(ARGV.fetch(0))
  live = live_objects
  classes = wrapped_classes
  missing = classes.keys - live.keys
  unless missing.empty?
    puts "BAD no live object for the classes #{missing}: add one to live_objects"
    exit 1
  end
  pool = pool_for(live)

  Touchpoint.singleton_methods.sort.each do |name|
    m = Touchpoint.method(name)
    range, has_kw = arities(m)
    sweep.positional("Touchpoint.#{name}", range, pool) { |*a, **k| m.call(*a, **k) }
    sweep.keywords("Touchpoint.#{name}", [range.first + 1, 1].max, live) { |*a, **k| m.call(*a, **k) } if has_kw
  end

  classes.sort.each do |cname, klass|
    (klass.singleton_methods - Object.singleton_methods).sort.each do |name|
      m = klass.method(name)
      range, has_kw = arities(m)
      label = "#{cname}.#{name}"
      sweep.positional(label, range, pool) { |*a, **k| m.call(*a, **k) }
      sweep.keywords(label, [range.first, 1].max, live) { |*a, **k| m.call(*a, **k) } if has_kw
    end
    sweep.positional("#{cname}.new", 0..4, pool) { |*a, **k| klass.new(*a, **k) }
    (klass.public_instance_methods - OBJECT_METHODS).sort.each do |name|
      label = "#{cname}##{name}"
      range, has_kw = arities(klass.instance_method(name))
      obj = live_objects[cname] # a fresh one per method: a call may change it
      sweep.positional(label, range, pool) { |*a, **k| obj.public_send(name, *a, **k) }
      sweep.keywords(label, [range.first, 1].max, live) { |*a, **k| obj.public_send(name, *a, **k) } if has_kw
    end
    # inspect and to_s never raise
    obj = live_objects[cname]
    %i[inspect to_s].each do |show|
      text = obj.public_send(show)
      unless text.is_a?(String) && !text.empty?
        sweep.instance_variable_set(:@bad, sweep.bad + 1)
        puts "BAD #{cname}##{show} gave #{text.inspect}"
      end
    end
  end
  puts "calls #{sweep.calls}, bad #{sweep.bad}"
  exit(sweep.bad.zero? ? 0 : 1)
end

main
