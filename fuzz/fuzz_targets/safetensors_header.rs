//! safetensors parsing on arbitrary bytes: the length prefix, the JSON
//! header and its validation, and the tensors it describes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxarray_io::safetensors::SafeTensors;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = SafeTensors::from_bytes(data) {
        for name in file.names() {
            if let Ok(a) = file.get(name) {
                assert_eq!(a.to_bytes().len(), a.nbytes());
            }
        }
    }
});
