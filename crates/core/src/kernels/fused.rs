//! The encoder's blocks as few GPU dispatches: a Linear layer's product followed by its bias and
//! activation in one kernel (`bias_activation.rs`), or by its bias, the residual and LayerNorm in
//! one (`layer_norm.rs`); attention's projections followed by one kernel for the scores, softmax
//! and context of every head (`attention.rs`). In the browser's WebGPU build, on tensors without
//! gradients, on either kernel path (the products are `matmul.rs`'s: burn's on a hardware adapter,
//! the blocked ones on a software one). Each function answers `None` elsewhere — the CPU, native
//! wgpu (where burn's fusion runs), training, shapes the kernels do not take — and the caller
//! runs the same block as burn's operations.

#[cfg(not(all(target_family = "wasm", feature = "gpu")))]
pub use elsewhere::{attend, linear_activation, linear_add_norm, norm, project_and_attend};
#[cfg(all(target_family = "wasm", feature = "gpu"))]
pub use gpu::{attend, linear_activation, linear_add_norm, norm, project_and_attend};

/// Where the kernels do not run (natively, or a CPU-only build): the same functions, every one
/// answering `None`, so the caller runs burn's operations.
#[cfg(not(all(target_family = "wasm", feature = "gpu")))]
mod elsewhere {
    use burn::nn::{LayerNorm, Linear};
    use burn::tensor::Tensor;

    use crate::config::Activation;

    type Attended = Option<(Tensor<3>, Option<Tensor<4>>)>;

    pub fn linear_add_norm<const D: usize>(
        _: &Linear,
        _: &Tensor<D>,
        _: &Tensor<D>,
        _: &LayerNorm,
        _: f64,
    ) -> Option<Tensor<D>> {
        None
    }

    pub fn norm<const D: usize>(_: &Tensor<D>, _: &LayerNorm, _: f64) -> Option<Tensor<D>> {
        None
    }

    pub fn linear_activation<const D: usize>(
        _: &Linear,
        _: &Tensor<D>,
        _: Activation,
    ) -> Option<Tensor<D>> {
        None
    }

    pub fn project_and_attend(
        _: [&Linear; 3],
        _: &Tensor<3>,
        _: Option<&Tensor<2>>,
        _: usize,
        _: bool,
    ) -> Attended {
        None
    }

    pub fn attend(
        _: &Tensor<4>,
        _: &Tensor<4>,
        _: &Tensor<4>,
        _: Option<&Tensor<4>>,
        _: bool,
    ) -> Attended {
        None
    }
}

#[cfg(all(target_family = "wasm", feature = "gpu"))]
mod gpu {
    use burn::backend::Wgpu;
    use burn::nn::{LayerNorm, Linear};
    use burn::tensor::Tensor;
    use burn_cubecl::tensor::CubeTensor;

    use super::super::attention::{Heads, attention};
    use super::super::bias_activation::bias_activation;
    use super::super::layer_norm::add_norm;
    use super::super::wgsl::bindable;
    use crate::config::Activation;

    /// The cubecl tensor under `tensor` — on the wgpu backend, unfused (the browser build), without
    /// gradients — if a kernel can bind it.
    fn cube<const D: usize>(tensor: &Tensor<D>) -> Option<CubeTensor> {
        let cube = tensor.clone().try_into_primitive::<Wgpu>().ok()?;
        bindable(&cube).then_some(cube)
    }

    /// `Some` on the hardware kernel path. A software adapter keeps its own kernels: its workgroup
    /// barriers and scattered reads cost a CPU more than the dispatches they save (the bundled
    /// model's pass on SwiftShader took 1.7× as long with these kernels).
    fn hardware() -> Option<()> {
        (!crate::backend::software_kernels()).then_some(())
    }

    /// The tensor over a kernel's output.
    fn tensor<const D: usize>(cube: CubeTensor) -> Tensor<D> {
        Tensor::from_primitive::<Wgpu>(cube)
    }

    /// `input · weight`, the Linear layer's product without its bias, and the bias apart.
    fn product<const D: usize>(
        layer: &Linear,
        input: &Tensor<D>,
    ) -> Option<(CubeTensor, Option<CubeTensor>)> {
        hardware()?;
        cube(input)?;
        let bias = match &layer.bias {
            Some(bias) => Some(cube(&bias.val())?),
            None => None,
        };
        let product = super::super::matmul::unbiased(layer, input)?;
        Some((cube(&product)?, bias))
    }

    fn norm_params(norm: &LayerNorm) -> Option<(CubeTensor, Option<CubeTensor>)> {
        let beta = match &norm.beta {
            Some(beta) => Some(cube(&beta.val())?),
            None => None,
        };
        Some((cube(&norm.gamma.val())?, beta))
    }

