"""Hostile documents, built in memory: each once made a stage of the parser super-linear."""

from __future__ import annotations

import random

from tests.consumers.parsing.samples import PT_CV


def long_word(length: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(length))


def hostile_texts() -> dict[str, bytes]:
    """TXT files that froze the parser for tens of seconds to forever."""
    one_line = PT_CV.replace("\n", " ") + " " + "Python SQL " * 950_000
    return {
        "one 50 KB word": long_word(50_000).encode(),
        "a CV plus a 30 KB word": (PT_CV + "\n" + long_word(30_000)).encode(),
        "100 KB of phone numbers on one line": " ".join(
            ["Telefone celular (11) 98765-4321"] * 3_100
        ).encode(),
        "100 KB of capitalised words on one line": " ".join(["Ana Rio"] * 12_500).encode(),
        "a 10 MiB single line": one_line.encode(),
        "10 MiB over many lines": (PT_CV + "Python, Docker, Kubernetes e SQL\n" * 320_000).encode(),
    }
