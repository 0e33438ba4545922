//! `pytorch_model.bin`: the zip format `torch.save` has written since PyTorch 1.6 —
//! `<archive>/data.pkl` (the state dict, pickled) and `<archive>/data/<key>` (one raw storage each).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::dtype::element_count;
use super::pickle::{TensorRef, Value, unpickle};
use super::{RawTensor, TensorMap};
use crate::error::{ClozeError, Result};

pub fn read(file: &str, bytes: &[u8]) -> Result<TensorMap> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        let legacy = bytes.starts_with(&[0x80, 0x02]) || bytes.starts_with(&[0x80]);
        ClozeError::weights(
            file,
            if legacy {
                "this is PyTorch's legacy (pre-1.6) format, which is not supported; re-save it with torch.save in PyTorch 1.6 or newer, or convert it to safetensors".to_string()
            } else {
                format!("not a PyTorch zip checkpoint, or cut short ({e})")
            },
        )
    })?;
    let pickle_name = (0..archive.len())
        .filter_map(|index| archive.name_for_index(index).map(str::to_string))
        .find(|name| name == "data.pkl" || name.ends_with("/data.pkl"))
        .ok_or_else(|| {
            ClozeError::weights(file, "the zip has no data.pkl: not a PyTorch checkpoint")
        })?;
    let prefix = pickle_name.trim_end_matches("data.pkl").to_string();
    if let Ok(byteorder) = read_entry(&mut archive, &format!("{prefix}byteorder"))
        && byteorder.trim_ascii() == b"big"
    {
        return Err(ClozeError::weights(
            file,
            "the checkpoint was saved big-endian, which is not supported",
        ));
    }

    let pickle =
        read_entry(&mut archive, &pickle_name).map_err(|e| ClozeError::weights(file, e))?;
    let root = unpickle(&pickle).map_err(|e| ClozeError::weights(file, e))?;
    let entries = state_dict_entries(root).ok_or_else(|| {
        ClozeError::weights(
            file,
            "the pickle does not hold a state dict (a mapping from names to tensors)",
        )
    })?;

    let mut storages: HashMap<String, Vec<u8>> = HashMap::new();
    let mut map = TensorMap {
        file: file.to_string(),
        ..TensorMap::default()
    };
    for (name, tensor) in entries {
        if !storages.contains_key(&tensor.storage_key) {
            let entry = format!("{prefix}data/{}", tensor.storage_key);
            let data =
                read_entry(&mut archive, &entry).map_err(|e| ClozeError::weights(file, e))?;
            storages.insert(tensor.storage_key.clone(), data);
        }
        let raw = materialize(file, &name, &tensor, &storages[&tensor.storage_key])?;
        map.tensors.insert(name, raw);
    }
    Ok(map)
}

fn read_entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> std::result::Result<Vec<u8>, String> {
    let mut entry = archive
        .by_name(name)
        .map_err(|e| format!("cannot open {name} in the zip ({e})"))?;
    let mut data = Vec::with_capacity(entry.size().min(1 << 32) as usize);
    entry
        .read_to_end(&mut data)
        .map_err(|e| format!("cannot read {name} in the zip ({e})"))?;
    Ok(data)
}

/// The `(name, tensor)` pairs of a state dict, also when it is nested under `state_dict`/`model`.
fn state_dict_entries(root: Value) -> Option<Vec<(String, TensorRef)>> {
    let Value::Dict(items) = root else {
        return None;
    };
    let mut tensors = Vec::new();
    let mut nested = None;
    for (key, value) in items {
        match (key, value) {
            (Value::Str(name), Value::Tensor(tensor)) => tensors.push((name, tensor)),
            (Value::Str(name), dict @ Value::Dict(_))
                if name == "state_dict" || name == "model" =>
            {
                nested = Some(dict)
            }
            _ => {}
        }
    }
    if tensors.is_empty() {
        nested.and_then(state_dict_entries)
    } else {
        Some(tensors)
    }
}

/// Copies a (possibly strided) view of a storage into a contiguous f32 tensor, bounds-checked.
fn materialize(file: &str, name: &str, tensor: &TensorRef, storage: &[u8]) -> Result<RawTensor> {
    let count = element_count(file, name, &tensor.shape)?;
    let element = tensor.dtype.size();
    let stored = storage.len() / element;
    if tensor.stride.len() != tensor.shape.len() {
        return Err(ClozeError::weights(
            file,
            format!(
                "tensor {name} has {} strides for {} dimensions",
                tensor.stride.len(),
                tensor.shape.len()
            ),
        ));
    }
    // The furthest element the view touches must lie inside the storage.
    let furthest = tensor
        .shape
        .iter()
        .zip(&tensor.stride)
        .try_fold(tensor.offset, |acc, (&dim, &stride)| {
            acc.checked_add(dim.saturating_sub(1).checked_mul(stride)?)
        });
    if count > 0 && furthest.is_none_or(|last| last >= stored) {
        return Err(ClozeError::weights(
            file,
            format!(
                "tensor {name} {:?} reaches past the end of its storage ({stored} elements): the file is damaged",
                tensor.shape
            ),
        ));
    }
    let mut values = Vec::with_capacity(count);
    if is_contiguous(&tensor.shape, &tensor.stride) {
        let start = tensor.offset * element;
        values.extend(
            tensor
                .dtype
                .to_f32_vec(&storage[start..start + count * element]),
        );
    } else {
        let mut index = vec![0usize; tensor.shape.len()];
        for _ in 0..count {
            let at = tensor.offset
                + index
                    .iter()
                    .zip(&tensor.stride)
                    .map(|(i, s)| i * s)
                    .sum::<usize>();
            values.push(tensor.dtype.read_f32(&storage[at * element..]));
            for axis in (0..index.len()).rev() {
                index[axis] += 1;
                if index[axis] < tensor.shape[axis] {
                    break;
                }
                index[axis] = 0;
            }
        }
    }
    Ok(RawTensor {
        shape: tensor.shape.clone(),
        values,
    })
}

fn is_contiguous(shape: &[usize], stride: &[usize]) -> bool {
    let mut expected = 1;
    for (&dim, &step) in shape.iter().zip(stride).rev() {
        if dim != 1 && step != expected {
            return false;
        }
        expected *= dim;
    }
    true
}
