//! Streaming: a CSV input of any size as [`Table`]s of at most N rows.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use oxarray_core::{DType, Error, Result};

use super::options::CsvOptions;
use super::parse::{Categories, CsvFloat, Fail, RawError, Sink, Stop};
use super::read::{Chunk, Kind, NeBytes, SNIFF_BYTES, Schema, assemble, extract, located};
use super::table::Table;
use super::tokenize::count_lines;

/// How much is read from the input at a time.
const READ_BYTES: usize = 256 << 10;

/// An iterator over a CSV input in [`Table`]s of at most `rows` rows each,
/// holding only about one chunk of the input in memory.
///
/// Column kinds are decided by the first chunk: a column whose fields there
/// are all numbers (or missing) stays numeric, and a later field that is not
/// a number is an error naming its line and column (make such a column
/// [`categorical`](CsvOptions::categorical), or read more rows per chunk).
/// Categorical columns keep one growing list of categories: every chunk's
/// table carries the whole list so far, so a code means the same text in
/// every chunk.
///
/// Chunks are parsed on the calling thread ([`CsvOptions::threads`] does not
/// apply). After an error the iterator ends. An input with a header and no
/// records yields no tables.
///
/// ```
/// use oxarray_io::csv::{CsvChunks, CsvOptions};
/// let data = "x,label\n1,a\n2,b\n3,a\n4,c\n5,\n";
/// let mut sizes = Vec::new();
/// for table in CsvChunks::new(data.as_bytes(), &CsvOptions::default(), 2)? {
///     let table = table?;
///     sizes.push(table.n_rows());
///     let labels = table.column("label").unwrap().as_categorical().unwrap();
///     assert_eq!(labels.categories[0], "a");
/// }
/// assert_eq!(sizes, [2, 2, 1]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
pub struct CsvChunks<R> {
    input: Input<R>,
    opts: CsvOptions,
    rows: usize,
    schema: Option<Schema>,
    /// The categories of each file column seen so far.
    categories: Vec<Option<Categories>>,
    /// Rows yielded so far (for messages).
    rows_done: usize,
    done: bool,
}

struct Input<R> {
    reader: R,
    path: Option<PathBuf>,
    buf: Vec<u8>,
    /// The start of the next record in `buf`.
    pos: usize,
    eof: bool,
    /// Line breaks in the input before `buf[0]`.
    base_line: u64,
}

impl<R: Read> Input<R> {
    /// Reads more input onto the end of the buffer, or sets `eof`.
    fn fill(&mut self) -> Result<()> {
        let old = self.buf.len();
        // Grow geometrically, so a record longer than a read is re-scanned
        // only a logarithmic number of times.
        self.buf.resize(old + READ_BYTES.max(old), 0);
        let read = loop {
            match self.reader.read(&mut self.buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(old);
                    let path = self.path.clone().unwrap_or_else(|| PathBuf::from("<reader>"));
                    return Err(Error::io(path, e));
                }
            }
        };
        self.buf.truncate(old + read);
        self.eof = read == 0;
        Ok(())
    }

    /// Forgets the bytes before the next record.
    fn compact(&mut self) {
        self.base_line += count_lines(&self.buf[..self.pos]);
        self.buf.drain(..self.pos);
        self.pos = 0;
    }

    fn error(&self, raw: RawError) -> Error {
        located(raw, &self.buf, self.base_line, self.path.as_deref())
    }
}

impl CsvChunks<File> {
    /// Streams the file at `path` in tables of at most `rows` rows.
    pub fn open(path: impl AsRef<Path>, opts: &CsvOptions, rows: usize) -> Result<CsvChunks<File>> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let mut chunks = CsvChunks::new(file, opts, rows)?;
        chunks.input.path = Some(path.to_path_buf());
        Ok(chunks)
    }
}

