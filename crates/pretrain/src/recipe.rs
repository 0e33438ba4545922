//! The recipe of the bundled model — corpus size, vocabulary, shape and training settings — and
//! the preparation every run shares: corpus → vocabulary → packed sequences. `make pretrain`
//! runs [`Recipe::bundled`]; tests run the same path at a toy size.

use crate::corpus::{Split, generate};
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
    /// Training sentences generated (the vocabulary is trained on them too).
    pub sentences: usize,
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
    /// The bundled model: sized so that `make pretrain` finishes within an hour on two cores.
    pub fn bundled() -> Self {
        Recipe {
            seed: 0,
            sentences: 400_000,
            held_out_sentences: 512,
            vocab_size: 4_096,
            hidden_size: 128,
            num_hidden_layers: 4,
            num_attention_heads: 4,
            intermediate_size: 512,
            seq_len: 64,
            single_sentence_share: 0.25,
            dropout: 0.0,
            train: TrainOptions {
                steps: 11_000,
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

    /// Generates the corpus, trains the vocabulary and packs the training sequences.
    pub fn prepare(&self) -> Result<Prepared> {
        let texts = |split, count| -> Vec<String> {
            generate(self.seed, count, split)
                .into_iter()
                .map(|s| s.text)
                .collect()
        };
        let sentences = texts(Split::Train, self.sentences);
        let tokenizer_files = train_tokenizer(sentences.iter(), self.vocab_size)?;
        let tokenizer = ClozeTokenizer::from_files(&tokenizer_files)?;
        let mut rng = Rng::new(self.seed);
        let share = self.single_sentence_share;
        let (train, token_count) =
            pack_sentences(&tokenizer, &sentences, self.seq_len, share, &mut rng)?;
        let held_out_texts = texts(Split::HeldOut, self.held_out_sentences);
        let (held_out, _) =
            pack_sentences(&tokenizer, &held_out_texts, self.seq_len, 1.0, &mut rng)?;
        let config = self.config(tokenizer.vocab_size());
        Ok(Prepared {
            tokenizer_files,
            tokenizer,
            config,
            corpus: Corpus {
                train,
                held_out,
                token_count,
            },
        })
    }
}

/// Everything a pretraining run starts from.
pub struct Prepared {
    /// `tokenizer.json` and `tokenizer_config.json`.
    pub tokenizer_files: ModelFiles,
    pub tokenizer: ClozeTokenizer,
    pub config: BertConfig,
    pub corpus: Corpus,
}
