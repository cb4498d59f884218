//! The commands around the server: `serve`, `worker`, `user add`, `audit verify`, `backup`
//! and `restore`. They share the database option: `--db URL`, else `TURNUS_DB`, else the
//! SQLite file `./turnus.db`, created and migrated on first use.

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use tokio::sync::watch;
use turnus_core::Lang;
use turnus_server::{IpRange, ServeError, ServerConfig, WorkerOptions};
use turnus_store::{Actor, Change, NewUser, Store};

use crate::db_lock::{self, DatabaseLock, LockError};
use crate::errors::{DbTask, FileTask, file_error, io_error, picked, store_error};
use crate::values::{ip_range, socket_address, whole_number, whole_number_in};

/// The database used when neither `--db` nor `TURNUS_DB` is given.
pub const DEFAULT_DB: &str = "./turnus.db";

/// Whether `matches` asks for JSON logs (`serve` and `worker`).
pub fn wants_json_logs(matches: &ArgMatches) -> bool {
    matches!(matches.subcommand(), Some(("serve" | "worker", m)) if m.get_one::<String>("log-format").is_some_and(|f| f == "json"))
}

fn db_arg(lang: Lang) -> Arg {
    Arg::new("db").long("db").value_name("URL").env("TURNUS_DB").help(
        lang.pick(
            "Databasen: postgres://… eller en SQLite-fil (standard ./turnus.db, skapas vid behov)",
            "The database: postgres://… or an SQLite file (default ./turnus.db, created if missing)",
        )
        .to_string(),
    )
}

fn log_format_arg(lang: Lang) -> Arg {
    Arg::new("log-format")
        .long("log-format")
        .value_name("FORMAT")
        .default_value("text")
        .value_parser(["text", "json"])
        .help(
            lang.pick("Loggformat på stderr: text eller json", "Log format on stderr: text or json")
                .to_string(),
        )
}

fn workers_arg(lang: Lang, default: &'static str) -> Arg {
    Arg::new("workers")
        .long("workers")
        .value_name("N")
        .default_value(default)
        .value_parser(whole_number::<usize>(lang))
        .help(
            lang.pick("Antal lösare som körs samtidigt", "Number of solve workers running at once")
                .to_string(),
        )
}

fn lease_arg(lang: Lang) -> Arg {
    Arg::new("lease")
        .long("lease")
        .value_name("SEKUNDER")
        .default_value("60")
        .value_parser(whole_number_in(lang, 2, 3600))
        .help(
            lang.pick(
                "Sekunder ett jobb hålls utan hjärtslag innan en annan lösare får ta över det",
                "Seconds a job is held without a heartbeat before another worker may take it over",
            )
            .to_string(),
        )
}

fn heartbeat_arg(lang: Lang) -> Arg {
    Arg::new("heartbeat")
        .long("heartbeat")
        .value_name("SEKUNDER")
        .default_value("5")
        .value_parser(whole_number_in(lang, 1, 600))
        .help(
            lang.pick(
                "Sekunder mellan hjärtslagen som förnyar jobbet och rapporterar förloppet; under --lease",
                "Seconds between the heartbeats that renew the job and report progress; below --lease",
            )
            .to_string(),
        )
}

/// Reads `--lease` and `--heartbeat` of `serve` or `worker`.
fn worker_options(m: &ArgMatches, lang: Lang) -> anyhow::Result<WorkerOptions> {
    let lease = *m.get_one::<u64>("lease").expect("has default");
    let heartbeat = *m.get_one::<u64>("heartbeat").expect("has default");
    if heartbeat >= lease {
        match lang {
            Lang::Sv => bail!(
                "--heartbeat {heartbeat} måste vara kortare än --lease {lease}, annars tar andra lösare över jobb som körs; \
                 ange en kortare --heartbeat"
            ),
            Lang::En => bail!(
                "--heartbeat {heartbeat} must be shorter than --lease {lease}, or other workers take over running jobs; \
                 give a shorter --heartbeat"
            ),
        }
    }
    Ok(WorkerOptions {
        lease: std::time::Duration::from_secs(lease),
        heartbeat: std::time::Duration::from_secs(heartbeat),
        ..WorkerOptions::default()
    })
}

fn force_arg(lang: Lang) -> Arg {
    Arg::new("force")
        .long("force")
        .action(ArgAction::SetTrue)
        .help(lang.pick("Skriv över en befintlig fil", "Overwrite an existing file").to_string())
}

