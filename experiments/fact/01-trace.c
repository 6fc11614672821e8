// ---- the trace: FACT, the NFA and F against AGOP^1/2 along training (claims fact.C1-C6) ----

// ---- measurement (claims) ----
//
// fact.C1 is an identity (it guards the code); C2-C5 are measurements of the trained network.
// The (E1) residual is rounding only.  The FACT bounds at the final step (cos >= 0.999,
// rho <= 0.02) leave a factor 2-3 over seeds 1-3 (rho 0.007-0.010): rho is bounded by the
// measured stationarity, and after $\eta\lambda T = 5$ weight-decay times the slowest directions
// have decayed by $e^{-5}$.  fact.C4 rules out trivial agreement (a collapsed or memorising
// network).

static void trace_claims(const record *R, int logs, double fd0, double fdT, double Lnull, double Lnull_test) {
    const record *first = &R[0], *last = &R[logs];
    const int q = C.quick;
    char tol[256];
    double e1max = 0;
    for (int k = 0; k <= logs; k++) e1max = fmax(e1max, R[k].e1);
    double fd = fmax(fd0, fdT);
    // An identity: (E1) is algebra, true at every parameter value, and the finite-difference
    // check tests our own gradient code.  It guards the code; it cannot confirm the paper.
    snprintf(tol, sizeof tol, "<= 1e-10; and finite-difference grad_x l_i max rel. err = %.2g <= 1e-6", fd);
    claim_check("fact.C1", CLAIM_IDENTITY, e1max <= 1e-10 && fd <= 1e-6,
                "max over logged steps of (E1) residual / (lambda |W^TW|)", e1max, tol);

    const double cmin = q ? 0.995 : 0.999, rmax = q ? 0.1 : 0.02;
    snprintf(tol, sizeof tol, ">= %g; and rho = %.3g <= %g", cmin, last->rho, rmax);
    claim_check("fact.C2", CLAIM_EXPERIMENT, last->cos_fact >= cmin && last->rho <= rmax, "final cos(W^T W, F_sym)",
                last->cos_fact, tol);

    // FACT against the NFA, as distances 1 - cos: once the network has learned the feature both
    // matrices live on the same 2 x 2 block and both cosines are close to 1, so a difference of
    // cosines says little; the ratio says how many times closer FACT is.  FACT's distance is
    // bounded by its stationarity (1 - cos <= rho_raw^2/2 to leading order); the NFA has no such
    // bound, and we measure it saturating near 1e-3 while FACT keeps improving.
    const double dF = 1 - last->cos_fact, rN = (1 - last->cos_nfa_half) / dF, rA = (1 - last->cos_agop) / dF;
    snprintf(tol, sizeof tol, ">= 10; and (1 - cos(W^TW, AGOP))/(1 - cos_FACT) = %.3g >= 10; 1 - cos_FACT = %.2g", rA,
             dF);
    claim_check("fact.C3", CLAIM_EXPERIMENT, rN >= 10 && rA >= 10, "final (1 - cos(W^T W, AGOP^1/2))/(1 - cos_FACT)",
                rN, tol);

    // Earned, not trivial: FACT is far from holding at initialisation, and the network has
    // learned the feature (most of |W^TW|^2 on the target's 2 x 2 block, where an isotropic
    // W^TW puts 2/d; test loss well below the zero predictor's).  A memorising network (training
    // loss low, test loss at L_null) or a collapsed one (loss at L_null) fails here.
    const double share_iso = 2.0 / P.din, tl = last->test_loss / Lnull_test;
    snprintf(
        tol, sizeof tol,
        "<= 0.5; and 2x2-block share of |W^TW|^2 = %.3g >= 0.5 (isotropic %.2g); test loss / L_null = %.3g <= 0.25 "
        "(test loss %.4g, L_null of the test set %.4g; train loss %.4g, L_null of the training set %.4g)",
        last->share_wtw, share_iso, tl, last->test_loss, Lnull_test, last->loss, Lnull);
    claim_check("fact.C4", CLAIM_EXPERIMENT, first->cos_fact <= 0.5 && last->share_wtw >= 0.5 && tl <= 0.25,
                "cos_FACT at t = 0", first->cos_fact, tol);

    // The asymmetry of F is a random O(1) number at initialisation (0.20-0.35 over seeds 1-3)
    // with no theory of its own, so the contrast is relative: a falls at least tenfold, as the
    // gradient does, instead of the fixed a(0) > 0.2, which seed 2 misses at 0.198.
    const double amax = q ? 0.05 : 0.02;
    snprintf(tol, sizeof tol, "<= %g; and a(T)/a(0) = %.3g <= 0.1 (a(0) = %.3g)", amax, last->asym / first->asym,
             first->asym);
    claim_check("fact.C5", CLAIM_EXPERIMENT, last->asym <= amax && last->asym <= 0.1 * first->asym,
                "final antisymmetric fraction a", last->asym, tol);

    // FACT against the NFA directly (the v2 abstract's "explains why the NFA usually holds"): the
    // FACT matrix F_sym is built from the data's input gradients alone, as the AGOP is, and we
    // measure it aligned with AGOP^1/2 early, before W^TW has converged to either: at the first log
    // after t = 0, 1 - cos(W^TW, AGOP^1/2) is 2.5-4.4 times 1 - cos(F_sym, AGOP^1/2) over seeds 1-3
    // (1.7 and 2.0 at --quick, seeds 7 and 1).  The bound 1.5 is below all of them; 1 would mean no lead.
    // The final values are printed, not gated: there cos(F_sym, .) = cos(W^TW, .) to within
    // 1 - cos_FACT (fact.C2), and how well the NFA holds at the end varies (0.979-0.999).
    const record *early = &R[logs >= 2 ? 1 : logs];
    const double ratio = (1 - early->cos_nfa_half) / (1 - early->cos_fs_agh);
    snprintf(tol, sizeof tol,
             ">= 1.5; cos(F_sym, AGOP^1/2) = %.4f, cos(W^TW, AGOP^1/2) = %.4f there; final %.6f and %.6f; at t = 0 "
             "%.3f and %.3f",
             early->cos_fs_agh, early->cos_nfa_half, last->cos_fs_agh, last->cos_nfa_half, first->cos_fs_agh,
             first->cos_nfa_half);
    char what[128];
    snprintf(what, sizeof what, "at t = %ld: (1 - cos(W^TW, AGOP^1/2))/(1 - cos(F_sym, AGOP^1/2))", early->t);
    claim_check("fact.C6", CLAIM_EXPERIMENT, ratio >= 1.5, what, ratio, tol);
}

