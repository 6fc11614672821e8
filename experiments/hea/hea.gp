# hea.gp: gnuplot -c hea.gp DATADIR OUTDIR
# Figure 1 (hea-eigenstructure): HEA vs empirical kernel eigenvalues, rank by rank, coloured by
# monomial degree, one panel per setting the run computed, and the sum of the top-P HEA
# eigenvalues against the enumeration's largest degree l_max.  Figure 2 (hea-learning-curves):
# (a) Hermite-monomial targets on Gaussian data, linear axes; (b) the same on log axes, where the
# linear targets meet the floor the HEA does not predict; (c) MNIST with the label decomposition's
# unexplained fraction as each width's floor; (d) predicted vs empirical sample complexity n_lrn.
# Titles come from the run's tables, so a user's run is drawn as it was run; a part the run did
# not compute says so in its panel.
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator "\t"
have(f) = system(sprintf("test -s '%s' && echo 1 || echo 0", f)) + 0
uniq(f, c) = system(sprintf("awk -F'\t' '!/^#/ && NR > 1 && $%d != \"\" && !s[$%d]++ {printf \"%%s \", $%d}' '%s' | sed 's/^[a-z_]* //'", c, c, c, f))
eig = datadir.'/h1_eig.tsv'
lmx = datadir.'/h1_lmax.tsv'
array DC[5] = ['#D62728', '#FF7F0E', '#E6B800', '#2CA02C', '#1F77B4']
array DN[5] = ['0 (constant)', '1 (linear)', '2 (quadratic)', '3 (cubic)', '4 (quartic)']
# a setting tag (gauss_e3_w6, mnist_w4, gauss_custom) as a title
stitle(t) = system(sprintf("echo '%s' | sed -E 's/^gauss_e([0-9.]+)_w([0-9.]+)$/Gaussian data, e = \\1, w = \\2/; s/^mnist_w([0-9.]+)$/MNIST, w = \\1/; s/^laplace_e([0-9.]+)_w([0-9.]+)$/Laplace-hea, e = \\1, w = \\2/; s/^gauss_custom$/Gaussian data, this run'\"'\"'s setting/'", t))
kname = system(sprintf("awk '/kernel [a-z-]+ w/ {match($0, /kernel [a-z-]+/); print substr($0, RSTART+7, RLENGTH-7); exit}' '%s/h2_theory.tsv' 2>/dev/null", datadir))
if (strlen(kname) == 0) { kname = "gaussian" }

settings = have(eig) ? uniq(eig, 1) : ""
nset = words(settings)
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 420*(nset+1) + 60, 500))
    set output sprintf("%s/hea-eigenstructure.%s", outdir, fmt)
    set multiplot layout 1,nset+1 title "Hermite eigenstructure ansatz: HEA eigenvalue c_{|α|} Π_a γ_a^{α_a} vs the empirical eig(K/N), rank by rank" font ",12"
    set logscale xy
    set xrange [1e-8:2]
    set yrange [1e-8:2]
    set size ratio -1
    set format x "10^{%L}"
    set format y "10^{%L}"
    set xlabel "empirical eigenvalue  eig(K/N)"
    set ylabel "HEA eigenvalue"
    set key bottom right title "degree |α|" font ",9"
    do for [s=1:nset] {
        st = word(settings, s)
        set title sprintf("%s (%s kernel)", stitle(st), strstrt(st, "mnist") ? "gaussian" : kname) font ",11"
        plot x with lines lc rgb 'gray60' lw 1 notitle, \
             for [g=0:4] eig using (strcol(1) eq st && $5 == g ? $3 : 1/0):4 with points pt 7 ps 0.45 lc rgb DC[g+1] title DN[g+1]
    }
    set size noratio
    unset logscale
    set format x "%g"
    set logscale y
    set format y "%g"
    set offsets 0, 0, graph 0.1, graph 0.1
    set xrange [2:26]
    set autoscale y
    set xlabel "largest degree enumerated, l_{max}"
    set ylabel "Σ of the top-P HEA eigenvalues" offset 1,0
    set key top left title "" font ",8" width -4
    set lmargin 10
    set yrange [0.5:*]
    set title "the top-P set against l_{max}\n(flat: l_{max} does not bind; E K(x,x) = 1)" font ",11"
    if (have(lmx)) {
        lset = uniq(lmx, 1)
        plot for [s=1:words(lset)] lmx using (strcol(1) eq word(lset,s) ? $2 : 1/0):4 with linespoints lt s pt 7 title stitle(word(lset,s))
    } else {
        set label 1 "l_{max} table not written in this run" at graph 0.5, 0.5 center
        set yrange [0.5:1]; set key off; plot 1e30 notitle; set key on
        unset label 1
    }
    unset multiplot
    unset output
}
reset
load 'figures/style.gp'
set datafile separator "\t"

