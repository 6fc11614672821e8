# reverse-ntk.gp: gnuplot -c reverse-ntk.gp DATADIR OUTDIR
# reverse-ntk.png: the paper's Figure 1 layout.  Panels A-H: target kernel (thick light line),
# the engineered 1HL NNGP (thin dark line; equal to the quadrature), finite-width Monte Carlo
# (points, +-1 exact SE).  Panel I: the engineered activations.
# reverse-ntk-data.png: (a) MNIST accuracy against depth, with the shallow mimic; (b) the mimic
# against its polynomial degree; (c) NTK mode, the 1HL NTK matched to the 4HL ReLU NTK.
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator tab
set datafile commentschars '#'

ids = "A B C D E F G H"
array T[8] = ["A: 4HL ReLU (NNGP)", "B: 4HL ReLU (NTK)", "C: 4HL erf (NNGP)", "D: 4HL erf (NTK)", \
              "E: K(ξ) = ξ^4 + ξ", "F: K(ξ) = ξ^5 + 3", \
              "G: K(ξ) = sinh(2ξ)", "H: K(ξ) = cosh(2ξ)"]
kf = datadir.'/kernels.tsv'
mf = datadir.'/mc.tsv'
af = datadir.'/activations.tsv'
is(p) = strcol(1) eq p
Mneur = real(system(sprintf("sed -n 's/^# K_hat: mean over M = \\([0-9]*\\) neurons.*/\\1/p' %s", mf)))

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 1350))
    set output sprintf("%s/reverse-ntk.%s", outdir, fmt)
    set multiplot layout 3,3 title "Shallow networks with any dot-product kernel: target vs engineered 1HL NNGP (degree-7 Hermite activation) vs finite width" font ",13"
    set xrange [-1.05:1.05]
    set xlabel "ξ = x·x'/d"
    set ylabel "K(ξ)"
    set key top left
    do for [i=1:8] {
        p = word(ids, i)
        set title T[i]
        if (i == 1) { set key top left } else { unset key }
        plot kf using 2:(is(p) ? $3 : 1/0) with lines lw 7 lc rgb '#9ecae1' title "target", \
             kf using 2:(is(p) ? $4 : 1/0) with lines lw 1.5 lc rgb '#08306b' title "1HL NNGP (engineered)", \
             mf using 2:(is(p) ? $4 : 1/0):5 with yerrorbars pt 7 ps 0.8 lc rgb C[2] title sprintf("finite width (MC, %.0e neurons, ±1 SE)", Mneur)
    }
    set title "I: the engineered activations φ(z)"
    set xrange [-2.5:2.5]
    set yrange [-6:10]
    set xlabel "z"
    set ylabel "φ(z)"
    set key top center maxrows 4 font ",9"
    plot for [i=1:8] af using 1:(column("phi_".word(ids, i))) with lines lw 2 lc rgb C[i] dashtype i > 4 ? 2 : 1 title word(ids, i)
    unset multiplot
    unset output
    unset yrange
    set autoscale y

    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1600, 520))
    set output sprintf("%s/reverse-ntk-data.%s", outdir, fmt)
    set multiplot layout 1,3 title "A shallow network can copy a deep kernel (MNIST analogue of the paper's Figure 2; kernel regression)" font ",13"
    df = datadir.'/mnist_depth.tsv'
    mm = datadir.'/mnist_mimic.tsv'
    acc20 = real(system(sprintf("awk -F'\t' '!/^#/ && $1 == 20 {print $2}' %s", mm)))
    set title "(a) test accuracy against depth"
    set xlabel "depth (hidden layers)"
    set ylabel "test accuracy (%)"
    set xrange [0.5:15.5]
    set yrange [acc20 - 10 : acc20 + 2]
    set key bottom left vertical maxrows 7 font ",9"
    plot acc20 with lines dt 2 lw 1.5 lc rgb C[7] title "1HL mimic of 15-layer ReLU NNGP (degree 20)", \
         df using 1:2 with linespoints pt 7 lc rgb C[1] title "ReLU NNGP", \
         df using 1:4 with linespoints pt 5 lc rgb C[2] title "ReLU NTK", \
         df using 1:6 with linespoints pt 9 lc rgb C[3] title "erf NNGP", \
         df using 1:8 with linespoints pt 11 lc rgb C[4] title "erf NTK", \
         df using ($1 == 15 ? $1 : 1/0):2 with points pt 6 ps 3 lw 2 lc rgb C[7] title "the target (15-layer ReLU NNGP)", \
         '+' using (1):(acc20) every ::0::0 with points pt 13 ps 2 lc rgb C[7] notitle

    set title "(b) the mimic against its approximation degree"
    set xlabel "polynomial degree of the mimic's kernel"
    set ylabel "test MSE"
    set y2label "test accuracy (%)"
    set y2tics
    set ytics nomirror
    set xrange [1.5:20.5]
    set autoscale y
    set key top right vertical maxrows 4 font ",9"
    tmse = real(system(sprintf("awk -F'\t' '!/^#/ && NR > 0 {v = $6} END {print v}' %s", mm)))
    tacc = real(system(sprintf("awk -F'\t' '!/^#/ {v = $5} END {print v}' %s", mm)))
    plot tmse with lines lw 2 lc rgb C[1] title "15-layer ReLU NNGP: MSE", \
         tacc axes x1y2 with lines lw 2 dt 2 lc rgb C[2] title "15-layer ReLU NNGP: accuracy", \
         mm using 1:3 with linespoints pt 7 lc rgb C[1] title "1HL mimic: MSE", \
         mm using 1:2 axes x1y2 with linespoints pt 5 lc rgb C[2] title "1HL mimic: accuracy"
    unset y2tics
    unset y2label
    set ytics mirror

    set title "(c) NTK mode: 1HL NTK matched to the 4HL ReLU NTK (B')"
    set xrange [-1.05:1.05]
    set xlabel "ξ = x·x'/d"
    set ylabel "kernel"
    set autoscale y
    set key top left vertical maxrows 4 font ",9"
    plot kf using 2:(is("Bntk") ? $3 : 1/0) with lines lw 7 lc rgb '#9ecae1' title "target: 4HL ReLU NTK", \
         kf using 2:(is("Bntk") ? $6 : 1/0) with lines lw 1.5 lc rgb '#08306b' title "1HL NTK (quadrature)", \
         kf using 2:(is("Bntk") ? $5 : 1/0) with lines lw 1.5 dt 2 lc rgb C[3] title "1HL NNGP = Σ c_k ξ^k/(k+1)", \
         mf using 2:(is("Bntk") ? $4 : 1/0):5 with yerrorbars pt 7 ps 0.8 lc rgb C[2] title "finite width (MC)"
    unset multiplot
    unset output
}
