# tempered-overfitting.gp: benign, tempered or catastrophic overfitting in ridgeless KRR.
#   gnuplot -c tempered-overfitting.gp DATADIR OUTDIR
# Writes OUTDIR/tempered-overfitting-{regimes,sphere,universality,torus,noise-profiles,networks}.{png,svg}:
#   regimes         E0 - 1 (excess risk / sigma^2) against n for the three spectral regimes (T1)
#   sphere          Laplace, ReLU NTK and Gaussian kernels on S^4 and S^9, excess against n (T2; Fig. 4 style)
#   universality    excess/theory of the catastrophic kernels: real domain vs a Gaussian design with its spectrum
#   networks        the MNIST MLP noise profile and the S^3 MLP's test MSE along training (T5)
#   torus           prescribed spectra on the torus and the circle by FFTW, with the FFTW checks (T3)
#   noise-profiles  clean test error against the label-flip rate p, sphere and MNIST (T4)
# It draws whatever the run wrote: the default run's tables, or the one series of a user's run
# (excess-<series>.tsv with theory-<series>.tsv, noise-<domain>.tsv).  Each series is labelled
# by the description in its own table header; a figure none of whose tables exist is not
# written, and a panel without tables says "not run in this run".
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator "\t"
set datafile commentschars "#"
f(name) = sprintf("%s/%s", datadir, name)
has(name) = system(sprintf("test -s '%s' && echo 1 || echo 0", f(name))) + 0
# the files of the run matching a glob, as a space-separated list of base names
glob(pat) = system(sprintf("cd '%s' && ls %s 2>/dev/null | tr '\\n' ' '", datadir, pat))
# a table's description: its first header line that is not provenance, up to the first ';'
desc(name) = system(sprintf("awk '/^# / && !/^# (experiment:|table:|claims:|command:|param |libraries:|blas:|dataset:|init:)/ {sub(/^# /, \"\"); sub(/;.*/, \"\"); print; exit}' '%s'", f(name)))
# short legend label: the description cut at its third comma and before any parenthesis
short(name) = system(sprintf("awk '/^# / && !/^# (experiment:|table:|claims:|command:|param |libraries:|blas:|dataset:|init:)/ {sub(/^# /, \"\"); sub(/;.*/, \"\"); sub(/ \\(.*/, \"\"); n = split($0, a, \", \"); print a[1] (n > 1 ? \", \" a[2] : \"\") (n > 2 ? \", \" a[3] : \"\"); exit}' '%s' | sed -E 's/_([0-9]+)/_{\\1}/g; s/ell =/ℓ =/g; s/delta =/δ =/g; s/sqrt2/√2/g; s/lambda_j/λ_j/g'", f(name)))
# theory-<series>.tsv belongs to excess-<series>.tsv; user runs name them the same way
theory_of(ex) = "theory-" . ex[8:strlen(ex)]
notrun(what) = sprintf("%s: not run in this run", what)
red = '#D55E00'; green = '#009E73'; blue1 = '#56B4E9'; blue2 = '#0072B2'; blue3 = '#003F6B'; grey = '#888888'
array PAL[6] = [blue2, red, green, '#CC79A7', '#E69F00', blue3]

