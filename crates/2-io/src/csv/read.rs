//! Reading a whole input: the header, the schema, parallel parsing of the
//! records, and the assembly of columns.
//!
//! # Parallel parsing
//!
//! The records after the header are cut into one byte range per thread, each
//! starting just after a line feed. A line feed may sit inside a quoted
//! field, so each range's start is only a guess; each thread parses its range
//! as if the guess were right and reports where its last record really ended.
//! The first range starts at a true record start, so its records are right,
//! and the second range's guess is right exactly when it equals where the
//! first range's last record ended, and so on. Ranges after the first wrong
//! guess are parsed again from the true position. Files without line breaks
//! inside quotes (almost all) are parsed once; the others never read wrong.
//!
//! # Column kinds
//!
//! A column starts numeric. When a field is neither a number nor a missing
//! marker, the column becomes categorical: the earlier rows of that range
//! are read again for that column only, and parsing continues. Ranges that
//! kept the column numeric are re-read the same way before the ranges are
//! joined, so the result never depends on how the input was cut.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use oxarray_core::{Array, Buffer, DType, Element, Error, Location, Result};

use super::options::{Col, CsvOptions, DEFAULT_MISSING};
use super::parse::{Categories, CsvFloat, Fail, Markers, Parser, RawError, Sink, Sinks};
use super::table::{CategoricalColumn, Column, NumericColumn, Table, not_numeric};
use super::tokenize::{Dialect, TokErr, line_of, sniff};

/// How many bytes the delimiter is sniffed from.
pub(crate) const SNIFF_BYTES: usize = 64 << 10;

/// How a file column is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Skip,
    Auto,
    Numeric,
    Categorical,
}

/// What the header and the options decide before the records are read.
#[derive(Clone)]
pub(crate) struct Schema {
    pub dialect: Dialect,
    pub markers: Markers,
    /// The name of every file column.
    pub names: Vec<String>,
    pub header: bool,
    /// The offset of the first record after the header.
    pub data_start: usize,
    /// File columns in output order.
    pub selected: Vec<usize>,
    /// How each file column is read.
    pub kinds: Vec<Kind>,
}

