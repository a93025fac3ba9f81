#!/usr/bin/env python3
"""Rewrite the global list of lib/touchpoint.sym from the TP_API declarations
in include/touchpoint/*.h (sorted). Run after adding a public function; review
the diff, since every name added is a promise kept for the life of the ABI."""
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
names = set()
for h in sorted((root / 'include' / 'touchpoint').glob('*.h')):
    text = h.read_text()
    for m in re.finditer(r'TP_API\s+[^;{(]*?\b(tp_[a-z0-9_]+)\s*\(', text):
        names.add(m.group(1))
sym = root / 'lib' / 'touchpoint.sym'
s = sym.read_text()
head, rest = s.split('  global:\n', 1)
_, tail = rest.split('  local:\n', 1)
body = ''.join(f'    {n};\n' for n in sorted(names))
sym.write_text(head + '  global:\n' + body + '  local:\n' + tail)
print(f'{len(names)} names in {sym.relative_to(root)}')
