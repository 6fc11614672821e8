// ---- part 4: the trainable mimic of a 4HL ReLU net ----
// Included by reverse-ntk.c.

// ---- theory: the mimic's activation and its NTK ----
//
// The paper's notebook fits $\tilde\phi(z) = a\,\mathrm{relu}(z - b) + c z + d + e\cos(f z + g)$ by
// Nelder-Mead so that the 1HL NTK $\mathbb E[\tilde\phi\tilde\phi] + \xi\,\mathbb E[\tilde\phi'\tilde\phi']$
// ($W_{std} = 1$, $b_{std} = 0$) matches the NTK of a 4HL ReLU net ($W_{std} = \sqrt2$, $b_{std} = 0.1$).
// We use its published constants and compute the mimic's NTK ourselves (common/phinet:
// conditional Gaussian expectations, one quadrature).  The cosine is what makes the fit work:
// $e^2\,\mathbb E[\cos\cos] \propto e^{-f^2(1-\xi)}$ with $f^2 \approx 140$ is a spike of width
// ~0.007 at $\xi = 1$, the deep ReLU NTK's steep rise that a low-degree polynomial rounds off
// (panel B of Figure 1).  A 1HL ReLU net with the same $W_{std}, b_{std}$ is the contrast.

static const phi_act MIMIC_ACT = {PHI_RELUCOS, {3.800, 1.060, 0.0968, 0.901, -0.0794, 11.81, 0.934}};

// Relative L2 distance of two kernels on a uniform grid of [-1, 1].
static double kernel_rel_l2(const double *a, const double *b, int m) {
    double num = 0, den = 0;
    for (int i = 0; i < m; i++) num += (a[i] - b[i]) * (a[i] - b[i]), den += b[i] * b[i];
    return sqrt(num / den);
}

// Kernel-regime learning curves for GD on mean (f - y)^2 from f = 0: with the train Gram
// $K = U\,\mathrm{diag}(w)\,U^T$, the residual after s steps is $U(1 - 2\eta w/n)^s U^T y$ and the
// test prediction $K_{te}U\,\mathrm{diag}((1 - (1 - 2\eta w/n)^s)/w)U^T y$ (discrete GD, exactly).
static void kernel_curves(const task *T, const double *Kh, double eta, int ns, const int *steps, double *tr_mse,
                          double *te_mse) {
    const int n = T->n, nt = T->nt, d = T->d;
    double *K = XNEW(double, (size_t)n *n), *Kt = XNEW(double, (size_t)nt *n), *w = XNEW(double, n);
    double *uy = XNEW(double, n), *KtU = XNEW(double, (size_t)nt *n), *c = XNEW(double, n), *f = XNEW(double, nt);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) K[(size_t)i * n + j] = Kh[hamming(T->X + (size_t)i * d, T->X + (size_t)j * d, d)];
    for (int i = 0; i < nt; i++)
        for (int j = 0; j < n; j++) Kt[(size_t)i * n + j] = Kh[hamming(T->Xt + (size_t)i * d, T->X + (size_t)j * d, d)];
    if (LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'V', 'U', n, K, n, w)) DIE("mimic kernel curves: dsyevd failed");
    cblas_dgemv(CblasRowMajor, CblasTrans, n, n, 1.0, K, n, T->Y, 1, 0.0, uy, 1);  // U^T y
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nt, n, n, 1.0, Kt, n, K, n, 0.0, KtU, n);
    for (int q = 0; q < ns; q++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            double g = pow(1 - 2 * eta * w[k] / n, steps[q]);
            s += g * g * uy[k] * uy[k] / n;
            c[k] = w[k] > 1e-12 * w[n - 1] ? (1 - g) / w[k] * uy[k] : 2 * eta * steps[q] / n * uy[k];
        }
        tr_mse[q] = s;
        cblas_dgemv(CblasRowMajor, CblasNoTrans, nt, n, 1.0, KtU, n, c, 1, 0.0, f, 1);
        double e = 0;
        for (int i = 0; i < nt; i++) e += (f[i] - T->Yt[i]) * (f[i] - T->Yt[i]) / nt;
        te_mse[q] = e;
    }
    free(K), free(Kt), free(w), free(uy), free(KtU), free(c), free(f);
}

