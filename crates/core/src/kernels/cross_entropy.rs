//! The masked-LM loss, the mean over the targets of `−log softmax(logits)[label]` (as
//! `transformers` computes it), as one operation on the CPU backend. burn-autodiff has no softmax
//! or cross-entropy of its own: under autodiff `log_softmax(..).gather(..)` runs as a chain of
//! tracked element-wise operations over the [targets × vocabulary] logits (max, subtract, `exp`,
//! sum, log, subtract, gather), each a full pass on one thread through libm's `expf`, and their
//! backward as many again (`exp`'s recomputes `exp`, gather's zero-fills a tensor of the logits'
//! size). Here the forward is `softmax.rs`'s row pass (blocks of rows shared among the threads,
//! the vectorised `exp` of `lanes.rs`), which also gives each row's log-sum-exp; it keeps the
//! probabilities, and the backward is one pass over them: `(p − onehot(label)) · g / targets`.
//! Other backends and element types run burn's chain.

use burn::tensor::activation::log_softmax;
use burn::tensor::{Int, Tensor, TensorData};

/// The mean negative log-likelihood of `labels` (one per row of `logits`, `[targets, vocab]`):
/// a one-element tensor, tracked where `logits` is.
pub fn mean_nll(logits: Tensor<2>, labels: &[u32]) -> Tensor<1> {
    match cpu::mean_nll(&logits, labels) {
        Some(loss) => loss,
        None => burns_chain(logits, labels),
    }
}

/// The same loss through burn's operations: on other backends and element types, and what the
/// tests hold this module's to.
fn burns_chain(logits: Tensor<2>, labels: &[u32]) -> Tensor<1> {
    let count = labels.len();
    let labels = Tensor::<2, Int>::from_data(
        TensorData::new(labels.iter().map(|&l| l as i64).collect(), [count, 1]),
        &logits.device(),
    );
    log_softmax(logits, 1).gather(1, labels).mean().neg()
}

/// Row by row, `softmax(logits)` into a new buffer, and the mean of `−log p[label]`; `None` where
/// a label is outside the vocabulary or a row is not finite.
fn forward(logits: &[f32], labels: &[u32]) -> Option<(Vec<f32>, f32)> {
    let rows = labels.len();
    if rows == 0 || logits.len() % rows != 0 {
        return None;
    }
    let cols = logits.len() / rows;
    if labels.iter().any(|&l| l as usize >= cols) {
        return None;
    }
    let (probs, log_totals) = super::softmax::rows(logits, cols);
    // −log p[label] = log Σ e^x − x[label]
    let losses = labels
        .iter()
        .zip(&log_totals)
        .enumerate()
        .map(|(r, (&label, &log_total))| log_total - logits[r * cols + label as usize]);
    let mean = losses.map(|l| l as f64).sum::<f64>() / rows as f64;
    mean.is_finite().then_some((probs, mean as f32))
}

/// The gradient of the mean loss from the probabilities, in place: `(p − onehot) · g / rows`.
fn backward(mut probs: Vec<f32>, labels: &[u32], grad: f32) -> Vec<f32> {
    let rows = labels.len();
    let cols = probs.len() / rows;
    let scale = grad / rows as f32;
    super::fill::fill(&mut probs, |_, chunk| {
        chunk.iter_mut().for_each(|v| *v *= scale)
    });
    for (r, &label) in labels.iter().enumerate() {
        probs[r * cols + label as usize] -= scale;
    }
    probs
}

mod cpu {
    use std::sync::Arc;

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
    struct MeanNll;

    /// What the backward needs: the forward's probabilities ([labels × vocabulary]) and the
    /// labels.
    #[derive(Debug, Clone)]
    struct Saved {
        probs: Arc<Vec<f32>>,
        labels: Arc<Vec<u32>>,
    }

    impl Backward<Flex, 1> for MeanNll {
        type State = Saved;

        fn backward(self, ops: Ops<Saved, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
            let Saved { probs, labels } = ops.state;
            unary::<Flex, _>(ops.parents, ops.node, grads, |grad| {
                let grad = grad.into_data().as_slice::<f32>().expect("an f32 tensor")[0];
                let probs = Arc::try_unwrap(probs).unwrap_or_else(|shared| (*shared).clone());
                let shape = [labels.len(), probs.len() / labels.len()];
                let out = super::backward(probs, &labels, grad);
                FlexTensor::from_data(TensorData::new(out, shape))
            });
        }
    }

