#!/usr/bin/env python3
"""Cross-check the institutions' site times (ethics review and activation medians) against numpy.

Seeds the demo city, serves it, and reads what the platform says: the trials sheet (one row a
site), the investigators sheet (each PI's specialty) and every institution's
`GET /api/v1/trial-institutions/{id}/site-times`. numpy computes the same medians from the sheets'
dates, by the definitions of `SiteTimes` (TongdaoCore): a participating site's ethics review in
calendar days from its trial's lead site's ethics approval to its own (0 when it approved first),
any site's activation from its ethics approval to its activation, each over the sites having both
dates, overall and by the PI's specialty. Every figure must agree.

Usage: scripts/check-site-times.py PATH/TO/tongdao   (needs `pip install numpy`)
"""
import csv
import datetime
import io
import json
import os
import sys
import urllib.request

import numpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchserver  # noqa: E402


def get(base, token, path):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    return urllib.request.urlopen(request, timeout=60).read()


def sheet(base, token, name):
    text = get(base, token, f"/api/v1/trial-registry/{name}/export?format=csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def day(text):
    return datetime.date.fromisoformat(text) if text else None


def summary(sites):
    ethics = [max(0, (s["ethics"] - s["lead"]).days) for s in sites if not s["isLead"] and s["lead"] and s["ethics"]]
    activation = [max(0, (s["activated"] - s["ethics"]).days) for s in sites if s["ethics"] and s["activated"]]
    return {
        "sites": len(sites),
        "ethicsSites": len(ethics),
        "ethicsMedianDays": float(numpy.median(ethics)) if ethics else None,
        "activationSites": len(activation),
        "activationMedianDays": float(numpy.median(activation)) if activation else None,
    }


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/tongdao"
    env = benchserver.demo_city(binary, "tongdao-site-times-")
    failures = []
    with benchserver.running(binary, env) as base:
        token = benchserver.token(base, "admin")
        specialty = {row["研究者编号"]: row["专业"] for row in sheet(base, token, "investigators")}
        rows = [row for row in sheet(base, token, "trials") if row["机构代码"]]
        lead_ethics = {row["登记号或备案号"]: day(row["伦理审查批准日期"]) for row in rows if row["机构角色"] == "组长单位"}
        by_code = {}
        for row in rows:
            by_code.setdefault(row["机构代码"], []).append({
                "specialty": specialty[row["研究者编号"]],
                "isLead": row["机构角色"] == "组长单位",
                "lead": lead_ethics.get(row["登记号或备案号"]),
                "ethics": day(row["伦理审查批准日期"]),
                "activated": day(row["启动日期"]),
            })
        institutions, cursor = [], None
        while True:
            page = json.loads(get(base, token, "/api/v1/trial-institutions?limit=100" + (f"&cursor={cursor}" if cursor else "")))
            institutions += page["items"]
            cursor = page.get("nextCursor")
            if not cursor:
                break
        checked = 0
        for institution in institutions:
            sites = by_code.get(institution["code"], [])
            said = json.loads(get(base, token, f"/api/v1/trial-institutions/{institution['id']}/site-times"))
            expected = {"overall": summary(sites), "bySpecialty": []}
            for name in sorted({s["specialty"] for s in sites}):
                expected["bySpecialty"].append({"specialty": name, "times": summary([s for s in sites if s["specialty"] == name])})
            for entry in [said["overall"]] + [group["times"] for group in said["bySpecialty"]]:
                for key in ("ethicsMedianDays", "activationMedianDays"):
                    entry.setdefault(key, None)
            # Names sort by code point in both (Swift's String < and Python's sorted agree on these).
            if said != expected:
                failures.append(f"{institution['name']}: the platform says {json.dumps(said, ensure_ascii=False)}, numpy {json.dumps(expected, ensure_ascii=False)}")
            checked += len(sites)
    print(f"site times of {len(institutions)} institutions ({checked:,} sites) agree with numpy" if not failures else "\n".join(failures[:10]))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
