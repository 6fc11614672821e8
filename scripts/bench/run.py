#!/usr/bin/env python3
"""make bench: the suite's hot paths against the tools a user would otherwise reach for.

Each workload is a pair (ours, reference) run ALTERNATELY `reps` times on the same input, so
that the noise of a shared machine hits both alike; we report medians, the spread (min..max),
and the ratio ours/reference (time: below 1 means we are faster).  Dense rates are also given
as a fraction of OpenBLAS dgemm's rate measured IN THE SAME WINDOW: each rep of a dense workload
is bracketed by dgemm runs at the same thread count, and the fraction uses their median.  The
load is recorded before and after every workload: the load average, and the share of the CPU
other processes used during a second in which the bench sleeps.  When that share exceeds 25%
(half a core of 2) before or after a workload, or dgemm at 2 threads is under 1.5x dgemm at
1 thread (the second core is busy), the machine is busy: the row says so instead of a
fraction, and the table is written to figures/data/bench/bench-busy.tsv, not over the
published bench.tsv (BENCH_PUBLISH=1 forces).

Writes figures/data/bench/bench.tsv (atomically) and prints a table.  Workloads whose
programs are not built yet (experiments still to land) are skipped with a note.
Environment: BENCH_REPS (default 3), BENCH_THREADS (default 2), BENCH_QUICK=1 (small sizes),
BENCH_SUITE=1 (also time `make reproduce` and `make test`; slow), BENCH_ONLY=REGEX (only the
workloads whose "name size" matches; `make bench-check` uses it), BENCH_OUT=PATH (write there).
"""
import os, re, statistics, subprocess, sys, tempfile, time

B = os.environ.get("SIM_BUILD", "build")
REPS = int(os.environ.get("BENCH_REPS", "3"))
THREADS = os.environ.get("BENCH_THREADS", "2")
QUICK = os.environ.get("BENCH_QUICK") == "1"
PY = "/usr/bin/python3"
ENV = dict(os.environ, OPENBLAS_NUM_THREADS=THREADS, BENCH_THREADS=THREADS, OMP_NUM_THREADS=THREADS)
# References configured as a user who cares would: PyTorch's OpenMP threads sleep instead of
# spinning when idle (OMP_WAIT_POLICY=PASSIVE) and use no inter-op pool; OpenBLAS has as many
# threads as the workload is given, for us and for numpy/scipy alike.
ENV.update(OMP_WAIT_POLICY="PASSIVE")
LOAD_MAX = 1.5     # informational: the 1-minute load average includes the bench's own threads
OTHERS_MAX = 0.25  # other processes' share of the CPU while the bench sleeps
rows = []
busy = []
tmp = tempfile.mkdtemp(prefix="bench-")


ONLY = re.compile(os.environ["BENCH_ONLY"]) if os.environ.get("BENCH_ONLY") else None


def want(workload, size):
    return ONLY is None or bool(ONLY.search(f"{workload} {size}"))


def load():
    return float(open("/proc/loadavg").read().split()[0])


def others_busy(secs=1.0):
    """The fraction of the machine's CPU time used by OTHER processes during `secs` while the
    bench itself sleeps (from /proc/stat).  The load average cannot say this: it counts the
    bench's own threads of the workload that just ended for a minute afterwards."""
    def stat():
        v = [float(x) for x in open("/proc/stat").readline().split()[1:]]
        return sum(v), v[3] + v[4]  # total, idle + iowait
    t0, i0 = stat()
    time.sleep(secs)
    t1, i1 = stat()
    return 1.0 - (i1 - i0) / max(t1 - t0, 1e-9)


def dgemm_rate(th, n=2048):
    return run([f"{B}/bench/bench_linalg", "dgemm", str(n), str(th)])["gflops"]


def run(cmd, env=ENV):
    """Run cmd; return the dict of 'key value' lines it prints (seconds, gflops, ...)."""
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
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
    vals["process_seconds"] = wall  # the whole process: start-up, set-up and the timed part
    return vals


def pair(workload, size, ours, ref, key="seconds", flops=None, dgemm_rate=None, note="", threads=None, env=None):
    """Alternate ours/ref REPS times; record medians, spreads, the ratio, the load before and
    after, and (dense workloads: flops given) the fraction of same-window dgemm."""
    if not want(workload, size):
        return
    th = threads or THREADS
    env = env or dict(ENV, OPENBLAS_NUM_THREADS=th, BENCH_THREADS=th, OMP_NUM_THREADS=th)
    a, b, g, pa, pb = [], [], [], [], []
    l0, o0 = load(), others_busy()
    for _ in range(REPS):
        if flops:
            g.append(dgemm_rate_fn(th))
        va, vb = run(ours, env), run(ref, env)
        a.append(va[key]), b.append(vb[key])
        pa.append(va["process_seconds"]), pb.append(vb["process_seconds"])
    if flops:
        g.append(dgemm_rate_fn(th))
    l1, o1 = load(), others_busy()
    ma, mb = statistics.median(a), statistics.median(b)
    ratio = ma / mb if key == "seconds" else mb / ma  # always: >1 means we are slower
    gf = flops / ma / 1e9 if flops else float("nan")
    gd = statistics.median(g) if g else float("nan")
    is_busy = max(o0, o1) > OTHERS_MAX or machine_busy
    frac = gf / gd if (flops and not is_busy) else float("nan")
    if is_busy:
        busy.append(workload + " " + size)
    note = (note + "; " if note else "") + f"threads {th}; load {l0:.2f}->{l1:.2f}; others {o0:.0%}->{o1:.0%}" + \
        f"; whole process ours {statistics.median(pa):.3f} s ref {statistics.median(pb):.3f} s" + \
        (f"; same-window dgemm {gd:.1f} GFLOP/s" if flops else "") + ("; BUSY machine" if is_busy else "")
    rows.append((workload, size, ma, min(a), max(a), mb, min(b), max(b), ratio, gf, frac, note))
    print(f"{workload:28s} {size:>14s}  ours {ma:9.4f} s [{min(a):.4f}..{max(a):.4f}]  "
          f"ref {mb:9.4f} s [{min(b):.4f}..{max(b):.4f}]  ratio {ratio:5.2f}" +
          (f"  {gf:6.1f} GFLOP/s = " + (f"{frac:4.0%} of same-window dgemm" if not is_busy else "(busy: no %)")
           if flops else "") + f"  load {l0:.2f}->{l1:.2f}, others {o0:.0%}->{o1:.0%}", flush=True)


