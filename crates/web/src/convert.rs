//! Values across the JS boundary, in one place: the plain option objects JS passes (`{ backend,
//! onProgress, signal, topK, ... }`) read field by field, results handed to JS as plain objects,
//! errors as `Error`s with the library's message.

use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use clozelab_core::error::{ClozeError, Result};

/// Refuses an options object with a field `call` does not take — a misspelled `topk` would
/// otherwise be ignored without a word — naming the field, the one it was probably meant to be,
/// and every field `call` takes.
pub fn only_fields(options: &JsValue, known: &[&str], call: &str) -> Result<()> {
    if !options.is_object() {
        return Ok(());
    }
    for key in Object::keys(options.unchecked_ref::<Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if known.contains(&key.as_str()) {
            continue;
        }
        let squash = |name: &str| name.to_lowercase().replace(['_', '-'], "");
        let hint = known
            .iter()
            .find(|name| squash(name) == squash(&key))
            .map(|name| format!(" (did you mean {name}?)"))
            .unwrap_or_default();
        return Err(ClozeError::Input(format!(
            "{call} has no option \"{key}\"{hint}; its options are {}",
            known.join(", ")
        )));
    }
    Ok(())
}

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

/// A result as a plain JS object (maps as objects, not `Map`s).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| ClozeError::Backend(format!("cannot hand the result to JS ({e})")))
}

/// A library error as a JS `Error` carrying its message.
pub fn to_js_error(error: ClozeError) -> JsValue {
    js_sys::Error::new(&error.to_string()).into()
}
