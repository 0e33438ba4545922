//! The families beyond BERT (DistilBERT, RoBERTa, ELECTRA's generator, ALBERT, ModernBERT) (parity
//! with `transformers` is in `parity.rs`, which runs every fixture): what differs in their
//! tokenizers, configs and attention, and that a trained model saves under its family's own tensor
//! names, loads back and predicts the same.

mod common;

use burn::tensor::Device;
use clozelab_core::backend::{BackendKind, cpu_device};
use clozelab_core::config::BertConfig;
use clozelab_core::export::export_folder;
use clozelab_core::model::Keep;
use clozelab_core::model::bert::BertForMaskedLm;
use clozelab_core::model::network::MaskedLm;
use clozelab_core::model::plan::LoadPlan;
use clozelab_core::train::{Corpus, Progress, TrainOptions, TrainingRun};
use clozelab_core::weights::bind::load_network;
use clozelab_core::weights::read_weights;
use clozelab_core::{FillMaskOptions, LoadedModel, fill_mask};
use common::{TEXT, fixture_weights, load, model_files};

/// The BERT-shaped network of a loaded model.
fn bert(model: &LoadedModel) -> &BertForMaskedLm {
    model.network.as_bert().expect("a BERT-shaped family")
}

#[test]
fn robertas_mask_takes_the_space_before_it_but_its_word_is_only_the_mask() {
    let model = load("roberta", BackendKind::Cpu);
    let encoded = model.tokenizer.encode("the <mask> sat").unwrap();
    let at = encoded.tokens.iter().position(|t| t == "<mask>").unwrap();
    assert_eq!(encoded.offsets[at], [4, 10], "the span of <mask> itself");
    let word = encoded.words.iter().find(|w| w.tokens[0] == at).unwrap();
    assert_eq!(word.text, "<mask>");
    assert_eq!(
        model.config.position_offset(),
        2,
        "positions start after padding_idx 1"
    );
    assert_eq!(model.config.max_input_tokens(), 64);
}

#[test]
fn distilbert_has_no_token_types_and_reads_its_own_config_names() {
    let model = load("distilbert", BackendKind::Cpu);
    assert_eq!(model.config.model_type, "distilbert");
    assert_eq!(
        (model.config.hidden_size, model.config.type_vocab_size),
        (32, 0)
    );
    assert!(bert(&model).embeddings.token_type.is_none());
}

/// `steps` steps of `network` on `TEXT` (sequences of 16, batches of 4, no warm-up), with the
/// model's tokenizer and config; returns the run and its last progress.
fn short_run(
    model: &LoadedModel,
    network: MaskedLm,
    device: &Device,
    steps: usize,
) -> (TrainingRun, Progress) {
    let corpus = Corpus::from_text(&model.tokenizer, TEXT, 16, 4).unwrap();
    let options = TrainOptions {
        steps,
        batch_size: 4,
        warmup_steps: 0,
        ..TrainOptions::default()
    };
    let mut run = TrainingRun::new(
        network,
        device.clone(),
        &model.tokenizer,
        model.config.vocab_size,
        model.config.pad_token_id as u32,
        corpus,
        options,
    );
    let progress = pollster::block_on(run.advance(steps)).unwrap();
    (run, progress)
}

