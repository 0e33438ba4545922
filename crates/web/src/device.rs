//! Choosing the backend in a browser: WebGPU when the browser has an adapter, else the CPU —
//! and the reason, in words, whenever the CPU runs.

use burn::tensor::Device;
use wasm_bindgen::JsValue;

use clozelab_core::backend::{BackendKind, cpu_device, wgpu_device};
use clozelab_core::error::{ClozeError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    Auto,
    WebGpu,
    Cpu,
}

impl Requested {
    pub fn parse(text: Option<&str>) -> Result<Self> {
        match text.unwrap_or("auto") {
            "auto" => Ok(Requested::Auto),
            "webgpu" | "wgpu" | "gpu" => Ok(Requested::WebGpu),
            "cpu" => Ok(Requested::Cpu),
            other => Err(ClozeError::Input(format!(
                "backend must be \"auto\", \"webgpu\" or \"cpu\", not \"{other}\""
            ))),
        }
    }
}

pub struct Chosen {
    pub device: Device,
    pub kind: BackendKind,
    /// Why the CPU runs, when it does.
    pub reason: Option<String>,
}

pub async fn choose(requested: Requested) -> Result<Chosen> {
    match requested {
        Requested::Cpu => Ok(cpu("the CPU backend was asked for".into())),
        Requested::WebGpu => webgpu().await,
        Requested::Auto => match webgpu().await {
            Ok(chosen) => Ok(chosen),
            Err(error) => Ok(cpu(error.to_string())),
        },
    }
}

pub fn cpu(reason: String) -> Chosen {
    Chosen {
        device: cpu_device(),
        kind: BackendKind::Cpu,
        reason: Some(reason),
    }
}

async fn webgpu() -> Result<Chosen> {
    if !has_navigator_gpu() {
        return Err(ClozeError::Backend(
            "this browser has no WebGPU (navigator.gpu is missing)".into(),
        ));
    }
    let device = wgpu_device().await.map_err(|_| {
        ClozeError::Backend("WebGPU is present but the browser offers no GPU adapter".into())
    })?;
    Ok(Chosen {
        device,
        kind: BackendKind::Wgpu,
        reason: None,
    })
}

fn has_navigator_gpu() -> bool {
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &JsValue::from_str("navigator"))
        .and_then(|navigator| js_sys::Reflect::get(&navigator, &JsValue::from_str("gpu")))
        .is_ok_and(|gpu| !gpu.is_undefined() && !gpu.is_null())
}
