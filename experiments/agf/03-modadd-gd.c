// ---- (C) modular addition: the template, its levels, the bound and GD ----

// ---- (C) modular addition: the template and its predicted levels ----
//
// Template: x_n = (1/p)[m_0 + 2 sum_{0<k<p/2} m_k cos(2 pi k n/p) (+ m_{p/2} cos(pi n))],
// minus its mean.  Data: all N = p^2 pairs (a, b), input (roll(x, a), roll(x, b)) in R^{2p},
// target roll(x, a + b mod p), roll(x, a)_n = x_{(n - a) mod p}.  Power spectrum of x with
// x^ = DFT(x): P_k = 2|x^_k|^2/p for 0 < k < p/2 (|x^_k|^2/p at k = 0 and p/2), sum_k P_k = |x|^2.
// Prediction: sorting the nonzero P_k as P_(1) >= P_(2) >= ..., the loss (the mean over all N p
// entries) sits at L_j = (1/p) sum_{i>j} P_(i) once the first j frequencies are learned, and the
// frequencies are learned in decreasing order of |x^_k|.
typedef struct {
    int p, N, K;      // modulus, samples p^2, K = floor(p/2) frequencies k = 1..K
    double *x;        // (p) template
    double *X, *Y;    // (N, 2p), (N, p)
    double *P;        // (K + 1) power spectrum P_0..P_K
    int nlev;         // number of nonzero powers
    int *freq;        // (nlev) frequencies in learning order (decreasing P)
    double *lev;      // (nlev + 1) levels L_0 > L_1 > ... > L_nlev = 0
    double *cs, *sn;  // (p, p) DFT tables cos, sin(2 pi k n / p)
} modadd_task;

static double fpow(const modadd_task *T, int k, double re2im2) {
    return (k == 0 || 2 * k == T->p ? 1.0 : 2.0) * re2im2 / T->p;
}

// --mags: "onehot" (x = e_0: every frequency ties) or m_0, m_1, ... (at most K + 1 values >= 0).
// Usage errors exit 2; main calls this before anything is computed.
static void parse_mags(const char *mags, int K, double *m) {
    for (int k = 0; k <= K; k++) m[k] = 0;
    if (!strcmp(mags, "onehot")) {
        for (int k = 0; k <= K; k++) m[k] = 1;
        return;
    }
    char buf[1024], *save, *tok;
    snprintf(buf, sizeof buf, "%s", mags);
    int k = 0;
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save), k++) {
        char *end;
        double v = strtod(tok, &end);
        if (end == tok || *end || !isfinite(v) || v < 0)
            cli_usage_error(&C, "--mags: '%s' is not a magnitude >= 0", tok);
        if (k > K) cli_usage_error(&C, "--mags has more than floor(p/2) + 1 = %d entries", K + 1);
        m[k] = v;
    }
    if (k == 0) cli_usage_error(&C, "--mags is empty");
    double s = 0;
    for (int j = 1; j <= K; j++) s += m[j];
    if (!(s > 0)) cli_usage_error(&C, "--mags: some m_k with k >= 1 must be positive (m_0 is removed with the mean)");
}

static modadd_task modadd_make(int p, const char *mags) {
    modadd_task T = {.p = p, .N = p * p, .K = p / 2};
    double m[128] = {0};
    parse_mags(mags, T.K, m);
    T.x = XNEW(double, p), T.X = XNEW(double, (size_t)T.N * 2 * p), T.Y = XNEW(double, (size_t)T.N *p);
    T.P = XNEW(double, T.K + 1), T.freq = XNEW(int, T.K + 1), T.lev = XNEW(double, T.K + 2);
    T.cs = XNEW(double, p *p), T.sn = XNEW(double, p *p);
    for (int k = 0; k < p; k++)
        for (int n = 0; n < p; n++)
            T.cs[k * p + n] = cos(2 * M_PI * k * n / p), T.sn[k * p + n] = sin(2 * M_PI * k * n / p);
    double mean = 0;
    for (int n = 0; n < p; n++) {
        double v = m[0];
        for (int k = 1; k <= T.K; k++) v += (2 * k == p ? 1.0 : 2.0) * m[k] * T.cs[k * p + n];
        T.x[n] = v / p, mean += T.x[n] / p;
    }
    for (int n = 0; n < p; n++) T.x[n] -= mean;
    for (int a = 0; a < p; a++)
        for (int b = 0; b < p; b++) {
            size_t s = (size_t)a * p + b;
            for (int n = 0; n < p; n++) {
                T.X[s * 2 * p + n] = T.x[((n - a) % p + p) % p];
                T.X[s * 2 * p + p + n] = T.x[((n - b) % p + p) % p];
                T.Y[s * p + n] = T.x[((n - a - b) % p + 2 * p) % p];
            }
        }
    for (int k = 0; k <= T.K; k++) {
        double re = 0, im = 0;
        for (int n = 0; n < p; n++) re += T.x[n] * T.cs[k * p + n], im -= T.x[n] * T.sn[k * p + n];
        T.P[k] = fpow(&T, k, re * re + im * im);
    }
    // Learning order: decreasing P_k (ties by lower k; not predicted, see --mags onehot).
    T.nlev = 0;
    for (int k = 0; k <= T.K; k++)
        if (T.P[k] > 1e-12 * (T.P[1] + 1e-300)) T.freq[T.nlev++] = k;
    for (int i = 0; i < T.nlev; i++)
        for (int j = i + 1; j < T.nlev; j++)
            if (T.P[T.freq[j]] > T.P[T.freq[i]]) {
                int tmp = T.freq[i];
                T.freq[i] = T.freq[j], T.freq[j] = tmp;
            }
    for (int j = 0; j <= T.nlev; j++) {
        T.lev[j] = 0;
        for (int i = j; i < T.nlev; i++) T.lev[j] += T.P[T.freq[i]] / p;
    }
    return T;
}
static void modadd_free(modadd_task *T) {
    free(T->x), free(T->X), free(T->Y), free(T->P), free(T->freq), free(T->lev), free(T->cs), free(T->sn);
}

