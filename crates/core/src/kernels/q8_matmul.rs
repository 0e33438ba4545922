//! The Linear layers' product with 8-bit weights (`dtype: "q8"`): `C = A · W (+ bias)` where `W`
//! is int8 with one scale per output column (`weights/quantize.rs`) and `A`, the activations, is
//! quantized here, one scale per row, to int8 too. The sums are exact: products of two int8 in
//! 32-bit integers, `|sum| ≤ k · 127² < 2³¹` for any `k` below 133 000; only the final
//! `sum · row scale · column scale + bias` is floating point.
//!
//! In WebAssembly the inner step is SIMD128's `i32x4.dot_i16x8_s`: two neighbouring depths of one
//! activation row (two int16 in one 32-bit broadcast) against the same two depths of four weight
//! columns, summed pairwise into four int32 — eight multiply-adds per instruction, where the f32
//! product (`cpu_matmul.rs`) does four. The layout follows: each block of eight weight columns is
//! copied, `KC` depths at a time, into a panel of int16 pairs (`[w(k, c), w(k + 1, c)]` for c in
//! 0..8), and the activations are kept as 32-bit pairs of int16. A 4 × 8 tile keeps eight int32
//! accumulators; the sums of a thread's columns live in a scratch of int32 until the last block of
//! `k`. Natively the same code runs on plain integers (the tests, and the CLI's `--dtype q8`).

use super::cpu_matmul::{Output, by_columns};

/// Depths per block: a panel of 256 depths × 8 columns of int16 is 4 KiB.
const KC: usize = 256;

/// `c = dequantized(a · w) (+ bias)`: `a` is `rows × k` f32, `w` `k × n` int8 and `scales` `n`
/// long (column `j` of the weight is `w[.., j] · scales[j]`), `bias` `n` long, `c` `rows × n`; all
/// row-major and contiguous.
#[allow(clippy::too_many_arguments)]
pub fn product(
    rows: usize,
    k: usize,
    n: usize,
    a: &[f32],
    w: &[i8],
    scales: &[f32],
    bias: Option<&[f32]>,
    c: &mut [f32],
) {
    assert!(a.len() >= rows * k && w.len() >= k * n && c.len() >= rows * n);
    assert!(scales.len() >= n && bias.is_none_or(|bias| bias.len() >= n));
    if rows == 0 || n == 0 {
        return;
    }
    let activations = Activations::quantize(rows, k, a);
    let out = Output(c.as_mut_ptr());
    let run = |first: usize, width: usize| {
        let sums = column_sums(&activations, w, n, first, width);
        let w8 = width.div_ceil(8) * 8;
        let (scales, bias) = (
            &scales[first..first + width],
            bias.map(|b| &b[first..first + width]),
        );
        for (r, &row_scale) in activations.scales.iter().enumerate() {
            // SAFETY: row `r`, columns `first..first + width` (`≤ n`) of the `rows × n` output
            // (asserted above); no two calls share a column.
            let row = unsafe { std::slice::from_raw_parts_mut(out.at(r * n + first), width) };
            dequantize(&sums[r * w8..r * w8 + width], row_scale, scales, bias, row);
        }
    };
    by_columns(n, run);
}

/// The activations as int8, one symmetric scale per row (its largest magnitude maps to 127),
/// stored as 32-bit pairs of int16 (depths `2p`, `2p + 1`; an odd `k` pads with 0).
struct Activations {
    rows: usize,
    pairs: usize,
    values: Vec<u32>,
    scales: Vec<f32>,
}

impl Activations {
    fn quantize(rows: usize, k: usize, a: &[f32]) -> Self {
        let pairs = k.div_ceil(2);
        let mut values = vec![0u32; rows * pairs];
        let mut scales = vec![0.0; rows];
        let threads = if cfg!(any(not(target_family = "wasm"), feature = "threads")) {
            rayon::current_num_threads().clamp(1, rows.max(1))
        } else {
            1
        };
        // The rows in one part per thread (the pass's team's, or rayon's).
        let per_part = rows.div_ceil(threads);
        let (to_values, to_scales) = (Output(values.as_mut_ptr()), Output(scales.as_mut_ptr()));
        let part = |i: usize| {
            for r in i * per_part..rows.min((i + 1) * per_part) {
                // SAFETY: row `r` of `values` (`pairs` long) and of `scales`; parts share no row.
                let (row_pairs, scale) = unsafe {
                    let row_pairs = std::slice::from_raw_parts_mut(to_values.at(r * pairs), pairs);
                    (row_pairs, &mut *to_scales.at(r))
                };
                *scale = quantize_row(&a[r * k..(r + 1) * k], row_pairs);
            }
        };
        let parts = rows.div_ceil(per_part.max(1));
        if threads == 1 {
            (0..parts).for_each(part);
        } else {
            super::team::split(parts, &part);
        }
        Activations {
            rows,
            pairs,
            values,
            scales,
        }
    }
}

