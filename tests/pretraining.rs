//! Pretraining from nothing at a toy size, by the same path `make pretrain` takes: the corpus
//! and vocabulary come out the same for the same seed, and a short run lowers the held-out loss.

use clozelab_core::LoadedModel;
use clozelab_core::backend::{BackendKind, cpu_device};
use clozelab_core::train::{TrainOptions, TrainingRun};
use clozelab_pretrain::Recipe;

fn toy() -> Recipe {
    Recipe {
        seed: 3,
        sentences: 4_000,
        phrasebook_sentences: 1_000,
        wordnet_copies: 0,
        held_out_sentences: 64,
        vocab_size: 8_000,
        hidden_size: 32,
        num_hidden_layers: 2,
        num_attention_heads: 2,
        intermediate_size: 64,
        seq_len: 48,
        single_sentence_share: 0.25,
        dropout: 0.1,
        train: TrainOptions {
            steps: 400,
            batch_size: 16,
            learning_rate: 2e-3,
            warmup_steps: 20,
            seed: 3,
            ..TrainOptions::default()
        },
    }
}

/// Same recipe, same corpus, the same vocabulary and so the same packed sequences, token for
/// token; another seed, another corpus.
#[test]
fn the_same_recipe_prepares_the_same_text_and_another_seed_another() {
    let (a, b) = (toy().prepare().unwrap(), toy().prepare().unwrap());
    let text = |p: &clozelab_pretrain::recipe::Prepared| -> Vec<String> {
        p.corpus
            .train
            .iter()
            .map(|s| p.tokenizer.decode(&s.ids).unwrap())
            .collect()
    };
    let ids = |p: &clozelab_pretrain::recipe::Prepared| -> Vec<Vec<u32>> {
        let sequences = p.corpus.train.iter().chain(&p.corpus.held_out);
        sequences.map(|s| s.ids.clone()).collect()
    };
    assert_eq!(ids(&a), ids(&b));
    let other = Recipe { seed: 4, ..toy() }.prepare().unwrap();
    assert_ne!(text(&a), text(&other));
}

#[test]
fn the_vocabulary_covers_the_corpus_and_fits_the_config() {
    let prepared = toy().prepare().unwrap();
    assert_eq!(prepared.config.vocab_size, prepared.tokenizer.vocab_size());
    assert!(
        prepared.config.vocab_size < 8_000,
        "the toy corpus needs fewer tokens than the cap"
    );
    let unk = prepared.tokenizer.encode("[UNK]").unwrap().input_ids[1];
    for sequence in prepared
        .corpus
        .train
        .iter()
        .chain(&prepared.corpus.held_out)
    {
        assert!(!sequence.ids.contains(&unk));
        assert!(sequence.ids.len() <= 48);
    }
}

#[test]
fn a_short_pretraining_run_lowers_the_held_out_loss() {
    let recipe = toy();
    let prepared = recipe.prepare().unwrap();
    let device = cpu_device().autodiff();
    device.seed(recipe.seed);
    let model = LoadedModel::random(
        prepared.config.clone(),
        prepared.tokenizer,
        device.clone(),
        BackendKind::Cpu,
    );
    let mut run = TrainingRun::of(&model, prepared.corpus, recipe.train);
    let before = pollster::block_on(run.evaluate()).unwrap().unwrap();
    while !run.finished() {
        pollster::block_on(run.advance(100)).unwrap();
    }
    let after = pollster::block_on(run.evaluate()).unwrap().unwrap();
    // From about ln(vocabulary) ≈ 6.6 for random weights to well below it (perplexity halved).
    assert!(
        after.loss < before.loss - 0.7,
        "held-out loss {} → {}",
        before.loss,
        after.loss
    );
    assert!(
        after.accuracy > before.accuracy + 0.05,
        "{before:?} → {after:?}"
    );
}
