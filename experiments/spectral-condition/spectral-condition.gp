# spectral-condition.gp: the coord check of the spectral condition for feature learning.
#   gnuplot -c spectral-condition.gp DATADIR OUTDIR
# Writes OUTDIR/spectral-condition.{png,svg}, 2 x 3: (a) feature change against width for the
# SGD parametrisations (spectral, SP-lazy, SP, NTP), (b) the spectral condition per layer,
# (c) updates are low rank, (d) the initial weights sit at the spectral scale (Bai-Yin),
# (e) the Frobenius yardstick vanishes where the spectral one stays flat, (f) Adam.
# Panels (e) and (f) are drawn when their tables/rows exist.
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'

wt = datadir.'/widths.tsv'
rt = datadir.'/runs.tsv'
os = datadir.'/onestep.tsv'
ft = datadir.'/fits.tsv'
th = datadir.'/theory.tsv'
fr = datadir.'/frobenius.tsv'
has_fr = system(sprintf("test -f %s && echo 1 || echo 0", fr)) + 0
hdr(name) = system(sprintf("awk '$1 == \"#\" && $2 == \"param\" && $3 == \"%s\" {print $5; exit}' %s", name, wt))
K = hdr("steps") + 0
S = hdr("seeds") + 0
nmin = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"param\" {print $2; exit}' %s", wt)) + 0
nmax = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"param\" && $2 + 0 > m {m = $2} END {print m}' %s", wt)) + 0
# value of a column of widths.tsv at (param, n)
val(p, n, col) = system(sprintf("awk -F'\t' '$1 == \"%s\" && $2 == %d {print $%d; exit}' %s", p, n, col, wt)) + 0
fitcol(p, c) = system(sprintf("awk -F'\t' '$1 == \"%s\" {print $%d; exit}' %s", p, c, ft))
slope(p) = fitcol(p, 2) + 0
icpt(p) = fitcol(p, 3) + 0
npts(p) = fitcol(p, 4) + 0
# the largest width whose median is finite (the fitted range ends there)
fitmax(p) = system(sprintf("awk -F'\t' 'BEGIN {m = 0} $1 == \"%s\" && $9 != \"inf\" && $9 != \"nan\" && $2 + 0 > m {m = $2} END {print m}' %s", p, wt)) + 0
fitted(p) = fitcol(p, 2) ne "" && fitcol(p, 2) ne "nan"
fitlabel(p) = fitted(p) ? sprintf("%s: slope %+.2f (medians, %d widths)", plabel(p), slope(p), npts(p)) : sprintf("%s: no fit (median finite at < 3 widths)", plabel(p))
has(p) = system(sprintf("grep -c '^%s\t' %s", p, wt)) + 0
n0 = nmin   # the theory guides are anchored at the median of the smallest width
a_spec = has("spectral") ? val("spectral", n0, 9) : NaN
a_lazy = has("sp-lazy") ? val("sp-lazy", n0, 9) : NaN
a_ntp = has("ntp") ? val("ntp", n0, 9) : NaN
PCOL(p) = p eq "spectral" ? 1 : p eq "sp-lazy" ? 2 : p eq "sp" ? 3 : p eq "ntp" ? 4 : p eq "adam-spectral" ? 1 : 3
plabel(p) = p eq "spectral" ? "spectral (muP)" : p eq "sp-lazy" ? "SP, η ∝ 1/n" : p eq "sp" ? "SP, fixed η" : \
            p eq "ntp" ? "NTP, η = O(1)" : p eq "adam-spectral" ? "Adam, recipe η_l ∝ 1/n_{l-1}" : "SP-Adam, fixed η"
