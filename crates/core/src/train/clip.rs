//! Gradient clipping by the global norm, as `torch.nn.utils.clip_grad_norm_` does it: the norm of
//! every gradient taken together; when it exceeds the limit, every gradient is scaled by
//! `max_norm / (norm + 1e-6)`. Computed on the device (nothing is read back), so a GPU is never
//! stalled; the norm is returned as a tensor for the caller to read with the loss.

use burn::module::{Module, ModuleVisitor, Param};
use burn::optim::GradientsParams;
use burn::tensor::Tensor;

/// The gradients' global L2 norm, before clipping.
pub fn global_norm<M: Module>(module: &M, gradients: &GradientsParams) -> Tensor<1> {
    let mut squares = SumOfSquares {
        gradients,
        total: None,
    };
    module.visit(&mut squares);
    squares
        .total
        .expect("a trainable network has at least one gradient")
        .sqrt()
}

/// Scales the gradients so that their global norm is at most `max_norm`; returns the norm before.
pub fn clip_by_global_norm<M: Module>(
    module: &M,
    gradients: &mut GradientsParams,
    max_norm: f32,
) -> Tensor<1> {
    let norm = global_norm(module, gradients);
    let factor = (norm.clone().add_scalar(1e-6).recip() * max_norm).clamp_max(1.0);
    module.visit(&mut Scale { gradients, factor });
    norm
}

struct SumOfSquares<'a> {
    gradients: &'a GradientsParams,
    total: Option<Tensor<1>>,
}

impl ModuleVisitor for SumOfSquares<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let Some(gradient) = self.gradients.get::<D>(param.id) else {
            return;
        };
        let sum = gradient.square().sum();
        self.total = Some(match self.total.take() {
            Some(total) => total + sum,
            None => sum,
        });
    }
}

struct Scale<'a> {
    gradients: &'a mut GradientsParams,
    factor: Tensor<1>,
}

impl ModuleVisitor for Scale<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let Some(gradient) = self.gradients.remove::<D>(param.id) else {
            return;
        };
        let factor = self.factor.clone().reshape([1; D]);
        self.gradients.register::<D>(param.id, gradient * factor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu_device;
    use burn::tensor::TensorData;

    #[derive(Module, Debug)]
    struct TwoParams {
        matrix: Param<Tensor<2>>,
        vector: Param<Tensor<1>>,
    }

    /// Gradients [[3, 0], [0, 4]] and [12]: a global norm of 13.
    fn module_and_gradients() -> (TwoParams, GradientsParams) {
        let device = cpu_device();
        let module = TwoParams {
            matrix: Param::from_tensor(Tensor::zeros([2, 2], &device)),
            vector: Param::from_tensor(Tensor::zeros([1], &device)),
        };
        let mut gradients = GradientsParams::new();
        let matrix = TensorData::new(vec![3.0f32, 0.0, 0.0, 4.0], [2, 2]);
        gradients.register(module.matrix.id, Tensor::<2>::from_data(matrix, &device));
        let vector = TensorData::new(vec![12.0f32], [1]);
        gradients.register(module.vector.id, Tensor::<1>::from_data(vector, &device));
        (module, gradients)
    }

    fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
        tensor.into_data().try_to_vec::<f32>().unwrap()
    }

    #[test]
    fn the_norm_covers_every_gradient_and_clipping_scales_them_all_to_the_limit() {
        let (module, mut gradients) = module_and_gradients();
        let norm = clip_by_global_norm(&module, &mut gradients, 6.5);
        assert_eq!(values(norm), vec![13.0]);
        let factor = 6.5 / (13.0 + 1e-6);
        let matrix = values(gradients.get::<2>(module.matrix.id).unwrap());
        let vector = values(gradients.get::<1>(module.vector.id).unwrap());
        let expected = [3.0 * factor, 0.0, 0.0, 4.0 * factor];
        for (got, want) in matrix.iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{matrix:?}");
        }
        assert!((vector[0] - 12.0 * factor).abs() < 1e-6, "{vector:?}");
        assert!((values(global_norm(&module, &gradients))[0] - 6.5).abs() < 1e-5);
    }

    #[test]
    fn gradients_within_the_limit_are_left_alone() {
        let (module, mut gradients) = module_and_gradients();
        clip_by_global_norm(&module, &mut gradients, 100.0);
        assert_eq!(
            values(gradients.get::<2>(module.matrix.id).unwrap()),
            vec![3.0, 0.0, 0.0, 4.0]
        );
        assert_eq!(
            values(gradients.get::<1>(module.vector.id).unwrap()),
            vec![12.0]
        );
    }
}
