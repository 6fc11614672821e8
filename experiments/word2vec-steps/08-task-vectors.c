// ---- part F: task vectors of the closed-form embedding (the paper's Fig. 4; reported) ----
//
// For each analogy family, the pairs (a, b) of its in-vocabulary questions (a question a b c d
// gives the pairs (a, b) and (c, d); each distinct pair once) and, with the closed-form embedding
// $W = V_d\Lambda_d^{1/2}$, the matrix $R_d$ whose rows are the task vectors $w_b - w_a$.
//   - signal-to-noise ratio $\mathrm{SNR}(d) = \lambda_\max(R_dR_d^\top)/(\mathrm{tr}(R_dR_d^\top)/\mathrm{rank})$,
//     rank = min(pairs, d): how much one direction (the shared offset) stands out of the spread;
//   - the projection of the mean task vector $\bar r = \mathrm{mean}(w_b - w_a)$ on the eigenfeatures:
//     in the eigenbasis its k-th coordinate is $\sqrt{\lambda_k}\,\mathrm{mean}(v_{k,b} - v_{k,a})$; we
//     write the share $\bar r_k^2/\lVert\bar r\rVert^2$ at d = 400 (where it sits along the spectrum).
// Computed on part B's M* (no training); reported, not gated.
static int pair_cmp(const void *x, const void *y) {
    const int *a = x, *b = y;
    return a[0] != b[0] ? (a[0] > b[0]) - (a[0] < b[0]) : (a[1] > b[1]) - (a[1] < b[1]);
}