/// The subcommands of this module with help text in `lang`.
pub fn commands(lang: Lang) -> Vec<Command> {
    let t = |sv: &'static str, en: &'static str| lang.pick(sv, en).to_string();
    let file = |help: String| {
        Arg::new("file").required(true).value_name("FIL").value_parser(value_parser!(PathBuf)).help(help)
    };
    vec![
        Command::new("serve")
            .about(t("Kör webbsidorna, HTTP-API:t och lösare i samma process", "Run the web pages, the HTTP API and solve workers in the same process"))
            .arg(db_arg(lang))
            .arg(
                Arg::new("listen")
                    .long("listen")
                    .value_name("ADRESS")
                    .default_value("127.0.0.1:8080")
                    .value_parser(socket_address(lang))
                    .help(t("Adress och port att lyssna på", "Address and port to listen on")),
            )
            .arg(log_format_arg(lang))
            .arg(workers_arg(lang, "2"))
            .arg(lease_arg(lang))
            .arg(heartbeat_arg(lang))
            .arg(
                Arg::new("secure-cookie")
                    .long("secure-cookie")
                    .value_name("JA_NEJ")
                    .value_parser(value_parser!(bool))
                    .help(t(
                        "Sätt Secure på sessionskakan (standard: av på loopback, annars på)",
                        "Set Secure on the session cookie (default: off on loopback, on otherwise)",
                    )),
            )
            .arg(
                Arg::new("allowed-origin")
                    .long("allowed-origin")
                    .value_name("ORIGIN")
                    .action(ArgAction::Append)
                    .help(t(
                        "Webbadress som får göra ändringar med sessionskaka, t.ex. https://turnus.kommun.se (standard: Host-rubrikens)",
                        "Origin allowed to make changes with the session cookie, e.g. https://turnus.kommun.se (default: that of the Host header)",
                    )),
            )
            .arg(
                Arg::new("trusted-proxy")
                    .long("trusted-proxy")
                    .value_name("ADRESS_ELLER_CIDR")
                    .env("TURNUS_TRUSTED_PROXIES")
                    .value_delimiter(',')
                    .action(ArgAction::Append)
                    .value_parser(ip_range(lang))
                    .help(t(
                        "Omvänd proxy vars X-Forwarded-For anger klientens adress, t.ex. 10.0.0.5 eller 10.0.0.0/8; kan upprepas (standard: ingen, TCP-motparten är klienten)",
                        "Reverse proxy whose X-Forwarded-For gives the client address, e.g. 10.0.0.5 or 10.0.0.0/8; repeatable (default: none, the TCP peer is the client)",
                    )),
            ),
        Command::new("worker")
            .about(t("Kör bara lösare, utan HTTP-server", "Run solve workers only, without the HTTP server"))
            .arg(db_arg(lang))
            .arg(log_format_arg(lang))
            .arg(workers_arg(lang, "1"))
            .arg(lease_arg(lang))
            .arg(heartbeat_arg(lang)),
        Command::new("user").about(t("Hantera användarkonton", "Manage user accounts")).subcommand_required(true).subcommand(
            Command::new("add")
                .about(t(
                    "Skapa ett konto; lösenordet läses från stdin eller frågas efter",
                    "Create an account; the password is read from stdin or prompted for",
                ))
                .arg(db_arg(lang))
                .arg(
                    Arg::new("username")
                        .long("username")
                        .required(true)
                        .value_name("NAMN")
                        .help(t("Användarnamnet", "The user name")),
                )
                .arg(
                    Arg::new("role")
                        .long("role")
                        .value_name("ROLL")
                        .default_value("user")
                        .value_parser(["admin", "user"])
                        .help(t(
                            "admin för en administratör; roller per enhet ges sedan via API:t",
                            "admin for an administrator; roles per unit are then granted through the API",
                        )),
                ),
        ),
        Command::new("audit").about(t("Granskningsloggen", "The audit log")).subcommand_required(true).subcommand(
            Command::new("verify")
                .about(t(
                    "Kontrollera loggens hashkedja (slutkod 0 hel, 1 bruten)",
                    "Check the log's hash chain (exit 0 intact, 1 broken)",
                ))
                .arg(db_arg(lang)),
        ),
        Command::new("backup")
            .about(t("Kopiera SQLite-databasen medan servern kör", "Copy the SQLite database while the server runs"))
            .arg(db_arg(lang))
            .arg(file(t("Filen att skriva", "The file to write")))
            .arg(force_arg(lang)),
        Command::new("restore")
            .about(t(
                "Återställ SQLite-databasen från en kopia (stoppa servern först)",
                "Restore the SQLite database from a copy (stop the server first)",
            ))
            .arg(db_arg(lang))
            .arg(file(t("Kopian att läsa", "The copy to read")))
            .arg(force_arg(lang)),
    ]
}

