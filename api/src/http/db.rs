//! Running blocking diesel work for a handler on actix's blocking thread pool.

use actix_web::web;
use diesel::PgConnection;

use super::problem::ApiError;
use crate::database::DbPool;

/// Runs `work` with a pooled connection off the async workers.
pub async fn run<T, F>(pool: &web::Data<DbPool>, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await?
}
