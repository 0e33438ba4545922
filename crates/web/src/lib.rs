//! The browser API, built by wasm-bindgen (`--target web`) into `pkg/`:
//!
//! ```js
//! import init, { ClozeModel } from "./pkg/clozelab.js";
//! await init();
//! const model = await ClozeModel.fromUrl(baseUrl, { backend: "auto", onProgress });
//! await model.fillMask("the [MASK] sat on the mat.", { topK: 5, attentions: false });
//! ```
//!
//! `api.rs` is the model class (`masking.rs` adds its corruption sample) and `training.rs` the
//! trainer class; `device.rs` picks WebGPU or the CPU and says why; `sources.rs` turns URLs and
//! `File`s into `ModelFiles`; `threads.rs` starts and counts the CPU's threads; `convert.rs` is
//! every conversion across the JS boundary. Results are the same serde structs the CLI prints.
//! Natively this crate is empty: only the browser builds it.

#![cfg(target_family = "wasm")]

mod api;
mod convert;
mod device;
mod masking;
mod sources;
mod threads;
mod training;

pub use api::WebModel;
#[cfg(feature = "threads")]
pub use threads::init_thread_pool;
pub use training::WebTrainer;

unsafe extern "C" {
    /// The static constructors wasm-ld synthesises (cubecl registers its IR dialects in them).
    fn __wasm_call_ctors();
}

/// Runs once when the module is instantiated.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    // Calling the constructors explicitly, once, matters for speed: when nothing calls them,
    // wasm-ld treats the module as a "command" and wraps *every* export so it re-runs them —
    // ~50-90 ms on each call from JS.
    unsafe { __wasm_call_ctors() };
    // Panics print their message to the console instead of a bare "unreachable".
    console_error_panic_hook::set_once();
}
