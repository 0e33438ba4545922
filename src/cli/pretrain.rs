//! `clozelab pretrain`: the bundled model from nothing — corpus, vocabulary, masked-LM training
//! with a progress bar and a loss log (`training_log.tsv`), evaluation, model card — into a
//! Hugging Face folder.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use burn::module::Module;
use clozelab_core::backend::{BackendKind, device_for};
use clozelab_core::export::export_folder;
use clozelab_core::train::TrainingRun;
use clozelab_core::{ClozeError, LoadedModel};
use clozelab_pretrain::Recipe;
use clozelab_pretrain::card::{RunFacts, model_card};
use clozelab_pretrain::evaluate::{evaluation_sets, score_cloze};
use clozelab_pretrain::handwritten::{handwritten_items, score_handwritten};

use super::args::{Args, CliError};

pub fn run(raw: &[String]) -> Result<(), CliError> {
    let args = Args::parse(
        raw,
        &[],
        &[
            "out",
            "steps",
            "sentences",
            "batch-size",
            "lr",
            "dropout",
            "backend",
            "report-every",
            "eval-items",
            "layers",
            "hidden",
            "heads",
            "intermediate",
            "vocab-size",
        ],
    )?;
    let out = Path::new(args.required("out")?);
    let mut recipe = Recipe::bundled();
    recipe.train.steps = args.number("steps", recipe.train.steps)?;
    recipe.train.warmup_steps = recipe.train.warmup_steps.min(recipe.train.steps / 10);
    recipe.sentences = args.number("sentences", recipe.sentences)?;
    recipe.train.batch_size = args.number("batch-size", recipe.train.batch_size)?;
    recipe.train.learning_rate = args.rate("lr", recipe.train.learning_rate)?;
    recipe.dropout = args.fraction("dropout", recipe.dropout)?;
    // Another shape than the bundled model's, to compare shapes by quality per minute.
    recipe.num_hidden_layers = args.number("layers", recipe.num_hidden_layers)?;
    recipe.hidden_size = args.number("hidden", recipe.hidden_size)?;
    recipe.num_attention_heads = args.number("heads", recipe.num_attention_heads)?;
    recipe.intermediate_size = args.number("intermediate", 4 * recipe.hidden_size)?;
    recipe.vocab_size = args.number("vocab-size", recipe.vocab_size)?;
    if recipe.hidden_size % recipe.num_attention_heads != 0 {
        return Err(CliError::Usage(format!(
            "--hidden ({}) must be a multiple of --heads ({})",
            recipe.hidden_size, recipe.num_attention_heads
        )));
    }
    let report_every = args.number("report-every", 100)?.max(1);
    let eval_items = args.number("eval-items", 1_000)?;
    let backend = BackendKind::parse(args.value("backend").unwrap_or("cpu"))?;
    let started = Instant::now();

    let stage = |what: &str| {
        eprintln!("[{:>6.1}s] {what}", started.elapsed().as_secs_f64());
    };
    stage(&format!(
        "generating {} template sentences and the phrasebook's and WordNet's, training the vocabulary, packing",
        recipe.sentences
    ));
    let prepared = recipe.prepare()?;
    let corpus = &prepared.corpus;
    let sources = &prepared.sources;
    stage(&format!(
        "{} template, {} phrasebook ({} patterns), {} × {} WordNet sentences",
        sources.templates,
        sources.phrasebook,
        sources.phrasebook_patterns,
        sources.wordnet_examples,
        sources.wordnet_copies
    ));
    stage(&format!(
        "{} tokens in {} sequences; vocabulary {}; model {} layers × {} hidden",
        corpus.token_count,
        corpus.train.len(),
        prepared.config.vocab_size,
        prepared.config.num_hidden_layers,
        prepared.config.hidden_size
    ));
    let (train_sequences, train_tokens) = (corpus.train.len(), corpus.token_count);

    let device = pollster::block_on(device_for(backend))?.autodiff();
    device.seed(recipe.seed);
    let model = LoadedModel::random(
        prepared.config.clone(),
        prepared.tokenizer,
        device.clone(),
        backend,
    );
    let mut run = TrainingRun::of(&model, prepared.corpus, recipe.train);
    std::fs::create_dir_all(out).map_err(|e| ClozeError::MissingFile {
        file: out.display().to_string(),
        detail: e.to_string(),
    })?;
    let mut log = String::from(
        "step\ttokens\tseconds\tlearning_rate\tloss\theld_out_loss\theld_out_accuracy\n",
    );
    let training = Instant::now();
    let (mut final_loss, mut held_out_loss) = (f32::NAN, None);
    while !run.finished() {
        let progress = pollster::block_on(run.advance(report_every))?;
        let evaluation = pollster::block_on(run.evaluate())?;
        let seconds = training.elapsed().as_secs_f64();
        final_loss = progress.loss;
        held_out_loss = evaluation.map(|e| e.loss);
        log += &format!(
            "{}\t{}\t{seconds:.1}\t{:.3e}\t{:.4}\t{}\t{}\n",
            progress.step,
            progress.tokens,
            progress.learning_rate,
            progress.loss,
            evaluation.map_or(String::new(), |e| format!("{:.4}", e.loss)),
            evaluation.map_or(String::new(), |e| format!("{:.4}", e.accuracy)),
        );
        std::fs::write(out.join("training_log.tsv"), &log).ok();
        let done = progress.step as f64 / progress.steps as f64;
        let eta = seconds / done * (1.0 - done);
        eprintln!(
            "{} {:>5.1}%  step {:>5}/{}  loss {:.3}  held-out {}  {:.0} tokens/s  eta {:.0}m{:02.0}s",
            bar(done, 24),
            done * 100.0,
            progress.step,
            progress.steps,
            progress.loss,
            evaluation.map_or("-".into(), |e| format!(
                "{:.3} ({:.1}%)",
                e.loss,
                e.accuracy * 100.0
            )),
            progress.tokens as f64 / seconds,
            (eta / 60.0).floor(),
            eta % 60.0,
        );
        std::io::stderr().flush().ok();
    }
    let minutes = started.elapsed().as_secs_f64() / 60.0;

    stage("evaluating on the held-out cloze and syntax sets");
    let network = run.network();
    let cpu = clozelab_core::backend::cpu_device();
    let trained = LoadedModel {
        network: network.to_device(&cpu),
        device: cpu,
        backend: BackendKind::Cpu,
        ..model
    };
    let mut folder = pollster::block_on(export_folder(
        &trained.network,
        &trained.config,
        &prepared.tokenizer_files,
    ))?;
    let (cloze_set, syntax_set) = evaluation_sets(eval_items);
    let cloze = pollster::block_on(score_cloze(&trained, &cloze_set))?;
    let syntax = pollster::block_on(score_cloze(&trained, &syntax_set))?;
    let facts = RunFacts {
        parameters: trained.network.num_params(),
        weights_bytes: folder.get("model.safetensors").map_or(0, <[u8]>::len),
        vocab_size: trained.config.vocab_size,
        train_sequences,
        train_tokens,
        tokens_seen: run.tokens_seen,
        minutes,
        final_loss,
        held_out_loss,
        machine: machine(),
        sources: prepared.sources,
    };
    let handwritten_set = handwritten_items()?;
    let handwritten = pollster::block_on(score_handwritten(&trained, &handwritten_set))?;
    let card = model_card(
        &recipe,
        &trained.config,
        &facts,
        &cloze,
        &syntax,
        &handwritten,
    );
    folder.insert("README.md", card.into_bytes());
    folder.write_to_dir(out)?;
    println!(
        "held-out cloze top-1 {:.1}%, top-5 {:.1}%; syntax top-1 {:.1}%; {minutes:.1} minutes; saved to {}",
        cloze.overall.top1_rate() * 100.0,
        cloze.overall.top5_rate() * 100.0,
        syntax.overall.top1_rate() * 100.0,
        out.display()
    );
    Ok(())
}

fn bar(done: f64, width: usize) -> String {
    let filled = ((done * width as f64).round() as usize).min(width);
    format!("[{}{}]", "#".repeat(filled), ".".repeat(width - filled))
}

/// "2 CPU cores (model name)" for the card.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let name = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|n| n.trim().to_string())
        })
        .unwrap_or_else(|| "an unknown CPU".into());
    format!("{cores} CPU cores ({name})")
}
