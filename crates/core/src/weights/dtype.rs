//! Element types found in checkpoints and their conversion to f32.

use crate::error::{ClozeError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredDtype {
    F32,
    F16,
    Bf16,
    F64,
    I64,
    I32,
    I16,
    I8,
    U8,
    Bool,
}

impl StoredDtype {
    pub fn size(self) -> usize {
        match self {
            StoredDtype::F64 | StoredDtype::I64 => 8,
            StoredDtype::F32 | StoredDtype::I32 => 4,
            StoredDtype::F16 | StoredDtype::Bf16 | StoredDtype::I16 => 2,
            StoredDtype::I8 | StoredDtype::U8 | StoredDtype::Bool => 1,
        }
    }

    /// Converts the little-endian element at `bytes[..self.size()]` to f32.
    pub fn read_f32(self, bytes: &[u8]) -> f32 {
        match self {
            StoredDtype::F32 => f32::from_le_bytes(bytes[..4].try_into().unwrap()),
            StoredDtype::F16 => half::f16::from_le_bytes(bytes[..2].try_into().unwrap()).to_f32(),
            StoredDtype::Bf16 => half::bf16::from_le_bytes(bytes[..2].try_into().unwrap()).to_f32(),
            StoredDtype::F64 => f64::from_le_bytes(bytes[..8].try_into().unwrap()) as f32,
            StoredDtype::I64 => i64::from_le_bytes(bytes[..8].try_into().unwrap()) as f32,
            StoredDtype::I32 => i32::from_le_bytes(bytes[..4].try_into().unwrap()) as f32,
            StoredDtype::I16 => i16::from_le_bytes(bytes[..2].try_into().unwrap()) as f32,
            StoredDtype::I8 => bytes[0] as i8 as f32,
            StoredDtype::U8 | StoredDtype::Bool => bytes[0] as f32,
        }
    }

    /// Converts a whole contiguous buffer; the caller has checked its length.
    pub fn to_f32_vec(self, bytes: &[u8]) -> Vec<f32> {
        match self {
            StoredDtype::F32 => bytes
                .chunks_exact(4)
                .map(|chunk| f32::from_le_bytes(chunk.try_into().unwrap()))
                .collect(),
            _ => bytes
                .chunks_exact(self.size())
                .map(|chunk| self.read_f32(chunk))
                .collect(),
        }
    }

    /// The PyTorch storage class of this type (`torch.FloatStorage`, ...).
    pub fn from_torch_storage(name: &str) -> Option<Self> {
        Some(match name {
            "FloatStorage" => StoredDtype::F32,
            "HalfStorage" => StoredDtype::F16,
            "BFloat16Storage" => StoredDtype::Bf16,
            "DoubleStorage" => StoredDtype::F64,
            "LongStorage" => StoredDtype::I64,
            "IntStorage" => StoredDtype::I32,
            "ShortStorage" => StoredDtype::I16,
            "CharStorage" => StoredDtype::I8,
            "ByteStorage" => StoredDtype::U8,
            "BoolStorage" => StoredDtype::Bool,
            _ => return None,
        })
    }
}

/// The number of elements of a shape, refusing shapes whose product overflows.
pub fn element_count(file: &str, name: &str, shape: &[usize]) -> Result<usize> {
    shape
        .iter()
        .try_fold(1usize, |acc, &dim| acc.checked_mul(dim))
        .ok_or_else(|| {
            ClozeError::weights(
                file,
                format!("tensor {name} has an impossible shape {shape:?}"),
            )
        })
}
