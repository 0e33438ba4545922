//! The activation functions `hidden_act` can name.

use burn::nn::Linear;
use burn::tensor::Tensor;
use burn::tensor::activation::{relu, silu, tanh};

use crate::kernels::fused;
use crate::kernels::gelu::gelu;
use crate::kernels::matmul::linear;

use crate::config::Activation;

/// `activation(layer(input))`: on the GPU the product, then the bias and the activation in one
/// kernel (`kernels/fused.rs`); elsewhere burn's operations.
pub fn linear_activated<const D: usize>(
    layer: &Linear,
    input: Tensor<D>,
    activation: Activation,
) -> Tensor<D> {
    fused::linear_activation(layer, &input, activation)
        .unwrap_or_else(|| activate(activation, linear(layer, input)))
}

pub fn activate<const D: usize>(activation: Activation, x: Tensor<D>) -> Tensor<D> {
    match activation {
        Activation::Gelu => gelu(x),
        Activation::GeluTanh => gelu_tanh(x),
        Activation::Relu => relu(x),
        Activation::Silu => silu(x),
        Activation::Tanh => tanh(x),
    }
}

/// `gelu_new`: `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, with the cube as two products, as
/// PyTorch computes `pow(x, 3.0)` (burn's `gelu_approximate` takes a general power, which costs an
/// exponential and a logarithm per element on the CPU).
fn gelu_tanh<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    let sqrt_2_over_pi = (2.0 / std::f64::consts::PI).sqrt();
    let cube = x.clone() * x.clone() * x.clone();
    let inner = (x.clone() + cube * 0.044715) * sqrt_2_over_pi;
    x * (inner.tanh() + 1.0) * 0.5
}
