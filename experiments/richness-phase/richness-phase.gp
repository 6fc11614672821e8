# richness-phase.gp: the richness-learning-rate phase diagram.
#   gnuplot -c richness-phase.gp DATADIR OUTDIR
# Writes OUTDIR/richness-phase.{png,svg}, 2 x 2: (a) phase diagram of the final test loss over
# (gamma, eta) with eta*(gamma), the stability edge and the two slope guides; (b) the toy chain's
# eta_max against (T1), with the MLP's eta* at the depths that were run; (c) ultra-rich loss
# curves; (d) the same curves against t - t_esc, with an inset against t / t_esc.  A panel whose
# table this run did not write says so.
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'

gt = datadir.'/grid.tsv'
et = datadir.'/etastar.tsv'
tt = datadir.'/toy.tsv'
tht = datadir.'/toy_theory.tsv'
ct = datadir.'/curves.tsv'
dt = datadir.'/depths.tsv'
have(f) = system(sprintf("test -s %s && echo 1 || echo 0", f)) + 0
hG = have(gt) && have(et); hT = have(tt) && have(tht); hC = have(ct); hD = have(dt)
if (!hG) { gt = '/dev/null'; et = '/dev/null' }
if (!hT) { tt = '/dev/null'; tht = '/dev/null' }
if (!hC) { ct = '/dev/null' }
if (!hD) { dt = '/dev/null' }
hdr(f, name) = system(sprintf("awk '$1 == \"#\" && $2 == \"param\" && $3 == \"%s\" {print $5; exit}' %s", name, f))
Ld = 3
if (hG) { Ld = hdr(gt, "depth") + 0 }
seed1 = 1
if (hG) { seed1 = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"gamma\" {print $5; exit}' %s", gt)) + 0 }
# half-widths of a cell in log10 units (the grids are uniform in log)
lg = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"gamma\" && !s[$3]++ {print $3}' %s", gt))
le = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"gamma\" && !s[$4]++ {print $4}' %s", gt))
hx = hG && words(lg) > 1 ? (word(lg, 2) - word(lg, 1)) / 2.0 : 0.25
hy = hG && words(le) > 1 ? (word(le, 2) - word(le, 1)) / 2.0 : 0.125
estar(g) = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"gamma\" && ($3 - (%g))^2 < 1e-6 {print $4; exit}' %s", g, et))
a_lazy = NaN; a_rich = NaN    # log10 eta*(0.1), log10 eta*(10), when the grid has those gammas
if (hG) { el = estar(-1); er = estar(1); if (el ne "") { a_lazy = el + 0 }; if (er ne "") { a_rich = er + 0 } }
depths = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"L\" && !s[$1]++ {print $1}' %s", tt))
cmpd = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"L\" && !s[$1]++ {print $1}' %s", dt))
cmpT = 0
if (hD) { cmpT = hdr(dt, "cmp-steps") + 0 }
# colour of a depth: its index in the toy's depth list (else a colour of its own)
colD(L) = (sum [i=1:words(depths)] (word(depths, i) + 0 == L ? i : 0)) > 0 ? (sum [i=1:words(depths)] (word(depths, i) + 0 == L ? i : 0)) : 4 + L
notrun(what) = sprintf("%s: not run in this run", what)
nr0 = notrun("phase diagram (part grid)")
nr1 = notrun("toy and depth comparison (parts toy, depths)")
nr2 = notrun("ultra-rich curves (part curves)")
urg = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"gamma\" && !s[$1]++ {print $1}' %s", ct))
# viridis, perceptually uniform
set palette defined (0 '#440154', 1 '#472c7a', 2 '#3b518b', 3 '#2c718e', 4 '#21908d', 5 '#27ad81', 6 '#5cc863', 7 '#aadc32', 8 '#fde725')

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1300, 1000))
    set output sprintf("%s/richness-phase.%s", outdir, fmt)
    set multiplot

    # (a) phase diagram
    unset logscale
    set origin 0, 0.5
    set size 0.5, 0.5
    set title sprintf("(a) final test loss, depth-%d muP MLP (log_{10} L/L_0)", Ld)
    if (!hG) { set title "(a) ".nr0 }
    set xlabel "log_{10} γ   (richness)"
    set ylabel "log_{10} η   (learning rate; raw SGD rate Nη)"
    if (hG) { set xrange [word(lg, 1) - hx : word(lg, words(lg)) + hx]; set yrange [word(le, 1) - hy : word(le, words(le)) + hy] } else { set xrange [-2:2]; set yrange [-5:2] }
    set cblabel "log_{10} (test loss / L_0)"
    set cbrange [-1.2:0.3]
    set colorbox
    set grid front
    set key outside below horizontal maxcols 2 font ",9" samplen 2
    plot gt using ($5 == seed1 && $6 == 0 ? $3 : NaN):4:(hx):(hy):9 with boxxyerror fs solid 1.0 noborder lc palette notitle, \
         gt using ($5 == seed1 && $6 == 1 ? $3 : NaN):4:(hx):(hy) with boxxyerror fs solid 1.0 noborder lc rgb '#b0b0b0' title "diverged", \
         et using 3:8 with histeps lc rgb '#000000' lw 2.5 title "stability edge η_{edge}", \
         (x <= 0.3 ? a_lazy + 2 * (x + 1) : NaN) with lines lc rgb '#ff66cc' dt 2 lw 2.5 title "slope 2 (lazy), through η*(0.1)", \
         (x >= -0.3 ? a_rich + (2.0 / Ld) * (x - 1) : NaN) with lines lc rgb '#ff9933' dt 2 lw 2.5 title sprintf("slope 2/L = %.2f (ultra-rich), through η*(10)", 2.0 / Ld), \
         et using 3:4 with points pt 7 ps 1.6 lc rgb '#000000' title "η*(γ), loss-optimal (white)", \
         et using 3:4 with points pt 7 ps 1.0 lc rgb '#ffffff' notitle
    unset colorbox
    set key default
    set grid back

    # (b) the toy chain: eta_max against (T1)
    set origin 0.5, 0.5
    set size 0.5, 0.5
    set title (hD ? sprintf("(b) toy η_{max} (open, lines) and MLP η* (valley centre, T = %d; filled)", cmpT) : "(b) scalar-chain toy: largest stable step η_{max}")
    if (!hT && !hD) { set title "(b) ".nr1 }
    set autoscale xy
    set logscale xy
    if (!hT && !hD) { set xrange [1e-3:1e3]; set yrange [1e-6:1e3] }
    set format x "10^{%T}"
    set format y "10^{%T}"
    set xlabel "γ"
    set ylabel "η_{max}, η*"
    set key bottom right font ",9"
    plot for [i=1:words(depths)] tht using ($1 == word(depths, i) + 0 ? $2 : NaN):3 with lines lt i lw 1.5 \
            title sprintf("(T1), L = %s", word(depths, i)), \
         for [i=1:words(depths)] tht using ($1 == word(depths, i) + 0 && $2 < 0.3 ? $2 : NaN):4 with lines lt i dt 3 lw 1 notitle, \
         for [i=1:words(depths)] tht using ($1 == word(depths, i) + 0 && $2 > 3 ? $2 : NaN):5 with lines lt i dt 3 lw 1 \
            title (i == 1 ? "asymptotes 2γ^2/L, 2γ^{2/L}/L" : ""), \
         for [i=1:words(depths)] tt using ($1 == word(depths, i) + 0 ? $2 : NaN):3 with points lt i pt 6 ps 1.3 \
            title sprintf("GD, L = %s (bisection)", word(depths, i)), \
         for [i=1:words(cmpd)] dt using ($1 == word(cmpd, i) + 0 ? $2 : NaN):3 with linespoints lt colD(word(cmpd." 0", i) + 0) pt 7 ps 1.2 dt 2 \
            title sprintf("MLP η*, L = %s: slope %.2f (T1 over [1,100]: %.2f)", word(cmpd, i), \
                          system(sprintf("awk -F'\t' 'BEGIN {v = 0} $1 == \"%s\" && !n++ {v = $8} END {print v}' %s", word(cmpd, i), dt)) + 0, \
                          system(sprintf("awk -F'\t' 'BEGIN {v = 0} $1 == \"%s\" && !n++ {v = $10} END {print v}' %s", word(cmpd, i), dt)) + 0)
    unset format x
    unset format y
    unset logscale x

    if (hC) {
        # (c) ultra-rich loss curves
        set origin 0, 0
        set size 0.5, 0.5
        set title "(c) ultra-rich SGD at η = η_0 γ^{2/L}: plateau, then drop"
        set xlabel "SGD step t"
        set ylabel "test loss / L_0"
        set logscale y
        set yrange [0.03:1.5]
        set xrange [0:*]
        set key bottom left font ",9"
        plot 0.5 with lines lc rgb '#666666' dt 3 lw 1.5 title "escape threshold L_0/2", \
             for [i=1:words(urg)] ct using ($1 == word(urg, i) + 0 ? $2 : NaN):4 with lines lt i lw 2 \
                title sprintf("γ = %s", word(urg, i)), \
             for [i=1:words(urg)] ct using ($1 == word(urg, i) + 0 && $2 == 0 ? $5 : NaN):(0.5) with points lt i pt 7 ps 1.2 notitle
    
        # (d) one trajectory up to a shift of time
        set title "(d) the same curves against t - t_{esc}(γ)"
        set xlabel "t - t_{esc}  (SGD steps)"
        set origin 0.5, 0
        set xrange [-1500:*]
        if (!hC) { set xrange [-1500:1500] }
        set key bottom left font ",9"
        plot 0.5 with lines lc rgb '#666666' dt 3 lw 1.5 notitle, \
             for [i=1:words(urg)] ct using ($1 == word(urg, i) + 0 ? $6 : NaN):4 with lines lt i lw 2 \
                title sprintf("γ = %s", word(urg, i))
        # inset: against t / t_esc (a rescale collapses worse than the shift)
        set origin 0.76, 0.25
        set size 0.22, 0.2
        set title "rescaled: t / t_{esc}" font ",9"
        unset xlabel
        unset ylabel
        set xrange [0:4]
        set yrange [0.03:1.5]
        set tics font ",8"
        set ytics (0.1, 0.5, 1)
        unset key
        set object 1 rectangle from graph 0, graph 0 to graph 1, graph 1 behind fc rgb '#ffffff' fs solid 1.0
        plot for [i=1:words(urg)] ct using ($1 == word(urg, i) + 0 ? $7 : NaN):4 with lines lt i lw 1.5 notitle
        unset object 1
    } else {
        set origin 0, 0
        set size 1, 0.5
        unset logscale
        set xrange [0:1]
        set yrange [0:1]
        unset xtics
        unset ytics
        unset xlabel
        unset ylabel
        set title "(c, d) ".nr2
        plot NaN notitle
        set xtics
        set ytics
    }
    unset multiplot
    unset output
    set tics font ",11"
    set ytics autofreq
    set title font ""
}

