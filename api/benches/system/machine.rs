//! The machine side of the system benchmark: the release server as its own process, its
//! resident memory, and the machine's RAM for the report.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::agent;

/// The release `tideline serve`, stopped on drop.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The release `tideline` of the target directory this benchmark was built in (`<target>/release/
/// deps/system-…` → `<target>/release/tideline`), so `CARGO_TARGET_DIR` elsewhere never starts
/// a stale server from `./target`.
fn server_binary() -> std::path::PathBuf {
    let bench = std::env::current_exe().unwrap();
    bench.parent().and_then(|deps| deps.parent()).unwrap().join("tideline")
}

/// Starts the release server against `url` on a free loopback port, once it answers `/ready`;
/// `extra` are more `serve` flags.
pub fn start_server(url: &str, extra: &[&str]) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let binary = server_binary();
    let child = Command::new(&binary)
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--rate-limit",
            "0",
            "--anonymous-rate-limit",
            "0",
            "--workers",
            "2",
        ])
        .args(extra)
        .env("DATABASE_URL", url)
        .env("TIDELINE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {} (run `cargo build --release` first): {e}", binary.display()));
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    for _ in 0..200 {
        if agent().get(format!("{}/ready", server.base)).call().is_ok_and(|r| r.status() == 200) {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("server did not become ready");
}

/// Resident memory of a process, KiB.
pub fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Samples a process's resident memory every 20 ms until stopped: its peak, KiB.
pub struct PeakRss {
    running: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<u64>,
}

impl PeakRss {
    /// Starts sampling `pid`.
    pub fn start(pid: u32) -> Self {
        let running = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let flag = running.clone();
        let thread = std::thread::spawn(move || {
            let mut peak = 0;
            while flag.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(rss_kb(pid));
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        });
        Self { running, thread }
    }

    /// Stops sampling: the peak, KiB.
    pub fn stop(self) -> u64 {
        self.running.store(false, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().unwrap_or(0)
    }
}

/// The machine's RAM, for the report.
pub fn memory() -> String {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0)))
        .map(|kb| format!("{:.0} GiB RAM", kb as f64 / 1024.0 / 1024.0))
        .unwrap_or_default()
}