impl Schema {
    pub fn parser(&self) -> Parser<'_> {
        Parser {
            dialect: self.dialect.clone(),
            markers: &self.markers,
            ncols: self.names.len(),
            names: &self.names,
            header: self.header,
        }
    }

    pub fn sinks<F: CsvFloat>(&self, capacity: usize) -> Sinks<F> {
        let cols = self
            .kinds
            .iter()
            .map(|k| match k {
                Kind::Skip => Sink::Skip,
                Kind::Auto => Sink::numeric(false, capacity),
                Kind::Numeric => Sink::numeric(true, capacity),
                Kind::Categorical => Sink::Categorical(Categories::default()),
            })
            .collect();
        Sinks::new(cols)
    }

    /// Reads the header (or the first record, without one) and resolves the
    /// options against it. `Ok(None)` asks for more input (`at_eof` false).
    pub fn new(bytes: &[u8], at_eof: bool, opts: &CsvOptions, path: Option<&Path>) -> Result<Option<Schema>> {
        opts.validate()?;
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        if !at_eof && bytes.len() < SNIFF_BYTES {
            return Ok(None);
        }
        let start = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
        let delim = opts.delimiter.unwrap_or_else(|| {
            let end = (start + SNIFF_BYTES).min(bytes.len());
            sniff(&bytes[start..end], at_eof && end == bytes.len())
        });
        let dialect = Dialect::new(delim);
        let located = |offset: usize, column: Option<usize>, message: String| {
            located(RawError { offset, column, message }, bytes, 0, path)
        };
        let (first, after) = match dialect.record(bytes, start, at_eof) {
            Ok(Some(r)) => r,
            Ok(None) => {
                return Err(Error::parse(
                    "csv",
                    path,
                    Location::Line { line: 1, column: None },
                    if opts.header { "the input is empty: there is no header line" } else { "the input is empty" },
                ));
            }
            Err(TokErr::Incomplete) => return Ok(None),
            Err(TokErr::Unterminated(at)) => {
                return Err(located(at, None, "the quoted field starting here is never closed".into()));
            }
        };
        let (names, data_start) = if opts.header {
            let mut names = Vec::with_capacity(first.len());
            for (i, f) in first.into_iter().enumerate() {
                let name = String::from_utf8(f)
                    .map_err(|_| located(start, Some(i), format!("header field {} is not valid UTF-8", i + 1)))?;
                names.push(name);
            }
            (dedupe(names), after)
        } else {
            ((0..first.len()).map(|i| i.to_string()).collect(), start)
        };
        let resolve = |c: &Col| resolve(c, &names);
        let selected: Vec<usize> = match &opts.columns {
            Some(cols) => cols.iter().map(resolve).collect::<Result<_>>()?,
            None => (0..names.len()).collect(),
        };
        let mut kinds = vec![Kind::Skip; names.len()];
        for &i in &selected {
            if kinds[i] != Kind::Skip {
                return Err(Error::invalid("read_csv", format!("column {:?} is selected twice", names[i])));
            }
            kinds[i] = Kind::Auto;
        }
        for c in &opts.numeric {
            let i = resolve(c)?;
            if kinds[i] != Kind::Skip {
                kinds[i] = Kind::Numeric;
            }
        }
        for c in &opts.categorical {
            let i = resolve(c)?;
            if kinds[i] == Kind::Numeric {
                return Err(Error::invalid(
                    "read_csv",
                    format!("column {:?} cannot be both numeric and categorical", names[i]),
                ));
            }
            if kinds[i] != Kind::Skip {
                kinds[i] = Kind::Categorical;
            }
        }
        let defaults = DEFAULT_MISSING.iter().filter(|_| opts.default_missing).map(|s| s.to_string());
        let markers = Markers::new(defaults.chain(opts.missing.iter().cloned()).map(String::into_bytes));
        Ok(Some(Schema { dialect, markers, names, header: opts.header, data_start, selected, kinds }))
    }

    pub fn selected_names(&self) -> Vec<String> {
        self.selected.iter().map(|&i| self.names[i].clone()).collect()
    }
}

/// pandas' renaming: an empty name becomes `Unnamed: i`, a repeat of `a`
/// becomes `a.1`, `a.2`, ….
fn dedupe(names: Vec<String>) -> Vec<String> {
    let mut used = std::collections::HashSet::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(names.len());
    for (i, name) in names.into_iter().enumerate() {
        let base = if name.is_empty() { format!("Unnamed: {i}") } else { name };
        let mut candidate = base.clone();
        while used.contains(&candidate) {
            let k = counts.entry(base.clone()).or_insert(0);
            *k += 1;
            candidate = format!("{base}.{k}");
        }
        used.insert(candidate.clone());
        out.push(candidate);
    }
    out
}

fn resolve(c: &Col, names: &[String]) -> Result<usize> {
    let available = || {
        const SHOWN: usize = 40;
        let mut s = names.iter().take(SHOWN).map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ");
        if names.len() > SHOWN {
            s.push_str(&format!(", … ({} more)", names.len() - SHOWN));
        }
        s
    };
    match c {
        Col::Name(n) => names.iter().position(|x| x == n).ok_or_else(|| {
            Error::invalid("read_csv", format!("unknown column {n:?}; the columns are: {}", available()))
        }),
        Col::Index(i) if *i < names.len() => Ok(*i),
        Col::Index(i) => Err(Error::invalid(
            "read_csv",
            format!("column index {i} is out of range: there are {} columns: {}", names.len(), available()),
        )),
    }
}

