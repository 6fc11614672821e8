// ---- part 2 (Figure 2 analogue): a shallow mimic of a deep kernel on MNIST ----
// Included by reverse-ntk.c.

// ---- experiment: deep kernels and shallow mimics on MNIST ----
//
// Every input is rescaled to $\|x\|^2 = d$, so all diagonal variances are equal and the deep
// kernel is a function of $\xi$ alone.  We advance the deep kernels' recursion one depth at a time
// over the arrays $(c, \Theta)$ of all train-train and test-train pairs (the scalar $q$ is
// shared): at depth $L$ the readout gives NNGP $= \mathbb E[\phi\phi](q_L, c_L)$ and NTK
// $= \mathbb E[\phi\phi] + \Theta_L\,\mathbb E[\phi'\phi']$; then
// $c_{L+1} = W^2\mathbb E[\phi\phi] + b^2$, $\Theta_{L+1} = c_{L+1} + W^2\mathbb E[\phi'\phi']\Theta_L$.
// This is common/kernel's recursion (the same closed forms), reorganised so that 15 depths
// cost 15 layer steps per pair instead of 120; every depth is checked against
// `kernel_sphere_profile` on a sample of pairs.

static void moments(int erf, double q, double c, double *Ephi, double *Edot) {
    if (erf) {  // Williams: (2/pi) asin(2c/(1+2q)), (4/pi)/sqrt((1+2q)^2 - 4c^2)
        double r = 2 * c / (1 + 2 * q);
        *Ephi = (2 / M_PI) * asin(fmax(-1, fmin(1, r)));
        *Edot = (4 / M_PI) / sqrt((1 + 2 * q) * (1 + 2 * q) - 4 * c * c);
    } else {  // Cho & Saul: (q/2pi)(sin th + (pi - th) cos th), (pi - th)/(2 pi)
        if (c == q) {
            *Ephi = q / 2;
            *Edot = 0.5;
            return;
        }
        double rho = fmax(-1, fmin(1, c / q)), th = acos(rho);
        *Ephi = q * (sin(th) + (M_PI - th) * rho) / (2 * M_PI);
        *Edot = (M_PI - th) / (2 * M_PI);
    }
}

typedef struct {
    int n, nt, N;            // train, test, n + nt rows
    double *xi;              // (N, n): rows 0..n-1 train, then test; cosine with each training point
    double *Y;               // (n, 10) one-hot training labels
    unsigned char *yt;       // (nt) test labels
    double *Kc, *Yc, *pred;  // scratch for the solve
} mnist_task;

// Kernel regression with the Gram rows K (N, n); accuracy (%) and MSE on the test rows.
static void krr_score(mnist_task *t, const double *K, double *acc, double *mse, double *delta_out) {
    int n = t->n, nt = t->nt;
    double tr = 0;
    for (int i = 0; i < n; i++) tr += K[(size_t)i * n + i];
    double delta = 1e-8 * tr / n;  // "ridgeless in intent": 1e-8 mean(diag K_train), absolute
    memcpy(t->Kc, K, sizeof(double) * n * n);
    memcpy(t->Yc, t->Y, sizeof(double) * n * 10);
    int info = krr_solve(n, t->Kc, delta, 10, t->Yc, nt, K + (size_t)n * n, t->pred);
    if (info)
        DIE("kernel regression: Cholesky failed (info %d) at ridge %g; the Gram matrix is not positive definite", info,
            delta);
    int right = 0;
    double se = 0;
    for (int i = 0; i < nt; i++) {
        int best = 0;
        for (int k = 0; k < 10; k++) {
            double yk = t->pred[i * 10 + k], target = (k == t->yt[i]);
            se += 0.5 * (yk - target) * (yk - target);
            if (yk > t->pred[i * 10 + best]) best = k;
        }
        right += best == t->yt[i];
    }
    *acc = 100.0 * right / nt;
    *mse = se / nt;
    if (delta_out) *delta_out = delta;
}

