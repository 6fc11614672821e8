// ---- the weight-decay sweep (no claim) ----

static void part_sweep(const dataset *D, const dataset *Dt, const record *trace0, const record *traceT) {
    fact_ws *w = fact_alloc(D->n, D->d, P.width);
    tsv *t = tsv_open(&C, "sweep.tsv", "none (the note's weight-decay sweep)");
    init_info info;
    nn *net = make_net(D, P.width, &info);
    header_notes(t, D, Dt, &info);
    tsv_note(t,
             "one run per lambda from the same init, T_lambda = clamp(%g/(lr lambda), %ld, %ld) steps; the end state",
             P.decay_times, P.sweep_min, P.sweep_max);
    tsv_columns(t,
                "lambda\tsteps\tloss\tloss_null\tgrad_norm\tcos_fact\trho\trho_raw\tasym\tcos_nfa_half\tcos_agop\t"
                "pearson_fact\tpearson_nfa_half\tpearson_agop\tcos_fact_t0\ttest_loss\ttest_loss_null\tshare_wtw");
    nn_free(net);
    for (int k = 0; k < P.lambdas.n; k++) {
        const double lam = P.lambdas.v[k];
        long T = (long)ceil(P.decay_times / (P.lr * lam));
        T = T < P.sweep_min ? P.sweep_min : T > P.sweep_max ? P.sweep_max : T;
        record R[2];
        if (traceT && lam == P.lambda && T == P.steps) {
            R[0] = *trace0, R[1] = *traceT;
        } else {
            net = make_net(D, P.width, &info);
            char label[64];
            snprintf(label, sizeof label, "sweep lambda=%g", lam);
            train(net, D, Dt, lam, T, 1, R, NULL, NULL, w, label);
            nn_free(net);
        }
        tsv_row(t,
                "%.6g\t%ld\t%.10g\t%.10g\t%.10g\t%.15g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t"
                "%.10g\t%.10g\t%.6g",
                lam, T, R[1].loss, D->Lnull, R[1].grad_norm, R[1].cos_fact, R[1].rho, R[1].rho_raw, R[1].asym,
                R[1].cos_nfa_half, R[1].cos_agop, R[1].pearson_fact, R[1].pearson_nfa_half, R[1].pearson_agop,
                R[0].cos_fact, R[1].test_loss, Dt->Lnull, R[1].share_wtw);
    }
    tsv_close(t);
    fact_free(w);
}
