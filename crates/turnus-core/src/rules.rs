//! The rule set as data: stable rule ids, presets (`ab`, `atl`, `benchmark`), parameters and
//! soft-goal weights, with per-unit overrides by name. No rule number lives anywhere else.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A rule's stable id. `H*` are hard rules, `S*` soft goals, `B*` the extra hard rules that
/// benchmark instances state (per-employee limits of the Curtois & Qu format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RuleId {
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    H7,
    H8,
    H9,
    H10,
    H11,
    H12,
    S1,
    S2,
    S3,
    S4,
    S5,
    S6,
    S7,
    S8,
    S9,
    S10,
    S12,
    B1,
    B2,
    B3,
    B4,
    B5,
    B6,
}

impl RuleId {
    /// Every rule, in catalog order.
    pub const ALL: [RuleId; 29] = [
        RuleId::H1,
        RuleId::H2,
        RuleId::H3,
        RuleId::H4,
        RuleId::H5,
        RuleId::H6,
        RuleId::H7,
        RuleId::H8,
        RuleId::H9,
        RuleId::H10,
        RuleId::H11,
        RuleId::H12,
        RuleId::S1,
        RuleId::S2,
        RuleId::S3,
        RuleId::S4,
        RuleId::S5,
        RuleId::S6,
        RuleId::S7,
        RuleId::S8,
        RuleId::S9,
        RuleId::S10,
        RuleId::S12,
        RuleId::B1,
        RuleId::B2,
        RuleId::B3,
        RuleId::B4,
        RuleId::B5,
        RuleId::B6,
    ];

    /// The id as written in rule tables, reports and `[weights]` keys.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::H1 => "H1",
            RuleId::H2 => "H2",
            RuleId::H3 => "H3",
            RuleId::H4 => "H4",
            RuleId::H5 => "H5",
            RuleId::H6 => "H6",
            RuleId::H7 => "H7",
            RuleId::H8 => "H8",
            RuleId::H9 => "H9",
            RuleId::H10 => "H10",
            RuleId::H11 => "H11",
            RuleId::H12 => "H12",
            RuleId::S1 => "S1",
            RuleId::S2 => "S2",
            RuleId::S3 => "S3",
            RuleId::S4 => "S4",
            RuleId::S5 => "S5",
            RuleId::S6 => "S6",
            RuleId::S7 => "S7",
            RuleId::S8 => "S8",
            RuleId::S9 => "S9",
            RuleId::S10 => "S10",
            RuleId::S12 => "S12",
            RuleId::B1 => "B1",
            RuleId::B2 => "B2",
            RuleId::B3 => "B3",
            RuleId::B4 => "B4",
            RuleId::B5 => "B5",
            RuleId::B6 => "B6",
        }
    }

    /// Whether breaking the rule makes a schedule illegal. S3 is soft inside its tolerance
    /// band and reports hard findings outside it.
    pub fn is_hard(self) -> bool {
        self.as_str().starts_with(['H', 'B'])
    }

    /// Short label in Swedish.
    pub fn label_sv(self) -> &'static str {
        match self {
            RuleId::H1 => "överlappande pass",
            RuleId::H2 => "kompetens",
            RuleId::H3 => "frånvaro eller fast ledighet",
            RuleId::H4 => "dygnsvila",
            RuleId::H5 => "veckovila",
            RuleId::H6 => "total arbetstid",
            RuleId::H7 => "rast",
            RuleId::H8 => "nattarbete",
            RuleId::H9 => "historik",
            RuleId::H10 => "arbetsdagar i följd",
            RuleId::H11 => "fridagar",
            RuleId::H12 => "helger",
            RuleId::S1 => "minimibemanning",
            RuleId::S2 => "idealbemanning",
            RuleId::S3 => "avtalad arbetstid",
            RuleId::S4 => "önskemål",
            RuleId::S5 => "rättvis fördelning",
            RuleId::S6 => "proportionerligt antal pass",
            RuleId::S7 => "ryggpass",
            RuleId::S8 => "delade turer",
            RuleId::S9 => "sammanhållna dagar",
            RuleId::S10 => "stabila passtyper",
            RuleId::S12 => "hela helger",
            RuleId::B1 => "förbjuden passföljd",
            RuleId::B2 => "högsta antal pass per typ",
            RuleId::B3 => "total arbetstid i perioden",
            RuleId::B4 => "minsta antal arbetsdagar i följd",
            RuleId::B5 => "minsta antal lediga dagar i följd",
            RuleId::B6 => "högsta antal arbetshelger",
        }
    }

    /// Short label in English.
    pub fn label_en(self) -> &'static str {
        match self {
            RuleId::H1 => "overlapping shifts",
            RuleId::H2 => "skill",
            RuleId::H3 => "absence or fixed day off",
            RuleId::H4 => "daily rest",
            RuleId::H5 => "weekly rest",
            RuleId::H6 => "total working time",
            RuleId::H7 => "breaks",
            RuleId::H8 => "night work",
            RuleId::H9 => "history",
            RuleId::H10 => "consecutive working days",
            RuleId::H11 => "days off",
            RuleId::H12 => "weekends",
            RuleId::S1 => "minimum cover",
            RuleId::S2 => "ideal cover",
            RuleId::S3 => "contract hours",
            RuleId::S4 => "wishes",
            RuleId::S5 => "fair burden",
            RuleId::S6 => "proportional shifts",
            RuleId::S7 => "evening then morning (ryggpass)",
            RuleId::S8 => "split shifts",
            RuleId::S9 => "compact days",
            RuleId::S10 => "stable shift types",
            RuleId::S12 => "whole weekends",
            RuleId::B1 => "forbidden shift succession",
            RuleId::B2 => "maximum shifts per type",
            RuleId::B3 => "total minutes in the period",
            RuleId::B4 => "minimum consecutive working days",
            RuleId::B5 => "minimum consecutive days off",
            RuleId::B6 => "maximum worked weekends",
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RuleId {
    type Err = RuleSetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuleId::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| RuleSetError::UnknownRule(s.to_string()))
    }
}

