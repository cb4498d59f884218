//! A `turnus worker` process killed with SIGKILL during a solve: its job is taken over by a
//! second worker process once the lease ends, and finishes there. Runs on an SQLite file
//! and, when `TURNUS_TEST_PG` names a PostgreSQL database, on a fresh schema of it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection;
use turnus_store::{Actor, Change, JobId, JobState, NewUnit, Store, UnitId};

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sarskilt-boende")
}

/// Starts `turnus worker` on `db` with a 3 s lease and 1 s heartbeats.
fn start_worker(db: &str, dir: &Path, log: &str) -> Child {
    let log = std::fs::File::create(dir.join(log)).unwrap();
    Command::new(env!("CARGO_BIN_EXE_turnus"))
        .args(["worker", "--db", db, "--lease", "3", "--heartbeat", "1"])
        .current_dir(dir)
        .env_remove("TURNUS_DB")
        .env("TURNUS_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("turnus worker starts")
}

/// Imports the sample bundle into a new unit and queues a 6 s solve; returns the ids.
async fn queue_job(store: &Store) -> (UnitId, JobId) {
    let change = Change::by(Actor::System("test".into()));
    let org = store.create_org("Kommunen", &change).await.unwrap();
    let (problem, _) = turnus_io::read_bundle(&example_dir()).expect("the sample bundle reads");
    let new_unit = NewUnit {
        name: "Linden".into(),
        time_zone: "Europe/Stockholm".into(),
        preset: turnus_core::Preset::Ab,
    };
    let unit = store.create_unit(org.id, &new_unit, &change).await.unwrap();
    let period = store.import_problem(unit.id, &problem, &change).await.unwrap();
    let params = serde_json::json!({ "time_limit_ms": 6000, "seed": 1 });
    let job = store.enqueue_job(unit.id, period.id, &params, &change).await.unwrap();
    (unit.id, job.id)
}

/// Polls the job until `done` holds, for at most `limit`.
async fn wait_job(
    store: &Store,
    unit: UnitId,
    job: JobId,
    limit: Duration,
    done: impl Fn(&turnus_store::Job) -> bool,
) -> turnus_store::Job {
    let started = Instant::now();
    loop {
        let current = store.get_job(unit, job).await.unwrap();
        if done(&current) {
            return current;
        }
        assert!(started.elapsed() < limit, "job state after {limit:?}: {current:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn killed_worker_job_moves_on(db: &str, dir: &Path) {
    let store = Store::open(db).await.expect("open the database");
    let (unit, job) = queue_job(&store).await;

    let mut first = start_worker(db, dir, "first.log");
    let first_id = format!("-{}-", first.id());
    let running =
        wait_job(&store, unit, job, Duration::from_secs(30), |j| j.state == JobState::Running).await;
    assert!(running.worker_id.as_deref().is_some_and(|w| w.contains(&first_id)), "{running:?}");
    // Let the solve get under way and send a heartbeat, then kill the process outright.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let killed = Command::new("kill").args(["-KILL", &first.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = first.wait().unwrap();
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(9));
    let orphaned = store.get_job(unit, job).await.unwrap();
    assert_eq!(orphaned.state, JobState::Running, "the dead worker still holds the lease: {orphaned:?}");

    let mut second = start_worker(db, dir, "second.log");
    let second_id = format!("-{}-", second.id());
    let done = wait_job(&store, unit, job, Duration::from_secs(60), |j| j.state.is_final()).await;
    let _ = second.kill();
    let _ = second.wait();
    let log = std::fs::read_to_string(dir.join("second.log")).unwrap_or_default();
    assert_eq!(done.state, JobState::Done, "{done:?}\n{log}");
    assert_eq!(done.attempts, 2, "{done:?}");
    assert!(done.worker_id.as_deref().is_some_and(|w| w.contains(&second_id)), "{done:?}");
    assert!(done.result_version_id.is_some());
    assert!(log.contains("taken over") || log.contains("solve finished"), "{log}");
    let verification = store.verify_audit().await.unwrap();
    assert!(verification.first_break.is_none(), "the audit chain survives the kill: {verification:?}");
    store.close().await;
}

#[test]
fn killed_worker_job_moves_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("turnus-worker-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.join("turnus.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(killed_worker_job_moves_on(&db, &dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn killed_worker_job_moves_on_postgres() {
    let Ok(base) = std::env::var("TURNUS_TEST_PG") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "TURNUS_TEST_PG is not set: CI must run the PostgreSQL tests"
        );
        eprintln!("PostgreSQL test skipped: TURNUS_TEST_PG is not set");
        return;
    };
    let dir = std::env::temp_dir().join(format!("turnus-worker-kill-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let schema = format!("turnus_worker_kill_{}", std::process::id());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut admin = sqlx::PgConnection::connect(&base).await.expect("connect to TURNUS_TEST_PG");
        sqlx::raw_sql(&format!("CREATE SCHEMA {schema}")).execute(&mut admin).await.unwrap();
        let separator = if base.contains('?') { '&' } else { '?' };
        let db = format!("{base}{separator}options[search_path]={schema}");
        killed_worker_job_moves_on(&db, &dir).await;
        sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE")).execute(&mut admin).await.unwrap();
    });
    let _ = std::fs::remove_dir_all(&dir);
}
