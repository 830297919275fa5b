//! Plain-text rendering for reports: numbers, sizes and aligned tables.

use crate::stats::Stats;

/// A number in at most about six significant digits, like C's `%.5g`:
/// `0.1235`, `4201`, `-3.5e-07`, `1.235e+09`.
pub fn num(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return format!("{x}");
    }
    let exp = x.abs().log10().floor() as i32;
    if !(-4..6).contains(&exp) {
        let s = format!("{x:.4e}");
        // Trim the mantissa's trailing zeros: 1.2000e7 → 1.2e7.
        let (m, e) = s.split_once('e').expect("exponent form");
        let m = if m.contains('.') { m.trim_end_matches('0').trim_end_matches('.') } else { m };
        let e: i32 = e.parse().expect("exponent");
        return format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    }
    let decimals = (4 - exp).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// An optional number, `-` when absent.
pub fn opt(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), num)
}

/// A byte count with a binary unit: `812 B`, `13.5 KiB`, `1.2 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{n} B") } else { format!("{v:.1} {}", UNITS[unit]) }
}

/// A shape as NumPy prints it: `(3,)`, `(2, 3)`, `()`.
pub fn shape(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => format!("({})", shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")),
    }
}

/// A table whose columns are aligned: the first left-aligned, the others
/// right-aligned (numbers), each line indented by `indent` spaces.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Columns after this many are joined into one left-aligned trailing
    /// text (a list of categories, say) instead of being aligned.
    aligned: usize,
}

impl Table {
    /// A table with these column titles.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        let header: Vec<String> = header.into_iter().map(Into::into).collect();
        let aligned = header.len();
        Table { header, rows: Vec::new(), aligned }
    }

    /// Aligns only the first `n` columns; later cells are free text.
    pub fn aligned(mut self, n: usize) -> Table {
        self.aligned = n;
        self
    }

    /// Adds a row; missing cells are blank.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Adds a row of a name and the statistics columns
    /// (count, missing, mean, std, min, max).
    pub fn stats_row(&mut self, name: &str, s: &Stats) {
        self.row([
            name.to_string(),
            s.count.to_string(),
            s.missing.to_string(),
            opt(s.mean),
            opt(s.std),
            opt(s.min),
            opt(s.max),
        ]);
    }

    /// Renders the table, one line per row (header first), each ending in
    /// a newline.
    pub fn render(&self, indent: usize) -> String {
        let n = self.aligned.min(self.header.len());
        let mut width = vec![0; n];
        for r in std::iter::once(&self.header).chain(&self.rows) {
            for (w, c) in width.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let mut out = String::new();
        for r in std::iter::once(&self.header).chain(&self.rows) {
            let mut line = " ".repeat(indent);
            for (i, c) in r.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                match width.get(i) {
                    Some(&w) if i == 0 => line.push_str(&format!("{c:<w$}")),
                    Some(&w) => line.push_str(&format!("{c:>w$}")),
                    None => line.push_str(c),
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// The title row of a statistics table, after the name column's title.
pub const STATS_HEADER: [&str; 6] = ["count", "missing", "mean", "std", "min", "max"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(43.92193), "43.922");
        assert_eq!(num(4201.754), "4201.8");
        assert_eq!(num(-0.000123456), "-0.00012346");
        assert_eq!(num(1.5e-7), "1.5e-07");
        assert_eq!(num(1234567.0), "1.2346e+06");
        assert_eq!(num(2.0), "2");
        assert_eq!(num(f64::NAN), "NaN");
    }

    #[test]
    fn sizes_and_shapes() {
        assert_eq!(bytes(812), "812 B");
        assert_eq!(bytes(13_824), "13.5 KiB");
        assert_eq!(shape(&[3]), "(3,)");
        assert_eq!(shape(&[2, 3]), "(2, 3)");
        assert_eq!(shape(&[]), "()");
    }

    #[test]
    fn tables_align() {
        let mut t = Table::new(["name", "n"]);
        t.row(["a", "10"]);
        t.row(["long name", "2"]);
        assert_eq!(t.render(2), "  name        n\n  a          10\n  long name   2\n");
    }
}
