//! The Linear layers' product on the CPU in the browser: `C = A · B (+ bias)` with `A` the
//! activations (rows × k) and `B` the weight as burn keeps it (k × n, row-major), written for
//! WebAssembly's SIMD128 as the browser's compiler runs it.
//!
//! gemm (burn-flex's product, used for everything else) packs both operands again on every call.
//! Here the activations are read in place and 4 × 8 tiles keep eight accumulators, two weight
//! vectors and one activation broadcast by a single `v128.load32_splat` in registers; `k` is cut
//! into blocks of `KC`, and each block of 16 weight columns is copied once into two contiguous
//! panels that stay in the first-level cache while every row block passes over them (read in
//! place, the rows of a weight 768 or 3072 wide fall into a few cache sets and evict each other:
//! the same kernel without the copy was no faster than gemm). Each thread takes its own columns,
//! so no part of a weight is copied twice. Natively the same code runs on four plain `f32` (the
//! tests); native builds keep gemm, whose AVX-512 kernels are faster there. Measured in
//! docs/ARCHITECTURE.md ("The CPU path beside onnxruntime-web").

/// Depth of a block of `k`: two panels of 256 rows of 8 weights are 16 KiB.
const KC: usize = 256;

/// Where a tile's sums start: zero, the bias (the same row for every output row), or the sums
/// already in `C` (after the first block of `k`).
#[derive(Clone, Copy)]
enum Start {
    Zero,
    Bias(*const f32),
    Output,
}

/// `c = a · b (+ bias)`: `a` is `rows × k`, `b` is `k × n`, `bias` `n` long, `c` `rows × n`, all
/// row-major and contiguous.
pub fn product(
    rows: usize,
    k: usize,
    n: usize,
    a: &[f32],
    b: &[f32],
    bias: Option<&[f32]>,
    c: &mut [f32],
) {
    assert!(a.len() >= rows * k && b.len() >= k * n && c.len() >= rows * n);
    assert!(bias.is_none_or(|bias| bias.len() >= n));
    if rows == 0 || n == 0 {
        return;
    }
    let out = Output(c.as_mut_ptr());
    // Columns `first..first + width` of every row.
    let run = |first: usize, width: usize| {
        let bias = bias.map(|bias| bias[first..].as_ptr());
        // SAFETY: `a` is `rows × k`, `b` `k × n`, `c` `rows × n` and the bias `n` long (asserted
        // above), and `first + width <= n`; no two calls share a column of `c`.
        unsafe {
            block(
                rows,
                k,
                width,
                n,
                a.as_ptr(),
                b.as_ptr().add(first),
                bias,
                out.at(first),
            )
        }
    };
    by_columns(n, run);
}

/// `run(first, width)` over columns `0..n` in whole blocks of 16 (a cache line of each row), a
/// share per thread where there are threads, so each thread copies and reads only its own part
/// of a weight and writes only its own columns of the output.
pub(super) fn by_columns(n: usize, run: impl Fn(usize, usize) + Sync) {
    #[cfg(any(not(target_family = "wasm"), feature = "threads"))]
    {
        use rayon::prelude::*;
        let threads = rayon::current_num_threads().max(1);
        let per_thread = n.div_ceil(threads).div_ceil(16) * 16;
        if threads > 1 && n > 16 {
            (0..n.div_ceil(per_thread))
                .into_par_iter()
                .for_each(|i| run(i * per_thread, per_thread.min(n - i * per_thread)));
            return;
        }
    }
    run(0, n);
}

/// The output's address, shared by the threads that write disjoint columns of it.
#[derive(Clone, Copy)]
pub(super) struct Output(pub(super) *mut f32);
// SAFETY: the threads write disjoint columns (see `product`).
unsafe impl Send for Output {}
unsafe impl Sync for Output {}

impl Output {
    /// # Safety
    /// `offset` is within the output.
    pub(super) unsafe fn at(self, offset: usize) -> *mut f32 {
        unsafe { self.0.add(offset) }
    }
}

