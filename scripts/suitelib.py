# suitelib.py: what the reading tools (weave, claims, update-readme, update-notes, check-site)
# share: the list of experiments, their header metadata, their figures and their CLAIM lines.
#
# It only reads the repository; each script decides what to write.  Run from anywhere: ROOT
# is the repository that holds this file.
#
# Conventions read here (documented for authors in paper-notes/README.md, "Contributing"):
#   experiments/<slug>/<slug>.c       one program; its leading comment carries the metadata
#                                     lines `// Paper: ...`, `// Finding: ...`, `// Figure: ...`
#   paper-notes/<slug>.md             the note; CLAIM lines between <!-- claims:begin/end -->
#   figures/<slug>.{png,svg}, figures/<slug>-<name>.{png,svg}
#   figures/data/<slug>/claims.txt    the CLAIM lines of the last default run
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATUSES = ("reproduced", "not-reproduced", "skipped", "reported")
KINDS = ("experiment", "identity", "deviation")
# The seeds of the committed scoreboard (make claims SEEDS=...): seed 1 is the published run.
DEFAULT_SEEDS = (1, 2, 3)


def path(*parts):
    return os.path.join(ROOT, *parts)


def read(p):
    with open(p, encoding="utf-8") as f:
        return f.read()


def write_if_changed(p, text):
    """Write text to p atomically, only when it differs; returns True if written."""
    try:
        if read(p) == text:
            return False
    except FileNotFoundError:
        pass
    tmp = p + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, p)
    return True


# ---- experiments -------------------------------------------------------------------------
def slugs():
    """Every experiment that has its program: experiments/<slug>/<slug>.c, sorted."""
    d = path("experiments")
    if not os.path.isdir(d):
        return []
    return sorted(s for s in os.listdir(d) if os.path.isfile(os.path.join(d, s, s + ".c")))


def reading_groups(all_slugs):
    """[(group title, [slug...])] in the order paper-notes/README.md links the notes
    (`## ` headings are the groups); experiments it does not mention come last, sorted."""
    groups, seen = [], set()
    readme = path("paper-notes", "README.md")
    title = "Experiments"
    if os.path.isfile(readme):
        for line in read(readme).splitlines():
            m = re.match(r"^##\s+(.*?)\s*#*\s*$", line)
            if m:
                title = m.group(1)
                continue
            for s in re.findall(r"\]\(\.?/?([A-Za-z0-9_-]+)\.md(?:#[^)]*)?\)", line):
                if s in all_slugs and s not in seen:
                    seen.add(s)
                    if not groups or groups[-1][0] != title:
                        groups.append((title, []))
                    groups[-1][1].append(s)
    rest = [s for s in all_slugs if s not in seen]
    if rest:
        groups.append(("Not yet on the reading path" if groups else "Experiments", rest))
    return groups


def reading_order(all_slugs):
    return [s for _, ss in reading_groups(all_slugs) for s in ss]


# ---- header metadata ---------------------------------------------------------------------
def header_lines(slug):
    """The text of the program's leading comment, comment markers removed, one entry a line."""
    out = []
    in_block = False
    for line in read(path("experiments", slug, slug + ".c")).splitlines()[:150]:
        s = line.strip()
        if in_block:
            if "*/" in s:
                s = s[: s.index("*/")]
                in_block = False
            out.append(re.sub(r"^\*\s?", "", s))
        elif s.startswith("//"):
            out.append(s[3:] if s.startswith("// ") else s[2:])
        elif s.startswith("/*"):
            body = s[2:]
            if "*/" in body:
                body = body[: body.index("*/")]
            else:
                in_block = True
            out.append(body.strip())
        elif s == "":
            out.append("")
        else:
            break
    return out


KEY_RE = re.compile(r"^\s*(Paper|Finding|Claim|Claim in one sentence|Figures?|Reproduces)\s*:\s*(.*)$", re.I)
# the labels that end a key paragraph (any other `Word:` may be part of a title)
OTHER_KEY_RE = re.compile(r"^\s*(Paper|Finding|Figures?|Authors|Claims?(?: in one sentence)?|Algorithm|Writes|Run|"
                          r"Usage|Runtime|Reproduces|Data|Deviations?|Notation|Legend)(?: \([^)]*\))?\s*:(\s|$)", re.I)


def header_paragraphs(slug):
    """{key: text} for the header's key paragraphs: a line `Key: text` and the lines after it,
    up to a blank comment line or the next `Word:` line."""
    out, key = {}, None
    for l in header_lines(slug):
        m = KEY_RE.match(l)
        if m:
            key = m.group(1).lower()
            key = "claim" if key.startswith("claim") else ("figure" if key.startswith("figure") else key)
            out.setdefault(key, m.group(2).strip())
            continue
        if key and l.strip() and not OTHER_KEY_RE.match(l):
            out[key] += " " + l.strip()
        else:
            key = None
    return out


