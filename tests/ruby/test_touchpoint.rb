# frozen_string_literal: true

# Minitest suite of the Ruby binding: every class and analysis, agreement with
# the C tool, exceptions and memory.
require "minitest/autorun"
require "set"
require "json"
require "open3"
require "pathname"
require "tmpdir"
require "touchpoint"

DATA = File.expand_path("../data", __dir__)

module SampleData
  def sample
    @@sample ||= Touchpoint.load_sample # rubocop:disable Style/ClassVars
  end
end

class TestTable < Minitest::Test
  def table
    t = Touchpoint::Table.new
    t.add_column("name", "string")
    t.add_column("n", "int64")
    t.add_column("x", "double")
    [["a", 1, 0.5], ["b", nil, 2.25], [nil, 3, nil]].each_with_index do |(name, n, x), i|
      t.append_row
      t.set_string(i, 0, name) if name
      t.set_int64(i, 1, n) if n
      t.set_double(i, 2, x) if x
    end
    t
  end

  def test_enumerable_rows_and_columns
    t = table
    assert_equal 3, t.size
    assert_equal %w[name n x], t.columns
    assert_equal [1, nil, 3], t.column("n")
    assert_equal [0.5, 2.25, nil], t[:x]
    assert_equal({ "name" => "b", "n" => nil, "x" => 2.25 }, t[1])
    assert_equal t.to_a, t.map { |row| row }
    assert_equal %w[a b], t.select { |r| r["name"] }.map { |r| r["name"] }
    assert t.null?(1, 1)
    refute t.null?(0, 1)
    assert_equal "name,n,x\na,1,0.5\nb,,2.25\n,3,\n", t.to_csv
    assert_equal({ "name" => "string", "n" => "int64", "x" => "double" }, t.dtypes)
    assert_equal Encoding::UTF_8, t.column("name").first.encoding
    assert_raises(IndexError) { t[3] }
  end

  def test_long_text_wraps_in_text_and_stays_whole_in_wide
    t = Touchpoint::Table.new
    t.add_column("path", "string")
    t.append_row
    path = (%w[store-signage sales-staff point-of-sale] * 3).join(" > ")
    t.set_string(0, 0, path)
    lines = t.format("text").lines.map(&:strip)
    assert_operator lines.size, :>, 2
    assert_equal path, lines.drop(1).join(" ")
    assert_equal path, t.format("wide").lines[1].chomp
    assert_raises(Touchpoint::InvalidArgumentError) { t.format("wdie") }
  end
end

class TestCatalog < Minitest::Test
  def test_build_read_back_and_maps
    c = Touchpoint::Catalog.new
    c.add_touchpoint("store", name: "Store", stage: "during", kind: :physical, weight: 2)
    c.add_touchpoint("parking", stage: "during", parent: "store")
    assert_equal 2, c.size
    assert c.include?("parking")
    refute c.include?("garage")
    assert_equal "store", c.touchpoint("parking")["parent"]
    assert_equal 2.0, c.touchpoint(0)["weight"]
    m = Touchpoint::JourneyMap.new("visit")
    m.add_stage("in store", %w[parking store])
    m.allow("parking", "store")
    c.add_journey_map(m)
    copy = c.journey_map("visit")
    assert_equal [["in store", %w[parking store]]], copy.stages
    assert_equal [%w[parking store]], copy.transitions
    assert copy.allows?("parking", "store")
    back = Touchpoint::Catalog.parse_json(c.to_json)
    assert_equal c.touchpoints, back.touchpoints
    names = []
    c.touchpoints { |tp| names << tp["id"] }
    assert_equal %w[store parking], names
    assert_equal %w[online-purchase], Touchpoint::Catalog.default.journey_maps.map(&:id)
  end
end

class TestData < Minitest::Test
  CSV = "customer_id,timestamp,touchpoint,type,value\n" \
        "c1,2026-01-01T10:00:00Z,website,,\n" \
        "c1,2026-01-01T10:09:00Z,online-checkout,conversion,40.5\n" \
        "c2,2026-01-02T09:00:00Z,website,,\n"

  def test_read_append_and_bulk_arrays_agree
    read = Touchpoint::Events.new
    report = read.read_csv(data: CSV, name: "visits.csv")
    assert_equal [3, 3, 0], [report.rows_read, report.rows_accepted, report.rows_rejected]
    one = Touchpoint::Events.new
    one.append("c1", "2026-01-01T10:00:00Z", "website")
    one.append("c1", Time.utc(2026, 1, 1, 10, 9), "online-checkout", type: :conversion, value: 40.5)
    one.append("c2", Touchpoint.parse_time("2026-01-02T09:00:00Z", "auto"), "website")
    bulk = Touchpoint::Events.from_arrays(%w[c1 c1 c2],
                                          [Touchpoint.parse_time("2026-01-01T10:00:00Z", "auto"),
                                           Time.utc(2026, 1, 1, 10, 9), "2026-01-02T09:00:00Z"],
                                          %w[website online-checkout website],
                                          types: %w[interaction conversion interaction],
                                          values: [0, 40.5, 0])
    assert_equal read.to_a, one.to_a
    assert_equal read.to_a, bulk.to_a
    assert_equal 2, bulk.customer_count
    assert_equal "conversion", bulk.type(1)
  end

  def test_reading_on_threads_gives_the_same_store
    csv = +"customer_id,timestamp,touchpoint,type,segment\n"
    80_000.times do |i|
      tp = (i % 47).zero? ? "kiosk-#{i % 13}" : "website"
      csv << "c#{i * 7919 % 3001},#{1_700_000_000_000 + i * 977},#{tp},#{(i % 9).zero? ? 'exit' : ''},s#{i % 3}\n"
    end
    csv << "c1,never,website,,s1\n"
    assert csv.bytesize > 2 << 20
    one = Touchpoint::Events.new
    r1 = one.read_csv(data: csv, name: "big.csv")
    two = Touchpoint::Events.new
    r2 = two.read_csv(data: csv, name: "big.csv", threads: 2)
    assert_equal one.to_table.to_csv, two.to_table.to_csv
    assert_equal r1.to_table.to_csv, r2.to_table.to_csv
    assert_equal [80_001, 1], [r2.rows_read, r2.rows_rejected]
    assert_raises(Touchpoint::InvalidArgumentError) { Touchpoint::Events.new.read_csv(data: csv, threads: -2) }
    paths = +"path,conversions,value,nulls\n"
    80_000.times do |i|
      paths << "website > #{(i % 41).zero? ? "late-#{i % 17}" : 'store'} > email,#{(i % 997).zero? ? -1 : i % 2},#{i % 50},#{1 - i % 2}\n"
    end
    assert paths.bytesize > 2 << 20
    p1 = Touchpoint::Paths.new
    l1 = p1.read_csv(data: paths, name: "paths.csv")
    p2 = Touchpoint::Paths.new
    l2 = p2.read_csv(data: paths, name: "paths.csv", threads: 2)
    assert_equal p1.to_table.to_csv, p2.to_table.to_csv
    assert_equal l1.to_table.to_csv, l2.to_table.to_csv
    assert_operator l2.rows_rejected, :>, 0
    assert_raises(Touchpoint::InvalidArgumentError) { Touchpoint::Paths.new.read_csv(data: paths, threads: -1) }
    # Not an Integer: a TypeError, never a truncated or parsed count.
    [["many", Touchpoint::Paths], ["2", Touchpoint::Events], [2.5, Touchpoint::Feedback],
     [true, Touchpoint::Paths], [nil, Touchpoint::Events]].each do |bad, store|
      err = assert_raises(TypeError) { store.new.read_csv(data: paths, threads: bad) }
      assert_match(/threads/, err.message)
    end
  end

  def test_bulk_append_is_all_or_none
    e = Touchpoint::Events.new
    e.append("c0", 0, "website")
    err = assert_raises(Touchpoint::InvalidArgumentError) { e.append_many(["c1", ""], [1, 2], %w[a b]) }
    assert_match(/event 1/, err.message)
    assert_raises(TypeError) { e.append_many(["c1"], [1.5], ["a"]) }
    assert_equal 1, e.size
  end

  def test_feedback_and_unknown_policy
    c = Touchpoint::Catalog.default
    f = Touchpoint::Feedback.new(c)
    f.append("c1", "2026-01-05", "store", "nps", 9, comment: "Great staff")
    f.append_many(%w[c2 c3], [0, 0], %w[store store], %w[csat ces], [4, 6], comments: [nil, "easy"])
    assert_equal [9.0, 4.0, 6.0], (0...f.size).map { |i| f.score(i) }
    assert_equal ["Great staff", nil, "easy"], (0...f.size).map { |i| f.comment(i) }
    assert_equal "ces", f.metric_kind(2)
    f.unknown_policy = :reject
    assert_raises(Touchpoint::NotFoundError) { f.append("c4", 0, "teleporter", "nps", 1) }
    assert_equal 3, f.size
    assert_same f, f.catalog.instance_variable_get(:@owner)
  end

  def test_feedback_redaction
    csv = "customer_id,timestamp,touchpoint,metric,score,comment\n" \
          "c1,2026-01-01,store,nps,9,\"mail me: c1@example.com, or +31 6 1234 5678\"\n"
    {
      nil => "mail me: c1@example.com, or +31 6 1234 5678",
      true => "mail me: [email], or [phone]",
      :email => "mail me: [email], or +31 6 1234 5678",
      [:phone] => "mail me: c1@example.com, or [phone]",
      %i[email phone] => "mail me: [email], or [phone]"
    }.each do |redact, comment|
      f = Touchpoint::Feedback.new
      f.read_csv(data: csv, redact: redact)
      assert_equal comment, f.comment(0), redact.inspect
    end
    err = assert_raises(Touchpoint::InvalidArgumentError) { Touchpoint::Feedback.new.read_csv(data: csv, redact: :names) }
    assert_match(/redact/, err.message)
    assert_equal "call [phone] on 2026-01-31", Touchpoint.redact_text("call 555-123-4567 on 2026-01-31")
    assert_equal "[email] 555-123-4567", Touchpoint.redact_text("a@b.co 555-123-4567", "email")
  end