static void mnist_prepare(const char *dir, const size_t *itr, int n, const size_t *ite, int nt, mnist_task *t) {
    const int d = 784;
    int N = n + nt;
    mnist_set tr, te;
    char err[512];
    if (mnist_load_rows(dir, 1, itr, n, &tr, err, sizeof err)) DIE("%s", err);
    if (mnist_load_rows(dir, 0, ite, nt, &te, err, sizeof err)) DIE("%s", err);
    double *X = XNEW(double, (size_t)N *d);  // rows 0..n-1 train, then test
    memcpy(X, tr.x, sizeof(double) * n * d);
    memcpy(X + (size_t)n * d, te.x, sizeof(double) * nt * d);
    unsigned char *ytr = tr.y;
    t->yt = XNEW(unsigned char, nt);
    memcpy(t->yt, te.y, (size_t)nt);
    mnist_free(&te);
    // Global standardisation with the training subset's pixel mean and sd.
    double mean = 0, var = 0;
    for (size_t i = 0; i < (size_t)n * d; i++) mean += X[i];
    mean /= (double)n * d;
    for (size_t i = 0; i < (size_t)n * d; i++) var += (X[i] - mean) * (X[i] - mean);
    double sd = sqrt(var / ((double)n * d));
    for (size_t i = 0; i < (size_t)N * d; i++) X[i] = (X[i] - mean) / sd;
    for (int i = 0; i < N; i++) {  // ||x||^2 = d
        double s = 0;
        for (int j = 0; j < d; j++) s += X[(size_t)i * d + j] * X[(size_t)i * d + j];
        double f = sqrt(d / s);
        for (int j = 0; j < d; j++) X[(size_t)i * d + j] *= f;
    }
    t->n = n;
    t->nt = nt;
    t->N = N;
    t->xi = XNEW(double, (size_t)N *n);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, n, d, 1.0 / d, X, d, X, d, 0.0, t->xi, n);
    for (size_t e = 0; e < (size_t)N * n; e++) t->xi[e] = fmax(-1, fmin(1, t->xi[e]));
    for (int i = 0; i < n; i++) t->xi[(size_t)i * n + i] = 1;  // exactly, not by cancellation
    t->Y = XNEW(double, (size_t)n * 10);
    for (int i = 0; i < n; i++) t->Y[i * 10 + ytr[i]] = 1;
    t->Kc = XNEW(double, (size_t)n *n);
    t->Yc = XNEW(double, (size_t)n * 10);
    t->pred = XNEW(double, (size_t)nt * 10);
    free(X);
    mnist_free(&tr);
}

// The ReLU NNGP of `L` hidden layers on all pairs of one split, by the recursion above: K
// receives it, cc is a workspace of the same size (N, n).
static void relu_nngp_deep(const mnist_task *T, int L, double wstd, double bstd, double *K, double *cc) {
    const size_t NE = (size_t)T->N * T->n;
    const double w2 = wstd * wstd, b2 = bstd * bstd;
    double q = w2 + b2;
    for (size_t e = 0; e < NE; e++) cc[e] = w2 * T->xi[e] + b2;
    for (int l = 1; l <= L; l++) {
        double ephq, edq;
        moments(0, q, q, &ephq, &edq);
        for (size_t e = 0; e < NE; e++) {
            double Ephi, Edot;
            moments(0, q, cc[e], &Ephi, &Edot);
            K[e] = Ephi;
            cc[e] = w2 * Ephi + b2;
        }
        const double qn = w2 * ephq + b2;
        for (int i = 0; i < T->n; i++) cc[(size_t)i * T->n + i] = qn;  // the diagonal stays at c = q exactly
        q = qn;
    }
}

