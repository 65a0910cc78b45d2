# PII value generators and surface forms for the blind scrub hold-out corpus.
import random
import re

R = random.Random()
USED = set()          # normalised digit/letter strings already used anywhere in the corpus
USED_NAMES = set()


def _norm(s):
    return re.sub(r"[^0-9A-Za-z]", "", s).upper()


def fresh(make, norm=_norm):
    for _ in range(1000):
        v = make()
        k = norm(v)
        if k not in USED:
            USED.add(k)
            return v
    raise RuntimeError("cannot make fresh value")


def digits(n, first="0123456789"):
    return R.choice(first) + "".join(R.choice("0123456789") for _ in range(n - 1))


FW = str.maketrans("0123456789Xx-", "０１２３４５６７８９ＸＸ－")


def fullwidth(s):
    return s.translate(FW)


def luhn_check(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def group(s, sizes, sep=" "):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(x for x in out if x)


# ---------------------------------------------------------------- names
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤岳俞柏")
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "慕容", "皇甫", "东方", "令狐", "尉迟", "公孙", "端木", "夏侯", "司徒", "南宫", "独孤", "长孙"]
GIVEN_F1 = list("芳娜敏静丽艳娟霞颖琳婷欣悦璐蕾莹倩玲雯瑶琦曦岚")
GIVEN_M1 = list("伟强磊军洋勇杰涛明超平刚斌鹏飞鑫浩宇凯博晨")
GIVEN_F2 = ["秀英", "桂英", "子涵", "欣怡", "梓萱", "春梅", "雨桐", "佳琪", "海燕", "丽娟", "梦瑶", "淑芬", "红梅", "慧敏",
            "亚楠", "嘉怡", "若曦", "凤英", "金凤", "玉兰", "小红", "晓燕", "诗涵", "翠花", "艺馨", "思彤", "雅琴", "桂芳",
            "秋菊", "紫萱", "雪梅", "丹丹", "晨曦"]
GIVEN_M2 = ["浩然", "宇轩", "思远", "建国", "晓东", "一鸣", "文博", "志强", "国华", "俊杰", "天佑", "振华", "子墨", "宏伟",
            "立新", "德胜", "建军", "明轩", "永刚", "家豪", "卫东", "少华", "爱民", "梓豪", "昊天", "国庆", "乐乐"]
PINYIN = {"王": "Wang", "李": "Li", "张": "Zhang", "刘": "Liu", "陈": "Chen", "杨": "Yang", "黄": "Huang", "赵": "Zhao",
          "吴": "Wu", "周": "Zhou", "徐": "Xu", "孙": "Sun", "马": "Ma", "朱": "Zhu", "胡": "Hu", "林": "Lin", "郑": "Zheng",
          "欧阳": "Ouyang", "司马": "Sima", "上官": "Shangguan", "诸葛": "Zhuge", "慕容": "Murong"}
GIVEN_PY = {"伟": "Wei", "芳": "Fang", "娜": "Na", "敏": "Min", "静": "Jing", "磊": "Lei", "洋": "Yang", "杰": "Jie",
            "浩然": "Haoran", "子涵": "Zihan", "欣怡": "Xinyi", "宇轩": "Yuxuan", "思远": "Siyuan", "一鸣": "Yiming",
            "晓东": "Xiaodong", "雨桐": "Yutong", "佳琪": "Jiaqi", "俊杰": "Junjie", "梦瑶": "Mengyao", "嘉怡": "Jiayi"}


def name(length=None, compound=None, gender=None):
    for _ in range(1000):
        comp = (R.random() < 0.12) if compound is None else compound
        g_ = gender or R.choice("MF")
        p1, p2 = (GIVEN_M1, GIVEN_M2) if g_ == "M" else (GIVEN_F1, GIVEN_F2)
        s = R.choice(COMPOUND) if comp else R.choice(SURNAMES)
        if length is None:
            g = R.choice(p2) if R.random() < 0.6 else R.choice(p1)
        else:
            need = length - len(s)
            if need not in (1, 2):
                continue
            g = R.choice(p2) if need == 2 else R.choice(p1)
        n = s + g
        if 2 <= len(n) <= 4 and n not in USED_NAMES:
            USED_NAMES.add(n)
            return n
    raise RuntimeError


def pinyin_name():
    for _ in range(1000):
        s = R.choice(list(PINYIN))
        g = R.choice(list(GIVEN_PY))
        zh = s + g
        if zh in USED_NAMES:
            continue
        USED_NAMES.add(zh)
        if R.random() < 0.5:
            return f"{PINYIN[s]} {GIVEN_PY[g]}"
        return f"{GIVEN_PY[g]} {PINYIN[s]}" if R.random() < 0.5 else f"{PINYIN[s].upper()} {GIVEN_PY[g]}"
    raise RuntimeError


