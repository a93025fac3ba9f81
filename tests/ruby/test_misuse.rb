# frozen_string_literal: true

# No call can crash the interpreter: wrong types, nil and swapped stores raise
# clear exceptions (misuse_sweep.rb calls everything the module offers).
require "minitest/autorun"
require "open3"
require "rbconfig"
require "tmpdir"
require "touchpoint"

class TestMisuse < Minitest::Test
  SWEEP = File.expand_path("misuse_sweep.rb", __dir__)

  def test_sweep_of_every_method
    Dir.mktmpdir do |dir|
      log = File.join(dir, "calls.log")
      out, err, status = Open3.capture3(RbConfig.ruby, SWEEP, log, dir)
      if status.signaled?
        flunk "ruby died of signal #{status.termsig} during #{File.readlines(log).last}\n#{err[-3000..] || err}"
      end
      bad = out.lines.grep(/^BAD/)
      assert status.success? && bad.empty?, bad.first(40).join + err[-3000..].to_s
      assert_operator out[/calls (\d+)/, 1].to_i, :>, 50_000 # the sweep really ran
    end
  end

  def stores
    cat = Touchpoint::Catalog.default
    events = Touchpoint::Events.new(cat).append("c1", 0, "website")
    feedback = Touchpoint::Feedback.new(cat).append("c1", 1000, "website", "nps", 9)
    [events, feedback]
  end

  def test_wrong_types_name_the_parameter
    events, feedback = stores
    {
      -> { Touchpoint.scorecard(feedback, events) } => "scorecard: events must be a Touchpoint::Events, not Touchpoint::Feedback",
      -> { Touchpoint.journeys("x") } => "journeys: events must be a Touchpoint::Events, not String",
      -> { Touchpoint.hotspots(1, 2) } => "events must be a Touchpoint::Events, not Integer",
      -> { Touchpoint::Aggregate.new("transitions").add("x") } => "events must be a Touchpoint::Events",
      -> { Touchpoint::Events.new(events) } => "catalog must be a Touchpoint::Catalog, not Touchpoint::Events",
      -> { events.append_many("c1", [0], ["website"]) } => "customers: expected an Array, not String",
      -> { Touchpoint.sentiment("fine", lexicon: "en") } => "lexicon: takes a Touchpoint::Lexicon"
    }.each do |call, words|
      e = assert_raises(TypeError) { call.call }
      assert_includes e.message, words
    end
  end

  # Every option the library describes is settable and readable under its name.
  def test_registry_reaches_every_option_by_its_name
    described = Touchpoint::Options.describe
    assert_operator described.size, :>=, 29
    described.each do |o|
      opts = Touchpoint::Options.new(o[:name].to_sym => o[:default])
      got = opts[o[:name]]
      want = Touchpoint::Options.new[o[:name]]
      assert(got == want || (got.is_a?(Float) && got.nan? && want.nan?), o[:name])
      next if o[:choices].empty?

      assert_equal o[:choices].size - 1, Touchpoint::Options.new(o[:name].to_sym => o[:choices].last.to_sym)[o[:name]]
    end
    assert_equal 4, Touchpoint::Options.new(threads: 4)[:threads]
    e = assert_raises(Touchpoint::InvalidArgumentError) { Touchpoint::Options.new(halflife: "7d") }
    assert_includes e.message, "did you mean 'half_life'"
    e = assert_raises(ArgumentError) { Touchpoint::Filter.new(stag: "during") }
    assert_includes e.message, "keys: since, until, segment, stage, channel, touchpoint"
    Touchpoint::Filter.new(stages: %w[during after], segment: "tier=gold")
  end

  def test_conversion_helpers_are_not_part_of_the_module
    %i[to_ms analysis_keywords text_column type_codes redact_arg paths_and_options].each do |name|
      refute_respond_to Touchpoint, name
    end
    assert_raises(NameError) { Touchpoint::Convert }
  end
end
