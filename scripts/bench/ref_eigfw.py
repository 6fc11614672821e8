#!/usr/bin/python3
"""numpy reference for the eigenframework solve (what the authors' Python code does): kappa
from sum lam/(lam+kappa) = n by a root finder on log kappa with vectorised sums (scipy brentq),
then E0 = n/(n - sum L^2).  ref_eigfw.py M N REPS prints "seconds <per solve>" and the values."""
import sys, time
import numpy as np
from scipy.optimize import brentq

M, n, reps = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
lam = np.arange(1, M + 1, dtype=np.float64) ** -1.5
t = time.perf_counter()
for _ in range(reps):
    g = lambda u: (lam / (lam + np.exp(u))).sum() - n
    u = brentq(g, np.log(lam.min() * 1e-3), np.log(lam.sum() / n), xtol=1e-14, rtol=1e-15)
    kappa = np.exp(u)
    L = lam / (lam + kappa)
    E0 = n / (n - (L * L).sum())
t = (time.perf_counter() - t) / reps
print(f"seconds {t:.6f}\nkappa {kappa:.12g}\nE0 {E0:.12g}")
