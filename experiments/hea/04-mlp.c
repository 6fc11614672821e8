// ---- part 4: a trained net learns Hermite monomials in HEA order ----
// Included by hea.c.

// ---- theory: the ReLU NTK's level coefficients ----
//
// A one-hidden-layer ReLU net $f(x) = \frac{1}{\sqrt h}\sum_i a_i\,\mathrm{relu}(w_i\cdot x)$,
// $w_i \sim N(0, I_d)$, $a_i \sim N(0, 1)$, on unit-norm inputs has the NTK
// $\Theta(u) = \frac{1}{2\pi}\big(\sqrt{1-u^2} + \pi u + 2u\arcsin u\big)$, $u = x\cdot x'$ (Cho & Saul:
// the NNGP $\frac1{2\pi}(\sqrt{1-u^2} + (\pi - \arccos u)u)$ plus $u\,\frac{\pi - \arccos u}{2\pi}$).
// Its level coefficients $c_\ell = \Theta^{(\ell)}(0)$ follow from the series
// $\sqrt{1-u^2} = \sum_k \binom{1/2}{k}(-u^2)^k$ and
// $u\arcsin u = \sum_k \frac{(2k)!}{4^k (k!)^2 (2k+1)} u^{2k+2}$: $c_0 = 1/2\pi$, $c_1 = 1/2$,
// $c_2 = 3/2\pi$, and every odd $c_\ell$ beyond 1 vanishes (a bias-free ReLU net on the sphere cannot
// learn odd monomials of degree 3 or more in the kernel regime).
static void relu_ntk_level_coeffs(int lmax, double *cl_out) {
    double coef[HERMITE_LMAX + 3] = {0};
    double b = 1;  // binom(1/2, k) (-1)^k
    for (int k = 0; 2 * k <= lmax; k++) {
        coef[2 * k] += b / (2 * M_PI);
        b *= -(0.5 - k) / (k + 1);
    }
    coef[1] += 0.5;
    double a = 1;  // (2k)! / (4^k (k!)^2)
    for (int k = 0; 2 * k + 2 <= lmax; k++) {
        coef[2 * k + 2] += 2 * a / (2 * k + 1) / (2 * M_PI);
        a *= (2.0 * k + 1) / (2.0 * k + 2);
    }
    double f = 1;
    for (int l = 0; l <= lmax; l++, f *= l) cl_out[l] = coef[l] * f;
}

// ---- Part 4: time-to-learn of a trained network ----
//
// The paper trains feature-learning MLPs (depth 3, width 1024, online SGD) on monomial targets and
// plots the time to learn each against $\lambda_{HEA}^{-1}$.  We train, at laptop scale, the lazy
// case, where the HEA makes a sharp prediction: a 1HL ReLU net of width h in NTK parametrisation
// on anisotropic Gaussian data projected to the unit sphere (d = 30, $\gamma_a \propto (a+6)^{-2}$),
// online SGD (a fresh batch every step, i.e. population gradient flow plus noise) on
// $\frac12(f - y)^2$, one run per target; the output starts at $f \equiv 0$ by the antisymmetric
// initialisation (neuron $i + h/2$ copies the incoming weights of neuron $i$ and negates its
// read-out weight), which leaves the NTK's expectation unchanged; one run per target
// $y = h_\alpha(z)$.  In the kernel regime the residual of an eigenfunction decays as
// $e^{-\lambda t}$, so the relative test MSE (MSE over $\mathbb E y^2$) crosses 1/2 at
// $t^* = \ln 2/(2\lambda_\alpha)$.
//
// * **C7** (experiment, nets) linear monomials are learned at the predicted time: every
//   $t_{emp}/t^*$ in [0.8, 1.25].
// * **C7b** (deviation) quadratic monomials are learned later than predicted, by a median factor
//   of at least 1.2 (1.4-1.5 measured): the ansatz's degree-2 eigenvalues of the ReLU NTK on this
//   strongly anisotropic data ($d_{eff} \approx 12$) are too large, or the finite-width net is slower
//   there; the rank order over all nine targets (Spearman) is reported, not asserted.

