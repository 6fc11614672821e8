# deep-relu-first-step.gp: the escape of deep ReLU nets from the saddle at the origin.
#   gnuplot -c deep-relu-first-step.gp DATADIR OUTDIR
# Writes OUTDIR/deep-relu-first-step.{png,svg} (2 x 2: loss curves, escape-time scaling, rank-one-
# ness and gap ratio of Delta W_l per layer; 2 x 3 with the linearity of each layer at the escape
# and in the optimal direction when those tables exist) and OUTDIR/deep-relu-first-step-mnist.{png,svg}
# (the paper's figure: loss and the top singular values of each layer of a depth-6 net on MNIST).
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'

esc = datadir.'/teacher_escape.tsv'
rk = datadir.'/teacher_rank.tsv'
opt = datadir.'/optimal.tsv'
msv = datadir.'/mnist_sv.tsv'
mloss = datadir.'/mnist_loss.tsv'
have(f) = system(sprintf("test -s %s && echo 1 || echo 0", f)) + 0
have_mnist = have(msv) && have(mloss)
have_esc = have(esc) && have(rk)
have_opt = have(opt)
elin = datadir.'/escape_linearity.tsv'
olin = datadir.'/optimal_linearity.tsv'
dlin = datadir.'/depth_linearity.tsv'
have_elin = have(elin)
have_olin = have(olin)
have_dlin = have(dlin)
ncol = (have_elin || have_olin) ? 3 : 2
if (!have_esc) { esc = '/dev/null'; rk = '/dev/null' }
if (!have_opt) { opt = '/dev/null' }
notrun(what) = sprintf("%s: not run in this run", what)
hdr(f, name) = system(sprintf("awk '$1 == \"#\" && $2 == \"param\" && $3 == \"%s\" {print $5; exit}' %s", name, f))
# the escape level, from the run's own header (--escape-frac)
efrac = 0.99
if (have_esc) { efrac = hdr(esc, "escape-frac") + 0 }
if (have_mnist) { efrac = hdr(msv, "escape-frac") + 0 }
dataname = "teacher"
if (have_esc) { dataname = hdr(esc, "data") }

