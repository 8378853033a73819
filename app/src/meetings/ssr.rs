//! Services behind review meetings. A closed meeting refuses every change.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{AgendaItem, MeetingDetail, MeetingSummary, Member, VoteView};
use crate::{
    audit::ssr::{Actor, record},
    error::{AppError, Text},
    home::ssr::notify_agency_officers,
    plans::{
        PlanStatus, PlanStep,
        ssr::{move_plan, status_of, summary_of},
    },
    procedure::{Choice, DecisionRule, Outcome, Quorum, Tally, Vote, resolve},
    roles::Role,
    ssr::{
        Caller, begin_write, corrupt,
        entities::{account, meeting, meeting_attendee, meeting_item, plan, vote},
    },
};

/// Where a meeting stands: open (agenda, attendance and votes may change) or closed (its
/// minutes written, every item decided or deferred). Stored as `open` / `closed`, which the
/// schema's CHECK constraint allows and nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MeetingStatus {
    Open,
    Closed,
}

impl MeetingStatus {
    fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Open => "open",
            MeetingStatus::Closed => "closed",
        }
    }

    /// The status of a stored meeting; a value that does not parse is a logged error, never
    /// taken for either.
    fn of(m: &meeting::Model) -> Result<MeetingStatus, AppError> {
        match m.status.as_str() {
            "open" => Ok(MeetingStatus::Open),
            "closed" => Ok(MeetingStatus::Closed),
            other => Err(corrupt("meeting status", other)),
        }
    }
}

fn closed_error() -> AppError {
    AppError::conflict(
        "meeting",
        crate::msg!(meetings.meeting_is_closed_its_record_votes),
    )
}

async fn committee(conn: &impl ConnectionTrait) -> Result<Vec<account::Model>, AppError> {
    account::Entity::find()
        .filter(account::Column::Role.eq(Role::CommitteeMember.as_str()))
        .filter(account::Column::Active.eq(true))
        .order_by_asc(account::Column::Id)
        .all(conn)
        .await
        .map_err(AppError::from)
}

