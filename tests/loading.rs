//! Loading checkpoints: every form loads the same numbers, and every broken file is refused with
//! a message that names the problem — never a panic, never silently random weights.

mod common;

use clozelab_core::backend::{BackendKind, cpu_device};
use clozelab_core::weights::{read_weights, safetensors};
use clozelab_core::{ClozeError, LoadedModel, ModelFiles};
use common::{fixture_weights, fixtures, model_files};

fn load_err(files: &ModelFiles) -> ClozeError {
    match LoadedModel::load(files, cpu_device(), BackendKind::Cpu) {
        Ok(_) => panic!("{} should not load", files.origin),
        Err(error) => error,
    }
}

fn with_file(base: &str, name: &str, bytes: Vec<u8>) -> ModelFiles {
    let mut files = model_files(base);
    files.insert(name, bytes);
    files
}

/// The error for fixture `base` with its weights replaced by `map`.
fn refusal_with_weights(base: &str, map: &clozelab_core::weights::TensorMap) -> ClozeError {
    load_err(&with_file(
        base,
        "model.safetensors",
        safetensors::write(map),
    ))
}

/// bert-gelu's weights as a tensor map we can edit and write back.
fn gelu_tensors() -> clozelab_core::weights::TensorMap {
    let files = model_files("bert-gelu");
    fixture_weights(&files)
}

#[test]
fn safetensors_f32_f16_bf16_and_torch_bin_hold_the_same_tensor_names() {
    let reference = gelu_tensors();
    let bin = model_files("bert-gelu-bin");
    let torch = read_weights("pytorch_model.bin", bin.get("pytorch_model.bin").unwrap()).unwrap();
    for (name, tensor) in &reference.tensors {
        let other = torch
            .tensors
            .get(name)
            .unwrap_or_else(|| panic!("pytorch_model.bin lacks {name}"));
        assert_eq!(other.shape, tensor.shape, "{name}");
        assert_eq!(
            other.values, tensor.values,
            "{name}: the .bin holds the same f32 values"
        );
    }
    for form in ["bert-gelu-f16", "bert-gelu-bf16"] {
        let files = model_files(form);
        let half = fixture_weights(&files);
        let tensor = &half.tensors["bert.embeddings.word_embeddings.weight"];
        let original = &reference.tensors["bert.embeddings.word_embeddings.weight"];
        let diff = common::max_abs_diff(&tensor.values, &original.values);
        assert!(
            diff > 0.0 && diff < 0.05,
            "{form}: rounded, not garbage (max diff {diff})"
        );
    }
}

#[test]
fn written_safetensors_read_back_identically() {
    let map = gelu_tensors();
    let bytes = safetensors::write(&map);
    let back = read_weights("model.safetensors", &bytes).unwrap();
    assert_eq!(back.tensors, map.tensors);
}

#[test]
fn truncated_safetensors_is_refused_as_cut_short() {
    let bytes = model_files("bert-gelu")
        .get("model.safetensors")
        .unwrap()
        .to_vec();
    for cut in [bytes.len() / 2, 7, bytes.len() - 1] {
        let error = load_err(&with_file(
            "bert-gelu",
            "model.safetensors",
            bytes[..cut].to_vec(),
        ));
        let message = error.to_string();
        assert!(matches!(error, ClozeError::Weights { .. }), "{message}");
        assert!(
            message.contains("model.safetensors")
                && (message.contains("cut short") || message.contains("shorter")),
            "cut at {cut}: {message}"
        );
    }
}

#[test]
fn a_header_that_lies_about_sizes_is_refused() {
    let bytes = model_files("bert-gelu")
        .get("model.safetensors")
        .unwrap()
        .to_vec();
    let header_len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header = std::str::from_utf8(&bytes[8..8 + header_len]).unwrap();
    // Claim a bigger shape for one tensor while keeping its byte range.
    let lying = header.replacen("\"shape\":[", "\"shape\":[3,", 1);
    let mut forged = (lying.len() as u64).to_le_bytes().to_vec();
    forged.extend_from_slice(lying.as_bytes());
    forged.extend_from_slice(&bytes[8 + header_len..]);
    let message = load_err(&with_file("bert-gelu", "model.safetensors", forged)).to_string();
    assert!(
        message.contains("model.safetensors") && message.contains("does not match its shape"),
        "{message}"
    );

    // A header length larger than the file.
    let mut huge = bytes.clone();
    huge[..8].copy_from_slice(&(bytes.len() as u64 * 2).to_le_bytes());
    let message = load_err(&with_file("bert-gelu", "model.safetensors", huge)).to_string();
    assert!(message.contains("header length"), "{message}");
}

