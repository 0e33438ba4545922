//! `model.safetensors`: an 8-byte header length, a JSON header, then raw little-endian data.
//! Parsing and bounds checks are the `safetensors` crate's; here we convert to f32 and turn its
//! errors into sentences.

use ::safetensors::{Dtype, SafeTensorError, SafeTensors};

use super::dtype::StoredDtype;
use super::{RawTensor, TensorMap};
use crate::error::{ClozeError, Result};

pub fn read(file: &str, bytes: &[u8]) -> Result<TensorMap> {
    let parsed = SafeTensors::deserialize(bytes).map_err(|e| explain(file, bytes.len(), e))?;
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

fn explain(file: &str, len: usize, error: SafeTensorError) -> ClozeError {
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
        | SafeTensorError::JsonError(_) => "the header is not valid safetensors JSON".to_string(),
        other => format!("not a valid safetensors file ({other:?})"),
    };
    ClozeError::weights(file, detail)
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
