//! Value parsers of the command-line arguments, with their errors in the user's language.
//! clap's own parsers (`value_parser!(u64)`, ranges, socket addresses) word them in English.
//! The usage error prints the text after the argument and its value.

use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

use turnus_core::Lang;
use turnus_server::IpRange;

/// Parses a duration such as `30s`, `2m`, `1500ms`, `1h` or a bare number of seconds.
pub fn duration(lang: Lang) -> impl Fn(&str) -> Result<Duration, String> + Clone + Send + Sync + 'static {
    move |text| parse_duration(text, lang)
}

pub(crate) fn parse_duration(text: &str, lang: Lang) -> Result<Duration, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().map_err(|_| match lang {
        Lang::Sv => "skriv en tidslängd som 30s, 2m eller 500ms".to_string(),
        Lang::En => "write a duration such as 30s, 2m or 500ms".to_string(),
    })?;
    let seconds = match unit.trim() {
        "" | "s" | "sek" | "sec" => value,
        "ms" => value / 1000.0,
        "m" | "min" => value * 60.0,
        "h" | "tim" => value * 3600.0,
        other => {
            return Err(match lang {
                Lang::Sv => format!("okänd enhet {other:?}; använd ms, s, m eller h"),
                Lang::En => format!("unknown unit {other:?}; use ms, s, m or h"),
            });
        }
    };
    // `try_from_secs_f64` rejects what does not fit a `Duration` (above about 584 billion
    // years), where `from_secs_f64` would panic.
    Duration::try_from_secs_f64(seconds).map_err(|_| match lang {
        Lang::Sv => "för lång tid; skriv t.ex. 30s, 2m eller 1h".to_string(),
        Lang::En => "too long; write e.g. 30s, 2m or 1h".to_string(),
    })
}

/// Parses a whole number from 0 up, such as a thread count or a seed.
pub fn whole_number<T>(lang: Lang) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: FromStr + Clone + Send + Sync + 'static,
{
    move |text: &str| {
        text.trim().parse().map_err(|_| match lang {
            Lang::Sv => "skriv ett heltal från 0 och uppåt, t.ex. 4".to_string(),
            Lang::En => "write a whole number from 0 up, e.g. 4".to_string(),
        })
    }
}

/// Parses a whole number from `min` to `max`, both included.
pub fn whole_number_in(
    lang: Lang,
    min: u64,
    max: u64,
) -> impl Fn(&str) -> Result<u64, String> + Clone + Send + Sync + 'static {
    move |text| match text.trim().parse::<u64>() {
        Ok(value) if (min..=max).contains(&value) => Ok(value),
        _ => Err(match lang {
            Lang::Sv => format!("skriv ett heltal från {min} till {max}"),
            Lang::En => format!("write a whole number from {min} to {max}"),
        }),
    }
}

/// Parses an IP address with its port, such as `127.0.0.1:8080`.
pub fn socket_address(
    lang: Lang,
) -> impl Fn(&str) -> Result<SocketAddr, String> + Clone + Send + Sync + 'static {
    move |text| {
        text.trim().parse().map_err(|_| match lang {
            Lang::Sv => "skriv en IP-adress med port, t.ex. 127.0.0.1:8080 eller [::1]:8080".to_string(),
            Lang::En => "write an IP address with a port, e.g. 127.0.0.1:8080 or [::1]:8080".to_string(),
        })
    }
}

/// Parses an IP address or a CIDR range such as `10.0.0.0/8`.
pub fn ip_range(lang: Lang) -> impl Fn(&str) -> Result<IpRange, String> + Clone + Send + Sync + 'static {
    move |text| {
        text.parse::<IpRange>().map_err(|english| match lang {
            Lang::Sv => {
                "skriv en IP-adress eller ett CIDR-intervall, t.ex. 10.0.0.5 eller 10.0.0.0/8".to_string()
            }
            Lang::En => english,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("30s", Lang::Sv), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2m", Lang::Sv), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("500ms", Lang::Sv), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("60", Lang::Sv), Ok(Duration::from_secs(60)));
        assert!(parse_duration("soon", Lang::Sv).is_err());
        assert!(parse_duration("5 weeks", Lang::Sv).is_err());
    }

    #[test]
    fn huge_duration_is_an_error() {
        let error = parse_duration("99999999999999999999999h", Lang::En).unwrap_err();
        assert!(error.starts_with("too long"), "{error}");
    }

    #[test]
    fn bad_duration_worded_in_each_language() {
        let sv = parse_duration("snart", Lang::Sv).unwrap_err();
        assert_eq!(sv, "skriv en tidslängd som 30s, 2m eller 500ms");
        let en = parse_duration("2d", Lang::En).unwrap_err();
        assert_eq!(en, "unknown unit \"d\"; use ms, s, m or h");
    }

    #[test]
    fn ranged_number_names_its_bounds() {
        let lease = whole_number_in(Lang::Sv, 2, 3600);
        assert_eq!(lease("60"), Ok(60));
        assert_eq!(lease("1"), Err("skriv ett heltal från 2 till 3600".to_string()));
        assert_eq!(lease("x"), Err("skriv ett heltal från 2 till 3600".to_string()));
    }
}