/// A few training steps, then the export: the same tensor names as the fixture (so `transformers`
/// finds every one), the config written back as it was, and the same predictions after reloading.
fn train_export_reload(name: &str, text: &str) {
    let files = model_files(name);
    let device = cpu_device().autodiff();
    let model = LoadedModel::load(&files, device.clone(), BackendKind::Cpu).unwrap();
    let (run, _) = short_run(&model, model.network.clone(), &device, 3);
    let folder = pollster::block_on(export_folder(&run.network(), &model.config, &files)).unwrap();

    let names = |bytes: &[u8]| {
        let mut names: Vec<String> = read_weights("model.safetensors", bytes)
            .unwrap()
            .tensors
            .into_keys()
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        names(folder.get("model.safetensors").unwrap()),
        names(files.get("model.safetensors").unwrap()),
        "{name}: saved under the family's names"
    );
    assert_eq!(
        folder.get("config.json"),
        files.get("config.json"),
        "{name}: config written back"
    );

    let reloaded = LoadedModel::load(&folder, cpu_device(), BackendKind::Cpu).unwrap();
    let trained = LoadedModel {
        network: run.network(),
        ..LoadedModel::load(&files, cpu_device(), BackendKind::Cpu).unwrap()
    };
    let options = FillMaskOptions {
        top_k: 5,
        ..FillMaskOptions::default()
    };
    let before = pollster::block_on(fill_mask(&trained, text, options)).unwrap();
    let after = pollster::block_on(fill_mask(&reloaded, text, options)).unwrap();
    for (a, b) in before.masks.iter().zip(&after.masks) {
        for (p, q) in a.predictions.iter().zip(&b.predictions) {
            assert_eq!(p.token_id, q.token_id, "{name}");
            assert!((p.score - q.score).abs() < 1e-6, "{name}");
        }
    }
    let original = LoadedModel::load(&files, cpu_device(), BackendKind::Cpu).unwrap();
    let untrained = pollster::block_on(fill_mask(&original, text, options)).unwrap();
    assert_ne!(
        format!("{:?}", untrained.masks[0].predictions[0].score),
        format!("{:?}", after.masks[0].predictions[0].score),
        "{name}: training changed the model"
    );
}

#[test]
fn a_trained_distilbert_saves_under_its_own_names_and_loads_back_the_same() {
    train_export_reload("distilbert", "the [MASK] sat on the mat .");
}

#[test]
fn a_trained_roberta_saves_under_its_own_names_and_loads_back_the_same() {
    train_export_reload("roberta", "the <mask> sat on the mat .");
}

#[test]
fn a_trained_electra_generator_saves_under_its_own_names_and_loads_back_the_same() {
    train_export_reload("electra", "the [MASK] sat on the mat .");
}

#[test]
fn a_trained_albert_saves_its_shared_layer_once_and_loads_back_the_same() {
    train_export_reload("albert", "the [MASK] sat on the mat .");
}

#[test]
fn a_trained_modernbert_saves_under_its_own_names_and_loads_back_the_same() {
    train_export_reload("modernbert", "the [MASK] sat on the mat .");
}

/// The attention maps of one pass over `text`: `[layer][head][query][key]`.
fn attention_maps(model: &LoadedModel, text: &str) -> (usize, Vec<Vec<Vec<Vec<f32>>>>) {
    let options = FillMaskOptions {
        attentions: true,
        ..FillMaskOptions::default()
    };
    let result = pollster::block_on(fill_mask(model, text, options)).unwrap();
    let seq = result.tokens.len();
    let maps = result.attentions.expect("attentions were asked for");
    (seq, maps)
}

#[test]
fn modernbert_local_layers_see_only_their_window_and_global_ones_see_everything() {
    for backend in [BackendKind::Cpu, BackendKind::Wgpu] {
        let model = load("modernbert", backend);
        let settings = model.config.family.modern_bert().unwrap().clone();
        assert_eq!(settings.global_layers, vec![true, false, false]);
        assert_eq!(settings.half_window(), 2);
        let (seq, maps) = attention_maps(&model, "the [MASK] sat on the mat .");
        assert!(seq > 5, "the text reaches past the window");
        for (layer, heads) in maps.iter().enumerate() {
            for row_set in heads {
                for (query, row) in row_set.iter().enumerate() {
                    let sum: f32 = row.iter().sum();
                    assert!(
                        (sum - 1.0).abs() < 1e-4,
                        "layer {layer}: a row sums to {sum}"
                    );
                    for (key, &p) in row.iter().enumerate() {
                        if settings.global_layers[layer] || query.abs_diff(key) <= 2 {
                            assert!(p > 0.0, "{backend:?} layer {layer}: {query}→{key} is {p}");
                        } else {
                            assert_eq!(p, 0.0, "{backend:?} layer {layer}: {query}→{key}");
                        }
                    }
                }
            }
        }
    }
}

