//! Server benchmarks against a `turnus` binary on 127.0.0.1, recorded in docs/benchmarks.md.
//!
//! `wishes`: 100 staff users (by default) sign in to `turnus serve` on a fresh SQLite file,
//! then at once submit, change and read wishes and read their period. It prints the latency
//! percentiles, the failed requests and the wishes stored against those expected.
//!
//! `solve`: queues one solve job on each of 10 units (by default) of a fresh PostgreSQL
//! schema, starts `turnus worker` processes and prints how long all jobs took.
//!
//! ```sh
//! cargo run --release -p turnus-server --example load -- wishes target/release/turnus [USERS] [ROUNDS]
//! cargo run --release -p turnus-server --example load -- solve target/release/turnus postgres://… [UNITS] [PROCESSES] [WORKERS] [SECONDS]
//! ```

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use turnus_store::{Actor, Change, JobState, NewUnit, NewUser, PeriodState, Role, Store, UnitId};

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sarskilt-boende")
}

fn change() -> Change {
    Change::by(Actor::System("load".into()))
}

/// Creates an organisation and a unit with the sample bundle imported; returns the unit and
/// its period.
async fn sample_unit(
    store: &Store,
    org: turnus_store::OrgId,
    name: &str,
) -> (UnitId, turnus_store::PeriodId) {
    let (problem, _) = turnus_io::read_bundle(&example_dir()).expect("the sample bundle reads");
    let new_unit =
        NewUnit { name: name.into(), time_zone: "Europe/Stockholm".into(), preset: turnus_core::Preset::Ab };
    let unit = store.create_unit(org, &new_unit, &change()).await.expect("create unit");
    let period = store.import_problem(unit.id, &problem, &change()).await.expect("import");
    (unit.id, period.id)
}

/// One keep-alive HTTP/1.1 connection with a session cookie.
struct Client {
    stream: BufReader<TcpStream>,
    host: String,
    cookie: Option<String>,
}

/// A response: status, ETag and body.
struct Response {
    status: u16,
    etag: Option<String>,
    body: String,
}

impl Client {
    async fn connect(port: u16) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
        stream.set_nodelay(true).ok();
        Client { stream: BufReader::new(stream), host: format!("127.0.0.1:{port}"), cookie: None }
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&str>,
        if_match: Option<&str>,
    ) -> Response {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nContent-Length: {}\r\n",
            body.map_or(0, str::len),
            host = self.host
        );
        if body.is_some() {
            head.push_str("Content-Type: application/json\r\n");
        }
        if let Some(cookie) = &self.cookie {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if let Some(tag) = if_match {
            head.push_str(&format!("If-Match: {tag}\r\n"));
        }
        head.push_str("\r\n");
        head.push_str(body.unwrap_or(""));
        self.stream.get_mut().write_all(head.as_bytes()).await.expect("write request");

        let mut line = String::new();
        self.stream.read_line(&mut line).await.expect("status line");
        let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status code");
        let (mut length, mut etag) = (0usize, None);
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.expect("header");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').expect("header line");
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse().expect("length"),
                "etag" => etag = Some(value.to_string()),
                "set-cookie" if value.starts_with("turnus_session=") => {
                    self.cookie = value.split(';').next().map(str::to_string);
                }
                _ => {}
            }
        }
        let mut bytes = vec![0; length];
        self.stream.read_exact(&mut bytes).await.expect("body");
        Response { status, etag, body: String::from_utf8_lossy(&bytes).to_string() }
    }
}

