//! `clozelab evaluate`: top-1 / top-5 of a model on the corpus's held-out cloze set and syntax
//! set, per category, and on the hand-written set (`crates/pretrain/eval/`), per part and
//! category, as markdown tables (or JSON); `--list` prints the items themselves, `--misses` the
//! hand-written sentences the model does not get first.

use clozelab_pretrain::evaluate::{evaluation_sets, markdown_table, score_cloze};
use clozelab_pretrain::handwritten::{handwritten_items, handwritten_table, score_handwritten};

use super::args::{Args, CliError};
use super::model_choice::ModelChoice;

pub fn run(raw: &[String]) -> Result<(), CliError> {
    let args = Args::parse(
        raw,
        &["json", "list", "misses"],
        &["model", "items", "backend", "dtype"],
    )?;
    let (cloze_set, syntax_set) = evaluation_sets(args.number("items", 1_000)?);
    let handwritten_set = handwritten_items()?;
    if args.flag("list") {
        let json = serde_json::json!({ "cloze": cloze_set, "syntax": syntax_set, "handwritten": handwritten_set });
        println!(
            "{}",
            serde_json::to_string_pretty(&json).expect("items serialise")
        );
        return Ok(());
    }
    let model = ModelChoice::of(&args)?.load()?;
    let cloze = pollster::block_on(score_cloze(&model, &cloze_set))?;
    let syntax = pollster::block_on(score_cloze(&model, &syntax_set))?;
    let handwritten = pollster::block_on(score_handwritten(&model, &handwritten_set))?;
    if args.flag("json") {
        let json =
            serde_json::json!({ "cloze": cloze, "syntax": syntax, "handwritten": handwritten });
        println!(
            "{}",
            serde_json::to_string_pretty(&json).expect("scores serialise")
        );
    } else {
        println!(
            "held-out cloze set\n\n{}",
            markdown_table("category", &cloze)
        );
        println!("syntax set\n\n{}", markdown_table("set", &syntax));
        println!(
            "hand-written set (crates/pretrain/eval/)\n\n{}",
            handwritten_table(&handwritten)
        );
        if args.flag("misses") {
            for miss in &handwritten.misses {
                let rank = miss
                    .rank
                    .map_or("not in the top 5".into(), |r| format!("rank {}", r + 1));
                println!(
                    "{} → {} (wanted {}; {rank})",
                    miss.sentence,
                    miss.said,
                    miss.accept.join("|")
                );
            }
        }
        if cloze.answers_not_in_vocabulary > 0 {
            println!(
                "{} cloze answers are not single tokens of this vocabulary (counted as misses)",
                cloze.answers_not_in_vocabulary
            );
        }
    }
    Ok(())
}