# ---- Figure 1: the regimes at a glance ----
des = system(sprintf("cd '%s' && ls excess-design-*.tsv 2>/dev/null | grep -v -e 'excess-design-sphere' -e 'excess-design-torus' | tr '\\n' ' '", datadir))
have_regimes = has('theory-power2.tsv') || words(des) > 0
if (have_regimes) do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1300, 720))
    set output sprintf("%s/tempered-overfitting-regimes.%s", outdir, fmt)
    set title "Ridgeless KRR on pure noise: excess risk / σ^2 = E_0 - 1 (eigenframework lines, Gaussian-design points)"
    set logscale xy
    set xrange [12:90000]
    set yrange [0.01:1000]
    set format y "10^{%T}"
    set format x "10^{%T}"
    set xlabel "training-set size n"
    set ylabel "excess test risk / σ^2   (= E_0 - 1)"
    set key outside right top font ",10"
    unset label
    P = "NaN notitle"
    if (has('theory-power2.tsv')) {
        set label 1 "catastrophic\n{/*0.85 λ_i = e^{-0.1 i}: E_0 - 1 ≈ 0.1 n}" at 300, 150 tc rgb red
        set label 2 "tempered\n{/*0.85 λ_i = i^{-α}: E_0 → α}" at 9000, 4.5 tc rgb blue2
        set label 3 "benign\n{/*0.85 E_0 → 1}" at 12000, 0.045 tc rgb green
        P = P . sprintf(", '%s' u 1:4 w l lw 2 lc rgb blue3 t 'power law α = 3', 2 w l dt 2 lw 1.2 lc rgb blue3 t 'asymptote α - 1'", f('theory-power3.tsv'))
        P = P . sprintf(", '%s' u 1:4 w l lw 2 lc rgb blue2 t 'power law α = 2', 1 w l dt 2 lw 1.2 lc rgb blue2 notitle", f('theory-power2.tsv'))
        P = P . sprintf(", '%s' u 1:4 w l lw 2 lc rgb blue1 t 'power law α = 1.5', 0.5 w l dt 2 lw 1.2 lc rgb blue1 notitle", f('theory-power1.5.tsv'))
        P = P . sprintf(", '%s' u 1:4 w l lw 2 lc rgb red t 'exponential e^{-0.1 i}'", f('theory-exp.tsv'))
        P = P . sprintf(", '%s' u 1:4 w l lw 2 lc rgb green t '1/((i+1) ln^2(i+1))'", f('theory-benign.tsv'))
        P = P . sprintf(", '%s' u 1:4 w l lw 2 dt 3 lc rgb green t 'α = 2 with ridge δ = 0.1'", f('theory-power2-ridge0.1.tsv'))
    }
    do for [i=1:words(des)] {
        ex = word(des, i)
        col = ex eq 'excess-design-power2.tsv' ? blue2 : ex eq 'excess-design-exp.tsv' ? red : ex eq 'excess-design-benign.tsv' ? green : PAL[(i-1)%6+1]
        if (!has('theory-power2.tsv') && has(theory_of(ex))) {
            P = P . sprintf(", '%s' u 1:4 w l lw 2 lc rgb '%s' t 'theory'", f(theory_of(ex)), col)
        } else {
            if (!has('theory-power2.tsv')) { P = P . sprintf(", '%s' u 1:3 w p pt 4 ps 1.4 lc rgb '%s' t 'theory at these n'", f(ex), col) }
        }
        lab = ex eq 'excess-design-power2.tsv' ? 'simulation, j^{-2}' : ex eq 'excess-design-exp.tsv' ? 'simulation, e^{-0.1 j}' : ex eq 'excess-design-benign.tsv' ? 'simulation, benign' : short(ex)
        P = P . sprintf(", '%s' u 1:4:5 w yerrorbars pt 7 ps 1.1 lc rgb '%s' t '%s (mean ± s.e.)'", f(ex), col, lab)
    }
    eval "plot " . P
    unset output
}
unset label
unset format

