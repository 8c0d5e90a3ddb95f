//! Requests drawn at random each iteration: a precomputed sequence of indices from a fixed seed,
//! so every run sees the same draws, and the floor row's company word.
//!
//! Shared by `benches/worst.rs` and the peers bench (`benches/peers`, through `#[path]`).

/// Draws in a precomputed sequence (a power of two: the index wraps with a mask).
pub const DRAWS: usize = 4096;

/// `DRAWS` indices below `n`, from splitmix64 with a fixed seed: the same sequence every run.
pub fn draws(n: usize) -> Vec<usize> {
    let mut state: u64 = 0x005E_ED0F_DEC1_DE00;
    (0..DRAWS)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) % n as u64) as usize
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
