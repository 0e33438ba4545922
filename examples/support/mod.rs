//! What the benchmark examples share: timing a call as `make bench` reports it.

use std::time::Instant;

/// Milliseconds of the first call, then the median of `runs` calls after `warm_up` calls
/// (the first included).
pub fn first_and_median_ms(warm_up: usize, runs: usize, mut call: impl FnMut()) -> (f64, f64) {
    let mut timed = || {
        let start = Instant::now();
        call();
        start.elapsed().as_secs_f64() * 1e3
    };
    let first = timed();
    for _ in 1..warm_up {
        timed();
    }
    let mut times: Vec<f64> = (0..runs).map(|_| timed()).collect();
    times.sort_by(f64::total_cmp);
    let median = if runs % 2 == 0 {
        (times[runs / 2 - 1] + times[runs / 2]) / 2.0
    } else {
        times[runs / 2]
    };
    (first, median)
}