// ---- Part 4: the trainable mimic ----
//
// The paper trains the mimic next to 1HL and 4HL ReLU nets (width 4096, lr 0.1, 1024 epochs) on
// UCI wine-quality-red (11 features) and shows that its train and test curves track the 4HL net's.
// We have no UCI data; the task here is also 11-dimensional: n = 256 points of the cube
// $\{\pm1\}^{11}$ (test: 512 others), target $y = (x_1x_2 + x_3x_4x_5)/\sqrt2$, one Walsh function of
// degree 2 and one of degree 3.  On the cube all three NTKs give degree 1 the same eigenvalue, so a
// degree-1 target would not tell them apart; degree 2 and 3 do: the 4HL ReLU NTK and the mimic's
// learn both (eigenvalues 0.015/0.003 and 0.019/0.004 per Walsh function), the 1HL ReLU NTK
// learns degree 2 at half the rate and degree 3 not at all (odd degrees >= 3 vanish for it).
//
// * **C8** (identity: a deterministic computation) the mimic's NTK is the 4HL ReLU NTK to a
//   relative L2 error of 4% on [-1, 1] (as good as the degree-7 polynomial of Figure 1's panel B,
//   0.034), while the 1HL ReLU NTK is at least 5x further.
// * **C9** (experiment, nets) the trained mimic, like the trained 4HL ReLU net, ends with a lower
//   test MSE than the trained 1HL ReLU net, whose NTK cannot learn the degree-3 part: the mimic
//   inherits what depth gives the ReLU kernel.
// * **C9b** (deviation, reported) how far the mimic's final test MSE is from the 4HL net's.  It is
//   not small at width 128 (0.1-0.2) and its sign depends on the seed: a 3% fit of the kernel on
//   [-1, 1] leaves the degree-2 and -3 eigenvalues on the cube 20-30% off (the fit weights the
//   kernel's values, not its high-order structure), and at width 128 both nets drift from their
//   kernels by as much.

