//! Personal names: after a trigger phrase (Chinese and English), and names the caller knows.
use super::*;

static ZH_NAME_TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"我叫|姓名|本人|联系人|名字|我是|机主|投诉人|投诉者|反映人|收件人|收货人|户主|户名|持卡人|申请人|签约人|经办人|代理人|委托人|当事人|办理人|乘车人|入住人|实名人|实名|真名|真实姓名|落款|署名|签名|此致|家长|监护人|法定代理人|客服专员|工作人员|营业员|业务员|销售员|店员|店长|经理|主管|组长|专员|客服|顾问|老师|教练|老板|负责人|司机|业主|儿媳|女婿|员工|代理商|代理|销售|市民|研究生|发件人|發件人|联络人|聯絡人|聯絡|尊敬的|这里是|教师|班主任|导师|学生|律师|老爷子|老太太|老伴|人员|投訴人|聯繫人|聯系人|车主|原车主|营业厅|他姐|她姐|他哥|她哥|他妈|她妈|他爸|她爸|他弟|他妹|她弟|她妹|爸爸|妈妈|老公|老婆|父亲|母亲|儿子|女儿|闺女|媳妇|孙子|孙女|爷爷|奶奶|丈夫|妻子|爱人|哥哥|姐姐|弟弟|妹妹|我姐|我哥|我弟|我妹|外婆|外公|婆婆|公公|爸|妈|叫",
    )
});
/// The triggers of the first version; the others (我是, roles, kinship words) also need the
/// name to end cleanly (see [`ends_cleanly`]).
const CLASSIC_TRIGGERS: &[&str] = &["我叫", "姓名", "本人", "联系人", "名字"];
static EN_NAME_TRIGGER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(my\s+name\s+is)|(name\s*[:：])"));
/// "I'm", "contact:": looked for only in text with some English (see `Shape::wordy`), since
/// the case-insensitive `i` would make the search slow on Chinese prose with a few letters.
static EN_SELF_TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?-u:\b)(?:I'm|I am|I’m|(?i:contact\s*[:：]|contact person\s*[:：]?))\s")
});
/// Openers after which a romanised name may follow (checked by [`is_pinyin_word`]).
static EN_PINYIN_TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:(?-u:\b)(?:This is|this is|Thanks,|Thank you,|Regards,|Best regards,|Sincerely,|Signed:?|Yours,|Cheers,)|—{1,2}|--?)\s*",
    )
});

/// Pinyin finals, and the initials that may precede them.
const PINYIN_INITIALS: &[&str] = &[
    "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r",
    "z", "c", "s", "y", "w", "",
];
const PINYIN_FINALS: &[&str] = &[
    "iang", "iong", "uang", "ueng", "ang", "eng", "ing", "ong", "uai", "uan", "iao", "ian", "van",
    "uen", "ai", "ei", "ao", "ou", "an", "en", "in", "un", "vn", "er", "ia", "ie", "iu", "ua",
    "uo", "ue", "ui", "ve", "a", "o", "e", "i", "u", "v",
];

/// Whether a capitalised word splits into pinyin syllables (Zhao, Xiaodong, Shangguan), which
/// English words and brand names rarely do.
pub(super) fn is_pinyin_word(word: &str) -> bool {
    fn split(w: &str) -> bool {
        if w.is_empty() {
            return true;
        }
        PINYIN_INITIALS.iter().any(|i| {
            w.strip_prefix(i).is_some_and(|rest| {
                PINYIN_FINALS.iter().any(|f| {
                    rest.strip_prefix(f).is_some_and(|r| {
                        !(i.is_empty() && f.len() == 1 && f != &"a" && f != &"e" && f != &"o")
                            && split(r)
                    })
                })
            })
        })
    }
    let lower = word.to_ascii_lowercase();
    word.len() >= 2 && word.len() <= 16 && word.is_ascii() && split(&lower)
}

/// Words of address after a name (张伟先生, 李明同学).
const HONORIFICS: &[&str] = &[
    "先生", "女士", "同学", "老师", "师傅", "阿姨", "大爷", "小姐",
];
/// Characters after a candidate name that make it a place (江苏人, 安徽省) instead.
const PLACE_AFTER: &str = "省市县区镇乡村人路街";

