//! Tests of `size.rs`.

use super::brotli_size;

#[test]
fn repetitive_text_compresses_and_empty_input_stays_tiny() {
    let text = "Nærvær ".repeat(1000);
    let size = brotli_size(text.as_bytes()).unwrap();
    assert!(size > 0 && size < text.len() / 20, "{size}");
    assert!(brotli_size(b"").unwrap() < 8);
}
