//! Solve jobs: starting a solve of a period, reading and cancelling jobs, and their progress
//! as server-sent events.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use turnus_store::{Job, JobId, PeriodId, PeriodState, UnitId};

use super::AppState;
use crate::JsonBody;
use crate::access::{self, PLANNERS};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// How often the event stream reads the job's row.
const POLL: Duration = Duration::from_millis(500);

/// Solver settings of a job, stored as its parameters.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SolveParams {
    /// Maximum search time in milliseconds; 30 000 when neither limit is given.
    pub time_limit_ms: Option<u64>,
    /// Maximum search steps per thread; with `seed` the result is reproducible.
    pub iterations: Option<u64>,
    pub seed: Option<u64>,
    /// Solver threads; 1 by default so that several jobs share the machine.
    pub threads: Option<usize>,
}

/// `POST /api/v1/units/{unit}/periods/{period}/solve` (chef, schemaläggare): moves the period
/// to proposal (from wishes closed, or back from review to re-solve around the pins) and
/// queues a solve job.
pub async fn solve(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
    JsonBody(params): JsonBody<SolveParams>,
) -> ApiResult<(StatusCode, Json<Job>)> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    let period = PeriodId(period);
    let found = state.store.get_period(access.unit, period).await?;
    if matches!(found.state, PeriodState::WishesClosed | PeriodState::Review) {
        state
            .store
            .transition_period(access.unit, period, PeriodState::Proposal, None, &caller.change())
            .await?;
    } else if found.state != PeriodState::Proposal {
        return Err(ApiError::unprocessable(
            format!("Perioden är i läget {}; stäng önskemålen innan schemat läggs", found.state),
            format!("The period is in state {}; close wishes before solving", found.state),
        ));
    }
    let params = serde_json::to_value(&params).map_err(|_| ApiError::internal())?;
    let job = state.store.enqueue_job(access.unit, period, &params, &caller.change()).await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// `GET /api/v1/units/{unit}/periods/{period}/jobs`.
pub async fn list_jobs(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
) -> ApiResult<Json<Vec<Job>>> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    Ok(Json(state.store.list_jobs(access.unit, PeriodId(period)).await?))
}

/// `GET /api/v1/units/{unit}/jobs/{job}`.
pub async fn get_job(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, job)): Path<(i64, i64)>,
) -> ApiResult<Json<Job>> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    Ok(Json(state.store.get_job(access.unit, JobId(job)).await?))
}

/// `POST /api/v1/units/{unit}/jobs/{job}/cancel`.
pub async fn cancel_job(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, job)): Path<(i64, i64)>,
) -> ApiResult<Json<Job>> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    Ok(Json(state.store.cancel_job(access.unit, JobId(job), &caller.change()).await?))
}

/// `GET /api/v1/units/{unit}/jobs/{job}/events`: a `progress` event whenever the job's
/// state, progress or best score changes, and a final `end` event. The stream reads the
/// job's row, so it works for jobs run by `turnus worker` processes elsewhere too.
pub async fn job_events(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, job)): Path<(i64, i64)>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    let first = state.store.get_job(access.unit, JobId(job)).await?;
    let store = state.store.clone();
    let unit = access.unit;
    let start = (Some(first), None::<Job>, false);
    let stream = futures_util::stream::unfold(start, move |(next, last, ended)| {
        let store = store.clone();
        async move {
            if ended {
                return None;
            }
            let mut current = next;
            loop {
                let job = match current.take() {
                    Some(job) => job,
                    None => {
                        tokio::time::sleep(POLL).await;
                        match store.get_job(unit, JobId(job)).await {
                            Ok(job) => job,
                            Err(e) => {
                                tracing::warn!(error = %e, job, "job event stream stopped");
                                let event = Event::default().event("error").data(e.to_string());
                                return Some((Ok(event), (None, last, true)));
                            }
                        }
                    }
                };
                let changed = last.as_ref().is_none_or(|l| {
                    l.state != job.state || l.progress != job.progress || l.best_score != job.best_score
                });
                if !changed {
                    continue;
                }
                let event = Event::default()
                    .event(if job.state.is_final() { "end" } else { "progress" })
                    .json_data(&job)
                    .unwrap_or_else(|_| Event::default().event("error"));
                let ended = job.state.is_final();
                return Some((Ok(event), (None, Some(job), ended)));
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
