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
    events = Touchpoint::Events.new(cat).append("c1", "website", 0)
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
      -> { events.append_many("c1", ["website"], [0]) } => "customers: expected an Array, not String",
      -> { Touchpoint.sentiment("fine", lexicon: "en") } => "lexicon: takes a Touchpoint::Lexicon"
    }.each do |call, words|
      e = assert_raises(TypeError) { call.call }
      assert_includes e.message, words
    end
  end

  def test_conversion_helpers_are_not_part_of_the_module
    %i[to_ms analysis_keywords text_column type_codes redact_arg paths_and_options].each do |name|
      refute_respond_to Touchpoint, name
    end
    assert_raises(NameError) { Touchpoint::Convert }
  end
end
