#!/usr/bin/env python3
"""Generates the labelled narratives of tests/data/scrub_corpus.json (cases with `pii` and `facts`).

Run from the repository root: `python3 tests/data/gen_scrub_narratives.py`. It rewrites the
generated part of the corpus (ids starting `gen-`) and keeps every other case as it is. The
stories are assembled from pieces written the way consumers write (mixed spacing, full-width
digits, typos, missing punctuation); `pii` lists exact substrings that must disappear, `facts`
substrings that must stay. Seeded, so the output is stable.
"""
import json
import random
import sys

R = random.Random(16)
FW = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


def fullwidth(s, share=1.0):
    return "".join(FW.get(c, c) if R.random() < share else c for c in s)


def maybe_fw(s, p=0.15):
    r = R.random()
    if r < p:
        return fullwidth(s)
    if r < p * 1.4:
        return fullwidth(s, 0.5)
    return s


def sp():
    return R.choice(["", "", "", " ", "：", ":", " ", "是", "：", "　"])


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤温康施牛樊葛邢齐乔庞颜倪庄聂章鲁岳殷詹欧耿焦俞柳祝宁舒柯梅童凌毕季霍涂苗盛翁骆蓝辛柴鲍祁房滕饶艾尤穆卓麦岑景宫席柏桂全应"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧巧美兰霞平刚桂玉萍红鹏辉玲飞斌宇浩凯健俊帆鑫波宁欣佳雪琳晨阳瑶梓涵子轩思雨嘉怡一诺浩然博文雅婷文静建国志强海燕春梅小红晓东国栋丹丹"
COMPOUND = ["欧阳", "司马", "诸葛", "上官", "东方", "慕容"]


def name(n=None):
    n = n or R.choice([2, 3, 3, 3, 2, 4])
    if n == 4:
        return R.choice(COMPOUND) + "".join(R.choice(GIVEN) for _ in range(2))
    return R.choice(SURNAMES) + "".join(R.choice(GIVEN) for _ in range(n - 1))


def mobile():
    d = R.choice(["13", "15", "18", "17", "19", "16", "14"]) + str(R.randint(0, 9)) + "".join(
        str(R.randint(0, 9)) for _ in range(8))
    style = R.random()
    if style < 0.35:
        s = d
    elif style < 0.5:
        s = f"{d[:3]} {d[3:7]} {d[7:]}"
    elif style < 0.6:
        s = f"{d[:3]}-{d[3:7]}-{d[7:]}"
    elif style < 0.67:
        s = f"{d[:4]} {d[4:7]} {d[7:]}"
    elif style < 0.72:
        s = f"+86 {d}"
    elif style < 0.76:
        s = f"+86-{d[:3]}-{d[3:7]}-{d[7:]}"
    elif style < 0.8:
        s = f"{d[:3]}　{d[3:7]}　{d[7:]}"
    elif style < 0.84:
        s = f"{d[:3]} {d[3:6]} {d[6:]}"
    elif style < 0.87:
        s = f"{d[:3]}.{d[3:7]}.{d[7:]}"
    else:
        s = d
    return maybe_fw(s, 0.2)


def landline():
    area = R.choice(["010", "021", "020", "0755", "0571", "028", "027", "0512", "0731", "023", "0931", "0898"])
    local = str(R.randint(2, 8)) + "".join(str(R.randint(0, 9)) for _ in range(7 if len(area) == 3 else R.choice([6, 7])))
    s = R.choice([f"{area}-{local}", f"{area}-{local}", f"({area}){local}", f"（{area}）{local}", f"{area} {local}",
                  f"{area}{local}", f"{area}-{local[:4]}-{local[4:]}", f"{area}-{local}转{R.randint(100, 899)}"])
    return maybe_fw(s)


def id_number(spaced=False):
    region = R.choice(["110105", "310104", "440305", "320102", "330106", "510107", "420106", "370202", "610113", "500103"])
    y = R.randint(1950, 2005)
    birth = f"{y}{R.randint(1, 12):02d}{R.randint(1, 28):02d}"
    body = region + birth + f"{R.randint(0, 999):03d}"
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(a) * b for a, b in zip(body, w)) % 11]
    if R.random() < 0.3:
        body = body[:17]
        check = "X" if R.random() < 0.5 else check
    s = body + (check.lower() if check == "X" and R.random() < 0.3 else check)
    if spaced or R.random() < 0.15:
        s = R.choice([f"{s[:6]} {s[6:14]} {s[14:]}", f"{s[:6]} {s[6:10]} {s[10:14]} {s[14:]}", f"{s[:3]} {s[3:6]} {s[6:14]} {s[14:]}"])
    return maybe_fw(s, 0.2)


