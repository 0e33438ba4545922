//! Softmax over the last dimension for training on the CPU backend, as one tracked operation.
//! burn-autodiff has no softmax of its own: under autodiff burn's `softmax` runs as a chain of
//! tracked element-wise operations (max, subtract, `exp`, sum, divide), each a full pass on one
//! thread through libm's `expf`, and their backward as many again. Here the forward is one pass
//! per row, blocks of rows shared among the threads, with the vectorised `exp` of `lanes.rs`; it
//! keeps its output `y`, and the backward is one pass, `y · (g − Σ g·y)` per row. The attention
//! of every encoder takes it while training (`model/attention.rs`), and the masked-LM loss
//! builds on its rows (`cross_entropy.rs`). Plain tensors, other backends and element types run
//! burn's softmax (burn-flex's own for inference is already one pass).

use burn::tensor::Tensor;

use super::lanes::{Kernel, Lanes, exp};

/// `softmax(x, dim)`: this module's operation where `x` is tracked on the CPU backend and `dim`
/// its last dimension, burn's otherwise.
pub fn softmax<const D: usize>(x: Tensor<D>, dim: usize) -> Tensor<D> {
    if dim + 1 == D
        && let Some(y) = cpu::softmax(&x)
    {
        return y;
    }
    burn::tensor::activation::softmax(x, dim)
}

/// `e^(x − max)`.
struct Shifted(f32);

impl Kernel for Shifted {
    #[inline(always)]
    fn apply<L: Lanes>(&self, x: L, _: L) -> L {
        exp(x - L::splat(self.0))
    }
}

/// The largest value (16 running maxima the compiler can keep in vector registers).
#[inline(always)]
fn max(values: &[f32]) -> f32 {
    let mut lanes = [f32::NEG_INFINITY; 16];
    let chunks = values.chunks_exact(16);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, &v) in lanes.iter_mut().zip(chunk) {
            *lane = if v > *lane { v } else { *lane };
        }
    }
    lanes
        .into_iter()
        .chain(rest.iter().copied())
        .fold(f32::NEG_INFINITY, f32::max)
}

/// `Σ a·b` (16 running sums, as a vector unit adds).
#[inline(always)]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 16];
    let (chunks_a, chunks_b) = (a.chunks_exact(16), b.chunks_exact(16));
    let (rest_a, rest_b) = (chunks_a.remainder(), chunks_b.remainder());
    for (ca, cb) in chunks_a.zip(chunks_b) {
        for ((lane, &x), &y) in lanes.iter_mut().zip(ca).zip(cb) {
            *lane += x * y;
        }
    }
    lanes.into_iter().sum::<f32>() + rest_a.iter().zip(rest_b).map(|(x, y)| x * y).sum::<f32>()
}

/// `softmax(x)` into `y`; returns `log Σ e^x` (the row's log-sum-exp). Call it inside
/// `fill::widest`, so that it runs on the widest vector unit.
#[inline(always)]
fn row(x: &[f32], y: &mut [f32]) -> f32 {
    let top = max(x);
    super::lanes::zip_map(&Shifted(top), y, x, x);
    let mut sum = [0.0f32; 16];
    let chunks = y.chunks_exact(16);
    let rest: f32 = chunks.remainder().iter().sum();
    for chunk in chunks {
        for (lane, &v) in sum.iter_mut().zip(chunk) {
            *lane += v;
        }
    }
    let total = sum.into_iter().sum::<f32>() + rest;
    let scale = 1.0 / total;
    y.iter_mut().for_each(|v| *v *= scale);
    top + total.ln()
}

/// Rows of `cols` values, in blocks of about 16 K values shared among the threads:
/// `f(first row, that block of out)`, compiled for the widest vector unit.
fn by_rows(out: &mut [f32], cols: usize, f: impl Fn(usize, &mut [f32]) + Sync + Send) {
    let block = ((1 << 14) / cols.max(1) + 1) * cols;
    super::fill::fill_in_blocks(out, block, |start, chunk| f(start / cols, chunk));
}

/// `softmax` of each row of `cols` values, and each row's log-sum-exp.
pub(super) fn rows(values: &[f32], cols: usize) -> (Vec<f32>, Vec<f32>) {
    let rows = values.len() / cols;
    let mut probs = vec![0.0f32; values.len()];
    let mut log_totals = vec![0.0f32; rows];
    let to_totals = super::cpu_matmul::Output(log_totals.as_mut_ptr());
    by_rows(&mut probs, cols, |first, block| {
        for (i, y) in block.chunks_exact_mut(cols).enumerate() {
            let r = first + i;
            let log_total = row(&values[r * cols..(r + 1) * cols], y);
            // SAFETY: row `r` belongs to this block only.
            unsafe { *to_totals.at(r) = log_total };
        }
    });
    (probs, log_totals)
}

/// The gradient through a softmax from its output `y` and the output's gradient `g`, in place
/// of `g`: `y · (g − Σ g·y)` per row.
fn backward(y: &[f32], mut grad: Vec<f32>, cols: usize) -> Vec<f32> {
    by_rows(&mut grad, cols, |first, block| {
        for (i, g) in block.chunks_exact_mut(cols).enumerate() {
            let y = &y[(first + i) * cols..(first + i + 1) * cols];
            let along = dot(g, y);
            for (g, &y) in g.iter_mut().zip(y) {
                *g = y * (*g - along);
            }
        }
    });
    grad
}

