//! `model.safetensors`: an 8-byte header length, a JSON header, then raw little-endian data.
//! Parsing and bounds checks are the `safetensors` crate's; here we convert to f32 and turn its
//! errors into sentences.

use ::safetensors::{Dtype, SafeTensorError, SafeTensors};

use super::dtype::StoredDtype;
use super::{RawTensor, TensorMap};
use crate::error::{ClozeError, Result};

pub fn read(file: &str, bytes: &[u8]) -> Result<TensorMap> {
    let parsed = SafeTensors::deserialize(bytes).map_err(|e| explain(file, bytes, e))?;
    let mut map = TensorMap {
        file: file.to_string(),
        ..TensorMap::default()
    };
    for (name, view) in parsed.iter() {
        let dtype = stored_dtype(view.dtype()).ok_or_else(|| {
            ClozeError::weights(
                file,
                format!(
                    "tensor {name} has dtype {:?}, which is not supported (use f32, f16 or bf16)",
                    view.dtype()
                ),
            )
        })?;
        let tensor = RawTensor {
            shape: view.shape().to_vec(),
            values: dtype.to_f32_vec(view.data()),
        };
        map.tensors.insert(name.to_string(), tensor);
    }
    Ok(map)
}

fn stored_dtype(dtype: Dtype) -> Option<StoredDtype> {
    Some(match dtype {
        Dtype::F32 => StoredDtype::F32,
        Dtype::F16 => StoredDtype::F16,
        Dtype::BF16 => StoredDtype::Bf16,
        Dtype::F64 => StoredDtype::F64,
        Dtype::I64 => StoredDtype::I64,
        Dtype::I32 => StoredDtype::I32,
        Dtype::I16 => StoredDtype::I16,
        Dtype::I8 => StoredDtype::I8,
        Dtype::U8 => StoredDtype::U8,
        Dtype::BOOL => StoredDtype::Bool,
        _ => return None,
    })
}

fn explain(file: &str, bytes: &[u8], error: SafeTensorError) -> ClozeError {
    let len = bytes.len();
    let detail = match error {
        SafeTensorError::HeaderTooSmall
        | SafeTensorError::HeaderTooLarge
        | SafeTensorError::InvalidHeaderLength => {
            format!(
                "not a safetensors file, or cut short: the header length it starts with does not fit the {len} bytes of the file"
            )
        }
        SafeTensorError::MetadataIncompleteBuffer => {
            format!(
                "the file is shorter than its header says ({len} bytes): the download or copy was cut short"
            )
        }
        SafeTensorError::InvalidOffset(name) => {
            format!(
                "the header gives tensor {name} a byte range that is out of order or outside the file"
            )
        }
        SafeTensorError::TensorInvalidInfo | SafeTensorError::ValidationOverflow => {
            "the header gives a tensor a byte size that does not match its shape and dtype"
                .to_string()
        }
        SafeTensorError::InvalidHeader(_)
        | SafeTensorError::InvalidHeaderDeserialization(_)
        | SafeTensorError::JsonError(_) => header_problem(bytes),
        other => format!("not a valid safetensors file ({other:?})"),
    };
    ClozeError::weights(file, detail)
}

/// What is wrong with a header the `safetensors` crate would not read, in words: not JSON at all,
/// or an entry whose dtype or shape is not one the format knows (with the tensor's name).
fn header_problem(bytes: &[u8]) -> String {
    let header = bytes
        .get(..8)
        .map(|len| u64::from_le_bytes(len.try_into().expect("8 bytes")) as usize)
        .and_then(|len| bytes.get(8..8usize.saturating_add(len)));
    let Some(header) = header else {
        return "the header is cut short".into();
    };
    let json: serde_json::Value = match serde_json::from_slice(header) {
        Ok(json) => json,
        Err(e) => return format!("the header is not valid JSON ({e})"),
    };
    let Some(entries) = json.as_object() else {
        return "the header is JSON but not an object of tensors".into();
    };
    for (name, entry) in entries.iter().filter(|(name, _)| *name != "__metadata__") {
        match entry.get("dtype").and_then(|d| d.as_str()) {
            Some(dtype) if serde_json::from_value::<Dtype>(dtype.into()).is_err() => {
                return format!(
                    "tensor {name} has dtype {dtype:?}, which is not a safetensors dtype (clozelab reads F32, F16 and BF16 weights)"
                );
            }
            None => return format!("tensor {name} has no dtype in the header"),
            _ => {}
        }
        let shape_ok = entry
            .get("shape")
            .and_then(|s| s.as_array())
            .is_some_and(|dims| dims.iter().all(|d| d.as_u64().is_some()));
        let offsets_ok = entry
            .get("data_offsets")
            .and_then(|o| o.as_array())
            .is_some_and(|o| o.len() == 2 && o.iter().all(|d| d.as_u64().is_some()));
        if !shape_ok || !offsets_ok {
            return format!(
                "tensor {name} has a {} in the header that is not a list of whole numbers",
                if shape_ok { "data_offsets" } else { "shape" }
            );
        }
    }
    "the header is not valid safetensors JSON".into()
}

/// Writes f32 tensors as a safetensors file (names sorted, as the format recommends).
pub fn write(map: &TensorMap) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    let mut offset = 0usize;
    for (name, tensor) in &map.tensors {
        let end = offset + tensor.values.len() * 4;
        header.insert(
            name.clone(),
            serde_json::json!({"dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, end]}),
        );
        offset = end;
    }
    let mut header_bytes = serde_json::to_vec(&header).expect("a JSON object serialises");
    // Pad the header with spaces so the data starts 8-byte aligned.
    while (8 + header_bytes.len()) % 8 != 0 {
        header_bytes.push(b' ');
    }
    let mut bytes = Vec::with_capacity(8 + header_bytes.len() + offset);
    bytes.extend_from_slice(&(header_bytes.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&header_bytes);
    for tensor in map.tensors.values() {
        for value in &tensor.values {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
    }
    bytes
}
