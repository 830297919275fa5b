//! PNG and JPEG decoding on arbitrary bytes: headers, size limits, chunk
//! and marker parsing, inflate, Huffman and progressive scans, and the PNG
//! writer on whatever decodes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxarray_io::image::{self, ImageOptions};

fuzz_target!(|data: &[u8]| {
    let _ = image::image_info_bytes(data);
    // A small pixel limit keeps each run fast; the limit logic is the same.
    if let Ok(a) = image::read_image_bytes_with(data, &ImageOptions { max_pixels: 1 << 22 }) {
        assert_eq!(a.ndim(), 3);
        assert_eq!(a.to_bytes().len(), a.nbytes());
        if a.shape()[2] <= 4 {
            let png = image::encode_png(&a).expect("a decoded image is writable");
            let back = image::read_image_bytes(&png).expect("a written PNG reads back");
            assert_eq!(back.to_bytes(), a.to_bytes());
        }
    }
});
