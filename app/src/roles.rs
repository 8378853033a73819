//! The six roles of the system (DESIGN.md §2) and the signed-in caller as the browser sees it.

use serde::{Deserialize, Serialize};

/// A role. Each account has exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 法制机构管理员 — office admin: the jurisdiction.
    OfficeAdmin,
    /// 题库管理员 — question author: the bank.
    QuestionAuthor,
    /// 审核委员 — committee member: review meetings.
    CommitteeMember,
    /// 执法机关经办人 — agency officer: one agency.
    AgencyOfficer,
    /// 监考员 — proctor: assigned rooms.
    Proctor,
    /// 考生 — candidate: own attempt.
    Candidate,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 6] = [
        Role::OfficeAdmin,
        Role::QuestionAuthor,
        Role::CommitteeMember,
        Role::AgencyOfficer,
        Role::Proctor,
        Role::Candidate,
    ];

    /// The stable storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::OfficeAdmin => "office_admin",
            Role::QuestionAuthor => "question_author",
            Role::CommitteeMember => "committee_member",
            Role::AgencyOfficer => "agency_officer",
            Role::Proctor => "proctor",
            Role::Candidate => "candidate",
        }
    }

    /// Parses a storage name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether accounts of this role must belong to an agency.
    pub fn needs_agency(self) -> bool {
        matches!(self, Role::AgencyOfficer)
    }
}

/// A reference to an agency, as shown beside an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyRef {
    pub id: i32,
    pub name: String,
}

/// The signed-in account, as the browser sees it (no secrets).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub agency: Option<AgencyRef>,
    pub must_change_password: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_storage_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
