#!/usr/bin/env python3
"""Writes a valid census sheet of N rows (UTF-8 with BOM, CRLF) for benchmarks: five products an
enterprise, spread over the districts and parks, from a fixed seed. Independent of the Swift code.

Usage: scripts/make-census.py N > census.csv
"""
import random
import sys

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]


def uscc(first17):
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return first17 + ALPHABET[(31 - total % 31) % 31]


DISTRICTS = [("310115", "浦东新区", ["张江", "临港新片区", ""]), ("310104", "徐汇区", [""]), ("310112", "闵行区", ["南虹桥", ""]),
             ("310120", "奉贤区", ["东方美谷", ""]), ("310113", "宝山区", ["北上海", ""]), ("310114", "嘉定区", [""])]
AREAS = ["人工智能医疗器械", "手术机器人", "脑机接口", "高端医学影像", "心血管植介入", "分子诊断与体外诊断", "康复器械", "生命支持"]
STAGES = ["注册意向", "注册前指导", "注册检验", "临床评价", "已受理", "技术审评", "补正资料", "体系核查", "审批决定"]
HEADER = ["企业名称", "统一社会信用代码", "所属区", "所属园区", "产品名称", "型号规格", "产品类别", "管理类别", "分类编码",
          "重点领域", "研发阶段", "预计申报时间", "拟申请通道", "联系人", "联系电话"]

n = int(sys.argv[1])
rng = random.Random(100000)
out = sys.stdout.buffer
out.write(b"\xef\xbb\xbf" + (",".join(HEADER) + "\r\n").encode())
for i in range(n):
    e = i // 5
    code, name, parks = DISTRICTS[e % len(DISTRICTS)]
    cls = ["第一类", "第二类", "第三类"][i % 3]
    row = [f"上海{name}基准企业{e}有限公司", uscc(f"91{code}MA{e:07d}"), name, parks[e % len(parks)], f"基准产品{i % 5}号",
           f"B-{i % 5}", "医疗器械", cls, f"{i % 22 + 1:02d}", "、".join([AREAS[i % 8], AREAS[(i + 3) % 8]]),
           rng.choice(STAGES), f"2027-{i % 12 + 1:02d}", "上海二类创新" if cls == "第二类" else "", f"联系人{e}", f"021-6000 {e % 10000:04d}"]
    out.write((",".join(row) + "\r\n").encode())
