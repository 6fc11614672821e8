# stepwise-ssl.gp: gnuplot -c stepwise-ssl.gp DATADIR OUTDIR
# stepwise-ssl.png (2 x 3), the analogue of Simon et al. (2023) Fig. 1:
#  (a) linear BT on MNIST pairs: loss staircase, predicted step times t_j^G (dashed), plateaus d-k
#  (b) the same run: eigenvalues of C (solid) over the predictor-G logistics (dashed)
#  (c) kernel (ntk1b, representer form): eigenvalues of C and theory, loss on the right axis
#  (d) ReLU MLP, small init (0.05 x He): loss (left) and eig C (right)
#  (e) ReLU MLP, standard init (1 x He), same axes and time range: no steps
#  (f) measured half-rise times against predictors G (filled) and P (open), y = x
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

stats ls_ using 1 nooutput
d = STATS_records
stats kt using 1 nooutput
kd = (STATS_columns - 2) / 2
stats ms using 1 nooutput
md = STATS_columns - 2
tmlp = STATS_max
stats mst using ($2 < 0.5 ? $1 : 1/0) nooutput
t_std_half = STATS_min
stats kt using 2 nooutput
kloss_max = STATS_max
stats lt using 1 nooutput
tlin = STATS_max
stats kt using 1 nooutput
tker = STATS_max

# One colour per mode: the Okabe-Ito palette, then a few greys/blues for j > 8.
array MC[16] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#999933', '#F0E442', \
                '#7f7f7f', '#8c564b', '#1f77b4', '#bcbd22', '#17becf', '#9467bd', '#ff7f0e', '#2ca02c']

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1800, 1050))
    set output sprintf("%s/stepwise-ssl.%s", outdir, fmt)
    set multiplot layout 2,3 title "Barlow Twins from small initialization learns one eigenmode at a time (Simon et al. 2023, arXiv 2303.15438)" font ",14"

    # (a) loss staircase with predicted step times
    set title sprintf("(a) linear BT, MNIST pairs: loss (d = %d)", d)
    set xlabel "effective time t = η × step"
    set ylabel "loss ||C - I||_F^2"
    set xrange [0:tlin]
    set yrange [0:d + 0.3]
    set ytics 1
    set key top right
    do for [i=0:d] { set arrow from graph 0, first i to graph 1, first i nohead dt 3 lc rgb '#999999' lw 1 }
    plot ls_ using 4:(0):(0):(d + 0.3) with vectors nohead dt 2 lw 1.2 lc rgb '#D55E00' title "predicted t_j^G", \
         lt using 1:2 with lines lw 3 lc rgb '#0072B2' title "GD (experiment)", \
         lt using 1:(sum [j=1:d] (1 - column(2 + d + j))**2) with lines dt 2 lw 1.5 lc rgb '#000000' title "theory Σ_j (1 - c_j(t))^2"
    unset arrow

    # (b) embedding eigenvalues, theory logistics dashed
    set title "(b) linear BT, MNIST: eigenvalues of C"
    set ylabel "eigenvalue c_j of C"
    set yrange [0:1.1]
    set ytics 0.2
    set key bottom right font ",10"
    plot for [j=1:d] lt using 1:(column(2 + j)) with lines lw 2.5 lc rgb MC[j] title (j == 1 ? "GD, one colour per j" : ""), \
         for [j=1:d] lt using 1:(column(2 + d + j)) with lines dt 2 lw 1.5 lc rgb '#000000' title (j == 1 ? "theory: logistic from predictor G" : "")

    # (c) kernel version, loss on the right axis
    set title sprintf("(c) kernel (ntk1b NTK, representer form): eigenvalues of C, d = %d", kd)
    set xrange [0:tker]
    set y2range [0:kloss_max * 1.05]
    set y2tics 1 nomirror
    set y2label "loss (grey)"
    set key bottom right font ",10"
    plot kt using 1:2 axes x1y2 with lines lw 1.5 lc rgb '#bbbbbb' title "loss (right axis)", \
         for [j=1:kd] kt using 1:(column(2 + j)) with lines lw 2.5 lc rgb MC[j] title (j == 1 ? "GD, one colour per j" : ""), \
         for [j=1:kd] kt using 1:(column(2 + kd + j)) with lines dt 2 lw 1.5 lc rgb '#000000' title (j == 1 ? "theory (predictor G)" : "")
    unset y2tics
    unset y2label

    # (d), (e) MLP small vs standard init, same axes
    do for [panel=1:2] {
        f = panel == 1 ? ms : mst
        set title (panel == 1 ? "(d) ReLU MLP, small init (0.05 × He): steps" : "(e) ReLU MLP, standard init (1 × He): no steps")
        set xrange [0:tmlp]
        set yrange [0:md + 0.3]
        set ytics 1
        set ylabel "loss (thick)"
        set y2range [0:1.1 * (md + 0.3) / md]
        set y2tics 0.2 nomirror
        set y2label "eigenvalues of C (thin)"
        set key top right maxrows 4 font ",9"
        do for [i=0:md] { set arrow from graph 0, first i to graph 1, first i nohead dt 3 lc rgb '#999999' lw 1 }
        if (panel == 2) { set label 1 sprintf("loss < 0.5 at t = %.2f, then no plateau", t_std_half) at graph 0.3, graph 0.55 font ",11" }
        plot f using 1:2 with lines lw 3.5 lc rgb '#000000' title "loss", \
             for [j=1:md] f using 1:(column(2 + j)) axes x1y2 with lines lw 1.5 lc rgb MC[j] title sprintf("c_{%d}", j)
        unset arrow
        unset label 1
        unset y2tics
        unset y2label
    }

    # (f) step-time check
    set title "(f) measured half-rise time vs prediction"
    set xlabel "predicted t_j"
    set ylabel "measured t_j"
    set logscale xy
    set autoscale xy
    set xrange [0.4:2000]
    set yrange [0.4:2000]
    set format xy "10^{%T}"
    set ytics auto
    set key top left maxrows auto maxcols 1 font ",10"
    plot x with lines lw 1 lc rgb '#999999' title "y = x", \
         ls_ using 4:5 with points pt 7 ps 1.2 lc rgb '#0072B2' title "linear/MNIST, predictor G", \
         ls_ using 3:5 with points pt 6 ps 1.2 lc rgb '#0072B2' title "linear/MNIST, predictor P", \
         ks using 4:5 with points pt 5 ps 1.2 lc rgb '#D55E00' title "kernel, predictor G", \
         ks using 3:5 with points pt 4 ps 1.2 lc rgb '#D55E00' title "kernel, predictor P"
    unset logscale
    set format xy "%g"
    unset multiplot
    unset output
}