/// Turns a byte-located error into oxarray's error with a 1-based line and
/// column. `bytes` is the input from the line `base_line + 1` on.
pub(crate) fn located(raw: RawError, bytes: &[u8], base_line: u64, path: Option<&Path>) -> Error {
    let line = base_line + line_of(bytes, raw.offset);
    Error::parse("csv", path, Location::Line { line, column: raw.column.map(|c| c as u64 + 1) }, raw.message)
}

/// The records of one byte range, parsed.
pub(crate) struct Chunk<F> {
    pub start: usize,
    /// Where the range's last record ended.
    pub end: usize,
    pub sinks: Sinks<F>,
}

/// Re-reads `start..stop` for column `col` only, as categorical.
pub(crate) fn extract<F: CsvFloat>(
    parser: &Parser<'_>,
    bytes: &[u8],
    start: usize,
    stop: usize,
    col: usize,
    at_eof: bool,
) -> Result<Categories, RawError> {
    let cols = (0..parser.ncols)
        .map(|i| if i == col { Sink::Categorical(Categories::default()) } else { Sink::Skip })
        .collect();
    let mut sinks: Sinks<F> = Sinks::new(cols);
    match parser.parse_records(bytes, start, stop, at_eof, usize::MAX, &mut sinks) {
        Ok(_) => {}
        Err(Fail::Error(e)) => return Err(e),
        Err(Fail::Flip { .. }) => unreachable!("no numeric column is read"),
    }
    match sinks.cols.swap_remove(col) {
        Sink::Categorical(c) => Ok(c),
        _ => unreachable!("the column was made categorical above"),
    }
}

/// Parses the records starting in `start..end`, making columns categorical
/// as needed (see the module docs).
fn parse_chunk<F: CsvFloat>(
    schema: &Schema,
    bytes: &[u8],
    start: usize,
    end: usize,
    capacity: usize,
) -> Result<Chunk<F>, RawError> {
    let parser = schema.parser();
    let mut sinks = schema.sinks::<F>(capacity);
    let mut pos = start;
    loop {
        match parser.parse_records(bytes, pos, end, true, usize::MAX, &mut sinks) {
            Ok(p) => return Ok(Chunk { start, end: p.pos, sinks }),
            Err(Fail::Flip { col, record_start }) => {
                let cats = extract::<F>(&parser, bytes, start, record_start, col, true)?;
                debug_assert_eq!(cats.codes.len(), sinks.rows);
                sinks.cols[col] = Sink::Categorical(cats);
                pos = record_start;
            }
            Err(Fail::Error(e)) => return Err(e),
        }
    }
}

/// The first offset after `from` that follows a line feed, or `bytes.len()`.
fn next_line(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |k| from + k + 1)
}

/// For each target offset (ascending), the start of the first record at or
/// after it, found by reading the records from `from` (a record start) on.
fn record_starts(dialect: &Dialect, bytes: &[u8], from: usize, targets: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(targets.len());
    let mut scratch = Vec::new();
    let mut pos = from;
    for &t in targets {
        while pos < t {
            pos = match dialect.skip_blank(bytes, pos, true) {
                Ok(Some(p)) => p,
                _ => bytes.len(),
            };
            if pos >= t {
                break;
            }
            loop {
                match dialect.field(bytes, pos, true, &mut scratch) {
                    Ok(tok) => {
                        pos = tok.next;
                        if tok.ended == super::tokenize::End::Record {
                            break;
                        }
                    }
                    Err(_) => {
                        pos = bytes.len();
                        break;
                    }
                }
            }
        }
        out.push(pos);
    }
    out
}

