//! The masked-LM head: transform (dense, activation, LayerNorm), then a decoder onto the
//! vocabulary whose matrix is the word-embedding table unless the checkpoint unties them.

use burn::config::Config;
use burn::module::{Module, Param};
use burn::nn::{Initializer, LayerNorm, LayerNormConfig, Linear};
use burn::tensor::{Device, Tensor};

use super::activation::linear_activated;
use super::word_table::WordTable;
use super::{normal, normal_linear, normalize};
use crate::config::Activation;
use crate::kernels::matmul::matmul;

#[derive(Config, Debug)]
pub struct MlmHeadConfig {
    pub hidden_size: usize,
    pub vocab_size: usize,
    pub activation: Activation,
    pub layer_norm_eps: f64,
    pub tied: bool,
    pub initializer_range: f64,
    /// The transform's width (the embedding width: smaller than hidden in ALBERT and ELECTRA);
    /// 0 means the hidden width.
    #[config(default = 0)]
    pub output_size: usize,
    /// Whether the transform, its norm and the decoder carry biases (ModernBERT's head has only
    /// the decoder's, by default).
    #[config(default = true)]
    pub transform_bias: bool,
    #[config(default = true)]
    pub norm_bias: bool,
    #[config(default = true)]
    pub decoder_bias: bool,
}

#[derive(Module, Debug)]
pub struct MlmHead {
    pub transform: Linear,
    pub norm: LayerNorm,
    /// `[hidden, vocab]` when untied; `None` when the decoder is the word-embedding table.
    pub decoder: Option<Param<Tensor<2>>>,
    pub bias: Option<Param<Tensor<1>>>,
    #[module(skip)]
    pub activation: Activation,
    /// The norm's epsilon, for the fused kernels (burn's `LayerNorm` keeps its own private).
    #[module(skip)]
    pub layer_norm_eps: f64,
}

impl MlmHeadConfig {
    pub fn init(&self, device: &Device) -> MlmHead {
        let width = if self.output_size == 0 {
            self.hidden_size
        } else {
            self.output_size
        };
        MlmHead {
            transform: normal_linear(
                self.hidden_size,
                width,
                self.transform_bias,
                self.initializer_range,
                device,
            ),
            norm: LayerNormConfig::new(width)
                .with_epsilon(self.layer_norm_eps)
                .with_bias(self.norm_bias)
                .init(device),
            decoder: (!self.tied)
                .then(|| normal(self.initializer_range).init([width, self.vocab_size], device)),
            bias: self
                .decoder_bias
                .then(|| Initializer::Zeros.init([self.vocab_size], device)),
            activation: self.activation,
            layer_norm_eps: self.layer_norm_eps,
        }
    }
}

impl MlmHead {
    /// `hidden`: `[rows, hidden]` (only the positions to predict); `words`: the word table
    /// (`[vocab, width]`, the decoder when tied). Returns logits `[rows, vocab]`.
    pub fn forward(&self, hidden: Tensor<2>, words: &WordTable) -> Tensor<2> {
        let activated = linear_activated(&self.transform, hidden, self.activation);
        let transformed = normalize(&self.norm, self.layer_norm_eps, activated);
        let logits = match &self.decoder {
            Some(decoder) => matmul(transformed, decoder.val()),
            None => words.times_transposed(transformed),
        };
        match &self.bias {
            Some(bias) => logits + bias.val().unsqueeze_dim(0),
            None => logits,
        }
    }
}
