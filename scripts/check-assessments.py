#!/usr/bin/env python3
"""Cross-check the district assessments' review times against chinesecalendar and numpy.

Seeds the demo city, serves it, and asks `GET /api/v1/assessments?year=Y` for this year and the
last. From the demo's own rows (the SQLite file: each application holding a certificate, its
applicant's district, its acceptance and approval days) it counts each district's certificates
granted in the year and the median of their review times in working days — the days in
(accepted, approved] that chinesecalendar calls working days (weekends off, the State Council's
holidays off, its adjusted Saturdays and Sundays worked), the median by numpy. Every district's count
and median must agree.

Usage: scripts/check-assessments.py PATH/TO/tongdao   (needs `pip install chinesecalendar numpy`)
"""
import datetime
import json
import os
import sqlite3
import sys
import urllib.request

import chinese_calendar
import numpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchserver  # noqa: E402


def working_days(start, end):
    """Working days in (start, end], by chinesecalendar."""
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            days += 1
    return days


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/tongdao"
    env = benchserver.demo_city(binary, "tongdao-assessments-")
    database = sqlite3.connect(os.path.join(env["TONGDAO_DATA_DIR"], "tongdao.sqlite"))
    failures, checked = [], 0
    with benchserver.running(binary, env) as base:
        token = benchserver.token(base, "admin")
        this_year = datetime.date.today().year
        for year in (this_year - 1, this_year):
            request = urllib.request.Request(f"{base}/api/v1/assessments?year={year}", headers={"Authorization": f"Bearer {token}"})
            said = {row["code"]: row for row in json.load(urllib.request.urlopen(request, timeout=120))["districts"]}
            rows = database.execute(
                "SELECT district_code, accepted_on, approved_on FROM applications WHERE certificate IS NOT NULL AND approved_on >= ? AND approved_on <= ?",
                (f"{year}-01-01", f"{year}-12-31")).fetchall()
            review = {}
            for district, accepted, approved in rows:
                days = working_days(datetime.date.fromisoformat(accepted), datetime.date.fromisoformat(approved))
                review.setdefault(district, []).append(days)
            for code, row in said.items():
                expected = review.get(code, [])
                median = float(numpy.median(expected)) if expected else None
                if row["registrations"] != len(expected) or row.get("medianReviewDays") != median:
                    failures.append(
                        f"{year} {row['name']}: the platform says {row['registrations']} certificates, median {row.get('medianReviewDays')}; "
                        f"chinesecalendar and numpy {len(expected)}, {median}")
                checked += len(expected)
            unknown = set(review) - set(said)
            if unknown:
                failures.append(f"{year}: certificates in districts the assessment does not list: {sorted(unknown)}")
    print(f"review times of {checked:,} certificates over two years agree with chinesecalendar and numpy" if not failures else "\n".join(failures[:10]))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