def first_sentence(text):
    """Up to the first '.', '!' or '?' that ends a sentence (not an initial like 'B.', not a
    decimal point), capitalised."""
    text = " ".join(text.split())
    for m in re.finditer(r"[.!?](?=\s+[A-Z(\"]|$)", text):
        before = text[: m.start()]
        if re.search(r"(?:^|\s)(?:[A-Z]|e\.g|i\.e|et al|cf|Eq|Fig|Sec|resp|vs)$", before):
            continue
        text = text[: m.end()]
        break
    return text[:1].upper() + text[1:]


def short_paper(text):
    """The citation up to its arXiv id (and a parenthesis right after it), else its first
    sentence."""
    text = " ".join(text.split())
    m = re.search(r"arXiv[: ]*\s*\d{4}\.\d{4,5}(?:v\d+)?(?:\s*\([^)]*\))?", text)
    if not m:
        return first_sentence(text)
    cut = text[: m.end()]
    if cut.count("(") > cut.count(")"):
        cut += ")"
    return cut.rstrip(" ,;")


def header_meta(slug):
    """What the reading tools show of an experiment, from its header comment:
      title    the rest of the first line `// <slug>: <title>`
      paper    the `Paper:` paragraph, cut after the arXiv id (paper_full: all of it)
      finding  the first sentence of the `Finding:` paragraph, or of `Claim:` /
               `Claim in one sentence:` (finding_full: the whole paragraph)
      figure   the `Figure:` paragraph
    Fallbacks, named in 'missing': the header's arXiv id; the note's first sentence."""
    lines = header_lines(slug)
    par = header_paragraphs(slug)
    meta = {"title": "", "figure": par.get("figure", "")}
    i = next((k for k, l in enumerate(lines) if l.strip()), len(lines))
    first = []
    while i < len(lines) and lines[i].strip() and not KEY_RE.match(lines[i]):
        first.append(lines[i].strip())  # the first paragraph, however many lines it wraps to
        i += 1
    first = " ".join(first)
    m = re.match(r"^\s*%s(?:\.c)?\s*[:—-]+\s*(.*)$" % re.escape(slug), first)
    if m:
        meta["title"] = m.group(1).strip().rstrip(".")
    meta["paper_full"] = par.get("paper", "")
    meta["paper"] = short_paper(meta["paper_full"]) if meta["paper_full"] else ""
    meta["finding_full"] = par.get("finding") or par.get("claim") or ""
    meta["finding_full"] = meta["finding_full"][:1].upper() + meta["finding_full"][1:]
    meta["finding"] = first_sentence(meta["finding_full"]) if meta["finding_full"] else ""
    missing = [k for k in ("paper", "finding") if not meta[k]]
    if not meta["paper"]:
        m = re.search(r"arXiv[: ]*\s*(\d{4}\.\d{4,5})", "\n".join(lines))
        if m:
            meta["paper"] = "arXiv " + m.group(1)
    if not meta["finding"]:
        meta["finding"] = meta["finding_full"] = note_first_sentence(slug)
    if not meta["title"]:
        meta["title"] = note_title(slug)
    meta["missing"] = missing
    return meta


def note_path(slug):
    return path("paper-notes", slug + ".md")


def note_title(slug):
    p = note_path(slug)
    if os.path.isfile(p):
        for line in read(p).splitlines():
            m = re.match(r"^#\s+(.*)$", line)
            if m:
                return m.group(1).strip()
    return ""


def note_first_sentence(slug):
    """The first sentence of the note's first prose paragraph (after its title)."""
    p = note_path(slug)
    if not os.path.isfile(p):
        return ""
    para = []
    for line in read(p).splitlines():
        s = line.strip()
        if not para and (not s or s.startswith(("#", "<!--", "|", "```", ">", "!["))):
            continue
        if not s:
            break
        para.append(s)
    text = " ".join(para)
    m = re.match(r"^(.+?[.!?])(\s|$)", text)
    return (m.group(1) if m else text)[:300]


# ---- figures -----------------------------------------------------------------------------
def figures(slug, all_slugs):
    """Names (no extension) of slug's figures in figures/ (<slug> or <slug>-<name>; a name
    belongs to the longest slug it starts with), in the order experiments/<slug>/<slug>.gp
    names them, then <slug> first and the rest sorted."""
    d = path("figures")
    if not os.path.isdir(d):
        return []
    names = set()
    for f in os.listdir(d):
        base, ext = os.path.splitext(f)
        if ext not in (".png", ".svg"):
            continue
        owners = [s for s in all_slugs if base == s or base.startswith(s + "-")]
        if owners and max(owners, key=len) == slug:
            names.add(base)
    # in the order the figure script writes them (the author's order), then the rest sorted
    gp = path("experiments", slug, slug + ".gp")
    order = []
    if os.path.isfile(gp):
        for m in re.finditer(r"(%s(?:-[A-Za-z0-9_-]+?)?)\.(?:%%s|png|svg)" % re.escape(slug), read(gp)):
            if m.group(1) not in order:
                order.append(m.group(1))
    rank = {n: i for i, n in enumerate(order)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n != slug, n))


