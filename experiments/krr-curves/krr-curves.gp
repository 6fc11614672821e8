# krr-curves.gp: the three figures of krr-curves (conservation, learning curves, deep bootstrap).
#   gnuplot -c experiments/krr-curves/krr-curves.gp DATADIR OUTDIR
# Theory as lines, experiment as points with +-1 standard-error bars.  Titles, target lists and
# axis ranges come from the run's own tables (their `# param` and note lines), so a user's run
# (`make plot RUN=DIR`) is drawn as it was run; a table the run did not write leaves its panel
# saying so instead of stopping the script.
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator "\t"
set datafile commentschars "#"
have(f) = system(sprintf("test -s '%s' && echo 1 || echo 0", f)) + 0
# the first free-text note line of a table (after the # experiment/param/library headers), up to
# its first ';'
note(f) = system(sprintf("awk '/^# / && !/^# (experiment|table|claims|command|param|libraries|blas|L_exp|lambda)/ {sub(/^# /, \"\"); n = index($0, \";\"); print (n ? substr($0, 1, n-1) : $0); exit}' '%s'", f))
param(f, k) = system(sprintf("awk -F' = ' '$1 == \"# param %s\" {print $2; exit}' '%s'", k, f))
# distinct values of a column, in order of appearance
uniq(f, c) = system(sprintf("awk -F'\t' '!/^#/ && NR > 1 && $%d != \"\" && !s[$%d]++ {printf \"%%s \", $%d}' '%s' | sed 's/^[a-z_]* //'", c, c, c, f))
colmax(f, c) = system(sprintf("awk -F'\t' '!/^#/ && $%d + 0 > m {m = $%d + 0} END {print m + 0}' '%s'", c, c, f)) + 0

# ---- Figure 1: conservation law on the circle Z_10 (paper Fig. 1, kernel bars) ----
cons = datadir.'/conservation.tsv'
kidx(s) = (s eq "laplace") ? 0 : (s eq "gaussian") ? 1 : 2
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1200, 500))
    set output sprintf("%s/krr-curves-conservation.%s", outdir, fmt)
    if (!have(cons)) {
        set title "Conservation of learnability on the circle Z_{10}"
        set label 1 "circle part not run in this run" at graph 0.5, 0.5 center
        unset xtics; unset ytics
        set yrange [0.5:1]; set key off; plot 1e30 notitle; set key on
        unset label 1
    } else {
        ncons = system(sprintf("awk -F'\t' '!/^#/ && $2 ~ /^[0-9]+$/ && !s[$2]++ {printf \"%%s \", $2}' '%s'", cons))
        set multiplot layout 1,words(ncons) title "Conservation of learnability on the circle Z_{10}: ridgeless KRR and ReLU nets trained by GD (NTK parametrisation), one training set per n"
        nets = datadir.'/conservation_net.tsv'
        netw = have(nets) ? uniq(nets, 1) : ""
        nw = words(netw)
        wpos(w) = 3 + sum [i=1:nw] ((w == word(netw, i) + 0) ? i - 1 : 0)
        set xrange [-0.6:2.6 + nw]
        set xtics ("Laplace\nℓ=1" 0, "Gauss.\nℓ=0.5" 1, "NTK\nL=4" 2)
        do for [i=1:nw] { set xtics add (sprintf("net\nw=%s", word(netw, i)) 2 + i) }
        set bmargin 4
        set ylabel "stacked D-learnability L^{(D)}(φ_k) of the 10 Fourier modes"
        set key outside right top vertical title "frequency k" noopaque
        do for [nn in ncons] {
            n = nn + 0
            set yrange [0:n*1.25]
            set title sprintf("n = %d: kernels sum to %d exactly, trained nets nearly", n, n)
            cum = 0
            cumn = 0
            # rows are grouped by kernel (nets: by width and init), mode 0 first: restart the running
            # sum at mode 0; nets: the first initialisation of each width
            plot cons skip 1 using (kidx(strcol(1))):((column(2) == n) ? (cum = ($3 == 0 ? 0 : cum) + $5, cum - $5/2) : NaN):(0.32):($5/2):($4+1) \
                     with boxxyerror fs solid 0.85 border lc rgb "white" lc variable notitle, \
                 for [k=0:5] NaN with boxes fs solid 0.85 lt (k+1) title sprintf("%d", k), \
                 (nw > 0 ? nets : cons) skip 1 using (nw > 0 ? wpos($1) : NaN):((nw > 0 && column(2) == n && column(3) == 0) ? (cumn = ($4 == 0 ? 0 : cumn) + $7, cumn - $7/2) : NaN):(0.32):(abs($7)/2):($5+1) \
                     with boxxyerror fs solid 0.85 border lc rgb "white" lc variable notitle, \
                 n with lines dt 2 lw 2 lc rgb "black" title "n"
        }
        unset multiplot
    }
    unset output
}
reset
load 'figures/style.gp'
set datafile separator "\t"