/// Whether `name` is a command of this module.
pub fn handles(name: &str) -> bool {
    matches!(name, "serve" | "worker" | "user" | "audit" | "backup" | "restore")
}

fn db_url(m: &ArgMatches) -> String {
    m.get_one::<String>("db").cloned().unwrap_or_else(|| DEFAULT_DB.to_string())
}

/// The SQLite file of a database URL, or `None` for PostgreSQL.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return None;
    }
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    Some(PathBuf::from(path.split('?').next().unwrap_or(path)))
}

/// Runs the command `name`.
pub fn run(name: &str, m: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| {
        io_error("den asynkrona körmiljön kan inte startas", "cannot start the async runtime", &e, lang)
    })?;
    let result = runtime.block_on(async {
        match name {
            "serve" => serve(m, lang).await,
            "worker" => worker(m, lang).await,
            "user" => user_add(m.subcommand_matches("add").expect("subcommand required"), lang).await,
            "audit" => audit_verify(m.subcommand_matches("verify").expect("subcommand required"), lang).await,
            "backup" => backup(m, lang).await,
            "restore" => restore(m, lang).await,
            _ => unreachable!("handles() lists the commands"),
        }
    });
    // A solve thread whose job was handed back runs on to its own limit, so exit after 5 s
    // without waiting for it.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    result
}

/// Opens the database, creating and migrating an SQLite file that does not exist yet.
async fn open(m: &ArgMatches, lang: Lang) -> anyhow::Result<Store> {
    let url = db_url(m);
    Store::open(&url).await.map_err(|e| store_error(e, &url, DbTask::Open, lang))
}

/// Opens a database that must exist already, so that a mistyped `--db` is reported instead
/// of creating an empty database in its place.
async fn open_existing(m: &ArgMatches, lang: Lang) -> anyhow::Result<Store> {
    if let Some(path) = sqlite_path(&db_url(m)).filter(|path| !path.exists()) {
        let path = path.display();
        match lang {
            Lang::Sv => bail!("databasen {path} finns inte; ange databasen med --db eller TURNUS_DB"),
            Lang::En => bail!("the database {path} does not exist; name the database with --db or TURNUS_DB"),
        }
    }
    open(m, lang).await
}

/// Takes the shared lock on the SQLite file of a running server or worker, so that
/// `restore` rejects the file while they run. PostgreSQL needs none: `restore` does not handle it.
fn lock_while_running(m: &ArgMatches, lang: Lang) -> anyhow::Result<Option<DatabaseLock>> {
    let Some(path) = sqlite_path(&db_url(m)) else {
        return Ok(None);
    };
    match db_lock::lock_shared(&path) {
        Ok(lock) => Ok(Some(lock)),
        Err(LockError::InUse) => bail!(
            "{} {}",
            path.display(),
            lang.pick(
                "återställs just nu med turnus restore; starta igen när den är klar",
                "is being restored by turnus restore; start again when it has finished"
            )
        ),
        Err(LockError::Io(e)) => Err(file_error(FileTask::Lock, &path, &e, lang)),
    }
}

