//! How forwarded cases ended, written straight onto the complaint row (the company portal that
//! fills these columns in production is built and tested elsewhere): forwarded to a company,
//! answered on time or late with a response category, or marked "no response" by the sweep,
//! and the consumer's verdict.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use super::TestApp;
use downgrade_watch::domain::{ConsumerFeedback, ResponseCategory, Status};
use downgrade_watch::entities::complaint;

/// What the company did with a forwarded case.
#[derive(Debug, Clone, Copy)]
pub enum Reply {
    /// Answered within the deadline.
    OnTime(ResponseCategory),
    /// Answered after the deadline.
    Late(ResponseCategory),
    /// Never answered: the deadline sweep marked it.
    NoResponse,
}

/// A forwarded case's end: the reply and, for an answer, the consumer's verdict
/// (`NotSatisfied` also disputes the case, as the track page does).
#[derive(Debug, Clone, Copy)]
pub struct CaseEnd {
    pub reply: Reply,
    pub verdict: Option<ConsumerFeedback>,
}

impl CaseEnd {
    pub fn on_time(c: ResponseCategory) -> CaseEnd {
        CaseEnd {
            reply: Reply::OnTime(c),
            verdict: None,
        }
    }

    pub fn late(c: ResponseCategory) -> CaseEnd {
        CaseEnd {
            reply: Reply::Late(c),
            verdict: None,
        }
    }

    pub fn no_response() -> CaseEnd {
        CaseEnd {
            reply: Reply::NoResponse,
            verdict: None,
        }
    }

    pub fn verdict(mut self, v: ConsumerFeedback) -> CaseEnd {
        self.verdict = Some(v);
        self
    }

    /// Moves complaint `id` to `company`, received at `received`, forwarded a day later, and
    /// ends it this way.
    pub async fn apply(self, app: &TestApp, id: i64, company: i64, received: DateTime<Utc>) {
        let db = &app.state.db.write;
        let c = complaint::Entity::find_by_id(id)
            .one(db)
            .await
            .expect("read")
            .expect("the complaint");
        let forwarded = received + Duration::days(1);
        let due = (forwarded + Duration::days(14)).date_naive();
        let mut m: complaint::ActiveModel = c.into();
        m.company_id = Set(Some(company));
        m.received_at = Set(received);
        m.status = Set(Status::Forwarded);
        m.forwarded_at = Set(Some(forwarded));
        m.response_due_on = Set(Some(due));
        let answered = |m: &mut complaint::ActiveModel, cat: ResponseCategory, days: i64| {
            m.status = Set(Status::Responded);
            m.responded_at = Set(Some(forwarded + Duration::days(days)));
            m.response_category = Set(Some(cat.code().to_string()));
            m.company_response = Set(Some("答复内容".into()));
        };
        match self.reply {
            Reply::OnTime(cat) => {
                answered(&mut m, cat, 3);
                m.response_timely = Set(Some(true));
            }
            Reply::Late(cat) => {
                answered(&mut m, cat, 20);
                m.response_timely = Set(Some(false));
            }
            Reply::NoResponse => {
                m.response_timely = Set(Some(false));
                m.no_response_at = Set(Some(forwarded + Duration::days(15)));
            }
        }
        if let Some(v) = self.verdict {
            m.consumer_feedback = Set(Some(v.code().to_string()));
            m.consumer_feedback_at = Set(Some(forwarded + Duration::days(21)));
            m.consumer_disputed = Set(v == ConsumerFeedback::NotSatisfied);
        }
        m.update(db).await.expect("update the case");
    }
}
