//! Content behind `seed-demo`: invented companies, plans, population and obstacle weights, what
//! synthetic consumers ask for and in which words (narratives assembled from fragment templates),
//! and the four reference cases. Every company is invented (no real brand names); each fragment
//! carries the cue it contains so a synthetic suggestion can show its evidence like a real one.
//!
//! Template placeholders: `{svc}` service, `{from}`/`{to}` plan names, `{price}`/`{price_to}`
//! price with its billing period, `{pf}` price in yuan, `{date}` first attempt, `{n}` contact
//! attempts, `{ch}` a channel tried, `{days}` days spent.
use rand::rngs::SmallRng;
use rand::Rng;

use crate::domain::Sector;

/// An invented company of the demo directory.
pub struct DemoCompany {
    pub name: &'static str,
    pub sector: Sector,
    /// ASCII slug for the complaints mailbox `complaints@<slug>.example.cn`.
    pub slug: &'static str,
    pub aliases: &'static [&'static str],
    /// GB/T 2260 code of the registration place (part of the credit code).
    pub division: &'static str,
    /// Whether the demo directory knows its credit code (most, not all).
    pub has_credit_code: bool,
}

const fn co(
    name: &'static str,
    sector: Sector,
    slug: &'static str,
    aliases: &'static [&'static str],
    division: &'static str,
    has_credit_code: bool,
) -> DemoCompany {
    DemoCompany {
        name,
        sector,
        slug,
        aliases,
        division,
        has_credit_code,
    }
}

use Sector::*;

/// The demo directory; within a sector, earlier companies receive more complaints.
#[rustfmt::skip]
pub const COMPANIES: &[DemoCompany] = &[
    co("某通信运营商北京分公司", Telecom, "op-beijing", &["某运营商北京", "某通信北京分公司"], "110000", true),
    co("某通信运营商广东分公司", Telecom, "op-guangdong", &["某运营商广东"], "440000", true),
    co("星联移动通信有限公司", Telecom, "xinglian-mobile", &["星联移动", "Xinglian Mobile"], "440300", true),
    co("某通信运营商四川分公司", Telecom, "op-sichuan", &["某运营商四川"], "510000", true),
    co("畅达通信", Telecom, "changda-mvno", &["畅达卡", "畅达虚拟运营商"], "330100", true),
    co("某通信运营商上海分公司", Telecom, "op-shanghai", &[], "310000", true),
    co("云桥宽带网络有限公司", Telecom, "yunqiao-broadband", &["云桥宽带"], "320100", false),
    co("蓝海融合通信有限公司", Telecom, "lanhai-telecom", &[], "370100", true),
    co("某视频平台", VideoMembership, "video-platform", &["某视频App"], "110108", true),
    co("青橙视频", VideoMembership, "qingcheng-video", &["青橙", "青橙视频会员", "Qingcheng Video"], "110105", true),
    co("光年TV", VideoMembership, "guangnian-tv", &["光年视频", "Lightyear TV"], "440305", true),
    co("川流影视", VideoMembership, "chuanliu-tv", &["川流视频"], "310104", true),
    co("飞梭短剧", VideoMembership, "feisuo-drama", &["飞梭"], "330106", true),
    co("麦田视频", VideoMembership, "maitian-video", &[], "420100", false),
    co("云帆影院", VideoMembership, "yunfan-cinema", &["云帆影视"], "500000", true),
    co("橡果少儿动画", VideoMembership, "xiangguo-kids", &[], "430100", true),
    co("律动音乐", MusicAudio, "lvdong-music", &["律动", "Groove Music"], "440106", true),
    co("声海FM", MusicAudio, "shenghai-fm", &["声海电台"], "310115", true),
    co("橘子音乐", MusicAudio, "juzi-music", &["橘子音乐App"], "510107", true),
    co("听岛有声", MusicAudio, "tingdao-audio", &["听岛"], "320106", true),
    co("回声电台", MusicAudio, "huisheng-radio", &[], "330108", false),
    co("和弦K歌", MusicAudio, "hexian-karaoke", &[], "350100", true),
    co("某云存储服务商", CloudStorage, "cloud-storage", &["某云盘"], "330100", true),
    co("方舟云盘", CloudStorage, "fangzhou-pan", &["方舟网盘", "Ark Drive"], "110108", true),
    co("鲸落网盘", CloudStorage, "jingluo-pan", &[], "440305", true),
    co("蜂巢云存储", CloudStorage, "fengchao-cloud", &["蜂巢云"], "320500", true),
    co("积木云盘", CloudStorage, "jimu-pan", &[], "310112", false),
    co("远山网盘", CloudStorage, "yuanshan-pan", &["远山云"], "420100", true),
    co("光盒相册云", CloudStorage, "guanghe-photos", &["光盒相册"], "610100", true),
    co("某办公软件公司", OfficeSoftware, "office-soft", &["某办公软件"], "110108", true),
    co("简页文档", OfficeSoftware, "jianye-docs", &["简页"], "440305", true),
    co("墨笔办公", OfficeSoftware, "mobi-office", &["墨笔"], "330106", true),
    co("快会视频会议", OfficeSoftware, "kuaihui-meeting", &["快会"], "110105", true),
    co("格子表格", OfficeSoftware, "gezi-sheets", &[], "310115", true),
    co("拾光笔记", OfficeSoftware, "shiguang-notes", &["拾光笔记App", "Shiguang Notes"], "350200", true),
    co("云签电子签", OfficeSoftware, "yunqian-esign", &[], "320100", false),
    co("智译翻译", OfficeSoftware, "zhiyi-translate", &[], "510100", true),
    co("燧石游戏", Gaming, "suishi-games", &["燧石互娱"], "440106", true),
    co("霓虹云游戏", Gaming, "nihong-cloudgame", &["霓虹云游"], "330108", true),
    co("棱镜互娱", Gaming, "lengjing-games", &[], "310104", true),
    co("风铃游戏", Gaming, "fengling-games", &["风铃手游"], "350100", true),
    co("萤火游戏加速器", Gaming, "yinghuo-booster", &["萤火加速器"], "420100", false),
    co("石榴手游", Gaming, "shiliu-games", &[], "430100", true),
    co("象限游戏", Gaming, "xiangxian-games", &[], "110108", true),
    co("书海阅读", ReadingNews, "shuhai-reading", &["书海", "书海小说"], "310115", true),
    co("知鱼问答", ReadingNews, "zhiyu-qa", &["知鱼"], "110108", true),
    co("纸鸢小说", ReadingNews, "zhiyuan-novel", &[], "330106", true),
    co("灯塔财经资讯", ReadingNews, "dengta-finance", &["灯塔财经"], "310104", true),
    co("晨报Plus", ReadingNews, "chenbao-plus", &["晨报会员"], "110105", true),
    co("墨香书城", ReadingNews, "moxiang-books", &[], "410100", false),
    co("青灯有声书", ReadingNews, "qingdeng-audiobooks", &[], "320100", true),
    co("轻练健身", Other, "qinglian-fitness", &["轻练", "轻练App"], "440305", true),
    co("码上学英语", Other, "mashang-english", &["码上英语"], "110108", true),
    co("甜梦助眠", Other, "tianmeng-sleep", &[], "310112", true),
    co("顺路出行会员", Other, "shunlu-mobility", &["顺路出行"], "440106", true),
    co("鲜到家会员", Other, "xiandaojia-grocery", &["鲜到家"], "320500", true),
    co("小满记账", Other, "xiaoman-ledger", &[], "330106", false),
    co("乐学网课", Other, "lexue-online", &["乐学"], "410100", true),
    co("拾趣相机", Other, "shiqu-camera", &[], "350200", true),
    co("安居智能门锁云服务", Other, "anju-smartlock", &["安居智能"], "370200", true),
];

