//! The position-wise feed-forward block: widen, activate, narrow.

use burn::config::Config;
use burn::module::Module;
use burn::nn::{Initializer, Linear, LinearConfig};
use burn::tensor::{Device, Tensor};

use super::activation::activate;
use crate::config::Activation;

#[derive(Config, Debug)]
pub struct FeedForwardConfig {
    pub hidden_size: usize,
    pub intermediate_size: usize,
    pub activation: Activation,
    #[config(default = 0.02)]
    pub initializer_range: f64,
}

#[derive(Module, Debug)]
pub struct FeedForward {
    pub intermediate: Linear,
    pub output: Linear,
    #[module(skip)]
    pub activation: Activation,
}

impl FeedForwardConfig {
    pub fn init(&self, device: &Device) -> FeedForward {
        let linear = |from: usize, to: usize| {
            LinearConfig::new(from, to)
                .with_initializer(Initializer::Normal {
                    mean: 0.0,
                    std: self.initializer_range,
                })
                .init(device)
        };
        FeedForward {
            intermediate: linear(self.hidden_size, self.intermediate_size),
            output: linear(self.intermediate_size, self.hidden_size),
            activation: self.activation,
        }
    }
}

impl FeedForward {
    pub fn forward(&self, hidden: Tensor<3>) -> Tensor<3> {
        self.output
            .forward(activate(self.activation, self.intermediate.forward(hidden)))
    }
}
