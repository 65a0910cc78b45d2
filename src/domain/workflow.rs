//! The case workflow as data: which status changes exist, which are visible to the consumer, and
//! who may make them. Pure functions, no I/O; every status change in `services::cases` goes
//! through [`transition`].
use crate::domain::{Role, Status};

/// A status-changing step a reviewer can take on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Verified and within scope (the decision on acceptance).
    Accept,
    /// Suspected spam or abuse: hide it until a moderator decides.
    Hold,
    /// A held case turned out genuine: back to the intake queue.
    Release,
    /// Spam or out of scope, with a reason.
    Reject,
    /// Merged into another case.
    MarkDuplicate,
    /// Sent to the company (needs the consumer's consent).
    Forward,
    /// The company's answer was recorded.
    RecordResponse,
    /// Finished, with an outcome.
    Close,
    /// The consumer withdrew the complaint.
    Withdraw,
    /// Staff ask the company for a follow-up answer (after a dispute, say): back to waiting for
    /// the company, with a new due date.
    Reopen,
}

impl Step {
    pub const ALL: &'static [Step] = &[
        Step::Accept,
        Step::Hold,
        Step::Release,
        Step::Reject,
        Step::MarkDuplicate,
        Step::Forward,
        Step::RecordResponse,
        Step::Close,
        Step::Withdraw,
        Step::Reopen,
    ];

    /// Stable name, used in routes, audit rows and message keys.
    pub fn code(self) -> &'static str {
        match self {
            Step::Accept => "accept",
            Step::Hold => "hold",
            Step::Release => "release",
            Step::Reject => "reject",
            Step::MarkDuplicate => "duplicate",
            Step::Forward => "forward",
            Step::RecordResponse => "response",
            Step::Close => "close",
            Step::Withdraw => "withdraw",
            Step::Reopen => "reopen",
        }
    }

    /// The status a case has after this step.
    pub fn target(self) -> Status {
        match self {
            Step::Accept => Status::Accepted,
            Step::Hold => Status::Held,
            Step::Release => Status::Received,
            Step::Reject => Status::Rejected,
            Step::MarkDuplicate => Status::Duplicate,
            Step::Forward => Status::Forwarded,
            Step::RecordResponse => Status::Responded,
            Step::Close => Status::Closed,
            Step::Withdraw => Status::Withdrawn,
            Step::Reopen => Status::Forwarded,
        }
    }

    /// The statuses this step may start from.
    pub fn from(self) -> &'static [Status] {
        use Status::*;
        match self {
            Step::Accept => &[Received],
            Step::Hold => &[Received],
            Step::Release => &[Held],
            Step::Reject => &[Received, Held, Accepted],
            Step::MarkDuplicate => &[Received, Held, Accepted],
            Step::Forward => &[Accepted],
            Step::RecordResponse => &[Forwarded],
            // A company that never answers still lets the case close.
            Step::Close => &[Accepted, Forwarded, Responded],
            Step::Withdraw => &[Received, Held, Accepted, Forwarded, Responded],
            Step::Reopen => &[Responded],
        }
    }
}

/// A step that the workflow does not allow from the current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Illegal {
    pub from: Status,
    pub step: Step,
}

/// The status after `step`, or why it cannot be taken from `from`.
pub fn transition(from: Status, step: Step) -> Result<Status, Illegal> {
    if step.from().contains(&from) {
        Ok(step.target())
    } else {
        Err(Illegal { from, step })
    }
}

/// The steps that can be taken from `from`, in display order.
pub fn steps_from(from: Status) -> Vec<Step> {
    Step::ALL
        .iter()
        .copied()
        .filter(|s| s.from().contains(&from))
        .collect()
}

/// Whether no step leads out of this status.
pub fn is_final(s: Status) -> bool {
    steps_from(s).is_empty()
}

