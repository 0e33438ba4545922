//! The recipe of the bundled model — corpus size, vocabulary, shape and training settings — and
//! the preparation every run shares: corpus → vocabulary → packed sequences. `make pretrain`
//! runs [`Recipe::bundled`]; tests run the same path at a toy size.

use std::collections::HashSet;
use std::path::Path;

use crate::corpus::{Split, generate};
use crate::phrasebook::Phrasebook;
use crate::wordnet;
use clozelab_core::config::BertConfig;
use clozelab_core::error::Result;
use clozelab_core::files::ModelFiles;
use clozelab_core::masking::Rng;
use clozelab_core::tokenize::ClozeTokenizer;
use clozelab_core::train::{AdamWSettings, Corpus, TrainOptions};

use crate::packing::pack_sentences;
use crate::vocabulary::{MODEL_MAX_LENGTH, train_tokenizer};

#[derive(Debug, Clone, PartialEq)]
pub struct Recipe {
    /// Seed of the corpus, the packing, the initial weights and the masking.
    pub seed: u64,
    /// Template sentences generated (`corpus/`; the vocabulary is trained on every source).
    pub sentences: usize,
    /// Sentences drawn from the hand-written phrasebook (`phrasebook/`).
    pub phrasebook_sentences: usize,
    /// How many times each WordNet example sentence is in the corpus (0: WordNet is not read).
    pub wordnet_copies: usize,
    /// Held-out sentences whose loss is reported while training.
    pub held_out_sentences: usize,
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    /// Longest training sequence, [CLS] and [SEP] included.
    pub seq_len: usize,
    /// Share of sequences holding a single sentence (the rest pack several).
    pub single_sentence_share: f64,
    /// Dropout of hidden states and attention probabilities while training.
    pub dropout: f64,
    pub train: TrainOptions,
}

impl Recipe {
    /// The bundled model: sized so that `make pretrain` finishes within 90 minutes on two cores.
    pub fn bundled() -> Self {
        Recipe {
            seed: 0,
            sentences: 800_000,
            phrasebook_sentences: 1_200_000,
            wordnet_copies: 3,
            held_out_sentences: 512,
            vocab_size: 16_384,
            hidden_size: 128,
            num_hidden_layers: 4,
            num_attention_heads: 4,
            intermediate_size: 512,
            seq_len: 64,
            single_sentence_share: 0.25,
            dropout: 0.0,
            train: TrainOptions {
                steps: 20_000,
                batch_size: 32,
                learning_rate: 1e-3,
                warmup_steps: 200,
                seed: 0,
                // Trained without clipping: with the warm-up its loss never spiked, and the
                // shipped weights stay reproducible.
                adamw: AdamWSettings {
                    max_grad_norm: None,
                    ..AdamWSettings::default()
                },
                ..TrainOptions::default()
            },
        }
    }

    /// The model config for a trained vocabulary of `vocab_size` tokens.
    pub fn config(&self, vocab_size: usize) -> BertConfig {
        let mut config = BertConfig::with_shape(
            vocab_size,
            self.hidden_size,
            self.num_hidden_layers,
            self.num_attention_heads,
            self.intermediate_size,
            MODEL_MAX_LENGTH,
        );
        config.hidden_dropout_prob = self.dropout;
        config.attention_probs_dropout_prob = self.dropout;
        config
    }

    /// Every training sentence, in training order: the template sentences, the phrasebook's and
    /// WordNet's, shuffled together from the seed.
    pub fn training_texts(&self) -> Result<Vec<String>> {
        Ok(self.mixed()?.0)
    }

    fn mixed(&self) -> Result<(Vec<String>, Sources)> {
        let mut sentences = templated(self.seed, self.sentences, Split::Train);
        let mut sources = Sources {
            templates: sentences.len(),
            ..Sources::default()
        };
        if self.phrasebook_sentences > 0 {
            let book = Phrasebook::bundled()?;
            sentences.extend(book.sentences(self.seed, self.phrasebook_sentences));
            sources.phrasebook_patterns = book.len();
            sources.phrasebook = self.phrasebook_sentences;
        }
        if self.wordnet_copies > 0 {
            let own_words: HashSet<String> = sentences
                .iter()
                .flat_map(|s| s.split(|c: char| !c.is_ascii_lowercase() && c != '\''))
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect();
            let examples = wordnet::examples(Path::new(wordnet::WORDNET_DIR), &own_words)?;
            for _ in 0..self.wordnet_copies {
                sentences.extend(examples.iter().cloned());
            }
            sources.wordnet_examples = examples.len();
            sources.wordnet_copies = self.wordnet_copies;
        }
        let mut rng = Rng::new(self.seed ^ SHUFFLE);
        for i in (1..sentences.len()).rev() {
            sentences.swap(i, rng.below(i + 1));
        }
        Ok((sentences, sources))
    }

    /// Generates the corpus, trains the vocabulary and packs the training sequences.
    pub fn prepare(&self) -> Result<Prepared> {
        let (sentences, sources) = self.mixed()?;
        let tokenizer_files = train_tokenizer(sentences.iter(), self.vocab_size)?;
        let tokenizer = ClozeTokenizer::from_files(&tokenizer_files)?;
        let mut rng = Rng::new(self.seed);
        let share = self.single_sentence_share;
        let (train, token_count) =
            pack_sentences(&tokenizer, &sentences, self.seq_len, share, &mut rng)?;
        let held_out_texts = templated(self.seed, self.held_out_sentences, Split::HeldOut);
        let (held_out, _) =
            pack_sentences(&tokenizer, &held_out_texts, self.seq_len, 1.0, &mut rng)?;
        let config = self.config(tokenizer.vocab_size());
        Ok(Prepared {
            tokenizer_files,
            tokenizer,
            config,
            sources,
            corpus: Corpus {
                train,
                held_out,
                token_count,
            },
        })
    }
}

/// Seeds the shuffle of the sources apart from the other draws of the same seed.
const SHUFFLE: u64 = 0x5348_5546_464c_45;

fn templated(seed: u64, count: usize, split: Split) -> Vec<String> {
    generate(seed, count, split)
        .into_iter()
        .map(|s| s.text)
        .collect()
}

/// Everything a pretraining run starts from.
pub struct Prepared {
    /// `tokenizer.json` and `tokenizer_config.json`.
    pub tokenizer_files: ModelFiles,
    pub tokenizer: ClozeTokenizer,
    pub config: BertConfig,
    pub sources: Sources,
    pub corpus: Corpus,
}

/// How many training sentences came from where.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sources {
    /// Sentences of the template generator (`corpus/`).
    pub templates: usize,
    /// Patterns in the phrasebook and sentences drawn from them.
    pub phrasebook_patterns: usize,
    pub phrasebook: usize,
    /// WordNet example sentences kept, and how many times each is in the corpus.
    pub wordnet_examples: usize,
    pub wordnet_copies: usize,
}
