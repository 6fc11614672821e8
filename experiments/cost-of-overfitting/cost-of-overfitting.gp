# cost-of-overfitting.gp: gnuplot -c cost-of-overfitting.gp DATADIR OUTDIR
# Figure 1 (-bound): (a) theory C vs sigma^2 with the Theorem 1 bound E0; (b) simulation vs theory;
# (c) R(delta) for beta = 1.25.  Figure 2 (-regimes): E0(n) - 1 and R_n/n.
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
z1 = datadir.'/z1_cost.tsv'
z1c = datadir.'/z1_curves.tsv'
z2 = datadir.'/z2_regimes.tsv'
z3 = datadir.'/z3_sim.tsv'
set datafile separator "\t"
set datafile commentschars "#"
# E0 of the Z1 instance (first data row, column 3)
stats z1 using 3 every ::1::1 nooutput
E0 = STATS_max
betas = "1.25 1.5 2 2.5"

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 480))
    set output sprintf("%s/cost-of-overfitting-bound.%s", outdir, fmt)
    set multiplot layout 1,3 margins 0.06,0.98,0.14,0.9 spacing 0.07
    # (a)
    set title "(a) theory: cost vs label noise (n = 1000, λ_i = i^{-1.5}, M = 2·10^5)"
    set logscale x
    set xrange [8e-4:12]
    set yrange [0.98:1.8]
    set xlabel "label-noise variance σ^2"
    set ylabel "cost of overfitting  C = R(0) / min_δ R(δ)"
    set key top left maxrows 3 width -3 font ",9"
    plot for [i=1:4] z1 using ($1==word(betas,i)+0 && $2>0 ? $2 : 1/0):7 with lines lt i title sprintf("target β = %s", word(betas,i)), \
         for [i=1:4] z1 using ($1==word(betas,i)+0 && ($2==0.01||$2==0.1||$2==1) ? $2 : 1/0):7 with points lt i pt 7 notitle, \
         z1 using ($1==0 && $2>0 ? $2 : 1/0):7 with lines lc rgb '#999999' lw 7 title "pure noise (v = 0)", \
         E0 with lines dt 2 lc rgb 'black' lw 1.5 title sprintf("Theorem 1: C ≤ E_0 = %.4f", E0)
    # (b)
    set title "(b) Gaussian-design simulation vs theory"
    unset logscale x
    set xrange [0.5:7.5]
    set yrange [0.95:1.6]
    set xlabel "instance"
    set ylabel "cost of overfitting"
    set xtics rotate by 30 right font ",9" noenhanced
    set key top left
    plot z3 using ($1-0.3):8:(0.6):(0) with vectors nohead lw 3 lc rgb '#0072B2' title "theory C", \
         z3 using 1:9:10:11:xtic(sprintf("%s n=%d", strcol(2), $3)) with yerrorbars pt 7 lc rgb '#D55E00' title "empirical (68% bootstrap)", \
         z3 using ($1-0.4):7:(0.8):(0) with vectors nohead dt 2 lc rgb 'black' title "bound E_0"
    set xtics norotate font ",10" enhanced
    # (c)
    set title "(c) predicted risk vs ridge, target β = 1.25"
    set logscale xy
    set xrange [1e-8:1e4]
    set yrange [*:*]
    set format x "10^{%L}"
    set xlabel "ridge δ"
    set ylabel "predicted test risk"
    set key top left
    plot z1c using 1:4 with lines lt 1 title "σ^2 = 0:  E_0(δ) B(δ)", \
         z1c using 1:5 with lines lt 2 title "σ^2 = 1:  E_0(δ) (B(δ) + 1)", \
         z1c using 1:2 with lines lt 3 dt 2 title "E_0(δ)"
    unset format x
    unset multiplot
    unset output
    unset logscale
}

do for [fmt in "png svg"] {
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
