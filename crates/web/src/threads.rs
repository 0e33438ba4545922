//! The CPU backend's threads. The "threads" build exports wasm-bindgen-rayon's
//! `initThreadPool(n)`, which starts the Web Workers burn's kernels share work with; a model on
//! the CPU says how many threads its kernels actually run on (`ClozeModel.threads`).

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// rayon's own count in the threaded build (after `initThreadPool`), 1 in the plain one.
pub fn cpu_threads() -> usize {
    #[cfg(feature = "threads")]
    return rayon::current_num_threads();
    #[cfg(not(feature = "threads"))]
    1
}