    /// The forward on a Flex tensor of shape `[labels, vocab]`: probabilities and mean loss.
    fn forward(logits: &FlexTensor, labels: &[u32]) -> Option<(Vec<f32>, f32)> {
        let dims = logits.shape();
        if dims.len() != 2 || dims[0] != labels.len() {
            return None;
        }
        with_values(logits, |values| super::forward(values, labels))
    }

    fn scalar(loss: f32) -> FlexTensor {
        FlexTensor::from_data(TensorData::new(vec![loss], [1]))
    }

    fn tracked(
        logits: FloatTensor<Autodiff<Flex>>,
        labels: &[u32],
    ) -> Option<FloatTensor<Autodiff<Flex>>> {
        let (probs, loss) = forward(logits.primitive(), labels)?;
        Some(
            match MeanNll
                .prepare::<NoCheckpointing>([logits.node()])
                .compute_bound()
                .stateful()
            {
                OpsKind::Tracked(prep) => prep.finish(
                    Saved {
                        probs: Arc::new(probs),
                        labels: Arc::new(labels.to_vec()),
                    },
                    scalar(loss),
                ),
                OpsKind::UnTracked(prep) => prep.finish(scalar(loss)),
            },
        )
    }

    /// The fused loss where `logits` is an f32 tensor of the CPU backend, tracked or not.
    pub fn mean_nll(logits: &Tensor<2>, labels: &[u32]) -> Option<Tensor<1>> {
        if logits.dtype() != DType::F32 {
            return None;
        }
        if let Ok(plain) = logits.clone().try_into_primitive::<Flex>() {
            let (_, loss) = forward(&plain, labels)?;
            return Some(Tensor::from_primitive::<Flex>(scalar(loss)));
        }
        let tracked_logits = logits.clone().try_into_primitive::<Autodiff<Flex>>().ok()?;
        Some(Tensor::from_primitive::<Autodiff<Flex>>(tracked(
            tracked_logits,
            labels,
        )?))
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Tensor, TensorData};

    use super::{burns_chain, mean_nll};
    use crate::backend::cpu_device;

    /// Logits of every scale a model produces, some rows far from zero, and labels.
    fn case() -> (Vec<f32>, [usize; 2], Vec<u32>) {
        let (rows, cols) = (9, 1000);
        let mut state = 12345u32;
        let mut next = || {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 8) as f32 / (1 << 24) as f32
        };
        let logits = (0..rows * cols)
            .map(|i| (next() - 0.5) * 20.0 + if i / cols == 3 { 60.0 } else { 0.0 })
            .collect();
        let labels = (0..rows).map(|r| ((r * 337 + 11) % cols) as u32).collect();
        (logits, [rows, cols], labels)
    }

    fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
        t.into_data().try_to_vec::<f32>().unwrap()
    }

    #[test]
    fn the_loss_and_its_gradient_match_burns_chain() {
        let device = cpu_device().autodiff();
        let (logits, shape, labels) = case();
        let run = |f: fn(Tensor<2>, &[u32]) -> Tensor<1>| {
            let input = Tensor::<2>::from_data(TensorData::new(logits.clone(), shape), &device)
                .require_grad();
            let loss = f(input.clone(), &labels);
            let grads = (loss.clone() * 2.5).backward();
            (values(loss)[0], values(input.grad(&grads).unwrap()))
        };
        let (ours, our_grad) = run(mean_nll);
        let (theirs, their_grad) = run(burns_chain);
        assert!(
            (ours - theirs).abs() <= 1e-5 * theirs.abs(),
            "loss {ours} vs burn's {theirs}"
        );
        for (i, (a, b)) in our_grad.iter().zip(&their_grad).enumerate() {
            assert!(
                (a - b).abs() <= 1e-5 * b.abs() + 1e-9,
                "gradient {i}: {a} vs burn's {b}"
            );
        }
        assert!(
            their_grad.iter().any(|g| g.abs() > 1e-3),
            "a gradient to compare"
        );
    }

    #[test]
    fn untracked_tensors_give_the_same_loss_and_bad_labels_fall_back_to_burn() {
        let device = cpu_device();
        let (logits, shape, labels) = case();
        let input = || Tensor::<2>::from_data(TensorData::new(logits.clone(), shape), &device);
        let ours = values(mean_nll(input(), &labels))[0];
        let theirs = values(burns_chain(input(), &labels))[0];
        assert!((ours - theirs).abs() <= 1e-5 * theirs.abs());
        assert!(super::cpu::mean_nll(&input(), &labels).is_some());
        let mut outside = labels.clone();
        outside[0] = shape[1] as u32;
        assert!(super::cpu::mean_nll(&input(), &outside).is_none());
        assert!(super::cpu::mean_nll(&input(), &labels[1..]).is_none());
    }
}