/// Common single-character surnames; a trigger without a colon needs one of these first.
pub(super) const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍喻祁蒲房滕屈饶解牟艾尤阳时穆农卓缪项芦麦褚娄窦戚岑景党宫卜晏席柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池苑迟邝封谈匡鞠惠荆冀郁胥班储栗燕楚鄢谌奚皮粟冼蔺楼闻厉伊仝郜阚帅屠朴练廉禹祖漆巴卿狄晋芮阙戈鹿薄邸雍辜羊裘亓邰赫杭况宿逯隆茹诸慕嵇湛宾戎茅揭尉檀昝奉衡尧洪赖文成安华关连管伏乐傅庹仉禤郗亢蹇郏钭逄乜荀幸扈郦鄺糜宓隗訾厍蒯竺殳夔郤璩暨庾達陳黃張劉楊趙吳鄭馮鄧蕭葉蘇盧蔣韓許謝羅錢孫馬區龔顧賴譚鍾駱湯嚴萬廖凤贝";
pub(super) const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯",
    "宇文", "长孙", "端木", "独孤", "南宫", "西门", "申屠", "鲜于", "澹台", "濮阳", "万俟", "闻人",
    "呼延", "赫连", "拓跋", "太史", "钟离", "仲孙", "轩辕", "公冶", "左丘", "百里", "东郭", "第五",
    "亓官", "单于", "司空", "司寇", "子车", "颛孙", "巫马", "公西", "漆雕", "乐正", "壤驷", "公良",
    "夹谷", "宰父", "谷梁", "段干", "东门", "梁丘", "微生", "羊舌", "歐陽", "諸葛",
];
/// Surnames that after 本人 are far more often the start of an ordinary word (本人于, 本人马上).
const WEAK_EXCLUDED: &str = "于向高万方余申曾任马全常明时应单成安文华关连管何解付";
/// Characters that end a name: particles, verbs and nouns that usually follow one.
pub(super) const NAME_STOP: &str =
    "的是在于从去到了说和与跟给对把被因已曾也都就还要想今昨前女电手身办打拨投反联号等及或请吗呢啊吧人省市县区";
/// Words that start with a surname character but are not names.
pub(super) const NOT_NAME_WORDS: &[&str] = &[
    "陈述", "马上", "任何", "任职", "周末", "周一", "周二", "周三", "周四", "周五", "周六", "周日",
    "周年", "金额", "许多", "严格", "严重", "程序", "凌晨", "季度", "顾客", "白天", "毕竟", "尚未",
    "符合", "项目", "钱款", "黄金", "方便", "方面", "方式", "方案", "高兴", "高度", "高级", "余额",
    "曾经", "常住", "常用", "时间", "时候", "全部", "全程", "全额", "明白", "明确", "明天", "应该",
    "关于", "关系", "关闭", "关联", "成功", "单位", "单独", "连续", "管理", "何时", "解释", "解决",
    "付款", "付费", "申请", "申诉", "于是", "向来", "万一", "安排", "安全", "文件", "华为", "宁可",
    "宁愿", "谢谢", "康复", "王者", "高中", "高血", "常年", "江苏", "江西", "安徽", "武汉", "成都",
    "温州", "常州", "宁波", "宁夏", "金华", "许昌", "周口", "柳州", "桂林", "兰州", "郑州", "苏州",
    "杭州", "沈阳", "石家", "黄山", "龙岩", "贺州", "梅州", "韶关", "邢台", "邯郸", "汤圆", "高兴",
    "郁闷", "万分", "毛病", "严肃", "何必", "何况", "尤其", "常常", "连忙", "管用", "解约", "解绑",
    "解除", "付了", "全国", "金融", "钱包", "师傅", "师父", "和我", "和家", "乐视", "乐意", "达到",
    "达成", "幸好", "幸亏", "高端", "金牌", "白金", "全球", "万能", "安心", "明明", "明显", "金卡",
    "荣耀", "伊利", "龙卡", "黄钻", "蓝钻", "绿钻", "宁静", "江湖", "和平", "段位", "包月", "包年",
    "包季", "蓝光", "季卡", "沙发", "包括", "关键", "全家", "全都", "任性", "单纯", "简直", "安静",
    "成本", "成为", "成了", "时长", "许久", "万元", "包含", "包邮", "程度", "毛钱", "周期", "齐全",
    "钱财", "宋体", "龙头", "韩剧", "温度", "温暖", "江南", "施工",
];
/// Words that may precede `name:` in a form-like line ("Full name:"); others ("Plan name:") don't.
const NAME_LABEL_WORDS: &[&str] = &[
    "my", "full", "contact", "customer", "real", "legal", "holder", "first", "last", "given",
    "family", "your", "his", "her", "their",
];
/// Capitalised words that end an English name ("Name: John Smith Phone: ...").
const EN_STOP: &[&str] = &[
    "phone", "tel", "email", "e-mail", "mobile", "address", "order", "account", "id", "and", "the",
    "from", "my", "is", "was", "date", "plan", "but", "at", "on", "in", "china", "a", "an", "not",
    "very", "so", "calling", "writing",
];