/// Parses the pieces `starts[k]..ends[k]` on up to `threads` threads, each
/// taking the next unparsed piece (so a busy core gets fewer), and returns
/// the results in order.
fn parse_pieces<F: CsvFloat>(
    schema: &Schema,
    bytes: &[u8],
    starts: &[usize],
    ends: &[usize],
    threads: usize,
    capacity: impl Fn(usize, usize) -> usize + Sync,
) -> Vec<Result<Chunk<F>, RawError>> {
    let piece = |k: usize| parse_chunk(schema, bytes, starts[k], ends[k], capacity(starts[k], ends[k]));
    let workers = threads.min(starts.len());
    if workers <= 1 {
        return (0..starts.len()).map(piece).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<Result<Chunk<F>, RawError>>> = (0..starts.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if k >= starts.len() {
                            return done;
                        }
                        done.push((k, piece(k)));
                    }
                })
            })
            .collect();
        for h in handles {
            for (k, r) in h.join().expect("CSV parsing threads do not panic") {
                slots[k] = Some(r);
            }
        }
    });
    slots.into_iter().map(|s| s.expect("every piece is parsed")).collect()
}

/// Parses every record after the header, on up to `threads` threads; see
/// the module docs for how the cuts are checked.
pub(crate) fn parse_all<F: CsvFloat>(
    schema: &Schema,
    bytes: &[u8],
    threads: usize,
    min_chunk: usize,
) -> Result<Vec<Chunk<F>>, RawError> {
    let sample_end = (schema.data_start + SNIFF_BYTES).min(bytes.len());
    let sample_lines = bytes[schema.data_start..sample_end].iter().filter(|&&b| b == b'\n').count();
    // A record holds at least one byte per field, which bounds the
    // reservation by the input's size whatever the sample looks like.
    let row_bytes = ((sample_end - schema.data_start) / sample_lines.max(1)).max(schema.names.len()).max(1);
    let capacity = |s: usize, e: usize| (e - s) / row_bytes + (e - s) / row_bytes / 16 + 16;
    let mut out = Vec::new();
    let mut start = schema.data_start;
    // Cut after any line feed first; after a wrong guess, find true record
    // starts by reading the records of the rest once.
    let mut guess = true;
    while start < bytes.len() || out.is_empty() {
        let len = bytes.len() - start;
        // Several pieces per thread balance the load when cores are busy.
        let pieces = if threads > 1 { (4 * threads).min(len / min_chunk).max(1) } else { 1 };
        let targets: Vec<usize> = (1..pieces).map(|k| start + len * k / pieces).collect();
        let cuts = if guess {
            targets.iter().map(|&t| next_line(bytes, t)).collect()
        } else {
            record_starts(&schema.dialect, bytes, start, &targets)
        };
        let mut starts = vec![start];
        for s in cuts {
            if s > *starts.last().expect("not empty") && s < bytes.len() {
                starts.push(s);
            }
        }
        let ends: Vec<usize> = starts.iter().skip(1).copied().chain([bytes.len()]).collect();
        let results = parse_pieces::<F>(schema, bytes, &starts, &ends, threads, capacity);
        let mut expected = start;
        for (&s, r) in starts.iter().zip(results) {
            // The previous piece may have skipped blank lines past the cut.
            let same = s == expected
                || (s < expected
                    && schema.dialect.skip_blank(bytes, s, true).ok().map(|p| p.unwrap_or(bytes.len()))
                        == Some(expected));
            if !same {
                guess = false;
                break;
            }
            let chunk = r?;
            expected = chunk.end;
            out.push(chunk);
        }
        start = expected;
    }
    Ok(out)
}

/// Makes each selected column's kind agree across chunks: a column that is
/// categorical in any chunk is re-read as categorical in the others.
pub(crate) fn unify<F: CsvFloat>(schema: &Schema, bytes: &[u8], chunks: &mut [Chunk<F>]) -> Result<(), RawError> {
    let parser = schema.parser();
    for &col in &schema.selected {
        if chunks.iter().any(|c| c.sinks.cols[col].is_categorical()) {
            for c in chunks.iter_mut().filter(|c| !c.sinks.cols[col].is_categorical()) {
                c.sinks.cols[col] = Sink::Categorical(extract::<F>(&parser, bytes, c.start, c.end, col, true)?);
            }
        }
    }
    Ok(())
}

