//! YAML 1.2 core-schema resolution of plain scalars.

/// The resolved value of a scalar under the YAML 1.2 core schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar<'a> {
    /// `~`, `null`, empty.
    Null,
    /// `true` / `false` (any of the three core spellings).
    Bool(bool),
    /// A decimal, `0o` octal or `0x` hexadecimal integer that fits in `i64`.
    Int(i64),
    /// A float (`1.5`, `1e3`, `.inf`, `.nan`).
    Float(f64),
    /// Anything else, and every quoted or block scalar.
    Str(&'a str),
}

/// Resolve a scalar's value. Quoted and block scalars are always strings.
pub fn resolve(value: &str, plain: bool) -> Scalar<'_> {
    if !plain {
        return Scalar::Str(value);
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Scalar::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        _ => {}
    }
    if let Some(i) = parse_int(value) {
        return Scalar::Int(i);
    }
    if is_float(value) {
        if let Ok(f) = value.parse::<f64>() {
            return Scalar::Float(f);
        }
    }
    Scalar::Str(value)
}

fn parse_int(s: &str) -> Option<i64> {
    if let Some(oct) = s.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return i64::from_str_radix(oct, 8).ok();
        }
        return None;
    }
    if let Some(hex) = s.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return i64::from_str_radix(hex, 16).ok();
        }
        return None;
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

fn is_float(s: &str) -> bool {
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - f;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == b.len()
}

/// Whether a string can be written as a plain scalar and read back as the same string.
pub fn plain_safe(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return false;
    }
    if !matches!(resolve(s, true), Scalar::Str(_)) {
        return false;
    }
    // YAML 1.1 readers (kubectl) treat these as booleans.
    if matches!(
        s.to_ascii_lowercase().as_str(),
        "yes" | "no" | "on" | "off" | "y" | "n"
    ) {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-x` is fine in YAML but keep it simple and safe.
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    if s.contains(['\n', '\r', '\t']) {
        return false;
    }
    !s.contains([',', '[', ']', '{', '}'])
}

/// Render a string as a double-quoted YAML scalar.
pub fn double_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Render a string as a single-quoted YAML scalar, or `None` if it cannot be (line breaks).
pub fn single_quote(s: &str) -> Option<String> {
    if s.contains(['\n', '\r']) {
        return None;
    }
    Some(format!("'{}'", s.replace('\'', "''")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema() {
        assert_eq!(resolve("", true), Scalar::Null);
        assert_eq!(resolve("~", true), Scalar::Null);
        assert_eq!(resolve("True", true), Scalar::Bool(true));
        assert_eq!(resolve("yes", true), Scalar::Str("yes"));
        assert_eq!(resolve("50", true), Scalar::Int(50));
        assert_eq!(resolve("-3", true), Scalar::Int(-3));
        assert_eq!(resolve("0o17", true), Scalar::Int(15));
        assert_eq!(resolve("0x1F", true), Scalar::Int(31));
        assert_eq!(resolve("1_000", true), Scalar::Str("1_000"));
        assert_eq!(resolve("1.5", true), Scalar::Float(1.5));
        assert_eq!(resolve("1e3", true), Scalar::Float(1000.0));
        assert_eq!(resolve("v1", true), Scalar::Str("v1"));
        assert_eq!(resolve("10", false), Scalar::Str("10"));
        assert_eq!(resolve("99999999999999999999", true), Scalar::Float(1e20));
    }

    #[test]
    fn quoting() {
        assert!(plain_safe("mocka-v3"));
        assert!(!plain_safe("10"));
        assert!(!plain_safe("yes"));
        assert!(!plain_safe("a: b"));
        assert!(!plain_safe("*"));
        assert_eq!(double_quote("a\"b"), "\"a\\\"b\"");
        assert_eq!(single_quote("it's").unwrap(), "'it''s'");
    }
}