def luhn_complete(prefix, length):
    digits = prefix + "".join(str(R.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return digits + str((10 - total % 10) % 10)


def card():
    d = luhn_complete(R.choice(["6222", "6228", "6217", "6225", "4392", "6214", "6230"]), R.choice([16, 19, 19]))
    s = R.choice([d, " ".join(d[i:i + 4] for i in range(0, len(d), 4)), "-".join(d[i:i + 4] for i in range(0, len(d), 4)), d])
    return maybe_fw(s)


def qq():
    return str(R.randint(1, 9)) + "".join(str(R.randint(0, 9)) for _ in range(R.randint(5, 10)))


def wechat_id():
    r = R.random()
    if r < 0.3:
        return "wxid_" + "".join(R.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(R.randint(10, 14)))
    word = R.choice(["lucky", "sunny", "xiaoyu", "happy", "tiger", "momo", "ann", "leo", "kiki", "yang", "star", "dabao"])
    tail = R.choice(["_", "", "-", ""]) + R.choice(["88", "1990", "666", "cat", "2008", "zz", "520", ""])
    return word + R.choice(["", "_", ""]) + R.choice(["li", "wang", "", "x", "love"]) + tail


def email():
    user = R.choice(["zhang", "li.na", "wangfang", "xiaoming", "abc", "lucky", "chen_w", "liu123", "sunny.day"]) + str(R.randint(1, 999))
    return user + "@" + R.choice(["qq.com", "163.com", "126.com", "gmail.com", "sina.com", "foxmail.com", "outlook.com", "139.com"])


def plate():
    prov = R.choice("京沪粤苏浙川鲁豫鄂湘闽皖津渝冀辽陕")
    letter = R.choice("ABCDEFGHJK")
    if R.random() < 0.3:
        tail = R.choice("DF") + "".join(str(R.randint(0, 9)) for _ in range(5))
    else:
        tail = "".join(R.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") if i in (0, 2) else str(R.randint(0, 9)) for i in range(5))
    return prov + letter + R.choice(["", "", "·", " ", "-"]) + maybe_fw(tail, 0.1)


def order_no():
    r = R.random()
    if r < 0.3:
        return R.choice("TEJDPX") + "".join(str(R.randint(0, 9)) for _ in range(R.randint(10, 18)))
    if r < 0.5:
        return "20" + str(R.randint(20, 25)) + "".join(str(R.randint(0, 9)) for _ in range(R.randint(10, 16)))
    if r < 0.65:
        return R.choice(["SF", "JD", "YT", "ZTO", "DD", "MT"]) + "".join(str(R.randint(0, 9)) for _ in range(R.randint(9, 13)))
    if r < 0.8:
        return "".join(str(R.randint(0, 9)) for _ in range(R.randint(8, 11)))
    return R.choice(["TB", "PDD", "E"]) + "-" + "".join(str(R.randint(0, 9)) for _ in range(8)) + "-" + str(R.randint(100, 999))


def passport():
    r = R.random()
    if r < 0.5:
        return R.choice("EG") + "".join(str(R.randint(0, 9)) for _ in range(8))
    return "E" + R.choice("ABCDEFGH") + "".join(str(R.randint(0, 9)) for _ in range(7))


def hk_pass():
    return "C" + R.choice(["", R.choice("ABCDEFGHJKL")]) + "".join(str(R.randint(0, 9)) for _ in range(8 if R.random() < 0.5 else 7))


def imei():
    d = luhn_complete(R.choice(["86", "35", "86"]), 15)
    return maybe_fw(R.choice([d, d, f"{d[:2]} {d[2:8]} {d[8:14]} {d[14]}", f"{d[:8]}-{d[8:14]}-{d[14]}"]), 0.1)


def account_id():
    r = R.random()
    if r < 0.4:
        return "".join(str(R.randint(0, 9)) for _ in range(R.randint(6, 11)))
    if r < 0.7:
        return R.choice(["zhang", "lx", "user", "vip", "mm", "hz"]) + R.choice(["_", ""]) + str(R.randint(1000, 999999))
    return R.choice(["M", "VIP", "U", "hy"]) + "".join(str(R.randint(0, 9)) for _ in range(R.randint(6, 10)))


def txn():
    if R.random() < 0.5:
        return "2024" + "".join(str(R.randint(0, 9)) for _ in range(24))
    return "4200" + "".join(str(R.randint(0, 9)) for _ in range(24))


PROVINCES = [("广东省", "深圳市", ["南山区", "福田区", "宝安区"]), ("北京市", "", ["朝阳区", "海淀区", "丰台区"]),
             ("上海市", "", ["浦东新区", "徐汇区", "闵行区"]), ("浙江省", "杭州市", ["西湖区", "余杭区", "滨江区"]),
             ("江苏省", "南京市", ["鼓楼区", "江宁区", "玄武区"]), ("四川省", "成都市", ["武侯区", "锦江区", "高新区"]),
             ("湖北省", "武汉市", ["洪山区", "江汉区", "武昌区"]), ("河南省", "郑州市", ["金水区", "二七区"]),
             ("山东省", "青岛市", ["市南区", "崂山区"]), ("陕西省", "西安市", ["雁塔区", "长安区"]),
             ("湖南省", "长沙市", ["岳麓区", "天心区"]), ("福建省", "厦门市", ["思明区", "湖里区"])]
ROADS = ["建国路", "人民路", "解放大道", "中山北路", "科技园南路", "文三路", "长江路", "和平街", "东风大街", "光华巷",
         "南锣鼓巷", "学院路", "滨江大道", "黄河路", "新华西街", "振兴路", "幸福路", "迎宾大道", "青年路", "友谊路",
         "春熙路", "百花胡同", "金沙江路", "高新南一道"]
ESTATES = ["阳光花园", "碧桂园", "万科城", "翠苑小区", "幸福家园", "锦绣华庭", "东方明珠公寓", "金色港湾", "龙湖天街",
           "世纪新城", "和谐家园", "保利香槟国际", "绿地中心", "华润城", "新村", "望京西园", "丽都花园", "银河湾"]
CN_NUM = "一二三四五六七八九十"


def street_address():
    """(full text, kept prefix, list of pii pieces)"""
    prov, city, dists = R.choice(PROVINCES)
    dist = R.choice(dists)
    prefix = R.choice([prov + city + dist, city + dist if city else prov + dist, dist, prov + city + dist, ""])
    pieces = []
    road = R.choice(ROADS)
    no = str(R.randint(1, 999))
    road_part = R.choice([f"{road}{no}号", f"{road}{no}号", f"{road} {no} 号", f"{road}{no}弄", f"{road}{maybe_fw(no)}号"])
    r = R.random()
    b, u, room = R.randint(1, 30), R.randint(1, 6), R.randint(1, 33) * 100 + R.randint(1, 8)
    estate = R.choice(ESTATES)
    if r < 0.2:
        rest = f"{estate}{b}栋{u}单元{room}室"
    elif r < 0.35:
        rest = f"{estate}{b}号楼{room}"
    elif r < 0.5:
        rest = f"{b}-{u}-{room}"
    elif r < 0.6:
        rest = f"{estate}{R.choice(CN_NUM)}栋{R.choice(CN_NUM[:6])}单元{room}"
    elif r < 0.7:
        rest = f"{estate} {b}幢{room}室"
    elif r < 0.8:
        rest = f"{R.choice('ABCD')}座{room}"
    elif r < 0.9:
        rest = f"{estate}{b}栋{room}房"
    else:
        rest = ""
    if rest and R.random() < 0.35:
        # estate-only addresses without a road
        text = prefix + rest
        pieces = [rest]
    else:
        text = prefix + road_part + rest
        pieces = [road_part.strip()] + ([rest] if rest else [])
    return text, prefix, pieces


def rural_address():
    county = R.choice(["临泉县", "寿光市", "安化县", "宁乡市", "灌云县"])
    town = R.choice(["城关镇", "杨桥镇", "黄土店镇", "新店乡"])
    village = R.choice(["大王庄村", "李家湾村", "新民村", "红星村"])
    group = f"{R.randint(1, 12)}组{R.randint(1, 80)}号"
    return county + town + village + group, county, [village + group]


PLANS = ["5G畅享129元套餐", "4G飞享套餐", "天翼畅享套餐", "冰激凌套餐", "大王卡", "全球通尊享套餐", "宽带融合套餐", "19元保号套餐",
         "视频彩铃", "腾讯视频VIP会员", "爱奇艺黄金会员", "芒果TV会员", "爱奇艺会员", "优酷会员", "88VIP", "网易云音乐黑胶VIP",
         "百度网盘超级会员", "美团会员", "京东PLUS会员", "流量日包", "10GB定向流量包", "来电提醒", "彩铃", "500M宽带", "1000M光宽带"]
COMPANIES = ["中国移动", "中国联通", "中国电信", "广电", "淘宝", "拼多多", "京东", "美团", "支付宝", "抖音", "快手", "携程",
             "滴滴", "顺丰", "饿了么", "爱奇艺", "腾讯视频", "微信", "小红书", "唯品会", "苏宁易购", "得物", "闲鱼", "58同城"]
HOTLINES = ["10086", "10010", "10000", "12315", "95588", "95533", "95555", "12300", "95338", "95017", "12345", "96096",
            "400-810-8888", "400 820 8820", "4006-789-000", "800-820-8820", "95106", "4001-666-888"]


def price():
    r = R.random()
    v = R.choice([9.9, 19, 29, 39, 59, 88, 99, 128, 129, 158, 199, 299, 398, 599, 1299, 3999])
    v = str(v)
    if r < 0.4:
        return v + "元"
    if r < 0.55:
        return "¥" + v
    if r < 0.65:
        return v + "块"
    if r < 0.85:
        return maybe_fw(v, 1) + "元"
    return (v + "元") if "." in v else (v + ".00元")


def date():
    y, m, d = R.randint(2022, 2025), R.randint(1, 12), R.randint(1, 28)
    return R.choice([f"{y}年{m}月{d}日", f"{m}月{d}号", f"{y}-{m:02d}-{d:02d}", f"{m}月{d}日", f"{y}.{m}.{d}", f"{y}/{m}/{d}",
                     f"{m}.{d}", f"{y}年{m}月", f"{m}月{d}日{R.randint(8, 22)}点", f"{maybe_fw(str(m), 1)}月{d}号"])


def duration():
    return R.choice([f"{R.randint(2, 36)}个月", "两年", f"{R.randint(3, 60)}天", f"{R.randint(3, 15)}个工作日", f"{R.randint(5, 90)}分钟",
                     "半年", f"{R.randint(1, 3)}年合约", f"{R.randint(2, 48)}小时", "一年"])


def typo(word):
    typos = {"电话": ["电活", "电话", "电话", "dianhua"], "手机": ["手机", "手机", "手几", "手机号码"], "身份证": ["身份证", "身分证", "身份证号", "身份证号码", "sfz"],
             "微信": ["微信", "微信", "VX", "vx", "V信", "薇信", "wx", "威信", "微心"], "订单": ["订单", "订单", "定单", "单号", "订单编号"],
             "QQ": ["QQ", "qq", "QQ号", "扣扣", "Q号", "企鹅号", "QQ好"]}
    return R.choice(typos.get(word, [word]))


def sep():
    return R.choice(["，", ",", "，", " ", "，", "。", "；", "，", "  "])


# Written by hand: forms the templates above do not produce, several expected to be hard.
HAND = [
    ("我老公陈建华的手机号13912345678也被开通了视频彩铃，每月6元。", ["陈建华", "13912345678"], ["视频彩铃", "6元"]),
    ("机主是我爸爸刘德明，他不会用智能机，中国移动却给他办了5G套餐。", ["刘德明"], ["中国移动", "5G套餐"]),
    ("我妈妈叫王秀兰，今年七十多了，被推销了爱奇艺会员。", ["王秀兰"], ["爱奇艺会员"]),
    ("姓名 李 娜，电话 138 0013 8000", ["李 娜", "138 0013 8000"], []),
    ("我叫Zhang Wei，在京东买的手机5月3号到货就坏了。", ["Zhang Wei"], ["京东", "5月3号"]),
    ("加我V：lucky_88，或者打我电话一五零一二三四五六七八", ["lucky_88", "一五零一二三四五六七八"], []),
    ("qq邮箱517234567@qq.com也可以联系我。", ["517234567@qq.com"], []),
    ("订单号为:2024 0315 1234 5678，退款299元没到。", ["2024 0315 1234 5678"], ["299元"]),
    ("我的快递地址是北京市海淀区中关村大街27号中关村大厦1508，顺丰说送不到。", ["中关村大街27号", "中关村大厦1508"], ["顺丰"]),
    ("寄到上海市浦东新区张杨路500号华润时代广场12楼，收件人周杰。", ["张杨路500号", "华润时代广场12楼", "周杰"], []),
    ("住在幸福里小区3号楼2单元502，宽带5月3号就断了，10000号说等48小时。", ["幸福里小区3号楼2单元502"], ["5月3号", "10000", "48小时"]),
    ("广州市天河区天河路385号太古汇一座，这是公司地址，安装的时候师傅说要加200元。", ["天河路385号", "太古汇一座"], ["200元"]),
    ("我是中国移动的用户，3号去营业厅办的，二楼柜台说可以降到58元套餐。", [], ["中国移动", "3号去营业厅", "58元套餐"]),
    ("套餐名字叫畅享199，合约期24个月，提前解约要付违约金300元。", [], ["畅享199", "24个月", "300元"]),
    ("本人已经多次投诉，12315也打过，客服工号8823的那位说三个工作日回复。", [], ["本人已经多次投诉", "12315", "三个工作日"]),
    ("工单号 CS2024031500123 到现在都没处理，400-820-8820转3也打不通。", ["CS2024031500123"], ["400-820-8820"]),
    ("手机是iPhone 15 Pro Max 256G，串号IMEI:86 123456 789012 3，在拼多多百亿补贴买的。", ["86 123456 789012 3"], ["iPhone 15 Pro Max 256G", "拼多多"]),
    ("华为Mate60在京东自营买的，12期免息，每期541.58元，现在说不能退。", [], ["华为Mate60", "京东", "12期", "541.58元"]),
    ("车牌号粤B 8K88M，停车场APP扣了我两次费，一次15元。", ["粤B 8K88M"], ["15元"]),
    ("流水号2024031512345678，会员号：88888888，UID:1234567，都截图了。", ["2024031512345678", "88888888", "1234567"], []),
    ("抖音号 dy_lucky88 被盗后直播间刷了1288元礼物，抖音客服说没办法。", ["dy_lucky88"], ["1288元", "抖音"]),
    ("我的淘宝用户名tb_lily2020，88VIP自动续费了88元。", ["tb_lily2020"], ["88VIP", "88元"]),
    ("扣款时间2024年3月15日14:32:05，金额1,288元，商户是某某科技有限公司。", [], ["2024年3月15日14:32:05", "1,288元", "某某科技有限公司"]),
    ("黄磊 13800001111 身份证 440305198803120016 要求退费", ["黄磊", "13800001111", "440305198803120016"], []),
    ("投诉人 孙丽华\n电话 0755-2688 1234\n地址 深圳市南山区粤海街道科技南十二路2号金蝶软件园B座5楼", ["孙丽华", "0755-2688 1234", "科技南十二路2号", "金蝶软件园B座5楼"], ["深圳市南山区"]),
    ("联系我：１３９　１２３４　５６７８（王先生）", ["１３９　１２３４　５６７８"], []),
    ("客服让加微信号：zhang-san_1990，说加了才能退那59块钱", ["zhang-san_1990"], ["59块"]),
    ("对方自称是京东客服，让我下载一个会议APP，还让我报了银行卡号6217 0000 1234 5678 901和验证码。", ["6217 0000 1234 5678 901"], ["京东"]),
    ("已经打了十几次10086和12300，每次都说2个工作日内回电，从1月等到现在。", [], ["10086", "12300", "2个工作日"]),
    ("我是陈，之前留的电话是18612345678。", ["18612345678"], []),
    ("护照号码E12345678，港澳通行证号码CA1234567，都是办签证时给旅行社的。", ["E12345678", "CA1234567"], []),
    ("装机地址在成都市武侯区人民南路四段12号附3号6栋1单元1204号，装维说光猫要另交100元押金。", ["人民南路四段12号附3号6栋1单元1204号"], ["100元"]),
    ("河南省周口市沈丘县付井镇王营村三组，宽带一直没人来装。", ["王营村三组"], []),
    ("I'm Li Ming, my phone is 139-1234-5678 and my QQ is 517234567.", ["Li Ming", "139-1234-5678", "517234567"], []),
    ("Address: Flat 5B, 12 Nathan Road, Kowloon. Order T20240315001 never arrived.", ["Flat 5B, 12 Nathan Road", "T20240315001"], []),
    ("I called 10086 three times about the 5G Plus 199 plan, they promised a refund within 7 days.", [], ["10086", "5G Plus 199", "7 days"]),
    ("My WeChat is lucky_cat2020 and my email is lucky.cat@outlook.com, please contact me there.", ["lucky_cat2020", "lucky.cat@outlook.com"], []),
    ("支付宝账号是我的手机号15912345678，交易号2024031522001412345678901234，退款一直显示处理中。", ["15912345678", "2024031522001412345678901234"], ["支付宝"]),
    ("我在美团上点的外卖，订单尾号1234，骑手把餐送到了别的楼。", [], ["美团", "订单尾号1234"]),
    ("宽带账号：ad02787654321，密码都被客服改了。", ["ad02787654321"], []),
]


def gen_cases():
    cases = []

    def add(kind, text, pii, facts, lang="zh"):
        for p in pii:
            assert p in text, (p, text)
        for f in facts:
            assert f in text, (f, text)
        cases.append({"id": f"gen-{kind}-{len(cases) + 1:03d}", "lang": lang, "input": text, "pii": pii, "facts": facts})

    for _ in range(45):
        # contact block at the end of a complaint about a plan
        n, ph, co, plan, p, d = name(), mobile(), R.choice(COMPANIES[:3]), R.choice(PLANS), price(), date()
        intro = R.choice([f"我叫{n}", f"我是{n}", f"姓名：{n}", f"本人{n}", f"联系人{sp()}{n}", f"{n}", f"我叫{n}，", f"我是机主{n}"])
        body = R.choice([
            f"{d}在{co}营业厅办了{plan}，说好{p}，结果每个月扣费多了{price()}，打{R.choice(HOTLINES)}一直推脱",
            f"{co}未经同意给我开通{plan}，{d}发现扣了{p}，要求退款",
            f"{d}想把{plan}降档，客服说要{duration()}后才能办，合约还剩{duration()}",
            f"{co}的{plan}宣传{p}，实际收{price()}，投诉{R.choice(HOTLINES)}没有结果",
        ])
        contact = R.choice([f"{typo('电话')}{sp()}{ph}", f"{typo('手机')}{sp()}{ph}", f"联系方式{sp()}{ph}", f"{ph}", f"回电{ph}"])
        facts = [co, plan, p, d]
        text = R.choice([f"{intro}{sep()}{contact}{sep()}{body}。", f"{body}{sep()}{intro}{sep()}{contact}", f"{body}。{intro} {contact}"])
        add("contact", text, [n, ph.strip()], [f for f in facts if f in text])

    for _ in range(30):
        # QQ and WeChat
        q, w, co = qq(), wechat_id(), R.choice(COMPANIES)
        qfmt = maybe_fw(q, 0.2)
        parts = R.choice([
            (f"客服让我加{typo('QQ')}{qfmt}处理退款", [qfmt]),
            (f"对方QQ：{qfmt}，{typo('微信')}{sp()}{w}", [qfmt, w]),
            (f"加{typo('微信')}{w}说可以退{price()}", [w]),
            (f"微信号{w}，QQ {qfmt}", [w, qfmt]),
            (f"我的{typo('微信')}号是{w}", [w]),
            (f"有事加我微信 {w} 或者qq{qfmt}", [w, qfmt]),
            (f"wechat: {w}", [w]),
        ])
        extra_fact = R.choice(HOTLINES)
        text = f"在{co}买的东西{R.choice(['没发货', '质量有问题', '被自动续费', '一直不退款'])}，{parts[0]}，后来打{extra_fact}也没用。"
        add("im", text, parts[1], [co, extra_fact])

    for _ in range(40):
        # street addresses
        addr, prefix, pieces = street_address() if R.random() < 0.85 else rural_address()
        co = R.choice(COMPANIES[:6])
        lead = R.choice(["我家住在", "地址：", "收货地址", "家庭住址是", "住", "寄到", "我住", "装机地址", "上门地址：", "宽带地址 ", "地扯:", "我在"])
        tail = R.choice([f"，{co}的装维师傅{date()}说好上门一直没来", f"，{R.choice(PLANS)}的宽带从{date()}开始断网", f"。快递一直显示派送中",
                         f"，{co}说我这里不在覆盖范围，却收了{price()}", ""])
        text = f"{lead}{addr}{tail}"
        facts = [f for f in [co, prefix] if f and f in text and R.random() < 0.7]
        add("addr", text, pieces, facts)

    for _ in range(25):
        # names with ID numbers, in brackets and as sentence openers
        n, idn = name(), id_number()
        co, p = R.choice(COMPANIES), price()
        form = R.random()
        if form < 0.35:
            text = f"{R.choice(['', '机主', '我母亲', '我爸', '用户'])}{n}（{typo('身份证')}{sp()}{idn}）{R.choice(['在', '于'])}{date()}被{co}办理了{R.choice(PLANS)}，每月{p}。"
        elif form < 0.65:
            ph = mobile()
            text = f"{n}{R.choice(['，', ' ', '', ','])}{typo('身份证')}{sp()}{idn}{R.choice(['，', ' ', '；'])}{typo('手机')}{ph}。{co}多扣{p}。"
        elif form < 0.8:
            text = f"{n}({typo('身份证')}：{idn})投诉{co}：{date()}起每月扣{p}。"
        else:
            text = f"投诉人：{n}，证件号码：{idn}，投诉{co}乱收费{p}。"
        pii = [n, idn] + ([ph.strip()] if form >= 0.35 and form < 0.65 else [])
        add("nameid", text, pii, [co, p])

    for _ in range(30):
        # order, transaction, account numbers
        co, p, d = R.choice(COMPANIES[3:]), price(), date()
        o, t, a = order_no(), txn(), account_id()
        form = R.choice(range(8))
        if form == 0:
            text, pii = f"{typo('订单')}{sp()}{o}，{d}付了{p}至今没发货", [o]
        elif form == 1:
            text, pii = f"{co}订单{o}退款{p}一直不到账，支付宝交易号{sp()}{t}", [o, t]
        elif form == 2:
            text, pii = f"微信支付交易单号：{t}，商户单号{o}，金额{p}", [t, o]
        elif form == 3:
            text, pii = f"我的{co}账号{sp()}{a}被自动续费{R.choice(PLANS)}，扣了{p}", [a]
        elif form == 4:
            text, pii = f"会员号{sp()}{a}，{d}开通的{R.choice(PLANS)}无法取消", [a]
        elif form == 5:
            text, pii = f"{co} UID {a}，{d}扣费{p}", [a]
        elif form == 6:
            text, pii = f"快递单号{o}，{co}客服说{duration()}内处理", [o]
        else:
            text, pii = f"在{co}下单（订单号{o}）{d}签收，{p}的商品是假货", [o]
        add("number", text + R.choice(["。", "", "！！", "?"]), pii, [x for x in [co, p, d] if x in text])

    for _ in range(40):
        # plates, passports, HK/Macau passes, IMEI, landlines, cards, emails, mixed together
        picks = R.sample(["plate", "passport", "hk", "imei", "land", "card", "email", "id", "mobile"], 3)
        bits, pii = [], []
        for k in picks:
            if k == "plate":
                v = plate(); bits.append(R.choice([f"车牌{v}", f"车牌号{sp()}{v}", f"我的车{v}"]))
            elif k == "passport":
                v = passport(); bits.append(R.choice([f"护照号{v}", f"护照：{v}", f"护照号码 {v}"]))
            elif k == "hk":
                v = hk_pass(); bits.append(R.choice([f"港澳通行证{v}", f"通行证号码：{v}", f"港澳通行证号 {v}"]))
            elif k == "imei":
                v = imei(); bits.append(R.choice([f"手机IMEI：{v}", f"IMEI号{v}", f"串号{v}", f"imei {v}"]))
            elif k == "land":
                v = landline(); bits.append(R.choice([f"座机{v}", f"家里电话{v}", f"固话：{v}", f"电话 {v}"]))
            elif k == "card":
                v = card(); bits.append(R.choice([f"银行卡号{v}", f"卡号{sp()}{v}", f"扣款的卡{v}", f"信用卡 {v}"]))
            elif k == "email":
                v = email(); bits.append(R.choice([f"邮箱{v}", f"email:{v}", f"邮件发到{v}"]))
            elif k == "id":
                v = id_number(); bits.append(R.choice([f"身份证{v}", f"sfz {v}", f"证件号{v}"]))
            else:
                v = mobile(); bits.append(R.choice([f"电话{v}", f"tel {v}", f"手机号 {v}"]))
            pii.append(v.strip())
        co, hot, du = R.choice(COMPANIES), R.choice(HOTLINES), duration()
        text = f"{co}{R.choice(['办理', '开通', '续费'])}{R.choice(PLANS)}时要了我的{'、'.join(bits)}，打{hot}等了{du}没人管。"
        add("mixed", text, pii, [co, hot, du])

    for _ in range(30):
        # hard negatives: no personal data at all
        co, plan, p, d, hot, du = R.choice(COMPANIES), R.choice(PLANS), price(), date(), R.choice(HOTLINES), duration()
        text = R.choice([
            f"我是{co}的老用户了，{d}被改成{plan}，每月{p}，合约{du}，打{hot}说不能降档。",
            f"{co}客服工号{R.randint(1000, 9999)}说{du}内回复，到{d}还没回，{plan}照扣{p}。",
            f"{d}在{co}APP上买了{plan}，第{R.randint(2, 9)}次扣了{p}，{hot}不给退。",
            f"我是{R.choice(['学生', '退休老人', '老用户', '外地人', '在校大学生', '上班族'])}，{co}给我开了{plan}，每月{p}，要求退还{du}的费用。",
            f"{co}营业厅在{R.choice(ROADS)}那边，{d}去了{R.randint(2, 5)}次，{plan}还是{p}。",
            f"宽带{R.choice(['100M', '300M', '500M', '1000M'])}实际只有{R.randint(5, 60)}M，{co}说{du}内修好，{hot}投诉了{R.randint(2, 6)}次。",
            f"流量{R.randint(10, 100)}GB用完后按{R.choice(['3元/GB', '5元/GB', '1元/100MB'])}计费，{co}没提醒，{d}一下扣了{p}。",
            f"我是{R.choice(['上海', '江苏', '广州', '成都', '武汉', '安徽'])}人，在{co}办的{plan}，{d}起多收{p}。",
        ])
        add("neg", text, [], [x for x in [co, plan, p, d, hot, du] if x in text])

    for _ in range(25):
        # English narratives
        first = R.choice(["John", "Mary", "Wei", "Fang", "Tom", "Anna", "David", "Lily", "Kevin", "Grace"])
        last = R.choice(["Smith", "Zhang", "Li", "Chen", "Wang", "Brown", "Liu", "Huang"])
        full = f"{first} {last}"
        ph, co, p, d = mobile(), R.choice(["China Mobile", "China Unicom", "Taobao", "JD.com", "Meituan", "Alipay", "Didi"]), f"{R.choice(['¥', 'RMB ', '$'])}{R.choice([9.9, 29, 59, 128, 199])}", R.choice(["March 3, 2024", "2024-05-06", "5 June 2023", "last Friday"])
        form = R.randint(0, 5)
        if form == 0:
            text, pii = f"My name is {full}, phone {ph}. {co} charged me {p} on {d} for a plan I never ordered.", [full, ph]
        elif form == 1:
            q = qq(); text, pii = f"The agent asked me to add QQ {q} to get the refund of {p} from {co}.", [q]
        elif form == 2:
            w = wechat_id(); text, pii = f"Their WeChat ID is {w}; {co} support said to message it. I paid {p} on {d}.", [w]
        elif form == 3:
            room, b, no = R.randint(101, 2508), R.randint(1, 20), R.randint(1, 300)
            road = R.choice(["Jianguo Road", "Renmin Rd", "Zhongshan North Road", "Nanjing West Road"])
            addr = f"Room {room}, Building {b}, No. {no} {road}"
            text, pii = f"Send the refund letter to {addr}, Shanghai. {co} took {p} on {d}.", [addr]
        elif form == 4:
            o = order_no(); text, pii = f"Order number {o}: {co} refused the refund of {p}. Call me at {ph}.", [o, ph]
        else:
            pp = passport(); text, pii = f"They asked for my passport number {pp} and my card {card()} before cancelling the {co} plan ({p}).", [pp]
            pii.append(text.split("my card ")[1].split(" before")[0])
        add("en", text, pii, [x for x in [co, p, d] if x in text], lang="en")
    for text, pii, facts in HAND:
        lang = "en" if text[:1].isascii() and text[:1].isalpha() else "zh"
        add("hand", text, pii, facts, lang)
    return cases


def main():
    path = "tests/data/scrub_corpus.json"
    corpus = [c for c in json.load(open(path, encoding="utf-8")) if not c["id"].startswith("gen-")]
    corpus += gen_cases()
    with open(path, "w", encoding="utf-8") as f:
        json.dump(corpus, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"{len(corpus)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