/// `row[j] = sums[j] · (row_scale · scales[j]) + bias[j]`: one row of a thread's outputs.
fn dequantize(sums: &[i32], row_scale: f32, scales: &[f32], bias: Option<&[f32]>, row: &mut [f32]) {
    let width = row.len();
    assert!(sums.len() >= width && scales.len() >= width && bias.is_none_or(|b| b.len() >= width));
    #[allow(unused_mut)] // natively no SIMD prefix moves it
    let mut j = 0;
    #[cfg(target_family = "wasm")]
    // SAFETY: four values from `j` of each slice (`j + 4 ≤ width`, asserted lengths).
    unsafe {
        use core::arch::wasm32::*;
        let by = f32x4_splat(row_scale);
        while j + 4 <= width {
            let sum = f32x4_convert_i32x4(v128_load(sums.as_ptr().add(j).cast()));
            let scale = f32x4_mul(by, v128_load(scales.as_ptr().add(j).cast()));
            let mut value = f32x4_mul(sum, scale);
            if let Some(bias) = bias {
                value = f32x4_add(value, v128_load(bias.as_ptr().add(j).cast()));
            }
            v128_store(row.as_mut_ptr().add(j).cast(), value);
            j += 4;
        }
    }
    for j in j..width {
        row[j] = sums[j] as f32 * (row_scale * scales[j]) + bias.map_or(0.0, |bias| bias[j]);
    }
}

/// One row as int16 pairs in `pairs`; returns its scale.
fn quantize_row(row: &[f32], pairs: &mut [u32]) -> f32 {
    // NaN or infinity makes the scale so, and with it every output of the row, as the f32
    // product would.
    let peak = peak_of(row);
    if peak > 0.0 {
        let inverse = 127.0 / peak;
        let level = |x: f32| (x * inverse).round_ties_even() as i16 as u16 as u32;
        #[allow(unused_mut)] // natively no SIMD prefix moves it
        let mut done = 0;
        #[cfg(target_family = "wasm")]
        // SAFETY: eight values of `row` from `done`, and the pairs `done / 2..` + 4 (`pairs` holds
        // `row.len()` int16, rounded up to a pair).
        unsafe {
            use core::arch::wasm32::*;
            assert!(pairs.len() * 2 >= row.len());
            let by = f32x4_splat(inverse);
            let levels = |at: usize| {
                let x = f32x4_mul(v128_load(row.as_ptr().add(at).cast()), by);
                i32x4_trunc_sat_f32x4(f32x4_nearest(x))
            };
            while done + 8 <= row.len() {
                let both = i16x8_narrow_i32x4(levels(done), levels(done + 4));
                v128_store(pairs.as_mut_ptr().add(done / 2).cast(), both);
                done += 8;
            }
        }
        for (p, pair) in pairs.iter_mut().enumerate().skip(done / 2) {
            let low = level(row[2 * p]);
            let high = row.get(2 * p + 1).map_or(0, |&x| level(x));
            *pair = low | high << 16;
        }
    }
    peak / 127.0
}

/// The row's largest magnitude, or NaN if any value is NaN or infinite.
fn peak_of(row: &[f32]) -> f32 {
    #[allow(unused_mut)] // natively no SIMD prefix moves it
    let (mut peak, mut finite, mut done) = (0.0f32, true, 0);
    #[cfg(target_family = "wasm")]
    // SAFETY: four values of `row` from `done`.
    unsafe {
        use core::arch::wasm32::*;
        // `f32x4.max` gives NaN where either side is NaN, so a NaN stays in its lane.
        let mut lanes = f32x4_splat(0.0);
        while done + 4 <= row.len() {
            lanes = f32x4_max(lanes, f32x4_abs(v128_load(row.as_ptr().add(done).cast())));
            done += 4;
        }
        let lanes = [
            f32x4_extract_lane::<0>(lanes),
            f32x4_extract_lane::<1>(lanes),
            f32x4_extract_lane::<2>(lanes),
            f32x4_extract_lane::<3>(lanes),
        ];
        for lane in lanes {
            finite &= lane.is_finite();
            peak = peak.max(lane);
        }
    }
    for &x in &row[done..] {
        finite &= x.is_finite();
        peak = peak.max(x.abs());
    }
    if finite { peak } else { f32::NAN }
}

