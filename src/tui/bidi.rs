//! Arabic in terminals that neither join letters nor order right-to-left text:
//! each screen row is shaped (ar-reshaper) and put in visual order (unicode-bidi)
//! after it is drawn and before it reaches the terminal. In Arabic the row is a
//! right-to-left paragraph, so the whole layout mirrors with it: labels on the
//! right, table columns and the chart's time axis from right to left, the
//! scrollbar on the left. Left-to-right runs (IDs, amounts, Latin text) keep
//! their order inside. Every row keeps its cell count.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;
use std::sync::OnceLock;

use ar_reshaper::ArabicReshaper;
use ar_reshaper::prelude::{LigatureNames, LigaturesFlags, ReshaperConfig};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect};
use rustc_hash::FxHashMap;
use unicode_bidi::{BidiClass, BidiDataSource, BidiInfo, HardcodedBidiData, Level};

/// Stands for a block of cells (a picture) that moves as one and is never reordered inside.
const BLOCK: char = '\u{FFFC}';

fn reshaper() -> &'static ArabicReshaper {
    static SHAPER: OnceLock<ArabicReshaper> = OnceLock::new();
    SHAPER.get_or_init(|| {
        // Lam-alef ligatures only: a word ligature such as ALLAH would fold four cells into one.
        let mut config = ReshaperConfig::new(Default::default(), LigaturesFlags::none());
        config.support_ligatures = true;
        for name in [
            LigatureNames::ARABIC_LIGATURE_LAM_WITH_ALEF,
            LigatureNames::ARABIC_LIGATURE_LAM_WITH_ALEF_WITH_HAMZA_ABOVE,
            LigatureNames::ARABIC_LIGATURE_LAM_WITH_ALEF_WITH_HAMZA_BELOW,
            LigatureNames::ARABIC_LIGATURE_LAM_WITH_ALEF_WITH_MADDA_ABOVE,
        ] {
            config.update_ligature(name, true);
        }
        config.to_reshaper()
    })
}

/// Puts a zero-width joiner between lam and alef. unicode-width (and so
/// ratatui's layout) counts an adjacent lam-alef as one cell while the buffer
/// gives each letter its own; with the joiner both count two, and the bidi
/// pass still makes the ligature.
pub fn guard_lam_alef(text: &str) -> Cow<'_, str> {
    let is_alef = |c: char| matches!(c, 'ا' | 'أ' | 'إ' | 'آ');
    let chars: Vec<char> = text.chars().collect();
    if !chars.windows(2).any(|w| w[0] == 'ل' && is_alef(w[1])) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in chars.iter().enumerate() {
        out.push(*c);
        if *c == 'ل' && chars.get(i + 1).is_some_and(|n| is_alef(*n)) {
            out.push('\u{200D}');
        }
    }
    Cow::Owned(out)
}

/// The directional isolates (LRI, RLI, FSI, PDI) and the tag characters that
/// stand for them in the buffer. ratatui drops a zero-width grapheme such as an
/// isolate; a tag character is an extending mark, so it rides in the cell of
/// the letter before it and reaches the bidi pass.
const ISOLATES: [(char, char); 4] =
    [('\u{2066}', '\u{E0061}'), ('\u{2067}', '\u{E0062}'), ('\u{2068}', '\u{E0063}'), ('\u{2069}', '\u{E0064}')];

fn is_isolate(c: char) -> bool {
    ISOLATES.iter().any(|(isolate, _)| *isolate == c)
}

fn isolate_of_tag(c: char) -> Option<char> {
    ISOLATES.iter().find(|(_, tag)| *tag == c).map(|(isolate, _)| *isolate)
}

/// `text` as the layout measures and keeps it: the lam-alef joiner added
/// (`guard_lam_alef`) and each isolate carried by the letter before it.
pub fn for_layout(text: &str) -> Cow<'_, str> {
    let guarded = guard_lam_alef(text);
    if !guarded.contains(is_isolate) {
        return guarded;
    }
    let tag = |c: char| ISOLATES.iter().find(|(isolate, _)| *isolate == c).map_or(c, |(_, tag)| *tag);
    Cow::Owned(guarded.chars().map(tag).collect())
}

/// Letters that join: the Arabic blocks, including presentation forms.
pub fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn is_strong_rtl(c: char) -> bool {
    is_arabic(c) && !c.is_ascii_digit() && !('\u{0660}'..='\u{0669}').contains(&c)
        || ('\u{0590}'..='\u{05FF}').contains(&c)
}