/// A named rule preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// Municipal care under AB and HÖK: every rule, with AB's rest rules since 2023-10-01.
    Ab,
    /// The statutory rules of Arbetstidslagen only (H1–H8 with ATL's defaults).
    Atl,
    /// Research instances: only what the instance file states.
    Benchmark,
}

impl FromStr for Preset {
    type Err = RuleSetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ab" => Ok(Preset::Ab),
            "atl" => Ok(Preset::Atl),
            "benchmark" => Ok(Preset::Benchmark),
            _ => Err(RuleSetError::UnknownPreset(s.to_string())),
        }
    }
}

/// How night work (H8) is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum NightWork {
    /// Not checked (the default: a unit turns it on).
    Off,
    /// ATL §13a: at most `max_minutes` per 24 h on average over the period, after deducting
    /// 24 h for every started 7-day period.
    Average { max_minutes: i64 },
    /// Especially strenuous night work: at most `max_minutes` in any 24 h that contains night
    /// work.
    Hard { max_minutes: i64 },
}

/// Rule parameters. Durations are minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleParams {
    pub daily_rest_minutes: i64,
    pub weekly_rest_minutes: i64,
    pub max_average_weekly_minutes: i64,
    pub max_work_without_break_minutes: i64,
    pub night_work: NightWork,
    pub max_consecutive_days: u32,
    pub days_off_min: u32,
    pub days_off_per: u32,
    pub weekends_max: u32,
    pub weekends_of: u32,
    pub history_days: u32,
    /// Weekly full-time measure for staff without their own.
    pub full_time_minutes: u32,
    /// S3: deviation from target hours that stays soft, over the period.
    pub hours_tolerance_minutes: i64,
    pub publish_notice_days: u32,
    /// S1/S2: scale cover penalties by the shift's paid hours.
    pub cover_scaled_by_hours: bool,
    /// S4: give every employee's wishes the same total weight.
    pub wishes_normalized: bool,
    /// H1: at most one shift starting per employee and day (benchmark instances).
    pub one_shift_per_day: bool,
}

