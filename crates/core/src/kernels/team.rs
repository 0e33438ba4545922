//! A pass's threads kept awake between its products. rayon puts a thread that runs out of work to
//! sleep almost at once, and in the browser waking it again (`Atomics.notify` across Web Workers)
//! costs tens of microseconds each way — paid twice per product, 70–150 products per BERT-base
//! pass: at 16 tokens the two threads sat waiting a third of the pass. With a team, the pass runs
//! on one of the pool's threads (the leader) and the others spin beside it for the whole pass,
//! taking their share of each product the moment it is posted; while no product is posted they
//! run any other rayon work (burn's parallel operations) instead of sleeping. The pass's
//! results are the same: each part computes what it would on rayon's threads.
//!
//! Used by the browser's threaded build (`with_team` around a forward pass; elsewhere it runs the
//! pass as it is). `share` answers `false` outside a team, and the caller splits over rayon.

use std::cell::Cell;
use std::hint::spin_loop;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering::SeqCst};

/// One product's parts, posted by the leader: `run(i)` for every `i < parts`, each taken once.
struct Job<'a> {
    run: &'a (dyn Fn(usize) + Sync),
    parts: usize,
    next: AtomicUsize,
    done: AtomicUsize,
}

impl Job<'_> {
    /// Takes parts until none is left.
    fn work(&self) {
        loop {
            let part = self.next.fetch_add(1, SeqCst);
            if part >= self.parts {
                return;
            }
            (self.run)(part);
            self.done.fetch_add(1, SeqCst);
        }
    }
}

/// The leader's post board.
struct Team {
    /// The job posted, or null.
    job: AtomicPtr<Job<'static>>,
    /// Counts posts, so a helper takes each job once even where two jobs share an address.
    posts: AtomicUsize,
    /// Helpers holding the posted job's address: the leader waits for them before its job goes.
    holding: AtomicUsize,
    finished: AtomicBool,
}

thread_local! {
    /// The team this thread leads, if any.
    static LEADING: Cell<*const Team> = const { Cell::new(std::ptr::null()) };
}

/// Runs `pass` with a team where the browser's threaded build runs it; as it is elsewhere.
pub fn with_team<R: Send>(pass: impl FnOnce() -> R + Send) -> R {
    if cfg!(all(target_family = "wasm", feature = "threads")) {
        lead(pass)
    } else {
        pass()
    }
}

/// Runs `pass` as a team's leader on rayon's pool, every other thread of the pool helping.
fn lead<R: Send>(pass: impl FnOnce() -> R + Send) -> R {
    let threads = rayon::current_num_threads();
    if threads < 2 || !LEADING.get().is_null() {
        return pass();
    }
    let team = Team {
        job: AtomicPtr::new(std::ptr::null_mut()),
        posts: AtomicUsize::new(0),
        holding: AtomicUsize::new(0),
        finished: AtomicBool::new(false),
    };
    rayon::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|_| team.help());
        }
        // Let go of the team however the pass ends, so its helpers stop spinning.
        struct Done<'a>(&'a Team);
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                LEADING.set(std::ptr::null());
                self.0.finished.store(true, SeqCst);
            }
        }
        LEADING.set(&team);
        let _done = Done(&team);
        pass()
    })
}

/// `run(i)` for `i < parts`, shared with the team this thread leads; `false` (nothing run) if it
/// leads none.
pub(super) fn share(parts: usize, run: &(dyn Fn(usize) + Sync)) -> bool {
    let team = LEADING.get();
    if team.is_null() {
        return false;
    }
    // SAFETY: a thread leads a team only inside `lead`, which outlives this call.
    let team = unsafe { &*team };
    let job = Job {
        run,
        parts,
        next: AtomicUsize::new(0),
        done: AtomicUsize::new(0),
    };
    // The address is given out for this call only: it is withdrawn, and every helper holding it
    // has let go, before `job` goes out of scope.
    let address = (&job as *const Job<'_>).cast_mut().cast::<Job<'static>>();
    team.job.store(address, SeqCst);
    team.posts.fetch_add(1, SeqCst);
    job.work();
    team.job.store(std::ptr::null_mut(), SeqCst);
    while job.done.load(SeqCst) < parts || team.holding.load(SeqCst) > 0 {
        spin_loop();
    }
    true
}

/// `run(i)` for every `i < parts`: on the team this thread leads, or else on rayon's pool.
pub(super) fn split(parts: usize, run: &(dyn Fn(usize) + Sync)) {
    if !share(parts, run) {
        use rayon::prelude::*;
        (0..parts).into_par_iter().for_each(run);
    }
}

impl Team {
    /// A helper: takes parts of each job posted until the pass is finished, and runs the pool's
    /// other work meanwhile.
    fn help(&self) {
        // Run by its own leader (while the pass waits inside rayon): nothing to help with.
        if std::ptr::eq(LEADING.get(), self) {
            return;
        }
        let mut seen = 0;
        let mut idle = 0u32;
        while !self.finished.load(SeqCst) {
            let posts = self.posts.load(SeqCst);
            if posts != seen {
                seen = posts;
                self.holding.fetch_add(1, SeqCst);
                let job = self.job.load(SeqCst);
                if !job.is_null() && self.posts.load(SeqCst) == posts {
                    // SAFETY: the leader keeps the job alive while `holding` counts this helper
                    // and the address is still posted (checked after counting).
                    unsafe { (*job).work() };
                }
                self.holding.fetch_sub(1, SeqCst);
                idle = 0;
                continue;
            }
            idle = idle.wrapping_add(1);
            if idle % 64 == 0 {
                rayon::yield_now();
            } else {
                spin_loop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    use super::{lead, share};

    #[test]
    fn every_part_runs_once_on_the_team() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let counts: Vec<AtomicUsize> = (0..37).map(|_| AtomicUsize::new(0)).collect();
        let threads = pool.install(|| {
            lead(|| {
                let mut shared = 0;
                for round in 0..500 {
                    let parts = 1 + round % counts.len();
                    shared += usize::from(share(parts, &|i| {
                        counts[i].fetch_add(1, SeqCst);
                    }));
                    // Other rayon work in the pass, as burn's operations bring.
                    let sum: usize = rayon::join(|| round, || 1).0;
                    assert_eq!(sum, round);
                }
                shared
            })
        });
        assert_eq!(threads, 500, "every round shared with the team");
        for (i, count) in counts.iter().enumerate() {
            let expected = (0..500).filter(|round| 1 + round % 37 > i).count();
            assert_eq!(count.load(SeqCst), expected, "part {i}");
        }
        // Outside a team nothing is shared.
        assert!(!share(1, &|_| {}));
    }
}
