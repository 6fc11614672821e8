# tempered-overfitting.gp: benign, tempered or catastrophic overfitting in ridgeless KRR.
#   gnuplot -c tempered-overfitting.gp DATADIR OUTDIR
# Writes OUTDIR/tempered-overfitting-{regimes,sphere,torus,noise-profiles}.{png,svg}:
#   regimes         E0 - 1 (excess risk / sigma^2) against n for the three spectral regimes (T1)
#   sphere          Laplace vs Gaussian kernels on S^4, excess against n (T2; paper Fig. 4 style)
#   torus           prescribed spectra on T^4 and the circle by FFTW, with the FFTW checks (T3)
#   noise-profiles  clean test error against the label-flip rate p, S^4 and MNIST (T4)
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator "\t"
set datafile commentschars "#"
f(name) = sprintf("%s/%s", datadir, name)
have_file(name) = system(sprintf("test -f %s && echo 1 || echo 0", f(name))) + 0
red = '#D55E00'; green = '#009E73'; blue1 = '#56B4E9'; blue2 = '#0072B2'; blue3 = '#003F6B'; grey = '#888888'

# ---- Figure 1: the regimes at a glance ----
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1000, 720))
    set output sprintf("%s/tempered-overfitting-regimes.%s", outdir, fmt)
    set title "Ridgeless KRR on pure noise: excess risk / σ^2 = E_0 - 1 (eigenframework lines, Gaussian-design points)"
    set logscale xy
    set xrange [12:90000]
    set yrange [0.01:1000]
    set format y "10^{%T}"
    set format x "10^{%T}"
    set xlabel "training-set size n"
    set ylabel "excess test risk / σ^2   (= E_0 - 1)"
    set key top left
    unset label
    set label 1 "catastrophic\n{/*0.85 λ_i = e^{-0.1 i}: E_0 - 1 ≈ 0.1 n}" at 300, 150 tc rgb red
    set label 2 "tempered\n{/*0.85 λ_i = i^{-α}: E_0 → α}" at 9000, 4.5 tc rgb blue2
    set label 3 "benign\n{/*0.85 E_0 → 1}" at 12000, 0.045 tc rgb green
    plot f('theory-power3.tsv') u 1:4 w l lw 2 lc rgb blue3 t "power law α = 3", \
         2 w l dt 2 lw 1.2 lc rgb blue3 t "asymptote α - 1", \
         f('theory-power2.tsv') u 1:4 w l lw 2 lc rgb blue2 t "power law α = 2", \
         1 w l dt 2 lw 1.2 lc rgb blue2 notitle, \
         f('theory-power1.5.tsv') u 1:4 w l lw 2 lc rgb blue1 t "power law α = 1.5", \
         0.5 w l dt 2 lw 1.2 lc rgb blue1 notitle, \
         f('theory-exp.tsv') u 1:4 w l lw 2 lc rgb red t "exponential e^{-0.1 i}", \
         f('theory-benign.tsv') u 1:4 w l lw 2 lc rgb green t "1/((i+1) ln^2(i+1))", \
         f('theory-power2-ridge0.1.tsv') u 1:4 w l lw 2 dt 3 lc rgb green t "α = 2 with ridge δ = 0.1", \
         f('excess-design-power2.tsv') u 1:4:5 w yerrorbars pt 7 ps 1.1 lc rgb blue2 t "simulation (mean ± s.e.)", \
         f('excess-design-exp.tsv') u 1:4:5 w yerrorbars pt 7 ps 1.1 lc rgb red notitle, \
         f('excess-design-benign.tsv') u 1:4:5 w yerrorbars pt 7 ps 1.1 lc rgb green notitle
    unset output
}
unset label
unset format

