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
