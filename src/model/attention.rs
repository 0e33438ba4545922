//! Multi-head self-attention that hands back its probabilities, so the attention views come from
//! the very pass that made the predictions.

use burn::config::Config;
use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, Initializer, Linear, LinearConfig};
use burn::tensor::activation::softmax;
use burn::tensor::{Device, Tensor};

#[derive(Config, Debug)]
pub struct SelfAttentionConfig {
    pub hidden_size: usize,
    pub num_heads: usize,
    #[config(default = 0.0)]
    pub dropout: f64,
    #[config(default = true)]
    pub bias: bool,
    #[config(default = 0.02)]
    pub initializer_range: f64,
}

/// Query/key/value projections, scaled dot-product attention per head, output projection.
#[derive(Module, Debug)]
pub struct SelfAttention {
    pub query: Linear,
    pub key: Linear,
    pub value: Linear,
    pub output: Linear,
    pub dropout: Dropout,
    pub num_heads: usize,
}

impl SelfAttentionConfig {
    pub fn init(&self, device: &Device) -> SelfAttention {
        let linear = || {
            LinearConfig::new(self.hidden_size, self.hidden_size)
                .with_bias(self.bias)
                .with_initializer(Initializer::Normal {
                    mean: 0.0,
                    std: self.initializer_range,
                })
                .init(device)
        };
        SelfAttention {
            query: linear(),
            key: linear(),
            value: linear(),
            output: linear(),
            dropout: DropoutConfig::new(self.dropout).init(),
            num_heads: self.num_heads,
        }
    }
}

/// The output of one attention block: the projected context and, on request, the probabilities.
pub struct AttentionOutput {
    pub hidden: Tensor<3>,
    /// `[batch, heads, query, key]`, rows sum to one.
    pub probs: Option<Tensor<4>>,
}

impl SelfAttention {
    /// `hidden`: `[batch, seq, hidden]`. `key_bias`: `[batch, seq]` additive scores per key
    /// (0 for real tokens, a large negative number for padding), or `None` when nothing is padded.
    pub fn forward(
        &self,
        hidden: Tensor<3>,
        key_bias: Option<Tensor<2>>,
        keep_probs: bool,
    ) -> AttentionOutput {
        let [batch, seq, width] = hidden.dims();
        let head_dim = width / self.num_heads;
        let split = |x: Tensor<3>| {
            x.reshape([batch, seq, self.num_heads, head_dim])
                .swap_dims(1, 2)
        };

        let query = split(self.query.forward(hidden.clone()));
        let key = split(self.key.forward(hidden.clone()));
        let value = split(self.value.forward(hidden));

        let mut scores = query
            .matmul(key.swap_dims(2, 3))
            .div_scalar((head_dim as f64).sqrt());
        if let Some(bias) = key_bias {
            scores = scores + bias.reshape([batch, 1, 1, seq]);
        }
        let probs = softmax(scores, 3);
        let context = self.dropout.forward(probs.clone()).matmul(value);
        let context = context.swap_dims(1, 2).reshape([batch, seq, width]);
        AttentionOutput {
            hidden: self.output.forward(context),
            probs: keep_probs.then_some(probs),
        }
    }
}