/// The exact integer sums for columns `first..first + width` of every row, `rows ×
/// width.div_ceil(8) · 8` (the padding columns hold zeros).
fn column_sums(a: &Activations, w: &[i8], n: usize, first: usize, width: usize) -> Vec<i32> {
    let w8 = width.div_ceil(8) * 8;
    let mut sums = vec![0i32; a.rows * w8];
    // Two panels of eight columns: a row tile runs over both while its activations are in the
    // first-level cache, so they are read once per sixteen columns, not per eight.
    let mut panels = vec![0i16; 2 * KC * 8];
    let k = w.len() / n;
    let pairs_per_block = KC / 2;
    let mut p0 = 0;
    while p0 < a.pairs {
        let depth = pairs_per_block.min(a.pairs - p0);
        for j in (0..width).step_by(16) {
            let halves = if j + 8 < width { 2 } else { 1 };
            for half in 0..halves {
                let (j, panel) = (j + 8 * half, &mut panels[half * KC * 8..]);
                pack(w, n, k, first, j, width, p0, depth, panel);
            }
            let mut i = 0;
            while i < a.rows {
                let tall = a.rows - i >= 4;
                let from = a.values[i * a.pairs + p0..].as_ptr();
                for half in 0..halves {
                    let panel = panels[half * KC * 8..].as_ptr();
                    // SAFETY: rows `i..i + 4` (or `i`) of the activations hold `depth` pairs
                    // from `p0`; the panel holds `depth × 16` int16; the sums hold those rows at
                    // columns `j + 8 · half..` + 8 (`w8` is `width` rounded up to 8).
                    unsafe {
                        let sums = sums.as_mut_ptr().add(i * w8 + j + 8 * half);
                        if tall {
                            tile::<4>(depth, from, a.pairs, panel, sums, w8);
                        } else {
                            tile::<1>(depth, from, a.pairs, panel, sums, w8);
                        }
                    }
                }
                i += if tall { 4 } else { 1 };
            }
        }
        p0 += depth;
    }
    sums
}

/// Columns `first + j..` + 8 of the weight, depths from pair `p0` on, as `depth` rows of pairs
/// (zero past the thread's last column, or past `k` for an odd depth).
#[allow(clippy::too_many_arguments)]
fn pack(
    w: &[i8],
    n: usize,
    k: usize,
    first: usize,
    j: usize,
    width: usize,
    p0: usize,
    depth: usize,
    panel: &mut [i16],
) {
    for p in 0..depth {
        let kk = 2 * (p0 + p);
        if kk + 1 < k && j + 8 <= width {
            let at = kk * n + first + j;
            let (upper, lower) = (&w[at..at + 8], &w[at + n..at + n + 8]);
            interleave(upper, lower, &mut panel[p * 16..p * 16 + 16]);
            continue;
        }
        for h in 0..2 {
            for col in 0..8 {
                panel[p * 16 + 2 * col + h] = if kk + h < k && j + col < width {
                    i16::from(w[(kk + h) * n + first + j + col])
                } else {
                    0
                };
            }
        }
    }
}

/// Eight columns of two neighbouring weight rows as int16 pairs: `[upper[c], lower[c]]` for c in
/// 0..8. In wasm one byte shuffle and two widenings.
#[inline(always)]
fn interleave(upper: &[i8], lower: &[i8], pairs: &mut [i16]) {
    assert!(upper.len() >= 8 && lower.len() >= 8 && pairs.len() >= 16);
    #[cfg(target_family = "wasm")]
    // SAFETY: eight bytes of each row are readable and sixteen int16 writable (asserted).
    unsafe {
        use core::arch::wasm32::*;
        let upper = v128_load64_zero(upper.as_ptr().cast());
        let lower = v128_load64_zero(lower.as_ptr().cast());
        let both =
            i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(upper, lower);
        v128_store(pairs.as_mut_ptr().cast(), i16x8_extend_low_i8x16(both));
        v128_store(
            pairs.as_mut_ptr().add(8).cast(),
            i16x8_extend_high_i8x16(both),
        );
    }
    #[cfg(not(target_family = "wasm"))]
    for c in 0..8 {
        pairs[2 * c] = i16::from(upper[c]);
        pairs[2 * c + 1] = i16::from(lower[c]);
    }
}

