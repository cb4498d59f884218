//! Explanations in Swedish and English: why a cover row is below its minimum, and why a wish
//! was not granted. Each reason is found by trying the change on the employee's row and
//! reading which rules it would break.

use std::collections::BTreeMap;

use crate::compile::{CWish, CWishKind, Compiled, DayIndex, EmpIdx, OFF, ShiftIdx, Work};
use crate::eval::row::{RowScratch, row_findings};
use crate::rules::RuleId;

/// The row with the works of `day` replaced by `shift` (or removed for [`OFF`]).
fn with_day(c: &Compiled, row: &[Work], day: DayIndex, shift: ShiftIdx) -> Vec<Work> {
    let mut out: Vec<Work> = row.iter().copied().filter(|w| w.day != day).collect();
    if shift != OFF {
        out.push(c.work(day, shift));
        out.sort_by_key(|w| (w.start, w.end, w.shift));
    }
    out
}

/// The hard rules a row breaks that `before` did not, by id.
fn new_hard_rules(c: &Compiled, e: EmpIdx, before: &[Work], after: &[Work]) -> Vec<RuleId> {
    let mut scratch = RowScratch::default();
    let count = |row: &[Work], scratch: &mut RowScratch| {
        let (_, found) = row_findings(c, e, row, scratch);
        let mut per: BTreeMap<RuleId, i64> = BTreeMap::new();
        for f in found.iter().filter(|f| f.hard) {
            *per.entry(f.rule).or_default() += f.penalty;
        }
        per
    };
    let old = count(before, &mut scratch);
    let new = count(after, &mut scratch);
    new.into_iter().filter(|(r, p)| *p > old.get(r).copied().unwrap_or(0)).map(|(r, _)| r).collect()
}

fn rule_list(rules: &[RuleId]) -> (String, String) {
    let sv: Vec<String> = rules.iter().map(|r| format!("{} ({r})", r.label_sv())).collect();
    let en: Vec<String> = rules.iter().map(|r| format!("{} ({r})", r.label_en())).collect();
    (sv.join(", "), en.join(", "))
}

/// Why cover row `index` is below its minimum: what keeps each employee off it.
pub fn explain_gap(c: &Compiled, index: usize, rows: &[Vec<Work>]) -> (String, String) {
    let row = &c.cover[index];
    let day = row.day as usize;
    let mut absent = 0;
    let mut no_skill = 0;
    let mut pinned = 0;
    let mut other_shift = 0;
    let mut would_break: BTreeMap<RuleId, u32> = BTreeMap::new();
    let mut available = 0;
    for e in 0..c.emps.len() {
        let e = e as EmpIdx;
        let full = &rows[e as usize];
        let works_today: Vec<&Work> = full.iter().filter(|w| w.day == row.day).collect();
        if works_today.iter().any(|w| w.shift == row.shift) {
            continue;
        }
        let emp = &c.emps[e as usize];
        let work = c.work(row.day, row.shift);
        let skill_ok = c.counts_for(e, row)
            && c.shifts[usize::from(row.shift)].skill.is_none_or(|k| c.skill_valid(e, k, day));
        if !skill_ok {
            no_skill += 1;
        } else if emp.absences.iter().any(|(a, b, ..)| work.start < *b && work.end > *a) {
            absent += 1;
        } else if c.pin(e, day).is_some() {
            pinned += 1;
        } else if !works_today.is_empty() {
            other_shift += 1;
        } else {
            let after = with_day(c, full, row.day, row.shift);
            let broken = new_hard_rules(c, e, full, &after);
            if broken.is_empty() {
                available += 1;
            } else {
                for r in broken {
                    *would_break.entry(r).or_default() += 1;
                }
            }
        }
    }

    let skill_sv = row.skill.map(|k| format!(" med {}", c.skills[usize::from(k)])).unwrap_or_default();
    let skill_en = row.skill.map(|k| format!(" with {}", c.skills[usize::from(k)])).unwrap_or_default();
    let mut sv = Vec::new();
    let mut en = Vec::new();
    if absent > 0 {
        sv.push(format!("{absent} frånvarande"));
        en.push(format!("{absent} absent"));
    }
    if no_skill > 0 {
        sv.push(format!("{no_skill} utan giltig kompetens{skill_sv}"));
        en.push(format!("{no_skill} without a valid skill{skill_en}"));
    }
    if pinned > 0 {
        sv.push(format!("{pinned} låsta till annat"));
        en.push(format!("{pinned} pinned to something else"));
    }
    if other_shift > 0 {
        sv.push(format!("{other_shift} arbetar annat pass"));
        en.push(format!("{other_shift} work another shift"));
    }
    for (rule, n) in &would_break {
        sv.push(format!("{n} skulle bryta mot {} ({rule})", rule.label_sv()));
        en.push(format!("{n} would break {} ({rule})", rule.label_en()));
    }
    if available > 0 {
        sv.push(format!("{available} lediga men behövs för andra mål (arbetstid, önskemål, rättvisa)"));
        en.push(format!("{available} free but weighed against other goals (hours, wishes, fairness)"));
    }
    (format!("Orsak: {}.", sv.join(", ")), format!("Reason: {}.", en.join(", ")))
}

