# bench.gp: ratio of our time to the reference's, one bar per workload (reference = 1).
# gnuplot -c scripts/bench/bench.gp figures/data/bench figures
datadir = ARG1; outdir = ARG2
load 'figures/style.gp'
f = datadir.'/bench.tsv'
# the TSV's names and notes contain spaces: split on tabs only; its first line is the header
set datafile separator "\t"
set key autotitle columnheader
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.8
set ylabel 'time ours / time reference  (below 1: faster)'
set xtics rotate by -35 left font ',9' noenhanced
set yrange [0:*]
set key off
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 2 lc rgb '#000000'
set title 'make bench: our hot paths against the references (median of alternating pairs)' noenhanced
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1100, 600))
    set output sprintf("%s/bench.%s", outdir, fmt)
    plot f using ((strcol(9) eq 'nan') ? NaN : $9):xtic(strcol(1).' '.strcol(2)) lc rgb C[1]
    unset output
}
