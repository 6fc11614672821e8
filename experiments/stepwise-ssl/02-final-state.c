// ---- Part 2: the final state and the init-scale law (ssl.C4, C8) ----
//
// 02-final-state: part 2 -- where the linear model ends (ssl.C4) and how its step times scale
// with the init (ssl.C8), on synthetic latent data with a built-in eigengap.

// ---- measurement: the final state ----
//
static void final_state(const pairs *D, const linrun *R, double *Od, double *normCI, double *relWtW) {
    int d = R->d, m = R->m, K = R->K;
    double *Wc = XNEW(double, (size_t)d *m), *s = XNEW(double, d), *VT = XNEW(double, (size_t)d *m),
           *QV = XNEW(double, (size_t)d *d), *Cm = XNEW(double, (size_t)d *d), *WG = XNEW(double, (size_t)d *m),
           *A = XNEW(double, (size_t)m *m), *Bm = XNEW(double, (size_t)m *m);
    memcpy(Wc, R->W, (size_t)d * m * sizeof *Wc);
    if (la_svd(d, m, Wc, s, NULL, VT)) DIE("final state: dgesdd on W failed");
    // Q^T V_d: (d, d) with Q^T = VT (rows orthonormal).
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, d, d, m, 1, VT, m, R->V, K, 0, QV, d);
    *Od = la_frob2((size_t)d * d, QV) / d;
    loss_bt_linear(d, m, R->W, D->Gamma, 1.0, Cm, WG, NULL);
    for (int i = 0; i < d; i++) Cm[i * d + i] -= 1;
    *normCI = sqrt(la_frob2((size_t)d * d, Cm));
    // A = W^T W, Bm = V_d Gamma_d^{-1} V_d^T (m, m).
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, m, d, 1, R->W, m, R->W, m, 0, A, m);
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++) {
            double b = 0;
            for (int k = 0; k < d; k++) b += R->V[(size_t)i * K + k] * R->V[(size_t)j * K + k] / R->gamma[k];
            Bm[(size_t)i * m + j] = b;
        }
    double nb = sqrt(la_frob2((size_t)m * m, Bm));
    for (size_t i = 0; i < (size_t)m * m; i++) A[i] -= Bm[i];
    *relWtW = sqrt(la_frob2((size_t)m * m, A)) / nb;
    free(Wc), free(s), free(VT), free(QV), free(Cm), free(WG), free(A), free(Bm);
}

// Is mode j "separated": gamma_{j-1}/gamma_j >= 1.05 and gamma_j/gamma_{j+1} >= 1.05 (ssl.C5)?

// ---- part 2: final state and init-scale law (latent data) ----
static void part_final_state(void) {
    pairs L;
    make_latent(&L, C.seed, LAT_M, LAT_N, LAT_VAR, LAT_NOISE, LAT_D, LAT_GAP);
    linrun R6, R3;
    // To convergence: 3 x the last predicted step time (C = I to ~1e-10 by then).
    double tend6 = 0;
    {
        double g[LAT_M], V[LAT_M * LAT_M];
        gamma_eigs(&L, LAT_M, g, V);
        double eta = 0.02 / g[0];
        tend6 = 3 * predict_P(g[LAT_D - 1], 1e-12, LAT_D, LAT_D);
        (void)eta;
        printf("# latent Gamma: gamma_1..6 = %.4f %.4f %.4f %.4f %.4f %.4f; gap gamma_4/gamma_5 = %.3f\n", g[0], g[1],
               g[2], g[3], g[4], g[5], g[3] / g[4]);
    }
    linrun_go(&R6, &L,
              &(linspec){.d = LAT_D,
                         .s0 = 1e-6,
                         .lr_factor = 0.02,
                         .t_end = tend6,
                         .lambda_off = 1.0,
                         .init_seed = C.seed,
                         .label = "latent s0=1e-6"});
    linrun_go(&R3, &L,
              &(linspec){.d = LAT_D,
                         .s0 = 1e-3,
                         .lr_factor = 0.02,
                         .t_end = tend6,
                         .lambda_off = 1.0,
                         .init_seed = C.seed,
                         .label = "latent s0=1e-3"});
    double Od, nCI, relW;
    final_state(&L, &R6, &Od, &nCI, &relW);
    double Od3, nCI3, relW3;
    final_state(&L, &R3, &Od3, &nCI3, &relW3);
    // The finite-gap residual: the part of W along v_5 freezes at ~ c0^((1 - g5/g4)/2).
    printf(
        "# C4: gap gamma_4/gamma_5 = %.3f (built in: %.3g); residual scale c0^((1-g5/g4)/2) "
        "with c0 = gamma_4 s0^2: %.3g (s0 = 1e-6), %.3g (s0 = 1e-3)\n",
        R6.gamma[3] / R6.gamma[4], LAT_GAP, pow(R6.gamma[3] * 1e-12, 0.5 * (1 - R6.gamma[4] / R6.gamma[3])),
        pow(R6.gamma[3] * 1e-6, 0.5 * (1 - R6.gamma[4] / R6.gamma[3])));
    claim_check("ssl.C4a", CLAIM_EXPERIMENT, relW < 1e-3, "latent, s0 = 1e-6: |W^T W - V_d G_d^-1 V_d^T|_F / |.|_F",
                relW, "1e-3");
    claim_check("ssl.C4b", CLAIM_EXPERIMENT, nCI < 1e-3, "latent, s0 = 1e-6: |C - I|_F", nCI, "1e-3");
    printf(
        "# latent s0 = 1e-3: rel_err_WtW = %.4g, |C - I|_F = %.3g (finite-gap residual "
        "c0^((1 - g5/g4)/2))\n",
        relW3, nCI3);
    double rm = R6.tm[0] / R3.tm[0], rp = R6.tG[0] / R3.tG[0];
    printf("# C8: t_1(1e-6) = %.4f, t_1(1e-3) = %.4f, ratio %.4f; predictor G ratio %.4f\n", R6.tm[0], R3.tm[0], rm,
           rp);
    claim_check("ssl.C8", CLAIM_EXPERIMENT, fabs(rm / rp - 1) < 0.05,
                "latent: [t_1(1e-6)/t_1(1e-3)] / [predicted ratio] - 1", rm / rp - 1, "+-0.05");
    tsv *lt = tsv_open(&C, "latent_final.tsv", "ssl.C4 ssl.C8");
    tsv_note(lt, "latent data m = %d, n = %d, var 0.6^k, view noise 0.3, d = %d; eta = 0.02/gamma_1", LAT_M, LAT_N,
             LAT_D);
    tsv_columns(lt, "s0\tgap_45\tt1_meas\tt1_G\toverlap_Od\tnormC_minus_I\trel_err_WtW");
    tsv_row(lt, "%.3g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g", 1e-6, R6.gamma[3] / R6.gamma[4], R6.tm[0], R6.tG[0],
            Od, nCI, relW);
    tsv_row(lt, "%.3g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g", 1e-3, R3.gamma[3] / R3.gamma[4], R3.tm[0], R3.tG[0],
            Od3, nCI3, relW3);
    tsv_close(lt);
    linrun_free(&R6), linrun_free(&R3), pairs_free(&L);
}
