//! Reference data seeded by `m20261125_000002_seed_reference`: the obstacle taxonomy (families,
//! codes, consumer labels, legal references), the cue phrases of the suggestion engine, and the
//! province list. Pure static data: the app and its tests read the same arrays, staff edit the
//! seeded rows afterwards.

/// Version of the taxonomy these rows describe; every classification records it.
pub const TAXONOMY_VERSION: &str = "v1";

/// A group of related obstacles (the taxonomy's first level).
#[derive(Debug, Clone, Copy)]
pub struct Family {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub sort_order: i32,
}

/// One obstacle code with its wording for staff (`description_*`) and for consumers
/// (`consumer_label_*`). `rights` is `;`-joined, legal references are newline-separated.
#[derive(Debug, Clone, Copy)]
pub struct Obstacle {
    pub code: &'static str,
    pub family: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub description_zh: &'static str,
    pub description_en: &'static str,
    pub consumer_label_zh: &'static str,
    pub consumer_label_en: &'static str,
    pub rights: &'static str,
    pub legal_refs_zh: &'static str,
    pub legal_refs_en: &'static str,
    pub sort_order: i32,
}

/// A cue for the suggestion engine: a `regex`-crate pattern, matched case-insensitively against
/// the narrative, and the weight it lends to `code` (0 < weight <= 1).
#[derive(Debug, Clone, Copy)]
pub struct Cue {
    pub code: &'static str,
    pub lang: &'static str,
    pub pattern: &'static str,
    pub weight: f64,
}

/// A province-level division (GB/T 2260).
#[derive(Debug, Clone, Copy)]
pub struct Province {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub sort_order: i32,
}

#[rustfmt::skip]
pub const FAMILIES: &[Family] = &[
    Family { code: "access", name_zh: "入口与渠道", name_en: "Access and channels", sort_order: 10 },
    Family { code: "timing", name_zh: "时间规则", name_en: "Timing", sort_order: 20 },
    Family { code: "friction", name_zh: "沟通阻力", name_en: "Service friction", sort_order: 30 },
    Family { code: "pressure", name_zh: "劝阻与施压", name_en: "Pressure", sort_order: 40 },
    Family { code: "outcome", name_zh: "处理结果", name_en: "Outcome", sort_order: 50 },
];

// Legal references as literal macros so `concat!` can assemble each code's list at compile time.
macro_rules! law_all_zh {
    () => {
        "《消费者权益保护法》第8条（知情权）\n《消费者权益保护法》第9条（自主选择权）\n《消费者权益保护法》第10条（公平交易权）"
    };
}
macro_rules! law_all_en {
    () => {
        "Consumer Rights Protection Law, Art. 8 (right to know)\nConsumer Rights Protection Law, Art. 9 (free choice)\nConsumer Rights Protection Law, Art. 10 (fair trade)"
    };
}
macro_rules! law_online18_zh {
    () => {
        "《网络交易监督管理办法》第18条（自动续费等服务应提供显著、简便的随时取消或变更选项，不得收取不合理费用）"
    };
}
macro_rules! law_online18_en {
    () => {
        "Measures for the Supervision and Administration of Online Transactions, Art. 18 (services on automatic renewal must offer a prominent, simple option to cancel or change at any time, without unreasonable fees)"
    };
}
macro_rules! law_art20_zh {
    () => {
        "《消费者权益保护法》第20条（提供真实、全面的信息，对询问作出真实、明确的答复）"
    };
}
macro_rules! law_art20_en {
    () => {
        "Consumer Rights Protection Law, Art. 20 (true and complete information, clear answers to questions)"
    };
}
macro_rules! law_art26_zh {
    () => {
        "《消费者权益保护法》第26条（不得以格式条款不合理地排除或限制消费者权利）"
    };
}
macro_rules! law_art26_en {
    () => {
        "Consumer Rights Protection Law, Art. 26 (standard-form terms may not exclude or limit consumer rights unfairly)"
    };
}
macro_rules! law_art16_zh {
    () => {
        "《消费者权益保护法》第16条（不得设定不公平、不合理的交易条件，不得强制交易）"
    };
}
macro_rules! law_art16_en {
    () => {
        "Consumer Rights Protection Law, Art. 16 (no unfair or unreasonable trading conditions, no forced dealing)"
    };
}
macro_rules! law_regulation_zh {
    () => {
        "《消费者权益保护法实施条例》（2024年7月1日起施行）：自动续费前应以显著方式提醒消费者"
    };
}
macro_rules! law_regulation_en {
    () => {
        "Implementing Regulation of the Consumer Rights Protection Law (in force 2024-07-01): prominent reminders before automatic renewal"
    };
}
macro_rules! law_eu_zh {
    () => {
        "欧盟《数字服务法》第25条第3款(c)项（比较参考）\n欧盟《不公平商业行为指令》第9条(d)项（比较参考）"
    };
}
macro_rules! law_eu_en {
    () => {
        "EU Digital Services Act, Art. 25(3)(c) (EU comparison)\nEU Unfair Commercial Practices Directive, Art. 9(d) (EU comparison)"
    };
}
macro_rules! law_us_zh {
    () => {
        "美国加州《自动续费法》（经AB 2863修订，2025年7月1日起生效）：须能以与订阅相同的方式取消（美国比较参考）"
    };
}
macro_rules! law_us_en {
    () => {
        "California Automatic Renewal Law as amended by AB 2863 (effective 2025-07-01): cancel by the same medium as sign-up (US comparison)"
    };
}

pub const OBSTACLES: &[Obstacle] = &[
    Obstacle {
        code: "CH-ASYM",
        family: "access",
        name_zh: "渠道不对称",
        name_en: "Channel asymmetry",
        description_zh: "升级、开通可以在App或网页上自助一键完成，降级、退订或取消却只能通过客服热线、人工客服或线下营业厅办理。",
        description_en: "Upgrading or subscribing is self-service (one tap in the app or on the website), but downgrading, cancelling or stopping renewal is only possible through a hotline, an agent or a store visit.",
        consumer_label_zh: "升级一键就能办，降级或退订却只能打电话、找人工或去营业厅",
        consumer_label_en: "Upgrading took one tap, but downgrading or cancelling needed a call, an agent or a store visit",
        rights: "choice;fair",
        legal_refs_zh: concat!(law_all_zh!(), "\n", law_online18_zh!(), "\n", law_eu_zh!(), "\n", law_us_zh!()),
        legal_refs_en: concat!(law_all_en!(), "\n", law_online18_en!(), "\n", law_eu_en!(), "\n", law_us_en!()),
        sort_order: 10,
    },
    Obstacle {
        code: "HIDDEN-ENTRY",
        family: "access",
        name_zh: "入口隐藏",
        name_en: "Hidden entry",
        description_zh: "降级或退订入口被藏在多层菜单深处，或放在与之无关的栏目下（如“账户安全”），而升级入口十分醒目。",
        description_en: "The downgrade or cancel option is buried several levels deep or filed under an unrelated menu (e.g. “Account security”), while the upgrade option is prominent.",
        consumer_label_zh: "升级按钮很显眼，降级或退订的入口却很难找，藏得很深或放在不相关的菜单里",
        consumer_label_en: "The upgrade button was easy to see, but the downgrade or cancel option was hard to find or hidden in an unrelated menu",
        rights: "informed",
        legal_refs_zh: concat!(law_all_zh!(), "\n", law_online18_zh!(), "\n", law_art20_zh!(), "\n", law_eu_zh!()),
        legal_refs_en: concat!(law_all_en!(), "\n", law_online18_en!(), "\n", law_art20_en!(), "\n", law_eu_en!()),
        sort_order: 20,
    },
    Obstacle {
        code: "TIER-HIDDEN",
        family: "access",
        name_zh: "低档套餐不展示",
        name_en: "Cheaper tier hidden",
        description_zh: "在展示、办理套餐的地方不列出更便宜的档位（如保号套餐、基础版），消费者无从选择。",
        description_en: "Cheaper plans (e.g. a number-keeping plan or a basic tier) are not listed where plans are offered, so the consumer cannot pick them.",
        consumer_label_zh: "我想换的便宜套餐（比如保号套餐、基础版）在套餐列表里根本看不到",
        consumer_label_en: "The cheaper plan I wanted (e.g. a basic or number-keeping plan) was not listed anywhere I could choose it",
        rights: "informed;choice",
        legal_refs_zh: concat!(law_all_zh!(), "\n", law_art20_zh!()),
        legal_refs_en: concat!(law_all_en!(), "\n", law_art20_en!()),
        sort_order: 30,
    },
    Obstacle {
        code: "AUTH-ASYM",
        family: "access",
        name_zh: "验证不对称",
        name_en: "Verification asymmetry",
        description_zh: "降级或退订要求身份证件核验、本人到场、人脸识别或其他额外验证，而升级时并不需要。",
        description_en: "Downgrading or cancelling demands ID checks, an in-person visit, face recognition or other extra verification that upgrading does not.",
        consumer_label_zh: "升级时什么都不用验证，降级或退订却要我出示身份证、本人到场或刷脸",
        consumer_label_en: "Upgrading needed no checks, but downgrading or cancelling required my ID, a face scan or showing up in person",
        rights: "choice;fair",
        legal_refs_zh: concat!(law_all_zh!(), "\n", law_art16_zh!()),
        legal_refs_en: concat!(law_all_en!(), "\n", law_art16_en!()),
        sort_order: 40,
    },
    Obstacle {
        code: "WINDOW",
        family: "timing",
        name_zh: "时间窗限制",
        name_en: "Time-window restriction",
        description_zh: "只允许在很窄的时间窗内降级或退订，例如提示“当前周期内不支持降级，请于到期前N日内再试”。",
        description_en: "Downgrading or cancelling is only allowed in a narrow time window, e.g. “not supported in the current cycle, retry in the last N days before expiry”.",
        consumer_label_zh: "被告知现在不能降级或退订，只能在到期前几天或每月固定几天才能办",
        consumer_label_en: "I was told I couldn't downgrade or cancel now, only in the last few days before expiry or on certain days of the month",
        rights: "choice;fair",
        legal_refs_zh: concat!(law_all_zh!(), "\n", law_online18_zh!()),
        legal_refs_en: concat!(law_all_en!(), "\n", law_online18_en!()),
        sort_order: 50,
    },
    Obstacle {
        code: "EFFECT-ASYM",
        family: "timing",
        name_zh: "生效规则不一致",
        name_en: "Asymmetric effective date",
        description_zh: "升级立即生效、立即扣费，降级却要到次月或下一个计费周期才生效（或以其他对消费者不利的方式安排生效时间）。",
        description_en: "An upgrade takes effect and is charged immediately, but a downgrade only applies from the next month or billing cycle (or effective dates are otherwise set to the consumer's cost).",
        consumer_label_zh: "升级马上生效、马上扣钱，降级却要等到下个月或下个周期才生效",
        consumer_label_en: "Upgrading took effect and was charged straight away, but the downgrade only starts next month or next billing cycle",
        rights: "fair",
        legal_refs_zh: concat!(law_all_zh!(), "\n", law_art26_zh!()),
        legal_refs_en: concat!(law_all_en!(), "\n", law_art26_en!()),
        sort_order: 60,
    },
    Obstacle {
        code: "DEFER",
        family: "timing",
        name_zh: "拖延/空头回访",
        name_en: "Deferral",
        description_zh: "以“已上报处理”“48小时内回电”等说法拖延，回访迟迟不来或根本没有。",
        description_en: "The request is put off with promises such as “escalated, we will call you back within 48 hours”; the callback comes late or never.",
        consumer_label_zh: "客服说会上报处理、过几天回电话，结果很久都没人回复，或者根本没人回",
        consumer_label_en: "They said my request was passed on and someone would get back to me, but nobody did (or only much later)",
        rights: "fair",
        legal_refs_zh: law_all_zh!(),
        legal_refs_en: law_all_en!(),
        sort_order: 70,
    },
    Obstacle {
        code: "REPEAT",
        family: "friction",
        name_zh: "反复联系/转接",
        name_en: "Repeated contact",
        description_zh: "需要长时间排队、多次来电或跑腿、被反复转接，或不得不反复输入“降级”“退款”等关键词才能触发办理选项。",
        description_en: "Long queues, many calls or visits, repeated transfers, or having to retype keywords such as “downgrade” or “refund” before an option appears.",
        consumer_label_zh: "我排了很久的队、打了很多次电话或被转来转去，要反复说明才有进展",
        consumer_label_en: "I had to wait in long queues, contact them many times or was transferred again and again",
        rights: "fair",
        legal_refs_zh: law_all_zh!(),
        legal_refs_en: law_all_en!(),
        sort_order: 80,
    },
    Obstacle {
        code: "BOT-WALL",
        family: "friction",
        name_zh: "机器人墙",
        name_en: "Bot wall",
        description_zh: "在线客服由机器人用预设话术循环应答，人工客服入口隐藏或无法接通。",
        description_en: "A chatbot loops through scripted replies; the human agent is hidden or unreachable.",
        consumer_label_zh: "在线客服一直是机器人自动回复，怎么也转不到人工",
        consumer_label_en: "The online chat was a bot giving canned answers and I could not reach a real person",
        rights: "informed;fair",
        legal_refs_zh: law_all_zh!(),
        legal_refs_en: law_all_en!(),
        sort_order: 90,
    },
    Obstacle {
        code: "PRIORITY-ASYM",
        family: "friction",
        name_zh: "服务优先级不对称",
        name_en: "Service-priority asymmetry",
        description_zh: "咨询升级、购买更贵套餐时人工客服立即响应，提出降级时却无人应答或明显拖延。",
        description_en: "A human answers at once for upgrade or upsell requests, but not (or only much later) for downgrade requests.",
        consumer_label_zh: "问升级或更贵的套餐马上就有人回复，一说要降级就没人理了",
        consumer_label_en: "When I asked about upgrading or a pricier plan a person replied at once; when I asked to downgrade, nobody did",
        rights: "fair",
        legal_refs_zh: law_all_zh!(),
        legal_refs_en: law_all_en!(),
        sort_order: 100,
    },
    Obstacle {
        code: "RETAIN",
        family: "pressure",
        name_zh: "强制挽留",
        name_en: "Forced retention",
        description_zh: "客服反复劝说、提供挽留优惠或推销其他套餐，而不是按消费者的要求办理。",
        description_en: "Repeated persuasion, save offers or upselling instead of doing what the consumer asked.",
        consumer_label_zh: "客服不停地劝我别降、给我推别的套餐或优惠，就是不按我说的办",
        consumer_label_en: "They kept trying to talk me out of it or pushed other offers instead of doing what I asked",
        rights: "choice",
        legal_refs_zh: concat!(law_all_zh!(), "\n", law_art16_zh!()),
        legal_refs_en: concat!(law_all_en!(), "\n", law_art16_en!()),
        sort_order: 110,
    },
    Obstacle {
        code: "LOSS-FRAME",
        family: "pressure",
        name_zh: "损失恐吓",
        name_en: "Loss framing",
        description_zh: "以将失去权益、“基础版体验大打折扣”等说法恐吓，或用让人愧疚的确认文案阻止降级。",
        description_en: "Warnings that benefits will be lost, claims that “the basic tier is much worse”, or guilt-tripping confirmation wording (confirm-shaming) to deter the downgrade.",
        consumer_label_zh: "被一再警告降级会失去很多权益、体验会变得很差，或者确认按钮的文字让人很有压力",
        consumer_label_en: "I was warned I'd lose benefits or that the cheaper plan is much worse, or the confirm button made me feel guilty",
        rights: "choice",
        legal_refs_zh: law_all_zh!(),
        legal_refs_en: law_all_en!(),
        sort_order: 120,
    },
    Obstacle {
        code: "MISINFO",
        family: "outcome",
        name_zh: "误导答复",
        name_en: "Misleading answer",
        description_zh: "被告知无法降级、不允许降级或“合约期内不能变更”，而实际上可以办理。",
        description_en: "The consumer is told that downgrading is impossible or not allowed (e.g. “not during the contract”) when it is in fact possible.",
        consumer_label_zh: "客服说不能降级或不允许退订，后来发现其实是可以办的",
        consumer_label_en: "I was told downgrading or cancelling wasn't possible or allowed, but it actually was",
        rights: "informed",
        legal_refs_zh: concat!(law_all_zh!(), "\n", law_art20_zh!()),
        legal_refs_en: concat!(law_all_en!(), "\n", law_art20_en!()),
        sort_order: 130,
    },
    Obstacle {
        code: "REFUND-DENY",
        family: "outcome",
        name_zh: "拒绝退款",
        name_en: "Refund refused",
        description_zh: "以“已享受的权益价值超过会员费”“虚拟商品不退”等理由拒绝退款或拒绝退还差价。",
        description_en: "A refund (or the price difference) is refused with arguments such as “the benefits you used exceed the fee” or “digital goods are non-refundable”.",
        consumer_label_zh: "我申请退款或退差价被拒绝了，理由是权益已经用了、虚拟商品不退之类",
        consumer_label_en: "My refund was refused, e.g. because I had “already used the benefits” or “digital goods are non-refundable”",
        rights: "fair",
        legal_refs_zh: concat!(law_all_zh!(), "\n", law_art26_zh!()),
        legal_refs_en: concat!(law_all_en!(), "\n", law_art26_en!()),
        sort_order: 140,
    },
    Obstacle {
        code: "COND-FEE",
        family: "outcome",
        name_zh: "附加条件/费用",
        name_en: "Conditions or fees",
        description_zh: "降级时被收取违约金、手续费等额外费用，或被附加无关条件（如必须先取消全部增值服务）。",
        description_en: "Penalties, extra fees or unrelated conditions (e.g. first cancelling every add-on) are attached to downgrading.",
        consumer_label_zh: "降级或退订要交违约金、手续费，或者要先满足一些不相关的条件",
        consumer_label_en: "Downgrading or cancelling came with a fee or penalty, or with conditions that had nothing to do with it",
        rights: "fair",
        legal_refs_zh: concat!(law_all_zh!(), "\n", law_online18_zh!(), "\n", law_art26_zh!()),
        legal_refs_en: concat!(law_all_en!(), "\n", law_online18_en!(), "\n", law_art26_en!()),
        sort_order: 150,
    },
    Obstacle {
        code: "SILENT-FAIL",
        family: "outcome",
        name_zh: "变更未生效",
        name_en: "Change not applied",
        description_zh: "降级或退订已确认办理却没有生效：仍按原价扣费，或自动续费照常进行且没有提醒。",
        description_en: "The downgrade or cancellation was confirmed but not applied: the old price is still charged, or auto-renewal continues without reminders.",
        consumer_label_zh: "明明已经办好了降级或退订，结果还是按原价扣费或被自动续费",
        consumer_label_en: "The downgrade or cancellation was confirmed, but I was still charged the old price or auto-renewed",
        rights: "fair;informed",
        legal_refs_zh: concat!(law_all_zh!(), "\n", law_regulation_zh!()),
        legal_refs_en: concat!(law_all_en!(), "\n", law_regulation_en!()),
        sort_order: 160,
    },
];

