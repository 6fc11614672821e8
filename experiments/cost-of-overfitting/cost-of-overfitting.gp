# cost-of-overfitting.gp: gnuplot -c cost-of-overfitting.gp DATADIR OUTDIR
# Figure 1 (-bound): (a) theory C vs sigma^2 with the Theorem 1 bound E0; (b) simulation vs theory;
# (c) R(delta) for beta = 1.25.  Figure 2 (-regimes): E0(n) - 1 and R_n/n.
# Titles are read from the run's own tables (`# param` lines and rows); a table the run did not
# write leaves its panel saying so.
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
z1 = datadir.'/z1_cost.tsv'
z1c = datadir.'/z1_curves.tsv'
z2 = datadir.'/z2_regimes.tsv'
z3 = datadir.'/z3_sim.tsv'
set datafile separator "\t"
set datafile commentschars "#"
has(f) = system(sprintf("test -s '%s' && echo 1 || echo 0", f)) + 0
param(f, name) = system(sprintf("awk '/^# param %s = / {print $5; exit}' '%s'", name, f))
notrun(what) = sprintf("%s: not run in this run", what)
have_z1 = has(z1); have_z1c = has(z1c); have_z2 = has(z2); have_z3 = has(z3)
betas = "1.25 1.5 2 2.5"
if (have_z1) {
    # E0 of the Z1 instance (first data row, column 3); the instance from the table's header
    stats z1 using 3 every ::1::1 nooutput
    E0 = STATS_max
    z1n = param(z1, 'n'); z1a = param(z1, 'alpha')
    z1M = system(sprintf("awk '/^# Z1:/ {for (i = 1; i <= NF; i++) if ($i == \"i\") {x = $(i+2); sub(/.*\\.\\./, \"\", x); sub(/,/, \"\", x); print x}; exit}' '%s'", z1))
}
if (have_z3) {
    z3a = param(z3, 'alpha'); z3P = param(z3, 'P-factor')
    nz3 = system(sprintf("awk -F'\t' '!/^#/ && $1 ~ /^[0-9]/ {m = $1} END {print m + 0}' '%s'", z3)) + 0
}
# an instance's label: target exponent (or pure noise), noise variance, sample size
ilabel(b, s, n) = (b == 0 ? "noise" : sprintf("β=%g", b)) . sprintf("\nσ^2=%g\nn=%d", s, n)

# panels present: a part not run is left out
letter(i) = substr("abcdef", i, i)
npb = have_z1 + have_z3 + have_z1c
if (npb > 0) do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 500 * npb, 520))
    set output sprintf("%s/cost-of-overfitting-bound.%s", outdir, fmt)
    eval sprintf("set multiplot layout 1,%d margins %g,0.98,0.2,0.9 spacing %g", npb, 0.18 / npb, 0.21 / npb)
    # (a)
    if (have_z1) {
        set title sprintf("(a) theory: cost vs noise (n = %s, λ_i = i^{-%s}, %s modes)", z1n, z1a, z1M) font ",10"
        set logscale x
        set xrange [8e-4:12]
        set yrange [0.98:E0 + 0.3]
        set xlabel "label-noise variance σ^2"
        set ylabel "cost of overfitting  C = R(0) / min_δ R(δ)"
        set key top left vertical maxrows 6 font ",9"
        plot for [i=1:4] z1 using ($1==word(betas,i)+0 && $2>0 ? $2 : 1/0):7 with lines lt i title sprintf("target β = %s", word(betas,i)), \
             for [i=1:4] z1 using ($1==word(betas,i)+0 && ($2==0.01||$2==0.1||$2==1) ? $2 : 1/0):7 with points lt i pt 7 notitle, \
             z1 using ($1==0 && $2>0 ? $2 : 1/0):7 with lines lc rgb '#999999' lw 7 title "pure noise (v = 0)", \
             E0 with lines dt 2 lc rgb 'black' lw 1.5 title sprintf("Theorem 1: C ≤ E_0 = %.4f", E0)
        unset logscale x
    }
    # (b)
    if (have_z3) {
        set title sprintf("(%s) simulation vs theory: Gaussian design, λ_j = j^{-%s}, %s n features", letter(have_z1 + 1), z3a, z3P) font ",10"
        set xrange [0.5:nz3 + 0.5]
        set yrange [0.95:*]
        set offsets 0, 0, graph 0.1, 0
        set xlabel ""
        set ylabel "cost of overfitting"
        set xtics font ",8" scale 0
        set key top left font ",9"
        plot z3 using ($1-0.3):8:(0.6):(0) with vectors nohead lw 3 lc rgb '#0072B2' title "theory C", \
             z3 using 1:9:10:11:xtic(ilabel($5, $6, $3)) with yerrorbars pt 7 lc rgb '#D55E00' title "simulated C (68% bootstrap)", \
             z3 using ($1-0.4):7:(0.8):(0) with vectors nohead dt 2 lc rgb 'black' title "bound E_0"
        set xtics font ",10" scale default
        set autoscale x
        set offsets 0, 0, 0, 0
    }
    # (c)
    if (have_z1c) {
        set title sprintf("(%s) predicted risk vs ridge, target β = 1.25", letter(have_z1 + have_z3 + 1)) font ",10"
        set logscale xy
        set xrange [1e-8:1e4]
        set yrange [*:*]
        set format x "10^{%L}"
        set xlabel "ridge δ"
        set ylabel "predicted test risk"
        set key top left font ",9"
        plot z1c using 1:4 with lines lt 1 title "σ^2 = 0:  E_0(δ) B(δ)", \
             z1c using 1:5 with lines lt 2 title "σ^2 = 1:  E_0(δ) (B(δ) + 1)", \
             z1c using 1:2 with lines lt 3 dt 2 title "E_0(δ)"
        unset format x
    }
    unset multiplot
    unset output
    unset logscale
}

