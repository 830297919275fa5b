//! Splitting bytes into fields and records, quote-aware.
//!
//! The grammar is RFC 4180 with the leniencies of pandas' C tokenizer, so
//! that files pandas reads are read the same way:
//!
//! - A field that starts with `"` is quoted: it runs to the next `"` that is
//!   not doubled (`""` is one literal quote) and may hold delimiters and line
//!   breaks. Text between the closing quote and the next delimiter is kept
//!   (`"ab"c` reads as `abc`).
//! - A `"` anywhere else is an ordinary character.
//! - Records end with LF, CRLF or a lone CR; the last may end at the end of
//!   input. Empty lines between records are skipped.
//! - A quoted field still open at the end of input is an error.

/// How a field ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum End {
    /// At a delimiter: another field of the same record follows.
    Delim,
    /// At a line break, or at the end of input: the record is complete.
    Record,
}

/// One field: its text (in the input, or in the scratch buffer when quotes
/// had to be removed from inside it), how it ended, and where the next field
/// starts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub in_scratch: bool,
    pub ended: End,
    pub next: usize,
}

impl Tok {
    /// The field's text.
    #[inline]
    pub fn text<'a>(&self, bytes: &'a [u8], scratch: &'a [u8]) -> &'a [u8] {
        if self.in_scratch { scratch } else { &bytes[self.start..self.end] }
    }
}

/// Why a field could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokErr {
    /// The input ends inside the field, and more input may follow.
    Incomplete,
    /// The input ends inside a quoted field (at the true end of input); the
    /// opening quote is at this byte offset.
    Unterminated(usize),
}

/// The delimiter and a lookup table of the bytes that end an unquoted field.
#[derive(Clone)]
pub(crate) struct Dialect {
    pub delim: u8,
    stops: [bool; 256],
}

impl Dialect {
    pub fn new(delim: u8) -> Dialect {
        let mut stops = [false; 256];
        stops[delim as usize] = true;
        stops[b'\n' as usize] = true;
        stops[b'\r' as usize] = true;
        Dialect { delim, stops }
    }

    /// Reads the field starting at `pos` (which may be `bytes.len()`: an
    /// empty last field). `at_eof` says whether `bytes` ends the input; if
    /// not, a field that reaches the end of `bytes` is
    /// [`TokErr::Incomplete`].
    #[inline]
    pub fn field(&self, bytes: &[u8], pos: usize, at_eof: bool, scratch: &mut Vec<u8>) -> Result<Tok, TokErr> {
        if pos < bytes.len() && bytes[pos] == b'"' {
            return self.quoted(bytes, pos, at_eof, scratch);
        }
        let mut i = pos;
        while i < bytes.len() && !self.stops[bytes[i] as usize] {
            i += 1;
        }
        let (ended, next) = self.finish(bytes, i, at_eof)?;
        Ok(Tok { start: pos, end: i, in_scratch: false, ended, next })
    }

    /// How a field that ends at `i` ends, if `i` is a stop byte (or the end
    /// of a complete input).
    #[inline(always)]
    pub fn stop(&self, bytes: &[u8], i: usize, at_eof: bool) -> Option<(End, usize)> {
        match bytes.get(i) {
            Some(&b) if b == self.delim => Some((End::Delim, i + 1)),
            Some(b'\n') => Some((End::Record, i + 1)),
            Some(b'\r') => self.finish(bytes, i, at_eof).ok(),
            None if at_eof => Some((End::Record, i)),
            _ => None,
        }
    }

    /// Classifies the stop byte at `i` (or the end of input).
    #[inline]
    fn finish(&self, bytes: &[u8], i: usize, at_eof: bool) -> Result<(End, usize), TokErr> {
        let n = bytes.len();
        if i >= n {
            return if at_eof { Ok((End::Record, n)) } else { Err(TokErr::Incomplete) };
        }
        match bytes[i] {
            b if b == self.delim => Ok((End::Delim, i + 1)),
            b'\n' => Ok((End::Record, i + 1)),
            _ => {
                // CR: alone or followed by LF.
                if i + 1 < n {
                    Ok((End::Record, i + 1 + usize::from(bytes[i + 1] == b'\n')))
                } else if at_eof {
                    Ok((End::Record, n))
                } else {
                    Err(TokErr::Incomplete)
                }
            }
        }
    }

