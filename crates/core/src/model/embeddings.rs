//! Learned absolute embeddings: word + position + token type (when the family has them), then
//! LayerNorm. Positions count from `position_offset` (RoBERTa's start after its padding index).
//! DeBERTa may have no position table (its positions are relative) and projects narrow embeddings
//! to the hidden width before the norm.

use burn::config::Config;
use burn::module::Module;
use burn::nn::{
    Dropout, DropoutConfig, Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig, Linear,
};
use burn::tensor::{Device, Int, Tensor};

use super::word_table::WordTable;
use super::{normal, normal_linear, normalize};
use crate::kernels::matmul::linear;

#[derive(Config, Debug)]
pub struct EmbeddingsConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub max_positions: usize,
    pub type_vocab_size: usize,
    pub layer_norm_eps: f64,
    pub dropout: f64,
    pub initializer_range: f64,
    #[config(default = 0)]
    pub position_offset: usize,
    /// Whether absolute positions are added (DeBERTa-v3: not).
    #[config(default = true)]
    pub positions: bool,
    /// The width a bias-free Linear takes the sum to before the norm (0: no projection).
    #[config(default = 0)]
    pub projected_size: usize,
    /// Rows per chunk of the word table (`None`: one chunk), for a GPU that cannot bind it whole.
    #[config(default = "None")]
    pub word_chunk_rows: Option<usize>,
}

#[derive(Module, Debug)]
pub struct Embeddings {
    pub word: WordTable,
    /// `None` when positions are relative only (DeBERTa with `position_biased_input: false`).
    pub position: Option<Embedding>,
    /// `None` when `type_vocab_size` is 0 (DistilBERT).
    pub token_type: Option<Embedding>,
    /// DeBERTa's `embed_proj`, from the embedding width to the hidden width.
    pub projection: Option<Linear>,
    pub norm: LayerNorm,
    pub dropout: Dropout,
    #[module(skip)]
    pub position_offset: usize,
    /// The norm's epsilon, for the fused kernel (burn's `LayerNorm` keeps its own private).
    #[module(skip)]
    pub layer_norm_eps: f64,
}

impl EmbeddingsConfig {
    pub fn init(&self, device: &Device) -> Embeddings {
        let initializer = normal(self.initializer_range);
        let table = |count: usize| {
            EmbeddingConfig::new(count, self.hidden_size)
                .with_initializer(initializer.clone())
                .init(device)
        };
        let projection = (self.projected_size > 0).then(|| {
            normal_linear(
                self.hidden_size,
                self.projected_size,
                false,
                self.initializer_range,
                device,
            )
        });
        let norm_width = if self.projected_size > 0 {
            self.projected_size
        } else {
            self.hidden_size
        };
        Embeddings {
            word: WordTable::new(
                self.vocab_size,
                self.hidden_size,
                self.word_chunk_rows,
                &initializer,
                device,
            ),
            position: self.positions.then(|| table(self.max_positions)),
            token_type: (self.type_vocab_size > 0).then(|| table(self.type_vocab_size)),
            projection,
            norm: LayerNormConfig::new(norm_width)
                .with_epsilon(self.layer_norm_eps)
                .init(device),
            dropout: DropoutConfig::new(self.dropout).init(),
            position_offset: self.position_offset,
            layer_norm_eps: self.layer_norm_eps,
        }
    }
}

impl Embeddings {
    /// `input_ids`, `token_type_ids`: `[batch, seq]`.
    pub fn forward(&self, input_ids: Tensor<2, Int>, token_type_ids: Tensor<2, Int>) -> Tensor<3> {
        let [batch, seq] = input_ids.dims();
        let device = input_ids.device();
        let mut summed = self.word.lookup(input_ids);
        if let Some(position) = &self.position {
            let first = self.position_offset as i64;
            let positions = Tensor::<1, Int>::arange(first..first + seq as i64, &device)
                .reshape([1, seq])
                .expand([batch, seq]);
            summed = summed + position.forward(positions);
        }
        if let Some(token_type) = &self.token_type {
            summed = summed + token_type.forward(token_type_ids);
        }
        if let Some(projection) = &self.projection {
            summed = linear(projection, summed);
        }
        self.dropout
            .forward(normalize(&self.norm, self.layer_norm_eps, summed))
    }
}
