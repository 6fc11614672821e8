# figures/style.gp: one look for every figure of the suite.  Loaded by each <slug>.gp.
# Theory is drawn as lines, experiment as points with error bars.
# Usage inside a figure script:  load 'figures/style.gp'; call 'figures/style.gp' is not needed.
set encoding utf8
set termoption enhanced
font_name = "DejaVu Sans"
set border lw 1.2
set tics nomirror out scale 0.6
set grid back lc rgb '#e6e6e6' lw 1
set key noautotitle opaque box lc rgb '#cccccc' samplen 2 spacing 1.1 font ",10"
# A colour-blind-safe palette (Okabe-Ito), used in order for targets / series.
array C[8] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442']
do for [i=1:8] { set linetype i lc rgb C[i] lw 2 pt 7 ps 0.9 }
# Terminals: PNG for the README, SVG for the HTML notes.  `out(name)` switches both.
png_term = sprintf("pngcairo size %%d,%%d font '%s,11' enhanced", font_name)
svg_term = sprintf("svg size %%d,%%d font '%s,11' enhanced dynamic background rgb 'white'", font_name)
# Every figure is written twice, PNG then SVG, by a loop like this one:
#   do for [fmt in "png svg"] {
#       eval sprintf("set terminal %s", sprintf(fmt eq "png" ? png_term : svg_term, 1200, 700))
#       set output sprintf("%s/krr-curves-learning.%s", outdir, fmt)
#       ... plot ...
#       unset output
#   }
# where outdir = ARG2 (figures/) and datadir = ARG1 (figures/data/<slug>).
