//! The matrix products every encoder takes — its Linear layers, attention's scores and context,
//! the tied decoder — go through here. In the browser on a software WebGPU adapter (SwiftShader,
//! the "fallback adapter") they run `kernels/blocked_matmul.rs`'s kernels; on the CPU in the
//! browser the Linear layers run `kernels/cpu_matmul.rs`'s; everywhere else, and for tensors that
//! carry gradients, burn's own (`backend::GpuKernels` can force either GPU path). The answer is
//! the same product either way. A Linear layer whose weight was loaded as 8-bit (`dtype: "q8"`,
//! `weights/quantize.rs`) runs `kernels/q8_matmul.rs`'s integer product, natively and in wasm.

use burn::nn::Linear;
use burn::tensor::Tensor;

/// `layer.forward(input)`: `input · weight + bias` over the last dimension.
pub fn linear<const D: usize>(layer: &Linear, input: Tensor<D>) -> Tensor<D> {
    if let Some(output) = cpu::q8_linear(layer, &input) {
        return output;
    }
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

/// `input · weight` without the layer's bias (burn's product), for `fused.rs`'s kernels to add it.
#[cfg(all(target_family = "wasm", feature = "gpu"))]
pub fn unbiased<const D: usize>(layer: &Linear, input: &Tensor<D>) -> Option<Tensor<D>> {
    let weight = layer.weight.val();
    over_rows(input, weight.dims(), |flat| Some(flat.matmul(weight)))
}

/// `product` of `input` seen as `rows × d_input` (its leading dimensions as rows), given back its
/// leading dimensions with `d_output` last: a Linear layer's product over any batch shape.
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

/// The CPU backend: plain (untracked) f32 tensors on burn-flex, contiguous; in wasm the f32
/// Linear layers, everywhere the 8-bit ones.
mod cpu {
    use burn::backend::{BackendTensor, DispatchTensorKind, Flex, TensorMetadata};
    use burn::nn::Linear;
    use burn::tensor::quantization::QuantValue;
    use burn::tensor::{DType, Tensor, TensorData};
    use burn_flex::FlexTensor;

    fn flex<const D: usize>(tensor: &Tensor<D>) -> Option<FlexTensor> {
        if tensor.dtype() != DType::F32 {
            return None;
        }
        tensor.clone().try_into_primitive::<Flex>().ok()
    }

    fn bias_of(layer: &Linear) -> Option<Option<FlexTensor>> {
        match &layer.bias {
            Some(bias) => Some(Some(flex(&bias.val())?)),
            None => Some(None),
        }
    }

    /// `product(rows, a, bias, out)` of the f32 input over its rows, as a tensor `[rows, d_output]`.
    fn run<const D: usize>(
        input: &Tensor<D>,
        [d_input, d_output]: [usize; 2],
        bias: Option<FlexTensor>,
        product: impl FnOnce(usize, &[f32], Option<&[f32]>, &mut [f32]),
    ) -> Option<Tensor<D>> {
        super::over_rows(input, [d_input, d_output], |flat| {
            let flat = flex(&flat)?;
            let rows = flat.shape()[0];
            let bias = match &bias {
                Some(bias) => Some(bias.as_slice::<f32>()?),
                None => None,
            };
            let mut out = vec![0.0; rows * d_output];
            product(rows, flat.as_slice::<f32>()?, bias, &mut out);
            let product = FlexTensor::from_data(TensorData::new(out, [rows, d_output]));
            Some(Tensor::from_primitive::<Flex>(product))
        })
    }

    #[cfg(target_family = "wasm")]
    pub fn linear<const D: usize>(layer: &Linear, input: &Tensor<D>) -> Option<Tensor<D>> {
        let weight = flex(&layer.weight.val())?;
        let shape = [weight.shape()[0], weight.shape()[1]];
        run(input, shape, bias_of(layer)?, |rows, a, bias, out| {
            let b = weight.as_slice::<f32>().expect("a contiguous f32 weight");
            super::super::cpu_matmul::product(rows, shape[0], shape[1], a, b, bias, out)
        })
    }

    /// A Linear layer whose weight `weights/quantize.rs` made int8: symmetric 8-bit values with
    /// the same scale down each column (burn stores it once per block of rows).
    pub fn q8_linear<const D: usize>(layer: &Linear, input: &Tensor<D>) -> Option<Tensor<D>> {
        let weight = layer.weight.val();
        let DType::QFloat(scheme) = weight.dtype() else {
            return None;
        };
        let DispatchTensorKind::Flex(BackendTensor::Quantized(weight)) =
            weight.into_dispatch().kind
        else {
            return None;
        };
        let shape = weight.shape();
        let [k, n] = [shape[0], shape[1]];
        let per_column = scheme.value == QuantValue::Q8S
            && scheme
                .block_size()
                .is_some_and(|b| b.as_slice().last() == Some(&1))
            && weight
                .scales()
                .chunks(n)
                .all(|row| row == &weight.scales()[..n]);
        let values = weight.tensor().as_slice::<i8>()?;
        if !per_column {
            return None;
        }
        run(input, [k, n], bias_of(layer)?, |rows, a, bias, out| {
            let scales = &weight.scales()[..n];
            super::super::q8_matmul::product(rows, k, n, a, values, scales, bias, out)
        })
    }
}
