//! `ClozeModel.maskSample`: BERT's corruption rolled on a text with the project's real masking
//! code (`clozelab_core::masking`), for the page's live sample and the classroom's dice.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::api::WebModel;
use crate::convert::{self, to_js, to_js_error};
use clozelab_core::error::ClozeError;
use clozelab_core::masking::{Corruption, MaskingConfig, Rng, corrupt};

#[derive(Serialize)]
struct Sample {
    /// The tokens as the tokenizer made them.
    tokens: Vec<String>,
    /// The tokens the model would see after corruption.
    corrupted: Vec<String>,
    /// Positions chosen for prediction.
    positions: Vec<usize>,
    /// What happened at each chosen position: "mask", "random" or "unchanged".
    corruptions: Vec<Corruption>,
}

#[wasm_bindgen(js_class = ClozeModel)]
impl WebModel {
    /// One roll of MLM corruption over `text`: `{ seed = 0, maskRate = 0.15 }`.
    #[wasm_bindgen(js_name = maskSample, unchecked_return_type = "{ tokens: string[]; corrupted: string[]; positions: number[]; corruptions: (\"mask\" | \"random\" | \"unchanged\")[] }")]
    pub fn mask_sample(
        &self,
        text: String,
        #[wasm_bindgen(unchecked_param_type = "{ seed?: number; maskRate?: number }")]
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let model = self.model();
        convert::only_fields(&options, &["seed", "maskRate"], "maskSample").map_err(to_js_error)?;
        let seed = convert::number(&options, "seed")
            .map_err(to_js_error)?
            .unwrap_or(0.0);
        let mask_rate = convert::number(&options, "maskRate")
            .map_err(to_js_error)?
            .unwrap_or(0.15);
        if !(mask_rate > 0.0 && mask_rate < 1.0) {
            return Err(to_js_error(ClozeError::Input(format!(
                "maskRate must be between 0 and 1, not {mask_rate}"
            ))));
        }
        let encoded = model.tokenizer.encode(&text).map_err(to_js_error)?;
        let config = MaskingConfig {
            mask_rate,
            ..MaskingConfig::default()
        };
        let masked = corrupt(
            &encoded.input_ids,
            &encoded.special,
            model.tokenizer.mask_id,
            model.config.vocab_size,
            &model.tokenizer.special_ids(),
            config,
            &mut Rng::new(seed as u64),
        );
        let sample = Sample {
            corrupted: masked
                .input_ids
                .iter()
                .map(|&id| model.tokenizer.id_to_token(id))
                .collect(),
            tokens: encoded.tokens,
            positions: masked.positions,
            corruptions: masked.corruptions,
        };
        to_js(&sample).map_err(to_js_error)
    }
}