async fn serve(m: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    // A usage mistake is reported before the database is opened or created.
    let worker = worker_options(m, lang)?;
    let store = open(m, lang).await?;
    let _lock = lock_while_running(m, lang)?;
    let listen = *m.get_one::<SocketAddr>("listen").expect("has default");
    let mut config = ServerConfig::new(listen);
    config.workers = *m.get_one::<usize>("workers").expect("has default");
    if let Some(secure) = m.get_one::<bool>("secure-cookie") {
        config.secure_cookie = *secure;
    }
    config.allowed_origins =
        m.get_many::<String>("allowed-origin").map(|v| v.cloned().collect()).unwrap_or_default();
    config.trusted_proxies =
        m.get_many::<IpRange>("trusted-proxy").map(|v| v.copied().collect()).unwrap_or_default();
    config.worker = worker;
    // The web pages share the API's state: its sessions, Origin check and access rules.
    let app = turnus_web::app(turnus_server::AppState::new(store.clone(), config.clone()));
    let listener = turnus_server::bind(listen).await.map_err(|e| serve_error(e, lang))?;
    // With port 0 the system chooses the port, so print the address actually bound: scripts
    // and tests read it from this line.
    let bound = listener.local_addr().map_err(|e| {
        io_error(
            "adressen som servern lyssnar på kan inte läsas",
            "cannot read the address of the listening socket",
            &e,
            lang,
        )
    })?;
    outln!("{} http://{bound}", lang.pick("Turnus lyssnar på", "Turnus is listening on"))?;
    turnus_server::serve_listener(store, config, app, listener).await.map_err(|e| serve_error(e, lang))?;
    Ok(ExitCode::SUCCESS)
}

fn serve_error(error: ServeError, lang: Lang) -> anyhow::Error {
    match error {
        ServeError::Bind { addr, source } => io_error(
            &format!("kan inte lyssna på {addr}"),
            &format!("cannot listen on {addr}"),
            &source,
            lang,
        ),
        ServeError::Io(source) => io_error("servern slutade med ett fel", "the server failed", &source, lang),
    }
}