/// A sentence alone and the same sentence padded beside a longer one in a batch predict the
/// same: padding stays out of attention in global and local layers alike.
#[test]
fn modernbert_predicts_a_padded_sentence_as_it_predicts_it_alone() {
    use burn::tensor::activation::softmax;
    use clozelab_core::train::TrainBatch;
    let model = load("modernbert", BackendKind::Cpu);
    let short = model
        .tokenizer
        .encode("the [MASK] sat .")
        .unwrap()
        .input_ids;
    let long = model
        .tokenizer
        .encode("the cat sat on the [MASK] by the door of the house .")
        .unwrap()
        .input_ids;
    let probs = |batch: TrainBatch| -> Vec<f32> {
        let (input, rows) = batch.tensors(model.config.pad_token_id as u32, &model.device);
        let logits = model.network.forward(input, rows, Keep::default()).logits;
        softmax(logits, 1).into_data().try_to_vec::<f32>().unwrap()
    };
    let alone = probs(TrainBatch {
        input_ids: vec![short.clone()],
        positions: vec![vec![2]],
        labels: vec![vec![0]],
    });
    let padded = probs(TrainBatch {
        input_ids: vec![long.clone(), short],
        positions: vec![vec![], vec![2]],
        labels: vec![vec![], vec![0]],
    });
    assert!(long.len() > 10);
    let diff = alone
        .iter()
        .zip(&padded)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(diff < 1e-6, "padding changed the prediction by {diff}");
}

#[test]
fn a_trained_deberta_v3_saves_under_its_own_names_and_loads_back_the_same() {
    train_export_reload("deberta-v3", "the [MASK] sat on the mat .");
}

#[test]
fn a_trained_deberta_v2_saves_under_its_own_names_and_loads_back_the_same() {
    train_export_reload("deberta-v2", "the [MASK] sat on the mat .");
}

/// The released DeBERTa-v3 folders: a config that does not say which head, a checkpoint with the
/// newer `lm_predictions` head, the replaced-token-detection head and an unused absolute position
/// table. clozelab finds the head by its tensors, sets the rest aside, predicts as the fixture
/// does, and a folder saved from it says `legacy: false` so `transformers` finds the head too.
#[test]
fn a_released_style_deberta_v3_folder_finds_its_head_and_sets_aside_what_it_does_not_use() {
    use clozelab_core::weights::{RawTensor, safetensors};
    let files = model_files("deberta-v3");
    let mut config: serde_json::Value =
        serde_json::from_slice(files.get("config.json").unwrap()).unwrap();
    config.as_object_mut().unwrap().remove("legacy");
    let mut weights = fixture_weights(&files);
    for (name, shape) in [
        (
            "deberta.embeddings.position_embeddings.weight",
            vec![64, 32],
        ),
        ("mask_predictions.dense.weight", vec![32, 32]),
        ("mask_predictions.classifier.bias", vec![1]),
    ] {
        let values = vec![0.5; shape.iter().product()];
        weights
            .tensors
            .insert(name.into(), RawTensor { shape, values });
    }
    let mut released = files.clone();
    released.insert("config.json", serde_json::to_vec(&config).unwrap());
    released.insert("model.safetensors", safetensors::write(&weights));

    let model = LoadedModel::load(&released, cpu_device(), BackendKind::Cpu).unwrap();
    assert!(model.network.as_bert().unwrap().lm_predictions_head);
    let text = "the [MASK] sat on the mat .";
    let options = FillMaskOptions::default();
    let ours = pollster::block_on(fill_mask(&model, text, options)).unwrap();
    let fixture = load("deberta-v3", BackendKind::Cpu);
    let expected = pollster::block_on(fill_mask(&fixture, text, options)).unwrap();
    assert_eq!(format!("{:?}", ours.masks), format!("{:?}", expected.masks));

    let folder =
        pollster::block_on(export_folder(&model.network, &model.config, &released)).unwrap();
    let saved: serde_json::Value =
        serde_json::from_slice(folder.get("config.json").unwrap()).unwrap();
    assert_eq!(saved["legacy"], serde_json::Value::Bool(false));
    assert_eq!(saved["position_buckets"], config["position_buckets"]);
}