fn start_turnus(turnus: &Path, args: &[&str], dir: &Path) -> Child {
    Command::new(turnus)
        .args(args)
        .current_dir(dir)
        .env_remove("TURNUS_DB")
        .env("TURNUS_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("turnus starts")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    // Nearest rank: the smallest value with at least p percent of the values at or below it.
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

/// The record of one staff user's run: latencies of the measured requests and the failures.
#[derive(Default)]
struct UserRun {
    latencies: Vec<Duration>,
    sign_in: Option<Duration>,
    failures: Vec<String>,
    wishes: usize,
}

/// Sends one measured request.
async fn timed(
    run: &mut UserRun,
    client: &mut Client,
    method: &str,
    path: &str,
    body: Option<&str>,
    tag: Option<&str>,
) -> Response {
    let started = Instant::now();
    let response = client.send(method, path, body, tag).await;
    run.latencies.push(started.elapsed());
    if !(200..300).contains(&response.status) {
        run.failures.push(format!("{method} {path}: {} {}", response.status, response.body));
    }
    response
}

/// Signs in, then per round: adds a wish, changes its priority, lists the own wishes and
/// reads the period.
async fn staff_user(port: u16, user: usize, employee: String, dates: Vec<String>) -> UserRun {
    let mut run = UserRun::default();
    let mut client = Client::connect(port).await;
    let login = format!(r#"{{"username":"staff{user}","password":"staff-password-{user}"}}"#);
    let started = Instant::now();
    let signed_in = client.send("POST", "/api/v1/login", Some(&login), None).await;
    run.sign_in = Some(started.elapsed());
    if signed_in.status != 200 {
        run.failures.push(format!("login of staff{user}: {} {}", signed_in.status, signed_in.body));
        return run;
    }
    let base = "/api/v1/units/1/periods/1";
    for date in dates {
        let wish = format!(r#"{{"employee":"{employee}","date":"{date}","kind":"off","priority":1}}"#);
        let added = timed(&mut run, &mut client, "POST", &format!("{base}/wishes"), Some(&wish), None).await;
        let Ok(record) = serde_json::from_str::<serde_json::Value>(&added.body) else { continue };
        let Some(id) = record["id"].as_i64() else { continue };
        let changed = wish.replace(r#""priority":1"#, r#""priority":3"#);
        let tag = added.etag.unwrap_or_else(|| format!("\"{}\"", record["row_version"]));
        let updated = timed(
            &mut run,
            &mut client,
            "PUT",
            &format!("/api/v1/units/1/wishes/{id}"),
            Some(&changed),
            Some(&tag),
        )
        .await;
        if updated.status == 200 {
            run.wishes += 1;
        }
        timed(&mut run, &mut client, "GET", &format!("{base}/wishes"), None, None).await;
        timed(&mut run, &mut client, "GET", base, None, None).await;
    }
    run
}

async fn wishes_bench(turnus: &Path, users: usize, rounds: usize) {
    let dir = std::env::temp_dir().join(format!("turnus-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("turnus.db").display());

    // Set up with the store: a unit, and staff users sharing its 25 employees. Each user
    // wishes on their own dates, so no two users write the same (employee, date).
    let store = Store::open(&url).await.expect("open SQLite");
    let org = store.create_org("Kommunen", &change()).await.unwrap();
    let (unit, period) = sample_unit(&store, org.id, "Linden").await;
    let problem = store.load_problem(unit, period).await.unwrap();
    let employees: Vec<String> = problem.employees.iter().map(|e| e.id.clone()).collect();
    let days: Vec<String> = (0..problem.unit.period.weeks * 7)
        .map(|d| (problem.unit.period.start + jiff::Span::new().days(i64::from(d))).to_string())
        .collect();
    let sharing = users.div_ceil(employees.len());
    assert!(
        rounds * sharing <= days.len(),
        "{rounds} rounds for {sharing} users per employee need more days"
    );
    let mut plans = Vec::new();
    for user in 0..users {
        let hash = turnus_server::hash_password(&format!("staff-password-{user}")).unwrap();
        let new = NewUser { username: format!("staff{user}"), password_hash: hash, is_admin: false };
        let created = store.create_user(&new, &change()).await.unwrap();
        let employee = employees[user % employees.len()].clone();
        store.grant_role(created.id, unit, Role::Staff, Some(&employee), &change()).await.unwrap();
        let slot = user / employees.len();
        let dates = days.iter().skip(slot).step_by(sharing).take(rounds).cloned().collect();
        plans.push((user, employee, dates));
    }
    let deadline = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24);
    store.transition_period(unit, period, PeriodState::WishesOpen, Some(deadline), &change()).await.unwrap();
    let existing = store.list_wishes(unit, period, None).await.unwrap();
    let before = existing.len();
    let raised_before = existing.iter().filter(|w| w.wish.priority == 3).count();
    store.close().await;

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let mut server =
        start_turnus(turnus, &["serve", "--db", &url, "--listen", &listen, "--workers", "0"], &dir);
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let started = Instant::now();
    let tasks: Vec<_> = plans
        .into_iter()
        .map(|(user, employee, dates)| tokio::spawn(staff_user(port, user, employee, dates)))
        .collect();
    let mut latencies = Vec::new();
    let mut sign_ins = Vec::new();
    let mut failures = Vec::new();
    let mut changed = 0;
    for task in tasks {
        let run = task.await.unwrap();
        latencies.extend(run.latencies);
        sign_ins.extend(run.sign_in);
        failures.extend(run.failures);
        changed += run.wishes;
    }
    let elapsed = started.elapsed();
    let _ = Command::new("kill").args(["-TERM", &server.id().to_string()]).status();
    let _ = server.wait();

    let store = Store::open(&url).await.unwrap();
    let stored = store.list_wishes(unit, period, None).await.unwrap();
    let raised = stored.iter().filter(|w| w.wish.priority == 3).count() - raised_before;
    store.close().await;
    latencies.sort();
    sign_ins.sort();
    println!(
        "users {users}, rounds {rounds}: {} sign-ins and {} requests in {:.1} s",
        sign_ins.len(),
        latencies.len(),
        elapsed.as_secs_f64()
    );
    println!(
        "sign-in (Argon2id) p50 {:.0} ms, max {:.0} ms",
        percentile(&sign_ins, 50.0).as_secs_f64() * 1000.0,
        percentile(&sign_ins, 100.0).as_secs_f64() * 1000.0
    );
    println!(
        "throughput {:.0} requests/s, sign-ins included in the time",
        latencies.len() as f64 / elapsed.as_secs_f64()
    );
    println!("latency of the requests after sign-in:");
    for p in [50.0, 95.0, 99.0, 100.0] {
        println!("p{p}: {:.1} ms", percentile(&latencies, p).as_secs_f64() * 1000.0);
    }
    println!("failed requests {}", failures.len());
    for failure in failures.iter().take(5) {
        println!("  {failure}");
    }
    println!(
        "wishes stored {} (expected {}), changed to priority 3: {raised} (confirmed {changed})",
        stored.len() - before,
        users * rounds
    );
    let _ = std::fs::remove_dir_all(&dir);
}

async fn solve_bench(
    turnus: &Path,
    base: &str,
    units: usize,
    processes: usize,
    workers: usize,
    seconds: u64,
) {
    let schema = format!("turnus_load_{}", std::process::id());
    sqlx_admin(base, &format!("CREATE SCHEMA {schema}")).await;
    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}options[search_path]={schema}");
    let store = Store::open(&url).await.expect("open PostgreSQL");
    let org = store.create_org("Kommunen", &change()).await.unwrap();
    let mut jobs = Vec::new();
    for i in 0..units {
        let (unit, period) = sample_unit(&store, org.id, &format!("Enhet {i}")).await;
        let params = serde_json::json!({ "time_limit_ms": seconds * 1000, "seed": 1, "threads": 1 });
        let job = store.enqueue_job(unit, period, &params, &change()).await.unwrap();
        jobs.push((unit, job.id));
    }

    let dir = std::env::temp_dir();
    let started = Instant::now();
    let count = workers.to_string();
    let mut children: Vec<Child> = (0..processes)
        .map(|_| start_turnus(turnus, &["worker", "--db", &url, "--workers", &count], &dir))
        .collect();
    let mut finished = Vec::new();
    loop {
        finished.clear();
        for (unit, job) in &jobs {
            let job = store.get_job(*unit, *job).await.unwrap();
            if job.state.is_final() {
                finished.push(job);
            }
        }
        if finished.len() == jobs.len()
            || started.elapsed() > Duration::from_secs(seconds * units as u64 + 300)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let elapsed = started.elapsed();
    for child in &mut children {
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        let _ = child.wait();
    }
    let done = finished.iter().filter(|j| j.state == JobState::Done).count();
    let legal = finished.iter().filter(|j| j.best_score.is_some_and(|s| s.hard == 0)).count();
    let mut workers_seen: Vec<_> = finished.iter().filter_map(|j| j.worker_id.clone()).collect();
    workers_seen.sort();
    workers_seen.dedup();
    println!(
        "units {units}, {processes} processes x {workers} workers, {seconds} s per solve: {done} of {} done in {:.1} s",
        jobs.len(),
        elapsed.as_secs_f64()
    );
    println!(
        "throughput {:.1} solves/minute; {legal} with hard score 0; {} workers used",
        done as f64 * 60.0 / elapsed.as_secs_f64(),
        workers_seen.len()
    );
    store.close().await;
    sqlx_admin(base, &format!("DROP SCHEMA {schema} CASCADE")).await;
}

/// Runs one statement on the base database.
async fn sqlx_admin(base: &str, sql: &str) {
    use sqlx::Connection;
    let mut connection = sqlx::PgConnection::connect(base).await.expect("connect to PostgreSQL");
    sqlx::raw_sql(sql).execute(&mut connection).await.expect("admin statement");
    connection.close().await.ok();
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    match args.first().map(String::as_str) {
        Some("wishes") => wishes_bench(Path::new(&args[1]), number(2, 100), number(3, 10)).await,
        Some("solve") => {
            let seconds = u64::try_from(number(6, 20)).unwrap_or(20);
            solve_bench(Path::new(&args[1]), &args[2], number(3, 10), number(4, 2), number(5, 1), seconds)
                .await;
        }
        _ => eprintln!(
            "usage: load wishes TURNUS [USERS] [ROUNDS] | load solve TURNUS POSTGRES_URL [UNITS] [PROCESSES] [WORKERS] [SECONDS]"
        ),
    }
}
