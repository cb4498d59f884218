#!/usr/bin/env python3
"""Check an INRC-II nurse rostering solution and print its cost.

The INRC-II (Second International Nurse Rostering Competition, 2014-2015) text
format splits an instance into a scenario file (Sc-<dataset>.txt), an initial
history (H0-<dataset>-<k>.txt) and one week-data file per week
(WD-<dataset>-<k>.txt). A solution is one Sol-<dataset>-<weekfile>-<weekindex>.txt
file per week. This checker reads all weeks and evaluates the whole horizon at
once:

- Hard constraints, reported as violation counts: H1 one shift per nurse per
  day, H2 minimum staffing per day, shift and skill, H3 forbidden shift
  successions and H4 required skills. H3 also covers the step from the
  history's last shift into the first Monday.
- Soft constraints with their weights: S1 optimal staffing (30 per missing
  nurse). S2 consecutive same-shift assignments (15 per day) and consecutive
  working days (30 per day). S3 consecutive days off (30 per day). S4 shift-off
  requests (10 each). S5 complete weekends (30 per weekend).
- S6 total assignments (20 per unit) and S7 working weekends (30 per weekend
  above the maximum), both counted over the horizon plus the history's counts.

The rules were implemented from a summary of the organisers' problem
description alone, without reading any other implementation.

Usage:
    python3 scripts/inrc2_check.py DATASET_DIR INSTANCE_NAME SOLUTION_DIR

INSTANCE_NAME has the form <dataset>_<historyIndex>_<w1>-<w2>-..., for example
n030w4_1_6-2-9-1. Exit status: 0 without hard violations, 1 with hard
violations, 2 when an input file is missing or invalid.
"""

import os
import re
import sys

DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

WEIGHT_OPTIMAL_COVERAGE = 30
WEIGHT_CONSECUTIVE_SHIFT = 15
WEIGHT_CONSECUTIVE_WORK = 30
WEIGHT_CONSECUTIVE_OFF = 30
WEIGHT_SHIFT_OFF_REQUEST = 10
WEIGHT_COMPLETE_WEEKEND = 30
WEIGHT_TOTAL_ASSIGNMENTS = 20
WEIGHT_WORKING_WEEKENDS = 30

# Label of a day off in a nurse's day sequence, distinct from every shift id.
OFF = None


class InputError(Exception):
    """An input file that is missing or cannot be parsed."""

    def __init__(self, path, line_number, message):
        location = path if line_number is None else "%s:%d" % (path, line_number)
        super().__init__("%s: %s" % (location, message))


class LineReader:
    """Iterate over the non-blank lines of a file, split on whitespace."""

    def __init__(self, path):
        self.path = path
        try:
            with open(path, encoding="utf-8") as handle:
                raw_lines = handle.read().splitlines()
        except OSError as error:
            raise InputError(path, None, "failed to read file (%s)" % error.strerror)
        except UnicodeDecodeError:
            raise InputError(path, None, "file is not valid UTF-8 text")
        self.lines = [
            (number, text.strip())
            for number, text in enumerate(raw_lines, start=1)
            if text.strip()
        ]
        self.position = 0

    def at_end(self):
        return self.position >= len(self.lines)

    def peek(self):
        if self.at_end():
            return None, ""
        return self.lines[self.position]

    def next(self, expected):
        """Return (line number, text) of the next line, or raise naming `expected`."""
        if self.at_end():
            last_line = self.lines[-1][0] if self.lines else 1
            raise InputError(self.path, last_line, "unexpected end of file, expected %s" % expected)
        line = self.lines[self.position]
        self.position += 1
        return line

    def error(self, line_number, message):
        return InputError(self.path, line_number, message)


def unknown_value_message(known_values, description, value):
    return "unknown %s %r, expected one of %s" % (description, value, " ".join(known_values))


def require_known(reader, line_number, value, known_values, description):
    """Raise an input error naming the known values when value is not one of them."""
    if value not in known_values:
        raise reader.error(line_number, unknown_value_message(known_values, description, value))