impl<R: Read> CsvChunks<R> {
    /// Streams any reader in tables of at most `rows` rows (at least 1).
    pub fn new(reader: R, opts: &CsvOptions, rows: usize) -> Result<CsvChunks<R>> {
        opts.validate()?;
        if rows == 0 {
            return Err(Error::invalid("CsvChunks", "a chunk must hold at least one row"));
        }
        Ok(CsvChunks {
            input: Input { reader, path: None, buf: Vec::new(), pos: 0, eof: false, base_line: 0 },
            opts: opts.clone(),
            rows,
            schema: None,
            categories: Vec::new(),
            rows_done: 0,
            done: false,
        })
    }

    /// The column names, once the header has been read (after the first
    /// call to `next`).
    pub fn names(&self) -> Option<Vec<String>> {
        self.schema.as_ref().map(Schema::selected_names)
    }

    fn schema(&mut self) -> Result<()> {
        while self.schema.is_none() {
            let input = &mut self.input;
            match Schema::new(&input.buf, input.eof, &self.opts, input.path.as_deref())? {
                Some(s) => {
                    input.pos = s.data_start;
                    self.categories = vec![None; s.names.len()];
                    self.schema = Some(s);
                }
                None => input.fill()?,
            }
        }
        Ok(())
    }

    fn next_typed<F: CsvFloat + NeBytes>(&mut self) -> Result<Option<Table>> {
        self.schema()?;
        let first = self.rows_done == 0;
        let (input, schema) = (&mut self.input, self.schema.as_mut().expect("read above"));
        input.compact();
        if input.buf.len() < SNIFF_BYTES && !input.eof {
            input.fill()?;
        }
        let mut sinks = schema.sinks::<F>(self.rows.min(1 << 16));
        for (sink, cats) in sinks.cols.iter_mut().zip(&mut self.categories) {
            if let Some(c) = cats.take() {
                *sink = Sink::Categorical(c);
            }
        }
        loop {
            let parser = schema.parser();
            let left = self.rows - sinks.rows;
            let end = input.buf.len();
            match parser.parse_records(&input.buf, input.pos, end, input.eof, left, &mut sinks) {
                Ok(p) => {
                    input.pos = p.pos;
                    match p.stop {
                        Stop::RowLimit => break,
                        Stop::Done if input.eof => break,
                        Stop::Done | Stop::NeedMore => input.fill()?,
                    }
                }
                Err(Fail::Error(e)) => return Err(input.error(e)),
                Err(Fail::Flip { col, record_start }) if first => {
                    let cats = extract::<F>(&parser, &input.buf, 0, record_start, col, input.eof)
                        .map_err(|e| input.error(e))?;
                    sinks.cols[col] = Sink::Categorical(cats);
                    schema.kinds[col] = Kind::Categorical;
                    input.pos = record_start;
                }
                Err(Fail::Flip { col, record_start }) => {
                    let text = schema
                        .dialect
                        .record(&input.buf, record_start, input.eof)
                        .ok()
                        .flatten()
                        .and_then(|(fields, _)| fields.into_iter().nth(col))
                        .unwrap_or_default();
                    let raw = RawError {
                        offset: record_start,
                        column: Some(col),
                        message: format!(
                            "column {:?} was read as numeric from the first {} rows, but {:?} is not a number; \
                             read it with CsvOptions::categorical",
                            schema.names[col],
                            self.rows,
                            String::from_utf8_lossy(&text)
                        ),
                    };
                    return Err(input.error(raw));
                }
            }
        }
        let rows = sinks.rows;
        if rows == 0 {
            return Ok(None);
        }
        self.rows_done += rows;
        let chunk = Chunk { start: 0, end: input.pos, sinks };
        let table = assemble(schema, std::slice::from_ref(&chunk))?;
        for (cats, sink) in self.categories.iter_mut().zip(chunk.sinks.cols) {
            if let Sink::Categorical(mut c) = sink {
                c.codes.clear();
                *cats = Some(c);
            }
        }
        Ok(Some(table))
    }
}

impl<R: Read> Iterator for CsvChunks<R> {
    type Item = Result<Table>;

    fn next(&mut self) -> Option<Result<Table>> {
        if self.done {
            return None;
        }
        let r = match self.opts.float_dtype {
            DType::Float32 => self.next_typed::<f32>(),
            _ => self.next_typed::<f64>(),
        };
        match r {
            Ok(Some(t)) => Some(Ok(t)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