// Figure 2A on one split: ReLU and erf, NNGP and NTK, at every depth of --depths, each checked
// against common/kernel on a sample of pairs; writes mnist_depth.tsv and prints the table.
static void depth_sweep(mnist_task *T, double t0) {
    size_t NE = (size_t)T->N * T->n;
    double *cc = XNEW(double, NE), *Th = XNEW(double, NE), *Kn = XNEW(double, NE), *Kt = XNEW(double, NE);
    int Lmax = 0;
    for (int i = 0; i < P.depths.n; i++) Lmax = P.depths.v[i] > Lmax ? (int)P.depths.v[i] : Lmax;
    // res[act][ntk][depth] = (acc, mse)
    double(*res)[2][51][2] = calloc(2, sizeof *res);
    double max_check = 0;
    const double W[2] = {1.5, 1.5}, Bs[2] = {0.1, 0.3};
    for (int act = 0; act < 2; act++) {
        double w2 = W[act] * W[act], b2 = Bs[act] * Bs[act], q = w2 + b2;
        for (size_t e = 0; e < NE; e++) Th[e] = cc[e] = w2 * T->xi[e] + b2;
        kernel_spec ksn, kst;
        kernel_spec_parse(&ksn, act ? "erf-nngp" : "relu-nngp", 1, 1, W[act], Bs[act], NULL, 0);
        kernel_spec_parse(&kst, act ? "erf-ntk" : "relu-ntk", 1, 1, W[act], Bs[act], NULL, 0);
        for (int L = 1; L <= Lmax; L++) {
            double ephq, edq;
            moments(act, q, q, &ephq, &edq);
            for (size_t e = 0; e < NE; e++) {
                double Ephi, Edot;
                moments(act, q, cc[e], &Ephi, &Edot);
                Kn[e] = Ephi;
                Kt[e] = Ephi + Edot * Th[e];
                cc[e] = w2 * Ephi + b2;
                Th[e] = cc[e] + w2 * Edot * Th[e];
            }
            double qn = w2 * ephq + b2;
            for (int i = 0; i < T->n; i++) cc[(size_t)i * T->n + i] = qn;  // the diagonal stays at c = q exactly
            q = qn;
            int want = 0;
            for (int i = 0; i < P.depths.n; i++) want |= P.depths.v[i] == L;
            if (!want) continue;
            // The recursion equals common/kernel's at a sample of pairs.
            ksn.depth = kst.depth = L;
            for (size_t e = 0; e < NE; e += NE / 97 + 1) {
                double rn = kernel_sphere_profile(&ksn, T->xi[e], 1, 1),
                       rt = kernel_sphere_profile(&kst, T->xi[e], 1, 1);
                max_check = fmax(max_check, fmax(fabs(Kn[e] - rn) / fabs(rn), fabs(Kt[e] - rt) / fabs(rt)));
            }
            krr_score(T, Kn, &res[act][0][L][0], &res[act][0][L][1], NULL);
            krr_score(T, Kt, &res[act][1][L][0], &res[act][1][L][1], NULL);
            progress("MNIST %s depth %d: %.1f s", act ? "erf" : "relu", L, util_now() - t0);
        }
    }
    if (max_check > 1e-10)
        DIE("the depth-by-depth recursion disagrees with common/kernel by %.3g (relative); a bug in one of them",
            max_check);
    tsv *td = tsv_open(&C, "mnist_depth.tsv", "revntk.C5");
    tsv_note(td, "kernel regression on MNIST (split 1: n_train %d, n_test %d), ridge 1e-8 mean(diag K_train) absolute",
             T->n, T->nt);
    tsv_note(td, "ReLU: W_std 1.5, b_std 0.1; erf: W_std 1.5, b_std 0.3; readout W_std 1, b_std 0");
    tsv_note(td, "depth-by-depth recursion vs common/kernel: max relative difference %.3g", max_check);
    tsv_columns(
        td,
        "depth\trelu_nngp_acc\trelu_nngp_mse\trelu_ntk_acc\trelu_ntk_mse\terf_nngp_acc\terf_nngp_mse\terf_ntk_acc\terf_ntk_mse");
    printf("\nMNIST split 1 (n_train = %d, n_test = %d), accuracy %% / MSE by depth:\n", T->n, T->nt);
    printf("depth   ReLU NNGP        ReLU NTK         erf NNGP         erf NTK\n");
    for (int i = 0; i < P.depths.n; i++) {
        int L = (int)P.depths.v[i];
        tsv_row(td, "%d\t%.6g\t%.8g\t%.6g\t%.8g\t%.6g\t%.8g\t%.6g\t%.8g", L, res[0][0][L][0], res[0][0][L][1],
                res[0][1][L][0], res[0][1][L][1], res[1][0][L][0], res[1][0][L][1], res[1][1][L][0], res[1][1][L][1]);
        printf("%5d   %6.2f/%.4f   %6.2f/%.4f   %6.2f/%.4f   %6.2f/%.4f\n", L, res[0][0][L][0], res[0][0][L][1],
               res[0][1][L][0], res[0][1][L][1], res[1][0][L][0], res[1][0][L][1], res[1][1][L][0], res[1][1][L][1]);
    }
    tsv_close(td);
    free(cc), free(Th), free(Kn), free(Kt), free(res);
}

