# reverse-ntk.gp: gnuplot -c reverse-ntk.gp DATADIR OUTDIR
# reverse-ntk.png: the paper's Figure 1 layout.  One panel per target the run drew: target kernel
# (thick light line), the engineered 1HL kernel (thin dark line; equal to the quadrature),
# finite-width Monte Carlo (points, +-1 exact SE).  Last panel: the engineered activations.
# reverse-ntk-data.png: (a) MNIST accuracy against depth (split 1), with the shallow mimic;
# (b) the mimic's MSE against its polynomial degree, mean +- SE over the splits; (c) convergence:
# the distance of the mimic's predictions from the target's against the fit error, with the
# first-order (slope 1) line; (d) NTK mode, the 1HL NTK matched to the 4HL ReLU NTK.
# Titles and labels come from the run's own "# param" and "# panel" header lines; a part the run
# did not ask for is drawn as "not run in this run".
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator tab
set datafile commentschars '#'

kf = datadir.'/kernels.tsv'
mf = datadir.'/mc.tsv'
af = datadir.'/activations.tsv'
df = datadir.'/mnist_depth.tsv'
mm = datadir.'/mnist_mimic.tsv'
ms = datadir.'/mnist_mimic_mean.tsv'
fexists(f) = system(sprintf("test -s '%s' && echo 1 || echo 0", f)) + 0
have_fig1 = fexists(kf) && fexists(af)
have_mc = fexists(mf)
have_mnist = fexists(df) && fexists(mm) && fexists(ms)
hdr = have_fig1 ? kf : ms
param(name) = system(sprintf("awk '/^# param %s = / {print $5; exit}' '%s' 2>/dev/null", name, hdr))
# the panels of this run, with their titles, from kernels.tsv's "# panel ID: title" lines
ids = have_fig1 ? system(sprintf("awk '/^# panel / {sub(\":\", \"\", $3); printf \"%%s \", $3}' '%s'", kf)) : ""
ptitle(p) = system(sprintf("awk '/^# panel %s: / {sub(/^# panel [^:]*: /, \"\"); gsub(/xi/, \"ξ\"); print; exit}' '%s'", p, kf))
np = words(ids)
is(p) = strcol(1) eq p
Mneur = have_mc ? real(system(sprintf("sed -n 's/^# K_hat: mean over M = \\([0-9]*\\) neurons.*/\\1/p' %s", mf))) : 0
deg = param('degree')

notrun(msg) = sprintf("unset title; unset xlabel; unset ylabel; unset logscale; set label 99 \"%s\" at graph 0.5, 0.5 center font \",12\"; unset border; unset tics; unset key; plot [0:1][0:1] NaN; unset label 99; set border; set tics", msg)

# ---- Figure 1 ----
# the NNGP-mode panels and the single target go on the grid; the NTK-mode panel Bntk goes to (d)
gridids = ""
do for [i=1:np] { p = word(ids, i); if (p ne "Bntk") { gridids = gridids.p." " } }
ng = words(gridids)
ncol = ng + 1 <= 4 ? ng + 1 : 3
nrow = int(ceil((ng + 1.0) / ncol))
do for [fmt in "png svg"] {
    if (!have_fig1 || ng == 0) {
        eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 900, 300))
        set output sprintf("%s/reverse-ntk.%s", outdir, fmt)
        eval notrun(have_fig1 ? "Figure 1: no NNGP-mode panel in this run (see reverse-ntk-data, panel d)" : "Figure 1 (kernels, fits, Monte Carlo): not run in this run")
        unset output
        continue
    }
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 500 * ncol, 450 * nrow))
    set output sprintf("%s/reverse-ntk.%s", outdir, fmt)
    set multiplot layout nrow, ncol title sprintf("Shallow networks with any dot-product kernel: target vs engineered 1HL kernel (degree-%s Hermite activation) vs finite width", deg) font ",13"
    set xrange [-1.05:1.05]
    set xlabel "ξ = x·x'/d"
    set ylabel "K(ξ)"
    do for [i=1:ng] {
        p = word(gridids, i)
        set title sprintf("%s: %s", p, ptitle(p))
        if (i == 1) { set key top left } else { unset key }
        if (have_mc) {
            plot kf using 2:(is(p) ? $3 : 1/0) with lines lw 7 lc rgb '#9ecae1' title "target", \
                 kf using 2:(is(p) ? $4 : 1/0) with lines lw 1.5 lc rgb '#08306b' title "1HL kernel (engineered)", \
                 mf using 2:(is(p) ? $4 : 1/0):5 with yerrorbars pt 7 ps 0.8 lc rgb C[2] title sprintf("finite width (MC, %.0e neurons, ±1 SE)", Mneur)
        } else {
            plot kf using 2:(is(p) ? $3 : 1/0) with lines lw 7 lc rgb '#9ecae1' title "target", \
                 kf using 2:(is(p) ? $4 : 1/0) with lines lw 1.5 lc rgb '#08306b' title "1HL kernel (engineered)"
        }
    }
    set title "the engineered activations φ(z)"
    set xrange [-2.5:2.5]
    set yrange [-6:10]
    set xlabel "z"
    set ylabel "φ(z)"
    set key top center maxrows 4 font ",9"
    plot for [i=1:ng] af using 1:(column("phi_".word(gridids, i))) with lines lw 2 lc rgb C[(i-1)%8+1] dashtype i > 4 ? 2 : 1 title word(gridids, i)
    unset multiplot
    unset output
    unset yrange
    set autoscale y
}

