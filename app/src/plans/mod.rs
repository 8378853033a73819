//! Agencies' exam plans (考试计划): the officer declares a plan for an exam kind and period,
//! registers candidates one by one or from a file (every row checked, all or nothing), submits,
//! withdraws, and revises a returned plan with its history kept.
//!
//! State machine (DESIGN.md §3): `draft → submitted → in_review → approved | rejected |
//! returned`; `returned → draft` (a new version); `submitted → withdrawn`; `approved →
//! scheduled`.

mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::{Json, MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

pub use pages::{PlanBadge, PlanPage, PlansPage};

use crate::{
    error::{AppError, Text},
    roles::{AgencyRef, Role},
};

/// Who may see plans: the agency's officers (own agency), the office admin (all), committee
/// members (plans on a meeting's agenda).
pub const VIEWERS: &[Role] = &[
    Role::AgencyOfficer,
    Role::OfficeAdmin,
    Role::CommitteeMember,
];

/// Where a plan stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Submitted,
    InReview,
    Approved,
    Rejected,
    Returned,
    Withdrawn,
    Scheduled,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 8] = [
        PlanStatus::Draft,
        PlanStatus::Submitted,
        PlanStatus::InReview,
        PlanStatus::Approved,
        PlanStatus::Rejected,
        PlanStatus::Returned,
        PlanStatus::Withdrawn,
        PlanStatus::Scheduled,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted",
            PlanStatus::InReview => "in_review",
            PlanStatus::Approved => "approved",
            PlanStatus::Rejected => "rejected",
            PlanStatus::Returned => "returned",
            PlanStatus::Withdrawn => "withdrawn",
            PlanStatus::Scheduled => "scheduled",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<PlanStatus> {
        PlanStatus::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The state `step` leads to from this one, or `None` when the step is not allowed here.
    /// This is the plan state machine (DESIGN.md §3); every change of a plan's state goes
    /// through it.
    pub fn after(self, step: PlanStep) -> Option<PlanStatus> {
        use PlanStatus as S;
        use PlanStep as P;
        match (self, step) {
            (S::Draft, P::Submit) => Some(S::Submitted),
            (S::Submitted, P::Withdraw) => Some(S::Withdrawn),
            (S::Returned, P::Revise) => Some(S::Draft),
            (S::Submitted, P::Review) => Some(S::InReview),
            (S::InReview, P::Approve) => Some(S::Approved),
            (S::InReview, P::Reject) => Some(S::Rejected),
            (S::InReview, P::Return) => Some(S::Returned),
            (S::InReview, P::Defer) => Some(S::Submitted),
            (S::Approved, P::Schedule) => Some(S::Scheduled),
            _ => None,
        }
    }

    /// The badge colour of the state.
    pub fn badge(self) -> &'static str {
        match self {
            PlanStatus::Approved | PlanStatus::Scheduled => "ok",
            PlanStatus::Rejected => "danger",
            PlanStatus::Returned => "warn",
            PlanStatus::Withdrawn => "muted",
            _ => "info",
        }
    }
}

/// What moves a plan from one state to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlanStep {
    /// The agency submits its draft (提交).
    Submit,
    /// The agency takes back a plan not yet on an agenda (撤回).
    Withdraw,
    /// The agency revises a returned plan: a new version, in draft (修改).
    Revise,
    /// The office puts the plan on a meeting's agenda (审议).
    Review,
    /// The committee approves it (通过).
    Approve,
    /// The committee rejects it (不通过).
    Reject,
    /// The committee returns it for changes (退回修改).
    Return,
    /// The meeting closed without a decision: it waits for the next agenda.
    Defer,
    /// The office schedules it into an exam batch (编入批次).
    Schedule,
}

impl PlanStep {
    pub const ALL: [PlanStep; 9] = [
        PlanStep::Submit,
        PlanStep::Withdraw,
        PlanStep::Revise,
        PlanStep::Review,
        PlanStep::Approve,
        PlanStep::Reject,
        PlanStep::Return,
        PlanStep::Defer,
        PlanStep::Schedule,
    ];

    /// Whether the step starts a new version of the plan.
    pub fn new_version(self) -> bool {
        self == PlanStep::Revise
    }
}

/// A plan as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub id: i64,
    pub agency: AgencyRef,
    /// `general` or `professional`.
    pub exam_kind: String,
    pub field: Option<String>,
    pub period_from: String,
    pub period_to: String,
    pub status: PlanStatus,
    pub version: i32,
    pub candidates: u64,
    pub updated_at: DateTime<Utc>,
}

/// A candidate as shown (ID number and mobile masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateView {
    pub id: i64,
    pub name: String,
    pub resident_id: String,
    pub sex: String,
    pub post: String,
    pub field: String,
    pub mobile: String,
}

