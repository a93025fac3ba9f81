#!/usr/bin/env python3
"""Generate the bundled sample data set: a retail brand, six months of 2026.

Deterministic (seeded PRNG, no clock, no environment): running it again gives
byte-identical files, which the test suite checks.

    python3 examples/data/generate.py [OUTDIR]   (default: this script's folder)

It writes catalog.json (the built-in default catalog), events.csv and
feedback.csv, with structure that the analyses should find:
- online-checkout and support are pain points (low CSAT/CES/NPS, angry comments);
- sales-staff and delivery are bright spots;
- the designed "online-purchase" journey goes through online-reviews, which most
  online customers skip;
- store customers convert more often than online ones, and VIPs spend more.
"""
import csv
import datetime as dt
import os
import random
import sys

SEED = 20260101
CUSTOMERS = 5000
START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
DAYS = 181

# How good each touchpoint is, 0..1 (drives every score drawn for it).
QUALITY = {
    'online-checkout': 0.28, 'support': 0.30, 'returns': 0.45, 'billing': 0.55,
    'website': 0.62, 'product-page': 0.64, 'cart': 0.58, 'help-center': 0.55,
    'store': 0.70, 'point-of-sale': 0.60, 'store-parking': 0.50, 'store-signage': 0.66,
    'sales-staff': 0.90, 'delivery': 0.86, 'transactional-email': 0.70, 'follow-up': 0.72,
}

POSITIVE = {
    'sales-staff': ['The staff member was so helpful and friendly', 'Great advice, never pushy',
                    'Knew everything about the product, excellent service'],
    'delivery': ['Arrived a day early, perfect', 'Fast delivery and great tracking',
                 'Parcel arrived intact and on time'],
    'store': ['Lovely store, easy to find things', 'Clean and welcoming shop'],
    'product-page': ['Clear photos and accurate details', 'Good product information'],
    'online-checkout': ['Checkout was quick this time'],
    'support': ['Agent solved it quickly, thank you'],
    'website': ['Easy to find what I wanted'],
}
NEGATIVE = {
    'online-checkout': ['Payment failed twice, very frustrating', 'Checkout keeps crashing',
                        'Hidden shipping costs at the last step, not happy',
                        'Had to re-enter my address three times, terrible'],
    'support': ['Waited 40 minutes on chat, awful', 'Nobody solved my problem',
                'Support was rude and slow', 'Still no answer after a week'],
    'returns': ['Refund took weeks', 'Returning an item was complicated'],
    'website': ['Search results are useless', 'Site is slow on my phone'],
    'store': ['Long queue at the till', 'Shelves were empty'],
    'delivery': ['Parcel was late'],
    'product-page': ['Size guide was wrong'],
}
NEUTRAL = ['It was fine', 'Okay, nothing special', 'As expected']


class Gen:
    def __init__(self):
        self.r = random.Random(SEED)

    def quality_score(self, tp):
        q = QUALITY.get(tp, 0.65)
        return min(1.0, max(0.0, self.r.gauss(q, 0.18)))


