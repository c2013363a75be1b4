//! PEM-style armor: base64 in lines of 64 characters between banners. One writer, so that
//! the simulator's certificates and key backups and the tests' fixtures wrap alike.

use base64::Engine as _;

/// The base64 of `bytes` in lines of 64 characters, each ended by `\n` (RFC 7468).
pub fn base64_lines(bytes: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(body.len() + body.len() / 64 + 1);
    for chunk in body.as_bytes().chunks(64) {
        // Base64 is ASCII: every chunk is valid UTF-8.
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out
}

/// A PEM block: `-----BEGIN {label}-----`, [`base64_lines`] of `der`, `-----END {label}-----`.
pub fn to_pem(label: &str, der: &[u8]) -> String {
    format!(
        "-----BEGIN {label}-----\n{}-----END {label}-----\n",
        base64_lines(der)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_64_characters_and_each_ends() {
        let text = base64_lines(&[0xAB; 100]);
        let lines: Vec<&str> = text.split_terminator('\n').collect();
        assert_eq!(
            lines.iter().map(|l| l.len()).collect::<Vec<_>>(),
            [64, 64, 8]
        );
        assert!(text.ends_with('\n'));
    }

    #[test]
    fn a_pem_block_has_its_banners() {
        assert_eq!(
            to_pem("TEST", b"hi"),
            "-----BEGIN TEST-----\naGk=\n-----END TEST-----\n"
        );
    }
}
