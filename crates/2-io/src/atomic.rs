//! Atomic file writes: write to a temporary file in the target's folder,
//! flush it to disk, then rename it over the target.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use oxarray_core::{Error, Result};

/// Writes a file atomically: `write` fills a buffered writer over a
/// temporary file next to `path`; only if it succeeds is the temporary file
/// synced and renamed to `path`. On any error the temporary file is removed
/// and an existing file at `path` is left untouched.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut BufWriter<File>) -> Result<()>) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| Error::io(&tmp, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Maps an `std::io::Error` from writing to `path` into oxarray's error.
pub fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn failed_writes_leave_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.bin");
        write_atomic(&p, |w| w.write_all(b"old").map_err(io_err(&p))).unwrap();
        let r = write_atomic(&p, |w| {
            w.write_all(b"partial").map_err(io_err(&p))?;
            Err(Error::invalid("test", "boom"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
    }
}
