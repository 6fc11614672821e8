# word2vec-steps.gp: the figures of word2vec-steps (Karkada, Simon, Bahri, DeWeese, arXiv 2502.09863).
#   gnuplot -c experiments/word2vec-steps/word2vec-steps.gp DATADIR OUTDIR
# word2vec-steps.png (2 x 2): (a) synthetic QWEM: each eigenmode's strength |W^T v_k|^2/lambda_k
# against tau/tau_1^P with the logistic of predictor G; (b) synthetic loss with predicted
# plateaus, and analogy accuracy doubling per step; (c) real-text QWEM mode strengths with theory;
# (d) tied SGNS singular values against epochs with the M_lin growth rate, and its loss.
# word2vec-steps-features.png (1 x 3): spectra; analogy accuracy against d and along training;
# the words at both ends of the top eigenvectors of M*.
# Titles come from the run's own table headers; a panel whose table the run did not write says
# so, and a missing table never stops the script (PNG and SVG are always both written).
load 'figures/style.gp'
datadir = ARG1
outdir = ARG2
f(name) = sprintf("%s/%s", datadir, name)
have(name) = int(system(sprintf("test -s '%s' && echo 1 || echo 0", f(name))))
# a number from a table: column `col` of the row whose first field is `key`
val(name, key, col) = real(system(sprintf("awk -F'\t' '!/^#/ && $1 == %d {print $%d; exit}' '%s'", key, col, f(name))))
note(name, key) = real(system(sprintf("sed -n 's/^# %s = \\([-0-9.eE+]*\\).*/\\1/p' '%s' | head -1", key, f(name))))
# the text after "# <key>: " in a table's header (e.g. the run line)
notetext(name, key) = system(sprintf("sed -n 's/^# %s: //p' '%s' | head -1", key, f(name)))
ncols(name) = int(system(sprintf("awk -F'\t' '!/^#/ {print NF; exit}' '%s'", f(name))))
# number of columns whose name starts with `prefix`
ncolp(name, prefix) = int(system(sprintf("awk -F'\t' '!/^#/ {n = 0; for (i = 1; i <= NF; i++) if (index($i, \"%s\") == 1) n++; print n; exit}' '%s'", prefix, f(name))))
# 1 if column `col` holds at least one finite number
hascol(name, col) = int(system(sprintf("awk -F'\t' 'BEGIN {r = 0} !/^#/ {if (!h) {h = 1; next} if ($%d != \"nan\" && $%d != \"\") {r = 1; exit}} END {print r}' '%s'", col, col, f(name))))
notrun = "not run in this run"

syn = have("synth_traj.tsv") && have("synth_steps.tsv")
txt = have("text_traj.tsv") && have("text_steps.tsv")
sg = have("sgns_traj.tsv") && have("sgns_escapes.tsv")
syna = have("synth_analogy.tsv")
if (syn) { t1s = note("synth_traj.tsv", "tau1P"); ds = ncolp("synth_traj.tsv", "theory_")
           synrun = notetext("synth_traj.tsv", "run")
           array lams[ds]; array tGs[ds]; array pls[ds]
           do for [k=1:ds] { lams[k] = val("synth_steps.tsv", k, 2); tGs[k] = val("synth_steps.tsv", k, 4); pls[k] = val("synth_steps.tsv", k, 8) } }
if (txt) { t1t = note("text_traj.tsv", "tau1P"); dt = ncolp("text_traj.tsv", "theory_")
           txtrun = notetext("text_traj.tsv", "run") }
if (sg) { ns = ncolp("sgns_traj.tsv", "s_")
          sgl = ncolp("sgns_traj.tsv", "loss")
          g1 = val("sgns_escapes.tsv", 1, 7)
          sgwhere = system(sprintf("sed -n 's/^# SGNS on \\([^:]*\\):.*/\\1/p' '%s' | head -1", f("sgns_traj.tsv")))
          s10 = real(system(sprintf("awk -F'\t' '!/^#/ && $1 != \"epoch\" {print $2; exit}' '%s'", f("sgns_traj.tsv"))))
          array esc[ns]
          do for [k=1:ns] { esc[k] = val("sgns_escapes.tsv", k, 2) } }
