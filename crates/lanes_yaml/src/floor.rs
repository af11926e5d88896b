//! The parse floor: the parser's event stream over a text, building nothing.
//!
//! Benchmarks compare `lanes lint` against this (`lanes_model`'s `floor` example runs it over
//! the same files on the same threads): whatever lanes spends beyond it is lanes' own cost.

use granit_parser::{Options, Parser};

/// What one pass of the event stream saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FloorCount {
    /// Events the parser produced.
    pub events: usize,
    /// Errors it stopped at (it resumes at the next document, as [`crate::parse`] does).
    pub errors: usize,
}

/// Run the parser over `text` with the options [`crate::parse`] uses and count its events,
/// keeping nothing: no nodes, no values, no checks.
pub fn event_stream(text: &str) -> FloorCount {
    let mut options = Options::default();
    options.emit_comments = false;
    options.flow_nesting_limit = crate::MAX_NESTING;
    options.block_nesting_limit = crate::MAX_NESTING;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut count = FloorCount::default();
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok(pair)) => {
                std::hint::black_box(&pair);
                count.events += 1;
            }
            Some(Err(_)) => {
                count.errors += 1;
                match parser.proceed_next_document() {
                    Ok(true) => continue,
                    _ => break,
                }
            }
        }
    }
    count
}
