//! The `tideline` binary.

/// mimalloc, told to give freed pages back to the system at once: with glibc's malloc (and
/// with mimalloc's default 10 ms purge delay, which only runs on later activity in the same
/// thread) RSS stayed at ~340–380 MiB after a burst of large batch posts; with immediate
/// purging it returns to ~50 MiB (`make test-faults` measures it). Keeping freed pages for
/// reuse (a 100–1000 ms delay, purged by a background `mi_collect`) was tried: statistics
/// requests were 15–20 % faster, but RSS peaked at 280–340 MiB and stayed at 200–260 MiB
/// three seconds after the load, so the pages go back at once.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in `mi_option_t` of mimalloc 2 and 3 (mimalloc.h); libmimalloc-sys names
/// no constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> anyhow::Result<()> {
    // SAFETY: sets a process-wide allocator option before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    tideline_api::cli::run()
}
