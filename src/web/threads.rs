//! The CPU backend's threads. The "threads" build exports wasm-bindgen-rayon's
//! `initThreadPool(n)`, which starts the Web Workers burn's kernels share work with; every build
//! says how many threads its kernels actually run on.

use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// rayon's own count in the threaded build (after `initThreadPool`), 1 in the plain one.
#[wasm_bindgen(js_name = cpuThreads)]
pub fn cpu_threads() -> usize {
    #[cfg(feature = "threads")]
    return rayon::current_num_threads();
    #[cfg(not(feature = "threads"))]
    1
}