/// One step of a plan's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanEventView {
    pub version: i32,
    pub status: PlanStatus,
    pub comment: String,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A plan with its candidates and history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDetail {
    pub summary: PlanSummary,
    pub note: String,
    pub candidates: Vec<CandidateView>,
    pub history: Vec<PlanEventView>,
    /// Whether the caller may change it now (its agency's officer, in draft).
    pub editable: bool,
}

/// The plan form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    /// `general` or `professional`.
    pub exam_kind: String,
    pub field: String,
    /// `YYYY-MM-DD`.
    pub period_from: String,
    pub period_to: String,
    pub note: String,
}

/// One candidate as typed in the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateInput {
    pub name: String,
    pub resident_id: String,
    pub sex: String,
    pub post: String,
    pub field: String,
    pub staffing: String,
    pub mobile: String,
}

/// One bad row (or cell) of a candidate file or form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateProblem {
    /// Spreadsheet row (header = 1); 0 for the form.
    pub row: u32,
    pub column: String,
    pub message: Text,
}

/// The answer to a candidate import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CandidateImport {
    /// Every row was stored.
    Stored { count: u64 },
    /// Nothing was stored; every problem listed.
    Rejected { problems: Vec<CandidateProblem> },
}

/// Plans the caller may see, newest first.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "plans/list", input = Json)]
pub async fn list_plans() -> Result<Vec<PlanSummary>, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(VIEWERS).await?;
    ssr::list(&state.db, &caller).await
}

/// One plan, if the caller may see it.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "plans/get", input = Json)]
pub async fn get_plan(id: i64) -> Result<PlanDetail, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(VIEWERS).await?;
    ssr::detail(&state.db, &caller, id).await
}

/// Creates a draft plan for the officer's agency. Agency officers.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "plans/create", input = Json)]
pub async fn create_plan(input: PlanInput) -> Result<i64, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::AgencyOfficer]).await?;
    ssr::create(&state.db, &caller, &input).await
}

/// Adds one candidate to a draft plan; every problem is named. Agency officers, own agency.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "plans/candidates/add", input = Json)]
pub async fn add_candidate(
    plan_id: i64,
    candidate: CandidateInput,
) -> Result<CandidateImport, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::AgencyOfficer]).await?;
    ssr::add_candidates(
        &state.db,
        &caller,
        &state.results,
        plan_id,
        vec![(0, candidate)],
    )
    .await
}

/// Removes a candidate from a draft plan. Agency officers, own agency.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "plans/candidates/remove", input = Json)]
pub async fn remove_candidate(plan_id: i64, candidate_id: i64) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::AgencyOfficer]).await?;
    ssr::remove_candidate(&state.db, &caller, plan_id, candidate_id).await
}

/// Imports candidates from `.xlsx`/`.csv` (`plan_id`, `file`): all rows or none. Agency
/// officers, own agency.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "plans/candidates/import", input = MultipartFormData)]
pub async fn import_candidates(data: MultipartData) -> Result<CandidateImport, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::AgencyOfficer]).await?;
    let (plan_id, file_name, bytes) = ssr::read_candidate_upload(data).await?;
    ssr::import_candidates(
        &state.db,
        &caller,
        &state.results,
        plan_id,
        &file_name,
        bytes,
    )
    .await
}

/// Moves a plan along its state machine: `submit`, `withdraw` or `revise`. Agency officers,
/// own agency.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "plans/transition", input = Json)]
pub async fn transition_plan(id: i64, action: String) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::AgencyOfficer]).await?;
    ssr::transition(&state.db, &caller, id, &action).await
}

#[cfg(test)]
mod tests {
    use super::{PlanStatus as S, PlanStep as P};

    /// Every (state, step) pair: exactly the arrows of DESIGN.md §3 are allowed.
    #[test]
    fn the_state_machine_allows_exactly_the_designed_steps() {
        let allowed = [
            (S::Draft, P::Submit, S::Submitted),
            (S::Submitted, P::Withdraw, S::Withdrawn),
            (S::Returned, P::Revise, S::Draft),
            (S::Submitted, P::Review, S::InReview),
            (S::InReview, P::Approve, S::Approved),
            (S::InReview, P::Reject, S::Rejected),
            (S::InReview, P::Return, S::Returned),
            (S::InReview, P::Defer, S::Submitted),
            (S::Approved, P::Schedule, S::Scheduled),
        ];
        for from in S::ALL {
            for step in P::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, s, _)| *f == from && *s == step)
                    .map(|(_, _, to)| *to);
                assert_eq!(from.after(step), expected, "{from:?} by {step:?}");
            }
        }
        // Final states stay final.
        for done in [S::Rejected, S::Withdrawn, S::Scheduled] {
            assert!(P::ALL.iter().all(|step| done.after(*step).is_none()));
        }
        assert!(P::Revise.new_version());
        assert!(!P::Submit.new_version());
    }
}
