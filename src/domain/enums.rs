//! The closed vocabularies of the intake document and the case workflow. Codes are stable
//! public names (see the contract); human names come from the message files.

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $code)] $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in the database, the API and exports.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses a stable code; `None` for anything else.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($code => Some($name::$variant),)+ _ => None }
            }

            /// All codes, for messages and schema documents.
            pub fn codes() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.code()).collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_enum!(
    /// Market sector of the subscription.
    Sector {
        Telecom => "telecom",
        VideoMembership => "video_membership",
        MusicAudio => "music_audio",
        CloudStorage => "cloud_storage",
        OfficeSoftware => "office_software",
        Gaming => "gaming",
        ReadingNews => "reading_news",
        Other => "other",
    }
);

code_enum!(
    /// How often the subscription bills.
    BillingCycle { Monthly => "monthly", Quarterly => "quarterly", Yearly => "yearly", Other => "other" }
);

code_enum!(
    /// What the consumer was trying to do.
    RequestedAction {
        Downgrade => "downgrade",
        Cancel => "cancel",
        Refund => "refund",
        StopAutoRenewal => "stop_auto_renewal",
        Other => "other",
    }
);

code_enum!(
    /// Where the consumer tried.
    Channel {
        App => "app",
        Website => "website",
        Hotline => "hotline",
        OnlineChat => "online_chat",
        Store => "store",
        Email => "email",
        Other => "other",
    }
);

code_enum!(
    /// How things ended for the consumer (so far).
    Outcome {
        NotResolved => "not_resolved",
        PartiallyResolved => "partially_resolved",
        Resolved => "resolved",
        GaveUp => "gave_up",
    }
);

code_enum!(
    /// Interface language.
    Language { ZhCn => "zh-CN", En => "en" }
);

code_enum!(
    /// Case workflow status.
    Status {
        Received => "received",
        Held => "held",
        Accepted => "accepted",
        Forwarded => "forwarded",
        Responded => "responded",
        Closed => "closed",
        Rejected => "rejected",
        Duplicate => "duplicate",
        Withdrawn => "withdrawn",
    }
);

code_enum!(
    /// Who linked an obstacle code to a complaint.
    ObstacleSource { Consumer => "consumer", Suggestion => "suggestion", Reviewer => "reviewer" }
);

code_enum!(
    /// User roles: association staff, regulators, and company contacts (bound to one company).
    Role { Admin => "admin", Reviewer => "reviewer", Regulator => "regulator", Company => "company" }
);

impl Role {
    /// Admins and reviewers work cases and see contact data.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Reviewer)
    }

    /// Staff and regulators: everyone who reads the association's figures (not companies).
    pub fn reads_figures(self) -> bool {
        self != Role::Company
    }

    /// The page a user lands on after signing in.
    pub fn home(self) -> &'static str {
        match self {
            Role::Admin | Role::Reviewer => "/staff",
            Role::Regulator => "/regulator",
            Role::Company => "/company",
        }
    }
}

code_enum!(
    /// How a company says it dealt with a forwarded complaint (contract: response categories).
    ResponseCategory {
        Downgraded => "downgraded",
        Refunded => "refunded",
        PartlyResolved => "partly_resolved",
        ExplainedNoChange => "explained_no_change",
        NotOurCustomer => "not_our_customer",
        Disputed => "disputed",
    }
);

impl ResponseCategory {
    /// What the company reports as resolving the consumer's request (for the scorecard's
    /// "company-reported resolution").
    pub fn reports_resolution(self) -> bool {
        matches!(
            self,
            ResponseCategory::Downgraded
                | ResponseCategory::Refunded
                | ResponseCategory::PartlyResolved
        )
    }
}

code_enum!(
    /// Which mails a consumer wants about a complaint.
    Notify { All => "all", AnswerAndOutcome => "answer_outcome", None => "none" }
);

impl Notify {
    /// Whether a status mail for a change into `to` goes out under this choice.
    pub fn wants(self, to: Status) -> bool {
        match self {
            Notify::All => true,
            Notify::AnswerAndOutcome => matches!(to, Status::Responded | Status::Closed),
            Notify::None => false,
        }
    }
}

code_enum!(
    /// Through which door a company's answer came in.
    ResponseVia { Portal => "portal", Api => "api", Link => "link", Staff => "staff" }
);

code_enum!(
    /// The consumer's verdict on the company's answer.
    ConsumerFeedback { Satisfied => "satisfied", NotSatisfied => "not_satisfied", None => "none" }
);

impl Language {
    /// The short tag used to pick message files and cue languages.
    pub fn short(self) -> &'static str {
        match self {
            Language::ZhCn => "zh",
            Language::En => "en",
        }
    }

    /// Best match for a loose tag such as `zh`, `zh-cn`, `en-GB`.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let t = tag.trim().to_ascii_lowercase();
        if t == "zh" || t.starts_with("zh-") || t.starts_with("zh_") {
            Some(Language::ZhCn)
        } else if t == "en" || t.starts_with("en-") || t.starts_with("en_") {
            Some(Language::En)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in Sector::ALL {
            assert_eq!(Sector::parse(s.code()), Some(*s));
        }
        assert_eq!(Status::parse("held"), Some(Status::Held));
        assert_eq!(Status::parse("HELD"), None);
        assert_eq!(serde_json::to_string(&Language::ZhCn).unwrap(), "\"zh-CN\"");
    }

    #[test]
    fn language_tags_are_matched_loosely() {
        assert_eq!(Language::from_tag("en-GB"), Some(Language::En));
        assert_eq!(Language::from_tag("zh-Hans-CN"), Some(Language::ZhCn));
        assert_eq!(Language::from_tag("fr"), None);
    }
}
