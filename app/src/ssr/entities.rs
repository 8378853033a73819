//! sea-orm entities of the foundation tables. Conversions to wire and domain types live beside
//! the services that use them.

pub mod agency {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "agency")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub name: String,
        #[sea_orm(unique)]
        pub code: String,
        pub field: Option<String>,
        pub active: bool,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod account {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "account")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub username: String,
        pub display_name: String,
        pub role: String,
        pub agency_id: Option<i32>,
        pub password_hash: String,
        pub active: bool,
        pub must_change_password: bool,
        pub created_at: ChronoDateTimeUtc,
        pub updated_at: ChronoDateTimeUtc,
        /// A candidate's sign-in account: the plan candidate it belongs to.
        #[sea_orm(unique)]
        pub candidate_id: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "session")]
    pub struct Model {
        /// SHA-256 of the cookie token, hex: the token itself is never stored.
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub account_id: i32,
        pub created_at: ChronoDateTimeUtc,
        pub last_seen_at: ChronoDateTimeUtc,
        pub expires_at: ChronoDateTimeUtc,
        pub ip: String,
        pub user_agent: String,
        /// SHA-256 of the device cookie of the browser the session was opened in (candidates:
        /// a second sign-in from another browser is refused while this one is live).
        pub device_hash: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod known_device {
    use sea_orm::entity::prelude::*;

    /// A browser that signed in to `account_id` successfully before (its device cookie).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "known_device")]
    pub struct Model {
        /// SHA-256 of the cookie token, hex.
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub account_id: i32,
        pub created_at: ChronoDateTimeUtc,
        pub last_used_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod login_failure {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_failure")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub key: String,
        pub at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod audit_head {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_head")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub seq: i64,
        pub last_hash: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod audit_log {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub at: ChronoDateTimeUtc,
        pub actor_id: Option<i32>,
        pub actor_name: String,
        pub action: String,
        pub target: String,
        pub detail: String,
        pub prev_hash: String,
        pub hash: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod notification {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notification")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i32,
        pub kind: String,
        pub payload: String,
        pub link: Option<String>,
        pub created_at: ChronoDateTimeUtc,
        pub read_at: Option<ChronoDateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod question {
    use sea_orm::entity::prelude::*;

    /// A question with the attributes of its current revision, denormalised for filtering.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "question")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub status: String,
        pub revision: i32,
        pub question_type: String,
        pub exam_kind: String,
        pub field: Option<String>,
        pub difficulty: i16,
        pub stem: String,
        pub normalized_stem: String,
        pub legal_basis: String,
        /// `|law|law|`, for `LIKE '%|name|%'` filtering.
        pub laws: String,
        /// `|tag|tag|`, likewise.
        pub tags: String,
        pub created_at: ChronoDateTimeUtc,
        pub updated_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod question_revision {
    use sea_orm::entity::prelude::*;

    /// One immutable revision; `content` is the question's draft as JSON (server only: it
    /// holds the answer key).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "question_revision")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub question_id: i64,
        pub number: i32,
        pub content: String,
        pub author_id: Option<i32>,
        pub author_name: String,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod import_upload {
    use sea_orm::entity::prelude::*;

    /// An uploaded bank file awaiting the author's confirmation after the preview.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "import_upload")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i32,
        pub file_name: String,
        pub content: Vec<u8>,
        pub created_at: ChronoDateTimeUtc,
        /// The defaults given with the upload, JSON (`UploadDefaults`).
        pub defaults: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod plan {
    use sea_orm::entity::prelude::*;

    /// An agency's exam plan (考试计划).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "plan")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub agency_id: i32,
        pub exam_kind: String,
        pub field: Option<String>,
        pub period_from: Date,
        pub period_to: Date,
        pub status: String,
        pub version: i32,
        pub note: String,
        pub created_by: i32,
        pub created_at: ChronoDateTimeUtc,
        pub updated_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod plan_candidate {
    use sea_orm::entity::prelude::*;

    /// A candidate registered on a plan.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "plan_candidate")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub plan_id: i64,
        pub name: String,
        pub resident_id: String,
        pub sex: String,
        pub post: String,
        pub field: String,
        pub mobile: String,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod plan_event {
    use sea_orm::entity::prelude::*;

    /// One step of a plan's history, with the candidates as they were.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "plan_event")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub plan_id: i64,
        pub version: i32,
        pub status: String,
        pub comment: String,
        pub snapshot: String,
        pub actor_name: String,
        pub at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod meeting {
    use sea_orm::entity::prelude::*;

    /// A review meeting (审核会议) of the committee.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meeting")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub title: String,
        pub held_on: Date,
        pub status: String,
        pub quorum_num: i32,
        pub quorum_den: i32,
        pub committee_size: i32,
        pub minutes: String,
        pub created_at: ChronoDateTimeUtc,
        pub closed_at: Option<ChronoDateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod meeting_attendee {
    use sea_orm::entity::prelude::*;

    /// A committee member recorded as attending a meeting.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meeting_attendee")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub meeting_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod meeting_item {
    use sea_orm::entity::prelude::*;

    /// A plan on a meeting's agenda, with its resolution once the meeting closed.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meeting_item")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub meeting_id: i64,
        pub plan_id: i64,
        pub plan_version: i32,
        pub resolution: Option<String>,
        pub tally: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod vote {
    use sea_orm::entity::prelude::*;

    /// A committee member's vote on an agenda item.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "vote")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub item_id: i64,
        pub account_id: i32,
        pub choice: String,
        pub comment: String,
        pub at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod batch {
    use sea_orm::entity::prelude::*;

    /// An exam batch (考试批次).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "batch")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub exam_kind: String,
        pub field: Option<String>,
        pub status: String,
        pub year: i32,
        pub seq: i32,
        /// The batch's secret seed (hex): papers and seats derive from it.
        pub secret_seed: String,
        pub created_at: ChronoDateTimeUtc,
        pub scheduled_at: Option<ChronoDateTimeUtc>,
        /// The attached blueprint (`BlueprintParts` JSON); `None` = the exam kind's default.
        pub blueprint: Option<String>,
        /// The question revisions papers are drawn from, frozen at scheduling (JSON list).
        pub bank_snapshot: Option<String>,
        /// The prepared pool's fingerprint at scheduling.
        pub pool_fingerprint: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod batch_plan {
    use sea_orm::entity::prelude::*;

    /// An approved plan included in a batch.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "batch_plan")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub batch_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub plan_id: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod exam_session {
    use sea_orm::entity::prelude::*;

    /// A sitting (场次) of a batch.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "exam_session")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub batch_id: i64,
        pub seq: i32,
        pub starts_at: ChronoDateTimeUtc,
        pub duration_minutes: i32,
        pub late_entry_minutes: i32,
        /// Candidates may sign in from this many minutes before the start.
        pub entry_opens_minutes: i32,
        /// Sign-in also asks for the last six characters of the ID number.
        pub require_id_suffix: bool,
        /// A candidate must have been checked in by a proctor before starting.
        pub require_check_in: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod room {
    use sea_orm::entity::prelude::*;

    /// An exam room (考场) of a batch, used in every session.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "room")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub batch_id: i64,
        pub seq: i32,
        pub venue: String,
        pub name: String,
        pub address: String,
        pub capacity: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod ticket {
    use sea_orm::entity::prelude::*;

    /// An admission ticket (准考证): a candidate's session, room and seat.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ticket")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub batch_id: i64,
        pub session_id: i64,
        pub room_id: i64,
        pub seat: i32,
        pub candidate_id: i64,
        #[sea_orm(unique)]
        pub ticket_no: String,
        /// argon2 hash of the one-time access code; `None` until the ticket is printed.
        pub access_code_hash: Option<String>,
        pub created_at: ChronoDateTimeUtc,
        pub printed_at: Option<ChronoDateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod paper {
    use sea_orm::entity::prelude::*;

    /// A candidate's paper (试卷): question revisions and option orders, never a key.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "paper")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub batch_id: i64,
        #[sea_orm(unique)]
        pub ticket_id: i64,
        /// Position in the batch's dealing order.
        pub deal_seq: i32,
        /// The `question_bank::Paper` as JSON.
        pub body: String,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod paper_deal_state {
    use sea_orm::entity::prelude::*;

    /// Where a batch's paper dealing stands between assembly chunks (组卷断点).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "paper_deal_state")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub batch_id: i64,
        /// Papers dealt so far (`deal_seq` 1..=`dealt`).
        pub dealt: i32,
        /// The `question_bank::BatchState` as JSON: no key, no secret.
        pub state: String,
        pub updated_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attempt {
    use sea_orm::entity::prelude::*;

    /// One candidate sitting one session (作答): started once per admission ticket.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "attempt")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub ticket_id: i64,
        pub batch_id: i64,
        pub session_id: i64,
        pub room_id: i64,
        /// An [`AttemptStatus`](crate::sitting::AttemptStatus).
        pub status: String,
        pub started_at: ChronoDateTimeUtc,
        /// The deadline the server enforces (the session's end plus extensions).
        pub deadline: ChronoDateTimeUtc,
        /// Extensions granted, in seconds (already in `deadline`).
        pub extra_seconds: i32,
        /// Questions on the paper (answers are accepted for 1..=item_count).
        pub item_count: i32,
        /// The highest save sequence number the browser has sent.
        pub last_seq: i64,
        /// The last time the browser was heard from (saves and pings).
        pub last_seen_at: ChronoDateTimeUtc,
        pub client_ip: String,
        pub submitted_at: Option<ChronoDateTimeUtc>,
        /// Questions answered at submission.
        pub answered: Option<i32>,
        /// SHA-256 of the stored answers at submission (the receipt code is its head).
        pub receipt_hash: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod answer {
    use sea_orm::entity::prelude::*;

    /// A candidate's current answer to one question of the paper.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "answer")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub attempt_id: i64,
        /// 题号, from 1 across the paper.
        #[sea_orm(primary_key, auto_increment = false)]
        pub item: i32,
        /// The `question_bank::Response` as JSON.
        pub response: String,
        /// The save's sequence number: only a newer save replaces it.
        pub seq: i64,
        pub saved_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attempt_event {
    use sea_orm::entity::prelude::*;

    /// Something that happened to an attempt, stamped by the server: integrity signals (evidence
    /// for a person, never a penalty) and the attempt's own milestones.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "attempt_event")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub attempt_id: i64,
        pub at: ChronoDateTimeUtc,
        /// An [`EventKind`](crate::sitting::EventKind).
        pub kind: String,
        pub detail: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod proctor_assignment {
    use sea_orm::entity::prelude::*;

    /// A proctor (监考员) assigned to one room of one session.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "proctor_assignment")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub session_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub room_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: i32,
        pub assigned_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod check_in {
    use sea_orm::entity::prelude::*;

    /// A candidate's check-in (签到) at the room door: present after the identity check, or
    /// absent.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "check_in")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub ticket_id: i64,
        pub present: bool,
        pub at: ChronoDateTimeUtc,
        pub by_name: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod misconduct {
    use sea_orm::entity::prelude::*;

    /// Misconduct a proctor recorded (违纪记录): evidence for the office's review.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "misconduct")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub ticket_id: i64,
        /// A [`MisconductCategory`](crate::proctor::MisconductCategory).
        pub category: String,
        pub description: String,
        /// The proctor voided the attempt for it.
        pub voided: bool,
        pub at: ChronoDateTimeUtc,
        pub by_name: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod room_record {
    use sea_orm::entity::prelude::*;

    /// The room record (考场记录) of one room in one session; locked once submitted.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "room_record")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub session_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub room_id: i64,
        pub present: i32,
        pub absent: i32,
        pub incidents: String,
        /// The proctors' names as they signed, one per line.
        pub signatures: String,
        pub updated_at: ChronoDateTimeUtc,
        pub submitted_at: Option<ChronoDateTimeUtc>,
        pub submitted_by: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod item_decision {
    use sea_orm::entity::prelude::*;

    /// The office's decision about one question of a batch after the exam (题目处理).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "item_decision")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub batch_id: i64,
        pub question_id: i64,
        pub revision_id: i64,
        /// A [`DecisionKind`](crate::results::DecisionKind).
        pub decision: String,
        /// The corrected key's storage form, for `rekey`.
        pub answer_key: Option<String>,
        pub reason: String,
        pub by_name: String,
        pub at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod exam_result {
    use sea_orm::entity::prelude::*;

    /// The scored result of one admission ticket (成绩).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "exam_result")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub ticket_id: i64,
        pub batch_id: i64,
        pub attempt_id: Option<i64>,
        /// A [`ResultOutcome`](crate::results::ResultOutcome).
        pub outcome: String,
        /// Hundredths of a point.
        pub total: i32,
        pub possible: i32,
        pub pass_mark: i32,
        /// JSON: the subtotals per area and per law.
        pub detail: String,
        pub scored_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod batch_scoring {
    use sea_orm::entity::prelude::*;

    /// The latest scoring of a batch, with its item statistics.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "batch_scoring")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub batch_id: i64,
        /// Counts the scorings of the batch, from 1.
        pub revision: i32,
        pub scored_at: ChronoDateTimeUtc,
        pub by_name: String,
        /// JSON: a [`question_bank::Analysis`].
        pub analysis: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attempt_review {
    use sea_orm::entity::prelude::*;

    /// The office's review of an attempt with evidence: the evidence upheld or lifted.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "attempt_review")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub attempt_id: i64,
        pub batch_id: i64,
        /// `upheld` or `lifted`.
        pub decision: String,
        pub reason: String,
        pub by_name: String,
        pub at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod publication {
    use sea_orm::entity::prelude::*;

    /// The publication of a batch's results (公布): once, final.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "publication")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub batch_id: i64,
        pub published_at: ChronoDateTimeUtc,
        pub by_name: String,
        /// The audit chain's head hash right after the publication entry.
        pub audit_head: String,
        pub sat: i32,
        pub passed: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod result_notice {
    use sea_orm::entity::prelude::*;

    /// A result notice (成绩通知单) and its verification code.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "result_notice")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub code: String,
        pub ticket_id: i64,
        pub batch_id: i64,
        /// A [`NoticeStatus`](crate::results::NoticeStatus).
        pub status: String,
        pub issued_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod person_result {
    use sea_orm::entity::prelude::*;

    /// A published result recorded on the person, by resident ID (the eligibility check of
    /// later registrations reads these).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "person_result")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub resident_id: String,
        #[sea_orm(unique)]
        pub ticket_id: i64,
        pub batch_id: i64,
        pub exam_kind: String,
        pub field: Option<String>,
        /// A [`ResultOutcome`](crate::results::ResultOutcome).
        pub outcome: String,
        /// The exam's (first session's) start.
        pub exam_date: ChronoDateTimeUtc,
        /// A pass lapses after this unless a certificate application was recorded.
        pub valid_until: ChronoDateTimeUtc,
        pub certificate_applied_at: Option<ChronoDateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod score_review {
    use sea_orm::entity::prelude::*;

    /// A candidate's request for a score review (成绩复核) and the office's answer.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "score_review")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub ticket_id: i64,
        pub batch_id: i64,
        pub request: String,
        pub requested_at: ChronoDateTimeUtc,
        /// `open` or `answered`.
        pub status: String,
        pub answer: Option<String>,
        pub answered_by: Option<String>,
        pub answered_at: Option<ChronoDateTimeUtc>,
        /// Hundredths, when the review changed the total.
        pub total_before: Option<i32>,
        pub total_after: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
