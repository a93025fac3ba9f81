#!/usr/bin/env ruby
# frozen_string_literal: true

# Follow-up campaign: find the worst pain point, pick the customers who gave
# it a detractor NPS answer (0-6), and write a follow-up list for the team that
# owns the touchpoint.
#
#   ruby examples/campaign.rb [-o follow-up.csv] [CATALOG.json EVENTS.csv FEEDBACK.csv]
#
# Without input files it runs on the bundled sample data set.
require "csv"
require "optparse"
require "touchpoint"

output = "follow-up.csv"
OptionParser.new do |o|
  o.banner = "usage: campaign.rb [-o FILE] [CATALOG.json EVENTS.csv FEEDBACK.csv]"
  o.on("-o", "--output FILE", "where to write the list (default follow-up.csv)") { |f| output = f }
end.parse!

catalog, events, feedback =
  if ARGV.size == 3
    cat = Touchpoint::Catalog.load(ARGV[0])
    ev = Touchpoint::Events.new(cat)
    ev.read_csv(ARGV[1])
    fb = Touchpoint::Feedback.new(cat)
    fb.read_csv(ARGV[2])
    [cat, ev, fb]
  elsif ARGV.empty?
    Touchpoint.load_sample
  else
    abort "usage: campaign.rb [-o FILE] [CATALOG.json EVENTS.csv FEEDBACK.csv]"
  end

# The pain point with the largest negative impact (reach x CX gap) comes first.
pain = Touchpoint.hotspots(events, feedback).find { |spot| spot[:kind] == "pain" }
abort "no pain point in this data: nothing to follow up" unless pain
touchpoint = catalog.touchpoint(pain[:touchpoint])

# Each detractor once, with their latest answer (a Time) and comment.
latest = {}
feedback.to_a.each do |r|
  next unless r[:touchpoint] == touchpoint["id"] && r[:metric] == "nps" && r[:score] <= 6

  seen = latest[r[:customer_id]]
  latest[r[:customer_id]] = r if seen.nil? || r[:timestamp] >= seen[:timestamp]
end
rows = latest.values.sort_by { |r| [r[:score], -r[:timestamp].to_r] }

CSV.open(output, "w") do |csv|
  csv << %w[customer_id touchpoint score answered_at comment owner expectation]
  rows.each do |r|
    csv << [r[:customer_id], touchpoint["id"], r[:score].to_i, r[:timestamp].strftime("%FT%T.%LZ"),
            r[:comment], touchpoint["owner"], touchpoint["expectation"]]
  end
end

puts format("Pain point: %<id>s (CX index %<cx>.1f vs %<all>.1f overall, reach %<reach>d)",
            id: touchpoint["id"], cx: pain[:cx_index], all: pain[:overall], reach: pain[:reach])
puts "#{rows.size} detractors to follow up, owned by #{touchpoint['owner'] || 'nobody'}: #{output}"