async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<meeting::Model, AppError> {
    meeting::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// The meeting, locked for the rest of the caller's write transaction (`FOR UPDATE` on
/// PostgreSQL; the `IMMEDIATE` transaction holds the whole database on SQLite), if it is open.
/// Every change to a meeting, its agenda, attendance and votes goes through here, so a vote
/// cannot commit after `close` has read the votes: whichever comes second sees the other.
async fn find_open(conn: &impl ConnectionTrait, id: i64) -> Result<meeting::Model, AppError> {
    let m = meeting::Entity::find_by_id(id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    match MeetingStatus::of(&m)? {
        MeetingStatus::Open => Ok(m),
        MeetingStatus::Closed => Err(closed_error()),
    }
}

async fn summary(
    conn: &impl ConnectionTrait,
    m: &meeting::Model,
) -> Result<MeetingSummary, AppError> {
    let items = meeting_item::Entity::find()
        .filter(meeting_item::Column::MeetingId.eq(m.id))
        .count(conn)
        .await?;
    Ok(MeetingSummary {
        id: m.id,
        title: m.title.clone(),
        held_on: m.held_on.to_string(),
        closed: MeetingStatus::of(m)? == MeetingStatus::Closed,
        items,
    })
}

/// Every meeting, newest first.
#[tracing::instrument(skip_all)]
pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<MeetingSummary>, AppError> {
    let mut out = Vec::new();
    for m in meeting::Entity::find()
        .order_by_desc(meeting::Column::Id)
        .all(conn)
        .await?
    {
        out.push(summary(conn, &m).await?);
    }
    Ok(out)
}

fn tally_text(t: &Tally) -> String {
    format!(
        "同意 {} · 不同意 {} · 退回修改 {} · 弃权 {}",
        t.approvals, t.rejections, t.returns, t.abstentions
    )
}

async fn attendees(conn: &impl ConnectionTrait, meeting_id: i64) -> Result<Vec<i32>, AppError> {
    Ok(meeting_attendee::Entity::find()
        .filter(meeting_attendee::Column::MeetingId.eq(meeting_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| a.account_id)
        .collect())
}

/// A meeting with its agenda, votes and (for the office admin) the plans waiting for review.
#[tracing::instrument(skip_all)]
pub async fn detail(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> Result<MeetingDetail, AppError> {
    let m = find(conn, id).await?;
    let open = MeetingStatus::of(&m)? == MeetingStatus::Open;
    let members = committee(conn).await?;
    let attending = attendees(conn, id).await?;
    let names = |account_id: i32| {
        members
            .iter()
            .find(|a| a.id == account_id)
            .map(|a| a.display_name.clone())
            .unwrap_or_else(|| format!("#{account_id}"))
    };
    let mut items = Vec::new();
    for item in meeting_item::Entity::find()
        .filter(meeting_item::Column::MeetingId.eq(id))
        .order_by_asc(meeting_item::Column::Id)
        .all(conn)
        .await?
    {
        let p = plan::Entity::find_by_id(item.plan_id)
            .one(conn)
            .await?
            .ok_or(AppError::Internal)?;
        let votes = vote::Entity::find()
            .filter(vote::Column::ItemId.eq(item.id))
            .order_by_asc(vote::Column::Id)
            .all(conn)
            .await?;
        let voted = votes.iter().any(|v| v.account_id == caller.user.id);
        let can_vote = open
            && caller.user.role == Role::CommitteeMember
            && attending.contains(&caller.user.id)
            && !voted;
        items.push(AgendaItem {
            id: item.id,
            plan: summary_of(conn, &p).await?,
            votes: votes
                .into_iter()
                .filter_map(|v| {
                    Some(VoteView {
                        member: names(v.account_id),
                        choice: serde_json::from_value(serde_json::Value::String(v.choice)).ok()?,
                        comment: v.comment,
                        at: v.at,
                    })
                })
                .collect(),
            can_vote,
            resolution: item.resolution.clone(),
            tally: item.tally.clone(),
        });
    }
    let submitted = if caller.user.role == Role::OfficeAdmin && open {
        let mut out = Vec::new();
        for p in plan::Entity::find()
            .filter(plan::Column::Status.eq(PlanStatus::Submitted.as_str()))
            .order_by_asc(plan::Column::Id)
            .all(conn)
            .await?
        {
            out.push(summary_of(conn, &p).await?);
        }
        out
    } else {
        Vec::new()
    };
    Ok(MeetingDetail {
        summary: summary(conn, &m).await?,
        quorum: (m.quorum_num, m.quorum_den),
        committee_size: m.committee_size,
        members: members
            .iter()
            .map(|a| Member {
                id: a.id,
                name: a.display_name.clone(),
            })
            .collect(),
        attendees: attending,
        items,
        minutes: m.minutes.clone(),
        submitted,
    })
}

/// Convenes a meeting; the committee's size is fixed as it is today.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    title: &str,
    held_on: &str,
) -> Result<i64, AppError> {
    let title = title.trim();
    if !(2..=100).contains(&title.chars().count()) {
        return Err(AppError::invalid(
            "title",
            crate::msg!(meetings.give_meeting_title_of_2_100),
        ));
    }
    let date = NaiveDate::parse_from_str(held_on.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::invalid(
            "held_on",
            crate::msg!(meetings.write_meeting_date_as_2026_12),
        )
    })?;
    let txn = begin_write(db).await?;
    let size = committee(&txn).await?.len() as i32;
    if size == 0 {
        return Err(AppError::conflict(
            "committee",
            crate::msg!(meetings.there_are_no_active_committee_members),
        ));
    }
    let quorum = Quorum::two_thirds();
    let m = meeting::ActiveModel {
        title: Set(title.to_owned()),
        held_on: Set(date),
        status: Set(MeetingStatus::Open.as_str().to_owned()),
        quorum_num: Set(quorum.numerator() as i32),
        quorum_den: Set(quorum.denominator() as i32),
        committee_size: Set(size),
        minutes: Set(String::new()),
        created_at: Set(Utc::now()),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "meeting.create",
        &format!("meeting:{}", m.id),
        serde_json::json!({ "title": title, "committee_size": size }),
    )
    .await?;
    txn.commit().await?;
    Ok(m.id)
}

/// Puts a submitted plan on the agenda; the plan goes in review.
#[tracing::instrument(skip_all)]
pub async fn add_to_agenda(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: i64,
    plan_id: i64,
) -> Result<(), AppError> {
    let actor = Actor::from(&caller.user);
    let txn = begin_write(db).await?;
    find_open(&txn, meeting_id).await?;
    let p = plan::Entity::find_by_id(plan_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if status_of(&p)?.after(PlanStep::Review).is_none() {
        return Err(AppError::conflict(
            "plan_id",
            crate::msg!(meetings.only_submitted_plan_not_yet_in),
        ));
    }
    meeting_item::ActiveModel {
        meeting_id: Set(meeting_id),
        plan_id: Set(plan_id),
        plan_version: Set(p.version),
        resolution: Set(None),
        tally: Set(String::new()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    move_plan(&txn, p, PlanStep::Review, "", &actor).await?;
    record(
        &txn,
        &actor,
        "meeting.agenda_add",
        &format!("meeting:{meeting_id}"),
        serde_json::json!({ "plan": plan_id }),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// Records the attending committee members.
#[tracing::instrument(skip_all)]
pub async fn set_attendance(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: i64,
    members: &[i32],
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    find_open(&txn, meeting_id).await?;
    let committee: Vec<i32> = committee(&txn).await?.iter().map(|a| a.id).collect();
    if let Some(stranger) = members.iter().find(|m| !committee.contains(m)) {
        return Err(AppError::invalid(
            "members",
            crate::msg!(
                meetings.account_stranger_is_not_committee_member,
                stranger = stranger
            ),
        ));
    }
    meeting_attendee::Entity::delete_many()
        .filter(meeting_attendee::Column::MeetingId.eq(meeting_id))
        .exec(&txn)
        .await?;
    for m in members {
        meeting_attendee::ActiveModel {
            meeting_id: Set(meeting_id),
            account_id: Set(*m),
        }
        .insert(&txn)
        .await?;
    }
    record(
        &txn,
        &Actor::from(&caller.user),
        "meeting.attendance",
        &format!("meeting:{meeting_id}"),
        serde_json::json!({ "members": members }),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

fn choice_str(c: Choice) -> String {
    match serde_json::to_value(c) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "abstain".to_owned(),
    }
}

/// Records a member's vote: once per item, only while the meeting is open, only by an
/// attending member, only on an item of the agenda.
#[tracing::instrument(skip_all)]
pub async fn vote(
    db: &DatabaseConnection,
    caller: &Caller,
    item_id: i64,
    choice: Choice,
    comment: &str,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let item = meeting_item::Entity::find_by_id(item_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    find_open(&txn, item.meeting_id).await?;
    if !attendees(&txn, item.meeting_id)
        .await?
        .contains(&caller.user.id)
    {
        return Err(AppError::conflict(
            "attendance",
            crate::msg!(meetings.you_are_not_recorded_as_attending),
        ));
    }
    let already = vote::Entity::find()
        .filter(vote::Column::ItemId.eq(item_id))
        .filter(vote::Column::AccountId.eq(caller.user.id))
        .count(&txn)
        .await?;
    if already > 0 {
        return Err(AppError::conflict(
            "vote",
            crate::msg!(meetings.you_have_voted_on_this_plan),
        ));
    }
    if comment.chars().count() > 1000 {
        return Err(AppError::invalid(
            "comment",
            crate::msg!(meetings.comment_has_at_most_1_000),
        ));
    }
    vote::ActiveModel {
        item_id: Set(item_id),
        account_id: Set(caller.user.id),
        choice: Set(choice_str(choice)),
        comment: Set(comment.trim().to_owned()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "meeting.vote",
        &format!("item:{item_id}"),
        serde_json::json!({ "plan": item.plan_id, "choice": choice_str(choice) }),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// Closes the meeting: resolves each plan by the rule, applies the resolutions, stores the
/// minutes and informs the agencies. Undecided plans go back to "submitted" for the next
/// meeting.
#[tracing::instrument(skip_all)]
pub async fn close(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: i64,
    minutes: &str,
) -> Result<(), AppError> {
    let minutes = minutes.trim();
    if minutes.is_empty() {
        return Err(AppError::invalid(
            "minutes",
            crate::msg!(meetings.write_minutes_before_closing_meeting),
        ));
    }
    let actor = Actor::from(&caller.user);
    let txn = begin_write(db).await?;
    let m = find_open(&txn, meeting_id).await?;
    // The meeting is decided under the quorum it was convened with, or not at all.
    let quorum = u32::try_from(m.quorum_num)
        .ok()
        .zip(u32::try_from(m.quorum_den).ok())
        .and_then(|(n, d)| Quorum::new(n, d).ok())
        .ok_or_else(|| {
            corrupt(
                "meeting quorum",
                &format!("{}/{}", m.quorum_num, m.quorum_den),
            )
        })?;
    let rule = DecisionRule { quorum };
    let items = meeting_item::Entity::find()
        .filter(meeting_item::Column::MeetingId.eq(meeting_id))
        .all(&txn)
        .await?;
    for item in items {
        let cast = vote::Entity::find()
            .filter(vote::Column::ItemId.eq(item.id))
            .order_by_asc(vote::Column::Id)
            .all(&txn)
            .await?;
        // The members' comments go into the plan's history, so the agency reads why.
        let members = committee(&txn).await?;
        let remarks: Vec<String> = cast
            .iter()
            .filter(|v| !v.comment.is_empty())
            .map(|v| {
                let name = members
                    .iter()
                    .find(|a| a.id == v.account_id)
                    .map_or("委员", |a| a.display_name.as_str());
                format!("{name}:{}", v.comment)
            })
            .collect();
        let votes = cast
            .into_iter()
            .map(|v| {
                let choice = serde_json::from_value(serde_json::Value::String(v.choice.clone()))
                    .map_err(|_| corrupt("vote choice", &v.choice))?;
                Ok(Vote {
                    member: v.account_id,
                    choice,
                })
            })
            .collect::<Result<Vec<Vote>, AppError>>()?;
        let resolution = resolve(m.committee_size as u32, &votes, &rule);
        let (label, step) = match resolution.outcome() {
            Outcome::Approved => ("approved", PlanStep::Approve),
            Outcome::Rejected => ("rejected", PlanStep::Reject),
            Outcome::Returned => ("returned", PlanStep::Return),
            Outcome::Undecided(_) => ("undecided", PlanStep::Defer),
        };
        let tally = tally_text(&resolution.tally());
        let mut am: meeting_item::ActiveModel = item.clone().into();
        am.resolution = Set(Some(label.to_owned()));
        am.tally = Set(tally.clone());
        am.update(&txn).await?;
        let p = plan::Entity::find_by_id(item.plan_id)
            .one(&txn)
            .await?
            .ok_or(AppError::Internal)?;
        let mut comment = format!("{}:{}({tally})", m.title, resolution.outcome().label_zh());
        if !remarks.is_empty() {
            comment.push_str(&format!("。委员意见:{}", remarks.join(";")));
        }
        let p = move_plan(&txn, p, step, &comment, &actor).await?;
        notify_agency_officers(
            &txn,
            p.agency_id,
            "plan.decided",
            &Text::render(|locale| {
                crate::i18n::td_string!(
                    locale,
                    meetings.plan_decided_notice,
                    id = p.id,
                    meeting = &m.title,
                    outcome = super::outcome_label(locale, label)
                )
                .to_string()
            }),
            Some(&format!("/plans/{}", p.id)),
        )
        .await?;
    }
    let mut am: meeting::ActiveModel = m.into();
    am.status = Set(MeetingStatus::Closed.as_str().to_owned());
    am.minutes = Set(minutes.chars().take(20_000).collect());
    am.closed_at = Set(Some(Utc::now()));
    am.update(&txn).await?;
    record(
        &txn,
        &actor,
        "meeting.close",
        &format!("meeting:{meeting_id}"),
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}
