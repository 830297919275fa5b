//! `.npz` reading on arbitrary bytes: the zip directory, local headers,
//! inflate, CRC checks and the `.npy` members.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use oxarray_io::npz::NpzReader;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut archive) = NpzReader::new(Cursor::new(data)) {
        let names: Vec<String> = archive.names().iter().map(|n| n.to_string()).collect();
        for name in names {
            if let Ok(a) = archive.get(&name) {
                assert_eq!(a.to_bytes().len(), a.nbytes());
            }
        }
    }
});