/// Names typed by consumers that match no directory entry (left for staff to link).
pub const UNKNOWN_COMPANIES: &[&str] = &[
    "一个小众健身App",
    "不记得名字的视频会员",
    "某直播平台",
    "某学习机厂商",
    "某手机厂商云服务",
];

/// Relative complaint volume per sector, in `Sector::ALL` order.
pub const SECTOR_WEIGHTS: [f64; 8] = [26.0, 22.0, 9.0, 12.0, 10.0, 8.0, 7.0, 6.0];

/// Province code and population in millions (2020 census, rounded): complaints follow people.
#[rustfmt::skip]
pub const PROVINCES: &[(&str, u32)] = &[
    ("110000", 22), ("120000", 14), ("130000", 75), ("140000", 35), ("150000", 24), ("210000", 43),
    ("220000", 24), ("230000", 32), ("310000", 25), ("320000", 85), ("330000", 65), ("340000", 61),
    ("350000", 42), ("360000", 45), ("370000", 102), ("410000", 99), ("420000", 58), ("430000", 66),
    ("440000", 126), ("450000", 50), ("460000", 10), ("500000", 32), ("510000", 84), ("520000", 39),
    ("530000", 47), ("540000", 4), ("610000", 40), ("620000", 25), ("630000", 6), ("640000", 7),
    ("650000", 26),
];

/// Obstacle code and how often it is met (per 100 complaints, roughly).
#[rustfmt::skip]
pub const OBSTACLE_WEIGHTS: &[(&str, u32)] = &[
    ("BOT-WALL", 16), ("RETAIN", 15), ("CH-ASYM", 14), ("REPEAT", 14), ("HIDDEN-ENTRY", 9),
    ("SILENT-FAIL", 7), ("LOSS-FRAME", 7), ("REFUND-DENY", 6), ("DEFER", 6), ("WINDOW", 6),
    ("MISINFO", 5), ("EFFECT-ASYM", 5), ("COND-FEE", 4), ("TIER-HIDDEN", 3), ("PRIORITY-ASYM", 3),
    ("AUTH-ASYM", 1),
];

/// How much more (or less) often an obstacle is met in a sector than on average.
pub fn sector_bias(sector: Sector, code: &str) -> f64 {
    match (sector, code) {
        (Telecom, "TIER-HIDDEN") => 5.0,
        (Telecom, "AUTH-ASYM") => 3.0,
        (Telecom, "DEFER") => 2.0,
        (Telecom, "CH-ASYM") => 1.5,
        (Telecom, "REFUND-DENY" | "PRIORITY-ASYM") => 0.4,
        (_, "TIER-HIDDEN") => 0.3,
        (VideoMembership | MusicAudio, "PRIORITY-ASYM" | "LOSS-FRAME") => 1.8,
        (CloudStorage, "LOSS-FRAME" | "EFFECT-ASYM") => 1.6,
        (OfficeSoftware | ReadingNews | Other, "REFUND-DENY") => 1.5,
        _ => 1.0,
    }
}

/// Status mix by age (days): received, held, accepted, forwarded, responded, closed, rejected,
/// duplicate, withdrawn. Paths are cut short when their steps would land in the future.
#[rustfmt::skip]
pub const STATUS_BY_AGE: [(i64, [f64; 9]); 4] = [
    (7, [70.0, 2.0, 16.0, 5.0, 0.0, 0.0, 3.0, 2.0, 2.0]),
    (30, [18.0, 1.0, 25.0, 30.0, 12.0, 4.0, 4.0, 3.0, 3.0]),
    (90, [4.0, 1.0, 8.0, 20.0, 25.0, 32.0, 4.0, 3.0, 3.0]),
    (i64::MAX, [1.0, 0.5, 2.0, 5.0, 12.0, 70.0, 5.0, 2.5, 2.0]),
];