# the (L, alpha) runs as "L:alpha" words, and the depths
runs = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"L\" {print $1\":\"$2}' %s", esc))
depths = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"L\" && !s[$1]++ {print $1}' %s", esc))
runL(w) = substr(w, 1, strstrt(w, ':') - 1) + 0
runA(w) = substr(w, strstrt(w, ':') + 1, strlen(w))
# colour by depth (the index of L in `depths`), dash by alpha (rank of the run within its depth)
colL(L) = sum [i=1:words(depths)] (word(depths, i) + 0 == L ? i : 0)
nthA(k) = sum [j=1:k] (runL(word(runs, j)) == runL(word(runs, k)) ? 1 : 0)
c0s = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"L\" {print $7}' %s", esc))
Lmax = 0
if (words(depths) > 0) { Lmax = word(depths, words(depths)) + 0 }
alist = system(sprintf("awk -F'\t' '!/^#/ && $1 == %d {print $2}' %s", Lmax, esc))
# geometric-mean point and fitted slope per depth, for the theory lines of (b)
nd1 = words(depths) > 0 ? words(depths) : 1
array gm_a[nd1]
array gm_t[nd1]
array fit_s[nd1]
do for [i=1:words(depths)] {
    Li = word(depths, i) + 0
    stats esc using ($1 == Li ? log($2) : NaN):($1 == Li ? log($5) : NaN) nooutput
    gm_a[i] = exp(STATS_mean_x); gm_t[i] = exp(STATS_mean_y); fit_s[i] = STATS_slope
}
# filled point types per alpha (7 circle, 5 square, 9 triangle; the open twin is one less)
ptf(j) = j == 1 ? 7 : j == 2 ? 5 : 9
# the deepest layer in any table of the run (x range of panels c, d)
lmax = system(sprintf("cat %s %s %s 2>/dev/null | awk -F'\t' 'BEGIN {m = 1} !/^#/ && $1 ~ /^[0-9]+$/ && $3 + 0 > m && $3 + 0 < 100 {m = $3} END {print m}'", rk, (have_mnist ? msv : '/dev/null'), '/dev/null')) + 0
lmaxo = system(sprintf("awk -F'\t' 'BEGIN {m = 1} !/^#/ && $7 ~ /^[0-9]+$/ && $7 + 0 > m {m = $7} END {print m}' %s", opt)) + 0
lmaxm = have_mnist ? system(sprintf("awk -F'\t' 'BEGIN {m = 1} !/^#/ && $3 ~ /^[0-9]+$/ && $3 + 0 > m {m = $3} END {print m}' %s", msv)) + 0 : 1
lmax = lmax > lmaxo ? lmax : lmaxo
lmax = lmax > lmaxm ? lmax : lmaxm
# the best optimal-direction restart of the first depth in optimal.tsv
optbest = system(sprintf("awk -F'\t' 'BEGIN {r = -1} !/^#/ && $1 != \"L\" && $4 > b {b = $4; r = $3} END {print r}' %s", opt)) + 0

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, ncol == 3 ? 1800 : 1200, 900))
    set output sprintf("%s/deep-relu-first-step.%s", outdir, fmt)
    if (ncol == 3) { set multiplot layout 2,3 margins 0.05,0.99,0.07,0.95 spacing 0.06,0.11 } \
    else { set multiplot layout 2,2 margins 0.07,0.98,0.07,0.95 spacing 0.09,0.11 }

    # (a) loss curves: plateau at C_0, then the escape (marked where C first falls below efrac C_0)
    set title sprintf("(a) loss from small init (%s data): plateau at C_0, then escape", dataname)
    if (have_esc) {
    set logscale x
    unset logscale y
    set xlabel "GD iteration"
    set ylabel "C / C_0"
    set yrange [0:1.08]
    set xrange [10:*]
    set key bottom left
    plot for [k=1:words(runs)] sprintf("%s/teacher_loss_L%d_a%s.tsv", datadir, runL(word(runs, k)), runA(word(runs, k))) \
            using ($1 > 0 ? $1 : NaN):($3 / word(c0s, k)) \
            with lines lt colL(runL(word(runs, k))) dt nthA(k) lw 1.8 \
            title sprintf("L=%d, α=%s", runL(word(runs, k)), runA(word(runs, k))), \
         esc using 4:9 with points pt 6 ps 1.2 lc rgb 'black' title "escape: steepest step of the first drop"
    unset xrange

    # (b) escape time against init scale: slope -(L-2)
    set title "(b) escape time t_{esc} (steepest step) ∝ α^{-(L-2)}"
    set logscale xy
    set xlabel "init scale α"
    set ylabel "t_{esc} = η x iteration"
    set yrange [*:*]
    set key top right
    plot for [i=1:words(depths)] esc using ($1 == word(depths, i) + 0 ? $2 : NaN):5 \
            with points lt i pt 7 ps 1.5 title sprintf("L = %s: GD, fitted slope %.3f", word(depths, i), fit_s[i]), \
         for [i=1:words(depths)] esc using ($1 == word(depths, i) + 0 ? $2 : NaN):(gm_t[i] * ($2 / gm_a[i])**(-(word(depths, i) - 2))) \
            with lines lt i dt 2 lw 1.5 title sprintf("theory slope -%d", word(depths, i) - 2)
    } else {
        set title "(a, b) ".notrun("escape-time sweep (part scaling)")
        unset logscale
        set xrange [0:1]; set yrange [0:1]
        plot NaN notitle
        plot NaN notitle
    }
    unset logscale x

    # (c) rank-one-ness of Delta W_l at the escape, per layer
    if (!have_esc) { alist = ""; Lmax = 0; depths = "" }
    set autoscale xy
    set title sprintf("(c) rank-one-ness η_l = s_1^2/||ΔW_l||_F^2 when C first < %g C_0", efrac)
    unset logscale y
    set xlabel "layer l"
    set ylabel "η_l"
    set yrange [0:1.05]
    set xrange [0.5:lmax + 0.5]
    set xtics 1
    set key bottom right
    plot for [j=1:words(alist)] rk using ($1 == Lmax && sprintf("%g", $2) eq word(alist, j) ? $3 : NaN):4 \
            with linespoints lt words(depths) dt j pt ptf(j) title sprintf("ΔW_l, L=%d, α=%s", Lmax, word(alist, j)), \
         for [j=1:words(alist)] rk using ($1 == Lmax && sprintf("%g", $2) eq word(alist, j) ? $3 : NaN):6 \
            with points lt words(depths) pt ptf(j) - 1 ps 1.2 title (j == 1 ? "W_l itself (open symbols)" : ""), \
         (have_mnist ? msv : '/dev/null') using (strcol(1) eq "escape" && strcol(4) eq "dW" ? $3 : NaN):5 \
            with linespoints lt 4 pt 5 title "ΔW, MNIST", \
         (have_mnist ? msv : '/dev/null') using (strcol(1) eq "escape" && strcol(4) eq "W" ? $3 : NaN):5 \
            with points lt 4 pt 4 ps 1.2 notitle
    unset xrange

    # (d) gap ratio s_1/s_2 of Delta W_l per layer, against the bound l^{1/4}
    set title sprintf("(d) gap ratio ρ_l = s_1/s_2 of ΔW_l when C first < %g C_0; stars: optimum", efrac)
    set logscale y
    set ylabel "ρ_l"
    set yrange [0.8:1e13]
    set format y "10^{%T}"
    set key right center
    set xrange [0.5:lmax + 0.5]
    plot for [i=1:words(depths)] rk using ($1 == word(depths, i) + 0 ? $3 + 0.06 * (i - 2) : NaN):5 \
            with points lt i pt 7 title sprintf("GD, L = %s (all α)", word(depths, i)), \
         (have_mnist ? msv : '/dev/null') using (strcol(1) eq "escape" && strcol(4) eq "dW" ? $3 : NaN):6 \
            with linespoints lt 4 pt 5 title "GD, MNIST", \
         opt using ($3 == optbest ? $7 : NaN):9 with points pt 3 ps 2 lc rgb 'black' title "optimal direction (W_l)", \
         x**0.25 with lines lc rgb '#666666' dt 2 lw 2 title "bound l^{1/4}"
    unset format y

    # (e) linearity of each hidden layer at the escape: layer 1 near 1/2, deeper layers near 1
    if (ncol == 3) {
        unset logscale y
        set title sprintf("(e) linearity of hidden layer l on the data, GD when C first < %g C_0", efrac)
        set ylabel "lin_l: share of |z|^2 on each unit's majority sign"
        set yrange [0.45:1.05]
        set xrange [0.5:lmax - 0.5]
        set key bottom right font ",9"
        if (have_elin) {
        plot 1 with lines lc rgb '#000000' lw 1.5 title "1: linear (never changes sign)", \
             0.5 with lines lc rgb '#000000' dt 2 lw 1.5 title "1/2: symmetric (z = u v·x)", \
             for [k=1:words(runs)] elin using ($1 == runL(word(runs, k)) && sprintf("%g", $2) eq runA(word(runs, k)) ? $3 : NaN):4 \
                with linespoints lt colL(runL(word(runs, k))) dt nthA(k) pt ptf(nthA(k)) \
                title sprintf("L=%d, α=%s", runL(word(runs, k)), runA(word(runs, k))), \
             (have_olin ? olin : '/dev/null') using 2:3 with linespoints pt 3 ps 2 lc rgb 'black' lw 1 \
                title "optimal direction"
        } else {
        plot 1 with lines lc rgb '#000000' lw 1.5 title "1: linear (never changes sign)", \
             0.5 with lines lc rgb '#000000' dt 2 lw 1.5 title "1/2: symmetric (z = u v·x)", \
             (have_olin ? olin : '/dev/null') using 2:3 with linespoints pt 3 ps 2 lc rgb 'black' lw 1 \
                title "optimal direction"
        }

        # (f) the optimal escape direction at each depth
        set title "(f) linearity per layer in the optimal escape direction, depths 2-6"
        lf = have_dlin ? dlin : olin
        dl = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"L\" && !s[$1]++ {print $1}' %s", lf))
        set xrange [0.5:(words(dl) > 0 ? word(dl, words(dl)) - 0.5 : 1.5)]
        plot 1 with lines lc rgb '#000000' lw 1.5 title "1: linear", \
             0.5 with lines lc rgb '#000000' dt 2 lw 1.5 title "1/2: symmetric", \
             for [i=1:words(dl)] lf using ($1 == word(dl, i) + 0 ? $2 + 0.04 * (i - 3) : NaN):3 with linespoints lt i pt 7 \
                title sprintf("L = %s", word(dl, i))
        unset xrange
    }
    unset multiplot
    unset output
}