/// Training with the word table in chunks of 7 rows follows the same curve and ends at the same
/// weights as with the whole table: the gradients reach every chunk as they reach the one table.
#[test]
fn a_chunked_word_table_trains_as_the_whole_table() {
    let files = model_files("roberta");
    let device = cpu_device().autodiff();
    let run = |chunk_rows: Option<usize>| {
        let mut model = LoadedModel::load(&files, device.clone(), BackendKind::Cpu).unwrap();
        // Dropout off: both runs must see the same network.
        model.config.hidden_dropout_prob = 0.0;
        model.config.attention_probs_dropout_prob = 0.0;
        let tensors = fixture_weights(&files);
        let plan = LoadPlan {
            word_chunk_rows: chunk_rows,
            ..LoadPlan::default()
        };
        let network = load_network(
            &model.config,
            &plan,
            clozelab_core::weights::bind::Loader::new(
                tensors,
                model.config.family.base_prefix(),
                &device,
            ),
        )
        .unwrap();
        let (run, progress) = short_run(&model, network, &device, 4);
        let saved =
            pollster::block_on(clozelab_core::export::weights_file(&run.network())).unwrap();
        (
            progress.loss,
            read_weights("model.safetensors", &saved).unwrap(),
        )
    };
    let (whole_loss, whole) = run(None);
    let (chunked_loss, chunked) = run(Some(7));
    assert!(
        (whole_loss - chunked_loss).abs() < 1e-5,
        "{whole_loss} vs {chunked_loss}"
    );
    assert_eq!(
        whole.tensors.keys().collect::<Vec<_>>(),
        chunked.tensors.keys().collect::<Vec<_>>()
    );
    for (name, tensor) in &whole.tensors {
        let other = &chunked.tensors[name];
        assert_eq!(tensor.shape, other.shape, "{name}");
        if name.ends_with("attention.self.key.bias") {
            // Its exact gradient is zero (softmax ignores a shift per query): what it gets is
            // rounding noise, and Adam turns noise of either sign into steps of ±lr.
            continue;
        }
        let diff = common::max_abs_diff(&tensor.values, &other.values);
        assert!(diff < 1e-5, "{name} differs by {diff}");
    }
}

#[test]
fn albert_projects_narrow_embeddings_and_runs_one_shared_layer_at_every_depth() {
    let model = load("albert", BackendKind::Cpu);
    assert_eq!(model.config.embedding_dim(), 16);
    let albert = bert(&model);
    assert!(albert.projection.is_some());
    assert_eq!(albert.layers.len(), 1);
    assert_eq!(albert.schedule, vec![0, 0, 0]);
    let electra = load("electra", BackendKind::Cpu);
    assert_eq!(
        (electra.config.embedding_dim(), electra.config.hidden_size),
        (16, 32)
    );
    assert_eq!(bert(&electra).schedule, vec![0, 1]);
}

#[test]
fn albert_groups_follow_transformers_depth_to_group_rule() {
    let text = r#"{"model_type": "albert", "vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 6,
        "num_attention_heads": 2, "intermediate_size": 16, "max_position_embeddings": 8,
        "embedding_size": 4, "num_hidden_groups": 3, "inner_group_num": 2}"#;
    let config = BertConfig::from_json(text).unwrap();
    assert_eq!(config.distinct_layers(), 6);
    // Depth i runs group int(i / (6 / 3)), each group's two layers in turn.
    assert_eq!(
        config.layer_schedule(),
        vec![0, 1, 0, 1, 2, 3, 2, 3, 4, 5, 4, 5]
    );
    assert_eq!(
        config.hidden_act,
        clozelab_core::config::Activation::GeluTanh,
        "ALBERT's default"
    );
}

