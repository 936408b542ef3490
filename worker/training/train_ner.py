"""Train the Newsdesk NER pipeline for one language, reproducibly and offline.

    python -m worker.training.train_ner --lang da --data ../shared/data \
        --out worker/models/ner-da --seed 0

The corpus is converted to spaCy DocBin files in a temporary directory (raw
data never enters the repository), a small CPU config is written next to
them, spaCy's own training loop runs, and only the best pipeline plus a
MODEL_CARD.md are written to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.cli.train import train as spacy_train
from spacy.tokens import Doc, DocBin
from spacy.util import fix_random_seed

from worker.evaluation.entities import evaluate_nlp
from worker.training.corpora import LABELS, Sentence, read_conll, read_danplus

MODEL_VERSION = "0.1.0"
SENTENCES_PER_DOC = 8


@dataclass(frozen=True)
class Dataset:
    """One corpus: where its splits live, how to read them, how to credit it."""

    name: str
    folder: str
    splits: dict[str, str]
    reader: Callable[[Path], list[Sentence]]
    license: str
    citation: str


DANPLUS = Dataset(
    name="DaN+ news (Danish DDT news, layer 1; -part/-deriv subtypes mapped to O)",
    folder="danplus_news",
    splits={"train": "da_news_train.tsv", "dev": "da_news_dev.tsv", "test": "da_news_test.tsv"},
    reader=read_danplus,
    license="MIT (DaN+ annotations, https://github.com/bplank/DaNplus); "
    "underlying UD Danish DDT text is CC BY-SA 4.0.",
    citation="Barbara Plank, Kristian Nørgaard Jensen, Rob van der Goot. 2020. DaN+: Danish Nested "
    "Named Entities and Lexical Normalization. COLING 2020. https://aclanthology.org/2020.coling-main.583 "
    "(DDT: Johannsen, Martínez Alonso, Plank 2015; Buch-Kromann et al. 2003; Keson 1998.)",
)

CONLL = Dataset(
    name="CoNLL-2003 English NER (train / dev=testa / test=testb)",
    folder="conll2003_en",
    splits={"train": "train.txt", "dev": "dev.txt", "test": "test.txt"},
    reader=read_conll,
    license="NOT openly licensed: Reuters Corpus (RCV1) text under the NIST/Reuters agreement; "
    "annotations distributed for research use. Do not redistribute the data.",
    citation="Erik F. Tjong Kim Sang and Fien De Meulder. 2003. Introduction to the CoNLL-2003 Shared "
    "Task: Language-Independent Named Entity Recognition. CoNLL 2003, pp. 142–147. "
    "https://aclanthology.org/W03-0419",
)

# Hyper-parameters of the efficiency-style CPU pipeline (no static vectors).
CONFIG_TEMPLATE = """
[paths]
train = null
dev = null

[system]
gpu_allocator = null
seed = 0

[nlp]
lang = "{lang}"
pipeline = ["tok2vec","ner"]
batch_size = 1000
tokenizer = {{"@tokenizers":"spacy.Tokenizer.v1"}}

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 96
depth = 4
embed_size = 4000
window_size = 1
maxout_pieces = 3
subword_features = true

[components.ner]
factory = "ner"
incorrect_spans_key = null
moves = null
scorer = {{"@scorers":"spacy.ner_scorer.v1"}}
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${{components.tok2vec.model.width}}
upstream = "*"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0
gold_preproc = false
limit = 0
augmenter = null

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0
gold_preproc = false
limit = 0
augmenter = null

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${{system.seed}}
gpu_allocator = ${{system.gpu_allocator}}
dropout = 0.1
accumulate_gradient = 1
patience = 2000
max_epochs = 0
max_steps = 6000
eval_frequency = 200
frozen_components = []
annotating_components = []
before_to_disk = null
before_update = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
get_length = null

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001
t = 0.0

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[pretraining]

[initialize]
vectors = null
init_tok2vec = null
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=("da", "en"), required=True)
    parser.add_argument("--data", type=Path, required=True, help="shared data directory")
    parser.add_argument("--out", type=Path, required=True, help="directory for the final pipeline")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-steps", type=int, default=6000)
    parser.add_argument("--eval-frequency", type=int, default=200)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument(
        "--add-english",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="(da only; default on) add the CoNLL-2003 English train split to the Danish training set: "
        "foreign names in Danish news (Reuters, Interfax, Donald Trump) get their right type",
    )
    parser.add_argument(
        "--limit", type=int, default=0, help="use only the first N sentences of each split (quick tests)"
    )
    args = parser.parse_args(argv)
    if args.add_english and args.lang != "da":
        parser.error("--add-english only applies to --lang da")
    if args.add_english is None:
        args.add_english = args.lang == "da"
    return args


def datasets_for(lang: str, add_english: bool) -> tuple[Dataset, list[Dataset]]:
    """The evaluation dataset and every dataset whose train split is used."""
    if lang == "en":
        return CONLL, [CONLL]
    return DANPLUS, [DANPLUS, CONLL] if add_english else [DANPLUS]


def read_split(data_dir: Path, dataset: Dataset, split: str, limit: int) -> list[Sentence]:
    sentences = dataset.reader(data_dir / dataset.folder / dataset.splits[split])
    return sentences[:limit] if limit else sentences


def group_sentences(sentences: list[Sentence], size: int) -> list[Sentence]:
    """Join runs of consecutive sentences into one text each.

    At run time the model reads whole articles, so it must see capitalised
    sentence-initial words after a full stop, not only at the start of a Doc.
    """
    grouped = []
    for i in range(0, len(sentences), size):
        chunk = sentences[i : i + size]
        grouped.append(([w for words, _ in chunk for w in words], [t for _, tags in chunk for t in tags]))
    return grouped


