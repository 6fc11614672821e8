# agf.gp: gnuplot -c agf.gp DATADIR OUTDIR
# Figure agf (2 x 2): (a) diagonal network, GD for three alpha over the AGF staircase in
# t~ = t/ln(1/alpha); (b) AGF as the alpha -> 0 limit: worst drop-time and plateau errors
# against 1/ln(1/alpha); (c) linear network: loss with predicted plateaus and step times, and
# the mode strengths m_k/s_k against the logistic; (d) modular addition: GD loss for every seed
# over the predicted levels L_k, with the AGF staircase of the first seed, and the per-frequency
# output power below.
# Figure agf-modadd: one panel per seed, GD against its own AGF rounds (epochs, log axes).
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator tab
set datafile commentschars '#'

L0 = real(system(sprintf("sed -n 's/.*L0 = \\([0-9.e+-]*\\).*/\\1/p' %s/diag_agf.tsv | head -1", datadir)))
tlast = real(system(sprintf("awk -F'\\t' '$1 ~ /^[0-9]/ {t = $2} END {print t}' %s/diag_agf.tsv", datadir)))
seeds = system(sprintf("ls %s | sed -n 's/^modadd_s\\([0-9]*\\)\\.tsv$/\\1/p' | sort -n | tr '\\n' ' '", datadir))
seed1 = word(seeds, 1)
K = int(system(sprintf("head -200 %s/modadd_s%s.tsv | grep -v '^#' | head -1 | awk -F'\\t' '{print NF - 3}'", datadir, seed1)))
Pk(k) = real(system(sprintf("awk -F'\\t' '$2 == %d {print $3}' %s/modadd_levels.tsv", k, datadir)))
array PK[K]
do for [k=1:K] { PK[k] = Pk(k) }
nlev = int(system(sprintf("grep -v '^#' %s/modadd_levels.tsv | tail -n +2 | wc -l", datadir)))
epochs = real(system(sprintf("tail -1 %s/modadd_s%s.tsv | cut -f1", datadir, seed1)))
nr = int(system(sprintf("grep -v '^#' %s/linear_steps.tsv | tail -n +2 | wc -l", datadir)))
array SV[nr]
do for [k=1:nr] { SV[k] = real(system(sprintf("awk -F'\t' '$1 == %d {print $2}' %s/linear_steps.tsv", k, datadir))) }
ymin_a = 1e-7
tlin = real(system(sprintf("tail -1 %s/linear.tsv | cut -f1", datadir)))
levmin = real(system(sprintf("awk -F'\t' '$1 ~ /^[1-9]/ && $4 > 0 {m = $4} END {print m}' %s/modadd_levels.tsv", datadir)))
clamp(y) = y < ymin_a ? ymin_a : y

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 1100))
    set output sprintf("%s/agf.%s", outdir, fmt)
    set multiplot title "Alternating Gradient Flows predict the order, timing and level of every plateau of GD from small init" font ",13"

    # ---- (a) diagonal network
    unset logscale; set format x "% h"; set xlabel; unset y2tics; set ytics mirror autofreq
    set origin 0.0, 0.5
    set size 0.5, 0.47
    set title "(a) diagonal network β = u ⊙ v: GD against the AGF staircase"
    set xlabel "rescaled time t / ln(1/α)"
    set ylabel "training loss"
    set logscale y
    set format y "10^{%T}"
    set xrange [0:tlast + 0.6]
    set yrange [ymin_a:3]
    set key at graph 0.98, 0.6 right
    # AGF staircase: (0, L0) then (t_k, L_k), drawn with 'steps' (horizontal, then vertical).
    plot '< awk -F"\t" -v L0='.sprintf("%.12g", L0).' -v te='.sprintf("%g", tlast + 0.6).' ''BEGIN {print 0 "\t" L0} $1 ~ /^[0-9]/ {print $2 "\t" $6; last = $6} END {print te "\t" last}'' '.datadir.'/diag_agf.tsv' \
            using 1:(clamp($2)) with steps lw 5 lc rgb '#000000' title "AGF (α → 0)", \
         datadir.'/diag_agf.tsv' using 2:(ymin_a):(0):(3 - ymin_a) with vectors nohead dt 2 lw 1 lc rgb '#888888' notitle, \
         datadir.'/diag_agf.tsv' using 2:(3e-7):(sprintf("β*=%.2g", $5)) with labels offset 0.8,0 left rotate by 90 font ",9" notitle, \
         datadir.'/diag_gd_a1e-04.tsv' using 1:2 with lines lw 2 lc rgb C[2] title "GD, α = 10^{-4}", \
         datadir.'/diag_gd_a1e-08.tsv' using 1:2 with lines lw 2 lc rgb C[3] title "GD, α = 10^{-8}", \
         datadir.'/diag_gd_a1e-16.tsv' using 1:2 with lines lw 2 lc rgb C[1] title "GD, α = 10^{-16}"

    # ---- (b) the alpha -> 0 limit
    unset logscale; set format x "% h"; set xlabel; unset y2tics; set ytics mirror autofreq
    set origin 0.5, 0.5
    set size 0.5, 0.47
    set title "(b) AGF is the α → 0 limit of GD (diagonal network)"
    set xlabel "1 / ln(1/α)"
    set logscale y
    set ylabel "worst relative error of GD against AGF"
    set xrange [0:*]
    set yrange [1e-4:3]
    set key at graph 0.02, 0.98 left top
    plot datadir.'/diag_limit.tsv' using 2:3 with linespoints pt 7 ps 1.2 lc rgb C[1] title "drop times: max_k |t_{GD,k}/t_{AGF,k} - 1|", \
         '' using 2:4 with linespoints pt 5 ps 1.2 lc rgb C[2] title "plateaus lasting ≥ 20%: max |L_{GD}/L_{AGF} - 1|", \
         '' using 2:3:(sprintf("%.0e", $1)) with labels offset 0,1 font ",8" notitle

    # ---- (c) linear network
    unset logscale; set format x "% h"; set xlabel; unset y2tics; set ytics mirror autofreq
    set origin 0.0, 0.0
    set size 0.5, 0.48
    set title "(c) two-layer linear network (whitened): singular modes in decreasing s_k"
    set xlabel "time t = η × step"
    set ylabel "loss (1/2)|B - AW|_F^2"
    unset logscale y
    set logscale y
    set format y "10^{%T}"
    set yrange [1e-4:30]
    set xrange [0:tlin]
    set y2label "mode strength m_k / s_k"
    set y2range [0:1.15]
    set y2tics 0.25 nomirror
    set ytics nomirror
    set key at graph 0.02, 0.02 left bottom
    plot datadir.'/linear_steps.tsv' using 4:(1e-4):(0):(30) with vectors nohead dt 2 lw 1 lc rgb '#888888' title "predicted step times τ_k^G", \
         datadir.'/linear_steps.tsv' using (0):7:(1e9):(0) with vectors nohead dt 3 lw 1.5 lc rgb '#000000' title "plateaus (1/2)Σ_{j>k} s_j^2", \
         datadir.'/linear.tsv' using 1:2 with lines lw 3 lc rgb '#000000' title "GD loss", \
         for [k=1:nr] datadir.'/linear.tsv' using 1:(column(2 + k) / SV[k]) every 12 axes x1y2 with points pt 7 ps 0.5 lc rgb C[k] title (k == 1 ? "m_k/s_k, GD (points)" : ""), \
         for [k=1:nr] datadir.'/linear.tsv' using 1:(column(2 + nr + k)) axes x1y2 with lines lw 1.5 lc rgb C[k] title (k == 1 ? "logistic theory" : "")
    unset y2label; unset y2tics; set ytics mirror

    # ---- (d) modular addition: loss
    set origin 0.5, 0.17
    set size 0.5, 0.31
    set title sprintf("(d) quadratic net on modular addition (p = %d): levels L_k, frequencies in decreasing |x_k|", K * 2 + 1)
    unset xlabel
    set format x ""
    set ylabel "loss"
    set logscale x
    set xrange [10:epochs]
    set yrange [levmin / 2:10]
    set key at graph 0.98, 0.98 right top font ",9"
    plot '< awk -F"\t" ''$1 ~ /^[1-9]/'' '.datadir.'/modadd_levels.tsv' using (10):4:(epochs):(0) with vectors nohead dt 3 lw 1.2 lc rgb '#555555' notitle, \
         '< awk -F"\t" ''$1 ~ /^[1-9]/ && $4 > 0'' '.datadir.'/modadd_levels.tsv' using (12):4:(sprintf("L_%d (f%d)", $1, $2)) with labels offset 0,0.5 left font ",8" notitle, \
         for [i=1:words(seeds)] datadir.'/modadd_s'.word(seeds, i).'.tsv' using ($1 > 0 ? $1 : 1/0):2 with lines lw 2 lc rgb C[i] title sprintf("GD seed %s", word(seeds, i)), \
         sprintf("< awk -F'\t' '$1 == %s && $2 > 0' %s/modadd_agf_curve.tsv", seed1, datadir) using 2:3 with lines lw 3 lc rgb '#000000' title sprintf("AGF seed %s", seed1)

    # ---- (d) modular addition: power per frequency (first seed)
    set origin 0.5, 0.0
    set size 0.5, 0.19
    unset title
    set format x "10^{%T}"
    set xlabel "epoch (full-batch, per-neuron-scaled GD, η = 0.01)"
    set ylabel "power / P_k"
    unset logscale y
    set format y "%.1f"
    set yrange [0:1.2]
    set ytics 0.5
    set key at graph 0.02, 0.95 left top horizontal font ",8"
    plot for [k=1:K] datadir.'/modadd_s'.seed1.'.tsv' using ($1 > 0 ? $1 : 1/0):(column(2 + k) / PK[k]) with lines lw 2 lc rgb C[k+1] title sprintf("f%d", k)
    set ytics autofreq
    unset multiplot
    unset output
}

