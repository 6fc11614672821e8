# agf.gp: gnuplot -c agf.gp DATADIR OUTDIR
# Figure agf (2 x 2): (a) diagonal network, GD for each alpha over the AGF staircase in
# t~ = t/ln(1/alpha); (b) AGF as the alpha -> 0 limit: worst drop-time and plateau errors
# against 1/ln(1/alpha); (c) linear network: loss with predicted plateaus and step times, and the
# mode strengths m_k/s_k against the logistic; (d) modular addition: GD loss over the predicted
# levels L_k with the AGF staircase from the same initial weights.
# Figure agf-modadd (2 x 2), the paper's modular-addition comparison: (a) loss, GD against AGF;
# (b) mean output magnitude per frequency, GD against AGF, with the analytic "not before" bound
# tau_k; (c, d) the ablation: per-neuron-scaled GD against momentum GD, loss and the number of
# large neurons (the cohorts that one-neuron rounds cannot represent).
# Titles and labels come from the tables' own "# param" lines; a table this run did not write
# leaves its panel with "not run in this run".
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator tab
set datafile commentschars '#'

have(f) = int(system(sprintf("test -s '%s/%s' && echo 1 || echo 0", datadir, f)))
param(f, name) = system(sprintf("sed -n 's/^# param %s = //p' '%s/%s' | head -1", name, datadir, f))
num(s) = (s eq "" ? 0 : real(s))
blank(ttl) = sprintf("set title \"%s\"; unset logscale; set xrange [0:1]; set yrange [0:1]; unset xlabel; unset ylabel; " . \
    "set format x ''; set format y ''; set label 99 'not run in this run' at 0.5, 0.5 center font ',14'; unset key; " . \
    "plot 2 notitle; unset label 99; set key; set format x '%% h'; set format y '%% h'", ttl)