/// Consumer activity by hour of day in Asia/Shanghai.
#[rustfmt::skip]
pub const HOURS: [f64; 24] = [
    2.0, 1.0, 1.0, 0.3, 0.2, 0.3, 1.0, 2.0, 4.0, 6.0, 7.0, 7.0,
    6.0, 6.0, 7.0, 7.0, 6.0, 6.0, 6.0, 7.0, 8.0, 9.0, 7.0, 4.0,
];

/// How far back synthetic complaints go.
pub const DAYS: i64 = 730;

/// A plan: name, price (fen), the cheaper plan (name, price) if any, billing cycle code.
pub type Plan = (&'static str, i64, Option<(&'static str, i64)>, &'static str);

/// Typical plans of a sector, and the service names people give.
#[rustfmt::skip]
pub fn plans(sector: Sector) -> (&'static [Plan], &'static [&'static str]) {
    match sector {
        Telecom => (&[
            ("129元5G畅享套餐", 12900, Some(("8元保号套餐", 800)), "monthly"),
            ("59元/月套餐", 5900, Some(("19元基础套餐", 1900)), "monthly"),
            ("199元融合宽带套餐", 19900, Some(("69元单宽带套餐", 6900)), "monthly"),
            ("99元流量畅享套餐", 9900, Some(("29元小流量套餐", 2900)), "monthly"),
            ("169元家庭套餐", 16900, Some(("39元主副卡套餐", 3900)), "monthly"),
            ("239元尊享套餐", 23900, Some(("59元套餐", 5900)), "monthly"),
        ], &["手机套餐", "营业厅App", "5G套餐", "手机号"]),
        VideoMembership => (&[
            ("连续包年超级会员", 24800, Some(("基础会员", 15800)), "yearly"),
            ("连续包月黄金会员", 2500, Some(("连续包月基础会员", 1500)), "monthly"),
            ("SVIP年卡", 32800, Some(("VIP年卡", 19800)), "yearly"),
            ("连续包季会员", 6800, None, "quarterly"),
            ("电视端超级影视会员", 3000, Some(("手机端会员", 1900)), "monthly"),
        ], &["视频会员", "电视端会员", "App", "短剧会员"]),
        MusicAudio => (&[
            ("豪华会员连续包月", 1500, Some(("普通会员", 800)), "monthly"),
            ("超级会员年卡", 18800, Some(("普通会员年卡", 8800)), "yearly"),
            ("畅听会员", 2500, None, "monthly"),
            ("家庭音乐会员", 2800, Some(("个人会员", 1500)), "monthly"),
        ], &["音乐会员", "有声会员", "App", "车载版"]),
        CloudStorage => (&[
            ("2TB空间包", 3000, Some(("200GB空间包", 600)), "monthly"),
            ("超级会员连续包年", 29800, Some(("普通会员", 9800)), "yearly"),
            ("6TB家庭版", 6800, Some(("1TB个人版", 2100)), "monthly"),
            ("无限空间会员", 1800, None, "monthly"),
            ("企业版", 99900, Some(("标准版", 39900)), "yearly"),
        ], &["网盘会员", "云空间", "相册备份", "App"]),
        OfficeSoftware => (&[
            ("年度会员", 19800, None, "yearly"),
            ("专业版连续包年", 39900, Some(("个人版", 14900)), "yearly"),
            ("团队版", 9900, Some(("免费版", 0)), "monthly"),
            ("超级会员连续包月", 3000, Some(("普通会员", 1200)), "monthly"),
            ("AI助手增值包", 2900, None, "monthly"),
        ], &["办公会员", "电脑客户端", "App", "文档协作"]),
        Gaming => (&[
            ("月卡连续订阅", 3000, None, "monthly"),
            ("畅玩会员", 4900, Some(("基础时长包", 1900)), "monthly"),
            ("战令自动续费", 6800, None, "monthly"),
            ("会员年卡", 16800, Some(("月卡", 2000)), "yearly"),
        ], &["游戏会员", "手游", "App", "云游戏"]),
        ReadingNews => (&[
            ("连续包月会员", 1800, None, "monthly"),
            ("年度VIP", 16800, Some(("月卡", 1500)), "yearly"),
            ("专业版年卡", 99800, Some(("标准版", 29800)), "yearly"),
            ("连续包季会员", 4500, None, "quarterly"),
        ], &["阅读会员", "会员", "App", "听书会员"]),
        Other => (&[
            ("高级会员年卡", 26800, Some(("月卡会员", 3000)), "yearly"),
            ("连续包季会员", 6800, None, "quarterly"),
            ("年度会员", 59900, None, "yearly"),
            ("连续包月会员", 1500, None, "monthly"),
            ("会员年卡", 9900, Some(("月卡", 1000)), "yearly"),
        ], &["会员服务", "App", "小程序", "会员"]),
    }
}

/// Where a fragment fits: 0 any sector, 1 telecom only, 2 everything but telecom.
pub type Fragment = (&'static str, &'static str, u8);

/// Fragments per obstacle code: template, the cue it contains, sector scope.
#[rustfmt::skip]
pub fn fragments(code: &str) -> &'static [Fragment] {
    match code {
        "CH-ASYM" => &[
            ("当初在{svc}里一键升级只用了几秒，现在想降级却被告知线上无法办理，只能打电话。", "线上无法办理", 0),
            ("App和网页上都没有降级或退订的按钮，页面提示必须联系客服人工办理。", "必须联系客服", 0),
            ("客服说这个业务线上无法办理，让我本人去营业厅，可开通的时候在手机上点一下就行。", "去营业厅", 1),
            ("升级在App里随时能办，降级却只能打电话，热线还只在工作日白天开放。", "只能打电话", 0),
            ("办理页面只有“立即升级”，要降回{to}只能打电话到客服热线。", "只能打电话", 0),
            ("开通是扫码完成的，取消却要求发邮件并附上付款截图，线上无法办理。", "线上无法办理", 2),
            ("App里点“变更套餐”只会跳到一键升级页面，降档必须联系客服。", "必须联系客服", 0),
        ],
        "HIDDEN-ENTRY" => &[
            ("降级入口藏在“账户安全”下面，翻好几层菜单才看到。", "账户安全", 0),
            ("我在设置里找了半个小时也找不到降级入口，后来才知道在“帮助与反馈”的最底部。", "找不到", 0),
            ("取消自动续费的开关藏在“我的-设置-支付设置-更多”里，字是浅灰色的，非常不显眼。", "藏在", 0),
            ("首页到处是升级广告，降级的入口隐蔽得像是故意不让人找到。", "入口隐蔽", 0),
            ("按照客服给的路径去找，页面改版后路径又变了，又翻好几层才找到。", "翻好几层", 0),
            ("网页版根本没有套餐管理，手机端的入口也藏在二级菜单的折叠项里。", "藏在", 0),
        ],
        "TIER-HIDDEN" => &[
            ("App的套餐列表里只展示{pf}元以上的套餐，8元保号套餐根本不显示。", "保号套餐", 1),
            ("我问有没有更低档的套餐，页面上查不到套餐信息，客服才承认有{to}。", "查不到套餐", 0),
            ("官网资费页只列了几款高价套餐，低档套餐一个都不显示，问了才知道有。", "不显示", 0),
            ("听朋友说有保号套餐，可在App和官网里搜了一圈都查不到套餐名称。", "保号套餐", 1),
            ("会员页面只展示年费版和豪华版，原来的低档月卡不显示了。", "低档", 2),
        ],
        "AUTH-ASYM" => &[
            ("升级时不需要任何验证，降级却要求上传身份证正反面和手持照片。", "身份证", 0),
            ("客服说降级必须机主本人到场办理，开通时明明在线上点一下就行。", "本人到场", 1),
            ("取消订阅前要做人脸识别，连续三次都提示识别失败。", "人脸识别", 2),
            ("每次提交降级申请都要再做一遍短信验证和密保验证，升级却直接扣款。", "验证", 0),
            ("要求我提供开通时的付款凭证和身份证号码才能核实，升级时什么都没要。", "身份证", 0),
        ],
        "WINDOW" => &[
            ("页面提示“当前周期内不支持降级操作，请于到期前3日内再试”。", "当前周期", 0),
            ("客服说只能在到期前7天内申请，早了不受理，晚了又自动续上了。", "到期前", 0),
            ("系统显示“当前套餐不支持降级”，让我下个月1号再试，到了1号又说账单已经生成。", "不支持降级", 0),
            ("规则写着每月只有最后两天可以提交变更，我错过一次，只能下个月再试，结果又被扣了一个月。", "再试", 0),
            ("{date}申请时提示“距离到期超过30天，暂不支持降级”，等到期前再去又提示系统繁忙。", "不支持降级", 0),
        ],
        "EFFECT-ASYM" => &[
            ("升级的时候是立即生效、立即扣费，降级却要次月生效，这个月还得按{pf}元付。", "立即生效", 0),
            ("页面写着降级“下个周期生效”，可当初升级时是立即生效并补扣了差价。", "下个周期生效", 0),
            ("降级申请显示次月生效，而升级当天就按新价格扣了全月的钱。", "次月生效", 0),
            ("同样是变更套餐，升级按天补差价，降级却要等到次月生效，中间的差价不退。", "次月生效", 0),
        ],
        "DEFER" => &[
            ("客服说已经上报处理，48小时内会回电，可过了一周也没人联系我。", "上报处理", 0),
            ("对方记录了工单，说会有专人回电，我等了五天，一个电话都没有。", "回电", 0),
            ("每次打过去都说“已加急”“请耐心等待回复”，工单状态一直是处理中。", "等待回复", 0),
            ("客服承诺48小时内给答复，超时后再问，又说要重新提交申请。", "48小时", 0),
            ("说是要转给后台专员上报处理，三个工作日内答复，结果石沉大海。", "上报处理", 0),
        ],
        "REPEAT" => &[
            ("前后一共联系了{n}次，每次都要排队二十多分钟，换一个客服就得从头说一遍。", "排队", 0),
            ("电话被转接了三次，每次都让我重新核对身份，最后还是没办成。", "转接", 0),
            ("我在对话框里反复输入“降级”“人工”，系统才勉强给出一个选项。", "反复", 0),
            ("为了这件事我多次联系客服，前后{n}次，每次都是同样的答复。", "多次", 0),
            ("要重复输入订单号和手机号好几遍，每次超时又得重新开始。", "重复输入", 0),
            ("排队排了四十分钟，接通后说这个不归他们管，又转接到另一个部门。", "排队", 0),
        ],
        "BOT-WALL" => &[
            ("在线客服一直是智能客服，回答都是预设话术，根本不理解我的问题。", "智能客服", 0),
            ("我连续输入了十几次“转人工”，机器人只会发同一个帮助链接。", "转人工", 0),
            ("App里根本没有人工入口，只有一个机器人不停地推荐升级活动。", "人工入口", 0),
            ("智能客服回复“您的问题已记录”，然后对话就自动结束了。", "智能客服", 0),
            ("热线按了好几轮语音菜单都是机器人播报，找不到转人工的选项。", "机器人", 0),
        ],
        "PRIORITY-ASYM" => &[
            ("我试着问更贵的套餐怎么开通，人工客服马上就出现了，一说降级又变回机器人。", "更贵", 0),
            ("咨询超级VIP的时候秒回，问降级就排队半天没人理。", "超级VIP", 2),
            ("升级就有人工顾问主动打电话过来，降级申请提交了一周都没人处理。", "升级就有人工", 0),
            ("问更贵的年卡时立刻有人回复，换成问降级，对方就说要核实后再联系。", "更贵", 0),
        ],
        "RETAIN" => &[
            ("客服反复劝我保留原套餐，说{from}性价比更高，不停地推荐别的优惠。", "保留原套餐", 0),
            ("每次说要降级，对方就推一个“挽留礼包”，让我再考虑一下。", "挽留", 0),
            ("客服一直劝我不要降，说现在降级“很亏”，不如换一个性价比更高的套餐。", "性价比更高", 0),
            ("对方说可以送我三个月优惠券，前提是保留原套餐，我拒绝后又被劝了十几分钟。", "保留原套餐", 0),
            ("每一通电话都要先听一段挽留话术，明确拒绝后才肯记录我的需求。", "挽留", 0),
            ("客服让我再考虑考虑，说很多老用户降级以后都后悔了。", "再考虑", 0),
        ],
        "LOSS-FRAME" => &[
            ("弹窗提示降级后将无法继续使用多项会员权益，已下载的内容也会失效。", "无法继续使用", 2),
            ("页面用红字写着“降级后体验将大打折扣”，确认按钮要连点三次。", "大打折扣", 0),
            ("取消时提示“您将损失权益价值{pf}元”，取消按钮是一行灰色小字“残忍离开”。", "损失权益", 2),
            ("客服说降到{to}后网速会大打折扣，以后想恢复原价就办不了了。", "大打折扣", 1),
            ("客服提醒改套餐后老用户优惠会全部失效，损失权益要我自己承担。", "损失权益", 1),
            ("系统警告降级后超出的云端文件将无法继续使用，还可能被清理。", "无法继续使用", 2),
        ],
        "MISINFO" => &[
            ("客服明确告诉我这个套餐不能降级，后来我查了资费说明，根本没有这样的限制。", "不能降级", 0),
            ("对方说合约期内不能办理任何变更，可我从来没签过合约。", "合约期内不能", 0),
            ("客服称按照公司规定不允许中途降级，但说不出是哪一条规定。", "不允许", 0),
            ("客服说老用户不能降级到新套餐，只有新用户才能办{to}。", "不能降级", 0),
            ("先说系统不允许降级，换了个客服又说可以办但要等，说法前后矛盾。", "不允许", 0),
        ],
        "REFUND-DENY" => &[
            ("申请退款被拒，理由是“您已享受的权益价值超过会员费”。", "已享受的权益", 0),
            ("客服说虚拟商品一经开通不予退款，哪怕我一次都没用过。", "不予退款", 2),
            ("对方坚持不予退款，只同意把剩余时长折算成优惠券。", "不予退款", 0),
            ("我只用了两天，客服却称赠送的权益已经超过会员费，拒绝退还{pf}元。", "超过会员费", 0),
            ("自动扣的{pf}元要求退回，客服说扣费成功后一律不予退款。", "不予退款", 0),
        ],
        "COND-FEE" => &[
            ("客服说提前降级要交违约金，金额相当于剩余月份差价的一半。", "违约金", 0),
            ("要降级必须先取消所有增值服务和绑定的副卡，否则不能办理。", "必须先取消", 1),
            ("办理降级要收20元手续费，升级时却没有任何费用。", "手续费", 0),
            ("对方要求先补缴优惠期减免的金额，说这是变更手续费，才能改成{to}。", "手续费", 0),
            ("退订前必须先取消家庭共享和关联账号，解绑又要等7天。", "必须先取消", 2),
        ],
        "SILENT-FAIL" => &[
            ("页面显示降级成功，可下个月仍按{pf}元照常扣费。", "照常扣费", 0),
            ("我已经关闭了自动续费，到期后还是被扣了{pf}元，也没有任何提醒。", "自动续费", 0),
            ("客服确认已经办好，结果变更根本没有生效，账单上还是原来的价格。", "没有生效", 0),
            ("申请显示“已受理”，两个月过去了还是{from}，钱也还在扣。", "还在扣", 0),
            ("退订短信都收到了，第二个月银行卡又被自动续费扣款。", "自动续费", 0),
        ],
        _ => &[],
    }
}

