#!/usr/bin/env python3
"""Deterministic events CSV for benchmarks.

    gen_events.py ROWS OUT.csv [CUSTOMERS]

Rows look like the sample data: customer ids C0000001.., ISO 8601 UTC times in
order, touchpoints from the default catalog, ~5% conversions with a value.
"""
import random
import sys

TPS = ['advertising', 'social-media', 'search', 'online-reviews', 'website', 'product-page',
       'cart', 'online-checkout', 'transactional-email', 'delivery']


def main():
    rows = int(sys.argv[1])
    out = sys.argv[2]
    customers = int(sys.argv[3]) if len(sys.argv) > 3 else max(1, rows // 12)
    r = random.Random(7)
    t = 1767225600  # 2026-01-01T00:00:00Z
    with open(out, 'w') as f:
        f.write('customer_id,timestamp,touchpoint,type,value\n')
        buf = []
        for i in range(rows):
            t += r.randint(0, 25)
            d, s = divmod(t - 1767225600, 86400)
            day = 1 + d % 28
            month = 1 + (d // 28) % 12
            stamp = '2026-%02d-%02dT%02d:%02d:%02dZ' % (month, day, s // 3600, s // 60 % 60, s % 60)
            c = 'C%07d' % r.randrange(customers)
            if r.random() < 0.05:
                buf.append('%s,%s,online-checkout,conversion,%.2f\n' % (c, stamp, r.uniform(10, 200)))
            else:
                buf.append('%s,%s,%s,,\n' % (c, stamp, TPS[r.randrange(len(TPS))]))
            if len(buf) >= 10000:
                f.write(''.join(buf))
                buf = []
        f.write(''.join(buf))


if __name__ == '__main__':
    main()
