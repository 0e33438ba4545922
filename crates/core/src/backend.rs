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

/// Which matrix-product kernels a GPU runs. A software adapter (SwiftShader, lavapipe, WARP) gets
/// `kernels/blocked_matmul.rs`'s, written for a CPU pretending to be a GPU; a hardware adapter gets
/// burn's own. Forcing one or the other puts the path a real GPU takes under test on a machine
/// that has only a software adapter (and lets a bench compare both on one adapter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GpuKernels {
    /// Chosen by the adapter: software kernels on a software adapter, burn's on hardware.
    #[default]
    Auto,
    /// burn's general kernels, as a hardware adapter gets them.
    Hardware,
    /// The blocked kernels, as a software adapter gets them (the browser build only).
    Software,
}

impl GpuKernels {
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "auto" => Ok(GpuKernels::Auto),
            "hardware" => Ok(GpuKernels::Hardware),
            "software" => Ok(GpuKernels::Software),
            other => Err(ClozeError::Input(format!(
                "gpuKernels must be \"auto\", \"hardware\" or \"software\", not \"{other}\""
            ))),
        }
    }
}

static GPU_KERNELS: std::sync::Mutex<GpuKernels> = std::sync::Mutex::new(GpuKernels::Auto);

/// Sets the kernels every GPU pass runs from now on (the device is one per process, and so is
/// this choice).
pub fn set_gpu_kernels(kernels: GpuKernels) {
    *GPU_KERNELS.lock().unwrap_or_else(|e| e.into_inner()) = kernels;
}

/// Whether GPU passes run the software adapter's kernels: the choice set, or, left to the
/// adapter, whether it is a software one.
pub fn software_kernels() -> bool {
    match *GPU_KERNELS.lock().unwrap_or_else(|e| e.into_inner()) {
        GpuKernels::Auto => software_gpu(),
        GpuKernels::Hardware => false,
        GpuKernels::Software => true,
    }
}

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