# ---- the sharpness figure: top Hessian eigenvalue against gamma (when sharpness.tsv exists) ----
st = datadir.'/sharpness.tsv'
if (have(st)) {
    Ls = hdr(st, "depth") + 0
    s1 = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"gamma\" && ($1 - 1)^2 < 1e-9 {print $5 / $6; exit}' %s", st))
    cS = s1 ne "" ? s1 + 0 : 1
    g0 = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"gamma\" {print $1; exit}' %s", st)) + 0
    S0 = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"gamma\" {print $5; exit}' %s", st)) + 0
    do for [fmt in "png svg"] {
        eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1300, 560))
        set output sprintf("%s/richness-phase-sharpness.%s", outdir, fmt)
        set multiplot layout 1,2 margins 0.07,0.98,0.12,0.9 spacing 0.09
        set logscale xy
        set format x "10^{%T}"
        set format y "10^{%T}"
        set xrange [*:*]
        set yrange [*:*]
        set xlabel "richness γ"
        set ylabel "S = N λ_{max}(Hessian of the test loss)"
        set title sprintf("(a) sharpness against γ, depth-%d muP MLP: γ^{-2} lazy, γ^{-2/L} rich", Ls)
        set key bottom left font ",9"
        plot st using 1:5 with points pt 7 ps 1.3 lt 1 title "after T steps at the grid's best η", \
             st using 1:4 with points pt 6 ps 1.3 lt 2 title "at init", \
             st using 1:($1 >= 0.99 ? $6 * cS : NaN) with lines lt 1 dt 2 lw 1.5 \
                title "toy law 2/η_{max} (T1), scaled to the MLP at γ = 1", \
             st using 1:($1 <= 0.11 ? S0 * ($1 / g0)**(-2) : NaN) with lines lc rgb '#666666' dt 3 lw 1.5 \
                title "slope -2 (lazy), through γ_{min}", \
             st using 1:($1 >= 0.99 ? cS * (2 / (2 / (Ls * 2**(2.0 * (Ls - 1) / Ls)))) * 1.8 * $1**(-2.0 / Ls) : NaN) \
                with lines lc rgb '#888888' dt 4 lw 1.5 title sprintf("slope -2/L = -%.2f (asymptote, offset)", 2.0 / Ls)
        set title "(b) the best η sits at a fixed fraction of the stability edge η S = 2"
        unset logscale y
        unset format y
        set yrange [0:2.3]
        set ylabel "η_{best} × S_{end}"
        set key bottom right font ",9"
        plot 2 with lines lc rgb '#000000' lw 1.5 title "stability edge η S = 2", \
             st using 1:7 with linespoints pt 7 ps 1.3 lt 1 title "grid argmin η × S_{end}"
        unset multiplot
        unset output
    }
}
