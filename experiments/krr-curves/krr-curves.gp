# krr-curves.gp: the three figures of krr-curves (spec §4).
#   gnuplot -c experiments/krr-curves/krr-curves.gp DATADIR OUTDIR
# Theory as lines, experiment as points with +-1 standard-error bars.
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator "\t"
set datafile commentschars "#"

# ---- Figure 1: conservation law on the circle Z_10 (paper Fig. 1, kernel bars) ----
cons = datadir.'/conservation.tsv'
kidx(s) = (s eq "laplace") ? 0 : (s eq "gaussian") ? 1 : 2
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1100, 480))
    set output sprintf("%s/krr-curves-conservation.%s", outdir, fmt)
    set multiplot layout 1,2 title "Conservation of learnability on the circle Z_{10} (ridgeless KRR, one training set per bar)"
    set xrange [-0.6:2.6]
    set xtics ("Laplace\nℓ = 1" 0, "Gaussian\nℓ = 0.5" 1, "ReLU NTK\nL = 4" 2)
    set bmargin 4
    set ylabel "stacked D-learnability L^{(D)}(φ_k) of the 10 Fourier modes"
    set key outside right top vertical title "frequency k" noopaque
    do for [nn in "3 6"] {
        n = nn + 0
        set yrange [0:n*1.25]
        set title sprintf("n = %d: every bar sums to n = %d", n, n)
        cum = 0
        # rows are grouped by kernel, mode 0 first: restart the running sum at mode 0
        plot cons skip 1 using (kidx(strcol(1))):((column(2) == n) ? (cum = ($3 == 0 ? 0 : cum) + $5, cum - $5/2) : NaN):(0.32):($5/2):($4+1) \
                 with boxxyerror fs solid 0.85 border lc rgb "white" lc variable notitle, \
             for [k=0:5] NaN with boxes fs solid 0.85 lt (k+1) title sprintf("%d", k), \
             n with lines dt 2 lw 2 lc rgb "black" title "n"
    }
    unset multiplot
    unset output
}
reset
load 'figures/style.gp'
set datafile separator "\t"

# ---- Figure 2: learning curves (paper Fig. 2: cube, sphere, MNIST panels) ----
have(f) = system(sprintf("test -f '%s' && echo 1 || echo 0", f)) + 0
panels = "cube sphere mnist_0v1 mnist_3v8"
ptitle(p) = (p eq "cube") ? "8-cube, Laplace: parities χ_{1..k}" : \
            (p eq "sphere") ? "S^7, Laplace: zonal harmonics degree k" : \
            (p eq "mnist_0v1") ? "MNIST 0 vs 1, ReLU NTK" : "MNIST 3 vs 8, ReLU NTK"
tlist(p) = (p eq "cube") ? "1 2 4 8" : (p eq "sphere") ? "1 2 3 4" : "0"
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1600, 800))
    set output sprintf("%s/krr-curves-learning.%s", outdir, fmt)
    set multiplot layout 2,4 title "KRR learning curves: eigenframework theory (lines) vs experiment (points, ±1 s.e.)"
    set logscale x
    set format x "10^{%L}"
    set xrange [1:3000]
    do for [row in "L mse"] {
        do for [p in panels] {
            lf = datadir.'/learning_'.p.'.tsv'
            tf = datadir.'/theory_'.p.'.tsv'
            set title (row eq "L" ? ptitle(p) : "")
            set xlabel (row eq "L" ? "" : "training set size n")
            set ylabel (row eq "L" ? "learnability L" : "test MSE")
            if (row eq "L") { set yrange [0:1.02]; set key bottom right } else { set yrange [0:1.2]; set key top right }
            if (!have(lf)) {
                set label 1 "MNIST absent (run make data)" at graph 0.5, 0.5 center
                plot NaN notitle
                unset label 1
            } else {
                cL = (row eq "L") ? 4 : 7
                cT = (row eq "L") ? 3 : 4
                if (strstrt(p, "mnist")) {
                    plot lf skip 1 using 1:($11 == 0 ? column(cL) : NaN):(column(cL+1)) with yerrorbars lt 2 pt 7 title "experiment", \
                         lf skip 1 using 1:($11 == 1 ? column(cL) : NaN):(column(cL+1)) with yerrorbars lt 2 pt 6 title "n > M/8 (beyond pool)", \
                         tf skip 1 using 1:(column(cT)) with lines lt 1 title "theory (pool spectrum)"
                } else {
                    tl = tlist(p)
                    plot for [i=1:words(tl)] tf skip 1 using 1:($2 == word(tl,i)+0 ? column(cT) : NaN) with lines lt i notitle, \
                         for [i=1:words(tl)] lf skip 1 using 1:($2 == word(tl,i)+0 ? column(cL) : NaN):(column(cL+1)) \
                              with yerrorbars lt i pt 7 title sprintf("k = %s", word(tl,i))
                }
            }
        }
    }
    unset multiplot
    unset output
}
reset
load 'figures/style.gp'
set datafile separator "\t"

# ---- Figure 3: the deep bootstrap (paper Fig. 3, synthetic panel, KRR version) ----
bt = datadir.'/bootstrap_theory.tsv'
bs = datadir.'/bootstrap_sim.tsv'
nlist = "16 125 1000 8000"
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1000, 700))
    set output sprintf("%s/krr-curves-bootstrap.%s", outdir, fmt)
    set title "Deep bootstrap: test (solid, filled) and train (dashed, hollow) MSE vs effective time τ = n/δ\nλ_i = i^{-2}, v_i^2 ∝ i^{-2}; dotted: τ = 1/κ_0(n)"
    set logscale xy
    set format x "10^{%L}"
    set format y "10^{%L}"
    set xrange [1e-2:1e8]
    set yrange [1e-6:1.5]
    set xlabel "effective time τ = n/δ"
    set ylabel "MSE"
    set key bottom left
    do for [i=1:4] {
        n = word(nlist, i) + 0
        ts = system(sprintf("awk -F'\t' '!/^#/ && $1 == %d {print $5; exit}' %s", n, bt))
        if (strlen(ts) > 0) { set arrow i from ts+0, graph 0 to ts+0, graph 1 nohead dt 3 lw 1.5 lc rgb C[i] }
    }
    plot for [i=1:4] bt skip 1 using 2:($1 == word(nlist,i)+0 ? $3 : NaN) with lines lt i title sprintf("n = %s", word(nlist,i)), \
         bt skip 1 using 2:($1 == 0 ? $3 : NaN) with lines lw 2.5 lc rgb "black" title "n = ∞", \
         for [i=1:4] bt skip 1 using 2:($1 == word(nlist,i)+0 ? $4 : NaN) with lines lt i dt 2 notitle, \
         for [i=1:3] bs skip 1 using 2:($1 == word(nlist,i)+0 ? $4 : NaN):5 with yerrorbars lt i pt 7 notitle, \
         for [i=1:3] bs skip 1 using 2:($1 == word(nlist,i)+0 ? $7 : NaN):8 with yerrorbars lt i pt 6 notitle
    unset output
}