# ---- Figure 2: learning curves (paper Fig. 2: cube, sphere, MNIST panels) ----
panels_all = "circle cube sphere mnist_0v1 mnist_3v8"
# the circle column only when the run wrote it (older runs and single-panel runs have none)
panels = have(datadir.'/learning_circle.tsv') ? panels_all : "cube sphere mnist_0v1 mnist_3v8"
npan = words(panels)
pname(p) = (p eq "circle") ? "circle" : (p eq "cube") ? "cube" : (p eq "sphere") ? "sphere" : (p eq "mnist_0v1") ? "MNIST 0 vs 1" : "MNIST 3 vs 8"
tname(p) = (p eq "cube" || p eq "circle") ? "k = " : (p eq "sphere") ? "degree k = " : ""
# panel title from the table's note: domain and kernel (MNIST: the task, kernel and pool)
ptitle(f, p) = strstrt(p, "mnist") ? system(sprintf("awk '/^# MNIST/ {match($0, /MNIST [0-9] vs [0-9]/); t = substr($0, RSTART, RLENGTH); match($0, /kernel [^,]*/); k = substr($0, RSTART+7, RLENGTH-7); sub(/ wstd.*/, \"\", k); match($0, /pool M = [0-9]*/); print t \", \" k \", \" substr($0, RSTART, RLENGTH); exit}' '%s'", f)) \
             : system(sprintf("awk '/^# (cube|sphere|circle)/ {sub(/^# /, \"\"); sub(/cube [{]-1,1[}]\\^/, \"hypercube d = \"); sub(/ [(]unit radius[)]/, \"\"); sub(/ wstd=[^ ,]*/, \"\"); sub(/ bstd=[^ ,]*/, \"\"); sub(/ of M = /, \" \"); n = index($0, \", ridge\"); print (n ? substr($0, 1, n-1) : $0); exit}' '%s'", f))
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 400 * npan, 800))
    set output sprintf("%s/krr-curves-learning.%s", outdir, fmt)
    set multiplot layout 2,npan title "KRR learning curves: eigenframework theory (lines) vs experiment (points, ±1 s.e.)"
    set logscale x
    set format x "10^{%L}"
    do for [row in "L mse"] {
        do for [p in panels] {
            lf = datadir.'/learning_'.p.'.tsv'
            tf = datadir.'/theory_'.p.'.tsv'
            ok = have(lf)
            set title (row eq "L" ? (ok ? ptitle(lf, p) : pname(p)).(p eq "circle" ? "\nmodes √2 cos kθ" : p eq "cube" ? "\nparities χ_{1..k}" : p eq "sphere" ? "\nzonal harmonics of degree k" : "") : "") font ",10"
            set xlabel (row eq "L" ? "" : "training set size n")
            set ylabel (row eq "L" ? "learnability L" : "test MSE")
            # x from 1 to a little beyond the largest measured n of this panel
            if (ok) { nmax = colmax(lf, 1); set xrange [1:(nmax > 0 ? 1.5*nmax : 3000)] } else { set xrange [1:3000] }
            if (row eq "L") { set yrange [0:1.02]; if (p eq "cube") { set key top left } else { set key bottom right } } else { set yrange [0:1.2]; set key top right }
            if (!ok) {
                set label 1 sprintf("%s not run in this run", pname(p)) at graph 0.5, 0.5 center
                set yrange [0.5:1]; set key off; plot 1e30 notitle; set key on
                unset label 1
            } else {
                cL = (row eq "L") ? 4 : 7
                cT = (row eq "L") ? 3 : 4
                if (strstrt(p, "mnist")) {
                    plot lf skip 1 using 1:($11 == 0 ? column(cL) : NaN):(column(cL+1)) with yerrorbars lt 2 pt 7 title "experiment", \
                         lf skip 1 using 1:($11 == 1 ? column(cL) : NaN):(column(cL+1)) with yerrorbars lt 2 pt 6 title "n > M/8 (beyond pool)", \
                         tf skip 1 using 1:(column(cT)) with lines lt 1 title "theory (pool spectrum)"
                } else {
                    tl = uniq(lf, 2)
                    # the cube table holds every level: draw the paper's parities k = 0, 1, 3, d
                    if (p eq "cube" && words(tl) > 5) { tl = sprintf("%s %s %s %s", word(tl,1), word(tl,2), word(tl,4), word(tl,words(tl))) }
                    # trained networks (cube only): one hollow square per training set, beside the KRR mean
                    nf = datadir.'/learning_cube_net.tsv'
                    hn = (p eq "cube") && have(nf)
                    cN = (row eq "L") ? 9 : 10
                    nwid = hn ? system(sprintf("awk -F'\t' '!/^#/ && $1 ~ /^[0-9]+$/ {print $1; exit}' '%s'", nf)) : ""
                    plot for [i=1:words(tl)] tf skip 1 using 1:($2 == word(tl,i)+0 ? column(cT) : NaN) with lines lt i notitle, \
                         for [i=1:words(tl)] lf skip 1 using 1:($2 == word(tl,i)+0 ? column(cL) : NaN):(column(cL+1)) \
                              with yerrorbars lt i pt 7 title sprintf("%s%s", tname(p), word(tl,i)), \
                         for [i=1:words(tl)] (hn ? nf : lf) skip 1 using (hn ? 1.12*$2 : NaN):(hn && $3 == word(tl,i)+0 ? column(cN) : NaN) \
                              with points lt i pt 4 ps 1.3 notitle, \
                         (hn ? nf : lf) skip 1 using (NaN):(NaN) with points lc rgb "black" pt 4 ps 1.3 \
                              title (hn ? sprintf("net, width %s", nwid) : "")
                }
            }
        }
    }
    unset multiplot
    unset output
}
reset
load 'figures/style.gp'
set datafile separator "\t"

