# fact.gp: the Features At Convergence Theorem against the Neural Feature Ansatz.
#   gnuplot -c fact.gp DATADIR OUTDIR
# Titles and labels come from the run's own "# param" header lines; a part the run did not ask
# for is left out (its figure is not drawn).
# Writes OUTDIR/fact.{png,svg}: (a) 1 - cos(W^T W, .) for FACT, AGOP^(1/2) and AGOP against the GD
# step, with FACT's theory bound from the weight gradient; (b) the FACT residual rho against its
# exact bound rho_raw, the gradient norm and the asymmetry of F; (c)-(e) the final W^T W, F_sym and
# AGOP^(1/2) on one diverging scale.  And OUTDIR/fact-lambda.{png,svg} (if sweep.tsv exists): the
# same agreement at the end of training against the weight decay lambda.  OUTDIR/fact-rfm (if
# rfm.tsv exists): FACT-RFM against RFM on a sparse parity.  OUTDIR/fact-deep (if deep.tsv exists):
# FACT at every layer of a three-layer net against each layer's stationarity bound.
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'

tr = datadir.'/trace.tsv'
mx = datadir.'/matrices.tsv'
sw = datadir.'/sweep.tsv'
fexists(f) = system(sprintf("test -s '%s' && echo 1 || echo 0", f)) + 0
have_trace = fexists(tr) && fexists(mx)
have_sweep = fexists(sw)
# the run's own parameters, from the header of whichever table this run wrote
rf = datadir.'/rfm.tsv'
rd = datadir.'/rfm_diag.tsv'
dp = datadir.'/deep.tsv'
hdr = have_trace ? tr : have_sweep ? sw : fexists(dp) ? dp : rf
param(f, name) = system(sprintf("awk '/^# param %s = / {print $5; exit}' '%s' 2>/dev/null", name, f))
lam = param(hdr, 'lambda')
act = param(hdr, 'act')
bias = param(hdr, 'bias')
N = param(hdr, 'width')
nn = param(hdr, 'samples')
d = param(hdr, 'din') + 0
T = param(hdr, 'steps') + 0
tgt = param(hdr, 'target')
biastxt = bias eq 'off' ? ', no biases' : ''
# last row of the trace (block shares of the final matrices: columns 19-21; test loss 17-18)
lastcol(c) = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"t\" {v = $%d} END {print v}' '%s' 2>/dev/null", c, tr))

# FACT's theory for the cosine: ||W^TW - F_sym|| <= rho_raw ||W^TW|| puts F_sym inside a ball
# around W^TW, so sin(angle) <= rho_raw and 1 - cos <= 1 - sqrt(1 - rho_raw^2) (for rho_raw < 1),
# written in a form without cancellation.
cosbound(x) = x < 1 ? x**2 / (1 + sqrt(1 - x**2)) : NaN
omc(c) = 1 - c  # 1 - cos: in (1, 2] for a negative cosine (marked with an open symbol)

# shared colour range of the heat maps: the largest |entry| of the three unit-norm matrices
cmax = have_trace ? system(sprintf("awk -F'\t' '!/^#/ && $4 != \"AGOP\" && $4 != \"matrix\" {v = $3 < 0 ? -$3 : $3; if (v > m) m = v} END {print m}' %s", mx)) + 0 : 1
block(name) = sprintf("< awk -F'\t' '$4 == \"%s\"' %s", name, mx)
if (have_trace) {
    sh1 = lastcol(19) + 0; sh2 = lastcol(20) + 0; sh3 = lastcol(21) + 0
    tl = (lastcol(17) + 0) / (lastcol(18) + 0)
}

