//! `clozelab fill-mask`.

use clozelab_core::{FillMaskOptions, FillMaskResult, fill_mask};

use super::args::{Args, CliError};
use super::model_choice::ModelChoice;

pub fn run(raw: &[String]) -> Result<(), CliError> {
    let args = Args::parse(
        raw,
        &["json", "attentions", "layers"],
        &["model", "top-k", "backend", "dtype", "text-file"],
    )?;
    let chosen = ModelChoice::of(&args)?;
    let top_k = args.number("top-k", 5)?;
    let text = args.text("fill, e.g. \"The cat sat on the [MASK].\"")?;
    let model = chosen.load()?;
    let options = FillMaskOptions {
        top_k,
        attentions: args.flag("attentions"),
        layers: args.flag("layers"),
    };
    let output = pollster::block_on(fill_mask(&model, &text, options))?;

    if args.flag("json") {
        println!(
            "{}",
            serde_json::to_string(&output).expect("fill-mask output is plain data")
        );
    } else {
        print_table(&output);
    }
    Ok(())
}

fn print_table(output: &FillMaskResult) {
    println!(
        "{} on {} · {} tokens: {}",
        output.model_type,
        output.backend,
        output.tokens.len(),
        output.tokens.join(" ")
    );
    for mask in &output.masks {
        println!("\nmask at token {}:", mask.position);
        let width = mask
            .predictions
            .iter()
            .map(|p| p.token.chars().count())
            .max()
            .unwrap_or(0);
        if let Some(layers) = &mask.layers {
            println!("  layer by layer (the head applied to each hidden state):");
            for layer in layers {
                let name = match layer.layer {
                    0 => "embeddings".to_string(),
                    l => format!("layer {l}"),
                };
                let guesses: Vec<String> = layer
                    .predictions
                    .iter()
                    .take(3)
                    .map(|p| format!("{} {:.1}%", p.token, p.score * 100.0))
                    .collect();
                println!("    {name:>10}: {}", guesses.join(", "));
            }
            println!("  answer:");
        }
        for (rank, prediction) in mask.predictions.iter().enumerate() {
            let bar = "█".repeat((prediction.score * 30.0).round() as usize);
            println!(
                "  {:>2}. {:<width$}  {:>6.2}%  {bar}",
                rank + 1,
                prediction.token,
                prediction.score * 100.0
            );
        }
    }
    if let Some(attentions) = &output.attentions {
        println!(
            "\nattentions: {} layers × {} heads (use --json to see the numbers)",
            attentions.len(),
            attentions.first().map_or(0, Vec::len)
        );
    }
}
