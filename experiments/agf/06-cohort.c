// ---- (E) the ablation: per-neuron-scaled GD grows cohorts (claim agf.C7) ----

// ---- (E) ablation: per-neuron-scaled GD grows cohorts ----
//
// The configuration of our earlier runs (and of the follow-up repository): the template
// p = 11, m = (0, 12.5, 10, 7.5, 5, 2.5), H = 200, here at init 1e-2, one seed.  Under the
// per-neuron-scaled step every aligned neuron grows at the same exponential rate and the
// thresholds ln(1/|theta_i(0)|) differ only logarithmically, so whole cohorts grow together;
// under plain gradient flow the blow-up time is proportional to 1/|theta_i(0)| and neurons
// become active one after another, as AGF's one-neuron rounds assume.  We count the neurons
// with |theta_i| > 0.1 when the loss first reaches L_1 (within 1 %) in both runs, from the same
// initial weights (agf.C7, a deviation of scaled GD from AGF's picture).
#define COH_P 11
#define COH_MAGS "0,12.5,10,7.5,5,2.5"
#define COH_H 200
#define COH_INIT 1e-2
#define COH_EPOCHS_SCALED 1500  // scaled GD, eta = 0.01: reaches L_1 near epoch 70, L_3 near 500
#define COH_EPOCHS_PLAIN 3000   // momentum GD, eta = 0.01, beta = 0.9: reaches L_1 near epoch 250
static void case_cohort(void) {
    modadd_task T = modadd_make(COH_P, COH_MAGS);
    const unsigned long seed = P.seeds.n ? (unsigned long)P.seeds.v[0] : C.seed;
    tsv *t = tsv_open(&C, "cohort.tsv", "agf.C7");
    tsv_note(
        t,
        "ablation: p = %d, mags %s, H = %d, init %g, seed %lu; scaled = per-neuron-scaled GD eta %g; plain = momentum "
        "GD eta %g beta %g; n_big = neurons with |theta_i| > 0.1; L_1 = %.6g",
        COH_P, COH_MAGS, COH_H, COH_INIT, seed, P.lr, P.lr, P.momentum, T.lev[1]);
    tsv_columns(t, "variant\tepoch\tloss\tn_big");
    int nb_end[2] = {-1, -1};
    double t_end[2] = {NAN, NAN};
    for (int v = 0; v < 2; v++) {
        long E = v ? COH_EPOCHS_PLAIN : COH_EPOCHS_SCALED;
        modadd_run R = modadd_gd(&T, COH_H, seed, COH_INIT, E, v == 0, P.lr, P.momentum, 10);
        for (long r = 0; r < R.nrec; r++)
            tsv_row(t, "%s\t%.0f\t%.10g\t%d", v ? "plain" : "scaled", R.rep[r], R.loss[(long)R.rep[r]], R.nbig[r]);
        // The cohort that made the first drop: n_big at the first record at or after the loss
        // reaches 1.01 L_1 (a crossing, so a run that passes L_1 without dwelling still counts).
        t_end[v] = steps_crossing(R.ep, R.loss, R.n, 0, (1 + STEPS_DWELL_BAND) * T.lev[1], STEPS_DOWN);
        for (long r = 0; r < R.nrec && nb_end[v] < 0; r++)
            if (R.rep[r] >= t_end[v]) nb_end[v] = R.nbig[r];
        modadd_run_free(&R);
    }
    tsv_close(t);
    printf(
        "# (E) cohorts, p = %d H = %d init %g: neurons with |theta| > 0.1 when the loss reaches L_1: scaled GD %d "
        "(epoch %.0f), momentum GD %d (epoch %.0f)\n",
        COH_P, COH_H, COH_INIT, nb_end[0], t_end[0], nb_end[1], t_end[1]);
    double ratio = nb_end[0] > 0 && nb_end[1] > 0 ? (double)nb_end[0] / nb_end[1] : NAN;
    claim_check("agf.C7", CLAIM_DEVIATION, ratio >= COH_RATIO,
                "scaled GD grows cohorts: n_big(scaled)/n_big(momentum GD) when the loss reaches L_1", ratio, ">= 3");
    modadd_free(&T);
}
