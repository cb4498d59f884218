//! Server-rendered SVG charts for the follow-up page: bars per day with a minimum marker,
//! and horizontal bars per person against a reference value (a fair share or a total).
//! Each chart carries a title and a description for screen readers; all text is escaped.

use std::fmt::Write;

/// Escapes text for SVG content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// One day of the cover chart.
pub struct DayBar {
    /// Label under the bar (the day of the month).
    pub label: String,
    pub staffed: u32,
    pub minimum: u32,
    pub gap: bool,
}

/// Bars of staffed shifts per day with the day's minimum as a tick.
pub fn day_bars(id: &str, title: &str, description: &str, days: &[DayBar]) -> String {
    const BAR: usize = 16;
    const HEIGHT: f64 = 160.0;
    const TOP: f64 = 10.0;
    const BOTTOM: f64 = 24.0;
    let width = days.len() * BAR + 40;
    let max = days.iter().map(|d| d.staffed.max(d.minimum)).max().unwrap_or(1).max(1);
    let scale = HEIGHT / f64::from(max);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {width} {total}" width="{width}" height="{total}" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{title}</title><desc id="{id}-d">{description}</desc>"#,
        total = HEIGHT + TOP + BOTTOM,
        title = escape(title),
        description = escape(description),
    );
    let _ = write!(svg, r#"<text x="0" y="{}" class="axis">{max}</text>"#, TOP + 8.0);
    for (i, day) in days.iter().enumerate() {
        let x = 30 + i * BAR;
        let h = f64::from(day.staffed) * scale;
        let y = TOP + HEIGHT - h;
        let class = if day.gap { "bar gap" } else { "bar" };
        let _ = write!(
            svg,
            r#"<rect class="{class}" x="{x}" y="{y:.1}" width="{w}" height="{h:.1}"><title>{label}: {staffed} / {minimum}</title></rect>"#,
            w = BAR - 3,
            label = escape(&day.label),
            staffed = day.staffed,
            minimum = day.minimum,
        );
        let tick = TOP + HEIGHT - f64::from(day.minimum) * scale;
        let _ = write!(
            svg,
            r#"<line class="min" x1="{x}" x2="{x2}" y1="{tick:.1}" y2="{tick:.1}"/>"#,
            x2 = x + BAR - 3
        );
        let _ = write!(
            svg,
            r#"<text class="axis" x="{tx}" y="{ty}" text-anchor="middle">{label}</text>"#,
            tx = x + (BAR - 3) / 2,
            ty = TOP + HEIGHT + 14.0,
            label = escape(&day.label),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One person's bar.
pub struct PersonBar {
    pub name: String,
    pub value: f64,
    /// A reference drawn as a tick: the fair share, or the total for a share of a total.
    pub reference: f64,
    /// Text after the bar, such as `3 / 4`.
    pub text: String,
}

/// Horizontal bars per person with a reference tick.
pub fn person_bars(id: &str, title: &str, description: &str, rows: &[PersonBar]) -> String {
    const ROW: f64 = 20.0;
    const LABEL: f64 = 170.0;
    const BAR_WIDTH: f64 = 300.0;
    let height = ROW * rows.len() as f64 + 10.0;
    let width = LABEL + BAR_WIDTH + 80.0;
    let max = rows.iter().map(|r| r.value.max(r.reference)).fold(1.0_f64, f64::max);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{title}</title><desc id="{id}-d">{description}</desc>"#,
        title = escape(title),
        description = escape(description),
    );
    for (i, row) in rows.iter().enumerate() {
        let y = 5.0 + ROW * i as f64;
        let w = row.value / max * BAR_WIDTH;
        let tick = LABEL + row.reference / max * BAR_WIDTH;
        let over = row.value > row.reference + 0.5;
        let _ = write!(
            svg,
            r#"<text class="label" x="{lx}" y="{ty:.1}" text-anchor="end">{name}</text><rect class="{class}" x="{LABEL}" y="{y:.1}" width="{w:.1}" height="{h}"/><line class="ref" x1="{tick:.1}" x2="{tick:.1}" y1="{y:.1}" y2="{y2:.1}"/><text class="value" x="{vx}" y="{ty:.1}">{text}</text>"#,
            lx = LABEL - 6.0,
            ty = y + 13.0,
            name = escape(&row.name),
            class = if over { "bar over" } else { "bar" },
            h = ROW - 6.0,
            y2 = y + ROW - 4.0,
            vx = LABEL + BAR_WIDTH + 8.0,
            text = escape(&row.text),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped() {
        let svg = person_bars(
            "c",
            "T",
            "D",
            &[PersonBar { name: "<script>".into(), value: 1.0, reference: 2.0, text: "1 / 2".into() }],
        );
        assert!(svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
    }

    #[test]
    fn day_bars_have_one_rect_per_day() {
        let days: Vec<DayBar> =
            (1..=3).map(|d| DayBar { label: d.to_string(), staffed: d, minimum: 2, gap: d < 2 }).collect();
        let svg = day_bars("c", "T", "D", &days);
        assert_eq!(svg.matches("<rect").count(), 3);
        assert_eq!(svg.matches("bar gap").count(), 1);
    }
}
