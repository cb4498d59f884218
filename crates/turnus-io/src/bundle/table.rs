//! CSV files as schedulers save them: byte decoding (UTF-8 with or without BOM, else
//! Windows-1252), `,` or `;` detected from the header line, RFC 4180 quoting, and headers
//! matched case-insensitively by English name or Swedish alias. Rows keep their line number.

use std::collections::{BTreeMap, HashMap};

use super::cells::Msg;
use crate::error::InputError;

/// A column a file may have.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub en: &'static str,
    pub sv: &'static str,
    pub required: bool,
    /// Example of a valid value, for messages: Swedish, English.
    pub hint_sv: &'static str,
    pub hint_en: &'static str,
}

pub(crate) const fn column(
    en: &'static str,
    sv: &'static str,
    required: bool,
    hint_sv: &'static str,
    hint_en: &'static str,
) -> Column {
    Column { en, sv, required, hint_sv, hint_en }
}

/// Destination of a record's field.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Spec(usize),
    /// Under an unknown or repeated header, already reported with the header.
    Ignored,
    /// Under an empty header cell: a value there is an error.
    Blank,
}

/// Physical line numbers of byte offsets, counted forward as records are read.
///
/// The csv crate skips blank lines without counting them in its line numbers, but its byte
/// offset of a record points at the first skipped line break, so lines are counted here.
struct LineCounter<'t> {
    text: &'t [u8],
    offset: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// Returns the 1-based line of the first character at or after `offset` that is no line break.
    fn line_at(&mut self, offset: u64) -> usize {
        let mut target = usize::try_from(offset).unwrap_or(usize::MAX).min(self.text.len());
        while target < self.text.len() && matches!(self.text[target], b'\r' | b'\n') {
            target += 1;
        }
        if target < self.offset {
            // Offsets only grow while reading; start over if one does not.
            self.offset = 0;
            self.line = 1;
        }
        self.line += self.text[self.offset..target].iter().filter(|b| **b == b'\n').count();
        self.offset = target;
        self.line
    }
}

/// One data row.
#[derive(Debug)]
pub(crate) struct Row {
    /// 1-based physical line where the row starts.
    pub line: usize,
    /// Value per column of the spec; empty when the column is absent.
    cells: Vec<String>,
}

/// A decoded and header-checked CSV file.
#[derive(Debug)]
pub(crate) struct Table {
    pub file: String,
    columns: &'static [Column],
    /// Header as written per spec column, `None` when the file lacks the column.
    headers: Vec<Option<String>>,
    pub rows: Vec<Row>,
}

/// Decodes file bytes: UTF-8 with its BOM removed, or Windows-1252 when the bytes are not
/// UTF-8 (Excel's "CSV (semicolon separated)" on Swedish Windows writes that).
pub(crate) fn decode(bytes: &[u8]) -> Result<String, Msg> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Msg::new(
            "filen är sparad som UTF-16 (Unicode-text); spara den som CSV UTF-8 eller CSV med semikolon",
            "the file is saved as UTF-16 (Unicode text); save it as CSV UTF-8 or semicolon-separated CSV",
        ));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(_) => Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()),
    }
}