# ---- Figure 2 analogue and NTK mode ----
ntr = param('ntrain'); nte = param('ntest'); nsp = param('splits'); mdep = param('mimic-depth')
if (have_mnist) {
    dmax = real(system(sprintf("awk -F'\t' '!/^#/ && $1 != \"degree\" && $1 > m {m = $1} END {print m}' %s", ms)))
    acc_top1 = real(system(sprintf("awk -F'\t' '!/^#/ && $1 == %d && $2 == 1 {print $3}' %s", dmax, mm)))
    # the first-order line through the highest-degree point: pred_dist proportional to the fit error
    f_top = real(system(sprintf("awk -F'\t' '!/^#/ && $1 == %d {print $2}' %s", dmax, ms)))
    p_top = real(system(sprintf("awk -F'\t' '!/^#/ && $1 == %d {print $9}' %s", dmax, ms)))
}
has_bntk = have_fig1 && strstrt(ids, "Bntk") > 0
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1400, 1000))
    set output sprintf("%s/reverse-ntk-data.%s", outdir, fmt)
    set multiplot layout 2,2 title (have_mnist ? sprintf("A shallow network can copy a deep kernel (MNIST analogue of the paper's Figure 2; kernel regression, n_{train} = %s, n_{test} = %s, %s random splits)", ntr, nte, nsp) : "A shallow network can copy a deep kernel") font ",13"
    if (!have_mnist) {
        do for [k=1:3] { eval notrun(sprintf("(%s) MNIST: not run in this run", k == 1 ? "a" : k == 2 ? "b" : "c")) }
    } else {
        set title "(a) test accuracy against depth (split 1)"
        set xlabel "depth (hidden layers)"
        set ylabel "test accuracy (%)"
        stats df using 1 nooutput
        set xrange [STATS_min - 0.5:STATS_max + 0.5]
        # the range of every accuracy drawn, with room below for the key
        amin = real(system(sprintf("awk -F'\t' '!/^#/ && $1 != \"depth\" {for (k = 2; k <= 8; k += 2) if (m == \"\" || $k < m) m = $k} END {print m}' %s", df)))
        amax = real(system(sprintf("awk -F'\t' '!/^#/ && $1 != \"depth\" {for (k = 2; k <= 8; k += 2) if (m == \"\" || $k > m) m = $k} END {print m}' %s", df)))
        amin = acc_top1 < amin ? acc_top1 : amin
        amax = acc_top1 > amax ? acc_top1 : amax
        arng = amax - amin > 1 ? amax - amin : 1
        set yrange [amin - 0.8 * arng : amax + 0.15 * arng]
        set key bottom right vertical maxrows 3 font ",9"
        plot acc_top1 with lines dt 2 lw 1.5 lc rgb C[7] title sprintf("1HL mimic, degree %d", dmax), \
             df using 1:2 with linespoints pt 7 lc rgb C[1] title "ReLU NNGP", \
             df using 1:4 with linespoints pt 5 lc rgb C[2] title "ReLU NTK", \
             df using 1:6 with linespoints pt 9 lc rgb C[3] title "erf NNGP", \
             df using 1:8 with linespoints pt 11 lc rgb C[4] title "erf NTK", \
             df using ($1 == mdep ? $1 : 1/0):2 with points pt 6 ps 3 lw 2 lc rgb C[7] title sprintf("target: %s-layer ReLU NNGP", mdep)

        set title sprintf("(b) the mimic against its approximation degree (mean ± SE over %s splits)", nsp)
        set xlabel "polynomial degree of the mimic's kernel"
        set ylabel "MSE_{mimic} / MSE_{target}"
        set y2label "accuracy_{mimic} - accuracy_{target} (pp)"
        set y2tics
        set ytics nomirror
        set xrange [1.5:dmax + 0.5]
        set autoscale y
        set autoscale y2
        set key top right vertical font ",9"
        plot 1 with lines lw 2 lc rgb C[7] dt 2 title sprintf("the target (%s-layer ReLU NNGP)", mdep), \
             ms using 1:3:4 with yerrorlines pt 7 lc rgb C[1] title "MSE ratio", \
             ms using 1:7:8 axes x1y2 with yerrorlines pt 5 lw 1 lc rgb C[2] title "accuracy difference (right axis)"
        unset y2tics
        unset y2label
        set ytics mirror

        set title "(c) convergence: the mimic's predictions approach the target's as the fit error shrinks"
        set xlabel "relative L2 error of the degree-D fit"
        set ylabel "distance (mean ± SE over splits)"
        set logscale xy
        set format x "10^{%L}"
        set format y "10^{%L}"
        set autoscale xy
        set key top left font ",9"
        plot ms using 2:9:10 with yerrorbars pt 7 lc rgb C[1] title "|ŷ_{mimic} - ŷ_{target}| / |ŷ_{target}| (test predictions)", \
             ms using 2:5:6 with yerrorbars pt 5 lc rgb C[2] title "|MSE_{mimic}/MSE_{target} - 1|", \
             p_top * x / f_top with lines dt 2 lw 1.5 lc rgb C[7] title "first order in the kernel error: slope 1"
        unset logscale xy
        set format x "%g"
        set format y "%g"
    }
    if (!has_bntk) {
        eval notrun("(d) NTK mode (panel Bntk): not run in this run")
    } else {
        set title "(d) NTK mode: 1HL NTK matched to the 4HL ReLU NTK (Bntk)"
        set xrange [-1.05:1.05]
        set xlabel "ξ = x·x'/d"
        set ylabel "kernel"
        set autoscale y
        set key top left vertical maxrows 4 font ",9"
        if (have_mc) {
            plot kf using 2:(is("Bntk") ? $3 : 1/0) with lines lw 7 lc rgb '#9ecae1' title "target: 4HL ReLU NTK", \
                 kf using 2:(is("Bntk") ? $6 : 1/0) with lines lw 1.5 lc rgb '#08306b' title "1HL NTK (quadrature)", \
                 kf using 2:(is("Bntk") ? $5 : 1/0) with lines lw 1.5 dt 2 lc rgb C[3] title "1HL NNGP = Σ c_k ξ^k/(k+1)", \
                 mf using 2:(is("Bntk") ? $4 : 1/0):5 with yerrorbars pt 7 ps 0.8 lc rgb C[2] title "finite width (MC)"
        } else {
            plot kf using 2:(is("Bntk") ? $3 : 1/0) with lines lw 7 lc rgb '#9ecae1' title "target: 4HL ReLU NTK", \
                 kf using 2:(is("Bntk") ? $6 : 1/0) with lines lw 1.5 lc rgb '#08306b' title "1HL NTK (quadrature)", \
                 kf using 2:(is("Bntk") ? $5 : 1/0) with lines lw 1.5 dt 2 lc rgb C[3] title "1HL NNGP = Σ c_k ξ^k/(k+1)"
        }
    }
    unset multiplot
    unset output
}

