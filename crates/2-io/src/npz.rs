//! NumPy's `.npz` archives: a zip file whose members are `.npy` files.
//!
//! ```
//! use oxarray_core::Array;
//! use oxarray_io::npz::{self, NpzReader};
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("data.npz");
//! let x = Array::from_vec(vec![1.0f64, 2.0, 3.0], &[3])?;
//! let y = Array::from_vec(vec![7u8; 4], &[2, 2])?;
//! npz::savez(&path, &[("x", &x), ("y", &y)])?;
//!
//! let mut archive = NpzReader::open(&path)?;
//! assert_eq!(archive.names(), vec!["x", "y"]);        // like np.load(...).files
//! assert_eq!(archive.get("x")?.to_vec::<f64>()?, vec![1.0, 2.0, 3.0]);
//! let mapped = archive.load_mmap_member("x")?;        // stored members map zero-copy
//! assert!(mapped.buffer().is_mapped());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Behaviour
//!
//! - **Names** are listed as `np.load` lists them: a member `x.npy` is `x`;
//!   [`NpzReader::get`] accepts `x` or `x.npy`. When a name repeats, the
//!   last member wins, as in Python's `zipfile`.
//! - **Lazy**: opening reads only the central directory; each member is
//!   decompressed when asked for. Stored and deflated members are read;
//!   their CRC-32 is checked. Encrypted members and other compression
//!   methods are refused.
//! - **Memory maps**: [`NpzReader::load_mmap_member`] maps a stored member's
//!   data read-only (the CRC is not checked, which would read every byte).
//!   The data must be aligned for its dtype. NumPy's `savez` places members
//!   without regard to alignment, so only one-byte dtypes of its archives can
//!   usually be mapped; [`savez`] pads each stored member (with a zip extra
//!   field, as Android's `zipalign` does) so its data starts 64-byte aligned
//!   and every member can be mapped.
//! - **Writing** ([`savez`], [`savez_compressed`]) is atomic, names each
//!   member `<name>.npy`, and uses zip64 records only where sizes or offsets
//!   need them (archives beyond 4 GiB). Timestamps are fixed at 1980-01-01 so
//!   the same arrays always give the same bytes.
//!
//! The zip container is read and written here, over `flate2`'s pure-Rust
//! deflate, rather than with the `zip` crate: its current releases need a
//! newer Rust than oxarray's minimum and bring a much larger dependency
//! tree, and owning the reader lets every size be checked against the file
//! before anything is allocated. Malformed archives are
//! [`ErrorKind::Parse`](oxarray_core::ErrorKind::Parse) errors with format
//! `"npz"`, naming the byte offset or the member ([`Location::Member`]);
//! malformed `.npy` members are `"npy"` errors located in their member.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use oxarray_core::{Array, Error, Location, Result};

use crate::atomic::{io_err, write_atomic};
use crate::npy::{self, Origin};

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const ZIP64_EXTRA_ID: u16 = 0x0001;
/// The extra-field id Android's `zipalign` uses to pad local headers.
const ALIGN_EXTRA_ID: u16 = 0xd935;
/// Where stored members' data is aligned by [`savez`].
const MEMBER_ALIGN: u64 = 64;
const EOCD_LEN: usize = 22;
/// Deflate cannot expand data by more than about 1032:1, so a member that
/// claims more than this many bytes per compressed byte is lying.
const MAX_DEFLATE_RATIO: u64 = 1032;
/// Members this large get zip64 local headers when written (deflate may
/// expand incompressible data slightly, so this stays well below 4 GiB).
const ZIP64_THRESHOLD: u64 = 0xf000_0000;

/// One member of the central directory.
#[derive(Clone, Debug)]
struct Entry {
    name: String,
    flags: u16,
    method: u16,
    crc: u32,
    compressed_size: u64,
    size: u64,
    local_offset: u64,
}

impl Entry {
    fn key(&self) -> &str {
        self.name.strip_suffix(".npy").unwrap_or(&self.name)
    }
}

/// A `.npz` archive open for reading; members are read on demand.
///
/// `R` is any seekable byte source: a [`File`] (from [`NpzReader::open`],
/// which also allows memory-mapping members) or an in-memory
/// `std::io::Cursor`.
pub struct NpzReader<R = File> {
    reader: R,
    path: Option<PathBuf>,
    len: u64,
    entries: Vec<Entry>,
}

