"""Generate a reproducible French news corpus for benchmarks by recombining the project's own paragraphs.

    .venv/bin/python bench/corpus.py 2000 out/bench-corpus            # a folder of .txt articles
    .venv/bin/python bench/corpus.py 2000 out/bench.jsonl --seed 7     # one JSON object per line

Source paragraphs: examples/sommet-wonsan.fr.txt and the paragraphs of tests/data/relations_fr.jsonl. Each
article takes 5-10 of them; the people they name are replaced, consistently within the article, by names
drawn with a Zipf law from a pool of a few thousand generated names (a few hubs, a long tail: the graph keeps
growing with the corpus, as a real one does), and years are shifted. Same seed, same corpus, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (full name, the short form the paragraphs also use); the names persons take in the source paragraphs
PERSONS = [
    ("Alex Miller", "Miller"),
    ("Andriï Sybiha", "Sybiha"),
    ("Angela Merkel", "Merkel"),
    ("Antony Blinken", "Blinken"),
    ("António Costa", "Costa"),
    ("António Guterres", "Guterres"),
    ("Boris Pistorius", "Pistorius"),
    ("Denis Ranque", "Ranque"),
    ("Donald Trump", "Trump"),
    ("Emmanuel Macron", "Macron"),
    ("Gabriel Attal", "Attal"),
    ("Guillaume Faury", "Faury"),
    ("Ihor Terekhov", "Terekhov"),
    ("Jean-Noël Barrot", "Barrot"),
    ("Jens Stoltenberg", "Stoltenberg"),
    ("Jensen Huang", "Huang"),
    ("Joe Biden", "Biden"),
    ("Josep Borrell", "Borrell"),
    ("Kaja Kallas", "Kallas"),
    ("Keir Starmer", "Starmer"),
    ("Khalifa Haftar", "Haftar"),
    ("Kim Jong Un", "Kim"),
    ("Kristen Michal", "Michal"),
    ("Linda Thomas-Greenfield", "Thomas-Greenfield"),
    ("Luiz Inácio Lula da Silva", "Lula"),
    ("Mark Rutte", "Rutte"),
    ("Michel Barnier", "Barnier"),
    ("Mohamed Hamdan Daglo", "Daglo"),
    ("Mohammed ben Salmane", "ben Salmane"),
    ("Narendra Modi", "Modi"),
    ("Olaf Scholz", "Scholz"),
    ("Oleksandr Syrsky", "Syrsky"),
    ("Patrice Caine", "Caine"),
    ("Patrick Pouyanné", "Pouyanné"),
    ("Paul Kagame", "Kagame"),
    ("Qin Gang", "Qin"),
    ("Recep Tayyip Erdogan", "Erdogan"),
    ("Rishi Sunak", "Sunak"),
    ("Sergueï Choïgou", "Choïgou"),
    ("Sergueï Lavrov", "Lavrov"),
    ("Shehbaz Sharif", "Sharif"),
    ("Subrahmanyam Jaishankar", "Jaishankar"),
    ("Tom Enders", "Enders"),
    ("Ursula von der Leyen", "von der Leyen"),
    ("Vladimir Poutine", "Poutine"),
    ("Volodymyr Zelensky", "Zelensky"),
    ("Wang Yi", "Wang"),
    ("Xi Jinping", "Xi"),
    ("Yoon Suk Yeol", "Yoon"),
    ("Choe Son Hui", "Choe"),
    ("Fumio Kishida", "Kishida"),
    ("Petr Pavel", "Pavel"),
    ("Sébastien Lecornu", "Lecornu"),
    ("Mevlüt Çavuşoğlu", "Çavuşoğlu"),
]
FIRST_NAMES = [
    "Adrien",
    "Agnès",
    "Alain",
    "Alexandre",
    "Alice",
    "Amélie",
    "Anna",
    "Antoine",
    "Arnaud",
    "Aurélie",
    "Bastien",
    "Béatrice",
    "Benoît",
    "Bernard",
    "Camille",
    "Carlos",
    "Caroline",
    "Cécile",
    "Charles",
    "Chloé",
    "Christophe",
    "Claire",
    "Clément",
    "Damien",
    "Daniel",
    "David",
    "Delphine",
    "Denis",
    "Diane",
    "Dmitri",
    "Édouard",
    "Élise",
    "Emma",
    "Éric",
    "Étienne",
    "Fabien",
    "Fatima",
    "Florence",
    "François",
    "Frédéric",
    "Gaël",
    "Georges",
    "Gérard",
    "Hélène",
    "Henri",
    "Hugo",
    "Igor",
    "Inès",
    "Irina",
    "Isabelle",
    "Jacques",
    "Jean",
    "Jeanne",
    "Jérôme",
    "Joachim",
    "Julie",
    "Julien",
    "Karim",
    "Katarzyna",
    "Laura",
    "Laurent",
    "Léa",
    "Léon",
    "Lucas",
    "Lucie",
    "Luis",
    "Madeleine",
    "Malik",
    "Manon",
    "Marc",
    "Margaux",
    "Marie",
    "Martin",
    "Mathilde",
    "Matteo",
    "Maxime",
    "Mehdi",
    "Michel",
    "Nadia",
    "Nathalie",
    "Nicolas",
    "Nina",
    "Noémie",
    "Olivier",
    "Omar",
    "Pascal",
    "Paula",
    "Philippe",
    "Pierre",
    "Rachid",
    "Raphaël",
    "Renaud",
    "Rémi",
    "Robert",
    "Samir",
    "Sandrine",
    "Sarah",
    "Simon",
    "Sofia",
    "Sophie",
    "Stéphane",
    "Sylvie",
    "Thierry",
    "Thomas",
    "Valérie",
    "Victor",
    "Vincent",
    "Xavier",
    "Yann",
    "Yasmine",
    "Youssef",
    "Zoé",
]
LAST_NAMES = [
    "Abadie",
    "Aubert",
    "Barbier",
    "Baron",
    "Benali",
    "Berger",
    "Bertin",
    "Blanchard",
    "Bonnet",
    "Boucher",
    "Bouvier",
    "Brunet",
    "Carpentier",
    "Caron",
    "Chevalier",
    "Clément",
    "Colin",
    "Collet",
    "Cordier",
    "Costa",
    "Da",
    "Silva",
    "Delmas",
    "Deschamps",
    "Dubois",
    "Dufour",
    "Dumas",
    "Dupuis",
    "Durand",
    "Fabre",
    "Faure",
    "Fernandez",
    "Fleury",
    "Fontaine",
    "Fournier",
    "Garnier",
    "Gauthier",
    "Gérard",
    "Giraud",
    "Guérin",
    "Guillot",
    "Hamon",
    "Hoffmann",
    "Hubert",
    "Jacob",
    "Joly",
    "Kaminski",
    "Kovalenko",
    "Lacroix",
    "Lambert",
    "Laurent",
    "Leblanc",
    "Lebrun",
    "Leclerc",
    "Lefebvre",
    "Legrand",
    "Lemaire",
    "Leroy",
    "Lucas",
    "Marchand",
    "Martel",
    "Masson",
    "Mathieu",
    "Mercier",
    "Meyer",
    "Michaud",
    "Moreau",
    "Morel",
    "Nicolas",
    "Noël",
    "Olivier",
    "Paris",
    "Perrin",
    "Petrenko",
    "Picard",
    "Poirier",
    "Renard",
    "Renaud",
    "Rey",
    "Richard",
    "Riviere",
    "Robin",
    "Roche",
    "Rolland",
    "Rousseau",
    "Roux",
    "Royer",
    "Schmitt",
    "Shevchenko",
    "Sorel",
    "Tessier",
    "Vasseur",
    "Vidal",
    "Vincent",
    "Weber",
    "Yilmaz",
    "Zimmermann",
    "Ivanova",
    "Novak",
    "Horvat",
    "Lindqvist",
    "Nakamura",
    "Okafor",
    "Haddad",
    "Mendes",
    "Rossi",
    "Bianchi",
    "Kowalczyk",
    "Popescu",
    "Jansen",
    "Petersen",
]
POOL_SIZE = 5000
ZIPF_EXPONENT = 1.05


def source_paragraphs() -> list[tuple[str, str | None]]:
    """(paragraph, date) pairs from the project's example article and annotated paragraphs."""
    paragraphs: list[tuple[str, str | None]] = []
    example = (ROOT / "examples" / "sommet-wonsan.fr.txt").read_text(encoding="utf-8")
    for block in example.split("\n\n")[1:]:
        if len(block.split()) >= 20:  # skip the date line, the photo caption and the headline
            paragraphs.append((block.strip(), "2025-07-12"))
    for line in (ROOT / "tests" / "data" / "relations_fr.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            paragraphs.append((row["text"], row.get("date")))
    return paragraphs


def _name_pool(rng: random.Random) -> list[tuple[str, str]]:
    combos = [(f"{first} {last}", last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(combos)
    return combos[:POOL_SIZE]


_PERSON_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(n) for n in sorted({n for pair in PERSONS for n in pair}, key=len, reverse=True))
    + r")(?!\w)"
)
_FULL = {full: i for i, (full, _) in enumerate(PERSONS)}
_SHORT = {short: i for i, (_, short) in enumerate(PERSONS)}
_YEAR = re.compile(r"\b(20[12]\d)\b")


def iter_articles(count: int, *, seed: int = 42) -> Iterator[dict[str, str]]:
    """Yield `count` articles as {"id", "date", "text"} dicts; deterministic for a given seed."""
    rng = random.Random(seed)
    paragraphs = source_paragraphs()
    pool = _name_pool(rng)
    weights = list(accumulate(1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(pool))))
    for n in range(count):
        chosen = rng.sample(paragraphs, rng.randint(5, 10))
        shift = rng.randint(-6, 1)
        rename = _Casting(rng, pool, weights)
        body = []
        for text, _ in chosen:
            text = _PERSON_RE.sub(rename, text)
            text = _YEAR.sub(lambda m, shift=shift: str(int(m.group(1)) + shift), text)
            body.append(text)
        date = f"{2025 + shift}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield {"id": f"article-{n + 1:06d}", "date": date, "text": "\n\n".join(body)}


