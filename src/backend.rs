//! Which device runs the model: burn's `flex` CPU backend, or wgpu (Vulkan/Metal/DX natively,
//! WebGPU in the browser). The wgpu runtime can be initialised once per process, so its device
//! is made once and shared.

use std::sync::Mutex;

use burn::tensor::Device;
use serde::Serialize;

use crate::error::{ClozeError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    Cpu,
    Wgpu,
}

impl BackendKind {
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Cpu => "cpu",
            BackendKind::Wgpu => "wgpu",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "cpu" => Ok(BackendKind::Cpu),
            "wgpu" | "gpu" | "webgpu" => Ok(BackendKind::Wgpu),
            other => Err(ClozeError::Input(format!("unknown backend \"{other}\": use cpu or wgpu"))),
        }
    }
}

pub fn cpu_device() -> Device {
    Device::flex()
}

static WGPU_DEVICE: Mutex<Option<Device>> = Mutex::new(None);

/// The wgpu device, initialised asynchronously on first use (the only way in a browser).
pub async fn wgpu_device() -> Result<Device> {
    if let Some(device) = WGPU_DEVICE.lock().unwrap_or_else(|e| e.into_inner()).clone() {
        return Ok(device);
    }
    let device = Device::wgpu_options()
        .init_async()
        .await
        .map_err(|e| ClozeError::Backend(format!("no usable GPU adapter for wgpu ({e})")))?;
    *WGPU_DEVICE.lock().unwrap_or_else(|e| e.into_inner()) = Some(device.clone());
    Ok(device)
}

/// The device for a backend.
pub async fn device_for(kind: BackendKind) -> Result<Device> {
    match kind {
        BackendKind::Cpu => Ok(cpu_device()),
        BackendKind::Wgpu => wgpu_device().await,
    }
}