#[test]
fn a_missing_tensor_is_named() {
    let mut map = gelu_tensors();
    map.tensors
        .remove("bert.encoder.layer.1.attention.output.LayerNorm.bias")
        .unwrap();
    map.tensors
        .remove("bert.embeddings.position_embeddings.weight")
        .unwrap();
    let error = refusal_with_weights("bert-gelu", &map);
    let ClozeError::Checkpoint(problems) = &error else {
        panic!("{error}")
    };
    assert_eq!(problems.len(), 2, "{error}");
    let message = error.to_string();
    assert!(
        message.contains("missing tensor bert.encoder.layer.1.attention.output.LayerNorm.bias"),
        "{message}"
    );
    assert!(
        message.contains("missing tensor bert.embeddings.position_embeddings.weight"),
        "{message}"
    );
}

#[test]
fn a_wrongly_shaped_tensor_is_named_with_both_shapes() {
    let mut map = gelu_tensors();
    let tensor = map
        .tensors
        .get_mut("bert.encoder.layer.0.intermediate.dense.weight")
        .unwrap();
    let [rows, cols] = [tensor.shape[0], tensor.shape[1]];
    tensor.shape = vec![rows / 2, cols * 2];
    let message = refusal_with_weights("bert-gelu", &map).to_string();
    assert!(
        message.contains("bert.encoder.layer.0.intermediate.dense.weight"),
        "{message}"
    );
    assert!(
        message.contains(&format!("{:?}", [rows / 2, cols * 2]))
            && message.contains(&format!("{:?}", [rows, cols])),
        "{message}"
    );
}

#[test]
fn an_unexpected_tensor_is_named_but_a_pooler_is_tolerated() {
    let mut map = gelu_tensors();
    let some = map.tensors["bert.embeddings.LayerNorm.bias"].clone();
    map.tensors
        .insert("bert.pooler.dense.bias".into(), some.clone());
    map.tensors
        .insert("bert.encoder.layer.9.output.dense.bias".into(), some);
    let message = refusal_with_weights("bert-gelu", &map).to_string();
    assert!(
        message.contains("unexpected tensor bert.encoder.layer.9.output.dense.bias"),
        "{message}"
    );
    assert!(!message.contains("pooler"), "{message}");
}

#[test]
fn an_untied_checkpoint_without_its_decoder_is_refused() {
    let files = model_files("bert-untied");
    let mut map = fixture_weights(&files);
    map.tensors
        .remove("cls.predictions.decoder.weight")
        .expect("the untied fixture stores its decoder");
    let message = refusal_with_weights("bert-untied", &map).to_string();
    assert!(
        message.contains("missing tensor cls.predictions.decoder.weight"),
        "{message}"
    );
}

#[test]
fn a_pickle_calling_os_system_is_refused_without_running_it() {
    let marker = std::env::temp_dir().join("clozelab-pwned");
    let _ = std::fs::remove_file(&marker);
    let files = ModelFiles::from_dir(&fixtures().join("bad/evil_pickle")).unwrap();
    let bytes = files.get("pytorch_model.bin").unwrap();
    let error = read_weights("pytorch_model.bin", bytes).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("pytorch_model.bin")
            && message.contains("system")
            && message.contains("not loaded"),
        "{message}"
    );
    assert!(!marker.exists());
}

#[test]
fn a_truncated_torch_checkpoint_is_refused() {
    let bytes = model_files("bert-gelu-bin")
        .get("pytorch_model.bin")
        .unwrap()
        .to_vec();
    let message = read_weights("pytorch_model.bin", &bytes[..bytes.len() / 2])
        .unwrap_err()
        .to_string();
    assert!(message.contains("pytorch_model.bin"), "{message}");
}

#[test]
fn missing_tokenizer_files_are_named() {
    let mut files = ModelFiles::new("a folder without a tokenizer");
    let source = model_files("bert-gelu");
    for name in ["config.json", "model.safetensors"] {
        files.insert(name, source.get(name).unwrap().to_vec());
    }
    let message = load_err(&files).to_string();
    assert!(
        message.contains("tokenizer.json") && message.contains("vocab.txt"),
        "{message}"
    );
}

#[test]
fn missing_weights_and_config_are_named() {
    let mut files = model_files("bert-gelu");
    let mut no_weights = ModelFiles::new("x");
    for name in ["config.json", "tokenizer.json"] {
        no_weights.insert(name, files.get(name).unwrap().to_vec());
    }
    let message = load_err(&no_weights).to_string();
    assert!(
        message.contains("model.safetensors or pytorch_model.bin"),
        "{message}"
    );

    files.insert("config.json", b"{\"hidden_size\": 32".to_vec());
    let message = load_err(&files).to_string();
    assert!(
        message.contains("config.json") && message.contains("not valid JSON"),
        "{message}"
    );
}

