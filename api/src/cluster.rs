//! The managed local PostgreSQL/PostGIS cluster: initdb, start, stop and status of a private
//! cluster kept in the data directory, used when no `DATABASE_URL` is given.
//!
//! Running as root, every PostgreSQL program runs as the `postgres` system user (PostgreSQL
//! refuses to run as root), and the cluster directory is handed to that user.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};

/// The superuser created by `initdb`; local TCP connections are trusted (loopback only).
pub const SUPERUSER: &str = "tideline";

/// A PostgreSQL cluster living in `<data_dir>/pg`, listening on 127.0.0.1 only.
#[derive(Debug, Clone)]
pub struct ManagedCluster {
    root: PathBuf,
    bin_dir: PathBuf,
}

/// Stops the cluster on drop when this process started it.
#[derive(Debug)]
pub struct ClusterGuard {
    cluster: ManagedCluster,
    started_here: bool,
}

impl ManagedCluster {
    /// The cluster under `data_dir` (created on first start). Running as root with a data
    /// directory the `postgres` user cannot reach (e.g. under `/root`), the cluster lives in
    /// `/var/lib/postgresql/tideline/<hash of the path>` instead.
    pub fn new(data_dir: &Path) -> anyhow::Result<Self> {
        fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
        let mut root = data_dir.canonicalize()?;
        if is_root() && !reachable_by_postgres(&root) {
            let hash = root
                .to_string_lossy()
                .bytes()
                .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
            let elsewhere = PathBuf::from(format!("/var/lib/postgresql/tideline/{hash:016x}"));
            tracing::info!(dir = %elsewhere.display(), "data directory not reachable by the postgres user; using");
            fs::create_dir_all(&elsewhere)?;
            root = elsewhere;
        }
        Ok(Self { root, bin_dir: find_bin_dir()? })
    }

    fn pgdata(&self) -> PathBuf {
        self.root.join("pg")
    }

    fn port_file(&self) -> PathBuf {
        self.root.join("pg.port")
    }

    /// The TCP port the cluster listens on (chosen once, at initdb).
    pub fn port(&self) -> anyhow::Result<u16> {
        let text = fs::read_to_string(self.port_file()).context("cluster not initialised")?;
        Ok(text.trim().parse()?)
    }

    /// Connection URL of a database in this cluster.
    pub fn url(&self, database: &str) -> anyhow::Result<String> {
        Ok(format!("postgres://{SUPERUSER}@127.0.0.1:{}/{database}", self.port()?))
    }

    /// Whether a postmaster is running on this cluster's directory.
    pub fn is_running(&self) -> bool {
        self.pgdata().join("PG_VERSION").exists()
            && self.pg("pg_ctl").arg("status").arg("-D").arg(self.pgdata()).output().is_ok_and(|o| o.status.success())
    }

    /// Starts the cluster if it is not running (initialising it first if needed). The guard
    /// stops it again on drop only if this call started it.
    pub fn ensure_running(&self) -> anyhow::Result<ClusterGuard> {
        if self.is_running() {
            return Ok(ClusterGuard { cluster: self.clone(), started_here: false });
        }
        if !self.pgdata().join("PG_VERSION").exists() {
            self.init()?;
        }
        self.start()?;
        Ok(ClusterGuard { cluster: self.clone(), started_here: true })
    }