#[test]
fn a_word_table_larger_than_one_gpu_binding_is_held_in_chunks_and_an_untied_one_is_refused_in_words()
 {
    use clozelab_core::backend::{device_for, gpu_buffer_limit};
    use clozelab_core::cloze_model::fits_backend;
    use clozelab_core::model::plan::word_chunk_rows;
    pollster::block_on(device_for(BackendKind::Wgpu)).expect("a wgpu device (lavapipe in CI)");
    let limit = gpu_buffer_limit().expect("the device's limits");
    // A table one row larger than the limit allows, and one that fits.
    let rows = (limit / (768 * 4)) as usize;
    let too_big = BertConfig::with_shape(rows + 1, 768, 1, 12, 3072, 64);
    assert_eq!(word_chunk_rows(&too_big, BackendKind::Wgpu), Some(rows));
    assert_eq!(
        word_chunk_rows(&too_big, BackendKind::Cpu),
        None,
        "the CPU has no such limit"
    );
    let fits = BertConfig::with_shape(rows, 768, 1, 12, 3072, 64);
    assert_eq!(word_chunk_rows(&fits, BackendKind::Wgpu), None);
    assert!(fits_backend(&too_big, BackendKind::Wgpu).is_ok());
    // An untied output layer is one matrix: it cannot be chunked the same way, so it is refused.
    let untied = BertConfig {
        tie_word_embeddings: false,
        ..too_big.clone()
    };
    let message = fits_backend(&untied, BackendKind::Wgpu)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("larger than this GPU can bind") && message.contains("CPU"),
        "{message}"
    );
    assert!(fits_backend(&untied, BackendKind::Cpu).is_ok());
}

/// Fixtures loaded with their word table in chunks of 7 rows on the GPU predict as the whole
/// table does on the CPU, and save the one table `transformers` expects.
#[test]
fn a_chunked_word_table_predicts_and_saves_as_the_whole_table() {
    use clozelab_core::backend::device_for;
    use clozelab_core::weights::bind::Loader;
    let device = pollster::block_on(device_for(BackendKind::Wgpu)).expect("a wgpu device");
    for (name, text) in [
        ("roberta", "the <mask> sat on the mat ."),
        ("modernbert", "the [MASK] sat on the mat ."),
    ] {
        let files = model_files(name);
        let whole = load(name, BackendKind::Cpu);
        let config = whole.config.clone();
        let plan = LoadPlan {
            word_chunk_rows: Some(7),
            ..LoadPlan::default()
        };
        let tensors = fixture_weights(&files);
        let network = load_network(
            &config,
            &plan,
            Loader::new(tensors, config.family.base_prefix(), &device),
        )
        .unwrap();
        let chunked = LoadedModel {
            config,
            tokenizer: whole.tokenizer.clone(),
            network,
            device: device.clone(),
            backend: BackendKind::Wgpu,
            dtype: clozelab_core::weights::quantize::WeightDtype::Fp32,
        };
        let options = FillMaskOptions::default();
        let ours = pollster::block_on(fill_mask(&chunked, text, options)).unwrap();
        let theirs = pollster::block_on(fill_mask(&whole, text, options)).unwrap();
        for (a, b) in ours.masks[0]
            .predictions
            .iter()
            .zip(&theirs.masks[0].predictions)
        {
            assert_eq!(a.token_id, b.token_id, "{name}");
            assert!(
                (a.score - b.score).abs() < 1e-4,
                "{name}: {} vs {}",
                a.score,
                b.score
            );
        }
        let saved = pollster::block_on(chunked.safetensors()).unwrap();
        let saved = read_weights("model.safetensors", &saved).unwrap();
        let original = fixture_weights(&files);
        let table = |map: &clozelab_core::weights::TensorMap| {
            map.tensors
                .iter()
                .find(|(key, _)| key.contains("word_embeddings") || key.contains("tok_embeddings"))
                .map(|(key, tensor)| (key.clone(), tensor.shape.clone(), tensor.values.clone()))
                .unwrap()
        };
        assert_eq!(
            table(&saved),
            table(&original),
            "{name}: the table saved whole"
        );
    }
}
