# Workloads of later modules, run by scripts/bench/run.py (exec'd there: pair, have, B, PY,
# QUICK, R, rows are in scope).

# 7. MLP training step vs PyTorch CPU (same threads) --------------------------------------------
if have(f"{B}/bench/bench_mlp"):
    # deep-relu-first-step's teacher network (N=128, 16 -> 32 x 5 -> 4, L=6) and its MNIST one
    # (N=500, 784 -> 64 x 5 -> 10, L=6)
    for args, label in ((("128", "16", "32", "4", "6"), "teacher L=6 w=32"),
                        (("500", "784", "64", "10", "6"), "mnist L=6 w=64")):
        steps = "200" if QUICK else "2000"
        for th in ("1", "2"):  # a 1-thread row for every training workload
            pair("mlp step (nn)", label, [f"{B}/bench/bench_mlp", *args, steps],
                 [PY, "scripts/bench/ref_mlp.py", *args, steps], note="vs PyTorch CPU float64", threads=th)

# 4. Gram matrices, MNIST-sized, vs numpy written the idiomatic way -----------------------------
if have(f"{B}/bench/bench_kernels"):
    n, d = (2000, 784) if QUICK else (8000, 784)
    for kind in ("laplace", "gaussian"):
        pair(f"gram {kind}", f"n={n},d={d}", [f"{B}/bench/bench_kernels", "gram", kind, str(n), str(d)],
             [PY, "scripts/bench/ref_linalg.py", "gram", kind, str(n), str(d)],
             flops=float(n) * n * d, dgemm_rate=R, note="vs numpy GEMM + in-place elementwise")

# 5. eigenframework solve, 10^6 eigenvalues -----------------------------------------------------
    M = "100000" if QUICK else "1000000"
    pair("eigenframework solve", f"M={M},n=1000", [f"{B}/bench/bench_kernels", "eigfw", M, "1000", "5"],
         [PY, "scripts/bench/ref_eigfw.py", M, "1000", "5"], note="kappa and E0; vs numpy+brentq")

# 6. word2vec SGNS training throughput vs Mikolov's word2vec.c (conventions.md, Tokens and
# corpora) -- Same corpus file, same flags; -size in {20, 100} x -threads in {1, 2}, alternating
# pairs.  Both programs print `seconds` = WALL seconds per 10^6 training words per thread, i.e.
# 1e6 over the usual words/s/thread: a time, so pair()'s ratio stays ours/reference ("> 1: we are slower";
# the throughput ratio project/reference is its inverse, target >= 0.8, i.e. ratio <= 1.25).
# The timed phase of both is thread start .. thread join (word2vec-ref times word2vec.c's own
# pthread_create .. pthread_join).  Each run also scores its vectors with the same code
# (bench_sgns eval: 3CosAdd on the 30k most frequent words) on data/analogies/*.txt and, when
# ANALOGIES= names an existing file, on that too; the medians go to the row's note.  A second row
# per setting gives the same ratio in training CPU time, a cross-check when the machine is shared.
def _sgns_blocks(path):
    """The 'key value' blocks a program appended to its -report file, one per run."""
    blocks = []
    for line in open(path) if os.path.exists(path) else []:
        k, v = line.split()
        if k == "seconds":
            blocks.append({})
        blocks[-1][k] = float(v)
    return blocks


W2V_REF = "scripts/bench/word2vec-ref"
sgns_corpus = os.environ.get("CORPUS", "data/corpora/registry.txt")
if have(f"{B}/bench/bench_sgns") and have(sgns_corpus):
    built = subprocess.run([PY, W2V_REF, "--build"], env=ENV, capture_output=True, text=True)
    if built.returncode != 0:
        print(f"(skipped: word2vec sgns: {(built.stderr or built.stdout).strip()[-300:]})")
    else:
        if sgns_corpus.endswith(".xz"):  # word2vec.c reads plain text only
            plain = os.path.join(tmp, "sgns-corpus.txt")
            with open(plain, "w") as f:
                subprocess.run(["xz", "-dc", sgns_corpus], stdout=f, check=True)
            sgns_corpus = plain
        if QUICK:  # a prefix of about 500k tokens, cut at a word boundary
            text = open(sgns_corpus).read(2_700_000)
            sgns_corpus = os.path.join(tmp, "sgns-prefix.txt")
            with open(sgns_corpus, "w") as f:
                f.write(text[:text.rfind(" ")])
        qsets = sorted(os.path.join("data", "analogies", q) for q in os.listdir(os.path.join("data", "analogies"))
                       if q.endswith(".txt"))
        if os.environ.get("ANALOGIES") and os.path.exists(os.environ["ANALOGIES"]):
            qsets.append(os.environ["ANALOGIES"])
        for size, th, sample in (("20", "1", "0"), ("20", "2", "0"), ("100", "1", "0"), ("100", "2", "0"),
                                 ("100", "1", "1e-3")):  # the last: word2vec's default subsampling
            if True:
                args = ["-train", sgns_corpus, "-size", size, "-threads", th, "-window", "5", "-negative", "5",
                        "-sample", sample, "-min-count", "5", "-iter", "1", "-alpha", "0.025",
                        "-questions", ",".join(qsets), "-top", "30000"]
                ro, rr = (os.path.join(tmp, f"sgns-{who}-{size}-{th}-{sample}.txt") for who in ("ours", "ref"))
                tag = f"d={size},t={th}" + (f",sample={sample}" if sample != "0" else "")
                if not want("word2vec sgns", tag):
                    continue
                pair("word2vec sgns", tag, [f"{B}/bench/bench_sgns", "train", *args, "-report", ro],
                     [PY, W2V_REF, *args, "-report", rr], threads=th)
                bo, br = _sgns_blocks(ro), _sgns_blocks(rr)
                med = lambda bl, k: statistics.median(b[k] for b in bl if k in b)
                accs = []
                for q in qsets:
                    name = os.path.basename(q).split(".")[0]
                    accs.append(f"{name} acc ours {med(bo, 'acc_' + name):.2%} ref {med(br, 'acc_' + name):.2%} "
                                f"(coverage {med(bo, 'coverage_' + name):.1%})")
                wps = (med(bo, "words_per_sec_thread"), med(br, "words_per_sec_thread"))
                note = (f"s per 1e6 words per thread, vs word2vec.c; words/s/thread ours {wps[0]:.0f} ref {wps[1]:.0f}"
                        f" (ours/ref {wps[0] / wps[1]:.2f}); " + "; ".join(accs))
                rows[-1] = rows[-1][:-1] + (note + "; " + rows[-1][-1],)  # keep threads and load
                print("    " + note.split("; ", 1)[1].replace("; ", "\n    "), flush=True)
                co, cr = [b["cpu_seconds"] for b in bo], [b["cpu_seconds"] for b in br]
                mco, mcr = statistics.median(co), statistics.median(cr)
                rows.append(("word2vec sgns (cpu time)", tag, mco, min(co), max(co), mcr, min(cr),
                             max(cr), mco / mcr, float("nan"), float("nan"),
                             "training CPU s (all threads) per 1e6 words, same runs"))
                print(f"{'word2vec sgns (cpu time)':28s} {tag:>14s}  ours {mco:9.4f} s  "
                      f"ref {mcr:9.4f} s  ratio {mco / mcr:5.2f}", flush=True)
