// ---- measurement: part B, real text (w2v.C3-C4 text, C7, C9) ----
//
// The registry corpus or --corpus.  M* from the windowed counts; its top eigenpairs by the
// subset solver; QWEM from small init; the closed-form embedding $W = V_d\Lambda_d^{1/2}$ scored
// on the analogy set against d; the trained W scored along training; eigenvector words.
static int lookup_corpus(const char *w, void *ctx) { return corpus_lookup((const corpus *)ctx, w); }

static int count_in(const char *const *set, int nset, char **words, int nw) {
    int m = 0;
    for (int i = 0; i < nw; i++)
        for (int j = 0; j < nset; j++) m += !strcmp(words[i], set[j]);
    return m;
}

// The text M*, built once per run: windowed counts (context L), M* in place, its top kt
// eigenpairs (subset solver; kt = 400, or V) and lambda_min.  Used by the QWEM part, the SGNS
// overlap report and QWEM-SGD.
typedef struct {
    int V, L, kt;
    long zeros;                       // pairs that never co-occur
    double *M, *lam, *Z, lmin, secs;  // M (V, V), lam (kt), Z (V, kt)
} text_mstar;

static text_mstar text_mstar_build(const corpus *cp, int d) {
    text_mstar t = {.V = cp->V, .L = P.window};
    int V = t.V;
    t.kt = V < 400 ? V : 400;
    if (t.kt < d + 1) t.kt = d + 1 <= V ? d + 1 : V;
    double t0 = util_now();
    t.M = XNEW(double, (size_t)V *V);
    double *cnt = XNEW(double, V), *tmp = XNEW(double, (size_t)V *V);
    if (corpus_cooc_add(cp->ids, cp->n_ids, V, t.L, t.M) < 0) DIE("corpus_cooc_add: %s", sim_last_error());
    for (size_t q = 0; q < (size_t)V * V; q++) t.zeros += t.M[q] == 0;
    for (int i = 0; i < V; i++) cnt[i] = (double)cp->count[i];
    mstar_from_counts(V, t.M, cnt, NULL);
    t.lam = XNEW(double, t.kt), t.Z = XNEW(double, (size_t)V *t.kt);
    memcpy(tmp, t.M, sizeof *tmp * (size_t)V * V);
    if (la_eigh_top(V, tmp, t.kt, t.lam, t.Z)) DIE("dsyevr failed on the text M* (V = %d)", V);
    t.lmin = lambda_min(V, t.M);
    t.secs = util_now() - t0;
    free(cnt), free(tmp);
    return t;
}

static void text_mstar_free(text_mstar *t) { free(t->M), free(t->lam), free(t->Z); }

