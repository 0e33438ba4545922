//! The matrix kernels for software WebGPU adapters (`kernels/blocked_matmul.rs`), run on this
//! machine's wgpu device (Mesa lavapipe) and compared with burn's own matmul on the same device,
//! for every layout the encoders use: Linear layers with and without a bias, attention scores
//! (a transposed key view) and context (a strided value view), broadcast weights, short and odd
//! shapes — and the layouts they decline, which burn then runs.

use burn::backend::DispatchDevice;
use burn::backend::ops::FloatTensorOps;
use burn::tensor::TensorData;
use burn_cubecl::tensor::CubeTensor;
use burn_cubecl::{CubeBackend, CubeDevice};
use clozelab_core::backend::wgpu_device;
use clozelab_core::kernels::blocked_matmul::matmul;

fn device() -> CubeDevice {
    let device = pollster::block_on(wgpu_device()).expect("a wgpu adapter (lavapipe)");
    match device.as_dispatch() {
        DispatchDevice::Cube(cube) => cube.clone(),
        other => panic!("not a cubecl device: {other:?}"),
    }
}

/// A tensor of the given shape with distinct, sign-mixed values.
fn tensor(device: &CubeDevice, shape: &[usize], seed: u32) -> CubeTensor {
    let count = shape.iter().product::<usize>();
    let values: Vec<f32> = (0..count as u32)
        .map(|i| {
            ((i.wrapping_mul(2_654_435_761).wrapping_add(seed * 97) % 2001) as f32 - 1000.0) / 700.0
        })
        .collect();
    CubeBackend::float_from_data(TensorData::new(values, shape.to_vec()), device)
}

fn read(tensor: CubeTensor) -> (Vec<usize>, Vec<f32>) {
    let data = pollster::block_on(CubeBackend::float_into_data(tensor)).expect("read back");
    (data.shape().to_vec(), data.try_to_vec::<f32>().unwrap())
}

/// The kernels' product equals burn's to float rounding; `bias` is added over the last dimension.
fn assert_same_product(lhs: CubeTensor, rhs: CubeTensor, bias: Option<CubeTensor>) {
    let ours = matmul(&lhs, &rhs, bias.as_ref()).expect("these kernels take this layout");
    let mut theirs = CubeBackend::float_matmul(lhs, rhs);
    if let Some(bias) = bias {
        let width = bias.meta.shape()[0];
        let rank = theirs.meta.num_dims();
        let mut shape = vec![1; rank];
        shape[rank - 1] = width;
        theirs = CubeBackend::float_add(theirs, CubeBackend::float_reshape(bias, shape.into()));
    }
    let ((shape, ours), (expected_shape, theirs)) = (read(ours), read(theirs));
    assert_eq!(shape, expected_shape);
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        assert!(
            (a - b).abs() <= 1e-4 * b.abs().max(1.0),
            "element {i}: {a} vs {b}"
        );
    }
}

#[test]
fn linear_layers_rows_by_columns_with_and_without_bias() {
    let device = device();
    // 37 rows (not a multiple of the 16-row block), 24 inputs (read as vec4s), 20 outputs
    // (five vec4 columns: one per invocation).
    assert_same_product(
        tensor(&device, &[37, 24], 1),
        tensor(&device, &[24, 20], 2),
        Some(tensor(&device, &[20], 3)),
    );
    // 128 × 64 × 32: the block of 16 rows × 4 vec4 columns.
    assert_same_product(
        tensor(&device, &[128, 64], 4),
        tensor(&device, &[64, 32], 5),
        None,
    );
    // One row (a masked position through the head's transform); ten inputs, read one at a time.
    assert_same_product(
        tensor(&device, &[1, 10], 6),
        tensor(&device, &[10, 8], 7),
        None,
    );
    assert_same_product(
        tensor(&device, &[3, 10], 8),
        tensor(&device, &[10, 8], 9),
        Some(tensor(&device, &[8], 10)),
    );
}

#[test]
fn a_weight_broadcast_over_the_batch() {
    let device = device();
    assert_same_product(
        tensor(&device, &[2, 5, 8], 11),
        tensor(&device, &[1, 8, 12], 12),
        None,
    );
}

#[test]
fn attention_scores_and_context_on_head_views() {
    let device = device();
    // [batch, seq, heads, head_dim] → [batch, heads, seq, head_dim], as split_heads makes them.
    let heads = |seed| CubeBackend::float_swap_dims(tensor(&device, &[2, 7, 3, 8], seed), 1, 2);
    let (query, key, value) = (heads(13), heads(14), heads(15));
    // Scores: query · keyᵀ, the key a transposed view (rows × rows), 7 keys per row.
    assert_same_product(query, CubeBackend::float_swap_dims(key, 2, 3), None);
    // Context: probabilities [2, 3, 7, 7] (inner length 7: read one at a time) · the value view.
    assert_same_product(tensor(&device, &[2, 3, 7, 7], 16), value, None);
}

#[test]
fn the_tied_decoder_rows_by_rows_with_a_vocabulary_of_any_size() {
    let device = device();
    let table = tensor(&device, &[50, 12], 17);
    let transposed = || CubeBackend::float_swap_dims(table.clone(), 0, 1);
    // One masked row against 50 words (8 words per invocation: the last block is partial).
    assert_same_product(tensor(&device, &[1, 12], 18), transposed(), None);
    assert_same_product(tensor(&device, &[2, 12], 19), transposed(), None);
    assert_same_product(tensor(&device, &[5, 12], 20), transposed(), None);
}

#[test]
fn layouts_the_kernels_do_not_take_are_left_to_burn() {
    let device = device();
    let declined = |lhs: CubeTensor, rhs: CubeTensor| matmul(&lhs, &rhs, None).is_none();
    // Six output columns are not whole vec4s and the right operand is not a transposed view.
    assert!(declined(
        tensor(&device, &[4, 8], 21),
        tensor(&device, &[8, 6], 22)
    ));
    // A transposed view whose inner length (6) is not whole vec4s.
    let rhs = CubeBackend::float_swap_dims(tensor(&device, &[5, 6], 23), 0, 1);
    assert!(declined(tensor(&device, &[4, 6], 24), rhs));
    // Mismatched inner lengths.
    assert!(declined(
        tensor(&device, &[4, 8], 25),
        tensor(&device, &[12, 8], 26)
    ));
}