if (have_z2) do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1200, 500))
    set output sprintf("%s/cost-of-overfitting-regimes.%s", outdir, fmt)
    set multiplot layout 1,2 margins 0.08,0.98,0.13,0.9 spacing 0.09
    names = "power1.5 power2 power3 exp0.1 exp0.2 benign"
    labels = "'λ_i = i^{-1.5}' 'λ_i = i^{-2}' 'λ_i = i^{-3}' 'e^{-0.1 i}' 'e^{-i/5}' '1/(i ln^2 i) (benign)'"
    set logscale xy
    set format x "10^{%L}"
    set xlabel "sample size n"
    set title "(a) ridgeless E_0(n) - 1: lines exact, open circles 1 + n/r_n - 1"
    set ylabel "E_0 - 1"
    set key top left font ",9"
    set xrange [3:2e6]
    set yrange [0.03:300]
    plot for [i=1:6] z2 using (strcol(1) eq word(names,i) ? $3 : 1/0):($4-1) with lines lt i title word(labels,i), \
         for [i=1:6] z2 using (strcol(1) eq word(names,i) ? $3 : 1/0):($5-1) with points lt i pt 6 ps 1.1 notitle
    set title "(b) effective rank R_n / n"
    set ylabel "R_n / n"
    set yrange [0.05:5000]
    set key top left maxrows 4 font ",9"
    plot for [i=1:6] z2 using (strcol(1) eq word(names,i) ? $3 : 1/0):8 with linespoints lt i pt 7 ps 0.6 title word(labels,i), \
         8 with lines dt 3 lc rgb 'gray40' notitle, 3 with lines dt 3 lc rgb 'gray40' notitle, 1.25 with lines dt 3 lc rgb 'gray40' title "(2α-1)/(α-1)^2"
    unset multiplot
    unset output
}

# Figure 3 (-beyond): (a) Z5, the paper's inner-product application n ~ d^l; (b) Z6, the bound
# where Gaussian universality fails.
z5 = datadir.'/z5_inner.tsv'
z6 = datadir.'/z6_universality.tsv'
have_z5 = has(z5); have_z6 = has(z6)
npy = have_z5 + have_z6
if (npy > 0) do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 700 * npy, 540))
    set output sprintf("%s/cost-of-overfitting-beyond.%s", outdir, fmt)
    eval sprintf("set multiplot layout 1,%d margins %g,0.98,0.2,0.88 spacing %g", npy, 0.14 / npy, 0.18 / npy)
    unset logscale
    unset format
    set xtics auto
    set ytics auto
    if (have_z5) {
        dlist = system(sprintf("awk -F'\t' '!/^#/ && $1 ~ /^[0-9]/ && !s[$1]++ {printf \"%%s \", $1}' '%s'", z5))
        nd5 = words(dlist)
        set title "(a) theory: inner-product kernel e^{<x,x'>-1} on S^{d-1}, n from d to d^3\nlines: E_0 - 1 (the worst-case cost - 1); dashed: C - 1 for v_k^2 = N_k λ_k, σ^2 = 0.1; circles: n = N(d,2)" font ",10"
        set logscale y
        set xrange [1:3]
        set xtics 1, 0.25, 3
        set yrange [1e-3:3]
        set format y "10^{%L}"
        set xlabel "ℓ = ln n / ln d"
        set ylabel "E_0 - 1,  C - 1"
        set key top left font ",9"
        plot for [i=1:nd5] z5 using ($1==word(dlist,i)+0 ? $3 : 1/0):($4-1) with lines lt i lw 2 title sprintf("d = %s: E_0 - 1", word(dlist,i)), \
             for [i=1:nd5] z5 using ($1==word(dlist,i)+0 ? $3 : 1/0):($5-1) with lines lt i dt 2 notitle, \
             for [i=1:nd5] z5 using ($1==word(dlist,i)+0 && $2==$9 ? $3 : 1/0):($4-1) with points lt i pt 6 ps 1.6 notitle
        unset logscale y
        unset format y
        set xtics auto
    }
    if (have_z6) {
        nz6 = system(sprintf("awk -F'\t' '!/^#/ && $1 ~ /^[0-9]/ {m = $1} END {print m + 0}' '%s'", z6)) + 0
        set title sprintf("(%s) real domains, where Gaussian universality fails: measured cost vs the bound E_0", letter(have_z5 + 1)) font ",10"
        set xrange [0.5:nz6 + 0.5]
        set logscale y
        set yrange [0.9:20]
        set ytics (1, 1.5, 2, 3, 5, 7, 10, 15)
        set xlabel ""
        set ylabel "cost of overfitting"
        set xtics font ",8" scale 0
        set key top right font ",9"
        dlabel(s, n) = sprintf("%s\nn = %d", s, n)
        plot z6 using ($1-0.4):5:(0.8):(0) with vectors nohead dt 2 lw 2 lc rgb 'black' title "bound E_0 (theory)", \
             z6 using ($1-0.12):6:7:xtic(dlabel(strcol(2), $3)) with yerrorbars pt 7 ps 1.2 lc rgb '#D55E00' title "measured, pure noise (σ^2 = 1)", \
             z6 using ($1+0.05):8:(0.3):(0) with vectors nohead lw 3 lc rgb '#0072B2' title "theory C, target (σ^2 = 0.1)", \
             z6 using ($1+0.2):9:10 with yerrorbars pt 5 ps 1.1 lc rgb '#0072B2' title "measured, target"
        unset logscale y
        set xtics font ",10" scale default
        set autoscale x
    }
    unset multiplot
    unset output
}