/// An `R × 8` tile of sums over `depth` pairs: `a` the first row's pairs (rows `lda` apart),
/// `panel` 16 int16 per pair, `sums` rows `ld` apart, added to. The rows are written out, as in
/// `cpu_matmul.rs`'s tile, so the accumulators stay named registers at `opt-level = "z"`.
#[inline(never)]
unsafe fn tile<const R: usize>(
    depth: usize,
    a: *const u32,
    lda: usize,
    panel: *const i16,
    sums: *mut i32,
    ld: usize,
) {
    unsafe {
        match R {
            4 => {
                let row = |r: usize| sums.add(r * ld);
                let (mut c00, mut c01) = (I4::load(row(0)), I4::load(row(0).add(4)));
                let (mut c10, mut c11) = (I4::load(row(1)), I4::load(row(1).add(4)));
                let (mut c20, mut c21) = (I4::load(row(2)), I4::load(row(2).add(4)));
                let (mut c30, mut c31) = (I4::load(row(3)), I4::load(row(3).add(4)));
                let (a1, a2, a3) = (a.add(lda), a.add(2 * lda), a.add(3 * lda));
                for p in 0..depth {
                    let w = panel.add(p * 16);
                    let (w0, w1) = (I4::pairs(w), I4::pairs(w.add(8)));
                    let x = I4::splat(a.add(p));
                    c00 = c00.dot_add(x, w0);
                    c01 = c01.dot_add(x, w1);
                    let x = I4::splat(a1.add(p));
                    c10 = c10.dot_add(x, w0);
                    c11 = c11.dot_add(x, w1);
                    let x = I4::splat(a2.add(p));
                    c20 = c20.dot_add(x, w0);
                    c21 = c21.dot_add(x, w1);
                    let x = I4::splat(a3.add(p));
                    c30 = c30.dot_add(x, w0);
                    c31 = c31.dot_add(x, w1);
                }
                for (r, [v0, v1]) in [[c00, c01], [c10, c11], [c20, c21], [c30, c31]]
                    .into_iter()
                    .enumerate()
                {
                    v0.store(row(r));
                    v1.store(row(r).add(4));
                }
            }
            1 => {
                let (mut c0, mut c1) = (I4::load(sums), I4::load(sums.add(4)));
                for p in 0..depth {
                    let w = panel.add(p * 16);
                    let x = I4::splat(a.add(p));
                    c0 = c0.dot_add(x, I4::pairs(w));
                    c1 = c1.dot_add(x, I4::pairs(w.add(8)));
                }
                c0.store(sums);
                c1.store(sums.add(4));
            }
            _ => unreachable!("no {R} × 8 tile"),
        }
    }
}

/// Four int32 lanes (or eight int16, as `pairs` and `splat` load them): a SIMD128 register in
/// wasm, plain integers elsewhere.
#[derive(Clone, Copy)]
struct I4(
    #[cfg(target_family = "wasm")] core::arch::wasm32::v128,
    #[cfg(not(target_family = "wasm"))] [i32; 4],
);

#[cfg(target_family = "wasm")]
impl I4 {
    #[inline(always)]
    unsafe fn load(at: *const i32) -> Self {
        Self(unsafe { core::arch::wasm32::v128_load(at.cast()) })
    }
    /// Eight int16: four columns' pairs.
    #[inline(always)]
    unsafe fn pairs(at: *const i16) -> Self {
        Self(unsafe { core::arch::wasm32::v128_load(at.cast()) })
    }
    /// One 32-bit pair of int16 in every lane.
    #[inline(always)]
    unsafe fn splat(at: *const u32) -> Self {
        Self(unsafe { core::arch::wasm32::v128_load32_splat(at.cast()) })
    }
    /// `self + (x · w, pairwise summed)`.
    #[inline(always)]
    fn dot_add(self, x: Self, w: Self) -> Self {
        use core::arch::wasm32::{i32x4_add, i32x4_dot_i16x8};
        Self(i32x4_add(self.0, i32x4_dot_i16x8(x.0, w.0)))
    }
    #[inline(always)]
    unsafe fn store(self, at: *mut i32) {
        unsafe { core::arch::wasm32::v128_store(at.cast(), self.0) }
    }
}

