# stepwise-ssl.gp: gnuplot -c stepwise-ssl.gp DATADIR OUTDIR
# stepwise-ssl.png (2 x 3), the analogue of Simon et al. (2023) Fig. 1:
#  (a) linear BT: loss staircase, predicted step times t_j^G (dashed), plateaus d-k
#  (b) the same run: eigenvalues of C (solid) over the predictor-G logistics (dashed)
#  (c) kernel (ntk1b, representer form): eigenvalues of C and theory, loss on the right axis;
#      log time axis (the constant mode's step is 30x earlier than the others)
#  (d) ReLU MLP, small init: loss (left) and eig C (right)
#  (e) ReLU MLP, standard init (1 x He), same axes, its own (shorter) run: no steps
#  (f) measured half-rise times against predictors G (filled) and P (open), y = x
# Titles come from the run's own `# param` header lines (data, n, d, init scale); a panel whose
# table the run did not write is left out (the layout shrinks), and a missing table never stops
# the script.  Part 6 draws its own figure, stepwise-ssl-net (the call at the end).
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator tab
set datafile commentschars '#'
set datafile columnheaders

lt  = datadir.'/linear_traj.tsv'
ls_ = datadir.'/linear_steps.tsv'
kt  = datadir.'/kernel_traj.tsv'
ks  = datadir.'/kernel_steps.tsv'
ms  = datadir.'/mlp_small.tsv'
mst = datadir.'/mlp_std.tsv'
have(file) = int(system(sprintf("test -s '%s' && echo 1 || echo 0", file)))
# the value of `# param KEY = VALUE` in a table's header
param(file, key) = system(sprintf("sed -n 's/^# param %s = //p' '%s' | head -1", key, file))
hl = have(lt) && have(ls_)
hk = have(kt) && have(ks)
hm = have(ms)
hs = have(mst)

if (hl) {
    stats ls_ using 1 nooutput
    d = STATS_records
    stats lt using 1 nooutput
    tlin = STATS_max
    data = param(lt, "data")
    if (data eq "mnist") { ldesc = sprintf("MNIST pairs (n = %s)", param(lt, "n")) }
    if (data eq "diag") { ldesc = sprintf("diagonal Γ (m = %s, γ_{j+1}/γ_j = %s)", param(lt, "m"), param(lt, "gamma-ratio")) }
    if (data eq "latent") { ldesc = "synthetic latent pairs" }
    if (data ne "mnist" && data ne "diag" && data ne "latent") { ldesc = data }
    ldesc = ldesc.sprintf(", s_0 = %s", param(lt, "s0"))
}
if (hk) {
    stats kt using 1 nooutput
    kd = (STATS_columns - 2) / 2
    tker = STATS_max
    stats kt using 2 nooutput
    kloss_max = STATS_max
    stats kt using ($1 > 0 ? $1 : 1/0) nooutput
    tker0 = STATS_min
    kdesc = sprintf("%s pairs (n = %s)", param(kt, "data") eq "mnist" ? "MNIST" : param(kt, "data"), param(kt, "n"))
}
if (hm) {
    stats ms using 1 nooutput
    md = STATS_columns - 2
    tmlp = STATS_max
    alpha = real(param(ms, "init-scale"))
    width = param(ms, "width")
}
if (hs) {
    stats mst using ($2 < 0.5 ? $1 : 1/0) nooutput
    t_std_half = STATS_min
    stats mst using 1 nooutput
    tstd = STATS_max
    if (!hm) { stats mst using 1 nooutput; md = STATS_columns - 2; tmlp = STATS_max; width = param(mst, "width") }
}

# One colour per mode: the Okabe-Ito palette, then a few greys/blues for j > 8.
array MC[16] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#999933', '#F0E442', \
                '#7f7f7f', '#8c564b', '#1f77b4', '#bcbd22', '#17becf', '#9467bd', '#ff7f0e', '#2ca02c']