/// Element types that can be written into a byte buffer.
pub(crate) trait NeBytes: Element {
    fn put(self, out: &mut [u8]);
}

macro_rules! ne_bytes {
    ($($t:ty),*) => {$(
        impl NeBytes for $t {
            #[inline]
            fn put(self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_ne_bytes());
            }
        }
    )*};
}
ne_bytes!(f32, f64, i32);

impl NeBytes for bool {
    #[inline]
    fn put(self, out: &mut [u8]) {
        out[0] = u8::from(self);
    }
}

/// A 1-D array holding the parts one after the other.
pub(crate) fn concat<T: NeBytes>(parts: &[&[T]]) -> Result<Array> {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let size = T::DTYPE.itemsize();
    let mut buffer = Buffer::zeroed(total * size)?;
    let bytes = buffer.as_bytes_mut().expect("fresh buffers are writable");
    let mut out = bytes.chunks_exact_mut(size);
    for part in parts {
        for (&v, o) in part.iter().zip(&mut out) {
            v.put(o);
        }
    }
    Array::from_buffer(Arc::new(buffer), T::DTYPE, vec![total], vec![1], 0)
}

/// The columns of parsed chunks, as a [`Table`].
pub(crate) fn assemble<F: CsvFloat + NeBytes>(schema: &Schema, chunks: &[Chunk<F>]) -> Result<Table> {
    let rows: usize = chunks.iter().map(|c| c.sinks.rows).sum();
    let mut columns = Vec::with_capacity(schema.selected.len());
    for &col in &schema.selected {
        columns.push(if chunks.first().is_some_and(|c| c.sinks.cols[col].is_categorical()) {
            let mut merged = Categories::default();
            let mut codes = Vec::with_capacity(rows);
            for c in chunks {
                let Sink::Categorical(cats) = &c.sinks.cols[col] else { unreachable!("kinds were unified") };
                let remap: Vec<i32> = cats
                    .names
                    .iter()
                    .map(|name| merged.code_of(name.as_bytes()).map_err(|_| too_many_categories(&schema.names[col])))
                    .collect::<Result<_>>()?;
                codes.extend(cats.codes.iter().map(|&k| if k < 0 { k } else { remap[k as usize] }));
            }
            Column::Categorical(CategoricalColumn { categories: merged.names, codes: concat(&[&codes[..]])? })
        } else {
            let mut parts = Vec::with_capacity(chunks.len());
            let mut missing = Vec::new();
            let mut base = 0;
            for c in chunks {
                let Sink::Numeric { values, missing: m, .. } = &c.sinks.cols[col] else {
                    unreachable!("kinds were unified")
                };
                parts.push(&values[..]);
                missing.extend(m.iter().map(|r| r + base));
                base += c.sinks.rows;
            }
            let mask = if missing.is_empty() {
                None
            } else {
                let mut m = vec![false; rows];
                missing.iter().for_each(|&r| m[r] = true);
                Some(concat(&[&m[..]])?)
            };
            Column::Numeric(NumericColumn { values: concat(&parts)?, mask })
        });
    }
    Ok(Table::from_parts(schema.selected_names(), columns, rows))
}

fn too_many_categories(name: &str) -> Error {
    Error::invalid("read_csv", format!("column {name:?} has more than 2^31 categories"))
}