pars = "spectral sp-lazy sp ntp"
has_adam = has("adam-spectral") + has("adam-sp")
npanel = 4 + (has_fr ? 1 : 0) + (has_adam ? 1 : 0)
ncol = npanel > 4 ? 3 : 2

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, ncol == 3 ? 1800 : 1200, 900))
    set output sprintf("%s/spectral-condition.%s", outdir, fmt)
    if (ncol == 3) { set multiplot layout 2,3 margins 0.05,0.99,0.07,0.95 spacing 0.06,0.11 } \
    else { set multiplot layout 2,2 margins 0.08,0.98,0.07,0.95 spacing 0.09,0.11 }
    set logscale x 2
    set xrange [nmin / 1.3 : nmax * 1.3]
    set xlabel "hidden width n"

    # (a) feature change: flat under the recipe, n^{-1/2} for SP-lazy, blow-up for SP
    set title "(a) feature change ||Δh_2(x_p)|| / √n after K steps"
    set logscale y
    set yrange [5e-4:1e7]
    set format y "10^{%T}"
    set ylabel sprintf("median ||Δh_2|| / √n over %d replicates", S)
    set key top left font ",8"
    set label 2 "×: single SP replicates that did not diverge" at graph 0.02, graph 0.04 tc rgb C[3] font ",9"
    plot for [p in pars] wt using (strcol(1) eq p && $9 < 1e300 ? $2 : NaN):9 \
            with points lt PCOL(p) pt 7 ps 1.2 title fitlabel(p), \
         for [p in pars] (has(p) && fitted(p) && x <= fitmax(p) * 1.2 ? exp(icpt(p)) * x**slope(p) : NaN) with lines lt PCOL(p) lw 1 notitle, \
         rt using (strcol(1) eq "sp" && $4 == 0 && $2 > nmin * 3 ? $2 * 1.05 : NaN):5 with points lt 3 pt 2 ps 0.6 notitle, \
         wt using (strcol(1) eq "sp" && $4 > 0 ? $2 : NaN):(600):(0):(5400) with vectors head filled size screen 0.008,25 lt 3 lw 2 \
            title sprintf("SP: diverged (of %d)", S), \
         wt using (strcol(1) eq "sp" && $4 > 0 ? $2 : NaN):(350):(sprintf("%d", $4)) with labels tc rgb C[3] font ",10" notitle, \
         (x >= n0 ? a_spec : NaN) with lines lt 1 dt 2 lw 1.5 title "theory: slopes 0, -1/2 (dashed); fits solid", \
         (x >= n0 ? a_lazy * (x / n0)**(-0.5) : NaN) with lines lt 2 dt 2 lw 1.5 notitle, \
         (x >= n0 ? a_ntp * (x / n0)**(-0.5) : NaN) with lines lt 4 dt 2 lw 1.5 notitle
    unset label

    # (b) the spectral condition, per layer: ||Delta W_l||_* / sqrt(n_l / n_{l-1})
    set title "(b) spectral condition per layer: ||ΔW_l||_* / √(n_l/n_{l-1})"
    set yrange [3e-4:1e3]
    set ylabel "||ΔW_l||_* / √(fan-out/fan-in)"
    set key top right maxrows 4 font ",9"
    unset label
    a_band = has("spectral") ? (val("spectral", n0, 10) + val("spectral", n0, 12) + val("spectral", n0, 14)) / 3 : NaN
    array b_lazy[3]
    do for [l=1:3] { b_lazy[l] = has("sp-lazy") ? val("sp-lazy", n0, 8 + 2 * l) : NaN }
    array e_lazy[3] = [-1.5, -0.5, 0]
    plot for [l=1:3] wt using (strcol(1) eq "spectral" ? $2 : NaN):(column(8 + 2 * l)):(column(9 + 2 * l)) \
            with yerrorlines lt 1 dt 1 pt (l == 1 ? 7 : l == 2 ? 5 : 9) lw 1 title sprintf("spectral, l=%d", l), \
         a_band with lines lc rgb '#888888' dt 2 lw 2 title "theory: slope 0", \
         for [l=1:3] wt using (strcol(1) eq "sp-lazy" ? $2 : NaN):(column(8 + 2 * l)):(column(9 + 2 * l)) \
            with yerrorlines lt 2 dt 1 pt (l == 1 ? 6 : l == 2 ? 4 : 8) lw 1 title sprintf("SP-lazy, l=%d", l), \
         for [l=1:3] (x >= n0 ? b_lazy[l] * (x / n0)**e_lazy[l] : NaN) with lines lt 2 dt 2 lw 1.2 \
            title (l == 1 ? "n^{-3/2}, n^{-1/2}, n^0" : "")
    unset format y

    # (c) updates are low rank: exactly rank one after one step, nearly after K
    set title sprintf("(c) updates are low rank: ||ΔW_2||_F / ||ΔW_2||_* (K = %d)", K)
    unset logscale y
    set yrange [0.9:sqrt(K) * 1.05]
    set ylabel "||ΔW_2||_F / ||ΔW_2||_*"
    set key at graph 0.98, graph 0.86 right top maxrows 8 font ",8"
    plot 1 with lines lc rgb '#000000' lw 1.5 title "1: rank one (exact after 1 step)", \
         sqrt(K) with lines lc rgb '#000000' dt 2 lw 1.5 title sprintf("√K = %.2f: most that rank K allows", sqrt(K)), \
         for [p in pars] wt using (strcol(1) eq p && $4 == 0 ? $2 * (1 + 0.04 * (PCOL(p) - 2)) : NaN):16:17 \
            with yerrorbars lt PCOL(p) pt 7 title sprintf("%s, after K steps", plabel(p)), \
         for [p in pars] os using (strcol(1) eq p && $3 == 2 ? $2 * (1 + 0.04 * (PCOL(p) - 2)) : NaN):(1 + $4) \
            with points lt PCOL(p) pt 4 ps 1.2 title (p eq "spectral" ? "after 1 step (replicate 1)" : "")

    set key default
    set key noautotitle opaque box lc rgb '#cccccc' samplen 2 spacing 1.1

    # (d) the initial weights obey the spectral scale (Bai-Yin edge)
    set title "(d) initial weights: ||W_l(0)||_* / √(n_l/n_{l-1}), spectral recipe"
    set yrange [0.9:2.2]
    set ylabel "||W_l(0)||_* / √(fan-out/fan-in)"
    set key center right maxrows 6 font ",9"
    plot for [l=1:3] th using 1:(column(1 + l)) with lines lt (3 + l) lw 1.5 \
            title (l == 1 ? "Bai-Yin edge 1 + √(d/n)" : l == 2 ? "Bai-Yin edge 2" : "1×n readout: E χ_n / √n"), \
         for [l=1:3] wt using (strcol(1) eq "spectral" ? $2 : NaN):(column(18 + 2 * l)):(column(19 + 2 * l)) \
            with yerrorbars lt (3 + l) pt 7 title sprintf("measured, l = %d", l)

    # (e) the Frobenius-versus-spectral point: the same update of W_2 under the recipe
    if (has_fr) {
        set title "(e) relative change of W_2 under the recipe: spectral vs Frobenius yardstick"
        set logscale y
        set yrange [0.005:1]
        set format y "10^{%T}"
        set ylabel "||ΔW_2|| / ||W_2(0)||"
        set key bottom left font ",9"
        f0 = system(sprintf("awk -F'\t' '$1 == \"spectral\" && $2 == %d {print $3; exit}' %s", n0, fr)) + 0
        s0 = system(sprintf("awk -F'\t' '$1 == \"spectral\" && $2 == %d {print $5; exit}' %s", n0, fr)) + 0
        plot fr using (strcol(1) eq "spectral" ? $2 : NaN):5:6 with yerrorbars lt 1 pt 7 \
                title "spectral norm: ||ΔW_2||_* / ||W_2(0)||_*", \
             fr using (strcol(1) eq "spectral" ? $2 : NaN):3:4 with yerrorbars lt 5 pt 5 \
                title "Frobenius norm: ||ΔW_2||_F / ||W_2(0)||_F", \
             (x >= n0 ? s0 : NaN) with lines lt 1 dt 2 lw 1.5 title "theory: n^0", \
             (x >= n0 ? f0 * (x / n0)**(-0.5) : NaN) with lines lt 5 dt 2 lw 1.5 title "theory: n^{-1/2}"
        unset format y
    }

    # (f) Adam: the recipe with 1/fan-in rates against SP with a rate tuned at n_min
    if (has_adam) {
        set title "(f) Adam: feature change and hidden-layer update"
        set logscale y
        set yrange [0.02:30]
        set format y "10^{%T}"
        set ylabel "median ||Δh_2||/√n (filled); ||ΔW_2||_* (open)"
        set key top left maxrows 6 font ",9"
        d_as = has("adam-spectral") ? val("adam-spectral", n0, 9) : NaN
        w_as = has("adam-spectral") ? val("adam-spectral", n0, 12) : NaN
        w_sp = has("adam-sp") ? val("adam-sp", n0, 12) : NaN
        plot for [p in "adam-spectral adam-sp"] wt using (strcol(1) eq p && $9 < 1e300 ? $2 : NaN):9 \
                with linespoints lt PCOL(p) pt 7 ps 1.2 title sprintf("%s: ||Δh_2||/√n", plabel(p)), \
             for [p in "adam-spectral adam-sp"] wt using (strcol(1) eq p ? $2 : NaN):12:13 \
                with yerrorbars lt PCOL(p) pt 6 ps 1.2 title sprintf("%s: ||ΔW_2||_*", plabel(p)), \
             (x >= n0 ? d_as : NaN) with lines lt 1 dt 2 lw 1.5 title "theory: n^0 (recipe)", \
             (x >= n0 ? w_as : NaN) with lines lt 1 dt 2 lw 1.5 notitle, \
             (x >= n0 ? w_sp * (x / n0) : NaN) with lines lt 3 dt 2 lw 1.5 title "theory: ||ΔW_2||_* ∝ n (SP-Adam)"
        unset format y
    }
    unset multiplot
    unset output
}

