# random-features.gp: gnuplot -c random-features.gp DATADIR OUTDIR
# Figure 1 (-width): test and train MSE vs number of features k (linear-Gaussian; MNIST ReLU RF),
# each with the optimal-ridge envelope (theory line, experiment best-of-ridges points).
# Figure 2 (-data): test MSE vs n at k = 256.  Figure 3 (-fitting-ratio): MNIST fitting ratio
# under label noise, and the optimal fitting ratio R* vs beta (theory).
# Titles, sizes and ridges are read from the run's own tables (the `# param` header lines and the
# rows), so a user's run is drawn as it was run; a table the run did not write leaves its panel
# saying so.
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator "\t"
has(f) = system(sprintf("test -s '%s' && echo 1 || echo 0", f)) + 0
param(f, name) = system(sprintf("awk '/^# param %s = / {print $5; exit}' '%s'", name, f))
# first data value of column c (the table's header row starts with a letter)
first(f, c) = system(sprintf("awk -F'\t' '!/^#/ && $1 ~ /^[0-9]/ {print $%d; exit}' '%s'", c, f))
# the distinct ridges of the rows marked shown (column 10), in order of appearance
shown(f) = system(sprintf("awk -F'\t' '!/^#/ && $10 == 1 && !s[$3]++ {printf \"%%s \", $3}' '%s'", f))
eq(a, b) = abs(a - b) <= 1e-9 * abs(b)
# tics for test-MSE axes, which span less than a decade or two
mse_tics = "set ytics (0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1, 1.5, 2, 3, 4, 5, 7, 10, 15, 20)"
dl(r) = sprintf("δ = %.3g", r + 0)
notrun(what) = sprintf("%s: not run in this run", what)

r1t = datadir.'/r1_theory.tsv'; r1e = datadir.'/r1_exp.tsv'; r1v = datadir.'/r1_env_exp.tsv'
r2t = datadir.'/r2_theory.tsv'; r2e = datadir.'/r2_exp.tsv'; r2v = datadir.'/r2_env_exp.tsv'
r3t = datadir.'/r3_theory.tsv'; r3e = datadir.'/r3_exp.tsv'; r3v = datadir.'/r3_env_exp.tsv'
r4a = datadir.'/r4a_rstar.tsv'; r4c = datadir.'/r4c_fit.tsv'
r4x = datadir.'/r4c_exponents.tsv'; r4s = datadir.'/r4c_shape.tsv'
have_r1 = has(r1e); have_r1t = has(r1t); have_r1v = has(r1v)
have_r2 = has(r2e); have_r2t = has(r2t); have_r2v = has(r2v)
have_r3 = has(r3e); have_r3t = has(r3t); have_r3v = has(r3v)
have_r4a = has(r4a); have_r4c = has(r4c); have_r4x = has(r4x); have_r4s = has(r4s)

if (have_r1) {
    n1 = first(r1e, 1); rid1 = shown(r1e); nr1 = words(rid1)
    a1 = param(r1e, 'alpha'); b1 = param(r1e, 'beta'); e1 = param(r1e, 'noise')
    ntr1 = system(sprintf("awk '/^# R1:/ {for (i = 1; i <= NF; i++) if ($i == \"trials,\") print $(i-1); exit}' '%s'", r1e))
}
if (have_r3) {
    n3 = first(r3e, 1); rid3 = shown(r3e); nr3 = words(rid3); pool3 = param(r3e, 'pool')
}

