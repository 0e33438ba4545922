//! BERT's masked-LM corruption: choose a share of the ordinary tokens (15% by default); of
//! those, 80% become the mask token, 10% a random token, 10% stay as they are. The model must
//! predict the original token at every chosen position. Used by the trainer and by the classroom
//! dice, with a seeded generator so a run can be replayed exactly, natively and in wasm.

use serde::Serialize;

/// A small seeded generator (SplitMix64): the same numbers on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MaskingConfig {
    /// Share of ordinary tokens chosen for prediction.
    pub mask_rate: f64,
    /// Of the chosen, the share replaced by the mask token …
    pub replace_with_mask: f64,
    /// … and the share replaced by a random token (the rest stay unchanged).
    pub replace_with_random: f64,
}

impl Default for MaskingConfig {
    fn default() -> Self {
        MaskingConfig {
            mask_rate: 0.15,
            replace_with_mask: 0.8,
            replace_with_random: 0.1,
        }
    }
}

/// What happened to one chosen token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum Corruption {
    Mask,
    Random,
    Unchanged,
}

/// A corrupted sequence and what the model must recover.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Masked {
    pub input_ids: Vec<u32>,
    /// Positions chosen for prediction, ascending.
    pub positions: Vec<usize>,
    /// The original token at each chosen position.
    pub labels: Vec<u32>,
    pub corruptions: Vec<Corruption>,
}

/// Corrupts `ids`. `special[i]` marks tokens never chosen ([CLS], [SEP], padding). Random
/// replacements are drawn from `0..vocab_size` outside `never_random` (the special ids). At least
/// one token is chosen whenever the sequence has an ordinary token, so every example teaches.
pub fn corrupt(
    ids: &[u32],
    special: &[bool],
    mask_id: u32,
    vocab_size: usize,
    never_random: &[u32],
    config: MaskingConfig,
    rng: &mut Rng,
) -> Masked {
    let candidates: Vec<usize> = (0..ids.len()).filter(|&i| !special[i]).collect();
    let mut positions: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|_| rng.unit() < config.mask_rate)
        .collect();
    if positions.is_empty() && !candidates.is_empty() {
        positions.push(candidates[rng.below(candidates.len())]);
    }
    let mut input_ids = ids.to_vec();
    let mut labels = Vec::with_capacity(positions.len());
    let mut corruptions = Vec::with_capacity(positions.len());
    for &position in &positions {
        labels.push(ids[position]);
        let roll = rng.unit();
        let corruption = if roll < config.replace_with_mask {
            input_ids[position] = mask_id;
            Corruption::Mask
        } else if roll < config.replace_with_mask + config.replace_with_random {
            input_ids[position] = random_token(vocab_size, never_random, rng);
            Corruption::Random
        } else {
            Corruption::Unchanged
        };
        corruptions.push(corruption);
    }
    Masked {
        input_ids,
        positions,
        labels,
        corruptions,
    }
}

fn random_token(vocab_size: usize, never: &[u32], rng: &mut Rng) -> u32 {
    loop {
        let id = rng.below(vocab_size) as u32;
        if !never.contains(&id) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sequence(len: usize) -> (Vec<u32>, Vec<bool>) {
        let ids: Vec<u32> = (0..len as u32).map(|i| 10 + i % 50).collect();
        let special: Vec<bool> = (0..len).map(|i| i == 0 || i == len - 1).collect();
        (ids, special)
    }

    #[test]
    fn proportions_converge_to_15_80_10_10() {
        let (ids, special) = sequence(102);
        let mut rng = Rng::new(7);
        let (mut chosen, mut ordinary) = (0usize, 0usize);
        let mut counts = [0usize; 3];
        for _ in 0..2000 {
            let masked = corrupt(
                &ids,
                &special,
                4,
                100,
                &[0, 1, 2, 3, 4],
                MaskingConfig::default(),
                &mut rng,
            );
            chosen += masked.positions.len();
            ordinary += 100;
            for corruption in masked.corruptions {
                counts[corruption as usize] += 1;
            }
        }
        let rate = chosen as f64 / ordinary as f64;
        assert!((rate - 0.15).abs() < 0.005, "chosen {rate}");
        let share = |n: usize| n as f64 / chosen as f64;
        assert!(
            (share(counts[0]) - 0.8).abs() < 0.01,
            "mask {}",
            share(counts[0])
        );
        assert!(
            (share(counts[1]) - 0.1).abs() < 0.01,
            "random {}",
            share(counts[1])
        );
        assert!(
            (share(counts[2]) - 0.1).abs() < 0.01,
            "unchanged {}",
            share(counts[2])
        );
    }

    #[test]
    fn specials_are_never_chosen_and_random_tokens_are_never_special() {
        let (ids, special) = sequence(40);
        let mut rng = Rng::new(1);
        let config = MaskingConfig {
            mask_rate: 0.9,
            replace_with_mask: 0.0,
            replace_with_random: 1.0,
        };
        for _ in 0..200 {
            let masked = corrupt(&ids, &special, 4, 12, &[0, 1, 2, 3, 4], config, &mut rng);
            assert!(masked.positions.iter().all(|&p| !special[p]));
            assert!(
                masked
                    .positions
                    .iter()
                    .all(|&p| masked.input_ids[p] >= 5 && masked.input_ids[p] < 12)
            );
            assert_eq!(
                masked.labels,
                masked.positions.iter().map(|&p| ids[p]).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn every_sequence_with_an_ordinary_token_gets_one_target() {
        let (ids, special) = sequence(3);
        let mut rng = Rng::new(3);
        let config = MaskingConfig {
            mask_rate: 0.0,
            ..MaskingConfig::default()
        };
        let masked = corrupt(&ids, &special, 4, 100, &[], config, &mut rng);
        assert_eq!(masked.positions, vec![1]);
    }

    #[test]
    fn the_same_seed_replays_the_same_corruption() {
        let (ids, special) = sequence(64);
        let run = |seed| {
            corrupt(
                &ids,
                &special,
                4,
                100,
                &[],
                MaskingConfig::default(),
                &mut Rng::new(seed),
            )
        };
        assert_eq!(run(11), run(11));
        assert_ne!(run(11), run(12));
    }
}
