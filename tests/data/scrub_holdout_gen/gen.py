# Generates scrub_holdout.json (in the current folder): a blind hold-out corpus for the scrubber, written
# by a separate author without reading the scrubber. Its 240 cases were measured unseen (recall 0.925,
# facts 0.999 on 2026-12-07), then merged into ../scrub_corpus.json as `hold1-*`.
import json
import re
import sys

import pii as P
import facts as F
from pii import R
from stories import STORIES, GENERIC, DEMANDS, STORIES_EN, GENERIC_EN, DEMANDS_EN

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 20260315
R.seed(SEED)

KINDS = ["name", "mobile", "landline", "id_card", "bank_card", "email", "qq", "wechat", "txn", "order", "account",
         "imei", "plate", "passport", "hkmo_pass", "address", "courier"]
COUNTS = {k: 0 for k in KINDS}


def M(kind, value):
    return f"⟪{kind}|{value}⟫"


def Fa(value):
    return f"⟨{value}⟩"


class Ctx:
    def __init__(self, sector, english=False):
        self.sector = sector
        self.english = english
        co = R.choice(list(F.SECTORS[sector]))
        hots, tiers = F.SECTORS[sector][co]
        self.v = {"co": co}
        self.hots = hots
        i = R.randrange(len(tiers) - 1)
        j = R.randrange(i + 1, len(tiers))
        self.plan, self.plan2 = tiers[i], tiers[j]
        self.p1a = R.choice(self.plan[1])
        lower = [x for x in self.plan2[1] if 0 < x < self.p1a]
        if not lower:
            lower = [x for x in (6, 9, 12, 15, 19) if x < self.p1a] or [1]
        self.p2a = R.choice(lower)

    def get(self, key):
        if key in self.v:
            return self.v[key]
        gen = {
            "plan": lambda: self.plan[0],
            "plan2": lambda: self.plan2[0],
            "p1": lambda: self.en_price(self.p1a) if self.english else F.price(self.p1a),
            "p2": lambda: self.en_price(self.p2a) if self.english else F.price(self.p2a),
            "pm": lambda: F.price(self.p1a if self.p1a < 100 else self.p2a, monthly=True),
            "months": lambda: R.choice(["三个月", "5个月", "半年", "两个月", "12个月", "一整年"]),
            "times": lambda: R.choice(["5遍", "七八遍", "十几遍", "3遍", "好几十遍", "6遍", "二十多遍", "4次", "9次"]),
            "date": F.date,
            "date2": F.date,
            "time": F.time,
            "dur": F.dur,
            "cnt": F.cnt,
            "ppl": F.ppl,
            "hot": lambda: R.choice(self.hots),
            "rhot": lambda: R.choice(F.REG_HOT + ["12315", "12315热线", "工信部12300", "消协"]),
            "pct": F.pct,
            "ver": F.ver,
            "tail": F.tail,
            "size": F.size,
            "reg": lambda: R.choice(F.REGION_FACTS),
            "queue": lambda: f"{R.randint(12, 180)}人",
            "edate": lambda: R.choice(["March 5", "Jan 12th", "2026-02-03", "Oct 1", "Dec 24, 2025", "May 20", "3/15",
                                       "2025.11.11", "last Friday", "Feb 28"]),
            "edate2": lambda: R.choice(["March 20", "Jan 30th", "2026-02-17", "Oct 9", "yesterday"]),
            "ecnt": lambda: R.choice(["5 times", "like 10 times", "3 times", "8 times", "twice", "more than 6 times"]),
            "edur": lambda: R.choice(["7 days", "48 hours", "3 days", "24 hours", "two weeks", "30 days"]),
        }[key]
        val = gen()
        # avoid the same surface used for two different keys (plan vs plan2)
        if key == "date2" and val == self.v.get("date"):
            return self.get(key)
        self.v[key] = val
        return val

    @staticmethod
    def en_price(a):
        return R.choice([f"¥{a}", f"RMB {a}", f"{a} yuan", f"{a}元", f"CNY {a}", f"￥{a}.00"])

    def fill(self, tpl):
        return re.sub(r"\{(\w+)\}", lambda m: Fa(self.get(m.group(1))), tpl)