fn is_lam_alef_ligature(c: char) -> bool {
    ('\u{FEF5}'..='\u{FEFC}').contains(&c)
}

/// Shapes the Arabic runs of `chars`, one output char per input char: where
/// lam and alef fold into one ligature, a space closes the run so nothing after it moves.
/// Each output char carries the index of the input char whose cell (and style) it takes.
pub fn shape_cells(chars: &[char]) -> Vec<(char, usize)> {
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_arabic(chars[i]) {
            out.push((chars[i], i));
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        // A run: Arabic letters and the single spaces between them.
        while end < chars.len()
            && (is_arabic(chars[end]) || (chars[end] == ' ' && chars.get(end + 1).is_some_and(|c| is_arabic(*c))))
        {
            end += 1;
        }
        let run: String = chars[start..end].iter().collect();
        let shaped: Vec<char> = reshaper().reshape(&run).chars().collect();
        let mut src = start;
        for c in &shaped {
            out.push((*c, src.min(end - 1)));
            src += if is_lam_alef_ligature(*c) { 2 } else { 1 };
        }
        // Ligatures made the run shorter: pad its end, in the last cell's style.
        while out.len() < end {
            out.push((' ', end - 1));
        }
        out.truncate(end);
        i = end;
    }
    out
}

/// What the bidi algorithm sees: a date (2026-11-25), a time and a signed
/// amount (-1,250.00) are one number. Plain UBA would split a date after Arabic
/// text into groups and reverse them, and move a sign to the number's far side.
fn numeric_view(chars: &[char]) -> String {
    let digit = |i: Option<&char>| i.is_some_and(|c| c.is_ascii_digit() || ('\u{0660}'..='\u{0669}').contains(c));
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let before = i.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(i + 1);
            match c {
                '-' | '/' | ':' if digit(before) && digit(after) => '0',
                '+' | '-' | '−' if !digit(before) && digit(after) => '0',
                _ => *c,
            }
        })
        .collect()
}

/// unicode-bidi's classes, with the blocks screen rows are made of (ASCII, Latin-1,
/// Arabic, and the presentation forms the shaper writes) read from a table: the
/// crate's binary search for each char was the largest part of the bidi algorithm's time.
struct Classes {
    low: Vec<BidiClass>,
    forms: Vec<BidiClass>,
}

const FORMS: std::ops::Range<char> = '\u{FB50}'..'\u{FF00}';

impl BidiDataSource for Classes {
    fn bidi_class(&self, c: char) -> BidiClass {
        let table =
            if c < FORMS.start { self.low.get(c as usize) } else { self.forms.get(c as usize - FORMS.start as usize) };
        table.copied().unwrap_or_else(|| HardcodedBidiData.bidi_class(c))
    }
}

fn classes() -> &'static Classes {
    static CLASSES: OnceLock<Classes> = OnceLock::new();
    CLASSES.get_or_init(|| Classes {
        low: ('\0'..'\u{0700}').map(|c| HardcodedBidiData.bidi_class(c)).collect(),
        forms: FORMS.map(|c| HardcodedBidiData.bidi_class(c)).collect(),
    })
}

/// The visual order of `chars` as one paragraph: `order[visual] = logical`, and each char's level.
pub fn visual_order(chars: &[char], rtl: bool) -> (Vec<usize>, Vec<Level>) {
    let text = numeric_view(chars);
    let base = if rtl { Level::rtl() } else { Level::ltr() };
    let info = BidiInfo::new_with_data_source(classes(), &text, Some(base));
    let Some(para) = info.paragraphs.first() else {
        return ((0..chars.len()).collect(), vec![base; chars.len()]);
    };
    let levels = info.reordered_levels_per_char(para, 0..text.len());
    let order = BidiInfo::reorder_visual(&levels);
    (order, levels)
}

/// Brackets and the box-drawing and arrow shapes whose direction flips in a right-to-left run.
pub fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '┌' => '┐',
        '┐' => '┌',
        '└' => '┘',
        '┘' => '└',
        '├' => '┤',
        '┤' => '├',
        '╭' => '╮',
        '╮' => '╭',
        '╰' => '╯',
        '╯' => '╰',
        '▶' => '◀',
        '◀' => '▶',
        '→' => '←',
        '←' => '→',
        '▏' => '▕',
        '▕' => '▏',
        '▌' => '▐',
        '▐' => '▌',
        _ => c,
    }
}

