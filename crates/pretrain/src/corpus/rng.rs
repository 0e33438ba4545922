//! The corpus draws from the crate's seeded SplitMix64 (`clozelab_core::masking::Rng`), so a seed
//! replays the same sentences natively and in wasm. Only the two draws the templates need live
//! here.

pub use clozelab_core::masking::Rng;

/// One item of `choices`, uniformly.
pub fn pick<'a, T>(rng: &mut Rng, choices: &'a [T]) -> &'a T {
    &choices[rng.below(choices.len())]
}

/// True with probability one half.
pub fn coin(rng: &mut Rng) -> bool {
    rng.next_u64() & 1 == 1
}