mod cpu {
    use burn::backend::TensorMetadata;
    use burn::backend::tensor::FloatTensor;
    use burn::backend::{Autodiff, Flex};
    use burn::tensor::{DType, Tensor, TensorData};
    use burn_autodiff::checkpoint::base::Checkpointer;
    use burn_autodiff::checkpoint::strategy::NoCheckpointing;
    use burn_autodiff::grads::Gradients;
    use burn_autodiff::ops::{Backward, Ops, OpsKind, unary};
    use burn_flex::FlexTensor;

    use crate::kernels::fill::with_values;

    #[derive(Debug)]
    struct Softmax;

    impl Backward<Flex, 1> for Softmax {
        /// The forward's output `y` (a clone shares its buffer).
        type State = FlexTensor;

        fn backward(self, ops: Ops<FlexTensor, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
            let y = ops.state;
            let shape = y.shape();
            let cols = shape[shape.len() - 1];
            unary::<Flex, _>(ops.parents, ops.node, grads, |grad| {
                let grad = grad
                    .into_data()
                    .try_into_vec::<f32>()
                    .expect("an f32 gradient");
                let out = super::backward(y.as_slice::<f32>().expect("a fresh output"), grad, cols);
                FlexTensor::from_data(TensorData::new(out, shape))
            });
        }
    }

    /// The forward on a Flex tensor: the softmax of each last-dimension row.
    fn forward(x: &FlexTensor) -> Option<FlexTensor> {
        let shape = x.shape();
        let cols = *shape.last()?;
        if cols == 0 {
            return None;
        }
        let probs = with_values(x, |values| super::rows(values, cols).0);
        Some(FlexTensor::from_data(TensorData::new(probs, shape)))
    }

    fn tracked(x: FloatTensor<Autodiff<Flex>>) -> Option<FloatTensor<Autodiff<Flex>>> {
        let y = forward(x.primitive())?;
        Some(
            match Softmax
                .prepare::<NoCheckpointing>([x.node()])
                .compute_bound()
                .stateful()
            {
                OpsKind::Tracked(prep) => prep.finish(y.clone(), y),
                OpsKind::UnTracked(prep) => prep.finish(y),
            },
        )
    }

    /// The tracked softmax where `x` is an f32 tensor tracked on the CPU backend.
    pub fn softmax<const D: usize>(x: &Tensor<D>) -> Option<Tensor<D>> {
        if x.dtype() != DType::F32 {
            return None;
        }
        let tracked_input = x.clone().try_into_primitive::<Autodiff<Flex>>().ok()?;
        Some(Tensor::from_primitive::<Autodiff<Flex>>(tracked(
            tracked_input,
        )?))
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Tensor, TensorData};

    use super::softmax;
    use crate::backend::cpu_device;

    fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
        t.into_data().try_to_vec::<f32>().unwrap()
    }

    /// Attention-like scores: rows of 37 (not a multiple of the lanes), some far from zero, one
    /// with a blocked (very negative) entry.
    fn scores() -> (Vec<f32>, [usize; 3]) {
        let shape = [3, 5, 37];
        let mut state = 777u32;
        let values = (0..shape.iter().product::<usize>())
            .map(|i| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let v = ((state >> 8) as f32 / (1 << 24) as f32 - 0.5) * 16.0;
                match i {
                    40..=76 => v + 50.0,
                    100 => -1.0e9,
                    _ => v,
                }
            })
            .collect();
        (values, shape)
    }

    #[test]
    fn forward_and_gradient_match_burns_softmax() {
        let device = cpu_device().autodiff();
        let (x, shape) = scores();
        let weights: Vec<f32> = (0..x.len()).map(|i| ((i * 7) % 11) as f32 - 5.0).collect();
        let run = |f: fn(Tensor<3>, usize) -> Tensor<3>| {
            let input =
                Tensor::<3>::from_data(TensorData::new(x.clone(), shape), &device).require_grad();
            let w = Tensor::<3>::from_data(TensorData::new(weights.clone(), shape), &device);
            let y = f(input.clone(), 2);
            let grads = (y.clone() * w).sum().backward();
            (values(y), values(input.grad(&grads).unwrap()))
        };
        let (ours, our_grad) = run(softmax);
        let (theirs, their_grad) = run(burn::tensor::activation::softmax);
        for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            assert!(
                (a - b).abs() <= 1e-6 * b.abs() + 1e-9,
                "y[{i}]: {a} vs burn's {b}"
            );
        }
        for (i, (a, b)) in our_grad.iter().zip(&their_grad).enumerate() {
            assert!(
                (a - b).abs() <= 2e-5 * b.abs() + 1e-7,
                "dx[{i}]: {a} vs burn's {b}"
            );
        }
        assert!(
            their_grad.iter().any(|g| g.abs() > 1e-2),
            "a gradient to compare"
        );
    }

    #[test]
    fn only_tracked_cpu_tensors_on_the_last_dimension_take_it() {
        let device = cpu_device();
        let x = Tensor::<2>::from_floats([[0.5, -1.0], [2.0, 0.0]], &device);
        assert!(
            super::cpu::softmax(&x).is_none(),
            "plain tensors run burn-flex's"
        );
        let tracked = Tensor::<2>::from_floats([[0.5, -1.0], [2.0, 0.0]], &device.autodiff());
        assert!(super::cpu::softmax(&tracked).is_some());
        let by_column = values(softmax(tracked.clone(), 0));
        let burns = values(burn::tensor::activation::softmax(tracked, 0));
        assert_eq!(by_column, burns, "another dimension is burn's");
    }
}
