//! The matrix products every encoder takes — its Linear layers, attention's scores and context,
//! the tied decoder — go through here. In the browser on a software WebGPU adapter (SwiftShader,
//! the "fallback adapter") they run `kernels/blocked_matmul.rs`'s kernels; on the CPU in the
//! browser the Linear layers run `kernels/cpu_matmul.rs`'s; everywhere else, and for tensors that
//! carry gradients, burn's own (`backend::GpuKernels` can force either GPU path). The answer is
//! the same product either way.

use burn::nn::Linear;
use burn::tensor::Tensor;

/// `layer.forward(input)`: `input · weight + bias` over the last dimension.
pub fn linear<const D: usize>(layer: &Linear, input: Tensor<D>) -> Tensor<D> {
    #[cfg(all(target_family = "wasm", feature = "gpu"))]
    if let Some(output) = software::linear(layer, &input) {
        return output;
    }
    #[cfg(target_family = "wasm")]
    if let Some(output) = cpu::linear(layer, &input) {
        return output;
    }
    layer.forward(input)
}

/// `lhs.matmul(rhs)`.
pub fn matmul<const D: usize>(lhs: Tensor<D>, rhs: Tensor<D>) -> Tensor<D> {
    #[cfg(all(target_family = "wasm", feature = "gpu"))]
    if let Some(output) = software::matmul(&lhs, &rhs) {
        return output;
    }
    lhs.matmul(rhs)
}

/// `product` of `input` seen as `rows × d_input` (its leading dimensions as rows), given back its
/// leading dimensions with `d_output` last: a Linear layer's product over any batch shape.
#[cfg(target_family = "wasm")]
fn over_rows<const D: usize>(
    input: &Tensor<D>,
    [d_input, d_output]: [usize; 2],
    product: impl FnOnce(Tensor<2>) -> Option<Tensor<2>>,
) -> Option<Tensor<D>> {
    let mut dims = input.dims();
    let rows = dims[..D - 1].iter().product::<usize>();
    let output = product(input.clone().reshape([rows, d_input]))?;
    dims[D - 1] = d_output;
    Some(output.reshape(dims))
}

/// In wasm the wgpu backend runs unfused, so its tensors are plain cubecl tensors the kernels
/// can bind (natively, fusion wraps them).
#[cfg(all(target_family = "wasm", feature = "gpu"))]
mod software {
    use burn::backend::Wgpu;
    use burn::nn::Linear;
    use burn::tensor::Tensor;
    use burn_cubecl::tensor::CubeTensor;

    use super::super::blocked_matmul;

    /// The cubecl tensor under `tensor`, if it is one without gradients and the software
    /// kernels run.
    fn cube<const D: usize>(tensor: &Tensor<D>) -> Option<CubeTensor> {
        if !crate::backend::software_kernels() {
            return None;
        }
        tensor.clone().try_into_primitive::<Wgpu>().ok()
    }

    pub fn matmul<const D: usize>(lhs: &Tensor<D>, rhs: &Tensor<D>) -> Option<Tensor<D>> {
        let product = blocked_matmul::matmul(&cube(lhs)?, &cube(rhs)?, None)?;
        Some(Tensor::from_primitive::<Wgpu>(product))
    }

    pub fn linear<const D: usize>(layer: &Linear, input: &Tensor<D>) -> Option<Tensor<D>> {
        let weight = cube(&layer.weight.val())?;
        let bias = match &layer.bias {
            Some(bias) => Some(cube(&bias.val())?),
            None => None,
        };
        let shape = [weight.meta.shape()[0], weight.meta.shape()[1]];
        super::over_rows(input, shape, |flat| {
            let product = blocked_matmul::matmul(&cube(&flat)?, &weight, bias.as_ref())?;
            Some(Tensor::from_primitive::<Wgpu>(product))
        })
    }
}

/// The browser's CPU backend: plain (untracked) f32 tensors on burn-flex, contiguous.
#[cfg(target_family = "wasm")]
mod cpu {
    use burn::backend::{Flex, TensorMetadata};
    use burn::nn::Linear;
    use burn::tensor::{DType, Tensor, TensorData};
    use burn_flex::FlexTensor;

    use super::super::cpu_matmul;

    fn flex<const D: usize>(tensor: &Tensor<D>) -> Option<FlexTensor> {
        if tensor.dtype() != DType::F32 {
            return None;
        }
        tensor.clone().try_into_primitive::<Flex>().ok()
    }

    pub fn linear<const D: usize>(layer: &Linear, input: &Tensor<D>) -> Option<Tensor<D>> {
        let weight = flex(&layer.weight.val())?;
        let bias = match &layer.bias {
            Some(bias) => Some(flex(&bias.val())?),
            None => None,
        };
        let [d_input, d_output] = [weight.shape()[0], weight.shape()[1]];
        super::over_rows(input, [d_input, d_output], |flat| {
            let flat = flex(&flat)?;
            let rows = flat.shape()[0];
            let (a, b) = (flat.as_slice::<f32>()?, weight.as_slice::<f32>()?);
            let bias = match &bias {
                Some(bias) => Some(bias.as_slice::<f32>()?),
                None => None,
            };
            let mut out = vec![0.0; rows * d_output];
            cpu_matmul::product(rows, d_input, d_output, a, b, bias, &mut out);
            let product = FlexTensor::from_data(TensorData::new(out, [rows, d_output]));
            Some(Tensor::from_primitive::<Flex>(product))
        })
    }
}
