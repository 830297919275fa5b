"""Images: ox.read_image / ox.read_images / ox.write_png against Pillow."""

import numpy as np
import pytest

import oxarray as ox

PIL = pytest.importorskip("PIL", reason="Pillow is the reference decoder (requirements-test.txt)")
from PIL import Image  # noqa: E402

rng = np.random.default_rng(7)


def pil_array(path):
    with Image.open(path) as im:
        a = np.asarray(im)
    return a if a.ndim == 3 else a[:, :, None]


@pytest.mark.parametrize("mode,channels", [("L", 1), ("LA", 2), ("RGB", 3), ("RGBA", 4)])
def test_png_8bit_matches_pillow(tmp_path, mode, channels):
    pixels = rng.integers(0, 256, size=(13, 7, channels), dtype=np.uint8)
    path = tmp_path / "x.png"
    Image.fromarray(pixels[:, :, 0] if channels == 1 else pixels, mode).save(path)
    got = ox.read_image(path)
    assert got.dtype == ox.uint8 and got.shape == (13, 7, channels)
    np.testing.assert_array_equal(np.asarray(got), pil_array(path))
    # The same from the file's bytes.
    np.testing.assert_array_equal(np.asarray(ox.read_image(path.read_bytes())), pil_array(path))


def test_png_16bit_gray(tmp_path):
    pixels = rng.integers(0, 65536, size=(5, 9), dtype=np.uint16)
    path = tmp_path / "x16.png"
    Image.fromarray(pixels).save(path)  # Pillow writes mode I;16 as a 16-bit gray PNG
    got = ox.read_image(path)
    assert got.dtype == ox.uint16 and got.shape == (5, 9, 1)
    np.testing.assert_array_equal(np.asarray(got)[:, :, 0], pixels)


def test_palette_png_expands_to_rgb(tmp_path):
    rgb = rng.integers(0, 256, size=(6, 6, 3), dtype=np.uint8)
    path = tmp_path / "p.png"
    Image.fromarray(rgb).quantize(colors=16).save(path)
    got = np.asarray(ox.read_image(path))
    with Image.open(path) as im:
        expected = np.asarray(im.convert("RGB"))
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_jpeg_within_3_of_libjpeg(tmp_path, mode):
    y, x = np.mgrid[0:32, 0:48]
    base = ((x * 5 + y * 3) % 256).astype(np.uint8)
    pixels = base if mode == "L" else np.stack([base, base[::-1], 255 - base], axis=-1)
    path = tmp_path / "x.jpg"
    Image.fromarray(pixels, mode).save(path, quality=90)
    got = np.asarray(ox.read_image(path)).astype(np.int16)
    expected = pil_array(path).astype(np.int16)
    assert got.shape == expected.shape
    # Different IDCT/upsampling implementations: documented bound of 3.
    assert np.abs(got - expected).max() <= 3


@pytest.mark.parametrize("shape,dtype", [((4, 5), np.uint8), ((4, 5, 3), np.uint8), ((2, 3, 2), np.uint8),
                                         ((3, 2, 4), np.uint8), ((4, 5), np.uint16), ((3, 2, 4), np.uint16),
                                         ((3, 2, 3), np.uint16)])
def test_write_png_round_trips(tmp_path, shape, dtype):
    pixels = rng.integers(0, np.iinfo(dtype).max, size=shape, dtype=dtype, endpoint=True)
    path = tmp_path / "w.png"
    ox.write_png(path, pixels)
    expected = pixels if pixels.ndim == 3 else pixels[:, :, None]
    got = ox.read_image(path)
    assert got.dtype == ox.asarray(pixels).dtype
    np.testing.assert_array_equal(np.asarray(got), expected)
    if dtype == np.uint8 or expected.shape[2] == 1:
        # Pillow has 16-bit modes for gray only (it reads 16-bit colour PNGs as 8-bit).
        np.testing.assert_array_equal(pil_array(path).astype(dtype), expected)
    else:
        with Image.open(path) as im:
            assert im.size == (shape[1], shape[0])


