#!/usr/bin/env python3
"""The committed sample data is exactly what examples/data/generate.py makes."""
import filecmp
import os
import subprocess
import sys
import tempfile

root = sys.argv[1]
src = os.path.join(root, 'examples', 'data')
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, os.path.join(src, 'generate.py'), tmp], check=True,
                   stdout=subprocess.DEVNULL)
    bad = [n for n in ('events.csv', 'feedback.csv')
           if not filecmp.cmp(os.path.join(src, n), os.path.join(tmp, n), shallow=False)]
if bad:
    print('regenerated sample differs from the committed one: ' + ', '.join(bad))
    sys.exit(1)
print('1 passed, 0 failed')
