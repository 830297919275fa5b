//! The command's error: one line saying what went wrong and where.
//!
//! Library errors already carry the file, the line, the column and what was
//! expected (`data.csv: invalid csv at line 7, column 3: …`); the command
//! adds context only where the library cannot know it (which option named
//! a column that does not exist, which output could not be written).

use std::fmt;
use std::io;

/// An error that ends the command: printed as `ox: error: <message>` on
/// standard error, with exit status 1.
#[derive(Debug)]
pub struct CliError {
    message: String,
    /// Standard output was closed (`ox inspect f | head`): not an error
    /// worth reporting, the command just stops.
    pub broken_pipe: bool,
}

/// `Result<T, CliError>`.
pub type CliResult<T> = Result<T, CliError>;

impl CliError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> CliError {
        CliError { message: message.into(), broken_pipe: false }
    }
}

impl CliError {
    /// `e`, prefixed with `path` unless its message names it already (the
    /// readers of streams know no file name).
    pub fn in_file(path: &std::path::Path, e: impl Into<CliError>) -> CliError {
        let e = e.into();
        let shown = path.display().to_string();
        if e.message.contains(&shown) { e } else { CliError::new(format!("{shown}: {}", e.message)) }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, whatever the source: multi-line messages are folded.
        let mut lines = self.message.lines().map(str::trim).filter(|l| !l.is_empty());
        if let Some(first) = lines.next() {
            f.write_str(first)?;
        }
        for l in lines {
            write!(f, " {l}")?;
        }
        Ok(())
    }
}

impl From<oxarray::Error> for CliError {
    fn from(e: oxarray::Error) -> CliError {
        CliError::new(e.to_string())
    }
}

impl From<io::Error> for CliError {
    /// Only for writes to standard output, the one place an I/O error has
    /// no file to name.
    fn from(e: io::Error) -> CliError {
        CliError { broken_pipe: e.kind() == io::ErrorKind::BrokenPipe, message: format!("cannot write output: {e}") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line() {
        let e = CliError::new("first\n  second\n\nthird");
        assert_eq!(e.to_string(), "first second third");
    }
}