# colour k of a long series: cycle the palette
kc(k) = C[(k - 1) % 8 + 1]

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1300, 950))
    set output sprintf("%s/word2vec-steps.%s", outdir, fmt)
    set multiplot layout 2, 2 margins 0.07, 0.93, 0.07, 0.94 spacing 0.09, 0.11
    # (a) synthetic: each mode's logistic, experiment solid, predictor G dotted
    set title "(a) synthetic corpus, QWEM from small init: one mode at a time"
    if (syn) { set title sprintf("(a) QWEM, %s:\none eigenmode at a time", synrun) noenhanced }
    set logscale x
    set xrange [0.3:20]
    set yrange [-0.02:1.3]
    set ytics 0, 0.2, 1
    set xlabel "time τ / τ_1^P"
    set ylabel "mode strength |W^T v_k|^2 / λ_k"
    set key top left
    if (syn) {
        unset arrow
        do for [k=1:ds] { set arrow from tGs[k]/t1s, graph 0 to tGs[k]/t1s, graph 1 nohead dt 2 lw 1 lc rgb kc(k) }
        plot for [k=1:ds] f("synth_traj.tsv") using ($1/t1s):(column(2+2*ds+k)/lams[k]) with lines lw 2.5 lc rgb kc(k) title (k == 1 ? "experiment (GD on the sampled M^*)" : ""), \
             for [k=1:ds] f("synth_traj.tsv") using ($1/t1s):(column(2+ds+k)/lams[k]) with lines dt 3 lw 2 lc rgb '#000000' title (k == 1 ? "logistic theory, predictor G" : ""), \
             NaN with lines dt 2 lw 1 lc rgb '#888888' title "predicted step times τ_k^G"
    } else { set label 1 "synthetic part: ".notrun at graph 0.3, 0.5; unset key; plot [1:2][0:1] NaN notitle; set key; unset label 1 }
    unset arrow
    # (b) synthetic loss and analogy accuracy
    set title "(b) synthetic: loss plateaus, analogy accuracy doubles per step"
    set ylabel "normalised loss |WW^T - M^*|^2 / |M^*|^2"
    set yrange [0:1.75]
    set ytics 0, 0.2, 1
    set y2label "analogy accuracy"
    set logscale y2
    set y2range [0.002:30]
    set y2tics ("0.003" 0.003, "0.01" 0.01, "0.03" 0.03, "0.1" 0.1, "0.3" 0.3, "1" 1)
    set ytics nomirror
    set key top left
    if (syn && syna) {
        do for [k=1:ds] { set arrow from graph 0, first pls[k] to graph 1, first pls[k] nohead dt 3 lw 1 lc rgb '#888888' }
        plot f("synth_traj.tsv") using ($1/t1s):2 with lines lw 2.5 lc rgb C[1] title "loss (experiment)", \
             NaN with lines dt 3 lw 1 lc rgb '#888888' title "predicted plateaus 1 - Σ_{j≤k} λ_j^2/|M^*|^2", \
             f("synth_analogy.tsv") using ($1/t1s):($4 > 0 ? $4 : NaN) axes x1y2 with steps lw 2 lc rgb C[2] title "tie-expected accuracy, closed form (right)", \
             f("synth_analogy.tsv") using ($1/t1s):3 axes x1y2 with points pt 7 ps 0.8 lc rgb C[3] title "trained W accuracy (right)"
    } else { set label 1 "synthetic part: ".notrun at graph 0.3, 0.5; unset key; plot [1:2][0:1] NaN notitle; set key; unset label 1 }
    unset arrow
    unset y2label; unset y2tics; unset logscale y2; set ytics mirror; set ytics autofreq
    # (c) real text QWEM: each eigenmode's strength, sqrt(|W^T v_k|^2), against the theory
    set title "(c) real text, QWEM from small init"
    if (txt) { set title sprintf("(c) QWEM, %s:\neigenmode strengths |Wᵀv_k| (the singular values once saturated)", txtrun) noenhanced }
    set ylabel "|W^T v_k|"
    set autoscale y
    set yrange [0:*]
    set xrange [0.3:12]
    set key top left
    if (txt) {
        plot for [k=1:dt] f("text_traj.tsv") using ($1/t1t):(sqrt(column(2+2*dt+k))) with lines lw 2 lc rgb kc(k) title (k == 1 ? "experiment" : ""), \
             for [k=1:dt] f("text_traj.tsv") using ($1/t1t):(sqrt(column(2+dt+k))) with lines dt 3 lw 1.5 lc rgb '#000000' title (k == 1 ? "theory (predictor G)" : "")
    } else { set label 1 "QWEM on text: ".notrun at graph 0.3, 0.5; unset key; plot [1:2][0:1] NaN notitle; set key; unset label 1 }
    # (d) tied SGNS: singular values (left, log) and the loss decrease (right)
    set title "(d) tied SGNS word2vec from small init"
    if (sg) { set title sprintf("(d) tied SGNS word2vec from small init (%s)", sgwhere) noenhanced }
    unset logscale x
    set logscale y
    set xrange [0:*]
    set format y "10^{%L}"
    set xlabel "epoch"
    set ylabel "singular value s_k of W"
    set yrange [1e-10:1e2]
    set key bottom right maxrows 6 font ",8" spacing 0.9 samplen 2
    if (sg) {
        do for [k=1:3] { set arrow from esc[k], graph 0 to esc[k], graph 1 nohead dt 2 lw 1 lc rgb kc(k) }
        if (sgl) {
            set y2label "loss decrease 1 - L/L(0)  (×10^{-3})"
            set y2tics nomirror
            set y2range [0:*]
            set ytics nomirror
        }
        plot for [k=1:ns] f("sgns_traj.tsv") using 1:(column(1+k)) with lines lw 2 lc rgb kc(k) title sprintf("s_%d", k), \
             (s10 * exp(g1 * x) < 1 ? s10 * exp(g1 * x) : NaN) with lines dt 3 lw 2 lc rgb '#000000' title "growth lr λ_1(M_{lin})", \
             NaN with lines dt 2 lw 1 lc rgb '#888888' title "escapes of s_1, s_2, s_3", \
             f("sgns_traj.tsv") using 1:(sgl ? 1e3 * (1 - column(2 + ns)) : NaN) axes x1y2 with linespoints lw 2.5 pt 7 ps 0.5 lc rgb '#444444' title "SGNS loss decrease (right)"
        unset y2label; unset y2tics; set ytics mirror
    } else { set label 1 "SGNS part: ".notrun at graph 0.3, 0.5; unset key; plot [1:2][0.1:1] NaN notitle; set key; unset label 1 }
    unset arrow
    unset logscale y
    set format y "%g"
    set key maxrows auto
    unset multiplot
    unset output
}