/// Natively `pairs` keeps lane `i` as the two int16 packed in one i32, as in wasm's register.
#[cfg(not(target_family = "wasm"))]
impl I4 {
    unsafe fn load(at: *const i32) -> Self {
        Self(unsafe { core::ptr::read_unaligned(at.cast::<[i32; 4]>()) })
    }
    unsafe fn pairs(at: *const i16) -> Self {
        Self(unsafe { core::ptr::read_unaligned(at.cast::<[i32; 4]>()) })
    }
    unsafe fn splat(at: *const u32) -> Self {
        Self([unsafe { *at } as i32; 4])
    }
    fn dot_add(self, x: Self, w: Self) -> Self {
        let halves = |v: i32| [i32::from(v as i16), v >> 16];
        Self(std::array::from_fn(|i| {
            let ([x0, x1], [w0, w1]) = (halves(x.0[i]), halves(w.0[i]));
            self.0[i] + x0 * w0 + x1 * w1
        }))
    }
    unsafe fn store(self, at: *mut i32) {
        unsafe { core::ptr::write_unaligned(at.cast::<[i32; 4]>(), self.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::super::cpu_matmul::tests::values;
    use super::{Activations, product};

    /// Int8 weights in [-127, 127] and per-column scales.
    fn weights(k: usize, n: usize) -> (Vec<i8>, Vec<f32>) {
        let w = values(k * n, 7)
            .iter()
            .map(|x| (x * 127.0).round() as i8)
            .collect();
        let scales = values(n, 8).iter().map(|x| 0.01 + x.abs() * 0.02).collect();
        (w, scales)
    }

    #[test]
    fn the_integer_sums_are_exact_in_every_tile_and_tail() {
        // The output is checked against the same quantized activations multiplied out in i64, so
        // any difference is the kernel's, not quantization's.
        for rows in [1, 3, 4, 5, 9] {
            for n in [1, 7, 8, 9, 16, 17, 33] {
                for k in [1, 2, 5, 256, 257, 600] {
                    for with_bias in [false, true] {
                        let a = values(rows * k, 1);
                        let (w, scales) = weights(k, n);
                        let bias = values(n, 3);
                        let bias = with_bias.then_some(&bias[..]);
                        let mut c = vec![f32::NAN; rows * n + 1];
                        product(rows, k, n, &a, &w, &scales, bias, &mut c);
                        let q = Activations::quantize(rows, k, &a);
                        for r in 0..rows {
                            for j in 0..n {
                                let sum: i64 = (0..k)
                                    .map(|p| {
                                        let pair = q.values[r * q.pairs + p / 2];
                                        let level = (pair >> (16 * (p % 2))) as u16 as i16;
                                        i64::from(level) * i64::from(w[p * n + j])
                                    })
                                    .sum();
                                let want = sum as f32 * (q.scales[r] * scales[j])
                                    + bias.map_or(0.0, |b| b[j]);
                                let got = c[r * n + j];
                                assert_eq!(
                                    got, want,
                                    "{rows}×{k}×{n} bias {with_bias}: [{r}, {j}]"
                                );
                            }
                        }
                        assert!(c[rows * n].is_nan(), "wrote past the output");
                    }
                }
            }
        }
    }

    #[test]
    fn quantizing_the_activations_loses_at_most_half_a_step() {
        let (rows, k, n) = (3, 300, 5);
        let a = values(rows * k, 11);
        let (w, scales) = weights(k, n);
        let mut c = vec![0.0; rows * n];
        product(rows, k, n, &a, &w, &scales, None, &mut c);
        for r in 0..rows {
            let step = a[r * k..(r + 1) * k]
                .iter()
                .fold(0.0f32, |m, x| m.max(x.abs()))
                / 127.0;
            for j in 0..n {
                let exact: f64 = (0..k)
                    .map(|p| {
                        f64::from(a[r * k + p]) * f64::from(w[p * n + j]) * f64::from(scales[j])
                    })
                    .sum();
                let bound: f64 = (0..k)
                    .map(|p| {
                        f64::from(step / 2.0)
                            * f64::from(w[p * n + j].unsigned_abs())
                            * f64::from(scales[j])
                    })
                    .sum();
                let got = f64::from(c[r * n + j]);
                assert!(
                    (got - exact).abs() <= bound * 1.001 + 1e-6,
                    "[{r}, {j}] {got} vs {exact} (bound {bound})"
                );
            }
        }
    }

    #[test]
    fn a_row_of_zeros_gives_the_bias_and_a_nan_gives_nan() {
        let (k, n) = (4, 3);
        let mut a = vec![0.0; 2 * k];
        a[k + 1] = f32::NAN;
        let (w, scales) = weights(k, n);
        let bias = [1.0, 2.0, 3.0];
        let mut c = vec![0.0; 2 * n];
        product(2, k, n, &a, &w, &scales, Some(&bias), &mut c);
        assert_eq!(&c[..n], &bias);
        assert!(c[n..].iter().all(|x| x.is_nan()), "{c:?}");
    }
}