impl NpzReader<File> {
    /// Opens an archive and reads its directory (not its members).
    pub fn open(path: impl AsRef<Path>) -> Result<NpzReader<File>> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        NpzReader::with_len(file, Some(path.to_path_buf()), len)
    }

    /// Memory-maps a stored (uncompressed) member read-only: the array views
    /// the archive's bytes, so this costs the same for any member size.
    ///
    /// Refused, with an error that says why, for deflated members, for
    /// big-endian data and for data not aligned for its dtype (see the
    /// module docs: archives written by [`savez`] are always aligned).
    pub fn load_mmap_member(&mut self, name: &str) -> Result<Array> {
        let entry = self.entries[self.find(name)?].clone();
        if entry.method != 0 {
            return Err(Error::invalid(
                "npz::load_mmap_member",
                format!(
                    "member {:?} is deflate-compressed; only stored members can be memory-mapped (read it with \
                     get, or write the archive with savez rather than savez_compressed)",
                    entry.name
                ),
            ));
        }
        let data_start = self.data_start(&entry)?;
        if entry.size != entry.compressed_size {
            return Err(self.member_err(&entry, "a stored member's compressed and uncompressed sizes differ"));
        }
        let origin = Origin { path: self.path.as_deref(), member: Some(&entry.name) };
        self.reader.seek(SeekFrom::Start(data_start)).map_err(|e| origin.io(0, e))?;
        let mut member = Read::take(&mut self.reader, entry.size);
        let header = npy::read_header_from(&mut member, Some(entry.size), &origin)?;
        npy::map_data(&self.reader, &header, data_start, entry.size, false, &origin, "npz::load_mmap_member")
    }
}

impl<R: Read + Seek> NpzReader<R> {
    /// Reads the directory of an archive from any seekable source (bytes in
    /// memory with `std::io::Cursor`, for example).
    pub fn new(mut reader: R) -> Result<NpzReader<R>> {
        let len = reader.seek(SeekFrom::End(0)).map_err(|e| Error::io("<reader>", e))?;
        NpzReader::with_len(reader, None, len)
    }

    fn with_len(mut reader: R, path: Option<PathBuf>, len: u64) -> Result<NpzReader<R>> {
        let entries = read_directory(&mut reader, len, path.as_deref())?;
        Ok(NpzReader { reader, path, len, entries })
    }

