//! Demo clauses for the clause library: four standard terms of the kind the reference cases
//! run into (paraphrased, not any real company's wording), at different stages of review, with
//! their history; the video platform's reference case (DW-REFB-CASE) cites its clause, and each
//! new clause is cited by up to [`CITED`] synthetic complaints about its company that show one
//! of its obstacles, so the per-month figures have something to show.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

use super::companies::Listed;
use super::{ACTOR, REFERENCE_CODES};
use crate::domain::clauses::ClauseStatus;
use crate::entities::{clause, clause_event, clause_obstacle, complaint};
use crate::store::sql::stmt;

/// Synthetic complaints cited per new demo clause, at most.
const CITED: i64 = 80;

struct DemoClause {
    company: &'static str,
    service: &'static str,
    text: &'static str,
    url: &'static str,
    obstacles: &'static [&'static str],
    legal: &'static str,
    analysis: &'static str,
    /// Status changes and how many days ago each happened.
    steps: &'static [(ClauseStatus, i64)],
    /// Days ago first seen (recorded the same day).
    first_seen: i64,
    /// The reference case that cites it, if any.
    cited_by: Option<&'static str>,
}

#[rustfmt::skip]
const DEMO_CLAUSES: &[DemoClause] = &[
    DemoClause {
        company: "某视频平台", service: "连续包年高级会员",
        text: "会员服务在当前订阅周期内不支持降级操作。如需变更为较低档位的会员，请于本周期到期前3日内通过“账户安全—会员管理”提交申请，逾期视为继续使用原档位并按原价自动续费。",
        url: "https://video.example.com/agreement/vip#downgrade",
        obstacles: &["WINDOW", "HIDDEN-ENTRY"], legal: "CC-496-497;CRPL-26;OTSM-18",
        analysis: "把降级限制在到期前三天，并把入口放在与会员无关的“账户安全”菜单里；升级则随时一键完成。排除了消费者随时变更的权利，不符合随时取消或变更的要求。",
        steps: &[(ClauseStatus::UnderReview, 30)], first_seen: 120, cited_by: Some(REFERENCE_CODES[1]),
    },
    DemoClause {
        company: "某办公软件公司", service: "年度会员",
        text: "会员权益自开通之时起即视为已全部提供。用户已享受的会员权益价值超过会员费的，平台不予退还任何费用。",
        url: "https://office.example.com/terms/membership",
        obstacles: &["REFUND-DENY"], legal: "CC-496-497;CRPL-26;CRPL-10",
        analysis: "以“已享受的权益”为由一概排除退款，由企业单方认定权益价值，属于不合理地免除自身责任、排除消费者主要权利的格式条款。",
        steps: &[(ClauseStatus::UnderReview, 75), (ClauseStatus::Referred, 40)], first_seen: 150, cited_by: None,
    },
    DemoClause {
        company: "某云存储服务商", service: "2TB 存储空间",
        text: "存储空间降级申请于次月生效，合约期内不得降级；办理降级前须先取消全部增值服务。升级申请即时生效并即时扣费。",
        url: "https://cloud.example.com/help/plan-change",
        obstacles: &["EFFECT-ASYM", "COND-FEE", "MISINFO"], legal: "CRPL-26;OTSM-18;CRPL-20",
        analysis: "升级即时生效、即时扣费，降级却延到次月并附加先取消增值服务的条件，生效规则不对等且附加了不合理条件。",
        steps: &[(ClauseStatus::UnderReview, 110), (ClauseStatus::Referred, 80), (ClauseStatus::Amended, 45)], first_seen: 200, cited_by: None,
    },
    DemoClause {
        company: "某通信运营商北京分公司", service: "移动套餐",
        text: "办理套餐降档须由机主本人携带有效身份证件至营业厅办理；网上营业厅及App仅支持套餐升级及增值业务订购。",
        url: "https://telecom.example.com/service/plan-rules",
        obstacles: &["CH-ASYM", "AUTH-ASYM"], legal: "CRPL-9;CRPL-16;OTSM-18;US-CA-ARL",
        analysis: "线上可一键升级，降档却只能本人到营业厅，渠道和验证要求都不对称。",
        steps: &[], first_seen: 20, cited_by: None,
    },
];

fn days_ago(now: DateTime<Utc>, n: i64) -> DateTime<Utc> {
    now - Duration::days(n)
}

fn shanghai_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&crate::domain::format::shanghai())
        .date_naive()
}

fn event(
    clause_id: i64,
    kind: &str,
    change: Option<(ClauseStatus, ClauseStatus)>,
    at: DateTime<Utc>,
) -> clause_event::ActiveModel {
    clause_event::ActiveModel {
        clause_id: Set(clause_id),
        kind: Set(kind.into()),
        from_status: Set(change.map(|c| c.0.code().to_string())),
        to_status: Set(change.map(|c| c.1.code().to_string())),
        note: Set(String::new()),
        user_id: Set(None),
        actor: Set(ACTOR.into()),
        at: Set(at),
        ..Default::default()
    }
}