h2t = datadir.'/h2_theory.tsv'
h2e = datadir.'/h2_exp.tsv'
h3t = datadir.'/h3_theory.tsv'
h3e = datadir.'/h3_exp.tsv'
nl = datadir.'/h_nlrn.tsv'
have_h2 = have(h2e)
have_h3 = have(h3e)
# target names as written (z0^2, z0 z1) and as enhanced text (z_0^2, z_0 z_1)
tg = have_h2 ? uniq(h2e, 1) : ""
# names contain spaces ("z0 z1"): read them one per line instead
ntg = have_h2 ? system(sprintf("awk -F'\t' '!/^#/ && NR > 1 && $1 != \"target\" && !s[$1]++ {n++} END {print n+0}' '%s'", h2e)) + 0 : 0
tname(i) = system(sprintf("awk -F'\t' '!/^#/ && $1 != \"target\" && !s[$1]++ {n++; if (n == %d) {print $1; exit}}' '%s'", i, h2e))
tlabel(t) = system(sprintf("echo '%s' | sed -E 's/z([0-9]+)/z_{\\1}/g'", t))
h2set = have_h2 ? system(sprintf("awk '/^# H2: Gaussian data/ {sub(/^# H2: /, \"\"); n = index($0, \", P =\"); print (n ? substr($0, 1, n-1) : $0); exit}' '%s' | sed -E 's/gamma ~ \\(a\\+6\\)\\^-([0-9.]+)/γ_a ∝ (a+6)^{-\\1}/'", h2t)) : ""
# the envelope mass of target t (-1 when not a linear target of the Gaussian kernel)
envv(i) = system(sprintf("awk -F'\t' -v t='%s' '!/^#/ && $1 == t {print $9; exit}' '%s'", tname(i), h2e)) + 0
h3set = have_h3 ? system(sprintf("awk '/^# H3: MNIST/ {sub(/^# H3: /, \"\"); n = index($0, \", ridge\"); print (n ? substr($0, 1, n-1) : $0); exit}' '%s'", h3t)) : ""
ws = have_h3 ? uniq(h3e, 1) : ""
eps(w) = system(sprintf("awk -F'\t' '!/^#/ && $1 == \"%s\" {print $4; exit}' '%s'", w, h3t))
epsv(w) = (es = eps(w), strlen(es) > 0 ? es + 0 : NaN)
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1500, 1050))
    set output sprintf("%s/hea-learning-curves.%s", outdir, fmt)
    set multiplot layout 2,2 title "HEA learning curves: theory from the data covariance and the target's Hermite coefficients (lines) vs KRR (points, ±1 sd over trials)" font ",12"
    # (a) and (b): the Gaussian-data monomials, linear then log MSE
    do for [panel=1:2] {
        unset logscale
        set logscale x
        set format x "10^{%L}"
        set xrange [8:3000]
        set xlabel "training set size n"
        set ylabel "test MSE"
        if (panel == 1) {
            unset format y
            set yrange [0:*]
            set title sprintf("(a) Hermite monomials: %s", h2set) font ",10"
            set key top right font ",9" title ""
        } else {
            set logscale y
            set format y "10^{%L}"
            set yrange [1e-9:5]
            set title "(b) the same, log scale: below MSE ≈ 10^{-3} the linear targets stop at a floor\ndotted: the part of z_a outside its exact eigenfunction (Gaussian envelope the HEA drops)" font ",10"
            set key bottom left font ",9" title ""
        }
        if (!have_h2) {
            set label 1 "Gaussian-data learning curves not run in this run" at graph 0.5, 0.5 center
            set yrange [0.5:1]; set key off; plot 1e30 notitle; set key on
            unset label 1
        } else {
            if (panel == 1) {
                plot for [t=1:ntg] h2t using (strcol(1) eq tname(t) ? $3 : 1/0):4 with lines lt t title tlabel(tname(t)), \
                     for [t=1:ntg] h2e using (strcol(1) eq tname(t) ? $3 : 1/0):5:6 with yerrorbars lt t pt 7 notitle
            } else {
                plot for [t=1:ntg] h2t using (strcol(1) eq tname(t) ? $3 : 1/0):4 with lines lt t title tlabel(tname(t)), \
                     for [t=1:ntg] h2e using (strcol(1) eq tname(t) ? $3 : 1/0):5:($5 - $6 > 0 ? $5 - $6 : $5/3):($5 + $6) with yerrorbars lt t pt 7 notitle, \
                     for [t=1:ntg] (envv(t) > 0 ? envv(t) : 1/0) with lines lt t dt 3 lw 2 notitle
            }
        }
    }
    # (c) MNIST
    unset logscale
    set logscale x
    set format x "10^{%L}"
    unset format y
    set xrange [8:4000]
    set yrange [0:1.25]
    set title sprintf("(c) %s\nlines: HEA + Hermite decomposition of the labels; dashed: each width's floor ε̂^2", have_h3 ? h3set : "MNIST") font ",10"
    set key top right font ",9" title ""
    if (have_h3) {
        # each width's floor: its own colour and dash, labelled with its value (the two lie close)
        do for [i=1:words(ws)] {
            if (epsv(word(ws,i)) == epsv(word(ws,i))) { set label 10+i sprintf("ε̂^2 = %.3f (w = %s)", epsv(word(ws,i)), word(ws,i)) at 10, epsv(word(ws,i)) offset 0, (i == 1 ? 0.8 : -0.8) textcolor lt i font ",9" }
        }
        plot for [i=1:words(ws)] h3t using ($1 == word(ws,i)+0 ? $2 : 1/0):3 with lines lt i title sprintf("theory, w = %s", word(ws,i)), \
             h3t using ($1 == word(ws,1)+0 ? $2 : 1/0):4 with lines lt 1 dt 2 lw 1.5 notitle, \
             (words(ws) > 1 ? h3t : NaN) using ($1 == word(ws,2)+0 ? $2 : 1/0):4 with lines lt 2 dt 4 lw 1.5 notitle, \
             for [i=1:words(ws)] h3e using ($1 == word(ws,i)+0 ? $2 : 1/0):4:5 with yerrorbars lt i pt 7 title sprintf("KRR, w = %s", word(ws,i))
        do for [i=1:words(ws)] { unset label 10+i }
    } else {
        set label 1 "MNIST part not run in this run" at graph 0.5, graph 0.5 center
        set yrange [0.5:1]; set key off; plot 1e30 notitle; set key on
        unset label 1
    }
    # (d) sample complexity
    set title "(d) sample complexity: n where the test MSE first reaches 0.5" font ",10"
    set logscale xy
    set format y "10^{%L}"
    set xrange [5:5000]
    set yrange [5:5000]
    set size ratio -1
    set xlabel "empirical n_{lrn}"
    set ylabel "predicted n_{lrn}"
    set key top left
    if (have(nl)) {
        plot x with lines lc rgb 'gray60' notitle, \
             for [g=1:3] nl using (strcol(1) eq "gaussian" && $3 == g && $4 > 0 && $5 > 0 ? $5 : 1/0):4 with points pt 7 ps 1.3 lc rgb DC[g+1] title sprintf("Gaussian data, degree %d", g), \
             nl using (strcol(1) eq "mnist" && $4 > 0 && $5 > 0 ? $5 : 1/0):4 with points pt 5 ps 1.3 lc rgb 'black' title "MNIST (each width)"
    } else {
        set label 1 "no learning curves in this run" at graph 0.5, graph 0.5 center
        set yrange [0.5:1]; set key off; plot 1e30 notitle; set key on
        unset label 1
    }
    unset multiplot
    unset output
}

