#!/usr/bin/env bash
# The project's own analogy questions, in the Google questions-words format (`: family`, then
# `a b c d` lines), written from the fact lists below: every ordered pair of distinct pairs of
# a family is one question (n pairs give n(n-1) questions; 7,612 in all).  The families and
# pairs are those of conventions.md, Analogies, on which w2v.C7 was calibrated: if you
# extend them, recalibrate w2v.C7.  Output: data/analogies/simon-suite-analogies.txt (tracked).
#   scripts/make-analogies.sh [OUTFILE]
set -eu
out=${1:-data/analogies/simon-suite-analogies.txt}
mkdir -p "$(dirname "$out")"
facts() {
cat <<'FACTS'
male-female: he she, his her, man woman, men women, king queen, kings queens, father mother, fathers mothers, son daughter, sons daughters, brother sister, brothers sisters, husband wife, husbands wives, boy girl, boys girls, mr mrs, sir madam, lord lady, lords ladies, uncle aunt, nephew niece, prince princess, master mistress, himself herself, grandfather grandmother, bridegroom bride, male female, god goddess, widower widow, emperor empress, duke duchess
singular-plural: day days, year years, man men, woman women, child children, house houses, hand hands, eye eyes, thing things, time times, word words, friend friends, letter letters, city cities, land lands, book books, room rooms, horse horses, tree trees, king kings, son sons, daughter daughters, family families, place places, night nights, week weeks, hour hours, heart hearts, head heads, foot feet, country countries, nation nations, river rivers, street streets, door doors, church churches, idea ideas, question questions, mile miles, school schools, member members, student students
comparative: good better, bad worse, great greater, large larger, small smaller, old older, young younger, long longer, high higher, low lower, strong stronger, rich richer, near nearer, easy easier, happy happier, early earlier, late later, few fewer, deep deeper, wise wiser, short shorter, hard harder, clear clearer, warm warmer, cold colder, dark darker, sweet sweeter, poor poorer, big bigger, wide wider, close closer, fine finer, simple simpler
past-tense: go went, come came, see saw, say said, take took, know knew, give gave, make made, think thought, find found, tell told, become became, leave left, feel felt, bring brought, begin began, keep kept, hold held, write wrote, stand stood, hear heard, mean meant, meet met, run ran, sit sat, speak spoke, rise rose, buy bought, fall fell, eat ate, send sent, build built, lose lost, pay paid, win won, understand understood, grow grew, draw drew, break broke, teach taught, catch caught, fight fought, sell sold, spend spent, lead led
present-participle: go going, come coming, see seeing, say saying, take taking, look looking, make making, think thinking, find finding, work working, sit sitting, run running, play playing, read reading, write writing, walk walking, talk talking, stand standing, speak speaking, live living, try trying, move moving, sing singing, bring bringing, eat eating, die dying, begin beginning, hold holding, keep keeping, turn turning
country-capital: france paris, england london, italy rome, germany berlin, russia moscow, spain madrid, egypt cairo, japan tokyo, china peking, greece athens, ireland dublin, scotland edinburgh, austria vienna, portugal lisbon, israel jerusalem, syria damascus, cuba havana, india delhi, canada ottawa, poland warsaw, hungary budapest, sweden stockholm, norway oslo, denmark copenhagen, turkey ankara, iran tehran, iraq baghdad, belgium brussels, switzerland bern, peru lima, finland helsinki, lebanon beirut
FACTS
}
facts | awk -F': ' '{
  fam = $1; n = split($2, p, ", ");
  print ": " fam
  for (i = 1; i <= n; i++) for (j = 1; j <= n; j++) if (i != j) print p[i] " " p[j]
}' > "$out.tmp"
mv "$out.tmp" "$out"
echo "make-analogies: $out: $(grep -vc '^:' "$out") questions" >&2