# panels present: (a, b) when R1 ran, the MNIST panel when R3 ran; a part not run is left out
npw = 2 * have_r1 + have_r3
letter(i) = substr("abcdef", i, i)
if (npw > 0) do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 500 * npw, 500))
    set output sprintf("%s/random-features-width.%s", outdir, fmt)
    eval sprintf("set multiplot layout 1,%d margins %g,0.99,0.13,0.88 spacing %g", npw, 0.15 / npw, 0.18 / npw)
    set logscale xy
    set autoscale yfix
    set offsets 0, 0, graph 0.04, graph 0.04
    set xrange [8:16384]
    set format x "10^{%L}"
    set format y "%g"
    set xlabel "number of random features k"
    if (have_r1) {
        set arrow 1 from n1, graph 0 to n1, graph 1 nohead dt 3 lc rgb 'gray30'
        set title sprintf("(a) linear-Gaussian RF, λ_l = l^{-%s}, v_l^2 = l^{-%s}, n = %s: test MSE", a1, b1, n1)
        set ylabel sprintf("test MSE (noisy labels, ε^2 = %s)", e1)
        set key top right vertical font ",9"
        eval mse_tics
        set offsets 0, 0, graph 0.45, graph 0.04  # headroom: the interpolation peak stays below the key
        plot for [i=1:nr1] (have_r1t ? r1t : r1e) using (have_r1t && strcol(3) eq word(rid1,i) ? $2 : 1/0):5 with lines lt i title dl(word(rid1,i)), \
             (have_r1t ? r1t : r1e) using (have_r1t && strcol(3) eq "opt" ? $2 : 1/0):5 with lines lc rgb 'black' lw 3.5 title "theory, optimal δ", \
             for [i=1:nr1] r1e using ($10==1 && eq($3, word(rid1,i)+0) ? $2 : 1/0):6:7 with yerrorbars lt i pt 7 notitle, \
             (have_r1v ? r1v : r1e) using (have_r1v ? $2 : 1/0):3:4 with yerrorbars pt 6 ps 1.4 lc rgb 'black' title "experiment, best of the ridges run"
        set title sprintf("(b) linear-Gaussian RF, n = %s: train MSE", n1)
        set ylabel "train MSE (noisy labels)"
        set yrange [3e-4:*]
        set offsets 0, 0, graph 0.04, graph 0.04
        set ytics auto
        set key bottom left
        plot for [i=1:nr1] (have_r1t ? r1t : r1e) using (have_r1t && strcol(3) eq word(rid1,i) ? $2 : 1/0):4 with lines lt i title dl(word(rid1,i)), \
             for [i=1:nr1] r1e using ($10==1 && eq($3, word(rid1,i)+0) ? $2 : 1/0):4:5 with yerrorbars lt i pt 7 notitle
        set yrange [*:*]
        unset arrow 1
    }
    if (have_r3) {
        set arrow 1 from n3, graph 0 to n3, graph 1 nohead dt 3 lc rgb 'gray30'
        set title sprintf("(%s) ReLU RF on MNIST even/odd, n = %s: test MSE\ntheory from the NNGP spectrum of a %s-image pool", letter(2 * have_r1 + 1), n3, pool3)
        set ylabel "test MSE (±1 labels)"
        set key top right font ",9"
        eval mse_tics
        plot for [i=1:nr3] (have_r3t ? r3t : r3e) using (have_r3t && eq($2, word(rid3,i)+0) ? $1 : 1/0):4 with lines lt i title dl(word(rid3,i)), \
             (have_r3t ? r3t : r3e) using (have_r3t && strcol(2) eq "opt" ? $1 : 1/0):4 with lines lc rgb 'black' lw 3.5 title "theory, optimal δ", \
             for [i=1:nr3] r3e using ($10==1 && eq($3, word(rid3,i)+0) ? $2 : 1/0):6:7 with yerrorbars lt i pt 7 notitle, \
             (have_r3v ? r3v : r3e) using (have_r3v ? $2 : 1/0):3:4 with yerrorbars pt 6 ps 1.4 lc rgb 'black' title "experiment, best of the ridges run"
        unset arrow 1
    }
    unset multiplot
    unset output
}

