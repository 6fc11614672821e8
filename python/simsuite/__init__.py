"""simsuite: the eigenframework theory of kernel ridge regression and random-feature regression
on your own spectrum, the suite's kernels and the Hermite eigenstructure ansatz.

A thin ctypes layer over libsimsuite (common/simsuite.h); standard library and NumPy only, no
build step.  Every array is float64; errors from the library are raised as SimsuiteError with
the library's message.

    import numpy as np, simsuite
    lam = np.arange(1, 2001) ** -1.5                 # your kernel's eigenvalues
    v = lam ** 0.5                                   # your target's coefficients
    p = simsuite.krr(lam, v, n=[64, 256, 1024], ridge=1e-3, noise=0.5)
    print(p["test_mse"], p["kappa"], p["E0"])

Theory: Simon, Dickens, Karkada, DeWeese, arXiv 2110.03922 (KRR eigenframework); Simon, Karkada,
Ghosh, Belkin, arXiv 2311.14646 (random features, "more is better"); Karkada, Turnbull, Liu,
Simon, arXiv 2510.14878 (Hermite eigenstructure ansatz).  Conventions: absolute ridge (added to
the unnormalised Gram matrix), label-noise variance, test MSE against noisy labels
("test_mse_clean" subtracts the noise), pool spectra lambda = eig(K)/M, v = U^T y / sqrt(M).

The library is found, in order, at $SIMSUITE_LIB, in the directory recorded by `make install`,
in the repository's build/ next to this package, then by ctypes.util.find_library("simsuite").
"""
import ctypes
import ctypes.util
import math
import os

import numpy as np

from .tsv import read_tsv

__all__ = ["SimsuiteError", "krr", "rf", "optimal_ridge", "holdout", "pool_spectrum", "gram",
           "hea_eigenvalues", "hermite_h", "read_tsv", "version", "library_path"]

SS_OK, SS_EINVAL, SS_ENOROOT, SS_ENOMEM, SS_EFAIL = 0, 1, 2, 3, 4


