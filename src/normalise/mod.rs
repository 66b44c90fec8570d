//! Stage 2 — normalise: turn decoded text into the views extractors match against.
//!
//! A [`View`] is text plus, for each of its characters, the range of characters of the decoded
//! original it stands for. HTML to text, width folding, whitespace collapsing and boilerplate
//! stripping each build a new view from the previous one, so that whatever an extractor finds
//! maps back exactly to the original ([`View::span`]). Nothing here knows what a report is.

mod boilerplate;
mod html;

use std::ops::Range;

/// Text to match against, with a map back to character offsets of the decoded original.
#[derive(Debug, Clone, Default)]
pub struct View {
    text: String,
    /// For each char of `text`: `[start, end)` in original characters.
    origin: Vec<(u32, u32)>,
    /// For each char of `text`: its byte offset; one extra entry holds `text.len()`.
    byte_at: Vec<u32>,
}

/// The two views of one report.
#[derive(Debug, Clone)]
pub struct Normalised {
    /// Everything visible, folded: page headers included (metadata lives there).
    pub full: View,
    /// `full` without page boilerplate (breadcrumbs, share links, ICP lines …).
    pub body: View,
}

impl View {
    /// The matching text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Character index (in this view) of a byte offset of [`View::text`].
    pub fn char_index(&self, byte: usize) -> usize {
        self.byte_at.partition_point(|&b| (b as usize) < byte)
    }

    /// Original character span of the bytes `range` of [`View::text`].
    pub fn span(&self, range: Range<usize>) -> (usize, usize) {
        let a = self.char_index(range.start);
        let b = self.char_index(range.end);
        self.char_span(a, b)
    }

    /// Original character span of the characters `[a, b)` of this view.
    pub fn char_span(&self, a: usize, b: usize) -> (usize, usize) {
        if self.origin.is_empty() {
            return (0, 0);
        }
        let a = a.min(self.origin.len() - 1);
        let start = self.origin[a].0 as usize;
        let end = if b > a {
            self.origin[(b - 1).min(self.origin.len() - 1)].1 as usize
        } else {
            start
        };
        (start, end.max(start))
    }

    fn chars_with_origin(&self) -> impl Iterator<Item = (char, (u32, u32))> + '_ {
        self.text.chars().zip(self.origin.iter().copied())
    }
}

/// Builds a [`View`] one character at a time.
struct ViewBuilder {
    view: View,
}

impl ViewBuilder {
    fn with_capacity(bytes: usize) -> Self {
        ViewBuilder {
            view: View {
                text: String::with_capacity(bytes),
                origin: Vec::with_capacity(bytes / 2),
                byte_at: Vec::with_capacity(bytes / 2),
            },
        }
    }

    #[inline]
    fn push(&mut self, c: char, start: u32, end: u32) {
        self.view.byte_at.push(self.view.text.len() as u32);
        self.view.text.push(c);
        self.view.origin.push((start, end));
    }

    /// Append the bytes `range` of `view` with their origins, as a block rather than character
    /// by character (boilerplate removal copies nearly all of every report).
    fn extend_from(&mut self, view: &View, range: Range<usize>) {
        let (a, b) = (view.char_index(range.start), view.char_index(range.end));
        let base = self.view.text.len() as u32;
        let from = range.start as u32;
        self.view
            .byte_at
            .extend(view.byte_at[a..b].iter().map(|&at| at - from + base));
        self.view.text.push_str(&view.text[range]);
        self.view.origin.extend_from_slice(&view.origin[a..b]);
    }

    /// Whether the text so far ends in the ASCII character `c` (a UTF-8 byte below 0x80 is a
    /// whole character, so no decoding is needed).
    fn ends_with(&self, c: u8) -> bool {
        self.view.text.as_bytes().last() == Some(&c)
    }

    /// Whether the text so far ends in a space or a line break, or is empty.
    fn at_break(&self) -> bool {
        self.view.text.is_empty() || self.ends_with(b' ') || self.ends_with(b'\n')
    }

