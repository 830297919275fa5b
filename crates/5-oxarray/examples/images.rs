//! Images: write PNGs, read one back, and read a folder of them as one
//! labelled batch (`cargo run -p oxarray --example images`).

use oxarray::Array;
use oxarray::io::image::{self, ImageFolderOptions, read_image_folder, write_png};

fn main() -> oxarray::Result<()> {
    let root = std::env::temp_dir().join(format!("ox-images-{}", std::process::id()));
    for (class, shade) in [("cat", 40u8), ("dog", 200)] {
        std::fs::create_dir_all(root.join(class)).map_err(|e| oxarray::Error::io(&root, e))?;
        for i in 0..2u8 {
            let img = Array::from_vec(vec![shade + i; 6 * 8 * 3], &[6, 8, 3])?; // 6 rows × 8 columns, RGB
            write_png(root.join(class).join(format!("{i}.png")), &img)?;
        }
    }
    let one = image::read_image(root.join("cat/0.png"))?;
    println!("one image: {:?} {}", one.shape(), one.dtype());
    let opts = ImageFolderOptions { size: Some((4, 4)), ..Default::default() }; // resized, RGB
    let batch = read_image_folder(&root, &opts)?;
    println!(
        "batch: {:?} {}, labels {:?}, classes {:?}",
        batch.images.shape(),
        batch.images.dtype(),
        batch.labels.to_vec::<i64>()?,
        batch.classes
    );
    let _ = std::fs::remove_dir_all(&root);
    Ok(())
}
