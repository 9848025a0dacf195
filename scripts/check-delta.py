#!/usr/bin/env python3
"""Cross-check the Delta's reach against python-stdnum and the demo's own rows.

Seeds the demo city, serves it, and signs in as each partner province's liaison (`jiangsu`,
`zhejiang`, `anhui`) and as the regulator. From the SQLite file it takes every entrustment link
with its registrant and sites, validates each party's unified social credit code with
python-stdnum, and reads the party's province from the code's region digits (characters 3–8:
32 江苏, 33 浙江, 34 安徽, 31 上海) — not from anything the platform computed. Then:

* every enterprise whose code says a partner province is placed in that province;
* every link involves at least two provinces (a cross-province link), and a segmented one at least
  two sites;
* `GET /api/v1/delta/links` as a province's liaison returns exactly the links with a party whose
  code says that province, and the regulator every link;
* a link of no party in the province is 404 to its liaison;
* every risk notice's and request for assistance's day due, as each liaison's API lists it, is the
  `workingDays`-th working day after the day sent by chinesecalendar (the day sent not counted), and
  each liaison lists exactly the notices sent to its province.

Usage: scripts/check-delta.py PATH/TO/tongdao   (needs `pip install python-stdnum chinesecalendar`)
"""
import datetime
import json
import os
import sqlite3
import sys
import urllib.error
import urllib.request

import chinese_calendar
from stdnum.cn import uscc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchserver  # noqa: E402

PROVINCES = {"31": "SH", "32": "JS", "33": "ZJ", "34": "AH"}
LIAISONS = {"jiangsu": "JS", "zhejiang": "ZJ", "anhui": "AH"}


def province(code):
    """The province a credit code was issued in, by python-stdnum's validation and its region digits."""
    return PROVINCES.get(uscc.validate(code)[2:4])


def due(sent, working_days):
    """The `working_days`-th working day after `sent`, by chinesecalendar (the day sent not counted)."""
    day = datetime.date.fromisoformat(sent)
    while working_days > 0:
        day += datetime.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            working_days -= 1
    return day.isoformat()


def get(base, token, path):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/tongdao"
    env = benchserver.demo_city(binary, "tongdao-delta-")
    database = sqlite3.connect(os.path.join(env["TONGDAO_DATA_DIR"], "tongdao.sqlite"))
    parties = {}
    for link, kind, registrant in database.execute("SELECT id, kind, registrant_uscc FROM delta_links"):
        parties[str(link).upper()] = {"kind": kind, "codes": [registrant]}
    for link, code in database.execute("SELECT link_id, uscc FROM delta_link_sites ORDER BY link_id, position"):
        parties[str(link).upper()]["codes"].append(code)
    failures = []
    # Every enterprise of a partner province sits in a place of the province its code names.
    partners = 0
    for code, place in database.execute("SELECT uscc, district_code FROM enterprises"):
        issued = province(code)
        if issued in LIAISONS.values():
            partners += 1
            if PROVINCES.get(place[:2]) != issued:
                failures.append(f"enterprise {code} was issued its code in {issued} but is placed in {place}")
    reach = {key: set() for key in LIAISONS.values()}
    for link, facts in parties.items():
        provinces = {province(code) for code in facts["codes"]}
        if len(provinces) < 2 or None in provinces:
            failures.append(f"link {link}: parties {facts['codes']} are in {sorted(p or '?' for p in provinces)}")
        if facts["kind"] == "segmented" and len(facts["codes"]) < 3:
            failures.append(f"segmented link {link} has fewer than two sites")
        for key in provinces & set(reach):
            reach[key].add(link)
    checked_notices = 0
    with benchserver.running(binary, env) as base:
        status, body = get(base, benchserver.token(base, "regulator"), "/api/v1/delta/links")
        every = {item["id"].upper() for item in body["items"]} if status == 200 else set()
        if every != set(parties):
            failures.append(f"the regulator lists {len(every)} links; the demo holds {len(parties)}")
        for username, key in LIAISONS.items():
            token = benchserver.token(base, username)
            status, body = get(base, token, "/api/v1/delta/links")
            listed = {item["id"].upper() for item in body["items"]} if status == 200 else set()
            if listed != reach[key]:
                failures.append(
                    f"{username} lists {len(listed)} links; python-stdnum places a party of {key} in {len(reach[key])} "
                    f"({len(listed - reach[key])} too many, {len(reach[key] - listed)} missing)")
            sent_to = {str(row[0]).upper() for row in database.execute("SELECT id FROM delta_notices WHERE province = ?", (key,))}
            status, body = get(base, token, "/api/v1/delta/notices")
            notices = body["items"] if status == 200 else []
            if {item["id"].upper() for item in notices} != sent_to:
                failures.append(f"{username} lists {len(notices)} notices; {len(sent_to)} were sent to {key}")
            for item in notices:
                expected = due(item["sentOn"], item["workingDays"])
                if item["dueOn"] != expected:
                    failures.append(f"notice {item['id']}: sent {item['sentOn']} + {item['workingDays']} working days is {expected}, the platform says {item['dueOn']}")
                checked_notices += 1
            outside = sorted(set(parties) - reach[key])[:5]
            for link in outside:
                status, _ = get(base, token, f"/api/v1/delta/links/{link}")
                if status != 404:
                    failures.append(f"{username} reads link {link} of no party in {key}: {status}")
    if checked_notices == 0:
        failures.append("the demo holds no notice to check")
    if failures:
        print("\n".join(failures[:10]))
        sys.exit(1)
    counts = ", ".join(f"{key} {len(reach[key])}" for key in LIAISONS.values())
    print(f"{partners} partner enterprises placed in their codes' provinces; {len(parties)} links, every one across provinces by python-stdnum; each liaison lists exactly its province's ({counts}); {checked_notices} notices due on chinesecalendar's day")


if __name__ == "__main__":
    main()
