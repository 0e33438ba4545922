//! `clozelab score`: how natural a sentence is to the model, word by word.

use clozelab_core::score::{ScoreResult, score};

use super::args::{Args, CliError};
use super::model_choice::ModelChoice;

pub fn run(raw: &[String]) -> Result<(), CliError> {
    let args = Args::parse(raw, &["json"], &["model", "backend", "dtype", "text-file"])?;
    let chosen = ModelChoice::of(&args)?;
    let text = args.text("score, e.g. \"The keys to the cabinet are on the table.\"")?;
    let model = chosen.load()?;
    let output = pollster::block_on(score(&model, &text))?;
    if args.flag("json") {
        println!(
            "{}",
            serde_json::to_string(&output).expect("score output is plain data")
        );
    } else {
        print_table(&output);
    }
    Ok(())
}

/// Each word with its probability given the rest, least expected first marked by a longer bar.
fn print_table(output: &ScoreResult) {
    println!(
        "{} on {} · {} words · pseudo-log-likelihood {:.3}",
        output.model_type,
        output.backend,
        output.words.len(),
        output.total
    );
    let width = output
        .words
        .iter()
        .map(|w| w.text.chars().count())
        .max()
        .unwrap_or(0);
    for word in &output.words {
        let surprise = "█".repeat((-word.log_prob * 2.0).round().clamp(0.0, 40.0) as usize);
        println!(
            "  {:<width$}  {:>8.3}  {:>7.2}%  {surprise}",
            word.text,
            word.log_prob,
            word.log_prob.exp() * 100.0
        );
    }
}
