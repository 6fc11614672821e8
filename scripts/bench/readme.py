#!/usr/bin/python3
"""bench/readme.py: README's performance table, generated from figures/data/bench/bench.tsv.

Everything between `<!-- bench:begin -->` and `<!-- bench:end -->` in README.md is replaced by
one row per workload of the committed table: the median times, the ratio ours/reference with
its spread (the range of the per-rep times), the fraction of same-window dgemm for dense
workloads, the threads, the load average before and after (it includes the bench's own threads)
and the share of the CPU other processes used before and after.  So every number README states
about performance is a number of bench.tsv.  `make bench` runs it after a published run.
"""
import csv, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
path = os.path.join(ROOT, "figures", "data", "bench", "bench.tsv")
header = [l for l in open(path) if l.startswith("#")]
rows = list(csv.DictReader((l for l in open(path) if not l.startswith("#")), delimiter="\t"))


def f(x):
    try:
        return float(x)
    except ValueError:
        return float("nan")


def field(note, key):
    m = re.search(key + r" ([^;]*)", note)
    return m.group(1).strip() if m else ""


out = [BEGIN, ""]
out.append("From `figures/data/bench/bench.tsv` (" + "; ".join(h[2:].strip() for h in header[1:3]) + "). "
           "Ratio = our median time over the reference's (below 1: we are faster), with the range over the "
           "alternating reps; dense rates as a fraction of dgemm measured in the same window.")
out.append("")
out.append("| workload | size | threads | ours (s) | reference (s) | ratio [range] | GFLOP/s (of dgemm) | load average | other processes' CPU | reference |")
out.append("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    note = r["note"]
    th = field(note, "threads")
    ld = field(note, "load")
    ot = field(note, "others")
    ref = note.split(";")[0] if note else ""
    if r["workload"] == "dgemm":
        out.append(f"| dgemm | {r['size']} | {r['size'].split('t=')[-1]} | | | | {f(r['gflops']):.1f} (the machine) | | | OpenBLAS |")
        continue
    lo = f(r["ours_min"]) / f(r["ref_max"]) if f(r["ref_max"]) else float("nan")
    hi = f(r["ours_max"]) / f(r["ref_min"]) if f(r["ref_min"]) else float("nan")
    gf = "" if f(r["gflops"]) != f(r["gflops"]) else (f"{f(r['gflops']):.1f}" + (
        f" ({f(r['frac_dgemm']):.0%})" if f(r["frac_dgemm"]) == f(r["frac_dgemm"]) else " (busy: no %)"))
    out.append(f"| {r['workload']} | {r['size']} | {th} | {f(r['ours_s']):.4g} | {f(r['ref_s']):.4g} | "
               f"{f(r['ratio']):.2f} [{lo:.2f}–{hi:.2f}] | {gf} | {ld} | {ot} | {ref} |")
out += ["", END]
readme = os.path.join(ROOT, "README.md")
text = open(readme).read()
if BEGIN not in text:
    sys.exit("bench/readme.py: README.md has no %s ... %s block" % (BEGIN, END))
a, b = text.index(BEGIN), text.index(END) + len(END)
new = text[:a] + "\n".join(out) + text[b:]
if new != text:
    open(readme + ".tmp", "w").write(new)
    os.replace(readme + ".tmp", readme)
print("bench/readme.py: README performance table from %d rows" % len(rows))