def require_nurse(reader, line_number, nurse, scenario):
    """Raise an input error when nurse is not in the scenario."""
    if nurse not in scenario.nurses:
        raise reader.error(line_number, "unknown nurse %r, not in the scenario's NURSES list" % nurse)


def parse_int(reader, line_number, text, description):
    try:
        return int(text)
    except ValueError:
        raise reader.error(line_number, "invalid %s %r, expected an integer" % (description, text))


def read_header_count(reader, keyword):
    """Read a line `KEYWORD = <n>` and return n."""
    number, text = reader.next("'%s = <count>'" % keyword)
    match = re.fullmatch(re.escape(keyword) + r"\s*=\s*(\S+)", text)
    if not match:
        raise reader.error(number, "expected '%s = <count>', found %r" % (keyword, text))
    return parse_int(reader, number, match.group(1), keyword + " count")


def read_keyword(reader, keyword):
    number, text = reader.next("'%s'" % keyword)
    if text != keyword:
        raise reader.error(number, "expected '%s', found %r" % (keyword, text))
    return number


def parse_pairs(reader, line_number, text, count, description):
    """Parse `count` groups '(a,b)' from text and return them as integer tuples."""
    pairs = re.findall(r"\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)", text)
    if len(pairs) != count:
        raise reader.error(
            line_number, "expected %d %s of the form (a,b), found %d" % (count, description, len(pairs))
        )
    return [(int(a), int(b)) for a, b in pairs]


class Scenario:
    def __init__(self):
        self.name = ""
        self.weeks = 0
        self.skills = []
        self.shift_types = []
        # shift id -> (min consecutive, max consecutive)
        self.shift_limits = {}
        # preceding shift id -> set of forbidden succeeding shift ids
        self.forbidden = {}
        # contract name -> dict of limits
        self.contracts = {}
        # nurse name -> (contract name, set of skills), in file order
        self.nurses = {}


def parse_scenario(path):
    reader = LineReader(path)
    scenario = Scenario()

    number, text = reader.next("'SCENARIO = <name>'")
    match = re.fullmatch(r"SCENARIO\s*=\s*(\S+)", text)
    if not match:
        raise reader.error(number, "expected 'SCENARIO = <name>', found %r" % text)
    scenario.name = match.group(1)
    scenario.weeks = read_header_count(reader, "WEEKS")

    for _ in range(read_header_count(reader, "SKILLS")):
        number, text = reader.next("a skill name")
        scenario.skills.append(text.split()[0])

    for _ in range(read_header_count(reader, "SHIFT_TYPES")):
        number, text = reader.next("a shift type line '<id> (<min>,<max>)'")
        shift_id = text.split()[0]
        (limits,) = parse_pairs(reader, number, text, 1, "consecutive limits")
        scenario.shift_types.append(shift_id)
        scenario.shift_limits[shift_id] = limits

    read_keyword(reader, "FORBIDDEN_SHIFT_TYPES_SUCCESSIONS")
    while not reader.at_end() and not reader.peek()[1].startswith("CONTRACTS"):
        number, text = reader.next("a forbidden succession line")
        fields = text.split()
        preceding = fields[0]
        require_known(reader, number, preceding, scenario.shift_types, "shift type")
        if len(fields) < 2:
            raise reader.error(number, "missing the count of forbidden successors")
        count = parse_int(reader, number, fields[1], "successor count")
        successors = fields[2:]
        if len(successors) != count:
            raise reader.error(
                number, "expected %d successor shift types, found %d" % (count, len(successors))
            )
        for successor in successors:
            require_known(reader, number, successor, scenario.shift_types, "shift type")
        scenario.forbidden[preceding] = set(successors)

    for _ in range(read_header_count(reader, "CONTRACTS")):
        number, text = reader.next("a contract line")
        fields = text.split()
        pairs = parse_pairs(reader, number, text, 3, "limit pairs")
        tail = re.sub(r"\([^)]*\)", " ", text).split()
        # tail is [name, maxWorkingWeekends, completeWeekends]
        if len(tail) != 3:
            raise reader.error(
                number,
                "expected '<name> (min,max) (min,max) (min,max) <maxWeekends> <complete 0|1>'",
            )
        scenario.contracts[fields[0]] = {
            "total": pairs[0],
            "work": pairs[1],
            "off": pairs[2],
            "max_weekends": parse_int(reader, number, tail[1], "maximum working weekends"),
            "complete_weekends": parse_int(reader, number, tail[2], "complete weekends flag") == 1,
        }

    for _ in range(read_header_count(reader, "NURSES")):
        number, text = reader.next("a nurse line")
        fields = text.split()
        if len(fields) < 3:
            raise reader.error(number, "expected '<nurse> <contract> <nSkills> <skill...>'")
        name, contract = fields[0], fields[1]
        require_known(reader, number, contract, list(scenario.contracts), "contract")
        skill_count = parse_int(reader, number, fields[2], "skill count")
        skills = fields[3:]
        if len(skills) != skill_count:
            raise reader.error(number, "expected %d skills, found %d" % (skill_count, len(skills)))
        for skill in skills:
            require_known(reader, number, skill, scenario.skills, "skill")
        scenario.nurses[name] = (contract, set(skills))

    return scenario