    fn init(&self) -> anyhow::Result<()> {
        let pgdata = self.pgdata();
        fs::create_dir_all(&pgdata)?;
        self.hand_to_postgres_user(&self.root)?;
        tracing::info!(dir = %pgdata.display(), "initialising PostgreSQL cluster");
        let out = self
            .pg("initdb")
            .args(["-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-D"])
            .arg(&pgdata)
            .output()?;
        if !out.status.success() {
            bail!("initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let port = free_port()?;
        let settings = format!(
            "\n# tideline managed cluster\nlisten_addresses = '127.0.0.1'\nport = {port}\n\
             unix_socket_directories = ''\nmax_connections = 200\nfsync = on\n\
             shared_buffers = 256MB\n"
        );
        let conf = pgdata.join("postgresql.conf");
        let mut text = fs::read_to_string(&conf)?;
        text.push_str(&settings);
        fs::write(&conf, text)?;
        fs::write(self.port_file(), port.to_string())?;
        Ok(())
    }

    /// Starts the postmaster and waits until it accepts connections.
    pub fn start(&self) -> anyhow::Result<()> {
        tracing::info!(port = self.port()?, "starting PostgreSQL");
        let log = self.root.join("pg.log");
        if !log.exists() {
            fs::write(&log, "")?;
            self.hand_to_postgres_user(&log)?;
        }
        let out = self
            .pg("pg_ctl")
            .args(["start", "-w", "-t", "60", "-D"])
            .arg(self.pgdata())
            .arg("-l")
            .arg(&log)
            .output()?;
        if !out.status.success() {
            let tail = fs::read_to_string(&log).unwrap_or_default();
            let tail: String =
                tail.lines().rev().take(10).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
            bail!("pg_ctl start failed: {}\n{tail}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    }

    /// Stops the postmaster (fast shutdown: open sessions are ended, data is safe).
    pub fn stop(&self) -> anyhow::Result<()> {
        tracing::info!("stopping PostgreSQL");
        let out = self.pg("pg_ctl").args(["stop", "-w", "-m", "fast", "-D"]).arg(self.pgdata()).output()?;
        if !out.status.success() {
            bail!("pg_ctl stop failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    }

    /// A command for one of PostgreSQL's programs, run as `postgres` when we are root.
    fn pg(&self, program: &str) -> Command {
        let path = self.bin_dir.join(program);
        if is_root() {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(path);
            cmd
        } else {
            Command::new(path)
        }
    }

    fn hand_to_postgres_user(&self, path: &Path) -> anyhow::Result<()> {
        if is_root() {
            let ok = Command::new("chown").args(["-R", "postgres:postgres"]).arg(path).status()?.success();
            if !ok {
                bail!("cannot hand {} to the postgres user", path.display());
            }
        }
        Ok(())
    }
}

impl ClusterGuard {
    /// The cluster this guard keeps running.
    pub fn cluster(&self) -> &ManagedCluster {
        &self.cluster
    }

    /// Keep the cluster running after this guard is dropped.
    pub fn detach(mut self) {
        self.started_here = false;
    }
}

impl Drop for ClusterGuard {
    fn drop(&mut self) {
        if self.started_here {
            if let Err(err) = self.cluster.stop() {
                tracing::error!(%err, "could not stop the managed cluster");
            }
        }
    }
}

/// Whether the `postgres` user can enter every directory down to `dir`.
fn reachable_by_postgres(dir: &Path) -> bool {
    Command::new("runuser").args(["-u", "postgres", "--", "test", "-x"]).arg(dir).status().is_ok_and(|s| s.success())
}

/// Whether this process runs as root (`/proc/self` belongs to the effective user).
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// PostgreSQL's program directory: `TIDELINE_PG_BINDIR`, else the newest
/// `/usr/lib/postgresql/<version>/bin` that has PostGIS installed beside it.
fn find_bin_dir() -> anyhow::Result<PathBuf> {
    if let Ok(dir) = std::env::var("TIDELINE_PG_BINDIR") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<u32> = fs::read_dir("/usr/lib/postgresql")
        .map(|entries| entries.flatten().filter_map(|e| e.file_name().to_str()?.parse().ok()).collect())
        .unwrap_or_default();
    versions.sort_unstable_by(|a, b| b.cmp(a));
    for version in &versions {
        let bin = PathBuf::from(format!("/usr/lib/postgresql/{version}/bin"));
        let postgis = PathBuf::from(format!("/usr/share/postgresql/{version}/extension/postgis.control"));
        if bin.join("initdb").exists() && postgis.exists() {
            return Ok(bin);
        }
    }
    bail!(
        "no PostgreSQL with PostGIS found (looked in /usr/lib/postgresql/{versions:?}); install \
         postgresql-15 postgresql-15-postgis-3, set TIDELINE_PG_BINDIR, or set DATABASE_URL"
    )
}
