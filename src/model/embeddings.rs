//! Learned absolute embeddings: word + position + token type (when the family has them), then
//! LayerNorm. Positions count from `position_offset` (RoBERTa's start after its padding index).

use burn::config::Config;
use burn::module::Module;
use burn::nn::{
    Dropout, DropoutConfig, Embedding, EmbeddingConfig, Initializer, LayerNorm, LayerNormConfig,
};
use burn::tensor::{Device, Int, Tensor};

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
}

#[derive(Module, Debug)]
pub struct Embeddings {
    pub word: Embedding,
    pub position: Embedding,
    /// `None` when `type_vocab_size` is 0 (DistilBERT).
    pub token_type: Option<Embedding>,
    pub norm: LayerNorm,
    pub dropout: Dropout,
    #[module(skip)]
    pub position_offset: usize,
}

impl EmbeddingsConfig {
    pub fn init(&self, device: &Device) -> Embeddings {
        let initializer = Initializer::Normal {
            mean: 0.0,
            std: self.initializer_range,
        };
        let table = |count: usize| {
            EmbeddingConfig::new(count, self.hidden_size)
                .with_initializer(initializer.clone())
                .init(device)
        };
        Embeddings {
            word: table(self.vocab_size),
            position: table(self.max_positions),
            token_type: (self.type_vocab_size > 0).then(|| table(self.type_vocab_size)),
            norm: LayerNormConfig::new(self.hidden_size)
                .with_epsilon(self.layer_norm_eps)
                .init(device),
            dropout: DropoutConfig::new(self.dropout).init(),
            position_offset: self.position_offset,
        }
    }
}

impl Embeddings {
    /// `input_ids`, `token_type_ids`: `[batch, seq]`.
    pub fn forward(&self, input_ids: Tensor<2, Int>, token_type_ids: Tensor<2, Int>) -> Tensor<3> {
        let [batch, seq] = input_ids.dims();
        let device = input_ids.device();
        let first = self.position_offset as i64;
        let positions = Tensor::<1, Int>::arange(first..first + seq as i64, &device)
            .reshape([1, seq])
            .expand([batch, seq]);
        let mut summed = self.word.forward(input_ids) + self.position.forward(positions);
        if let Some(token_type) = &self.token_type {
            summed = summed + token_type.forward(token_type_ids);
        }
        self.dropout.forward(self.norm.forward(summed))
    }
}
