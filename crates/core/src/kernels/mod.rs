//! The compute kernels the architectures build on, apart from them: element-wise CPU kernels
//! written once over SIMD lanes and shared among the threads (`lanes.rs`, `fill.rs`, `gelu.rs`,
//! and for training softmax and the loss, `softmax.rs`, `cross_entropy.rs`), and the matrix
//! products every encoder takes (`matmul.rs`), which on a software WebGPU adapter run hand-written
//! WGSL (`blocked_matmul.rs`) and on the browser's CPU backend a SIMD128 product for the Linear
//! layers (`cpu_matmul.rs`), and with 8-bit weights an integer product (`q8_matmul.rs`); in the
//! browser's threaded build a forward pass keeps its threads awake between those products
//! (`team.rs`).
//! Nothing here knows which model calls it.

#[cfg(feature = "gpu")]
pub mod attention;
#[cfg(feature = "gpu")]
pub mod bias_activation;
#[cfg(feature = "gpu")]
pub mod blocked_matmul;
pub mod cpu_matmul;
pub mod cross_entropy;
pub mod fill;
pub mod fused;
pub mod gelu;
pub mod lanes;
#[cfg(feature = "gpu")]
pub mod layer_norm;
pub mod matmul;
pub mod q8_matmul;
pub mod softmax;
pub mod team;
#[cfg(feature = "gpu")]
pub mod wgsl;
