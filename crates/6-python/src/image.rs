//! Images: `read_image`, `read_images` (a folder of class sub-folders as
//! one batch) and `write_png`, over `oxarray::io::image`. Decoding runs
//! with the GIL released.

use std::path::PathBuf;

use oxarray::io::image::{self, Channels, ImageFolderOptions, ImageOptions, ResizeMode};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::array::PyArray;
use crate::creation::to_array;
use crate::errors::run;

/// `read_image(file, *, max_pixels=None)`: a PNG or JPEG file (or its bytes)
/// as a `height × width × channels` array, `uint8` for 8-bit images and
/// `uint16` for 16-bit PNGs; the format is read from the first bytes.
#[pyfunction]
#[pyo3(signature = (file, *, max_pixels=None))]
fn read_image(py: Python<'_>, file: &Bound<'_, PyAny>, max_pixels: Option<u64>) -> PyResult<PyArray> {
    let mut options = ImageOptions::default();
    if let Some(m) = max_pixels {
        options.max_pixels = m;
    }
    if let Ok(bytes) = file.cast::<PyBytes>() {
        let bytes = bytes.as_bytes().to_vec();
        return run(py, move || image::read_image_bytes_with(&bytes, &options)).map(Into::into);
    }
    let path: PathBuf = file.extract()?;
    run(py, move || image::read_image_with(&path, &options)).map(Into::into)
}

fn parse_size(size: Option<&Bound<'_, PyAny>>) -> PyResult<Option<(usize, usize)>> {
    let Some(s) = size.filter(|s| !s.is_none()) else { return Ok(None) };
    if let Ok(n) = s.extract::<usize>() {
        return Ok(Some((n, n)));
    }
    let (h, w): (usize, usize) =
        s.extract().map_err(|_| PyValueError::new_err("size must be an int or a (height, width) tuple"))?;
    Ok(Some((h, w)))
}

/// `read_images(root, *, size=None, mode="resize", channels="rgb",
/// parallel=True)`: every PNG/JPEG below `root`, as torchvision's
/// `ImageFolder` finds them (classes are the sorted sub-folder names),
/// returned as `(images, labels, classes)`: an `N × H × W × C` `uint8`
/// batch, `int64` labels and the class names. `size` is `(height, width)`
/// or one int for a square; `mode` is `"resize"` (antialiased bilinear),
/// `"crop"` (centre crop, zero padding) or `"resize_crop"` (shorter side
/// resized, then centre crop). Without `size` every image must already
/// have the same size.
#[pyfunction]
#[pyo3(signature = (root, *, size=None, mode="resize", channels="rgb", parallel=true))]
fn read_images(
    py: Python<'_>,
    root: PathBuf,
    size: Option<&Bound<'_, PyAny>>,
    mode: &str,
    channels: &str,
    parallel: bool,
) -> PyResult<(PyArray, PyArray, Vec<String>)> {
    let mode = match mode {
        "resize" => ResizeMode::Resize,
        "crop" => ResizeMode::CenterCrop,
        "resize_crop" => ResizeMode::ResizeCrop,
        other => {
            return Err(PyValueError::new_err(format!(
                "mode must be 'resize', 'crop' or 'resize_crop', not {other:?}"
            )));
        }
    };
    let channels = match channels {
        "gray" | "L" => Channels::Gray,
        "rgb" | "RGB" => Channels::Rgb,
        "rgba" | "RGBA" => Channels::Rgba,
        other => {
            return Err(PyValueError::new_err(format!("channels must be 'gray', 'rgb' or 'rgba', not {other:?}")));
        }
    };
    let options = ImageFolderOptions { size: parse_size(size)?, mode, channels, parallel, ..Default::default() };
    let folder = run(py, move || image::read_image_folder(&root, &options))?;
    Ok((folder.images.into(), folder.labels.into(), folder.classes))
}

/// `write_png(file, image)`: writes a `uint8`/`uint16` array of shape
/// `H × W` or `H × W × C` (C = 1, 2, 3 or 4) as a PNG file, atomically.
#[pyfunction]
fn write_png(py: Python<'_>, file: PathBuf, image: &Bound<'_, PyAny>) -> PyResult<()> {
    let array = to_array(image, None, None)?;
    run(py, move || image::write_png(&file, &array))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read_image, m)?)?;
    m.add_function(wrap_pyfunction!(read_images, m)?)?;
    m.add_function(wrap_pyfunction!(write_png, m)?)?;
    Ok(())
}
