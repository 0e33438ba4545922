//! 8-bit weights (`dtype: "q8"`) against `transformers`' float32 answers: on every family fixture
//! and on the bundled model the top prediction is the same for at least 95% of the masks, and the
//! five best share at least four of five on average. The Linear layers' weights are held in one
//! byte each, and 8-bit weights are refused on the GPU.

mod common;

use std::path::Path;

use burn::module::Param;
use burn::tensor::{DType, Tensor};
use clozelab_core::backend::{BackendKind, cpu_device};
use clozelab_core::fill_mask::{run_masked, top_k_of};
use clozelab_core::model::Keep;
use clozelab_core::model::params::ParamVisitor;
use clozelab_core::model::word_table::WordTable;
use clozelab_core::weights::quantize::WeightDtype;
use clozelab_core::{LoadedModel, ModelFiles};
use common::{TopEntry, model_files, reference};
use serde::Deserialize;

const BUNDLED: &str = "www/models/clozelab-tiny-bert";

fn load_q8(files: &ModelFiles) -> LoadedModel {
    LoadedModel::load_as(files, cpu_device(), BackendKind::Cpu, WeightDtype::Q8).unwrap()
}

/// Masks seen, top-1 agreements, and the top-5 overlaps summed.
#[derive(Default)]
struct Tally {
    masks: usize,
    same_top1: usize,
    overlap: usize,
    misses: Vec<String>,
}

impl Tally {
    /// One pass of `model` over `text` against the reference's top five per mask.
    fn compare(
        &mut self,
        model: &LoadedModel,
        text: &str,
        ids: &[u32],
        reference: &[Vec<TopEntry>],
    ) {
        let encoded = model.tokenizer.encode(text).unwrap();
        assert_eq!(
            encoded.input_ids, ids,
            "{text}: the same tokens as transformers"
        );
        let pass =
            pollster::block_on(run_masked(model, ids, &encoded.type_ids, Keep::default())).unwrap();
        assert_eq!(pass.probs.len(), reference.len(), "{text}: masks");
        for (probs, theirs) in pass.probs.iter().zip(reference) {
            let ours: Vec<u32> = top_k_of(probs, 5).into_iter().map(|(id, _)| id).collect();
            let theirs: Vec<u32> = theirs.iter().map(|e| e.token_id).collect();
            self.masks += 1;
            if ours[0] == theirs[0] {
                self.same_top1 += 1;
            } else {
                self.misses
                    .push(format!("{text}: {} for {}", ours[0], theirs[0]));
            }
            self.overlap += ours.iter().filter(|id| theirs.contains(id)).count();
        }
    }

    fn check(&self, what: &str) {
        let top1 = self.same_top1 as f64 / self.masks as f64;
        let overlap = self.overlap as f64 / self.masks as f64;
        println!(
            "{what}: {} masks, top-1 the same on {:.1}%, top-5 overlap {overlap:.2} of 5",
            self.masks,
            100.0 * top1
        );
        assert!(
            top1 >= 0.95,
            "{what}: top-1 the same on only {:.1}% ({:?})",
            100.0 * top1,
            self.misses
        );
        assert!(overlap >= 4.0, "{what}: top-5 overlap {overlap:.2} < 4");
    }
}

#[test]
fn eight_bit_weights_answer_as_transformers_does_on_every_family() {
    let reference = reference();
    let mut tally = Tally::default();
    let mut models = std::collections::HashMap::new();
    for case in &reference.cases {
        let model = models
            .entry(case.model.clone())
            .or_insert_with(|| load_q8(&model_files(&case.model)));
        tally.compare(model, &case.text, &case.input_ids, &case.top_k);
    }
    assert!(models.len() >= 10, "every family");
    tally.check("family fixtures");
}

#[derive(Deserialize)]
struct BundledReference {
    cases: Vec<BundledCase>,
}

#[derive(Deserialize)]
struct BundledCase {
    text: String,
    input_ids: Vec<u32>,
    top_k: Vec<Vec<TopEntry>>,
}

