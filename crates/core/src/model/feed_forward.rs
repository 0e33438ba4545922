//! The position-wise feed-forward blocks: widen, activate, narrow ([`FeedForward`]); or widen to
//! twice the width, activate one half and gate it with the other, narrow ([`GatedFeedForward`],
//! ModernBERT's GeGLU).

use burn::config::Config;
use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, Linear};
use burn::tensor::{Device, Tensor};

use super::activation::{activate, linear_activated};
use super::normal_linear;
use crate::config::Activation;
use crate::kernels::matmul::linear;

#[derive(Config, Debug)]
pub struct FeedForwardConfig {
    pub hidden_size: usize,
    pub intermediate_size: usize,
    pub activation: Activation,
    #[config(default = 0.02)]
    pub initializer_range: f64,
    #[config(default = true)]
    pub bias: bool,
    /// Dropout on the gated activations (the gated block only).
    #[config(default = 0.0)]
    pub dropout: f64,
}

#[derive(Module, Debug)]
pub struct FeedForward {
    pub intermediate: Linear,
    pub output: Linear,
    #[module(skip)]
    pub activation: Activation,
}

impl FeedForwardConfig {
    fn linear(&self, from: usize, to: usize, device: &Device) -> Linear {
        normal_linear(from, to, self.bias, self.initializer_range, device)
    }

    pub fn init(&self, device: &Device) -> FeedForward {
        FeedForward {
            intermediate: self.linear(self.hidden_size, self.intermediate_size, device),
            output: self.linear(self.intermediate_size, self.hidden_size, device),
            activation: self.activation,
        }
    }

    /// The gated block: `intermediate` widens to twice `intermediate_size` (input, then gate).
    pub fn init_gated(&self, device: &Device) -> GatedFeedForward {
        GatedFeedForward {
            intermediate: self.linear(self.hidden_size, 2 * self.intermediate_size, device),
            output: self.linear(self.intermediate_size, self.hidden_size, device),
            dropout: DropoutConfig::new(self.dropout).init(),
            activation: self.activation,
        }
    }
}

impl FeedForward {
    /// The widened, activated hidden states, before the output projection (the
    /// caller adds it with the residual and norm): on the GPU the
    /// activation and the bias in one kernel (`kernels/fused.rs`).
    pub fn activated(&self, hidden: Tensor<3>) -> Tensor<3> {
        linear_activated(&self.intermediate, hidden, self.activation)
    }
}

/// `output(act(input) · gate)`, where `[input, gate]` are the two halves of `intermediate(x)`.
#[derive(Module, Debug)]
pub struct GatedFeedForward {
    pub intermediate: Linear,
    pub output: Linear,
    pub dropout: Dropout,
    #[module(skip)]
    pub activation: Activation,
}

impl GatedFeedForward {
    pub fn forward(&self, hidden: Tensor<3>) -> Tensor<3> {
        let mut halves = linear(&self.intermediate, hidden).chunk(2, 2).into_iter();
        let (input, gate) = (halves.next().unwrap(), halves.next().unwrap());
        linear(
            &self.output,
            self.dropout
                .forward(activate(self.activation, input) * gate),
        )
    }
}
