# random-features.gp: gnuplot -c random-features.gp DATADIR OUTDIR
# Figure 1 (-width): test and train MSE vs number of features k (linear-Gaussian; MNIST ReLU RF).
# Figure 2 (-data): test MSE vs n at k = 256.  Figure 3 (-fitting-ratio): MNIST fitting ratio
# under label noise, and the optimal fitting ratio R* vs beta (theory).
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator "\t"
ridges = "0.001 0.1 1"
rlab = "'δ = 10^{-3}' 'δ = 0.1' 'δ = 1'"
mnridges = "0.01 0.1 1"
mnlab = "'δ = 0.01' 'δ = 0.1' 'δ = 1'"
r1t = datadir.'/r1_theory.tsv'; r1e = datadir.'/r1_exp.tsv'; r1v = datadir.'/r1_env_exp.tsv'
r2t = datadir.'/r2_theory.tsv'; r2e = datadir.'/r2_exp.tsv'; r2v = datadir.'/r2_env_exp.tsv'
r3t = datadir.'/r3_theory.tsv'; r3e = datadir.'/r3_exp.tsv'
have_r2 = system(sprintf("test -f '%s' && echo 1 || echo 0", r2e)) + 0
have_r3 = system(sprintf("test -f '%s' && echo 1 || echo 0", r3e)) + 0
eq(a, b) = abs(a - b) <= 1e-9 * abs(b)

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 480))
    set output sprintf("%s/random-features-width.%s", outdir, fmt)
    set multiplot layout 1,3 margins 0.05,0.99,0.14,0.9 spacing 0.06
    set logscale x
    set xrange [8:8192]
    set format x "10^{%L}"
    set xlabel "number of random features k"
    set arrow 1 from 256, graph 0 to 256, graph 1 nohead dt 3 lc rgb 'gray30'
    set title "(a) linear-Gaussian RF, n = 256: test MSE"
    set ylabel "test MSE (noisy labels, ε^2 = 0.5)"
    set yrange [0.6:7]
    set key top right vertical maxrows 5 font ",9"
    plot for [i=1:3] r1t using (strcol(3) eq word(ridges,i) ? $2 : 1/0):5 with lines lt i title word(rlab,i), \
         r1t using (strcol(3) eq "opt" ? $2 : 1/0):5 with lines lc rgb 'black' lw 3.5 title "theory, optimal δ", \
         for [i=1:3] r1e using ($10==1 && eq($3, word(ridges,i)+0) ? $2 : 1/0):6:7 with yerrorbars lt i pt 7 notitle, \
         r1v using 2:3:4 with yerrorbars pt 6 ps 1.4 lc rgb 'black' title "experiment, best of 6 ridges"
    set title "(b) linear-Gaussian RF, n = 256: train MSE"
    set ylabel "train MSE (noisy labels)"
    set logscale y
    set yrange [1e-3:3]
    set key bottom left
    plot for [i=1:3] r1t using (strcol(3) eq word(ridges,i) ? $2 : 1/0):4 with lines lt i title word(rlab,i), \
         for [i=1:3] r1e using ($10==1 && eq($3, word(ridges,i)+0) ? $2 : 1/0):4:5 with yerrorbars lt i pt 7 notitle
    unset logscale y
    set title "(c) ReLU RF on MNIST even/odd, n = 256: test MSE"
    set ylabel "test MSE (±1 labels)"
    set yrange [0.3:1.6]
    set key top right
    if (have_r3) {
        plot for [i=1:3] r3t using (eq($2, word(mnridges,i)+0) ? $1 : 1/0):4 with lines lt i title word(mnlab,i), \
             for [i=1:3] r3e using (eq($3, word(mnridges,i)+0) ? $2 : 1/0):6:7 with yerrorbars lt i pt 7 notitle
    } else {
        set label 1 "MNIST absent (run make data)" at graph 0.5, graph 0.5 center
        plot 1/0 notitle
        unset label 1
    }
    unset arrow 1
    unset multiplot
    unset output
}

