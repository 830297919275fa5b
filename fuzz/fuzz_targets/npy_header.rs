//! `.npy` parsing on arbitrary bytes: the header parser, the in-memory and
//! streaming readers, and re-encoding whatever parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxarray_io::npy;

fuzz_target!(|data: &[u8]| {
    let _ = npy::read_header(data);
    if let Ok(a) = npy::from_bytes(data) {
        assert_eq!(a.to_bytes().len(), a.nbytes());
        let again = npy::from_bytes(&npy::to_bytes(&a).expect("a parsed array re-encodes")).expect("and parses");
        assert_eq!(again.to_bytes(), a.to_bytes());
    }
    if let Ok(a) = npy::read_npy(data) {
        assert_eq!(a.to_bytes().len(), a.nbytes());
    }
});
