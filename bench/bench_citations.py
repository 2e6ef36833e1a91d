"""Benchmark: citation extraction speed on 10,000 lines, and the slowest (adversarial) line.

Run from the repository root: ``python bench/bench_citations.py [--lines 10000] [--top 10]``.

Lines come from two sources:

* corpus lines: every ``text`` of tests/corpus/*.yaml, repeated and varied (Arabic-Indic
  digits, a back-link caret, a trailing locator, Arabic commas, a changed year) up to
  ``--lines`` lines;
* adversarial lines (families x lengths 100, 1,000, 2,500 and 5,000 characters): repeated
  punctuation, quotes, commas, Arabic commas, digits, parentheses, initials, "pp." labels,
  unclosed brackets and the like - the inputs on which a regex with nested or overlapping
  quantifiers backtracks for ever.

Reported: the wall time of ``extract_citations`` on all corpus lines joined (one article), the
time of ``looks_like_reference`` + ``parse_rendered`` per line (both run on every line here,
whatever the detector says: a ``<ref>`` body or ``toolkit parse`` reaches ``parse_rendered``
without the length check), and the slowest lines. A line that runs for more than
``--cap`` seconds is stopped and reported as "> cap". Targets (issue 10): 10,000 lines in
<= 10 s on one core; no line over 50 ms.

Not a test: numbers vary with the machine (tests/test_citations_adversarial.py makes sure the
adversarial lines return at all).
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.citations import (  # noqa: E402 - needs the repository root on sys.path
    extract_citations,
    looks_like_reference,
    parse_rendered,
)

LENGTHS = (100, 1000, 2500, 5000)
# name -> the unit repeated up to the length (prefix, unit)
ADVERSARIAL: dict[str, tuple[str, str]] = {
    "stops": ("", ". "),
    "dots": ("", "."),
    "commas": ("", ", "),
    "bare commas": ("", ","),
    "arabic commas": ("", "، "),
    "semicolons": ("", "؛ "),
    "double quotes": ("", '"'),
    "quote words": ("", '"a" '),
    "curly quotes": ("", "“x” "),
    "guillemets": ("", "«"),
    "single quotes": ("", "'"),
    "digits": ("", "1"),
    "spaced digits": ("", "1 "),
    "digit dashes": ("", "1-"),
    "years": ("", "2001 "),
    "open parens": ("", "("),
    "paren years": ("", "(2001) "),
    "brackets": ("", "[1]"),
    "colons": ("", ": "),
    "initials": ("", "A. "),
    "name commas": ("", "Smith, J., "),
    "vancouver names": ("", "Smith J, "),
    "capital words": ("", "Word "),
    "abbreviations": ("", "Abc. "),
    "pp labels": ("", "pp. 1, "),
    "page ranges": ("", "1–2, "),
    "arabic words": ("", "كلمة "),
    "arabic page": ("", "ص "),
    "volume labels": ("", "ج. 1 "),
    "isbn digits": ("ISBN ", "9-"),
    "doi tail": ("doi:10.1000/", "a."),
    "url": ("https://example.org/", "a"),
    "dashes": ("", " - "),
    "pipes": ("", "|"),
    "braces": ("", "{{"),
    "markdown links": ("", "[a]("),
    "ref tags": ("", "<ref>"),
    "retrieved": ("Retrieved ", "1 "),
    "archived": ("Archived ", "a "),
    "by names": ("by ", "John "),
    "by initials": ("by ", "A. "),
    "translated": ("Translated by Smith, ", "A. "),
    "in editors": ("In ", "Smith, J. ("),
    "arabic archive": ("مؤرشف من الأصل في ", "1 "),
    "wayback": ("نسخة محفوظة ", "1 "),
    "pmid": ("PMID ", "1."),
    "pmid digits": ("PMID ", "1"),
    "page digits": ("p. ", "1"),
    "at digits": ("at ", "1"),
    "numbered part": ("Paper ", "1"),
    "in words": ("In ", "a "),
    "arabic in": ("في ", "كلمة "),
    "arabic via": ("عبر ", "كلمة "),
    "error messages": ("{{cite web}}: ", "a "),
    "ed words": ("", "2nd ed. "),
    "author date": ("", "Smith, John (2001"),
    "quoted head": ('"', 'Title, '),
    "harvard": ("", "Smith, "),
    "mixed": ("", '"., ،(1:'),
    "tabs": ("", " \t"),
    "em spaces": ("", "\u2003"),
    "ideographic spaces": ("", "a\u3000\u3000"),
    "form feeds": ("", "\x0c"),
    "carriage returns": ("A", "\r"),
    "line breaks": ("A", "\n"),
    "mixed blanks": ("A", " \r\u2003\x0c"),
    "container volume": ("Journal", " \u2003"),
    "chicago": ("Journal 12", " \u2003"),
}


class Timeout(Exception):
    """A line ran longer than the cap."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Timeout