# ---- Figure 2: kernels on the sphere, S^4 and S^9 ----
sph = glob('excess-sphere-*.tsv')
s10 = glob('excess-sphere10-*.tsv')
if (words(sph) + words(s10) > 0) do for [fmt in "png svg"] {
    two = words(s10) > 0 && words(sph) > 0
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, two ? 1500 : 1000, 700))
    set output sprintf("%s/tempered-overfitting-sphere.%s", outdir, fmt)
    if (two) { set multiplot layout 1,2 margins 0.06,0.98,0.1,0.9 spacing 0.07,0.1 }
    default = has('excess-sphere-laplace.tsv') && has('excess-sphere-gaussian.tsv')
    do for [panel=1:2] {
        set_ = panel == 1 ? sph : s10
        if (words(set_) == 0) { continue }
        if (panel == 1) {
            set title (default ? "(a) S^4 (d = 5), pure-noise labels (σ^2 = 1): Laplace and ReLU NTK tempered, Gaussian catastrophic" : "Kernel regression on the sphere with pure-noise labels: excess against n") font ",11"
        } else {
            set title "(b) S^9 (d = 10): the same kernels; the tempered level σ^2/(d-1) is lower" font ",11"
        }
        set logscale xy
        set autoscale
        set xrange [24:*]
        set yrange [*:*]
        set format x "%g"
        set format y "%g"
        set xlabel "training-set size n"
        set ylabel "clean excess test MSE  E_x[f̂(x)^2]"
        if (panel == 1) { set key inside bottom left font ",9" } else { set key inside top left font ",9" }
        P = "NaN notitle"
        if (panel == 1 && default) { P = P . ", 0.25 w l dt 3 lw 1.5 lc rgb grey t 'σ^2/(d-1) = 0.25: Laplace and NTK limit'" }
        if (panel == 2) { P = P . ", 1.0/9 w l dt 3 lw 1.5 lc rgb grey t 'σ^2/(d-1) = 1/9: Laplace limit'" }
        do for [i=1:words(set_)] {
            ex = word(set_, i)
            col = ex eq 'excess-sphere-laplace.tsv' || ex eq 'excess-sphere10-laplace.tsv' ? blue2 : ex eq 'excess-sphere-gaussian.tsv' || ex eq 'excess-sphere10-gaussian.tsv' ? red : ex eq 'excess-sphere-gaussian-ridge.tsv' ? green : ex eq 'excess-sphere-ntk1b.tsv' ? '#CC79A7' : PAL[(i-1)%6+1]
            th = ex eq 'excess-sphere-gaussian-ridge.tsv' ? 'theory-sphere-gaussian-ridge0.1.tsv' : theory_of(ex)
            # the ridgeless Gaussian is heavy-tailed: medians and quartiles; the others means
            heavy = ex eq 'excess-sphere-gaussian.tsv' || ex eq 'excess-sphere10-gaussian.tsv'
            lab = ex eq 'excess-sphere10-laplace.tsv' ? 'S^9, laplace ℓ = 1, ridgeless' : ex eq 'excess-sphere10-gaussian.tsv' ? 'S^9, gaussian ℓ = 1/√2, ridgeless' : short(ex)
            if (has(th)) {
                P = P . sprintf(", '%s' u 1:4 w l lw 2 lc rgb '%s' t '%s: theory (E_0 - 1)σ^2'", f(th), col, lab)
            } else {
                P = P . sprintf(", '%s' u 1:3 w p pt 4 ps 1.4 lc rgb '%s' t '%s: theory at these n'", f(ex), col, lab)
            }
            if (heavy) {
                P = P . sprintf(", '%s' u 1:6:7:8 w yerrorbars pt 5 lc rgb '%s' t '%s: median, 25-75%%'", f(ex), col, lab)
            } else {
                P = P . sprintf(", '%s' u 1:4:5 w yerrorbars pt 7 lc rgb '%s' t '%s: mean ± s.e.'", f(ex), col, lab)
            }
        }
        eval "plot " . P
    }
    if (two) { unset multiplot }
    unset output
}
unset label

# ---- Figure 2b: the catastrophic regime, real domain vs a Gaussian design with the same spectrum ----
if (has('excess-design-sphere-gaussian.tsv') || has('excess-design-torus-heat.tsv')) do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1000, 650))
    set output sprintf("%s/tempered-overfitting-universality.%s", outdir, fmt)
    set title "Catastrophic kernels: measured excess / eigenframework theory.\nGaussian design with the exact spectrum (open) follows the theory; the real domain (filled) does not" font ",11"
    set logscale x
    unset logscale y
    set xrange [24:2600]
    set yrange [0.6:2.6]
    set format x "%g"
    set format y "%g"
    set xlabel "training-set size n"
    set ylabel "excess / theory (E_0 - 1)σ^2"
    set key inside top left font ",10"
    P = "1 w l dt 3 lw 1.5 lc rgb grey t 'theory'"
    if (has('excess-sphere-gaussian.tsv')) { P = P . sprintf(", '%s' u 1:($6/$3) w lp pt 5 lw 2 lc rgb red t 'S^4 Gaussian kernel, real sphere (median)'", f('excess-sphere-gaussian.tsv')) }
    if (has('excess-design-sphere-gaussian.tsv')) { P = P . sprintf(", '%s' u 1:($4/$3):($5/$3) w yerrorlines pt 4 dt 2 lw 2 lc rgb red t 'same spectrum, Gaussian design (mean ± s.e.)'", f('excess-design-sphere-gaussian.tsv')) }
    if (has('excess-torus-heat.tsv')) { P = P . sprintf(", '%s' u 1:($4/$3):($5/$3) w yerrorlines pt 7 lw 2 lc rgb blue2 t 'T^4 heat kernel, real torus (mean ± s.e.)'", f('excess-torus-heat.tsv')) }
    if (has('excess-design-torus-heat.tsv')) { P = P . sprintf(", '%s' u 1:($4/$3):($5/$3) w yerrorlines pt 6 dt 2 lw 2 lc rgb blue2 t 'same spectrum, Gaussian design (mean ± s.e.)'", f('excess-design-torus-heat.tsv')) }
    if (has('excess-sphere10-gaussian.tsv')) { P = P . sprintf(", '%s' u 1:($6/$3) w lp pt 9 lw 1.5 lc rgb '#E69F00' t 'S^9 Gaussian kernel, real sphere (median)'", f('excess-sphere10-gaussian.tsv')) }
    eval "plot " . P
    unset output
}

