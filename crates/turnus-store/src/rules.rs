//! A unit's rule set as stored: its preset plus one `rule_overrides` row per field that
//! differs from the preset (`params.daily_rest_minutes`, `weights.min_cover`, `enabled.H8`),
//! each with its value as JSON. The notice period lives in `units.publish_notice_days`
//! instead, because the workflow reads it without the rule set.

use std::collections::BTreeMap;

use serde_json::Value;
use turnus_core::{Preset, RuleId, RuleSet};

use crate::error::{Result, StoreError};

/// The parameter stored in its own column rather than as an override.
const NOTICE_KEY: &str = "publish_notice_days";

/// The overrides that turn `RuleSet::preset(rules.preset)` into `rules`, as (key, JSON).
pub(crate) fn overrides_of(rules: &RuleSet) -> Result<Vec<(String, String)>> {
    let base = RuleSet::preset(rules.preset);
    let base_value = serde_json::to_value(&base)?;
    let value = serde_json::to_value(rules)?;
    let mut overrides = Vec::new();
    for section in ["params", "weights"] {
        let (Some(Value::Object(fields)), Some(Value::Object(base_fields))) =
            (value.get(section), base_value.get(section))
        else {
            return Err(StoreError::Corrupt(format!("rule set has no {section} object")));
        };
        for (field, field_value) in fields {
            if section == "params" && field == NOTICE_KEY {
                continue;
            }
            if base_fields.get(field) != Some(field_value) {
                overrides.push((format!("{section}.{field}"), serde_json::to_string(field_value)?));
            }
        }
    }
    for rule in RuleId::ALL {
        if rules.is_enabled(rule) != base.is_enabled(rule) {
            overrides.push((format!("enabled.{rule}"), rules.is_enabled(rule).to_string()));
        }
    }
    Ok(overrides)
}

/// Rebuilds a rule set from its preset, stored overrides and notice period.
pub(crate) fn rules_from(
    preset: Preset,
    overrides: &[(String, String)],
    notice_days: u32,
) -> Result<RuleSet> {
    let mut value = serde_json::to_value(RuleSet::preset(preset))?;
    let mut enabled = BTreeMap::new();
    for (key, text) in overrides {
        let unknown = || StoreError::Corrupt(format!("unknown rule override {key:?}"));
        let (section, field) = key.split_once('.').ok_or_else(unknown)?;
        let field_value: Value = serde_json::from_str(text)?;
        match section {
            "params" | "weights" => {
                let slot = value.get_mut(section).and_then(|s| s.get_mut(field)).ok_or_else(unknown)?;
                *slot = field_value;
            }
            "enabled" => {
                let rule: RuleId = field.parse().map_err(|_| unknown())?;
                let on = field_value.as_bool().ok_or_else(unknown)?;
                enabled.insert(rule, on);
            }
            _ => return Err(unknown()),
        }
    }
    let mut rules: RuleSet = serde_json::from_value(value)?;
    for (rule, on) in enabled {
        rules.set_enabled(rule, on);
    }
    rules.params.publish_notice_days = notice_days;
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use turnus_core::NightWork;

    #[test]
    fn preset_has_no_overrides() {
        for preset in [Preset::Ab, Preset::Atl, Preset::Benchmark] {
            assert_eq!(overrides_of(&RuleSet::preset(preset)).unwrap(), vec![]);
        }
    }

    #[test]
    fn overrides_round_trip() {
        let mut rules = RuleSet::preset(Preset::Ab);
        rules.set_number("daily_rest_hours", 9.0).unwrap();
        rules.set_pair("weekends", 2, 5).unwrap();
        rules.set_weight("S4", 25).unwrap();
        rules.params.night_work = NightWork::Hard { max_minutes: 480 };
        rules.set_enabled(RuleId::S12, false);
        rules.params.publish_notice_days = 21;

        let overrides = overrides_of(&rules).unwrap();
        let keys: Vec<&str> = overrides.iter().map(|(k, _)| k.as_str()).collect();
        assert!(keys.contains(&"params.daily_rest_minutes"), "{keys:?}");
        assert!(keys.contains(&"enabled.S12"), "{keys:?}");
        assert!(!keys.iter().any(|k| k.contains(NOTICE_KEY)), "{keys:?}");
        assert_eq!(rules_from(Preset::Ab, &overrides, 21).unwrap(), rules);
    }

    #[test]
    fn unknown_override_is_corrupt() {
        let overrides = vec![("params.no_such_rule".to_string(), "1".to_string())];
        assert!(matches!(rules_from(Preset::Ab, &overrides, 14), Err(StoreError::Corrupt(_))));
    }
}