// Output readouts at each frequency k = 1..K of an (N, p) output F:
//   pw[k-1]  = (2/(N p)) sum_samples |DFT_k(yhat)|^2 (1/(Np) at k = p/2), the power, which rises
//              from 0 to P_k when frequency k is learned (sum over k = mean |yhat|^2 p / p);
//   mag[k-1] = (1/N) sum_samples |DFT_k(yhat)|, the mean Fourier magnitude the paper plots,
//              which rises from 0 to |x^_k| = m_k.
static void modadd_power(const modadd_task *T, const double *F, double *pw, double *mag) {
    const int p = T->p;
    for (int k = 1; k <= T->K; k++) {
        double acc = 0, am = 0;
        for (int s = 0; s < T->N; s++) {
            double re = 0, im = 0;
            for (int n = 0; n < p; n++)
                re += F[(size_t)s * p + n] * T->cs[k * p + n], im -= F[(size_t)s * p + n] * T->sn[k * p + n];
            acc += re * re + im * im, am += sqrt(re * re + im * im);
        }
        pw[k - 1] = fpow(T, k, acc / T->N);
        if (mag) mag[k - 1] = am / T->N;
    }
}

// The quadratic network as a common/nn: W_1 = [U V] (H, 2p), square activation, W_2 = W^T (p, H),
// no biases; neuron i owns row i of W_1 and column i of W_2 (3p parameters).  Init from the
// init stream (seed, 1): U, V entries N(0, init^2/(2p)), W entries N(0, init^2/p) (the paper's
// per-matrix scales), so |theta_i(0)|^2 ~ 2 init^2.
static nn *modadd_net(const modadd_task *T, int H, unsigned long seed, double init) {
    const int p = T->p;
    nn *net = nn_alloc(2, (int[]){2 * p, H, p}, NN_SQUARE, 0, T->N);
    if (!net) DIE("could not allocate the quadratic network (H = %d)", H);
    gsl_rng *r = rng_alloc(seed, 1);
    init_normal_scaled(r, H, 2 * p, init, 1.0, net->W[1], NULL);
    init_normal_abs(r, (size_t)p * H, init / sqrt((double)p), net->W[2], NULL);
    rng_free(r);
    return net;
}

// |theta_i| of every neuron of a quadratic net (map from opt_neuron_map_2layer).
static void neuron_norms(const nn *net, const size_t *map, int H, int P3, double *nrm) {
    for (int i = 0; i < H; i++) {
        double r2 = 0;
        for (int k = 0; k < P3; k++) r2 += net->theta[map[i * P3 + k]] * net->theta[map[i * P3 + k]];
        nrm[i] = sqrt(r2);
    }
}

// ---- (C) the analytic bound: no frequency before tau_k ----
//
// Against the residual r = (2/p) Y, a unit-norm neuron's utility is largest when u, v and w are
// cosines at one frequency k with equal norms sqrt(2/(3p)) and matched phases; the average of
// cos A cos B cos(A + B) over the p^2 pairs gives 1/4, and
//     u_max,k = (2/p) sqrt(2p/27) |x^_k|^3 / p^2
// (derived in paper-notes/agf.md; the paper's notebook draws the same bound).  While dormant,
// d|theta|^{-1}/dt = -3 U-bar <= -3 u_max,k, so no neuron serving frequency k reaches norm 1
// before
//     tau_k = (1/theta_0 - 1) / (3 u_max,k)      (gradient-flow time),
// with theta_0 the largest initial neuron norm.  In epochs: tau_k / (eta/(1 - beta)).
static double xhat(const modadd_task *T, int k) { return sqrt(T->P[k] / fpow(T, k, 1.0)); }  // |x^_k|
static double umax_k(const modadd_task *T, int k) {
    const double p = T->p, xk = xhat(T, k);
    return (2 / p) * sqrt(2 * p / 27) * xk * xk * xk / (p * p);
}