# ---- what this run wrote
hd = have("diag_agf.tsv"); hl = have("diag_limit.tsv"); hlin = have("linear.tsv") && have("linear_steps.tsv")
hm = have("modadd_levels.tsv"); hc = have("cohort.tsv"); ha = have("modadd_agf_curve.tsv")
alphas = hd ? system(sprintf("cd '%s' && ls diag_gd_a*.tsv 2>/dev/null | sed 's/diag_gd_a//; s/.tsv$//' | sort -g -r | tr '\\n' ' '", datadir)) : ""
seeds = hm ? system(sprintf("cd '%s' && ls modadd_s*.tsv 2>/dev/null | sed -n 's/^modadd_s\\([0-9]*\\)\\.tsv$/\\1/p' | sort -n | tr '\\n' ' '", datadir)) : ""
hg = words(seeds) > 0
# panel (a) draws at most three alphas: with more, every second from the smallest
na = words(alphas)
if (na > 4) { alphas = word(alphas, na - 4)." ".word(alphas, na - 2)." ".word(alphas, na) }
seed1 = hg ? word(seeds, 1) : ""
if (hd) {
    L0 = real(system(sprintf("sed -n 's/.*L0 = \\([0-9.e+-]*\\).*/\\1/p' '%s/diag_agf.tsv' | head -1", datadir)))
    tlast = real(system(sprintf("awk -F'\\t' '$1 ~ /^[0-9]/ {t = $2} END {print t}' '%s/diag_agf.tsv'", datadir)))
    diag_rho = param("diag_agf.tsv", "rho"); diag_n = param("diag_agf.tsv", "n"); diag_p = param("diag_agf.tsv", "p")
    diag_white = param("diag_agf.tsv", "whiten") eq "1"
}
if (hlin) {
    nr = int(system(sprintf("grep -v '^#' '%s/linear_steps.tsv' | tail -n +2 | wc -l", datadir)))
    array SV[nr]
    do for [k=1:nr] { SV[k] = real(system(sprintf("awk -F'\t' '$1 == %d {print $2}' '%s/linear_steps.tsv'", k, datadir))) }
    tlin = real(system(sprintf("tail -1 '%s/linear.tsv' | cut -f1", datadir)))
    lin_title = sprintf("(c) two-layer linear network, d_{in} = %s, d_{out} = %s, α = %s: modes in decreasing s_k", \
        param("linear.tsv", "din"), param("linear.tsv", "dout"), param("linear.tsv", "alpha"))
}
if (hm) {
    modp = int(num(param("modadd_levels.tsv", "modp")))
    K = modp / 2
    nlev = int(system(sprintf("awk -F'\t' '$1 ~ /^[1-9][0-9]*$/' '%s/modadd_levels.tsv' | wc -l", datadir)))
    array FQ[nlev]; array XH[nlev]; array TB[nlev]
    do for [j=1:nlev] {
        FQ[j] = int(system(sprintf("awk -F'\t' '$1 == %d {print $2}' '%s/modadd_levels.tsv'", j, datadir)))
        XH[j] = real(system(sprintf("awk -F'\t' '$1 == %d {print $5}' '%s/modadd_levels.tsv'", j, datadir)))
        TB[j] = real(system(sprintf("awk -F'\t' '$1 == %d {print $6}' '%s/modadd_levels.tsv'", j, datadir)))
    }
    levmin = real(system(sprintf("awk -F'\t' '$1 ~ /^[1-9]/ && $4 > 0 {m = $4} END {print m}' '%s/modadd_levels.tsv'", datadir)))
    L0m = real(system(sprintf("awk -F'\t' '$1 == 0 {print $4}' '%s/modadd_levels.tsv'", datadir)))
    epochs = num(param("modadd_levels.tsv", "epochs"))
    scaled = param("modadd_levels.tsv", "scaled") eq "1"
    mom = num(param("modadd_levels.tsv", "momentum")); eta = num(param("modadd_levels.tsv", "lr"))
    gdname = scaled ? sprintf("per-neuron-scaled GD, η = %g", eta) : sprintf("GD, η = %g, momentum %g", eta, mom)
    modtitle = sprintf("p = %d, |x̂_k| = %s, H = %s, init %s", modp, param("modadd_levels.tsv", "mags"), \
        param("modadd_levels.tsv", "hidden"), param("modadd_levels.tsv", "init"))
    agfname = sprintf("AGF (%s flow)", param("modadd_levels.tsv", "agf-flow"))
}
ymin_a = 1e-7
clamp(y) = y < ymin_a ? ymin_a : y

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 1100))
    set output sprintf("%s/agf.%s", outdir, fmt)
    set multiplot title "Alternating Gradient Flows against GD from small initialisation: diagonal and linear networks, and a quadratic network on modular addition" font ",13"

    # ---- (a) diagonal network
    unset logscale; set format x "% h"; set format y "% h"; set xlabel; set ylabel; unset y2tics; set ytics mirror autofreq
    set origin 0.0, 0.5
    set size 0.5, 0.47
    if (!hd) { eval blank("(a) diagonal network") } else {
    set title sprintf("(a) diagonal network β = u ⊙ v (n = %s, p = %s, %s): GD against the AGF staircase", diag_n, diag_p, \
        diag_white ? "whitened" : sprintf("AR(1) ρ = %s", diag_rho))
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
         for [i=1:words(alphas)] datadir.'/diag_gd_a'.word(alphas, i).'.tsv' using 1:2 with lines lw 2 lt ((i - 1) % 6 + 1) \
            title "GD, α = ".word(alphas, i)
    }

    # ---- (b) the alpha -> 0 limit
    unset logscale; unset label; set format x "% h"; set format y "% h"; set xlabel; set ylabel; unset y2tics; set ytics mirror autofreq
    set origin 0.5, 0.5
    set size 0.5, 0.47
    if (!hl) { eval blank("(b) AGF as the α → 0 limit of GD") } else {
    set title "(b) AGF is the α → 0 limit of GD (diagonal network)"
    set xlabel "1 / ln(1/α)"
    set logscale y
    set format y "10^{%T}"
    set ylabel "worst relative error of GD against AGF"
    set xrange [0:*]
    set yrange [1e-4:3]
    set key at graph 0.02, 0.98 left top
    plot datadir.'/diag_limit.tsv' using 2:3 with linespoints pt 7 ps 1.2 lc rgb C[1] title "drop times: max_k |t_{GD,k}/t_{AGF,k} - 1|", \
         '' using 2:4 with linespoints pt 5 ps 1.2 lc rgb C[2] title "plateaus lasting ≥ 20%: max |L_{GD}/L_{AGF} - 1|", \
         '' using 2:3:(sprintf("%.0e", $1)) with labels offset 0,1 font ",8" notitle
    }

    # ---- (c) linear network
    unset logscale; set format x "% h"; set format y "% h"; set xlabel; set ylabel; unset y2tics; set ytics mirror autofreq
    set origin 0.0, 0.0
    set size 0.5, 0.48
    if (!hlin) { eval blank("(c) two-layer linear network") } else {
    set title lin_title
    set xlabel "time t = η × step"
    set ylabel "loss (1/2)|B - AW|_F^2"
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
    }

    # ---- (d) modular addition: loss, GD against AGF
    unset logscale; set format x "% h"; set format y "% h"; set xlabel; set ylabel; unset y2tics; set ytics mirror autofreq
    set origin 0.5, 0.0
    set size 0.5, 0.48
    if (!hm || !hg) { eval blank("(d) quadratic network on modular addition") } else {
    set title sprintf("(d) modular addition, %s: GD (seed %s) and AGF", modtitle, seed1) font ",10"
    set xlabel sprintf("epoch (%s)", gdname)
    set ylabel "loss (mean over N p entries)"
    set logscale xy
    set format x "10^{%T}"
    set format y "10^{%T}"
    set xrange [10:epochs]
    set yrange [levmin / 30:3 * L0m]
    set key at graph 0.02, 0.02 left bottom font ",9"
    plot '< awk -F"\t" ''$1 ~ /^[0-9]/ && $4 > 0'' '.datadir.'/modadd_levels.tsv' using (10):4:(epochs):(0) with vectors nohead dt 3 lw 1.2 lc rgb '#555555' title "predicted levels L_k", \
         '< awk -F"\t" ''$1 ~ /^[1-9]/ && $4 > 0'' '.datadir.'/modadd_levels.tsv' using (12):4:(sprintf("L_%d (f%d learned)", $1, $2)) with labels offset 0,0.6 left font ",8" notitle, \
         datadir.'/modadd_s'.seed1.'.tsv' using ($1 > 0 ? $1 : 1/0):2 with lines lw 2.5 lc rgb C[1] title "GD", \
         (ha ? sprintf("< awk -F'\t' '$1 == %s && $2 > 0' '%s/modadd_agf_curve.tsv'", seed1, datadir) : '< true') using 2:3 with lines lw 2 dt 2 lc rgb '#000000' title (ha ? agfname : "AGF: not run in this run")
    }
    unset multiplot
    unset output
}