/// Combining marks: the Arabic harakat (tanween, damma, shadda…) and the Latin accents.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// A line of text in the order and shapes a terminal should show, one letter
/// (with its marks) per cell.
pub fn shape_and_reorder(text: &str, rtl: bool) -> String {
    // A mark rides with its letter, as it does in a cell.
    let (mut chars, mut marks): (Vec<char>, Vec<String>) = (vec![], vec![]);
    for c in text.chars() {
        match marks.last_mut() {
            Some(last) if is_mark(c) => last.push(c),
            _ => {
                chars.push(c);
                marks.push(String::new());
            }
        }
    }
    let shaped = shape_cells(&chars);
    let shaped_chars: Vec<char> = shaped.iter().map(|(c, _)| *c).collect();
    let (order, levels) = visual_order(&shaped_chars, rtl);
    // As on the screen, the cells ligatures free go to the text's far edge.
    let is_pad = |i: usize| shaped[i].0 == ' ' && chars[shaped[i].1] != ' ';
    let pads = " ".repeat((0..chars.len()).filter(|&i| is_pad(i)).count());
    let mut out = String::with_capacity(text.len());
    if rtl {
        out.push_str(&pads);
    }
    for &i in order.iter().filter(|&&i| !is_isolate(shaped_chars[i]) && !is_pad(i)) {
        let (c, source) = shaped[i];
        out.push(if levels[i].is_rtl() { mirror(c) } else { c });
        out.push_str(&marks[source]);
        // A lam-alef ligature holds two letters: the alef's marks ride with it too (the ً of أولاً).
        if is_lam_alef_ligature(c) {
            out.push_str(marks.get(source + 1).map_or("", String::as_str));
        }
    }
    if !rtl {
        out.push_str(&pads);
    }
    out
}

/// Western digits to Arabic-Indic ones (٠-٩).
pub fn arabic_indic(c: char) -> char {
    match c {
        '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c),
        _ => c,
    }
}

/// The combining marks a cell holds after its letter; the layout's joiner is not one.
fn marks(cell: &Cell) -> String {
    cell.symbol().chars().skip(1).filter(|c| *c != '\u{200D}' && isolate_of_tag(*c).is_none()).collect()
}

/// Readies `area` for a terminal that shapes and orders by itself (`--bidi
/// terminal`): the layout's lam-alef joiner goes (it would keep the terminal
/// from making the ligature) and each isolate is written as itself.
pub fn strip_joiners(buf: &mut Buffer, area: Rect) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            if cell.symbol().chars().skip(1).any(|c| c == '\u{200D}' || isolate_of_tag(c).is_some()) {
                let clean: String = cell
                    .symbol()
                    .chars()
                    .filter(|c| *c != '\u{200D}')
                    .map(|c| isolate_of_tag(c).unwrap_or(c))
                    .collect();
                cell.set_symbol(&clean);
            }
        }
    }
}

/// Which units' digits are values (amounts, counts, dates, times) that
/// `--digits arabic-indic` may write in Arabic-Indic digits. A word with a
/// Latin letter (`abdullah01`, `F2`, `SADAD-7101…`, a file name), a path or
/// quoted text, a masked phone, a ten-digit ID number, and whatever sits in a
/// text field keeps its digits as written.
fn value_digits(chars: &[char], typed: &[bool]) -> Vec<bool> {
    let mut out = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        let breaks = |c: char| c == ' ' || c == BLOCK || is_layout_char(c);
        if breaks(chars[i]) {
            i += 1;
            continue;
        }
        let end = (i..chars.len()).find(|&j| breaks(chars[j])).unwrap_or(chars.len());
        let word = &chars[i..end];
        // 1.2k is an amount, shortened.
        let letters = match word.split_last() {
            Some((&('k' | 'M'), rest)) if rest.last().is_some_and(char::is_ascii_digit) => rest,
            _ => word,
        };
        let literal = word.first() == Some(&'/')
            || letters.iter().any(|c| c.is_ascii_alphabetic() || matches!(c, '*' | '\\' | '_' | '@' | '"'));
        let id_number = word.iter().filter(|c| c.is_ascii_digit()).count() == 10
            && !word.iter().any(|c| matches!(c, '.' | ',' | '-' | ':'));
        let value = !literal && !id_number && !typed[i..end].iter().any(|t| *t);
        out[i..end].fill(value);
        i = end;
    }
    out
}