# ---- features figure ----
txa = have("text_analogy_d.tsv")
txs = have("text_spectrum.tsv")
txw = have("text_eigwords.tsv")
sys = have("synth_spectrum.tsv")
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 560))
    set output sprintf("%s/word2vec-steps-features.%s", outdir, fmt)
    set multiplot layout 1, 3 margins 0.05, 0.98, 0.12, 0.9 spacing 0.07
    # (a) spectra
    set title "(a) spectra of M^*"
    set logscale xy
    set xrange [1:*]
    set yrange [1e-3:1.5]
    set xlabel "index k"
    set ylabel "λ_k / λ_1"
    set format y "10^{%L}"
    set key bottom left
    l1t = txs ? val("text_spectrum.tsv", 1, 2) : 1
    l1s = sys ? val("synth_spectrum.tsv", 1, 3) : 1
    # a table the run did not write is replaced by the other one, with every point undefined
    ft = txs ? f("text_spectrum.tsv") : f("synth_spectrum.tsv")
    fs = sys ? f("synth_spectrum.tsv") : f("text_spectrum.tsv")
    if (txs || sys) {
        plot ft using 1:(txs && $2 > 0 ? $2/l1t : NaN) with points pt 7 ps 0.5 lc rgb C[1] title (txs ? "real text" : ""), \
             ft using 1:(txs && $1 >= 2 && $1 <= 100 ? $3/l1t : NaN) with lines lw 2 lc rgb '#000000' title (txs ? "power-law fit, k = 2..100" : ""), \
             fs using 1:(sys && $3 > 0 ? $3/l1s : NaN) with lines lw 2 lc rgb C[2] title (sys ? "synthetic, exact (WHT)" : ""), \
             fs using 1:(sys && $2 > 0 ? $2/l1s : NaN) with points pt 6 ps 1 lc rgb C[2] title (sys ? "synthetic, sampled" : "")
    } else { set label 1 notrun at graph 0.3, 0.5; unset key; plot [1:2][0.1:1] NaN notitle; set key; unset label 1 }
    unset logscale y
    set format y "%g"
    # (b) analogy accuracy against d and along training; a family with no question in the
    # vocabulary has no accuracy (nan column): no line, and the key says so
    set title "(b) analogy accuracy (in-vocabulary questions)"
    set xlabel "dimension d (closed form) / learned modes (trained)"
    set ylabel "top-1 accuracy (3CosAdd)"
    set yrange [0:0.7]
    set xrange [1:500]
    set key top left font ",9"
    if (txa) {
        nf = ncols("text_analogy_d.tsv") - 3
        hat = have("text_analogy_t.tsv")
        array fok[nf]
        do for [j=1:nf] { fok[j] = hascol("text_analogy_d.tsv", 3 + j) }
        fname(j) = system(sprintf("awk -F'\t' '!/^#/ {print $%d; exit}' '%s'", 3 + j, f("text_analogy_d.tsv")))[5:]
        plot f("text_analogy_d.tsv") using 1:3 with linespoints lw 3 pt 7 lc rgb '#000000' title "closed form V_dΛ_d^{1/2}, total", \
             for [j=1:nf] f("text_analogy_d.tsv") using 1:(fok[j] ? column(3+j) : NaN) with lines lw 1.5 lc rgb (fok[j] ? kc(j) : '#ffffff') title (fok[j] ? fname(j) : fname(j)." (no question in vocab.: not drawn)") noenhanced, \
             (hat ? f("text_analogy_t.tsv") : f("text_analogy_d.tsv")) using (hat && $2 > 0 ? $2 : NaN):3 with points pt 2 ps 1.5 lw 2 lc rgb C[2] title "trained QWEM along training"
    } else { set label 1 "QWEM on text: ".notrun at graph 0.3, 0.5; unset key; plot [1:2][0:1] NaN notitle; set key; unset label 1 }
    # (c) eigenvector words
    set title "(c) the words at both ends of M^*'s top eigenvectors"
    unset logscale x
    set xrange [0.5:4.5]
    set yrange [-11:11]
    set xtics 1
    unset ytics
    set xlabel "eigenvector k"
    unset ylabel
    set grid noytics
    unset key
    set arrow from graph 0, first 0 to graph 1, first 0 nohead lc rgb '#aaaaaa'
    if (txw) {
        plot f("text_eigwords.tsv") using ($1 <= 4 ? $1 : NaN):(strcol(3) eq "+" ? 11 - $4 : -$4):5 with labels font ",9" notitle
    } else { set label 1 "QWEM on text: ".notrun at graph 0.3, 0.5; unset key; plot [1:2][0:1] NaN notitle; set key; unset label 1 }
    unset arrow
    set ytics
    unset multiplot
    unset output
}