# ---- reverse-ntk-nets.png: trained networks (parts 3 and 4) ----
# (a) parity: test accuracy of trial 1 of each net against time t = lr x step, with the trials'
#     mean (end point, +-1 SE) and ridgeless NTK regression of each net's kernel (dashed);
# (b) parity: the two NTKs on [-1, 1] (the designed one is ~4.6 (delta(x,x') - delta(x,-x')));
# (c) trainable mimic: the 4HL ReLU NTK, the mimic's NTK and the 1HL ReLU NTK;
# (d) trainable mimic: test MSE against step, trained nets (points) and each NTK's kernel-regime
#     curve (lines).  A part the run did not ask for is left out.
pf = datadir.'/parity.tsv'
pc = datadir.'/parity_curves.tsv'
pk = datadir.'/parity_kernels.tsv'
qk = datadir.'/mimic_kernel.tsv'
qc = datadir.'/mimic_curves.tsv'
have_parity = fexists(pf) && fexists(pc) && fexists(pk)
have_mimic = fexists(qk) && fexists(qc)
npan = 2 * have_parity + 2 * have_mimic
if (npan > 0) {
    isn(s) = strcol(1) eq s
    pval(net, col) = real(system(sprintf("awk -F'\t' '$1 == \"%s\" {print $%d}' '%s'", net, col, pf)))
    do for [fmt in "png svg"] {
        eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1100, 450 * (npan / 2)))
        set output sprintf("%s/reverse-ntk-nets.%s", outdir, fmt)
        set multiplot layout npan / 2, 2 title "Trained networks: a designed activation on parity, and a trainable mimic of a 4HL ReLU net" font ",13"
        unset logscale; set autoscale
        if (have_parity) {
            acc_phi = pval("phi1", 3); acc_relu = pval("relu4", 3); se_phi = pval("phi1", 4); se_relu = pval("relu4", 4)
            k_phi = pval("phi1", 10); k_relu = pval("relu4", 10); R = pval("phi1", 2)
            set title sprintf("(a) parity: test accuracy (mean of %d trials: 1HL φ %.1f%%, 4HL ReLU %.1f%%)", R, acc_phi, acc_relu) font ",10"
            set xlabel "time t = η · step"
            set ylabel "test accuracy (%)"
            set logscale x
            set xrange [0.2:600]
            set yrange [0:105]
            set key at graph 0.02, graph 0.98 left top Left reverse font ",8" spacing 0.9 maxrows 5
            plot pc using ($3 > 0 ? $3 : 1/0):(isn("phi1") ? $6 : 1/0) with linespoints pt 7 ps 0.6 lc rgb C[2] title "1HL ½ sin 6z, trial 1", \
                 pc using ($3 > 0 ? $3 : 1/0):(isn("relu4") ? $6 : 1/0) with linespoints pt 5 ps 0.6 lc rgb C[1] title "4HL ReLU, trial 1", \
                 k_phi with lines dt 2 lw 2 lc rgb C[2] title sprintf("NTK regression, designed kernel (%.1f%%)", k_phi), \
                 k_relu with lines dt 2 lw 2 lc rgb C[1] title sprintf("NTK regression, ReLU (%.1f%%)", k_relu), \
                 50 with lines dt 3 lc rgb '#888888' title "chance"
            unset logscale x
            set key default
            set title "(b) parity: the two NTKs (cube cosines ξ = 1 - 2h/11)" font ",10"
            set xlabel "ξ"
            set ylabel "Θ(ξ)"
            set xrange [-1.05:1.05]
            set yrange [*:*]
            set key top left font ",9"
            plot pk using 1:2 with lines lw 2 lc rgb C[2] title "1HL φ = ½ sin 6z", \
                 pk using 1:3 with lines lw 2 lc rgb C[1] title "4HL ReLU (W √2, b 0.1)"
        }
        if (have_mimic) {
            set title "(c) trainable mimic: the three NTKs" font ",10"
            set xlabel "ξ"
            set ylabel "Θ(ξ)"
            set xrange [-1.05:1.05]
            set yrange [*:*]
            set key top left font ",9"
            plot qk using 1:2 with lines lw 6 lc rgb '#9ecae1' title "4HL ReLU (target)", \
                 qk using 1:3 with lines lw 1.5 lc rgb '#08306b' title "1HL mimic a relu(z-b)+cz+d+e cos(fz+g)", \
                 qk using 1:4 with lines lw 1.5 dt 2 lc rgb C[2] title "1HL ReLU"
            set title "(d) mimic: test MSE, nets (points) vs NTK curves (lines)" font ",10"
            set xlabel "GD step"
            set ylabel "test MSE"
            set logscale x
            set xrange [0.8:400]
            set yrange [*:*]
            set key bottom left font ",9"
            plot qc using ($1 > 0 ? $1 : 1/0):3 with points pt 7 ps 0.8 lc rgb C[1] title "4HL ReLU net", \
                 qc using ($1 > 0 ? $1 : 1/0):5 with points pt 5 ps 0.8 lc rgb '#08306b' title "1HL mimic net", \
                 qc using ($1 > 0 ? $1 : 1/0):7 with points pt 9 ps 0.8 lc rgb C[2] title "1HL ReLU net", \
                 qc using ($1 > 0 ? $1 : 1/0):9 with lines lw 2 lc rgb C[1] title "4HL ReLU NTK", \
                 qc using ($1 > 0 ? $1 : 1/0):11 with lines lw 2 lc rgb '#08306b' title "mimic NTK", \
                 qc using ($1 > 0 ? $1 : 1/0):13 with lines lw 2 dt 2 lc rgb C[2] title "1HL ReLU NTK"
            unset logscale x
        }
        unset multiplot
        unset output
    }
}