/// Soft-goal weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub min_cover: i64,
    pub ideal_cover_under: i64,
    pub cover_over: i64,
    pub contract_hours: i64,
    pub wish: i64,
    pub fair_burden: i64,
    pub proportional_shifts: i64,
    pub ryggpass: i64,
    pub split_shift: i64,
    pub compact_days: i64,
    pub stable_shift_types: i64,
    pub whole_weekends: i64,
}

/// A set of rules as one bit per rule, so the scoring's hot loops ask in one instruction
/// whether a rule is on. It reads and writes as a list of rule ids.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "Vec<RuleId>", from = "Vec<RuleId>")]
pub struct RuleMask(u32);

impl RuleMask {
    fn bit(rule: RuleId) -> u32 {
        1 << rule as u32
    }

    pub fn contains(&self, rule: &RuleId) -> bool {
        self.0 & Self::bit(*rule) != 0
    }

    pub fn insert(&mut self, rule: RuleId) {
        self.0 |= Self::bit(rule);
    }

    pub fn remove(&mut self, rule: &RuleId) {
        self.0 &= !Self::bit(*rule);
    }

    /// Lists the rules in the set, in catalog order.
    pub fn iter(&self) -> impl Iterator<Item = RuleId> + '_ {
        RuleId::ALL.into_iter().filter(|r| self.contains(r))
    }

    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
}

impl FromIterator<RuleId> for RuleMask {
    fn from_iter<I: IntoIterator<Item = RuleId>>(iter: I) -> Self {
        let mut mask = RuleMask::default();
        for rule in iter {
            mask.insert(rule);
        }
        mask
    }
}

impl From<Vec<RuleId>> for RuleMask {
    fn from(rules: Vec<RuleId>) -> Self {
        rules.into_iter().collect()
    }
}

impl From<RuleMask> for Vec<RuleId> {
    fn from(mask: RuleMask) -> Self {
        mask.iter().collect()
    }
}

/// A rule set: which rules are on, with their parameters and weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleSet {
    pub preset: Preset,
    pub enabled: RuleMask,
    pub params: RuleParams,
    pub weights: Weights,
}

/// An invalid rule override.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleSetError {
    #[error("unknown rule preset {0:?}; use ab, atl or benchmark")]
    UnknownPreset(String),
    #[error("unknown rule id {0:?}")]
    UnknownRule(String),
    #[error("unknown rule parameter {0:?}")]
    UnknownParameter(String),
    #[error("rule parameter {key:?} has the invalid value {value}: {expected}")]
    InvalidValue { key: String, value: String, expected: &'static str },
}

const HOUR: i64 = 60;

