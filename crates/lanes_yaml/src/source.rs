//! Source text, line index and byte-range helpers.

use std::ops::Range;
use std::sync::Arc;

/// Line-ending style of a file, detected from its first line break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Eol {
    /// `\n`
    Lf,
    /// `\r\n`
    CrLf,
}

impl Eol {
    /// The line break as text.
    pub fn as_str(self) -> &'static str {
        match self {
            Eol::Lf => "\n",
            Eol::CrLf => "\r\n",
        }
    }
}

/// One YAML file: its display name, its exact text and a line index.
///
/// Every other layer stores byte ranges into `text`; line and column numbers are computed only
/// when a diagnostic is rendered.
#[derive(Clone, Debug)]
pub struct SourceFile {
    name: String,
    text: Arc<str>,
    line_starts: LineStarts,
    eol: Eol,
}

/// Byte offsets of the line starts: 32-bit for any text under 4 GiB (every file lanes reads:
/// see `MAX_FILE_BYTES`), so that the index of a large repository costs half as much.
#[derive(Clone, Debug)]
enum LineStarts {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl LineStarts {
    fn of(bytes: &[u8]) -> Self {
        if u32::try_from(bytes.len()).is_ok() {
            // Offsets fit: every line start is at most the text's length.
            LineStarts::Narrow(line_starts(bytes, |i| i as u32))
        } else {
            LineStarts::Wide(line_starts(bytes, |i| i))
        }
    }

    fn len(&self) -> usize {
        match self {
            LineStarts::Narrow(v) => v.len(),
            LineStarts::Wide(v) => v.len(),
        }
    }

    fn get(&self, i: usize) -> Option<usize> {
        match self {
            LineStarts::Narrow(v) => v.get(i).map(|&o| o as usize),
            LineStarts::Wide(v) => v.get(i).copied(),
        }
    }

    /// The index of the line holding `offset` (the last start at or before it).
    fn line_of(&self, offset: usize) -> usize {
        let found = match self {
            LineStarts::Narrow(v) => v.partition_point(|&o| o as usize <= offset),
            LineStarts::Wide(v) => v.partition_point(|&o| o <= offset),
        };
        found.saturating_sub(1)
    }
}

/// `\n`, `\r\n` and a bare `\r` each end a line (YAML 1.2 b-break), so a file written with
/// classic Mac line endings is located line by line too.
fn line_starts<T>(bytes: &[u8], at: impl Fn(usize) -> T) -> Vec<T> {
    let mut starts = vec![at(0)];
    for (i, b) in bytes.iter().enumerate() {
        match *b {
            b'\n' => starts.push(at(i + 1)),
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(at(i + 1)),
            _ => {}
        }
    }
    starts
}

/// A 1-based line and column (columns count Unicode scalar values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl SourceFile {
    /// Wrap text under a display name (usually the path relative to the lint root).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let bytes = text.as_bytes();
        let eol = match bytes.iter().position(|&b| b == b'\n') {
            Some(i) if i > 0 && bytes[i - 1] == b'\r' => Eol::CrLf,
            _ => Eol::Lf,
        };
        let line_starts = LineStarts::of(bytes);
        SourceFile {
            name: name.into(),
            text: Arc::from(text),
            line_starts,
            eol,
        }
    }

    /// Decode raw bytes; a file that is not UTF-8 is an error located at the first bad byte.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<Self, NotUtf8> {
        let name = name.into();
        if let Some(encoding) = Encoding::sniff(&bytes) {
            return Err(NotUtf8 {
                name,
                offset: 0,
                at: LineCol { line: 1, column: 1 },
                encoding: Some(encoding),
            });
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(name, text)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
                let probe = SourceFile::new(name.clone(), prefix);
                let at = probe.line_col(valid);
                Err(NotUtf8 {
                    name,
                    offset: valid,
                    at,
                    encoding: None,
                })
            }
        }
    }

    /// Display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Exact text, BOM included.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text, shared (documents keep a reference to slice scalar values from it).
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// Line-ending style.
    pub fn eol(&self) -> Eol {
        self.eol
    }

    /// Whether the text starts with a UTF-8 byte-order mark.
    pub fn has_bom(&self) -> bool {
        self.text.starts_with('\u{feff}')
    }

    /// Whether the text ends with a line break.
    pub fn ends_with_newline(&self) -> bool {
        self.text.ends_with('\n')
    }

    /// Whether some line ends with a bare `\r` (not followed by `\n`). Such files are located
    /// line by line like any other, but not edited.
    pub fn has_bare_cr(&self) -> bool {
        self.text
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'\r' && w[1] != b'\n')
            || self.text.ends_with('\r')
    }

    /// Number of lines (a final line without a break counts).
    pub fn line_count(&self) -> usize {
        if self.text.ends_with('\n') || self.text.ends_with('\r') {
            self.line_starts.len() - 1
        } else {
            self.line_starts.len()
        }
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_idx = self.line_starts.line_of(offset);
        let start = self.line_starts.get(line_idx).unwrap_or(0);
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.text[start..end].chars().count() + 1;
        LineCol {
            line: line_idx + 1,
            column,
        }
    }

    /// Byte offset of the start of a 1-based line.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .unwrap_or(self.text.len())
    }

    /// Byte range of a 1-based line without its line break (`\n`, `\r\n` or `\r`).
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        if end > start && self.text.as_bytes()[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// The text of a 1-based line without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        &self.text[self.line_range(line)]
    }

    /// The comment on a 1-based line, if any: the text after a `#` that starts a comment.
    ///
    /// This is a lexical approximation good enough for directive comments: a `#` counts when it
    /// starts the line (after indentation) or follows a space, and is not inside quotes.
    pub fn comment_on_line(&self, line: usize) -> Option<&str> {
        let text = self.line_text(line);
        let mut in_single = false;
        let mut in_double = false;
        let mut prev_space = true;
        for (i, c) in text.char_indices() {
            match c {
                '\'' if !in_double => in_single = !in_single,
                '"' if !in_single => in_double = !in_double,
                '#' if !in_single && !in_double && prev_space => return Some(&text[i + 1..]),
                _ => {}
            }
            prev_space = c == ' ' || c == '\t';
        }
        None
    }
}

