#!/usr/bin/env python3
"""Check the structure of an iCalendar file written by `turnus export --format ics`.

Uses only the standard library: CRLF line endings, lines of at most 75 octets, balanced
BEGIN/END blocks, the required properties of VCALENDAR and VEVENT, unique UIDs, and
DTSTART before DTEND once the TZID is resolved with zoneinfo. Exits 1 with one line per
problem found, 0 when the file passes. With --durations it also prints each event's
DTSTART value and its elapsed minutes, as zoneinfo computes them.

Usage: check_ics.py [--durations] FILE.ics
"""

import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo


def parse_time(value, params):
    """Return an aware datetime for a DATE-TIME value with TZID or a UTC 'Z' suffix."""
    if value.endswith("Z"):
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    local = datetime.strptime(value, "%Y%m%dT%H%M%S")
    return local.replace(tzinfo=ZoneInfo(params["TZID"]))


def check(data):
    problems = []
    text = data.decode("utf-8")
    if "\n" in text.replace("\r\n", ""):
        problems.append("a line ends in a bare LF or CR")
    physical = text.split("\r\n")
    if physical[-1] != "":
        problems.append("the file does not end with CRLF")
    for number, line in enumerate(physical[:-1], start=1):
        if len(line.encode("utf-8")) > 75:
            problems.append(f"line {number} is longer than 75 octets")

    logical = []
    for line in physical[:-1]:
        if line.startswith((" ", "\t")) and logical:
            logical[-1] += line[1:]
        else:
            logical.append(line)

    stack, events, current = [], [], None
    for line in logical:
        name_part, _, value = line.partition(":")
        name, *raw_params = name_part.split(";")
        params = dict(p.split("=", 1) for p in raw_params)
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            if not stack or stack.pop() != value:
                problems.append(f"END:{value} does not close the open block")
            if value == "VEVENT":
                events.append(current)
                current = None
        elif current is not None:
            current[name] = (value, params)
    if stack:
        problems.append(f"blocks left open: {stack}")
    if not logical or logical[0] != "BEGIN:VCALENDAR":
        problems.append("the file does not start with BEGIN:VCALENDAR")
    for required in ("VERSION:2.0", "PRODID:"):
        if not any(line.startswith(required) for line in logical):
            problems.append(f"the calendar has no {required}")

    uids = set()
    for index, event in enumerate(events, start=1):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            if required not in event:
                problems.append(f"event {index} has no {required}")
        if "UID" in event:
            uid = event["UID"][0]
            if uid in uids:
                problems.append(f"event {index} repeats UID {uid}")
            uids.add(uid)
        if "DTSTART" in event and "DTEND" in event:
            start = parse_time(*event["DTSTART"])
            end = parse_time(*event["DTEND"])
            if end.astimezone(timezone.utc) <= start.astimezone(timezone.utc):
                problems.append(f"event {index} ends at or before its start")
            # Subtracting aware datetimes that share a tzinfo ignores the offsets in
            # Python, so the difference is taken in UTC.
            elapsed = end.astimezone(timezone.utc) - start.astimezone(timezone.utc)
            event["elapsed"] = int(elapsed.total_seconds() // 60)
    return problems, events


def main():
    args = sys.argv[1:]
    durations = "--durations" in args
    files = [a for a in args if a != "--durations"]
    if len(files) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(files[0], "rb") as handle:
        problems, events = check(handle.read())
    for problem in problems:
        print(problem)
    if not problems:
        print(f"ok: {len(events)} events")
    if durations:
        for event in events:
            if "elapsed" in event:
                print(f"{event['DTSTART'][0]} {event['elapsed']}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