/// Columns `0..width` of `rows` rows, in matrices whose rows are `ld` apart (`b`, `c`; `a`'s are
/// `k` apart).
///
/// # Safety
/// `a` points at `rows × k` values, `b` at `k` rows and `c` at `rows` rows of `ld` (`width` of them
/// used), `bias` (if any) at `width`.
#[allow(clippy::too_many_arguments)]
unsafe fn block(
    rows: usize,
    k: usize,
    width: usize,
    ld: usize,
    a: *const f32,
    b: *const f32,
    bias: Option<*const f32>,
    c: *mut f32,
) {
    // A block of 16 of the weight's columns, copied into two panels of 8 whose rows follow each
    // other: read in place, a weight row is `ld` floats apart, and for 768 or 3072 the rows of a
    // block fall into a handful of cache sets and evict each other before the next row block
    // comes back to them.
    let mut panels = vec![F4::zero(); 2 * 2 * KC];
    let packed = panels.as_mut_ptr().cast::<f32>();
    let mut k0 = 0;
    while k0 < k {
        let depth = KC.min(k - k0);
        let mut j = 0;
        while j < width {
            let step = match width - j {
                16.. => 16,
                8.. => 8,
                4.. => 4,
                _ => 1,
            };
            let start = |j: usize| match (k0, bias) {
                (0, Some(bias)) => Start::Bias(unsafe { bias.add(j) }),
                (0, None) => Start::Zero,
                _ => Start::Output,
            };
            let source = unsafe { b.add(k0 * ld + j) };
            if step == 16 {
                for p in 0..depth {
                    // SAFETY: row `k0 + p`, columns `j..j + 16` of `b`; the panels hold
                    // `2 × KC × 8` floats.
                    unsafe {
                        let (from, to) = (source.add(p * ld), packed.add(p * 8));
                        F4::load(from).store(to);
                        F4::load(from.add(4)).store(to.add(4));
                        F4::load(from.add(8)).store(to.add(depth * 8));
                        F4::load(from.add(12)).store(to.add(depth * 8 + 4));
                    }
                }
            }
            let mut i = 0;
            while i < rows {
                let tall = rows - i >= 4 && step > 1;
                let a = unsafe { a.add(i * k + k0) };
                let c = unsafe { c.add(i * ld + j) };
                unsafe {
                    match (step, tall) {
                        (16, _) => {
                            for half in 0..2 {
                                let panel = packed.add(half * depth * 8);
                                let (c, start) = (c.add(8 * half), start(j + 8 * half));
                                if tall {
                                    tile::<4, 2>(depth, a, k, panel, 8, c, ld, start);
                                } else {
                                    tile::<1, 2>(depth, a, k, panel, 8, c, ld, start);
                                }
                            }
                        }
                        (8, true) => tile::<4, 2>(depth, a, k, source, ld, c, ld, start(j)),
                        (8, false) => tile::<1, 2>(depth, a, k, source, ld, c, ld, start(j)),
                        (4, true) => tile::<4, 1>(depth, a, k, source, ld, c, ld, start(j)),
                        (4, false) => tile::<1, 1>(depth, a, k, source, ld, c, ld, start(j)),
                        _ => column(depth, a, source, ld, c, start(j)),
                    }
                }
                i += if tall { 4 } else { 1 };
            }
            j += step;
        }
        k0 += depth;
    }
}

/// One output of one row, for the last columns when `n` is not a multiple of four.
#[inline(never)]
unsafe fn column(
    depth: usize,
    a: *const f32,
    b: *const f32,
    ldb: usize,
    c: *mut f32,
    start: Start,
) {
    let mut sum = match start {
        Start::Zero => 0.0,
        Start::Bias(bias) => unsafe { *bias },
        Start::Output => unsafe { *c },
    };
    for p in 0..depth {
        sum += unsafe { *a.add(p) * *b.add(p * ldb) };
    }
    unsafe { *c = sum };
}