/// A Unicode encoding other than UTF-8 that a file was recognised to be in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// UTF-32, little-endian.
    Utf32Le,
    /// UTF-32, big-endian.
    Utf32Be,
}

impl Encoding {
    /// Recognise a UTF-16 or UTF-32 file the way YAML 1.2 (5.2, "Character Encodings") does:
    /// by its byte order mark, or, without one, by the NUL bytes of its first character (a YAML
    /// stream starts with an ASCII character, and UTF-8 YAML never holds a NUL).
    pub fn sniff(bytes: &[u8]) -> Option<Encoding> {
        match bytes {
            [0, 0, 0xFE, 0xFF, ..] => Some(Encoding::Utf32Be),
            [0, 0, 0, x, ..] if *x != 0 => Some(Encoding::Utf32Be),
            [0xFF, 0xFE, 0, 0, ..] => Some(Encoding::Utf32Le),
            [x, 0, 0, 0, ..] if *x != 0 => Some(Encoding::Utf32Le),
            [0xFE, 0xFF, ..] => Some(Encoding::Utf16Be),
            [0xFF, 0xFE, ..] => Some(Encoding::Utf16Le),
            [0, x, ..] if *x != 0 => Some(Encoding::Utf16Be),
            [x, 0, ..] if *x != 0 => Some(Encoding::Utf16Le),
            _ => None,
        }
    }

    /// The encoding's name: `UTF-16 (little-endian)`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf16Le => "UTF-16 (little-endian)",
            Encoding::Utf16Be => "UTF-16 (big-endian)",
            Encoding::Utf32Le => "UTF-32 (little-endian)",
            Encoding::Utf32Be => "UTF-32 (big-endian)",
        }
    }
}

/// A file whose bytes are not UTF-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotUtf8 {
    /// Display name.
    pub name: String,
    /// Byte offset of the first invalid byte (0 for a file in another encoding).
    pub offset: usize,
    /// Its line and column.
    pub at: LineCol,
    /// The encoding the file is in, when it was recognised as UTF-16 or UTF-32.
    pub encoding: Option<Encoding>,
}

impl NotUtf8 {
    /// What is wrong, without the location: `file is UTF-16 (little-endian); lanes reads
    /// UTF-8`, or `file is not valid UTF-8 (first invalid byte at offset N)`.
    pub fn reason(&self) -> String {
        match self.encoding {
            Some(e) => format!("file is {}; lanes reads UTF-8", e.name()),
            None => format!(
                "file is not valid UTF-8 (first invalid byte at offset {})",
                self.offset
            ),
        }
    }
}

impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.name,
            self.at.line,
            self.at.column,
            self.reason()
        )
    }
}