// Per mimic degree, over the splits: mean and standard error of [0] r = MSE_mimic/MSE_target,
// [1] |r - 1|, [2] accuracy difference (pp), [3] the prediction distance.
typedef struct {
    int D;
    double l2;
    double mean[4], se[4];
} mimic_summary;

// ---- Figure 2 claim ----
//
// * **C5** MNIST, over several random splits: the degree-20 mimic's mean MSE within 3% and mean
//   accuracy within 1 point of the deep ReLU NNGP's; and convergence in the right direction: the
//   distance between the mimic's and the target's test predictions falls with the fit error
//   (Spearman >= 0.9 over the degrees, log-log slope in [0.5, 1.5]; first order says 1).

// ---- Part 2 (Figure 2 analogue): deep kernels and shallow mimics on MNIST ----
static void part_mnist(int asked) {
    const double t0 = util_now();
    char what[256];
    int mnist_ok = 0;
    mimic_summary ms[DMAX + 1];
    int nms = 0;
    const char *c5_reason = "MNIST absent: run make data";
    if (!mnist_available(C.mnist_dir)) {
        // Data the user asked for (an MNIST flag or --mnist-dir) is a runtime failure when
        // missing; a default run only skips the part it was not asked for by name.
        if (asked || cli_given(&C, "mnist-dir"))
            DIE("MNIST not found in %s (asked for by an MNIST flag); run make data", C.mnist_dir);
        fprintf(stderr, "reverse-ntk: MNIST not found in %s; run `make data` (revntk.C5 skipped)\n", C.mnist_dir);
    } else {
        mnist_ok = 1;
        const int S = P.splits, n = P.ntrain, nt = P.ntest;
        // Disjoint random splits: one permutation of each MNIST file per run (seed-dependent);
        // split s takes the s-th block of n training and nt test images.
        size_t *ptr = XNEW(size_t, 60000), *pte = XNEW(size_t, 10000);
        gsl_rng *rs = rng_alloc(C.seed, STREAM_SPLIT);
        rng_permutation(rs, 60000, ptr);
        rng_permutation(rs, 10000, pte);
        rng_free(rs);
        // The mimics' series do not depend on the split: fit each degree once.
        int nm = P.mimic_degrees.n;
        panel *mp = XNEW(panel, nm);
        for (int im = 0; im < nm; im++) {
            memset(&mp[im], 0, sizeof mp[im]);
            mp[im].kind = T_NET;
            kernel_spec_parse(&mp[im].ks, "relu-nngp", 1, P.mimic_depth, 1.5, 0.1, NULL, 0);
            mp[im].D = (int)P.mimic_degrees.v[im];
            fitter *f = fitter_alloc(mp[im].D);
            fit_series(f, panel_target_cb, &mp[im], mp[im].c);
            fitter_free(f);
            fit_errors(&mp[im], &mp[im].l2, &mp[im].sup);
        }
        double *macc = XNEW(double, (size_t)S *nm), *mmse = XNEW(double, (size_t)S *nm),
               *mpd = XNEW(double, (size_t)S *nm);
        double *tacc = XNEW(double, S), *tmse = XNEW(double, S), delta_relu15 = NAN;
        tsv *tmi = tsv_open(&C, "mnist_mimic.tsv", "revntk.C5");
        tsv_note(tmi, "mimic of the %d-layer ReLU NNGP (W_std 1.5, b_std 0.1) by a degree-D non-negative series",
                 P.mimic_depth);
        tsv_note(tmi, "%d disjoint random splits of n_train %d (of 60000) and n_test %d (of 10000), rng stream %d", S,
                 n, nt, STREAM_SPLIT);
        tsv_note(tmi, "pred_dist = |yhat_mimic - yhat_target|_F / |yhat_target|_F on the test images");
        tsv_columns(tmi, "degree\tsplit\taccuracy\tmse\trel_l2_fit\ttarget_accuracy\ttarget_mse\tpred_dist");
        for (int sp = 0; sp < S; sp++) {
            mnist_task T;
            mnist_prepare(C.mnist_dir, ptr + (size_t)sp * n, n, pte + (size_t)sp * nt, nt, &T);
            size_t NE = (size_t)T.N * T.n;
            double *Kt = XNEW(double, NE), *cc = XNEW(double, NE), *predT = XNEW(double, (size_t)nt * 10);
            if (sp == 0) depth_sweep(&T, t0);  // Figure 2A on the first split
            relu_nngp_deep(&T, P.mimic_depth, 1.5, 0.1, Kt, cc);
            double dl;
            krr_score(&T, Kt, &tacc[sp], &tmse[sp], &dl);
            if (sp == 0) delta_relu15 = dl;
            memcpy(predT, T.pred, sizeof(double) * nt * 10);
            const double nT = sqrt(cblas_ddot(nt * 10, predT, 1, predT, 1));
            for (int im = 0; im < nm; im++) {
                const int D = mp[im].D;
                for (size_t e = 0; e < NE; e++) Kt[e] = poly_eval(D, mp[im].c, T.xi[e]);
                const size_t k = (size_t)sp * nm + im;
                krr_score(&T, Kt, &macc[k], &mmse[k], NULL);
                double dd = 0;
                for (int e = 0; e < nt * 10; e++) dd += (T.pred[e] - predT[e]) * (T.pred[e] - predT[e]);
                mpd[k] = sqrt(dd) / nT;
                tsv_row(tmi, "%d\t%d\t%.6g\t%.8g\t%.6g\t%.6g\t%.8g\t%.6g", D, sp + 1, macc[k], mmse[k], mp[im].l2,
                        tacc[sp], tmse[sp], mpd[k]);
                progress("MNIST split %d/%d, mimic degree %d: %.1f s", sp + 1, S, D, util_now() - t0);
            }
            free(Kt), free(cc), free(predT);
            free(T.xi), free(T.Y), free(T.yt), free(T.Kc), free(T.Yc), free(T.pred);
        }
        tsv_close(tmi);
        // Means and standard errors over the splits, per degree.
        tsv *tsu = tsv_open(&C, "mnist_mimic_mean.tsv", "revntk.C5");
        tsv_note(tsu,
                 "over %d splits: mean and standard error (sd/sqrt(splits)) of r = MSE_mimic/MSE_target, |r - 1|, "
                 "accuracy difference (pp) and pred_dist",
                 S);
        tsv_columns(
            tsu,
            "degree\trel_l2_fit\tratio\tratio_se\tabsdev\tabsdev_se\tacc_diff\tacc_diff_se\tpred_dist\tpred_dist_se\t"
            "mse\taccuracy\ttarget_mse\ttarget_accuracy");
        printf(
            "\nMNIST %d splits of n_train = %d, n_test = %d; ridge 1e-8 mean(diag K) (= %.3g for the ReLU-%d NNGP, split 1)\n",
            S, n, nt, delta_relu15, P.mimic_depth);
        double tm = 0, ta = 0;
        for (int sp = 0; sp < S; sp++) tm += tmse[sp] / S, ta += tacc[sp] / S;
        printf("mimic of the %d-layer ReLU NNGP (target, mean over splits: %.2f%% / %.4f); mean +- SE over splits:\n",
               P.mimic_depth, ta, tm);
        double *v = XNEW(double, S);
        for (int im = 0; im < nm; im++) {
            mimic_summary *m = &ms[nms++];
            m->D = mp[im].D, m->l2 = mp[im].l2;
            double mse = 0, acc = 0;
            for (int q4 = 0; q4 < 4; q4++) {
                for (int sp = 0; sp < S; sp++) {
                    const size_t k = (size_t)sp * nm + im;
                    const double r = mmse[k] / tmse[sp];
                    v[sp] = q4 == 0 ? r : q4 == 1 ? fabs(r - 1) : q4 == 2 ? macc[k] - tacc[sp] : mpd[k];
                    if (q4 == 0) mse += mmse[k] / S, acc += macc[k] / S;
                }
                double mu = 0, var = 0;
                for (int sp = 0; sp < S; sp++) mu += v[sp] / S;
                for (int sp = 0; sp < S; sp++) var += (v[sp] - mu) * (v[sp] - mu);
                const double se = S > 1 ? sqrt(var / (S - 1) / S) : NAN;
                m->mean[q4] = mu, m->se[q4] = se;
            }
            printf(
                "  degree %2d (fit rel L2 %.2g): MSE ratio %.4f +- %.4f, |ratio - 1| %.4f +- %.4f, acc diff %+.2f +- %.2f pp, "
                "pred dist %.4f +- %.4f\n",
                m->D, m->l2, m->mean[0], m->se[0], m->mean[1], m->se[1], m->mean[2], m->se[2], m->mean[3], m->se[3]);
            tsv_row(tsu, "%d\t%.6g\t%.8g\t%.6g\t%.8g\t%.6g\t%.6g\t%.6g\t%.8g\t%.6g\t%.8g\t%.6g\t%.8g\t%.6g", m->D,
                    m->l2, m->mean[0], m->se[0], m->mean[1], m->se[1], m->mean[2], m->se[2], m->mean[3], m->se[3], mse,
                    acc, tm, ta);
        }
        tsv_close(tsu);
        free(v), free(mp), free(macc), free(mmse), free(mpd), free(tacc), free(tmse), free(ptr), free(pte);
        progress_done("MNIST: %.1f s", util_now() - t0);
    }
    printf("\n");
    if (!mnist_ok) claim_skip("revntk.C5", CLAIM_EXPERIMENT, c5_reason);
    else if (nms < 3) claim_skip("revntk.C5", CLAIM_EXPERIMENT, "--mimic-degrees needs at least 3 degrees");
    else {
        const mimic_summary *top = &ms[0];  // the largest degree: the best approximation
        for (int i = 1; i < nms; i++)
            if (ms[i].D > top->D) top = &ms[i];
        double fl[DMAX + 1], dev[DMAX + 1], pdv[DMAX + 1];
        for (int i = 0; i < nms; i++) fl[i] = ms[i].l2, dev[i] = ms[i].mean[1], pdv[i] = ms[i].mean[3];
        const double sp_dev = fit_spearman(fl, dev, nms), sp_pd = fit_spearman(fl, pdv, nms);
        // The MSE ratio is not monotone in the degree (degree 4 is further from the target than
        // degree 2 at every size we ran; degree 2 is +19% at n = 2000 and -4% at n = 300), so its
        // rank correlation with the fit error is printed, not asserted.  The predictions
        // themselves converge: their distance to the target's falls with the fit error.
        // Least-squares slope of log(pred dist) on log(fit error): to first order in the kernel
        // perturbation dK the predictor moves linearly in dK, so the slope is 1 when the fit
        // residuals keep their shape across degrees; a slope near 0 or negative would mean the
        // predictions do not follow the kernel.
        double lx[DMAX + 1], ly[DMAX + 1], mx = 0, my = 0, sxy = 0, sxx = 0;
        for (int i = 0; i < nms; i++) lx[i] = log(fl[i]), ly[i] = log(pdv[i]), mx += lx[i] / nms, my += ly[i] / nms;
        for (int i = 0; i < nms; i++) sxy += (lx[i] - mx) * (ly[i] - my), sxx += (lx[i] - mx) * (lx[i] - mx);
        const double slope = sxy / sxx;
        printf(
            "Spearman(fit error, |ratio - 1|) = %.3f, Spearman(fit error, pred dist) = %.3f, log-log slope of pred dist = %.3f\n",
            sp_dev, sp_pd, slope);
        snprintf(
            what, sizeof what,
            "|mean MSE_mimic%d/MSE_ReLU%d - 1| over %d splits (acc diff %+.2f pp); as the fit error shrinks: Spearman with "
            "|ratio-1| %.2f, with pred dist %.2f, log-log slope %.2f",
            top->D, P.mimic_depth, P.splits, top->mean[2], sp_dev, sp_pd, slope);
        claim_check(
            "revntk.C5", CLAIM_EXPERIMENT,
            fabs(top->mean[0] - 1) <= 0.03 && fabs(top->mean[2]) <= 1.0 && sp_pd >= 0.9 && slope >= 0.5 && slope <= 1.5,
            what, fabs(top->mean[0] - 1), "0.03; acc 1 pp; pred-dist Spearman >= 0.9, slope in [0.5, 1.5]");
    }
}