# Only the panels whose tables the run wrote are drawn: (a), (b) linear; (c) kernel; (d), (e) MLP;
# (f) step times (linear or kernel).
npan = 2 * hl + hk + hm + hs + (hl || hk)
rows = npan > 3 ? 2 : 1
cols = npan > 4 ? 3 : (npan == 4 ? 2 : (npan > 0 ? npan : 1))
do for [fmt in "png svg"] {
    if (npan == 0) { break }
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 600 * cols, 525 * rows))
    set output sprintf("%s/stepwise-ssl.%s", outdir, fmt)
    eval sprintf("set multiplot layout %d,%d title \"%s\" font \",14\"", rows, cols, \
         "Barlow Twins from small initialization learns one eigenmode at a time (Simon et al. 2023, arXiv 2303.15438)")

    # (a) loss staircase with predicted step times
    set xlabel "effective time t = η × step"
    set ylabel "loss ||C - I||_F^2"
    if (hl) {
        set title sprintf("(a) linear BT, %s:\nloss, d = %d", ldesc, d)
        set xrange [0:tlin]
        set yrange [0:d + 0.3]
        set ytics 1
        set key top right
        do for [i=0:d] { set arrow from graph 0, first i to graph 1, first i nohead dt 3 lc rgb '#999999' lw 1 }
        plot ls_ using 4:(0):(0):(d + 0.3) with vectors nohead dt 2 lw 1.2 lc rgb '#D55E00' title "predicted t_j^G", \
             lt using 1:2 with lines lw 3 lc rgb '#0072B2' title "GD (experiment)", \
             lt using 1:(sum [j=1:d] (1 - column(2 + d + j))**2) with lines dt 2 lw 1.5 lc rgb '#000000' title "theory Σ_j (1 - c_j(t))^2"
        unset arrow
    }

    # (b) embedding eigenvalues, theory logistics dashed
    set ylabel "eigenvalue c_j of C"
    if (hl) {
        set title sprintf("(b) linear BT, %s:\neigenvalues of C", ldesc)
        set yrange [0:1.1]
        set ytics 0.2
        set key bottom right font ",10"
        plot for [j=1:d] lt using 1:(column(2 + j)) with lines lw 2.5 lc rgb MC[(j - 1) % 16 + 1] title (j == 1 ? "GD, one colour per j" : ""), \
             for [j=1:d] lt using 1:(column(2 + d + j)) with lines dt 2 lw 1.5 lc rgb '#000000' title (j == 1 ? "theory: logistic from predictor G" : "")
    }

    # (c) kernel version, loss on the right axis, log time (step 1 is ~30x earlier than step 2)
    if (hk) {
        set title sprintf("(c) kernel version (ntk1b NTK, representer form), %s:\neigenvalues of C, d = %d (log time)", kdesc, kd)
        set logscale x
        set xrange [tker0 > 0.02 * tker ? tker0 : 1e-3 * tker:tker]
        set format x "10^{%T}"
        set yrange [0:1.1]
        set ytics 0.2
        set y2range [0:kloss_max * 1.05]
        set y2tics 1 nomirror
        set ytics nomirror
        set y2label "loss (grey)"
        set key center center font ",10"
        plot kt using 1:2 axes x1y2 with lines lw 1.5 lc rgb '#bbbbbb' title "loss (right axis)", \
             for [j=1:kd] kt using 1:(column(2 + j)) with lines lw 2.5 lc rgb MC[(j - 1) % 16 + 1] title (j == 1 ? "GD, one colour per j" : ""), \
             for [j=1:kd] kt using 1:(column(2 + kd + j)) with lines dt 2 lw 1.5 lc rgb '#000000' title (j == 1 ? "theory (predictor G)" : "")
        unset y2tics
        unset y2label
        set ytics mirror
        unset logscale x
        set format x "%g"
    }

    # (d), (e) MLP small vs standard init, same axes
    do for [panel=1:2] {
        ok = panel == 1 ? hm : hs
        f = panel == 1 ? ms : mst
        set ylabel "loss (thick)"
        if (ok) {
            set title (panel == 1 ? sprintf("(d) ReLU MLP on latent data (width %s), small init (%g × He): steps", width, alpha) \
                                  : sprintf("(e) ReLU MLP on latent data (width %s), standard init (1 × He): no steps", width))
            if (panel == 1) { set xrange [0:tmlp] } else { set xrange [0:tstd] }
            set yrange [0:md + 0.3]
            set ytics 1
            set y2range [0:1.1 * (md + 0.3) / md]
            set y2tics 0.2 nomirror
            set ytics nomirror
            set y2label "eigenvalues of C (thin)"
            set key top right maxrows 4 font ",9"
            do for [i=0:md] { set arrow from graph 0, first i to graph 1, first i nohead dt 3 lc rgb '#999999' lw 1 }
            if (panel == 2) { set label 1 sprintf("loss < 0.5 at t = %.2f, then no plateau", t_std_half) at graph 0.3, graph 0.55 font ",11" }
            plot f using 1:2 with lines lw 3.5 lc rgb '#000000' title "loss", \
                 for [j=1:md] f using 1:(column(2 + j)) axes x1y2 with lines lw 1.5 lc rgb MC[(j - 1) % 16 + 1] title sprintf("c_{%d}", j)
            unset arrow
            unset label 1
            unset y2tics
            unset y2label
            set ytics mirror
        }
    }

    # (f) step-time check
    set title "(f) measured half-rise time vs prediction"
    set xlabel "predicted t_j"
    set ylabel "measured t_j"
    if (hl || hk) {
        set logscale xy
        set xrange [0.4:2000]
        set yrange [0.4:2000]
        set format xy "10^{%T}"
        set ytics auto
        set key top left maxrows auto maxcols 1 font ",10"
        # a table the run did not write is replaced by the other one, with every point undefined
        fl = hl ? ls_ : ks
        fk = hk ? ks : ls_
        plot x with lines lw 1 lc rgb '#999999' title "y = x", \
             fl using (hl ? $4 : NaN):5 with points pt 7 ps 1.2 lc rgb '#0072B2' title (hl ? "linear, predictor G" : ""), \
             fl using (hl ? $3 : NaN):5 with points pt 6 ps 1.2 lc rgb '#0072B2' title (hl ? "linear, predictor P" : ""), \
             fk using (hk ? $4 : NaN):5 with points pt 5 ps 1.2 lc rgb '#D55E00' title (hk ? "kernel, predictor G" : ""), \
             fk using (hk ? $3 : NaN):5 with points pt 4 ps 1.2 lc rgb '#D55E00' title (hk ? "kernel, predictor P" : "")
        unset logscale
        set format xy "%g"
    }
    unset multiplot
    unset output
}

# Part 6 (the ReLU network on MNIST pairs, three losses): its own figure, stepwise-ssl-net.png/svg,
# drawn only from the tables that exist.
call "experiments/stepwise-ssl/stepwise-ssl-net.gp" datadir outdir