end

class TestAnalyses < Minitest::Test
  include SampleData
  STEPS = "website,cart,online-checkout"

  def cli(*args)
    exe = ENV.fetch("TOUCHPOINT_CLI") { skip "TOUCHPOINT_CLI is not set" }
    out, status = Open3.capture2(exe, *args)
    assert status.success?, args.join(" ")
    out
  end

  def test_ruby_and_c_give_identical_tables
    _, events, feedback = sample
    {
      Touchpoint.scorecard(events, feedback) => %w[scorecard],
      Touchpoint.scorecard(events, feedback, by: :owner) => %w[scorecard --by owner],
      Touchpoint.hotspots(events, feedback, min_responses: 50) => %w[hotspots --min-responses 50],
      Touchpoint.drivers(events, feedback) => %w[drivers],
      Touchpoint.trend(events, feedback, period: :day, by_touchpoint: true) => %w[trend --period day --by-touchpoint],
      Touchpoint.sentiment_terms(events, feedback) => %w[sentiment],
      Touchpoint.journeys(events) => %w[journeys],
      Touchpoint.transitions(events, channel: "web") => %w[paths --view transitions --channel web],
      Touchpoint.variants(events, collapse: :loops) => %w[paths --collapse loops],
      Touchpoint.conversion_times(events) => %w[paths --view times],
      Touchpoint.flow(events) => %w[paths --view flow],
      Touchpoint.next_touchpoints(events, "website") => %w[paths --after website],
      Touchpoint.funnel(events, STEPS, mode: :strict)[0] => ["funnel", "--steps", STEPS, "--strict-order"],
      Touchpoint.conformance(events, "online-purchase")[0] => %w[conform --map online-purchase],
      Touchpoint.attribution_compare(events) => %w[attribute],
      Touchpoint.attribute(events) => %w[attribute --model all],
      Touchpoint.attribute(events, "time-decay", half_life: "2d") => %w[attribute --model time-decay --half-life 2d],
      Touchpoint.markov_chain(events, order: 2)[0] => %w[attribute --chain --order 2],
      Touchpoint.scorecard(events, feedback, segment: { "segment" => "new" }, since: Time.utc(2026, 3, 1)) =>
        %w[scorecard --segment segment=new --from 2026-03-01],
    }.each do |table, args|
      assert_equal cli(*args, "--format", "csv"), table.to_csv, args.join(" ")
    end
  end

  def test_nps_by_hand
    _, events, feedback = sample
    rows = feedback.to_a.select { |r| r["metric"] == "nps" }.group_by { |r| r["touchpoint"] }
    card = Touchpoint.scorecard(events, feedback).to_h { |r| [r["touchpoint"], r] }
    rows.each do |touchpoint, responses|
      p = responses.count { |r| r["score"] >= 9 }
      d = responses.count { |r| r["score"] <= 6 }
      assert_equal responses.size, card[touchpoint]["nps_n"]
      assert_in_delta 100.0 * (p - d) / responses.size, card[touchpoint]["nps"], 1e-9
    end
    assert_operator rows.size, :>=, 5
  end

  def test_paths_options_filters_and_objects
    p = Touchpoint::Paths.new
    p.add(%w[a b], 2, 20)
    p.add(%w[b], 1, 5, 1)
    refute p.has_times?
    first = Touchpoint.attribute(p, :first).to_h { |r| [r["touchpoint"], r["conversions"]] }
    assert_equal({ "a" => 2.0, "b" => 1.0 }, first)
    _chain, summary = Touchpoint.markov_chain(p)
    pc = summary[:p_conversion][0]
    assert_in_delta 3.0 / 4.0, pc, 1e-12
    again = Touchpoint::Paths.new
    assert_equal 2, again.read_csv(data: p.to_table.to_csv).rows_accepted
    o = Touchpoint::Options.new(level: 0.8, period: :week)
    assert_equal 1, o[:period]
    _, events, feedback = sample
    with_options = Touchpoint.scorecard(events, feedback, options: o)
    assert_equal Touchpoint.scorecard(events, feedback, level: 0.8).to_csv, with_options.to_csv
    f = Touchpoint::Filter.new(stage: %w[during after])
    assert_equal Touchpoint.scorecard(events, feedback, stages: %w[during after]).to_csv,
                 Touchpoint.scorecard(events, feedback, filter: f).to_csv
    lex = Touchpoint::Lexicon.new
    lex.set("zesty", "word", 2.0)
    assert_in_delta 2 / Math.sqrt(8), lex.score("zesty"), 1e-12
    assert_equal %w[positive neutral], Touchpoint.sentiment(%w[great the]).column("label")
    c = Touchpoint::Conformer.new(sample[0], "online-purchase")
    c.add("c1", 0, "website").add("c1", 1000, "cart").add("c1", 2000, "online-checkout", "conversion")
    summary, journeys = c.finish
    assert_equal 1, journeys.size
    assert_equal "overall", summary.first["kind"]
  end

  def test_estimates
    e = Touchpoint.nps_estimate(50, 30, 20)
    assert_equal 30.0, e.value
    assert_in_delta 100 * Math.sqrt(0.61 / 100), e.se, 1e-12
    assert_equal 100, e.n
    assert_in_delta 2.5, Touchpoint.mean_estimate([1, 2, 3, 4]).value, 0
  end

  # mode: :any counts the customers who did k of the steps in any order.
  def test_any_order_funnel
    _, events, = sample
    steps = %w[website cart online-checkout store]
    done = events.select { |e| steps.include?(e[:touchpoint]) }.group_by { |e| e[:customer_id] }
                 .transform_values { |rows| rows.map { |e| e[:touchpoint] }.uniq.size }
    table, = Touchpoint.funnel(events, steps, mode: :any)
    assert_equal (1..4).map { |k| done.count { |_, n| n >= k } }, table[:customers]
    assert_equal "(any 1 of 4)", table[:touchpoint].first
  end

  # An empty table says why.
  def test_an_empty_table_says_why
    _, events, feedback = sample
    hot = Touchpoint.hotspots(events, feedback, min_responses: 100_000)
    assert_empty hot.to_a
    assert_includes hot.note, "no touchpoint has min_responses (100000)"
    assert_includes hot.inspect, hot.note
    assert_nil Touchpoint.hotspots(events, feedback).note
  end

  # The roadmap in map order, its values those of the targets.
  def test_roadmap_follows_the_map_and_the_targets
    catalog, events, feedback = sample
    road = Touchpoint.roadmap(events, feedback, "online-purchase").to_a
    order = catalog.journey_map("online-purchase").stages.flat_map { |_, members| members }
    assert_equal order, road.map { |r| r[:touchpoint] }.uniq
    targets = Touchpoint.targets(events, feedback).to_h { |r| [[r[:touchpoint], r[:metric]], r] }
    road.each do |r|
      next assert_equal("no target", r[:status]) unless targets.key?([r[:touchpoint], r[:metric]])

      assert_equal targets[[r[:touchpoint], r[:metric]]][:value], r[:value]
    end
    assert_raises(Touchpoint::NotFoundError) { Touchpoint.roadmap(events, feedback, "online-purchse") }
  end

  # --owner in Ruby: owner: keeps a team's touchpoints; rows name their owner.
  def test_owner_filter_and_owner_columns
    catalog, events, feedback = sample
    owned = catalog.touchpoints.select { |t| t["owner"] == "Logistics" }.map { |t| t["id"] }
    assert_equal owned, Touchpoint.scorecard(events, feedback, owner: "Logistics")[:touchpoint]
    err = assert_raises(Touchpoint::NotFoundError) { Touchpoint.scorecard(events, feedback, owner: "Logistic") }
    assert_includes err.message, "did you mean 'Logistics'?"
    owner_of = catalog.touchpoints.to_h { |t| [t["id"], t["owner"]] }
    Touchpoint.hotspots(events, feedback).each { |r| assert_equal owner_of[r[:touchpoint]], r[:owner] }
  end

  # Each target's value is the scorecard's; the call follows the interval.
  # respondents and the response rate recounted from the rows; low_sample
  # lists the metrics with fewer than min_responses answers
  def test_sample_adequacy_by_hand
    _, events, feedback = sample
    reached = Hash.new { |h, k| h[k] = Set.new }
    answered = Hash.new { |h, k| h[k] = Set.new }
    events.each { |e| reached[e[:touchpoint]] << e[:customer_id] }
    feedback.each { |f| answered[f[:touchpoint]] << f[:customer_id] }
    metrics = %w[nps csat ces rating sentiment audit]
    Touchpoint.scorecard(events, feedback, min_responses: 50).each do |r|
      who = answered[r[:touchpoint]]
      seen = reached[r[:touchpoint]]
      assert_equal who.size, r[:respondents]
      assert_in_delta (who & seen).size.fdiv(seen.size), r[:response_rate], 1e-15 unless seen.empty?
      few = metrics.select { |m| r[:"#{m}_n"].between?(1, 49) }
      assert_equal few, r[:low_sample].to_s.split(",")
      assert_in_delta (r[:nps_high] - r[:nps_low]) / 2, r[:nps_moe], 1e-12 if r[:nps_n] > 1
    end
  end

  # breakdown: the value first; each block is the analysis of that segment
  def test_breakdown
    _, events, feedback = sample
    card = Touchpoint.scorecard(events, feedback, breakdown: :region)
    assert_equal %w[region touchpoint], card.columns.first(2)
    assert_equal ["(none)", "east", "north", "south", "west"], card.map { |r| r[:region] }.uniq.sort
    steps, = Touchpoint.funnel(events, "website,cart", breakdown: "segment")
    %w[new returning vip].each do |seg|
      alone, = Touchpoint.funnel(events, "website,cart", segment: "segment=#{seg}")
      assert_equal alone.map { |r| r[:customers] }, steps.select { |r| r[:segment] == seg }.map { |r| r[:customers] }
    end
    tested = card.reject { |r| r[:p_value].nil? }
    refute_empty tested
    assert(tested.all? { |r| (r[:difference] - (r[:mean] - r[:rest_mean])).abs < 1e-9 })
    e = assert_raises(Touchpoint::NotFoundError) { Touchpoint.scorecard(events, feedback, breakdown: "regoin") }
    assert_match(/did you mean 'region'/, e.message)
    assert_raises(TypeError) { Touchpoint.scorecard(events, feedback, level: [0.9, 0.8]) }
    assert_raises(TypeError) { Touchpoint::Options.new(breakdown: 3) }
    assert_equal "region", Touchpoint::Options.new(breakdown: :region).get(:breakdown)
  end

  # one customer: the touches are their events in time order; every answer
  def test_profile
    _, events, feedback = sample
    summary, touches, answers, touchpoints = Touchpoint.profile(events, feedback, "C03434")
    mine = events.select { |e| e[:customer_id] == "C03434" }.sort_by { |e| e[:timestamp] }
    assert_equal mine.size, summary.first[:events]
    assert_equal mine.map { |e| e[:touchpoint] }, touches.map { |r| r[:touchpoint] }
    assert_kind_of Time, touches.first[:timestamp]
    assert_equal feedback.count { |f| f[:customer_id] == "C03434" }, answers.count
    assert_equal mine.last[:region], summary.first[:region]
    assert(touchpoints.all? { |r| r[:touches].positive? || r[:responses].positive? })
    assert_raises(Touchpoint::NotFoundError) { Touchpoint.profile(events, feedback, "C0343x") }
    assert_equal 1, Touchpoint.journeys(events, customer: "C03434").map { |r| r[:customer] }.uniq.size
  end

  # loyalty: cohort sizes add up to the customers, the repeat row "(all)"
  # counts buyers, engagement counts touches
  def test_loyalty
    _, events, = sample
    retention, triangle = Touchpoint.retention(events)
    assert_equal events.map { |e| e[:customer_id] }.uniq.size, triangle.sum { |r| r[:customers] }
    assert(retention.select { |r| r[:age].zero? }.all? { |r| r[:share] == 1.0 })
    assert_kind_of Time, retention.first[:start]
    buys = events.select { |e| e[:type] == "conversion" }.group_by { |e| e[:customer_id] }
    all = Touchpoint.repeat(events).first
    assert_equal "(all)", all[:touchpoint]
    assert_equal buys.size, all[:buyers]
    assert_equal buys.count { |_, b| b.size > 1 }, all[:repeaters]
    engagement, = Touchpoint.engagement(events)
    assert_equal events.count, engagement.sum { |r| r[:touches] }
    assert_raises(Touchpoint::InvalidArgumentError) { Touchpoint.retention(events, cohort: :first_evnt) }
  end

  # themes: phrases of two or three words, each in two comments or more
  def test_phrases
    _, events, feedback = sample
    phrases = Touchpoint.phrases(events, feedback, top_terms: 3)
    assert_includes phrases.map { |r| r[:phrase] }, "hidden shipping costs"
    assert(phrases.all? { |r| [2, 3].include?(r[:words]) && r[:count] >= 2 && r[:rank] <= 3 })
    hit = phrases.find { |r| r[:phrase] == "hidden shipping costs" }
    said = feedback.count { |f| f[:touchpoint] == hit[:touchpoint] && f[:comment].to_s.downcase.include?("hidden shipping costs") }
    assert_equal said, hit[:count]
  end

  def test_targets_against_the_scorecard
    catalog, events, feedback = sample
    card = Touchpoint.scorecard(events, feedback).to_h { |r| [r[:touchpoint], r] }
    rows = Touchpoint.targets(events, feedback).to_a
    assert_equal catalog.touchpoints.sum { |t| t["targets"].size }, rows.size
    rows.each do |r|
      assert_equal catalog.targets(r[:touchpoint])[r[:metric].to_sym], r[:target]
      assert_equal card[r[:touchpoint]][r[:metric]], r[:value] if r[:metric] != "cx_index" && r[:n].positive?
      want = if r[:n].zero? then "no data"
             elsif r[:low] >= r[:target] then "met"
             elsif r[:high] < r[:target] then "missed"
             else "unclear"
             end
      assert_equal want, r[:status]
    end
    c = Touchpoint::Catalog.new
    c.add_touchpoint("store")
    c.set_target("store", :nps, 20)
    assert_equal({ nps: 20.0 }, c.targets("store"))
    assert_equal %i[nps csat ces rating audit cx_index], Touchpoint::Catalog.target_metrics
    err = assert_raises(Touchpoint::InvalidArgumentError) { c.set_target("store", :ces, 9) }
    assert_includes err.message, "ces targets are from 1 to 7, not 9"
    assert_raises(TypeError) { c.set_target("store", :nps, "20") }
    c.set_target("store", :nps, nil)
    assert_empty c.targets("store")
  end

  # A step may be a purchase at a touchpoint or anywhere; counted again here
  # from the events.
  def test_purchase_steps_match_an_independent_count
    _, events, = sample
    first_web = {}
    last_buy = Hash.new { |h, k| h[k] = {} }
    events.each do |e|
      first_web[e[:customer_id]] = [first_web[e[:customer_id]], e[:timestamp]].compact.min if e[:touchpoint] == "website"
      next unless e[:type] == "conversion"

      [:any, e[:touchpoint]].each do |where|
        last_buy[where][e[:customer_id]] = [last_buy[where][e[:customer_id]], e[:timestamp]].compact.max
      end
    end
    after = ->(where) { first_web.count { |c, t| last_buy[where][c] && t < last_buy[where][c] } }
    steps, = Touchpoint.funnel(events, "website, (conversion)")
    assert_equal ["website", "(conversion)"], steps[:touchpoint]
    assert_equal [first_web.size, after.(:any)], steps[:customers]
    online, = Touchpoint::Funnel.new(["website", :"online-checkout (conversion)"]).run(events)
    assert_equal after.("online-checkout"), online[:customers][1]
    text, = Touchpoint.funnel(events, "website, cart?, online-checkout (conversion)<2d")
    listed, = Touchpoint::Funnel.new(["website", ["cart", true], ["online-checkout (conversion)", false, "2d"]]).run(events)
    assert_equal text.to_a, listed.to_a
    assert_raises(TypeError) { Touchpoint::Funnel.new(["website", nil]) }
    err = assert_raises(Touchpoint::InvalidArgumentError) { Touchpoint::Funnel.new(["website", "cart, online-checkout"]) }
    assert_includes err.message, "one step per item"
    err = assert_raises(Touchpoint::NotFoundError) { Touchpoint.funnel(events, "website, online-checkout (convrsion)") }
    assert_includes err.message, "did you mean 'online-checkout (conversion)'?"
    before, = Touchpoint.funnel(events, "website, online-checkout", exclude: "(conversion)")
    assert_operator before[:customers][1], :<=, Touchpoint.funnel(events, "website, online-checkout")[0][:customers][1]
  end