#[test]
fn a_config_that_disagrees_with_the_weights_reports_shapes() {
    let files = model_files("bert-gelu");
    let config = files.get("config.json").unwrap();
    let mut value: serde_json::Value = serde_json::from_slice(config).unwrap();
    value["intermediate_size"] = serde_json::json!(40);
    let error = load_err(&with_file(
        "bert-gelu",
        "config.json",
        serde_json::to_vec(&value).unwrap(),
    ));
    let ClozeError::Checkpoint(problems) = &error else {
        panic!("{error}")
    };
    // Two layers, each with an intermediate and an output dense weight and bias affected.
    assert!(problems.len() >= 4, "{error}");
    assert!(
        problems
            .iter()
            .all(|p| p.contains("intermediate") || p.contains("output.dense")),
        "{error}"
    );
}

#[test]
fn saved_weights_reload_to_the_same_predictions() {
    let model = common::load("bert-gelu", BackendKind::Cpu);
    let bytes = pollster::block_on(model.safetensors()).unwrap();
    let original = gelu_tensors();
    let saved = read_weights("model.safetensors", &bytes).unwrap();
    assert_eq!(
        saved.tensors.keys().collect::<Vec<_>>(),
        original.tensors.keys().collect::<Vec<_>>(),
        "same names as transformers writes"
    );
    for (name, tensor) in &original.tensors {
        assert_eq!(saved.tensors[name], *tensor, "{name} round-trips exactly");
    }
}

/// bert-gelu's folder with config.json edited by `edit`.
fn with_config(edit: impl FnOnce(&mut serde_json::Value)) -> ModelFiles {
    let files = model_files("bert-gelu");
    let mut config: serde_json::Value =
        serde_json::from_slice(files.get("config.json").unwrap()).unwrap();
    edit(&mut config);
    with_file(
        "bert-gelu",
        "config.json",
        serde_json::to_vec(&config).unwrap(),
    )
}

#[test]
fn an_absurd_depth_is_refused_with_both_numbers_before_anything_is_built() {
    for layers in [10_000u64, 1_000_000] {
        let error = load_err(&with_config(|c| c["num_hidden_layers"] = layers.into()));
        let message = error.to_string();
        assert!(matches!(error, ClozeError::Config(_)), "{message}");
        assert!(
            message.contains(&format!("num_hidden_layers asks for {layers} layers, but model.safetensors holds the weights of 2")),
            "{message}"
        );
        assert!(
            message.len() < 300,
            "one sentence, not a list of every missing tensor: {message}"
        );
    }
}

#[test]
fn a_width_no_tensor_has_is_refused_before_anything_is_built() {
    let error = load_err(&with_config(|c| c["hidden_size"] = 1_000_000.into()));
    let message = error.to_string();
    assert!(
        message.contains("hidden_size is 1000000, but no tensor in model.safetensors is that wide"),
        "{message}"
    );
}

#[test]
fn a_long_list_of_problems_is_cut_with_a_count() {
    let mut map = gelu_tensors();
    let extra = map.tensors["bert.embeddings.LayerNorm.bias"].clone();
    for i in 0..50 {
        map.tensors.insert(format!("junk.{i:02}"), extra.clone());
    }
    let error = refusal_with_weights("bert-gelu", &map);
    let ClozeError::Checkpoint(problems) = &error else {
        panic!("{error}")
    };
    assert_eq!(problems.len(), 50);
    let message = error.to_string();
    assert!(message.contains("(50 problems)"), "{message}");
    assert_eq!(
        message.matches("unexpected tensor").count(),
        clozelab_core::MAX_PROBLEMS_SHOWN,
        "{message}"
    );
    assert!(message.ends_with("; … and 30 more"), "{message}");
}

#[test]
fn nan_or_infinite_weights_are_named_at_load() {
    let mut map = gelu_tensors();
    let name = "bert.encoder.layer.0.attention.self.query.weight";
    let tensor = map.tensors.get_mut(name).unwrap();
    tensor.values[3] = f32::NAN;
    tensor.values[7] = f32::INFINITY;
    let message = refusal_with_weights("bert-gelu", &map).to_string();
    assert!(
        message.contains(&format!(
            "the model's weights contain NaN or infinite values in {name} (2 of them)"
        )),
        "{message}"
    );
}

