//! Inputs the fuzzer found (`tests/fixtures/fuzz/<target>/`), replayed through the fuzz targets'
//! own checks on every `cargo test`, so that a fixed crash stays fixed.

mod common;

#[path = "fuzz/checks.rs"]
mod checks;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = common::fixtures().join("fuzz").join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            panic!("{} fails again", path.display());
        }
        n += 1;
    }
    n
}

#[test]
fn inputs_the_extraction_fuzzer_found_pass() {
    assert!(replay("extract", checks::extraction_holds) > 0);
}

#[test]
fn inputs_the_normaliser_fuzzer_found_pass() {
    replay("normalise", checks::normalising_holds);
}
