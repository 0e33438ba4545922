//! The learning-rate schedule: linear warm-up from zero, then linear decay to zero at the last
//! step (what `transformers`' `get_linear_schedule_with_warmup` does).

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearSchedule {
    pub peak: f64,
    pub warmup_steps: usize,
    pub total_steps: usize,
}

impl LinearSchedule {
    /// The rate for step `step` (0-based).
    pub fn at(&self, step: usize) -> f64 {
        if step < self.warmup_steps {
            return self.peak * (step + 1) as f64 / self.warmup_steps as f64;
        }
        let remaining = self.total_steps.saturating_sub(step) as f64;
        let decay_steps = self.total_steps.saturating_sub(self.warmup_steps).max(1) as f64;
        self.peak * (remaining / decay_steps).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::LinearSchedule;

    #[test]
    fn warms_up_linearly_then_decays_to_zero() {
        let schedule = LinearSchedule {
            peak: 1.0,
            warmup_steps: 4,
            total_steps: 12,
        };
        let rates: Vec<f64> = (0..12).map(|s| schedule.at(s)).collect();
        assert_eq!(&rates[..4], &[0.25, 0.5, 0.75, 1.0]);
        assert_eq!(rates[4], 1.0);
        assert!(rates.windows(2).skip(4).all(|w| w[1] < w[0]));
        assert_eq!(rates[11], 1.0 / 8.0);
        assert_eq!(schedule.at(12), 0.0);
    }

    #[test]
    fn no_warmup_starts_at_the_peak() {
        let schedule = LinearSchedule {
            peak: 2e-3,
            warmup_steps: 0,
            total_steps: 10,
        };
        assert_eq!(schedule.at(0), 2e-3);
    }
}
