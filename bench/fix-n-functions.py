#!/usr/bin/env python3
"""fix-n-functions.py KDIR SRC N [NAME,...]: print a fix that changes N
functions of SRC (a .c file of the built tree KDIR) by one nop each, for
benchmarks that need a patch of a given size. Functions come from the
object's symbol table (kept out of line, 16 bytes or more, not
__init/__exit), in source order, or only those NAMEs."""
import re
import subprocess
import sys

kdir, src, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
only = set(sys.argv[4].split(",")) if len(sys.argv) > 4 else None
obj = src[:-2] + ".o"
names = set()
for line in subprocess.run(["nm", "-S", f"{kdir}/{obj}"], capture_output=True,
                           text=True, check=True).stdout.splitlines():
    fields = line.split()
    if (len(fields) == 4 and fields[2] in "tT" and int(fields[1], 16) >= 16
            and "." not in fields[3] and (only is None or fields[3] in only)):
        names.add(fields[3])

lines = open(f"{kdir}/{src}").read().split("\n")
out, done, pending = [], set(), None
for line in lines:
    out.append(line)
    header = re.match(r"^[A-Za-z_].*?\b([A-Za-z_]\w*)\(", line)
    if (header and not line.rstrip().endswith(";") and header.group(1) in names
            and "__init" not in line and "__exit" not in line):
        pending = header.group(1)
    elif line == "{" and pending and pending not in done and len(done) < want:
        out.append('\tasm volatile("nop");')
        done.add(pending)
        pending = None
    elif line.startswith("}") or line.rstrip().endswith(";") and not line.startswith((" ", "\t")):
        pending = None
if len(done) < want:
    sys.exit(f"{src}: only {len(done)} functions found, {want} wanted")

old = f"{kdir}/{src}"
new = "\n".join(out)
diff = subprocess.run(["diff", "-u", "--label", f"a/{src}", "--label", f"b/{src}", old, "-"],
                      input=new, capture_output=True, text=True)
print(f"Subject: bench: a nop in {want} functions of {src}\n")
print(diff.stdout, end="")
