# sgd-local-maxima.gp: gnuplot -c sgd-local-maxima.gp DATADIR OUTDIR
# One figure, five panels: (a) the landscape, (b) where SGD and GD end, (c) example
# trajectories of log10|w_t| against the Lyapunov slope, (d) the phase diagram (fraction of runs
# at the maximum against eta, the predicted windows Lambda_B < 0 shaded),
# (e) Lambda_B for B = 1, 2, 4, 8: the window shrinks and vanishes as the noise is averaged away.
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator tab
set datafile commentschars '#'

# Parameters of the run, read back from the header of theory.tsv (mu) and windows.tsv.
mu = real(system(sprintf("sed -n 's/^# mu = p a - (1-p) b = //p' %s/theory.tsv", datadir)))
pp = real(system(sprintf("sed -n 's/^# param p = //p' %s/theory.tsv", datadir)))
aa = real(system(sprintf("sed -n 's/^# param a = //p' %s/theory.tsv", datadir)))
bb = real(system(sprintf("sed -n 's/^# param b = //p' %s/theory.tsv", datadir)))
wmin = mu < 0 ? sqrt(-mu) : 0
Lexp(w) = mu*w**2/2 + w**4/4
lsamp(w, x) = x*w**2/2 + w**4/4

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 950))
    set output sprintf("%s/sgd-local-maxima.%s", outdir, fmt)
    set multiplot title "SGD with a large constant learning rate converges to a local maximum where the Lyapunov exponent Λ_B(η) < 0" font ",13"

    # ---- (a) landscape
    set origin 0.0, 0.5
    set size 0.33, 0.47
    set title "(a) expected loss L(w) and the two per-sample losses"
    set xlabel "w"
    set ylabel "loss"
    set xrange [-1:1]
    set yrange [-0.06:0.16]
    set key top center
    set samples 400
    set label 1 "local max" at 0, Lexp(0) + 0.012 center
    set label 2 "min" at -wmin, Lexp(wmin) - 0.012 center
    set label 3 "min" at wmin, Lexp(wmin) - 0.012 center
    plot lsamp(x, aa) lw 1 dt 2 lc rgb C[3] title sprintf("l(w; x = %g)", aa), \
         lsamp(x, -bb) lw 1 dt 2 lc rgb C[4] title sprintf("l(w; x = -%g)", bb), \
         Lexp(x) lw 3 lc rgb C[1] title "L(w) = μw^2/2 + w^4/4", \
         '+' using (0):(Lexp(0)) every ::0::0 with points pt 7 ps 1.3 lc rgb C[2] notitle, \
         '+' using (-wmin):(Lexp(wmin)) every ::0::0 with points pt 7 ps 1.3 lc rgb C[7] notitle, \
         '+' using (wmin):(Lexp(wmin)) every ::0::0 with points pt 7 ps 1.3 lc rgb C[7] notitle
    unset label 1; unset label 2; unset label 3

    # ---- (b) final positions
    set origin 0.33, 0.5
    set title "(b) where the runs end (B = 1, T steps from |w_0| < 10^{-6})"
    set xlabel "final w_T"
    set ylabel "fraction of runs per bin (0.02 wide)"
    set xrange [-1:1]
    set yrange [0.0005:2]
    set logscale y
    set format y "10^{%T}"
    set key top left
    set boxwidth 0.02 absolute
    plot datadir.'/hist.tsv' using 1:($3 > 0 ? $3 : 1/0) with boxes fs solid 0.35 noborder lc rgb C[5] title "SGD, η = 0.25 (Λ > 0)", \
         '' using 1:($2 > 0 ? $2 : 1/0) with boxes fs solid 0.8 noborder lc rgb C[2] title "SGD, η = 0.65: all at w = 0", \
         '' using 1:($4 > 0 ? $4 : 1/0) with boxes fs solid 0.8 noborder lc rgb C[1] title "GD, η = 0.65: at ±1/2"
    unset logscale y
    set format y "%g"

    # ---- (c) trajectories
    set origin 0.66, 0.5
    set size 0.34, 0.47
    set title "(c) log_{10}|w_t| along single SGD runs (B = 1)"
    set xlabel "step t"
    set ylabel "log_{10} |w_t|"
    set xrange [0:3000]
    set yrange [-260:20]
    set key bottom left
    lam065 = real(system(sprintf("sed -n 's/^# Lambda_1 at eta = 0.65, 0.25, 1.45: \\([^ ]*\\).*/\\1/p' %s/paths.tsv", datadir)))
    plot datadir.'/paths.tsv' using ($2 == 0.65 ? $1 : 1/0):4 with lines lw 1 lc rgb C[2] title "η = 0.65 (converges)", \
         '' using ($2 == 0.25 ? $1 : 1/0):4 with lines lw 1 lc rgb C[5] title "η = 0.25 (escapes; wanders at |w| ≈ 0.01 to 1)", \
         '' using ($2 == 1.45 ? $1 : 1/0):4 with lines lw 2 lc rgb C[4] title "η = 1.45 (escapes, diverges)", \
         -6 + lam065*x/log(10) lw 2 dt 2 lc rgb C[7] title sprintf("theory: slope Λ_1(0.65)/ln 10 = %.3f", lam065/log(10))

    # ---- (d) phase diagram
    set origin 0.0, 0.0
    set size 0.62, 0.5
    set title "(d) fraction of SGD runs ending at the maximum; shaded: predicted windows Λ_B(η) < 0 (Λ_B in panel e)"
    set xlabel "learning rate η"
    set ylabel "fraction of runs with |w_T| < 10^{-12}"
    set xrange [0:2]
    set yrange [-0.05:1.05]
    set key at graph 0.99, graph 0.62 right
    plot datadir.'/windows.tsv' using ($1 == 1 ? ($3+$4)/2 : 1/0):(0.5):($3):($4):(-0.05):(1.05) axes x1y1 with boxxyerror fs transparent solid 0.12 noborder lc rgb C[2] title "window B = 1", \
         '' using ($1 == 2 ? ($3+$4)/2 : 1/0):(0.5):($3):($4):(-0.05):(1.05) axes x1y1 with boxxyerror fs transparent solid 0.15 noborder lc rgb C[1] title "window B = 2", \
         datadir.'/fractions.tsv' using ($1 == 1 ? $2 : 1/0):10:11 with yerrorbars pt 7 ps 1.1 lc rgb C[2] title "SGD B = 1", \
         '' using ($1 == 2 ? $2 : 1/0):10:11 with yerrorbars pt 5 ps 1.0 lc rgb C[1] title "SGD B = 2", \
         datadir.'/gd.tsv' using 1:3 with points pt 6 ps 1.2 lc rgb C[7] title "GD (full batch)"

    # ---- (e) noise is essential
    set origin 0.62, 0.0
    set size 0.38, 0.5
    set title "(e) noise is essential: Λ_B < 0 only for small batches"
    set xlabel "learning rate η"
    set ylabel "Λ_B(η)"
    set xrange [0:2]
    set yrange [-0.6:0.7]
    set key at graph 0.03, graph 0.03 left bottom
    plot 0 lw 1 lc rgb '#888888' notitle, \
         datadir.'/theory.tsv' using 1:2 with lines lw 2 lc rgb C[2] title "B = 1", \
         '' using 1:3 with lines lw 2 lc rgb C[1] title "B = 2", \
         '' using 1:4 with lines lw 2 lc rgb C[3] title "B = 4", \
         '' using 1:5 with lines lw 2 lc rgb C[4] title "B = 8", \
         log(1 - mu*x) lw 1.5 dt 3 lc rgb C[7] title "GD: log(1 - ημ) > 0"
    unset multiplot
    unset output
}
