# krr-mnist-mpi.gp: the learning curve of a krr-mnist-mpi run, theory over experiment.
#   gnuplot -c tools/krr-mnist-mpi.gp RUNDIR     (writes RUNDIR/krr-mnist-mpi.png and .svg)
# Points: KRR test MSE of each trial; line: the eigenframework's E_te from the run's pool
# spectrum, drawn where the pool resolves it (n <= M/8, solid) and beyond (dashed); the
# vertical line marks n = M/8.
dir = ARG1
load 'figures/style.gp'
set datafile separator "\t"
set datafile commentschars "#"
f = dir.'/learning.tsv'
task = system(sprintf("awk -F'\t' 'NR > 1 && !/^#/ && $1 != \"task\" {print $1; exit}' '%s'", f))
M = system(sprintf("sed -n 's/.* pool=\\([0-9]*\\).*/\\1/p' '%s' | head -1", f)) + 0
P = system(sprintf("sed -n 's/.* processes=\\([0-9]*\\).*/\\1/p' '%s' | head -1", f)) + 0
do for [fmt in "png svg"] {
    eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 800, 560))
    set output sprintf("%s/krr-mnist-mpi.%s", dir, fmt)
    set title sprintf("MNIST %s, KRR with the ReLU NTK: test MSE against the eigenframework\n(theory from a pool of M = %d images; %d MPI processes)", task, M, P)
    set logscale xy
    set xlabel "training images n"
    set ylabel "test MSE"
    set key top right
    set arrow 1 from M/8.0, graph 0 to M/8.0, graph 1 nohead dt 3 lc rgb "#888888"
    set label 1 "n = M/8" at M/8.0, graph 0.95 offset 0.5, 0 font ",10"
    plot f using ($2 <= M/8.0 ? $2 : 1/0):5 with lines lw 2 lc rgb "#1f4e9c" title "theory (pool resolves it)", \
         f using ($2 >= M/8.0 ? $2 : 1/0):5 with lines lw 2 dt 2 lc rgb "#1f4e9c" title "theory beyond n = M/8", \
         f using 2:4 with points pt 7 ps 1.1 lc rgb "#c0392b" title "KRR, one point per trial"
    unset arrow 1; unset label 1
}
