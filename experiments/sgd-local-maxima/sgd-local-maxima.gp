# sgd-local-maxima.gp: gnuplot -c sgd-local-maxima.gp DATADIR OUTDIR
# One figure, five panels: (a) the landscape, (b) where SGD and GD end, (c) example
# trajectories of log10|w_t| against the Lyapunov slope, (d) the phase diagram (fraction of runs
# at the maximum against eta, the predicted windows Lambda_B < 0 shaded),
# (e) Lambda_B for B = 1, 2, 4, 8: the window shrinks and vanishes as the noise is averaged away.
# Then, each only if its part ran: sgd-local-maxima-saddle (escape time from the saddle of
# l = (uw - y)^2/2 against (log(r1/r0) + log 2)/Lambda_+, and the exponents) and
# sgd-local-maxima-sharp (the two-minimum landscape; where SGD and GD end against Lambda_f, Lambda_s).
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator tab
set datafile commentschars '#'
fexists(f) = system(sprintf("test -s '%s' && echo 1 || echo 0", f)) + 0

if (fexists(datadir.'/theory.tsv')) {

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
}

sd = datadir.'/saddle.tsv'
if (fexists(sd)) {
    reset
    load 'figures/style.gp'
    set datafile separator tab
    sa = real(system(sprintf("sed -n 's/^# param sad-a = //p' %s", sd)))
    sb = real(system(sprintf("sed -n 's/^# param sad-b = //p' %s", sd)))
    estar = (sa - sb)/(sa*sb)
    do for [fmt in "png svg"] {
        eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1300, 500))
        set output sprintf("%s/sgd-local-maxima-saddle.%s", outdir, fmt)
        set multiplot layout 1,2 title sprintf("SGD escapes the saddle of the width-one linear net l = (uw - y)^2/2 (y = %g or -%g) arbitrarily slowly as η → η* = %.4g", sa, sb, estar) font ",13"
        set title "(a) escape time from |θ_0| = 10^{-30} to |θ| = 10^{-2}"
        set xlabel "learning rate η"
        set ylabel "steps"
        set logscale y
        set format y "10^{%T}"
        set xrange [0:1/sa]
        set yrange [10:1e6]
        set key bottom left font ",10"
        set arrow 1 from estar, graph 0 to estar, graph 1 nohead dt 3 lc rgb '#888888'
        set label 1 "η*" at estar, graph 0.95 offset 0.5,0
        plot datadir.'/saddle_theory.tsv' using 1:4 with lines lw 2 lc rgb C[2] title "theory: (log(r_1/r_0) + log 2)/Λ_+", \
             '' using 1:5 with lines lw 2 dt 2 lc rgb C[1] title "theory, GD: the same with log(1 + ημ)", \
             sd using ($2 > 0 ? $1 : 1/0):8:9 with yerrorbars pt 7 ps 1.1 lc rgb C[2] title "SGD: mean over runs (± s.e.)", \
             sd using 1:11 with points pt 6 ps 1.3 lc rgb C[1] title "GD: mean over starts", \
             sd using ($2 <= 0 ? $1 : 1/0):(2e5) with points pt 4 ps 1.5 lc rgb 'black' title "SGD beyond η*: (almost) no run escapes in 2·10^5 steps"
        unset arrow 1; unset label 1
        unset logscale y
        set format y "%g"
        set title "(b) growth rates of the linearised map at the saddle"
        set ylabel "rate per step"
        set yrange [-0.06:0.06]
        set key bottom left font ",10"
        plot 0 lw 1 lc rgb '#888888' notitle, \
             datadir.'/saddle_theory.tsv' using 1:2 with lines lw 2 lc rgb C[2] title "Λ_+ = E log|1 + ηy| (direction u = w)", \
             '' using 1:3 with lines lw 2 lc rgb C[4] title "Λ_- = E log|1 - ηy| (direction u = -w)", \
             '' using 1:(log(1 + $1*(sa - sb)/2)) with lines lw 2 dt 2 lc rgb C[1] title "GD: log(1 + ημ)"
        unset multiplot
        unset output
    }
}

sh = datadir.'/sharp.tsv'
if (fexists(sh)) {
    reset
    load 'figures/style.gp'
    set datafile separator tab
    A = real(system(sprintf("sed -n 's/^# param sharp-A = //p' %s", sh)))
    m = real(system(sprintf("sed -n 's/^# param sharp-m = //p' %s", sh)))
    phi(w) = w**4/4 - m*w**3/3 - w**2/2 + m*w
    v(w) = (w + 1)/2
    psi(w) = abs(v(w)) < 1 ? 2*v(w)**2*(1 - v(w)**2)**3 : 0
    do for [fmt in "png svg"] {
        eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1300, 500))
        set output sprintf("%s/sgd-local-maxima-sharp.%s", outdir, fmt)
        set multiplot layout 1,2 title sprintf("SGD prefers the sharp minimum where the flat one is Lyapunov-unstable (noise x = ±%g acts at the flat minimum only)", A) font ",13"
        set title sprintf("(a) L(w) and the per-sample losses: flat minimum -1 (L'' = %g), sharp +1 (L'' = %g)", 2*(1+m), 2*(1-m))
        set xlabel "w"
        set ylabel "loss"
        set xrange [-2:1.6]
        set yrange [-1.2:1.5]
        set samples 500
        set key top center font ",10"
        plot phi(x) - phi(-1) lw 3 lc rgb C[1] title "L(w) = φ(w)", \
             phi(x) - phi(-1) + A*psi(x) lw 1 dt 2 lc rgb C[3] title sprintf("l(w; x = %g)", A), \
             phi(x) - phi(-1) - A*psi(x) lw 1 dt 2 lc rgb C[4] title sprintf("l(w; x = -%g)", A)
        set title "(b) where SGD started at the flat minimum ends; shaded: predicted Λ_f > 0 > Λ_s"
        set xlabel "learning rate η"
        set ylabel "fraction of runs"
        set yrange [-0.05:1.05]
        set y2label "Lyapunov exponent"
        set y2range [-1.5:1.5]
        set y2tics
        set ytics nomirror
        set xrange [0:0.7]
        set key outside below center horizontal maxrows 2 font ",9"
        set xlabel offset 0,0.6
        set bmargin 7
        # the predicted region from the fine theory grid
        plot datadir.'/sharp_theory.tsv' using 1:($2 > 0 && $3 < 0 ? 1.05 : 1/0) with filledcurves y1=-0.05 fs transparent solid 0.12 noborder lc rgb C[2] title "predicted: sharp", \
             '' using 1:2 axes x1y2 with lines lw 1.5 dt 2 lc rgb C[3] title "Λ_f (flat, right axis)", \
             '' using 1:3 axes x1y2 with lines lw 1.5 dt 2 lc rgb C[4] title "Λ_s (sharp, right axis)", \
             sh using 1:6 with linespoints pt 7 ps 1.1 lc rgb C[2] title "SGD: at the sharp minimum", \
             sh using 1:7 with linespoints pt 5 ps 1.0 lc rgb C[1] title "SGD: at the flat minimum", \
             sh using 1:10 with points pt 6 ps 1.6 lc rgb C[7] title "GD: at the flat minimum"
        unset multiplot
        unset output
    }
}
