//! Solve workers: tokio tasks that claim jobs from the store, run the solver on a blocking
//! thread, renew the lease with heartbeats that carry the progress, and save the best
//! schedule as a new proposal. A job cancelled through the database, or taken over by
//! another worker, stops its solve at the next heartbeat and saves nothing. A worker that
//! receives the stop signal stops its solve and hands the job back to the queue. A worker
//! that dies loses its lease, and the next claim takes the job over.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use turnus_core::{Score, compile, evaluate};
use turnus_solver::{SolveOptions, grid_to_schedule};
use turnus_store::{Job, JobControl, NewVersion, Store, StoreError};

use crate::routes::jobs_params;

/// Timing of a worker.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// How long a claim keeps a job without a heartbeat.
    pub lease: Duration,
    /// Time between heartbeats; well below the lease.
    pub heartbeat: Duration,
    /// Wait between claims while the queue is empty.
    pub poll: Duration,
}

impl Default for WorkerOptions {
    fn default() -> WorkerOptions {
        WorkerOptions {
            lease: Duration::from_secs(60),
            heartbeat: Duration::from_secs(5),
            poll: Duration::from_secs(1),
        }
    }
}

/// How long a worker waits for a stopped solve to return before it moves on. The solver
/// checks its stop flag wherever it checks its deadline. The bound keeps the worker going
/// if a solve ever fails to return.
const STOP_WAIT: Duration = Duration::from_secs(30);

/// Starts `count` workers that run until `stop` turns true.
pub fn run_workers(
    store: Store,
    count: usize,
    options: WorkerOptions,
    stop: watch::Receiver<bool>,
) -> Vec<JoinHandle<()>> {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "turnus".into());
    (0..count)
        .map(|i| {
            let id = format!("{host}-{}-{i}", std::process::id());
            tokio::spawn(worker_loop(store.clone(), id, options.clone(), stop.clone()))
        })
        .collect()
}

async fn worker_loop(store: Store, id: String, options: WorkerOptions, mut stop: watch::Receiver<bool>) {
    tracing::info!(worker = %id, "worker started");
    while !*stop.borrow() {
        match store.claim_job(&id, options.lease).await {
            Ok(Some(job)) => run_job(&store, &id, &options, job, &mut stop).await,
            Ok(None) => {
                tokio::select! {
                    _ = tokio::time::sleep(options.poll) => {}
                    _ = stop.changed() => {}
                }
            }
            Err(e) => {
                tracing::error!(worker = %id, error = %e, "claiming a job failed; retrying");
                tokio::time::sleep(options.poll * 5).await;
            }
        }
    }
    tracing::info!(worker = %id, "worker stopped");
}

/// The latest progress of a running solve.
#[derive(Debug, Clone, Copy, Default)]
struct Latest {
    fraction: f64,
    best: Option<Score>,
}

