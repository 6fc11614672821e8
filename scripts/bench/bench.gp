# bench.gp: ratio of our time to the reference's, one bar per workload (reference = 1).
# gnuplot -c scripts/bench/bench.gp figures/data/bench figures
datadir = ARG1; outdir = ARG2
load 'figures/style.gp'
f = datadir.'/bench.tsv'
# the TSV's names and notes contain spaces: split on tabs only; its first line is the header
set datafile separator "\t"
set key autotitle columnheader
# One horizontal bar per workload, labelled "workload  size  (N threads)"; the dgemm rows are the
# machine's rate, not a comparison, and get no bar.
th(s) = (i = strstrt(s, "threads "), i > 0 ? sprintf("  (%s thr)", substr(s, i + 8, i + 8)) : "")
label(w, z, s) = w.'  '.z.th(s)
set style fill solid 0.8 border -1
set xlabel 'time ours / time reference  (below 1: we are faster)'
set ytics font ',9' noenhanced
set yrange [*:*] reverse
set xrange [0:*]
set offsets 0, 0, 0.6, 0.6
set grid xtics
set key off
set arrow from first 1, graph 0 to first 1, graph 1 nohead dt 2 lw 2 lc rgb '#000000'
set title 'make bench: our hot paths against the references (median of alternating pairs)' noenhanced
set lmargin 44
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1000, 720))
    set output sprintf("%s/bench.%s", outdir, fmt)
    plot f using ((strcol(9) eq 'nan') ? NaN : $9):0:(0):((strcol(9) eq 'nan') ? NaN : $9):($0 - 0.38):($0 + 0.38):\
         ytic(strcol(1) eq 'dgemm' ? '' : label(strcol(1), strcol(2), strcol(12))) with boxxyerror lc rgb C[1]
    unset output
}