# ---------------------------------------------------------------- PII pieces (Chinese)
def nm(length=None, gender=None):
    r = R.random()
    if length is None:
        length = 2 if r < 0.3 else (3 if r < 0.88 else 4)
    comp = True if length == 4 else (R.random() < 0.1 if length == 3 else False)
    if length == 4 and R.random() < 0.25:
        comp = False  # e.g. 单姓 + 三字 rare; fall back to compound anyway
        comp = True
    return P.name(length, comp, gender)


def mob():
    return M("mobile", P.mobile_form(P.mobile_digits()))


def piece(kind, ctx, **kw):
    """Return a marked-up Chinese fragment mentioning one PII value of `kind`."""
    sec = ctx.sector
    if kind == "mobile":
        return R.choice(["手机号{M}", "电话：{M}", "联系电话{M}", "我的号码{M}", "被扣费的号码是{M}", "机主号码：{M}",
                         "有事打我电话{M}", "tel:{M}", "手机 {M}", "号码{M}（实名是我本人）", "回电请打{M}", "本机号{M}",
                         "手机号码:{M}", "联系方式 {M}", "电话号码是{M}", "我的手机{M}", "Tel：{M}"]).replace("{M}", mob())
    if kind == "landline":
        t = R.choice(["家里座机{L}", "座机：{L}", "固话{L}", "单位电话{L}", "白天可以打我办公室{L}", "宽带绑的固话{L}也被停了",
                      "客服一直打我公司座机{L}推销", "家里电话{L}", "办公电话：{L}", "联系座机 {L}"])
        return t.replace("{L}", M("landline", P.landline()))
    if kind == "id_card":
        t = R.choice(["身份证号{I}", "身份证：{I}", "营业厅非让我报身份证号{I}才给办", "证件号码 {I}", "实名身份证{I}",
                      "身份证号码是{I}，都核对了还是不给降", "身份证号：{I}", "身份证 {I}", "实名认证的身份证是{I}"])
        return t.replace("{I}", M("id_card", P.id_form(P.id_number(want_x=R.random() < 0.4))))
    if kind == "bank_card":
        t = R.choice(["扣款银行卡{B}", "从我的储蓄卡{B}扣走的", "绑定的信用卡{B}", "银行卡号：{B}", "退款请退回原卡{B}",
                      "工行卡{B}", "扣的是我建行卡{B}", "招行信用卡 {B}", "卡号{B}", "扣款卡号：{B}"])
        return t.replace("{B}", M("bank_card", P.bank_card()))
    if kind == "email":
        t = R.choice(["邮箱{E}", "email: {E}", "请回复到我邮箱{E}", "Apple ID是{E}", "注册邮箱：{E}",
                      "我用邮箱{E}给客服发了邮件，石沉大海", "邮箱地址 {E}", "E-mail：{E}", "账号绑定的邮箱{E}"])
        return t.replace("{E}", M("email", P.email()))
    if kind == "qq":
        t = R.choice(["QQ号{Q}", "扣扣：{Q}", "qq:{Q}", "加Q {Q}", "我的q号 {Q}", "QQ {Q}", "绑定的QQ是{Q}", "企鹅号{Q}",
                      "QQ：{Q}", "扣扣号{Q}", "Q号{Q}"])
        return t.replace("{Q}", M("qq", P.qq()))
    if kind == "wechat":
        t = R.choice(["微信号 {W}", "vx：{W}", "V信{W}", "wx: {W}", "weixin: {W}", "加我微信{W}", "微信：{W}", "VX {W}",
                      "威信{W}", "微信号是{W}", "wx号{W}"])
        return t.replace("{W}", M("wechat", P.wechat()))
    if kind == "txn":
        t = R.choice(["支付宝交易号：{T}", "交易单号{T}", "微信支付交易单号 {T}", "商户单号：{T}", "支付宝账单里的交易号{T}",
                      "交易单号：{T}", "微信账单交易单号{T}", "扣款流水号{T}"])
        kind2 = "ali" if "支付宝" in t else ("wx" if "微信" in t else None)
        if "商户" in t:
            kind2 = "mch"
        return t.replace("{T}", M("txn", P.txn(kind2)))
    if kind == "order":
        t = R.choice(["订单号{O}", "订单编号：{O}", "订单号是{O}", "开通的订单{O}", "order:{O}", "订单号：{O}", "订单 {O}"])
        return t.replace("{O}", M("order", P.order_no()))
    if kind == "account":
        opts = [("会员账号{A}", "user"), ("UID：{A}", "uid"), ("用户ID {A}", "uid"), ("会员号{A}", "member"),
                ("账号是{A}", "login"), ("登录账号：{A}", "user"), ("用户名 {A}", "user"), ("账号ID：{A}", "uid")]
        if sec == "games":
            opts += [("游戏ID{A}", "game"), ("游戏ID：{A}", "game"), ("角色ID {A}", "game")] * 2
        if ctx.v["co"] in ("哔哩哔哩", "B站"):
            opts += [("B站UID {A}", "uid")] * 3
        t, k = R.choice(opts)
        return t.replace("{A}", M("account", P.account(k)))
    if kind == "imei":
        if sec == "telecom":
            t = R.choice(["合约机的IMEI是{X}", "手机串号{X}", "IMEI号 {X}", "合约机串号：{X}"])
        elif sec == "games":
            t = R.choice(["设备被封了，IMEI：{X}", "孩子用的那台手机IMEI {X}", "设备串号{X}"])
        else:
            t = R.choice(["登录设备IMEI {X}", "手机IMEI：{X}", "被踢下线的那台手机串号{X}", "IMEI号{X}"])
        return t.replace("{X}", M("imei", P.imei()))
    if kind == "plate":
        if sec == "telecom":
            t = R.choice(["那天专门开车去营业厅（车牌{P}），停车费都花了{fee}", "车载流量卡绑的是我的车{P}",
                          "开车去营业厅车牌{P}被贴了罚单"])
        elif sec in ("video", "music"):
            t = R.choice(["会员是在车机上开的，车牌号{P}，车机上根本没有取消的地方", "车机绑定的车牌是{P}",
                          "我的车（{P}）车机自动开了会员", "车牌{P}的车机上开的"])
        else:
            t = R.choice(["为这事我还专门开车去了趟线下服务中心，车牌{P}，结果人家说线下不受理",
                          "那天开车（车牌{P}）去他们公司楼下，保安都不让进"])
        return t.replace("{P}", M("plate", P.plate())).replace("{fee}", Fa(R.choice(["10元", "15元", "20块", "8块"])))
    if kind == "passport":
        if sec == "telecom":
            t = R.choice(["我{date}出国，用护照{PP}登记的国际漫游", "出国前办国际漫游，营业厅登记了我的护照号{PP}",
                          "护照号码：{PP}", "护照号{PP}"])
        else:
            t = R.choice(["人在国外，账号是用护照{PP}实名的", "护照号码：{PP}", "实名用的是护照{PP}", "护照号{PP}",
                          "我在国外留学，实名认证只能用护照{PP}"])
        return ctx.fill(t.replace("{PP}", M("passport", P.passport())))
    if kind == "hkmo_pass":
        if sec == "telecom":
            t = R.choice(["{date}去香港，办港澳流量包时登记了港澳通行证{C}", "港澳漫游要登记通行证，我的港澳通行证号码{C}",
                          "往来港澳通行证：{C}", "通行证{C}"])
        else:
            t = R.choice(["{date}人在澳门，会员在境外用不了，客服让我提供通行证号{C}证明出境", "港澳通行证号码{C}",
                          "往来港澳通行证：{C}", "在香港读书，实名用的港澳通行证{C}"])
        return ctx.fill(t.replace("{C}", M("hkmo_pass", P.hkmo_pass())))
    if kind == "address":
        with_region = R.random() < 0.75
        region, det = P.address_parts(with_region)
        a = (Fa(region) if region else "") + M("address", det)
        if sec == "telecom":
            t = R.choice(["宽带装机地址{A}", "地址：{A}", "家住{A}", "光猫是上门装的，地址{A}"])
        else:
            t = R.choice(["收货地址：{A}", "地址：{A}", "会员赠品寄到{A}一直没收到", "家庭住址{A}", "住址 {A}"])
        return t.replace("{A}", a)
    if kind == "courier":
        if sec == "telecom":
            t = R.choice(["寄回光猫的快递单号{K}", "机顶盒已经寄回去了，顺丰单号{K}", "退回的路由器快递单号：{K}"])
        elif sec in ("office", "cloud"):
            t = R.choice(["纸质发票寄出的快递单号{K}", "发票快递单号：{K}", "寄回的U盘快递单号{K}"])
        else:
            t = R.choice(["会员赠品一直没到，物流单号{K}", "年卡礼盒快递单号{K}", "周边礼包的快递单号：{K}", "快递单号{K}"])
        return t.replace("{K}", M("courier", P.courier()))
    raise KeyError(kind)