    #[cold]
    fn quoted(&self, bytes: &[u8], pos: usize, at_eof: bool, scratch: &mut Vec<u8>) -> Result<Tok, TokErr> {
        let n = bytes.len();
        let content = pos + 1;
        let mut i = content;
        let mut in_scratch = false;
        loop {
            let Some(q) = bytes[i..].iter().position(|&b| b == b'"').map(|k| i + k) else {
                return Err(if at_eof { TokErr::Unterminated(pos) } else { TokErr::Incomplete });
            };
            if q + 1 == n && !at_eof {
                // The next byte decides between a closing and an escaped quote.
                return Err(TokErr::Incomplete);
            }
            if q + 1 < n && bytes[q + 1] == b'"' {
                if !in_scratch {
                    scratch.clear();
                    in_scratch = true;
                }
                scratch.extend_from_slice(&bytes[i..=q]);
                i = q + 2;
                continue;
            }
            // The closing quote. Text up to the next stop byte is kept.
            let mut j = q + 1;
            while j < n && !self.stops[bytes[j] as usize] {
                j += 1;
            }
            if j > q + 1 && !in_scratch {
                scratch.clear();
                in_scratch = true;
            }
            if in_scratch {
                scratch.extend_from_slice(&bytes[i..q]);
                scratch.extend_from_slice(&bytes[q + 1..j]);
            }
            let (ended, next) = self.finish(bytes, j, at_eof)?;
            return Ok(Tok { start: content, end: q, in_scratch, ended, next });
        }
    }

    /// Reads one whole record's fields starting at `pos` (after skipping
    /// blank lines). Returns `None` at the end of `bytes`; the fields' texts
    /// and the offset after the record otherwise.
    pub fn record(&self, bytes: &[u8], pos: usize, at_eof: bool) -> Result<Option<Record>, TokErr> {
        let Some(mut pos) = self.skip_blank(bytes, pos, at_eof)? else { return Ok(None) };
        let mut scratch = Vec::new();
        let mut fields = Vec::new();
        loop {
            let tok = self.field(bytes, pos, at_eof, &mut scratch)?;
            fields.push(tok.text(bytes, &scratch).to_vec());
            pos = tok.next;
            if tok.ended == End::Record {
                return Ok(Some((fields, pos)));
            }
        }
    }
}

/// A record's fields and the offset after it.
pub(crate) type Record = (Vec<Vec<u8>>, usize);

impl Dialect {
    /// Skips blank lines at `pos`: empty lines, and lines of spaces and
    /// tabs (unless tab is the delimiter), as pandas does. Returns the start
    /// of the next record, or `None` at the end of `bytes`.
    #[inline]
    pub fn skip_blank(&self, bytes: &[u8], mut pos: usize, at_eof: bool) -> Result<Option<usize>, TokErr> {
        loop {
            let Some(&b) = bytes.get(pos) else { return Ok(None) };
            match b {
                b'\n' => pos += 1,
                b'\r' => {
                    if pos + 1 < bytes.len() {
                        pos += 1 + usize::from(bytes[pos + 1] == b'\n');
                    } else if at_eof {
                        pos += 1;
                    } else {
                        return Err(TokErr::Incomplete);
                    }
                }
                b' ' | b'\t' if b != self.delim => {
                    let mut i = pos + 1;
                    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') && bytes[i] != self.delim {
                        i += 1;
                    }
                    match bytes.get(i) {
                        Some(b'\n' | b'\r') => pos = i,
                        None if at_eof => return Ok(None),
                        None => return Err(TokErr::Incomplete),
                        Some(_) => return Ok(Some(pos)),
                    }
                }
                _ => return Ok(Some(pos)),
            }
        }
    }
}

