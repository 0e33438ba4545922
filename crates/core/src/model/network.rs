//! The masked-LM network a checkpoint describes: the BERT-shaped one (`bert.rs`, six families)
//! or ModernBERT's (`modernbert.rs`). Loading, saving, inference and training all go through
//! this one type, so every family runs everywhere the BERT one does.

use burn::module::Module;
use burn::tensor::{Device, Int, Tensor};

use super::bert::BertForMaskedLm;
use super::modernbert::{self, ModernBertForMaskedLm};
use super::params::ParamVisitor;
use super::plan::LoadPlan;
use super::{EncoderInput, Keep, MaskedLmOutput};
use crate::config::BertConfig;

#[derive(Module, Debug)]
pub enum MaskedLm {
    Bert(BertForMaskedLm),
    ModernBert(ModernBertForMaskedLm),
}

impl MaskedLm {
    /// A model with freshly initialised weights, lazily allocated, laid out as `plan` says.
    pub fn init(config: &BertConfig, plan: &LoadPlan, device: &Device) -> Self {
        match config.family.modern_bert() {
            Some(settings) => {
                MaskedLm::ModernBert(ModernBertForMaskedLm::init(config, settings, plan, device))
            }
            None => MaskedLm::Bert(BertForMaskedLm::init(config, plan, device)),
        }
    }

    /// Tensors a checkpoint may hold that this model does not read: a tied decoder (it *is* the
    /// word-embedding table, whether or not the file repeats it) and DeBERTa's absolute position
    /// table when its input takes no absolute positions (`transformers` ignores it too).
    pub fn set_aside(&self) -> Vec<String> {
        match self {
            MaskedLm::Bert(bert) => {
                let names = bert.names();
                let mut unused = Vec::new();
                if bert.head.decoder.is_none() {
                    unused.push(format!("{}.weight", names.decoder));
                }
                if bert.embeddings.position.is_none() {
                    unused.push(format!("{}.position_embeddings.weight", names.embeddings));
                }
                unused
            }
            MaskedLm::ModernBert(modern) => modern
                .head
                .decoder
                .is_none()
                .then(|| modernbert::DECODER_WEIGHT.to_string())
                .into_iter()
                .collect(),
        }
    }

    /// Every parameter under its Hugging Face name.
    pub fn visit_params<V: ParamVisitor>(&mut self, visitor: &mut V) {
        match self {
            MaskedLm::Bert(bert) => bert.visit_params(visitor),
            MaskedLm::ModernBert(modern) => modern.visit_params(visitor),
        }
    }

    /// Runs the encoder and the head at `predict_rows` (indices into the flattened `[batch·seq]`
    /// positions); attention probabilities and every hidden state's logits as `keep` asks.
    pub fn forward(
        &self,
        input: EncoderInput,
        predict_rows: Tensor<1, Int>,
        keep: Keep,
    ) -> MaskedLmOutput {
        // In the browser's threaded build the pass keeps its threads awake (`kernels/team.rs`).
        crate::kernels::team::with_team(|| match self {
            MaskedLm::Bert(bert) => bert.forward(input, predict_rows, keep),
            MaskedLm::ModernBert(modern) => modern.forward(input, predict_rows, keep),
        })
    }

    /// The BERT-shaped network, if this is one.
    pub fn as_bert(&self) -> Option<&BertForMaskedLm> {
        match self {
            MaskedLm::Bert(bert) => Some(bert),
            MaskedLm::ModernBert(_) => None,
        }
    }
}