    /// `norm(layer(input) + residual)`, `eps` being the norm's epsilon.
    pub fn linear_add_norm<const D: usize>(
        layer: &Linear,
        input: &Tensor<D>,
        residual: &Tensor<D>,
        norm: &LayerNorm,
        eps: f64,
    ) -> Option<Tensor<D>> {
        let residual = cube(residual)?;
        let (gamma, beta) = norm_params(norm)?;
        let (x, bias) = product(layer, input)?;
        let out = add_norm(
            &x,
            bias.as_ref(),
            Some(&residual),
            &gamma,
            beta.as_ref(),
            eps,
        )?;
        Some(tensor(out))
    }

    /// `norm(input)`.
    pub fn norm<const D: usize>(
        input: &Tensor<D>,
        norm: &LayerNorm,
        eps: f64,
    ) -> Option<Tensor<D>> {
        hardware()?;
        let (gamma, beta) = norm_params(norm)?;
        let out = add_norm(&cube(input)?, None, None, &gamma, beta.as_ref(), eps)?;
        Some(tensor(out))
    }

    /// `act(layer(input))`.
    pub fn linear_activation<const D: usize>(
        layer: &Linear,
        input: &Tensor<D>,
        act: Activation,
    ) -> Option<Tensor<D>> {
        let (x, bias) = product(layer, input)?;
        Some(tensor(bias_activation(&x, bias.as_ref(), act)?))
    }

    /// Self-attention from `hidden` `[batch, seq, width]` through the `[query, key, value]`
    /// projections, split into `num_heads` heads, scores scaled by `1/√head_dim` plus `key_bias`
    /// `[batch, seq]`: the context `[batch, seq, width]` and the probabilities on request.
    pub fn project_and_attend(
        projections: [&Linear; 3],
        hidden: &Tensor<3>,
        key_bias: Option<&Tensor<2>>,
        num_heads: usize,
        keep_probs: bool,
    ) -> Option<(Tensor<3>, Option<Tensor<4>>)> {
        hardware()?;
        let key_bias = match key_bias {
            Some(bias) => Some(cube(bias)?),
            None => None,
        };
        let [batch, seq, width] = hidden.dims();
        if num_heads == 0 || !width.is_multiple_of(num_heads) {
            return None;
        }
        let head_dim = width / num_heads;
        let mut products = Vec::with_capacity(3);
        let mut biases = Vec::with_capacity(3);
        for layer in projections {
            let (x, bias) = product(layer, hidden)?;
            products.push(x);
            biases.push(bias);
        }
        // `[batch, seq, heads·head_dim]` read as `[batch, heads, seq, head_dim]` by its strides.
        let heads = products
            .into_iter()
            .map(|x| {
                let t = tensor::<3>(x)
                    .reshape([batch, seq, num_heads, head_dim])
                    .swap_dims(1, 2);
                cube(&t)
            })
            .collect::<Option<Vec<_>>>()?;
        let biases = match biases.as_slice() {
            [Some(q), Some(k), Some(v)] => Some([q, k, v]),
            [None, None, None] => None,
            _ => return None,
        };
        let (context, probs) = attention(
            Heads {
                query: &heads[0],
                key: &heads[1],
                value: &heads[2],
                biases,
            },
            key_bias.as_ref(),
            1.0 / (head_dim as f64).sqrt(),
            keep_probs,
        )?;
        Some((tensor(context), probs.map(tensor)))
    }

    /// Scaled dot-product attention of `[batch, heads, seq, head_dim]` views, with `bias` a per-key
    /// bias `[batch, 1, 1, seq]` (anything else is `None`): the context with the heads merged and
    /// the probabilities on request.
    pub fn attend(
        query: &Tensor<4>,
        key: &Tensor<4>,
        value: &Tensor<4>,
        bias: Option<&Tensor<4>>,
        keep_probs: bool,
    ) -> Option<(Tensor<3>, Option<Tensor<4>>)> {
        hardware()?;
        let [batch, _, seq, head_dim] = query.dims();
        let key_bias = match bias {
            Some(bias) if bias.dims() == [batch, 1, 1, seq] => {
                Some(cube(&bias.clone().reshape([batch, seq]))?)
            }
            Some(_) => return None,
            None => None,
        };
        let [query, key, value] = [query, key, value].map(cube);
        let (context, probs) = attention(
            Heads {
                query: &query?,
                key: &key?,
                value: &value?,
                biases: None,
            },
            key_bias.as_ref(),
            1.0 / (head_dim as f64).sqrt(),
            keep_probs,
        )?;
        Some((tensor(context), probs.map(tensor)))
    }
}