async fn worker(m: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    let options = worker_options(m, lang)?;
    let store = open(m, lang).await?;
    let _lock = lock_while_running(m, lang)?;
    let count = (*m.get_one::<usize>("workers").expect("has default")).max(1);
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = turnus_server::run_workers(store.clone(), count, options, stop_rx);
    tracing::info!(workers = count, "turnus worker started");
    turnus_server::shutdown_signal().await;
    let _ = stop_tx.send(true);
    for worker in workers {
        let _ = worker.await;
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Reads the password: prompted without echo on a terminal, else the first line of stdin.
fn read_password(lang: Lang) -> anyhow::Result<String> {
    let unreadable =
        |e: std::io::Error| io_error("lösenordet kan inte läsas", "cannot read the password", &e, lang);
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(lang.pick("Lösenord: ", "Password: ")).map_err(unreadable)?;
        let again = rpassword::prompt_password(lang.pick("Lösenord igen: ", "Password again: "))
            .map_err(unreadable)?;
        if first != again {
            bail!(
                "{}",
                lang.pick(
                    "lösenorden skiljer sig åt; skriv samma två gånger",
                    "the passwords differ; type the same twice"
                )
            );
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(unreadable)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

async fn user_add(m: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    let username = m.get_one::<String>("username").expect("required");
    let is_admin = m.get_one::<String>("role").is_some_and(|r| r == "admin");
    let password = read_password(lang)?;
    if password.chars().count() < 10 {
        bail!(
            "{}",
            lang.pick("lösenordet måste ha minst 10 tecken", "the password needs at least 10 characters")
        );
    }
    let password_hash = turnus_server::hash_password(&password).map_err(|e| match lang {
        Lang::Sv => anyhow::anyhow!("lösenordet kan inte hashas: {e}"),
        Lang::En => anyhow::anyhow!("cannot hash the password: {e}"),
    })?;
    let store = open(m, lang).await?;
    let user = NewUser { username: username.clone(), password_hash, is_admin };
    let created = store.create_user(&user, &Change::by(Actor::System("cli".into()))).await;
    store.close().await;
    let created = created.map_err(|e| store_error(e, &db_url(m), DbTask::SaveUser, lang))?;
    outln!("{} {} (id {})", lang.pick("Kontot skapades:", "Account created:"), created.username, created.id)?;
    Ok(ExitCode::SUCCESS)
}

async fn audit_verify(m: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    let store = open_existing(m, lang).await?;
    let verification = store.verify_audit().await;
    store.close().await;
    let verification = verification.map_err(|e| store_error(e, &db_url(m), DbTask::ReadAudit, lang))?;
    match &verification.first_break {
        None => {
            outln!(
                "{} {} {}, {} {}, hash {}",
                lang.pick("Granskningsloggen är hel:", "The audit log is intact:"),
                verification.rows_checked,
                lang.pick("rader", "rows"),
                lang.pick("sista rad", "last row"),
                verification.last_seq,
                verification.last_hash
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Some(found) => {
            outln!(
                "{} {}",
                lang.pick("Granskningsloggen är bruten:", "The audit log is broken:"),
                picked(&found.message(), lang)
            )?;
            // The break as JSON, with the kind's stable code, for scripts.
            outln!("{} {}", lang.pick("Detaljer:", "Details:"), serde_json::to_string(found)?)?;
            Ok(ExitCode::from(1))
        }
    }
}

fn refuse_overwrite(path: &Path, m: &ArgMatches, lang: Lang) -> anyhow::Result<()> {
    if path.exists() && !m.get_flag("force") {
        bail!(
            "{} {}; {}",
            path.display(),
            lang.pick("finns redan", "exists already"),
            lang.pick("ange --force för att skriva över den", "give --force to overwrite it")
        );
    }
    Ok(())
}

async fn backup(m: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    let target = m.get_one::<PathBuf>("file").expect("required");
    refuse_overwrite(target, m, lang)?;
    let store = open_existing(m, lang).await?;
    // VACUUM INTO writes only to a missing file: copy beside the target, then rename.
    let partial = target.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let copied = store.backup_sqlite(&partial).await;
    store.close().await;
    copied.map_err(|e| store_error(e, &db_url(m), DbTask::Backup { target }, lang))?;
    if let Err(e) = std::fs::rename(&partial, target) {
        let _ = std::fs::remove_file(&partial);
        return Err(file_error(FileTask::Write, target, &e, lang));
    }
    outln!("{} {}", lang.pick("Kopian skrevs till", "The copy was written to"), target.display())?;
    Ok(ExitCode::SUCCESS)
}

async fn restore(m: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    let source = m.get_one::<PathBuf>("file").expect("required");
    let url = db_url(m);
    let Some(target) = sqlite_path(&url) else {
        bail!(
            "{}",
            lang.pick(
                "restore gäller SQLite; återställ PostgreSQL med pg_restore",
                "restore is for SQLite; restore PostgreSQL with pg_restore"
            )
        );
    };
    refuse_overwrite(&target, m, lang)?;
    // A running server keeps the old file open and goes on writing to it after the rename,
    // and those writes are lost, so refuse while any server or worker holds its lock. The
    // lock is held until the rename is done.
    let _lock = match db_lock::lock_exclusive(&target) {
        Ok(lock) => Some(lock),
        Err(LockError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(LockError::Io(e)) => return Err(file_error(FileTask::Lock, &target, &e, lang)),
        Err(LockError::InUse) => bail!(
            "{} {}",
            target.display(),
            lang.pick(
                "används av en körande turnus serve eller turnus worker; stoppa den och kör restore igen. \
                 Ingenting återställdes",
                "is in use by a running turnus serve or turnus worker; stop it and run restore again. \
                 Nothing was restored"
            )
        ),
    };

    // Copy beside the target and check that the copy is a Turnus database before
    // replacing anything.
    if let Err(e) = std::fs::File::open(source) {
        return Err(file_error(FileTask::Read, source, &e, lang));
    }
    let partial = target.with_extension("restoring");
    if let Err(e) = std::fs::copy(source, &partial) {
        let _ = std::fs::remove_file(&partial);
        return Err(file_error(FileTask::Write, &target, &e, lang));
    }
    let check = Store::connect(&format!("sqlite://{}", partial.display()), &Default::default()).await;
    let health = match check {
        Ok(check) => {
            let health = check.health().await;
            check.close().await;
            health.ok()
        }
        Err(_) => None,
    };
    if health.and_then(|h| h.schema_version).is_none() {
        let _ = std::fs::remove_file(&partial);
        bail!(
            "{} {}",
            source.display(),
            lang.pick(
                "är ingen Turnus-databas; ange en kopia som turnus backup har skrivit. Ingenting återställdes",
                "is not a Turnus database; give a copy written by turnus backup. Nothing was restored"
            )
        );
    }

    for suffix in ["-wal", "-shm"] {
        let mut side = target.clone().into_os_string();
        side.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(side));
    }
    if let Err(e) = std::fs::rename(&partial, &target) {
        let _ = std::fs::remove_file(&partial);
        return Err(file_error(FileTask::Write, &target, &e, lang));
    }
    outln!(
        "{} {}",
        lang.pick("Databasen återställdes till", "The database was restored to"),
        target.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