class SimsuiteError(Exception):
    """A failure reported by libsimsuite: .status is its SS_E* code, str() its message."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def _find_library():
    cands = []
    if os.environ.get("SIMSUITE_LIB"):
        cands.append(os.environ["SIMSUITE_LIB"])
    try:
        from ._libdir import LIBDIR  # written by make install
        cands.append(os.path.join(LIBDIR, "libsimsuite.so.1"))
    except ImportError:
        pass
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    cands.append(os.path.join(root, os.environ.get("SIM_BUILD", "build"), "libsimsuite.so.1"))
    found = ctypes.util.find_library("simsuite")
    if found:
        cands.append(found)
    for c in cands:
        if os.path.exists(c) or (c == found):
            try:
                return ctypes.CDLL(c), c
            except OSError:
                continue
    raise ImportError("libsimsuite not found (tried %s): run `make lib` in the repository, or "
                      "`make install PREFIX=...`, or set SIMSUITE_LIB=/path/libsimsuite.so.1" % ", ".join(cands))


_lib, library_path = _find_library()

_D = ctypes.c_double
_P = ctypes.POINTER(ctypes.c_double)
_IP = ctypes.POINTER(ctypes.c_int)
_S = ctypes.c_size_t


class _KRR(ctypes.Structure):
    _fields_ = [(f, _D) for f in ("n", "ridge", "noise", "kappa", "E0", "sumL", "sumL2", "learnability", "test_mse",
                                  "test_mse_clean", "train_mse", "bias", "variance", "fitting_ratio")]


class _RF(ctypes.Structure):
    _fields_ = [(f, _D) for f in ("n", "k", "ridge", "noise", "gamma", "kappa", "z", "q", "E0", "bias", "test_mse",
                                  "test_mse_clean", "train_mse", "fitting_ratio")] + [("peak", ctypes.c_int)]


class _OPT(ctypes.Structure):
    _fields_ = [(f, _D) for f in ("ridge", "test_mse", "test_mse_clean", "train_mse", "fitting_ratio")] + \
               [("where", ctypes.c_int)]


_lib.ss_version.restype = ctypes.c_char_p
_lib.ss_last_error.restype = ctypes.c_char_p
_lib.ss_krr.argtypes = [_S, _P, _P, _P, _D, _D, _D, _D, _D, ctypes.POINTER(_KRR), _P]
_lib.ss_rf.argtypes = [_S, _P, _P, _P, _D, _D, _D, _D, _D, _D, ctypes.POINTER(_RF)]
_lib.ss_optimal_ridge.argtypes = [_S, _P, _P, _P, _D, _D, _D, _D, _D, _D, _D, ctypes.c_int, _D, ctypes.c_int,
                                  ctypes.POINTER(_OPT)]
_lib.ss_holdout.argtypes = [_D, _D, _D, _D]
_lib.ss_holdout.restype = _D
_lib.ss_pool_spectrum.argtypes = [ctypes.c_int, _P, ctypes.c_int, _P, _P, _P]
_lib.ss_kernel_gram.argtypes = [ctypes.c_char_p, _D, ctypes.c_int, _D, _D, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                _P, _P, _P]
_lib.ss_hea_eigenvalues.argtypes = [ctypes.c_int, _P, ctypes.c_char_p, _D, ctypes.c_int, _S, _P, _IP, _IP,
                                    ctypes.POINTER(_S)]
_lib.ss_hermite_h.argtypes = [ctypes.c_int, _D, _P]
for _f in ("ss_krr", "ss_rf", "ss_optimal_ridge", "ss_pool_spectrum", "ss_kernel_gram", "ss_hea_eigenvalues",
           "ss_hermite_h"):
    getattr(_lib, _f).restype = ctypes.c_int


def version():
    return _lib.ss_version().decode()


def _check(status):
    if status:
        raise SimsuiteError(status, _lib.ss_last_error().decode(errors="replace"))


def _arr(x, name, n=None, ndim=1):
    a = np.ascontiguousarray(np.asarray(x, dtype=np.float64))
    if a.ndim != ndim:
        raise ValueError("%s must be a %d-dimensional array (got shape %s)" % (name, ndim, a.shape))
    if n is not None and a.shape[0] != n:
        raise ValueError("%s has %d entries but there are %d eigenvalues: one per eigenvalue" % (name, a.shape[0], n))
    return a


def _ptr(a):
    return None if a is None else a.ctypes.data_as(_P)


def _spectrum(lam, v, v2, mult):
    lam = _arr(lam, "lam")
    M = lam.shape[0]
    if v is not None and v2 is not None:
        raise ValueError("give v (coefficients) or v2 (squared coefficients), not both")
    if v is not None:
        v2 = _arr(v, "v", M) ** 2
    elif v2 is not None:
        v2 = _arr(v2, "v2", M)
    if mult is not None:
        mult = _arr(mult, "mult", M)
    return lam, v2, mult


def _grid(**kw):
    """Broadcast the scalar-or-array arguments; returns (shape, list of dicts)."""
    arrs = {k: np.asarray(v, dtype=np.float64) for k, v in kw.items()}
    b = np.broadcast(*arrs.values())
    shape = b.shape
    flat = {k: np.broadcast_to(a, shape).ravel() for k, a in arrs.items()}
    size = int(np.prod(shape)) if shape else 1
    return shape, [{k: float(flat[k][i]) for k in flat} for i in range(size)]


def _collect(rows, fields, shape):
    out = {}
    for f in fields:
        a = np.array([r[f] for r in rows], dtype=np.float64)
        out[f] = a.reshape(shape) if shape else a[0]
    return out


_KRR_FIELDS = [f for f, _ in _KRR._fields_]
_RF_FIELDS = [f for f, _ in _RF._fields_]


def krr(lam, v=None, *, n, ridge=0.0, noise=0.0, v2=None, mult=None, tail=0.0, target_tail=0.0,
        learnabilities=False):
    """Eigenframework predictions of kernel ridge regression (arXiv 2110.03922).

    lam: eigenvalues (M,) >= 0; v: target coefficients (M,) or v2: their squares (per level if
    mult, the level multiplicities, is given); tail: eigenvalue mass beyond the M modes (acts as
    ridge); target_tail: target power beyond them.  n, ridge, noise: scalars or arrays
    (broadcast together).  Returns a dict of arrays of the broadcast shape: kappa, E0, sumL,
    sumL2, learnability, test_mse (noisy labels), test_mse_clean, train_mse, bias, variance,
    fitting_ratio, and "L" (shape + (M,)) when learnabilities is true."""
    lam, v2, mult = _spectrum(lam, v, v2, mult)
    M = lam.shape[0]
    shape, pts = _grid(n=n, ridge=ridge, noise=noise)
    rows, Ls = [], []
    for p in pts:
        r = _KRR()
        L = np.empty(M) if learnabilities else None
        _check(_lib.ss_krr(M, _ptr(lam), _ptr(mult), _ptr(v2), float(tail), float(target_tail), p["n"], p["ridge"],
                           p["noise"], ctypes.byref(r), _ptr(L)))
        rows.append({f: getattr(r, f) for f in _KRR_FIELDS})
        Ls.append(L)
    out = _collect(rows, _KRR_FIELDS, shape)
    if learnabilities:
        out["L"] = np.array(Ls).reshape(shape + (M,))
    return out


def rf(lam, v=None, *, n, k, ridge=0.0, noise=0.0, v2=None, mult=None, tail=0.0, target_tail=0.0):
    """Random-feature ridge regression with k features (arXiv 2311.14646); k = inf is KRR.

    Returns a dict of arrays: gamma, kappa, z, q, E0, bias (clean), test_mse, test_mse_clean,
    train_mse, fitting_ratio, peak (1 at the ridgeless k = n double-descent peak, E0 = inf)."""
    lam, v2, mult = _spectrum(lam, v, v2, mult)
    M = lam.shape[0]
    shape, pts = _grid(n=n, k=k, ridge=ridge, noise=noise)
    rows = []
    for p in pts:
        r = _RF()
        _check(_lib.ss_rf(M, _ptr(lam), _ptr(mult), _ptr(v2), float(tail), float(target_tail), p["n"], p["k"],
                          p["ridge"], p["noise"], ctypes.byref(r)))
        d = {f: getattr(r, f) for f in _RF_FIELDS}
        d["peak"] = float(r.peak)
        rows.append(d)
    return _collect(rows, _RF_FIELDS + ["peak"], shape)


def optimal_ridge(lam, v=None, *, n, k=math.inf, noise=0.0, v2=None, mult=None, tail=0.0, target_tail=0.0,
                  lo=None, hi=None, grid=101, tol=1e-8, include_zero=True):
    """The ridge minimising the predicted test MSE: a log grid on [lo, hi] (default 1e-8 and 1e2
    times the trace), Brent-refined in log ridge to tol, compared with ridge -> inf and (if
    include_zero) ridge 0.  Returns a dict: ridge, test_mse, test_mse_clean, train_mse,
    fitting_ratio (train/test at the optimum), where (0 interior, 1 grid end, 2 inf, 3 zero)."""
    lam, v2, mult = _spectrum(lam, v, v2, mult)
    M = lam.shape[0]
    # summed in order (cumsum), as eigenpredict does, so both search the same grid
    trace = float(np.cumsum(np.where(lam > 0, (mult if mult is not None else 1.0) * lam, 0.0))[-1]) + float(tail)
    lo = 1e-8 * trace if lo is None else lo
    hi = 1e2 * trace if hi is None else hi
    shape, pts = _grid(n=n, k=k, noise=noise)
    rows = []
    for p in pts:
        o = _OPT()
        _check(_lib.ss_optimal_ridge(M, _ptr(lam), _ptr(mult), _ptr(v2), float(tail), float(target_tail), p["n"],
                                     p["k"], p["noise"], float(lo), float(hi), int(grid), float(tol), int(include_zero),
                                     ctypes.byref(o)))
        rows.append({"ridge": o.ridge, "test_mse": o.test_mse, "test_mse_clean": o.test_mse_clean,
                     "train_mse": o.train_mse, "fitting_ratio": o.fitting_ratio, "where": float(o.where)})
    return _collect(rows, ["ridge", "test_mse", "test_mse_clean", "train_mse", "fitting_ratio", "where"], shape)


def holdout(M, n, test_mse, train_mse):
    """Finite-pool correction: held-out MSE (M E_te - n E_tr)/(M - n) when the spectrum came from
    an M-point pool and the training points are drawn from it (NaN if n >= M)."""
    f = np.vectorize(lambda a, b, c, d: _lib.ss_holdout(float(a), float(b), float(c), float(d)))
    return f(M, n, test_mse, train_mse)


def pool_spectrum(K, y=None):
    """Empirical spectrum of an M x M Gram matrix: lam = eig(K)/M (descending) and, with labels
    y (M,) or (M, c), v = U^T y / sqrt(M).  Checks symmetry and positive semi-definiteness."""
    K = _arr(K, "K", ndim=2)
    M = K.shape[0]
    if K.shape[1] != M:
        raise ValueError("K must be square (got %s)" % (K.shape,))
    lam = np.empty(M)
    if y is None:
        _check(_lib.ss_pool_spectrum(M, _ptr(K), 0, None, _ptr(lam), None))
        return lam
    y = np.asarray(y, dtype=np.float64)
    one = y.ndim == 1
    y = np.ascontiguousarray(y.reshape(M, -1) if y.shape[0] == M else y)
    if y.shape[0] != M:
        raise ValueError("y has %d rows but K is %d x %d" % (y.shape[0], M, M))
    v = np.empty_like(y)
    _check(_lib.ss_pool_spectrum(M, _ptr(K), y.shape[1], _ptr(y), _ptr(lam), _ptr(v)))
    return lam, (v[:, 0] if one else v)


def gram(X, Y=None, *, kernel, bandwidth=1.0, depth=4, wstd=math.sqrt(2), bstd=0.1):
    """Gram matrix K(X_i, Y_j) of one of the suite's kernels (laplace, laplace-hea, gaussian:
    bandwidth; ntk, nngp, relu-ntk, relu-nngp, erf-ntk, erf-nngp: depth (hidden layers), wstd,
    bstd; ntk1b).  Y = None gives the symmetric training Gram of X with an exact diagonal."""
    X = _arr(X, "X", ndim=2)
    n, d = X.shape
    if Y is not None:
        Y = _arr(Y, "Y", ndim=2)
        if Y.shape[1] != d:
            raise ValueError("X has %d columns but Y has %d" % (d, Y.shape[1]))
        m = Y.shape[0]
    else:
        m = n
    K = np.empty((n, m))
    _check(_lib.ss_kernel_gram(kernel.encode(), float(bandwidth), int(depth), float(wstd), float(bstd), n,
                               m if Y is not None else 0, d, _ptr(X), _ptr(Y), _ptr(K)))
    return K


def hea_eigenvalues(gamma, *, kernel, width, P, lmax=8):
    """Hermite eigenstructure ansatz (arXiv 2510.14878): the top P eigenvalues of the gaussian or
    laplace-hea kernel of width w on data with covariance spectrum gamma (any trace: rescaled to
    unit trace with w).  Returns (lam (P,), deg (P,), idx (P, lmax)): the monomial degree and its
    sorted index tuple (indices into gamma sorted descending, padded with -1)."""
    g = _arr(gamma, "gamma")
    lam = np.empty(int(P))
    deg = np.empty(int(P), dtype=np.intc)
    idx = np.empty((int(P), max(int(lmax), 1)), dtype=np.intc)
    got = _S()
    _check(_lib.ss_hea_eigenvalues(g.shape[0], _ptr(g), kernel.encode(), float(width), int(lmax), int(P), _ptr(lam),
                                   deg.ctypes.data_as(_IP), idx.ctypes.data_as(_IP), ctypes.byref(got)))
    p = got.value
    return lam[:p], deg[:p], idx[:p, :lmax]


def hermite_h(nmax, z):
    """Normalised probabilists' Hermite polynomials h_0..h_nmax at z (orthonormal under N(0,1))."""
    h = np.empty(int(nmax) + 1)
    _check(_lib.ss_hermite_h(int(nmax), float(z), _ptr(h)))
    return h
