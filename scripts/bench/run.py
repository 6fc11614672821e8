#!/usr/bin/env python3
"""make bench: the suite's hot paths against the tools a user would otherwise reach for.

Each workload is a pair (ours, reference) run ALTERNATELY `reps` times on the same input, so
that the noise of a shared machine hits both alike; we report medians, the spread (min..max),
and the ratio ours/reference (time: below 1 means we are faster).  Dense rates are also given
as a fraction of the machine's OpenBLAS dgemm rate at the same thread count.

Writes figures/data/bench/bench.tsv (atomically) and prints a table.  Workloads whose
programs are not built yet (experiments still to land) are skipped with a note.
Environment: BENCH_REPS (default 3), BENCH_THREADS (default 2), BENCH_QUICK=1 (small sizes),
BENCH_SUITE=1 (also time `make reproduce` and `make test`; slow).
"""
import os, statistics, subprocess, sys, tempfile, time

B = os.environ.get("SIM_BUILD", "build")
REPS = int(os.environ.get("BENCH_REPS", "3"))
THREADS = os.environ.get("BENCH_THREADS", "2")
QUICK = os.environ.get("BENCH_QUICK") == "1"
PY = "/usr/bin/python3"
ENV = dict(os.environ, OPENBLAS_NUM_THREADS=THREADS, BENCH_THREADS=THREADS, OMP_NUM_THREADS=THREADS)
rows = []
tmp = tempfile.mkdtemp(prefix="bench-")


def run(cmd, env=ENV):
    """Run cmd; return the dict of 'key value' lines it prints (seconds, gflops, ...)."""
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {out.stderr.strip()[-400:]}")
    vals = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                vals[parts[0]] = float(parts[1])
            except ValueError:
                pass
    return vals


def pair(workload, size, ours, ref, key="seconds", flops=None, dgemm_rate=None, note=""):
    """Alternate ours/ref REPS times; record medians, spreads and the ratio."""
    a, b = [], []
    for _ in range(REPS):
        a.append(run(ours)[key])
        b.append(run(ref)[key])
    ma, mb = statistics.median(a), statistics.median(b)
    ratio = ma / mb if key == "seconds" else mb / ma  # always: >1 means we are slower
    gf = flops / ma / 1e9 if flops else float("nan")
    frac = gf / dgemm_rate if (flops and dgemm_rate) else float("nan")
    rows.append((workload, size, ma, min(a), max(a), mb, min(b), max(b), ratio, gf, frac, note))
    print(f"{workload:28s} {size:>14s}  ours {ma:9.4f} s [{min(a):.4f}..{max(a):.4f}]  "
          f"ref {mb:9.4f} s [{min(b):.4f}..{max(b):.4f}]  ratio {ratio:5.2f}" +
          (f"  {gf:6.1f} GFLOP/s = {frac:4.0%} of dgemm" if flops else ""), flush=True)


def have(path):
    if not os.path.exists(path):
        print(f"(skipped: {path} not built)")
        return False
    return True


# 1. machine limit ----------------------------------------------------------------------------
n = 1024 if QUICK else 4096
rate = {}
for th in ("1", "2"):
    r = [run([f"{B}/bench/bench_linalg", "dgemm", str(n), th])["gflops"] for _ in range(REPS)]
    rate[th] = statistics.median(r)
    rows.append(("dgemm", f"n={n},t={th}", float("nan"), 0, 0, float("nan"), 0, 0, float("nan"),
                 rate[th], 1.0, "machine limit"))
    print(f"{'dgemm':28s} {f'n={n},t={th}':>14s}  {rate[th]:.1f} GFLOP/s (median of {REPS})", flush=True)
R = rate[THREADS] if THREADS in rate else rate["2"]

# 2. KRR solve: Cholesky, ours vs scipy ----------------------------------------------------------
bl = f"{B}/bench/bench_linalg"
for n in ((500, 1000) if QUICK else (2000, 4000, 8000)):
    f = os.path.join(tmp, f"spd{n}.bin")
    run([bl, "makespd", f, str(n)])
    pair("krr-solve (dposv)", f"n={n}", [bl, "chol", f, str(n)], [PY, "scripts/bench/ref_linalg.py", "chol", f, str(n)],
         flops=n ** 3 / 3, dgemm_rate=R, note="vs scipy cho_factor+cho_solve")

# 3. symmetric eigendecomposition ---------------------------------------------------------------
for n in ((300, 600) if QUICK else (1000, 2000, 4000)):
    f = os.path.join(tmp, f"spd{n}.bin")
    if not os.path.exists(f):
        run([bl, "makespd", f, str(n)])
    pair("eigh (dsyevd)", f"n={n}", [bl, "eigh", f, str(n)], [PY, "scripts/bench/ref_linalg.py", "eigh", f, str(n)],
         note="vs numpy.linalg.eigh")
for n, k in (((600, 50),) if QUICK else ((4000, 200), (10000, 200))):
    f = os.path.join(tmp, f"spd{n}.bin")
    if not os.path.exists(f):
        run([bl, "makespd", f, str(n)])
    pair("eig top-k (dsyevr)", f"n={n},k={k}", [bl, "eigtop", f, str(n), str(k)],
         [PY, "scripts/bench/ref_linalg.py", "eigtop", f, str(n), str(k)], note="vs scipy eigh subset_by_index")
    os.remove(f)

# 4..7: workloads that live in later modules register themselves here -------------------------
extra = os.path.join("scripts", "bench", "extra.py")
if os.path.exists(extra):
    exec(open(extra).read())

# 8. whole suite ---------------------------------------------------------------------------------
if os.environ.get("BENCH_SUITE") == "1":
    for target in ("reproduce", "test"):
        t = time.time()
        subprocess.run(["make", "-s", target], capture_output=True)
        t = time.time() - t
        rows.append((f"make {target}", "default", t, t, t, float("nan"), 0, 0, float("nan"), float("nan"),
                     float("nan"), "wall time"))
        print(f"make {target}: {t:.0f} s", flush=True)

# output -----------------------------------------------------------------------------------------
os.makedirs("figures/data/bench", exist_ok=True)
path = "figures/data/bench/bench.tsv"
with open(path + ".tmp", "w") as f:
    cfg = subprocess.run([f"{B}/bench/bench_linalg", "dgemm", "64", "1"], capture_output=True, text=True)
    f.write(f"# experiment: bench\n# reps: {REPS} alternating pairs; threads: {THREADS}\n")
    f.write(f"# machine: {os.cpu_count()} cores; {open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}\n")
    f.write("# ratio = ours/reference time (>1: we are slower); frac_dgemm = our GFLOP/s over dgemm's\n")
    f.write("workload\tsize\tours_s\tours_min\tours_max\tref_s\tref_min\tref_max\tratio\tgflops\tfrac_dgemm\tnote\n")
    for r in rows:
        f.write("\t".join(x if isinstance(x, str) else f"{x:.6g}" for x in r) + "\n")
os.replace(path + ".tmp", path)
print(f"wrote {path}")