if (have_trace) {
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1300, 950))
    set output sprintf("%s/fact.%s", outdir, fmt)
    set multiplot title sprintf("FACT vs the Neural Feature Ansatz: two-layer %s net%s, N = %s, n = %s, d = %d, y = %s, λ = %s, full-batch GD", act, biastxt, N, nn, d, tgt, lam) font ",13"

    # ---- (a) cosine similarities along training ----
    # (undo the heat maps' settings of the previous format's pass)
    set xtics autofreq scale 0.6 font ""
    set ytics autofreq scale 0.6 font ""
    set grid xtics ytics
    set key
    set ylabel offset 0,0
    set origin 0.0, 0.47
    set size noratio 0.5, 0.49
    set lmargin 10; set rmargin 2; set tmargin 2.5; set bmargin 3.5
    set title "(a) agreement with W^TW along training (dotted: F_{sym} against AGOP^{1/2})"
    set xlabel "GD step t"
    set ylabel "1 - cos(W^TW, M)"
    set logscale y
    set format y "10^{%L}"
    set yrange [1e-6:2]
    set xrange [-T*0.03:T*1.03]
    set key bottom left
    plot tr using 1:(cosbound($13)) with lines lt 1 dt 2 lw 1.5 title "FACT theory bound 1-(1-ρ_{raw}^2)^{1/2}", \
         tr using 1:(omc($4)) with linespoints lt 1 lw 1 pt 7 title "M = F_{sym} (FACT)", \
         tr using 1:(omc($7)) with linespoints lt 2 lw 1 pt 5 title "M = AGOP^{1/2} (NFA)", \
         tr using 1:(omc($8)) with linespoints lt 3 lw 1 pt 9 title "M = AGOP", \
         tr using 1:($4 < 0 ? omc($4) : NaN) with points pt 6 ps 2.2 lc rgb 'black' title "cos < 0 (FACT at t = 0)", \
         tr using 1:(omc($22)) with linespoints lt 4 lw 1.5 dt 3 pt 13 title "FACT vs NFA: 1 - cos(F_{sym}, AGOP^{1/2})"

    # ---- (b) the FACT residual and its bound from the weight gradient ----
    set origin 0.5, 0.47
    set title sprintf("(b) FACT residual follows stationarity; final test loss %.2g L_{null}", tl)
    set ylabel "residual, gradient norm, loss ratio"
    set yrange [*:*]
    set key top right font ",9"
    plot tr using 1:13 with lines lt 1 lw 2 title "ρ_{raw} = |W^T∇_WL| / (λ|W^TW|) (bound, from (E1))", \
         tr using 1:5 with points lt 1 pt 7 ps 1.2 title "ρ = |W^TW - F_{sym}| / |W^TW|", \
         tr using 1:3 with linespoints lt 2 lw 1 pt 5 title "|∇L|", \
         tr using 1:6 with linespoints lt 3 lw 1 pt 9 title "asymmetry a of F", \
         tr using 1:($2 / $16) with linespoints lt 5 lw 1 pt 4 title "train loss / L_{null}", \
         tr using 1:($17 / $18) with linespoints lt 4 lw 1 pt 6 title "test loss / L_{null}"

    # ---- (c)-(e) heat maps of the final matrices ----
    unset logscale y
    set format y "%g"
    set palette defined (-1 '#0072B2', 0 '#ffffff', 1 '#D55E00')
    set cbrange [-cmax:cmax]
    set xrange [0.5:d+0.5]
    set yrange [d+0.5:0.5]
    set xtics 1 scale 0 font ",8"
    set ytics 1 scale 0 font ",8"
    set grid noxtics noytics
    set xlabel "j"
    set ylabel "i" offset 1.5,0
    unset key
    array M[3] = ["WtW", "F_sym", "AGOP_half"]
    array TT[3] = [sprintf("(c) W^TW at t = T (2×2 block: %.3f of |·|^2)", sh1), sprintf("(d) F_{sym} (FACT) at t = T (block %.3f)", sh2), sprintf("(e) AGOP^{1/2} (NFA) at t = T (block %.3f)", sh3)]
    do for [k=1:3] {
        set origin (k-1)*0.31, 0.0
        set size ratio 1 0.31, 0.46
        set lmargin 6; set rmargin 2; set tmargin 2; set bmargin 3
        set title TT[k]
        if (k == 3) { set colorbox user origin 0.945, 0.07 size 0.012, 0.32; set cbtics font ",8" } else { unset colorbox }
        plot block(M[k]) using 2:1:3 with image pixels
    }
    unset multiplot
    unset output
}
}