impl RuleSet {
    /// The rule set of a preset with its default parameters.
    pub fn preset(preset: Preset) -> RuleSet {
        let params = RuleParams {
            daily_rest_minutes: 11 * HOUR,
            weekly_rest_minutes: 36 * HOUR,
            max_average_weekly_minutes: 48 * HOUR,
            max_work_without_break_minutes: 5 * HOUR,
            night_work: NightWork::Off,
            max_consecutive_days: 6,
            days_off_min: 9,
            days_off_per: 28,
            weekends_max: 1,
            weekends_of: 2,
            history_days: 14,
            // AB: 38 h 15 min for rotating work that includes Sundays and holidays.
            full_time_minutes: 38 * 60 + 15,
            hours_tolerance_minutes: 4 * HOUR,
            publish_notice_days: 14,
            cover_scaled_by_hours: true,
            wishes_normalized: true,
            one_shift_per_day: false,
        };
        let weights = Weights {
            min_cover: 1000,
            ideal_cover_under: 50,
            cover_over: 10,
            contract_hours: 20,
            wish: 10,
            fair_burden: 30,
            proportional_shifts: 20,
            ryggpass: 15,
            split_shift: 40,
            compact_days: 5,
            stable_shift_types: 3,
            whole_weekends: 20,
        };
        use RuleId::*;
        let enabled: RuleMask = match preset {
            Preset::Ab => [
                H1, H2, H3, H4, H5, H6, H7, H8, H9, H10, H11, H12, S1, S2, S3, S4, S5, S6, S7, S8, S9, S10,
                S12,
            ]
            .into_iter()
            .collect(),
            Preset::Atl => [H1, H2, H3, H4, H5, H6, H7, H8, H9, S1, S2, S3, S4].into_iter().collect(),
            Preset::Benchmark => [H1, H3, H10, S1, S2, S4, B1, B2, B3, B4, B5, B6].into_iter().collect(),
        };
        let mut set = RuleSet { preset, enabled, params, weights };
        if preset == Preset::Atl {
            // ATL has no consecutive-day, days-off or weekend limits; contract hours stay
            // soft guidance with the same tolerance.
            set.params.max_consecutive_days = u32::MAX;
        }
        if preset == Preset::Benchmark {
            set.params.cover_scaled_by_hours = false;
            set.params.wishes_normalized = false;
            set.params.one_shift_per_day = true;
            set.params.history_days = 0;
            set.params.max_consecutive_days = u32::MAX;
            set.weights.min_cover = 100;
            set.weights.ideal_cover_under = 0;
            set.weights.cover_over = 1;
            set.weights.wish = 1;
        }
        set
    }

    /// Whether a rule is switched on.
    #[inline]
    pub fn is_enabled(&self, rule: RuleId) -> bool {
        self.enabled.contains(&rule)
    }

    /// Applies one `[rules]` override by its bundle name. Numbers are hours, days or counts
    /// as the bundle format documents; `value` is the TOML value as text.
    ///
    /// # Errors
    ///
    /// Returns [`RuleSetError`] for an unknown key or a value of the wrong kind.
    pub fn set_number(&mut self, key: &str, value: f64) -> Result<(), RuleSetError> {
        let invalid = |expected| RuleSetError::InvalidValue {
            key: key.to_string(),
            value: value.to_string(),
            expected,
        };
        let hours = |v: f64| -> Result<i64, RuleSetError> {
            if v.is_finite() && (0.0..=24.0 * 7.0 * 4.0).contains(&v) {
                // Rounded to whole minutes: the rules measure minutes.
                Ok((v * 60.0).round() as i64)
            } else {
                Err(invalid("a number of hours from 0 up"))
            }
        };
        let count = |v: f64| -> Result<u32, RuleSetError> {
            if v.is_finite() && v.fract() == 0.0 && (0.0..=10_000.0).contains(&v) {
                Ok(v as u32)
            } else {
                Err(invalid("a whole number from 0 up"))
            }
        };
        let p = &mut self.params;
        match key {
            "daily_rest_hours" => p.daily_rest_minutes = hours(value)?,
            "weekly_rest_hours" => p.weekly_rest_minutes = hours(value)?,
            "max_average_weekly_hours" => p.max_average_weekly_minutes = hours(value)?,
            "max_work_without_break_hours" => p.max_work_without_break_minutes = hours(value)?,
            "max_consecutive_days" => p.max_consecutive_days = count(value)?,
            "history_days" => p.history_days = count(value)?,
            "full_time_hours" => {
                let minutes = hours(value)?;
                p.full_time_minutes = u32::try_from(minutes).map_err(|_| invalid("hours per week"))?;
            }
            "hours_tolerance" => p.hours_tolerance_minutes = hours(value)?,
            "publish_notice_days" => p.publish_notice_days = count(value)?,
            "night_work_max_hours" => {
                let max_minutes = hours(value)?;
                p.night_work = match p.night_work {
                    NightWork::Hard { .. } => NightWork::Hard { max_minutes },
                    _ => NightWork::Average { max_minutes },
                };
            }
            _ => return Err(RuleSetError::UnknownParameter(key.to_string())),
        }
        Ok(())
    }