# ---- Figure 3: the deep bootstrap (paper Fig. 3, synthetic panel, KRR version) ----
bt = datadir.'/bootstrap_theory.tsv'
bs = datadir.'/bootstrap_sim.tsv'
hbt = have(bt)
hbs = have(bs)
nlist = hbt ? system(sprintf("awk -F'\t' '!/^#/ && $1 ~ /^[0-9]+$/ && $1 > 0 && !s[$1]++ {printf \"%%s \", $1}' '%s'", bt)) : ""
slist = hbs ? system(sprintf("awk -F'\t' '!/^#/ && $1 ~ /^[0-9]+$/ && !s[$1]++ {printf \"%%s \", $1}' '%s'", bs)) : ""
# colour of a simulated n: the theory curve's colour when that n has one, else its own
cidx(n) = (strstrt(" ".nlist, sprintf(" %d ", n)) > 0) ? words(substr(nlist, 1, strstrt(" ".nlist, sprintf(" %d ", n)))) : 0
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1000, 700))
    set output sprintf("%s/krr-curves-bootstrap.%s", outdir, fmt)
    set title "Deep bootstrap: test (solid line, filled ●) and train (dashed line, hollow ○) MSE vs effective time τ = n/δ\nλ_i = i^{-2}, v_i^2 ∝ i^{-2}; lines: eigenframework; markers: Gaussian-design simulation ±1 s.e.; dotted: τ = 1/κ_0(n)"
    set logscale xy
    set format x "10^{%L}"
    set format y "10^{%L}"
    set xrange [1e-2:1e8]
    set yrange [1e-10:1.5]
    set xlabel "effective time τ = n/δ"
    set ylabel "MSE"
    set key bottom left samplen 4
    if (!hbt && !hbs) {
        set label 1 "bootstrap part not run in this run" at graph 0.5, 0.5 center
        set yrange [0.5:1]; set key off; plot 1e30 notitle; set key on
        unset label 1
    } else {
        do for [i=1:words(nlist)] {
            n = word(nlist, i) + 0
            ts = system(sprintf("awk -F'\t' '!/^#/ && $1 == %d {print $5; exit}' '%s'", n, bt))
            if (strlen(ts) > 0) { set arrow i from ts+0, graph 0 to ts+0, graph 1 nohead dt 3 lw 1.5 lc rgb C[(i-1)%8+1] }
        }
        # theory and simulation each only when this run wrote their table
        th = 'for [i=1:words(nlist)] bt skip 1 using 2:($1 == word(nlist,i)+0 ? $3 : NaN) with lines lt i title sprintf("n = %s", word(nlist,i)), ' . \
             'bt skip 1 using 2:($1 == 0 ? $3 : NaN) with lines lw 2.5 lc rgb "black" title "n = ∞", ' . \
             'for [i=1:words(nlist)] bt skip 1 using 2:($1 == word(nlist,i)+0 ? $4 : NaN) with lines lt i dt 2 notitle, '
        sm = 'for [i=1:words(slist)] bs skip 1 using 2:($1 == word(slist,i)+0 ? $4 : NaN):5 with yerrorbars ' . \
             'lt (cidx(word(slist,i)+0) ? cidx(word(slist,i)+0) : i) pt 7 title (hbt ? "" : sprintf("n = %s", word(slist,i))), ' . \
             'for [i=1:words(slist)] bs skip 1 using 2:($1 == word(slist,i)+0 ? $7 : NaN):8 with yerrorbars ' . \
             'lt (cidx(word(slist,i)+0) ? cidx(word(slist,i)+0) : i) pt 6 notitle, '
        keys = 'NaN with lines lc rgb "gray40" lw 2 title "theory: test", NaN with lines lc rgb "gray40" lw 2 dt 2 title "theory: train", ' . \
               'NaN with points lc rgb "gray40" pt 7 title "simulation: test", NaN with points lc rgb "gray40" pt 6 title "simulation: train"'
        # without the theory table, the simulation table's own theory column (9 tau values)
        ths = 'for [i=1:words(slist)] bs skip 1 using 2:($1 == word(slist,i)+0 ? $3 : NaN) with lines lt i notitle, ' . \
              'for [i=1:words(slist)] bs skip 1 using 2:($1 == word(slist,i)+0 ? $6 : NaN) with lines lt i dt 2 notitle, '
        eval "plot " . (hbt ? th : "") . (hbs && !hbt ? ths : "") . (hbs ? sm : "") . keys
    }
    unset output
}
