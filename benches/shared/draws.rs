//! Requests drawn at random each iteration: a precomputed sequence of indices from a fixed seed,
//! so every run sees the same draws, and the floor row's company word.
//!
//! Shared by `benches/worst.rs` and the peers bench (`benches/peers`, through `#[path]`).

/// Draws in a precomputed sequence (a power of two: the index wraps with a mask). Long enough
/// that a branch predictor cannot learn it: with 4,096 draws (before), this machine's predictor
/// learned enough of the sequence to take kisum-access's peers rows from about 11 ns to 4.5–7 ns,
/// depending on where the loop landed in the binary, while the branch-free floor did not move.
pub const DRAWS: usize = 1 << 20;

/// `DRAWS` indices below `n` (at most 256: one byte each, so the sequence is 1 MiB, read in order),
/// from splitmix64 with a fixed seed: the same sequence every run.
pub fn draws(n: usize) -> Vec<u8> {
    assert!((1..=256).contains(&n), "{n} rows: draws are bytes");
    let mut state: u64 = 0x005E_ED0F_DEC1_DE00;
    (0..DRAWS)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            // Below n <= 256: fits a byte.
            ((z ^ (z >> 31)) % n as u64) as u8
        })
        .collect()
}

/// A company's first 8 bytes as a word: the floor row's company match.
pub fn word(company: &str) -> u64 {
    let mut w = [0u8; 8];
    let n = company.len().min(8);
    w[..n].copy_from_slice(&company.as_bytes()[..n]);
    u64::from_le_bytes(w)
}