/// An `R × 4V` tile of `C` (R rows, V vectors of four columns), over `depth` of `k`. Written out
/// for each shape the driver uses, so the accumulators are named values the compiler keeps in
/// registers even at `opt-level = "z"` (which unrolls nothing).
#[inline(never)]
#[allow(clippy::too_many_arguments)]
unsafe fn tile<const R: usize, const V: usize>(
    depth: usize,
    a: *const f32,
    lda: usize,
    b: *const f32,
    ldb: usize,
    c: *mut f32,
    ldc: usize,
    start: Start,
) {
    // The sums start as `start` says: row `r`, vector `v` reads `from + r * stride + 4v`.
    let (from, stride) = match start {
        Start::Zero => (core::ptr::null(), 0),
        Start::Bias(bias) => (bias, 0),
        Start::Output => (c.cast_const(), ldc),
    };
    let init = |r: usize, v: usize| {
        if from.is_null() {
            F4::zero()
        } else {
            unsafe { F4::load(from.add(r * stride + 4 * v)) }
        }
    };
    unsafe {
        match (R, V) {
            (4, 2) => {
                let (mut c00, mut c01, mut c10, mut c11) =
                    (init(0, 0), init(0, 1), init(1, 0), init(1, 1));
                let (mut c20, mut c21, mut c30, mut c31) =
                    (init(2, 0), init(2, 1), init(3, 0), init(3, 1));
                let (a1, a2, a3) = (a.add(lda), a.add(2 * lda), a.add(3 * lda));
                for p in 0..depth {
                    let row = b.add(p * ldb);
                    let (b0, b1) = (F4::load(row), F4::load(row.add(4)));
                    let x = F4::splat(a.add(p));
                    c00 = x.mul_add(b0, c00);
                    c01 = x.mul_add(b1, c01);
                    let x = F4::splat(a1.add(p));
                    c10 = x.mul_add(b0, c10);
                    c11 = x.mul_add(b1, c11);
                    let x = F4::splat(a2.add(p));
                    c20 = x.mul_add(b0, c20);
                    c21 = x.mul_add(b1, c21);
                    let x = F4::splat(a3.add(p));
                    c30 = x.mul_add(b0, c30);
                    c31 = x.mul_add(b1, c31);
                }
                for (r, [v0, v1]) in [[c00, c01], [c10, c11], [c20, c21], [c30, c31]]
                    .into_iter()
                    .enumerate()
                {
                    v0.store(c.add(r * ldc));
                    v1.store(c.add(r * ldc + 4));
                }
            }
            (1, 2) => {
                let (mut c00, mut c01) = (init(0, 0), init(0, 1));
                for p in 0..depth {
                    let row = b.add(p * ldb);
                    let x = F4::splat(a.add(p));
                    c00 = x.mul_add(F4::load(row), c00);
                    c01 = x.mul_add(F4::load(row.add(4)), c01);
                }
                c00.store(c);
                c01.store(c.add(4));
            }
            (4, 1) => {
                let (mut c0, mut c1, mut c2, mut c3) =
                    (init(0, 0), init(1, 0), init(2, 0), init(3, 0));
                let (a1, a2, a3) = (a.add(lda), a.add(2 * lda), a.add(3 * lda));
                for p in 0..depth {
                    let b0 = F4::load(b.add(p * ldb));
                    c0 = F4::splat(a.add(p)).mul_add(b0, c0);
                    c1 = F4::splat(a1.add(p)).mul_add(b0, c1);
                    c2 = F4::splat(a2.add(p)).mul_add(b0, c2);
                    c3 = F4::splat(a3.add(p)).mul_add(b0, c3);
                }
                for (r, v) in [c0, c1, c2, c3].into_iter().enumerate() {
                    v.store(c.add(r * ldc));
                }
            }
            (1, 1) => {
                let mut c0 = init(0, 0);
                for p in 0..depth {
                    c0 = F4::splat(a.add(p)).mul_add(F4::load(b.add(p * ldb)), c0);
                }
                c0.store(c);
            }
            _ => unreachable!("no {R} × {V} tile"),
        }
    }
}

/// Four f32 lanes: a SIMD128 register in wasm, four plain numbers elsewhere.
#[derive(Clone, Copy)]
struct F4(
    #[cfg(target_family = "wasm")] core::arch::wasm32::v128,
    #[cfg(not(target_family = "wasm"))] [f32; 4],
);