pub(super) fn is_han(c: char) -> bool {
    matches!(
        c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2EBEF}'
    )
}

pub(super) fn triggered_names(
    text: &str,
    letters: bool,
    english: bool,
    found: &mut Vec<(PiiKind, Range<usize>)>,
) {
    for m in ZH_NAME_TRIGGER.find_iter(text) {
        let (start, colon, worded) = skip_separator(text, m.end());
        if text[start..].starts_with(|c: char| c.is_ascii_uppercase()) {
            found.extend(english_name_at(text, start).map(|r| (PiiKind::Name, r)));
            continue;
        }
        if let Some(r) = spaced_name_at(text, start) {
            found.push((PiiKind::Name, r));
            continue;
        }
        // 被投诉人 is the company complained about, not a person.
        if m.as_str().ends_with('人') && text[..m.start()].ends_with('被') {
            continue;
        }
        if !CLASSIC_TRIGGERS.contains(&m.as_str()) {
            let name = chinese_name_at(text, start, !colon, false).and_then(|r| {
                if ends_cleanly(text, r.end) {
                    return Some(r);
                }
                // 我老父亲钱鑫七十多了, 我儿子肖梓豪拿我手机: a surname-led name followed by an
                // age, a verb or 名下; the longest such reading wins.
                if let Some(r) = followed_name(text, r.clone()) {
                    return Some(r);
                }
                // 我是张伟先生: a two-character name before an honorific.
                let two = r.start
                    + text[r.start..]
                        .chars()
                        .take(2)
                        .map(char::len_utf8)
                        .sum::<usize>();
                HONORIFICS
                    .iter()
                    .any(|h| text[two..].starts_with(h))
                    .then_some(r.start..two)
            });
            found.extend(name.map(|r| (PiiKind::Name, r)));
            continue;
        }
        let weak = m.as_str() == "本人";
        // 名字 alone is a common noun (套餐名字); without 是/叫 or a colon the name must be
        // surname-led and end cleanly (名字裴诗琪。).
        if m.as_str() == "名字" && !colon && !worded {
            found.extend(
                chinese_name_at(text, start, true, false)
                    .filter(|r| ends_cleanly(text, r.end))
                    .map(|r| (PiiKind::Name, r)),
            );
            continue;
        }
        let strong_colon = colon && !weak;
        found.extend(chinese_name_at(text, start, !strong_colon, weak).map(|r| (PiiKind::Name, r)));
    }
    if english {
        for m in EN_SELF_TRIGGER.find_iter(text) {
            let start = m.end() + text[m.end()..].len()
                - text[m.end()..].trim_start_matches([' ', '\t']).len();
            let name = if text[start..].starts_with(is_han) {
                chinese_name_at(text, start, true, false).filter(|r| ends_cleanly(text, r.end))
            } else {
                english_name_at(text, start)
            };
            found.extend(name.map(|r| (PiiKind::Name, r)));
        }
        // "This is Zhao Yang", "Thanks, Xu Junjie": weaker cues, so the words must read as a
        // romanised Chinese name (two or three words, each made of pinyin syllables).
        for m in EN_PINYIN_TRIGGER.find_iter(text) {
            let start = m.end() + text[m.end()..].len()
                - text[m.end()..].trim_start_matches([' ', '\t']).len();
            let name = english_name_at(text, start).filter(|r| {
                let words: Vec<&str> = text[r.clone()].split_whitespace().collect();
                (2..=3).contains(&words.len()) && words.iter().all(|w| is_pinyin_word(w))
            });
            found.extend(name.map(|r| (PiiKind::Name, r)));
        }
    }
    if !letters {
        return;
    }
    for caps in EN_NAME_TRIGGER.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        if text[..m.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphabetic())
        {
            continue;
        }
        if caps.get(2).is_some() {
            let before = text[..m.start()].trim_end_matches([' ', '\t']);
            let word_start = before
                .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .len();
            let word = before[word_start..].to_ascii_lowercase();
            if !word.is_empty() && !NAME_LABEL_WORDS.contains(&word.as_str()) {
                continue;
            }
        }
        let start =
            m.end() + text[m.end()..].len() - text[m.end()..].trim_start_matches([' ', '\t']).len();
        let name = if text[start..].starts_with(is_han) {
            chinese_name_at(text, start, false, false)
        } else {
            english_name_at(text, start)
        };
        found.extend(name.map(|r| (PiiKind::Name, r)));
    }
}

