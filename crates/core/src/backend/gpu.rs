//! The wgpu device. wgpu's runtime can be initialised once per process, so the device is made
//! once, asynchronously (the only way in a browser), and shared.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use burn::tensor::Device;
use burn::tensor::wgpu::{WgpuSetup, wgpu};

use crate::error::{ClozeError, Result};

struct Gpu {
    device: Device,
    setup: WgpuSetup,
}

static GPU: Mutex<Option<Gpu>> = Mutex::new(None);
static GPU_LOST: AtomicBool = AtomicBool::new(false);
static SOFTWARE_GPU: AtomicBool = AtomicBool::new(false);
#[cfg(not(target_arch = "wasm32"))]
static NATIVE_INIT: Mutex<()> = Mutex::new(());

/// The wgpu device, initialised on first use.
pub async fn wgpu_device() -> Result<Device> {
    if let Some(gpu) = GPU.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        return Ok(gpu.device.clone());
    }
    // Natively, several threads (tests, tools) may ask at once and wgpu registers its device only
    // once: the first initialises while the others wait, then they all take its device.
    #[cfg(not(target_arch = "wasm32"))]
    let _initialising = NATIVE_INIT.lock().unwrap_or_else(|e| e.into_inner());
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(gpu) = GPU.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        return Ok(gpu.device.clone());
    }
    let (device, setup) = Device::wgpu_options()
        .init_with_setup_async()
        .await
        .map_err(|e| ClozeError::Backend(format!("no usable GPU adapter for wgpu ({e})")))?;
    setup
        .device
        .set_device_lost_callback(|_, _| GPU_LOST.store(true, Ordering::SeqCst));
    let device_type = setup.adapter.get_info().device_type;
    SOFTWARE_GPU.store(device_type == wgpu::DeviceType::Cpu, Ordering::SeqCst);
    let mut slot = GPU.lock().unwrap_or_else(|e| e.into_inner());
    // Two callers may race in a browser; the first device registered wins.
    let gpu = slot.get_or_insert(Gpu { device, setup });
    Ok(gpu.device.clone())
}

/// The adapter's name and API, e.g. "llvmpipe (LLVM 15.0.6, 256 bits) on Vulkan"; `None` when
/// there is no GPU device or the adapter keeps its name to itself (as browsers usually do).
pub fn gpu_description() -> Option<String> {
    let slot = GPU.lock().unwrap_or_else(|e| e.into_inner());
    let gpu = slot.as_ref()?;
    let info = gpu.setup.adapter.get_info();
    let name = info.name.trim();
    (!name.is_empty()).then(|| format!("{name} on {:?}", gpu.setup.backend))
}

/// The largest buffer, in bytes, the GPU device can bind to a kernel (`None` without a device).
/// A weight table larger than this cannot run there: the device would reject the kernel.
pub fn gpu_buffer_limit() -> Option<u64> {
    let slot = GPU.lock().unwrap_or_else(|e| e.into_inner());
    let limits = slot.as_ref()?.setup.device.limits();
    Some(u64::from(limits.max_storage_buffer_binding_size).min(limits.max_buffer_size))
}

/// Whether the GPU is a CPU running GPU kernels in software (SwiftShader, lavapipe, WARP; a
/// browser's "fallback adapter"): `kernels/matmul.rs` gives such adapters kernels that suit a CPU.
pub fn software_gpu() -> bool {
    SOFTWARE_GPU.load(Ordering::SeqCst)
}

/// Whether the GPU device has been lost (driver reset, tab backgrounded too long, ...).
pub fn gpu_lost() -> bool {
    GPU_LOST.load(Ordering::SeqCst)
}

/// Destroys the GPU device, as a driver reset would: for testing the fall-back path.
pub fn lose_gpu_for_testing() {
    if let Some(gpu) = GPU.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        gpu.setup.device.destroy();
    }
}
