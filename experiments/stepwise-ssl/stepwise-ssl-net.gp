# stepwise-ssl-net.gp: gnuplot -c stepwise-ssl-net.gp DATADIR OUTDIR
# stepwise-ssl-net.png (2 x 3), part 6: a ReLU network on MNIST pairs, the analogue of Simon et
# al. (2023) Fig. 1C/D, its PCA views, and its three losses:
#  (a) Barlow Twins, small init: loss on the theory's integer levels d - k, eig C (right axis)
#  (b) Barlow Twins, standard init: the same axes, no plateau
#  (c) SimCLR (NT-Xent on dot products), small init: eig of the embedding covariance (log), loss
#  (d) VICReg, small init: the same, with the plateau levels 2 nu (d/k - 1) of the rank-k theory
#  (e) the hidden layer's top covariance eigenvalues, Barlow Twins small vs standard init
#  (f) PCA views of the Barlow Twins embedding: a point, a line, a plane, the end
# Only the panels whose tables the run wrote are drawn (--quick runs Barlow Twins only).
datadir = ARG1
outdir = ARG2
load 'figures/style.gp'
set datafile separator tab
set datafile commentschars '#'
set datafile columnheaders

fbs = datadir.'/mnist_mlp_bt_small.tsv'
fbt = datadir.'/mnist_mlp_bt_std.tsv'
fsc = datadir.'/mnist_mlp_simclr_small.tsv'
fvi = datadir.'/mnist_mlp_vicreg_small.tsv'
fpc = datadir.'/mnist_mlp_pca.tsv'
have(file) = int(system(sprintf("test -s '%s' && echo 1 || echo 0", file)))
param(file, key) = system(sprintf("sed -n 's/^# param %s = //p' '%s' | head -1", key, file))
hbs = have(fbs); hbt = have(fbt); hsc = have(fsc); hvi = have(fvi); hpc = have(fpc)
if (!(hbs || hbt || hsc || hvi)) { print "stepwise-ssl-net.gp: no mnist_mlp_*.tsv in ".datadir.": nothing to draw"; exit }
anyf = hbs ? fbs : (hbt ? fbt : (hsc ? fsc : fvi))
stats anyf using 1 nooutput
d = (STATS_columns - 2) / 3
alpha = param(anyf, "mlp-init")
# the sizes the run used (the --quick sizes differ from the flags' defaults)
npairs = system(sprintf("sed -n 's/^# net: n = \\([0-9]*\\).*/\\1/p' '%s' | head -1", anyf))
width = system(sprintf("sed -n 's/^# net: .* h = \\([0-9]*\\).*/\\1/p' '%s' | head -1", anyf))
mdim = system(sprintf("sed -n 's/^# net: .* m = \\([0-9]*\\).*/\\1/p' '%s' | head -1", anyf))
set xrange [*:*]; set yrange [*:*]
if (hbs) { stats fbs using 1 nooutput; tbs = STATS_max }
if (hbt) { stats fbt using 1 nooutput; tbt = STATS_max }
npan = hbs + hbt + hsc + hvi + (hbs || hbt) + hpc
rows = npan > 3 ? 2 : 1
cols = npan > 4 ? 3 : (npan == 4 ? 2 : npan)

array MC[16] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#999933', '#F0E442', \
                '#7f7f7f', '#8c564b', '#1f77b4', '#bcbd22', '#17becf', '#9467bd', '#ff7f0e', '#2ca02c']

