# Workloads of later modules, run by scripts/bench/run.py (exec'd there: pair, have, B, PY,
# QUICK, R, rows are in scope).

# 7. MLP training step vs PyTorch CPU (same threads) --------------------------------------------
if have(f"{B}/bench/bench_mlp"):
    # deep-relu-first-step's teacher network (N=128, 16 -> 32 x 5 -> 4, L=6) and its MNIST one
    # (N=500, 784 -> 64 x 5 -> 10, L=6)
    for args, label in ((("128", "16", "32", "4", "6"), "teacher L=6 w=32"),
                        (("500", "784", "64", "10", "6"), "mnist L=6 w=64")):
        steps = "200" if QUICK else "2000"
        pair("mlp step (nn)", label, [f"{B}/bench/bench_mlp", *args, steps],
             [PY, "scripts/bench/ref_mlp.py", *args, steps], note="vs PyTorch CPU float64")

# 4. Gram matrices, MNIST-sized, vs numpy written the idiomatic way -----------------------------
if have(f"{B}/bench/bench_kernels"):
    n, d = (2000, 784) if QUICK else (8000, 784)
    for kind in ("laplace", "gaussian"):
        pair(f"gram {kind}", f"n={n},d={d}", [f"{B}/bench/bench_kernels", "gram", kind, str(n), str(d)],
             [PY, "scripts/bench/ref_linalg.py", "gram", kind, str(n), str(d)],
             flops=float(n) * n * d, dgemm_rate=R, note="vs numpy GEMM + elementwise")

# 5. eigenframework solve, 10^6 eigenvalues -----------------------------------------------------
    M = "100000" if QUICK else "1000000"
    pair("eigenframework solve", f"M={M},n=1000", [f"{B}/bench/bench_kernels", "eigfw", M, "1000", "5"],
         [PY, "scripts/bench/ref_eigfw.py", M, "1000", "5"], note="kappa and E0; vs numpy+brentq")