/// Chooses a delimiter from the first records of `sample`; see
/// [`CsvOptions::delimiter`](super::CsvOptions::delimiter).
pub(crate) fn sniff(sample: &[u8], at_eof: bool) -> u8 {
    const MAX_RECORDS: usize = 50;
    let mut best: Option<(usize, u8)> = None;
    for &d in &super::options::SNIFFED_DELIMITERS {
        let dialect = Dialect::new(d);
        let mut counts = Vec::new();
        let mut pos = 0;
        while counts.len() < MAX_RECORDS {
            match dialect.record(sample, pos, at_eof) {
                Ok(Some((fields, next))) => {
                    counts.push(fields.len());
                    pos = next;
                }
                // The end of the sample, or a record the sample cuts short.
                Ok(None) | Err(_) => break,
            }
        }
        let Some(&first) = counts.first() else { continue };
        if first > 1 && counts.iter().all(|&c| c == first) && best.is_none_or(|(n, _)| first > n) {
            best = Some((first, d));
        }
    }
    best.map_or(b',', |(_, d)| d)
}

/// The 1-based line that byte `offset` of `bytes` is on, counting LF, CRLF
/// and lone CR as line breaks.
pub(crate) fn line_of(bytes: &[u8], offset: usize) -> u64 {
    1 + count_lines(&bytes[..offset.min(bytes.len())])
}

/// The number of line breaks in `bytes` (LF, CRLF and lone CR each count
/// one). A CR at the very end counts as a break.
pub(crate) fn count_lines(bytes: &[u8]) -> u64 {
    let mut n = 0u64;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(s: &str, delim: u8) -> Vec<String> {
        let (f, next) = Dialect::new(delim).record(s.as_bytes(), 0, true).unwrap().unwrap();
        let _ = next;
        f.into_iter().map(|x| String::from_utf8(x).unwrap()).collect()
    }

    #[test]
    fn quotes_escapes_and_leniency() {
        assert_eq!(fields("a,\"b,c\",\"d\"\"e\"\n", b','), ["a", "b,c", "d\"e"]);
        assert_eq!(fields("\"ab\"c,x", b','), ["abc", "x"]);
        assert_eq!(fields("a\"b,\"\"", b','), ["a\"b", ""]);
        assert_eq!(fields("\"multi\r\nline\",2\r\n", b','), ["multi\r\nline", "2"]);
        assert_eq!(fields("a;b;", b';'), ["a", "b", ""]);
        assert_eq!(Dialect::new(b',').record(b"\"open", 0, true), Err(TokErr::Unterminated(0)));
        assert_eq!(Dialect::new(b',').record(b"\"open\"", 0, false), Err(TokErr::Incomplete));
        assert_eq!(Dialect::new(b',').record(b"a,b", 0, false), Err(TokErr::Incomplete));
        assert_eq!(Dialect::new(b',').record(b"a,b\r", 0, false), Err(TokErr::Incomplete));
        assert_eq!(Dialect::new(b',').record(b"\n\r\n\r", 0, true), Ok(None));
        assert_eq!(Dialect::new(b',').record(b"  \n\t\r\n \t", 0, true), Ok(None));
        assert_eq!(fields("  \n a,b", b','), [" a", "b"]);
        assert_eq!(fields("\t\n", b'\t'), ["", ""]);
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"a;b;c\n1,5;2;3\n", true), b';');
        assert_eq!(sniff(b"a\tb\n1\t2\n", true), b'\t');
        assert_eq!(sniff(b"a|b\n\"x|y\"|2\n", true), b'|');
        assert_eq!(sniff(b"a,b\n\"1;2;3\",4\n", true), b',');
        assert_eq!(sniff(b"justone\n1\n", true), b',');
        assert_eq!(sniff(b"a,b\n1,2\n3,", false), b',');
    }

    #[test]
    fn lines() {
        assert_eq!(line_of(b"a\nb\r\nc\rd", 0), 1);
        assert_eq!(line_of(b"a\nb\r\nc\rd", 2), 2);
        assert_eq!(line_of(b"a\nb\r\nc\rd", 5), 3);
        assert_eq!(line_of(b"a\nb\r\nc\rd", 7), 4);
    }
}
