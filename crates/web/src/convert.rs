//! Reading the plain option objects JS passes (`{ backend, onProgress, signal, topK, ... }`).

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{ClozeError, Result};

/// One field of an optional options object (`undefined` when absent).
pub fn field(options: &JsValue, name: &str) -> JsValue {
    if options.is_object() {
        Reflect::get(options, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

pub fn string(options: &JsValue, name: &str) -> Result<Option<String>> {
    let value = field(options, name);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| ClozeError::Input(format!("option {name} must be a string")))
}

pub fn number(options: &JsValue, name: &str) -> Result<Option<f64>> {
    let value = field(options, name);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_f64()
        .ok_or_else(|| ClozeError::Input(format!("option {name} must be a number")))
        .map(Some)
}

/// A fresh plain object with the given fields copied (for handing options on to JS helpers).
pub fn pick(options: &JsValue, names: &[&str]) -> Object {
    let picked = Object::new();
    for name in names {
        let value = field(options, name);
        if !value.is_undefined() {
            let _ = Reflect::set(&picked, &JsValue::from_str(name), &value);
        }
    }
    picked
}

/// The message of a thrown JS value (an `Error`, a string, or anything else).
pub fn message(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}
