#!/bin/sh
# Install into a staging directory (DESTDIR) and use what was installed, as a
# user would: the C example compiled through pkg-config, `import touchpoint` in
# the Python given to the build, `require "touchpoint"` in Ruby.
#
# usage: install.sh BUILD_DIR SOURCE_DIR PREFIX LIBDIR DATADIR PYTHON PYTHON_DIR RUBY RUBY_ARCHDIR RUBY_LIBDIR
set -eu
build=$1 src=$2 prefix=$3 libdir=$4 datadir=$5 python=$6 pydir=$7 ruby=$8 rbarch=$9
shift 9
rblib=$1
abs() { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" --no-rebuild >"$dest/install.log"
lib=$dest$(abs "$libdir")
export LD_LIBRARY_PATH="$lib"          # RUNPATH is stripped on install; ldconfig's job
export TOUCHPOINT_SAMPLE_DIR="$dest$(abs "$datadir")/touchpoint/sample"

# C: the quick-start example against the installed headers and library. Only
# the installed .pc file is searched (PKG_CONFIG_LIBDIR): a user's build needs
# no other package's, since no public header includes cJSON or KLU.
cflags=$(PKG_CONFIG_LIBDIR="$lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags --libs touchpoint)
PKG_CONFIG_LIBDIR="$lib/pkgconfig" pkg-config --static --libs touchpoint | grep -q -- -lcjson
# shellcheck disable=SC2086
cc -std=c11 -Wall -Werror -o "$dest/quickstart" "$src/examples/c/quickstart.c" $cflags
"$dest/quickstart" "$TOUCHPOINT_SAMPLE_DIR/events.csv" "$TOUCHPOINT_SAMPLE_DIR/feedback.csv" >"$dest/c.out"
grep -q . "$dest/c.out"
echo "C example: built with pkg-config and ran"

# The directories are the ones the interpreters search by themselves.
"$python" -c 'import sys; assert sys.argv[1].rstrip("/") in sys.path, sys.path' "$pydir"
"$ruby" -e 'ARGV.each { |d| raise "#{d} not in #{$LOAD_PATH}" unless $LOAD_PATH.include?(d) }' "$rblib" "$rbarch"

# Python: only the installed module on the path.
PYTHONPATH="$dest$pydir" PYTHONNOUSERSITE=1 "$python" -c '
import sys, touchpoint as tp
assert tp.__file__.startswith(sys.argv[1]), tp.__file__
c, e, f = tp.load_sample()
top = tp.hotspots(e, f)[0]
print("Python: %s from %s; worst touchpoint %s" % (tp.__version__, tp.__file__, top["touchpoint"]))
' "$dest"

# Ruby: only the installed extension and sugar on the path.
RUBYLIB="$dest$rblib:$dest$rbarch" "$ruby" -e '
require "touchpoint"
so = $LOADED_FEATURES.grep(/touchpoint\/touchpoint\.so/).first
raise "extension not from #{ARGV[0]}: #{so}" unless so&.start_with?(ARGV[0])
c, e, f = Touchpoint.load_sample
puts "Ruby: #{Touchpoint::VERSION} from #{so}; worst touchpoint #{Touchpoint.hotspots(e, f).first["touchpoint"]}"
' "$dest"
