#!/usr/bin/env python3
"""Deterministic feedback CSV for benchmarks.

    gen_feedback.py ROWS OUT.csv [CUSTOMERS]

One survey answer per row over the ten benchmark touchpoints: NPS 0-10 (40%),
CSAT 1-5 (30%), CES 1-7 (15%), star rating 1-5 (15%); no comments.
"""
import random
import sys

TPS = ['advertising', 'social-media', 'search', 'online-reviews', 'website', 'product-page',
       'cart', 'online-checkout', 'transactional-email', 'delivery']


def main():
    rows = int(sys.argv[1])
    out = sys.argv[2]
    customers = int(sys.argv[3]) if len(sys.argv) > 3 else max(1, rows // 2)
    r = random.Random(11)
    t = 1767225600
    with open(out, 'w') as f:
        f.write('customer_id,timestamp,touchpoint,metric,score\n')
        buf = []
        for _ in range(rows):
            t += r.randint(0, 30)
            c = 'C%07d' % r.randrange(customers)
            tp = TPS[r.randrange(len(TPS))]
            u = r.random()
            if u < 0.4:
                metric, score = 'nps', r.randint(0, 10)
            elif u < 0.7:
                metric, score = 'csat', r.randint(1, 5)
            elif u < 0.85:
                metric, score = 'ces', r.randint(1, 7)
            else:
                metric, score = 'rating', r.randint(1, 5)
            buf.append('%s,%d,%s,%s,%d\n' % (c, t, tp, metric, score))
            if len(buf) >= 10000:
                f.write(''.join(buf))
                buf = []
        f.write(''.join(buf))


if __name__ == '__main__':
    main()