# name placements -------------------------------------------------------------
INTRO_NAME = ["我叫{N}，", "本人{N}，", "我是{N}，", "姓名：{N}；", "姓名:{N} ", "联系人{N}，", "联系人：{N}，",
              "机主{N}，", "户主：{N}，", "我是机主{N}，", "本人姓名{N}，", "您好，我是{N}，", "我是{N}（机主本人），",
              "你好 我叫{N} ", "【投诉人】{N} ", "我叫{N}，"]
INTRO_NAME_MOBILE = ["本人{N}，手机号{M}，", "我叫{N}，电话{M}，", "{N} {M}，", "联系人：{N}，{M}；", "机主{N}（{M}）",
                     "姓名：{N} 电话：{M} ", "{N}，手机{M}，", "我是{N}，号码{M}，", "投诉人：{N} 联系方式：{M}，"]
INTRO_NAME_ID = ["{N}，身份证{I}，", "本人{N}（身份证号{I}），", "{N} 身份证号：{I} ", "机主：{N}，证件号{I}，"]
FAMILY = ["号码是我妈{N}的，", "卡是我老公{N}名下的，", "账号是我老婆{N}在用，", "我爸{N}的手机号，", "给我女儿{N}开的会员，",
          "是我儿子{N}拿我手机充的，", "户主是我婆婆{N}，", "我老父亲{N}七十多了，", "帮我姐{N}投诉，"]
