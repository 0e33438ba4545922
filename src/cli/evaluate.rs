//! `clozelab evaluate`: top-1 / top-5 of a model on the corpus's held-out cloze set and syntax
//! set, per category, as markdown tables (or JSON); `--list` prints the items themselves.

use clozelab_pretrain::evaluate::{evaluation_sets, markdown_table, score_cloze};

use super::args::{Args, CliError};
use super::model_choice::ModelChoice;

pub fn run(raw: &[String]) -> Result<(), CliError> {
    let args = Args::parse(
        raw,
        &["json", "list"],
        &["model", "items", "backend", "dtype"],
    )?;
    let (cloze_set, syntax_set) = evaluation_sets(args.number("items", 1_000)?);
    if args.flag("list") {
        let items: Vec<_> = cloze_set.iter().chain(&syntax_set).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&items).expect("items serialise")
        );
        return Ok(());
    }
    let model = ModelChoice::of(&args)?.load()?;
    let cloze = pollster::block_on(score_cloze(&model, &cloze_set))?;
    let syntax = pollster::block_on(score_cloze(&model, &syntax_set))?;
    if args.flag("json") {
        let json = serde_json::json!({ "cloze": cloze, "syntax": syntax });
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
        if cloze.answers_not_in_vocabulary > 0 {
            println!(
                "{} cloze answers are not single tokens of this vocabulary (counted as misses)",
                cloze.answers_not_in_vocabulary
            );
        }
    }
    Ok(())
}
