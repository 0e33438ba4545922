//! Element-wise passes over an f32 buffer on every thread and the widest vector unit: the chunks
//! of an output shared among the threads (natively, and in the browser's "threads" build), each
//! compiled for AVX-512 or AVX2 where the CPU has them, and the CPU backend's tensors read as the
//! slices they take. Used by the element-wise CPU kernels (`gelu.rs`, `softmax.rs`,
//! `cross_entropy.rs`).

use burn_flex::FlexTensor;

/// Fills `out` chunk by chunk, `f(start, chunk)`, the chunks shared among the threads (natively,
/// and in the browser's "threads" build: the pass's team, `team.rs`, or rayon's pool).
pub fn fill(out: &mut [f32], f: impl Fn(usize, &mut [f32]) + Sync + Send) {
    fill_in_blocks(out, 1 << 14, f)
}

/// [`fill`] with chunks of `block` values (the last one shorter), for a pass whose unit of work
/// is longer than one value (softmax's rows).
pub fn fill_in_blocks(out: &mut [f32], block: usize, f: impl Fn(usize, &mut [f32]) + Sync + Send) {
    #[cfg(any(not(target_family = "wasm"), feature = "threads"))]
    {
        let (len, to) = (out.len(), super::cpu_matmul::Output(out.as_mut_ptr()));
        let part = |i: usize| {
            let start = i * block;
            // SAFETY: chunk `i` of `out`; parts share no chunk.
            let chunk =
                unsafe { std::slice::from_raw_parts_mut(to.at(start), block.min(len - start)) };
            widest(&f, start, chunk);
        };
        super::team::split(len.div_ceil(block), &part);
    }
    #[cfg(all(target_family = "wasm", not(feature = "threads")))]
    for (i, chunk) in out.chunks_mut(block).enumerate() {
        widest(&f, i * block, chunk);
    }
}

/// In wasm the lanes are SIMD128's, whatever the CPU.
#[cfg(target_family = "wasm")]
pub fn widest<F: Fn(usize, &mut [f32])>(f: &F, start: usize, chunk: &mut [f32]) {
    f(start, chunk)
}

/// `f(start, chunk)` compiled for the widest vector unit this CPU has: the crate is built for
/// baseline x86-64 (4 lanes), and AVX2 or AVX-512 do 8 or 16 elements at once.
#[cfg(not(target_family = "wasm"))]
pub fn widest<F: Fn(usize, &mut [f32])>(f: &F, start: usize, chunk: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F.
            return unsafe { with_avx512(f, start, chunk) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { with_avx2(f, start, chunk) };
        }
    }
    f(start, chunk)
}

#[cfg(all(not(target_family = "wasm"), target_arch = "x86_64"))]
#[target_feature(enable = "avx512f")]
fn with_avx512<F: Fn(usize, &mut [f32])>(f: &F, start: usize, chunk: &mut [f32]) {
    f(start, chunk)
}

#[cfg(all(not(target_family = "wasm"), target_arch = "x86_64"))]
#[target_feature(enable = "avx2")]
fn with_avx2<F: Fn(usize, &mut [f32])>(f: &F, start: usize, chunk: &mut [f32]) {
    f(start, chunk)
}

/// `f` of an f32 tensor's values in row-major order: read in place when it is contiguous (the
/// usual case), else from a contiguous copy.
pub fn with_values<R>(tensor: &FlexTensor, f: impl FnOnce(&[f32]) -> R) -> R {
    match tensor.as_slice::<f32>() {
        Some(values) => f(values),
        None => {
            let data = tensor.clone().into_data();
            f(data.as_slice::<f32>().expect("an f32 tensor"))
        }
    }
}