# ---- Figure 2: Laplace vs Gaussian on the sphere S^4 ----
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1000, 700))
    set output sprintf("%s/tempered-overfitting-sphere.%s", outdir, fmt)
    set title "Kernel regression on S^4 with pure-noise labels (σ^2 = 1): Laplace tempered, Gaussian catastrophic"
    set logscale xy
    set xrange [24:3000]
    set yrange [0.05:20]
    set format x "%g"
    set format y "%g"
    set xlabel "training-set size n"
    set ylabel "clean excess test MSE  E_x[f̂(x)^2]"
    set key top left
    set label 1 "σ^2/(d-1) = 0.25" at 1200, 0.22 tc rgb grey
    plot f('theory-sphere-laplace.tsv') u 1:4 w l lw 2 lc rgb blue2 t "Laplace ℓ = 1, ridgeless: theory (E_0 - 1)σ^2", \
         f('excess-sphere-laplace.tsv') u 1:4:5 w yerrorbars pt 7 lc rgb blue2 t "Laplace: mean ± s.e.", \
         f('theory-sphere-gaussian.tsv') u 1:4 w l lw 2 lc rgb red t "Gaussian ℓ = 1/√2, ridgeless: theory", \
         f('excess-sphere-gaussian.tsv') u 1:6:7:8 w yerrorbars pt 5 lc rgb red t "Gaussian: median, 25-75%", \
         f('theory-sphere-gaussian-ridge0.1.tsv') u 1:4 w l lw 2 dt 2 lc rgb green t "Gaussian, ridge δ = 0.1: theory", \
         f('excess-sphere-gaussian-ridge.tsv') u 1:4:5 w yerrorbars pt 9 lc rgb green t "Gaussian, δ = 0.1: mean ± s.e.", \
         0.25 w l dt 3 lw 1.5 lc rgb grey notitle
    unset output
}
unset label

# ---- Figure 3: prescribed spectra on the torus and circle (FFTW) ----
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1200, 900))
    set output sprintf("%s/tempered-overfitting-torus.%s", outdir, fmt)
    set multiplot layout 2,2 margins 0.07,0.98,0.07,0.94 spacing 0.09,0.12
    # (a) T^4
    set title "(a) T^4 = Z_{32}^4: kernels built from a spectrum (exact held-out excess)"
    set logscale x
    unset logscale y
    set xrange [40:3500]
    set yrange [0:2.6]
    set format x "%g"
    set format y "%g"
    set xlabel "training-set size n"
    set ylabel "excess test risk / σ^2"
    set key top left
    plot f('theory-torus-sobolev.tsv') u 1:4 w l lw 2 lc rgb blue2 t "Sobolev s = 4 (α = 2): theory", \
         f('excess-torus-sobolev.tsv') u 1:4:5 w yerrorbars pt 7 lc rgb blue2 t "Sobolev: mean ± s.e.", \
         1 w l dt 2 lw 1.2 lc rgb blue2 t "asymptote α - 1 = 1", \
         f('theory-torus-heat.tsv') u 1:4 w l lw 2 lc rgb red t "heat t = 2: theory", \
         f('excess-torus-heat.tsv') u 1:4:5 w yerrorbars pt 5 lc rgb red t "heat: mean ± s.e."
    # (b) circle
    set title "(b) circle Z_{65536}, Sobolev s = 1 (α = 2): theory is wrong in 1-D"
    set yrange [0:1.4]
    set key bottom right
    plot f('theory-circle-sobolev.tsv') u 1:4 w l lw 2 lc rgb blue2 t "theory E_0 - 1", \
         f('excess-circle-sobolev.tsv') u 1:4:5 w yerrorbars pt 7 lc rgb blue2 t "experiment: mean ± s.e.", \
         2.0/3 w l dt 3 lw 2 lc rgb grey t "2/3: 1-D linear interpolation of noise"
    # (c) spectra: prescribed vs recovered by the forward transform
    set title "(c) FFTW check: prescribed λ(m) (lines), recovered r2c(k)/N (points)"
    set logscale xy
    set xrange [0.8:60000]
    set yrange [1e-20:1]
    set format y "10^{%T}"
    set format x "%g"
    set xlabel "|m| (signed frequency norm)"
    set ylabel "λ(m)"
    set key bottom left
    plot f('spectrum-torus-sobolev.tsv') u ($1 > 0 ? $1 : NaN):3 w l lw 2 lc rgb blue2 t "T^4 Sobolev s = 4", \
         '' u ($1 > 0 ? $1 : NaN):4 every 4 w p pt 6 ps 0.6 lc rgb blue2 notitle, \
         f('spectrum-torus-heat.tsv') u ($1 > 0 ? $1 : NaN):3 w l lw 2 lc rgb red t "T^4 heat t = 2", \
         '' u ($1 > 0 ? $1 : NaN):4 every 4 w p pt 6 ps 0.6 lc rgb red notitle, \
         f('spectrum-circle-sobolev.tsv') u ($1 > 0 ? $1 : NaN):3 w l lw 2 lc rgb green t "circle Sobolev s = 1", \
         '' u ($1 > 0 ? $1 : NaN):4 every 8 w p pt 6 ps 0.6 lc rgb green notitle
    # (d) circle kernel table vs closed form
    set title "(d) circle: FFTW kernel table vs cosh(π - |θ|)/cosh π"
    unset logscale xy
    set xrange [0:pi]
    set yrange [0:1.05]
    set format y "%g"
    set xlabel "θ"
    set ylabel "k(θ) = K(0, θ)"
    set key top right
    plot f('kernel-circle.tsv') u 1:3 w l lw 2 lc rgb grey t "closed form (infinite sum)", \
         '' u 1:2 every 8 w p pt 7 ps 0.6 lc rgb blue2 t "FFTW table, G = 65536"
    unset multiplot
    unset output
}

