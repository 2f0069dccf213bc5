"""One very long article against the same text as many small files: memory and tokens/s.

    .venv/bin/python bench/long_article.py --megabytes 30 --seconds 120

Writes one article of --megabytes (the generated corpus's articles joined, paragraph after paragraph) and the
same text as ~5 KB files, then for each parses for --seconds on --jobs workers (the pipeline's loading not
counted: the clock starts at the first parsed piece or document) and reports tokens/s, the peak resident memory
of the largest process, and whether progress moved within the long article (pieces reported as parsed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def write_corpora(megabytes: float, work: Path) -> tuple[Path, Path]:
    import corpus

    long_file, small = work / "long" / "long.txt", work / "small"
    if long_file.exists():
        return long_file.parent, small
    long_file.parent.mkdir(parents=True)
    small.mkdir()
    limit, size, paragraphs = int(megabytes * 1024**2), 0, []
    for n, article in enumerate(corpus.iter_articles(10**6, seed=11)):
        text = article["text"].strip()
        paragraphs.append(text)
        (small / f"{n:06}.txt").write_text(text + "\n", encoding="utf-8")
        size += len(text.encode()) + 2
        if size >= limit:
            break
    long_file.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return long_file.parent, small


def run(folder: str, jobs: int, seconds: float) -> dict:
    """Parse `folder` for `seconds` after the first result; tokens, pieces reported, time."""
    from kgraph.corpus import iter_corpus
    from kgraph.models import Document
    from kgraph.parallel import parse_documents
    from kgraph.patterns import load_patterns

    documents = (d for d in iter_corpus([folder]) if isinstance(d, Document))
    state = {"tokens": 0, "pieces": 0, "start": None}

    def counted(tokens: int) -> bool:
        now = time.perf_counter()
        if state["start"] is None:
            state["start"] = now  # the first result: the pipeline is loaded, parsing is running
        else:
            state["tokens"] += tokens
        return now - state["start"] >= seconds

    def on_piece(doc_id: str, tokens: int) -> None:
        state["pieces"] += 1
        if counted(tokens):
            raise TimeoutError

    try:
        for record in parse_documents(documents, patterns=load_patterns("fr"), jobs=jobs, on_piece=on_piece):
            if record.doc_id != "long.txt" and counted(record.tokens):
                break
    except TimeoutError:
        pass
    elapsed = time.perf_counter() - (state["start"] or time.perf_counter())
    return {"tokens": state["tokens"], "seconds": elapsed, "pieces": state["pieces"]}


def measure(folder: Path, jobs: int, seconds: float) -> dict:
    from benchmark import watch_memory

    command = [sys.executable, __file__, "_run", str(folder), str(jobs), str(seconds)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peaks = watch_memory(process)
    out, _ = process.communicate()
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = max(peaks.values(), default=0) / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=30)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kgraph-long-"))
    work.mkdir(parents=True, exist_ok=True)
    long_folder, small = write_corpora(args.megabytes, work)
    long = measure(long_folder, args.jobs, args.seconds)
    many = measure(small, args.jobs, args.seconds)
    rate = lambda r: r["tokens"] / r["seconds"] if r["seconds"] else 0.0  # noqa: E731
    print(
        f"| one {args.megabytes:g} MB article | {rate(long):,.0f} tokens/s, peak RSS {long['peak_mb']:,.0f} MB, "
        f"{long['pieces']} pieces reported in {long['seconds']:.0f} s |"
    )
    print(
        f"| the same text as {len(list(small.iterdir())):,} files | {rate(many):,.0f} tokens/s, peak RSS "
        f"{many['peak_mb']:,.0f} MB |"
    )
    print(f"| ratio long / small | {rate(long) / max(rate(many), 1):.2f} (goal ≥ 0.80) |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_run":
        print(json.dumps(run(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))))
    else:
        main()