/// Why a wish was not granted.
pub fn explain_wish(
    c: &Compiled,
    e: EmpIdx,
    row: &[Work],
    wish: &CWish,
    rows: &[Vec<Work>],
) -> (String, String) {
    let day = wish.day;
    let d = day as usize;
    let scheduled: Vec<&Work> = row.iter().filter(|w| w.day == day).collect();
    let now_sv = match scheduled.first() {
        Some(w) => format!("Schemalagd {}", c.shifts[usize::from(w.shift)].code),
        None => "Ledig".to_string(),
    };
    let now_en = match scheduled.first() {
        Some(w) => format!("Scheduled {}", c.shifts[usize::from(w.shift)].code),
        None => "Off".to_string(),
    };

    // The change that would grant the wish: a shift on the day, or the day off.
    let candidates: Vec<ShiftIdx> = match wish.kind {
        CWishKind::Work(Some(s)) => vec![s],
        CWishKind::Work(None) => (0..c.shifts.len() as ShiftIdx).collect(),
        CWishKind::Off | CWishKind::Avoid(_) => vec![OFF],
    };
    let allowed: Vec<ShiftIdx> =
        candidates.iter().copied().filter(|&s| s == OFF || c.allowed(e, d, s)).collect();
    if allowed.is_empty() {
        return (
            format!("{now_sv}: passet är inte möjligt den dagen (kompetens, frånvaro eller låsning)."),
            format!("{now_en}: the shift is not possible that day (skill, absence or a pin)."),
        );
    }
    if c.pin(e, d).is_some() {
        return (
            format!("{now_sv}: dagen är låst av schemaläggaren."),
            format!("{now_en}: the day is pinned by the scheduler."),
        );
    }

    let mut least_broken: Option<Vec<RuleId>> = None;
    for &s in &allowed {
        let after = with_day(c, row, day, s);
        let broken = new_hard_rules(c, e, row, &after);
        if broken.is_empty() {
            least_broken = Some(Vec::new());
            break;
        }
        if least_broken.as_ref().is_none_or(|b| broken.len() < b.len()) {
            least_broken = Some(broken);
        }
    }
    if let Some(broken) = least_broken.filter(|b| !b.is_empty()) {
        let (sv, en) = rule_list(&broken);
        return (
            format!("{now_sv}: att uppfylla önskemålet skulle bryta mot {sv}."),
            format!("{now_en}: granting it would break {en}."),
        );
    }

    // Legal but costlier: name the cover the current shift keeps, if any.
    if let Some(w) = scheduled.first() {
        for &r in c.cover_rows(d, w.shift) {
            let cover = &c.cover[r as usize];
            if !c.counts_for(e, cover) {
                continue;
            }
            let count = rows
                .iter()
                .enumerate()
                .filter(|(x, rw)| {
                    c.counts_for(*x as EmpIdx, cover)
                        && rw.iter().any(|v| v.day == day && v.shift == cover.shift)
                })
                .count() as u32;
            if count <= cover.min {
                let code = &c.shifts[usize::from(w.shift)].code;
                return (
                    format!(
                        "{now_sv}: behövs för minimibemanningen på {code} ({count} av minst {})",
                        cover.min
                    ),
                    format!(
                        "{now_en}: needed for the minimum cover of {code} ({count} of at least {})",
                        cover.min
                    ),
                );
            }
        }
    }
    (
        format!("{now_sv}: bemanning, arbetstid och andras önskemål vägde tyngre."),
        format!("{now_en}: cover, hours and others' wishes weighed more."),
    )
}
