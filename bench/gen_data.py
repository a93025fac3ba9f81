#!/usr/bin/env python3
"""Deterministic data sets for the benchmarks.

    gen_data.py events ROWS OUT.csv [CUSTOMERS]
    gen_data.py feedback ROWS OUT.csv [CUSTOMERS]
    gen_data.py journeys JOURNEYS OUT.csv
    gen_data.py paths PATHS OUT.csv

events: like the sample data: customer ids C0000001.., ISO 8601 UTC times in
order, ten touchpoints, ~5% conversions with a value (12 events per customer
unless CUSTOMERS says otherwise).
feedback: one survey answer per row, epoch-second times: NPS 0-10 (40%), CSAT
1-5 (30%), CES 1-7 (15%), star rating 1-5 (15%); no comments.
journeys: one customer per journey, 1 to 8 touches a minute apart over the ten
touchpoints; about 10% end with a conversion (at online-checkout, with a
value), the rest simply stop (nulls).
paths: the path export of attribution tools (path,conversions,value,nulls),
one row per journey: 2 to 12 touches over the ten touchpoints joined by
" > ", about 10% converting with a value.
"""
import random
import sys

TPS = ['advertising', 'social-media', 'search', 'online-reviews', 'website', 'product-page',
       'cart', 'online-checkout', 'transactional-email', 'delivery']
T0 = 1767225600  # 2026-01-01T00:00:00Z


def events(r, rows, customers):
    customers = customers or max(1, rows // 12)
    t = T0
    yield 'customer_id,timestamp,touchpoint,type,value\n'
    for _ in range(rows):
        t += r.randint(0, 25)
        d, s = divmod(t - T0, 86400)
        stamp = '2026-%02d-%02dT%02d:%02d:%02dZ' % (1 + (d // 28) % 12, 1 + d % 28, s // 3600,
                                                   s // 60 % 60, s % 60)
        c = 'C%07d' % r.randrange(customers)
        if r.random() < 0.05:
            yield '%s,%s,online-checkout,conversion,%.2f\n' % (c, stamp, r.uniform(10, 200))
        else:
            yield '%s,%s,%s,,\n' % (c, stamp, TPS[r.randrange(len(TPS))])


def feedback(r, rows, customers):
    customers = customers or max(1, rows // 2)
    t = T0
    yield 'customer_id,timestamp,touchpoint,metric,score\n'
    for _ in range(rows):
        t += r.randint(0, 30)
        c = 'C%07d' % r.randrange(customers)
        tp = TPS[r.randrange(len(TPS))]
        u = r.random()
        metric, score = (('nps', r.randint(0, 10)) if u < 0.4 else
                         ('csat', r.randint(1, 5)) if u < 0.7 else
                         ('ces', r.randint(1, 7)) if u < 0.85 else ('rating', r.randint(1, 5)))
        yield '%s,%d,%s,%s,%d\n' % (c, t, tp, metric, score)


def journeys(r, count, _customers):
    yield 'customer_id,timestamp,touchpoint,type,value\n'
    for j in range(count):
        c, t = 'J%07d' % j, T0 + j
        for k in range(r.randint(1, 8)):
            yield '%s,%d,%s,,\n' % (c, t + 60 * k, TPS[r.randrange(10)])
        if r.random() < 0.1:
            yield '%s,%d,online-checkout,conversion,%.2f\n' % (c, t + 600, r.uniform(10, 200))


def paths(r, count, _customers):
    yield 'path,conversions,value,nulls\n'
    for _ in range(count):
        path = ' > '.join(TPS[r.randrange(10)] for _ in range(r.randint(2, 12)))
        if r.random() < 0.1:
            yield '%s,1,%.2f,0\n' % (path, r.uniform(10, 200))
        else:
            yield '%s,0,0,1\n' % path


KINDS = {'events': (events, 7), 'feedback': (feedback, 11), 'journeys': (journeys, 5),
         'paths': (paths, 13)}


def main():
    kind, rows, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    customers = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    gen, seed = KINDS[kind]
    with open(out, 'w') as f:
        buf = []
        for line in gen(random.Random(seed), rows, customers):
            buf.append(line)
            if len(buf) >= 10000:
                f.write(''.join(buf))
                buf = []
        f.write(''.join(buf))


if __name__ == '__main__':
    main()