/// One screen row's units: a cell, or a block of cells that moves as one.
struct Unit {
    bidi_char: char,
    cells: Range<u16>,
}

/// Box drawing, block elements and bars: the lines a layout is made of.
fn is_layout_char(c: char) -> bool {
    matches!(c, '\u{2500}'..='\u{259F}' | '▶' | '◀' | '▲' | '▼')
}

/// Horizontal border lines: a cell a ligature frees beside one continues it.
fn is_line_char(c: char) -> bool {
    matches!(c, '─' | '━' | '═' | '┄' | '┅' | '┈' | '┉' | '╌' | '╍')
}

/// Splits a row's units into layout pieces and the text between them. Two or
/// more spaces also separate: they are the gaps between columns and panels.
fn tokens(units: &[Unit]) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < units.len() {
        let c = units[i].bidi_char;
        if c == BLOCK || is_layout_char(c) {
            out.push((i..i + 1, true));
            i += 1;
            continue;
        }
        let spaces = units[i..].iter().take_while(|u| u.bidi_char == ' ').count();
        if spaces >= 2 || (spaces == 1 && (i == 0 || i + 1 == units.len() || after_ellipsis(units, i))) {
            out.push((i..i + spaces, true));
            i += spaces;
            continue;
        }
        let start = i;
        while i < units.len() {
            let c = units[i].bidi_char;
            let gap = c == ' ' && (units.get(i + 1).is_none_or(|u| u.bidi_char == ' ') || after_ellipsis(units, i));
            if c == BLOCK || is_layout_char(c) || gap {
                break;
            }
            i += 1;
        }
        // Text never ends on a space: that space joins the gap after it.
        let end = if i > start + 1 && units[i - 1].bidi_char == ' ' { i - 1 } else { i };
        out.push((start..end, false));
        i = end;
    }
    out
}

/// Whether the space at `i` follows an ellipsis: text cut to fit its column, the space the gap
/// before the next column. A table's columns are one space apart, and a cell its text fills would
/// otherwise make one piece with the next (the cell a lam-alef ligature frees then went to that
/// column's far side, and moved it along by one).
fn after_ellipsis(units: &[Unit], i: usize) -> bool {
    i > 0 && units[i - 1].bidi_char == '…'
}

/// A text piece shaped and put in visual order: what `apply` needs of it.
struct Laid {
    /// Each char shaped, with the index of the char whose cell it takes (`shape_cells`).
    shaped: Vec<(char, usize)>,
    /// Whether each char sits at a right-to-left level.
    rtl_level: Vec<bool>,
    /// The cells ligatures free, and the letters, each list in visual order; isolates are left out.
    pads: Vec<usize>,
    letters: Vec<usize>,
    /// The last char that is not an isolate, and whether it sits at a left-to-right level.
    last_ltr: Option<(usize, bool)>,
}

fn lay_out(text: &[char], rtl: bool) -> Laid {
    let shaped = shape_cells(text);
    let shaped_chars: Vec<char> = shaped.iter().map(|(c, _)| *c).collect();
    let (order, levels) = visual_order(&shaped_chars, rtl);
    let last_ltr = (0..text.len()).rev().find(|&i| !is_isolate(text[i])).map(|i| (i, !levels[i].is_rtl()));
    let is_pad = |i: usize| shaped[i].0 == ' ' && text[shaped[i].1] != ' ';
    let (pads, letters) = order.iter().copied().filter(|&i| !is_isolate(text[i])).partition(|&i| is_pad(i));
    Laid { rtl_level: levels.iter().map(|l| l.is_rtl()).collect(), shaped, pads, letters, last_ltr }
}

/// How many laid-out pieces each direction keeps before starting again.
const LAID_KEPT: usize = 4096;

/// Laid-out pieces by their text.
type Kept = FxHashMap<Box<[char]>, Rc<Laid>>;

thread_local! {
    /// Pieces already laid out, by text, for each direction. Shaping and the bidi
    /// algorithm were most of an Arabic frame's cost, and the same texts come back
    /// frame after frame: headings, the status line, the rows still in view after a scroll.
    static LAID: RefCell<[Kept; 2]> = RefCell::default();
}

fn laid_out(text: &[char], rtl: bool) -> Rc<Laid> {
    LAID.with_borrow_mut(|kept| {
        let kept = &mut kept[usize::from(rtl)];
        if let Some(laid) = kept.get(text) {
            return Rc::clone(laid);
        }
        // Scrolling through thousands of workers would otherwise grow it without end.
        if kept.len() >= LAID_KEPT {
            kept.clear();
        }
        let laid = Rc::new(lay_out(text, rtl));
        kept.insert(text.into(), Rc::clone(&laid));
        laid
    })
}

