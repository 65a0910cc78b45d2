//! Folding a narrative for matching: traditional → simplified characters, full-width → ASCII,
//! a few Cantonese words, with a map back to the original text.

/// The narrative as the cues see it, with a map back to the original text.
pub(super) struct Folded<'a> {
    original: &'a str,
    /// `None` when folding changed nothing (the common case): spans map to themselves.
    folded: Option<(String, Vec<(usize, usize)>)>,
}

impl<'a> Folded<'a> {
    pub(super) fn new(original: &'a str) -> Folded<'a> {
        if !original.chars().any(|c| fold_char(c).is_some()) {
            return Folded {
                original,
                folded: None,
            };
        }
        let mut text = String::with_capacity(original.len());
        // For every byte of `text`: the byte span of the original character it came from.
        let mut spans = Vec::with_capacity(original.len());
        for (i, c) in original.char_indices() {
            let span = (i, i + c.len_utf8());
            let before = text.len();
            match fold_char(c) {
                Some(Folding::Char(f)) => text.push(f),
                Some(Folding::Str(f)) => text.push_str(f),
                None => text.push(c),
            }
            spans.resize(spans.len() + (text.len() - before), span);
        }
        Folded {
            original,
            folded: Some((text, spans)),
        }
    }

    pub(super) fn text(&self) -> &str {
        match &self.folded {
            Some((text, _)) => text,
            None => self.original,
        }
    }

    /// The original span behind a (non-empty) span of the folded text.
    pub(super) fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        match &self.folded {
            Some((_, spans)) => (spans[start].0, spans[end - 1].1),
            None => (start, end),
        }
    }
}

enum Folding {
    Char(char),
    Str(&'static str),
}

/// Traditional characters that occur in complaints, each followed by its simplified form. Only
/// characters that simplified text does not use themselves are listed (no 著, 乾, 覆, 係).
const TRADITIONAL: &str = concat!(
    "這这個个們们來来時时說说話话電电續续費费會会員员級级機机號号碼码帳账賬账戶户證证驗验識识別别處处",
    "復复週周當当沒没為为與与幫帮請请問问題题間间還还讓让給给對对應应錢钱權权確确選选項项設设層层隱隐",
    "顯显網网線线聯联繫系約约違违務务體体動动開开關关閉闭後后點点擊击鍵键買买賣卖貴贵價价優优內内專专",
    "頁页過过達达實实際际誤误導导騙骗規规範范經经補补繳缴額额張张據据單单記记錄录發发現现遲迟語语聽听",
    "讀读環环轉转斷断佔占隊队數数幾几萬万兩两麼么嗎吗裡里裏里邊边擇择離离勸劝損损嚇吓脅胁捨舍棄弃認认",
    "雙双標标準准區区熱热無无從从頭头講讲換换幣币貨货廳厅櫃柜檯台臺台親亲護护臉脸審审計计結结滿满試试",
    "錯错報报絡络訊讯靜静門门進进諉诿訂订閱阅辦办種种樣样兒儿遠远殘残簽签條条協协議议劃划積积資资郵邮",
    "寫写謝谢氣气煩烦擾扰騷骚頻频於于啟启夠够適适銷销終终註注擔担將将裝装稱称攤摊贈赠獎奖勵励儲储檔档",
    "寶宝鎖锁紙纸詳详細细陣阵緩缓遞递鐘钟階阶態态盡尽歷历紀纪備备戲戏遊游樂乐歡欢聞闻書书課课學学習习",
    "練练師师視视營营寬宽帶带簡简傳传統统產产隨随罰罚餘余減减維维類类創创擁拥緊紧響响聲声鈴铃掛挂撥拨",
    "詢询諮咨評评論论願愿舊旧歲岁媽妈雲云盤盘廣广彈弹鈕钮則则圖图覺觉滯滞鄰邻樓楼東东蘋苹觀观險险傷伤",
    "惡恶憤愤詐诈盜盗禮礼屬属鐵铁頓顿馬马黃黄龍龙麗丽億亿團团隻只雜杂極极純纯績绩總总縮缩紅红綠绿藍蓝",
    "觸触誰谁談谈謊谎負负貼贴購购趕赶車车軟软載载輸输農农連连運运邏逻醫医鈔钞銀银鏈链長长閃闪閒闲陽阳",
    "難难靈灵顧顾風风飯饭髒脏鬧闹齊齐",
);

/// Cantonese written forms and the Mandarin words the cues use.
const CANTONESE: [(char, &str); 14] = [
    ('唔', "不"),
    ('冇', "没有"),
    ('咗', "了"),
    ('嘅', "的"),
    ('佢', "他"),
    ('喺', "在"),
    ('畀', "给"),
    ('俾', "给"),
    ('睇', "看"),
    ('搵', "找"),
    ('嚟', "来"),
    ('啲', "些"),
    ('咁', "这么"),
    ('乜', "什么"),
];

fn fold_char(c: char) -> Option<Folding> {
    match c {
        // Full-width digits and Latin letters, and ％ ＄ ＞ ＋.
        '\u{FF10}'..='\u{FF19}'
        | '\u{FF21}'..='\u{FF3A}'
        | '\u{FF41}'..='\u{FF5A}'
        | '％'
        | '＄'
        | '＞'
        | '＋' => char::from_u32(c as u32 - 0xFEE0).map(Folding::Char),
        c if (c as u32) < 0x4E00 => None,
        c => {
            if let Some((_, m)) = CANTONESE.iter().find(|(k, _)| *k == c) {
                return Some(Folding::Str(m));
            }
            simplified(c).map(Folding::Char)
        }
    }
}

fn simplified(c: char) -> Option<char> {
    use std::sync::OnceLock;
    static MAP: OnceLock<std::collections::HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        let chars: Vec<char> = TRADITIONAL.chars().collect();
        chars.chunks_exact(2).map(|p| (p[0], p[1])).collect()
    })
    .get(&c)
    .copied()
}