#[test]
fn eight_bit_weights_answer_as_transformers_does_on_the_bundled_model() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/fixtures/bundled_reference.json"))
        .expect("tests/fixtures/bundled_reference.json (make fixtures)");
    let reference: BundledReference = serde_json::from_str(&text).unwrap();
    assert!(reference.cases.len() >= 40);
    let model = load_q8(&ModelFiles::from_dir(&root.join(BUNDLED)).unwrap());
    let mut tally = Tally::default();
    for case in &reference.cases {
        tally.compare(&model, &case.text, &case.input_ids, &case.top_k);
    }
    tally.check("bundled model");
}

/// Bytes of the Linear layers' weights (the matrices walked as `[out, in]` in the file) and of
/// everything else.
#[derive(Default)]
struct Bytes {
    linear: usize,
    other: usize,
}

fn bytes_of<const D: usize>(tensor: &Tensor<D>) -> usize {
    let count = tensor.shape().num_elements();
    match tensor.dtype() {
        DType::QFloat(_) => count,
        dtype => count * dtype.size(),
    }
}

impl ParamVisitor for Bytes {
    fn vector(&mut self, _: &[&str], param: &mut Param<Tensor<1>>) {
        self.other += bytes_of(&param.val());
    }
    fn matrix(&mut self, _: &[&str], param: &mut Param<Tensor<2>>, transposed: bool) {
        let bytes = bytes_of(&param.val());
        if transposed {
            self.linear += bytes
        } else {
            self.other += bytes
        }
    }
    fn table(&mut self, _: &str, table: &mut WordTable) {
        for chunk in &table.chunks {
            self.other += bytes_of(&chunk.val());
        }
    }
}

#[test]
fn the_linear_weights_take_a_quarter_of_the_memory_and_the_rest_stays_f32() {
    let files = model_files("bert-gelu");
    let measure = |model: LoadedModel| {
        let mut bytes = Bytes::default();
        let mut network = model.network;
        network.visit_params(&mut bytes);
        bytes
    };
    let fp32 = measure(LoadedModel::load(&files, cpu_device(), BackendKind::Cpu).unwrap());
    let q8 = measure(load_q8(&files));
    assert!(fp32.linear > 0);
    assert_eq!(q8.linear * 4, fp32.linear);
    assert_eq!(q8.other, fp32.other);
}

#[test]
fn eight_bit_weights_are_refused_on_the_gpu_and_an_unknown_dtype_is_named() {
    let error = LoadedModel::load_as(
        &model_files("bert-gelu"),
        cpu_device(),
        BackendKind::Wgpu,
        WeightDtype::Q8,
    )
    .err()
    .expect("refused")
    .to_string();
    assert!(
        error.contains("8-bit weights (dtype q8) run on the CPU only"),
        "{error}"
    );
    let error = WeightDtype::parse("q4").unwrap_err().to_string();
    assert!(
        error.contains("unknown dtype \"q4\": choose fp32 or q8"),
        "{error}"
    );
}

#[test]
fn a_model_loaded_as_q8_saves_the_f32_weights_its_integers_stand_for() {
    let files = model_files("bert-gelu");
    let q8 = load_q8(&files);
    let mut saved = model_files("bert-gelu");
    saved.insert(
        "model.safetensors".to_string(),
        pollster::block_on(q8.safetensors()).unwrap(),
    );
    let reloaded = LoadedModel::load(&saved, cpu_device(), BackendKind::Cpu).unwrap();
    let original = LoadedModel::load(&files, cpu_device(), BackendKind::Cpu).unwrap();
    let case = &reference().cases[0];
    let probs = |model: &LoadedModel| {
        let encoded = model.tokenizer.encode(&case.text).unwrap();
        pollster::block_on(run_masked(
            model,
            &encoded.input_ids,
            &encoded.type_ids,
            Keep::default(),
        ))
        .unwrap()
        .probs
    };
    let (q8, reloaded, original) = (probs(&q8), probs(&reloaded), probs(&original));
    let gap = |a: &[f32], b: &[f32]| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max)
    };
    // The saved weights are the integers times their scales: closer to what q8 answers than the
    // original weights are, and not the original weights themselves.
    assert!(
        gap(&reloaded[0], &q8[0]) < gap(&original[0], &q8[0]),
        "the saved weights are the 8-bit ones"
    );
    assert!(gap(&reloaded[0], &original[0]) > 0.0);
}
