#!/usr/bin/python3
"""PyTorch CPU reference for tests/bench/bench_mlp.c: the same bias-free ReLU MLP, float64,
full batch, loss (1/2N)|F - Y|^2, plain GD step; prints "seconds <time per step>".
Threads: as many intra-op threads as the workload is given, no inter-op pool, and (set by
run.py) OMP_WAIT_POLICY=PASSIVE, so idle OpenMP threads sleep instead of spinning against
OpenBLAS's threads on a 2-core machine."""
import os, sys, time
import torch

N, din, w, dout, L, steps = map(int, sys.argv[1:7])
torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "1")))
torch.set_num_interop_threads(1)  # no second pool competing for the cores
torch.manual_seed(1)
widths = [din] + [w] * (L - 1) + [dout]
Ws = [(torch.randn(widths[l + 1], widths[l], dtype=torch.float64) * (2.0 / widths[l]) ** 0.5).requires_grad_()
      for l in range(L)]
X = torch.randn(N, din, dtype=torch.float64)
Y = torch.randn(N, dout, dtype=torch.float64)
eta = 1e-3
for s in range(-10, steps):
    if s == 0:
        t = time.perf_counter()
    H = X
    for l, W in enumerate(Ws):
        H = H @ W.T
        if l < L - 1:
            H = torch.relu(H)
    loss = ((H - Y) ** 2).sum() / (2 * N)
    for W in Ws:
        W.grad = None
    loss.backward()
    with torch.no_grad():
        for W in Ws:
            W -= eta * W.grad
print(f"seconds {(time.perf_counter() - t) / steps:.9f}")