    /// Remove the last character, returning its origin.
    fn pop(&mut self) -> Option<(u32, u32)> {
        self.view.text.pop()?;
        self.view.byte_at.pop();
        self.view.origin.pop()
    }

    /// Widen the origin of the last character to also cover `end`.
    fn extend_last(&mut self, end: u32) {
        if let Some(o) = self.view.origin.last_mut() {
            o.1 = o.1.max(end);
        }
    }

    fn finish(mut self) -> View {
        self.view.byte_at.push(self.view.text.len() as u32);
        self.view
    }
}

/// Normalise a decoded document: HTML to text (when `html`), fold, strip boilerplate.
pub fn normalise(original: &str, html: bool) -> Normalised {
    let full = if html {
        let visible = html::visible_text(original);
        fold(visible.chars_with_origin(), visible.text.len())
    } else {
        // Each character of plain text stands for itself.
        fold(
            original.chars().zip((0..).map(|i| (i, i + 1))),
            original.len(),
        )
    };
    let body = boilerplate::strip(&full);
    Normalised { full, body }
}

/// Fold one character to its canonical form for matching; `None` drops it.
pub fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\t' | '\u{2002}' | '\u{2003}' | '\u{2009}' | '\u{200B}'
        | '\u{FEFF}' => ' ',
        '\r' | '\u{2028}' | '\u{2029}' | '\x0c' => '\n',
        '「' | '『' | '〝' => '“',
        '」' | '』' | '〞' | '〟' => '”',
        '﹙' => '(',
        '﹚' => ')',
        '﹐' | '､' => ',',
        '﹔' => ';',
        '﹕' => ':',
        '‐' | '‑' | '‒' => '-',
        '〔' => '[',
        '〕' => ']',
        c if c.is_control() && c != '\n' => return None,
        c => c,
    })
}

/// Fold characters (each with its origin) into a view: widths and quotes folded, runs of spaces
/// collapsed to one and of blank lines to one newline.
fn fold(chars: impl Iterator<Item = (char, (u32, u32))>, bytes: usize) -> View {
    let mut b = ViewBuilder::with_capacity(bytes);
    for (c, (s, e)) in chars {
        let Some(f) = fold_char(c) else { continue };
        match f {
            ' ' if b.at_break() => b.extend_last(e),
            '\n' if b.ends_with(b' ') => {
                // A line never ends in a space: turn the space into the newline.
                let (ps, _) = b.pop().unwrap_or((s, e));
                if b.ends_with(b'\n') {
                    b.extend_last(e);
                } else {
                    b.push('\n', ps, e);
                }
            }
            '\n' if b.at_break() => b.extend_last(e),
            _ => b.push(f, s, e),
        }
    }
    if b.ends_with(b' ') || b.ends_with(b'\n') {
        b.pop();
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(original: &str, span: (usize, usize)) -> String {
        original
            .chars()
            .skip(span.0)
            .take(span.1 - span.0)
            .collect()
    }

    #[test]
    fn folds_full_width_and_maps_back_to_the_original() {
        let original = "调解成功率达９９％，涉及金额达１８９０６万元。";
        let n = normalise(original, false);
        assert_eq!(n.full.text(), "调解成功率达99%,涉及金额达18906万元。");
        let at = n.full.text().find("18906万元").unwrap();
        let span = n.full.span(at..at + "18906万元".len());
        assert_eq!(evidence(original, span), "１８９０６万元");
    }

    #[test]
    fn collapses_spacing_but_keeps_line_breaks() {
        let original = "一、成效\u{3000}\u{3000}\r\n\r\n\r\n  （一）依法决策  ";
        let n = normalise(original, false);
        assert_eq!(n.full.text(), "一、成效\n(一)依法决策");
        let at = n.full.text().find("(一)").unwrap();
        assert_eq!(
            evidence(original, n.full.span(at..at + "(一)".len())),
            "（一）"
        );
    }
}