const fn zh(code: &'static str, pattern: &'static str, weight: f64) -> Cue {
    Cue {
        code,
        lang: "zh",
        pattern,
        weight,
    }
}

const fn en(code: &'static str, pattern: &'static str, weight: f64) -> Cue {
    Cue {
        code,
        lang: "en",
        pattern,
        weight,
    }
}

// Conventions for the patterns below (the same hold for rows staff add later):
// - a cue describes the obstacle, not the topic: bare 降级 / downgrade / 客服 are never cues;
// - where a negation is part of the meaning ("never called back", 没有生效), it is inside the
//   pattern, because the engine discards an English match preceded by "not"/"never"/"no";
// - `[0-9０-９一二三四五六七八九十两几]` stands for a number written by a consumer;
// - gaps are bounded (`.{0,12}`, `[^。！？]{0,20}`) so evidence stays a short, readable quote.
#[rustfmt::skip]
pub const CUES: &[Cue] = &[
    // CH-ASYM: upgrade is self-service, downgrade/cancel needs a call, an agent or a store.
    zh("CH-ASYM", r"只能(?:通过|拨打|打|致电|找|联系|去|到)?.{0,4}(?:电话|热线|人工|客服|营业厅|门店|柜台)", 0.7),
    zh("CH-ASYM", r"(?:必须|需要|只能|得|要)[^，。！？,!?]{0,8}(?:到|去|前往|跑)(?:线下|附近的?)?(?:营业厅|门店|柜台|网点|实体店)", 0.6),
    zh("CH-ASYM", r"(?:必须|需要|只能|得|要)(?:先)?(?:联系|找|拨打|打|致电)(?:人工|在线)?(?:客服|热线|客服电话|10086|10010|10000|400)", 0.55),
    zh("CH-ASYM", r"(?:线上|网上|手机上|app上|app里|自助|网页上?)(?:根本)?(?:无法|不能|没法|办不了|不支持|不给)(?:办理|操作|降级|退订|取消|降|退|改|关)?", 0.7),
    zh("CH-ASYM", r"(?:没有|没|无)(?:任何)?(?:自助|线上|在线|网上)(?:办理|操作|退订|退款|降级|取消|变更)?", 0.55),
    zh("CH-ASYM", r"(?:升级|开通|订阅|提速|升档|开会员|办理)[^。！？!?]{0,15}(?:随时|一键|马上|立刻|直接|线上|点一下|秒办|上门|打个电话)[^。！？!?]{0,25}(?:降级|降档|降套餐|退订|取消|降)[^。！？!?]{0,15}(?:电话|营业厅|人工|客服|跑)", 0.85),
    zh("CH-ASYM", r"(?:降级|退订|取消|降套餐|降档|退会员|关闭自动续费|降速)[^。！？!?]{0,8}(?:却|就|都)?(?:要|得|必须|只能)(?:来回)?(?:打电话|跑营业厅|去营业厅|到营业厅|找人工|联系客服|打客服|找客服|打热线|人工办理)", 0.75),
    zh("CH-ASYM", r"一键(?:就能|就可以|即可|就)?(?:升级|开通|订阅|续费|升|开|办)", 0.45),
    zh("CH-ASYM", r"(?:打个电话|打电话|点(?:了)?一下|点一点|一键|手机上|在app里|app上|网上)就(?:能|可以|给我?)?(?:升|开|办|提速|加|订)", 0.45),
    zh("CH-ASYM", r"(?:升级|开通|提速|升档)[^，。！？,!?]{0,8}上门", 0.5),
    zh("CH-ASYM", r"(?:希望|建议|为什么不能|为啥不能|就不能|怎么就不能)[^。！？!?]{0,10}(?:自助|线上|在线|网上|app里?)(?:直接)?(?:办理?|降级|降|退订|取消)", 0.55),
    zh("CH-ASYM", r"让我(?:去|到)(?:线下)?(?:营业厅|门店|柜台|网点)|(?:回|到|去)(?:号码)?归属地", 0.55),
    zh("CH-ASYM", r"(?:要|得|必须|只能|让我)(?:发|写)(?:电子)?(?:邮件|email|e-mail)", 0.55),
    zh("CH-ASYM", r"(?:不能|无法|没法)(?:自助|自己)(?:办理|操作|降|退|取消|关)", 0.7),
    zh("CH-ASYM", r"(?:每次都)?(?:要|得)找客服", 0.4),
    en("CH-ASYM", r"only (?:be done |\w+ )?(?:by|via|over the|through(?: the)?|on the)\s*(?:phone|calling|telephone|hotline|call|agent|live agent|store)", 0.75),
    en("CH-ASYM", r"(?:have|had|need|needed|must|required|forced) to (?:phone|call|ring|visit) (?:them|us|customer (?:service|support|care)|the (?:hotline|call cent(?:er|re)|number|store|shop))", 0.5),
    en("CH-ASYM", r"call us to (?:cancel|downgrade|manage|change|stop)", 0.8),
    en("CH-ASYM", r"to (?:manage|cancel|change|downgrade|end) your (?:subscription|plan|membership|account),? (?:please )?(?:call|contact|phone|visit)", 0.8),
    en("CH-ASYM", r"(?:visit|go to|come (?:in)?to|walk into|drive to) (?:a|the|one of (?:our|their)) ?(?:physical |local )?(?:store|shop|branch|retail (?:store|location))", 0.6),
    en("CH-ASYM", r"no (?:way|option|button|link) (?:to (?:cancel|downgrade|change (?:my |the )?plan) )?(?:online|in[- ]app|in the app|on the (?:website|site|app))", 0.75),
    en("CH-ASYM", r"(?:can(?:no|')t|cannot|could(?:n't| not)|unable to) (?:cancel|downgrade|do (?:it|this|that)|change (?:it|the plan|my plan)) (?:online|in the app|on the (?:website|app|site)|myself)", 0.75),
    en("CH-ASYM", r"(?:signed up|subscribed|upgraded|upgrading|sign-?up|joined|subscribing)\b.{0,40}(?:one|single|a) (?:click|tap)", 0.5),
    en("CH-ASYM", r"(?:one|single)[- ](?:click|tap) (?:to )?(?:upgrade|sign up|subscribe|join|buy)", 0.5),
    en("CH-ASYM", r"same (?:medium|channel|way) (?:as|I used to) (?:sign(?:ed)? up|subscribe|join)", 0.6),
    en("CH-ASYM", r"(?:agent|representative|phone call) (?:is |was )?(?:required|needed|necessary) to (?:cancel|downgrade)", 0.7),
    en("CH-ASYM", r"(?:email|e-mail|write to) (?:us|them|support) to (?:cancel|downgrade)", 0.6),
    en("CH-ASYM", r"(?:need|needs|have|has|had|must) to (?:speak|talk) (?:to|with) (?:the |a |an )?(?:retention|cancell?ation|customer service|support|agent|rep|representative|someone|a human)", 0.6),
    en("CH-ASYM", r"(?:upgrad\w+|sign(?:ed|ing)? up|subscrib\w+|added)\b.{0,40}(?:over the phone|online|in the app|on the website|in (?:five|two|three|ten|\d+) minutes|in seconds)", 0.45),
    en("CH-ASYM", r"(?:at|in|to|into) the store\b|in-store", 0.35),
    en("CH-ASYM", r"(?:come|go|went|came) in(?:to (?:a|the) (?:store|shop|branch)| person)", 0.5),
    en("CH-ASYM", r"(?:by|via|through) (?:a )?(?:letter|post|fax|certified mail|registered mail)|written notice|in writing|postal address", 0.6),

    // HIDDEN-ENTRY: the downgrade option exists but is buried or misfiled.
    zh("HIDDEN-ENTRY", r"找不到(?:任何)?[^，。！？,!?]{0,8}(?:入口|按钮|选项|地方|在哪|位置|降级|退订|取消|关闭|降档|downgrade|cancel|unsubscribe)", 0.75),
    zh("HIDDEN-ENTRY", r"找不到", 0.45),
    zh("HIDDEN-ENTRY", r"没(?:有)?(?:任何)?(?:降级|退订|取消|关闭|降档|降套餐|降|退|关)[^，。！？,!?]{0,4}?(?:的)?(?:入口|按钮|选项|地方|功能|链接)", 0.8),
    zh("HIDDEN-ENTRY", r"藏得(?:很|特别|非常|太|好|贼)?深", 0.85),
    zh("HIDDEN-ENTRY", r"藏(?:在|到|着|起来)", 0.6),
    zh("HIDDEN-ENTRY", r"(?:降级|退订|取消|关闭自动续费|关闭|降档)(?:的)?(?:入口|按钮|选项|功能)(?:却|竟然|居然|被)?(?:藏|放|设|塞)在", 0.8),
    zh("HIDDEN-ENTRY", r"翻(?:了)?(?:好|很|老)?(?:几|多|半天|来覆去)(?:层|级|页|个菜单|遍)?", 0.6),
    zh("HIDDEN-ENTRY", r"(?:好几|三四|四五|五六|[0-9３-９三四五六七八九十])\s*(?:层|级)(?:菜单|页面|目录)?", 0.6),
    zh("HIDDEN-ENTRY", r"入口(?:很|特别|非常|极其|太|极)?(?:隐蔽|隐秘|难找|深|不明显|不起眼)", 0.85),
    zh("HIDDEN-ENTRY", r"(?:找了|找)(?:半天|好久|很久|老半天|大半天|一圈)", 0.55),
    zh("HIDDEN-ENTRY", r"(?:账户|账号|帐户|帐号)(?:与|和|及)?安全", 0.5),
    zh("HIDDEN-ENTRY", r"(?:灰色|浅色|极小|很小|超小)(?:的)?(?:小)?字", 0.4),
    zh("HIDDEN-ENTRY", r"最(?:底下|下面|底部|下方)(?:一行)?", 0.35),
    zh("HIDDEN-ENTRY", r"只(?:有|找到|看到|能看到|显示)(?:了)?\s*[“”「」『』\x22]?(?:套餐)?(?:升级|续费|加量包?|开通|升档|加购)", 0.6),
    zh("HIDDEN-ENTRY", r"不知道(?:在)?(?:哪里?|什么地方)(?:可以|能)?(?:取消|关|降|退|改)", 0.6),
    zh("HIDDEN-ENTRY", r"(?:app|手机|客户端)(?:里|上)(?:根本|压根|完全)?(?:没有|找不到|看不到)", 0.45),
    zh("HIDDEN-ENTRY", r"(?:升级|续费|开通)(?:的)?(?:按钮|入口)[^。！？!?]{0,8}(?:醒目|显眼|明显|很大|到处都是)", 0.55),
    zh("HIDDEN-ENTRY", r"[^\s>›»→/\-－—。，,.:：]{1,12}(?:\s*(?:>|›|»|→|->|－|—|-)\s*[^\s>›»→/\-－—。，,.:：]{1,12}){3,}", 0.6),
    zh("HIDDEN-ENTRY", r"单独(?:去|到|在)[^，。！？,!?]{0,10}(?:解约|关闭|取消|退订|解绑)", 0.55),
    zh("HIDDEN-ENTRY", r"(?:支付宝|微信|苹果|app ?store|应用商店|银行)(?:里|的)?(?:的)?(?:免密支付|自动扣款|自动续费|签约|代扣|扣款协议)", 0.45),
    en("HIDDEN-ENTRY", r"(?:could(?:n't| not)|can(?:'t|not)|unable to|impossible to|hard to|struggled to|took (?:me )?(?:ages|forever|\w+ minutes) to) (?:even )?find (?:the |a |any )?(?:cancel\w*|downgrade|opt-?out|option|button|link|setting|way)", 0.75),
    en("HIDDEN-ENTRY", r"(?:could(?:n't| not)|can(?:'t|not)|unable to) (?:even )?find", 0.45),
    en("HIDDEN-ENTRY", r"\bburie[sd]\b|\bbury\b", 0.75),
    en("HIDDEN-ENTRY", r"hidden (?:away |deep )?(?:in|under|behind|inside|at the bottom)|hidden (?:menu|setting|page|link|option|button)", 0.75),
    en("HIDDEN-ENTRY", r"(?:two|three|four|five|six|several|multiple|many|\d+) (?:levels|layers|menus|screens|clicks|pages|submenus) (?:deep|down|in)", 0.8),
    en("HIDDEN-ENTRY", r"tucked away|squirrel+ed away|hard to find|impossible to find|nowhere to be (?:found|seen)", 0.75),
    en("HIDDEN-ENTRY", r"account (?:&|and )?security|privacy settings|advanced settings", 0.5),
    en("HIDDEN-ENTRY", r"(?:tiny|small|faint|grey|gray|greyed[- ]out|low[- ]contrast)\s+(?:['\x22“‘][^'\x22”’]{1,20}['\x22”’]\s+)?(?:grey |gray )?(?:link|text|print|font|button)", 0.45),
    en("HIDDEN-ENTRY", r"(?:no|not an?|without an?) (?:visible |obvious |clear )?(?:cancel\w*|downgrade) (?:option|button|link)", 0.7),
    en("HIDDEN-ENTRY", r"(?:only|just) (?:shows?|see|saw|had|has|offers?|found) (?:an? |the )?['\x22“]?upgrade", 0.55),
    en("HIDDEN-ENTRY", r"(?:dug|digging|dig|searched|searching|hunt\w*) (?:through|around|for) (?:the )?(?:menus|settings|app|site|website|ages)", 0.6),
    en("HIDDEN-ENTRY", r"(?:before|until|till) I (?:finally )?found|clicking around|poking around|digging around", 0.55),
    en("HIDDEN-ENTRY", r"(?:minutes|ages|forever|an hour|half an hour) (?:\w+ ){0,4}(?:to find|looking for|searching for|before I found)", 0.6),
    en("HIDDEN-ENTRY", r"(?:at )?the very bottom|bottom of (?:the|a) (?:page|screen|list|menu)", 0.45),
    en("HIDDEN-ENTRY", r"(?:big|huge|giant|prominent|bright|shiny) ['\x22“‘]?upgrade", 0.45),
    en("HIDDEN-ENTRY", r"there(?:'s| is) (?:none|no (?:such )?(?:option|button|link|setting)) (?:in|on) the (?:app|website|site|account|settings)", 0.7),

    // TIER-HIDDEN: the cheaper plan is not offered where plans are listed.
    zh("TIER-HIDDEN", r"保号(?:套餐|卡|业务)?", 0.55),
    zh("TIER-HIDDEN", r"(?:低档|低价|便宜|最低|低消费|基础|最便宜|小)(?:的)?(?:套餐|档位|档|版本|会员|方案|资费)?(?:根本|压根)?(?:不显示|不展示|没有展示|没显示|看不到|查不到|找不到|不给看|没列出|不列出|不公开|没有上架)", 0.85),
    zh("TIER-HIDDEN", r"(?:不显示|不展示|没有展示|没显示|看不到|查不到|不列出)(?:更)?(?:低档|便宜|低价|低消费|最低|基础|小)", 0.85),
    zh("TIER-HIDDEN", r"查不到(?:这个|该|那个|低档|便宜的?)?(?:套餐|资费)", 0.7),
    zh("TIER-HIDDEN", r"(?:列表|页面|页)(?:里|上|中)?(?:最低|最便宜)的?(?:就是|只有|也要|也是|都要)", 0.6),
    zh("TIER-HIDDEN", r"(?:套餐|资费)(?:列表|页面|页)(?:里|上|中)?(?:只有|全是|都是)", 0.6),
    zh("TIER-HIDDEN", r"(?:隐藏|不公开|不对外|内部)(?:的)?(?:套餐|资费|档位)", 0.8),
    zh("TIER-HIDDEN", r"(?:只(?:推荐|展示|显示|列出|给看)|只给(?:我)?(?:推荐|看))(?:了)?[^，。！？,!?]{0,6}(?:高档|贵的|更贵|高价|大套餐|高套餐)", 0.75),
    zh("TIER-HIDDEN", r"(?:没有|没)(?:更)?(?:便宜|低档|低价|[0-9０-９]+元)(?:的)?(?:套餐|选项|版本|档位)(?:了)?", 0.5),
    zh("TIER-HIDDEN", r"(?:早就|已经|都)?下架了?", 0.45),
    zh("TIER-HIDDEN", r"(?:网上|app里?|官网)(?:办不了|不能办|没有)(?:低档|便宜|保号|小)", 0.7),
    zh("TIER-HIDDEN", r"(?:能选的|可选的|可以选的|列出来的|显示的|给我看的|出来的|弹出来的|列的)(?:套餐)?(?:全是|都是|只有|最低)", 0.7),
    zh("TIER-HIDDEN", r"(?:便宜|低价|十几块|几块钱|[0-9０-９]+块)的?(?:那种|套餐)?(?:根本|压根)?(?:就)?(?:没有|没得选|看不到|找不到)", 0.6),
    zh("TIER-HIDDEN", r"(?:已经)?是最(?:低|便宜)的(?:了|套餐)|没有(?:更低|更便宜|再低)的(?:了|套餐)?", 0.6),
    en("TIER-HIDDEN", r"(?:cheaper|cheapest|lower|basic|lite|budget|entry[- ]level|smaller|minimum) (?:plan|tier|option|package|version)s? (?:\w+ ){0,3}(?:isn't|is not|aren't|are not|wasn't|weren't|not) (?:listed|shown|displayed|visible|offered|available to (?:me|existing))", 0.85),
    en("TIER-HIDDEN", r"(?:not|never|isn't|aren't|wasn't|weren't) (?:listed|shown|displayed|offered|visible) (?:anywhere|on the (?:pricing|plans?) page|in (?:my|the) (?:account|app|plan list))", 0.7),
    en("TIER-HIDDEN", r"(?:pricing|plans?) page only (?:shows|lists|offers|has)|(?:pricing|plans?) page (?:shows|lists|offers|has) only", 0.6),
    en("TIER-HIDDEN", r"(?:hidden|secret|unlisted|unadvertised|off-menu) (?:plan|tier|option|package)s?|\bunlisted\b", 0.8),
    en("TIER-HIDDEN", r"(?:still exists|exists but|is still available|still available to new)", 0.45),
    en("TIER-HIDDEN", r"(?:only|just) (?:offered|shows?|showed|lists?|listed) (?:me )?(?:the )?(?:more expensive|pricier|premium|higher|bigger|top)", 0.7),
    en("TIER-HIDDEN", r"(?:number[- ]keeping|keep[- ]my[- ]number|cheapest) plan", 0.4),

    // AUTH-ASYM: extra verification only on the way down.
    zh("AUTH-ASYM", r"(?:要|需要|必须|要求|得|让)[^，。！？,!?]{0,6}(?:带|提供|上传|出示|拍|拿)(?:上|着)?[^，。！？,!?]{0,4}(?:身份证|证件|户口本)", 0.8),
    zh("AUTH-ASYM", r"(?:机主|本人|老人|户主)(?:自己|亲自)(?:拿|带|去|来|到)", 0.7),
    zh("AUTH-ASYM", r"身份证(?:原件|正反面|复印件|照片)?", 0.5),
    zh("AUTH-ASYM", r"本人(?:亲自)?(?:到场|到店|到厅|前往|去|来|携带|持|带|办理|才能)", 0.8),
    zh("AUTH-ASYM", r"户主(?:本人)?", 0.55),
    zh("AUTH-ASYM", r"人脸识别|刷脸|人脸验证|活体(?:检测|认证)|视频认证", 0.75),
    zh("AUTH-ASYM", r"(?:实名|身份)(?:认证|验证|核验|核实)", 0.5),
    zh("AUTH-ASYM", r"(?:服务密码|二次验证|多重验证|额外验证|再次验证|重新验证|安全验证)", 0.6),
    zh("AUTH-ASYM", r"户口本|授权书|委托书|结婚证|公证", 0.6),
    zh("AUTH-ASYM", r"(?:视频|人工)审核|审核(?:还|需要|要)", 0.45),
    zh("AUTH-ASYM", r"(?:升级|开通|开会员|提速|续费)(?:的时候|时)?(?:只要|只需要?|就)(?:指纹|密码|扫码|点一下|刷一下)", 0.5),
    zh("AUTH-ASYM", r"(?:代办|替(?:我|他|她)?(?:妈|爸|家人|老人)?办)(?:都)?(?:不行|不可以|不给办|不让)", 0.7),
    en("AUTH-ASYM", r"(?:upload|show|provide|present|bring|send|scan) (?:a |my |your |an |their )?(?:photo |copy )?(?:of )?(?:\w+ )?(?:\bID\b|passport|identity (?:card|document)|driver'?s licen[cs]e)", 0.75),
    en("AUTH-ASYM", r"\bID\b (?:card |document )?(?:required|check|verification)|photo ID", 0.7),
    en("AUTH-ASYM", r"in[- ]person", 0.6),
    en("AUTH-ASYM", r"(?:identity|ID|account[- ]holder) (?:verification|check|confirmation)|verify (?:my|your|their) identity", 0.7),
    en("AUTH-ASYM", r"selfie|facial recognition|face (?:scan|recognition|verification|ID check)|video (?:call )?verification", 0.75),
    en("AUTH-ASYM", r"account (?:holder|owner) (?:must|has to|needs to|herself|himself|themselves|in person)", 0.7),
    en("AUTH-ASYM", r"security questions?|notari[sz]ed|signed (?:letter|form)|power of attorney", 0.55),
    en("AUTH-ASYM", r"extra (?:verification|security|checks?|identity)|additional (?:verification|identity)", 0.7),
    en("AUTH-ASYM", r"(?:two|2|multiple) forms of (?:ID|identification)|(?:needed|required|wanted|asked for|demanded) (?:\w+ ){0,3}(?:\bID\b|identification|passport|proof of (?:identity|address))", 0.75),
    en("AUTH-ASYM", r"with (?:zero|no) (?:verification|checks?|ID)|no (?:ID|verification) (?:needed|required|at all)", 0.6),

    // WINDOW: only allowed in a narrow time window.
    zh("WINDOW", r"(?:本|当前|这个|当期)(?:计费|账单|服务|会员|订阅)?周期(?:内)?(?:不支持|不能|无法|不可|不允许)", 0.9),
    zh("WINDOW", r"当前(?:计费|账单|服务|会员|订阅)?周期", 0.7),
    zh("WINDOW", r"(?:到期|续费|扣费|续期|服务到期|会员到期|合约到期)(?:日)?前\s*[0-9０-９一二三四五六七八九十两几]+\s*(?:天|日|个工作日)(?:内|之内|以内|才|再|方可)", 0.9),
    zh("WINDOW", r"(?:到期|续费|扣费|续期|服务到期|会员到期|合约到期)(?:日)?前\s*[0-9０-９一二三四五六七八九十两几]+\s*(?:天|日|个工作日)", 0.45),
    zh("WINDOW", r"(?:每月|每个月|月初|月底)\s*[0-9０-９一二三四五六七八九十]+\s*(?:号|日)\s*(?:到|至|-|~|—|－)\s*[0-9０-９一二三四五六七八九十]+\s*(?:号|日)", 0.75),
    zh("WINDOW", r"(?:只有|只能在|仅在|仅限|只在)(?:每月|每个月|月初|月底|月末|到期|续费|合约到期|周期结束|账期|特定)", 0.75),
    zh("WINDOW", r"不在(?:可)?(?:操作|办理|变更|受理|申请)(?:的)?(?:时间|时段|期间|窗口|范围|日期)", 0.85),
    zh("WINDOW", r"(?:等|要等|得等)(?:到)?(?:合约|套餐|会员|服务)?(?:到期|期满|结束)(?:后|以后|之后)?(?:才能|再)(?:降|办|改|申请|操作|退|取消)", 0.7),
    zh("WINDOW", r"(?:到时|届时|那时|到期时|到期前)(?:候)?再(?:试|来|办理|操作|申请)", 0.6),
    zh("WINDOW", r"再试", 0.35),
    zh("WINDOW", r"错过(?:了)?(?:时间|日子|窗口|办理时间|期限|时段|[0-9一二两三]次)?", 0.4),
    zh("WINDOW", r"不支持降级", 0.45),
    zh("WINDOW", r"(?:过了|超过了?)(?:办理|变更|申请)?(?:时间|期限|日期)", 0.55),
    zh("WINDOW", r"(?:结束|到期|期满|届满)(?:后|以后|之后)(?:方可|才能|才可以|再)(?:取消|降级|退订|变更|办理|操作|关闭|降)", 0.75),
    zh("WINDOW", r"(?:优惠期|活动期|承诺期|锁定期|保底期|最低消费期)(?:内|间)", 0.5),
    zh("WINDOW", r"方可(?:取消|降级|退订|变更|办理|关闭)", 0.5),
    zh("WINDOW", r"(?:中途|使用期间|服务期间|有效期内)(?:不能|不可以|无法|不允许)(?:降|退|取消|变更|改)|只能等(?:到)?(?:到期|期满|合约结束)", 0.7),
    en("WINDOW", r"(?:not|isn't|is not|cannot be|can't be) (?:possible|supported|allowed|available|done) (?:in|during|within) (?:the|your|this) current", 0.9),
    en("WINDOW", r"current (?:billing |subscription |contract )?(?:cycle|period)", 0.6),
    en("WINDOW", r"(?:last|final|within(?: the)?(?: last| final)?)\s+(?:\d+|one|two|three|four|five|six|seven|ten|fourteen|fifteen|thirty)\s+days?\s+(?:before|of|prior to|ahead of)\s+(?:the\s+|my\s+|your\s+)?(?:expiry|expiration|renewal|end|term|billing|subscription)", 0.9),
    en("WINDOW", r"(?:\d+|one|two|three|five|seven|ten|fifteen|thirty) days? (?:before|prior to) (?:the |my |your )?(?:expiry|expiration|renewal|end of)", 0.75),
    en("WINDOW", r"(?:try|come back|retry|apply) (?:again )?(?:closer to|near|at the end|before (?:your |the )?renewal|in the last)", 0.7),
    en("WINDOW", r"try again later", 0.35),
    en("WINDOW", r"(?:can|could) only (?:be )?(?:downgrade|cancel|change|switch)\w* (?:\w+ ){0,3}(?:during|within|in the last|at the end|on the|between)", 0.6),
    en("WINDOW", r"(?:window|period) (?:to|for) (?:cancel|downgrade|change)|cancell?ation window|missed the (?:window|deadline|cut-?off)", 0.75),
    en("WINDOW", r"not (?:possible|supported|allowed|available) (?:until|before) (?:the )?(?:end|renewal|expiry)", 0.7),
    en("WINDOW", r"(?:only|just) (?:available|possible|allowed|open|enabled)\b.{0,20}(?:final|last|first) (?:week|few days|days?|\d+ days)", 0.8),
    en("WINDOW", r"(?:final|last|first) (?:week|few days|\d+ days|days) (?:of|before) (?:the |your |my )?(?:billing|subscription|contract|term|cycle|period|month)", 0.75),

    // EFFECT-ASYM: upgrade now, downgrade next cycle.
    zh("EFFECT-ASYM", r"(?:降级|降档|降套餐|退订|变更|取消|降速|改套餐)[^。！？!?]{0,12}(?:次月|下(?:个)?月|下(?:个)?(?:计费|账单)?周期|下期|下个账期|到期后|等到)(?:才)?(?:能)?(?:生效|执行|开始)", 0.45),
    zh("EFFECT-ASYM", r"(?:次月|下(?:个)?月|下(?:个)?(?:计费|账单)?(?:周期|账期)|下期|期满后)(?:开始|起|1号|一号)?(?:能)?(?:生效|执行|变更|按新)", 0.4),
    zh("EFFECT-ASYM", r"(?:次月|下(?:个)?月|下(?:个)?(?:计费|账单)?(?:周期|账期)|下期|期满后|到期后)才(?:能)?(?:生效|执行|开始|变|降|按新|少扣|少收|便宜|降价|调整)", 0.65),
    zh("EFFECT-ASYM", r"(?:权益|功能|服务|特权)(?:立刻|马上|立即|当天|当场)(?:就)?(?:没了|降了|取消|失效|收回|缩水)", 0.6),
    zh("EFFECT-ASYM", r"(?:只能|要等到?|得等到?|必须等到?|非要等到?)(?:从)?(?:次月|下(?:个)?月|下(?:个)?(?:计费|账单)?(?:周期|账期)|下期)(?:才|开始|起)", 0.6),
    zh("EFFECT-ASYM", r"(?:取消|退订|降级|关闭|降档)[^。！？!?]{0,10}(?:后|以后)[^。！？!?]{0,10}(?:下个月|次月|下期)(?:还|仍|也)(?:会|要|得)?(?:扣|收)", 0.6),
    zh("EFFECT-ASYM", r"(?:升级|开通|升档|提速|加钱|升)[^。！？!?]{0,12}(?:立即|立刻|马上|当天|当场|即时|秒|直接)(?:就)?(?:生效|扣费|扣钱|扣款|开通|扣)", 0.45),
    zh("EFFECT-ASYM", r"立即生效|立刻生效|马上生效|当(?:天|即|时|场)生效|实时生效|即时生效", 0.45),
    zh("EFFECT-ASYM", r"(?:立即|立刻|马上|当天)(?:就)?(?:扣费|扣钱|扣款|收费)", 0.4),
    zh("EFFECT-ASYM", r"等(?:到)?[^，。！？,!?]{0,6}到期(?:后)?才(?:能)?(?:生效|执行|变)", 0.7),
    zh("EFFECT-ASYM", r"(?:这个月|本月|当月)(?:还|仍然|依然)?(?:得|要)?按(?:原|高|旧|之前|原来)", 0.5),
    en("EFFECT-ASYM", r"(?:take|takes|taking|took|will take) effect (?:only )?(?:from |at |on |in )?(?:the )?(?:next|following|end)", 0.75),
    en("EFFECT-ASYM", r"(?:only|won't|will not|doesn't|does not|didn't|did not) (?:apply|start|kick in|take effect|begin) (?:until|from|at) (?:the )?(?:next|following|end)", 0.8),
    en("EFFECT-ASYM", r"(?:from|starting|start of) (?:the )?next (?:billing )?(?:cycle|month|period|term)", 0.6),
    en("EFFECT-ASYM", r"(?:next|following) (?:billing )?(?:cycle|month|period)", 0.4),
    en("EFFECT-ASYM", r"(?:upgrade|upgrading|upgraded|signed up)\b.{0,60}(?:took effect|effective|charged|billed|applied|active|kicked in)\s+(?:immediately|instantly|right away|the same day|straight away|at once)", 0.75),
    en("EFFECT-ASYM", r"(?:charged|billed|effective|applied) (?:immediately|instantly|the same day|right away|on the spot)|(?:immediately|instantly) (?:charged|billed|effective|applied)", 0.55),
    en("EFFECT-ASYM", r"(?:only|not until) (?:at )?the end of (?:my|the|your) (?:\w+ )?(?:term|period|cycle|year|subscription)", 0.55),
    en("EFFECT-ASYM", r"upgrades? (?:are|is|was|were) (?:immediate|instant)|(?:immediate|instant) upgrades?", 0.5),
    en("EFFECT-ASYM", r"(?:pay|paying|charged|billed) (?:for )?the (?:rest|remainder) of the (?:month|cycle|term|year|period) at the (?:old|higher|full|premium)", 0.65),
    en("EFFECT-ASYM", r"charged (?:me )?the difference (?:immediately|right away|on the spot|the same day)", 0.6),
    en("EFFECT-ASYM", r"(?:kicks? in|applies|starts|takes? effect|effective) only (?:at|from|on|after) (?:my |the |your )?(?:next|following|end)", 0.75),
    en("EFFECT-ASYM", r"prorat\w+ (?:\w+ )?(?:immediately|right away|straight away|on the spot)|paid the (?:\w+ )?difference (?:immediately|right away|straight away|up front)", 0.6),
    en("EFFECT-ASYM", r"mid-(?:cycle|month|term|year)", 0.45),

    // DEFER: escalated, callback late or never.
    zh("DEFER", r"上报(?:处理|一下|给|到|后台|上级)?", 0.7),
    zh("DEFER", r"(?:[0-9０-９一二三四五六七八九十两]+|几)\s*(?:个)?(?:小时|工作日|天|日)(?:之内|内|以内)?(?:会)?(?:给(?:您|你|我))?(?:回电|回复|答复|处理结果|联系|回访|致电|回电话)", 0.8),
    zh("DEFER", r"(?:[0-9０-９一二三四五六七八九十两]+|几)\s*(?:个)?(?:小时|工作日|天|日|礼拜|星期|周)(?:之内|内|以内|后|之后)[^，。！？,!?]{0,6}(?:回电|回复|答复|处理|联系|回访|致电|通知|反馈|结果)", 0.75),
    zh("DEFER", r"等了[^，。！？,!?]{0,8}才(?:回|有人|回复|答复|联系|处理)", 0.65),
    zh("DEFER", r"回电|回访|回拨|回电话", 0.5),
    zh("DEFER", r"(?:没人|没有人|一直没人|也没人|再也没人|再没人|无人)(?:回|回复|联系|理|管|跟进|打来|回电|处理)", 0.8),
    zh("DEFER", r"石沉大海|杳无音信|没有下文|没了下文|没下文|没消息|没有消息|没动静|没有动静|没有回音|没回音|无人跟进|不了了之", 0.8),
    zh("DEFER", r"(?:登记|记录|反馈|提交|转交|转给|上交|转到)(?:一下|了)?(?:给|到)?[^，。！？,!?]{0,4}(?:后台|部门|专员|上级|工单|专人|专门)", 0.6),
    zh("DEFER", r"(?:啥|什么)(?:也|都)没(?:收到|有|等到)|没(?:有)?收到(?:任何)?(?:回复|通知|电话|短信|消息|答复)", 0.65),
    zh("DEFER", r"没有?然后了|就没(?:有)?(?:然后|后续|下文)(?:了)?", 0.75),
    zh("DEFER", r"已收到|已受理|已记录", 0.4),
    zh("DEFER", r"处理中|审核中|受理中|跟进中", 0.45),
    zh("DEFER", r"专人(?:联系|跟进|回访|处理|回电)|(?:一个|一通)?电话(?:都|也)没(?:接到|打来|有)", 0.6),
    zh("DEFER", r"(?:一个月|半个月|几个月|[0-9０-９一二三四五六七八九十]+\s*天|好几天|一周|两周|一个礼拜)(?:都)?(?:过去了|了)[，,]?(?:还是|也|都|仍然|依然|还)", 0.5),
    zh("DEFER", r"工单", 0.4),
    zh("DEFER", r"(?:回家|耐心)?等(?:待)?(?:通知|短信|回复|消息|回电|处理结果|答复)", 0.6),
    zh("DEFER", r"(?:让我|请您?|叫我)(?:再)?(?:等等|等一下|等几天|等通知|耐心等)", 0.5),
    zh("DEFER", r"问题已(?:记录|反馈|提交|登记|上报)", 0.7),
    zh("DEFER", r"(?:一直|始终|迟迟|到现在|至今)(?:都)?(?:没|没有|未)(?:回复|回电|处理|答复|结果|消息|人联系)", 0.75),
    zh("DEFER", r"拖(?:了|着)(?:好几|几|一|两|半)?(?:天|周|个月|星期)|一拖再拖|推来推去|推诿|踢皮球", 0.6),
    zh("DEFER", r"(?:帮您?|帮你|给您?|给你)(?:申请|反馈|登记|提交)一下", 0.5),
    en("DEFER", r"escalat\w+", 0.7),
    en("DEFER", r"(?:call|get|ring|email|reach) (?:me|you) back", 0.5),
    en("DEFER", r"(?:never|nobody|no one|haven't|hasn't|have not|has not|still not|still haven't|didn't|did not) (?:ever )?(?:called|rang|phoned|replied|responded|followed up|got back|heard back|heard anything|heard from|contacted me|received a (?:reply|response|call))", 0.75),
    en("DEFER", r"within (?:\d+|one|two|three|five|seven|ten) (?:business |working )?(?:hours|days)", 0.6),
    en("DEFER", r"(?:forwarded|passed|sent|referred|handed)(?: it| (?:my|the|your) (?:request|case|ticket|complaint))? (?:on )?to (?:the |a |another )?(?:\w+ )?(?:team|department|specialist|supervisor|manager|back office)", 0.65),
    en("DEFER", r"(?:raised|opened|submitted|logged|filed) a (?:support )?(?:ticket|case|request)", 0.45),
    en("DEFER", r"(?:no|without (?:any|a)) (?:response|reply|answer|follow[- ]?up|update|callback|call back)", 0.7),
    en("DEFER", r"(?:still|kept|keep) waiting", 0.5),
    en("DEFER", r"(?:weeks?|days|months?) later,? (?:still )?nothing|radio silence|ghosted|heard nothing|crickets", 0.75),
    en("DEFER", r"(?:promised(?: to)?|(?:said|told me) (?:they'?d|they would|someone would|somebody would|it would)) (?:call|get back|contact me|follow up|ring|be in touch)", 0.7),
    en("DEFER", r"(?:looking into it|get back to you|we'?ll be in touch)", 0.45),

    // REPEAT: queues, many contacts, transfers, retyping.
    zh("REPEAT", r"(?:打|拨|通|联系|找|跑|去|问|发|转|催|申请|沟通|提交|试)(?:了)?\s*(?:[0-9０-９两三四五六七八九十]+|好几|十几|几十|无数|n|多)\s*(?:次|遍|趟|回|通|个电话|封)", 0.8),
    zh("REPEAT", r"(?:[0-9０-９两三四五六七八九十]+|好几|十几|几十|无数)\s*(?:通电话|个电话|趟|封邮件|次电话)", 0.7),
    zh("REPEAT", r"反复(?:输入|打|联系|拨打|沟通|申请|提交|找|问|询问|打电话|催|说明|解释)", 0.75),
    zh("REPEAT", r"来回(?:打电话|跑|折腾|转|沟通|找)", 0.75),
    zh("REPEAT", r"多次|反复|来回|一遍又一遍|一次又一次|三番五次|无数次|屡次", 0.4),
    zh("REPEAT", r"排(?:了)?(?:很久|半天|好久|很长时间|老半天|[0-9０-９一二三四五六七八九十几半]+\s*(?:多)?(?:个)?(?:分钟|小时|钟头))?(?:的)?队", 0.7),
    zh("REPEAT", r"等(?:了)?\s*(?:[0-9０-９一二三四五六七八九十几半]+\s*(?:多)?(?:个)?(?:分钟|小时|钟头)|好久|半天|很久|老半天)\s*(?:多)?(?:才)?(?:接通|有人接|打通|轮到)", 0.75),
    zh("REPEAT", r"打不通|(?:一直|永远|总是|老是|经常)?占线|无人接听|没人接|一直在忙", 0.65),
    zh("REPEAT", r"转接|转来转去|踢来踢去|推给|转了(?:[0-9０-９一二三四五六七八九十几]+|好几)\s*(?:次|个|回|道)", 0.65),
    zh("REPEAT", r"(?:按键|语音)?菜单(?:绕|转)来(?:绕|转)去|绕来绕去|兜圈子|按了(?:半天|好几次|一堆)", 0.6),
    zh("REPEAT", r"重复(?:输入|说明|描述|讲|提交|解释|打|回答)|(?:重新|又)(?:说|讲|解释)(?:了)?一遍", 0.7),
    zh("REPEAT", r"折腾(?:了)?(?:大半天|半天|好几天|一整天|很久|好久|几天|[0-9一二三四五六七八九十几]+(?:天|周|个月))", 0.6),
    zh("REPEAT", r"(?:十几|好几|几十)遍", 0.6),
    zh("REPEAT", r"等了?\s*(?:[0-9０-９一二三四五六七八九十几半两]+\s*(?:多)?(?:个)?(?:分钟|小时|钟头)|好久|半天|很久|老半天)", 0.6),
    zh("REPEAT", r"前面(?:还有)?\s*[0-9０-９]+\s*(?:多)?(?:人|位)", 0.65),
    zh("REPEAT", r"让我(?:打电话|去|找|联系|问)[^。！？!?]{0,12}(?:又)?让我(?:打电话|去|找|联系|问)", 0.7),
    zh("REPEAT", r"又(?:跑|打|去|找)了?一(?:趟|次|遍)|(?:第[二三四五六七八九十0-9]+次)(?:打|去|联系|找)", 0.6),
    en("REPEAT", r"(?:called|phoned|rang|contacted|emailed|messaged|chatted with|visited|wrote to|tried|chased)(?: them| support| the \w+| customer (?:service|support))?\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a dozen|multiple|several|many|numerous|countless)\s+(?:more\s+)?times", 0.8),
    en("REPEAT", r"(?:\d+|three|four|five|six|seven|eight|nine|ten|a dozen|several|multiple|numerous|countless|endless) (?:separate |more )?(?:follow[- ]up )?(?:calls|phone calls|emails|e-mails|chats|visits|attempts|follow[- ]ups|tickets)", 0.7),
    en("REPEAT", r"on hold", 0.55),
    en("REPEAT", r"(?:hold|wait(?:ed|ing)?|queue)\w* (?:for )?(?:over |more than |almost |nearly |about )?(?:an? |\d+\s?|one |two |three |forty |fifty |thirty |forty-five )?(?:hours?|hrs?|minutes?|mins?)\b", 0.7),
    en("REPEAT", r"(?:second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) (?:time|call|attempt|try|chat)", 0.6),
    en("REPEAT", r"(?:two|three|four|five|several|multiple|\d+) (?:different )?(?:agents|reps|representatives|people|departments|staff members)", 0.6),
    en("REPEAT", r"transferr?(?:ed|ing)? (?:\w+ ){0,3}(?:times|again|around|between|from)|bounced (?:around|between|from)|passed (?:around|from one)", 0.75),
    en("REPEAT", r"transferred", 0.45),
    en("REPEAT", r"again and again|over and over|time and again|repeatedly|round and round|going in circles|run-?around", 0.6),
    en("REPEAT", r"re-?type|re-?enter|kept typing|typ\w+ .{0,20} again|repeat(?:ed)? (?:my|the) (?:request|story|details)|explain(?:ed)? (?:it |everything |my situation )?(?:all )?(?:over )?again", 0.7),
    en("REPEAT", r"tried (?:twice|three times|again)(?: more)?", 0.5),
    en("REPEAT", r"every (?:single )?time I (?:type|typed|ask|asked|say|said|call|called|try|tried|write|wrote)", 0.5),
    en("REPEAT", r"(?:tried|typed|entered) ['\x22“‘][^'\x22”’]{1,20}['\x22”’],\s*['\x22“‘]", 0.6),
    en("REPEAT", r"(?:got |was )?disconnected|(?:call|chat) (?:dropped|ended|was cut)|hung up on me", 0.45),
    en("REPEAT", r"queue", 0.45),

    // BOT-WALL: chatbot loops, the human is hidden.
    zh("BOT-WALL", r"智能客服|智能助手|智能助理", 0.5),
    zh("BOT-WALL", r"机器人", 0.6),
    zh("BOT-WALL", r"(?:自动|机器)(?:回复|应答)", 0.6),
    zh("BOT-WALL", r"(?:不|没法|无法|不能|不给|不让|没有|找不到|转不到|联系不上|接不通)(?:转接?|接通?|联系|找|给)?(?:到)?人工", 0.8),
    zh("BOT-WALL", r"(?:才|才能)(?:出现|转到?|接通|有)人工", 0.75),
    zh("BOT-WALL", r"转人工", 0.45),
    zh("BOT-WALL", r"人工(?:入口|选项|客服入口|按钮)", 0.55),
    zh("BOT-WALL", r"(?:固定|预设|统一|标准|机械|套路|万能|模板)(?:的|化)?(?:话术|回复|答复|回答|模板)", 0.75),
    zh("BOT-WALL", r"话术", 0.4),
    zh("BOT-WALL", r"听不懂|答非所问|牛头不对马嘴|驴唇不对马嘴|鸡同鸭讲|复读机|车轱辘话", 0.7),
    zh("BOT-WALL", r"(?:一直|只会|总是|就会|光|只)(?:推送|发|回|回复|甩)(?:给我)?(?:一堆|各种|一串)?(?:链接|文章|常见问题|帮助文档|模板|问题列表)", 0.65),
    zh("BOT-WALL", r"(?:ai|虚拟)(?:客服|助手|助理)", 0.6),
    zh("BOT-WALL", r"死循环|又回到(?:了)?(?:主|首|原来的?|最开始的?)", 0.55),
    zh("BOT-WALL", r"输(?:入)?了?\s*(?:[0-9０-９一二三四五六七八九十几好多]+\s*遍)?\s*[“”「」\x22]?人工", 0.65),
    en("BOT-WALL", r"chat\s?bot|\bbots?\b|virtual (?:assistant|agent)|automated (?:assistant|chat|agent|system|response|reply|replies|message)|AI assistant", 0.65),
    en("BOT-WALL", r"(?:no|never|couldn't|could not|can't|cannot|unable to|impossible to|no way to|not possible to)(?: ever)? (?:get|reach|talk to|speak to|speak with|talk with|be connected to|get through to|get connected to)(?: to)? (?:a |an )?(?:real |live |actual )?(?:human|person|agent|representative|rep\b|someone|anyone)", 0.8),
    en("BOT-WALL", r"(?:canned|scripted|copy[- ]paste(?:d)?|templated?|generic|stock|automatic)\s+(?:answer|reply|replies|response|responses|message)s?", 0.65),
    en("BOT-WALL", r"\bloops?\b|looping|in circles|back to the (?:main )?(?:menu|start)", 0.5),
    en("BOT-WALL", r"(?:typed|type|typing) ['\x22“‘]?(?:agent|human|representative|operator|person|real person)\b", 0.7),
    en("BOT-WALL", r"help (?:center|centre) article|faq|(?:shows?|showed|sends?|sent|kept sending) me (?:an? |the same )?(?:article|link)s?", 0.5),
    en("BOT-WALL", r"(?:an? )?(?:agent|advisor|human|person) will (?:join|be with you|connect)|closes? the chat|chat (?:was )?closed|(?:for|due to) inactivity", 0.5),

    // PRIORITY-ASYM: a human answers at once for upsell, not for downgrade.
    zh("PRIORITY-ASYM", r"(?:升级|更贵|超级vip|高档|加钱|买|续费|开通|办高|升档|提速|贵的|svip)[^。！？!?]{0,15}(?:(?:马上|立刻|立即|[0-9０-９一二三四五六七八九十几]+\s*分钟内|很快|几秒|瞬间|第一时间)(?:就)?(?:有)?(?:人工|真人|客服|专人|人)(?:回复|出现|接|来|回|响应)?|秒回|秒接|秒回复)", 0.8),
    zh("PRIORITY-ASYM", r"(?:升级|更贵|超级vip|加钱|升档|开通)(?:的时候?|时)?(?:就|立马|马上)(?:有|是)(?:人工|真人|专人)", 0.75),
    zh("PRIORITY-ASYM", r"(?:一|只要|但|可)(?:说|提|问)(?:到|起)?(?:要)?(?:降级|降档|降套餐|退订|退款|取消)[^。！？!?]{0,12}(?:就|又|立马|马上|立刻)(?:变成|换成|没人|不理|不回|消失|只剩|转成|说)", 0.6),
    zh("PRIORITY-ASYM", r"(?:换成|改成|一换成)(?:问|说|咨询)(?:怎么|如何)?(?:降|退|取消)", 0.6),
    zh("PRIORITY-ASYM", r"(?:推销|营销|销售)(?:的)?(?:电话|客服)(?:天天|一天|隔三差五|随时|主动|倒是)", 0.55),
    zh("PRIORITY-ASYM", r"(?:区别对待|看人下菜|双重标准|两副面孔|判若两人)", 0.7),
    zh("PRIORITY-ASYM", r"(?:买|升级|续费|开通|加钱)(?:的时候|时)?(?:客服|人工)?(?:可)?(?:热情|殷勤|积极|主动)", 0.45),
    zh("PRIORITY-ASYM", r"(?:降级|退订|退款|取消|降档)(?:的时候|时)(?:就)?(?:没人|找不到人|不理|爱搭不理|冷淡|慢吞吞)", 0.55),
    zh("PRIORITY-ASYM", r"(?:天天|每天|每个?月|经常|隔三差五|主动)(?:都)?(?:打电话|发短信|来电)?(?:给我)?(?:推销|推荐|营销)", 0.5),
    zh("PRIORITY-ASYM", r"(?:我)?(?:主动)?(?:打过去|打电话|联系|找)(?:要|说要|申请)?(?:降|退|取消)[^。！？!?]{0,12}(?:没人接|没人理|不理|打不通|转不到|没人回)", 0.6),
    en("PRIORITY-ASYM", r"(?:upgrade|upgrading|upsell|buy|buying|pricier|more expensive|premium|sales)\b.{0,80}?(?:instantly|immediately|right away|in seconds|within (?:a|one|\d+) (?:minute|second)s?|at once|straight away)", 0.45),
    en("PRIORITY-ASYM", r"(?:real|live|human|actual) (?:person|agent|human|rep)\b.{0,40}(?:instantly|immediately|right away|at once|in seconds)|(?:instantly|immediately|right away|at once|in seconds)\b.{0,40}(?:real|live|human|actual) (?:person|agent|rep)", 0.5),
    en("PRIORITY-ASYM", r"(?:when|once|as soon as) I (?:asked|mentioned|said|typed) (?:about )?(?:to )?(?:downgrad|cancel|refund)\w*.{0,60}(?:wait|waited|gone|disappeared|nobody|no one|silence|bot|queue|disconnected)", 0.6),
    en("PRIORITY-ASYM", r"(?:sales|upgrade|upgrades|retention)\s+(?:line|team|number|queue)\s+(?:answers?|answered|picks? up|picked up|responds?)", 0.65),
    en("PRIORITY-ASYM", r"(?:asked|asking|asked in) the same (?:chat|agent|person|line|number|window)", 0.5),
    en("PRIORITY-ASYM", r"double standard|treated differently", 0.6),
    en("PRIORITY-ASYM", r"(?:sales|upgrade|upgrading)\b.{0,40}(?:no wait|no queue|zero wait|straight through|picked up on the first ring)", 0.6),
    en("PRIORITY-ASYM", r"(?:cancel\w*|downgrad\w*|retention) (?:line|queue|team|department)\b.{0,40}(?:hours?|never|no one|nobody|closed)", 0.55),

    // RETAIN: persuasion and save offers instead of doing what was asked.
    zh("RETAIN", r"(?:一直|反复|使劲|拼命|不停|不停地|再三|苦口婆心地?)劝|劝了又劝|劝来劝去", 0.85),
    zh("RETAIN", r"劝", 0.6),
    zh("RETAIN", r"挽留", 0.8),
    zh("RETAIN", r"(?:保留|继续用|继续使用|留在|维持|别降|不要降)(?:原|当前|现在的?|原来的?|目前的?)?(?:套餐|会员|档位|版本|方案|服务)", 0.6),
    zh("RETAIN", r"性价比(?:更高|更好|很高|高)", 0.6),
    zh("RETAIN", r"再(?:考虑|想想|斟酌)", 0.6),
    zh("RETAIN", r"(?:推荐|推销|安利|介绍)(?:了)?(?:我)?(?:一个|一款|其他|别的|新的?|各种)?[^，。！？,!?]{0,6}(?:套餐|会员|优惠|活动|产品|权益|流量包|加量包)", 0.45),
    zh("RETAIN", r"(?:坚持|非要|硬要|一直|老是|总是|还在|还是|不停)(?:给我)?(?:推荐|推销|劝)", 0.8),
    zh("RETAIN", r"(?:降|退)什么(?:降|退)|(?:降|退)它干(?:嘛|什么)", 0.6),
    zh("RETAIN", r"(?:反而|却|倒)(?:推荐|推销|劝)(?:我)?(?:升级|买|换|办)", 0.8),
    zh("RETAIN", r"送(?:您|我|你)?(?:[0-9０-９一二三四五六七八九十几两]+\s*(?:个月|天|G|GB))?(?:的)?(?:流量|会员|话费|通话时长|优惠券|视频会员)", 0.45),
    zh("RETAIN", r"(?:打|给我打|可以打)\s*[0-9一二三四五六七八九]\s*折|限时优惠|特惠|折扣|半价|返现", 0.45),
    zh("RETAIN", r"(?:限时|专属|挽留|回馈|老用户|老客户)(?:优惠|福利|活动|价|特价)", 0.6),
    zh("RETAIN", r"(?:为什么|为啥|干嘛)(?:要|想)(?:降|退|取消|换)", 0.5),
    zh("RETAIN", r"(?:不直接|不给|不肯|不愿意?)(?:给我|帮我)?(?:直接)?(?:办|办理|处理|降|退)", 0.45),
    zh("RETAIN", r"(?:说了|讲了|强调了?|拒绝了)\s*(?:[0-9０-９一二三四五六七八九十几好多]+)\s*(?:遍|次)(?:不要|不需要|不用)?|不要不要|不需要不需要|不用不用", 0.7),
    zh("RETAIN", r"(?:建议|劝)(?:我|您)?(?:保留|别|不要|先不)", 0.7),
    zh("RETAIN", r"再坚持一下|再陪我们|别走|留下来", 0.45),
    zh("RETAIN", r"(?:申请|争取|给您?|给我)(?:了)?(?:个|一个)?(?:优惠|折扣|减免|特价|福利)", 0.6),
    zh("RETAIN", r"每月(?:减|便宜|优惠|少收?)(?:[0-9０-９]+|几十|一半)", 0.55),
    zh("RETAIN", r"先用着|先别(?:降|退|取消)|先保留|先不(?:降|退|取消)", 0.6),
    zh("RETAIN", r"想清楚|考虑清楚|慎重考虑|三思", 0.55),
    zh("RETAIN", r"(?:又|还|反复)(?:问|确认)了?(?:[一二两三四五]|好几)(?:遍|次)", 0.5),
    en("RETAIN", r"(?:tried|kept trying|try|trying|tries) to (?:talk|persuade|convince|keep|retain|upsell|sell) me", 0.85),
    en("RETAIN", r"talk(?:ed)? me out of", 0.85),
    en("RETAIN", r"persuad\w+|convinc\w+", 0.55),
    en("RETAIN", r"(?:retention|loyalty|save|win-?back)\s+(?:offer|deal|discount|rate|department|team|specialist|agent|price)s?", 0.8),
    en("RETAIN", r"(?:kept|keep|keeps) (?:offering|pushing|pitching|suggesting|recommending|upselling|trying)", 0.8),
    en("RETAIN", r"(?:offered|offering) (?:me )?(?:a |an |another )?(?:discount|deal|free|\d+ months?|three months|half[- ]price|\d+% off|promo|credit)", 0.6),
    en("RETAIN", r"instead of (?:cancel\w*|downgrad\w*|processing|doing what I asked)", 0.6),
    en("RETAIN", r"reconsider|think (?:it over|about it)|sleep on it|take (?:some )?time to (?:think|consider)", 0.5),
    en("RETAIN", r"pause (?:it )?instead|(?:offered|suggested|pushed|recommend\w*) (?:me )?(?:to )?(?:a )?paus\w+|(?:did you know|how about|what about|why not) (?:you can |you could )?(?:pause|switch|try|keep|stay)", 0.55),
    en("RETAIN", r"(?:page|list|series|bunch|wall) of (?:offers|deals|discounts|promotions)|decline (?:them all|all (?:the|of the) offers|the offers?)", 0.6),
    en("RETAIN", r"kept (?:saying|telling me|insisting|asking|going on)", 0.6),
    en("RETAIN", r"(?:offered|offering) (?:me )?(?:to )?(?:\w+ ){0,3}(?:instead|credits?|discount|deal|free|months?|price|rate|vouchers?|coupons?)", 0.6),
    en("RETAIN", r"insist\w* (?:that )?(?:I |me to )(?:take|keep|stay|accept)|pushed me to|pressur\w+ me", 0.8),
    en("RETAIN", r"said no (?:\w+ ){0,2}(?:times|twice|again)", 0.7),
    en("RETAIN", r"upsell\w*|up-sell\w*", 0.5),
    en("RETAIN", r"(?:wouldn't|would not|refused to) (?:process|let me|do it|cancel|downgrade) (?:until|unless)", 0.6),

    // LOSS-FRAME: threats of loss, "much worse", confirm-shaming.
    zh("LOSS-FRAME", r"(?:将|会|就会|就将|就)?(?:无法|不能|不能再)(?:继续)?(?:使用|享受|享有)", 0.7),
    zh("LOSS-FRAME", r"大打折扣|打折扣|体验(?:会|将)?(?:变差|很差|下降|大幅下降|差很多|差远了)|差很多|差远了", 0.75),
    zh("LOSS-FRAME", r"(?:失去|丢失|损失|放弃|清空|作废|收回|丧失)[^，。！？,!?]{0,8}(?:权益|特权|福利|积分|等级|资格|数据|文件|歌单|成长值|会员身份)", 0.75),
    zh("LOSS-FRAME", r"(?:确定|真的|确认)要?(?:放弃|离开|取消|降级|狠心)", 0.7),
    zh("LOSS-FRAME", r"(?:降级|退订|取消|降档)(?:后|之后|以后)[^，。！？,!?]{0,4}(?:将|会|就)?(?:无法|不能|失去|丢失|清空|没有|不再)", 0.8),
    zh("LOSS-FRAME", r"吓唬|恐吓|威胁", 0.55),
    zh("LOSS-FRAME", r"(?:不再|再也不能)(?:享受|享有|使用)", 0.6),
    zh("LOSS-FRAME", r"忍心|舍得|狠心|残忍|伤心", 0.55),
    zh("LOSS-FRAME", r"(?:基础版|低档|便宜的?|普通版|标准版|基础会员|普通会员)(?:的)?(?:体验|功能|服务|网速|画质|速度)?(?:会|将|就)?(?:很差|差很多|大打折扣|不行|不好用|受限|很卡|卡顿|没法用)", 0.7),
    zh("LOSS-FRAME", r"再坚持一下|舍不得", 0.5),
    zh("LOSS-FRAME", r"(?:弹窗|提示|警告)(?:说|我)?(?:降级|退订|取消)?(?:后)?(?:将|会)", 0.5),
    zh("LOSS-FRAME", r"(?:列举|列了|说了|讲了|念了)[^。！？!?]{0,6}(?:一堆|一大堆|好多|各种|一长串)[^。！？!?]{0,10}(?:失去|没有|享受不了|用不了|损失|没了)", 0.7),
    zh("LOSS-FRAME", r"享受不到|享受不了", 0.5),
    zh("LOSS-FRAME", r"(?:优惠|价格|折扣|资格|福利|积分|等级)(?:也)?(?:会|将|就)?(?:一起|一并|同时|全部)?(?:取消|没有了|没了|失效|作废|收回|清零)", 0.7),
    zh("LOSS-FRAME", r"(?:再升|再开|再回来|再想升|以后再升)(?:回来)?[^，。！？,!?]{0,6}(?:就)?(?:没有|没|不是)(?:这个)?(?:价格|价|优惠)", 0.75),
    zh("LOSS-FRAME", r"(?:你|您)(?:真的)?确定(?:吗|要|不)", 0.6),
    zh("LOSS-FRAME", r"(?:只有|只能看|只支持)\s*[0-9]+\s*p\b|看不了|没(?:有)?弹幕", 0.45),
    en("LOSS-FRAME", r"(?:lose|losing|lost|forfeit\w*|give up|wiped|deleted|erased)\s+(?:all\s+)?(?:of\s+)?(?:your|my|the|their)?\s*(?:\w+\s+){0,2}(?:benefits|perks|playlists|history|data|files|points|rewards|status|discount|progress|library|photos|saves|access|features)", 0.75),
    en("LOSS-FRAME", r"(?:much|far|a lot|significantly) worse|(?:degraded|inferior|poor|worse) experience", 0.7),
    en("LOSS-FRAME", r"are you sure you want to|we'?ll miss you|sad to see you go", 0.55),
    en("LOSS-FRAME", r"(?:warn\w*|threaten\w*|scare\w*|guilt\w*) (?:me|that)", 0.6),
    en("LOSS-FRAME", r"(?:no longer|won't|will not|can'?t|cannot) (?:be able to )?(?:access|use|enjoy|keep)", 0.5),
    en("LOSS-FRAME", r"(?:kicked|removed|cut) off", 0.5),
    en("LOSS-FRAME", r"no,? I (?:prefer|like|don'?t want|do not want) (?:paying|to miss|missing|saving|savings)|I don'?t (?:want|like) (?:to )?(?:save|savings)", 0.8),
    en("LOSS-FRAME", r"miss(?:ing)? out", 0.55),
    en("LOSS-FRAME", r"permanently (?:lose|delete|lost|deleted|remove|removed)", 0.75),
    en("LOSS-FRAME", r"confirm-?sham\w*|guilt[- ]trip\w*", 0.8),
    en("LOSS-FRAME", r"everything (?:I'?d|I would|I will|I'?ll|you'?d|you would|you'?ll|we'?d) (?:be )?(?:lose|losing|give up|giving up|miss|missing)", 0.75),
    en("LOSS-FRAME", r"are you (?:really |absolutely )?sure\b", 0.5),
    en("LOSS-FRAME", r"(?:isn'?t|is not|not|wouldn'?t be) (?:really |even )?worth it|(?:basic|cheaper|lower|standard|lite) (?:plan|tier|version)\W{0,3}(?:is |was |'s )?(?:much |so |really )?(?:worse|useless|limited|crippled)", 0.6),
    en("LOSS-FRAME", r"(?:deleted|gone|lost|erased|removed|wiped) (?:forever|permanently|for good)", 0.75),
    en("LOSS-FRAME", r"(?:list|rundown) of (?:everything|all the (?:things|benefits|perks|features))", 0.6),
    en("LOSS-FRAME", r"(?:I'?d|I would|you'?d|you would|you will|you'?ll) (?:be )?(?:lose|losing|give up|giving up)", 0.5),

    // MISINFO: told it is impossible or not allowed when it is not.
    zh("MISINFO", r"(?:说|告诉我|称|回复|答复|表示|声称|坚称|一口咬定|解释)(?:说)?[^。！!？?]{0,12}(?:不能|无法|不可以|不允许|没法|办不了|不给|不让|不支持)(?:降|退订|取消|变更|改|办理|换)", 0.45),
    zh("MISINFO", r"合约期(?:内|未满|没到|还没到)?(?:一律)?(?:不能|不可以|无法|不允许|不让)", 0.75),
    zh("MISINFO", r"(?:不能|无法|不可以|不允许|没法)(?:降级|降档|降套餐|退订|变更套餐|改套餐|降)", 0.45),
    zh("MISINFO", r"(?:其实|实际上|明明|事实上|后来(?:才|我)?(?:知道|发现|查到|看到|问了|了解到))[^。！？!?]{0,20}(?:可以|能|允许|支持|还在|有这个|没有这个规定|不是这样)", 0.65),
    zh("MISINFO", r"(?:换了?(?:一)?个|另一个|另外一个|别的)客服(?:就|又|却)?(?:能|可以|给|说能|说可以)", 0.75),
    zh("MISINFO", r"(?:根本|从来|压根)?没有(?:这个|这种|该|这条)规定", 0.7),
    zh("MISINFO", r"(?:说是|说这是|号称)[^，。！？,!?]{0,10}[，,]?(?:其实|实际上|结果|后来(?:才)?(?:发现|知道))(?:是|却是)", 0.7),
    zh("MISINFO", r"(?:骗|诓|哄)(?:我)?签", 0.7),
    zh("MISINFO", r"只能(?:先)?(?:销户|注销|销号|拆机|退网|销卡)(?:重办|重新办|再办)?", 0.5),
    zh("MISINFO", r"(?:结果|后来)?(?:我)?(?:上网|网上|自己|去官网)(?:一)?查", 0.5),
    zh("MISINFO", r"(?:页面|宣传|广告|当时|官网|协议|活动页)(?:上)?(?:写|说|写着|承诺|标着|写的)(?:的)?(?:是)?(?:随时|可以|能|7天|七天)[^，。！？,!?]{0,4}(?:退|取消|降)", 0.7),
    zh("MISINFO", r"(?:合同|协议|条款|规定|官网|规则|说明)[^。！？!?]{0,12}(?:写着?|写的|写明|规定|约定|注明|标明|明明)[^。！？!?]{0,10}(?:可以|能|允许|支持)", 0.7),
    zh("MISINFO", r"忽悠|误导|瞎说|胡说|乱说|撒谎|谎称|睁眼说瞎话|不实|骗我", 0.55),
    zh("MISINFO", r"(?:系统|规定|政策|公司规定)(?:不允许|不支持|不让|不能)", 0.45),
    zh("MISINFO", r"(?:合同|协议|条款)(?:条款)?(?:里|上|中)?(?:明明|明确|清楚)?(?:写|规定|约定)(?:的|着|了)?(?:是)?(?:可以|能|允许)", 0.7),
    en("MISINFO", r"(?:said|told me|claimed|insisted|stated|says|informed me)(?: that)? (?:it(?:'s| is| was)|downgrad\w+|cancel\w+|refunds?|plan changes?|changes?|switching)\s+(?:are|is|was|were)?\s*(?:not possible|impossible|not allowed|not permitted|can(?:no|')t be)", 0.75),
    en("MISINFO", r"(?:not possible|impossible|not allowed|not permitted|cannot|can't) to (?:downgrade|cancel|change)", 0.45),
    en("MISINFO", r"(?:actually|in fact|turns out|turned out|but the (?:terms|contract|website|help (?:center|page)))\b.{0,40}(?:allow|allowed|say|says|can|possible|available)", 0.65),
    en("MISINFO", r"mislead\w*|misled|lied|lying|false(?:ly)?|untrue|(?:wrong|incorrect|false) information", 0.6),
    en("MISINFO", r"(?:another|a different|the next) (?:agent|rep|representative|person) (?:did|could|was able|managed)", 0.7),
    en("MISINFO", r"no such (?:clause|rule|policy|term|requirement|restriction)|(?:contract|terms|policy) (?:says|said) nothing", 0.7),
    en("MISINFO", r"no such (?:plan|option|thing)|(?:plan|option) (?:doesn't|does not|no longer) exist", 0.45),
    en("MISINFO", r"(?:said|told me|claimed)\b.{0,20}there(?:'s| is| was) no (?:way|option) to (?:downgrade|cancel|change)", 0.5),
    en("MISINFO", r"(?:it'?s|it is|they'?re|they are) (?:right there |clearly |literally |listed )?(?:on|in) (?:their|the company'?s) own", 0.6),
    en("MISINFO", r"(?:isn't|is not|not) (?:available|offered|possible) (?:in|for) (?:your|my) (?:region|country|area|account)", 0.45),
    en("MISINFO", r"only after (?:I )?(?:filed|complained|escalated|threatened|went to|contacted|reported)|against (?:our |the |company )?policy", 0.5),

    // REFUND-DENY: refund or difference refused.
    zh("REFUND-DENY", r"不予(?:退款|退费|退还|退)", 0.9),
    zh("REFUND-DENY", r"(?:不|不给|不能|不肯|拒绝|没法|无法|不可以?|不予)(?:给我|给您|帮我)?(?:办理|予以)?(?:退款|退钱|退费|退还|退差价|退回)", 0.8),
    zh("REFUND-DENY", r"不给(?:我)?退|(?:说|就是|坚决|一律|概|也)不(?:给)?退(?:[，。,.!！]|$|了)", 0.8),
    zh("REFUND-DENY", r"已(?:经)?(?:享受|使用|用)(?:了)?(?:的)?(?:会员)?(?:权益|服务|特权)|权益(?:已经|已|都)(?:使用|享受|用)", 0.75),
    zh("REFUND-DENY", r"超过(?:了)?(?:会员费|费用|支付金额|实付|所付|您支付)|(?:权益|价值)[^，。！？,!?]{0,6}超过", 0.8),
    zh("REFUND-DENY", r"(?:虚拟(?:商品|产品|服务)|数字(?:商品|内容))[^，。！？,!?]{0,10}(?:不退|不支持退|概不|不予|售出)", 0.85),
    zh("REFUND-DENY", r"一经(?:售出|购买|开通|订阅)(?:后)?(?:概不|不予|不)(?:退|支持)|概不退(?:换|款)", 0.85),
    zh("REFUND-DENY", r"(?:只能|只)退(?:一部分|部分|[0-9０-９一二三四五六七八九十]+%|最后一个月|一半)", 0.55),
    zh("REFUND-DENY", r"(?:差价|多扣的钱|多收的钱|钱)(?:不退|不给退|退不了|不能退)", 0.8),
    zh("REFUND-DENY", r"(?:不能|不可以|不给|不允许|没法|无法)退(?:也|又|，|,|。|$)", 0.75),
    zh("REFUND-DENY", r"回绝|拒绝了?(?:我)?", 0.35),
    zh("REFUND-DENY", r"押金(?:也)?(?:不退|不给退|退不了|不予退还|不能退)", 0.7),
    zh("REFUND-DENY", r"已(?:经)?(?:激活|使用|开通|下载|消费)(?:了)?", 0.45),
    en("REFUND-DENY", r"no (?:partial |pro-?rated |prorated )?refunds?|non-?refundable", 0.85),
    en("REFUND-DENY", r"refus\w+ (?:to )?(?:give |issue |process )?(?:me )?(?:a |any )?refund|refund (?:was |is )?(?:refused|denied|declined|rejected)", 0.85),
    en("REFUND-DENY", r"(?:won't|will not|wouldn't|would not|can't|cannot|couldn't|could not) (?:give |issue |process |offer )(?:me )?(?:a |any )?refund", 0.85),
    en("REFUND-DENY", r"(?:can |could |will |would )?only refund", 0.6),
    en("REFUND-DENY", r"(?:already )?used (?:more than|the)? ?(?:benefits|value)|benefits (?:you |I )?(?:used|consumed|received|enjoyed) exceed", 0.8),
    en("REFUND-DENY", r"(?:digital|virtual) (?:goods|products|content|purchases?) (?:are |is )?(?:not|non)", 0.75),
    en("REFUND-DENY", r"(?:refund|money back)\b.{0,30}(?:denied|refused|rejected|declined|not possible|impossible)", 0.75),
    en("REFUND-DENY", r"(?:credits?|vouchers?|coupons?|store credit|account credit) instead|(?:convert|turn)\w* (?:\w+ ){0,3}into (?:credits?|vouchers?|points|coupons?)", 0.6),
    en("REFUND-DENY", r"can(?:no|')t be (?:cancell?ed|refunded|ended|terminated) early|no early (?:cancell?ation|termination|refunds?)", 0.5),
    en("REFUND-DENY", r"refunds? (?:\w+ ){0,3}['\x22“‘]?(?:against|not allowed|not permitted|impossible|not possible)", 0.7),

    // COND-FEE: penalties, fees, unrelated conditions.
    zh("COND-FEE", r"违约金", 0.8),
    zh("COND-FEE", r"手续费", 0.65),
    zh("COND-FEE", r"(?:降级|变更|退订|解约|注销|取消)(?:服务|手续)?费", 0.8),
    zh("COND-FEE", r"服务费|工本费", 0.4),
    zh("COND-FEE", r"补(?:交|缴|齐|足|回)?(?:了)?(?:一笔)?(?:[0-9０-９]+元的?)?(?:差价|违约金|费用|手续费|服务费|补偿金|赔偿)", 0.7),
    zh("COND-FEE", r"(?:必须|需要|要|得)(?:先)?(?:把[^，。！？,!?]{0,8})?(?:先)?(?:取消|解绑|注销|退订|清理|删除|关闭|结清|缴清|还清|付清)", 0.55),
    zh("COND-FEE", r"先(?:把[^，。！？,!?]{0,8})?(?:取消|解绑|注销|退订|清理|删除|关闭|结清|缴清|还清|付清|办理)[^，。！？,!?]{0,12}才(?:能|可以|给|行)", 0.8),
    zh("COND-FEE", r"(?:否则|不然)(?:不能|无法|不给|不予|就不能)(?:提交|办理|降|退|取消)", 0.7),
    zh("COND-FEE", r"(?:扣|收取?|罚)(?:我)?\s*(?:[0-9０-９]+\s*[%％]|[0-9一二三四五六七八九十]+成)(?:的)?(?:手续费|费用|违约金)?", 0.6),
    zh("COND-FEE", r"(?:附加|额外)(?:条件|费用|收费|收取)", 0.75),
    zh("COND-FEE", r"按原价(?:补|收|扣|算|计算)", 0.7),
    zh("COND-FEE", r"(?:重新|再)签(?:[0-9０-９一二三四五六七八九十两]+年)?(?:的)?(?:合约|合同|协议)", 0.7),
    zh("COND-FEE", r"(?:交|付|缴)(?:了)?\s*[0-9０-９]+\s*(?:块|元)(?:钱)?(?:的)?[^，。！？,!?]{0,4}费", 0.6),
    zh("COND-FEE", r"(?:还得|还要|另外|额外)(?:再)?(?:交|付|缴)", 0.55),
    zh("COND-FEE", r"(?:得|要|必须|需要)先把[^，。！？,!?]{0,10}(?:一起|一并|同时)?(?:降|取消|解绑|注销|退订|关|停|改|办)", 0.6),
    zh("COND-FEE", r"(?:收|扣)(?:了)?[^，。！？,!?]{0,6}押金", 0.5),
    en("COND-FEE", r"(?:early )?termination fee|cancell?ation fee|penalt(?:y|ies)|(?:downgrade|change|admin|administration|administrative|processing|exit|switching) (?:fee|charge)", 0.8),
    en("COND-FEE", r"(?:pay|paying|paid) (?:off|back|the (?:remaining|rest|balance|difference))", 0.65),
    en("COND-FEE", r"(?:have to|had to|must|need to|needed to|required to)\s+(?:\w+\s+){0,4}first", 0.5),
    en("COND-FEE", r"(?:\d+\s*%|\d+ percent) of (?:the )?(?:remaining|rest)", 0.7),
    en("COND-FEE", r"(?:unless|until) I (?:first )?(?:cancel|remove|pay|delete|return|unlink)", 0.6),
    en("COND-FEE", r"(?:fee|charge) (?:to|for) (?:downgrad|cancel|switch|chang)\w*", 0.8),
    en("COND-FEE", r"remaining (?:months|balance|contract|installments)", 0.45),
    en("COND-FEE", r"(?:wanted|charge[sd]?|asked for|demanded)\s+(?:me\s+)?(?:\$|¥|€|£|usd|rmb)\s?[0-9]+\s+(?:\w+\s+)?(?:to|for) (?:drop|cancel|downgrade|switch|change|end|leave)", 0.8),
    en("COND-FEE", r"(?:\$|¥|€|£)\s?[0-9]+ (?:fee|charge|penalty)", 0.6),

    // SILENT-FAIL: confirmed but not applied; still charged; renewed without reminder.
    zh("SILENT-FAIL", r"(?:没有|没|并未|未|并没有|一直没|还是没|仍未|根本没)(?:能)?(?:生效|变更成功|改过来|降下来|降成功|执行|取消成功|关掉|关闭成功|退订成功)", 0.8),
    zh("SILENT-FAIL", r"(?:照常|照样|继续|依然|仍然|仍|还是|还在|又|照旧|竟然|居然)(?:被)?(?:扣费|扣款|扣钱|扣了|收费|按[^，。！？,!?]{0,8}扣|自动续费了?|续费了|续上|扣)", 0.8),
    zh("SILENT-FAIL", r"自动续费|自动扣费", 0.4),
    zh("SILENT-FAIL", r"自动(?:续|扣)(?:费|订|期)?(?:了|上了)", 0.55),
    zh("SILENT-FAIL", r"(?:没有|没|未|不)(?:任何|提前|事先)?(?:的)?(?:提醒|通知|告知|短信提醒)", 0.55),
    zh("SILENT-FAIL", r"(?:显示|提示|页面显示|告诉我)(?:申请|办理|降级|变更|取消|退订)?成功|回执|确认(?:短信|邮件|单)", 0.4),
    zh("SILENT-FAIL", r"(?:系统)?没(?:有)?同步|系统(?:问题|故障|原因|bug|出错)", 0.5),
    zh("SILENT-FAIL", r"多扣|重复扣|扣了两次|被扣了?两次|乱扣|偷偷扣|莫名(?:其妙)?(?:地)?(?:扣|被扣)", 0.7),
    zh("SILENT-FAIL", r"(?:还是|仍然|依然|照样|还)按(?:照)?(?:原来|原价|旧|之前|老|以前)", 0.75),
    zh("SILENT-FAIL", r"关(?:掉|闭)(?:了)?(?:之后|以后|后)[^。！？!?]{0,12}(?:还是|仍然|又|照样|依然)", 0.8),
    zh("SILENT-FAIL", r"照(?:扣|收)(?:不误)?|(?:退订|取消|关闭|降级|解约|关掉)(?:了)?(?:之?后|以后)[^。！？!?]{0,12}(?:扣|收费|续费)", 0.7),
    zh("SILENT-FAIL", r"没有(?:我的|这个|该)?(?:登记|办理|申请|变更)?记录", 0.45),
    zh("SILENT-FAIL", r"(?:账单|扣费|话费|扣款)[^。！？!?]{0,6}(?:还是|仍然|依然|照样)\s*[0-9０-９]+", 0.7),
    zh("SILENT-FAIL", r"(?:还是|仍然|依然|照样|照常|继续|还在)[^，。！？,!?]{0,10}扣(?:费|钱|款|了|着)?", 0.7),
    zh("SILENT-FAIL", r"账单(?:上|里)?(?:还|仍然|依然|照样)(?:有|是|显示|在)", 0.65),
    zh("SILENT-FAIL", r"(?:退订|取消|td)[^，。！？,!?]{0,6}(?:没用|无效|不管用|没反应|不好使)", 0.6),
    zh("SILENT-FAIL", r"(?:成功|办好|办理好|搞定|已经降|已降)了?[^。！？!?]{0,20}(?:结果|可是|但是|但)", 0.45),
    en("SILENT-FAIL", r"still (?:being |getting )?(?:charged|billed|charging|billing|paying|taking)", 0.8),
    en("SILENT-FAIL", r"(?:charged|billed|debited|took (?:the )?money)\b[^.!?\n]{0,30}\b(?:again|anyway|regardless|twice)\b", 0.7),
    en("SILENT-FAIL", r"double[- ]charged|charged (?:me )?twice|billed twice", 0.75),
    en("SILENT-FAIL", r"(?:didn't|did not|never|hasn't|has not|wasn't|was not|not) (?:take effect|taken effect|go(?:ne)? through|been (?:applied|processed)|applied|processed|stick)", 0.75),
    en("SILENT-FAIL", r"auto-?renew\w*|automatically renew\w*|renewed (?:automatically|anyway|without)", 0.45),
    en("SILENT-FAIL", r"without (?:any )?(?:reminder|notice|notification|warning|heads[- ]up)", 0.45),
    en("SILENT-FAIL", r"confirmation (?:email|e-mail|message|number|page|screen)|got a confirmation|was confirmed", 0.4),
    en("SILENT-FAIL", r"(?:same|old|full|higher|previous|original) (?:price|rate|amount|fee)", 0.45),
    en("SILENT-FAIL", r"same (?:\$|¥|€|£|rmb|usd)\s?[0-9]+|(?:\$|¥|€|£)\s?[0-9]+ again", 0.5),
    en("SILENT-FAIL", r"(?:told|said|confirmed|assured)\b.{0,30}(?:all set|done|processed|complete|completed|taken care of|sorted)", 0.5),
    en("SILENT-FAIL", r"no record of", 0.45),
];

