//! How much memory this process can have: what loading a model and a training step are checked
//! against before they allocate, so a model or a batch that cannot fit is refused in words.

/// Bytes this process can use, and where that is said: in the browser the 4 GiB a wasm instance
/// addresses; natively what the system has available (Linux's MemAvailable), else 8 GiB.
pub fn available() -> (u64, &'static str) {
    if cfg!(target_arch = "wasm32") {
        return (4 << 30, "this tab");
    }
    let available = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib * 1024)
        });
    (available.unwrap_or(8 << 30), "this machine")
}

/// Bytes a load of a checkpoint holding `values` numbers in a file of `file_bytes` needs at its
/// peak: the file, the values read as f32, and the network's own copy (`network_bytes`) while
/// they move into it.
pub fn load_bytes(values: u64, file_bytes: u64, network_bytes: u64) -> u64 {
    file_bytes + 4 * values + network_bytes
}

/// Bytes a network of `values` numbers holds in f32, with (`int8`) `linear` of them — the Linear
/// layers' weights — at one byte each instead.
pub fn network_bytes(values: u64, linear: u64, int8: bool) -> u64 {
    if int8 {
        4 * (values - linear) + linear
    } else {
        4 * values
    }
}