#[test]
fn an_unknown_dtype_is_named_with_its_tensor_not_reported_as_bad_json() {
    let header = br#"{"bert.embeddings.word_embeddings.weight":{"dtype":"F7","shape":[1],"data_offsets":[0,4]}}"#;
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header);
    bytes.extend_from_slice(&[0; 4]);
    let message = load_err(&with_file("bert-gelu", "model.safetensors", bytes)).to_string();
    assert!(
        message.contains(r#"tensor bert.embeddings.word_embeddings.weight has dtype "F7", which is not a safetensors dtype"#),
        "{message}"
    );
    let mut broken = 9u64.to_le_bytes().to_vec();
    broken.extend_from_slice(b"{not json");
    let message = load_err(&with_file("bert-gelu", "model.safetensors", broken)).to_string();
    assert!(
        message.contains("the header is not valid JSON"),
        "{message}"
    );
}

#[test]
fn a_field_of_the_wrong_type_is_named() {
    let message = load_err(&with_config(|c| c["hidden_size"] = "32".into())).to_string();
    assert!(
        message.contains(r#"hidden_size has the wrong type: it is "32""#),
        "{message}"
    );
    let message = load_err(&with_config(|c| {
        c["layer_norm_eps"] = serde_json::json!([1])
    }))
    .to_string();
    assert!(
        message.contains("layer_norm_eps has the wrong type"),
        "{message}"
    );
}

#[test]
fn a_checkpoint_larger_than_the_memory_at_hand_is_refused_with_both_numbers() {
    use clozelab_core::cloze_model::fits_memory;
    use clozelab_core::memory::{load_bytes, network_bytes};
    use clozelab_core::weights::quantize::WeightDtype::{Fp32, Q8};
    let map = gelu_tensors();
    let file_bytes = model_files("bert-gelu")
        .get("model.safetensors")
        .unwrap()
        .len() as u64;
    let values: u64 = map.tensors.values().map(|t| t.values.len() as u64).sum();
    let needed = load_bytes(values, file_bytes, network_bytes(values, 0, false));
    assert!(fits_memory(&map, file_bytes, (needed, "this tab"), Fp32).is_ok());
    // One byte short for f32: 8-bit weights would fit, and the message says so.
    let message = fits_memory(&map, file_bytes, (needed - 1, "this tab"), Fp32)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("model.safetensors: this model needs about"),
        "{message}"
    );
    assert!(
        message.contains("GB this tab can hold: load it with 8-bit weights (dtype q8"),
        "{message}"
    );
    assert!(fits_memory(&map, file_bytes, (needed - 1, "this tab"), Q8).is_ok());
    // Short even for 8-bit weights: only a smaller model will do.
    let message = fits_memory(&map, file_bytes, (file_bytes, "this tab"), Fp32)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("GB this tab can hold: pick a smaller model"),
        "{message}"
    );
}

#[test]
fn a_config_too_large_for_the_tab_is_refused_before_its_weights_with_the_q8_alternative_when_it_fits()
 {
    use clozelab_core::cloze_model::config_fits_memory;
    use clozelab_core::config::BertConfig;
    use clozelab_core::weights::quantize::WeightDtype::{Fp32, Q8};
    let config = |vocab: usize, hidden: usize, layers: usize| {
        let json = serde_json::json!({
            "model_type": "bert", "vocab_size": vocab, "hidden_size": hidden,
            "num_hidden_layers": layers, "num_attention_heads": hidden / 64,
            "intermediate_size": 4 * hidden, "max_position_embeddings": 514, "type_vocab_size": 1,
        });
        BertConfig::from_json(&json.to_string()).unwrap()
    };
    let tab = 4u64 << 30;
    // XLM-R large's shape: 560 million weights; the file and its f32 copy alone overflow 4 GiB,
    // so 8-bit weights would not save it either.
    let xlmr_large = config(250_002, 1024, 24);
    let message = config_fits_memory(&xlmr_large, (tab, "this tab"), Fp32)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with(
            "config.json: this model needs about 6.7 GB to load as fp32 (560 million weights)"
        ),
        "{message}"
    );
    assert!(
        message.ends_with("more than the 4.3 GB this tab can hold: pick a smaller model"),
        "{message}"
    );
    // bert-base's shape in 1.2 GB: too large as f32, and 8-bit weights would fit.
    let bert_base = config(30_522, 768, 12);
    let message = config_fits_memory(&bert_base, (1_200_000_000, "this tab"), Fp32)
        .unwrap_err()
        .to_string();
    assert!(message.contains("(109 million weights)"), "{message}");
    assert!(message.contains("load it with 8-bit weights (dtype q8, on the CPU: about 1.1 GB), or pick a smaller model"), "{message}");
    assert!(config_fits_memory(&bert_base, (1_200_000_000, "this tab"), Q8).is_ok());
    assert!(config_fits_memory(&bert_base, (tab, "this tab"), Fp32).is_ok());
}