# ---- agf-modadd: AGF rounds against GD, one panel per seed
ns = words(seeds)
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 600 * ns, 520))
    set output sprintf("%s/agf-modadd.%s", outdir, fmt)
    set multiplot layout 1, ns title "Modular addition: GD (blue) against the AGF rounds from the same initial weights (black; dots = activations, coloured by the frequency the neuron serves)" font ",12"
    do for [i=1:ns] {
        s = word(seeds, i)
        set title sprintf("seed %s", s)
        set xlabel "epoch = t / η"
        set ylabel "loss"
        set logscale xy
        set format x "10^{%T}"
        set format y "10^{%T}"
        set xrange [10:epochs]
        set yrange [levmin / 20:10]
        set key at graph 0.02, 0.02 left bottom font ",8" spacing 0.9
        plot '< awk -F"\t" ''$1 ~ /^[1-9]/ && $4 > 0'' '.datadir.'/modadd_levels.tsv' using (10):4:(epochs):(0) with vectors nohead dt 3 lw 1.2 lc rgb '#555555' title "predicted levels L_k", \
             datadir.'/modadd_s'.s.'.tsv' using ($1 > 0 ? $1 : 1/0):2 with lines lw 2.5 lc rgb C[1] title "GD", \
             sprintf("< awk -F'\t' '$1 == %s && $2 > 0' %s/modadd_agf_curve.tsv", s, datadir) using 2:3 with lines lw 2 lc rgb '#000000' title "AGF", \
             for [k=1:K] sprintf("< awk -F'\t' '$1 == %s && $6 == %d' %s/modadd_agf.tsv", s, k, datadir) using 4:8 with points pt 7 ps 0.8 lc rgb C[k+1] title sprintf("AGF neuron, freq %d", k)
    }
    unset multiplot
    unset output
}