# ---- claims ------------------------------------------------------------------------------
CLAIM_RE = re.compile(r"^CLAIM\s+(\S+)\s+(\S+)\s+(experiment|identity|deviation)\b\s*(.*)$")
VALUE_RE = re.compile(r"^(.*?)\s+=\s+(\S+)(?:\s+\(tolerance\s+(.*)\))?\s*$")


def parse_claim(line):
    """One CLAIM line (common/claim.h format) -> dict, or None.
        CLAIM id  reproduced  kind  what = value  (tolerance tol)
        CLAIM id  skipped  kind  (reason)
        CLAIM id  reported  kind  what = value
    kind is experiment, identity or deviation."""
    m = CLAIM_RE.match(line.rstrip("\n"))
    if not m:
        return None
    cid, status, kind, rest = m.groups()
    c = {"id": cid, "status": status, "kind": kind, "measured": rest.strip(), "value": "", "tolerance": "",
         "line": line.rstrip("\n")}
    if status == "skipped":
        c["measured"] = re.sub(r"^\((.*)\)$", r"\1", rest.strip())
        return c
    m2 = VALUE_RE.match(rest)
    if m2:
        c["measured"], c["value"], c["tolerance"] = m2.group(1).strip(), m2.group(2), m2.group(3) or ""
    return c


def claims_path(slug, seed=1):
    """Seed 1 is the published default run (claims.txt beside its tables); other seeds keep only
    their CLAIM lines, claims-seed<S>.txt, headed by the source hash they ran from."""
    return path("figures", "data", slug, "claims.txt" if int(seed) == 1 else "claims-seed%d.txt" % int(seed))


def read_claims(slug, seed=1):
    """The experiment's claims from its last default run with that seed, or None if it has not run."""
    p = claims_path(slug, seed)
    if not os.path.isfile(p):
        return None
    return [c for c in (parse_claim(l) for l in read(p).splitlines()) if c]


def combine_seeds(per_seed):
    """One claim over seeds: {seed: status or None (absent)} -> status.  Reproduced only when every
    seed reproduced it; reported when every seed reported it; skipped when no seed failed but one
    skipped; otherwise not-reproduced (a missing line counts as a failure)."""
    st = list(per_seed.values())
    if all(x == "reproduced" for x in st):
        return "reproduced"
    if all(x == "reported" for x in st):
        return "reported"
    if all(x in ("reproduced", "skipped") for x in st):
        return "skipped"
    return "not-reproduced"


def read_scoreboard():
    """The rows of figures/data/claims.tsv as dicts, or None if it does not exist."""
    import csv
    p = path("figures", "data", "claims.tsv")
    if not os.path.isfile(p):
        return None
    with open(p, encoding="utf-8", newline="") as f:
        lines = [l for l in f if not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def scoreboard_seeds():
    """The seeds the committed scoreboard ran (its `# seeds:` line), else (1,)."""
    p = path("figures", "data", "claims.tsv")
    if os.path.isfile(p):
        first = read(p).split("\n", 1)[0]
        if first.startswith("# seeds:"):
            return tuple(int(x) for x in first.split(":", 1)[1].split(",") if x.strip())
    return (1,)


def kind_tally(rows):
    """{kind: (reproduced, gated)} over claim dicts with 'kind' and 'status' (reported rows are
    numbers, not tests, and are not counted; skipped and not-run ones count as not reproduced)."""
    out = {k: [0, 0] for k in KINDS}
    for r in rows or []:
        k = r.get("kind") or "experiment"
        if r["status"] == "reported" or k not in out:
            continue
        out[k][1] += 1
        out[k][0] += r["status"] == "reproduced"
    return {k: tuple(v) for k, v in out.items()}


def kind_summary(rows, seeds=None):
    """'experiment claims reproduced a/b (seeds 1,2,3); identities c/d; deviations e/f'."""
    t = kind_tally(rows)
    sd = " (every one of seeds %s)" % ",".join(str(x) for x in seeds) if seeds and len(seeds) > 1 else ""
    return "experiment claims reproduced %d/%d%s; identities %d/%d; deviations %d/%d" % (
        t["experiment"][0], t["experiment"][1], sd, t["identity"][0], t["identity"][1],
        t["deviation"][0], t["deviation"][1])


def tally(claims):
    """(reproduced, gated total, counts by status).  'reported' claims are numbers, not
    tests, so they do not count in the total; skipped ones do (they were not reproduced)."""
    n = {s: 0 for s in STATUSES}
    for c in claims or []:
        n[c["status"]] = n.get(c["status"], 0) + 1
    gated = sum(v for k, v in n.items() if k != "reported")
    return n["reproduced"], gated, n
