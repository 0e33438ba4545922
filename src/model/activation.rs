//! The activation functions `hidden_act` can name.

use burn::tensor::Tensor;
use burn::tensor::activation::{gelu, gelu_approximate, relu, silu, tanh};

use crate::config::Activation;

pub fn activate<const D: usize>(activation: Activation, x: Tensor<D>) -> Tensor<D> {
    match activation {
        Activation::Gelu => gelu(x),
        Activation::GeluTanh => gelu_approximate(x),
        Activation::Relu => relu(x),
        Activation::Silu => silu(x),
        Activation::Tanh => tanh(x),
    }
}