# ---- real SGNS figure (part D): untied, subsampled word2vec from small init ----
rl = have("real_traj.tsv") && have("real_theory.tsv") && have("real_steps.tsv")
ra = have("real_analogy.tsv")
if (rl) {
    realrun = system(sprintf("sed -n 's/^# untied SGNS on \\([^:]*\\): /\\1: /p' '%s' | head -1", f("real_traj.tsv")))
    ov8 = note("real_steps.tsv", "overlap_O8")
}
if (rl) {
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1600, 560))
    set output sprintf("%s/word2vec-steps-sgns.%s", outdir, fmt)
    set multiplot layout 1, 3 margins 0.05, 0.95, 0.13, 0.82 spacing 0.07
    set xtics autofreq; set ytics autofreq; set mxtics default; unset grid; set grid; unset arrow
    set format x "%g"
    set label 9 "real SGNS word2vec from small init: untied input/output vectors, subsampling 1e-5, negatives from unigram^0.75" at screen 0.5, 0.965 center font ",12" noenhanced
    set label 8 realrun at screen 0.5, 0.925 center font ",10" noenhanced
    # (a) singular values of the score matrix against epochs
    set title "(a) singular values of W_in W_out^T: one direction at a time" noenhanced
    set logscale y
    set format y "10^{%L}"
    unset logscale x
    set xrange [*:*]; set autoscale xfix
    set autoscale y
    set xlabel "epoch"
    set ylabel "singular value σ_k"
    set key bottom right font ",9" maxrows 5
    plot for [k=1:10] f("real_traj.tsv") using 1:(column(2+k)) with lines lw 2 lc rgb kc(k) title sprintf("σ_{%d}", k)
    unset label 9; unset label 8
    # (b) normalised, on the t/t_1 axis, with QWEM's theory on this vocabulary's M*
    set title "(b) SGNS (solid) and QWEM theory (dotted) on their t/τ_1 axes"
    set logscale x
    unset logscale y
    set format y "%g"
    set xrange [0.1:100]
    set yrange [0:1.1]
    set xlabel "t / τ_1 (SGNS: τ_1 = half-rise of σ_1; theory: of mode 1)"
    set ylabel "σ_k / σ_k(end)   (theory: σ_k / λ_k)"
    set key top left font ",9" maxrows 4
    plot for [k=1:10] f("real_traj.tsv") using 2:(column(12+k)) with lines lw 2 lc rgb kc(k) title (k == 1 ? "SGNS, modes 1-10" : ""), \
         for [k=1:10] f("real_theory.tsv") using 1:(column(1+k)) with lines dt 3 lw 2 lc rgb kc(k) title (k == 1 ? "QWEM theory, modes 1-10" : "")
    # (c) analogy accuracy along training
    set title sprintf("(c) analogy accuracy of W_in along training\n(SGNS-M* top-8 subspace overlap at the end: %.2f)", ov8) noenhanced
    unset logscale x
    set xrange [*:*]; set autoscale xfix
    set yrange [0:*]
    set xlabel "epoch"
    set ylabel "top-1 accuracy (%, 3CosAdd, in-vocabulary questions)"
    set key top left
    if (ra) {
        plot f("real_analogy.tsv") using 1:(100*$3) with linespoints lw 2 pt 7 lc rgb C[1] title "SGNS W_in" noenhanced
    } else { set label 1 "analogies: ".notrun at graph 0.3, 0.5; unset key; plot [0:1][0:1] NaN notitle; set key; unset label 1 }
    unset multiplot
    unset output
}
}

