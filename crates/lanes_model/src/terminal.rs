//! The one escaping function for text that reaches a terminal.

use std::borrow::Cow;

/// Make text safe for a terminal: control characters (ESC, CR, BEL, DEL, the C1 controls such
/// as U+009B CSI, ...) in file names, keys, values and messages become visible escapes
/// (`\x1b`, `\x9b`), so a crafted file name or value cannot move the cursor, rewrite what
/// was printed or change the terminal's title. Newlines and tabs stay.
///
/// Every user-controlled string the `lanes` binary prints for people goes through this: lint
/// findings, traffic diffs, plans and summaries, the file names in `--dry-run` diff headers,
/// error messages. Machine formats (JSON, SARIF, ...) escape by their own rules, and the lines
/// of a unified diff stay byte-faithful (as git shows them).
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            let n = c as u32;
            if n <= 0xff {
                out.push_str(&format!("\\x{n:02x}"));
            } else {
                out.push_str(&format!("\\u{{{n:x}}}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn control_characters_become_visible_and_newlines_and_tabs_stay() {
        assert_eq!(terminal_safe("a\tb\nc"), "a\tb\nc");
        assert_eq!(
            terminal_safe("x\u{1b}]0;pwned\u{7}y\rz\u{7f}\u{9b}"),
            "x\\x1b]0;pwned\\x07y\\x0dz\\x7f\\x9b"
        );
    }
}
