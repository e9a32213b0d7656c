#!/usr/bin/python3
"""plot.py RESULTS_DIR: draw the figures that read better as pictures
from make bench's JSON: create-vs-make.png (create next to the
incremental-make floor, per fix), plugin-overhead.png (the two whole
builds) and stop-time.png (every stopped window of each patch size next
to the empty stop_machine() calls). A figure whose JSON is missing is
skipped."""
import json
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

results = sys.argv[1]


def load(name):
    path = os.path.join(results, name + ".json")
    return json.load(open(path)) if os.path.exists(path) else None


def machine(data):
    m = data.get("machine", {})
    return f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores; {data.get('kernel', '')}"


def save(fig, name):
    fig.tight_layout()
    fig.savefig(os.path.join(results, name + ".png"), dpi=100)
    plt.close(fig)
    print(f"wrote {name}.png")


data = load("create-vs-make")
if data:
    fixes = data["fixes"]
    x = range(len(fixes))
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.bar([i - 0.2 for i in x], [f["create_median_s"] for f in fixes], 0.4, label="ksplice create")
    ax.bar([i + 0.2 for i in x], [f["make_median_s"] for f in fixes], 0.4, label="incremental make (floor)")
    top = max(max(f["create_median_s"], f["make_median_s"]) for f in fixes)
    for i, f in enumerate(fixes):
        ax.text(i, max(f["create_median_s"], f["make_median_s"]) + top * 0.02,
                f"ratio {f['ratio']:.2f}", ha="center")
    ax.set_ylim(0, top * 1.3)
    ax.set_xticks(list(x), [f"{f['fix']}\n{f.get('files', '?')} files, {f['functions']} functions" for f in fixes])
    ax.set_ylabel("seconds (median)")
    ax.set_title("Create time next to the incremental-make floor", fontsize=10)
    ax.legend(loc="upper left", ncol=2)
    fig.text(0.01, 0.01, machine(data), fontsize=7)
    save(fig, "create-vs-make")

data = load("plugin-overhead")
if data:
    cpu = [sum(b["cpu_s"] for b in data[k]) for k in ("plain", "ksplice")]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.bar(["plain", "KSPLICE=1"], cpu, color=["grey", "tab:blue"])
    ax.set_ylabel("CPU seconds (user+sys)")
    ax.set_title(f"Whole test-kernel build: ratio {data['cpu_ratio']:.3f}", fontsize=10)
    fig.text(0.01, 0.01, machine(data), fontsize=7)
    save(fig, "plugin-overhead")

data = load("stop-time")
if data:
    sizes = sorted((int(k.split("_")[1]), v) for k, v in data.items() if k.startswith("functions_"))
    series = [[s / 1e6 for s in data["empty_stop_machine_ns"]["samples"]]]
    series += [[s / 1e6 for s in v["window_samples_ns"]] for _, v in sizes]
    labels = ["empty stop_machine()\n(whole call)"] + [f"{n} function{'s' if n > 1 else ''}" for n, _ in sizes]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.boxplot(series, labels=labels, showfliers=True)
    for i, s in enumerate(series, start=1):
        ax.scatter([i] * len(s), s, s=8, alpha=0.5)
    ax.set_yscale("log")
    ax.set_ylabel("ms (log scale)")
    ax.set_title(f"Stopped window per patch, next to an empty stop_machine() call; {data['rounds']} rounds, one VM run", fontsize=9)
    fig.text(0.01, 0.01, machine(data), fontsize=7)
    save(fig, "stop-time")