fn has_tag(cell: &Cell) -> bool {
    // A tag takes four bytes, after a letter: most cells are shorter.
    let symbol = cell.symbol();
    symbol.len() > 4 && symbol.chars().skip(1).any(|c| isolate_of_tag(c).is_some())
}

/// The isolates did their work in the reordering; the terminal gets the visual order alone.
fn drop_tags(cells: &mut [Cell]) {
    for cell in cells.iter_mut().filter(|c| has_tag(c)) {
        let clean: String = cell.symbol().chars().filter(|c| isolate_of_tag(*c).is_none()).collect();
        cell.set_symbol(&clean);
    }
}

/// Shapes and reorders every row of `area` in place. `blocks` are areas (pictures)
/// moved as a whole. Returns where a cursor at `cursor` now is.
pub fn apply(
    buf: &mut Buffer,
    area: Rect,
    rtl: bool,
    indic_digits: bool,
    blocks: &[Rect],
    typed: &[Rect],
    cursor: Option<Position>,
) -> Option<Position> {
    if area.is_empty() {
        return cursor;
    }
    let mut moved_cursor = cursor;
    let width = usize::from(area.width);
    let first = |cell: &Cell| cell.symbol().chars().next().unwrap_or(' ');
    // Kept from row to row: a frame is thousands of cells, and allocating for each row showed in the profile.
    let mut row: Vec<Cell> = Vec::with_capacity(width);
    // The first char of each cell of the row, as drawn.
    let mut firsts: Vec<char> = Vec::with_capacity(width);
    let mut units: Vec<Unit> = Vec::with_capacity(width);
    let mut chars: Vec<char> = Vec::with_capacity(width);
    let mut gap_of_unit: Vec<Option<Range<usize>>> = Vec::with_capacity(width);
    let mut new_x_of_unit: Vec<u16> = Vec::with_capacity(width);
    let mut ltr_end: Vec<bool> = Vec::with_capacity(width);
    let mut text: Vec<char> = Vec::new();
    let mut unit_of: Vec<usize> = Vec::new();
    for y in area.top()..area.bottom() {
        let start = buf.index_of(area.left(), y);
        let at = |vx: u16| start + usize::from(vx - area.left());
        let cells = &mut buf.content[start..start + width];
        let tagged = cells.iter().any(has_tag);
        firsts.clear();
        firsts.extend(cells.iter().map(first));
        let has_rtl = firsts.iter().any(|c| is_strong_rtl(*c));
        if !rtl && !has_rtl && !indic_digits {
            if tagged {
                drop_tags(cells);
            }
            continue;
        }
        // Every cell of the row is written back below, each from this copy.
        row.clear();
        row.extend(cells.iter_mut().map(std::mem::take));
        units.clear();
        let mut x = area.left();
        while x < area.right() {
            if let Some(b) = blocks.iter().find(|b| b.contains(Position { x, y })) {
                let end = b.right().min(area.right());
                units.push(Unit { bidi_char: BLOCK, cells: x - area.left()..end - area.left() });
                x = end;
            } else {
                let c = firsts[usize::from(x - area.left())];
                units.push(Unit { bidi_char: c, cells: x - area.left()..x - area.left() + 1 });
                x += 1;
            }
        }
        if indic_digits {
            let chars: Vec<char> = units.iter().map(|u| u.bidi_char).collect();
            let in_field: Vec<bool> = units
                .iter()
                .map(|u| typed.iter().any(|t| t.contains(Position { x: area.left() + u.cells.start, y })))
                .collect();
            for (unit, value) in units.iter_mut().zip(value_digits(&chars, &in_field)) {
                if value {
                    unit.bidi_char = arabic_indic(unit.bidi_char);
                }
            }
        }
        chars.clear();
        chars.extend(units.iter().map(|u| u.bidi_char));
        let mut pieces = tokens(&units);
        // The run of spaces each unit stands in, if any: the cursor's place in a field's blank end.
        gap_of_unit.clear();
        gap_of_unit.resize(units.len(), None);
        for (range, _) in pieces.iter().filter(|(r, layout)| *layout && units[r.start].bidi_char == ' ') {
            gap_of_unit[range.clone()].fill(Some(range.clone()));
        }
        if rtl {
            pieces.reverse();
        }
        new_x_of_unit.clear();
        new_x_of_unit.resize(units.len(), 0);
        // Set for a unit that ends a left-to-right run: typing there extends the run.
        ltr_end.clear();
        ltr_end.resize(units.len(), false);
        let mut vx = area.left();
        for (range, layout) in pieces {
            if layout {
                for logical in range {
                    let unit = &units[logical];
                    new_x_of_unit[logical] = vx;
                    for cx in unit.cells.clone() {
                        let mut cell = row[usize::from(cx)].clone();
                        if rtl && unit.bidi_char != BLOCK {
                            let c = firsts[usize::from(cx)];
                            if mirror(c) != c {
                                cell.set_char(mirror(c));
                            }
                        }
                        buf.content[at(vx)] = cell;
                        vx += 1;
                    }
                }
                continue;
            }
            // The piece's text with the isolates its cells carry; `unit_of` maps each char back to its unit.
            text.clear();
            unit_of.clear();
            for u in range.clone() {
                text.push(chars[u]);
                unit_of.push(u);
                if units[u].bidi_char != BLOCK {
                    for isolate in row[usize::from(units[u].cells.start)].symbol().chars().filter_map(isolate_of_tag) {
                        text.push(isolate);
                        unit_of.push(u);
                    }
                }
            }
            let laid = laid_out(&text, rtl);
            if let Some((last, ltr)) = laid.last_ltr {
                ltr_end[unit_of[last]] = ltr;
            }
            // A lam-alef ligature frees a cell. It goes to the piece's far edge, towards
            // what follows it logically, and takes that neighbour's look: a border line
            // runs on unbroken, and no space opens inside the text (before a number, a
            // full stop).
            let pad_cell = || match units.get(range.end) {
                Some(next) if next.bidi_char != BLOCK && is_line_char(next.bidi_char) => {
                    row[usize::from(next.cells.start)].clone()
                }
                _ => {
                    let mut blank = row[usize::from(units[range.end - 1].cells.start)].clone();
                    blank.set_char(' ');
                    blank
                }
            };
            if rtl {
                for &i in &laid.pads {
                    new_x_of_unit[unit_of[i]] = vx;
                    buf.content[at(vx)] = pad_cell();
                    vx += 1;
                }
            }
            for &i in &laid.letters {
                let logical = unit_of[i];
                let (shaped_char, source) = laid.shaped[i];
                let source_unit = &units[unit_of[source]];
                let mut cell = row[usize::from(source_unit.cells.start)].clone();
                let c = if laid.rtl_level[i] { mirror(shaped_char) } else { shaped_char };
                if c != firsts[usize::from(units[logical].cells.start)] || unit_of[source] != logical {
                    // The letter changes shape or place; its marks (tanween, damma…) go with it.
                    if shaped_char == ' ' || cell.symbol().chars().nth(1).is_none() {
                        cell.set_char(c);
                    } else {
                        let marks = marks(&cell);
                        cell.set_symbol(&format!("{c}{marks}"));
                    }
                }
                new_x_of_unit[logical] = vx;
                buf.content[at(vx)] = cell;
                vx += 1;
            }
            if !rtl {
                for &i in &laid.pads {
                    new_x_of_unit[unit_of[i]] = vx;
                    buf.content[at(vx)] = pad_cell();
                    vx += 1;
                }
            }
        }
        if tagged {
            drop_tags(&mut buf.content[start..start + width]);
        }
        if let Some(p) = cursor.filter(|p| p.y == y && p.x >= area.left() && p.x < area.right()) {
            let logical = units.iter().position(|u| u.cells.contains(&(p.x - area.left()))).unwrap_or(0);
            let mut nx = new_x_of_unit[logical];
            // Typing right after a left-to-right run (an ID, a code): the cursor follows the run.
            if logical > 0 && ltr_end[logical - 1] {
                nx = new_x_of_unit[logical - 1] + 1;
            } else if let (true, Some(gap)) = (rtl, &gap_of_unit[logical]) {
                // A gap keeps its cells' order, but right to left it is read from its right end:
                // the cursor after Arabic text, or in an empty field, sits beside the text, not across the field.
                nx = new_x_of_unit[gap.start] + (gap.end - 1 - logical) as u16;
            }
            moved_cursor = Some(Position { x: nx.min(area.right().saturating_sub(1)), y });
        }
    }
    moved_cursor
}

#[cfg(test)]
mod tests;
