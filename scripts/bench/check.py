#!/usr/bin/python3
"""make bench-check: a regression gate for the hot paths.  Reruns a short list of workloads
(the fast ones: a Cholesky solve, an eigendecomposition, the MLP steps, the eigenframework
solve, a small Gram matrix) with run.py into a scratch table, and compares each ratio
ours/reference with the committed figures/data/bench/bench.tsv.  A ratio fails when it is worse
than the committed one by more than the committed run's own spread: the larger of
max/min over its reps, for ours and for the reference (at least 10%).  Ratios, not times, so
a slower or busier machine does not fail the gate; a change that slows our code does.
Exit 1 on any failure; rows the committed table lacks are reported and skipped."""
import csv, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.chdir(ROOT)
ONLY = r"^(krr-solve \(dposv\) n=2000|eigh \(dsyevd\) n=1000|mlp step|eigenframework solve)"


def table(path):
    rows = {}
    with open(path) as f:
        lines = [l for l in f if not l.startswith("#")]
    for r in csv.DictReader(lines, delimiter="\t"):
        th = r["note"].split("threads ")[1].split(";")[0] if "threads " in r["note"] else ""
        rows[(r["workload"], r["size"], th)] = r
    return rows


committed = "figures/data/bench/bench.tsv"
if not os.path.exists(committed):
    sys.exit("bench-check: no committed figures/data/bench/bench.tsv to compare with (run make bench)")
out = os.path.join(tempfile.mkdtemp(prefix="bench-check-"), "bench.tsv")
env = dict(os.environ, BENCH_ONLY=ONLY, BENCH_OUT=out, BENCH_REPS=os.environ.get("BENCH_REPS", "3"))
if subprocess.run([sys.executable, "scripts/bench/run.py"], env=env).returncode != 0:
    sys.exit("bench-check: the benchmark run failed")
old, new = table(committed), table(out)
bad = 0
for key, r in new.items():
    if r["workload"] == "dgemm":
        continue
    o = old.get(key) or old.get((key[0], key[1], ""))
    if not o:
        print(f"bench-check: {key[0]} {key[1]} (threads {key[2]}): not in the committed table, skipped")
        continue
    f = lambda x: float(x)
    spread = max(f(o["ours_max"]) / f(o["ours_min"]), f(o["ref_max"]) / f(o["ref_min"]), 1.10)
    limit = f(o["ratio"]) * spread
    ok = f(r["ratio"]) <= limit
    bad += not ok
    print(f"bench-check: {key[0]:24s} {key[1]:18s} t={key[2] or '?'}  ratio {f(r['ratio']):.2f} "
          f"(committed {f(o['ratio']):.2f}, limit {limit:.2f})  {'ok' if ok else 'WORSE'}")
print(f"bench-check: {len(new) - sum(1 for k in new if k[0] == 'dgemm')} workloads, {bad} worse than their spread")
sys.exit(1 if bad else 0)