/// Detects the separator from the first line with content: `;` when that line contains more
/// semicolons than commas outside quotes, else `,`.
fn detect_separator(text: &str) -> u8 {
    let header = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

/// Header text in the form compared with column names: trimmed, lowercase, with spaces and
/// hyphens read as underscores.
fn normalize_header(header: &str) -> String {
    header.trim().to_lowercase().replace([' ', '-'], "_")
}

fn column_list(columns: &[Column]) -> String {
    columns.iter().map(|c| format!("{} ({})", c.en, c.sv)).collect::<Vec<_>>().join(", ")
}

impl Table {
    /// Reads a table from decoded text. Header problems and rows with values outside the
    /// known columns are added to `errors`; the rows that remain are returned. An empty file
    /// is an error only when `must_have_header` is set.
    pub(crate) fn parse(
        file: &str,
        text: &str,
        columns: &'static [Column],
        must_have_header: bool,
        errors: &mut Vec<InputError>,
    ) -> Table {
        let mut table =
            Table { file: file.to_string(), columns, headers: vec![None; columns.len()], rows: Vec::new() };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .delimiter(detect_separator(text))
            .from_reader(text.as_bytes());

        let mut lines = LineCounter { text: text.as_bytes(), offset: 0, line: 1 };
        let mut slots: Vec<Slot> = Vec::new();
        let mut header_seen = false;
        for record in reader.records() {
            let record = match record {
                Ok(record) => record,
                Err(e) => {
                    let line = e.position().map_or(0, |p| lines.line_at(p.byte()));
                    errors.push(
                        InputError::file(
                            file,
                            format!("raden kunde inte läsas som CSV ({e}); kontrollera citattecknen"),
                            format!("the line could not be read as CSV ({e}); check the quotes"),
                        )
                        .at_line(line),
                    );
                    continue;
                }
            };
            if record.iter().all(str::is_empty) {
                continue;
            }
            let line = record.position().map_or(0, |p| lines.line_at(p.byte()));

            if !header_seen {
                header_seen = true;
                slots = table.read_header(&record, line, errors);
                continue;
            }

            let mut cells = vec![String::new(); columns.len()];
            for (i, value) in record.iter().enumerate() {
                match slots.get(i).copied().unwrap_or(Slot::Blank) {
                    Slot::Spec(spec) => cells[spec] = value.to_string(),
                    Slot::Ignored => {}
                    Slot::Blank if value.is_empty() => {}
                    Slot::Blank => errors.push(
                        InputError::file(
                            file,
                            format!("värde i kolumn {} som saknar rubrik; ta bort värdet eller ge kolumnen en rubrik", i + 1),
                            format!("value in column {} that has no known header; remove the value or give the column a header", i + 1),
                        )
                        .at_line(line)
                        .at_cell(&format!("#{}", i + 1), value),
                    ),
                }
            }
            table.rows.push(Row { line, cells });
        }

        if !header_seen && must_have_header {
            let names = columns.iter().filter(|c| c.required).map(|c| c.en).collect::<Vec<_>>().join(",");
            errors.push(InputError::file(
                file,
                format!("filen är tom; första raden ska vara rubrikraden, t.ex. {names}"),
                format!("the file is empty; the first line must be the header line, e.g. {names}"),
            ));
        }
        table
    }

    /// Matches header cells to the spec and reports unknown, repeated and missing columns.
    fn read_header(
        &mut self,
        record: &csv::StringRecord,
        line: usize,
        errors: &mut Vec<InputError>,
    ) -> Vec<Slot> {
        let file = self.file.clone();
        let mut positions = Vec::with_capacity(record.len());
        for header in record.iter() {
            if header.is_empty() {
                positions.push(Slot::Blank);
                continue;
            }
            let key = normalize_header(header);
            let spec = self.columns.iter().position(|c| c.en == key || c.sv == key);
            match spec {
                Some(spec) if self.headers[spec].is_some() => {
                    errors.push(
                        InputError::file(
                            &file,
                            "kolumnen finns två gånger; ta bort den ena",
                            "the column appears twice; remove one of them",
                        )
                        .at_line(line)
                        .at_cell(header, header),
                    );
                    positions.push(Slot::Ignored);
                }
                Some(spec) => {
                    self.headers[spec] = Some(header.to_string());
                    positions.push(Slot::Spec(spec));
                }
                None => {
                    let known = column_list(self.columns);
                    errors.push(
                        InputError::file(
                            &file,
                            format!("okänd kolumn; byt namn eller ta bort den (kända kolumner: {known})"),
                            format!("unknown column; rename or remove it (known columns: {known})"),
                        )
                        .at_line(line)
                        .at_cell(header, header),
                    );
                    positions.push(Slot::Ignored);
                }
            }
        }
        for (spec, column) in self.columns.iter().enumerate() {
            if column.required && self.headers[spec].is_none() {
                let mut error = InputError::file(
                    &file,
                    format!("kolumnen {} ({}) saknas; lägg till den i rubrikraden", column.en, column.sv),
                    format!("missing column {} ({}); add it to the header line", column.en, column.sv),
                )
                .at_line(line);
                error.column = Some(column.en.to_string());
                errors.push(error);
            }
        }
        positions
    }

    /// Builds a one-row table from form fields keyed by English column name, so that a form
    /// editing one entity is read by the same code as a CSV row. The row has line 0. A key
    /// that names no column is added to `errors`.
    pub(crate) fn from_fields(
        file: &str,
        columns: &'static [Column],
        fields: &BTreeMap<String, String>,
        errors: &mut Vec<InputError>,
    ) -> Table {
        let mut cells = vec![String::new(); columns.len()];
        for (key, value) in fields {
            match columns.iter().position(|c| c.en == key.as_str()) {
                Some(spec) => cells[spec] = value.trim().to_string(),
                None => errors.push(
                    InputError::file(
                        file,
                        format!("okänt fält; kända fält: {}", column_list(columns)),
                        format!("unknown field; known fields: {}", column_list(columns)),
                    )
                    .at_cell(key, value),
                ),
            }
        }
        Table {
            file: file.to_string(),
            columns,
            headers: columns.iter().map(|c| Some(c.en.to_string())).collect(),
            rows: vec![Row { line: 0, cells }],
        }
    }

    /// Returns whether the file has column `spec`.
    pub(crate) fn has(&self, spec: usize) -> bool {
        self.headers[spec].is_some()
    }

    /// Header of column `spec` as written, or its English name when absent.
    pub(crate) fn header(&self, spec: usize) -> &str {
        self.headers[spec].as_deref().unwrap_or(self.columns[spec].en)
    }

    /// Headers as written, by English name.
    pub(crate) fn header_map(&self) -> HashMap<&'static str, String> {
        self.columns.iter().enumerate().map(|(i, c)| (c.en, self.header(i).to_string())).collect()
    }

    /// Returns the raw text of a cell (empty when missing).
    pub(crate) fn text<'r>(&self, row: &'r Row, spec: usize) -> &'r str {
        &row.cells[spec]
    }

    /// Builds an error located at a cell.
    pub(crate) fn error(&self, row: &Row, spec: usize, msg: Msg) -> InputError {
        InputError::file(&self.file, msg.sv, msg.en)
            .at_line(row.line)
            .at_cell(self.header(spec), self.text(row, spec))
    }

    /// Reads a required text cell. An empty cell is an error. A missing column was reported
    /// with the header, so it gives `None` silently.
    pub(crate) fn required<'r>(
        &self,
        row: &'r Row,
        spec: usize,
        errors: &mut Vec<InputError>,
    ) -> Option<&'r str> {
        if !self.has(spec) {
            return None;
        }
        let text = self.text(row, spec);
        if text.is_empty() {
            let column = &self.columns[spec];
            errors.push(self.error(
                row,
                spec,
                Msg::new(
                    format!("värde saknas; skriv {}", column.hint_sv),
                    format!("missing value; write {}", column.hint_en),
                ),
            ));
            return None;
        }
        Some(text)
    }

    /// Reads a required cell through `parse`, adding any error to `errors`.
    pub(crate) fn parse_required<T>(
        &self,
        row: &Row,
        spec: usize,
        errors: &mut Vec<InputError>,
        parse: impl FnOnce(&str) -> Result<T, Msg>,
    ) -> Option<T> {
        let text = self.required(row, spec, errors)?;
        parse(text).map_err(|msg| errors.push(self.error(row, spec, msg))).ok()
    }

    /// Reads an optional cell through `parse`: `Ok(None)` when empty, `Err(())` after adding
    /// the parse error to `errors`.
    pub(crate) fn parse_optional<T>(
        &self,
        row: &Row,
        spec: usize,
        errors: &mut Vec<InputError>,
        parse: impl FnOnce(&str) -> Result<T, Msg>,
    ) -> Result<Option<T>, ()> {
        let text = self.text(row, spec);
        if text.is_empty() {
            return Ok(None);
        }
        match parse(text) {
            Ok(value) => Ok(Some(value)),
            Err(msg) => {
                errors.push(self.error(row, spec, msg));
                Err(())
            }
        }
    }
}