/// Characters that often follow a relative's name in a story (我儿子张三拿我手机, 我老父亲
/// 李四七十多了, 我老公王五名下的卡): verbs, numerals of an age, 名下.
const FOLLOW_AFTER_KIN: &str =
    "拿用开名帮替充买办借玩今年岁一二三四五六七八九十几已让非没不称表讲回推加答承告微升先女客绑来本骗忽诱搞给老";

/// The longest prefix (at least surname + one character) of the name candidate `r` that is
/// followed by a particle or one of [`FOLLOW_AFTER_KIN`].
fn followed_name(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let chars: Vec<(usize, char)> = text[r.clone()].char_indices().collect();
    let compound = COMPOUND_SURNAMES
        .iter()
        .any(|c| text[r.start..].starts_with(c));
    let min = if compound { 3 } else { 2 };
    (min..=chars.len()).rev().find_map(|n| {
        let end = chars.get(n).map_or(r.end, |(i, _)| r.start + i);
        let next = text[end..].chars().next()?;
        (ends_cleanly(text, end) || FOLLOW_AFTER_KIN.contains(next)).then_some(r.start..end)
    })
}

/// A name ends at a non-Han character or a particle, and is not a place (江苏人).
pub(super) fn ends_cleanly(text: &str, end: usize) -> bool {
    text[end..]
        .chars()
        .next()
        .is_none_or(|c| !is_han(c) || (NAME_STOP.contains(c) && !PLACE_AFTER.contains(c)))
}

/// A surname, one space, one or two given-name characters (姓名 李 娜).
fn spaced_name_at(text: &str, start: usize) -> Option<Range<usize>> {
    let mut chars = text[start..].char_indices();
    let (_, first) = chars.next()?;
    let (_, space) = chars.next()?;
    if !SURNAMES.contains(first) || !matches!(space, ' ' | '\u{3000}') {
        return None;
    }
    let given: Vec<(usize, char)> = chars.take_while(|(_, c)| is_han(*c)).take(3).collect();
    if !(1..=2).contains(&given.len()) {
        return None;
    }
    let (at, last) = given[given.len() - 1];
    Some(start..start + at + last.len_utf8())
}

/// Skips spaces and one separator after a trigger: returns (name start, colon seen, 是/为/叫 seen).
fn skip_separator(text: &str, mut pos: usize) -> (usize, bool, bool) {
    let skip_spaces =
        |p: usize| p + text[p..].len() - text[p..].trim_start_matches([' ', '\t', '　']).len();
    pos = skip_spaces(pos);
    // 【投诉人】陈若曦, 联系人（彭若曦）, 实名人[王伟]: brackets around the trigger or the name.
    while let Some(
        c @ ('】' | ']' | '）' | ')' | '（' | '(' | '[' | '【' | '「' | '」' | '〔' | '〕' | '“'
        | '"' | '|'),
    ) = text[pos..].chars().next()
    {
        pos = skip_spaces(pos + c.len_utf8());
    }
    match text[pos..].chars().next() {
        Some(c @ (':' | '：')) => (skip_spaces(pos + c.len_utf8()), true, false),
        Some(c @ ('是' | '为' | '叫')) => (skip_spaces(pos + c.len_utf8()), false, true),
        _ => (pos, false, false),
    }
}