def corpus_texts() -> list[str]:
    """Every ``text`` field of tests/corpus/*.yaml (references and templates)."""
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    texts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((ROOT / "tests" / "corpus").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return texts


VARIANTS: tuple[Callable[[str, random.Random], str], ...] = (
    lambda s, r: s,
    lambda s, r: s.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
    lambda s, r: "^ " + s,
    lambda s, r: s.rstrip(".") + f". p. {r.randint(1, 400)}.",
    lambda s, r: s.replace(", ", "، "),
    lambda s, r: s.replace("20", str(r.randint(15, 20)), 1),
)


def corpus_lines(count: int, seed: int = 10) -> list[str]:
    """``count`` lines: the corpus lines (one per text line), repeated through the variants."""
    base = [line for text in corpus_texts() for line in text.splitlines() if line.strip()]
    rng = random.Random(seed)
    lines: list[str] = []
    round_ = 0
    while len(lines) < count:
        variant = VARIANTS[round_ % len(VARIANTS)]
        lines.extend(variant(line, rng) for line in base)
        round_ += 1
    return lines[:count]


def adversarial_lines(lengths: tuple[int, ...] = LENGTHS) -> Iterator[tuple[str, str]]:
    """(label, line) for each family and length: the prefix once, then the unit repeated; the
    same with a last character no pattern accepts (a failing match backtracks over all of
    it); and (where there is a prefix) prefix and unit repeated together."""
    for name, (prefix, unit) in ADVERSARIAL.items():
        for length in lengths:
            body = unit * (max(1, (length - len(prefix)) // len(unit)) + 1)
            yield f"{name} x{length}", (prefix + body)[:length]
            yield f"{name} (bad end) x{length}", (prefix + body)[:length - 2] + " !"
            if prefix:
                yield f"{name} (repeated) x{length}", ((prefix + unit) * (length // len(
                    prefix + unit) + 1))[:length]


def time_line(line: str, cap: float) -> float:
    """CPU seconds for looks_like_reference + parse_rendered on one line (inf past the cap).

    CPU time, not wall time: other processes on the machine do not count against a line.
    """
    signal.setitimer(signal.ITIMER_REAL, cap)
    start = time.process_time()
    try:
        looks_like_reference(line)
        parse_rendered(line)
    except Timeout:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--cap", type=float, default=10.0, help="seconds before a line is stopped")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)

    lines = corpus_lines(args.lines)
    start = time.perf_counter()
    cpu = time.process_time()
    works = extract_citations("\n".join(lines))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"extract_citations on {len(lines):,} corpus lines: {wall:.2f} s wall, {cpu:.2f} s CPU, "
          f"{len(works):,} works")

    timed = [(time_line(line, args.cap), f"corpus line {number}", len(line))
             for number, line in enumerate(lines, 1)]
    corpus_total = sum(t for t, _, _ in timed)
    adversarial = [(time_line(line, args.cap), label, len(line))
                   for label, line in adversarial_lines()]
    adversarial_total = sum(t for t, _, _ in adversarial if t != float("inf"))
    timed += adversarial
    print(f"per line (CPU), corpus: {corpus_total:.2f} s for {len(lines):,} lines "
          f"({1000 * corpus_total / len(lines):.2f} ms/line)")
    stopped = sum(1 for t, _, _ in adversarial if t == float("inf"))
    print(f"per line (CPU), adversarial: {adversarial_total:.2f} s for {len(adversarial):,} lines"
          + (f" (not counting {stopped} stopped at the cap)" if stopped else ""))
    over = [t for t in timed if t[0] > 0.05]
    print(f"lines over 50 ms: {len(over)} (of which stopped at the {args.cap:g} s cap: "
          f"{sum(1 for t in timed if t[0] == float('inf'))})")
    print(f"slowest {args.top}:")
    for seconds, label, length in sorted(timed, reverse=True)[: args.top]:
        shown = f"> {args.cap:g} s" if seconds == float("inf") else f"{1000 * seconds:8.1f} ms"
        print(f"  {shown:>12}  {label} ({length:,} chars)")


if __name__ == "__main__":
    main()
