//! The Linear layers' product on the CPU in the browser: `C = A · W (+ bias)` with `A` the
//! activations (rows × k), written for WebAssembly's SIMD128 as the browser's compiler runs it.
//!
//! gemm (burn-flex's product) packs both operands again on every call. Here the activations are
//! read in place, and the weight is read as the checkpoint stores it: `n × k`, each output
//! column's weights in order (`weights/bind.rs` keeps it so on the CPU in wasm, burn seeing a
//! transposed view; `product_transposed`). Below 32 rows each output is a dot product of two
//! contiguous rows — 4 × 2 tiles of four-lane partial sums — so the weight streams from memory in
//! the order it lies and nothing is copied; from 32 rows, where each weight value serves enough
//! rows to pay for a copy, blocks of 16 columns are transposed into two panels that stay in the
//! first-level cache while every row block passes over them, in 4 × 8 tiles that keep eight
//! accumulators, two weight vectors and one activation broadcast in registers. `product` is the
//! same tiles over burn's own `k × n` layout (a weight built or trained by burn), whose panels are
//! gathered from rows `n` apart — at 16 tokens that gather, waiting on memory, was 40% of a pass.
//! Each thread takes its own columns (the pass's team, `team.rs`), so no part of a weight is read
//! twice. Natively the same code runs on four plain `f32` (the tests); native builds keep gemm,
//! whose AVX-512 kernels are faster there. Measured in docs/ARCHITECTURE.md ("The CPU path beside
//! onnxruntime-web").

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
                Weight::Rows(b.as_ptr().add(first)),
                bias,
                out.at(first),
            )
        }
    };
    by_columns(n, run);
}

/// `c = a · btᵀ (+ bias)`: the product with the weight as the checkpoint holds it, `bt` being
/// `n × k` (row `j` holds output column `j`'s weights over the depth). Dot products below
/// `PANEL_ROWS` rows, panels from there (see the module's notes).
pub fn product_transposed(
    rows: usize,
    k: usize,
    n: usize,
    a: &[f32],
    bt: &[f32],
    bias: Option<&[f32]>,
    c: &mut [f32],
) {
    assert!(a.len() >= rows * k && bt.len() >= k * n && c.len() >= rows * n);
    assert!(bias.is_none_or(|bias| bias.len() >= n));
    if rows == 0 || n == 0 {
        return;
    }
    let out = Output(c.as_mut_ptr());
    let run = |first: usize, width: usize| {
        // Enough rows for panels to pay: whole blocks of 16 columns through `block`'s tiles, the
        // rest (and every column below that many rows) by dot products.
        let panelled = if rows >= PANEL_ROWS {
            width / 16 * 16
        } else {
            0
        };
        let bias = |j: usize| bias.map(|bias| bias[first + j..].as_ptr());
        // SAFETY: as in `product`: `bt` holds rows `first..first + width` of `k` values, `c` is
        // `rows × n` and no two calls share a column.
        unsafe {
            let (a, bt) = (a.as_ptr(), bt.as_ptr().add(first * k));
            if panelled > 0 {
                let weight = Weight::Columns(bt);
                block(rows, k, panelled, n, a, weight, bias(0), out.at(first));
            }
            let rest = bt.add(panelled * k);
            let c = out.at(first + panelled);
            dots(rows, k, width - panelled, n, a, rest, bias(panelled), c);
        }
    };
    by_columns(n, run);
}

/// From how many rows `product_transposed` copies its weight into panels: below, each weight
/// value serves too few rows to pay for the copy, and dot products read it where it lies.
const PANEL_ROWS: usize = 32;

/// Rows of activations each pass over the weight's rows covers: as many as fit in 96 KiB (the
/// second-level cache), a multiple of the tile's four.
fn row_block(k: usize) -> usize {
    (96 * 1024 / 4 / k.max(1) / 4 * 4).max(4)
}

