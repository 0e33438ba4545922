//! Choosing the backend in a browser: WebGPU when the browser has a GPU adapter (a software one,
//! such as SwiftShader, does not count), else the CPU — and the reason, in words, whenever the
//! CPU runs.

use burn::tensor::Device;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

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
        // A software adapter counts as no GPU: it runs GPU code on the CPU, ≈ 9× slower than
        // the CPU backend on bert-base (docs/ARCHITECTURE.md).
        Requested::Auto => match hardware_adapter().await {
            Err(why) => Ok(cpu(why)),
            Ok(()) => match webgpu().await {
                Ok(chosen) => Ok(chosen),
                Err(error) => Ok(cpu(error.to_string())),
            },
        },
    }
}

/// Whether the browser offers a WebGPU adapter that is a GPU, and if not, why not in words.
async fn hardware_adapter() -> std::result::Result<(), String> {
    let Some(gpu) = navigator_gpu() else {
        return Err(NO_WEBGPU.into());
    };
    let request = get(&gpu, "requestAdapter")
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&gpu).ok());
    let adapter = match request {
        Some(promise) => JsFuture::from(js_sys::Promise::from(promise)).await.ok(),
        None => None,
    };
    let Some(adapter) = adapter.filter(|a| a.is_object()) else {
        return Err(NO_ADAPTER.into());
    };
    let fallback = get(&adapter, "info")
        .and_then(|info| get(&info, "isFallbackAdapter"))
        .ok()
        .filter(|v| !v.is_undefined())
        .or_else(|| get(&adapter, "isFallbackAdapter").ok());
    if fallback.and_then(|v| v.as_bool()).unwrap_or(false) {
        return Err(
            "the only WebGPU adapter is a software one, slower than the CPU here (choose WebGPU \
             to use it anyway)"
                .into(),
        );
    }
    Ok(())
}

pub fn cpu(reason: String) -> Chosen {
    Chosen {
        device: cpu_device(),
        kind: BackendKind::Cpu,
        reason: Some(reason),
    }
}

async fn webgpu() -> Result<Chosen> {
    if navigator_gpu().is_none() {
        return Err(ClozeError::Backend(NO_WEBGPU.into()));
    }
    let device = wgpu_device()
        .await
        .map_err(|_| ClozeError::Backend(NO_ADAPTER.into()))?;
    Ok(Chosen {
        device,
        kind: BackendKind::Wgpu,
        reason: None,
    })
}

const NO_WEBGPU: &str = "this browser has no WebGPU (navigator.gpu is missing)";
const NO_ADAPTER: &str = "WebGPU is present but the browser offers no GPU adapter";

/// `object[key]`.
fn get(object: &JsValue, key: &str) -> std::result::Result<JsValue, JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(key))
}

/// `navigator.gpu`, when the browser has WebGPU.
fn navigator_gpu() -> Option<js_sys::Object> {
    get(&js_sys::global(), "navigator")
        .and_then(|navigator| get(&navigator, "gpu"))
        .ok()?
        .dyn_into::<js_sys::Object>()
        .ok()
}