# ---------------------------------------------------------------- phones
MOBILE_PREFIX = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150", "151", "152",
                 "153", "155", "156", "157", "158", "159", "166", "170", "171", "173", "175", "176", "177", "178", "180",
                 "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "193", "195", "196", "198", "199"]


def mobile_digits():
    return fresh(lambda: R.choice(MOBILE_PREFIX) + digits(8))


def mobile_form(d, style=None):
    forms = [
        lambda: d,
        lambda: d,
        lambda: f"{d[:3]} {d[3:7]} {d[7:]}",
        lambda: f"{d[:3]}-{d[3:7]}-{d[7:]}",
        lambda: f"{d[:3]}.{d[3:7]}.{d[7:]}",
        lambda: f"+86 {d[:3]} {d[3:7]} {d[7:]}",
        lambda: "+86" + d,
        lambda: "+86-" + d,
        lambda: "0086-" + d,
        lambda: "0086 " + d,
        lambda: fullwidth(d),
        lambda: f"{d[:4]} {d[4:8]} {d[8:]}",
        lambda: f"{d[:3]} {d[3:]}",
        lambda: d[:3] + fullwidth(d[3:]),
        lambda: f"(+86){d}",
        lambda: f"{d[:3]}  {d[3:7]}  {d[7:]}",
        lambda: f"{d[:3]}－{d[3:7]}－{d[7:]}",
        lambda: f"{d[:3]}-{d[3:7]} {d[7:]}",
        lambda: f"{d[:7]} {d[7:]}",
        lambda: f"+86 {d}",
        lambda: fullwidth(f"{d[:3]} {d[3:7]} {d[7:]}"),
        lambda: f"{d[:4]}-{d[4:8]}-{d[8:]}",
        lambda: f"{d[:3]} {d[3:5]} {d[5:7]} {d[7:9]} {d[9:]}",
    ]
    return forms[style if style is not None else R.randrange(len(forms))]()


LANDLINE_AREAS = [("010", 8, "5678"), ("021", 8, "3456"), ("020", 8, "3836"), ("0755", 8, "2368"), ("0571", 8, "5886"),
                  ("025", 8, "5868"), ("028", 8, "6885"), ("027", 8, "5868"), ("023", 8, "6468"), ("0512", 8, "6568"),
                  ("0531", 8, "5886"), ("0731", 8, "8485"), ("0371", 8, "5668"), ("029", 8, "8865"), ("0591", 8, "8763"),
                  ("0757", 8, "8286"), ("022", 8, "2358"), ("0574", 8, "8765"), ("0851", 8, "8586"), ("0871", 8, "6368"),
                  ("0451", 8, "8586"), ("024", 8, "2386"), ("0532", 8, "8586"), ("0769", 8, "2286")]


def landline():
    area, n, first = R.choice(LANDLINE_AREAS)
    local = fresh(lambda: digits(n, first), lambda s: area + s)
    ext = ""
    if R.random() < 0.28:
        ext = R.choice(["转", "转", "-", " 转 ", "转分机", "ext.", " ext "]) + digits(R.choice([3, 3, 4]), "1234568")
    forms = [
        lambda: f"{area}-{local}",
        lambda: f"{area} {local}",
        lambda: f"({area}){local}",
        lambda: f"（{area}）{local}",
        lambda: f"{area}-{local[:4]} {local[4:]}",
        lambda: f"{area}{local}",
        lambda: f"{area}—{local}",
        lambda: f"({area}) {local[:4]}-{local[4:]}",
        lambda: f"+86-{area[1:]}-{local}",
        lambda: fullwidth(f"{area}-{local}"),
        lambda: f"{area}－{local}",
    ]
    return R.choice(forms)() + ext


# ---------------------------------------------------------------- identity documents
ID_AREAS = ["110105", "110108", "110102", "310115", "310104", "310110", "440106", "440305", "440304", "330106", "330102",
            "330110", "320106", "320102", "510104", "510107", "420111", "420106", "430104", "610113", "370202", "350203",
            "500103", "120101", "210102", "230103", "410105", "130104", "340104", "360102", "450103", "530102", "520102",
            "620102", "650102", "150102", "460106", "441900", "445202", "362201", "412702", "522401", "511602", "431102"]
ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(want_x=None):
    for _ in range(5000):
        y = R.randint(1958, 2006)
        m = R.randint(1, 12)
        d = R.randint(1, 28)
        body = R.choice(ID_AREAS) + f"{y}{m:02d}{d:02d}" + digits(3)
        c = "10X98765432"[sum(int(a) * w for a, w in zip(body, ID_W)) % 11]
        if want_x is True and c != "X":
            continue
        if want_x is False and c == "X":
            continue
        v = body + c
        if v not in USED:
            USED.add(v)
            return v
    raise RuntimeError


