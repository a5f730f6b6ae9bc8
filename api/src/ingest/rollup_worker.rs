//! The rollup worker: a thread that adds the surveys the write path queued
//! (`store::rollups::pending`) to the rollups, woken by every post and at least once a second
//! (for rows other processes queued, or a crash left behind). A post answers either once its
//! surveys are stored, their rollups following within about a second (`serve`'s default: the
//! post does not wait for them), or only once they are in the rollups too
//! ([`RollupWorker::start`] with `before_answer`, as the tests expect).

use std::sync::mpsc;
use std::time::Duration;

use diesel::PgConnection;

use crate::database::DbPool;
use crate::store::rollups::{self, pending::Rows};

/// How often the worker looks at the queue without being woken.
pub const POLL: Duration = Duration::from_secs(1);

/// Queue rows the worker takes in one transaction.
const ROWS_PER_TAKE: i64 = 16;

/// The worker's handle: wakes it, or takes the queue itself before a post answers.
pub struct RollupWorker {
    wake: mpsc::Sender<()>,
    before_answer: bool,
}

impl RollupWorker {
    /// Starts the worker on `pool`; it calls `applied` after adding surveys to the rollups
    /// (e.g. to drop cached answers), and stops when the handle is dropped.
    pub fn start(pool: DbPool, before_answer: bool, applied: impl Fn() + Send + 'static) -> Self {
        let (wake, woken) = mpsc::channel();
        std::thread::spawn(move || run(&pool, &woken, &applied));
        RollupWorker { wake, before_answer }
    }

    /// Records were stored (and committed) on `conn`: their rollups are added now, on the same
    /// connection, or the worker is woken. A failure to add them now is logged, not answered:
    /// the records are stored and stay queued, and the worker adds them later.
    pub fn written(&self, conn: &mut PgConnection) {
        if self.before_answer {
            if let Err(error) = rollups::take(conn, Rows::All) {
                tracing::warn!(%error, "rollups left to the worker");
            }
        } else {
            let _ = self.wake.send(());
        }
    }
}

/// The worker's loop: on each wake (several at once count as one) or [`POLL`], takes the free
/// queue rows a few at a time until none is left.
fn run(pool: &DbPool, woken: &mpsc::Receiver<()>, applied: &dyn Fn()) {
    loop {
        if let Err(mpsc::RecvTimeoutError::Disconnected) = woken.recv_timeout(POLL) {
            return;
        }
        while woken.try_recv().is_ok() {}
        let mut conn = match pool.get() {
            Ok(conn) => conn,
            Err(error) => {
                tracing::warn!(%error, "rollup worker: no connection");
                continue;
            }
        };
        loop {
            match rollups::take(&mut conn, Rows::Free(ROWS_PER_TAKE)) {
                Ok(0) => break,
                Ok(_) => applied(),
                Err(error) => {
                    tracing::warn!(%error, "rollup worker: queue rows left for the next round");
                    break;
                }
            }
        }
    }
}