def parse_history(path, scenario):
    """Parse a history file into nurse -> counters and border state before the first week."""
    reader = LineReader(path)
    read_keyword(reader, "HISTORY")
    number, text = reader.next("'<weekIndex> <scenario>'")
    fields = text.split()
    if len(fields) != 2 or fields[1] != scenario.name:
        raise reader.error(number, "expected '<weekIndex> %s', found %r" % (scenario.name, text))
    read_keyword(reader, "NURSE_HISTORY")

    history = {}
    while not reader.at_end():
        number, text = reader.next("a nurse history line")
        fields = text.split()
        if len(fields) != 7:
            raise reader.error(
                number,
                "expected 7 fields '<nurse> <assignments> <weekends> <lastShift|None> "
                "<consecutiveSameShift> <consecutiveWorkingDays> <consecutiveDaysOff>'",
            )
        nurse = fields[0]
        require_nurse(reader, number, nurse, scenario)
        last_shift = None if fields[3] == "None" else fields[3]
        if last_shift is not None:
            require_known(reader, number, last_shift, scenario.shift_types, "shift type")
        counters = [parse_int(reader, number, value, "history counter") for value in fields[1:3] + fields[4:]]
        history[nurse] = {
            "assignments": counters[0],
            "weekends": counters[1],
            "last_shift": last_shift,
            "consecutive_same_shift": counters[2],
            "consecutive_work": counters[3],
            "consecutive_off": counters[4],
        }

    missing = [nurse for nurse in scenario.nurses if nurse not in history]
    if missing:
        raise InputError(path, None, "no history line for nurse(s) %s" % ", ".join(missing))
    return history


def parse_week(path, scenario):
    """Parse one week-data file into (requirements, shift-off requests).

    requirements maps (day, shift, skill) to (minimum, optimum). requests is a
    list of (nurse, shift id or None for 'Any', day).
    """
    reader = LineReader(path)
    read_keyword(reader, "WEEK_DATA")
    number, text = reader.next("the scenario name")
    if text != scenario.name:
        raise reader.error(number, "expected scenario %r, found %r" % (scenario.name, text))
    read_keyword(reader, "REQUIREMENTS")

    requirements = {}
    while not reader.at_end() and not reader.peek()[1].startswith("SHIFT_OFF_REQUESTS"):
        number, text = reader.next("a requirement line")
        fields = text.split()
        if len(fields) < 2:
            raise reader.error(number, "expected '<shift> <skill> (min,opt) x7'")
        shift, skill = fields[0], fields[1]
        require_known(reader, number, shift, scenario.shift_types, "shift type")
        require_known(reader, number, skill, scenario.skills, "skill")
        for day, pair in enumerate(parse_pairs(reader, number, text, 7, "(min,opt) pairs")):
            requirements[(day, shift, skill)] = pair

    requests = []
    for _ in range(read_header_count(reader, "SHIFT_OFF_REQUESTS")):
        number, text = reader.next("a shift-off request line")
        fields = text.split()
        if len(fields) != 3:
            raise reader.error(number, "expected '<nurse> <shift|Any> <day>'")
        nurse, shift, day_name = fields
        require_nurse(reader, number, nurse, scenario)
        require_known(reader, number, shift, scenario.shift_types + ["Any"], "shift type")
        if day_name not in DAY_NAMES:
            raise reader.error(number, "unknown day %r, expected one of %s" % (day_name, " ".join(DAY_NAMES)))
        requests.append((nurse, None if shift == "Any" else shift, DAY_NAMES.index(day_name)))

    if not reader.at_end():
        number, text = reader.next("end of file")
        raise reader.error(number, "unexpected line after the shift-off requests: %r" % text)
    return requirements, requests