def id_form(v):
    forms = [
        lambda: v, lambda: v, lambda: v,
        lambda: f"{v[:6]} {v[6:14]} {v[14:]}",
        lambda: f"{v[:6]}-{v[6:14]}-{v[14:]}",
        lambda: group(v, [4, 4, 4, 4, 2]),
        lambda: v[:-1] + v[-1].lower(),
        lambda: fullwidth(v),
        lambda: f"{v[:6]} {v[6:10]} {v[10:14]} {v[14:]}",
        lambda: f"{v[:3]} {v[3:6]} {v[6:14]} {v[14:]}",
    ]
    return R.choice(forms)()


def passport():
    kind = R.random()
    if kind < 0.5:
        return fresh(lambda: "E" + digits(8, "123456789"))
    if kind < 0.8:
        return fresh(lambda: "E" + R.choice("ABCDEFGH") + digits(7, "123456789"))
    return fresh(lambda: "G" + digits(R.choice([7, 8]), "3456789"))


def hkmo_pass():
    if R.random() < 0.65:
        return fresh(lambda: "C" + digits(8, "1234567"))
    return fresh(lambda: "C" + R.choice("ABCDEFGHJKLMN") + digits(7, "123456789"))


# ---------------------------------------------------------------- payment
BANK_PREFIX = [("622202", 19), ("621700", 19), ("622848", 19), ("621483", 16), ("622588", 16), ("622262", 19),
               ("621661", 19), ("622700", 19), ("625967", 16), ("436742", 16), ("518710", 16), ("622609", 16),
               ("623668", 19), ("621226", 19), ("622908", 16), ("628288", 16), ("621799", 19), ("623061", 19),
               ("622823", 19), ("621098", 19)]


def bank_card():
    pre, n = R.choice(BANK_PREFIX)

    def mk():
        body = pre + digits(n - len(pre) - 1)
        return body + luhn_check(body)
    v = fresh(mk)
    forms = [
        lambda: v, lambda: group(v, [4] * 5), lambda: group(v, [4] * 5), lambda: group(v, [4] * 5, "-"),
        lambda: group(v, [6, 13]), lambda: group(v, [4] * 5, "  "), lambda: fullwidth(v),
        lambda: group(v, [4, 4, 4, 4, 3]) if n == 19 else group(v, [4, 4, 4, 4]),
    ]
    return R.choice(forms)()


def txn(kind=None):
    kind = kind or R.choice(["ali", "wx", "mch"])
    y = R.choice(["2025", "2026"])
    md = f"{R.randint(1, 12):02d}{R.randint(1, 28):02d}"
    if kind == "ali":
        v = fresh(lambda: y + md + "2200" + digits(16, "1"))
    elif kind == "wx":
        v = fresh(lambda: "42000" + digits(5, "12") + y + md + digits(10))
    else:
        v = fresh(lambda: y + md + digits(R.choice([22, 24]), "123456789"))
    if R.random() < 0.15:
        return group(v, [4] * 8)
    if R.random() < 0.08:
        return fullwidth(v)
    return v


def order_no():
    c = R.random()
    y = R.choice(["2025", "2026"])
    md = f"{R.randint(1, 12):02d}{R.randint(1, 28):02d}"
    if c < 0.22:
        return fresh(lambda: "T" + y + md + digits(R.choice([8, 9, 10])))
    if c < 0.4:
        return fresh(lambda: "DD" + y[2:] + md + digits(R.choice([8, 10])))
    if c < 0.55:
        return fresh(lambda: "E" + y + md + digits(R.choice([9, 10, 11])))
    if c < 0.7:
        return fresh(lambda: "GO" + digits(R.choice([13, 15])))
    if c < 0.8:
        return fresh(lambda: "MP" + y + md + digits(8))
    if c < 0.9:
        return fresh(lambda: digits(R.choice([18, 19]), "123456789"))
    return fresh(lambda: "VIP" + y[2:] + md + digits(7))


def imei():
    def mk():
        body = "86" + digits(12)
        return body + luhn_check(body)
    v = fresh(mk)
    r = R.random()
    if r < 0.15:
        return group(v, [2, 6, 6, 1])
    if r < 0.25:
        return group(v, [3, 4, 4, 4])
    return v