/// Columns `0..width` of `rows` rows by dot products: `a` rows `k` apart, `bt` `width` rows `k`
/// apart, `c` rows `ldc` apart.
///
/// # Safety
/// `a` points at `rows × k` values, `bt` at `width × k`, `c` at `rows` rows of `ldc` (`width`
/// used), `bias` (if any) at `width`.
#[allow(clippy::too_many_arguments)]
unsafe fn dots(
    rows: usize,
    k: usize,
    width: usize,
    ldc: usize,
    a: *const f32,
    bt: *const f32,
    bias: Option<*const f32>,
    c: *mut f32,
) {
    let block = row_block(k);
    let mut i0 = 0;
    while i0 < rows {
        let end = rows.min(i0 + block);
        let mut j = 0;
        while j < width {
            // Fewer than four rows (the decoder at one or two blanks): four weight rows at once,
            // so more of the weight streams from memory side by side.
            if end - i0 < 4 && width - j >= 4 {
                for i in i0..end {
                    // SAFETY: row `i` and weight rows `j..j + 4` are in range.
                    unsafe {
                        let (a, bt, c) = (a.add(i * k), bt.add(j * k), c.add(i * ldc + j));
                        dot_tile::<1, 4>(k, a, bt, c, ldc, bias.map(|bias| bias.add(j)));
                    }
                }
                j += 4;
                continue;
            }
            let pair = width - j >= 2;
            let mut i = i0;
            while i < end {
                let tall = end - i >= 4;
                // SAFETY: rows `i..` (4 or 1) and weight rows `j..` (2 or 1) are in range.
                unsafe {
                    let (a, bt, c) = (a.add(i * k), bt.add(j * k), c.add(i * ldc + j));
                    let bias = bias.map(|bias| bias.add(j));
                    match (tall, pair) {
                        (true, true) => dot_tile::<4, 2>(k, a, bt, c, ldc, bias),
                        (false, true) => dot_tile::<1, 2>(k, a, bt, c, ldc, bias),
                        (true, false) => dot_tile::<4, 1>(k, a, bt, c, ldc, bias),
                        (false, false) => dot_tile::<1, 1>(k, a, bt, c, ldc, bias),
                    }
                }
                i += if tall { 4 } else { 1 };
            }
            j += if pair { 2 } else { 1 };
        }
        i0 = end;
    }
}

/// An `R × V` tile of outputs, each the dot product of an activation row and a weight row over
/// all `k`: four lanes of partial sums per output, added up at the end with the depths past the
/// last whole four and the bias. Written out per shape, as `tile` is.
#[inline(never)]
unsafe fn dot_tile<const R: usize, const V: usize>(
    k: usize,
    a: *const f32,
    bt: *const f32,
    c: *mut f32,
    ldc: usize,
    bias: Option<*const f32>,
) {
    let whole = k / 4 * 4;
    // Output (r, v): its lanes, the last depths, the bias, written to `c`.
    let finish = |r: usize, v: usize, lanes: F4| unsafe {
        let (a, bt) = (a.add(r * k), bt.add(v * k));
        let mut sum = lanes.sum();
        for p in whole..k {
            sum += *a.add(p) * *bt.add(p);
        }
        *c.add(r * ldc + v) = sum + bias.map_or(0.0, |bias| *bias.add(v));
    };
    unsafe {
        match (R, V) {
            (4, 2) => {
                let (mut c00, mut c01, mut c10, mut c11) =
                    (F4::zero(), F4::zero(), F4::zero(), F4::zero());
                let (mut c20, mut c21, mut c30, mut c31) =
                    (F4::zero(), F4::zero(), F4::zero(), F4::zero());
                let (a1, a2, a3, b1) = (a.add(k), a.add(2 * k), a.add(3 * k), bt.add(k));
                let mut p = 0;
                while p < whole {
                    let (w0, w1) = (F4::load(bt.add(p)), F4::load(b1.add(p)));
                    let x = F4::load(a.add(p));
                    c00 = x.mul_add(w0, c00);
                    c01 = x.mul_add(w1, c01);
                    let x = F4::load(a1.add(p));
                    c10 = x.mul_add(w0, c10);
                    c11 = x.mul_add(w1, c11);
                    let x = F4::load(a2.add(p));
                    c20 = x.mul_add(w0, c20);
                    c21 = x.mul_add(w1, c21);
                    let x = F4::load(a3.add(p));
                    c30 = x.mul_add(w0, c30);
                    c31 = x.mul_add(w1, c31);
                    p += 4;
                }
                for (r, [v0, v1]) in [[c00, c01], [c10, c11], [c20, c21], [c30, c31]]
                    .into_iter()
                    .enumerate()
                {
                    finish(r, 0, v0);
                    finish(r, 1, v1);
                }
            }
            (1, 2) => {
                let (mut c0, mut c1) = (F4::zero(), F4::zero());
                let b1 = bt.add(k);
                let mut p = 0;
                while p < whole {
                    let x = F4::load(a.add(p));
                    c0 = x.mul_add(F4::load(bt.add(p)), c0);
                    c1 = x.mul_add(F4::load(b1.add(p)), c1);
                    p += 4;
                }
                finish(0, 0, c0);
                finish(0, 1, c1);
            }
            (4, 1) => {
                let (mut c0, mut c1, mut c2, mut c3) =
                    (F4::zero(), F4::zero(), F4::zero(), F4::zero());
                let (a1, a2, a3) = (a.add(k), a.add(2 * k), a.add(3 * k));
                let mut p = 0;
                while p < whole {
                    let w = F4::load(bt.add(p));
                    c0 = F4::load(a.add(p)).mul_add(w, c0);
                    c1 = F4::load(a1.add(p)).mul_add(w, c1);
                    c2 = F4::load(a2.add(p)).mul_add(w, c2);
                    c3 = F4::load(a3.add(p)).mul_add(w, c3);
                    p += 4;
                }
                for (r, lanes) in [c0, c1, c2, c3].into_iter().enumerate() {
                    finish(r, 0, lanes);
                }
            }
            (1, 4) => {
                let (mut c0, mut c1, mut c2, mut c3) =
                    (F4::zero(), F4::zero(), F4::zero(), F4::zero());
                let (b1, b2, b3) = (bt.add(k), bt.add(2 * k), bt.add(3 * k));
                let mut p = 0;
                while p < whole {
                    let x = F4::load(a.add(p));
                    c0 = x.mul_add(F4::load(bt.add(p)), c0);
                    c1 = x.mul_add(F4::load(b1.add(p)), c1);
                    c2 = x.mul_add(F4::load(b2.add(p)), c2);
                    c3 = x.mul_add(F4::load(b3.add(p)), c3);
                    p += 4;
                }
                for (v, lanes) in [c0, c1, c2, c3].into_iter().enumerate() {
                    finish(0, v, lanes);
                }
            }
            (1, 1) => {
                let mut c0 = F4::zero();
                let mut p = 0;
                while p < whole {
                    c0 = F4::load(a.add(p)).mul_add(F4::load(bt.add(p)), c0);
                    p += 4;
                }
                finish(0, 0, c0);
            }
            _ => unreachable!("no {R} × {V} dot tile"),
        }
    }
}