    /// The arrays' names in archive order, as `np.load(...).files` lists
    /// them: the member names without their `.npy` suffix.
    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(Entry::key).collect()
    }

    /// The members' names as stored in the zip directory (`x.npy`, …).
    pub fn member_names(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.name.as_str()).collect()
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the archive has no members.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether a member `name` (or `name.npy`) exists.
    pub fn contains(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Whether member `name` is stored uncompressed (so it can be
    /// memory-mapped); `None` if there is no such member.
    pub fn is_stored(&self, name: &str) -> Option<bool> {
        self.find(name).ok().map(|i| self.entries[i].method == 0)
    }

    /// Reads member `name` (`x` or `x.npy`) into memory, checking its CRC-32.
    pub fn get(&mut self, name: &str) -> Result<Array> {
        let entry = self.entries[self.find(name)?].clone();
        let data_start = self.data_start(&entry)?;
        let stored = entry.method == 0; // `data_start` accepted only methods 0 and 8
        if stored && entry.size != entry.compressed_size {
            return Err(self.member_err(&entry, "a stored member's compressed and uncompressed sizes differ"));
        }
        if !stored && entry.size > entry.compressed_size.saturating_mul(MAX_DEFLATE_RATIO).saturating_add(64) {
            return Err(self.member_err(
                &entry,
                format!(
                    "the member claims {} bytes from {} compressed bytes, more than deflate can produce",
                    entry.size, entry.compressed_size
                ),
            ));
        }
        let origin = Origin { path: self.path.as_deref(), member: Some(&entry.name) };
        self.reader.seek(SeekFrom::Start(data_start)).map_err(|e| origin.io(0, e))?;
        let raw = Read::take(&mut self.reader, entry.compressed_size);
        if stored {
            read_member(Checked::new(raw), &entry, &origin)
        } else {
            read_member(Checked::new(DeflateDecoder::new(raw)), &entry, &origin)
        }
    }

    /// Reads every member, in archive order.
    pub fn get_all(&mut self) -> Result<Vec<(String, Array)>> {
        let names: Vec<String> = self.entries.iter().map(|e| e.name.clone()).collect();
        names.iter().map(|n| Ok((n.strip_suffix(".npy").unwrap_or(n).to_string(), self.get(n)?))).collect()
    }

    /// Index of the member named `name`, or `name.npy`.
    fn find(&self, name: &str) -> Result<usize> {
        let exact = self.entries.iter().rposition(|e| e.name == name);
        exact.or_else(|| self.entries.iter().rposition(|e| e.key() == name && e.name.ends_with(".npy"))).ok_or_else(
            || Error::invalid("npz", format!("no member {name:?} in the archive (it holds {:?})", self.names())),
        )
    }

    fn member_err(&self, entry: &Entry, message: impl Into<String>) -> Error {
        Error::parse("npz", self.path.as_deref(), Location::Member { name: entry.name.clone(), offset: None }, message)
    }

    /// Checks a member can be read and returns where its data starts.
    fn data_start(&mut self, entry: &Entry) -> Result<u64> {
        if entry.flags & 1 != 0 {
            return Err(self.member_err(entry, "the member is encrypted, which is not supported"));
        }
        if entry.method != 0 && entry.method != 8 {
            return Err(self.member_err(
                entry,
                format!("compression method {} is not supported (only stored and deflate)", entry.method),
            ));
        }
        let mut local = [0u8; 30];
        let in_file = entry.local_offset.checked_add(30).is_some_and(|end| end <= self.len);
        if !in_file {
            return Err(self.member_err(entry, "the member's local header lies outside the file"));
        }
        self.reader.seek(SeekFrom::Start(entry.local_offset)).map_err(|e| self.member_err(entry, e.to_string()))?;
        self.reader.read_exact(&mut local).map_err(|e| self.member_err(entry, e.to_string()))?;
        if u32_at(&local, 0) != LOCAL_SIG {
            return Err(
                self.member_err(entry, format!("no local file header at byte {} (bad signature)", entry.local_offset))
            );
        }
        let start = entry.local_offset + 30 + u64::from(u16_at(&local, 26)) + u64::from(u16_at(&local, 28));
        if start.checked_add(entry.compressed_size).is_none_or(|end| end > self.len) {
            return Err(self.member_err(
                entry,
                format!(
                    "the member's {} bytes starting at byte {start} run past the end of the {}-byte file",
                    entry.compressed_size, self.len
                ),
            ));
        }
        Ok(start)
    }
}

/// Reads one `.npy` member from `stream`, then the rest of it, and checks
/// its length and CRC-32.
fn read_member<S: Read>(mut stream: Checked<S>, entry: &Entry, origin: &Origin) -> Result<Array> {
    let header = npy::read_header_from(&mut stream, Some(entry.size), origin)?;
    let array = npy::read_data(&mut stream, &header, Some(entry.size), origin)?;
    let rest = entry.size.saturating_sub(stream.count);
    io::copy(&mut Read::take(&mut stream, rest), &mut io::sink()).map_err(|e| origin.io(stream.count, e))?;
    if stream.count != entry.size {
        return Err(origin.err(
            stream.count,
            format!("the member holds {} bytes but the directory says {}", stream.count, entry.size),
        ));
    }
    let crc = stream.hasher.finalize();
    if crc != entry.crc {
        return Err(origin.err(
            0,
            format!("CRC-32 mismatch (computed {crc:#010x}, recorded {:#010x}): the member is corrupt", entry.crc),
        ));
    }
    Ok(array)
}

/// A reader that counts and checksums what passes through it.
struct Checked<R> {
    inner: R,
    hasher: crc32fast::Hasher,
    count: u64,
}

impl<R> Checked<R> {
    fn new(inner: R) -> Self {
        Checked { inner, hasher: crc32fast::Hasher::new(), count: 0 }
    }
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// Reads exactly `len` bytes at `offset`; the caller has checked they lie
/// inside the file.
fn read_at<R: Read + Seek>(r: &mut R, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    r.seek(SeekFrom::Start(offset))?;
    let mut buf = vec![0u8; len];
    r.read_exact(&mut buf)?;
    Ok(buf)
}

/// Finds the end-of-central-directory record and parses the directory.
fn read_directory<R: Read + Seek>(r: &mut R, len: u64, path: Option<&Path>) -> Result<Vec<Entry>> {
    let err = |offset: u64, message: String| Error::parse("npz", path, Location::Byte(offset), message);
    let io = |e: io::Error| match path {
        Some(p) => Error::io(p, e),
        None => Error::io("<reader>", e),
    };
    if len < EOCD_LEN as u64 {
        return Err(err(0, format!("the file is {len} bytes long, too short to be a zip archive")));
    }
    // The record sits at the end, followed by a comment of up to 64 KiB; a
    // zip64 locator may precede it.
    let tail_len = len.min((EOCD_LEN + 0xffff + 20) as u64) as usize;
    let tail_start = len - tail_len as u64;
    let tail = read_at(r, tail_start, tail_len).map_err(io)?;
    let Some(pos) = (0..=tail_len - EOCD_LEN).rev().find(|&p| u32_at(&tail, p) == EOCD_SIG) else {
        return Err(err(0, "no end-of-central-directory record: not a zip archive (an .npz file is a zip)".into()));
    };
    let eocd_at = tail_start + pos as u64;
    let eocd = &tail[pos..pos + EOCD_LEN];
    let (disk, cd_disk) = (u16_at(eocd, 4), u16_at(eocd, 6));
    let mut cd_size = u64::from(u32_at(eocd, 12));
    let mut cd_offset = u64::from(u32_at(eocd, 16));
    let mut cd_end_limit = eocd_at;
    if pos >= 20 && u32_at(&tail, pos - 20) == ZIP64_LOCATOR_SIG {
        let record_at = u64_at(&tail, pos - 20 + 8);
        let locator_at = eocd_at - 20;
        if record_at.checked_add(56).is_none_or(|end| end > locator_at) {
            return Err(err(locator_at, format!("the zip64 locator points to byte {record_at}, outside the file")));
        }
        let record = read_at(r, record_at, 56).map_err(io)?;
        if u32_at(&record, 0) != ZIP64_EOCD_SIG {
            return Err(err(record_at, "bad zip64 end-of-central-directory signature".into()));
        }
        cd_size = u64_at(&record, 40);
        cd_offset = u64_at(&record, 48);
        cd_end_limit = record_at;
    } else if disk != 0 || cd_disk != 0 {
        return Err(err(eocd_at + 4, "archives spanning several disks are not supported".into()));
    }
    if cd_offset.checked_add(cd_size).is_none_or(|end| end > cd_end_limit) {
        return Err(err(
            eocd_at + 12,
            format!("the central directory ({cd_size} bytes at byte {cd_offset}) lies outside the file"),
        ));
    }
    let cd = read_at(r, cd_offset, cd_size as usize).map_err(io)?;
    let mut entries = Vec::new();
    let mut p = 0usize;
    while p < cd.len() {
        let at = cd_offset + p as u64;
        if cd.len() - p < 46 || u32_at(&cd, p) != CENTRAL_SIG {
            return Err(err(at, "bad central directory entry".into()));
        }
        let flags = u16_at(&cd, p + 8);
        let method = u16_at(&cd, p + 10);
        let crc = u32_at(&cd, p + 16);
        let mut compressed_size = u64::from(u32_at(&cd, p + 20));
        let mut size = u64::from(u32_at(&cd, p + 24));
        let name_len = usize::from(u16_at(&cd, p + 28));
        let extra_len = usize::from(u16_at(&cd, p + 30));
        let comment_len = usize::from(u16_at(&cd, p + 32));
        let mut local_offset = u64::from(u32_at(&cd, p + 42));
        let end = p + 46 + name_len + extra_len + comment_len;
        if end > cd.len() {
            return Err(err(at, "a central directory entry runs past the directory's end".into()));
        }
        let raw_name = &cd[p + 46..p + 46 + name_len];
        let name = if flags & 0x800 != 0 {
            String::from_utf8(raw_name.to_vec()).map_err(|_| err(at + 46, "a member name is not valid UTF-8".into()))?
        } else {
            raw_name.iter().map(|&b| cp437(b)).collect()
        };
        // zip64 sizes and offset, present for the fields saturated at 0xffffffff.
        let mut extra = &cd[p + 46 + name_len..p + 46 + name_len + extra_len];
        while extra.len() >= 4 {
            let (id, n) = (u16_at(extra, 0), usize::from(u16_at(extra, 2)));
            let data = &extra[4..(4 + n).min(extra.len())];
            if id == ZIP64_EXTRA_ID {
                let mut fields = data.chunks_exact(8).map(|c| u64_at(c, 0));
                for field in [&mut size, &mut compressed_size, &mut local_offset] {
                    if *field == 0xffff_ffff {
                        *field = fields.next().ok_or_else(|| {
                            err(at, format!("member {name:?}: the zip64 extra field is missing a size or offset"))
                        })?;
                    }
                }
            }
            extra = &extra[(4 + n).min(extra.len())..];
        }
        entries.push(Entry { name, flags, method, crc, compressed_size, size, local_offset });
        p = end;
    }
    // When a name repeats, the last member wins (as in Python's zipfile).
    let mut seen = std::collections::HashSet::new();
    let mut keep: Vec<bool> = entries.iter().rev().map(|e| seen.insert(e.name.clone())).collect();
    keep.reverse();
    let mut keep = keep.into_iter();
    entries.retain(|_| keep.next().unwrap_or(true));
    Ok(entries)
}

/// Code page 437, the zip format's encoding for names without the UTF-8 flag.
fn cp437(b: u8) -> char {
    const HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";
    if b < 0x80 { b as char } else { HIGH.chars().nth(usize::from(b - 0x80)).unwrap_or('\u{fffd}') }
}

/// Reads every array of an `.npz` file, in archive order.
pub fn load_npz(path: impl AsRef<Path>) -> Result<Vec<(String, Array)>> {
    NpzReader::open(path)?.get_all()
}

/// How [`write_npz`] stores members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Uncompressed, like `np.savez`; members can be memory-mapped.
    Stored,
    /// Deflate, like `np.savez_compressed`.
    Deflated,
}

/// Saves arrays to an uncompressed `.npz` file (`np.savez`), atomically.
/// Each member is named `<name>.npy` and its data is 64-byte aligned, so
/// every member can be memory-mapped with [`NpzReader::load_mmap_member`].
pub fn savez(path: impl AsRef<Path>, arrays: &[(&str, &Array)]) -> Result<()> {
    save_with(path.as_ref(), arrays, Compression::Stored)
}

/// Saves arrays to a deflate-compressed `.npz` file
/// (`np.savez_compressed`), atomically.
pub fn savez_compressed(path: impl AsRef<Path>, arrays: &[(&str, &Array)]) -> Result<()> {
    save_with(path.as_ref(), arrays, Compression::Deflated)
}

fn save_with(path: &Path, arrays: &[(&str, &Array)], compression: Compression) -> Result<()> {
    check_members(arrays)?;
    write_atomic(path, |w| write_members(w, arrays, compression, false, io_err(path)))
}

/// Writes an `.npz` archive to any seekable writer (the local headers are
/// completed by seeking back once each member's size and CRC are known).
pub fn write_npz<W: Write + Seek>(mut writer: W, arrays: &[(&str, &Array)], compression: Compression) -> Result<()> {
    check_members(arrays)?;
    write_members(&mut writer, arrays, compression, false, |e| Error::io("<writer>", e))
}

fn check_members(arrays: &[(&str, &Array)]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for (name, array) in arrays {
        if !seen.insert(*name) {
            return Err(Error::invalid("npz", format!("the name {name:?} is given twice")));
        }
        if array.dtype() == oxarray_core::DType::BFloat16 {
            return Err(Error::invalid(
                "npz",
                format!(
                    "array {name:?} is bfloat16, which has no NumPy dtype and so cannot be an .npy member; save it \
                     with oxarray_io::safetensors, or cast it to float32 first"
                ),
            ));
        }
    }
    Ok(())
}

/// A member's central directory record, collected while writing.
struct Written {
    name: String,
    method: u16,
    crc: u32,
    compressed_size: u64,
    size: u64,
    offset: u64,
    zip64: bool,
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// `v` as a 32-bit zip field, or the 0xffffffff that defers to zip64.
fn field32(v: u64, zip64: bool) -> u32 {
    if zip64 || v >= 0xffff_ffff { 0xffff_ffff } else { v as u32 }
}

const DOS_DATE_1980_01_01: u16 = (1 << 5) | 1;

fn write_members<W: Write + Seek>(
    w: &mut W,
    arrays: &[(&str, &Array)],
    compression: Compression,
    force_zip64: bool,
    err: impl Fn(io::Error) -> Error,
) -> Result<()> {
    let mut written = Vec::with_capacity(arrays.len());
    for (key, array) in arrays {
        let name = format!("{key}.npy");
        let name_len = u16::try_from(name.len()).map_err(|_| Error::invalid("npz", "member name too long"))?;
        let (header, view) = npy::encode(array)?;
        let data = view.to_bytes();
        let size = (header.len() + data.len()) as u64;
        let offset = w.stream_position().map_err(&err)?;
        let zip64 = force_zip64 || size >= ZIP64_THRESHOLD;
        let method: u16 = if compression == Compression::Stored { 0 } else { 8 };
        let mut extra = Vec::new();
        if zip64 {
            put16(&mut extra, ZIP64_EXTRA_ID);
            put16(&mut extra, 16);
            put64(&mut extra, size);
            put64(&mut extra, 0); // compressed size, patched below
        }
        if compression == Compression::Stored {
            let before = offset + 30 + u64::from(name_len) + extra.len() as u64 + 6;
            let pad = (MEMBER_ALIGN - before % MEMBER_ALIGN) % MEMBER_ALIGN;
            put16(&mut extra, ALIGN_EXTRA_ID);
            put16(&mut extra, 2 + pad as u16);
            put16(&mut extra, MEMBER_ALIGN as u16);
            extra.resize(extra.len() + pad as usize, 0);
        }
        let version: u16 = if zip64 { 45 } else { 20 };
        let flags: u16 = if name.is_ascii() { 0 } else { 0x800 };
        let mut local = Vec::with_capacity(30 + name.len() + extra.len());
        put32(&mut local, LOCAL_SIG);
        put16(&mut local, version);
        put16(&mut local, flags);
        put16(&mut local, method);
        put16(&mut local, 0);
        put16(&mut local, DOS_DATE_1980_01_01);
        put32(&mut local, 0); // CRC-32, patched below
        put32(&mut local, if zip64 { 0xffff_ffff } else { 0 });
        put32(&mut local, field32(size, zip64));
        put16(&mut local, name_len);
        put16(&mut local, extra.len() as u16);
        local.extend_from_slice(name.as_bytes());
        local.extend_from_slice(&extra);
        w.write_all(&local).map_err(&err)?;
        let data_start = offset + local.len() as u64;

        let mut hasher = crc32fast::Hasher::new();
        let pieces = [&header[..], &data[..]];
        match compression {
            Compression::Stored => {
                for piece in pieces {
                    for chunk in piece.chunks(1 << 20) {
                        hasher.update(chunk);
                        w.write_all(chunk).map_err(&err)?;
                    }
                }
            }
            Compression::Deflated => {
                let mut enc = DeflateEncoder::new(&mut *w, flate2::Compression::default());
                for piece in pieces {
                    for chunk in piece.chunks(1 << 20) {
                        hasher.update(chunk);
                        enc.write_all(chunk).map_err(&err)?;
                    }
                }
                enc.finish().map_err(&err)?;
            }
        }
        let end = w.stream_position().map_err(&err)?;
        let compressed_size = end - data_start;
        if !zip64 && compressed_size >= 0xffff_ffff {
            return Err(Error::invalid("npz", format!("member {name:?} compressed to over 4 GiB")));
        }
        let crc = hasher.finalize();
        let mut patch = Vec::with_capacity(12);
        put32(&mut patch, crc);
        put32(&mut patch, field32(compressed_size, zip64));
        put32(&mut patch, field32(size, zip64));
        w.seek(SeekFrom::Start(offset + 14)).map_err(&err)?;
        w.write_all(&patch).map_err(&err)?;
        if zip64 {
            w.seek(SeekFrom::Start(offset + 30 + u64::from(name_len) + 12)).map_err(&err)?;
            w.write_all(&compressed_size.to_le_bytes()).map_err(&err)?;
        }
        w.seek(SeekFrom::Start(end)).map_err(&err)?;
        written.push(Written { name, method, crc, compressed_size, size, offset, zip64 });
    }

    let cd_offset = w.stream_position().map_err(&err)?;
    let mut cd = Vec::new();
    for m in &written {
        let mut extra = Vec::new();
        let big = |v: u64| force_zip64 || v >= 0xffff_ffff;
        let fields: Vec<u64> = [m.size, m.compressed_size, m.offset].into_iter().filter(|&v| big(v)).collect();
        if !fields.is_empty() {
            put16(&mut extra, ZIP64_EXTRA_ID);
            put16(&mut extra, 8 * fields.len() as u16);
            fields.iter().for_each(|&v| put64(&mut extra, v));
        }
        let version: u16 = if m.zip64 || !fields.is_empty() { 45 } else { 20 };
        put32(&mut cd, CENTRAL_SIG);
        put16(&mut cd, (3 << 8) | version); // made by: Unix
        put16(&mut cd, version);
        put16(&mut cd, if m.name.is_ascii() { 0 } else { 0x800 });
        put16(&mut cd, m.method);
        put16(&mut cd, 0);
        put16(&mut cd, DOS_DATE_1980_01_01);
        put32(&mut cd, m.crc);
        put32(&mut cd, field32(m.compressed_size, force_zip64));
        put32(&mut cd, field32(m.size, force_zip64));
        put16(&mut cd, m.name.len() as u16);
        put16(&mut cd, extra.len() as u16);
        put16(&mut cd, 0); // comment
        put16(&mut cd, 0); // disk
        put16(&mut cd, 0); // internal attributes
        put32(&mut cd, 0o100644 << 16); // a regular file, rw-r--r--
        put32(&mut cd, field32(m.offset, force_zip64));
        cd.extend_from_slice(m.name.as_bytes());
        cd.extend_from_slice(&extra);
    }
    let cd_size = cd.len() as u64;
    let count = written.len() as u64;
    if force_zip64 || count >= 0xffff || cd_offset >= 0xffff_ffff || cd_size >= 0xffff_ffff {
        let record_at = cd_offset + cd_size;
        put32(&mut cd, ZIP64_EOCD_SIG);
        put64(&mut cd, 44);
        put16(&mut cd, (3 << 8) | 45);
        put16(&mut cd, 45);
        put32(&mut cd, 0);
        put32(&mut cd, 0);
        put64(&mut cd, count);
        put64(&mut cd, count);
        put64(&mut cd, cd_size);
        put64(&mut cd, cd_offset);
        put32(&mut cd, ZIP64_LOCATOR_SIG);
        put32(&mut cd, 0);
        put64(&mut cd, record_at);
        put32(&mut cd, 1);
    }
    put32(&mut cd, EOCD_SIG);
    put16(&mut cd, 0);
    put16(&mut cd, 0);
    put16(&mut cd, count.min(0xffff) as u16);
    put16(&mut cd, count.min(0xffff) as u16);
    put32(&mut cd, field32(cd_size, force_zip64));
    put32(&mut cd, field32(cd_offset, force_zip64));
    put16(&mut cd, 0);
    w.write_all(&cd).map_err(&err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn cp437_table_is_complete() {
        assert_eq!(cp437(b'a'), 'a');
        assert_eq!(cp437(0x80), 'Ç');
        assert_eq!(cp437(0xff), '\u{a0}');
        assert!((0x80..=0xffu8).all(|b| cp437(b) != '\u{fffd}'));
    }

    #[test]
    fn zip64_records_round_trip() {
        let a = Array::from_vec(vec![1.5f64, -2.0, 3.25], &[3]).unwrap();
        let b = Array::from_vec(vec![1u8, 2, 3, 4], &[2, 2]).unwrap();
        for compression in [Compression::Stored, Compression::Deflated] {
            let mut out = Cursor::new(Vec::new());
            write_members(&mut out, &[("a", &a), ("b", &b)], compression, true, |e| Error::io("<test>", e)).unwrap();
            let mut r = NpzReader::new(Cursor::new(out.into_inner())).unwrap();
            assert_eq!(r.names(), vec!["a", "b"]);
            assert_eq!(r.get("a").unwrap().to_vec::<f64>().unwrap(), vec![1.5, -2.0, 3.25]);
            assert_eq!(r.get("b.npy").unwrap().to_vec::<u8>().unwrap(), vec![1, 2, 3, 4]);
        }
    }
}
