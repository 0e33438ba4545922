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

/// One fill-mask pass over `tokens` made-up word ids with the mask row in the middle, as the
/// latency benchmarks time it; checks that a full vocabulary row came back.
pub fn masked_pass(
    network: &clozelab_core::model::network::MaskedLm,
    device: &burn::tensor::Device,
    tokens: usize,
    vocab_size: usize,
) {
    // Spread over the vocabulary, and inside it however small it is.
    let ids: Vec<u32> = (0..tokens as u32)
        .map(|i| (1000 + (i * 7919) % 20000) % vocab_size as u32)
        .collect();
    let types = vec![0; tokens];
    let pass = pollster::block_on(clozelab_core::fill_mask::forward_masked(
        network,
        device,
        clozelab_core::fill_mask::Padded::none(&ids, &types),
        vec![tokens / 2],
        clozelab_core::model::Keep::default(),
    ))
    .expect("forward pass");
    assert_eq!(pass.probs[0].len(), vocab_size);
}
