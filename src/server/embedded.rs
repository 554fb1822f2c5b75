//! The server as the app starts it when no `--server` is named: in this
//! process, on a free loopback port, over the demo data in memory.

use std::net::SocketAddr;
use std::sync::Arc;

use super::ratelimit::Limits;
use super::seed::{self, SeedOptions, SeedReport};
use super::store::{SetupLock, StoreOptions};
use super::{AppState, Clock, DbLocation, RunningServer, Store, SystemClock};

/// Opens the store and seeds it as asked (`None`: no seeding); shared by `rasid serve` and the embedded demo.
pub async fn open_store(
    location: &DbLocation,
    options: StoreOptions,
    seed: Option<SeedOptions>,
    clock: &dyn Clock,
) -> Result<(Store, SeedReport), String> {
    let cannot_open = |e| format!("cannot open the database {location}: {e}");
    // Instances starting together on one PostgreSQL migrate and seed one at a time: the first does
    // the work, the others find it done.
    let lock = SetupLock::take(location, options.acquire_timeout).await.map_err(cannot_open)?;
    let setup = StoreOptions { statement_timeout: None, ..options };
    let store = Store::open_with(location, setup).await.map_err(cannot_open)?;
    seed::check_not_part_seeded(&store).await.map_err(cannot_open)?;
    let report = match seed {
        Some(options) => seed::seed_demo(&store, clock.today(), options)
            .await
            .map_err(|e| format!("cannot seed the demo data: {e}"))?,
        None => SeedReport::default(),
    };
    lock.release().await.map_err(cannot_open)?;
    // Requests get connections with the statement timeout. (A memory database lives in its pool,
    // and SQLite has no such timeout: it keeps the one it has.)
    let store = match location {
        DbLocation::Postgres(_) => {
            store.close().await;
            Store::open_with(location, options).await.map_err(cannot_open)?
        }
        DbLocation::Memory | DbLocation::File(_) => store,
    };
    Ok((store, report))
}

/// The embedded demo server, running until dropped.
pub struct EmbeddedDemo {
    pub server: RunningServer,
    /// Username and ID of each demo account, for the login screen to list.
    pub accounts: Vec<(String, String)>,
    pub password: &'static str,
}

/// Starts the reference server in this process with the demo data in memory.
pub async fn start_demo() -> Result<EmbeddedDemo, String> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (store, _) =
        open_store(&DbLocation::Memory, StoreOptions::default(), Some(SeedOptions::DEMO), clock.as_ref()).await?;
    let state = AppState::new(store, clock, true, Limits::default());
    let server = super::spawn(SocketAddr::from(([127, 0, 0, 1], 0)), state)
        .await
        .map_err(|e| format!("cannot start the demo server: {e}"))?;
    let accounts = seed::DEMO_ACCOUNTS.iter().map(|(u, id, _)| (u.to_string(), id.to_string())).collect();
    Ok(EmbeddedDemo { server, accounts, password: seed::DEMO_PASSWORD })
}