# ---- init contrast figure (part E; the paper's Fig. 2): large against tiny init ----
ct = have("contrast_qwem_large.tsv") && have("contrast_qwem_small.tsv") && have("contrast_sgns_large.tsv") && have("contrast_sgns_small.tsv") && have("contrast_theory_large.tsv") && have("contrast_theory_small.tsv")
if (ct) {
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 900))
    set output sprintf("%s/word2vec-steps-init.%s", outdir, fmt)
    set multiplot layout 2, 3 margins 0.06, 0.98, 0.08, 0.87 spacing 0.06, 0.13
    set xtics autofreq; set ytics autofreq; unset grid; set grid; unset arrow; unset label
    set format x "%g"; set xrange [*:*]; set autoscale xfix
    set label 9 "word2vec-like init (0.1, top row) blurs the steps that a tiny init (bottom row) makes sharp; registry corpus, V = 1000 (the paper's Fig. 2)" at screen 0.5, 0.965 center font ",12"
    unset logscale y
    set format y "%g"
    set logscale x
    set yrange [0:1.1]
    set key top left font ",9"
    do for [row in "large small"] {
        do for [m in "sgns qwem theory"] {
            name = sprintf("contrast_%s_%s.tsv", m, row)
            set title sprintf("%s, %s init\n%s", (m eq "sgns" ? "SGNS (untied, subsampled)" : (m eq "qwem" ? "QWEM gradient descent" : "QWEM theory")), row, \
                 system(sprintf("sed -n 's/.*init row norm \\([-0-9.eE+]*\\).*/init row norm \\1/p; s/.*sigma_0 = s^2 = \\([-0-9.eE+]*\\).*/σ_0 = \\1/p' '%s' | head -1", f(name)))) noenhanced
            set xlabel "t / τ_1"
            set ylabel (m eq "sgns" ? "σ_k / σ_k(end)" : "σ_k / λ_k")
            if (m eq "sgns") { set xrange [*:*]; set autoscale xfix } else { set xrange [0.1:12] }
            plot for [k=1:10] f(name) using 1:(column(1+k)) with lines lw 2 lc rgb kc(k) title (k == 1 ? "modes 1-10" : "")
            unset label 9
        }
    }
    unset multiplot
    unset output
}
}