/// Whether a change into `to` appears on the public timeline (and is mailed to the consumer).
/// Moderation is never revealed: a held case looks "received" from outside.
pub fn is_public(to: Status) -> bool {
    to != Status::Held
}

/// Whether a case in this status waits for the decision on acceptance (7 working days).
pub fn awaits_review(s: Status) -> bool {
    matches!(s, Status::Received | Status::Held)
}

/// Whether a case in this status waits for the company's answer (10 working days).
pub fn awaits_company(s: Status) -> bool {
    s == Status::Forwarded
}

/// Who may work cases: every change (status steps, classification, notes, assignment) is for
/// admins and reviewers; regulators only read figures.
pub fn may_work_cases(role: Role) -> bool {
    role.is_staff()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn the_main_path_runs_from_received_to_closed() {
        let mut s = Received;
        for step in [
            Step::Accept,
            Step::Forward,
            Step::RecordResponse,
            Step::Close,
        ] {
            s = transition(s, step).unwrap();
        }
        assert_eq!(s, Closed);
    }

    #[test]
    fn moderation_holds_and_releases() {
        assert_eq!(transition(Received, Step::Hold), Ok(Held));
        assert_eq!(transition(Held, Step::Release), Ok(Received));
        assert_eq!(transition(Held, Step::Reject), Ok(Rejected));
        assert!(
            transition(Held, Step::Accept).is_err(),
            "a held case is released before review"
        );
        assert!(transition(Accepted, Step::Hold).is_err());
    }

    #[test]
    fn final_statuses_have_no_way_out() {
        for s in [Closed, Rejected, Duplicate, Withdrawn] {
            assert!(is_final(s), "{s}");
            for step in Step::ALL {
                assert_eq!(
                    transition(s, *step),
                    Err(Illegal {
                        from: s,
                        step: *step
                    })
                );
            }
        }
        for s in [Received, Held, Accepted, Forwarded, Responded] {
            assert!(!is_final(s), "{s}");
        }
    }

    #[test]
    fn forwarding_and_responses_keep_their_order() {
        assert!(transition(Received, Step::Forward).is_err(), "accept first");
        assert!(
            transition(Accepted, Step::RecordResponse).is_err(),
            "forward first"
        );
        assert!(transition(Responded, Step::Forward).is_err());
        assert_eq!(transition(Forwarded, Step::Close), Ok(Closed));
        assert!(
            transition(Received, Step::Close).is_err(),
            "decide on acceptance first"
        );
    }

    #[test]
    fn only_holding_is_hidden_from_the_consumer() {
        for s in Status::ALL {
            assert_eq!(is_public(*s), *s != Held, "{s}");
        }
    }

    #[test]
    fn every_step_leads_somewhere_and_is_reachable() {
        for step in Step::ALL {
            assert!(!step.from().is_empty(), "{step:?}");
            assert!(
                !step.from().contains(&step.target()),
                "{step:?} changes the status"
            );
        }
        assert_eq!(
            steps_from(Received),
            vec![
                Step::Accept,
                Step::Hold,
                Step::Reject,
                Step::MarkDuplicate,
                Step::Withdraw
            ]
        );
    }

    #[test]
    fn clocks_follow_the_status() {
        assert!(awaits_review(Received) && awaits_review(Held) && !awaits_review(Accepted));
        assert!(awaits_company(Forwarded) && !awaits_company(Responded));
    }

    #[test]
    fn regulators_do_not_work_cases() {
        assert!(may_work_cases(Role::Admin) && may_work_cases(Role::Reviewer));
        assert!(!may_work_cases(Role::Regulator));
        assert!(!may_work_cases(Role::Company));
    }

    #[test]
    fn staff_can_ask_the_company_for_a_follow_up() {
        assert_eq!(transition(Responded, Step::Reopen), Ok(Forwarded));
        assert!(transition(Forwarded, Step::Reopen).is_err());
        assert!(transition(Closed, Step::Reopen).is_err());
    }
}