SIGN = ["——{N}", "—— {N}", "投诉人：{N}", "投诉人:{N}", "签名：{N}", "{N} 敬上", "此致 {N}", "署名：{N}", "——{N}（机主）",
        "落款：{N}", "{N}"]
BRACKET = ["用户（{N}）", "收件人{N}", "联系人（{N}）", "实名人[{N}]"]


def name_token(n=None, gender=None):
    return M("name", n or nm(gender=gender))


FEMALE_REL = ("我妈", "我老婆", "我女儿", "我婆婆", "我姐")


def family(kind_list=None):
    t = R.choice(FAMILY)
    g = "F" if any(x in t for x in FEMALE_REL) else "M"
    return t.replace("{N}", name_token(gender=g)).rstrip("，")


def build_cn(ctx, kinds, want_len=None):
    kinds = list(kinds)
    intro, sign = "", ""
    mid = []           # list of marked fragments (PII)
    if "name" in kinds:
        r = R.random()
        if r < 0.28 and "mobile" in kinds:
            intro = R.choice(INTRO_NAME_MOBILE).replace("{N}", name_token()).replace("{M}", mob())
            kinds.remove("mobile")
        elif r < 0.38 and "id_card" in kinds:
            intro = R.choice(INTRO_NAME_ID).replace("{N}", name_token()).replace(
                "{I}", M("id_card", P.id_form(P.id_number())))
            kinds.remove("id_card")
        elif r < 0.58:
            intro = R.choice(INTRO_NAME).replace("{N}", name_token())
        elif r < 0.8:
            sign = R.choice(SIGN).replace("{N}", name_token())
        elif r < 0.9:
            mid.append(family())
        else:
            mid.append(R.choice(BRACKET).replace("{N}", name_token()))
        if R.random() < 0.2:   # a second person
            extra = family()
            if sign or intro:
                mid.append(extra)
            else:
                sign = R.choice(SIGN).replace("{N}", name_token())
        kinds.remove("name")
    for k in kinds:
        mid.append(piece(k, ctx))
    # payment tail (fact) sometimes
    if R.random() < 0.22:
        mid.append(R.choice(["扣的是我{tail}的卡", "银行卡{tail}", "手机{tail}", "扣款卡{tail}", "{tail}的信用卡被扣了{p1}"]))

    stories = STORIES[ctx.sector]
    body = [R.choice(stories)]
    if R.random() < 0.7:
        s2 = R.choice(stories + GENERIC)
        if s2 != body[0]:
            body.append(s2)
    emo = R.choice(GENERIC) if R.random() < 0.45 else None
    dem = R.choice(DEMANDS) if R.random() < 0.55 else None
    return intro, body, mid, emo, dem, sign