# ---- the MNIST figure (the paper's): loss, then the top-10 singular values of every layer ----
if (have_mnist) {
    snaps = "init half escape steepest end"
    snapname(s) = s eq "init" ? "init" : s eq "half" ? "0.5 t_{esc}" : s eq "escape" ? sprintf("escape t_{esc}: C < %g C_0", efrac) : s eq "steepest" ? "steepest step of the first drop" : "end (2.5 t_{esc})"
    sit(s) = system(sprintf("awk -F'\t' '$1 == \"%s\" {print $2; exit}' %s", s, msv)) + 0
    mC0 = system(sprintf("awk -F'\t' '!/^#/ && $1 == \"0\" {print $3; exit}' %s", mloss)) + 0
    # the run's own setting, from the note line of mnist_loss.tsv: "first N training images ... width W, alpha A, eta E"
    msetup = system(sprintf("sed -n 's/^# MNIST: first \\([0-9]*\\) training images.*width \\([0-9]*\\), alpha \\([^,]*\\), eta \\(.*\\)$/N = \\1, width \\2, α = \\3, η = \\4/p' %s", mloss))
    nL = system(sprintf("awk -F'\t' '!/^#/ && $3 + 0 > m {m = $3} END {print m}' %s", msv)) + 0
    # rows of one (snapshot, layer, kind) as (index, singular value) pairs
    svrows(s, l, k) = sprintf("< awk -F'\t' '$1 == \"%s\" && $3 == %d && $4 == \"%s\" {for (i = 7; i <= 16; i++) if ($i != \"nan\") print i - 6, $i}' %s", s, l, k, msv)
    # time colour: a sequential blue-to-red ramp over the five snapshots
    array SC[5] = ['#9ecae1', '#4292c6', '#08519c', '#D55E00', '#7f2704']
    do for [fmt in "png svg"] {
        eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1400, 720))
        set output sprintf("%s/deep-relu-first-step-mnist.%s", outdir, fmt)
        set multiplot layout 2,4 margins 0.06,0.99,0.08,0.92 spacing 0.06,0.13 \
            title sprintf("MNIST (%s): depth-%d bias-free ReLU net from small init, loss and top singular values per layer", msetup, nL)
        unset logscale
        set format y "%g"
        set title "(a) loss"
        set xlabel "GD iteration"
        set ylabel "C / C_0"
        set yrange [0:1.05]
        set xrange [0:*]
        set xtics 1000
        set key bottom left
        do for [j=2:5] { set arrow j from sit(word(snaps, j)), graph 0 to sit(word(snaps, j)), graph 1 nohead lc rgb SC[j] dt 2 lw 1.5 }
        plot mloss using 1:($3 / mC0) with lines lt 7 lw 2 title "GD", \
             for [j=2:5] NaN with lines lc rgb SC[j] dt 2 lw 1.5 title snapname(word(snaps, j))
        unset arrow
        set logscale y
        set format y "10^{%T}"
        set xrange [0.5:10.5]
        set xtics 1,1,10
        set yrange [*:*]
        set xlabel "index k"
        set ylabel "s_k"
        do for [l=1:nL] {
            set title sprintf("(%c) layer %d: top singular values", 97 + l, l)
            unset key
            plot for [j=1:5] svrows(word(snaps, j), l, "W") with linespoints lc rgb SC[j] pt 7 ps 0.6 lw 1.5 title sprintf("W_l at %s", snapname(word(snaps, j))), \
                 svrows("escape", l, "dW") with linespoints lc rgb '#000000' dt 2 pt 6 ps 0.7 lw 1.5 title "ΔW_l at the escape"
        }
        # the legend in a panel of its own (the 2 x 4 grid has a free cell for L = 6)
        unset logscale; unset border; unset tics; unset xlabel; unset ylabel; unset title
        set xrange [0:1]; set yrange [0:1]
        set key at graph -0.25, graph 0.5 left center Left reverse font ",9" samplen 3
        plot for [j=1:5] NaN with linespoints lc rgb SC[j] pt 7 ps 0.6 lw 1.5 title sprintf("W_l at %s", snapname(word(snaps, j))), \
             NaN with linespoints lc rgb '#000000' dt 2 pt 6 ps 0.7 lw 1.5 title "ΔW_l at the escape"
        set border; set tics
        unset multiplot
        unset output
    }
}