if (have_sweep) {
    reset
    load 'figures/style.gp'
    do for [fmt in "png svg"] {
        eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1200, 500))
        set output sprintf("%s/fact-lambda.%s", outdir, fmt)
        dt = param(sw, 'decay-times'); smin = param(sw, 'sweep-min'); smax = param(sw, 'sweep-max')
        set multiplot layout 1,2 title sprintf("End of training against weight decay (%s%s, N = %s, n = %s, d = %d, target %s; T_λ = %s/(ηλ) steps within [%s, %s])", act, biastxt, N, nn, d, tgt, dt, smin, smax) font ",12"
        stats sw using 1 nooutput
        set logscale x
        set xrange [STATS_min / 1.6:STATS_max * 1.6]
        set xlabel "weight decay λ"
        set logscale y
        set format y "10^{%L}"
        set title "(a) agreement with W^TW at t = T_λ"
        set ylabel "1 - cos(W^TW, M)"
        set yrange [1e-12:1e1]
        set key bottom right
        plot sw using 1:(cosbound($8)) with lines lt 1 dt 2 lw 1.5 title "FACT theory bound", \
             sw using 1:(1 - $6) with linespoints lt 1 lw 1 pt 7 title "F_{sym} (FACT)", \
             sw using 1:(1 - $10) with linespoints lt 2 lw 1 pt 5 title "AGOP^{1/2} (NFA)", \
             sw using 1:(1 - $11) with linespoints lt 3 lw 1 pt 9 title "AGOP", \
             sw using 1:($16 / $17 > 0.25 ? 1 - $6 : NaN) with points pt 6 ps 2.4 lc rgb 'black' title "not learned (test loss > 0.25 L_{null})", \
             sw using 1:($16 / $17 > 0.25 ? 1 - $10 : NaN) with points pt 6 ps 2.4 lc rgb 'black' notitle
        set title "(b) did the network learn?  train and test loss, FACT residual"
        set ylabel "ratio"
        set yrange [1e-5:2]
        set key bottom left
        plot sw using 1:($3 / $4) with linespoints lt 4 lw 1 pt 7 title "final train loss / L_{null}", \
             sw using 1:($16 / $17) with linespoints lt 5 lw 1 pt 6 title "final test loss / L_{null}", \
             sw using 1:8 with lines lt 1 lw 2 title "ρ_{raw} (theory bound)", \
             sw using 1:7 with points lt 1 pt 7 ps 1.2 title "ρ", \
             0.25 with lines lt 7 dt 3 lw 1 title "fact.C4 threshold on the test loss (0.25 L_{null})"
        unset multiplot
        unset output
    }
}