/// Openings by requested action code.
#[rustfmt::skip]
pub fn openings(action: &str) -> &'static [&'static str] {
    match action {
        "downgrade" => &[
            "我从{date}开始想把{svc}的{from}（{price}）换成{to}（{price_to}），到现在也没办成。",
            "{date}我打算把{from}降为{to}，最近用得少，{price}实在不划算。",
            "本人使用{svc}多年，原来办的是{from}，{price}。{date}起我申请改成{to}，一直卡着。",
            "{date}，我想把正在用的{from}降为更便宜的{to}，一年能省下不少钱。",
            "家里开销紧张，{date}我想把{svc}的{from}降档到{to}。",
            "{svc}的{from}（{price}）对我来说用不上那么多，{date}我申请降到{to}。",
        ],
        "cancel" => &[
            "我在{date}想取消{svc}的{from}（{price}），以后不打算再用了。",
            "{date}我决定不再使用{svc}的{from}，申请退订，但一直没成功。",
            "去年开通了{svc}的{from}，{price}，{date}我想退订。",
            "换了别家的服务后，{date}我想把{svc}的{from}退掉，每期{pf}元不想再花。",
        ],
        "refund" => &[
            "{date}我误开通了{svc}的{from}，{price}，当天就申请退款。",
            "我在{date}购买了{svc}的{from}（{price}），发现和宣传不符，申请退款。",
            "{svc}的{from}在{date}被扣了{pf}元，我基本没用过，想申请退款。",
            "孩子用我的手机开通了{svc}的{from}，{date}发现后马上申请退回{pf}元。",
        ],
        "stop_auto_renewal" => &[
            "{date}我想关掉{svc}{from}的连续订阅，免得到期后再被扣{pf}元。",
            "开通{from}时默认勾选了连续订阅，{date}我去关闭续费，发现很难操作。",
            "{date}我想停止{svc}的{from}到期续订（{price}），不想再被扣钱。",
        ],
        _ => &[
            "{date}我想调整{svc}的{from}（{price}），结果处处碰壁。",
            "{date}起我一直在和{svc}沟通{from}的变更问题。",
        ],
    }
}