/// Adds the demo clauses that are not there yet (matched by company and text); returns how many.
pub(super) async fn ensure_clauses(
    conn: &DatabaseConnection,
    directory: &[Listed],
) -> anyhow::Result<usize> {
    let now = Utc::now();
    let mut added = 0;
    for d in DEMO_CLAUSES {
        let Some(company_id) = directory
            .iter()
            .find(|l| l.spec.name == d.company)
            .map(|l| l.id)
        else {
            continue;
        };
        let present = clause::Entity::find()
            .filter(clause::Column::CompanyId.eq(company_id))
            .filter(clause::Column::ClauseText.eq(d.text))
            .one(conn)
            .await?;
        if present.is_some() {
            continue;
        }
        let txn = conn.begin().await?;
        let recorded = days_ago(now, d.first_seen);
        let status = d.steps.last().map(|s| s.0).unwrap_or(ClauseStatus::Flagged);
        let c = clause::ActiveModel {
            company_id: Set(company_id),
            service_name: Set(d.service.into()),
            clause_text: Set(d.text.into()),
            source_url: Set(d.url.into()),
            first_seen_on: Set(shanghai_day(recorded)),
            last_seen_on: Set(shanghai_day(days_ago(now, 2))),
            legal_basis: Set(d.legal.into()),
            analysis: Set(d.analysis.into()),
            status: Set(status),
            created_by: Set(None),
            created_at: Set(recorded),
            updated_at: Set(d
                .steps
                .last()
                .map(|s| days_ago(now, s.1))
                .unwrap_or(recorded)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for o in d.obstacles {
            clause_obstacle::ActiveModel {
                clause_id: Set(c.id),
                obstacle_code: Set(o.to_string()),
            }
            .insert(&txn)
            .await?;
        }
        event(c.id, "created", None, recorded).insert(&txn).await?;
        let mut from = ClauseStatus::Flagged;
        for (to, ago) in d.steps {
            event(c.id, "status", Some((from, *to)), days_ago(now, *ago))
                .insert(&txn)
                .await?;
            from = *to;
        }
        cite_synthetic(&txn, c.id, company_id, d.obstacles).await?;
        txn.commit().await?;
        added += 1;
    }
    cite_reference_cases(conn, directory).await?;
    Ok(added)
}

/// Cites a new clause from up to [`CITED`] complaints about its company with one of its codes.
async fn cite_synthetic(
    conn: &impl ConnectionTrait,
    clause_id: i64,
    company_id: i64,
    codes: &[&str],
) -> anyhow::Result<()> {
    let list: Vec<String> = codes.iter().map(|c| format!("'{c}'")).collect();
    let sql = format!(
        "INSERT INTO clause_citations (clause_id, complaint_id, cited_by, cited_at) \
         SELECT $1, c.id, NULL, c.received_at FROM complaints c WHERE c.company_id = $2 \
         AND c.tracking_code NOT LIKE 'DW-REF%' \
         AND EXISTS (SELECT 1 FROM complaint_obstacles o WHERE o.complaint_id = c.id \
         AND o.obstacle_code IN ({})) ORDER BY c.id DESC LIMIT {CITED}",
        list.join(", ")
    );
    conn.execute(stmt(
        conn.get_database_backend(),
        &sql,
        vec![clause_id.into(), company_id.into()],
    ))
    .await?;
    Ok(())
}

/// The reference cases cite their company's demo clause (once).
async fn cite_reference_cases(
    conn: &DatabaseConnection,
    directory: &[Listed],
) -> anyhow::Result<()> {
    for d in DEMO_CLAUSES {
        let Some(code) = d.cited_by else { continue };
        let Some(company_id) = directory
            .iter()
            .find(|l| l.spec.name == d.company)
            .map(|l| l.id)
        else {
            continue;
        };
        let Some(c) = clause::Entity::find()
            .filter(clause::Column::CompanyId.eq(company_id))
            .filter(clause::Column::ClauseText.eq(d.text))
            .one(conn)
            .await?
        else {
            continue;
        };
        let Some(case) = complaint::Entity::find()
            .filter(complaint::Column::TrackingCode.eq(code))
            .one(conn)
            .await?
        else {
            continue;
        };
        conn.execute(stmt(
            conn.get_database_backend(),
            "INSERT INTO clause_citations (clause_id, complaint_id, cited_by, cited_at) \
             VALUES ($1, $2, NULL, $3) ON CONFLICT DO NOTHING",
            vec![c.id.into(), case.id.into(), case.received_at.into()],
        ))
        .await?;
    }
    Ok(())
}
