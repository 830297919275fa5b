//! Fuzzes the CSV reader: any bytes, read whole (on one thread and cut into
//! threads), into an array and streamed, must give a result or an error,
//! never a panic, and the threads must not change the outcome.

#![no_main]

use libfuzzer_sys::fuzz_target;
use oxarray_core::DType;
use oxarray_io::csv::{CsvChunks, CsvOptions, read_csv_bytes, read_csv_bytes_array};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the options; the rest is the CSV text.
    let Some((&flags, csv)) = data.split_first() else { return };
    let mut opts = CsvOptions::default().header(flags & 1 == 0);
    if flags & 2 != 0 {
        opts = opts.float_dtype(DType::Float32);
    }
    if flags & 4 != 0 {
        opts = opts.missing_markers(["-1", "?"]);
    }
    if flags & 8 != 0 {
        opts = opts.delimiter(b';');
    }
    let one = read_csv_bytes(csv, &opts.clone().threads(1));
    let many = read_csv_bytes(csv, &opts.clone().threads(3).min_chunk_bytes(1));
    match (&one, &many) {
        (Ok(a), Ok(b)) => assert_eq!(a.n_rows(), b.n_rows()),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("threads changed the outcome: {one:?} vs {many:?}"),
    }
    if let Ok(t) = &one {
        let _ = t.to_array(DType::Float32);
    }
    let _ = read_csv_bytes_array(csv, &opts, DType::Float64);
    if let Ok(chunks) = CsvChunks::new(csv, &opts, 1 + usize::from(flags >> 4)) {
        for t in chunks {
            if t.is_err() {
                break;
            }
        }
    }
});
