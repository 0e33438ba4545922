//! The one walk over a model's parameters, by the names `transformers` gives them. Each
//! architecture implements `visit_params` with a [`ParamVisitor`]; loading a checkpoint
//! (`weights/bind.rs`), saving one (`weights/collect.rs`) and counting are visitors, so a model
//! describes its parameters once and never knows which of those is walking it.

use burn::module::Param;
use burn::nn::{Embedding, LayerNorm, Linear};
use burn::tensor::Tensor;

use super::word_table::WordTable;

/// Walks a model's parameters under their Hugging Face names. `names` lists the accepted names
/// for one tensor, the current spelling first, older ones after.
pub trait ParamVisitor {
    fn vector(&mut self, names: &[&str], param: &mut Param<Tensor<1>>);
    /// A matrix stored as in the file, or transposed (`transposed`: the file holds `[out, in]`
    /// where the parameter is `[in, out]`, as for every `nn.Linear`).
    fn matrix(&mut self, names: &[&str], param: &mut Param<Tensor<2>>, transposed: bool);

    /// `nn.Linear`: `{name}.weight` `[out, in]` and `{name}.bias`.
    fn linear(&mut self, name: &str, linear: &mut Linear) {
        self.linear_weight(&format!("{name}.weight"), &mut linear.weight);
        if let Some(bias) = linear.bias.as_mut() {
            self.vector(&[&format!("{name}.bias")], bias);
        }
    }

    /// A Linear layer's weight: a matrix the file holds transposed (the loader may hold it as
    /// 8-bit integers instead).
    fn linear_weight(&mut self, name: &str, param: &mut Param<Tensor<2>>) {
        self.matrix(&[name], param, true);
    }

    /// `nn.LayerNorm`: `weight`/`bias`, or `gamma`/`beta` in checkpoints from the TF era.
    fn layer_norm(&mut self, name: &str, norm: &mut LayerNorm) {
        self.vector(
            &[&format!("{name}.weight"), &format!("{name}.gamma")],
            &mut norm.gamma,
        );
        if let Some(beta) = norm.beta.as_mut() {
            self.vector(&[&format!("{name}.bias"), &format!("{name}.beta")], beta);
        }
    }

    /// `nn.Embedding`: `{name}.weight` `[count, dim]`.
    fn embedding(&mut self, name: &str, embedding: &mut Embedding) {
        self.matrix(&[&format!("{name}.weight")], &mut embedding.weight, false);
    }

    /// The word table, one `[vocab, width]` tensor in the file however many chunks hold it.
    fn table(&mut self, name: &str, table: &mut WordTable);
}
