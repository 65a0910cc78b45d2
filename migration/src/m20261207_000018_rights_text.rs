//! The first text of the rights pages (`/rights/{code}`), written from the taxonomy v1
//! (docs/taxonomy.md). Plain text: paragraphs are separated by an empty line, lines starting
//! with "- " are list items. Admins edit the stored rows afterwards; this is only the seed.

/// The sections of a rights page, in display order (column prefixes of `rights_pages`).
pub const SECTIONS: [&str; 5] = ["entitled", "basis", "evidence", "ask", "association"];

/// One page: the obstacle code and `(section, zh, en)` for every section.
pub struct Page {
    pub code: &'static str,
    pub sections: Vec<(&'static str, String, String)>,
}

/// What is particular to one obstacle; the rest of each section is shared.
struct Specific {
    code: &'static str,
    entitled_zh: &'static str,
    entitled_en: &'static str,
    basis_zh: &'static str,
    basis_en: &'static str,
    evidence_zh: &'static str,
    evidence_en: &'static str,
    ask_zh: &'static str,
    ask_en: &'static str,
}

const BASIS_ALL_ZH: &str = "所有情形都适用：\n- 《消费者权益保护法》第8条：您有权知悉所购买服务的真实情况，包括价格、套餐内容和变更、退订的方式。\n- 第9条：您有权自主选择服务，自主决定是否继续、变更或者不再购买某项服务。\n- 第10条：您有权获得公平交易条件，经营者不得设置不合理的交易条件。";
const BASIS_ALL_EN: &str = "These apply in every case:\n- Consumer Rights Protection Law (消费者权益保护法), Art. 8: you have the right to know the true facts of the service you buy, including its price, what the plan contains and how to change or cancel it.\n- Art. 9: you have the right to choose freely, including whether to keep, change or stop buying a service.\n- Art. 10: you have the right to fair trading conditions; a business may not impose unreasonable ones.";

const EVIDENCE_ALL_ZH: &str = "无论遇到哪种情况，都建议保存：\n- 套餐页面、订单页面和自动续费设置页面的截图（截图里最好能看到日期和时间）。\n- 每次联系客服的时间、拨打的号码、通话时长、客服工号；手机通话记录截图即可。\n- 在线客服或智能客服的聊天记录（截图或导出的文字记录）。\n- 账单、扣费短信、支付记录和发票。\n- 您同意过的服务协议或会员规则的当时版本（截图或网页存档）。";
const EVIDENCE_ALL_EN: &str = "Whatever happened, keep:\n- Screenshots of the plan page, the order page and the auto-renewal settings (ideally with the date and time visible).\n- The time of every contact, the number you called, how long the call lasted and the agent's ID; a screenshot of your phone's call log will do.\n- Chat logs with the online service or the chatbot (screenshots or an exported transcript).\n- Bills, payment text messages, payment records and invoices.\n- The version of the service agreement or membership rules you agreed to (a screenshot or a saved copy of the page).";

const ASK_ALL_ZH: &str = "先向公司提出，通常最快：\n- 通过您开通服务时使用的渠道（App、网站或营业厅）提出，写清楚您要做什么：例如“请将套餐从A降为B，自下一个计费周期起生效”或“请关闭自动续费并退还某日的扣费”。\n- 请对方给出工单号或受理编号，并记下答复的时间和内容。\n- 如果对方拒绝或拖延，请对方书面说明理由和依据的条款。\n- 电信套餐的争议，先向运营商投诉；运营商未解决的，可以向工业和信息化部电信用户申诉受理中心申诉。\n\n如果公司没有解决，您可以在本网站提交投诉，并附上以上证据。";
const ASK_ALL_EN: &str = "Ask the company first; it is usually the quickest way:\n- Use the channel you signed up through (the app, the website or the store) and say exactly what you want, for example \"Please change my plan from A to B from the next billing cycle\" or \"Please turn off automatic renewal and refund the charge of (date)\".\n- Ask for a ticket or reference number, and note when and what they answered.\n- If they refuse or delay, ask them to explain in writing and to name the term they rely on.\n- For a telecom plan, complain to the operator first; if the operator does not resolve it, you can appeal to the telecom user appeal centre of the Ministry of Industry and Information Technology (工业和信息化部电信用户申诉受理中心).\n\nIf the company does not resolve it, file a complaint on this site with the evidence above.";

const ASSOCIATION_ZH: &str = "您提交投诉后，协会会：\n- 在规定的工作日内决定是否受理，并按照障碍类型对投诉分类；要求降级、退订或变更套餐的投诉进入“绿色通道”，处理时限更短，具体日期写在您的回执上。\n- 在您同意的前提下，把投诉转给公司，并要求公司在期限内答复；公司的答复会显示在您的跟踪页面上，您可以评价答复是否满意。\n- 把同一公司、同一做法的投诉归为一组。许多消费者受到同样损害时，省级以上消费者协会可以依照《消费者权益保护法》第47条提起诉讼。\n- 向监管部门提供匿名统计；只有在您同意时，才会提供去除个人信息后的投诉内容。您的联系方式不会提供给监管部门。\n\n您可以随时用跟踪编号查看进度。";
const ASSOCIATION_EN: &str = "After you file a complaint, the association will:\n- Decide within the stated working days whether to accept it, and classify it by the obstacles you met. Complaints asking to downgrade, cancel or change a plan go into the priority lane (绿色通道) with shorter clocks; the dates are on your receipt.\n- With your consent, forward it to the company and ask for an answer by a due date; the answer appears on your tracking page, and you can say whether it satisfied you.\n- Group complaints about the same company and the same practice. When many consumers are harmed in the same way, consumer associations at provincial level and above may bring a lawsuit (Consumer Rights Protection Law, Art. 47).\n- Give regulators anonymous figures; your story goes to them only if you agreed, with personal details removed. Your contact details are never given to regulators.\n\nYou can follow the progress at any time with your tracking code.";

const SPECIFICS: &[Specific] = &[
    Specific {
        code: "CH-ASYM",
        entitled_zh: "开通或升级可以在App里一键完成，降级或退订也应当能以同样简便的方式办理。公司不能只允许您通过电话、人工客服或营业厅办理降级、退订。\n\n对自动续费的服务，公司应当提供显著、简便、随时可用的取消或变更方式。",
        entitled_en: "If you could sign up or upgrade with one tap in the app, you should be able to downgrade or cancel just as easily. A company may not make downgrading or cancelling possible only by phone, through an agent or in a store.\n\nFor services that renew automatically, the company must offer a prominent, simple way to cancel or change at any time.",
        basis_zh: "- 《网络交易监督管理办法》第18条：以自动续费等方式提供服务的，应当为消费者提供显著、简便的随时取消或者变更的选项，不得收取不合理费用。\n- 对照：欧盟《数字服务法》第25条第3款(c)项、《不公平商业行为指令》第9条(d)项；美国加利福尼亚州《自动续费法》（经AB 2863修订，2025年7月1日起施行）要求以开通时的同一方式即可取消。",
        basis_en: "- Measures for the Supervision and Administration of Online Transactions (网络交易监督管理办法), Art. 18: services on automatic renewal must offer a prominent, simple option to cancel or change at any time, without unreasonable fees.\n- For comparison: EU Digital Services Act Art. 25(3)(c) and Unfair Commercial Practices Directive Art. 9(d); the California Automatic Renewal Law as amended by AB 2863 (in force 1 July 2025) requires that you can cancel by the same medium you signed up with.",
        evidence_zh: "- 开通或升级页面的截图（例如“一键升级”按钮），以及找不到线上降级或退订入口的截图。\n- 客服要求您“只能打电话”或“去营业厅”办理的聊天记录或通话时间。",
        evidence_en: "- Screenshots of the sign-up or upgrade page (for example a one-tap upgrade button), and of the app where no online downgrade or cancel option can be found.\n- The chat log or call time in which you were told it could only be done by phone or in a store.",
        ask_zh: "请明确要求公司在线上为您办理，或提供与开通时同样简便的线上办理入口。",
        ask_en: "Ask the company to do it online, or to give you an online option as simple as the one you signed up with.",
    },
    Specific {
        code: "HIDDEN-ENTRY",
        entitled_zh: "降级、退订和关闭自动续费的入口应当清楚、容易找到。公司不能把它藏在多层菜单里，或放在“账户安全”之类与之无关的栏目下。\n\n您有权得到关于如何变更套餐的真实、完整的信息，询问时应得到明确答复。",
        entitled_en: "The option to downgrade, cancel or turn off automatic renewal must be clear and easy to find. A company may not bury it several menus deep or file it under an unrelated heading such as \"account security\".\n\nYou are entitled to true and complete information on how to change your plan, and to a clear answer when you ask.",
        basis_zh: "- 《网络交易监督管理办法》第18条：自动续费服务应当提供显著、简便的取消或者变更选项。\n- 《消费者权益保护法》第20条：经营者应当提供真实、全面的信息，对消费者的询问应当作出真实、明确的答复。\n- 对照：欧盟《数字服务法》第25条第3款(c)项、《不公平商业行为指令》第9条(d)项。",
        basis_en: "- Measures for the Supervision and Administration of Online Transactions, Art. 18: automatic-renewal services must offer a prominent, simple option to cancel or change.\n- Consumer Rights Protection Law, Art. 20: businesses must give true and complete information and answer consumers' questions truthfully and clearly.\n- For comparison: EU Digital Services Act Art. 25(3)(c); Unfair Commercial Practices Directive Art. 9(d).",
        evidence_zh: "- 从首页到降级或退订入口的每一步截图或录屏，能看出入口有多深、放在哪个菜单下。",
        evidence_en: "- Screenshots or a screen recording of every step from the home screen to the downgrade or cancel option, showing how deep it is and under which menu.",
        ask_zh: "请公司告诉您入口的准确位置，或直接为您办理，并保留对方的答复。",
        ask_en: "Ask the company where exactly the option is, or to do it for you, and keep their answer.",
    },
    Specific {
        code: "TIER-HIDDEN",
        entitled_zh: "公司提供的所有套餐，包括价格更低的套餐（例如保号套餐），都应当让您知道并可以选择。公司不能只展示贵的套餐，让便宜的套餐查不到。",
        entitled_en: "Every plan a company offers, including cheaper ones such as a number-keeping plan, must be made known to you and open to you. A company may not show only the expensive plans and keep the cheaper ones out of sight.",
        basis_zh: "- 《消费者权益保护法》第20条：经营者应当向消费者提供有关服务的真实、全面的信息，对询问应当作出真实、明确的答复。\n- 《消费者权益保护法》第9条：您有权自主选择服务。",
        basis_en: "- Consumer Rights Protection Law, Art. 20: businesses must give consumers true and complete information about the service and answer questions truthfully and clearly.\n- Consumer Rights Protection Law, Art. 9: you have the right to choose the service freely.",
        evidence_zh: "- 公司套餐列表页面的截图，能看出低档套餐没有列出。\n- 别处（例如公司公告、资费公示、客服答复）能证明该低档套餐存在的材料。",
        evidence_en: "- Screenshots of the company's plan list showing that the cheaper plan is missing.\n- Anything showing that the cheaper plan exists (the company's own announcements, published tariffs, an agent's answer).",
        ask_zh: "请公司列出您可以办理的全部套餐及价格，并写明您想改成的具体套餐。",
        ask_en: "Ask the company to list every plan you can choose with its price, and name the plan you want.",
    },
    Specific {
        code: "AUTH-ASYM",
        entitled_zh: "降级或退订时要求的身份验证，不应比开通或升级时更多、更难。公司不能在降级时才要求本人到场、人脸识别或额外证明，而升级时却不需要。",
        entitled_en: "The checks for downgrading or cancelling should not be more or harder than those for signing up or upgrading. A company may not demand a visit in person, face recognition or extra proof only when you want to downgrade.",
        basis_zh: "- 《消费者权益保护法》第16条：经营者不得设定不公平、不合理的交易条件，不得强制交易。",
        basis_en: "- Consumer Rights Protection Law, Art. 16: businesses may not set unfair or unreasonable trading conditions, nor force a transaction.",
        evidence_zh: "- 升级时的验证步骤截图，与降级时要求的验证（例如要求到营业厅、上传身份证）的截图或聊天记录对比。",
        evidence_en: "- Screenshots of the checks when upgrading, side by side with what was demanded for downgrading (for example a store visit or an ID upload), or the chat log saying so.",
        ask_zh: "请公司说明为什么降级需要额外验证、依据的是哪条规定，并要求按开通时的验证方式办理。",
        ask_en: "Ask the company why downgrading needs extra checks and which rule requires them, and ask to be verified the same way as when you signed up.",
    },
    Specific {
        code: "WINDOW",
        entitled_zh: "您应当可以随时提出降级或退订。公司不能以“当前周期不支持”“到期前最后几天再来办理”等理由拒绝受理，让您错过时间后又自动续费。\n\n如果变更只能在下一周期生效，公司也应当现在就受理您的申请并告诉您生效日期。",
        entitled_en: "You should be able to ask to downgrade or cancel at any time. A company may not refuse with \"not supported in the current cycle\" or \"come back in the last few days before expiry\", so that you miss the window and are renewed again.\n\nIf the change can only take effect next cycle, the company should still accept your request now and tell you the date it takes effect.",
        basis_zh: "- 《网络交易监督管理办法》第18条：自动续费服务应当提供随时取消或者变更的选项。",
        basis_en: "- Measures for the Supervision and Administration of Online Transactions, Art. 18: automatic-renewal services must offer an option to cancel or change at any time.",
        evidence_zh: "- “当前周期不支持降级”“请在到期前N天办理”等提示的截图，以及截图的日期。\n- 之后被自动续费扣款的记录。",
        evidence_en: "- Screenshots of messages such as \"downgrade not supported in the current cycle\" or \"try again N days before expiry\", with their dates.\n- The record of the automatic renewal charged afterwards.",
        ask_zh: "请公司现在就登记您的降级或退订申请，并书面确认生效日期。",
        ask_en: "Ask the company to register your downgrade or cancellation now and to confirm in writing the date it takes effect.",
    },
    Specific {
        code: "EFFECT-ASYM",
        entitled_zh: "套餐变更的生效规则应当公平、一致。升级立即生效并立即收费，降级却要等到下个月或下个周期才生效，让您多付钱，是不公平的条件。\n\n格式条款不得不合理地排除或限制您的权利。",
        entitled_en: "The rules on when a plan change takes effect must be fair and consistent. An upgrade that applies and is charged at once while a downgrade waits until next month or next cycle, so that you pay more, is an unfair condition.\n\nStandard terms may not unreasonably exclude or limit your rights.",
        basis_zh: "- 《消费者权益保护法》第26条：经营者不得以格式条款作出排除或者限制消费者权利、减轻或者免除经营者责任等对消费者不公平、不合理的规定。",
        basis_en: "- Consumer Rights Protection Law, Art. 26: businesses may not use standard terms to exclude or limit consumers' rights or to reduce or escape their own liability in ways that are unfair or unreasonable to consumers.",
        evidence_zh: "- 升级与降级生效时间不同的说明或条款截图。\n- 降级申请后仍按原价扣费的账单。",
        evidence_en: "- Screenshots of the explanation or term showing different effective dates for upgrades and downgrades.\n- Bills still charging the old price after you asked to downgrade.",
        ask_zh: "请公司按与升级相同的规则让降级生效，或退还多收的差价。",
        ask_en: "Ask the company to apply the downgrade by the same rule as an upgrade, or to refund the difference you overpaid.",
    },
    Specific {
        code: "DEFER",
        entitled_zh: "您提出的降级、退订或退款请求应当在合理时间内得到处理。公司说“已上报，48小时内回电”却迟迟不回复，不能成为拖延办理、继续扣费的理由。",
        entitled_en: "Your request to downgrade, cancel or get a refund must be dealt with in a reasonable time. \"We have escalated it and will call back within 48 hours\" followed by no call is no reason to delay the change or keep charging you.",
        basis_zh: "- 《消费者权益保护法》第10条：公平交易权。",
        basis_en: "- Consumer Rights Protection Law, Art. 10: the right to fair trading.",
        evidence_zh: "- 对方承诺回电或处理的时间（聊天记录截图或通话时间），以及之后没有回复的记录。",
        evidence_en: "- When they promised to call back or deal with it (chat screenshot or call time), and the record that nothing followed.",
        ask_zh: "请对方给出具体的处理期限和工单号；期限过后仍未处理，就把记录作为证据提交投诉。",
        ask_en: "Ask for a specific deadline and a ticket number; if the deadline passes with nothing done, file a complaint with the record as evidence.",
    },
    Specific {
        code: "REPEAT",
        entitled_zh: "办理降级或退订不应当需要反复打电话、长时间排队、多次转接，或反复输入“降级”“退款”等关键词才能找到选项。这样的障碍让交易条件变得不公平。",
        entitled_en: "Downgrading or cancelling should not take call after call, long queues, transfer after transfer, or typing \"downgrade\" or \"refund\" again and again before an option appears. Such obstacles make the terms of trade unfair.",
        basis_zh: "- 《消费者权益保护法》第10条：公平交易权。",
        basis_en: "- Consumer Rights Protection Law, Art. 10: the right to fair trading.",
        evidence_zh: "- 每次联系的日期、时间、排队和通话时长、被转接的次数；手机通话记录截图很有用。",
        evidence_en: "- The date and time of every contact, how long you queued and talked, and how many times you were transferred; screenshots of your phone's call log are very useful.",
        ask_zh: "在一次联系中明确提出要求，并请对方一次办结或给出工单号，不要接受“下次再来”。",
        ask_en: "State your request clearly in one contact and ask for it to be done then or for a ticket number; do not accept \"try again later\".",
    },
    Specific {
        code: "BOT-WALL",
        entitled_zh: "您有权找到能处理问题的人工客服。智能客服反复给出预设话术、转人工的入口找不到或总是失败，不能代替公司对您的答复。",
        entitled_en: "You are entitled to reach a human agent who can deal with your request. A chatbot that loops through scripted replies, with a human agent hidden or never reachable, does not replace the company's answer to you.",
        basis_zh: "- 《消费者权益保护法》第8条（知情权）和第10条（公平交易权）。",
        basis_en: "- Consumer Rights Protection Law, Art. 8 (right to know) and Art. 10 (right to fair trading).",
        evidence_zh: "- 与智能客服的完整聊天记录，尤其是重复的话术和转人工失败的画面。",
        evidence_en: "- The whole chatbot conversation, especially the repeated scripted replies and the failed attempts to reach a human.",
        ask_zh: "在聊天中明确要求“转人工”，并记录时间；如果一直无法转接，改用电话或书面方式，并保留记录。",
        ask_en: "Ask for a human agent in the chat and note the time; if you never get through, use the hotline or write to the company, and keep the record.",
    },
    Specific {
        code: "PRIORITY-ASYM",
        entitled_zh: "公司对降级请求和升级请求应当一视同仁。办理升级或推销时马上有人工接待，办理降级时却无人应答，是不公平的服务安排。",
        entitled_en: "A company must treat a request to downgrade like a request to upgrade. An agent who answers at once for upgrades or upsells but not for downgrades is an unfair arrangement.",
        basis_zh: "- 《消费者权益保护法》第10条：公平交易权。",
        basis_en: "- Consumer Rights Protection Law, Art. 10: the right to fair trading.",
        evidence_zh: "- 同一渠道中，咨询升级时很快得到答复、咨询降级时长时间无人应答的记录和时间对比。",
        evidence_en: "- On the same channel, the record and times of a quick answer to an upgrade question compared with a long wait or no answer to a downgrade request.",
        ask_zh: "请公司说明降级请求的处理时间，并要求与升级请求同样及时地办理。",
        ask_en: "Ask the company how long downgrade requests take, and ask for yours to be handled as promptly as an upgrade.",
    },
    Specific {
        code: "RETAIN",
        entitled_zh: "是否降级、退订由您决定。公司可以介绍优惠，但在您明确拒绝后，不能反复劝说、推销或拖着不办，更不能强迫您保留原套餐。",
        entitled_en: "Whether to downgrade or cancel is your decision. A company may mention an offer, but once you have said no it may not keep persuading you, upselling or stalling, let alone force you to keep your plan.",
        basis_zh: "- 《消费者权益保护法》第9条：自主选择权。\n- 《消费者权益保护法》第16条：经营者不得强制交易。",
        basis_en: "- Consumer Rights Protection Law, Art. 9: the right to choose freely.\n- Consumer Rights Protection Law, Art. 16: businesses may not force a transaction.",
        evidence_zh: "- 客服反复挽留、推销的聊天记录或通话时间，以及您明确表示拒绝的内容。",
        evidence_en: "- The chat log or call times of repeated persuasion or sales offers, and where you clearly said no.",
        ask_zh: "清楚地说一次“我不需要优惠，请为我办理降级（或退订）”，并要求对方确认办理。",
        ask_en: "Say once and clearly \"I do not want an offer, please downgrade (or cancel) my plan\", and ask them to confirm it is done.",
    },
    Specific {
        code: "LOSS-FRAME",
        entitled_zh: "您有权在真实信息的基础上自主作出选择。公司用“降级后将无法继续使用”“基础版体验大打折扣”之类的说法吓唬您，或用让人难堪的文字诱导您放弃，不应影响您的决定。",
        entitled_en: "You have the right to decide freely on the basis of true information. Warnings such as \"you will no longer be able to use it\" or \"the basic tier is much worse\", or shaming wording meant to make you give up, should not decide for you.",
        basis_zh: "- 《消费者权益保护法》第9条：自主选择权。\n- 《消费者权益保护法》第8条：知情权。",
        basis_en: "- Consumer Rights Protection Law, Art. 9: the right to choose freely.\n- Consumer Rights Protection Law, Art. 8: the right to know.",
        evidence_zh: "- 降级或退订流程中出现的警告、弹窗和确认按钮文字的截图。",
        evidence_en: "- Screenshots of the warnings, pop-ups and button wording shown during the downgrade or cancel steps.",
        ask_zh: "请公司书面说明降级后具体会失去哪些权益，然后坚持办理。",
        ask_en: "Ask the company to state in writing exactly which benefits you would lose, then insist on the change.",
    },
    Specific {
        code: "MISINFO",
        entitled_zh: "您有权得到真实的答复。如果降级或退订是可以办理的，公司却告诉您“不能降级”“合约期内不允许”，这是误导。",
        entitled_en: "You are entitled to a true answer. If downgrading or cancelling is possible and the company tells you \"downgrading is not possible\" or \"not allowed during the contract\", that is misleading.",
        basis_zh: "- 《消费者权益保护法》第20条：经营者对消费者的询问应当作出真实、明确的答复，不得作虚假或者引人误解的宣传。",
        basis_en: "- Consumer Rights Protection Law, Art. 20: businesses must answer consumers' questions truthfully and clearly, and may not make false or misleading claims.",
        evidence_zh: "- 对方说“不能降级”“不允许”的聊天记录或通话时间与客服工号。\n- 能说明其实可以办理的材料，例如协议条款、公司公告或其他用户的办理结果。",
        evidence_en: "- The chat log, or the call time and agent ID, in which you were told it was impossible or not allowed.\n- Anything showing that it is in fact possible, such as the terms, the company's announcements or others who did it.",
        ask_zh: "请对方指出不能办理的具体条款；如果说不出依据，要求按您的申请办理。",
        ask_en: "Ask them to point to the exact term that forbids it; if they cannot, ask for your request to be carried out.",
    },
    Specific {
        code: "REFUND-DENY",
        entitled_zh: "对不合理的扣费，您可以要求退款。公司以“您已享受的权益超过会员费”等理由一概拒绝退款，如果依据的是对您不公平的格式条款，这样的条款对您不产生约束。",
        entitled_en: "You can ask for a refund of charges you should not have paid. A blanket refusal on grounds such as \"the benefits you used exceed the fee\", resting on a standard term that is unfair to you, does not bind you.",
        basis_zh: "- 《消费者权益保护法》第26条：经营者不得以格式条款作出排除或者限制消费者权利等对消费者不公平、不合理的规定，此类内容无效。",
        basis_en: "- Consumer Rights Protection Law, Art. 26: standard terms that exclude or limit consumers' rights unfairly or unreasonably are not allowed, and such content is invalid.",
        evidence_zh: "- 扣费记录和金额、您申请退款的时间，以及对方拒绝退款的理由（截图或通话记录）。\n- 对方所依据的条款截图。",
        evidence_en: "- The charges and amounts, when you asked for a refund, and the reason given for refusing (screenshot or call record).\n- A screenshot of the term they rely on.",
        ask_zh: "写明要求退还的金额和扣费日期，请对方在合理期限内书面答复。",
        ask_en: "State the amount and the date of the charge you want back, and ask for a written answer within a reasonable time.",
    },
    Specific {
        code: "COND-FEE",
        entitled_zh: "降级或退订不应当附带违约金、手续费或与之无关的条件（例如“必须先取消另一项服务”）。对自动续费服务，取消或变更不得收取不合理费用。",
        entitled_en: "Downgrading or cancelling should not come with penalties, fees or unrelated conditions (such as \"you must first cancel another service\"). For automatic-renewal services, cancelling or changing may not carry unreasonable fees.",
        basis_zh: "- 《网络交易监督管理办法》第18条：取消或者变更自动续费服务不得收取不合理费用。\n- 《消费者权益保护法》第26条：不得以格式条款作出对消费者不公平、不合理的规定。",
        basis_en: "- Measures for the Supervision and Administration of Online Transactions, Art. 18: no unreasonable fees for cancelling or changing an automatic-renewal service.\n- Consumer Rights Protection Law, Art. 26: standard terms may not impose unfair or unreasonable conditions on consumers.",
        evidence_zh: "- 要求您支付违约金或手续费、或附加条件的说明、账单或聊天记录。\n- 相关条款的截图。",
        evidence_en: "- The notice, bill or chat log demanding a penalty, a fee or an extra condition.\n- A screenshot of the term concerned.",
        ask_zh: "请对方说明费用或条件的依据；如不合理，要求免除后办理。",
        ask_en: "Ask what the fee or condition is based on; if it is unreasonable, ask for the change without it.",
    },
    Specific {
        code: "SILENT-FAIL",
        entitled_zh: "公司确认为您降级或退订后，变更应当真正生效。仍按原价扣费、自动续费继续扣款的，您可以要求纠正并退还多扣的费用。\n\n自动续费前，公司应当以显著方式提醒您。",
        entitled_en: "Once the company has confirmed your downgrade or cancellation, the change must actually apply. If you are still charged the old price or automatic renewal carries on, you can ask for it to be put right and for the overcharge to be refunded.\n\nBefore an automatic renewal, the company must remind you prominently.",
        basis_zh: "- 《消费者权益保护法实施条例》（2024年7月1日起施行）：经营者采取自动续费等方式提供服务的，应当在续费前以显著方式提醒消费者。",
        basis_en: "- Regulations for the Implementation of the Consumer Rights Protection Law (消费者权益保护法实施条例, in force 1 July 2024): businesses that provide services by automatic renewal must remind consumers prominently before renewing.",
        evidence_zh: "- 公司确认降级或退订成功的短信、页面截图或聊天记录。\n- 之后仍然扣费的账单或支付记录。",
        evidence_en: "- The text message, page screenshot or chat log in which the company confirmed the downgrade or cancellation.\n- The bills or payment records showing that charges continued afterwards.",
        ask_zh: "把确认记录和之后的扣费记录一起发给公司，要求立即纠正并退还多扣的费用。",
        ask_en: "Send the company the confirmation together with the later charges, and ask for it to be corrected at once and the overcharge refunded.",
    },
];

/// Every page, in the taxonomy's order.
pub fn pages() -> Vec<Page> {
    SPECIFICS
        .iter()
        .map(|s| Page {
            code: s.code,
            sections: vec![
                (
                    "entitled",
                    s.entitled_zh.to_string(),
                    s.entitled_en.to_string(),
                ),
                (
                    "basis",
                    format!("{}\n\n{BASIS_ALL_ZH}", s.basis_zh),
                    format!("{}\n\n{BASIS_ALL_EN}", s.basis_en),
                ),
                (
                    "evidence",
                    format!("{}\n\n{EVIDENCE_ALL_ZH}", s.evidence_zh),
                    format!("{}\n\n{EVIDENCE_ALL_EN}", s.evidence_en),
                ),
                (
                    "ask",
                    format!("{}\n\n{ASK_ALL_ZH}", s.ask_zh),
                    format!("{}\n\n{ASK_ALL_EN}", s.ask_en),
                ),
                (
                    "association",
                    ASSOCIATION_ZH.to_string(),
                    ASSOCIATION_EN.to_string(),
                ),
            ],
        })
        .collect()
}