# ---------------------------------------------------------------- online identities
PY_WORDS = ["zhang", "wang", "li", "liu", "chen", "yang", "huang", "zhao", "xiaoyu", "lili", "tingting", "weiwei", "haoran",
            "mengmeng", "xinxin", "jiajia", "dongdong", "feifei", "xiaoming", "lei", "min", "jing", "yuxuan", "zihan",
            "sunny", "lucky", "tom", "amy", "coco", "kevin", "jason", "lily", "momo", "echo", "leo", "vivi", "ryan"]
MAIL_DOMAINS = ["qq.com", "163.com", "126.com", "gmail.com", "outlook.com", "foxmail.com", "sina.com", "hotmail.com",
                "139.com", "yeah.net", "sohu.com", "aliyun.com", "icloud.com", "189.cn", "wo.cn"]


def email():
    def mk():
        r = R.random()
        if r < 0.25:
            u = digits(R.choice([8, 9, 10]), "123456789")
            return u + "@" + R.choice(["qq.com", "qq.com", "foxmail.com"])
        u = R.choice(PY_WORDS)
        if R.random() < 0.5:
            u += R.choice(["", ".", "_"]) + R.choice(PY_WORDS)
        u += str(R.choice([R.randint(1, 99), R.randint(1970, 2008), R.randint(100, 9999)]))
        if R.random() < 0.2:
            u = u.capitalize()
        return u + "@" + R.choice(MAIL_DOMAINS)
    return fresh(mk)


def qq():
    v = fresh(lambda: digits(R.choice([6, 8, 9, 9, 10, 10, 10, 11]), "123456789"))
    if R.random() < 0.12:
        return group(v, [3, 3, 4]) if len(v) >= 9 else v
    return v


def wechat():
    def mk():
        r = R.random()
        if r < 0.3:
            return "wxid_" + "".join(R.choice("abcdefghijkmnpqrstuvwxyz0123456789") for _ in range(R.choice([12, 14])))
        u = R.choice(PY_WORDS)
        sep = R.choice(["", "_", "-", ""])
        tail = R.choice([str(R.randint(1, 999)), str(R.randint(1975, 2008)), R.choice(PY_WORDS), "520", "1314", "666"])
        u = u + sep + tail
        if R.random() < 0.3:
            u = u.capitalize()
        if len(u) < 6:
            u += str(R.randint(10, 99))
        return u[:20]
    return fresh(mk)


GAME_NICKS = ["夜雨听风丶", "北城以北", "孤独的追风者", "Sakura丶樱", "一只小可爱", "无敌小旋风"]


def account(kind=None):
    kind = kind or R.choice(["uid", "uid", "user", "member", "game", "login"])
    if kind == "uid":
        return fresh(lambda: digits(R.choice([8, 9, 10]), "123456789"))
    if kind == "user":
        return fresh(lambda: R.choice(PY_WORDS) + R.choice(["_", "", "."]) + str(R.randint(10, 99999)))
    if kind == "member":
        return fresh(lambda: R.choice(["VIP", "M", "HY", "SVIP", "NO."]) + digits(R.choice([8, 10])))
    if kind == "game":
        return fresh(lambda: digits(R.choice([9, 10, 11]), "123456789"))
    return fresh(lambda: R.choice(PY_WORDS) + str(R.randint(1970, 2008)))


# ---------------------------------------------------------------- vehicles, places, parcels
PLATE_PROV = list("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤川宁琼")
PLATE_LET = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def plate():
    def mk():
        p = R.choice(PLATE_PROV) + R.choice("ABCDEFGHJK")
        if R.random() < 0.25:
            tail = R.choice("DF") + digits(5)
        else:
            tail = "".join(R.choice("0123456789" if R.random() < 0.7 else PLATE_LET) for _ in range(5))
        return p + R.choice(["·", "·", "", " ", "", "-", "•"]) + tail
    return fresh(mk, lambda s: s.replace("·", "").replace(" ", "").replace("-", "").replace("•", ""))


