#!/usr/bin/env python3
"""Tests of the Python module python/simsuite against the C predictor and closed forms.

Run from the repository root (make test-predict does):  python3 tests/test_python.py
Needs Debian's python3 and python3-numpy, and the shared library (make lib).
"""
import ctypes
import math
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
import numpy as np  # noqa: E402
import simsuite  # noqa: E402

BUILD = os.environ.get("SIM_BUILD", "build")
PRED = os.path.join(ROOT, BUILD, "eigenpredict")


def predictor(args, tmp):
    """Run eigenpredict, return (table, params) of its output."""
    out = os.path.join(tmp, "pred.tsv")
    r = subprocess.run([PRED] + args + ["--out", out], capture_output=True, text=True)
    if r.returncode:
        raise AssertionError("eigenpredict %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
    return simsuite.read_tsv(out)


class Predictions(unittest.TestCase):
    """The module and the predictor agree (they share the library's numerics: exactly)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="test_python.")
        i = np.arange(1, 1001, dtype=float)
        cls.lam, cls.v = i ** -1.5, i ** -1.25
        cls.spec = os.path.join(cls.tmp, "spec.npy")
        np.save(cls.spec, np.column_stack([cls.lam, cls.v]))

    def test_krr_matches_predictor(self):
        ns, ridges = [10, 100, 500], [0.0, 1e-3, 0.1]
        t, params = predictor(["--spectrum", self.spec, "--n", "10,100,500", "--ridge", "0,0.001,0.1", "--noise", "0.2"],
                              self.tmp)
        self.assertEqual(params["noise"], 0.2)
        self.assertEqual(params["modes"], 1000)
        p = simsuite.krr(self.lam, self.v, n=np.array(ns)[None, :], ridge=np.array(ridges)[:, None], noise=0.2)
        got = {}
        for j in range(len(t["n"])):
            got[(t["n"][j], t["ridge"][j])] = j
        for a, r in enumerate(ridges):
            for b, n in enumerate(ns):
                j = got[(n, r)]
                for f in ("kappa", "E0", "learnability", "test_mse", "test_mse_clean", "train_mse", "bias", "variance",
                          "fitting_ratio"):
                    self.assertEqual(p[f][a, b], t[f][j], "%s at n=%g ridge=%g" % (f, n, r))
        # the eigenframework's identities
        np.testing.assert_allclose(p["test_mse"], p["E0"] * p["bias"], rtol=1e-14)
        np.testing.assert_allclose(p["variance"], (p["E0"] - 1) * p["bias"], rtol=1e-13)

    def test_rf_and_optimum_match_predictor(self):
        t, _ = predictor(["--spectrum", self.spec, "--n", "200", "--k", "50,200,800,inf", "--ridge", "0.01",
                          "--noise", "0.5", "--optimal-ridge"], self.tmp)
        for j in range(len(t["n"])):
            k = t["k"][j]
            if t["row"][j] == "given" and math.isinf(k):  # the predictor's k = inf rows are KRR
                p = simsuite.krr(self.lam, self.v, n=200, ridge=0.01, noise=0.5)
                self.assertEqual(p["test_mse"], t["test_mse"][j])
                self.assertEqual(p["train_mse"], t["train_mse"][j])
            elif t["row"][j] == "given":
                p = simsuite.rf(self.lam, self.v, n=200, k=k, ridge=0.01, noise=0.5)
                self.assertEqual(p["test_mse"], t["test_mse"][j])
                self.assertEqual(p["train_mse"], t["train_mse"][j])
            else:
                o = simsuite.optimal_ridge(self.lam, self.v, n=200, k=k, noise=0.5)
                self.assertEqual(o["ridge"], t["ridge"][j])
                self.assertEqual(o["test_mse"], t["test_mse"][j])
                self.assertEqual(o["fitting_ratio"], t["fitting_ratio"][j])
        # k = inf is KRR; k = n ridgeless is the peak
        a = simsuite.rf(self.lam, self.v, n=200, k=math.inf, ridge=0.01, noise=0.5)["test_mse"]
        b = simsuite.krr(self.lam, self.v, n=200, ridge=0.01, noise=0.5)["test_mse"]
        self.assertAlmostEqual(a / b, 1.0, places=13)
        pk = simsuite.rf(self.lam, self.v, n=200, k=200, ridge=0.0)
        self.assertEqual(pk["peak"], 1.0)
        self.assertTrue(math.isinf(pk["E0"]))

    def test_two_mode_closed_form(self):
        # two modes, ridge delta: kappa solves l1/(l1+k) + l2/(l2+k) + delta/k = n (quadratic in k)
        l1, l2, n, d = 1.0, 0.25, 1.0, 0.1
        # (n-2) k^2 + [n(l1+l2) - l1 - l2 - 2 d... ] solved numerically by the polynomial
        # n (l1+k)(l2+k) k = l1 k (l2+k) + l2 k (l1+k) + d (l1+k)(l2+k)
        c = np.polynomial.polynomial
        lhs = c.polymul(c.polymul([l1, 1], [l2, 1]), [0, n])
        rhs = c.polyadd(c.polyadd(c.polymul([0, l1], [l2, 1]), c.polymul([0, l2], [l1, 1])),
                        c.polymul(c.polymul([l1, 1], [l2, 1]), [d]))
        roots = np.roots(c.polysub(lhs, rhs)[::-1])
        kap = max(r.real for r in roots if abs(r.imag) < 1e-12 and r.real > 0)
        p = simsuite.krr([l1, l2], [1.0, 0.5], n=n, ridge=d, learnabilities=True)
        self.assertAlmostEqual(p["kappa"] / kap, 1.0, places=12)
        np.testing.assert_allclose(p["L"], [l1 / (l1 + kap), l2 / (l2 + kap)], rtol=1e-12)


class Errors(unittest.TestCase):
    """Library failures arrive as SimsuiteError with the library's message; nothing exits."""

    def test_messages(self):
        with self.assertRaisesRegex(simsuite.SimsuiteError, "not finite"):
            simsuite.krr([1.0, float("nan")], [1, 1], n=1, ridge=0.1)
        with self.assertRaisesRegex(simsuite.SimsuiteError, "beyond round-off"):
            simsuite.rf([1.0, -0.5, 0.1], [1, 1, 1], n=1, k=2, ridge=0.1)
        with self.assertRaises(simsuite.SimsuiteError) as cm:
            simsuite.krr([1.0, 0.5], [1, 1], n=2, ridge=0.0)
        self.assertEqual(cm.exception.status, simsuite.SS_ENOROOT)
        with self.assertRaisesRegex(simsuite.SimsuiteError, "not symmetric"):
            simsuite.pool_spectrum(np.array([[1.0, 0.5], [0.4, 1.0]]))
        with self.assertRaisesRegex(simsuite.SimsuiteError, "not positive semi-definite"):
            simsuite.pool_spectrum(np.array([[1.0, 2.0], [2.0, 1.0]]))
        with self.assertRaisesRegex(simsuite.SimsuiteError, "unknown kernel"):
            simsuite.gram(np.eye(2), kernel="nosuch")
        with self.assertRaisesRegex(ValueError, "one per eigenvalue"):
            simsuite.krr([1.0, 0.5], [1, 1, 1], n=1)

    def test_out_of_memory_is_a_status(self):
        # 2^50 HEA modes in 1000 dimensions: the allocation inside common/hermite fails; the
        # library returns SS_ENOMEM with the message instead of exiting the interpreter.
        g = np.linspace(1, 0.5, 1000)
        lam = np.empty(1)
        got = ctypes.c_size_t()
        st = simsuite._lib.ss_hea_eigenvalues(1000, g.ctypes.data_as(simsuite._P), b"gaussian", 2.0, 24, 1 << 50,
                                              lam.ctypes.data_as(simsuite._P), None, None, ctypes.byref(got))
        self.assertEqual(st, simsuite.SS_ENOMEM)
        self.assertIn("out of memory", simsuite._lib.ss_last_error().decode())
        # and the library still works afterwards
        self.assertGreater(simsuite.krr([1.0, 0.5], [1, 0], n=1, ridge=0.1)["E0"], 1)


class KernelsAndHermite(unittest.TestCase):
    def test_gram(self):
        rng = np.random.default_rng(1)
        X, Y = rng.standard_normal((30, 5)), rng.standard_normal((7, 5))
        D2 = ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1)
        np.testing.assert_allclose(simsuite.gram(X, Y, kernel="gaussian", bandwidth=1.3), np.exp(-D2 / (2 * 1.3 ** 2)),
                                   rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(simsuite.gram(X, Y, kernel="laplace", bandwidth=2.0), np.exp(-np.sqrt(D2) / 2.0),
                                   rtol=1e-10, atol=1e-12)
        K = simsuite.gram(X, kernel="laplace", bandwidth=2.0)
        self.assertTrue(np.all(np.diag(K) == 1.0))
        np.testing.assert_array_equal(K, K.T)

    def test_pool_spectrum(self):
        rng = np.random.default_rng(2)
        X = rng.standard_normal((50, 3))
        y = np.sin(X[:, 0]) + X[:, 1] * X[:, 2]
        K = simsuite.gram(X, kernel="gaussian", bandwidth=1.0)
        lam, v = simsuite.pool_spectrum(K, y)
        w, U = np.linalg.eigh(K)
        np.testing.assert_allclose(lam, w[::-1] / 50, rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(np.abs(v[:5]), np.abs(U[:, ::-1].T @ y / np.sqrt(50))[:5], rtol=1e-8)
        self.assertAlmostEqual(np.sum(v ** 2), np.mean(y ** 2), places=12)  # Parseval on the pool

    def test_hea_against_enumeration(self):
        # lambda_alpha = c_|alpha| prod gamma_a^alpha_a, c_l = e^{-1/w^2} w^{-2l} (gaussian, unit trace)
        import itertools
        gamma, w, lmax = np.array([0.5, 0.3, 0.2]), 1.5, 5
        all_l = []
        for l in range(lmax + 1):
            for tup in itertools.combinations_with_replacement(range(3), l):
                all_l.append(math.exp(-1 / w ** 2) * w ** (-2 * l) * np.prod([gamma[a] for a in tup]))
        all_l = np.sort(all_l)[::-1]
        lam, deg, idx = simsuite.hea_eigenvalues(gamma[::-1] * 4, kernel="gaussian", width=w * 2, P=30, lmax=lmax)
        np.testing.assert_allclose(lam, all_l[:30], rtol=1e-12)
        self.assertEqual(idx.shape, (30, lmax))

    def test_hermite_orthonormal(self):
        z, wq = np.polynomial.hermite_e.hermegauss(40)
        wq = wq / math.sqrt(2 * math.pi)
        H = np.array([simsuite.hermite_h(8, t) for t in z])
        np.testing.assert_allclose(H.T @ (wq[:, None] * H), np.eye(9), atol=1e-12)


class Tables(unittest.TestCase):
    def test_read_experiment_table(self):
        path = os.path.join(ROOT, "figures/data/krr-curves/theory_sphere.tsv")
        if not os.path.exists(path):
            self.skipTest("figures/data/krr-curves/theory_sphere.tsv absent")
        t, p = simsuite.read_tsv(path)
        self.assertEqual(p["dim"], 8)
        self.assertEqual(p["kernel"], "laplace")
        self.assertEqual(list(t)[:4], ["n", "target", "L_theory", "mse_theory"])
        self.assertEqual(t["n"].dtype, np.float64)
        self.assertTrue(any(h.startswith("experiment: krr-curves") for h in p["_header"]))

    def test_readme_example(self):
        # the README's five lines, on files of a user's spectrum
        tmp = tempfile.mkdtemp(prefix="test_python.")
        i = np.arange(1, 10001)
        np.savetxt(os.path.join(tmp, "eigenvalues.txt"), i ** -1.5)
        np.save(os.path.join(tmp, "coefficients.npy"), i ** -1.0)
        os.chdir(tmp)
        # --- README ---
        lam = np.loadtxt("eigenvalues.txt")            # your kernel's eigenvalues
        v = np.load("coefficients.npy")                # your target's coefficients
        p = simsuite.krr(lam, v, n=[100, 1000], ridge=1e-3, noise=0.1)
        best = simsuite.optimal_ridge(lam, v, n=1000, noise=0.1)
        print(p["test_mse"], p["E0"], best["ridge"], best["fitting_ratio"], file=sys.stderr)
        # --- end ---
        os.chdir(ROOT)
        self.assertEqual(p["test_mse"].shape, (2,))
        self.assertLess(p["test_mse"][1], p["test_mse"][0])
        self.assertLessEqual(best["test_mse"], simsuite.krr(lam, v, n=1000, ridge=1e-3, noise=0.1)["test_mse"])
        # the same through the command
        t, _ = predictor(["--spectrum", os.path.join(tmp, "eigenvalues.txt"), "--targets",
                          os.path.join(tmp, "coefficients.npy"), "--n", "100,1000", "--ridge", "0.001", "--noise", "0.1"],
                         tmp)
        np.testing.assert_array_equal(t["test_mse"], p["test_mse"])


if __name__ == "__main__":
    if not os.access(PRED, os.X_OK):
        sys.exit("test_python: %s missing (make -f Makefile -f tools/predict.mk %s/eigenpredict)" % (PRED, BUILD))
    print("simsuite %s from %s" % (simsuite.version(), simsuite.library_path), file=sys.stderr)
    r = unittest.main(exit=False, verbosity=1).result
    sys.exit(0 if r.wasSuccessful() else 1)
