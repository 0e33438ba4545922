//! The model card (`README.md` of the shipped folder): what the model is, what it was trained
//! on and how, and how well it fills the held-out cloze and syntax sets.

use crate::evaluate::{ClozeScore, markdown_table};
use crate::handwritten::{HandwrittenScore, handwritten_table};
use clozelab_core::config::BertConfig;

use crate::recipe::{Recipe, Sources};

/// What a finished run knows about itself.
pub struct RunFacts {
    pub parameters: usize,
    pub weights_bytes: usize,
    pub vocab_size: usize,
    pub train_sequences: usize,
    pub train_tokens: usize,
    pub tokens_seen: usize,
    pub minutes: f64,
    pub final_loss: f32,
    pub held_out_loss: Option<f32>,
    pub machine: String,
    pub sources: Sources,
}

pub fn model_card(
    recipe: &Recipe,
    config: &BertConfig,
    run: &RunFacts,
    cloze: &ClozeScore,
    syntax: &ClozeScore,
    handwritten: &HandwrittenScore,
) -> String {
    let t = &recipe.train;
    let held_out = run
        .held_out_loss
        .map(|l| format!(", held-out MLM loss {l:.3}"))
        .unwrap_or_default();
    format!(
        "---
language: en
library_name: transformers
pipeline_tag: fill-mask
tags: [clozelab, bert, masked-lm, synthetic-data]
---

# clozelab-tiny-bert

The model clozelab's page loads by default: a small BERT that fills blanks in the simple everyday
English a class types — home and family, the body, clothes, weather and feelings, town, transport,
jobs and school — and in simple, true facts: animals and their sounds, homes and young; food and
colours; countries, capitals and languages; days, months and numbers in order; opposites; cause
and effect; with basic grammar (agreement, a/an, tense). It was pretrained from random weights by
clozelab's own Rust/burn training code, the same code that fine-tunes in the browser
(`make pretrain`), on sentences written for it and on WordNet's example sentences.

It is small: outside simple English it guesses from the words it has.

## Model

| | |
|---|---|
| architecture | `BertForMaskedLM` (post-norm BERT, GELU, tied decoder) |
| layers × hidden × heads | {layers} × {hidden} × {heads} (feed-forward {ffn}) |
| parameters | {params:.2} M |
| vocabulary | {vocab} WordPiece tokens, lower-cased, trained on the corpus |
| longest input | {positions} tokens |
| `model.safetensors` | {size:.1} MB (float32) |

## Data

{total} training sentences from three sources, shuffled together (seed {seed}; `docs/CORPUS.md`):

- {sentences} from clozelab's corpus generator: 13 categories, {templates} templates, facts
  written in the project's Rust source;
- {phrasebook} drawn from the phrasebook (`crates/pretrain/phrasebook/`): {patterns} patterns of
  everyday English written by hand — statements, questions with answers, negations, lists,
  requests, short dialogues and stories — by writers who never saw the evaluation sets;
- {wordnet} short example sentences of common words from WordNet 3.0 (Princeton University,
  Debian's `wordnet-base`), each {copies} times, under WordNet's licence (below).

{sequences} training
sequences of at most {seq_len} tokens ({single:.0}% single sentences, the rest several sentences
packed), {tokens} tokens. The template evaluation sets are held out by template and by fact: every
evaluated sentence pairs a phrasing with a fact in a way training never showed.

## Training

Masked-LM: 15% of tokens chosen, of those 80% `[MASK]`, 10% a random token, 10% kept. AdamW (β
0.9/0.999, weight decay {wd}{clipping}), peak learning rate {lr:e} after {warmup} warm-up steps, then linear
decay; {steps} steps of {batch} sequences ({seen:.1} M tokens), dropout {dropout}. Final training
loss {loss:.3}{held_out}. {minutes:.0} minutes on {machine}.

{shapes}
## Evaluation

Held-out cloze sentences, one `[MASK]` per sentence on the word that carries the fact; a hit when
the answer is the top prediction (top-1) or among the first five (top-5):

{cloze_table}
Syntax drills (is/are, was/were, has/have, a/an, verb tense). In a verb-form drill (\"zoe [MASK]
every evening.\") any verb would make sense and only its form is determined, so any drill verb in
the right form counts:

{syntax_table}
{handwritten_section}
Reproduce with `make bench` (evaluation) or `make pretrain` (the whole model). The same top-5
comes out of Python `transformers` (`bench/check_transformers.py`).

## Licences

The weights and the texts written for the project are under the repository's licence. The
training data includes example sentences of WordNet 3.0, whose licence asks that its notice appear
on all copies:

```
{wordnet_licence}```

## Use

```python
from transformers import pipeline
fill = pipeline(\"fill-mask\", model=\"www/models/clozelab-tiny-bert\")
fill(\"the capital of france is [MASK].\")
```

```
clozelab fill-mask --model www/models/clozelab-tiny-bert \"a cow says [MASK].\"
```
",
        layers = config.num_hidden_layers,
        hidden = config.hidden_size,
        heads = config.num_attention_heads,
        ffn = config.intermediate_size,
        params = run.parameters as f64 / 1e6,
        vocab = run.vocab_size,
        positions = config.max_position_embeddings,
        size = run.weights_bytes as f64 / 1e6,
        sentences = run.sources.templates,
        total = run.sources.templates
            + run.sources.phrasebook
            + run.sources.wordnet_examples * run.sources.wordnet_copies,
        phrasebook = run.sources.phrasebook,
        patterns = run.sources.phrasebook_patterns,
        wordnet = run.sources.wordnet_examples,
        copies = run.sources.wordnet_copies,
        seed = recipe.seed,
        templates = crate::corpus::template_count(),
        sequences = run.train_sequences,
        seq_len = recipe.seq_len,
        single = recipe.single_sentence_share * 100.0,
        tokens = run.train_tokens,
        wd = t.adamw.weight_decay,
        clipping = t
            .adamw
            .max_grad_norm
            .map_or(String::new(), |n| format!(", gradients clipped to a global norm of {n}")),
        lr = t.learning_rate,
        warmup = t.warmup_steps,
        steps = t.steps,
        batch = t.batch_size,
        seen = run.tokens_seen as f64 / 1e6,
        dropout = config.hidden_dropout_prob,
        loss = run.final_loss,
        minutes = run.minutes,
        machine = run.machine,
        cloze_table = markdown_table("category", cloze),
        syntax_table = markdown_table("set", syntax),
        handwritten_section = handwritten_section(handwritten),
        wordnet_licence = include_str!("../WORDNET_LICENSE"),
        shapes = include_str!("../shapes.md"),
    )
}

/// The card's table of the hand-written set, with what it is.
pub fn handwritten_section(score: &HandwrittenScore) -> String {
    format!(
        "Sentences written by hand, apart from the corpus generator and never trained on
(`crates/pretrain/eval/`): about its world, grammar in natural sentences, and everyday life
outside its world; a hit when an accepted answer is the top prediction or among the first five
({missing} of {items} have no answer that is one token of its vocabulary):

{table}",
        missing = score.answers_not_in_vocabulary,
        items = score.overall.items,
        table = handwritten_table(score),
    )
}
