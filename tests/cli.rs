//! The `clozelab` binary: exact JSON shape, the readable table, one-line errors.

mod common;

use std::process::Command;

use common::{fixtures, reference};
use serde_json::Value;

fn clozelab(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_clozelab"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn fixture(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

/// `clozelab train` on the bert-gelu fixture with `text`, `out` and further arguments.
fn train(text: &str, out: &str, extra: &[&str]) -> (i32, String, String) {
    let model = fixture("bert-gelu");
    let mut args = vec!["train", "--model", &model, "--text", text, "--out", out];
    args.extend_from_slice(extra);
    clozelab(&args)
}

#[test]
fn json_output_has_exactly_the_documented_fields_and_the_reference_numbers() {
    let reference = reference();
    let case = reference
        .cases
        .iter()
        .find(|c| c.model == "bert-gelu" && c.mask_positions.len() >= 2)
        .expect("case");
    let (code, stdout, stderr) = clozelab(&[
        "fill-mask",
        "--model",
        &fixture("bert-gelu"),
        "--top-k",
        "4",
        "--json",
        &case.text,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["modelType", "backend", "tokens", "inputIds", "masks"]
    );
    assert_eq!(json["modelType"], "bert");
    assert_eq!(json["backend"], "cpu");
    assert_eq!(json["tokens"], serde_json::json!(case.tokens));
    assert_eq!(json["inputIds"], serde_json::json!(case.input_ids));
    let masks = json["masks"].as_array().unwrap();
    assert_eq!(masks.len(), case.mask_positions.len());
    for (mask, (position, top)) in masks
        .iter()
        .zip(case.mask_positions.iter().zip(&case.top_k))
    {
        assert_eq!(mask["position"], *position);
        let predictions = mask["predictions"].as_array().unwrap();
        assert_eq!(predictions.len(), 4);
        for (ours, theirs) in predictions.iter().zip(top) {
            let fields: Vec<&str> = ours
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(fields, ["tokenId", "token", "score"]);
            assert_eq!(ours["tokenId"], theirs.token_id);
            assert!((ours["score"].as_f64().unwrap() as f32 - theirs.score).abs() <= 1e-5);
        }
    }
}

#[test]
fn attentions_flag_adds_layer_head_row_col_array() {
    let reference = reference();
    let case = &reference.cases[0];
    let (code, stdout, stderr) = clozelab(&[
        "fill-mask",
        "--model",
        &fixture(&case.model),
        "--attentions",
        "--json",
        &case.text,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let attentions = json["attentions"].as_array().expect("attentions present");
    assert_eq!(attentions.len(), case.attentions.len());
    let seq = case.tokens.len();
    let first_row: Vec<f32> = attentions[0][0][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    assert_eq!(first_row.len(), seq);
    assert!(common::max_abs_diff(&first_row, &case.attentions[0][0][0]) <= 1e-5);
}

#[test]
fn the_table_lists_ranked_predictions_with_percentages() {
    let reference = reference();
    let case = &reference.cases[0];
    let (code, stdout, _) = clozelab(&[
        "fill-mask",
        "--model",
        &fixture(&case.model),
        "--top-k",
        "3",
        &case.text,
    ]);
    assert_eq!(code, 0);
    let best = &case.top_k[0][0];
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("1."))
        .expect("a rank-1 line");
    assert!(line.contains(&best.token), "{stdout}");
    assert!(
        line.contains(&format!("{:.2}%", best.score * 100.0)),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l.trim_start().starts_with("3."))
            && !stdout.lines().any(|l| l.trim_start().starts_with("4."))
    );
}

#[test]
fn dtype_q8_answers_with_eight_bit_weights_close_to_the_f32_ones() {
    let reference = reference();
    let case = &reference.cases[0];
    let run = |dtype: &str| {
        let (code, stdout, stderr) = clozelab(&[
            "fill-mask",
            "--model",
            &fixture(&case.model),
            "--dtype",
            dtype,
            "--json",
            &case.text,
        ]);
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap()["masks"][0]["predictions"]
            .clone()
    };
    let (fp32, q8) = (run("fp32"), run("q8"));
    assert_eq!(fp32[0]["token"], q8[0]["token"], "{fp32} vs {q8}");
    let (a, b) = (
        fp32[0]["score"].as_f64().unwrap(),
        q8[0]["score"].as_f64().unwrap(),
    );
    assert!(
        a != b && (a - b).abs() < 0.05,
        "the 8-bit answer is close, not the same: {a} vs {b}"
    );
}

#[test]
fn errors_are_one_line_and_exit_non_zero() {
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "fill-mask",
                "--model",
                &fixture("bert-gelu"),
                "no mask here",
            ],
            "no [MASK]",
        ),
        (
            &["fill-mask", "--model", "/nonexistent/model", "a [MASK]"],
            "not a readable folder",
        ),
        (
            &[
                "fill-mask",
                "--model",
                &fixture("bad/evil_pickle"),
                "a [MASK]",
            ],
            "posix.system",
        ),
        (
            &[
                "fill-mask",
                "--model",
                &fixture("bert-gelu"),
                "--top-k",
                "zero",
                "a [MASK]",
            ],
            "--top-k must be a positive whole number",
        ),
        (
            &[
                "fill-mask",
                "--model",
                &fixture("bert-gelu"),
                "--dtype",
                "int4",
                "a [MASK]",
            ],
            "unknown dtype \"int4\": choose fp32 or q8",
        ),
        (
            &[
                "fill-mask",
                "--model",
                &fixture("bert-gelu"),
                "--dtype",
                "q8",
                "--backend",
                "wgpu",
                "a [MASK]",
            ],
            "8-bit weights (dtype q8) run on the CPU only",
        ),
    ];
    for (args, expected) in cases {
        let (code, stdout, stderr) = clozelab(args);
        assert_ne!(code, 0, "{args:?}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: ") && first.contains(expected),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_too_long_text_says_by_how_much() {
    let text = format!("{} [MASK]", vec!["the"; 70].join(" "));
    let (code, _, stderr) = clozelab(&["fill-mask", "--model", &fixture("bert-gelu"), &text]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("73 tokens long, 9 more than this model's limit of 64"),
        "{stderr}"
    );
}

#[test]
fn train_saves_a_folder_that_fill_mask_loads_and_that_has_learned() {
    let scratch = std::env::temp_dir().join(format!("clozelab-cli-train-{}", std::process::id()));
    let text_file = scratch.join("text.txt");
    std::fs::create_dir_all(&scratch).unwrap();
    let paragraph = "the cat sat on the mat .\n\nthe dog sat on the rug .\n\nthe cat ate the fish .\n\nthe dog ate the bone .\n\n";
    std::fs::write(&text_file, paragraph.repeat(6)).unwrap();
    let out = scratch.join("trained");
    let (code, stdout, stderr) = train(
        text_file.to_str().unwrap(),
        out.to_str().unwrap(),
        &["--steps", "60", "--lr", "3e-3", "--report-every", "20"],
    );
    assert_eq!(code, 0, "{stderr}");
    let losses: Vec<f32> = stdout
        .lines()
        .filter_map(|line| line.split("  loss ").nth(1))
        .map(|rest| rest.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(losses.len(), 3, "{stdout}");
    assert!(losses[2] < losses[0] * 0.7, "the loss fell: {losses:?}");

    // The tiny fixture model (random, large initial weights) learns word frequencies first; what
    // training on the text must show is the right word for a blank climbing the ranking.
    let rank_of_sat = |model: &str| {
        let (code, stdout, stderr) = clozelab(&[
            "fill-mask",
            "--model",
            model,
            "--json",
            "--top-k",
            "1000",
            "the cat [MASK] on the mat .",
        ]);
        assert_eq!(code, 0, "{stderr}");
        let json: Value = serde_json::from_str(&stdout).unwrap();
        let predictions = json["masks"][0]["predictions"].as_array().unwrap().clone();
        predictions
            .iter()
            .position(|p| p["token"] == "sat")
            .expect("sat is in the vocabulary")
            + 1
    };
    let (before, after) = (
        rank_of_sat(&fixture("bert-gelu")),
        rank_of_sat(out.to_str().unwrap()),
    );
    assert!(
        before > 100 && after <= 10,
        "rank of \"sat\" in \"the cat [MASK] on the mat .\": {before} → {after}"
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn train_rejects_a_bad_learning_rate_in_words() {
    let (code, _, stderr) = train("x", "y", &["--lr", "fast"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: --lr must be a positive number, not \"fast\""),
        "{stderr}"
    );
}

#[test]
fn pretrain_checks_its_options_before_any_work() {
    let (code, _, stderr) = clozelab(&["pretrain"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: --out is required"), "{stderr}");
    let (code, _, stderr) = clozelab(&["pretrain", "--out", "unused", "--dropout", "1.5"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: --dropout must be at least 0 and below 1, not \"1.5\""),
        "{stderr}"
    );
    let (code, _, stderr) = clozelab(&[
        "pretrain", "--out", "unused", "--hidden", "130", "--heads", "4",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: --hidden (130) must be a multiple of --heads (4)"),
        "{stderr}"
    );
}

#[test]
fn evaluate_scores_a_model_per_category_and_lists_its_items() {
    let (code, stdout, stderr) = clozelab(&[
        "evaluate",
        "--model",
        &fixture("bert-gelu"),
        "--items",
        "24",
        "--json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    for set in ["cloze", "syntax"] {
        let overall = &json[set]["overall"];
        assert_eq!(overall["items"], 24);
        assert!(overall["top1"].as_u64().unwrap() <= overall["top5"].as_u64().unwrap());
        let per_category: u64 = json[set]["by_category"]
            .as_object()
            .unwrap()
            .values()
            .map(|t| t["items"].as_u64().unwrap())
            .sum();
        assert_eq!(per_category, 24);
    }
    // The fixture's 400-piece vocabulary spells most answers in several pieces: said, not hidden.
    assert!(json["cloze"]["answers_not_in_vocabulary"].as_u64().unwrap() > 0);
    let (code, stdout, _) = clozelab(&["evaluate", "--model", "unused", "--items", "3", "--list"]);
    assert_eq!(code, 0);
    let listed: Value = serde_json::from_str(&stdout).unwrap();
    let items: Vec<&Value> = ["cloze", "syntax"]
        .iter()
        .flat_map(|set| listed[set].as_array().unwrap())
        .collect();
    assert_eq!(items.len(), 6);
    assert!(
        items
            .iter()
            .all(|i| i["text_with_mask"].as_str().unwrap().contains("[MASK]"))
    );
    // The hand-written set is listed whole, each item with what counts.
    let handwritten = listed["handwritten"].as_array().unwrap();
    assert!(handwritten.len() >= 400);
    assert!(
        handwritten
            .iter()
            .all(|i| !i["accept"].as_array().unwrap().is_empty())
    );
    let (code, stdout, _) =
        clozelab(&["evaluate", "--model", &fixture("bert-gelu"), "--items", "5"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("| **all** | 5 |"), "{stdout}");
    // The hand-written set's table by part, and with --misses the sentences it did not get first.
    assert!(
        stdout.contains("hand-written set") && stdout.contains("| **everyday** | "),
        "{stdout}"
    );
    let (code, stdout, _) = clozelab(&[
        "evaluate",
        "--model",
        &fixture("bert-gelu"),
        "--items",
        "1",
        "--misses",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout
            .lines()
            .any(|l| l.contains(" → ") && l.contains("(wanted ")),
        "{stdout}"
    );
}

#[test]
fn a_non_utf8_argument_is_a_usage_error_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let output = Command::new(env!("CARGO_BIN_EXE_clozelab"))
        .args(["fill-mask", "--model", &fixture("bert-gelu")])
        .arg(std::ffi::OsStr::from_bytes(b"the \xff [MASK] sat."))
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: the argument the \u{fffd} [MASK] sat. is not valid UTF-8 text"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn long_text_comes_from_a_file_or_standard_input() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("clozelab-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("text.txt");
    std::fs::write(&file, "the cat sat on the [MASK].").unwrap();
    let model = fixture("bert-gelu");
    let (code, from_file, stderr) = clozelab(&[
        "fill-mask",
        "--model",
        &model,
        "--json",
        "--text-file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (_, from_argument, _) = clozelab(&[
        "fill-mask",
        "--model",
        &model,
        "--json",
        "the cat sat on the [MASK].",
    ]);
    assert_eq!(from_file, from_argument);
    let mut child = Command::new(env!("CARGO_BIN_EXE_clozelab"))
        .args(["fill-mask", "--model", &model, "--json", "--text-file", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"the cat sat on the [MASK].")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), from_argument);
    std::fs::write(&file, b"\xff\xfe").unwrap();
    let (code, _, stderr) = clozelab(&[
        "fill-mask",
        "--model",
        &model,
        "--text-file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not UTF-8 text"), "{stderr}");
    let (code, _, stderr) = clozelab(&[
        "fill-mask",
        "--model",
        &model,
        "--text-file",
        file.to_str().unwrap(),
        "also text",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not both"), "{stderr}");
}

#[test]
fn an_absurd_depth_fails_with_a_message_and_exit_code_1() {
    let dir = std::env::temp_dir().join(format!("clozelab-deep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(fixtures().join("bert-gelu")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let config = std::fs::read_to_string(dir.join("config.json")).unwrap();
    let mut config: Value = serde_json::from_str(&config).unwrap();
    config["num_hidden_layers"] = 1_000_000.into();
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
    let (code, _, stderr) =
        clozelab(&["fill-mask", "--model", dir.to_str().unwrap(), "the [MASK]."]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("asks for 1000000 layers"), "{stderr}");
}

#[test]
fn a_training_batch_too_large_for_memory_is_refused_with_the_largest_that_fits() {
    let dir = std::env::temp_dir().join(format!("clozelab-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = dir.join("text.txt");
    std::fs::write(
        &text,
        "the cat sat on the mat .\n\nthe dog sat on the rug .\n",
    )
    .unwrap();
    let out = dir.join("out");
    let (code, _, stderr) = train(
        text.to_str().unwrap(),
        out.to_str().unwrap(),
        &[
            "--steps",
            "1",
            "--batch-size",
            "100000000",
            "--seq-len",
            "16",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("a batch of 100000000 sequences of 16 tokens needs about"),
        "{stderr}"
    );
    assert!(stderr.contains("use a batch size of at most"), "{stderr}");
    assert!(!out.exists(), "nothing was trained or written");
}

#[test]
fn score_gives_each_words_log_probability_and_their_sum_as_json_and_as_a_table() {
    let model = fixture("bert-gelu");
    let text = "the cat sat on the mat .";
    let (code, stdout, stderr) = clozelab(&["score", "--model", &model, "--json", text]);
    assert_eq!(code, 0, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("one JSON document");
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["modelType", "backend", "tokens", "words", "total"]);
    let words = json["words"].as_array().unwrap();
    let texts: Vec<&str> = words.iter().map(|w| w["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["the", "cat", "sat", "on", "the", "mat", "."]);
    let sum: f64 = words.iter().map(|w| w["logProb"].as_f64().unwrap()).sum();
    assert!((sum - json["total"].as_f64().unwrap()).abs() < 1e-4);
    assert!(words.iter().all(|w| w["logProb"].as_f64().unwrap() < 0.0));

    let (code, table, stderr) = clozelab(&["score", "--model", &model, text]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        table.starts_with("bert on cpu · 7 words · pseudo-log-likelihood -"),
        "{table}"
    );
    assert!(
        table.lines().any(|l| l.trim_start().starts_with("mat ")),
        "{table}"
    );

    let (code, _, stderr) = clozelab(&["score", "--model", &model, ""]);
    assert_eq!(code, 1);
    assert!(stderr.contains("the text is empty"), "{stderr}");
    let (code, _, stderr) = clozelab(&["score", "--model", &model]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("give the text to score"), "{stderr}");
}

#[test]
fn layers_flag_adds_every_hidden_states_guesses_to_each_mask() {
    let model = fixture("bert-gelu");
    let text = "the [MASK] sat on the mat .";
    let (code, stdout, stderr) =
        clozelab(&["fill-mask", "--model", &model, "--layers", "--json", text]);
    assert_eq!(code, 0, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let mask = &json["masks"][0];
    let layers = mask["layers"].as_array().expect("masks[0].layers");
    // The embeddings and both of the fixture's layers; the last is the answer.
    assert_eq!(layers.len(), 3);
    for (l, layer) in layers.iter().enumerate() {
        assert_eq!(layer["layer"], l);
        assert_eq!(layer["predictions"].as_array().unwrap().len(), 5);
    }
    assert_eq!(layers[2]["predictions"], mask["predictions"]);

    let (code, table, stderr) = clozelab(&["fill-mask", "--model", &model, "--layers", text]);
    assert_eq!(code, 0, "{stderr}");
    assert!(table.contains("layer by layer"), "{table}");
    assert!(
        table.contains("embeddings: ") && table.contains("   layer 2: "),
        "{table}"
    );
}