def parse_solution(path, scenario, week_index):
    """Return the assignments of one weekly solution as (nurse, day, shift, skill, line)."""
    reader = LineReader(path)
    read_keyword(reader, "SOLUTION")
    number, text = reader.next("'<weekIndex> <scenario>'")
    fields = text.split()
    if len(fields) != 2 or fields[1] != scenario.name:
        raise reader.error(number, "expected '%d %s', found %r" % (week_index, scenario.name, text))
    if parse_int(reader, number, fields[0], "week index") != week_index:
        raise reader.error(number, "week index %s does not match the file name (%d)" % (fields[0], week_index))

    count = read_header_count(reader, "ASSIGNMENTS")
    assignments = []
    for _ in range(count):
        number, text = reader.next("an assignment line")
        fields = text.split()
        if len(fields) != 4:
            raise reader.error(number, "expected '<nurse> <day> <shift> <skill>', found %r" % text)
        nurse, day_name, shift, skill = fields
        require_nurse(reader, number, nurse, scenario)
        if day_name not in DAY_NAMES:
            raise reader.error(number, "unknown day %r, expected one of %s" % (day_name, " ".join(DAY_NAMES)))
        require_known(reader, number, shift, scenario.shift_types, "shift type")
        require_known(reader, number, skill, scenario.skills, "skill")
        assignments.append((nurse, DAY_NAMES.index(day_name), shift, skill, number))

    # The organisers' own example solutions carry solver output such as
    # "Cost: 575" after the assignments, so lines that cannot be assignments
    # are skipped with a warning. A further line naming a nurse is rejected,
    # because it is an assignment that ASSIGNMENTS = <n> does not count.
    while not reader.at_end():
        number, text = reader.next("end of file")
        fields = text.split()
        if fields[0] in scenario.nurses:
            raise reader.error(
                number, "more assignment lines than ASSIGNMENTS = %d announces: %r" % (count, text)
            )
        print("warning: %s:%d: ignoring line after the assignments: %r" % (path, number, text), file=sys.stderr)
    return assignments


def parse_instance_name(instance_name):
    """Split '<dataset>_<history>_<w1>-<w2>-...' into (dataset, history index, week files)."""
    match = re.fullmatch(r"(\w+?)_(\d+)_(\d+(?:-\d+)*)", instance_name)
    if not match:
        raise InputError(
            "INSTANCE_NAME", None,
            "invalid instance name %r, expected <dataset>_<history>_<w1>-<w2>-... "
            "such as n030w4_1_6-2-9-1" % instance_name,
        )
    weeks = [int(value) for value in match.group(3).split("-")]
    return match.group(1), int(match.group(2)), weeks


def run_cost(prefix, length, minimum, maximum, reaches_end):
    """Return the missing/extra days of one run of `length` days in the horizon.

    `prefix` is the part of the run that lies in the history before the
    horizon. Days above the maximum that the history already contains were
    charged before, so only the excess added inside the horizon counts. A run
    that reaches the last day of the horizon is not charged for being short.
    The organisers' validator output for their n005w4_0_1-2-3-3 example
    (total 1695) matches only with this end rule and the history rule of
    evaluate_runs.
    """
    total = prefix + length
    cost = max(0, total - maximum) - max(0, prefix - maximum)
    if not reaches_end:
        cost += max(0, minimum - total)
    return cost


