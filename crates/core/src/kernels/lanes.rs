//! f32 lanes: the element-wise CPU kernels (`gelu.rs`) are written once over `Lanes` and run on a
//! plain `f32` — natively, where the compiler vectorises the loops itself — and in wasm on four
//! lanes of a SIMD128 register. The wasm build is optimised for size, and at that level LLVM
//! vectorises nothing, so without the explicit lanes those kernels ran one element at a time
//! there (24% of a training step in the browser).

use std::ops::{Add, Div, Mul, Neg, Sub};

/// What the element-wise kernels need of a number, one lane or several.
pub trait Lanes:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// Every lane `value`.
    fn splat(value: f32) -> Self;
    fn abs(self) -> Self;
    /// Each lane held to `[low, high]`; NaN stays NaN.
    fn clamp(self, low: f32, high: f32) -> Self;
    /// `if_non_negative` where this lane is ≥ 0, else `otherwise`.
    fn select_non_negative(self, if_non_negative: Self, otherwise: Self) -> Self;
    /// `2ⁿ` for `shifted = n + ROUND`, `n` an integer in f32's exponent range: from `shifted`'s
    /// bits, with `round_bits` the bits of `ROUND` (1.5·2²³: `n` is then in the low bits).
    fn power_of_two(shifted: Self, round_bits: u32) -> Self;
}

impl Lanes for f32 {
    #[inline(always)]
    fn splat(value: f32) -> Self {
        value
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f32::abs(self)
    }
    #[inline(always)]
    fn clamp(self, low: f32, high: f32) -> Self {
        f32::clamp(self, low, high)
    }
    #[inline(always)]
    fn select_non_negative(self, if_non_negative: Self, otherwise: Self) -> Self {
        if self >= 0.0 {
            if_non_negative
        } else {
            otherwise
        }
    }
    #[inline(always)]
    fn power_of_two(shifted: Self, round_bits: u32) -> Self {
        f32::from_bits(shifted.to_bits().wrapping_sub(round_bits).wrapping_add(127) << 23)
    }
}

/// `e^y` for `y` in f32's range (clamped to it), within a few units in the last place.
#[inline(always)]
pub fn exp<L: Lanes>(y: L) -> L {
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    // 1.5·2²³: adding it rounds to the nearest integer `n` and leaves `n` in the low bits, with
    // plain arithmetic the compiler vectorises (`f32::round` and `as i32` it would not).
    const ROUND: f32 = 12_582_912.0;
    let c = L::splat;
    let y = y.clamp(-87.0, 88.0);
    let shifted = y * c(std::f32::consts::LOG2_E) + c(ROUND);
    let n = shifted - c(ROUND);
    let r = y - n * c(LN2_HI) - n * c(LN2_LO);
    // Taylor to r⁷/7! on |r| ≤ ln2/2: the remainder is below 3·10⁻⁹ of the result.
    let p = c(1.0)
        + r * (c(1.0)
            + r * (c(0.5)
                + r * (c(1.0 / 6.0)
                    + r * (c(1.0 / 24.0)
                        + r * (c(1.0 / 120.0) + r * (c(1.0 / 720.0) + r * c(1.0 / 5040.0)))))));
    // 2ⁿ: `n + 127` in the exponent field.
    p * L::power_of_two(shifted, ROUND.to_bits())
}

/// Applies a kernel to the elements of slices, as wide as the target allows.
pub trait Kernel {
    /// One output from one input (`map`) or from two (`zip_map`).
    fn apply<L: Lanes>(&self, a: L, b: L) -> L;
}

/// `out[i] = kernel(a[i], b[i])` for `i < out.len()` (`a` and `b` at least as long).
#[inline(always)]
pub fn zip_map<K: Kernel>(kernel: &K, out: &mut [f32], a: &[f32], b: &[f32]) {
    let (a, b) = (&a[..out.len()], &b[..out.len()]);
    #[cfg(all(target_family = "wasm", target_feature = "simd128"))]
    let (out, a, b) = simd128::zip_map(kernel, out, a, b);
    for ((out, &a), &b) in out.iter_mut().zip(a).zip(b) {
        *out = kernel.apply(a, b);
    }
}

#[cfg(all(target_family = "wasm", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::*;
    use std::ops::{Add, Div, Mul, Neg, Sub};

    use super::{Kernel, Lanes};

    /// Four f32 lanes.
    #[derive(Clone, Copy)]
    pub struct F32x4(v128);

    impl F32x4 {
        #[inline(always)]
        fn load(values: &[f32]) -> Self {
            assert!(values.len() >= 4);
            // SAFETY: four f32 are in bounds; wasm loads need no alignment.
            Self(unsafe { v128_load(values.as_ptr().cast()) })
        }

        #[inline(always)]
        fn store(self, out: &mut [f32]) {
            assert!(out.len() >= 4);
            // SAFETY: as in `load`.
            unsafe { v128_store(out.as_mut_ptr().cast(), self.0) }
        }
    }

    macro_rules! operator {
        ($trait:ident, $method:ident, $op:ident) => {
            impl $trait for F32x4 {
                type Output = Self;
                #[inline(always)]
                fn $method(self, other: Self) -> Self {
                    Self($op(self.0, other.0))
                }
            }
        };
    }
    operator!(Add, add, f32x4_add);
    operator!(Sub, sub, f32x4_sub);
    operator!(Mul, mul, f32x4_mul);
    operator!(Div, div, f32x4_div);

    impl Neg for F32x4 {
        type Output = Self;
        #[inline(always)]
        fn neg(self) -> Self {
            Self(f32x4_neg(self.0))
        }
    }

    impl Lanes for F32x4 {
        #[inline(always)]
        fn splat(value: f32) -> Self {
            Self(f32x4_splat(value))
        }
        #[inline(always)]
        fn abs(self) -> Self {
            Self(f32x4_abs(self.0))
        }
        #[inline(always)]
        fn clamp(self, low: f32, high: f32) -> Self {
            // `min`/`max` propagate NaN, as f32::clamp does.
            Self(f32x4_min(
                f32x4_max(self.0, f32x4_splat(low)),
                f32x4_splat(high),
            ))
        }
        #[inline(always)]
        fn select_non_negative(self, if_non_negative: Self, otherwise: Self) -> Self {
            let mask = f32x4_ge(self.0, f32x4_splat(0.0));
            Self(v128_bitselect(if_non_negative.0, otherwise.0, mask))
        }
        #[inline(always)]
        fn power_of_two(shifted: Self, round_bits: u32) -> Self {
            let n = i32x4_sub(shifted.0, i32x4_splat(round_bits as i32));
            Self(i32x4_shl(i32x4_add(n, i32x4_splat(127)), 23))
        }
    }

    /// The whole groups of four; returns the tails left for one lane at a time.
    #[inline(always)]
    pub fn zip_map<'a, 'b, 'c, K: Kernel>(
        kernel: &K,
        out: &'a mut [f32],
        a: &'b [f32],
        b: &'c [f32],
    ) -> (&'a mut [f32], &'b [f32], &'c [f32]) {
        let whole = out.len() / 4 * 4;
        let (head, tail) = out.split_at_mut(whole);
        for (i, out) in head.chunks_exact_mut(4).enumerate() {
            let at = i * 4;
            let value = kernel.apply(F32x4::load(&a[at..]), F32x4::load(&b[at..]));
            value.store(out);
        }
        (tail, &a[whole..], &b[whole..])
    }
}
