"""Benchmark 4: time and memory per article at 1k, 10k, 100k and 1M characters.

    .venv/bin/python bench/scaling.py [--language da] [--html]

Each size runs in a fresh process (so peak RSS is that article's), on text made by repeating the
Danish seed article with numbered sentences (so it is not one repeated string). Prints the
table and the fitted exponent of time against length from 10k to 1M characters (1.0 = linear).
`--html` sends the text as HTML that no CMS would write, to show that reading its markup stays
linear too: each paragraph in `<p>`, its names in links, and after it a comment, a script and a
bold tag that nothing closes (the search for their ends must not run to the text's end each time).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000, 100_000, 1_000_000)


def make_text(chars: int) -> str:
    seed = json.loads((ROOT / "seeds" / "da-kim-jong-un-rusland.json").read_text(encoding="utf-8"))["text"]
    parts, total, n = [], 0, 0
    while total < chars:
        n += 1
        part = f"Afsnit {n}. " + seed
        parts.append(part)
        total += len(part) + 2
    return "\n\n".join(parts)[:chars]


def as_html(text: str) -> str:
    paragraphs = (re.sub(r"\b([A-ZÆØÅ]\w+(?: [A-ZÆØÅ]\w+)*)", r'<a href="/n">\1</a>', p) for p in text.split("\n\n"))
    return "".join(f"<p>{p}</p> <!-- <script> <b " for p in paragraphs)


def measure_one(chars: int, language: str, html: bool) -> dict:
    from worker.pipeline.analyze import analyze_article, warm_up

    warm_up()
    text = as_html(make_text(chars))[:chars] if html else make_text(chars)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    result = analyze_article({"text": text, "language": language})
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"chars": chars, "seconds": seconds, "peak_rss_mb": peak / 1024,
            "rss_growth_mb": (peak - before) / 1024, "entities": len(result["entities"])}


def exponent(rows: list[dict]) -> float:
    """Least-squares slope of log(time) on log(chars) over the sizes from 10k up."""
    points = [(math.log(r["chars"]), math.log(r["seconds"])) for r in rows if r["chars"] >= 10_000]
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="da")
    parser.add_argument("--html", action="store_true", help="the text as HTML with unclosed comments and scripts")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child mode: measure one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.language, args.html)))
        return
    rows = []
    for chars in SIZES:
        out = subprocess.run([sys.executable, __file__, "--one", str(chars), "--language", args.language]
                             + (["--html"] if args.html else []), capture_output=True, text=True, check=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print(f"{'chars':>9} {'seconds':>9} {'us/char':>8} {'peak RSS MB':>12} {'RSS growth MB':>14}")
    for r in rows:
        print(f"{r['chars']:>9} {r['seconds']:>9.3f} {r['seconds'] / r['chars'] * 1e6:>8.2f} "
              f"{r['peak_rss_mb']:>12.1f} {r['rss_growth_mb']:>14.1f}")
    fitted = exponent(rows)
    print(f"exponent of time vs length, 10k..1M chars: {fitted:.3f}")
    print(json.dumps({"rows": rows, "exponent": fitted}))


if __name__ == "__main__":
    main()