/// `run(first, width)` over columns `0..n` in whole blocks of 16 (a cache line of each row), a
/// share per thread where there are threads (the pass's team, `team.rs`, or else rayon's), so each
/// thread copies and reads only its own part of a weight and writes only its own columns of the
/// output.
pub(super) fn by_columns(n: usize, run: impl Fn(usize, usize) + Sync) {
    #[cfg(any(not(target_family = "wasm"), feature = "threads"))]
    {
        let threads = rayon::current_num_threads().max(1);
        let per_thread = n.div_ceil(threads).div_ceil(16) * 16;
        if threads > 1 && n > 16 {
            let parts = n.div_ceil(per_thread);
            let part = |i: usize| run(i * per_thread, per_thread.min(n - i * per_thread));
            super::team::split(parts, &part);
            return;
        }
    }
    run(0, n);
}

/// The output's address, shared by the threads that write disjoint parts of it.
pub(super) struct Output<T = f32>(pub(super) *mut T);
impl<T> Clone for Output<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Output<T> {}
// SAFETY: the threads write disjoint parts (columns in `product`, rows in `q8_matmul.rs`).
unsafe impl<T> Send for Output<T> {}
unsafe impl<T> Sync for Output<T> {}

impl<T> Output<T> {
    /// # Safety
    /// `offset` is within the output.
    pub(super) unsafe fn at(self, offset: usize) -> *mut T {
        unsafe { self.0.add(offset) }
    }
}

/// Where a block's weight columns are read from.
#[derive(Clone, Copy)]
enum Weight {
    /// burn's layout: `k` rows `ld` apart (the output's row length), columns in order.
    Rows(*const f32),
    /// The checkpoint's: each column a row of `k` in order (`product_transposed`); the block's
    /// width is then a whole number of 16.
    Columns(*const f32),
}

