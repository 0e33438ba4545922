//! A bounded property test over hostile model folders: safetensors headers, torch pickles and
//! config.json files mutated by a seeded generator (byte flips, cuts, absurd numbers, wrong types)
//! either load as a model or are refused with an error — never a panic, and never an allocation
//! far beyond what the folder's own bytes justify (a header that claims 10¹² values must not be
//! believed). The allocator of this test binary counts the bytes in use to check the second part.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};

use clozelab_core::backend::{BackendKind, cpu_device};
use clozelab_core::masking::Rng;
use clozelab_core::{LoadedModel, ModelFiles};
use common::model_files;

/// The system allocator, counting the bytes in use and the most in use since the last reset.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Most bytes a load may allocate beyond what was in use before it: a multiple of the folder's
/// size (f32 copies of the tensors, the network's own, the tokenizer) plus a fixed allowance for
/// the backend's and tokenizer's start-up.
fn allowance(files: &ModelFiles) -> usize {
    const PER_FILE_BYTE: usize = 24;
    const FIXED: usize = 64 << 20;
    PER_FILE_BYTE
        * files
            .names()
            .map(|name| files.get(name).map_or(0, <[u8]>::len))
            .sum::<usize>()
        + FIXED
}

/// Loads `files` on the CPU; Err(description) on a panic or an allocation past the allowance.
fn load_safely(files: &ModelFiles, case: &str) -> Result<(), String> {
    let before = IN_USE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        LoadedModel::load(files, cpu_device(), BackendKind::Cpu).map(|_| ())
    }));
    let grew = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    match outcome {
        Err(panic) => Err(format!(
            "{case}: panicked ({})",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
        Ok(_) if grew > allowance(files) => Err(format!(
            "{case}: allocated {grew} bytes, more than the {} allowed",
            allowance(files)
        )),
        Ok(Err(error)) if error.to_string().is_empty() => {
            Err(format!("{case}: an error without a message"))
        }
        Ok(_) => Ok(()),
    }
}

fn with(base: &str, name: &str, bytes: Vec<u8>) -> ModelFiles {
    let mut files = model_files(base);
    files.insert(name, bytes);
    files
}

/// A copy of `bytes` with a few bytes in `range` flipped, or cut at a random length.
fn mutate(bytes: &[u8], range: std::ops::Range<usize>, rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    match rng.below(4) {
        0 => out.truncate(rng.below(bytes.len())),
        _ => {
            for _ in 0..1 + rng.below(4) {
                let at = range.start + rng.below(range.len().max(1));
                if at < out.len() {
                    out[at] ^= 1 << rng.below(8);
                }
            }
        }
    }
    out
}

/// Numbers that have broken loaders: zero, negative, huge, fractional, and the wrong types.
const ABSURD: [&str; 10] = [
    "0",
    "-1",
    "1e30",
    "18446744073709551615",
    "4294967296",
    "1000000",
    "2.5",
    "\"12\"",
    "null",
    "[]",
];

#[test]
fn mutated_safetensors_pickles_and_configs_load_or_fail_never_panic_never_balloon() {
    let mut rng = Rng::new(0xC1_02E_1AB);
    let mut failures = Vec::new();
    let mut check = |files: ModelFiles, case: String| {
        if let Err(problem) = load_safely(&files, &case) {
            failures.push(problem);
        }
    };

    // safetensors: the header (length prefix and JSON) flipped or cut, and every number in the
    // JSON replaced by an absurd one in turn.
    let safetensors = model_files("bert-gelu")
        .get("model.safetensors")
        .unwrap()
        .to_vec();
    let header_end = 8 + u64::from_le_bytes(safetensors[..8].try_into().unwrap()) as usize;
    for i in 0..120 {
        check(
            with(
                "bert-gelu",
                "model.safetensors",
                mutate(&safetensors, 0..header_end, &mut rng),
            ),
            format!("safetensors flip/cut #{i}"),
        );
    }
    let header = String::from_utf8(safetensors[8..header_end].to_vec()).unwrap();
    let numbers: Vec<(usize, usize)> = header
        .match_indices(|c: char| c.is_ascii_digit())
        .map(|(at, _)| at)
        .fold(Vec::new(), |mut runs: Vec<(usize, usize)>, at| {
            match runs.last_mut() {
                Some((_, end)) if *end == at => *end += 1,
                _ => runs.push((at, at + 1)),
            }
            runs
        });
    for i in 0..60 {
        let (start, end) = numbers[rng.below(numbers.len())];
        let absurd = ABSURD[rng.below(ABSURD.len())];
        let edited = format!("{}{absurd}{}", &header[..start], &header[end..]);
        let mut bytes = (edited.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(edited.as_bytes());
        bytes.extend_from_slice(&safetensors[header_end..]);
        check(
            with("bert-gelu", "model.safetensors", bytes),
            format!("safetensors number {absurd} at {start} #{i}"),
        );
    }

    // A torch pickle (a zip holding data.pkl and the storages), flipped anywhere or cut.
    let pickle = model_files("bert-gelu-bin")
        .get("pytorch_model.bin")
        .unwrap()
        .to_vec();
    for i in 0..120 {
        check(
            with(
                "bert-gelu-bin",
                "pytorch_model.bin",
                mutate(&pickle, 0..pickle.len(), &mut rng),
            ),
            format!("pickle flip/cut #{i}"),
        );
    }

    // config.json: bytes flipped or cut, and each numeric field set to an absurd value.
    let config = model_files("bert-gelu")
        .get("config.json")
        .unwrap()
        .to_vec();
    for i in 0..60 {
        check(
            with(
                "bert-gelu",
                "config.json",
                mutate(&config, 0..config.len(), &mut rng),
            ),
            format!("config.json flip/cut #{i}"),
        );
    }
    let fields: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&config).unwrap();
    for (field, _) in fields.iter().filter(|(_, v)| v.is_number()) {
        for absurd in ABSURD {
            let mut edited = fields.clone();
            edited.insert(field.clone(), serde_json::from_str(absurd).unwrap());
            check(
                with(
                    "bert-gelu",
                    "config.json",
                    serde_json::to_vec(&edited).unwrap(),
                ),
                format!("config.json {field} = {absurd}"),
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the hostile folders broke the loader:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