# ---- agf-modadd: the paper's comparison, and the ablation
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 1050))
    set output sprintf("%s/agf-modadd.%s", outdir, fmt)
    set multiplot title (hm ? sprintf("Modular addition, %s: GD against AGF, and why per-neuron-scaled GD breaks one-neuron rounds", modtitle) : \
        "Modular addition: GD against AGF, and the per-neuron-scaled ablation") font ",13"

    # ---- (a) loss
    unset logscale; unset label; set format x "% h"; set format y "% h"; set xlabel; set ylabel; set ytics mirror autofreq
    set origin 0.0, 0.5
    set size 0.5, 0.46
    if (!hm || !hg) { eval blank("(a) loss: GD against AGF") } else {
    set title sprintf("(a) loss: GD (seed %s) and AGF rounds from the same initial weights", seed1)
    set xlabel sprintf("epoch (%s)", gdname)
    set ylabel "loss"
    set logscale xy
    set format x "10^{%T}"
    set format y "10^{%T}"
    set xrange [100:epochs]
    set yrange [levmin / 1000:3 * L0m]
    set key at graph 0.02, 0.02 left bottom font ",9"
    plot '< awk -F"\t" ''$1 ~ /^[0-9]/ && $4 > 0'' '.datadir.'/modadd_levels.tsv' using (100):4:(epochs):(0) with vectors nohead dt 3 lw 1.2 lc rgb '#555555' title "predicted levels L_k = (1/p) Σ_{j>k} P_{(j)}", \
         datadir.'/modadd_s'.seed1.'.tsv' using ($1 > 0 ? $1 : 1/0):2 with lines lw 2.5 lc rgb C[1] title "GD", \
         (ha ? sprintf("< awk -F'\t' '$1 == %s && $2 > 0' '%s/modadd_agf_curve.tsv'", seed1, datadir) : '< true') using 2:3 with lines lw 2 dt 2 lc rgb '#000000' title (ha ? agfname : "AGF: not run in this run"), \
         for [j=1:nlev] (ha ? sprintf("< awk -F'\t' '$1 == %s && $7 == %d' '%s/modadd_agf.tsv'", seed1, FQ[j], datadir) : '< true') using 4:9 with points pt 7 ps 0.9 lc rgb C[j + 1] title sprintf("AGF activation, neuron serves f%d", FQ[j])
    }

    # ---- (b) magnitudes
    unset logscale; unset label; set format x "% h"; set format y "% h"; set xlabel; set ylabel; set ytics mirror autofreq
    set origin 0.5, 0.5
    set size 0.5, 0.46
    if (!hm || !hg) { eval blank("(b) output magnitude per frequency") } else {
    set title "(b) mean output magnitude |DFT_k(ŷ)| per frequency; arrows: the bound τ_k ∝ |x̂_k|^{-3}"
    set xlabel sprintf("epoch (%s)", gdname)
    set ylabel "mean |DFT_k(ŷ)| (rises to |x̂_k|)"
    set logscale x
    set format x "10^{%T}"
    set xrange [100:epochs]
    set yrange [0:1.25 * XH[1]]
    set key at graph 0.98, 0.76 right top font ",9"
    if (!scaled) { do for [j=1:nlev] { set arrow 10 + j from TB[j], 0.9 * XH[j] to 1.6 * TB[j], 0.9 * XH[j] lw 1.5 lc rgb C[j + 1] filled } }
    plot for [j=1:nlev] datadir.'/modadd_s'.seed1.'.tsv' using ($1 > 0 ? $1 : 1/0):(column(2 + K + FQ[j])) with lines lw 2.5 lc rgb C[j + 1] title sprintf("GD, f%d (|x̂| = %g)", FQ[j], XH[j]), \
         for [j=1:nlev] (ha ? sprintf("< awk -F'\t' '$1 == %s && $2 > 0' '%s/modadd_agf_curve.tsv'", seed1, datadir) : '< true') using 2:(column(3 + FQ[j])) with lines lw 1.5 dt 2 lc rgb '#000000' title (j == 1 ? (ha ? agfname : "AGF: not run in this run") : ""), \
         for [j=1:nlev] (scaled ? '< true' : '+') using (TB[j]):(0):(0):(0.9 * XH[j]) every ::0::0 with vectors nohead dt 2 lw 1.5 lc rgb C[j + 1] title (j == 1 ? "τ_k: no neuron serving f_k at norm 1 earlier" : "")
    unset arrow
    }

    # ---- (c, d) the ablation: scaled GD against momentum GD on p = 11, H = 200
    unset logscale; unset label; set format x "% h"; set format y "% h"; set xlabel; set ylabel; set ytics mirror autofreq
    set origin 0.0, 0.0
    set size 0.5, 0.48
    if (!hc) { eval blank("(c) ablation: per-neuron-scaled GD") } else {
    cnote = system(sprintf("grep -m1 '^# ablation' '%s/cohort.tsv' | sed 's/^# ablation: //; s/; scaled =.*//'", datadir))
    cL1 = real(system(sprintf("sed -n 's/.*L_1 = \\([0-9.e+-]*\\).*/\\1/p' '%s/cohort.tsv' | head -1", datadir)))
    set title sprintf("(c) ablation, %s: loss", cnote) font ",10"
    set xlabel "epoch"
    set ylabel "loss"
    set logscale xy
    set format x "10^{%T}"
    set format y "10^{%T}"
    cmax = real(system(sprintf("awk -F'\t' '$2 ~ /^[0-9]/ && $2 > m {m = $2} END {print m}' '%s/cohort.tsv'", datadir)))
    set xrange [10:cmax]
    set yrange [*:*]
    set key at graph 0.02, 0.02 left bottom font ",9"
    plot datadir.'/cohort.tsv' using (10):(cL1):(cmax):(0) every ::0::0 with vectors nohead dt 3 lw 1.2 lc rgb '#555555' title "L_1 of this template", \
         '< awk -F"\t" ''$1 == "scaled"'' '.datadir.'/cohort.tsv' using ($2 > 0 ? $2 : 1/0):3 with lines lw 2.5 lc rgb C[2] title "per-neuron-scaled GD (η_i ∝ |θ_i|^{-1})", \
         '< awk -F"\t" ''$1 == "plain"'' '.datadir.'/cohort.tsv' using ($2 > 0 ? $2 : 1/0):3 with lines lw 2.5 lc rgb C[1] title "GD with momentum (the paper's)"
    set origin 0.5, 0.0
    set title "(d) ablation: neurons with |θ_i| > 0.1 (AGF activates one neuron per round)" font ",10"
    set ylabel "number of large neurons"
    unset logscale y
    set format y "% h"
    set yrange [0:*]
    set key at graph 0.02, 0.98 left top font ",9"
    plot '< awk -F"\t" ''$1 == "scaled"'' '.datadir.'/cohort.tsv' using ($2 > 0 ? $2 : 1/0):4 with lines lw 2.5 lc rgb C[2] title "per-neuron-scaled GD", \
         '< awk -F"\t" ''$1 == "plain"'' '.datadir.'/cohort.tsv' using ($2 > 0 ? $2 : 1/0):4 with lines lw 2.5 lc rgb C[1] title "GD with momentum"
    }
    if (!hc) { set origin 0.5, 0.0; set size 0.5, 0.48; eval blank("(d) ablation: large neurons") }
    unset multiplot
    unset output
}