// The frequency a neuron serves: argmax_k of the output power of f_i(x) = w (u.x1 + v.x2)^2 over
// the data set (the input weights alone can mislead: a useful neuron may have most of its input
// weight where the template is weak).  F is an (N, p) workspace.
static int neuron_freq(const modadd_task *T, const double *th, double *F) {
    const int p = T->p;
    for (int s = 0; s < T->N; s++) {
        double z = cblas_ddot(2 * p, T->X + (size_t)s * 2 * p, 1, th, 1);
        for (int n = 0; n < p; n++) F[(size_t)s * p + n] = th[2 * p + n] * z * z;
    }
    double pw[64];
    modadd_power(T, F, pw, NULL);
    int best = 1;
    for (int k = 2; k <= T->K; k++)
        if (pw[k - 1] > pw[best - 1]) best = k;
    return best;
}

// ---- (C) experiment: GD on modular addition ----
//
// Full-batch GD on L = mean over all N p entries of (yhat - y)^2 (loss_mse with c = 1/(N p)),
// with heavy-ball momentum as torch.optim.SGD runs it (v <- beta v + grad, theta <- theta - eta v;
// the paper: eta = 0.01, beta = 0.9).  One epoch is eta/(1 - beta) units of gradient-flow time,
// the unit the paper converts AGF time with.  --scaled 1 replaces the step by the per-neuron-
// scaled step theta_i <- theta_i - eta |theta_i|^{2 - kappa} grad_i (opt_neuron_scaled_step, the
// optimiser of the follow-up repository; no momentum), the ablation of part (E).
typedef struct {
    long n;  // epochs + 1 loss samples
    double *ep, *loss;
    long nrec;               // readout records (every rec epochs)
    double *rep, *pw, *mag;  // (nrec), (nrec, K), (nrec, K)
    int *nbig;               // (nrec) neurons with |theta_i| > 0.1: those that took part in a fit
    double theta0max;        // the largest initial neuron norm
    double *tbig;            // (H) first recorded epoch with |theta_i| > 0.1 (NAN: never)
    int *fend;               // (H) the frequency neuron i serves at the end
} modadd_run;

static modadd_run modadd_gd(const modadd_task *T, int H, unsigned long seed, double init, long epochs, int scaled,
                            double lr, double mom, int rec) {
    const int p = T->p, N = T->N, K = T->K, P3 = 3 * p;
    nn *net = modadd_net(T, H, seed, init);
    size_t *map = XNEW(size_t, (size_t)H * P3);
    opt_neuron_map_2layer(H, 2 * p, p, net->off[1], net->off[2], map);
    double *vel = XNEW(double, net->nparams), *nrm = XNEW(double, H);
    const long nr = epochs / rec + 2;
    modadd_run R = {epochs + 1,
                    XNEW(double, epochs + 1),
                    XNEW(double, epochs + 1),
                    0,
                    XNEW(double, nr),
                    XNEW(double, (size_t)nr *K),
                    XNEW(double, (size_t)nr *K),
                    XNEW(int, nr),
                    0,
                    XNEW(double, H),
                    XNEW(int, H)};
    for (int i = 0; i < H; i++) R.tbig[i] = NAN;
    neuron_norms(net, map, H, P3, nrm);
    for (int i = 0; i < H; i++) R.theta0max = fmax(R.theta0max, nrm[i]);
    for (long e = 0; e <= epochs; e++) {
        const double *F = nn_forward(net, N, T->X);
        double L = loss_mse(N, p, F, T->Y, 1.0 / ((double)N * p), net->dout);
        REQUIRE_FINITE(L, "modular-addition loss", "lower --lr");
        R.ep[e] = e, R.loss[e] = L;
        if (e % rec == 0 || e == epochs) {
            R.rep[R.nrec] = e;
            modadd_power(T, F, R.pw + (size_t)R.nrec * K, R.mag + (size_t)R.nrec * K);
            neuron_norms(net, map, H, P3, nrm);
            for (int i = 0; i < H; i++) {
                R.nbig[R.nrec] += nrm[i] > 0.1;
                if (nrm[i] > 0.1 && isnan(R.tbig[i])) R.tbig[i] = e;
            }
            R.nrec++;
        }
        if (e == epochs) break;
        nn_backward(net, net->dout, NULL, 0);
        if (scaled) {
            opt_neuron_scaled_step(H, P3, map, net->theta, net->grad, lr, KAPPA);
        } else {
            for (size_t k = 0; k < net->nparams; k++)
                vel[k] = mom * vel[k] + net->grad[k], net->theta[k] -= lr * vel[k];
        }
        if (e % 2000 == 0) progress("modadd seed %lu: epoch %ld/%ld  loss %.5g", seed, e, epochs, L);
    }
    double *th = XNEW(double, P3), *Fs = XNEW(double, (size_t)N *p);
    for (int i = 0; i < H; i++) {
        for (int k = 0; k < P3; k++) th[k] = net->theta[map[i * P3 + k]];
        R.fend[i] = neuron_freq(T, th, Fs);
    }
    free(map), free(vel), free(nrm), free(th), free(Fs);
    nn_free(net);
    return R;
}
static void modadd_run_free(modadd_run *R) {
    free(R->ep), free(R->loss), free(R->rep), free(R->pw), free(R->mag), free(R->nbig), free(R->tbig), free(R->fend);
}