def write_docbin(nlp: spacy.Language, sentences: list[Sentence], path: Path) -> None:
    """Store gold sentences as Docs whose entities come from the IOB2 tags."""
    docbin = DocBin(store_user_data=False)
    for words, tags in group_sentences(sentences, SENTENCES_PER_DOC):
        docbin.add(Doc(nlp.vocab, words=words, ents=tags))
    docbin.to_disk(path)


def write_config(lang: str, workdir: Path) -> Path:
    path = workdir / "config.cfg"
    path.write_text(CONFIG_TEMPLATE.format(lang=lang), encoding="utf-8")
    return path


def train_pipeline(args: argparse.Namespace, workdir: Path) -> tuple[spacy.Language, dict]:
    """Convert data, run spaCy training and return the best pipeline plus scores."""
    eval_set, train_sets = datasets_for(args.lang, args.add_english)
    blank = spacy.blank(args.lang)
    train = [s for ds in train_sets for s in read_split(args.data, ds, "train", args.limit)]
    dev = read_split(args.data, eval_set, "dev", args.limit)
    test = read_split(args.data, eval_set, "test", args.limit)
    write_docbin(blank, train, workdir / "train.spacy")
    write_docbin(blank, dev, workdir / "dev.spacy")

    overrides = {
        "paths.train": str(workdir / "train.spacy"),
        "paths.dev": str(workdir / "dev.spacy"),
        "system.seed": args.seed,
        "training.max_steps": args.max_steps,
        "training.dropout": args.dropout,
        "training.eval_frequency": min(args.eval_frequency, args.max_steps),
    }
    fix_random_seed(args.seed)
    spacy_train(write_config(args.lang, workdir), workdir / "output", use_gpu=-1, overrides=overrides)

    nlp = spacy.load(workdir / "output" / "model-best")
    labels = set(LABELS)
    scores = {
        "dev": evaluate_nlp(nlp, dev, labels),
        "test": evaluate_nlp(nlp, test, labels),
        "train_sentences": len(train),
    }
    return nlp, scores


def set_meta(nlp: spacy.Language, args: argparse.Namespace, scores: dict) -> None:
    eval_set, train_sets = datasets_for(args.lang, args.add_english)
    nlp.meta.update(
        {
            "name": f"newsdesk_ner_{args.lang}",
            "version": MODEL_VERSION,
            "description": f"Newsdesk NER ({args.lang}): tok2vec (HashEmbedCNN, no vectors) + ner, "
            "labels PER/LOC/ORG/MISC.",
            "license": "; ".join(ds.license for ds in train_sets),
            "sources": [{"name": ds.name, "license": ds.license, "citation": ds.citation} for ds in train_sets],
            "newsdesk": {"seed": args.seed, "evaluated_on": eval_set.name, "scores": scores},
        }
    )


def format_scores_table(split_scores: dict) -> str:
    rows = ["| type | P | R | F |", "|---|---|---|---|"]
    for label, s in split_scores["per_type"].items():
        rows.append(f"| {label} | {s['p']:.2f} | {s['r']:.2f} | {s['f']:.2f} |")
    s = split_scores["overall"]
    rows.append(f"| **overall** | {s['p']:.2f} | {s['r']:.2f} | **{s['f']:.2f}** |")
    rows.append(f"| untyped (span only) | | | {split_scores['untyped']['f']:.2f} |")
    return "\n".join(rows)


def write_model_card(out: Path, nlp: spacy.Language, args: argparse.Namespace, scores: dict, argv: list[str]) -> None:
    eval_set, train_sets = datasets_for(args.lang, args.add_english)
    command = "python -m worker.training.train_ner " + " ".join(shlex.quote(a) for a in argv)
    sources = "\n".join(
        f"- **{ds.name}** (`{ds.folder}/`)\n  - License: {ds.license}\n  - Citation: {ds.citation}"
        for ds in train_sets
    )
    size_mb = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
    caveat = ""
    if CONLL in train_sets:
        caveat = (
            "\n**Usage caveat:** these weights are derived from CoNLL-2003, whose Reuters (RCV1) text is "
            "not openly licensed. Clear the Reuters Corpus terms before distributing this model beyond "
            "internal use.\n"
        )
    card = f"""# {nlp.meta['name']} {nlp.meta['version']}

Named-entity recogniser for `{args.lang}` news trained by this project (spaCy {spacy.__version__}).
Labels: PER, LOC, ORG, MISC. Architecture: blank `{args.lang}` tokenizer, tok2vec (HashEmbedCNN,
width 96, depth 4, embed_size 4000, no static vectors) + transition-based ner. Size on disk: {size_mb:.1f} MB.

## Training data
{sources}
{caveat}
Train sentences: {scores['train_sentences']}. Evaluated on: {eval_set.name}.
Scores are exact span + label match on the gold tokenisation (`worker.evaluation.entities`).

## Dev scores
{format_scores_table(scores['dev'])}

## Test scores
{format_scores_table(scores['test'])}

## Reproduce
Seed: {args.seed}

```
{command}
```
"""
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsdesk-ner-") as tmp:
        nlp, scores = train_pipeline(args, Path(tmp))
    set_meta(nlp, args, scores)
    # The corpus paths pointed into the deleted temp dir; keep them out of the saved config.
    nlp.config["paths"].update({"train": None, "dev": None})
    if args.out.exists():
        shutil.rmtree(args.out)
    nlp.to_disk(args.out)
    write_model_card(args.out, nlp, args, scores, argv)
    print(json.dumps({"out": str(args.out), "dev": scores["dev"]["overall"], "test": scores["test"]["overall"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