typedef struct {
    const char *name;
    int deg, idx[4];
} mlp_target;

static void run_mlp(int quick, tsv *Tm) {
    const int d = 30, h = 2 * ((quick ? 256 : p.mlp_width) / 2), B = 200, nt = quick ? 500 : 1000,
              Tmax = quick ? 60 : p.mlp_time;
    const double eta = 1.0;
    const mlp_target tg[] = {{"z0", 1, {0}},       {"z4", 1, {4}},       {"z9", 1, {9}},
                             {"z19", 1, {19}},     {"z0^2", 2, {0, 0}},  {"z0 z1", 2, {0, 1}},
                             {"z1 z2", 2, {1, 2}}, {"z0 z4", 2, {0, 4}}, {"z2^2", 2, {2, 2}}};
    const int ntg = quick ? 5 : (int)(sizeof tg / sizeof *tg);
    double deff, *gamma = gauss_gamma(d, 2, &deff), *sg = XNEW(double, d), cl[HERMITE_LMAX + 1];
    for (int a = 0; a < d; a++) sg[a] = sqrt(gamma[a]);
    relu_ntk_level_coeffs(HERMITE_LMAX, cl);
    double *Xt = XNEW(double, (size_t)nt *d), *Gt = XNEW(double, (size_t)nt *d), *X = XNEW(double, (size_t)B *d);
    double *G = XNEW(double, (size_t)B *d), *Y = XNEW(double, B), *Yt = XNEW(double, nt);
    double *F0t = XNEW(double, nt), *Pt = XNEW(double, nt), *dF = XNEW(double, B);
    gsl_rng *rt = rng_alloc(c.seed, STREAM_MLP_TEST);
    gauss_sample(rt, nt, d, sg, 1, Xt, Gt);
    rng_free(rt);
    double tth[16], temp[16], lam[16];
    tsv_note(
        Tm,
        "1HL ReLU, width %d, NTK parametrisation, online SGD (batch %d, eta %g) on (1/2)(f - y)^2, centred output; "
        "Gaussian data d = %d, gamma ~ (a+6)^-2, projected to the unit sphere; test set %d",
        h, B, eta, d, nt);
    tsv_note(
        Tm,
        "lambda_hea = c_|alpha| prod gamma^alpha with the ReLU NTK's level coefficients; t_th = ln 2/(2 lambda); "
        "t_emp: first time the relative test MSE (MSE / E y^2) <= 1/2 (linear interpolation); -1 = not within t_max = %d",
        Tmax);
    tsv_columns(Tm, "target\tdegree\tlambda_hea\tt_th\tt_emp");
    for (int q = 0; q < ntg; q++) {
        double l = cl[tg[q].deg];
        for (int j = 0; j < tg[q].deg; j++) l *= gamma[tg[q].idx[j]];
        lam[q] = l, tth[q] = log(2) / (2 * l);
        double y2 = 0;  // E y^2 on the test set: the projection to the sphere moves it off 1
        for (int i = 0; i < nt; i++)
            Yt[i] = hermite_mono_eval(tg[q].deg, tg[q].idx, Gt + (size_t)i * d), y2 += Yt[i] * Yt[i] / nt;
        int widths[3] = {d, h, 1};
        nn *net = nn_alloc(2, widths, NN_RELU, 0, nt);
        if (!net || nn_set_mult(net, 1, 1.0) || nn_set_mult(net, 2, 1 / sqrt((double)h))) DIE("mlp: nn_alloc failed");
        gsl_rng *ri = rng_alloc(c.seed, STREAM_MLP_INIT + (unsigned long)q),
                *rd = rng_alloc(c.seed, STREAM_MLP_DATA + (unsigned long)q);
        init_normal_abs(ri, net->nparams, 1.0, net->theta, NULL);
        for (int i = h / 2; i < h; i++) {  // antisymmetric pairs: f_theta0 = 0
            memcpy(net->W[1] + (size_t)i * d, net->W[1] + (size_t)(i - h / 2) * d, sizeof(double) * d);
            net->W[2][i] = -net->W[2][i - h / 2];
        }
        nn_predict(net, nt, Xt, F0t);
        double prev = 1, te = 1;
        temp[q] = -1;
        for (int s = 0; s <= Tmax; s++) {
            nn_predict(net, nt, Xt, Pt);
            te = 0;
            for (int i = 0; i < nt; i++) te += (Pt[i] - F0t[i] - Yt[i]) * (Pt[i] - F0t[i] - Yt[i]) / nt / y2;
            if (te <= 0.5 && temp[q] < 0) temp[q] = s == 0 ? 0 : (s - 1) * eta + eta * (prev - 0.5) / (prev - te);
            prev = te;
            if (temp[q] >= 0 || s == Tmax) break;
            // one online SGD step: a fresh batch, the centred output needs f_theta0 on it
            gauss_sample(rd, B, d, sg, 1, X, G);
            for (int i = 0; i < B; i++) Y[i] = hermite_mono_eval(tg[q].deg, tg[q].idx, G + (size_t)i * d);
            const double *F = nn_forward(net, B, X);
            for (int i = 0; i < B; i++) dF[i] = F[i] - Y[i];
            nn_backward(net, dF, NULL, 0);
            opt_gd_step(net->nparams, net->theta, net->grad, eta / B);
        }
        rng_free(ri), rng_free(rd);
        nn_free(net);
        tsv_row(Tm, "%s\t%d\t%.6g\t%.6g\t%.6g", tg[q].name, tg[q].deg, lam[q], tth[q], temp[q]);
        fprintf(stderr, "mlp %-6s lambda_HEA %.4g: t_th %.3g, t_emp %.3g (test MSE at stop %.3f)\n", tg[q].name, lam[q],
                tth[q], temp[q], te);
    }
    // C7: linear monomials, t_emp/t_th within [0.8, 1.25] (the crossing time of one SGD run
    // scatters by ~5%: batch noise of the test-MSE curve near 1/2 and the finite test set; 0.8-1.25
    // is 4 of those).  C7b (deviation): quadratic monomials are learned later than the HEA says,
    // median t_emp/t_th >= 1.2 (measured 1.4-1.5 at seeds 1-3).  The rank order over all targets
    // (Spearman with 1/lambda) is reported.
    double rt_[16], rl_[16], r1[16], r2[16];
    int n1 = 0, n2 = 0, lost = 0;
    for (int q = 0; q < ntg; q++) {
        rt_[q] = temp[q] < 0 ? 1e300 : temp[q], rl_[q] = 1 / lam[q];
        if (temp[q] < 0) lost++;
        else if (tg[q].deg == 1) r1[n1++] = temp[q] / tth[q];
        else r2[n2++] = temp[q] / tth[q];
    }
    double rho = fit_spearman(rt_, rl_, ntg), lo = INFINITY, hi = 0;
    for (int i = 0; i < n1; i++) lo = fmin(lo, r1[i]), hi = fmax(hi, r1[i]);
    const double med2 = n2 ? fit_median(r2, n2) : NAN;
    char what[200];
    snprintf(what, sizeof what,
             "linear monomials: t_emp/t_th in [%.3f, %.3f] (%d of them); all %d: Spearman(t_emp, 1/lambda) %.3f, "
             "%d not learned",
             lo, hi, n1, ntg, rho, lost);
    claim_check("hea.C7", CLAIM_EXPERIMENT, n1 > 0 && lo >= 0.8 && hi <= 1.25 && !lost, what, fmax(1 / lo, hi),
                "max(t_emp/t_th, t_th/t_emp) <= 1.25");
    if (quick) claim_skip("hea.C7b", CLAIM_DEVIATION, "--quick trains too few quadratic targets");
    else {
        snprintf(what, sizeof what,
                 "quadratic monomials learned later than the HEA predicts: median t_emp/t_th over %d", n2);
        claim_check("hea.C7b", CLAIM_DEVIATION, n2 >= 3 && med2 >= 1.2, what, med2, ">= 1.2");
    }
    free(gamma), free(sg), free(Xt), free(Gt), free(X), free(G), free(Y), free(Yt), free(F0t), free(Pt), free(dF);
}
