//! Which device runs the model: burn's `flex` CPU backend, or wgpu (Vulkan/Metal/DX natively,
//! WebGPU in the browser; `backend/gpu.rs`). A build without the `gpu` feature — the browser's
//! multi-threaded CPU build, whose shared memory wgpu cannot live in — has the CPU alone.

use burn::tensor::Device;
use serde::Serialize;

use crate::error::{ClozeError, Result};

#[cfg(feature = "gpu")]
mod gpu;
#[cfg(feature = "gpu")]
pub use gpu::{
    gpu_buffer_limit, gpu_description, gpu_lost, lose_gpu_for_testing, software_gpu, wgpu_device,
};

#[cfg(not(feature = "gpu"))]
mod cpu_only;
#[cfg(not(feature = "gpu"))]
pub use cpu_only::{
    gpu_buffer_limit, gpu_description, gpu_lost, lose_gpu_for_testing, software_gpu, wgpu_device,
};

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
            other => Err(ClozeError::Input(format!(
                "unknown backend \"{other}\": use cpu or wgpu"
            ))),
        }
    }
}

pub fn cpu_device() -> Device {
    keep_freed_buffers();
    Device::flex()
}

/// Natively on glibc: the CPU backend allocates and frees its tensors' buffers at every op, and
/// glibc hands any block above its mmap threshold back to the kernel when freed — so the next
/// step faults the same memory in again and the kernel zeroes it page by page (≈ 13% of a training
/// step of the bundled model). Raising the thresholds keeps those buffers in the process.
fn keep_freed_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: mallopt only changes glibc's allocation thresholds; any value is valid.
            unsafe {
                libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
                libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
                libc::mallopt(libc::M_TOP_PAD, 16 << 20);
            }
        });
    }
}

/// The device for a backend.
pub async fn device_for(kind: BackendKind) -> Result<Device> {
    match kind {
        BackendKind::Cpu => Ok(cpu_device()),
        BackendKind::Wgpu => wgpu_device().await,
    }
}