static void part_mimic(void) {
    const double t0 = util_now();
    const int d = 11, N = 1 << d, n = 256, nt = 512, h = P.mimic_width, R = P.mimic_trials;
    double *X = XNEW(double, (size_t)n *d), *Xall = XNEW(double, (size_t)(N - n) * d);
    double *Y = XNEW(double, n), *Yt = XNEW(double, nt);
    task T;
    gsl_rng *rs = rng_alloc(C.seed, STREAM_MIMIC_SPLIT);
    cube_task(d, n, rs, X, Xall, &T);
    rng_free(rs);
    T.nt = nt;  // the first 512 of the remaining vertices
    const double *xs[2] = {X, Xall};
    double *ys[2] = {Y, Yt};
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < (s ? nt : n); i++) {
            const double *x = xs[s] + (size_t)i * d;
            ys[s][i] = (x[0] * x[1] + x[2] * x[3] * x[4]) / M_SQRT2;
        }
    T.Y = Y, T.Yt = Yt;

    // Theory: the three NTKs on a grid (C8) and on the cube's cosines (learning curves).
    kernel_spec k4, k1;
    if (kernel_spec_parse(&k4, "relu-ntk", 1, 4, M_SQRT2, 0.1, NULL, 0) ||
        kernel_spec_parse(&k1, "relu-ntk", 1, 1, M_SQRT2, 0.1, NULL, 0))
        DIE("kernel_spec_parse(relu-ntk) failed");
    double g4[NPLOT], gm[NPLOT], g1[NPLOT];
    tsv *tk = tsv_open(&C, "mimic_kernel.tsv", "revntk.C8");
    tsv_note(
        tk,
        "NTKs: 4HL ReLU (W_std sqrt 2, b_std 0.1), the mimic phi = %g relu(z - %g) + %g z + %g + %g cos(%g z + %g) "
        "(W_std 1, b_std 0), 1HL ReLU (W_std sqrt 2, b_std 0.1)",
        MIMIC_ACT.p[0], MIMIC_ACT.p[1], MIMIC_ACT.p[2], MIMIC_ACT.p[3], MIMIC_ACT.p[4], MIMIC_ACT.p[5], MIMIC_ACT.p[6]);
    tsv_columns(tk, "xi\tntk_relu4\tntk_mimic\tntk_relu1");
    for (int i = 0; i < NPLOT; i++) {
        double xi = -1 + 2.0 * i / (NPLOT - 1);
        g4[i] = kernel_sphere_profile(&k4, xi, 1.0, 1);
        gm[i] = phi_ntk(&MIMIC_ACT, xi);
        g1[i] = kernel_sphere_profile(&k1, xi, 1.0, 1);
        tsv_row(tk, "%.6g\t%.8g\t%.8g\t%.8g", xi, g4[i], gm[i], g1[i]);
    }
    tsv_close(tk);
    const double e_mimic = kernel_rel_l2(gm, g4, NPLOT), e_relu1 = kernel_rel_l2(g1, g4, NPLOT);

    // Experiment: the three nets, R trials each, all on the same steps.
    const char *name[3] = {"relu4", "mimic", "relu1"};
    static train_rec rec[3][8];  // static: 3 x 8 records of ~1.5 kB
    if (R > 8) DIE("--mimic-trials %d: at most 8", R);
    for (int a = 0; a < 3; a++)
        for (int tr = 0; tr < R; tr++) {
            gsl_rng *ri = rng_alloc(C.seed, stream_id(STREAM_MIMIC_INIT, a, tr));
            tnet t = a == 0   ? tnet_deep(d, 4, h, M_SQRT2, 0.1, n, ri)
                     : a == 1 ? tnet_phi(d, h, &MIMIC_ACT, n, ri)
                              : tnet_deep(d, 1, h, M_SQRT2, 0.1, n, ri);
            rng_free(ri);
            rec[a][tr] = tnet_train(&t, &T, P.mimic_lr, 0, P.mimic_steps, 1);
            tnet_free(&t);
            progress("mimic %s trial %d/%d: test MSE %.4f: %.1f s", name[a], tr + 1, R, rec[a][tr].test_mse,
                     util_now() - t0);
        }
    progress_done("mimic: %.1f s", util_now() - t0);
    const int ns = rec[0][0].nc;
    double Kh[3][32], ktr[3][CURVE_MAX], kte[3][CURVE_MAX];
    for (int hd = 0; hd <= d; hd++) {
        double xi = 1 - 2.0 * hd / d;
        Kh[0][hd] = kernel_sphere_profile(&k4, xi, 1.0, 1);
        Kh[1][hd] = phi_ntk(&MIMIC_ACT, xi);
        Kh[2][hd] = kernel_sphere_profile(&k1, xi, 1.0, 1);
    }
    for (int a = 0; a < 3; a++) kernel_curves(&T, Kh[a], P.mimic_lr, ns, rec[0][0].cstep, ktr[a], kte[a]);

    tsv *tc = tsv_open(&C, "mimic_curves.tsv", "revntk.C9");
    tsv_note(tc,
             "cube {+-1}^11, n_train %d, n_test %d, y = (x1 x2 + x3 x4 x5)/sqrt 2; width %d, GD lr %g, "
             "%d trials (mean); centred nets; kernel_*: the NTK's kernel-regime curve at the same step",
             n, nt, h, P.mimic_lr, R);
    tsv_columns(tc,
                "step\ttrain_relu4\ttest_relu4\ttrain_mimic\ttest_mimic\ttrain_relu1\ttest_relu1\t"
                "ktrain_relu4\tktest_relu4\tktrain_mimic\tktest_mimic\tktrain_relu1\tktest_relu1");
    double worst = 0, dm = 0, d1 = 0, mte[3][CURVE_MAX];
    for (int q = 0; q < ns; q++) {
        double mtr[3];
        for (int a = 0; a < 3; a++) {
            double v[8], u[8];
            for (int tr = 0; tr < R; tr++) v[tr] = rec[a][tr].ctrain[q], u[tr] = rec[a][tr].ctest[q];
            mtr[a] = fit_mean(v, R), mte[a][q] = fit_mean(u, R);
        }
        worst = fmax(worst, fabs(mte[1][q] - mte[0][q]));
        dm += fabs(mte[1][q] - mte[0][q]) / ns, d1 += fabs(mte[2][q] - mte[0][q]) / ns;
        tsv_row(tc, "%d\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g", rec[0][0].cstep[q],
                mtr[0], mte[0][q], mtr[1], mte[1][q], mtr[2], mte[2][q], ktr[0][q], kte[0][q], ktr[1][q], kte[1][q],
                ktr[2][q], kte[2][q]);
    }
    tsv_close(tc);
    printf("\nTrainable mimic (cube d = 11, n = %d, width %d, lr %g, %d steps, %d trials):\n", n, h, P.mimic_lr,
           P.mimic_steps, R);
    printf("  NTK rel. L2 distance to the 4HL ReLU NTK: mimic %.4f, 1HL ReLU %.4f\n", e_mimic, e_relu1);
    printf("  final test MSE: 4HL ReLU %.4f, mimic %.4f, 1HL ReLU %.4f (kernel regime: %.4f, %.4f, %.4f)\n",
           mte[0][ns - 1], mte[1][ns - 1], mte[2][ns - 1], kte[0][ns - 1], kte[1][ns - 1], kte[2][ns - 1]);
    printf("  test-MSE curves: max |mimic - 4HL| %.4f, mean |mimic - 4HL| %.4f, mean |1HL ReLU - 4HL| %.4f\n", worst,
           dm, d1);

    char what[256];
    snprintf(what, sizeof what, "rel. L2 of the mimic's NTK to the 4HL ReLU NTK on [-1,1] (1HL ReLU: %.3f)", e_relu1);
    claim_check("revntk.C8", CLAIM_IDENTITY, e_mimic <= 0.04 && e_relu1 >= 5 * e_mimic, what, e_mimic,
                "0.04; 1HL >= 5x");
    // C9: the deep net and the mimic both end below the 1HL ReLU net, whose NTK has no degree-3
    // eigenvalue (its kernel-regime curve cannot fall below the degree-3 share of the target).
    const int L = ns - 1;
    snprintf(what, sizeof what,
             "final test MSE, mean of %d trials: 4HL ReLU %.3f, mimic %.3f < 1HL ReLU %.3f (kernels "
             "%.3f/%.3f/%.3f)",
             R, mte[0][L], mte[1][L], mte[2][L], kte[0][L], kte[1][L], kte[2][L]);
    const double margin = mte[2][L] - fmax(mte[0][L], mte[1][L]);
    claim_check("revntk.C9", CLAIM_EXPERIMENT, margin > 0, what, margin, "> 0 (1HL ReLU minus the larger of the two)");
    // C9b is reported, not asserted: the gap between the mimic and the 4HL net changes sign with
    // the seed at width 128 (seed 1: mimic 0.196 lower; seed 7 at --quick: 0.110 higher).
    snprintf(what, sizeof what,
             "|final test MSE mimic - 4HL ReLU| at width %d, mean of %d trials (max over the curve %.3f)", h, R, worst);
    claim_report("revntk.C9b", CLAIM_DEVIATION, what, fabs(mte[1][L] - mte[0][L]));
    free(X), free(Xall), free(Y), free(Yt);
}
