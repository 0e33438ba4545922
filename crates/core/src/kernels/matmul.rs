//! The matrix products every encoder takes — its Linear layers, attention's scores and context,
//! the tied decoder — go through here. In the browser on a software WebGPU adapter (SwiftShader,
//! the "fallback adapter") they run `kernels/blocked_matmul.rs`'s kernels; on the CPU in the
//! browser the Linear layers and the tied decoder (the word table seen transposed) run
//! `kernels/cpu_matmul.rs`'s; everywhere else, and for tensors that carry gradients, burn's own
//! (`backend::GpuKernels` can force either GPU path). The answer is the same product either way.
//! A Linear layer whose weight was loaded as 8-bit (`dtype: "q8"`, `weights/quantize.rs`) runs
//! `kernels/q8_matmul.rs`'s integer product, natively and in wasm.

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
    #[cfg(target_family = "wasm")]
    if let Some(output) = cpu::matmul_transposed(&lhs, &rhs) {
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

/// The CPU backend: plain (untracked) f32 tensors on burn-flex, contiguous or (a Linear weight
/// loaded in wasm, the word table) a transposed view of a contiguous matrix; in wasm the f32
/// products, everywhere the 8-bit ones.
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
        use super::super::cpu_matmul::{product, product_transposed};
        let weight = flex(&layer.weight.val())?;
        let [k, n] = [weight.shape()[0], weight.shape()[1]];
        let transposed = file_layout(&weight, k, n);
        if !transposed && !weight.is_contiguous() {
            return None;
        }
        run(input, [k, n], bias_of(layer)?, |rows, a, bias, out| {
            if transposed {
                product_transposed(rows, k, n, a, weight.storage::<f32>(), bias, out)
            } else {
                let b = weight.as_slice::<f32>().expect("a contiguous f32 weight");
                product(rows, k, n, a, b, bias, out)
            }
        })
    }

    /// A 2-D product whose right side is the transposed view of a contiguous matrix (the tied
    /// decoder: the word table, `[vocab, width]`, seen as `[width, vocab]`): `product_transposed`
    /// on the pass's threads, where burn's gemm would run it on one.
    #[cfg(target_family = "wasm")]
    pub fn matmul_transposed<const D: usize>(
        lhs: &Tensor<D>,
        rhs: &Tensor<D>,
    ) -> Option<Tensor<D>> {
        if D != 2 {
            return None;
        }
        let (a, b) = (flex(lhs)?, flex(rhs)?);
        let [m, k, n] = [a.shape()[0], a.shape()[1], b.shape()[1]];
        if b.shape()[0] != k || !file_layout(&b, k, n) {
            return None;
        }
        let mut out = vec![0.0; m * n];
        let bt = b.storage::<f32>();
        super::super::cpu_matmul::product_transposed(
            m,
            k,
            n,
            a.as_slice::<f32>()?,
            bt,
            None,
            &mut out,
        );
        let product = FlexTensor::from_data(TensorData::new(out, [m, n]));
        Some(Tensor::from_primitive::<Flex>(product))
    }

    /// Whether a `k × n` weight is the transposed view of an `n × k` matrix as the checkpoint
    /// holds it (how `weights/bind.rs` loads Linear weights on the CPU in wasm).
    #[cfg(target_family = "wasm")]
    fn file_layout(weight: &FlexTensor, k: usize, n: usize) -> bool {
        let layout = weight.layout();
        layout.strides() == [1, k as isize]
            && layout.start_offset() == 0
            && weight.storage::<f32>().len() >= k * n
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
