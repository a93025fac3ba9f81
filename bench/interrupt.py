"""How soon Ctrl-C stops a long call: a helper process sends SIGINT one second
into each call and prints when; the latency is from then to the
KeyboardInterrupt. Run with Debian's Python against a build:

  PYTHONPATH=build/bindings/python LD_LIBRARY_PATH=build/lib \\
      /usr/bin/python3 bench/interrupt.py /tmp/events-4m.csv

(the file from `python3 bench/gen_data.py events 4000000 /tmp/events-4m.csv`)."""
import os
import subprocess
import sys
import time

import touchpoint as tp

HELPER = ("import os, signal, sys, time; time.sleep(1.0); "
          "print(time.time(), flush=True); os.kill(int(sys.argv[1]), signal.SIGINT)")


def latency(call):
    helper = subprocess.Popen([sys.executable, "-c", HELPER, str(os.getpid())],
                              stdout=subprocess.PIPE, text=True)
    try:
        while True:  # repeat the call until the signal arrives
            call()
    except KeyboardInterrupt:
        caught = time.time()
    sent = float(helper.stdout.readline())
    helper.wait()
    return caught - sent


def main(path):
    cat = tp.Catalog.default()
    events = tp.Events(cat)
    events.read_csv(path)
    frame = events.to_pandas()
    cases = [
        ("read_csv, 1 thread", lambda: tp.Events(cat).read_csv(path)),
        ("read_csv, 2 threads", lambda: tp.Events(cat).read_csv(path, threads=2)),
        ("read_pandas", lambda: tp.Events(cat).read_pandas(frame)),
        ("journeys", lambda: tp.journeys(events)),
        ("funnel", lambda: tp.funnel(events, steps="website,cart")),
        ("attribute markov", lambda: tp.attribute(events, model="markov")),
    ]
    print("| call over %d events | latency of Ctrl-C |" % len(events))
    print("| --- | ---: |")
    for name, call in cases:
        worst = max(latency(call) for _ in range(3))
        print("| %s | %.3f s |" % (name, worst))


if __name__ == "__main__":
    main(sys.argv[1])
