#!/usr/bin/env python3
"""fix-n-functions.py KDIR SRC[,SRC...] N [NAME,...]: print a fix that
changes N functions by one nop each, for benchmarks that need a patch of
a given size: functions of the first SRC (a .c file of the built tree
KDIR), then of the next when it has too few. Functions come from each
object's symbol table (kept out of line, 16 bytes or more, not
__init/__exit), in source order, or only those NAMEs."""
import re
import subprocess
import sys

kdir, srcs, want = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
only = set(sys.argv[4].split(",")) if len(sys.argv) > 4 else None


def candidates(src):
    """Functions of SRC's object that a nop can be added to."""
    names = set()
    nm = subprocess.run(["nm", "-S", f"{kdir}/{src[:-2]}.o"], capture_output=True,
                        text=True, check=True).stdout
    for line in nm.splitlines():
        fields = line.split()
        if (len(fields) == 4 and fields[2] in "tT" and int(fields[1], 16) >= 16
                and "." not in fields[3] and (only is None or fields[3] in only)):
            names.add(fields[3])
    return names


def add_nops(src, count):
    """SRC's diff with a nop in up to COUNT functions, and how many."""
    names = candidates(src)
    out, done, pending = [], set(), None
    for line in open(f"{kdir}/{src}").read().split("\n"):
        out.append(line)
        header = re.match(r"^[A-Za-z_].*?\b([A-Za-z_]\w*)\(", line)
        if (header and not line.rstrip().endswith(";") and header.group(1) in names
                and "__init" not in line and "__exit" not in line):
            pending = header.group(1)
        elif line == "{" and pending and pending not in done and len(done) < count:
            out.append('\tasm volatile("nop");')
            done.add(pending)
            pending = None
        elif line.startswith("}") or line.rstrip().endswith(";") and not line.startswith((" ", "\t")):
            pending = None
    diff = subprocess.run(["diff", "-u", "--label", f"a/{src}", "--label", f"b/{src}",
                           f"{kdir}/{src}", "-"], input="\n".join(out),
                          capture_output=True, text=True)
    return diff.stdout, len(done)


diffs, total = [], 0
for src in srcs:
    if total == want:
        break
    diff, found = add_nops(src, want - total)
    if found:
        diffs.append(diff)
        total += found
if total < want:
    sys.exit(f"{','.join(srcs)}: only {total} functions found, {want} wanted")
print(f"Subject: bench: a nop in {want} functions of {', '.join(srcs)}\n")
print("".join(diffs), end="")
