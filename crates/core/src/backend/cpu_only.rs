//! A build without the `gpu` feature: no GPU device to make, none lost, none to describe.

use burn::tensor::Device;

use crate::error::{ClozeError, Result};

pub async fn wgpu_device() -> Result<Device> {
    Err(ClozeError::Backend(
        "this build of clozelab runs on the CPU only (built without the \"gpu\" feature)".into(),
    ))
}

pub fn gpu_description() -> Option<String> {
    None
}

pub fn gpu_buffer_limit() -> Option<u64> {
    None
}

pub fn software_gpu() -> bool {
    false
}

pub fn gpu_lost() -> bool {
    false
}

pub fn lose_gpu_for_testing() {}