dgemm_rate_fn = dgemm_rate


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
# A second core that is busy shows as no gain from the second thread.
machine_busy = rate["2"] < 1.5 * rate["1"] or others_busy() > OTHERS_MAX
if machine_busy:
    print(f"the machine is busy (dgemm 2 threads {rate['2']:.1f} vs 1 thread {rate['1']:.1f} GFLOP/s, other "
          f"processes {others_busy():.0%} of the CPU): percentages of dgemm are not printed and the table goes to "
          f"bench-busy.tsv", flush=True)

# 2. KRR solve: Cholesky, ours vs scipy ----------------------------------------------------------
bl = f"{B}/bench/bench_linalg"
for n in ((500, 1000) if QUICK else (2000, 4000, 8000)):
    f = os.path.join(tmp, f"spd{n}.bin")
    if not (want("krr-solve (dposv)", f"n={n}") or want("eigh (dsyevd)", f"n={n}") or want("eig top-k", f"n={n},")):
        continue
    run([bl, "makespd", f, str(n)])
    pair("krr-solve (dposv)", f"n={n}", [bl, "chol", f, str(n)], [PY, "scripts/bench/ref_linalg.py", "chol", f, str(n)],
         flops=n ** 3 / 3, dgemm_rate=R, note="vs scipy cho_factor+cho_solve")

# 3. symmetric eigendecomposition ---------------------------------------------------------------
for n in ((300, 600) if QUICK else (1000, 2000, 4000)):
    f = os.path.join(tmp, f"spd{n}.bin")
    if not want("eigh (dsyevd)", f"n={n}"):
        continue
    if not os.path.exists(f):
        run([bl, "makespd", f, str(n)])
    pair("eigh (dsyevd)", f"n={n}", [bl, "eigh", f, str(n)], [PY, "scripts/bench/ref_linalg.py", "eigh", f, str(n)],
         note="vs numpy.linalg.eigh")
for n, k in (((600, 50),) if QUICK else ((4000, 200), (10000, 200))):
    f = os.path.join(tmp, f"spd{n}.bin")
    if not want("eig top-k (dsyevr)", f"n={n},k={k}"):
        continue
    if not os.path.exists(f):
        run([bl, "makespd", f, str(n)])
    pair("eig top-k (dsyevr)", f"n={n},k={k}", [bl, "eigtop", f, str(n), str(k)],
         [PY, "scripts/bench/ref_linalg.py", "eigtop", f, str(n), str(k)], note="vs scipy eigh subset_by_index")
    if os.path.exists(f):
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
publish = not busy or os.environ.get("BENCH_PUBLISH") == "1"
path = "figures/data/bench/bench.tsv" if publish else "figures/data/bench/bench-busy.tsv"
path = os.environ.get("BENCH_OUT") or path
if not publish:
    print(f"busy machine during {len(busy)} workload(s) ({', '.join(busy[:4])}{'...' if len(busy) > 4 else ''}): "
          f"not publishing over bench.tsv", flush=True)
with open(path + ".tmp", "w") as f:
    cfg = subprocess.run([f"{B}/bench/bench_linalg", "dgemm", "64", "1"], capture_output=True, text=True)
    f.write(f"# experiment: bench\n# reps: {REPS} alternating pairs; threads: {THREADS} (rows say their own)\n")
    f.write(f"# busy: {len(busy)} workload(s) ran while other processes used > {OTHERS_MAX:.0%} of the CPU or the "
            f"second core was busy\n")
    f.write(f"# machine: {os.cpu_count()} cores; {open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}\n")
    f.write("# ratio = ours/reference time (>1: we are slower); frac_dgemm = our GFLOP/s over dgemm's\n")
    f.write("workload\tsize\tours_s\tours_min\tours_max\tref_s\tref_min\tref_max\tratio\tgflops\tfrac_dgemm\tnote\n")
    for r in rows:
        f.write("\t".join(x if isinstance(x, str) else f"{x:.6g}" for x in r) + "\n")
os.replace(path + ".tmp", path)
print(f"wrote {path}")
