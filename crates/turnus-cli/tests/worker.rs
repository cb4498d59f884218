//! A `turnus worker` process killed with SIGKILL during a solve: its job is taken over by a
//! second worker process once the lease ends, and finishes there. Runs on an SQLite file
//! and, when `TURNUS_TEST_PG` names a PostgreSQL database, on a fresh schema of it. The
//! same for a `turnus serve` process, whose in-process workers take `--lease` and
//! `--heartbeat` too.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection;
use turnus_store::{Actor, Change, JobId, JobState, NewUnit, Store, UnitId};

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sarskilt-boende")
}

/// Which command runs the first worker, the one that is killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum First {
    Worker,
    Serve,
}

/// Starts `turnus worker` on `db` with a 3 s lease and 1 s heartbeats.
fn start_worker(db: &str, dir: &Path, log: &str) -> Child {
    start(&["worker", "--db", db, "--lease", "3", "--heartbeat", "1"], dir, log)
}

/// Starts `turnus serve` on `db` and a free loopback port with one worker, a 3 s lease and
/// 1 s heartbeats.
fn start_server(db: &str, dir: &Path, log: &str) -> Child {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let args =
        ["serve", "--db", db, "--listen", &listen, "--workers", "1", "--lease", "3", "--heartbeat", "1"];
    start(&args, dir, log)
}

fn start(args: &[&str], dir: &Path, log: &str) -> Child {
    let log = std::fs::File::create(dir.join(log)).unwrap();
    Command::new(env!("CARGO_BIN_EXE_turnus"))
        .args(args)
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

async fn killed_worker_job_moves_on(db: &str, dir: &Path, first: First) {
    let store = Store::open(db).await.expect("open the database");
    let (unit, job) = queue_job(&store).await;

    let mut first = match first {
        First::Worker => start_worker(db, dir, "first.log"),
        First::Serve => start_server(db, dir, "first.log"),
    };
    let first_id = format!("-{}-", first.id());
    let running =
        wait_job(&store, unit, job, Duration::from_secs(30), |j| j.state == JobState::Running).await;
    assert!(running.worker_id.as_deref().is_some_and(|w| w.contains(&first_id)), "{running:?}");
    // The claim sets the heartbeat time and a lease of `--lease` seconds from it.
    let lease = running.lease_until.unwrap().duration_since(running.heartbeat_at.unwrap());
    assert_eq!(lease.as_secs(), 3, "{running:?}");
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
    // With the 3 s lease the takeover comes within seconds, where the default lease would
    // hold the job for a minute.
    let taken = wait_job(&store, unit, job, Duration::from_secs(20), |j| j.attempts == 2).await;
    assert!(taken.worker_id.as_deref().is_some_and(|w| w.contains(&second_id)), "{taken:?}");
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

fn killed_job_moves_on_sqlite(name: &str, first: First) {
    let dir = std::env::temp_dir().join(format!("turnus-{name}-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.join("turnus.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(killed_worker_job_moves_on(&db, &dir, first));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn killed_worker_job_moves_on_sqlite() {
    killed_job_moves_on_sqlite("worker", First::Worker);
}

#[test]
fn killed_server_job_moves_on_sqlite() {
    killed_job_moves_on_sqlite("serve", First::Serve);
}

#[test]
fn serve_rejects_heartbeat_over_lease() {
    let dir = std::env::temp_dir().join(format!("turnus-serve-lease-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_turnus"))
        .args(["serve", "--db", "lease.db", "--listen", "127.0.0.1:0", "--lease", "3", "--heartbeat", "3"])
        .current_dir(&dir)
        .env_remove("TURNUS_DB")
        .output()
        .expect("turnus serve runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--heartbeat 3 måste vara kortare än --lease 3"), "{stderr}");
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
        killed_worker_job_moves_on(&db, &dir, First::Worker).await;
        sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE")).execute(&mut admin).await.unwrap();
    });
    let _ = std::fs::remove_dir_all(&dir);
}