// ---- output ----

static const char *TRACE_COLS =
    "t\tloss\tgrad_norm\tcos_fact\trho\tasym\tcos_nfa_half\tcos_agop\te1_residual\t"
    "pearson_fact\tpearson_nfa_half\tpearson_agop\trho_raw\teta_t\tpenalty\tloss_null\t"
    "test_loss\ttest_loss_null\tshare_wtw\tshare_fsym\tshare_agop_half\tcos_fsym_agop_half\tcos_fsym_agop";

static void trace_row(tsv *t, const record *R, double Lnull, double Lnull_test) {
    tsv_row(
        t,
        "%ld\t%.10g\t%.10g\t%.15g\t%.10g\t%.10g\t%.10g\t%.10g\t%.6g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t"
        "%.10g\t%.10g\t%.6g\t%.6g\t%.6g\t%.10g\t%.10g",
        R->t, R->loss, R->grad_norm, R->cos_fact, R->rho, R->asym, R->cos_nfa_half, R->cos_agop, R->e1, R->pearson_fact,
        R->pearson_nfa_half, R->pearson_agop, R->rho_raw, P.lr * R->t, R->penalty, Lnull, R->test_loss, Lnull_test,
        R->share_wtw, R->share_fs, R->share_agh, R->cos_fs_agh, R->cos_fs_agop);
}

static void print_record(const record *R) {
    printf(
        "t=%-7ld loss=%.4f test=%.4f grad=%.3e cos_fact=%.6f rho=%.4g asym=%.4g cos_nfa_half=%.4f cos_agop=%.4f "
        "share=%.3f e1=%.2e\n",
        R->t, R->loss, R->test_loss, R->grad_norm, R->cos_fact, R->rho, R->asym, R->cos_nfa_half, R->cos_agop,
        R->share_wtw, R->e1);
}