if (fexists(rf)) {
    reset
    load 'figures/style.gp'
    rparam(name) = system(sprintf("awk '/^# param %s = / {print $5; exit}' '%s' 2>/dev/null", name, rf))
    rd_ = rparam('rfm-d'); sup = rparam('rfm-support'); rbw = rparam('rfm-bw'); rreg = rparam('rfm-reg')
    nlist = system(sprintf("awk -F'\t' '!/^#/ && $1 == \"fact\" && $3 == 0 {printf \"%%s \", $2}' %s", rf))
    nmax = word(nlist, words(nlist))
    k = words(system(sprintf("echo %s | tr ',' ' '", sup)))
    do for [fmt in "png svg"] {
        eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 560))
        set output sprintf("%s/fact-rfm.%s", outdir, fmt)
        set multiplot layout 1,3 title sprintf("FACT-RFM (M ← PSD part of the FACT matrix) against RFM (M ← AGOP): sparse parity of x_{%s}, x uniform on \\{0,1\\}^{%s}, Laplace kernel L = %s, ridge %s", sup, rd_, rbw, rreg) font ",12"
        set bmargin 10; set tmargin 3
        set title "(a) test accuracy along the iterations"
        set xlabel "iteration (fit with M_k; M_0 = I)"
        set ylabel "test accuracy"
        set yrange [0.3:1.15]
        set key at graph 0.98, graph 0.70 right top font ",8" samplen 2
        sel(m, n) = sprintf("< awk -F'\t' '$1 == \"%s\" && $2 == %s' %s", m, n, rf)
        plot for [i=1:words(nlist)] sel("fact", word(nlist, i)) using 3:6 with linespoints lt i lw 2 pt 7 title sprintf("FACT-RFM, n = %s", word(nlist, i)), \
             for [i=1:words(nlist)] sel("agop", word(nlist, i)) using 3:6 with linespoints lt i lw 1 dt 2 pt 6 title sprintf("RFM, n = %s", word(nlist, i)), \
             0.5 with lines lt 7 dt 3 lw 1 title "chance (M = I prediction)", \
             1 with lines lt 8 dt 3 lw 1 title "learned"
        set title "(b) share of |M|_F^2 on the support block"
        set ylabel "share"
        set logscale y
        set format y "10^{%L}"
        set yrange [1e-3:2]
        set key outside below center horizontal maxrows 4 font ",9"
        plot for [i=1:words(nlist)] sel("fact", word(nlist, i)) using 3:7 with linespoints lt i lw 2 pt 7 title sprintf("FACT-RFM, n = %s", word(nlist, i)), \
             for [i=1:words(nlist)] sel("agop", word(nlist, i)) using 3:7 with linespoints lt i lw 1 dt 2 pt 6 title sprintf("RFM, n = %s", word(nlist, i)), \
             (k*1.0)/rd_ with lines lt 7 dt 3 title "M = I", \
             1 with lines lt 8 dt 3 title "M on the support only"
        unset logscale y
        set format y "%g"
        set title sprintf("(c) diagonal of the final M at n = %s (support %s)", nmax, sup)
        set xlabel "coordinate k"
        set ylabel "M_{kk} (tr M = d)"
        set yrange [0:*]
        set xrange [0.5:rd_+0.5]
        set key inside top right font ",9"
        set style fill solid 0.6 noborder
        set boxwidth 0.4
        set key top right font ",9"
        plot rd using ($1-0.2):2 with boxes lt 1 title "FACT-RFM", \
             rd using ($1+0.2):3 with boxes lt 2 title "RFM (AGOP)", \
             1 with lines lt 7 dt 3 title "M = I"
        unset multiplot
        unset output
    }
}

if (fexists(dp)) {
    reset
    load 'figures/style.gp'
    cosbound(x) = x < 1 ? x**2 / (1 + sqrt(1 - x**2)) : NaN
    dparam(name) = system(sprintf("awk '/^# param %s = / {print $5; exit}' '%s' 2>/dev/null", name, dp))
    dw = dparam('deep-width'); dlam = dparam('lambda'); dact = dparam('act')
    do for [fmt in "png svg"] {
        eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1000, 520))
        set output sprintf("%s/fact-deep.%s", outdir, fmt)
        set title sprintf("FACT at every layer of a three-layer %s net (widths d, %s, %s, 1; λ = %s): 1 - cos(W_l^TW_l, F_{l,sym}) and its bound", dact, dw, dw, dlam) font ",12"
        set xlabel "GD step t"
        set ylabel "1 - cos(W_l^TW_l, F_{l,sym})"
        set logscale y
        set format y "10^{%L}"
        set yrange [1e-7:3]
        set key bottom left font ",10"
        lay(l) = sprintf("< awk -F'\t' '$3 == %d' %s", l, dp)
        array LN[3] = ["layer 1 (x → h_1)", "layer 2 (h_1 → h_2)", "layer 3 (readout)"]
        plot for [l=1:3] lay(l) using 1:(1 - $4) with linespoints lt l lw 1.5 pt 7 title LN[l], \
             for [l=1:3] lay(l) using 1:(cosbound($6)) with lines lt l dt 2 lw 1.5 title sprintf("bound from stationarity, layer %d", l)
        unset output
    }
}