if (have_r2) {
    rid2 = shown(r2e); nr2 = words(rid2); k2 = first(r2e, 2); e2 = param(r2e, 'noise')
}
if (have_r2) do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 800, 560))
    set output sprintf("%s/random-features-data.%s", outdir, fmt)
    set logscale xy
    set xrange [30:2200]
    set yrange [*:*]
    set autoscale yfix
    set offsets 0, 0, graph 0.04, graph 0.04
    set format x "10^{%L}"
    set format y "%g"
    set xlabel "number of samples n"
    set ylabel sprintf("test MSE (noisy labels, ε^2 = %s)", e2)
    set title sprintf("linear-Gaussian RF at k = %s: more data never hurts at the optimal ridge", k2)
    set arrow 1 from k2, graph 0 to k2, graph 1 nohead dt 3 lc rgb 'gray30'
    set key top right vertical font ",9"
    eval mse_tics
    plot for [i=1:nr2] (have_r2t ? r2t : r2e) using (have_r2t && strcol(3) eq word(rid2,i) ? $1 : 1/0):5 with lines lt i title dl(word(rid2,i)), \
         (have_r2t ? r2t : r2e) using (have_r2t && strcol(3) eq "opt" ? $1 : 1/0):5 with lines lc rgb 'black' lw 3.5 title "theory, optimal δ", \
         for [i=1:nr2] r2e using ($10==1 && eq($3, word(rid2,i)+0) ? $1 : 1/0):6:7 with yerrorbars lt i pt 7 notitle, \
         (have_r2v ? r2v : r2e) using (have_r2v ? $1 : 1/0):3:4 with yerrorbars pt 6 ps 1.4 lc rgb 'black' title "experiment, best of the ridges run"
    unset arrow 1
    unset output
}