/// Sentences that add detail without naming an obstacle.
#[rustfmt::skip]
pub const FILLERS: &[&str] = &[
    "整个过程前后拖了将近{days}天。",
    "聊天记录和扣费截图我都保存了，可以提供。",
    "家里老人也遇到过类似的情况，他们更不知道该怎么办。",
    "我理解公司想留住用户，但不应该用这种方式。",
    "每次沟通都要花掉半小时以上，严重影响工作和休息。",
    "其间我还在官方社区发帖询问，一直没有官方答复。",
    "我查过相关规定，经营者应当提供便捷的变更和取消方式。",
    "身边好几个朋友都说遇到过同样的问题。",
    "消费者的时间也是成本，这样的设计明显不公平。",
    "扣费短信是凌晨发来的，第二天早上才看到。",
    "对比之下，开通的时候只用了不到一分钟。",
    "之前我也在别的平台反映过，没有下文。",
    "我一共尝试了{n}次，用过{ch}。",
    "对方始终没有给出书面答复。",
    "从{date}到现在，又多扣了一期{pf}元。",
    "我每次都记下了时间和客服工号。",
];

/// Closings by the consumer's outcome code.
#[rustfmt::skip]
pub fn closings(outcome: &str) -> &'static [&'static str] {
    match outcome {
        "gave_up" => &[
            "折腾了这么久，我最后放弃了，只能等到期后不再续费。",
            "实在耗不起时间，只好作罢，但希望别的用户不要再遇到这种事。",
            "最后我只能解绑了支付方式，不想再和他们纠缠。",
        ],
        "partially_resolved" => &[
            "后来客服同意退一部分钱，但变更仍然要等到下个周期。",
            "最终只办成了一半：续费关掉了，已扣的钱没退。",
        ],
        "resolved" => &[
            "最后在第{n}次联系后才办成，希望以后能简化流程。",
            "经过多次沟通总算办好了，但整个过程太耗时间，希望引起重视。",
        ],
        _ => &[
            "到现在问题仍然没有解决，希望有关部门督促整改，按我的要求办理。",
            "希望{svc}提供和升级一样方便的降级方式，并退还多扣的费用。",
            "请求协助处理，要求对方尽快办理并给出书面说明。",
            "我的诉求很简单：按我的申请办理，多扣的{pf}元予以退还。",
        ],
    }
}