#[rustfmt::skip]
pub const PROVINCES: &[Province] = &[
    Province { code: "110000", name_zh: "北京市", name_en: "Beijing", sort_order: 1 },
    Province { code: "120000", name_zh: "天津市", name_en: "Tianjin", sort_order: 2 },
    Province { code: "130000", name_zh: "河北省", name_en: "Hebei", sort_order: 3 },
    Province { code: "140000", name_zh: "山西省", name_en: "Shanxi", sort_order: 4 },
    Province { code: "150000", name_zh: "内蒙古自治区", name_en: "Inner Mongolia", sort_order: 5 },
    Province { code: "210000", name_zh: "辽宁省", name_en: "Liaoning", sort_order: 6 },
    Province { code: "220000", name_zh: "吉林省", name_en: "Jilin", sort_order: 7 },
    Province { code: "230000", name_zh: "黑龙江省", name_en: "Heilongjiang", sort_order: 8 },
    Province { code: "310000", name_zh: "上海市", name_en: "Shanghai", sort_order: 9 },
    Province { code: "320000", name_zh: "江苏省", name_en: "Jiangsu", sort_order: 10 },
    Province { code: "330000", name_zh: "浙江省", name_en: "Zhejiang", sort_order: 11 },
    Province { code: "340000", name_zh: "安徽省", name_en: "Anhui", sort_order: 12 },
    Province { code: "350000", name_zh: "福建省", name_en: "Fujian", sort_order: 13 },
    Province { code: "360000", name_zh: "江西省", name_en: "Jiangxi", sort_order: 14 },
    Province { code: "370000", name_zh: "山东省", name_en: "Shandong", sort_order: 15 },
    Province { code: "410000", name_zh: "河南省", name_en: "Henan", sort_order: 16 },
    Province { code: "420000", name_zh: "湖北省", name_en: "Hubei", sort_order: 17 },
    Province { code: "430000", name_zh: "湖南省", name_en: "Hunan", sort_order: 18 },
    Province { code: "440000", name_zh: "广东省", name_en: "Guangdong", sort_order: 19 },
    Province { code: "450000", name_zh: "广西壮族自治区", name_en: "Guangxi", sort_order: 20 },
    Province { code: "460000", name_zh: "海南省", name_en: "Hainan", sort_order: 21 },
    Province { code: "500000", name_zh: "重庆市", name_en: "Chongqing", sort_order: 22 },
    Province { code: "510000", name_zh: "四川省", name_en: "Sichuan", sort_order: 23 },
    Province { code: "520000", name_zh: "贵州省", name_en: "Guizhou", sort_order: 24 },
    Province { code: "530000", name_zh: "云南省", name_en: "Yunnan", sort_order: 25 },
    Province { code: "540000", name_zh: "西藏自治区", name_en: "Tibet", sort_order: 26 },
    Province { code: "610000", name_zh: "陕西省", name_en: "Shaanxi", sort_order: 27 },
    Province { code: "620000", name_zh: "甘肃省", name_en: "Gansu", sort_order: 28 },
    Province { code: "630000", name_zh: "青海省", name_en: "Qinghai", sort_order: 29 },
    Province { code: "640000", name_zh: "宁夏回族自治区", name_en: "Ningxia", sort_order: 30 },
    Province { code: "650000", name_zh: "新疆维吾尔自治区", name_en: "Xinjiang", sort_order: 31 },
    Province { code: "710000", name_zh: "台湾省", name_en: "Taiwan", sort_order: 32 },
    Province { code: "810000", name_zh: "香港特别行政区", name_en: "Hong Kong", sort_order: 33 },
    Province { code: "820000", name_zh: "澳门特别行政区", name_en: "Macao", sort_order: 34 },
];
