//! Lookups of a unit's employees and shift types by the ids people use (employee number,
//! shift code), shared by every function that takes them.

use std::collections::HashMap;

use crate::db::{Conn, RowExt, on_conn};
use crate::error::{InvalidRequest, Result, StoreError};
use crate::ids::UnitId;

/// Database ids of a unit's active employees by external id, and of its active shift types
/// by code.
pub(crate) struct UnitIndex {
    pub employees: HashMap<String, i64>,
    pub shifts: HashMap<String, i64>,
}

impl UnitIndex {
    pub(crate) async fn load(conn: &mut Conn, unit: UnitId) -> Result<UnitIndex> {
        let (employees, shifts) = on_conn!(conn, c => {
            let employees = sqlx::query("SELECT id, external_id FROM employees WHERE unit_id = $1 AND active = TRUE")
                .bind(unit.get())
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|row| Ok((row.text("external_id")?, row.i64("id")?)))
                .collect::<Result<HashMap<_, _>>>()?;
            let shifts = sqlx::query("SELECT id, code FROM shift_types WHERE unit_id = $1 AND active = TRUE")
                .bind(unit.get())
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|row| Ok((row.text("code")?, row.i64("id")?)))
                .collect::<Result<HashMap<_, _>>>()?;
            (employees, shifts)
        });
        Ok(UnitIndex { employees, shifts })
    }

    pub(crate) fn employee(&self, id: &str) -> Result<i64> {
        self.employees
            .get(id)
            .copied()
            .ok_or_else(|| StoreError::invalid(InvalidRequest::UnknownEmployee { id: id.to_string() }))
    }

    pub(crate) fn shift(&self, code: &str) -> Result<i64> {
        self.shifts
            .get(code)
            .copied()
            .ok_or_else(|| StoreError::invalid(InvalidRequest::UnknownShiftType { code: code.to_string() }))
    }

    pub(crate) fn opt_shift(&self, code: Option<&str>) -> Result<Option<i64>> {
        code.map(|code| self.shift(code)).transpose()
    }
}