do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 600 * cols, 525 * rows))
    set output sprintf("%s/stepwise-ssl-net.%s", outdir, fmt)
    eval sprintf("set multiplot layout %d,%d title \"%s\" font \",14\"", rows, cols, \
         sprintf("A ReLU network on MNIST pairs (%s-%s-%d, %s pairs) learns its embedding one mode at a time from small init (%s × He)", mdim, width, d, npairs, alpha))
    set xlabel "effective time t = η × step"

    # (a), (b) Barlow Twins: loss on the integer levels, eig C on the right axis
    do for [panel=1:2] {
        ok = panel == 1 ? hbs : hbt
        f = panel == 1 ? fbs : fbt
        if (ok) {
            set title (panel == 1 ? "(a) Barlow Twins, small init: loss at the integers d - k" \
                                  : "(b) Barlow Twins, standard init (1 × He): no plateau")
            set xrange [0:(panel == 1 ? tbs : tbt)]
            set yrange [0:d + 0.3]
            set ytics 1 nomirror
            set ylabel "loss ||C - I||_F^2 (thick)"
            set y2range [0:1.1 * (d + 0.3) / d]
            set y2tics 0.2 nomirror
            set y2label "eigenvalues of C (thin)"
            set key at graph 0.99, graph 0.85 right top maxcols 1 font ",8" opaque samplen 1.5
            do for [i=0:d] { set arrow from graph 0, first i to graph 1, first i nohead dt 3 lc rgb '#999999' lw 1 }
            plot f using 1:2 with lines lw 3.5 lc rgb '#000000' title "loss", \
                 NaN with lines dt 3 lc rgb '#999999' title "theory d - k", \
                 for [j=1:d] f using 1:(column(2 + j)) axes x1y2 with lines lw 1.5 lc rgb MC[(j - 1) % 16 + 1] title sprintf("c_{%d}", j)
            unset arrow
            unset y2tics; unset y2label; set ytics mirror
        }
    }

    # (c), (d) SimCLR and VICReg: eigenvalues of the embedding covariance (log), loss on the right axis
    do for [panel=1:2] {
        ok = panel == 1 ? hsc : hvi
        f = panel == 1 ? fsc : fvi
        if (ok) {
            set xrange [*:*]; set yrange [*:*]  # stats filters by the current ranges
            stats f using 1 nooutput
            tmax = STATS_max
            stats f using 2 nooutput
            lmax = STATS_max
            set xrange [0:tmax]
            set y2range [0:1.05 * lmax]
            set title (panel == 1 ? "(c) SimCLR (NT-Xent, τ = ".param(f, "tau")."), small init" \
                                  : "(d) VICReg (25/25/1), small init: plateaus at 2ν(d/k - 1)")
            set logscale y
            set yrange [1e-6:100]
            set format y "10^{%T}"
            set ytics autofreq nomirror
            set ylabel "eigenvalues of the embedding covariance (thin)"
            set y2tics autofreq nomirror
            set y2label "loss (thick)"
            if (panel == 1) { set key at graph 0.99, graph 0.65 right top maxcols 1 font ",8" opaque samplen 1.5 } \
            else { set key at graph 0.99, graph 0.72 right top maxrows 4 maxcols 2 font ",8" opaque samplen 1.5 }
            if (panel == 2) { do for [k in "1 2 3"] { set arrow from graph 0, second 2 * (d / real(k) - 1) to graph 1, second 2 * (d / real(k) - 1) nohead dt 3 lc rgb '#999999' lw 1 } }
            plot f using 1:2 axes x1y2 with lines lw 3.5 lc rgb '#000000' title "loss", \
                 for [j=1:d] f using 1:(column(2 + d + j)) with lines lw 1.5 lc rgb MC[(j - 1) % 16 + 1] title sprintf("s_{%d}", j), \
                 (panel == 2 ? NaN : 1/0) with lines dt 3 lc rgb '#999999' title (panel == 2 ? "theory 2ν(d/k - 1)" : "")
            unset arrow
            unset logscale y; set format y "%g"
            unset y2tics; unset y2label; set ytics mirror
        }
    }

    # (e) hidden layer
    if (hbs || hbt) {
        set title "(e) hidden layer: top eigenvalues of its covariance"
        set logscale xy
        set format xy "10^{%T}"
        set xrange [*:*]
        set yrange [*:*]
        set ylabel "eigenvalue h_j"
        set ytics autofreq
        set key at graph 0.98, graph 0.95 right top maxcols 1 font ",9" opaque samplen 2
        plot for [j=1:d] (hbs ? fbs : fbt) using ($1 > 0 && hbs ? $1 : NaN):(column(2 + 2 * d + j)) with lines lw 2 lc rgb MC[(j - 1) % 16 + 1] title (j == 1 ? "small init (solid)" : ""), \
             for [j=1:d] (hbt ? fbt : fbs) using ($1 > 0 && hbt ? $1 : NaN):(column(2 + 2 * d + j)) with lines dt 2 lw 1.5 lc rgb MC[(j - 1) % 16 + 1] title (j == 1 ? "standard init (dashed)" : "")
        unset logscale; set format xy "%g"
    }

    # (f) PCA views, the four snapshots side by side on one scale
    if (hpc) {
        set xrange [*:*]; set yrange [*:*]
        stats fpc using (abs($4)) nooutput
        W = 2.4 * STATS_max
        stats fpc using (abs($5)) nooutput
        H = 1.2 * (STATS_max > 0 ? STATS_max : 1)
        set title "(f) PCA views of the BT embedding: a point, a line, a plane, the end"
        set xrange [-0.5 * W:3.5 * W]
        set yrange [-H:H]
        unset xtics; unset ytics
        set xlabel "PC 1 (one snapshot per block, same scale; label: its time t)"
        set ylabel "PC 2"
        set palette maxcolors 10 defined (0 '#0072B2', 1 '#D55E00', 2 '#009E73', 3 '#CC79A7', 4 '#E69F00', 5 '#56B4E9', 6 '#999933', 7 '#F0E442', 8 '#7f7f7f', 9 '#000000')
        set cbrange [-0.5:9.5]
        set cbtics 1 font ",8"
        set cblabel "digit"
        do for [q=1:4] {
            tq = system(sprintf("awk -F'\t' '!/^#/ && $1 == %d { print $2; exit }' '%s'", q, fpc))
            if (tq ne "") { eval sprintf("set label %d 't = %.1f' at first (%d - 1) * W, graph 0.95 center font ',10'", 10 + q, real(tq), q) }
        }
        unset key
        plot fpc using (($1 - 1) * W + $4):5:3 with points pt 7 ps 0.35 lc palette notitle
        do for [q=1:4] { unset label 10 + q }
        unset colorbox; set xtics; set ytics; set key
    }
    unset multiplot
    unset output
}
