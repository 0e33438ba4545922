//! `make bench`, quality: the bundled model on the held-out cloze set and the syntax set (1000
//! items each), per category, next to the bar (cloze top-1 ≥ 60%, top-5 ≥ 85%; syntax
//! top-1 ≥ 90%), and on the hand-written set (`crates/pretrain/eval/`) next to the second
//! edition's (top-1 ≥ 80%, top-5 ≥ 95%; everyday top-5 ≥ 85%; grammar top-1 ≥ 95%). Writes
//! bench-results/quality.json.

use std::path::Path;

use clozelab_core::backend::{BackendKind, cpu_device};
use clozelab_core::{LoadedModel, ModelFiles};
use clozelab_pretrain::evaluate::{evaluation_sets, markdown_table, score_cloze};
use clozelab_pretrain::handwritten::{handwritten_items, handwritten_table, score_handwritten};

const FOLDER: &str = "www/models/clozelab-tiny-bert";

fn verdict(value: f64, target: f64) -> &'static str {
    if value >= target { "met" } else { "MISSED" }
}

fn main() {
    let files = ModelFiles::from_dir(Path::new(FOLDER)).expect("the bundled model");
    let model = LoadedModel::load(&files, cpu_device(), BackendKind::Cpu).expect("it loads");
    let (cloze_set, syntax_set) = evaluation_sets(1_000);
    let started = std::time::Instant::now();
    let cloze = pollster::block_on(score_cloze(&model, &cloze_set)).expect("cloze set");
    let syntax = pollster::block_on(score_cloze(&model, &syntax_set)).expect("syntax set");
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "bundled model ({FOLDER}), held-out cloze set\n\n{}",
        markdown_table("category", &cloze)
    );
    println!("syntax set\n\n{}", markdown_table("set", &syntax));
    let (top1, top5, syntax1) = (
        cloze.overall.top1_rate(),
        cloze.overall.top5_rate(),
        syntax.overall.top1_rate(),
    );
    println!(
        "cloze top-1 {:.1}% (target ≥ 60%: {}), top-5 {:.1}% (target ≥ 85%: {}); syntax top-1 {:.1}% (target ≥ 90%: {}); {} sentences in {seconds:.1} s on the CPU",
        top1 * 100.0,
        verdict(top1, 0.60),
        top5 * 100.0,
        verdict(top5, 0.85),
        syntax1 * 100.0,
        verdict(syntax1, 0.90),
        cloze_set.len() + syntax_set.len(),
    );
    let items = handwritten_items().expect("the hand-written set reads");
    let handwritten =
        pollster::block_on(score_handwritten(&model, &items)).expect("hand-written set");
    println!(
        "\nhand-written set (crates/pretrain/eval/, written apart from the corpus)\n\n{}",
        handwritten_table(&handwritten)
    );
    let group = |name: &str| handwritten.by_group.get(name).copied().unwrap_or_default();
    let (all, everyday, grammar) = (handwritten.overall, group("everyday"), group("grammar"));
    println!(
        "hand-written top-1 {:.1}% (target ≥ 80%: {}), top-5 {:.1}% (target ≥ 95%: {}); everyday top-5 {:.1}% (target ≥ 85%: {}); grammar top-1 {:.1}% (target ≥ 95%: {}); {} answers not one token of its vocabulary",
        all.top1_rate() * 100.0,
        verdict(all.top1_rate(), 0.80),
        all.top5_rate() * 100.0,
        verdict(all.top5_rate(), 0.95),
        everyday.top5_rate() * 100.0,
        verdict(everyday.top5_rate(), 0.85),
        grammar.top1_rate() * 100.0,
        verdict(grammar.top1_rate(), 0.95),
        handwritten.answers_not_in_vocabulary,
    );
    std::fs::create_dir_all("bench-results").expect("bench-results/");
    let json = serde_json::json!({ "cloze": cloze, "syntax": syntax, "handwritten": handwritten });
    std::fs::write(
        "bench-results/quality.json",
        serde_json::to_string_pretty(&json).unwrap(),
    )
    .expect("bench-results/quality.json");
}