def build_en(ctx, kinds):
    kinds = list(kinds)
    if "name" not in kinds and R.random() < 0.6:
        kinds.append("name")
    intro, sign = "", ""
    mid = []
    if "name" in kinds:
        n = P.pinyin_name() if R.random() < 0.75 else nm(3)
        r = R.random()
        if r < 0.5:
            intro = R.choice(["Hi, my name is {N}. ", "I'm {N}, ", "Name: {N}. ", "Complainant: {N}. ",
                              "This is {N} (account holder). "]).replace("{N}", M("name", n))
        else:
            sign = R.choice(["— {N}", "Regards, {N}", "-- {N}", "Thanks, {N}", "投诉人：{N}"]).replace("{N}", M("name", n))
        kinds.remove("name")
    EN = {
        "mobile": ["my phone: {V}", "mobile {V}", "contact number {V}", "call me at {V}", "phone no. {V}"],
        "landline": ["office line {V}", "landline {V}"],
        "email": ["email {V}", "my Apple ID is {V}", "reply to {V}", "e-mail: {V}"],
        "qq": ["QQ: {V}", "my QQ {V}"],
        "wechat": ["WeChat ID: {V}", "wechat {V}", "vx {V}"],
        "txn": ["Alipay transaction no. {V}", "WeChat Pay transaction ID {V}", "交易单号 {V}"],
        "order": ["order no. {V}", "Order ID: {V}", "order number {V}"],
        "account": ["user ID {V}", "UID {V}", "account: {V}"],
        "bank_card": ["charged to my card {V}", "bank card {V}"],
        "id_card": ["ID card no. {V}", "身份证 {V}"],
        "imei": ["device IMEI {V}"],
        "passport": ["passport no. {V}", "registered with passport {V}"],
        "hkmo_pass": ["HK/Macau permit no. {V}", "港澳通行证 {V}"],
        "plate": ["car plate {V}", "the car ({V}) head unit auto-subscribed"],
        "address": ["address: {V}", "ship to {V}"],
        "courier": ["tracking no. {V}", "SF tracking {V}"],
    }
    for k in kinds:
        t = R.choice(EN[k])
        if k == "mobile":
            v = mob()
        elif k == "address":
            region, det = P.address_parts(True)
            v = Fa(region) + M("address", det)
        else:
            raw = {"landline": P.landline, "email": P.email, "qq": P.qq, "wechat": P.wechat, "txn": P.txn,
                   "order": P.order_no, "account": P.account, "bank_card": P.bank_card,
                   "id_card": lambda: P.id_form(P.id_number()), "imei": P.imei, "passport": P.passport,
                   "hkmo_pass": P.hkmo_pass, "plate": P.plate, "courier": P.courier}[k]()
            v = M(k, raw)
            if k == "txn":
                v = M(k, P.txn("ali" if "Alipay" in t else ("wx" if "WeChat" in t else None)))
        mid.append(t.replace("{V}", v))
    stories = STORIES_EN[ctx.sector]
    body = R.sample(stories, min(len(stories), R.choice([1, 2, 2])))
    if R.random() < 0.3:   # code-switch into a Chinese fragment
        body.append(R.choice(STORIES[ctx.sector]))
    emo = R.choice(GENERIC_EN) if R.random() < 0.5 else None
    dem = R.choice(DEMANDS_EN) if R.random() < 0.5 else None
    return intro, body, mid, emo, dem, sign