def evaluate_runs(labels, history_label, history_length, limits_of):
    """Sum the run costs of a label sequence.

    `limits_of(label)` returns (min, max) for labels whose runs are checked and
    None for the others.
    The history run (label history_label, history_length days) joins the first
    run when the labels match. When the first day breaks it, the history run
    ends at the border and is charged for being short here, because the week
    before the horizon could not know that it ended.
    """
    cost = 0
    horizon = len(labels)
    start = 0
    if history_length > 0 and (horizon == 0 or labels[0] != history_label):
        limits = limits_of(history_label)
        if limits is not None:
            cost += max(0, limits[0] - history_length)

    while start < horizon:
        end = start
        while end + 1 < horizon and labels[end + 1] == labels[start]:
            end += 1
        limits = limits_of(labels[start])
        if limits is not None:
            prefix = history_length if start == 0 and labels[0] == history_label else 0
            cost += run_cost(prefix, end - start + 1, limits[0], limits[1], end == horizon - 1)
        start = end + 1
    return cost


def evaluate(scenario, history, weeks, solutions):
    """Compute hard violation counts and soft costs over the whole horizon.

    weeks is a list of (requirements, requests). solutions is a list of
    assignment lists, one per week, in the same order.
    """
    horizon = 7 * len(weeks)
    hard = {"H1": 0, "H2": 0, "H3": 0, "H4": 0}
    soft = {key: 0 for key in ("S1", "S2 shift", "S2 work", "S3", "S4", "S5", "S6", "S7")}

    # NOTE: when a nurse has several assignments on one day (an H1 violation),
    # all of them count for coverage, but the run constraints use the first one.
    schedule = {nurse: [OFF] * horizon for nurse in scenario.nurses}
    coverage = {}
    for week, assignments in enumerate(solutions):
        for nurse, day, shift, skill, _line in assignments:
            global_day = 7 * week + day
            if schedule[nurse][global_day] is not OFF:
                hard["H1"] += 1
            else:
                schedule[nurse][global_day] = shift
            if skill not in scenario.nurses[nurse][1]:
                hard["H4"] += 1
            key = (global_day, shift, skill)
            coverage[key] = coverage.get(key, 0) + 1

    for week, (requirements, requests) in enumerate(weeks):
        for (day, shift, skill), (minimum, optimum) in requirements.items():
            assigned = coverage.get((7 * week + day, shift, skill), 0)
            # NOTE: H2 counts missing nurses. The format notes do not say whether the
            # organisers' validator counts nurses or (day, shift, skill) cells.
            hard["H2"] += max(0, minimum - assigned)
            soft["S1"] += WEIGHT_OPTIMAL_COVERAGE * max(0, optimum - assigned)
        for nurse, shift, day in requests:
            worked = schedule[nurse][7 * week + day]
            if worked is not OFF and (shift is None or worked == shift):
                soft["S4"] += WEIGHT_SHIFT_OFF_REQUEST

    for nurse, (contract_name, _skills) in scenario.nurses.items():
        contract = scenario.contracts[contract_name]
        past = history[nurse]
        days = schedule[nurse]

        previous = past["last_shift"]
        for shift in days:
            if previous is not OFF and shift is not OFF and shift in scenario.forbidden.get(previous, ()):
                hard["H3"] += 1
            previous = shift

        soft["S2 shift"] += WEIGHT_CONSECUTIVE_SHIFT * evaluate_runs(
            days,
            past["last_shift"],
            past["consecutive_same_shift"] if past["last_shift"] is not OFF else 0,
            lambda label: None if label is OFF else scenario.shift_limits[label],
        )
        worked = ["work" if shift is not OFF else "off" for shift in days]
        soft["S2 work"] += WEIGHT_CONSECUTIVE_WORK * evaluate_runs(
            worked,
            "work",
            past["consecutive_work"] if past["last_shift"] is not OFF else 0,
            lambda label: contract["work"] if label == "work" else None,
        )
        soft["S3"] += WEIGHT_CONSECUTIVE_OFF * evaluate_runs(
            worked,
            "off",
            past["consecutive_off"] if past["last_shift"] is OFF else 0,
            lambda label: contract["off"] if label == "off" else None,
        )

        working_weekends = 0
        for week in range(len(weeks)):
            saturday = days[7 * week + 5] is not OFF
            sunday = days[7 * week + 6] is not OFF
            if saturday or sunday:
                working_weekends += 1
            if contract["complete_weekends"] and saturday != sunday:
                soft["S5"] += WEIGHT_COMPLETE_WEEKEND

        total = past["assignments"] + sum(1 for shift in days if shift is not OFF)
        minimum, maximum = contract["total"]
        soft["S6"] += WEIGHT_TOTAL_ASSIGNMENTS * (max(0, minimum - total) + max(0, total - maximum))
        weekends = past["weekends"] + working_weekends
        soft["S7"] += WEIGHT_WORKING_WEEKENDS * max(0, weekends - contract["max_weekends"])

    return hard, soft