# (region fact, [roads]) — region is province/city/district and is kept as a fact
REGIONS = [
    ("浙江省杭州市西湖区", ["文三路", "天目山路", "古墩路", "留下街道屏峰路"]),
    ("北京市朝阳区", ["望京西路", "广顺北大街", "朝阳北路", "双井东路"]),
    ("北京市海淀区", ["中关村南大街", "学院路", "西三旗东路", "永定路"]),
    ("上海市浦东新区", ["张杨路", "锦绣路", "沪南路", "金科路"]),
    ("上海市闵行区", ["莘庄镇莘建东路", "七莘路", "虹梅南路"]),
    ("广东省深圳市南山区", ["科苑南路", "桃园路", "南海大道", "西丽留仙大道"]),
    ("广东省广州市天河区", ["天河北路", "中山大道西", "黄埔大道中", "龙口西路"]),
    ("广东省东莞市", ["南城街道宏图路", "东城街道东纵大道", "长安镇长青路"]),
    ("江苏省南京市鼓楼区", ["中山北路", "广州路", "湖南路"]),
    ("江苏省苏州市工业园区", ["星湖街", "金鸡湖大道", "苏虹中路"]),
    ("四川省成都市武侯区", ["二环路南四段", "科华北路", "武侯大道"]),
    ("湖北省武汉市洪山区", ["珞喻路", "关山大道", "雄楚大道"]),
    ("湖南省长沙市岳麓区", ["麓山南路", "枫林三路", "岳麓大道"]),
    ("重庆市渝北区", ["龙溪街道金龙路", "新牌坊一路", "红锦大道"]),
    ("河南省郑州市金水区", ["花园路", "农业路", "经三路"]),
    ("山东省青岛市市南区", ["香港中路", "南京路", "延安三路"]),
    ("陕西省西安市雁塔区", ["小寨西路", "科技路", "含光路"]),
    ("福建省厦门市思明区", ["湖滨南路", "莲前西路", "厦禾路"]),
    ("天津市南开区", ["红旗南路", "卫津路", "鞍山西道"]),
    ("辽宁省沈阳市和平区", ["南京南街", "三好街", "太原北街"]),
    ("安徽省合肥市蜀山区", ["长江西路", "望江西路", "潜山路"]),
    ("云南省昆明市五华区", ["一二一大街", "西昌路", "学府路"]),
    ("广西壮族自治区南宁市青秀区", ["民族大道", "东葛路", "金湖路"]),
    ("黑龙江省哈尔滨市南岗区", ["西大直街", "学府路", "红旗大街"]),
    ("河北省石家庄市长安区", ["中山东路", "建设北大街", "谈固东街"]),
    ("江西省南昌市红谷滩区", ["红谷中大道", "丰和中大道", "赣江中大道"]),
    ("贵州省贵阳市观山湖区", ["林城西路", "长岭北路", "金阳南路"]),
]
XIAOQU = ["东部软件园", "阳光花园", "金隅丽港城", "万科城", "碧桂园", "保利香槟国际", "绿城桂花园", "龙湖春森彼岸", "翠苑三区",
          "幸福里小区", "世纪新城", "锦绣江南", "恒大名都", "中海国际社区", "融创玖樘", "和谐家园", "丽景湾", "建设新村",
          "华润二十四城", "新世界花园", "滨江花园", "金地格林小城", "招商花园城", "天通苑北一区", "仁恒河滨城"]


def address_parts(with_region=True):
    region, roads = R.choice(REGIONS)
    road = R.choice(roads)
    num = R.randint(1, 999)
    xq = R.choice(XIAOQU)
    bld = R.randint(1, 36)
    unit = R.randint(1, 6)
    floor = R.randint(1, 32)
    room = f"{floor}{R.randint(1, 8):02d}"
    style = R.randrange(8)
    if style == 0:
        d = f"{road}{num}号{xq}{bld}幢{unit}单元{room}室"
    elif style == 1:
        d = f"{road}{num}号{xq}{bld}栋{unit}单元{room}"
    elif style == 2:
        d = f"{road}{num}号{xq}{bld}号楼{unit}单元{room}室"
    elif style == 3:
        d = f"{road}{R.randint(100, 2999)}弄{bld}号{room}室"
    elif style == 4:
        d = f"{road}{num}号 {xq} {bld}栋{unit}单元 {room}"
    elif style == 5:
        d = f"{xq}{bld}-{unit}-{room}（{road}{num}号）"
    elif style == 6:
        d = f"{road}{num}号{xq}{R.choice('ABCDEFG')}座{room}室"
    else:
        d = f"{road}{num}号院{bld}号楼{unit}单元{room}号"
    key = d.replace(" ", "")
    if key in USED:
        return address_parts(with_region)
    USED.add(key)
    return (region if with_region else None), d


def courier():
    c = R.random()
    if c < 0.4:
        return fresh(lambda: "SF" + digits(13, "1"))
    if c < 0.55:
        return fresh(lambda: "YT" + digits(13, "2345689"))
    if c < 0.7:
        return fresh(lambda: "JDVA" + digits(11, "1234"))
    if c < 0.82:
        return fresh(lambda: "78" + digits(12))
    if c < 0.92:
        return fresh(lambda: "11" + digits(11, "0123456789"))
    return fresh(lambda: "JT" + digits(13, "5"))
