//! The `tideline` binary.

/// mimalloc, told to give freed pages back to the system a quarter second after they were
/// last used. With glibc's malloc (and with mimalloc's own purging, which only runs on later
/// activity in the same thread) RSS stayed at ~340–380 MiB after a burst of large batch
/// posts. Purging at once returned it to ~50 MiB (`make test-faults` measures it) but made
/// every request fault in and zero fresh pages: 58 % of a statistics request's time was the
/// kernel's. So pages are kept for reuse while requests come, and a background thread purges
/// the ones idle past the delay.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in `mi_option_t` of mimalloc 2 and 3 (mimalloc.h); libmimalloc-sys names
/// no constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// How long freed pages are kept for reuse, ms.
const PURGE_DELAY_MS: u64 = 250;

fn main() -> anyhow::Result<()> {
    // SAFETY: sets a process-wide allocator option before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS as std::ffi::c_long) };
    std::thread::spawn(|| loop {
        std::thread::sleep(std::time::Duration::from_millis(PURGE_DELAY_MS / 2));
        // SAFETY: mi_collect may be called from any thread at any time; without `force` it
        // purges only the arena pages whose delay has expired.
        unsafe { libmimalloc_sys::mi_collect(false) };
    });
    tideline_api::cli::run()
}
