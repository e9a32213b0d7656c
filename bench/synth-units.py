#!/usr/bin/env python3
"""synth-units.py OUTDIR UNITS FUNCTIONS: write UNITS C files of FUNCTIONS
functions each (unit_NNN.c), kernel-like in shape: small functions that
call their neighbours, read a static table and branch, so that the
plugin has code, calls, data and types to fingerprint. With --changed,
the first function of unit 0 differs by one constant: the post side of
a one-function fix."""
import os
import sys

changed = "--changed" in sys.argv
args = [a for a in sys.argv[1:] if a != "--changed"]
outdir, units, functions = args[0], int(args[1]), int(args[2])
os.makedirs(outdir, exist_ok=True)

for u in range(units):
    lines = [
        "struct unit_state { int count; long total; unsigned char flags[8]; };",
        f"static const int u{u}_table[16] = {{ {', '.join(str((u * 7 + i * 13) % 97) for i in range(16))} }};",
        f"struct unit_state u{u}_state;",
    ]
    for f in range(functions):
        name = f"u{u}_f{f}"
        k = (u * 31 + f * 17) % 251 + (1 if changed and u == 0 and f == 0 else 0)
        lines.append(f"int {name}(int x);")
        body = [f"int {name}(int x)", "{",
                f"\tint y = x * {k} + u{u}_table[x & 15];"]
        if f > 0:
            body.append(f"\tif (y & {1 << (f % 5)})")
            body.append(f"\t\ty += u{u}_f{f - 1}(y >> 1);")
        if f % 3 == 0:
            body.append(f"\tu{u}_state.count++;")
            body.append(f"\tu{u}_state.total += y;")
        body += [f"\treturn y ^ {f};", "}"]
        lines += body
    with open(os.path.join(outdir, f"unit_{u:03d}.c"), "w") as out:
        out.write("\n".join(lines) + "\n")
