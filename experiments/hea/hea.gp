# hea.gp: gnuplot -c hea.gp DATADIR OUTDIR
# Figure 1 (hea-eigenstructure): HEA vs empirical kernel eigenvalues, rank by rank, coloured by
# monomial degree.  Figure 2 (hea-learning-curves): (a) Hermite-monomial targets on Gaussian
# data, (b) MNIST even/odd, (c) predicted vs empirical sample complexity n_lrn.
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator "\t"
eig = datadir.'/h1_eig.tsv'
array DC[5] = ['#D62728', '#FF7F0E', '#E6B800', '#2CA02C', '#1F77B4']
array DN[5] = ['0 (constant)', '1 (linear)', '2 (quadratic)', '3 (cubic)', '4 (quartic)']
array ST[3] = ['gauss_e3_w6', 'gauss_e2_w4', 'mnist_w4']
array STT[3] = ['(a) Gaussian data, e = 3, gaussian kernel w = 6', '(b) Gaussian data, e = 2, gaussian kernel w = 4', '(c) MNIST, gaussian kernel w = 4']

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 520))
    set output sprintf("%s/hea-eigenstructure.%s", outdir, fmt)
    set multiplot layout 1,3 margins 0.05,0.99,0.13,0.9 spacing 0.05
    set logscale xy
    set xrange [1e-8:2]
    set yrange [1e-8:2]
    set size ratio -1
    set format x "10^{%L}"
    set format y "10^{%L}"
    set xlabel "empirical eigenvalue  eig(K/N)"
    set ylabel "HEA eigenvalue  c_{|α|} Π_a γ_a^{α_a}"
    set key bottom right title "degree |α|" font ",9"
    do for [s=1:3] {
        set title STT[s] font ",11"
        plot x with lines lc rgb 'gray60' lw 1 notitle, \
             for [g=0:4] eig using (strcol(1) eq ST[s] && $5 == g ? $3 : 1/0):4 with points pt 7 ps 0.45 lc rgb DC[g+1] title DN[g+1]
    }
    unset multiplot
    unset output
}

h2t = datadir.'/h2_theory.tsv'
h2e = datadir.'/h2_exp.tsv'
h3t = datadir.'/h3_theory.tsv'
h3e = datadir.'/h3_exp.tsv'
nl = datadir.'/h_nlrn.tsv'
have_h3 = system(sprintf("test -f '%s' && echo 1 || echo 0", h3e)) + 0
array TG[6] = ['z0', 'z10', 'z0^2', 'z0 z1', 'z2 z5', 'z0^3']
array TL[6] = ['z_0', 'z_{10}', 'z_0^2', 'z_0 z_1', 'z_2 z_5', 'z_0^3']
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 500))
    set output sprintf("%s/hea-learning-curves.%s", outdir, fmt)
    set multiplot layout 1,3 margins 0.05,0.99,0.13,0.9 spacing 0.06
    set size noratio
    unset logscale
    set logscale x
    set format x "10^{%L}"
    unset format y
    set xrange [8:3000]
    set yrange [0:1.8]
    set xlabel "training set size n"
    set ylabel "test MSE"
    set title "(a) Hermite monomials on Gaussian data (e = 2, w = 4, δ = 10^{-3})\nlines: HEA theory; points: KRR, ±1 sd over trials" font ",10"
    set key top right font ",9" title ""
    plot for [t=1:6] h2t using (strcol(1) eq TG[t] ? $3 : 1/0):4 with lines lt t title TL[t], \
         for [t=1:6] h2e using (strcol(1) eq TG[t] ? $3 : 1/0):5:6 with yerrorbars lt t pt 7 notitle
    set title "(b) Gaussian kernel @ MNIST, even vs odd (δ = 10^{-3})\nlines: HEA + Gram-Schmidt theory; dotted: floor ε^2; points: KRR ±1 sd" font ",10"
    set xrange [8:4000]
    set yrange [0:1.1]
    if (have_h3) {
        plot for [i=1:2] h3t using ($1 == (i == 1 ? 4 : 2) ? $2 : 1/0):3 with lines lt i title sprintf("w = %d", i == 1 ? 4 : 2), \
             for [i=1:2] h3t using ($1 == (i == 1 ? 4 : 2) ? $2 : 1/0):4 with lines lt i dt 3 lw 1 notitle, \
             for [i=1:2] h3e using ($1 == (i == 1 ? 4 : 2) ? $2 : 1/0):4:5 with yerrorbars lt i pt 7 notitle
    } else {
        set label 1 "MNIST absent (run make data)" at graph 0.5, graph 0.5 center
        plot 1/0 notitle
        unset label 1
    }
    set title "(c) sample complexity: n where test MSE first reaches 0.5" font ",10"
    set logscale xy
    set format y "10^{%L}"
    set xrange [5:5000]
    set yrange [5:5000]
    set size ratio -1
    set xlabel "empirical n_{lrn}"
    set ylabel "predicted n_{lrn}"
    set key top left
    plot x with lines lc rgb 'gray60' notitle, \
         for [g=1:3] nl using (strcol(1) eq "gaussian" && $3 == g && $4 > 0 && $5 > 0 ? $5 : 1/0):4 with points pt 7 ps 1.3 lc rgb DC[g+1] title sprintf("Gaussian data, degree %d", g), \
         nl using (strcol(1) eq "mnist" && $4 > 0 && $5 > 0 ? $5 : 1/0):4 with points pt 5 ps 1.3 lc rgb 'black' title "MNIST even/odd (w = 4, 2)"
    unset multiplot
    unset output
}
