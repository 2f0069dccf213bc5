"""Screenshot of an HTML map for the README, taken in headless Chromium once the picture is still.

    .venv/bin/python bench/screenshot.py examples/graph.html docs/img/map.png
    .venv/bin/python bench/screenshot.py graph.html map.png --focus "RPDC" --width 1600 --height 1000

--focus searches an entity (by any alias) and opens its panel, as a reader would; --edge SOURCE TARGET
(labels or aliases) opens the evidence of the first relation between two entities instead.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def screenshot(
    page_path: Path,
    out: Path,
    *,
    width: int = 1400,
    height: int = 900,
    focus: str | None = None,
    edge: tuple[str, str] | None = None,
) -> Path:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
            device_scale_factor=1,
        )
        page = context.new_page()
        page.goto(Path(page_path).resolve().as_uri())
        page.wait_for_function("() => window.kgraph && window.kgraph.ready", timeout=120_000)
        if focus:
            page.fill("#kg-search", focus)
            page.keyboard.press("Enter")
        if edge:
            found = page.evaluate(
                """([a, b]) => {
                    const k = window.kgraph, pick = (q) => (k.search(q, 1)[0] || {}).id;
                    const s = pick(a), t = pick(b);
                    const id = Object.keys(k.data.edges).find((e) => {
                        const d = k.data.edges[e];
                        return (d.from === s && d.to === t) || (d.from === t && d.to === s);
                    });
                    if (id) k.selectEdge(id);
                    return Boolean(id);
                }""",
                list(edge),
            )
            if not found:
                raise SystemExit(f"no relation between {edge[0]!r} and {edge[1]!r} on this map")
        page.wait_for_timeout(800)  # let the focus animation finish
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", type=Path, help="an HTML map written by kgraph")
    parser.add_argument("out", type=Path, help="PNG file to write")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--focus", help="entity to search and open (any alias)")
    parser.add_argument("--edge", nargs=2, metavar=("SOURCE", "TARGET"), help="open the evidence of a relation")
    args = parser.parse_args()
    if not args.page.is_file():
        raise SystemExit(f"{args.page}: no such file")
    written = screenshot(
        args.page,
        args.out,
        width=args.width,
        height=args.height,
        focus=args.focus,
        edge=tuple(args.edge) if args.edge else None,
    )
    print(written)


if __name__ == "__main__":
    main()