async fn run_job(
    store: &Store,
    worker: &str,
    options: &WorkerOptions,
    job: Job,
    stop: &mut watch::Receiver<bool>,
) {
    let span = tracing::info_span!("solve", job = %job.id, unit = %job.unit_id, period = %job.period_id);
    let _enter = span.enter();
    tracing::info!(worker, attempt = job.attempts, "solving");
    let problem = match store.load_problem(job.unit_id, job.period_id).await {
        Ok(problem) => problem,
        Err(e) => return fail(store, worker, &job, &format!("cannot load the period: {e}")).await,
    };
    let params = jobs_params(&job.params);
    let halt = Arc::new(AtomicBool::new(false));
    let solve_options = SolveOptions {
        time_limit: match (params.time_limit_ms, params.iterations) {
            (Some(ms), _) => Some(Duration::from_millis(ms)),
            (None, Some(_)) => None,
            (None, None) => Some(Duration::from_secs(30)),
        },
        max_iterations: params.iterations,
        threads: params.threads.unwrap_or(1).max(1),
        seed: params.seed.unwrap_or(1),
        stop: Some(Arc::clone(&halt)),
    };

    let latest = Arc::new(Mutex::new(Latest::default()));
    let progress = Arc::clone(&latest);
    let mut solving = tokio::task::spawn_blocking(move || {
        let compiled = compile(&problem)
            .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))?;
        let result = turnus_solver::solve(&compiled, &solve_options, |p| {
            if let Ok(mut latest) = progress.lock() {
                *latest = Latest { fraction: p.fraction.clamp(0.0, 1.0), best: Some(p.best) };
            }
        });
        if result.stopped {
            return Ok(None);
        }
        let schedule = grid_to_schedule(&compiled, &result.grid);
        let evaluation =
            evaluate(&problem, &schedule).map_err(|errors| format!("{} contradictions", errors.len()))?;
        Ok::<_, String>(Some((schedule, evaluation, result.seed_note(&solve_options))))
    });

    let mut ticker = tokio::time::interval(options.heartbeat);
    ticker.tick().await;
    let outcome = loop {
        tokio::select! {
            done = &mut solving => break done,
            _ = ticker.tick() => {
                let now = latest.lock().map(|l| *l).unwrap_or_default();
                match store.heartbeat_job(job.id, worker, options.lease, now.fraction, now.best).await {
                    Ok(JobControl::Continue) => {}
                    Ok(JobControl::Cancelled) => {
                        tracing::info!("job cancelled; stopping the solve");
                        return stop_solve(&halt, solving).await;
                    }
                    Err(StoreError::Conflict { .. }) => {
                        tracing::warn!("lost the job to another worker; stopping the solve");
                        return stop_solve(&halt, solving).await;
                    }
                    Err(e) => tracing::error!(error = %e, "heartbeat failed"),
                }
            }
            _ = stop.changed() => {
                match store.release_job(job.id, worker).await {
                    Ok(_) => tracing::info!("job handed back to the queue"),
                    Err(e) => tracing::error!(error = %e, "cannot hand the job back; it is retaken after its lease"),
                }
                return stop_solve(&halt, solving).await;
            }
        }
    };

    match outcome {
        Ok(Ok(None)) => tracing::warn!("the solve stopped without a cancel; nothing saved"),
        Ok(Ok(Some((schedule, evaluation, note)))) => {
            let findings = serde_json::to_value(&evaluation.findings).unwrap_or_default();
            let version = NewVersion {
                assignments: schedule.assignments,
                score: evaluation.score,
                findings,
                note: Some(note),
            };
            match store.finish_job(job.id, worker, &version).await {
                Ok(done) => {
                    tracing::info!(score = %evaluation.score, version = ?done.result_version_id, "solve finished")
                }
                Err(e) => tracing::warn!(error = %e, "the result was not saved"),
            }
        }
        Ok(Err(message)) => fail(store, worker, &job, &message).await,
        Err(e) => fail(store, worker, &job, &format!("the solver stopped: {e}")).await,
    }
}

/// Sets the solver's stop flag and waits for its thread to return, so the worker claims its
/// next job only after the solve has released its cores. The result is dropped.
async fn stop_solve<T>(halt: &AtomicBool, solving: JoinHandle<T>) {
    halt.store(true, Ordering::Relaxed);
    let started = std::time::Instant::now();
    match tokio::time::timeout(STOP_WAIT, solving).await {
        Ok(_) => tracing::info!(ms = started.elapsed().as_millis(), "solve stopped"),
        Err(_) => {
            tracing::error!("the solve did not stop within {} s; leaving its thread", STOP_WAIT.as_secs())
        }
    }
}

async fn fail(store: &Store, worker: &str, job: &Job, message: &str) {
    tracing::error!(job = %job.id, error = message, "solve failed");
    if let Err(e) = store.fail_job(job.id, worker, message).await {
        tracing::error!(job = %job.id, error = %e, "cannot mark the job failed");
    }
}

/// A note for the saved version naming the solver settings.
trait SeedNote {
    fn seed_note(&self, options: &SolveOptions) -> String;
}

impl SeedNote for turnus_solver::SolveResult {
    fn seed_note(&self, options: &SolveOptions) -> String {
        format!("seed {}, {} iterations, {} ms", options.seed, self.iterations, self.elapsed.as_millis())
    }
}