Rst(a, b) = (b < a ? ((a - b) / (b * (a - 1)))**2 : 0)
# the paper's measured Myrtle-CNTK exponents (beta, R*) for CIFAR-10, SVHN, MNIST
$CNTK << EOD
1.14	0.024
1.20	0.006
1.36	0
EOD
if (have_r4c) {
    srel = system(sprintf("awk -F'\t' '!/^#/ && $1 ~ /^[0-9]/ && !s[$1]++ {printf \"%%s \", $1}' '%s'", r4c))
    ns4 = words(srel)
    n4 = system(sprintf("awk '/^# R4c:/ {for (i = 1; i <= NF; i++) if ($i == \"n\") {sub(\",\", \"\", $(i+2)); print $(i+2)}; exit}' '%s'", r4c))
    l4 = param(r4c, 'bandwidth')
}
if (have_r4x) {
    # the fitted exponents and lines from the table's "# fit:" note
    fitted(name) = real(system(sprintf("awk '/^# fitted %s = / {print $5; exit}' '%s'", name, r4x)))
    ahat = fitted("alpha_hat"); bhat = fitted("beta_hat"); ka = fitted("ln_kappa_at_1"); ta = fitted("ln_test0_at_1")
}
npf = have_r4c + have_r4x + 1
if (have_r4a || have_r4c) do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 550 * npf, 520))
    set output sprintf("%s/random-features-fitting-ratio.%s", outdir, fmt)
    eval sprintf("set multiplot layout 1,%d margins %g,0.99,0.13,0.88 spacing %g", npf, 0.15 / npf, 0.18 / npf)
    set offsets 0, 0, 0, 0
    unset logscale
    unset format
    set ytics auto
    set xlabel "fitting ratio R = train MSE / test MSE"
    set ylabel "test MSE / min test MSE"
    set xrange [0:1]
    set yrange [0.98:1.6]
    set key top left font ",9"
    if (have_r4c) {
        set title sprintf("(a) MNIST even/odd, Laplace KRR (l = %s), n = %s: ε^2 = σ_{rel} · base\npoints: experiment; dashed: continuum theory shape-matched with the measured (α, β)", l4, n4) font ",10"
        plot for [i=1:ns4] r4c using ($1==word(srel,i)+0 ? $3 : 1/0):5 with linespoints lt i pt 7 ps 0.5 lw 1 title sprintf("σ_{rel} = %s", word(srel,i)), \
             for [i=1:ns4] r4c using ($1==word(srel,i)+0 && $6==1 ? $3 : 1/0):5 with points lt i pt 3 ps 3 lw 2 notitle, \
             for [i=1:ns4] (have_r4s ? r4s : r4c) using (have_r4s && $1==word(srel,i)+0 && $5==0 ? $3 : 1/0):4 with lines lt i dt 2 lw 2 notitle, \
             for [i=1:ns4] (have_r4s ? r4s : r4c) using (have_r4s && $1==word(srel,i)+0 && $5==1 ? $3 : 1/0):4 with points lt i pt 6 ps 2.2 lw 2 notitle
    }
    if (have_r4x) {
        set title sprintf("(b) the task exponents by the paper's two proxies (ridgeless)\nfitted over 250 ≤ n ≤ 2000: α = %.3f, β = %.3f", ahat, bhat) font ",10"
        set logscale xy
        set xrange [100:2500]
        set yrange [0.04:1.3]
        set format x "%g"
        set format y "%g"
        set ytics (0.05, 0.1, 0.2, 0.5, 1)
        set xlabel "training-set size n (nested subsets)"
        set ylabel "value / value at n = 125"
        set key bottom left font ",9"
        k0 = real(system(sprintf("awk -F'\t' '!/^#/ && $1 ~ /^[0-9]/ {print $2; exit}' '%s'", r4x)))
        t0 = real(system(sprintf("awk -F'\t' '!/^#/ && $1 ~ /^[0-9]/ {print $4; exit}' '%s'", r4x)))
        plot r4x using 1:($2/k0):($3/k0) with yerrorbars pt 7 lc rgb '#0072B2' title "κ̂ = 1/Tr K_n^{-1}", \
             exp(ka) * x**(-ahat) / k0 with lines lc rgb '#0072B2' dt 2 title sprintf("∝ n^{-α}, α = %.3f", ahat), \
             r4x using 1:($4/t0):($5/t0) with yerrorbars pt 5 lc rgb '#D55E00' title "ridgeless test MSE", \
             exp(ta) * x**(1 - bhat) / t0 with lines lc rgb '#D55E00' dt 2 title sprintf("∝ n^{1-β}, β = %.3f", bhat)
        unset format; unset logscale; set ytics auto
    }
    set title sprintf("(%s) theory: optimal fitting ratio R* for λ_i = i^{-α}, v_i^2 = i^{-β}", letter(npf)) font ",10"
    set xlabel "target exponent β"
    set ylabel "R* at the optimal ridge"
    set xrange [1:3.5]
    set yrange [-0.02:0.8]
    set samples 400
    set key top right vertical maxrows 6 font ",9"
    set label 2 "CIFAR-10" at 1.14, Rst(1.17,1.14)+0.05 font ",9"
    set label 3 "SVHN" at 1.2, Rst(1.22,1.20)+0.1 font ",9"
    set label 4 "MNIST (CNTK)" at 1.40, 0.045 font ",9"
    if (have_r4x) {
        set print $MEAS
        print sprintf("%g\t%g", bhat, Rst(ahat, bhat))
        unset print
        plot for [a in "1.5 2 3"] Rst(a+0, x) with lines title sprintf("closed form, α = %s", a), \
             (have_r4a ? r4a : r4c) using (have_r4a ? $2 : 1/0):4 with points pt 6 ps 1.6 lc rgb 'black' title "numerical optimum", \
             $CNTK using 1:2 with points pt 9 ps 1.6 lc rgb '#CC79A7' title "paper's CNTK (CIFAR-10, SVHN, MNIST)", \
             $MEAS using 1:2 with points pt 5 ps 1.8 lc rgb '#009E73' title sprintf("ours: (α, β) = (%.2f, %.2f), MNIST, Laplace", ahat, bhat)
    } else {
        plot for [a in "1.5 2 3"] Rst(a+0, x) with lines title sprintf("closed form, α = %s", a), \
             (have_r4a ? r4a : r4c) using (have_r4a ? $2 : 1/0):4 with points pt 6 ps 1.6 lc rgb 'black' title "numerical optimum", \
             $CNTK using 1:2 with points pt 9 ps 1.6 lc rgb '#CC79A7' title "paper's CNTK (CIFAR-10, SVHN, MNIST)"
    }
    unset label 2; unset label 3; unset label 4; unset label 5
    unset multiplot
    unset output
}