# ---- the longer minibatch run (when long.tsv exists): spectral-condition-long.{png,svg} ----
lt_ = datadir.'/long.tsv'
if (system(sprintf("test -s %s && echo 1 || echo 0", lt_)) + 0) {
    Ts = system(sprintf("awk '$1 == \"#\" && $2 == \"param\" && $3 == \"long-steps\" {print $5; exit}' %s", lt_)) + 0
    Bs = system(sprintf("awk '$1 == \"#\" && $2 == \"param\" && $3 == \"long-batch\" {print $5; exit}' %s", lt_)) + 0
    array g0_[3]   # the recipe's value at the smallest width, per layer: the flat guides
    do for [l=1:3] { g0_[l] = system(sprintf("awk -F'\t' '$1 == \"spectral\" {print $%d; exit}' %s", 1 + 2 * l, lt_)) + 0 }
    do for [fmt in "png svg"] {
        eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1200, 500))
        set output sprintf("%s/spectral-condition-long.%s", outdir, fmt)
        set multiplot layout 1,2 margins 0.07,0.98,0.13,0.9 spacing 0.09
        set logscale x 2
        set xrange [*:*]
        set autoscale x
        set offsets graph 0.08, graph 0.08, 0, 0
        set xlabel "hidden width n"
        set title sprintf("(a) after %d minibatch steps (batch %d): ||ΔW_l||_* / √(n_l/n_{l-1})", Ts, Bs)
        set logscale y
        set yrange [0.003:30]
        set format y "10^{%T}"
        set ylabel "||ΔW_l||_* / √(fan-out/fan-in)"
        set key bottom left maxrows 4 font ",9"
        plot for [l=1:3] lt_ using (strcol(1) eq "spectral" ? $2 : NaN):(column(1 + 2 * l)):(column(2 + 2 * l)) \
                with yerrorlines lt 1 pt (l == 1 ? 7 : l == 2 ? 5 : 9) title sprintf("spectral, l=%d", l), \
             for [l=1:3] lt_ using (strcol(1) eq "sp-lazy" ? $2 : NaN):(column(1 + 2 * l)):(column(2 + 2 * l)) \
                with yerrorlines lt 2 pt (l == 1 ? 6 : l == 2 ? 4 : 8) title sprintf("SP-lazy, l=%d", l), \
             for [l=1:3] lt_ using (strcol(1) eq "spectral" ? $2 : NaN):(g0_[l]) with lines lc rgb '#888888' dt 2 lw 1.5 \
                title (l == 1 ? "theory (recipe): slope 0" : "")
        unset format y
        set title "(b) the accumulated update stays low rank; features keep moving"
        unset logscale y
        set yrange [0:4.4]
        set ylabel "srank(ΔW_2) = ||ΔW_2||_F^2/||ΔW_2||_*^2;  ||Δh_2||/√n"
        set key top right maxrows 5 font ",9"
        plot 3 with lines lc rgb '#888888' dt 2 lw 1.5 title "bound of the claim: srank 3", \
             lt_ using (strcol(1) eq "spectral" ? $2 : NaN):9:10 with yerrorlines lt 1 pt 7 title "spectral: srank(ΔW_2)", \
             lt_ using (strcol(1) eq "sp-lazy" ? $2 : NaN):9:10 with yerrorlines lt 2 pt 6 title "SP-lazy: srank(ΔW_2)", \
             lt_ using (strcol(1) eq "spectral" ? $2 : NaN):11:12 with yerrorlines lt 1 dt 2 pt 5 title "spectral: ||Δh_2||/√n", \
             lt_ using (strcol(1) eq "sp-lazy" ? $2 : NaN):11:12 with yerrorlines lt 2 dt 2 pt 4 title "SP-lazy: ||Δh_2||/√n"
        unset multiplot
        unset output
        unset offsets
    }
}