/// A 2–4 character Chinese name starting at `start`. With `need_surname` it must open with a
/// known surname and is at most surname + 2 characters; `weak` (after 本人) also requires the
/// name to end where the Han run ends.
pub(super) fn chinese_name_at(
    text: &str,
    start: usize,
    need_surname: bool,
    weak: bool,
) -> Option<Range<usize>> {
    let run: Vec<(usize, char)> = text[start..]
        .char_indices()
        .take(6)
        .take_while(|(_, c)| is_han(*c))
        .collect();
    // 曾 and 于 are particles and surnames: a surname-led name may start with one.
    if run.len() < 2
        || (NAME_STOP.contains(run[0].1) && !(need_surname && SURNAMES.contains(run[0].1)))
    {
        return None;
    }
    let opening: String = run[..2].iter().map(|(_, c)| c).collect();
    if NOT_NAME_WORDS.contains(&opening.as_str()) {
        return None;
    }
    let (surname, max) = if COMPOUND_SURNAMES.contains(&opening.as_str()) {
        (2, 4)
    } else if !need_surname {
        (1, 4)
    } else if SURNAMES.contains(run[0].1)
        && !(weak
            && WEAK_EXCLUDED.contains(run[0].1)
            && !(run.len() == 3
                && text[start + run[2].0 + run[2].1.len_utf8()..]
                    .starts_with(['，', '。', ',', '（', '('])))
    {
        (1, 3)
    } else {
        return None;
    };
    let mut len = surname;
    while len < run.len() && len < max && !NAME_STOP.contains(run[len].1) {
        len += 1;
    }
    if len <= surname || (weak && len < run.len()) {
        return None;
    }
    let (last_at, last) = run[len - 1];
    Some(start..start + last_at + last.len_utf8())
}

/// One to three capitalised words (John, O'Brien, Li Wei), stopping at form labels like "Phone".
pub(super) fn english_name_at(text: &str, start: usize) -> Option<Range<usize>> {
    let mut end = None;
    let mut pos = start;
    for _ in 0..3 {
        let rest = &text[pos..];
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphabetic() || *b == b'-' || *b == b'\'')
            .count();
        let word = rest[..len].trim_end_matches(['-', '\'']);
        if word.len() < 2
            || !word.starts_with(|c: char| c.is_ascii_uppercase())
            || EN_STOP.contains(&word.to_ascii_lowercase().as_str())
        {
            break;
        }
        end = Some(pos + word.len());
        let spaces = rest[len..].bytes().take_while(|b| *b == b' ').count();
        if spaces == 0 || spaces > 2 || word.len() != len {
            break;
        }
        pos += len + spaces;
    }
    end.map(|e| start..e)
}

/// Every occurrence of a known name (ASCII case-insensitively, and as a whole word when ASCII);
/// parts of a multi-word ASCII name of 3+ letters count too ("John Smith" also removes "Smith").
pub(super) fn known_name_spans(
    text: &str,
    names: &[&str],
    found: &mut Vec<(PiiKind, Range<usize>)>,
) {
    // Lower-casing only changes ASCII letters, so a needle without any matches the text as is.
    let mut lower: Option<String> = None;
    for name in names
        .iter()
        .map(|n| n.trim())
        .filter(|n| n.chars().count() >= 2)
    {
        let parts = name.is_ascii().then(|| {
            name.split_whitespace()
                .filter(|p| p.len() >= 3 && *p != name)
        });
        for needle in std::iter::once(name).chain(parts.into_iter().flatten()) {
            let needle = needle.to_ascii_lowercase();
            let haystack = if needle.bytes().any(|b| b.is_ascii_alphabetic()) {
                lower
                    .get_or_insert_with(|| text.to_ascii_lowercase())
                    .as_str()
            } else {
                text
            };
            for (at, _) in haystack.match_indices(needle.as_str()) {
                let r = at..at + needle.len();
                if !needle.is_ascii() || isolated(text, &r) {
                    found.push((PiiKind::Name, r));
                }
            }
        }
    }
}