# ---- task vectors (part F; the paper's Fig. 4) on the closed-form embedding ----
tv = have("taskvec_snr.tsv") && have("taskvec_proj.tsv")
if (tv) {
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1300, 520))
    set output sprintf("%s/word2vec-steps-taskvec.%s", outdir, fmt)
    set multiplot layout 1, 2 margins 0.07, 0.97, 0.13, 0.86 spacing 0.09
    set xtics autofreq; set ytics autofreq; unset grid; set grid; unset arrow; unset label
    set format x "%g"; set format y "%g"
    set label 9 "task vectors w_b - w_a of the closed-form embedding V_dΛ_d^{1/2} (registry corpus), per analogy family" at screen 0.5, 0.955 center font ",12"
    ntv = ncols("taskvec_snr.tsv") - 1
    array tok[ntv]
    do for [j=1:ntv] { tok[j] = hascol("taskvec_snr.tsv", 1 + j) }
    tname(j) = system(sprintf("awk -F'\t' '!/^#/ {print $%d; exit}' '%s'", 1 + j, f("taskvec_snr.tsv")))[5:]
    set title "(a) SNR = λ_max(R_d R_dᵀ) / (trace(R_d R_dᵀ) / rank) against d" noenhanced
    set offsets 0, 0, graph 0.45, 0
    set logscale x
    unset logscale y
    set xrange [1.5:500]
    set yrange [0:*]
    set xlabel "embedding dimension d"
    set ylabel "SNR"
    set key top right vertical maxcols 1 maxrows 6 font ",9"
    plot for [j=1:ntv] f("taskvec_snr.tsv") using 1:(tok[j] ? column(1+j) : NaN) with linespoints lw 2 pt 7 ps 0.7 lc rgb kc(j) title (tok[j] ? tname(j) : tname(j)." (no pairs in vocab.)") noenhanced
    unset label 9
    set offsets 0, 0, 0, 0
    set title "(b) where the mean task vector lives: its cumulative share in eigenfeatures 1..k"
    set xrange [1:400]
    set yrange [0:1.05]
    set xlabel "eigenfeature k of M^*"
    set ylabel "cumulative share Σ_{j≤k} r_j^2 / |r|^2"
    set key bottom right font ",9"
    plot for [j=1:ntv] f("taskvec_proj.tsv") using 1:(tok[j] ? (j == j ? (cum_j = ($1 == 1 ? 0 : cum_j) + column(2+j)) : 0) : NaN) with lines lw 2 lc rgb kc(j) title (tok[j] ? tname(j) : "") noenhanced
    unset multiplot
    unset output
}
}