# ---------------------------------------------------------------- surface noise
TYPOS = [("已经", "以经"), ("再考虑", "在考虑"), ("极其", "及其"), ("登录", "登陆"), ("反映", "反应"), ("账户", "帐户"),
         ("哪里", "那里"), ("什么", "神马"), ("根本", "跟本"), ("这样", "这样子"), ("一点", "一丢丢")]


def noisy(seg, style):
    """Noise applied only to unmarked template text."""
    if style in ("half", "mixed"):
        p = 0.9 if style == "half" else 0.4
        seg = "".join((",!?:;"["，！？：；".index(c)] if c in "，！？：；" and R.random() < p else c) for c in seg)
        if style == "half":
            seg = seg.replace("。", R.choice([".", ". ", "。"]))
    for a, b in TYPOS:
        if a in seg and R.random() < 0.18:
            seg = seg.replace(a, b, 1)
    return seg


def apply_noise(marked, style):
    parts = re.split(r"(⟪[^⟫]*⟫|⟨[^⟩]*⟩|\{\w+\})", marked)
    return "".join(p if (p.startswith("⟪") or p.startswith("⟨") or p.startswith("{")) else noisy(p, style) for p in parts)


def parse(marked):
    text, pii, facts = [], [], []
    pos = 0
    for m in re.finditer(r"⟪(\w+)\|([^⟫]*)⟫|⟨([^⟩]*)⟩", marked):
        text.append(marked[pos:m.start()])
        if m.group(1):
            pii.append((m.group(1), m.group(2)))
            text.append(m.group(2))
        else:
            facts.append(m.group(3))
            text.append(m.group(3))
        pos = m.end()
    text.append(marked[pos:])
    return "".join(text), pii, facts


def join(frags, english):
    out = ""
    for i, f in enumerate(frags):
        out += f
        if i < len(frags) - 1:
            if english:
                out += R.choice([". ", ", ", "; ", ". ", " - "])
            else:
                out += R.choice(["，", "，", "。", "。", ",", "！", "，", "。", " ", "。。。", "；", "!"])
    return out


def assemble(ctx, parts, english):
    intro, body, mid, emo, dem, sign = parts
    frags = list(body)
    # put PII fragments at varied places
    for m in mid:
        if R.random() < 0.5:
            frags.append(m)
        else:
            frags.insert(R.randint(0, len(frags)), m)
    if emo:
        frags.append(emo)
    if dem:
        frags.append(dem)
    end = R.choice(["。", "！", "!!!", "。", "", "？", "！！", "."]) if not english else R.choice([".", "!", "!!", ""])
    s = intro + join(frags, english) + end
    if sign:
        s += R.choice([" ", "\n", "  ", "。", " "]) + sign
    return ctx.fill(s)


