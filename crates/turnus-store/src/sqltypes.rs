//! Column types shared by both backends for jiff values: instants, civil dates and clock
//! times. SQLite stores them as fixed-width text that sorts in time order; PostgreSQL as
//! `timestamptz`, `date` and `time` in its binary wire format. Instants keep microseconds,
//! the precision of `timestamptz`, so a value reads back equal on both backends.

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::types::Oid;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueFormat, PgValueRef};
use sqlx::sqlite::{SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Postgres, Sqlite, Type};

/// An instant, stored as UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SqlTimestamp(pub Timestamp);

/// A civil date, stored as `YYYY-MM-DD` or `date`; it never passes through UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SqlDate(pub Date);

/// A clock time, stored as `HH:MM:SS[.f]` or `time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SqlTime(pub Time);

/// The PostgreSQL epoch, 2000-01-01T00:00:00Z, in seconds since the Unix epoch.
const PG_EPOCH_UNIX_SECONDS: i64 = 946_684_800;
const PG_EPOCH_DATE: Date = Date::constant(2000, 1, 1);

// Type oids from PostgreSQL's pg_type.dat (stable since PostgreSQL 7).
const TIMESTAMPTZ_OID: Oid = Oid(1184);
const DATE_OID: Oid = Oid(1082);
const TIME_OID: Oid = Oid(1083);

/// Truncates an instant to whole microseconds, the precision both backends store.
pub(crate) fn truncate_to_micros(ts: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(ts.as_microsecond()).unwrap_or(ts)
}

/// Formats an instant as fixed-width UTC text: `2026-03-28T21:15:00.000000Z`. The audit hash
/// and SQLite's text comparisons both rely on this exact form.
pub(crate) fn format_timestamp(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S.%6fZ").to_string()
}

fn format_time(time: Time) -> String {
    if time.subsec_nanosecond() == 0 {
        time.strftime("%H:%M:%S").to_string()
    } else {
        time.strftime("%H:%M:%S%.f").to_string()
    }
}

fn time_micros(time: Time) -> i64 {
    i64::from(time.hour()) * 3_600_000_000
        + i64::from(time.minute()) * 60_000_000
        + i64::from(time.second()) * 1_000_000
        + i64::from(time.subsec_nanosecond()) / 1_000
}

fn time_of_micros(micros: i64) -> Result<Time, BoxDynError> {
    // PostgreSQL accepts 24:00:00 as a time; a shift's clock time never is.
    if !(0..86_400_000_000).contains(&micros) {
        return Err(format!("time of day {micros} µs is outside 00:00 to 24:00").into());
    }
    let nanos = i32::try_from((micros % 1_000_000) * 1_000)?;
    let seconds = micros / 1_000_000;
    Ok(Time::new(
        i8::try_from(seconds / 3600)?,
        i8::try_from(seconds / 60 % 60)?,
        i8::try_from(seconds % 60)?,
        nanos,
    )?)
}

// SQLite: text.

impl Type<Sqlite> for SqlTimestamp {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl<'q> Encode<'q, Sqlite> for SqlTimestamp {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        Encode::<Sqlite>::encode(format_timestamp(self.0), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for SqlTimestamp {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Sqlite>>::decode(value)?;
        Ok(SqlTimestamp(text.parse()?))
    }
}

impl Type<Sqlite> for SqlDate {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl<'q> Encode<'q, Sqlite> for SqlDate {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        Encode::<Sqlite>::encode(self.0.to_string(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for SqlDate {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Sqlite>>::decode(value)?;
        Ok(SqlDate(text.parse()?))
    }
}

impl Type<Sqlite> for SqlTime {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl<'q> Encode<'q, Sqlite> for SqlTime {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        Encode::<Sqlite>::encode(format_time(self.0), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for SqlTime {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Sqlite>>::decode(value)?;
        Ok(SqlTime(text.parse()?))
    }
}

// PostgreSQL: binary wire format, with the text format read too (simple-protocol results).

impl Type<Postgres> for SqlTimestamp {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(TIMESTAMPTZ_OID)
    }
}

impl Encode<'_, Postgres> for SqlTimestamp {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        // Microseconds since the PostgreSQL epoch.
        let micros = self
            .0
            .as_microsecond()
            .checked_sub(PG_EPOCH_UNIX_SECONDS * 1_000_000)
            .ok_or("instant out of range for timestamptz")?;
        Encode::<Postgres>::encode(micros, buf)
    }

    fn size_hint(&self) -> usize {
        8
    }
}

impl<'r> Decode<'r, Postgres> for SqlTimestamp {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        match value.format() {
            PgValueFormat::Binary => {
                let micros = <i64 as Decode<Postgres>>::decode(value)?;
                let unix = micros
                    .checked_add(PG_EPOCH_UNIX_SECONDS * 1_000_000)
                    .ok_or("timestamptz out of range (infinity?)")?;
                Ok(SqlTimestamp(Timestamp::from_microsecond(unix)?))
            }
            PgValueFormat::Text => {
                // sqlx sets the session time zone to UTC: `2026-03-28 20:15:00.5+00`.
                let text = value.as_str()?.replacen(' ', "T", 1);
                let text = if text.ends_with("+00") { format!("{text}:00") } else { text };
                Ok(SqlTimestamp(text.parse()?))
            }
        }
    }
}

impl Type<Postgres> for SqlDate {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(DATE_OID)
    }
}

impl Encode<'_, Postgres> for SqlDate {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        // Days since 2000-01-01, counted on the civil calendar.
        let days = PG_EPOCH_DATE.until((jiff::Unit::Day, self.0))?.get_days();
        Encode::<Postgres>::encode(days, buf)
    }

    fn size_hint(&self) -> usize {
        4
    }
}

impl<'r> Decode<'r, Postgres> for SqlDate {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        match value.format() {
            PgValueFormat::Binary => {
                let days = <i32 as Decode<Postgres>>::decode(value)?;
                Ok(SqlDate(PG_EPOCH_DATE.checked_add(jiff::Span::new().try_days(days)?)?))
            }
            PgValueFormat::Text => Ok(SqlDate(value.as_str()?.parse()?)),
        }
    }
}

impl Type<Postgres> for SqlTime {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(TIME_OID)
    }
}

impl Encode<'_, Postgres> for SqlTime {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        Encode::<Postgres>::encode(time_micros(self.0), buf)
    }

    fn size_hint(&self) -> usize {
        8
    }
}

impl<'r> Decode<'r, Postgres> for SqlTime {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        match value.format() {
            PgValueFormat::Binary => Ok(SqlTime(time_of_micros(<i64 as Decode<Postgres>>::decode(value)?)?)),
            PgValueFormat::Text => Ok(SqlTime(value.as_str()?.parse()?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::time;

    #[test]
    fn timestamp_text_is_fixed_width() {
        let ts: Timestamp = "2026-03-28T21:15:00Z".parse().unwrap();
        assert_eq!(format_timestamp(ts), "2026-03-28T21:15:00.000000Z");
        let ts: Timestamp = "2026-03-28T21:15:00.123456789Z".parse().unwrap();
        assert_eq!(format_timestamp(truncate_to_micros(ts)), "2026-03-28T21:15:00.123456Z");
        assert_eq!(format_timestamp(ts), "2026-03-28T21:15:00.123456Z");
    }

    #[test]
    fn time_micros_round_trip() {
        for t in [time(0, 0, 0, 0), time(21, 15, 0, 0), time(23, 59, 59, 999_999_000)] {
            assert_eq!(time_of_micros(time_micros(t)).unwrap(), t);
        }
        assert!(time_of_micros(86_400_000_000).is_err());
    }
}
