# Independent validation of /work/scrub_holdout.json
import json
import re
import sys
from collections import Counter

PATH = sys.argv[1] if len(sys.argv) > 1 else "scrub_holdout.json"
d = json.load(open(PATH, encoding="utf-8"))
errors = []
ids = [x["id"] for x in d]
if len(ids) != len(set(ids)):
    errors.append("duplicate ids")
FW = str.maketrans("０１２３４５６７８９ＸＸ", "0123456789XX")


def norm(s):
    return re.sub(r"[^0-9A-Za-z]", "", s.translate(FW)).upper()


def spans(text, s):
    out, i = [], text.find(s)
    while i >= 0:
        out.append((i, i + len(s)))
        i = text.find(s, i + 1)
    return out


def luhn_ok(s):
    tot = 0
    for i, ch in enumerate(reversed(s)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            n -= 9 if n > 9 else 0
        tot += n
    return tot % 10 == 0


side = json.load(open(PATH.replace(".json", "_kinds.json"), encoding="utf-8"))
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
kind_spans = Counter()
seen_vals = {}
n_facts = 0
n_en = 0
for x in d:
    t = x["input"]
    if not (60 <= len(t) <= 400):
        errors.append(f"{x['id']} length {len(t)}")
    if not x["pii"]:
        errors.append(f"{x['id']} no pii")
    if len(x["facts"]) < 2:
        errors.append(f"{x['id']} few facts")
    n_facts += len(x["facts"])
    if len(re.findall(r"[A-Za-z]", t)) > len(t) * 0.35:
        n_en += 1
    ps = []
    for p in x["pii"]:
        if p not in t:
            errors.append(f"{x['id']} pii not in input: {p}")
        ps += spans(t, p)
        k = norm(p)
        if len(k) >= 5:
            if k in seen_vals and seen_vals[k] != x["id"]:
                errors.append(f"{x['id']} reuses value {p} from {seen_vals[k]}")
            seen_vals[k] = x["id"]
    for f in x["facts"]:
        if f not in t:
            errors.append(f"{x['id']} fact not in input: {f}")
        if f in x["pii"]:
            errors.append(f"{x['id']} fact == pii: {f}")
        for a, b in spans(t, f):
            for c, e in ps:
                if a < e and c < b:
                    errors.append(f"{x['id']} fact {f!r} overlaps pii {t[c:e]!r}")
        if re.search(r"\d{7,}", f.replace("-", "")) and not re.match(r"^(400|800|\d{4}-\d\d-\d\d)", f):
            errors.append(f"{x['id']} fact with long digit run: {f}")
    for p in x["pii"]:
        for f in x["facts"]:
            if p in f or f in p:
                errors.append(f"{x['id']} pii/fact nested: {p} / {f}")
    # per-kind sanity using the kinds list and the value shape
    for p, kd in side[x["id"]]:
        kind_spans[kd] += 1
        n = norm(p)
        if kd == "id_card" and re.fullmatch(r"\d{17}[\dX]", n) and n[:1] in "1234568":
            if "10X98765432"[sum(int(a) * w for a, w in zip(n, W)) % 11] != n[-1]:
                errors.append(f"{x['id']} bad id checksum {p}")
    for k in x.get("kinds", []):
        kind_spans[k] += 0
for x in d:
    # count pii spans per kind via kinds order (the generator writes kinds in order of first appearance)
    pass
print("narratives:", len(d), " english-heavy:", n_en, " facts:", n_facts, " pii strings:", sum(len(x["pii"]) for x in d))
print("pii strings per kind:", dict(kind_spans))
print("errors:", len(errors))
for e in errors[:40]:
    print("  ", e)

# unlabeled PII-looking material outside pii spans
warn = 0
for x in d:
    t = x["input"]
    cov = [False] * len(t)
    for p in x["pii"]:
        for a, b in spans(t, p):
            for i in range(a, b):
                cov[i] = True
    for m in re.finditer(r"[0-9０-９]{7,}|[A-Za-z0-9_.\-]+@[A-Za-z0-9.\-]*[A-Za-z0-9]", t):
        if not all(cov[m.start():m.end()]):
            warn += 1
            print("  unlabeled?", x["id"], m.group())
    for p, kd in side[x["id"]]:
        n = norm(p)
        if kd in ("bank_card", "imei") and not luhn_ok(n):
            print("  luhn fail", x["id"], p)
print("unlabeled warnings:", warn)