# ---- Figure 3: prescribed spectra on the torus and circle (FFTW) ----
tor = glob('excess-torus-*.tsv')
cir = glob('excess-circle-*.tsv')
spc = glob('spectrum-*.tsv')
if (words(tor) + words(cir) + words(spc) > 0) do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1200, 900))
    set output sprintf("%s/tempered-overfitting-torus.%s", outdir, fmt)
    set multiplot layout 2,2 margins 0.07,0.98,0.07,0.94 spacing 0.09,0.12
    # (a) torus
    set title "(a) torus: kernels built from a spectrum (exact held-out excess)"
    set logscale x
    unset logscale y
    set xrange [40:3500]
    set yrange [0:*]
    set format x "%g"
    set format y "%g"
    set xlabel "training-set size n"
    set ylabel "excess test risk / σ^2"
    set key inside top left
    if (words(tor) > 0) {
        P = "NaN notitle"
        do for [i=1:words(tor)] {
            ex = word(tor, i)
            col = ex eq 'excess-torus-heat.tsv' ? red : ex eq 'excess-torus-sobolev.tsv' ? blue2 : PAL[(i-1)%6+1]
            if (has(theory_of(ex))) {
                P = P . sprintf(", '%s' u 1:4 w l lw 2 lc rgb '%s' t '%s: theory'", f(theory_of(ex)), col, short(ex))
            } else {
                P = P . sprintf(", '%s' u 1:3 w p pt 4 ps 1.4 lc rgb '%s' t '%s: theory at these n'", f(ex), col, short(ex))
            }
            P = P . sprintf(", '%s' u 1:4:5 w yerrorbars pt 7 lc rgb '%s' t 'mean ± s.e.'", f(ex), col)
        }
        eval "plot " . P
    } else {
        set label 1 notrun("torus series") at graph 0.5, graph 0.5 center
        plot [40:3500] [0:1] NaN notitle
        unset label 1
    }
    # (b) circle
    set title "(b) circle: the theory is wrong in 1-D (noise interpolated linearly: 2/3)"
    set yrange [0:1.4]
    set key inside bottom right
    if (words(cir) > 0) {
        P = "2.0/3 w l dt 3 lw 2 lc rgb grey t '2/3: 1-D linear interpolation of noise'"
        do for [i=1:words(cir)] {
            ex = word(cir, i)
            if (has(theory_of(ex))) {
                P = P . sprintf(", '%s' u 1:4 w l lw 2 lc rgb blue2 t '%s: theory E_0 - 1'", f(theory_of(ex)), short(ex))
            } else {
                P = P . sprintf(", '%s' u 1:3 w p pt 4 ps 1.4 lc rgb blue2 t '%s: theory at these n'", f(ex), short(ex))
            }
            P = P . sprintf(", '%s' u 1:4:5 w yerrorbars pt 7 lc rgb blue2 t 'experiment: mean ± s.e.'", f(ex))
        }
        eval "plot " . P
    } else {
        set label 1 notrun("circle series") at graph 0.5, graph 0.5 center
        plot NaN notitle
        unset label 1
    }
    # (c) spectra: prescribed vs recovered by the forward transform.  Recovered values below
    # 1e-14 (of a spectrum normalised to sum 1) are round-off of the transform, not data: they
    # are not drawn; the dotted line marks double precision, 2.2e-16.
    set title "(c) FFTW check: prescribed λ(m) (lines), recovered r2c(k)/N (points, above round-off)"
    set logscale xy
    set xrange [0.8:60000]
    set yrange [1e-20:1]
    set format y "10^{%T}"
    set format x "%g"
    set xlabel "|m| (signed frequency norm)"
    set ylabel "λ(m)"
    set key inside bottom left
    if (words(spc) > 0) {
        P = "2.2e-16 w l dt 3 lw 1.5 lc rgb grey t 'double-precision ε (round-off level)'"
        do for [i=1:words(spc)] {
            sp = word(spc, i)
            col = sp eq 'spectrum-torus-sobolev.tsv' ? blue2 : sp eq 'spectrum-torus-heat.tsv' ? red : sp eq 'spectrum-circle-sobolev.tsv' ? green : PAL[(i-1)%6+1]
            lab = sp[10:strlen(sp)-4]
            P = P . sprintf(", '%s' u ($1 > 0 ? $1 : NaN):3 w l lw 2 lc rgb '%s' t '%s'", f(sp), col, lab)
            P = P . sprintf(", '%s' u ($1 > 0 && $3 > 1e-14 ? $1 : NaN):4 every 4 w p pt 6 ps 0.6 lc rgb '%s' notitle", f(sp), col)
        }
        eval "plot " . P
    } else {
        set label 1 notrun("FFTW spectra") at graph 0.5, graph 0.5 center
        plot NaN notitle
        unset label 1
    }
    # (d) circle kernel table vs closed form
    set title "(d) circle: FFTW kernel table vs cosh(π - |θ|)/cosh π"
    unset logscale xy
    set xrange [0:pi]
    set yrange [0:1.05]
    set format y "%g"
    set xlabel "θ"
    set ylabel "k(θ) = K(0, θ)"
    set key inside top right
    if (has('kernel-circle.tsv')) {
        plot f('kernel-circle.tsv') u 1:3 w l lw 2 lc rgb grey t "closed form (infinite sum)", \
             '' u 1:2 every 8 w p pt 7 ps 0.6 lc rgb blue2 t "FFTW table"
    } else {
        set label 1 notrun("circle kernel table") at graph 0.5, graph 0.5 center
        plot NaN notitle
        unset label 1
    }
    unset multiplot
    unset output
}