/// What the consumer asked for, from a uniform `x` in 0..100: telecom users mostly want a
/// cheaper plan; memberships are as often cancelled, refunded or stopped from renewing.
pub fn action(sector: Sector, has_cheaper: bool, x: u32) -> &'static str {
    match (sector == Telecom, has_cheaper, x) {
        (true, true, 0..75) | (false, true, 0..40) => "downgrade",
        (true, _, 0..90) | (false, true, 40..55) | (false, false, 0..30) => "cancel",
        (false, true, 55..75) | (false, false, 30..65) => "stop_auto_renewal",
        (true, _, 90..96) | (false, true, 75..95) | (false, false, 65..95) => "refund",
        _ => "other",
    }
}

/// The obstacle a requested action usually runs into.
pub fn favoured_obstacle(action: &str) -> Option<&'static str> {
    match action {
        "refund" => Some("REFUND-DENY"),
        "stop_auto_renewal" => Some("SILENT-FAIL"),
        _ => None,
    }
}

/// Channels people try, repeated by how often they try them.
#[rustfmt::skip]
pub fn channel_pool(sector: Sector) -> &'static [&'static str] {
    match sector {
        Telecom => &["app", "app", "hotline", "hotline", "hotline", "store", "online_chat", "website"],
        _ => &["app", "app", "app", "online_chat", "online_chat", "hotline", "email", "website", "other"],
    }
}

/// The consumer's own outcome at intake.
#[rustfmt::skip]
pub const INTAKE_OUTCOMES: &[&str] = &[
    "not_resolved", "not_resolved", "not_resolved", "gave_up", "gave_up", "partially_resolved",
    "resolved",
];

/// Outcomes recorded when a case is closed.
#[rustfmt::skip]
pub const CLOSED_OUTCOMES: &[&str] = &[
    "resolved", "resolved", "partially_resolved", "partially_resolved", "not_resolved",
    "not_resolved", "gave_up",
];

/// Contact data for ~70% of complaints: name (张先生), email `user<id>@example.com`, mobile.
pub fn contact(rng: &mut SmallRng, id: i64) -> (Option<String>, Option<String>, Option<String>) {
    if !rng.random_bool(0.7) {
        return (None, None, None);
    }
    let mobile = |rng: &mut SmallRng| {
        format!(
            "1{}{:09}",
            rng.random_range(3..=9),
            rng.random_range(0..1_000_000_000u32)
        )
    };
    let email = Some(format!("user{id}@example.com"));
    let (email, phone) = match rng.random_range(0..10) {
        0..3 => (email, None),
        3..5 => (None, Some(mobile(rng))),
        _ => (email, Some(mobile(rng))),
    };
    let name = rng.random_bool(0.85).then(|| {
        let title = if rng.random_bool(0.5) {
            "先生"
        } else {
            "女士"
        };
        format!("{}{title}", SURNAMES[rng.random_range(0..SURNAMES.len())])
    });
    (name, email, phone)
}

/// Staff note and reason recorded when a demo case is rejected.
pub const REJECTION_REASON: &str = "不属于本平台受理范围";
/// Staff note recorded when a demo case is merged into an earlier one.
pub const DUPLICATE_NOTE: &str = "与同一公司的另一投诉重复";