# ---- Figure 4: noise profiles ----
have_mnist = have_file('noise-mnist.tsv')
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1200, 560))
    set output sprintf("%s/tempered-overfitting-noise-profiles.%s", outdir, fmt)
    set multiplot layout 1,2 margins 0.07,0.98,0.12,0.9 spacing 0.08,0.1
    unset logscale xy
    set xrange [-0.01:0.41]
    set yrange [0:0.5]
    set format x "%g"
    set format y "%g"
    set xlabel "label-flip probability p"
    set ylabel "clean test error"
    set key top left
    do for [panel=1:2] {
        file = panel == 1 ? 'noise-sphere.tsv' : 'noise-mnist.tsv'
        if (panel == 2 && !have_mnist) {
            set title "(b) MNIST even vs odd: data absent (run make data)"
            plot NaN notitle
            continue
        }
        n1 = panel == 1 ? 500 : 1000
        n2 = panel == 1 ? 2000 : 4000
        rid = panel == 1 ? "30" : "3"
        set title panel == 1 ? "(a) S^4, target sign(x_1), Laplace ℓ = 1" : "(b) MNIST even vs odd, Laplace ℓ = 28"
        sel(m, n) = (strcol(1) eq m && $2 == n)
        plot for [k=1:2] f(file) u 3:(sel("krr_ridgeless", k == 1 ? n1 : n2) ? $4 : NaN):5 w yerrorlines lw 2 pt 7 lc k t sprintf("KRR ridgeless, n = %d", k == 1 ? n1 : n2), \
             for [k=1:2] f(file) u 3:(sel("krr_ridge", k == 1 ? n1 : n2) ? $4 : NaN):5 w yerrorlines lw 2 dt 2 pt 5 lc k t sprintf("KRR δ = %s, n = %d", rid, k == 1 ? n1 : n2), \
             for [k=1:2] f(file) u 3:(sel("nn1", k == 1 ? n1 : n2) ? $4 : NaN):5 w yerrorlines lw 2 dt 3 pt 9 lc k t sprintf("1-NN, n = %d", k == 1 ? n1 : n2), \
             for [k=1:2] f(file) u 3:(sel("nn1", k == 1 ? n1 : n2) ? $7 : NaN) w l lw 1 lc rgb grey t (k == 1 ? "1-NN formula e_0 + p(1 - 2e_0)" : ""), \
             for [m in "krr_ridgeless krr_ridge nn1"] for [k=1:2] f(file) u 3:(sel(m, k == 1 ? n1 : n2) ? ($7 - $3)/(1 - 2*$3) : NaN) w l lw 0.8 dt 4 lc k t (m eq "nn1" && k == 2 ? "benign reference: the p = 0 error" : "")
    }
    unset multiplot
    unset output
}