# ---- Figure 4: noise profiles ----
have_sph = has('noise-sphere.tsv'); have_mn = has('noise-mnist.tsv')
if (have_sph || have_mn) do for [fmt in "png svg"] {
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
    set key inside top left
    do for [panel=1:2] {
        file = panel == 1 ? 'noise-sphere.tsv' : 'noise-mnist.tsv'
        if (!has(file)) {
            set title panel == 1 ? "(a) sphere" : "(b) MNIST even vs odd"
            set label 1 notrun(panel == 1 ? "sphere noise profile" : "MNIST noise profile") at graph 0.5, graph 0.5 center
            plot NaN notitle
            unset label 1
            continue
        }
        nlist = system(sprintf("awk -F'\t' '!/^#/ && $1 == \"krr_ridgeless\" && !s[$2]++ {printf \"%%s \", $2}' '%s'", f(file)))
        rid = system(sprintf("awk '/ridge method delta = / {sub(/.*ridge method delta = /, \"\"); sub(/;.*/, \"\"); print; exit}' '%s'", f(file)))
        set title sprintf("(%s) %s", panel == 1 ? "a" : "b", desc(file)) font ",10"
        sel(m, n) = (strcol(1) eq m && $2 == n)
        P = "NaN notitle"
        do for [k=1:words(nlist)] {
            nn = word(nlist, k) + 0
            P = P . sprintf(", '%s' u 3:(sel('krr_ridgeless', %d) ? $4 : NaN):5 w yerrorlines lw 2 pt 7 lc %d t 'KRR ridgeless, n = %d'", f(file), nn, k, nn)
            P = P . sprintf(", '%s' u 3:(sel('krr_ridge', %d) ? $4 : NaN):5 w yerrorlines lw 2 dt 2 pt 5 lc %d t 'KRR δ = %s, n = %d'", f(file), nn, k, rid, nn)
            P = P . sprintf(", '%s' u 3:(sel('nn1', %d) ? $4 : NaN):5 w yerrorlines lw 2 dt 3 pt 9 lc %d t '1-NN, n = %d'", f(file), nn, k, nn)
            P = P . sprintf(", '%s' u 3:(sel('nn1', %d) ? $7 : NaN) w l lw 1 lc rgb grey t '%s'", f(file), nn, k == 1 ? "1-NN formula e_0 + p(1 - 2e_0)" : "")
        }
        if (panel == 2 && has('noise-mnist-gaussian.tsv')) {
            P = P . sprintf(", '%s' u 3:(sel('krr_ridgeless', 1000) ? $4 : NaN):5 w yerrorlines lw 2 pt 13 lc rgb '#CC79A7' t 'Gaussian-kernel KRR ridgeless, n = 1000'", f('noise-mnist-gaussian.tsv'))
        }
        eval "plot " . P
    }
    unset multiplot
    unset output
}