// keep (may be NULL) receives the QWEM run (the init contrast reuses it); the caller frees it.
static void part_text(const text_mstar *tm, const corpus *cp, analogy_set *aset, int is_registry, qwem_exp *keep) {
    int V = cp->V, L = tm->L, d = P.dim ? P.dim : 20, kt = tm->kt;
    if (d >= V) cli_usage_error(&C, "--dim %d must be below the vocabulary size %d", d, V);
    const double *M = tm->M, *lam = tm->lam, *Z = tm->Z, lmin = tm->lmin;
    double M2 = la_frob2((size_t)V * V, M);
    long zeros = tm->zeros;
    int npos = 0;
    for (int k = 0; k < kt; k++) npos += lam[k] > 0;
    printf(
        "\ntext corpus: %ld tokens, %ld in vocabulary (%.1f %%), V = %d, L = %d; zero-count fraction %.4f, "
        "mean(M*^2) = %.4f\n  lambda_1..10 =",
        cp->n_tokens, cp->n_ids, 100.0 * cp->n_ids / cp->n_tokens, V, L, (double)zeros / ((double)V * V),
        M2 / ((double)V * V));
    for (int k = 0; k < 10 && k < kt; k++) printf(" %.2f", lam[k]);
    printf("\n  lambda_min = %.2f; positive among the top %d: %d; M* + eigenpairs in %.2f s\n", lmin, kt, npos,
           tm->secs);
    // power-law fit lambda_k ~ c k^{-alpha} on k = 2..100 (least squares in log-log, common/fit)
    int nk = kt < 100 ? kt : 100;
    double *kx = XNEW(double, nk);
    for (int k = 0; k < nk; k++) kx[k] = k + 1;
    fit_line_t pl;
    int fit_ok = fit_loglog(kx, lam, nk, 2, 100, &pl) == 0;
    double alpha = fit_ok ? -pl.slope : NAN, lc = fit_ok ? exp(pl.intercept) : NAN;
    free(kx);
    {
        tsv *t = tsv_open(&C, "text_spectrum.tsv", "w2v.C7");
        tsv_allow_nonfinite(t, 1);
        tsv_note(t, "power-law fit on k = 2..100: lambda_k = %.6g k^(-%.4f); lambda_min = %.10g", lc, alpha, lmin);
        tsv_columns(t, "k\tlambda\tlambda_fit");
        for (int k = 0; k < kt; k++) tsv_row(t, "%d\t%.10g\t%.10g", k + 1, lam[k], lc * pow(k + 1, -alpha));
        tsv_close(t);
    }
    printf("  power-law fit on k = 2..100: lambda_k ~ k^-%.3f\n", alpha);

    // Eigenvector words (w2v.C9): the 10 largest and 10 smallest components of v_1..v_5.
    int nev = kt < 5 ? kt : 5;
    char *ends[5][2][10];
    {
        tsv *t = tsv_open(&C, "text_eigwords.tsv", "w2v.C9");
        tsv_columns(t, "k\tlambda\tend\trank\tword");
        int *ord = XNEW(int, V);
        printf("\neigenvectors of M*: the 10 words at each end\n");
        for (int k = 0; k < nev; k++) {
            for (int i = 0; i < V; i++) ord[i] = i;
            for (int i = 0; i < V; i++)  // selection of both ends by a simple sort of indices
                for (int j = i + 1; j < V; j++)
                    if (Z[(size_t)ord[j] * kt + k] > Z[(size_t)ord[i] * kt + k]) {
                        int x = ord[i];
                        ord[i] = ord[j];
                        ord[j] = x;
                    }
            for (int e = 0; e < 2; e++) {
                printf("  v%d %c:", k + 1, e ? '-' : '+');
                for (int r = 0; r < 10 && r < V; r++) {
                    int i = e ? ord[V - 1 - r] : ord[r];
                    ends[k][e][r] = cp->word[i];
                    printf(" %s", cp->word[i]);
                    tsv_row(t, "%d\t%.10g\t%c\t%d\t%s", k + 1, lam[k], e ? '-' : '+', r + 1, cp->word[i]);
                }
                printf("\n");
            }
        }
        free(ord);
        tsv_close(t);
    }
    if (is_registry && V == 1000 && L == 16 && nev >= 2) {
        static const char *bible[] = {"unto", "thy",  "thou",   "thee",  "israel",
                                      "lord", "hath", "behold", "shalt", "thine"};
        static const char *austen[] = {"dear", "oh",    "cried",   "replied", "sister",   "emma",
                                       "jane", "fanny", "herself", "glad",    "kindness", "woodhouse"};
        static const char *brown[] = {"program", "development", "system",   "economic", "areas",
                                      "major",   "area",        "national", "research", "industrial"};
        int b1 = count_in(bible, 10, ends[0][0], 10), b2 = count_in(bible, 10, ends[0][1], 10), nb = b1 > b2 ? b1 : b2;
        claim_check("w2v.C9a", CLAIM_EXPERIMENT, nb >= 6, "eigenvector 1: KJV words among the 10 at one end", nb,
                    ">= 6 of 10");
        int a0 = count_in(austen, 12, ends[1][0], 10), a1 = count_in(austen, 12, ends[1][1], 10);
        int r0 = count_in(brown, 10, ends[1][0], 10), r1 = count_in(brown, 10, ends[1][1], 10);
        int ok = (a0 >= 4 && r1 >= 4) || (a1 >= 4 && r0 >= 4);
        int sa = a0 >= a1 ? a0 : a1, sb = a0 >= a1 ? r1 : r0;
        char what[160];
        snprintf(what, sizeof what,
                 "eigenvector 2: Austen words at one end (%d) and Brown words at the other (%d); min", sa, sb);
        claim_check("w2v.C9b", CLAIM_EXPERIMENT, ok, what, sa < sb ? sa : sb, ">= 4 each");
    } else claim_skip("w2v.C9", CLAIM_EXPERIMENT, "(calibrated on the registry corpus at V = 1000, L = 16 only)");

    // Closed-form analogy accuracy against d (w2v.C7a).
    static const int dlist[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 30, 50, 100, 200, 400};
    int nd = (int)(sizeof dlist / sizeof *dlist), nF = aset->n_fam;
    analogy_resolve(aset, lookup_corpus, (void *)cp);
    analogy_result *res = analogy_result_alloc(nF);
    double *Wcf = XNEW(double, (size_t)V *kt), *acc_d = XNEW(double, nd);
    double best = -1, acc400 = NAN, acc20 = NAN;
    int dstar = 0;
    {
        tsv *t = tsv_open(&C, "text_analogy_d.tsv", "w2v.C7");
        char hdr[2048];
        int o = snprintf(hdr, sizeof hdr, "d\tn_questions\tacc_total");
        for (int f = 0; f < nF; f++) {
            o += snprintf(hdr + o, sizeof hdr - o, "\tacc_");
            for (const char *c = aset->family[f]; *c && o < (int)sizeof hdr - 2; c++)
                hdr[o++] = (char)((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ? *c : '_');
            hdr[o] = 0;
        }
        analogy_eval(aset, Wcf, V, 1, res);  // for the coverage line
        tsv_allow_nonfinite(t, 1);
        tsv_note(t, "closed-form embedding W = V_d Lambda_d^(1/2) (positive lambda only); coverage %d / %d questions",
                 res->n_scored[nF], res->n_total[nF]);
        // A family with no question in the vocabulary has no accuracy (analogy_acc would say 0):
        // its column is nan, and the note names it, so that a figure draws nothing for it.
        char unscored[1024] = "";
        for (int f = 0, u = 0; f < nF; f++)
            if (res->n_scored[f] == 0)
                u += snprintf(unscored + u, sizeof unscored - (size_t)u, "%s%s", u ? " " : "", aset->family[f]);
        tsv_note(t, "unscored families (no question in the vocabulary, nan columns): %s",
                 *unscored ? unscored : "none");
        tsv_columns(t, hdr);
        printf("\nanalogies (%s): %d of %d questions in vocabulary (coverage %.1f %%)\n", P.analogies,
               res->n_scored[nF], res->n_total[nF], 100 * analogy_coverage(res, nF));
        for (int f = 0; f < nF; f++)
            printf("  %-22s %5d / %5d in vocabulary\n", aset->family[f], res->n_scored[f], res->n_total[f]);
        printf("closed-form accuracy against d:\n%6s %8s", "d", "total");
        for (int f = 0; f < nF; f++) printf(" %10.10s", aset->family[f]);
        printf("\n");
        for (int i = 0; i < nd; i++) {
            int dd = dlist[i];
            if (dd > kt) {
                acc_d[i] = NAN;
                continue;
            }
            closed_form_embedding(V, dd, Z, kt, lam, Wcf);
            analogy_eval(aset, Wcf, V, dd, res);
            acc_d[i] = analogy_acc(res, nF);
            o = snprintf(hdr, sizeof hdr, "%d\t%d\t%.10g", dd, res->n_scored[nF], acc_d[i]);
            printf("%6d %7.2f%%", dd, 100 * acc_d[i]);
            for (int f = 0; f < nF; f++) {
                if (res->n_scored[f] == 0) {  // nothing to score: no accuracy, not 0 %
                    o += snprintf(hdr + o, sizeof hdr - o, "\tnan");
                    printf(" %10s", "--");
                    continue;
                }
                o += snprintf(hdr + o, sizeof hdr - o, "\t%.10g", analogy_acc(res, f));
                printf(" %9.2f%%", 100 * analogy_acc(res, f));
            }
            printf("\n");
            tsv_row(t, "%s", hdr);
            if (i == nd - 1 && *unscored)
                printf("  (--: no question of the family is in the vocabulary; no accuracy)\n");
            if (dd >= 10 && dd <= 100 && acc_d[i] > best) best = acc_d[i], dstar = dd;
            if (dd == 400) acc400 = acc_d[i];
            if (dd == 20) acc20 = acc_d[i];
        }
        tsv_close(t);
    }
    char what[200];
    if (res->n_scored[nF] == 0) claim_skip("w2v.C7", CLAIM_EXPERIMENT, "(no analogy question in the vocabulary)");
    else if (kt < 400) claim_skip("w2v.C7a", CLAIM_EXPERIMENT, "(V < 400: no acc(400))");
    else {
        // the peak over all d must be in [10, 100]: compare with the best outside that range
        double outside = 0;
        for (int i = 0; i < nd; i++)
            if ((dlist[i] < 10 || dlist[i] > 100) && !isnan(acc_d[i])) outside = fmax(outside, acc_d[i]);
        snprintf(what, sizeof what, "closed-form accuracy peaks at d* = %d: acc %.4f, acc(d*)/acc(400)", dstar, best);
        claim_check("w2v.C7a", CLAIM_EXPERIMENT, best > outside && best >= 0.10 && best / acc400 >= 1.25, what,
                    best / acc400, "d* in [10,100], acc >= 0.10, ratio >= 1.25");
    }

    // QWEM on the text M* (w2v.C3, C4 on text; C7b, C7c).
    qwem_exp q = {.V = V,
                  .d = d,
                  .kt = kt,
                  .M = M,
                  .lam = lam,
                  .Z = Z,
                  .lmin = lmin,
                  .sigma = P.sigma_init,
                  .tef = P.t_end_factor > 0 ? P.t_end_factor : 1.3,
                  .stream = S_TEXT_INIT,
                  .label = "text"};
    qwem_setup(&q);
    double h = q.h;
    // plateau after step k (k = 1..4): between the predicted steps, at sqrt(tau_k^G tau_{k+1}^G)
    int plat_step[4] = {-1, -1, -1, -1};
    for (int k = 0; k < 4 && k + 1 < d; k++) {
        plat_step[k] = (int)lround(sqrt(tau_G(lam[k], q.r2[k], h) * tau_G(lam[k + 1], q.r2[k + 1], h)) / h);
        if (plat_step[k] > q.nsteps) plat_step[k] = q.nsteps;
        q.want[plat_step[k]] = 1;
    }
    snap_state ss = {.set = aset, .res = res, .V = V, .d = d};
    ss.step = XNEW(int, 48), ss.acc = XNEW(double, 48), ss.tie = XNEW(double, 48);
    qwem_go(&q, snap_analogy, &ss);
    const qwem_traj *tr = q.tr;
    steps_print("text corpus", q.st);
    // Step times against G for k <= d/2 (within 2 %: the last modes are within 3 % of each other
    // and mix), against P; plateaus.
    qwem_step_claims(&q, "w2v.C3c", d / 2, 0.02, "w2v.C3d", "w2v.C4b");
    double fe = final_state_error(V, d, q.W, q.Vd, d, lam);
    claim_report("w2v.C5c", CLAIM_EXPERIMENT,
                 "text (no gap at d, not asserted): |WW^T - V_d L_d V_d^T|_F / |V_d L_d V_d^T|_F", fe);

    // Analogy accuracy along training (w2v.C7b, C7c).
    int nF1 = nF;
    double acc_end = ss.acc[ss.n - 1];
    if (res->n_scored[nF1] > 0 && !isnan(acc20) && d == 20) {
        snprintf(what, sizeof what, "trained W at the end (%.4f) vs closed form at d = 20 (%.4f), points", acc_end,
                 acc20);
        claim_check("w2v.C7b", CLAIM_EXPERIMENT, fabs(acc_end - acc20) * 100 <= 2, what, (acc_end - acc20) * 100, "2");
    } else claim_skip("w2v.C7b", CLAIM_EXPERIMENT, "(needs d = 20 and scored questions)");
    double e7 = 0;
    int n7 = 0;
    for (int i = 0; i < ss.n; i++)
        for (int k = 0; k < 4; k++)
            if (ss.step[i] == plat_step[k] && !isnan(acc_d[k])) e7 = fmax(e7, fabs(ss.acc[i] - acc_d[k]) * 100), n7++;
    if (res->n_scored[nF1] > 0 && n7 > 0) {
        snprintf(what, sizeof what,
                 "plateaus after steps 1..4: |trained acc - closed-form acc(d = k)|, max points (%d)", n7);
        claim_check("w2v.C7c", CLAIM_EXPERIMENT, e7 <= 1, what, e7, "1");
    } else claim_skip("w2v.C7c", CLAIM_EXPERIMENT, "(no scored questions)");
    {
        tsv *t = tsv_open(&C, "text_analogy_t.tsv", "w2v.C7");
        tsv_note(t, "tau1P = %.10g; acc_closed_form: the closed form at d = modes_learned (s_k^2 > lambda_k/2)", q.t1P);
        tsv_columns(t, "tau\tmodes_learned\tacc_trained\tacc_closed_form");
        for (int i = 0; i < ss.n; i++) {
            int m = modes_learned(tr->s2 + (size_t)ss.step[i] * d, lam, d);
            double cf = 0;
            if (m > 0) {
                closed_form_embedding(V, m, Z, kt, lam, Wcf);
                analogy_eval(aset, Wcf, V, m, res);
                cf = analogy_acc(res, nF);
            }
            tsv_row(t, "%.10g\t%d\t%.10g\t%.10g", h * ss.step[i], m, ss.acc[i], cf);
        }
        tsv_close(t);
    }
    steps_write("text_steps.tsv", q.st, "w2v.C3 w2v.C4");
    {
        const char *base = strrchr(P.corpus, '/');
        snprintf(what, sizeof what, "corpus %s, V = %d, L = %d, d = %d, sigma_init = %g", base ? base + 1 : P.corpus, V,
                 L, d, P.sigma_init);
    }
    traj_write("text_traj.tsv", tr, q.st, q.t1P, "w2v.C3 w2v.C4", what);

    if (P.write_vectors) {  // the trained QWEM W and the closed form V_d Lambda_d^{1/2}, for gensim and others
        write_w2v_text("qwem_vectors.txt", V, d, cp->word, q.W);
        closed_form_embedding(V, d, Z, kt, lam, Wcf);
        write_w2v_text("closed_form_vectors.txt", V, d, cp->word, Wcf);
    }
    if (keep) *keep = q;
    else qwem_free(&q);
    analogy_result_free(res);
    free(Wcf), free(acc_d), free(ss.step), free(ss.acc), free(ss.tie);
}
