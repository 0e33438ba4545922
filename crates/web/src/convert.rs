//! Values across the JS boundary, in one place: option objects read into serde structs (unknown
//! fields refused with a message), results handed to JS as plain objects, errors as `Error`s with
//! the library's message. Every option and result struct is camelCase, as JS names things, and
//! derives its TypeScript declaration (tsify), so `pkg/clozelab.d.ts` is generated, not written.

use js_sys::Object;
use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use clozelab_core::error::{ClozeError, Result};

/// Reads the options object of `call` into `T`: absent (`undefined` or `null`) means every
/// default; a field `T` does not have is refused — a misspelled `topk` would otherwise be ignored
/// without a word — naming the field, the one it was probably meant to be, and every field `T`
/// takes; a field of the wrong type is refused naming the field.
pub fn options<T: DeserializeOwned + Default>(value: Option<JsValue>, call: &str) -> Result<T> {
    let Some(value) = value.filter(|value| !value.is_undefined() && !value.is_null()) else {
        return Ok(T::default());
    };
    if !value.is_object() {
        return Err(ClozeError::Input(format!(
            "the options of {call} must be an object like {{ {} }}",
            field_names::<T>().join(", ")
        )));
    }
    only_fields(&value, field_names::<T>(), call)?;
    let deserializer = serde_wasm_bindgen::Deserializer::from(value);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        // serde-wasm-bindgen's errors are JS `Error`s, whose text starts "Error: ".
        let inner = e.inner().to_string();
        let what = inner.strip_prefix("Error: ").unwrap_or(&inner);
        ClozeError::Input(format!(
            "{call} option {}: {}",
            e.path(),
            what.replace("f64", "a number")
        ))
    })
}

fn only_fields(options: &JsValue, known: &[&str], call: &str) -> Result<()> {
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

/// The field names a serde struct reads, as JS spells them (after `rename_all`), learnt by asking
/// its `Deserialize` impl to read a struct from a deserializer that only notes the names.
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Names<'a>(&'a mut &'static [&'static str]);
    impl<'de> Deserializer<'de> for Names<'_> {
        type Error = de::value::Error;
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> std::result::Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("names noted"))
        }
        fn deserialize_any<V: Visitor<'de>>(
            self,
            _visitor: V,
        ) -> std::result::Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(Names(&mut names));
    names
}

/// A JS value kept as it is inside an options struct (a callback, an `AbortSignal`); absent is
/// `undefined`.
#[derive(Clone, Default)]
pub struct Passed(pub JsValue);

impl<'de> Deserialize<'de> for Passed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        serde_wasm_bindgen::preserve::deserialize(deserializer).map(Passed)
    }
}

impl Passed {
    pub fn is_given(&self) -> bool {
        !self.0.is_undefined() && !self.0.is_null()
    }
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