# Figure 3 (hea-nets): (a) the eigenspace-overlap heat map (rows: HEA modes by rank bin; columns:
# the kernel's empirical eigenvectors by rank bin; a diagonal map means the eigenfunctions are the
# Hermite polynomials); (b) time to learn each Hermite monomial by a trained ReLU net against the
# kernel-regime prediction ln 2/(2 lambda_HEA), with the identity line.  Parts not run are left out.
ov = datadir.'/overlap.tsv'
ml = datadir.'/mlp_ttl.tsv'
npart = have(ov) + have(ml)
if (npart > 0) {
    ovN = have(ov) ? system(sprintf("sed -n 's/^# Gaussian data.*N = \\([0-9]*\\) samples.*/\\1/p' '%s'", ov)) : ""
    ovK = have(ov) ? system(sprintf("sed -n 's/^# Gaussian data.*top K = \\([0-9]*\\) .*/\\1/p' '%s'", ov)) : ""
    ovnote = sprintf("Gaussian data d = 200, γ_a ∝ (a+6)^{-3}, Gaussian kernel w = 6; N = %s, top %s modes", ovN, ovK)
    do for [fmt in "png svg"] {
        eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 560 * npart, 520))
        set output sprintf("%s/hea-nets.%s", outdir, fmt)
        set multiplot layout 1, npart title "Are the eigenfunctions Hermite polynomials, and does a trained net learn them in HEA order?" font ",12"
        if (have(ov)) {
            unset logscale; set autoscale
            set title "(a) eigenspace overlap, HEA modes vs empirical eigenvectors\n{/*0.8 ".ovnote."}" font ",11"
            set xlabel "empirical eigenvector rank bin (first rank)"
            set ylabel "HEA mode rank bin (first rank)"
            set size ratio -1
            set view map
            set cbrange [0:1]
            set cblabel "mean squared overlap"
            set palette defined (0 'white', 0.3 '#9ecae1', 1 '#08306b')
            set xtics ("1" 0, "2" 1, "4" 2, "8" 3, "16" 4, "32" 5, "64" 6, "128" 7, "256" 8, "512" 9)
            set ytics ("1" 0, "2" 1, "4" 2, "8" 3, "16" 4, "32" 5, "64" 6, "128" 7, "256" 8, "512" 9)
            set xrange [-0.5:*]; set yrange [-0.5:*]
            unset key
            plot ov using 2:1:5 with image notitle, \
                 ov using 2:1:(sprintf("%.2f", $5)) with labels font ",8" notitle
            set xtics autofreq; set ytics autofreq; unset view; set size noratio
            set key
        }
        if (have(ml)) {
            unset logscale; set autoscale
            set title "(b) time to learn h_α(z): trained 1HL ReLU net vs ln 2 / (2 λ_{HEA})" font ",11"
            set logscale xy
            set xrange [2:200]
            set yrange [2:200]
            set size ratio -1
            set xlabel "predicted time t^* = ln 2 / (2 λ_{HEA})"
            set ylabel "measured time (relative test MSE first ≤ 1/2)"
            set key top left font ",9"
            plot x with lines lc rgb 'gray60' title "t = t^*", \
                 ml using ($2 == 1 && $5 > 0 ? $4 : 1/0):5 with points pt 7 ps 1.4 lc rgb DC[2] title "degree 1", \
                 ml using ($2 == 2 && $5 > 0 ? $4 : 1/0):5 with points pt 5 ps 1.4 lc rgb DC[3] title "degree 2", \
                 ml using ($5 > 0 ? $4 : 1/0):5:1 with labels offset 1.2, -0.6 font ",8" left notitle
            set size noratio
        }
        unset multiplot
        unset output
    }
}