static void header_notes(tsv *t, const dataset *D, const dataset *Dt, const init_info *info) {
    tsv_note(t, "network: f(x) = (1/sqrt N) sum_j a_j phi(w_j . x), N = %d, phi = %s, no biases", P.width, P.act);
    tsv_note(t, "objective: (1/n) sum_i (1/2)(f(x_i) - y_i)^2 + (lambda/2)(|W|_F^2 + |a|^2)  (full-batch GD)");
    tsv_note(t,
             "FACT: F = -(1/(n lambda)) sum_i grad_x l_i x_i^T, F_sym = (F + F^T)/2; AGOP = (1/n) sum_i grad_x f "
             "grad_x f^T");
    tsv_note(t, "data: x ~ N(0, I_%d), n = %d, target %s, L_null = (1/2n) sum y^2 = %.10g", D->d, D->n, P.target,
             D->Lnull);
    tsv_note(t, "test: %d held-out points (rng stream %d), L_null = %.10g; biases %s (not weight-decayed)", Dt->n,
             STREAM_TEST, Dt->Lnull, P.bias);
    char ib[512];
    init_describe(info, ib, sizeof ib);
    tsv_note(t, "%s", ib);
}

static void write_matrices(const fact_ws *w) {
    const int d = w->d, dd = d * d;
    tsv *t = tsv_open(&C, "matrices.tsv", "fact.C2 fact.C3");
    tsv_note(t, "final-step matrices of the trace run, each divided by its Frobenius norm; i, j = 1..d");
    tsv_note(t, "matrix: WtW = W^T W, F_sym = FACT (symmetrised), AGOP_half = AGOP^(1/2), AGOP");
    const double *M[] = {w->WtW, w->Fs, w->AGh, w->AG};
    const char *name[] = {"WtW", "F_sym", "AGOP_half", "AGOP"};
    // The share of the squared Frobenius norm in the top-left 2 x 2 block (the target's
    // coordinates x_1, x_2); a uniform spread would give 4/d^2.
    for (int m = 0; m < 4; m++) {
        double blk = 0;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) blk += M[m][i * d + j] * M[m][i * d + j];
        tsv_note(t, "share of |%s|_F^2 in the top-left 2 x 2 block: %.4f (uniform: %.4f)", name[m],
                 blk / (frob(dd, M[m]) * frob(dd, M[m])), 4.0 / dd);
    }
    tsv_columns(t, "i\tj\tvalue\tmatrix");
    for (int m = 0; m < 4; m++) {
        const double s = frob(dd, M[m]);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) tsv_row(t, "%d\t%d\t%.10g\t%s", i + 1, j + 1, M[m][i * d + j] / s, name[m]);
    }
    tsv_close(t);
}

// ---- the part ----

// The trace (claims fact.C1-C5): one training run, logged `logs` + 1 times.  Its first
// and last records are kept for the sweep (*first, *last).
static void part_trace(const dataset *D, const dataset *Dt, record *first, record *last) {
    init_info info;
    nn *net = make_net(D, P.width, &info);
    fact_ws *w = fact_alloc(D->n, D->d, P.width);
    record *R = XNEW(record, P.logs + 1);
    double fd0 = 0, fdT = 0;
    train(net, D, Dt, P.lambda, P.steps, P.logs, R, &fd0, &fdT, w, "trace");
    tsv *t = tsv_open(&C, "trace.tsv", "fact.C1 fact.C2 fact.C3 fact.C4 fact.C5 fact.C6");
    header_notes(t, D, Dt, &info);
    tsv_note(t, "t = GD step; eta_t = lr * t; rho_raw = |W^T grad_W L|/(lambda |W^TW|) (theory bound on rho)");
    tsv_note(t, "finite-difference check of grad_x l_i (5 points): max rel. err %.3g at t = 0, %.3g at t = T", fd0,
             fdT);
    tsv_columns(t, TRACE_COLS);
    for (int k = 0; k <= P.logs; k++) {
        trace_row(t, &R[k], D->Lnull, Dt->Lnull);
        print_record(&R[k]);
    }
    tsv_close(t);
    write_matrices(w);
    trace_claims(R, P.logs, fd0, fdT, D->Lnull, Dt->Lnull);
    *first = R[0], *last = R[P.logs];
    free(R);
    fact_free(w);
    nn_free(net);
}

// The weight-decay sweep (no claim).  For each lambda: the same data and
// initial weights, trained for
// $T_\lambda = \mathrm{clamp}(k/(\eta\lambda), T_{min}, T_{max})$ steps, so that every run has
// had about the same number $k$ of weight-decay contraction times (the slowest directions decay
// like $e^{-\eta\lambda t}$), and at least $T_{min}$ steps to learn the feature at all.  The end
// state is measured as in the trace.  A lambda and T equal to the trace's reuse its end state
// (the run would be the same, bit for bit).