end

class TestCampaignExample < Minitest::Test
  include SampleData

  def test_follow_up_list_holds_the_detractors_of_the_worst_pain_point
    require "csv"
    require "tmpdir"
    script = File.expand_path("../../examples/campaign.rb", __dir__)
    Dir.mktmpdir do |dir|
      out = File.join(dir, "follow-up.csv")
      log, status = Open3.capture2e(RbConfig.ruby, script, "-o", out)
      assert status.success?, log
      list = CSV.read(out, headers: true)
      _, events, feedback = sample
      worst = Touchpoint.hotspots(events, feedback).min_by { |r| r["impact"] }["touchpoint"]
      # independently: customers whose NPS answer at that touchpoint was 0-6
      expected = feedback.to_a.select { |r| r["touchpoint"] == worst && r["metric"] == "nps" && r["score"] <= 6 }
                         .map { |r| r["customer_id"] }.uniq.sort
      assert_equal expected, list["customer_id"].sort
      assert_equal [worst], list["touchpoint"].uniq
      assert_match(/#{expected.size} detractors/, log)
    end
  end
end

class TestErrors < Minitest::Test
  def test_markov_work_limit_and_its_name
    paths = Touchpoint::Paths.new
    rnd = Random.new(1)
    3000.times do |i|
      paths.add(Array.new(4) { "t#{rnd.rand(400)}" }, i % 3 == 0 ? 1 : 0, 0, i % 3 == 0 ? 0 : 1)
    end
    err = assert_raises(Touchpoint::LimitError) { Touchpoint.attribute(paths, :markov, markov_max_work: 1e6) }
    assert_match(/option markov_max_work/, err.message)
    err = assert_raises(Touchpoint::InvalidArgumentError) do
      Touchpoint.attribute(paths, :markov, markov_max_wrok: 1e6)
    end
    assert_match(/did you mean 'markov_max_work'/, err.message)
    assert_equal 400, Touchpoint.attribute(paths, :markov).count
    assert_operator Touchpoint::CancelledError, :<, Touchpoint::Error
  end

  def test_max_input_bytes
    assert_raises(TypeError) { Touchpoint::Events.new.read_csv(data: "x", max_input_bytes: "big") }
    assert_raises(TypeError) { Touchpoint::Events.new.read_csv(data: "x", max_input_bytes: nil) }
    text = "customer_id,timestamp,touchpoint\nc1,2026-01-01,web\n"
    e = Touchpoint::Events.new
    err = assert_raises(Touchpoint::LimitError) { e.read_csv(data: text, max_input_bytes: 20) }
    assert_match(/larger than the limit of 20 bytes \(max_input_bytes\)/, err.message)
    e.read_csv(data: text, max_input_bytes: text.bytesize)
    assert_equal 1, e.size
    assert_raises(Touchpoint::LimitError) { Touchpoint::Events.new.read_csv("/dev/zero", max_input_bytes: 1 << 20) }
    assert_raises(Touchpoint::LimitError) { Touchpoint::Feedback.new.read_csv(data: text, max_input_bytes: 5) }
    assert_raises(Touchpoint::LimitError) do
      Touchpoint::Paths.new.read_csv(data: "path,conversions\na > b,1\n", max_input_bytes: 5)
    end
  end

  def test_hierarchy_and_context
    %w[InvalidArgumentError OutOfMemoryError FileError ParseError ValidationError NotFoundError
       ConflictError LimitError CancelledError].each do |name|
      assert_operator Touchpoint.const_get(name), :<, Touchpoint::Error
      assert_operator Touchpoint.const_get(name), :<, StandardError
    end
    # each is also the Ruby error it is
    assert_operator Touchpoint::InvalidArgumentError, :<, ArgumentError
    assert_operator Touchpoint::FileError, :<, IOError
    assert_operator Touchpoint::NotFoundError, :<, KeyError
    err = assert_raises(ArgumentError) { Touchpoint::Options.new(level: 2) }
    assert_kind_of Touchpoint::Error, err
    assert_kind_of Touchpoint::Error, assert_raises(IOError) { Touchpoint::Events.new.read_csv("/nonexistent/e.csv") }
    e = Touchpoint::Events.new
    err = assert_raises(Touchpoint::ValidationError) do
      e.read_csv(File.join(DATA, "bad_timestamp.csv"), strict: true)
    end
    assert_equal [3, 2, "timestamp", -5], [err.line, err.column, err.field, err.status]
    assert err.file.end_with?("bad_timestamp.csv")
    assert_match(/bad_timestamp.csv:3:2: timestamp: timestamp "2026-13-01" is out of range/, err.message)
    assert_equal 0, e.size
    assert_raises(Touchpoint::FileError) { Touchpoint::Catalog.load("/nonexistent.json") }
    perr = assert_raises(Touchpoint::ParseError) { Touchpoint::Catalog.load(File.join(DATA, "syntax.json")) }
    assert_operator perr.line, :>, 0
    c = Touchpoint::Catalog.new
    c.add_touchpoint("x")
    assert_raises(Touchpoint::ConflictError) { c.add_touchpoint("x") }
    assert_raises(Touchpoint::InvalidArgumentError) { Touchpoint.hotspots(Touchpoint::Events.new, nil, colour: 1) }
    assert_raises(TypeError) { Touchpoint.journeys(Touchpoint::Events.new, since: Object.new) }
  end

  # A name the data does not hold raises NotFoundError saying what was meant.
  def test_a_typo_is_never_an_empty_table
    _, events, feedback = Touchpoint.load_sample
    {
      { stage: "purchase" } => "no stage 'purchase' in the catalog (stages: before, during, after)",
      { touchpoint: "webiste" } => "did you mean 'website'?",
      { segment: "regio=north" } => "no attribute 'regio' in the events or the feedback",
      { segment: "region=nrth" } => "no row has region 'nrth' (did you mean 'north'?)"
    }.each do |keywords, says|
      err = assert_raises(Touchpoint::NotFoundError) { Touchpoint.scorecard(events, feedback, **keywords) }
      assert_includes err.message, says
    end
    err = assert_raises(Touchpoint::NotFoundError) { Touchpoint.funnel(events, "website, chekout") }
    assert_includes err.message, "did you mean 'online-checkout'?"
  end

  # Rows answer to Symbols and Strings; times are Time in UTC, flags true/false,
  # durations milliseconds; to_csv keeps the milliseconds.
  def test_rows_times_and_flags_read_like_ruby
    _, events, = Touchpoint.load_sample
    table = Touchpoint.journeys(events)
    assert_equal({ "start" => :time, "end" => :time, "converted" => :flag, "exited" => :flag,
                   "duration" => :duration }, table.units.select { |_, u| u != :none })
    csv = table.to_csv.lines[1].chomp.split(",")
    names = table.columns
    row = table.first
    assert_kind_of Touchpoint::Row, row
    assert_equal row["journey"], row[:journey]
    assert_equal row.fetch("customer"), row.fetch(:customer)
    assert row.key?(:start) && !row.key?(:nope)
    assert_nil row[:nope]
    ms = Integer(csv[names.index("start")])
    assert_equal Time.at(ms / 1000r).utc, row[:start]
    assert row[:start].utc?
    assert_equal csv[names.index("converted")] == "1", row[:converted]
    assert_equal Integer(csv[names.index("duration")]), row[:duration]
    assert_equal ((row[:end] - row[:start]) * 1000).round, row[:duration]
    assert_equal row.to_a, table[0].to_a
    assert_equal table.column(:start).first, row[:start]
  end

  # since: a Range is the window: .. includes its end (a Date's whole day),
  # ... leaves it out; inspect says what an object holds.
  def test_a_range_is_a_time_window_and_inspect_is_clean
    require "date"
    catalog, events, = Touchpoint.load_sample
    day = Touchpoint.journeys(events, since: "2026-03-01", until: "2026-03-02T00:00:00Z").to_csv
    [Date.new(2026, 3, 1)..Date.new(2026, 3, 1), Date.new(2026, 3, 1)...Date.new(2026, 3, 2),
     Time.utc(2026, 3, 1)...Time.utc(2026, 3, 2), "2026-03-01".."2026-03-01",
     1_772_323_200_000..(1_772_409_600_000 - 1)].each do |range|
      assert_equal day, Touchpoint.journeys(events, since: range).to_csv, range.inspect
      assert_equal day, Touchpoint.journeys(events, filter: Touchpoint::Filter.new(since: range)).to_csv,
                   range.inspect
    end
    assert_operator Touchpoint.journeys(events, since: (Date.new(2026, 8, 1)..)).size, :>, 0
    assert_raises(ArgumentError) { Touchpoint.journeys(events, since: (Date.new(2026, 3, 1)..), until: "2026-04-01") }
    assert_equal "#<Touchpoint::Events #{events.size} rows from #{events.customer_count} customers; " \
                 "attributes: segment, region>", events.inspect
    refute_match(/swigtype/, [catalog, catalog.journey_map_at(0), Touchpoint::Filter.new,
                              Touchpoint::Paths.from_events(events)].map(&:inspect).join)
  end

  # read_csv(columns:) gives the file's names of the columns.
  def test_read_csv_maps_the_files_column_names
    csv = "user_pseudo_id,event_time,page\nu1,2026-03-01T10:00:00Z,website\n"
    e = Touchpoint::Events.new
    e.read_csv(data: csv, strict: true, columns: { customer_id: "user_pseudo_id", timestamp: "event_time",
                                                   touchpoint: "page" })
    assert_equal %w[u1 website], [e.customer(0), e.touchpoint(0)]
    err = assert_raises(Touchpoint::ParseError) { Touchpoint::Events.new.read_csv(data: csv, strict: true) }
    assert_includes err.message, 'missing required column "customer_id"'
    assert_raises(TypeError) { Touchpoint::Events.new.read_csv(data: csv, columns: ["customer_id"]) }
    jl = %({"user_pseudo_id": "u2", "event_time": "2026-03-02", "page": "cart"}\n)
    e.read_jsonl(data: jl, strict: true, columns: { customer_id: "user_pseudo_id", timestamp: "event_time",
                                                    touchpoint: "page" })
    assert_equal %w[u2 cart], [e.customer(1), e.touchpoint(1)]
  end

  # One append order for both stores; the other order says which it is.
  def test_both_stores_append_customer_time_touchpoint
    e = Touchpoint::Events.new
    e.append("c1", "2026-03-01T10:00:00Z", "website")
    err = assert_raises(Touchpoint::ParseError) { e.append("c2", "website", "2026-03-01") }
    assert_match(/Events#append: .*'website'.*the order is customer, time, touchpoint, as in Feedback#append/, err.message)
    assert_raises(Touchpoint::ParseError) { e.append_many(["c2"], ["website"], ["2026-03-01"]) }
    assert_equal 1, e.size
  end

  # Event logs and feedback sets are Enumerable over their rows.
  def test_stores_are_enumerable
    _, events, feedback = Touchpoint.load_sample
    assert_kind_of Enumerable, events
    assert_equal events.count, events.to_a.size
    carts = events.select { |e| e[:touchpoint] == "cart" }
    assert_equal Touchpoint.scorecard(events, feedback).find { |r| r[:touchpoint] == "cart" }[:reach],
                 carts.map { |e| e[:customer_id] }.uniq.size
    assert_kind_of Time, events.first[:timestamp]
    assert_equal feedback.to_table.to_csv.lines.size - 1, feedback.each.size
    assert_equal events.first.to_a, events.each.next.to_a
    # count with a block or an argument is Enumerable's, not the number of rows
    assert_equal carts.size, events.count { |e| e[:touchpoint] == "cart" }
    assert_equal 0, events.count(:nothing)
    assert_equal events.size, events.count
  end

  # The binding says which call failed, not which C function; nil is a TypeError.
  def test_messages_name_the_call_not_the_c_function
    catalog, = Touchpoint.load_sample
    err = assert_raises(TypeError) { catalog.find_touchpoint(nil) }
    assert_equal "Catalog.find_touchpoint: an argument is nil", err.message
    err = assert_raises(Touchpoint::InvalidArgumentError) { Touchpoint.csat_estimate(3, 5, level: 2) }
    assert_match(/\Acsat_estimate: level must be in \(0, 1\)/, err.message)
  end

  # until: of a day (String, Date) ends the window at the end of that day, as
  # the tool's --to does; a Time or milliseconds end it exactly there.
  def test_until_of_a_date_includes_that_day
    require "date"
    _, events, = Touchpoint.load_sample
    day_end = Touchpoint.journeys(events, since: "2026-03-01", until: "2026-03-02T00:00:00Z").to_csv
    assert_operator day_end.count("\n"), :>, 1
    ["2026-03-01", Date.new(2026, 3, 1)].each do |till|
      assert_equal day_end, Touchpoint.journeys(events, since: "2026-03-01", until: till).to_csv, till.inspect
      filter = Touchpoint::Filter.new(since: Date.new(2026, 3, 1), until: till)
      assert_equal day_end, Touchpoint.journeys(events, filter: filter).to_csv, till.inspect
    end
    [Time.utc(2026, 3, 1), 1_772_323_200_000, DateTime.new(2026, 3, 1)].each do |till|
      assert_equal 1, Touchpoint.journeys(events, since: "2026-03-01", until: till).to_csv.count("\n"), till.inspect
    end
    err = assert_raises(Touchpoint::ParseError) { Touchpoint.journeys(events, until: "May 1") }
    assert_includes err.message, "keyword until: cannot read 'May 1' as a time: write ISO 8601"
    err = assert_raises(Touchpoint::InvalidArgumentError) do
      Touchpoint::Filter.new(since: "2026-05-01", until: "2026-03-01")
    end
    assert_includes err.message, "the time window starts (since 2026-05-01T00:00:00.000Z) after it ends"
    assert_raises(TypeError) { Touchpoint::Filter.new(until: 1.5) }
    assert_raises(Touchpoint::ParseError) { Touchpoint.journeys(events, since: :yesterday) }
  end
end

class TestMemory < Minitest::Test
  def rss
    File.read("/proc/self/statm").split[1].to_i * 4096
  end

  # Ruby does not see the C memory behind an object, so collect every 1,000
  # rounds to keep the live set (and the peak) the same in every run.
  def churn(rounds)
    rounds.times do |i|
      GC.start if (i % 1000).zero?
      catalog = Touchpoint::Catalog.new
      catalog.add_touchpoint("web")
      events = Touchpoint::Events.new(catalog)
      events.append_many(["c#{i}"], [0], ["web"])
      Touchpoint.journeys(events, timeout: "1d", touchpoint: "web")
      Touchpoint::Options.new(level: 0.9)
      begin
        catalog.find_touchpoint("missing")
      rescue Touchpoint::NotFoundError
        nil
      end
    end
    GC.start
  end

  def test_100k_objects_do_not_grow_memory
    skip "AddressSanitizer keeps freed memory in quarantine" if ENV.fetch("LD_PRELOAD", "").include?("asan")
    churn(20_000)
    before = rss
    churn(20_000) # 20,000 rounds x 5 objects = 100,000 objects
    growth = rss - before
    assert_operator growth, :<, 4 * 1024 * 1024, "resident memory grew by #{growth} bytes"
  end
end

class TestReadme < Minitest::Test
  def test_readme_ruby_quick_start_runs
    readme = File.read(File.expand_path("../../README.md", __dir__))
    section = readme[readme.index("## Ruby")...readme.index("## The command-line tool")]
    code = section[/```ruby\n(.*?)```/m, 1]
    out, err = capture_io { Object.new.instance_eval(code, "README.md") }
    assert_match(/^during: \d+\.\d$/, out)
    assert_match(/^worst: online-checkout$/, out)
    assert_match(/ValidationError: visits.csv:2:2: timestamp: timestamp "2026-13-01" is out of range$/, err)
    assert_equal 1, err.scan("visits.csv").size, "the example prints each fact once"
    assert_match(/ from 2026-\d\d-\d\d \d\d:\d\d:\d\d UTC \(a Time in UTC\), converted: (true|false)$/, out)
  end
end

class TestAggregate < Minitest::Test
  include SampleData

  # Two halves by customer, merged through bytes, equal the whole.
  def test_halves_merge_to_the_single_process_table
    catalog, events, = sample
    halves = [0, 1].map { Touchpoint::Events.new(catalog) }
    rows = Touchpoint.transitions(events).to_a
    text = File.read(File.join(Touchpoint.sample_dir, "events.csv"))
    header, *lines = text.lines
    parts = lines.group_by { |l| l.split(",", 2).first.sum % 2 }
    halves.each_with_index { |h, i| h.read_csv(data: header + parts.fetch(i, []).join, name: "half") }
    aggs = halves.map { |h| Touchpoint::Aggregate.new("transitions").add(h) }
    merged = Touchpoint::Aggregate.from_bytes(aggs[0].to_bytes)
    merged.merge(Touchpoint::Aggregate.from_bytes(aggs[1].to_bytes))
    assert_equal rows, merged.finalize(catalog).to_a
    assert_equal Encoding::BINARY, aggs[0].to_bytes.encoding
    refute merged.empty?
    assert Touchpoint::Aggregate.new("scorecard").empty?
    assert_match(/transitions/, merged.inspect)
    doubled = (merged + merged).finalize(catalog).to_a
    assert_equal rows.map { |r| r["count"] * 2 }, doubled.map { |r| r["count"] }
    assert_raises(Touchpoint::ParseError) { Touchpoint::Aggregate.from_bytes("TPAG") }
    assert_raises(Touchpoint::ConflictError) { merged.add(halves[0], timeout: "1h") }
  end

  # Funnel and path-set partials: two halves merge to the single-process tables.
  def test_funnel_and_paths_halves
    catalog, events, = sample
    text = File.read(File.join(Touchpoint.sample_dir, "events.csv"))
    header, *lines = text.lines
    parts = lines.group_by { |l| l.split(",", 2).first.sum % 2 }
    halves = [0, 1].map do |i|
      Touchpoint::Events.new(catalog).tap { |h| h.read_csv(data: header + parts.fetch(i, []).join, name: "half") }
    end
    funnel = Touchpoint::Funnel.new("website, product-page?, cart, online-checkout")
    steps, = funnel.run(events)
    merged = halves.map { |h| Touchpoint::Aggregate.new("funnel").add_funnel(h, funnel) }.reduce(:+)
    assert_equal steps.to_a, merged.finalize(catalog).to_a
    whole = Touchpoint::Paths.from_events(events)
    split = halves.map { |h| Touchpoint::Aggregate.new("markov").add_paths(Touchpoint::Paths.from_events(h)) }
    assert_equal Touchpoint.attribute(whole, "markov").to_a, split.reduce(:+).finalize(catalog).to_a
  end
end

# Every analysis of the registry is a module function of the same name that
# gives the tool's tables; nothing here lists the analyses.
class TestRegistry < Minitest::Test
  include SampleData
  REQUIRED = { "steps" => "website,cart,online-checkout", "after" => "website", "id" => "C03434" }.freeze

  def tool(*args)
    exe = ENV.fetch("TOUCHPOINT_CLI") { skip "TOUCHPOINT_CLI is not set" }
    Open3.capture3(exe, *args)
  end

  def test_every_analysis_runs_alike
    _, events, feedback = sample
    assert_operator Touchpoint.analyses.size, :>=, 16
    Touchpoint.analyses.each_value do |a|
      assert Touchpoint.respond_to?(a.name), a.name
      params = {}
      a.params.each do |p|
        params[p.name.to_sym] = p.default if p.default
        next unless p.required

        assert REQUIRED.key?(p.name), "no sample value for required parameter #{p.name}"
        params[p.name.to_sym] = REQUIRED[p.name]
      end
      inputs = a.takes.anybits?(Touchpoint::INPUT_FEEDBACK) ? [events, feedback] : [events]
      got = Touchpoint.public_send(a.name, *inputs, **params)
      tables = a.tables.size == 1 ? [got] : got
      assert_equal a.tables.size, tables.size, a.name
      args = [a.name.tr("_", "-")] + params.flat_map { |k, v| ["--#{k.to_s.tr('_', '-')}", v.to_s] }
      a.tables.zip(tables).each do |t, table|
        assert_equal t.columns, table.columns.first(t.columns.size), "#{a.name} #{t.name}"
        out, err, status = tool(*args, "--table", t.name, "--format", "csv", "-q")
        assert status.success?, err
        assert_equal out, table.to_csv, "#{a.name} #{t.name}"
      end
    end
  end

  def test_typos_and_unread_options_are_refused
    _, events, feedback = sample
    e = assert_raises(Touchpoint::InvalidArgumentError) { Touchpoint.funnel(events, "website", moed: :strict) }
    assert_match(/did you mean 'mode'/, e.message)
    e = assert_raises(Touchpoint::InvalidArgumentError) { Touchpoint.hotspots(events, feedback, min_respones: 5) }
    assert_match(/did you mean 'min_responses'/, e.message)
    e = assert_raises(Touchpoint::InvalidArgumentError) { Touchpoint.journeys(events, level: 0.9) }
    assert_match(/journeys does not read the option level/, e.message)
    assert_raises(ArgumentError) { Touchpoint.funnel(events) }
    assert_raises(TypeError) { Touchpoint.journeys(feedback) }
  end
end

class TestReport < Minitest::Test
  include SampleData

  def report = @report ||= Touchpoint.report(*sample.drop(1), title: "Q1 review")

  def test_findings_agree_with_the_analyses
    catalog, events, feedback = sample
    findings = report.findings.to_h { |f| [f.key, f] }
    assert_equal %w[worst_touchpoint best_touchpoint biggest_funnel_drop top_channel], findings.keys
    worst = Touchpoint.hotspots(events, feedback).find { |r| r["kind"] == "pain" }
    assert_equal worst["touchpoint"], findings["worst_touchpoint"].subject
    assert_in_delta worst["cx_index"], findings["worst_touchpoint"].value, 1e-9
    channel = catalog.to_table.to_h { |r| [r["id"], r["channel"] || "(none)"] }
    per = Hash.new(0.0)
    Touchpoint.attribute(events, :markov).each { |r| per[channel.fetch(r["touchpoint"], "(none)")] += r["conversions"] }
    top, conv = per.max_by { |_, v| v }
    assert_equal top, findings["top_channel"].subject
    assert_in_delta conv, findings["top_channel"].value, 1e-9
  end

  def test_segments_section
    _, events, feedback = sample
    seg = Touchpoint.report(events, feedback, breakdown: :segment).to_h["segments"]
    assert_equal "segment", seg["attribute"]
    card = Touchpoint.scorecard(events, feedback, breakdown: :segment)
    seg["summary"].each do |row|
      assert_equal card.select { |r| r[:segment] == row["value"] }.sum { |r| r[:responses] }, row["responses"]
    end
    assert_nil report.to_h["segments"]
  end

  def test_forms_charts_and_save
    assert report.html.start_with?("<!DOCTYPE html>")
    assert_equal "channel", report.to_h["attribution_rollup"]["by"]
    assert_equal 10, Touchpoint.charts.size
    svg = report.chart(:funnel).svg
    assert svg.start_with?('<svg xmlns="http://www.w3.org/2000/svg" class="tp-chart"')
    e = assert_raises(Touchpoint::InvalidArgumentError) { report.chart(:jurney) }
    assert_match(/did you mean 'journey'/, e.message)
    Dir.mktmpdir do |dir|
      report.save(File.join(dir, "r.json"))
      report.save(Pathname(File.join(dir, "r.html")))
      assert_equal "Q1 review", JSON.parse(File.read(File.join(dir, "r.json")))["title"]
      assert File.read(File.join(dir, "r.html")).start_with?("<!DOCTYPE html>")
      assert_equal %w[r.html r.json], Dir.children(dir).sort
    end
    assert_raises(TypeError) { report.save(42) }
  end

  def test_keywords_and_misuse
    _, events, feedback = sample
    d = Touchpoint.report(events, feedback, stage: :during, credit_by: :stage, funnel: %w[website cart]).to_h
    assert_equal ["during"], d["trend_by_stage"].keys
    assert_equal "stage", d["attribution_rollup"]["by"]
    assert_equal %w[website cart], d["funnel"]["steps"].map { |s| s["touchpoint"] }
    assert_raises(TypeError) { Touchpoint.report(feedback, events) }
    assert_raises(TypeError) { Touchpoint.report(events, feedback, funnel: 3) }
    e = assert_raises(Touchpoint::InvalidArgumentError) { Touchpoint.report(events, feedback, credit_by: :chanel) }
    assert_match(/did you mean 'channel'/, e.message)
    got = Touchpoint.attribute(events, :first, by: :owner).to_a
    assert_equal "owner", Touchpoint.attribute(events, :first, by: :owner).columns[1]
    assert_in_delta Touchpoint.attribute(events, :first).sum { |r| r["conversions"] }, got.sum { |r| r["conversions"] }, 1e-9
  end
end

# Progress and Ctrl-C: a block (or progress:) sees a long call's figures, and
# Ctrl-C (Interrupt), an exception, break or throw from the block stops the
# call, leaving the store as it was. Each stop is caused by the test itself.
class TestProgress < Minitest::Test
  include SampleData

  ROWS = 200_000

  def big
    @@big ||= begin # rubocop:disable Style/ClassVars
      path = File.join(Dir.mktmpdir, "events.csv")
      places = %w[website cart online-checkout store search]
      File.open(path, "w") do |f|
        f.puts "customer_id,timestamp,touchpoint"
        ROWS.times { |i| f.puts "c#{i % 50_000},#{1_767_225_600_000 + i * 1000},#{places[i % 5]}" }
      end
      path
    end
  end

  def store
    e = Touchpoint::Events.new(Touchpoint::Catalog.default)
    e.append("before", "2026-01-01", "website")
    e
  end

  def test_a_block_sees_the_reads_figures
    e = store
    seen = []
    log = e.read_csv(big) { |done, total, rows| seen << [done, total, rows] }
    size = File.size(big)
    assert_equal 1 + ROWS, e.size
    assert_equal ROWS, log.rows_accepted
    assert_operator seen.size, :>=, 3
    assert_equal [size, size, ROWS], seen.last
    assert(seen.all? { |d, t, _| d <= t && t == size })
  end

  def test_ctrl_c_raises_interrupt_and_keeps_the_store
    [1, 2].each do |threads|
      e = store
      calls = 0
      assert_raises(Interrupt) do
        e.read_csv(big, threads: threads) { |*| calls += 1; Process.kill("INT", Process.pid) }
      end
      assert_equal 1, calls, "stopped at the next ask, not at the end"
      assert_equal 1, e.size
    end
  end

  def test_a_blocked_pipe_read_stops_on_ctrl_c_before_its_input_ends
    Dir.mktmpdir do |dir|
      fifo = File.join(dir, "events.fifo")
      File.mkfifo(fifo)
      writer = spawn("sh", "-c", "exec 3>'#{fifo}'; printf 'customer_id,timestamp,touchpoint\\nc1,1000,store\\n' >&3; " \
                                 "sleep 0.5; kill -INT #{Process.pid}; sleep 30")
      e = store
      begin
        assert_raises(Interrupt) { e.read_csv(fifo) }
        assert_nil Process.wait(writer, Process::WNOHANG), "the input had not ended"
      ensure
        Process.kill("KILL", writer)
        Process.wait(writer)
      end
      assert_equal 1, e.size
    end
  end

  def test_raise_break_and_throw_from_the_block_stop_the_read
    e = store
    assert_raises(ArgumentError) { e.read_csv(big) { |*| raise ArgumentError, "enough" } }
    assert_equal 1, e.size
    assert_equal 42, e.read_csv(big) { |*| break 42 }
    assert_equal 1, e.size
    assert_equal :thrown, catch(:done) { e.read_csv(big, progress: ->(*) { throw :done, :thrown }) }
    assert_equal 1, e.size
    e.read_csv(big)
    assert_equal 1 + ROWS, e.size
  end

  def test_a_raise_at_the_reads_last_call_is_raised_not_lost
    e = store
    assert_raises(KeyError) { e.read_csv(big) { |_, _, rows| raise KeyError, "the end" if rows == ROWS } }
    assert_equal 1 + ROWS, e.size, "the read itself succeeded"
  end

  def test_analyses_and_the_report_take_a_block_and_stop
    _, events, feedback = sample
    steps = []
    plain = Touchpoint.journeys(events)
    shown = Touchpoint.journeys(events) { |done, total| steps << [done, total] }
    assert_equal plain.to_a, shown.to_a
    refute_empty steps
    assert(steps.all? { |d, t| d.between?(0, t) })
    runs = [->(**kw, &b) { Touchpoint.journeys(events, **kw, &b) },
            ->(**kw, &b) { Touchpoint.funnel(events, steps: "website,cart", **kw, &b) },
            ->(**kw, &b) { Touchpoint.attribute(events, model: "markov", **kw, &b) },
            ->(**kw, &b) { Touchpoint::Report.new(events, feedback, **kw, &b) }]
    runs.each do |run|
      assert_raises(Interrupt) { run.call(progress: ->(*) { Process.kill("INT", Process.pid) }) }
      assert_raises(ZeroDivisionError) { run.call(progress: ->(*) { 1 / 0 }) }
    end
    assert_raises(ArgumentError) { Touchpoint.journeys(events, progress: true) { |*| nil } }
    assert_raises(TypeError) { Touchpoint.journeys(events, progress: 42) }
    assert_raises(TypeError) { store.read_csv(big, progress: "yes") }
  end

  def test_progress_true_draws_a_line
    _, events, = sample
    _, err = capture_io { Touchpoint.journeys(events, progress: true) }
    assert_match(/journeys: 0 of \d+ steps/, err)
  end
end