SECTOR_LIST = list(F.SECTORS)
BASE_W = {"name": 9, "mobile": 7, "landline": 2.5, "id_card": 3, "bank_card": 3, "email": 2.5, "qq": 2.5, "wechat": 2.5,
          "txn": 3, "order": 3, "account": 3, "imei": 1.6, "plate": 1.4, "passport": 1.4, "hkmo_pass": 1.4, "address": 2.2,
          "courier": 1.6}
TARGET = 22


def choose_kinds(sector):
    n = R.choice([2, 2, 3, 3, 3, 4, 4, 5])
    chosen = []
    for _ in range(n):
        ks = [k for k in KINDS if k not in chosen]
        ws = [BASE_W[k] * (2.5 if COUNTS[k] < TARGET else 1.0) for k in ks]
        chosen.append(R.choices(ks, ws)[0])
    return chosen


def check(text, pii, facts):
    def spans(s):
        out, i = [], text.find(s)
        while i >= 0:
            out.append((i, i + len(s)))
            i = text.find(s, i + 1)
        return out
    ps = [sp for _, v in pii for sp in spans(v)]
    for f in facts:
        for a, b in spans(f):
            for c, d in ps:
                if a < d and c < b:
                    return False
    for _, v in pii:
        if not v or v not in text:
            return False
    return all(f in text for f in facts)


def make(idx, english):
    for attempt in range(200):
        sector = SECTOR_LIST[idx % len(SECTOR_LIST)] if attempt == 0 else R.choice(SECTOR_LIST)
        ctx = Ctx(sector, english)
        kinds = choose_kinds(sector)
        parts = build_en(ctx, kinds) if english else build_cn(ctx, kinds)
        style = "full" if english else R.choice(["full", "full", "mixed", "half"])
        intro, body, mid, emo, dem, sign = parts
        # noise on template text only
        parts = (apply_noise(intro, style), [apply_noise(b, style) for b in body], [apply_noise(m, style) for m in mid],
                 apply_noise(emo, style) if emo else None, apply_noise(dem, style) if dem else None, sign)
        # shrink if too long
        for _ in range(8):
            marked = assemble(ctx, parts, english)
            text, pii, facts = parse(marked)
            if len(text) <= 400:
                break
            intro, body, mid, emo, dem, sign = parts
            if emo:
                emo = None
            elif dem:
                dem = None
            elif len(body) > 1:
                body = body[:1]
            elif len(mid) > 1:
                mid = mid[:-1]
            parts = (intro, body, mid, emo, dem, sign)
        if not (60 <= len(text) <= 400) or not pii:
            continue
        if not check(text, pii, facts):
            continue
        if len(set(facts)) < 3:
            continue
        return text, pii, facts
    raise RuntimeError("could not build narrative")


def dedup(seq):
    out = []
    for x in seq:
        if x not in out:
            out.append(x)
    return out


def main(n=240, n_en=26):
    en_idx = set(R.sample(range(n), n_en))
    items = []
    for i in range(n):
        text, pii, facts = make(i, i in en_idx)
        pairs = dedup((v, k) for k, v in pii)
        for v, k in pairs:
            COUNTS[k] += 1
        items.append({"id": f"h-{i + 1:03d}", "input": text, "pii": [v for v, _ in pairs],
                      "facts": dedup(facts), "kinds": dedup(k for _, k in pairs), "_pairs": pairs})
    return items


if __name__ == "__main__":
    items = main()
    out = [{k: v for k, v in it.items() if k != "_pairs"} for it in items]
    with open("scrub_holdout.json", "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=1)
    side = {it["id"]: [[v, k] for v, k in it["_pairs"]] for it in items}
    with open("scrub_holdout_kinds.json", "w", encoding="utf-8") as fh:
        json.dump(side, fh, ensure_ascii=False, indent=1)
    print(json.dumps(COUNTS, ensure_ascii=False))