def iso(t):
    return t.strftime('%Y-%m-%dT%H:%M:%SZ')


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    g = Gen()
    r = g.r
    events = []
    feedback = []
    for n in range(1, CUSTOMERS + 1):
        cid = 'C%05d' % n
        segment = r.choices(['new', 'returning', 'vip'], [50, 40, 10])[0]
        region = r.choice(['north', 'south', 'east', 'west'])
        t = START + dt.timedelta(minutes=r.randrange(0, DAYS * 24 * 60 - 60 * 24 * 20))
        njourneys = r.choices([1, 2, 3], [48, 36, 16])[0]
        for _ in range(njourneys):
            journey = []

            def touch(tp, gap_min=(2, 30), kind='interaction', value=''):
                nonlocal t
                t += dt.timedelta(minutes=r.randint(*gap_min))
                journey.append(tp)
                events.append([cid, iso(t), tp, kind, value, segment, region])

            online = r.random() < 0.7
            converted = False
            if online:
                touch(r.choices(['advertising', 'social-media', 'search', 'marketing-email'],
                                [35, 30, 30, 5])[0], (0, 10))
                if r.random() < 0.3:  # the designed step most customers skip
                    touch('online-reviews')
                touch('website')
                for _ in range(r.choices([1, 2, 3], [50, 35, 15])[0]):
                    touch('product-page', (1, 8))
                if r.random() < 0.62:
                    touch('cart', (1, 5))
                    if r.random() < 0.1:
                        touch('promotions', (1, 3))
                    touch('online-checkout', (1, 6))
                    converted = r.random() < 0.55
                if converted:
                    base = 60 if segment != 'vip' else 180
                    value = round(r.uniform(0.5, 2.0) * base, 2)
                    t += dt.timedelta(minutes=r.randint(1, 3))
                    events.append([cid, iso(t), 'online-checkout', 'conversion',
                                   '%.2f' % value, segment, region])
                    touch('transactional-email', (1, 5))
                    touch('delivery', (60 * 24, 60 * 24 * 4))
                    if r.random() < 0.25:
                        touch('support', (60, 60 * 48))
                    if r.random() < 0.15:
                        touch('help-center', (5, 60))
                    if r.random() < 0.10:
                        touch('returns', (60 * 24, 60 * 24 * 5))
                    if r.random() < 0.3:
                        touch('follow-up', (60 * 24, 60 * 24 * 7))
                    if r.random() < 0.2:
                        touch('billing', (60, 60 * 24 * 3))
                elif r.random() < 0.6:
                    t += dt.timedelta(minutes=r.randint(1, 20))
                    events.append([cid, iso(t), journey[-1], 'exit', '', segment, region])
            else:
                touch(r.choices(['word-of-mouth', 'advertising', 'catalog', 'community'],
                                [35, 35, 20, 10])[0], (0, 60 * 24))
                touch('store-parking', (60 * 24, 60 * 24 * 5))
                touch('store', (1, 5))
                touch('store-signage', (1, 5))
                if r.random() < 0.7:
                    touch('sales-staff', (2, 15))
                if r.random() < 0.8:
                    touch('point-of-sale', (5, 25))
                    converted = True
                    base = 45 if segment != 'vip' else 150
                    value = round(r.uniform(0.5, 2.0) * base, 2)
                    t += dt.timedelta(minutes=r.randint(1, 4))
                    events.append([cid, iso(t), 'point-of-sale', 'conversion',
                                   '%.2f' % value, segment, region])
                    if r.random() < 0.4:
                        touch('billing', (60, 60 * 24))
                    if r.random() < 0.3:
                        touch('loyalty-program', (60, 60 * 24 * 3))
                    if r.random() < 0.1:
                        touch('thank-you-card', (60 * 24, 60 * 24 * 5))
                    if r.random() < 0.08:
                        touch('returns', (60 * 24, 60 * 24 * 6))
                if r.random() < 0.1:
                    touch('phone', (60, 60 * 24))

            # Feedback on a few touchpoints of this journey.
            asked = [tp for tp in dict.fromkeys(journey) if tp in QUALITY]
            r.shuffle(asked)
            for tp in asked[:r.choices([0, 1, 2, 3], [42, 38, 16, 4])[0]]:
                when = iso(t + dt.timedelta(hours=r.randint(1, 72)))
                q = g.quality_score(tp)
                metric = r.choices(['nps', 'csat', 'ces', 'rating'], [35, 30, 18, 17])[0]
                if metric == 'nps':
                    score = str(min(10, max(0, round(q * 10 + r.gauss(0.6, 1.0)))))
                elif metric == 'csat':
                    score = str(min(5, max(1, round(1 + q * 4 + r.gauss(0, 0.5)))))
                elif metric == 'ces':
                    score = str(min(7, max(1, round(1 + q * 6 + r.gauss(0, 0.7)))))
                else:
                    score = str(min(5, max(1, round(1 + q * 4 + r.gauss(0, 0.4)))))
                comment = ''
                if r.random() < (0.55 if metric == 'rating' else 0.25):
                    if q > 0.7 and tp in POSITIVE:
                        comment = r.choice(POSITIVE[tp])
                    elif q < 0.4 and tp in NEGATIVE:
                        comment = r.choice(NEGATIVE[tp])
                    else:
                        comment = r.choice(NEUTRAL)
                feedback.append([cid, when, tp, metric, score, comment, ''])
            t += dt.timedelta(days=r.randint(5, 40))

    # Mystery-shopping audits: 120 store visits, weighted checklists.
    items = [('audit:greeting', 'store', 2, 'score'), ('audit:cleanliness', 'store', 1, 'score'),
             ('audit:product-knowledge', 'sales-staff', 2, 'score'),
             ('audit:queue-time', 'point-of-sale', 1, 'score'),
             ('audit:card-terminal', 'point-of-sale', 1, 'passfail'),
             ('audit:signage', 'store-signage', 1, 'passfail'),
             ('audit:parking-lit', 'store-parking', 1, 'passfail'),
             ('audit:thank-you', 'sales-staff', 1, 'passfail')]
    for v in range(1, 121):
        auditor = 'A%03d' % (v % 12 + 1)
        when = iso(START + dt.timedelta(days=r.randrange(DAYS), hours=r.randint(9, 18)))
        store = r.choice(['north', 'south', 'east', 'west'])
        for item, tp, weight, kind in items:
            q = g.quality_score(tp)
            if kind == 'score':
                score = str(int(round(q * 100)))
            elif item == 'audit:parking-lit' and r.random() < 0.3:
                score = 'n/a'  # daytime visit: not applicable
            else:
                score = 'pass' if r.random() < q + 0.15 else 'fail'
            comment = 'Visit %d to the %s store' % (v, store) if item == 'audit:greeting' else ''
            feedback.append([auditor, when, tp, item, score, comment, str(weight)])

    events.sort(key=lambda e: (e[1], e[0]))
    feedback.sort(key=lambda f: (f[1], f[0], f[3]))
    with open(os.path.join(out, 'events.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['customer_id', 'timestamp', 'touchpoint', 'type', 'value', 'segment', 'region'])
        w.writerows(events)
    with open(os.path.join(out, 'feedback.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['customer_id', 'timestamp', 'touchpoint', 'metric', 'score', 'comment',
                    'weight'])
        w.writerows(feedback)
    print('%d events, %d feedback rows' % (len(events), len(feedback)))


if __name__ == '__main__':
    main()