# ---- Figure 5: networks (CPU-scale analogues of the paper's Fig. 3 and Fig. 8) ----
have_mlp = has('mlp-mnist.tsv'); have_es = has('mlp-sphere-curves.tsv')
if (have_mlp || have_es) do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1300, 600))
    set output sprintf("%s/tempered-overfitting-networks.%s", outdir, fmt)
    set multiplot layout 1,2 margins 0.06,0.98,0.12,0.86 spacing 0.08,0.1
    set label 99 "Networks trained to interpolation (CPU-scale analogues of the paper MLP and WideResNet runs)" at screen 0.5, 0.96 center font ",13"
    # (a) MNIST noise profile of the interpolating MLP
    unset logscale xy
    set xrange [-0.01:0.41]
    set yrange [0:0.85]
    set format x "%g"
    set format y "%g"
    set xlabel "label-flip probability p"
    set ylabel "clean test error"
    set key inside top left font ",9"
    set title "(a) binary MNIST, 14x14 images: MLP interpolating flipped labels" font ",11"
    if (have_mlp) {
        nlist = system(sprintf("awk -F'\t' '!/^#/ && $1 ~ /^[0-9]/ && !s[$1]++ {printf \"%%s \", $1}' '%s'", f('mlp-mnist.tsv')))
        sel1(n) = ($1 == n)
        P = "0.5 w l dt 4 lw 1 lc rgb grey t 'chance (catastrophic)'"
        do for [k=1:words(nlist)] {
            nn = word(nlist, k) + 0
            P = P . sprintf(", '%s' u 2:(sel1(%d) ? $3 : NaN) w lp lw 2.5 pt 7 lc %d t 'MLP, n = %d'", f('mlp-mnist.tsv'), nn, k, nn)
            P = P . sprintf(", '%s' u 2:(sel1(%d) ? $5 : NaN) w lp lw 1.5 dt 2 pt 5 lc %d t 'Laplace KRR ridgeless, n = %d'", f('mlp-mnist.tsv'), nn, k, nn)
            P = P . sprintf(", '%s' u 2:(sel1(%d) ? $6 : NaN) w lp lw 1.5 dt 3 pt 9 lc %d t '1-NN, n = %d'", f('mlp-mnist.tsv'), nn, k, nn)
            P = P . sprintf(", '%s' u 2:(sel1(%d) ? $7 : NaN) w l lw 1 lc rgb grey t '%s'", f('mlp-mnist.tsv'), nn, k == 1 ? "1-NN line through the MLP e_0: e_0 + p(1 - 2e_0)" : "")
        }
        eval "plot " . P
    } else {
        set label 1 notrun("MNIST MLP") at graph 0.5, graph 0.5 center
        plot NaN notitle
        unset label 1
    }
    # (b) S^3: test MSE along training
    set title "(b) S^3, y = 1 + N(0,1): early stopping is benign, interpolation tempered" font ",11"
    set logscale x
    set xrange [4:*]
    set yrange [0:3]
    set xlabel "training step"
    set ylabel "MSE (test: against fresh noisy labels)"
    set key inside top left font ",9"
    if (have_es) {
        nlist = system(sprintf("awk -F'\t' '!/^#/ && $1 ~ /^[0-9]/ && !s[$1]++ {printf \"%%s \", $1}' '%s'", f('mlp-sphere-curves.tsv')))
        P = "1 w l dt 3 lw 1.5 lc rgb grey t 'noise floor σ^2 = 1 (Bayes)'"
        do for [k=1:words(nlist)] {
            nn = word(nlist, k) + 0
            P = P . sprintf(", '%s' u ($2 > 0 && $1 == %d ? $2 : NaN):4 w l lw 2.5 lc %d t 'test, n = %d'", f('mlp-sphere-curves.tsv'), nn, k, nn)
            P = P . sprintf(", '%s' u ($2 > 0 && $1 == %d ? $2 : NaN):3 w l lw 1.5 dt 2 lc %d t 'train, n = %d'", f('mlp-sphere-curves.tsv'), nn, k, nn)
            P = P . sprintf(", '%s' u ($2 > 0 && $1 == %d ? $2 : NaN):5 w l lw 1 dt 4 lc %d t '%s'", f('mlp-sphere-curves.tsv'), nn, k, sprintf("NTK ridgeless 1 + (E_0 - 1)σ^2, n = %d", nn))
        }
        eval "plot " . P
    } else {
        set label 1 notrun("S^3 MLP") at graph 0.5, graph 0.5 center
        plot NaN notitle
        unset label 1
    }
    unset label 99
    unset multiplot
    unset output
}
