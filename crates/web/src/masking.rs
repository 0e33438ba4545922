//! `ClozeModel.maskSample`: BERT's corruption rolled on a text with the project's real masking
//! code (`clozelab_core::masking`), for the page's live sample and the classroom's dice.

use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use crate::api::WebModel;
use crate::convert::{self, to_js, to_js_error};
use clozelab_core::error::ClozeError;
use clozelab_core::masking::{Corruption, MaskingConfig, Rng, corrupt};

/// What `maskSample` takes.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase", default)]
struct MaskSampleOptions {
    /// The roll's seed (0 when absent): the same seed, the same roll.
    #[tsify(optional)]
    seed: f64,
    /// The share of tokens chosen (0.15 when absent).
    #[tsify(optional)]
    mask_rate: f64,
}

impl Default for MaskSampleOptions {
    fn default() -> Self {
        MaskSampleOptions {
            seed: 0.0,
            mask_rate: MaskingConfig::default().mask_rate,
        }
    }
}

/// What `maskSample` gives.
#[derive(Serialize, Tsify)]
struct MaskSample {
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
    #[wasm_bindgen(js_name = maskSample, unchecked_return_type = "MaskSample")]
    pub fn mask_sample(
        &self,
        text: String,
        #[wasm_bindgen(unchecked_optional_param_type = "MaskSampleOptions")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let model = self.model();
        let MaskSampleOptions { seed, mask_rate } =
            convert::options(options, "maskSample").map_err(to_js_error)?;
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
        let sample = MaskSample {
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
