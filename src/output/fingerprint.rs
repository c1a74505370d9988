//! Stable fingerprints of diagnostics, for code scanning (SARIF) and GitLab code quality: the
//! rule, the file and the text of the diagnostic's line, not its number, so a finding keeps its
//! fingerprint when lines are added above it; repeated findings are told apart by occurrence.

use std::collections::HashMap;

use super::Message;

/// One fingerprint per message, in order (16 hex digits, FNV-1a: the same on every platform and
/// Rust version, which the standard library's hasher does not promise).
pub fn fingerprints(messages: &[Message]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    messages
        .iter()
        .map(|message| {
            let line = message
                .source
                .line_text(message.source.row(message.range.start()))
                .trim();
            let base = fnv1a(&[message.code(), &message.display_path, line]);
            let occurrence = seen.entry(base.clone()).or_insert(0);
            *occurrence += 1;
            fnv1a(&[&base, &occurrence.to_string()])
        })
        .collect()
}

fn fnv1a(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}