#[cfg(target_family = "wasm")]
impl F4 {
    #[inline(always)]
    fn zero() -> Self {
        Self(core::arch::wasm32::f32x4_splat(0.0))
    }
    /// # Safety
    /// Four f32 at `at` are readable (wasm loads need no alignment).
    #[inline(always)]
    unsafe fn load(at: *const f32) -> Self {
        Self(unsafe { core::arch::wasm32::v128_load(at.cast()) })
    }
    /// `*at` in every lane, in one load.
    #[inline(always)]
    unsafe fn splat(at: *const f32) -> Self {
        Self(unsafe { core::arch::wasm32::v128_load32_splat(at.cast()) })
    }
    /// `self · b + acc` (a multiply and an add: relaxed SIMD's fused one is not everywhere).
    #[inline(always)]
    fn mul_add(self, b: Self, acc: Self) -> Self {
        use core::arch::wasm32::{f32x4_add, f32x4_mul};
        Self(f32x4_add(acc.0, f32x4_mul(self.0, b.0)))
    }
    #[inline(always)]
    unsafe fn store(self, at: *mut f32) {
        unsafe { core::arch::wasm32::v128_store(at.cast(), self.0) }
    }
}

#[cfg(not(target_family = "wasm"))]
impl F4 {
    fn zero() -> Self {
        Self([0.0; 4])
    }
    unsafe fn load(at: *const f32) -> Self {
        Self(unsafe { core::ptr::read_unaligned(at.cast::<[f32; 4]>()) })
    }
    unsafe fn splat(at: *const f32) -> Self {
        Self([unsafe { *at }; 4])
    }
    fn mul_add(self, b: Self, acc: Self) -> Self {
        Self(std::array::from_fn(|i| acc.0[i] + self.0[i] * b.0[i]))
    }
    unsafe fn store(self, at: *mut f32) {
        unsafe { core::ptr::write_unaligned(at.cast::<[f32; 4]>(), self.0) }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::product;

    fn reference(
        rows: usize,
        k: usize,
        n: usize,
        a: &[f32],
        b: &[f32],
        bias: Option<&[f32]>,
    ) -> Vec<f64> {
        (0..rows * n)
            .map(|at| {
                let (i, j) = (at / n, at % n);
                let start = bias.map_or(0.0, |bias| f64::from(bias[j]));
                (0..k).fold(start, |sum, p| {
                    sum + f64::from(a[i * k + p]) * f64::from(b[p * n + j])
                })
            })
            .collect()
    }

    /// Values in [-1, 1) from a small generator, so every product differs.
    pub(in crate::kernels) fn values(count: usize, seed: u32) -> Vec<f32> {
        let mut state = seed.wrapping_mul(2_654_435_761).max(1);
        (0..count)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state >> 8) as f32 / (1u32 << 23) as f32 - 1.0
            })
            .collect()
    }

    #[test]
    fn every_tile_and_tail_gives_the_product() {
        // Rows around the tile height, columns around 4, 8 and 16 (with a scalar tail), depths below,
        // at and beyond a block of k, with and without a bias.
        for rows in [1, 3, 4, 5, 9, 16] {
            for n in [1, 3, 4, 7, 8, 12, 13, 16, 19, 29, 32, 36] {
                for k in [1, 5, 256, 300, 600] {
                    for with_bias in [false, true] {
                        let (a, b, bias) = (values(rows * k, 1), values(k * n, 2), values(n, 3));
                        let bias = with_bias.then_some(&bias[..]);
                        let mut c = vec![f32::NAN; rows * n + 1];
                        product(rows, k, n, &a, &b, bias, &mut c);
                        let expected = reference(rows, k, n, &a, &b, bias);
                        for (at, (&got, &want)) in c.iter().zip(&expected).enumerate() {
                            assert!(
                                (f64::from(got) - want).abs() <= 1e-4 * (k as f64).sqrt(),
                                "{rows}×{k}×{n} bias {with_bias}: [{at}] {got} vs {want}"
                            );
                        }
                        assert!(c[rows * n].is_nan(), "wrote past the output");
                    }
                }
            }
        }
    }
}