    /// Sets a pair parameter (`days_off = { min, per }`, `weekends = { max, of }`).
    ///
    /// # Errors
    ///
    /// Returns [`RuleSetError`] for an unknown key or a zero period.
    pub fn set_pair(&mut self, key: &str, first: u32, second: u32) -> Result<(), RuleSetError> {
        if second == 0 {
            return Err(RuleSetError::InvalidValue {
                key: key.to_string(),
                value: second.to_string(),
                expected: "a period of at least 1",
            });
        }
        match key {
            "days_off" => {
                self.params.days_off_min = first;
                self.params.days_off_per = second;
            }
            "weekends" => {
                self.params.weekends_max = first;
                self.params.weekends_of = second;
            }
            _ => return Err(RuleSetError::UnknownParameter(key.to_string())),
        }
        Ok(())
    }

    /// Sets the night-work mode: `off`, `average` or `hard`.
    ///
    /// # Errors
    ///
    /// Returns [`RuleSetError::InvalidValue`] for any other word.
    pub fn set_night_work(&mut self, mode: &str) -> Result<(), RuleSetError> {
        let current = match self.params.night_work {
            NightWork::Average { max_minutes } | NightWork::Hard { max_minutes } => max_minutes,
            NightWork::Off => 8 * HOUR,
        };
        self.params.night_work = match mode {
            "off" => NightWork::Off,
            "average" => NightWork::Average { max_minutes: current },
            "hard" => NightWork::Hard { max_minutes: current },
            _ => {
                return Err(RuleSetError::InvalidValue {
                    key: "night_work".into(),
                    value: mode.into(),
                    expected: "off, average or hard",
                });
            }
        };
        Ok(())
    }

    /// Overrides a soft-goal weight by rule id; `S2` sets the under-ideal weight and `S2_over`
    /// the over-ideal weight.
    ///
    /// # Errors
    ///
    /// Returns [`RuleSetError::UnknownRule`] for a key that names no soft goal.
    pub fn set_weight(&mut self, key: &str, weight: i64) -> Result<(), RuleSetError> {
        if weight < 0 {
            return Err(RuleSetError::InvalidValue {
                key: key.to_string(),
                value: weight.to_string(),
                expected: "a weight of 0 or more",
            });
        }
        let w = &mut self.weights;
        match key.trim().to_ascii_uppercase().as_str() {
            "S1" => w.min_cover = weight,
            "S2" => w.ideal_cover_under = weight,
            "S2_OVER" => w.cover_over = weight,
            "S3" => w.contract_hours = weight,
            "S4" => w.wish = weight,
            "S5" => w.fair_burden = weight,
            "S6" => w.proportional_shifts = weight,
            "S7" => w.ryggpass = weight,
            "S8" => w.split_shift = weight,
            "S9" => w.compact_days = weight,
            "S10" => w.stable_shift_types = weight,
            "S12" => w.whole_weekends = weight,
            _ => return Err(RuleSetError::UnknownRule(key.to_string())),
        }
        Ok(())
    }

    /// Switches a rule on or off.
    pub fn set_enabled(&mut self, rule: RuleId, on: bool) {
        if on {
            self.enabled.insert(rule);
        } else {
            self.enabled.remove(&rule);
        }
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet::preset(Preset::Ab)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_round_trip() {
        for rule in RuleId::ALL {
            assert_eq!(rule.as_str().parse::<RuleId>().unwrap(), rule);
        }
    }

    #[test]
    fn overrides_by_name() {
        let mut set = RuleSet::preset(Preset::Ab);
        set.set_number("daily_rest_hours", 9.0).unwrap();
        assert_eq!(set.params.daily_rest_minutes, 540);
        set.set_pair("weekends", 2, 5).unwrap();
        assert_eq!((set.params.weekends_max, set.params.weekends_of), (2, 5));
        assert_eq!(
            set.set_number("daily_rest", 9.0),
            Err(RuleSetError::UnknownParameter("daily_rest".into()))
        );
        assert!(set.set_number("max_consecutive_days", 6.5).is_err());
        set.set_weight("s1", 500).unwrap();
        assert_eq!(set.weights.min_cover, 500);
    }
}
