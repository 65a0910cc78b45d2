//! The legal references a standard-terms clause (格式条款) can be challenged under: the list
//! staff choose from on `/staff/clauses`, in one place. Clauses store the stable `code`; the
//! names are shown in zh-CN and en. The list follows the taxonomy's legal references
//! (docs/taxonomy.md) plus the Civil Code's articles on standard terms, which is what a clause
//! review most often rests on.

/// One legal reference a clause can be challenged under.
#[derive(Debug, Clone, Copy)]
pub struct LegalRef {
    /// Stable code stored with the clause and written to exports.
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// Obstacle codes the taxonomy ties this reference to (`*` = all).
    pub obstacles: &'static str,
}

#[rustfmt::skip]
pub const LEGAL_REFERENCES: &[LegalRef] = &[
    LegalRef { code: "CC-496-497", name_zh: "《民法典》第496–497条（格式条款的提示说明义务及无效情形）", name_en: "Civil Code, Arts. 496–497 (duty to draw attention to standard terms; when they are void)", obstacles: "*" },
    LegalRef { code: "CRPL-8", name_zh: "《消费者权益保护法》第8条（知情权）", name_en: "Consumer Rights Protection Law, Art. 8 (right to know)", obstacles: "*" },
    LegalRef { code: "CRPL-9", name_zh: "《消费者权益保护法》第9条（自主选择权）", name_en: "Consumer Rights Protection Law, Art. 9 (free choice)", obstacles: "*" },
    LegalRef { code: "CRPL-10", name_zh: "《消费者权益保护法》第10条（公平交易权）", name_en: "Consumer Rights Protection Law, Art. 10 (fair trade)", obstacles: "*" },
    LegalRef { code: "CRPL-16", name_zh: "《消费者权益保护法》第16条（不得设定不公平、不合理的交易条件，不得强制交易）", name_en: "Consumer Rights Protection Law, Art. 16 (no unfair or unreasonable trading conditions, no forced dealing)", obstacles: "AUTH-ASYM;RETAIN" },
    LegalRef { code: "CRPL-20", name_zh: "《消费者权益保护法》第20条（提供真实、全面的信息，对询问作出真实、明确的答复）", name_en: "Consumer Rights Protection Law, Art. 20 (true and complete information, clear answers to questions)", obstacles: "HIDDEN-ENTRY;TIER-HIDDEN;MISINFO" },
    LegalRef { code: "CRPL-26", name_zh: "《消费者权益保护法》第26条（不得以格式条款不合理地排除或限制消费者权利）", name_en: "Consumer Rights Protection Law, Art. 26 (standard-form terms may not exclude or limit consumer rights unfairly)", obstacles: "COND-FEE;REFUND-DENY;EFFECT-ASYM" },
    LegalRef { code: "OTSM-18", name_zh: "《网络交易监督管理办法》第18条（自动续费等服务应提供显著、简便的随时取消或变更选项，不得收取不合理费用）", name_en: "Measures for the Supervision and Administration of Online Transactions, Art. 18 (a prominent, simple option to cancel or change automatic renewal at any time, without unreasonable fees)", obstacles: "CH-ASYM;HIDDEN-ENTRY;WINDOW;COND-FEE" },
    LegalRef { code: "CRPL-REG", name_zh: "《消费者权益保护法实施条例》（2024年7月1日起施行）：自动续费前应以显著方式提醒消费者", name_en: "Implementing Regulation of the Consumer Rights Protection Law (in force 2024-07-01): prominent reminders before automatic renewal", obstacles: "SILENT-FAIL" },
    LegalRef { code: "EU-DSA-25", name_zh: "欧盟《数字服务法》第25条第3款(c)项（比较参考）", name_en: "EU Digital Services Act, Art. 25(3)(c) (EU comparison)", obstacles: "CH-ASYM;HIDDEN-ENTRY" },
    LegalRef { code: "EU-UCPD-9", name_zh: "欧盟《不公平商业行为指令》第9条(d)项（比较参考）", name_en: "EU Unfair Commercial Practices Directive, Art. 9(d) (EU comparison)", obstacles: "CH-ASYM;HIDDEN-ENTRY" },
    LegalRef { code: "US-CA-ARL", name_zh: "美国加州《自动续费法》（经AB 2863修订，2025年7月1日起生效）：须能以与订阅相同的方式取消（美国比较参考）", name_en: "California Automatic Renewal Law as amended by AB 2863 (effective 2025-07-01): cancel by the same medium as sign-up (US comparison)", obstacles: "CH-ASYM" },
];

/// The reference with this code.
pub fn legal_reference(code: &str) -> Option<&'static LegalRef> {
    LEGAL_REFERENCES.iter().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_obstacles_are_taxonomy_codes() {
        let mut seen = std::collections::HashSet::new();
        for r in LEGAL_REFERENCES {
            assert!(seen.insert(r.code), "{} twice", r.code);
            if r.obstacles != "*" {
                for o in r.obstacles.split(';') {
                    assert!(
                        crate::shared::reference::OBSTACLES
                            .iter()
                            .any(|x| x.code == o),
                        "{o} of {} is not a taxonomy code",
                        r.code
                    );
                }
            }
        }
    }
}
