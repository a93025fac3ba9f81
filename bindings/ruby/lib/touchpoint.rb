# frozen_string_literal: true

# libtouchpoint for Ruby: the SWIG extension, then the Ruby sugar over it.
require "touchpoint/touchpoint"
require "touchpoint/sugar"