class _Casting:
    """Replaces the people of one article's paragraphs, each by the same new name throughout the article."""

    def __init__(self, rng: random.Random, pool: list[tuple[str, str]], weights: list[float]) -> None:
        self.rng, self.pool, self.weights = rng, pool, weights
        self.cast: dict[int, tuple[str, str]] = {}
        self.used: set[str] = set()

    def person(self, index: int) -> tuple[str, str]:
        while index not in self.cast:
            name = self.rng.choices(self.pool, cum_weights=self.weights)[0]
            if name[0] not in self.used:
                self.used.add(name[0])
                self.cast[index] = name
        return self.cast[index]

    def __call__(self, match: re.Match[str]) -> str:
        text = match.group(0)
        if text in _FULL:
            return self.person(_FULL[text])[0]
        return self.person(_SHORT[text])[1]


def write_folder(count: int, folder: Path, *, seed: int = 42) -> Path:
    """Write the corpus as `folder/NNN/article-NNNNNN.txt` files whose first line is their date."""
    folder.mkdir(parents=True, exist_ok=True)
    for article in iter_articles(count, seed=seed):
        sub = folder / article["id"][-6:-3]
        sub.mkdir(exist_ok=True)
        (sub / f"{article['id']}.txt").write_text(f"date {article['date']}\n\n{article['text']}\n", encoding="utf-8")
    return folder


def write_jsonl(count: int, path: Path, *, seed: int = 42) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for article in iter_articles(count, seed=seed):
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("output", type=Path, help="a folder, or a .jsonl file")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if args.output.suffix == ".jsonl":
        write_jsonl(args.count, args.output, seed=args.seed)
    else:
        write_folder(args.count, args.output, seed=args.seed)
    print(f"wrote {args.count} articles to {args.output}")


if __name__ == "__main__":
    main()