if (have_r2) do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 800, 560))
    set output sprintf("%s/random-features-data.%s", outdir, fmt)
    set logscale x
    set xrange [30:2200]
    set yrange [0.6:7]
    set format x "10^{%L}"
    set xlabel "number of samples n"
    set ylabel "test MSE (noisy labels, ε^2 = 0.5)"
    set title "linear-Gaussian RF at k = 256: more data never hurts at the optimal ridge"
    set arrow 1 from 256, graph 0 to 256, graph 1 nohead dt 3 lc rgb 'gray30'
    set key top right vertical maxrows 5 font ",9"
    plot for [i=1:3] r2t using (strcol(3) eq word(ridges,i) ? $1 : 1/0):5 with lines lt i title word(rlab,i), \
         r2t using (strcol(3) eq "opt" ? $1 : 1/0):5 with lines lc rgb 'black' lw 3.5 title "theory, optimal δ", \
         for [i=1:3] r2e using ($10==1 && eq($3, word(ridges,i)+0) ? $1 : 1/0):6:7 with yerrorbars lt i pt 7 notitle, \
         r2v using 1:3:4 with yerrorbars pt 6 ps 1.4 lc rgb 'black' title "experiment, best of 6 ridges"
    unset arrow 1
    unset output
}

r4a = datadir.'/r4a_rstar.tsv'
r4c = datadir.'/r4c_fit.tsv'
have_r4c = system(sprintf("test -f '%s' && echo 1 || echo 0", r4c)) + 0
Rst(a, b) = (b < a ? ((a - b) / (b * (a - 1)))**2 : 0)
# the paper's measured Myrtle-CNTK exponents (beta, R*) for CIFAR-10, SVHN, MNIST
$CNTK << EOD
1.14	0.024
1.20	0.006
1.36	0
EOD
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1200, 500))
    set output sprintf("%s/random-features-fitting-ratio.%s", outdir, fmt)
    set multiplot layout 1,2 margins 0.07,0.98,0.13,0.9 spacing 0.08
    unset logscale
    unset format
    set title "(a) MNIST even/odd, Laplace KRR, n = 2000: label noise ε^2 = σ_{rel} · base"
    set xlabel "fitting ratio R = train MSE / test MSE"
    set ylabel "test MSE / min test MSE"
    set xrange [0:1]
    set yrange [0.98:1.6]
    set key top left font ",9"
    srel = "0 1 5 50"
    if (have_r4c) {
        plot for [i=1:4] r4c using ($1==word(srel,i)+0 ? $3 : 1/0):5 with linespoints lt i pt 7 ps 0.5 lw 1 title sprintf("σ_{rel} = %s", word(srel,i)), \
             for [i=1:4] r4c using ($1==word(srel,i)+0 && $6==1 ? $3 : 1/0):5 with points lt i pt 3 ps 3 lw 2 notitle
    } else {
        set label 1 "MNIST absent (run make data)" at graph 0.5, graph 0.5 center
        plot 1/0 notitle
        unset label 1
    }
    set title "(b) theory: optimal fitting ratio R* for λ_i = i^{-α}, v_i^2 = i^{-β}"
    set xlabel "target exponent β"
    set ylabel "R* at the optimal ridge"
    set xrange [1:3.5]
    set yrange [-0.02:0.8]
    set samples 400
    set key right center vertical maxrows 5 font ",9"
    set label 2 "CIFAR-10" at 1.14, Rst(1.17,1.14)+0.05 font ",9"
    set label 3 "SVHN" at 1.2, Rst(1.22,1.20)+0.1 font ",9"
    set label 4 "MNIST" at 1.36, Rst(1.12,1.36)+0.03 font ",9"
    plot for [a in "1.5 2 3"] Rst(a+0, x) with lines title sprintf("closed form, α = %s", a), \
         r4a using 2:4 with points pt 6 ps 1.6 lc rgb 'black' title "numerical optimum (eigenframework)", \
         $CNTK using 1:2 with points pt 9 ps 1.6 lc rgb '#CC79A7' title "paper's CNTK exponents (CIFAR-10, SVHN, MNIST)"
    unset label 2; unset label 3; unset label 4
    unset multiplot
    unset output
}