/// The selected columns of parsed chunks as one `rows × cols` array of `F`,
/// each chunk's rows written by its own thread.
pub(crate) fn assemble_2d<F: CsvFloat + NeBytes>(schema: &Schema, chunks: &[Chunk<F>]) -> Result<Array> {
    let ncols = schema.selected.len();
    let mut per_chunk: Vec<Vec<&[F]>> = Vec::with_capacity(chunks.len());
    for c in chunks {
        let mut cols = Vec::with_capacity(ncols);
        for &col in &schema.selected {
            match &c.sinks.cols[col] {
                Sink::Numeric { values, .. } => cols.push(&values[..]),
                _ => return Err(not_numeric("read_csv_array", &schema.names[col])),
            }
        }
        per_chunk.push(cols);
    }
    let rows: usize = chunks.iter().map(|c| c.sinks.rows).sum();
    let size = F::DTYPE.itemsize();
    let row_bytes = ncols * size;
    let mut buffer = Buffer::zeroed(rows * row_bytes)?;
    let mut rest = buffer.as_bytes_mut().expect("fresh buffers are writable");
    let mut regions = Vec::with_capacity(chunks.len());
    for c in chunks {
        let (region, tail) = rest.split_at_mut(c.sinks.rows * row_bytes);
        regions.push(region);
        rest = tail;
    }
    let fill = |cols: &[&[F]], region: &mut [u8]| {
        if row_bytes == 0 {
            return;
        }
        for (r, row) in region.chunks_exact_mut(row_bytes).enumerate() {
            for (col, out) in cols.iter().zip(row.chunks_exact_mut(size)) {
                col[r].put(out);
            }
        }
    };
    if regions.len() > 1 {
        std::thread::scope(|scope| {
            for (cols, region) in per_chunk.iter().zip(regions) {
                scope.spawn(move || fill(cols, region));
            }
        });
    } else if let (Some(cols), Some(region)) = (per_chunk.first(), regions.pop()) {
        fill(cols, region);
    }
    Array::from_buffer(Arc::new(buffer), F::DTYPE, vec![rows, ncols], vec![ncols as isize, 1], 0)
}

/// Reads a whole input into a [`Table`].
pub(crate) fn read_table(bytes: &[u8], opts: &CsvOptions, path: Option<&Path>) -> Result<Table> {
    let schema = Schema::new(bytes, true, opts, path)?.expect("a complete input never needs more");
    match opts.float_dtype {
        DType::Float32 => table_typed::<f32>(&schema, bytes, opts, path),
        _ => table_typed::<f64>(&schema, bytes, opts, path),
    }
}

fn table_typed<F: CsvFloat + NeBytes>(
    schema: &Schema,
    bytes: &[u8],
    opts: &CsvOptions,
    path: Option<&Path>,
) -> Result<Table> {
    let mut chunks = parse_all::<F>(schema, bytes, opts.thread_count(), opts.min_chunk_bytes)
        .map_err(|e| located(e, bytes, 0, path))?;
    unify(schema, bytes, &mut chunks).map_err(|e| located(e, bytes, 0, path))?;
    assemble(schema, &chunks)
}

/// Reads a whole input's selected columns into a `rows × cols` array.
///
/// Every selected column must be numeric, so a field that is not a number
/// is an error naming its line, column and text.
pub(crate) fn read_array(bytes: &[u8], opts: &CsvOptions, dtype: DType, path: Option<&Path>) -> Result<Array> {
    let mut schema = Schema::new(bytes, true, opts, path)?.expect("a complete input never needs more");
    if let Some(&i) = schema.selected.iter().find(|&&i| schema.kinds[i] == Kind::Categorical) {
        return Err(not_numeric("read_csv_array", &schema.names[i]));
    }
    for k in schema.kinds.iter_mut().filter(|k| **k == Kind::Auto) {
        *k = Kind::Numeric;
    }
    let array = match dtype {
        DType::Float32 => array_typed::<f32>(&schema, bytes, opts, path)?,
        _ => array_typed::<f64>(&schema, bytes, opts, path)?,
    };
    if array.dtype() == dtype { Ok(array) } else { array.astype(dtype) }
}

fn array_typed<F: CsvFloat + NeBytes>(
    schema: &Schema,
    bytes: &[u8],
    opts: &CsvOptions,
    path: Option<&Path>,
) -> Result<Array> {
    let chunks = parse_all::<F>(schema, bytes, opts.thread_count(), opts.min_chunk_bytes)
        .map_err(|e| located(e, bytes, 0, path))?;
    assemble_2d(schema, &chunks)
}
