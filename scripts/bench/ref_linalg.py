#!/usr/bin/python3
"""Reference timings with numpy/scipy (Debian's python3-numpy, python3-scipy), mirroring
tests/bench/bench_linalg.c: the same matrix file, one call timed, "seconds <t>" printed.

  ref_linalg.py chol FILE N        scipy.linalg.cho_factor + cho_solve
  ref_linalg.py eigh FILE N        numpy.linalg.eigh
  ref_linalg.py eigtop FILE N K    scipy.linalg.eigh(subset_by_index=[N-K, N-1])
  ref_linalg.py gram KIND N D      GEMM inner products then elementwise, in place

Like for like: the matrix is symmetric, so scipy is handed A.T, a free Fortran-ordered view of
the C-ordered array (handing it A makes it transpose n^2 numbers inside the timer, which ours
does not do).  The Gram reference is written as a user who cares would write it: one GEMM, then
every elementwise step in place (out=), no n x n temporaries (the "idiomatic" version with
broadcasting made about six 512 MB temporaries at n = 8000 and ran at a third of its CPU time;
scipy's cdist does not use GEMM and is slower still at d = 784).
"""
import sys, time
import numpy as np
import scipy.linalg as sl

mode = sys.argv[1]
if mode == "gram":
    kind, n, d = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    X = np.random.default_rng(1).standard_normal((n, d)) / np.sqrt(d)
    t = time.perf_counter()
    sq = np.einsum("ij,ij->i", X, X)
    K = X @ X.T                      # the one n x n array
    K *= -2.0
    K += sq[:, None]
    K += sq[None, :]
    np.maximum(K, 0.0, out=K)        # squared distances
    if kind == "laplace":
        np.sqrt(K, out=K)
        np.negative(K, out=K)
    else:
        K *= -0.5
    np.exp(K, out=K)
    t = time.perf_counter() - t
    print(f"seconds {t:.6f}")
    sys.exit(0)
path, n = sys.argv[2], int(sys.argv[3])
A = np.fromfile(path, dtype=np.float64).reshape(n, n)
b = 1.0 / (1.0 + np.arange(n))
t = time.perf_counter()
if mode == "chol":
    c = sl.cho_factor(A.T, lower=True, overwrite_a=True, check_finite=False)
    x = sl.cho_solve(c, b, check_finite=False)
    t = time.perf_counter() - t
    print(f"seconds {t:.6f}\ngflops {n**3 / 3 / t / 1e9:.3f}")
elif mode == "eigh":
    w, V = np.linalg.eigh(A)
    print(f"seconds {time.perf_counter() - t:.6f}")
elif mode == "eigtop":
    k = int(sys.argv[4])
    w, V = sl.eigh(A.T, subset_by_index=[n - k, n - 1], overwrite_a=True, check_finite=False, driver="evr")
    print(f"seconds {time.perf_counter() - t:.6f}")
