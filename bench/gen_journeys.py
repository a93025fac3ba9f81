#!/usr/bin/env python3
"""Deterministic journeys for attribution benchmarks, as an events CSV.

    gen_journeys.py JOURNEYS OUT.csv

One customer per journey, 1 to 8 touches over the ten benchmark touchpoints,
a minute apart; about 10% end with a conversion event (at online-checkout,
with a value), the rest simply stop (nulls).
"""
import random
import sys

TPS = ['advertising', 'social-media', 'search', 'online-reviews', 'website', 'product-page',
       'cart', 'online-checkout', 'transactional-email', 'delivery']


def main():
    journeys = int(sys.argv[1])
    out = sys.argv[2]
    r = random.Random(5)
    with open(out, 'w') as f:
        f.write('customer_id,timestamp,touchpoint,type,value\n')
        buf = []
        for j in range(journeys):
            c = 'J%07d' % j
            t = 1767225600 + j
            for k in range(r.randint(1, 8)):
                buf.append('%s,%d,%s,,\n' % (c, t + 60 * k, TPS[r.randrange(10)]))
            if r.random() < 0.1:
                buf.append('%s,%d,online-checkout,conversion,%.2f\n'
                           % (c, t + 600, r.uniform(10, 200)))
            if len(buf) >= 10000:
                f.write(''.join(buf))
                buf = []
        f.write(''.join(buf))


if __name__ == '__main__':
    main()