/// Columns `0..width` of `rows` rows, in matrices whose rows are `ld` apart (the weight's in
/// `Weight::Rows`, and `c`; `a`'s are `k` apart).
///
/// # Safety
/// `a` points at `rows × k` values, the weight at `k` rows of `ld` (or `width` rows of `k`) and `c`
/// at `rows` rows of `ld` (`width` of them used), `bias` (if any) at `width`.
#[allow(clippy::too_many_arguments)]
unsafe fn block(
    rows: usize,
    k: usize,
    width: usize,
    ld: usize,
    a: *const f32,
    weight: Weight,
    bias: Option<*const f32>,
    c: *mut f32,
) {
    let b = match weight {
        Weight::Rows(b) => b,
        Weight::Columns(_) => {
            assert!(width.is_multiple_of(16), "whole panels only");
            core::ptr::null()
        }
    };
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
            let source = b.wrapping_add(k0 * ld + j);
            if let (16, Weight::Columns(bt)) = (step, weight) {
                // SAFETY: columns `j..j + 16` hold `k` values each from `bt + j · k`.
                unsafe { pack_columns(bt.add(j * k + k0), k, depth, packed) };
            } else if step == 16 {
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

/// Sixteen weight columns stored as rows (`bt`, rows `k` apart, from the block's first depth)
/// into the two panels `block` reads: `depth` rows of 8, then the next 8 columns. Four columns by
/// four depths at a time, transposed in registers, so every read runs along a column in order.
///
/// # Safety
/// `bt` points at 16 rows of at least `depth` values, `k` apart; `packed` at `2 × depth × 8`.
unsafe fn pack_columns(bt: *const f32, k: usize, depth: usize, packed: *mut f32) {
    let whole = depth / 4 * 4;
    for group in 0..4 {
        // Columns `4 · group..` + 4: panel `group / 2`, lanes `4 · (group % 2)..` of each row.
        let from = unsafe { bt.add(4 * group * k) };
        let to = unsafe { packed.add((group / 2) * depth * 8 + 4 * (group % 2)) };
        let mut p = 0;
        while p < whole {
            // Written out: at `opt-level = "z"` an array's `map` and iterator stay calls.
            unsafe {
                let (r0, r1) = (F4::load(from.add(p)), F4::load(from.add(k + p)));
                let (r2, r3) = (F4::load(from.add(2 * k + p)), F4::load(from.add(3 * k + p)));
                let [d0, d1, d2, d3] = F4::transpose([r0, r1, r2, r3]);
                let to = to.add(p * 8);
                d0.store(to);
                d1.store(to.add(8));
                d2.store(to.add(16));
                d3.store(to.add(24));
            }
            p += 4;
        }
        for p in whole..depth {
            for r in 0..4 {
                unsafe { *to.add(p * 8 + r) = *from.add(r * k + p) };
            }
        }
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
    /// Four rows of four as four columns.
    #[inline(always)]
    fn transpose([r0, r1, r2, r3]: [Self; 4]) -> [Self; 4] {
        use core::arch::wasm32::i32x4_shuffle;
        let t0 = i32x4_shuffle::<0, 4, 1, 5>(r0.0, r1.0);
        let t1 = i32x4_shuffle::<2, 6, 3, 7>(r0.0, r1.0);
        let t2 = i32x4_shuffle::<0, 4, 1, 5>(r2.0, r3.0);
        let t3 = i32x4_shuffle::<2, 6, 3, 7>(r2.0, r3.0);
        [
            Self(i32x4_shuffle::<0, 1, 4, 5>(t0, t2)),
            Self(i32x4_shuffle::<2, 3, 6, 7>(t0, t2)),
            Self(i32x4_shuffle::<0, 1, 4, 5>(t1, t3)),
            Self(i32x4_shuffle::<2, 3, 6, 7>(t1, t3)),
        ]
    }
    /// The four lanes added up.
    #[inline(always)]
    fn sum(self) -> f32 {
        use core::arch::wasm32::f32x4_extract_lane;
        (f32x4_extract_lane::<0>(self.0) + f32x4_extract_lane::<1>(self.0))
            + (f32x4_extract_lane::<2>(self.0) + f32x4_extract_lane::<3>(self.0))
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
    fn sum(self) -> f32 {
        (self.0[0] + self.0[1]) + (self.0[2] + self.0[3])
    }
    fn transpose(rows: [Self; 4]) -> [Self; 4] {
        std::array::from_fn(|q| Self(std::array::from_fn(|r| rows[r].0[q])))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::{product, product_transposed};

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
        // Rows around the tile height and past a block of rows, columns around 4, 8 and 16 (with a
        // scalar tail), depths below, at and beyond a block of k, with and without a bias.
        for rows in [1, 3, 4, 5, 9, 16, 45] {
            for n in [1, 3, 4, 7, 8, 12, 13, 16, 19, 29, 32, 36] {
                for k in [1, 5, 256, 300, 600] {
                    for with_bias in [false, true] {
                        let (a, b, bias) = (values(rows * k, 1), values(k * n, 2), values(n, 3));
                        let bias = with_bias.then_some(&bias[..]);
                        let expected = reference(rows, k, n, &a, &b, bias);
                        // The weight as burn keeps it (k × n), and as the checkpoint does (n × k).
                        let bt: Vec<f32> = (0..n * k).map(|at| b[(at % k) * n + at / k]).collect();
                        for transposed in [false, true] {
                            let mut c = vec![f32::NAN; rows * n + 1];
                            if transposed {
                                product_transposed(rows, k, n, &a, &bt, bias, &mut c);
                            } else {
                                product(rows, k, n, &a, &b, bias, &mut c);
                            }
                            for (at, (&got, &want)) in c.iter().zip(&expected).enumerate() {
                                assert!(
                                    (f64::from(got) - want).abs() <= 1e-4 * (k as f64).sqrt(),
                                    "{rows}×{k}×{n} bias {with_bias} transposed {transposed}: [{at}] {got} vs {want}"
                                );
                            }
                            assert!(c[rows * n].is_nan(), "wrote past the output");
                        }
                    }
                }
            }
        }
    }
}