impl std::error::Error for NotUtf8 {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_and_lines() {
        let f = SourceFile::new("a.yaml", "a: 1\r\n# é\r\nb: ü2");
        assert_eq!(f.eol(), Eol::CrLf);
        assert_eq!(f.line_count(), 3);
        let b = f.text().find("ü2").unwrap();
        assert_eq!(f.line_col(b), LineCol { line: 3, column: 4 });
        assert_eq!(f.line_text(2), "# é");
        assert_eq!(f.comment_on_line(2), Some(" é"));
        assert!(!f.ends_with_newline());
    }

    #[test]
    fn utf16_and_utf32_are_named() {
        let utf16le: Vec<u8> = "\u{feff}a: 1\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let utf16be: Vec<u8> = "a: é\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        let utf16le_no_bom: Vec<u8> = "a: 1\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let utf32le: Vec<u8> = "\u{feff}a: 1\n"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        let utf32be: Vec<u8> = "a".chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
        for (bytes, want) in [
            (utf16le, "file is UTF-16 (little-endian); lanes reads UTF-8"),
            (utf16be, "file is UTF-16 (big-endian); lanes reads UTF-8"),
            (
                utf16le_no_bom,
                "file is UTF-16 (little-endian); lanes reads UTF-8",
            ),
            (utf32le, "file is UTF-32 (little-endian); lanes reads UTF-8"),
            (utf32be, "file is UTF-32 (big-endian); lanes reads UTF-8"),
            (
                vec![0xFE, 0xFF],
                "file is UTF-16 (big-endian); lanes reads UTF-8",
            ),
        ] {
            let e = SourceFile::from_bytes("u.yaml", bytes).unwrap_err();
            assert_eq!(e.reason(), want);
            assert_eq!(e.to_string(), format!("u.yaml:1:1: {want}"));
        }
        let latin1 = SourceFile::from_bytes("l.yaml", b"a: 1\nb: caf\xe9\n".to_vec()).unwrap_err();
        assert_eq!(latin1.encoding, None);
        assert_eq!(
            latin1.to_string(),
            "l.yaml:2:7: file is not valid UTF-8 (first invalid byte at offset 11)"
        );
        // UTF-8, with or without a BOM, and the empty file are UTF-8.
        for ok in [&b""[..], b"a", b"\xef\xbb\xbfa: 1\n", b"a: 1\n"] {
            assert!(SourceFile::from_bytes("ok.yaml", ok.to_vec()).is_ok());
        }
    }

    #[test]
    fn bare_cr_ends_lines() {
        let text = "a: 1\r# c\rb: x\r\nc: 2\rd";
        let f = SourceFile::new("cr.yaml", text);
        assert!(f.has_bare_cr());
        assert_eq!(f.line_count(), 5);
        let at = |s: &str| f.line_col(text.find(s).unwrap());
        assert_eq!(at("a:"), LineCol { line: 1, column: 1 });
        assert_eq!(at("# c"), LineCol { line: 2, column: 1 });
        assert_eq!(at("x"), LineCol { line: 3, column: 4 });
        assert_eq!(at("c:"), LineCol { line: 4, column: 1 });
        assert_eq!(at("2"), LineCol { line: 4, column: 4 });
        assert_eq!(at("d"), LineCol { line: 5, column: 1 });
        assert_eq!(f.line_text(1), "a: 1");
        assert_eq!(f.line_text(2), "# c");
        assert_eq!(f.line_text(3), "b: x");
        assert_eq!(f.line_text(5), "d");
        assert_eq!(f.comment_on_line(2), Some(" c"));
        // The `\r` itself still belongs to the line it ends.
        assert_eq!(f.line_col(4), LineCol { line: 1, column: 5 });
        assert_eq!(SourceFile::new("e", "a\r").line_count(), 1);
        assert!(!SourceFile::new("l", "a\r\nb\n").has_bare_cr());
    }

    #[test]
    fn comment_detection_ignores_quoted_hashes() {
        let f = SourceFile::new("a.yaml", "a: '#x' # real\nb: c#d\n");
        assert_eq!(f.comment_on_line(1), Some(" real"));
        assert_eq!(f.comment_on_line(2), None);
    }

    #[test]
    fn non_utf8_is_located() {
        let err = SourceFile::from_bytes("x.yaml", b"a: 1\nb: \xff\n".to_vec()).unwrap_err();
        assert_eq!(err.offset, 8);
        assert_eq!(err.at, LineCol { line: 2, column: 4 });
        assert!(err.to_string().contains("x.yaml:2:4"));
    }
}