def load_instance(dataset_dir, instance_name, solution_dir):
    dataset, history_index, week_files = parse_instance_name(instance_name)
    scenario = parse_scenario(os.path.join(dataset_dir, "Sc-%s.txt" % dataset))
    if scenario.name != dataset:
        raise InputError(
            os.path.join(dataset_dir, "Sc-%s.txt" % dataset), 1,
            "scenario name %r does not match the dataset %r of the instance name" % (scenario.name, dataset),
        )
    history = parse_history(os.path.join(dataset_dir, "H0-%s-%d.txt" % (dataset, history_index)), scenario)
    weeks = [parse_week(os.path.join(dataset_dir, "WD-%s-%d.txt" % (dataset, k)), scenario) for k in week_files]
    solutions = []
    for index, week_file in enumerate(week_files):
        path = os.path.join(solution_dir, "Sol-%s-%d-%d.txt" % (dataset, week_file, index))
        if not os.path.isfile(path):
            raise InputError(
                path, None,
                "solution file not found, expected one file per week named "
                "Sol-<dataset>-<weekfile>-<weekindex>.txt with the week index counted from 0",
            )
        solutions.append(parse_solution(path, scenario, index))
    return scenario, history, weeks, solutions


def print_report(scenario, hard, soft, week_count):
    if week_count != scenario.weeks:
        print("warning: the instance has %d weeks, the scenario declares WEEKS = %d" % (week_count, scenario.weeks))
    print("H1 single assignment per day violations: %d" % hard["H1"])
    print("H2 minimum coverage violations (missing nurses): %d" % hard["H2"])
    print("H3 forbidden shift succession violations: %d" % hard["H3"])
    print("H4 required skill violations: %d" % hard["H4"])
    print("S1 optimal coverage: %d" % soft["S1"])
    print(
        "S2 consecutive assignments: %d (same shift type %d, working days %d)"
        % (soft["S2 shift"] + soft["S2 work"], soft["S2 shift"], soft["S2 work"])
    )
    print("S3 consecutive days off: %d" % soft["S3"])
    print("S4 shift-off requests: %d" % soft["S4"])
    print("S5 complete weekends: %d" % soft["S5"])
    print("S6 total assignments: %d" % soft["S6"])
    print("S7 working weekends: %d" % soft["S7"])
    print("total %d" % sum(soft.values()))


def main(argv):
    if len(argv) != 4:
        print(
            "usage: %s DATASET_DIR INSTANCE_NAME SOLUTION_DIR\n"
            "example: %s benchmarks/inrc2/n030w4 n030w4_1_6-2-9-1 solutions/" % (argv[0], argv[0]),
            file=sys.stderr,
        )
        return 2
    try:
        scenario, history, weeks, solutions = load_instance(argv[1], argv[2], argv[3])
    except InputError as error:
        print("error: %s" % error, file=sys.stderr)
        return 2

    hard, soft = evaluate(scenario, history, weeks, solutions)
    print_report(scenario, hard, soft, len(weeks))
    return 1 if any(hard.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