def test_write_png_of_a_view(tmp_path):
    pixels = rng.integers(0, 256, size=(6, 8, 3), dtype=np.uint8)
    view = ox.asarray(pixels)[::-1, ::2]
    path = tmp_path / "v.png"
    ox.write_png(path, view)
    np.testing.assert_array_equal(pil_array(path), pixels[::-1, ::2])


def make_folder(root):
    """cats/ (2 RGB images), dogs/ (1 gray, 1 RGBA): different sizes."""
    images = {}
    for cls, specs in {"cats": [("a.png", (20, 30), "RGB"), ("b.png", (16, 16), "RGB")],
                       "dogs": [("c.png", (10, 12), "L"), ("d.png", (25, 9), "RGBA")]}.items():
        (root / cls).mkdir()
        for name, (h, w), mode in specs:
            channels = {"L": 1, "RGB": 3, "RGBA": 4}[mode]
            px = rng.integers(0, 256, size=(h, w, channels), dtype=np.uint8)
            im = Image.fromarray(px[:, :, 0] if channels == 1 else px, mode)
            im.save(root / cls / name)
            images[(cls, name)] = im
    return images


def test_read_images_matches_pillow_resize(tmp_path):
    images = make_folder(tmp_path)
    batch, labels, classes = ox.read_images(tmp_path, size=(8, 10))
    assert classes == ["cats", "dogs"]
    assert batch.dtype == ox.uint8 and batch.shape == (4, 8, 10, 3)
    assert labels.dtype == ox.int64
    np.testing.assert_array_equal(np.asarray(labels), [0, 0, 1, 1])
    order = [("cats", "a.png"), ("cats", "b.png"), ("dogs", "c.png"), ("dogs", "d.png")]
    for i, key in enumerate(order):
        im = images[key]
        if im.mode == "RGBA":
            continue  # Pillow premultiplies alpha when resizing; oxarray does not (documented)
        expected = np.asarray(im.convert("RGB").resize((10, 8), Image.BILINEAR)).astype(np.int16)
        got = np.asarray(batch[i]).astype(np.int16)
        assert np.abs(got - expected).max() <= 1, key


def test_read_images_gray_and_crop(tmp_path):
    make_folder(tmp_path)
    batch, labels, _ = ox.read_images(tmp_path, size=6, mode="crop", channels="gray", parallel=False)
    assert batch.shape == (4, 6, 6, 1)
    again, _, _ = ox.read_images(tmp_path, size=6, mode="crop", channels="gray", parallel=True)
    np.testing.assert_array_equal(np.asarray(batch), np.asarray(again))


def test_read_images_without_size_needs_equal_sizes(tmp_path):
    make_folder(tmp_path)
    with pytest.raises(ValueError, match="size"):
        ox.read_images(tmp_path)


def test_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    with pytest.raises(ValueError, match="bad.png"):
        ox.read_image(bad)
    garbage = tmp_path / "g.png"
    garbage.write_bytes(b"not an image")
    with pytest.raises(ValueError):
        ox.read_image(garbage)
    with pytest.raises(FileNotFoundError):
        ox.read_image(tmp_path / "missing.png")
    big = tmp_path / "big.png"
    Image.fromarray(np.zeros((100, 100), np.uint8)).save(big)
    with pytest.raises(ValueError):
        ox.read_image(big, max_pixels=99)
    with pytest.raises(ValueError, match="mode"):
        ox.read_images(tmp_path, size=4, mode="stretch")
    with pytest.raises(ValueError, match="channels"):
        ox.read_images(tmp_path, size=4, channels="cmyk")
    with pytest.raises(TypeError):
        ox.write_png(tmp_path / "f.png", np.zeros((3, 3), np.float32))
    assert not (tmp_path / "f.png").exists()