/// Company answers recorded for responded cases.
#[rustfmt::skip]
pub const COMPANY_RESPONSES: &[&str] = &[
    "经核实，已为用户办理降级，新资费自次月起生效，并已电话告知用户。",
    "已为用户关闭自动续费，并退还最近一期费用。",
    "用户反映情况属实，已退还差价并致歉，后续将优化降级入口。",
    "经核查，套餐变更已按协议约定办理，已向用户解释相关规则。",
    "已与用户取得联系，用户同意保留现套餐并获赠一个月会员。",
    "该会员属于虚拟商品，开通后不支持退款，已向用户说明。",
    "已安排专人回访，为用户办理退订，并对相关客服人员进行培训。",
];

/// Consumer-facing channel names for narratives.
pub fn channel_name(code: &str) -> &'static str {
    match code {
        "app" => "App",
        "website" => "官网",
        "hotline" => "客服热线",
        "online_chat" => "在线客服",
        "store" => "营业厅",
        "email" => "客服邮箱",
        _ => "其他渠道",
    }
}

/// Surnames for contact names such as 张先生 / 李女士.
#[rustfmt::skip]
pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];

/// `59` or `8.50`.
pub fn yuan(fen: i64) -> String {
    if fen % 100 == 0 {
        (fen / 100).to_string()
    } else {
        format!("{}.{:02}", fen / 100, fen % 100)
    }
}

/// `每月59元`, `每年248元`, `免费`.
pub fn period_price(fen: i64, billing: &str) -> String {
    let per = match billing {
        _ if fen == 0 => return "免费".into(),
        "yearly" => "每年",
        "quarterly" => "每季度",
        _ => "每月",
    };
    format!("{per}{}元", yuan(fen))
}

/// Values for the `{…}` placeholders of the narrative templates.
pub struct Vars {
    pub svc: String,
    pub from: &'static str,
    pub to: &'static str,
    pub price: String,
    pub price_to: String,
    pub pf: String,
    pub date: String,
    pub n: String,
    pub ch: &'static str,
    pub days: String,
}

#[cfg(test)]
impl Vars {
    /// One fixed set of values, for tests that generate narratives.
    pub fn sample() -> Vars {
        Vars {
            svc: "青橙视频会员".into(),
            from: "连续包年超级会员",
            to: "基础会员",
            price: "每年248元".into(),
            price_to: "每年158元".into(),
            pf: "248".into(),
            date: "3月5日".into(),
            n: "12".into(),
            ch: "在线客服",
            days: "30".into(),
        }
    }
}

impl Vars {
    /// Appends `template` with its placeholders filled in.
    pub fn expand(&self, template: &str, out: &mut String) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            out.push_str(match &rest[open + 1..open + close] {
                "svc" => &self.svc,
                "from" => self.from,
                "to" => self.to,
                "price" => &self.price,
                "price_to" => &self.price_to,
                "pf" => &self.pf,
                "date" => &self.date,
                "n" => &self.n,
                "ch" => self.ch,
                "days" => &self.days,
                other => other,
            });
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
    }
}

/// A narrative of 150–600 characters: an opening for the action, one fragment per obstacle
/// (sometimes a second), detail sentences up to a random target length, and a closing for the
/// outcome. Returns the text and, per code, the cue its first fragment contains.
pub fn narrative(
    rng: &mut SmallRng,
    sector: Sector,
    action: &str,
    codes: &[&'static str],
    outcome: &str,
    vars: &Vars,
) -> (String, Vec<&'static str>) {
    let pick = |rng: &mut SmallRng, n: usize| rng.random_range(0..n);
    let fits = |code: &str| -> Vec<&'static Fragment> {
        let telecom = sector == Telecom;
        fragments(code)
            .iter()
            .filter(|f| f.2 == 0 || (f.2 == 1) == telecom)
            .collect()
    };
    let mut out = String::with_capacity(1500);
    let opening = openings(action);
    vars.expand(opening[pick(rng, opening.len())], &mut out);
    let mut cues = Vec::with_capacity(codes.len());
    let mut used = Vec::with_capacity(codes.len());
    for code in codes {
        let choices = fits(code);
        let f = choices[pick(rng, choices.len())];
        vars.expand(f.0, &mut out);
        cues.push(f.1);
        used.push(f.0);
    }
    let target = rng.random_range(150..=450);
    let mut len = out.chars().count();
    let mut fillers = 0;
    let start = pick(rng, FILLERS.len());
    // Extra detail (a second fragment about one of the obstacles, or a generic sentence) until
    // the target length or 4 extras, but never stop under 150 characters.
    for extra in 0..FILLERS.len() + codes.len() {
        if len >= 150 && (len >= target || extra >= 4) {
            break;
        }
        let second = fits(codes[pick(rng, codes.len())]);
        let f = second[pick(rng, second.len())];
        let before = out.len();
        if rng.random_bool(0.4) && !used.contains(&f.0) {
            used.push(f.0);
            vars.expand(f.0, &mut out);
        } else if fillers < FILLERS.len() {
            vars.expand(FILLERS[(start + fillers * 7) % FILLERS.len()], &mut out);
            fillers += 1;
        }
        len += out[before..].chars().count();
    }
    let closing = closings(outcome);
    vars.expand(closing[pick(rng, closing.len())], &mut out);
    (out, cues)
}

/// The four reference cases of cases.md, verbatim.
pub struct ReferenceCase {
    /// Fixed, valid tracking code (`demo::REFERENCE_CODES`).
    pub tracking_code: &'static str,
    pub sector: Sector,
    pub company: &'static str,
    pub plan_from: Option<&'static str>,
    pub price_from_fen: Option<i64>,
    pub plan_to: Option<&'static str>,
    pub price_to_fen: Option<i64>,
    pub billing_cycle: Option<&'static str>,
    pub requested_action: &'static str,
    pub channels: &'static [&'static str],
    pub contact_attempts: i32,
    pub outcome: &'static str,
    pub amount_claimed_fen: Option<i64>,
    pub province: &'static str,
    pub narrative: &'static str,
}

