//! Running blocking diesel work for a handler on actix's blocking thread pool.

use actix_web::web;
use std::sync::Arc;

use diesel::PgConnection;

use super::problem::ApiError;
use crate::database::DbPool;
use crate::read::PartCache;

/// The pool statistics are read from: a read replica given by `--read-database-url`, else the
/// primary. Its answers may lag the primary by the replica's delay. With it, the sites'
/// statistics parts computed from it (shared by every worker).
#[derive(Clone)]
pub struct ReadPool {
    /// The connections.
    pub pool: DbPool,
    /// The sites' statistics parts read through it.
    pub parts: Arc<PartCache>,
}

/// Runs `work` with a pooled connection off the async workers.
pub async fn run<T, F>(pool: &web::Data<DbPool>, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
{
    run_on(pool.get_ref().clone(), work).await
}

/// Runs read-only statistics `work` on the read pool.
pub async fn read<T, F>(pool: &web::Data<ReadPool>, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
{
    run_on(pool.pool.clone(), work).await
}

/// Runs read-only statistics `work` on the read pool, with the sites' statistics parts.
pub async fn read_stats<T, F>(pool: &web::Data<ReadPool>, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut PgConnection, &PartCache) -> Result<T, ApiError> + Send + 'static,
{
    let parts = pool.parts.clone();
    run_on(pool.pool.clone(), move |conn| work(conn, &parts)).await
}

async fn run_on<T, F>(pool: DbPool, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
{
    web::block(move || {
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await?
}