static void part_task_vectors(const text_mstar *tm, const analogy_set *aset) {
    int V = tm->V, kt = tm->kt, nF = aset->n_fam;
    const double *Z = tm->Z, *lam = tm->lam;
    int npos = 0;
    while (npos < kt && lam[npos] > 0) npos++;
    static const int dlist[] = {2, 4, 8, 16, 32, 64, 128, 256, 400};
    int nd = (int)(sizeof dlist / sizeof *dlist);
    int **pairs = XNEW(int *, nF), *np = XNEW(int, nF);
    for (int f = 0; f < nF; f++) {  // the distinct in-vocabulary pairs of family f
        pairs[f] = XNEW(int, 4L * aset->n_q + 2);
        for (int q = 0; q < aset->n_q; q++) {
            const int *id = aset->id + 4L * q;
            if (aset->fam[q] != f || id[0] < 0 || id[1] < 0 || id[2] < 0 || id[3] < 0) continue;
            for (int h = 0; h < 2; h++)
                pairs[f][2 * np[f]] = id[2 * h], pairs[f][2 * np[f] + 1] = id[2 * h + 1], np[f]++;
        }
        qsort(pairs[f], (size_t)np[f], 2 * sizeof(int), pair_cmp);
        int u = 0;
        for (int p = 0; p < np[f]; p++)
            if (u == 0 || pair_cmp(pairs[f] + 2 * p, pairs[f] + 2 * (u - 1)))
                pairs[f][2 * u] = pairs[f][2 * p], pairs[f][2 * u + 1] = pairs[f][2 * p + 1], u++;
        np[f] = u;
    }
    char hdr[2048];
    tsv *t = tsv_open(&C, "taskvec_snr.tsv", "w2v.C13");
    tsv_allow_nonfinite(t, 1);
    tsv_note(t,
             "SNR(d) = lambda_max(R_d R_d^T) / (tr(R_d R_d^T) / min(pairs, d)), R_d rows w_b - w_a of the closed form "
             "V_d Lambda_d^(1/2); nan: a family with fewer than 2 in-vocabulary pairs");
    int o = snprintf(hdr, sizeof hdr, "d");
    for (int f = 0; f < nF; f++) {
        o += snprintf(hdr + o, sizeof hdr - o, "\tsnr_");
        for (const char *c = aset->family[f]; *c && o < (int)sizeof hdr - 2; c++)
            hdr[o++] = (char)((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ? *c : '_');
        hdr[o] = 0;
    }
    tsv_columns(t, hdr);
    printf("\ntask vectors (closed form, V = %d): pairs per family:", V);
    for (int f = 0; f < nF; f++) printf(" %s %d", aset->family[f], np[f]);
    printf("\n%6s", "d");
    for (int f = 0; f < nF; f++) printf(" %10.10s", aset->family[f]);
    printf("   (SNR)\n");
    for (int i = 0; i < nd; i++) {
        int d = dlist[i] < npos ? dlist[i] : npos;
        char row[1024];
        int ro = snprintf(row, sizeof row, "%d", d);
        printf("%6d", d);
        for (int f = 0; f < nF; f++) {
            int n = np[f];
            double snr = NAN;
            if (n >= 2) {
                double *R = XNEW(double, (size_t)n *d), *G = XNEW(double, (size_t)n *n), *w = XNEW(double, n);
                for (int p = 0; p < n; p++)
                    for (int k = 0; k < d; k++) {
                        int a = pairs[f][2 * p], b = pairs[f][2 * p + 1];
                        R[(size_t)p * d + k] = (Z[(size_t)b * kt + k] - Z[(size_t)a * kt + k]) * sqrt(lam[k]);
                    }
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, d, 1.0, R, d, R, d, 0.0, G, n);
                double tr = 0;
                for (int p = 0; p < n; p++) tr += G[(size_t)p * n + p];
                if (la_eigh(n, G, w, 0)) DIE("dsyevd failed on R R^T");
                snr = w[n - 1] / (tr / (n < d ? n : d));
                free(R), free(G), free(w);
            }
            ro += snprintf(row + ro, sizeof row - ro, "\t%.10g", snr);
            printf(" %10.3f", snr);
        }
        printf("\n");
        tsv_row(t, "%s", row);
    }
    tsv_close(t);
    // the mean task vector's shares along the eigenfeatures, d = npos (at most 400)
    t = tsv_open(&C, "taskvec_proj.tsv", "w2v.C13");
    tsv_allow_nonfinite(t, 1);
    tsv_note(t,
             "share r_k^2 / |r|^2 of the mean task vector r = mean(w_b - w_a) along eigenfeature k of M*, closed form "
             "at d = %d",
             npos);
    char *h2 = strchr(hdr, '\t');
    char hdr2[2100];
    snprintf(hdr2, sizeof hdr2, "k\tlambda%s", h2 ? h2 : "");
    for (char *c = hdr2; (c = strstr(c, "snr_")); c += 4) memcpy(c, "prj_", 4);
    tsv_columns(t, hdr2);
    double *rbar = XNEW(double, (size_t)nF *npos), *tot = XNEW(double, nF);
    for (int f = 0; f < nF; f++) {
        for (int p = 0; p < np[f]; p++)
            for (int k = 0; k < npos; k++) {
                int a = pairs[f][2 * p], b = pairs[f][2 * p + 1];
                rbar[(size_t)f * npos + k] += (Z[(size_t)b * kt + k] - Z[(size_t)a * kt + k]) * sqrt(lam[k]) / np[f];
            }
        for (int k = 0; k < npos; k++) tot[f] += rbar[(size_t)f * npos + k] * rbar[(size_t)f * npos + k];
    }
    for (int k = 0; k < npos; k++) {
        char row[1024];
        int ro = snprintf(row, sizeof row, "%d\t%.10g", k + 1, lam[k]);
        for (int f = 0; f < nF; f++)
            ro += snprintf(
                row + ro, sizeof row - ro, "\t%.10g",
                np[f] >= 1 && tot[f] > 0 ? rbar[(size_t)f * npos + k] * rbar[(size_t)f * npos + k] / tot[f] : NAN);
        tsv_row(t, "%s", row);
    }
    tsv_close(t);
    // reported: where the mean task vector lives -- its share in the top 10 eigenfeatures
    for (int f = 0; f < nF; f++) {
        if (np[f] < 2 || !(tot[f] > 0)) continue;
        double s10 = 0;
        for (int k = 0; k < 10 && k < npos; k++)
            s10 += rbar[(size_t)f * npos + k] * rbar[(size_t)f * npos + k] / tot[f];
        char what[200], id[16];
        snprintf(id, sizeof id, "w2v.C13%c", 'a' + f);
        snprintf(what, sizeof what,
                 "task vectors, %s (%d pairs): share of the mean task vector in eigenfeatures 1-10 "
                 "(closed form, d = %d)",
                 aset->family[f], np[f], npos);
        claim_report(id, CLAIM_EXPERIMENT, what, s10);
    }
    for (int f = 0; f < nF; f++) free(pairs[f]);
    free(pairs), free(np), free(rbar), free(tot);
}