pub const REFERENCE_CASES: [ReferenceCase; 4] = [
    ReferenceCase {
        tracking_code: "DW-REFA-CASE",
        sector: Telecom,
        company: "某通信运营商北京分公司",
        plan_from: Some("59元/月套餐"),
        price_from_fen: Some(5900),
        plan_to: Some("8元/月保号套餐"),
        price_to_fen: Some(800),
        billing_cycle: Some("monthly"),
        requested_action: "downgrade",
        channels: &["app", "hotline"],
        contact_attempts: 6,
        outcome: "not_resolved",
        amount_claimed_fen: None,
        province: "110000",
        narrative: "我想把每月59元的套餐改成8元的保号套餐。在运营商App里只找到“套餐升级”的按钮，没有任何降级入口。打客服电话排了很久的队，接通后客服说要上报处理，48小时内回电，但一直没人回。之后几次通话，客服都在劝我保留原套餐或者换一个“性价比更高”的套餐。升级随时能办，降级却要来回打电话折腾大半天。",
    },
    ReferenceCase {
        tracking_code: "DW-REFB-CASE",
        sector: VideoMembership,
        company: "某视频平台",
        plan_from: Some("连续包年高级会员"),
        price_from_fen: None,
        plan_to: Some("基础会员"),
        price_to_fen: None,
        billing_cycle: Some("yearly"),
        requested_action: "downgrade",
        channels: &["app", "online_chat"],
        contact_attempts: 5,
        outcome: "gave_up",
        amount_claimed_fen: None,
        province: "440000",
        narrative: "升级按钮在首页非常醒目，降级选项却藏在“账户安全”里，翻了好几层才找到。点进去提示“当前周期内不支持降级操作，请于到期前3日内再试”。到期前三天再试，又弹窗说降级后将无法继续使用多项会员权益，建议保留当前套餐。在线客服一直是机器人推送固定话术，不转人工；我故意问更贵的超级VIP，一分钟内就有人工客服出现，可我一说要降级，对方又说基础版体验会大打折扣、超级VIP限时优惠很划算。",
    },
    ReferenceCase {
        tracking_code: "DW-REFC-CASE",
        sector: OfficeSoftware,
        company: "某办公软件公司",
        plan_from: Some("年度会员"),
        price_from_fen: None,
        plan_to: None,
        price_to_fen: None,
        billing_cycle: Some("yearly"),
        requested_action: "refund",
        channels: &["app", "online_chat"],
        contact_attempts: 4,
        outcome: "not_resolved",
        amount_claimed_fen: Some(19800),
        province: "310000",
        narrative: "会员一键就能开通，付款后立刻生效，可App里没有任何自助退款或降级的入口，只能找客服。智能客服听不懂，我得反复输入“退款”“降级”才出现人工选项。人工客服说“您已享受的权益价值超过会员费”，不予退款，还让我再考虑一下。",
    },
    ReferenceCase {
        tracking_code: "DW-REFD-CASE",
        sector: CloudStorage,
        company: "某云存储服务商",
        plan_from: Some("2TB"),
        price_from_fen: Some(3000),
        plan_to: Some("200GB"),
        price_to_fen: Some(600),
        billing_cycle: Some("monthly"),
        requested_action: "downgrade",
        channels: &["app", "website", "email"],
        contact_attempts: 3,
        outcome: "not_resolved",
        amount_claimed_fen: None,
        province: "330000",
        narrative: "在网页上申请把2TB空间降到200GB，页面显示申请成功，次月生效；但升级的时候是立即生效、立即扣费。到了次月仍然按30元扣费，自动续费也没有任何提醒。发邮件给客服，回复说合约期内不能降级，要先取消全部增值服务才能办理。",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::normalize_name;
    use rand::SeedableRng;
    use std::collections::HashSet;

    #[test]
    fn every_fragment_contains_its_cue_and_every_sector_has_one() {
        for (code, _) in OBSTACLE_WEIGHTS {
            let frags = fragments(code);
            assert!(frags.len() >= 4, "{code}");
            for (text, cue, _) in frags {
                assert!(text.contains(cue), "{code}: {text} lacks {cue}");
            }
            assert!(
                frags.iter().any(|f| f.2 != 2) && frags.iter().any(|f| f.2 != 1),
                "{code}"
            );
        }
    }

    #[test]
    fn company_names_and_aliases_are_unique_when_normalised() {
        let mut seen = HashSet::new();
        for c in COMPANIES {
            assert!(seen.insert(normalize_name(c.name)), "{}", c.name);
            for a in c.aliases {
                assert!(seen.insert(normalize_name(a)), "{a}");
            }
            assert!(c.aliases.len() <= 3 && c.division.len() == 6);
        }
        for s in Sector::ALL {
            assert!(
                COMPANIES.iter().filter(|c| c.sector == *s).count() >= 6,
                "{s}"
            );
        }
        for r in &REFERENCE_CASES {
            assert!(COMPANIES.iter().any(|c| c.name == r.company));
        }
    }

    #[test]
    fn narratives_stay_between_150_and_600_characters() {
        let mut rng = SmallRng::seed_from_u64(7);
        let vars = Vars::sample();
        let all: Vec<&str> = OBSTACLE_WEIGHTS.iter().map(|o| o.0).collect();
        for i in 0..2000 {
            let k = 1 + i % 4;
            let codes = &all[(i * 5) % 12..(i * 5) % 12 + k];
            for sector in [Telecom, VideoMembership] {
                let (text, cues) =
                    narrative(&mut rng, sector, "downgrade", codes, "gave_up", &vars);
                let n = text.chars().count();
                assert!((150..=600).contains(&n), "{n}: {text}");
                assert!(!text.contains('{'), "{text}");
                assert!(cues.iter().all(|c| text.contains(c)));
            }
        }
    }
}
