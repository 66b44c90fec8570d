//! The bundled sample corpus: the five seed reports, compiled in so that `fazhi ingest` and
//! `fazhi extract` work with no input on any machine.

/// `(name, bytes)` of each sample report; names are `sample/<file>`.
pub const REPORTS: &[(&str, &[u8])] = &[
    (
        "sample/000_8d0ddbe03466504a.txt",
        include_bytes!("../tests/fixtures/seeds/000_8d0ddbe03466504a.txt"),
    ),
    (
        "sample/001_eccdde27a96004d6.txt",
        include_bytes!("../tests/fixtures/seeds/001_eccdde27a96004d6.txt"),
    ),
    (
        "sample/002_b603a63773e2a13c.txt",
        include_bytes!("../tests/fixtures/seeds/002_b603a63773e2a13c.txt"),
    ),
    (
        "sample/003_3ec005597ce203f5.txt",
        include_bytes!("../tests/fixtures/seeds/003_3ec005597ce203f5.txt"),
    ),
    (
        "sample/004_8e2bfd6529608b47.txt",
        include_bytes!("../tests/fixtures/seeds/004_8e2bfd6529608b47.txt"),
    ),
];
