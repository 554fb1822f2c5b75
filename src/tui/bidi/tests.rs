//! The app's own bidi: shaping, order, cells, isolates and digits.

use super::*;
use proptest::prelude::*;

#[test]
fn a_pure_arabic_word_is_joined_and_reversed() {
    // رصيد: reh (final-less), sad initial, yeh medial, dal final; read right to left.
    assert_eq!(shape_and_reorder("رصيد", true), "ﺪﻴﺻﺭ");
}

#[test]
fn fribidi_agrees_on_a_sentence_with_a_number() {
    // The vector STYLE.md checked against GNU FriBidi (`fribidi --nopad --rtl`).
    assert_eq!(shape_and_reorder("رصيد المدفوعات 150 ريال", true), "ﻝﺎﻳﺭ 150 ﺕﺎﻋﻮﻓﺪﻤﻟﺍ ﺪﻴﺻﺭ");
}

#[test]
fn a_latin_id_keeps_its_order_inside_arabic() {
    // Both as `fribidi --nopad` shows them.
    assert_eq!(shape_and_reorder("رقم 1057830869 صحيح", true), "ﺢﻴﺤﺻ 1057830869 ﻢﻗﺭ");
    // A number after Arabic belongs to the Arabic run, even in a left-to-right line.
    assert_eq!(shape_and_reorder("Noura نورة 1271497099", false), "Noura 1271497099 ﺓﺭﻮﻧ");
}

#[test]
fn brackets_are_mirrored_in_right_to_left_runs() {
    // As `fribidi --nopad --rtl`.
    assert_eq!(shape_and_reorder("مواطن (هوية)", true), "(ﺔﻳﻮﻫ) ﻦﻃﺍﻮﻣ");
    assert_eq!(shape_and_reorder("Kind (ID)", false), "Kind (ID)");
}

#[test]
fn lam_alef_becomes_one_ligature_and_the_row_keeps_its_width() {
    let shaped = shape_and_reorder("الاستعلام", true);
    assert_eq!(shaped.chars().count(), 9);
    assert!(shaped.contains('\u{FEFC}') || shaped.contains('\u{FEFB}'), "{shaped}");
    assert!(shaped.starts_with(' '), "the freed cell goes to the end of the word: {shaped:?}");
}

#[test]
fn lam_alef_is_measured_as_the_cells_it_takes() {
    use unicode_width::UnicodeWidthStr;
    assert_eq!("الإقامة".width(), 6, "the pitfall: one cell short");
    assert_eq!(guard_lam_alef("الإقامة").width(), 7);
    assert_eq!(guard_lam_alef("رصيد"), "رصيد");
}

#[test]
fn a_row_mirrors_its_layout_in_arabic() {
    assert_eq!(shape_and_reorder("┌الرصيد──┐", true), "┌──ﺪﻴﺻﺮﻟﺍ┐");
    assert_eq!(shape_and_reorder("│1,600.00   200.00│", true), "│200.00   1,600.00│");
}

#[test]
fn dates_and_signed_amounts_stay_whole_after_arabic() {
    // Plain UBA (and FriBidi) would show "25-11-2026" and "200.00-" here.
    assert_eq!(shape_and_reorder("بتاريخ 2026-11-25 10:00", true), "10:00 2026-11-25 ﺦﻳﺭﺎﺘﺑ");
    assert_eq!(shape_and_reorder("استخدام -200.00", true), "-200.00 ﻡﺍﺪﺨﺘﺳﺍ");
}

/// A line as the app draws it: laid out, written to a buffer by ratatui, then shaped and reordered.
fn drawn(text: &str) -> String {
    use ratatui::widgets::{Paragraph, Widget};
    let area = Rect::new(0, 0, 100, 1);
    let mut buf = Buffer::empty(area);
    Paragraph::new(super::super::strings::laid(text).into_owned()).render(area, &mut buf);
    apply(&mut buf, area, true, false, &[], &[], None);
    let row: String = (0..area.width).map(|x| buf[(x, 0)].symbol().to_owned()).collect();
    row.trim().to_owned()
}

#[test]
fn isolates_keep_a_phone_a_path_and_the_export_keys_in_order_as_fribidi_does() {
    use crate::config::Lang;
    use crate::present::strings::{Arg, T, tr};
    // Each as `fribidi --nopad --rtl` shows the message, isolates removed from its output.
    let phone = tr(Lang::Ar, T::OtpSentTo, &[("phone", Arg::Str("05******01"))]);
    let fribidi = ".05******01 ﻰﻟﺇ ﺔﻴﺼﻧ ﺔﻟﺎﺳﺮﺑ ﻡﺎﻗﺭﺃ 4 ﻦﻣ ﺰﻣﺭ ﻞﺳﺭﺃُ";
    assert_eq!(shape_and_reorder(&phone, true), fribidi);
    assert_eq!(drawn(&phone), fribidi, "the isolates survive the buffer");

    let path = "/tmp/rasid-1057830869-20261125-155718.csv";
    let exported = tr(Lang::Ar, T::Exported, &[("n", Arg::Num(72)), ("path", Arg::Str(path))]);
    let fribidi = "/tmp/rasid-1057830869-20261125-155718.csv ﻲﻓ ﺔﻴﻠﻤﻋ 72 ﺖﺒﺘﻛُ";
    assert_eq!(shape_and_reorder(&exported, true), fribidi);
    assert_eq!(drawn(&exported), fribidi);

    let prompt = T::ExportPrompt.get(Lang::Ar);
    // FriBidi leaves a lone hamza as ء; ar-reshaper writes its one presentation form ﺀ.
    let fribidi = "ﺀﺎﻐﻟﺇ = Esc ،hledger ﺮﺘﻓﺩ = h ،JSON = j ،CSV = c :ﺓﺎﻔﺼﻤﻟﺍ ﺕﺎﻴﻠﻤﻌﻟﺍ ﺮﻳﺪﺼﺗ";
    assert_eq!(shape_and_reorder(prompt, true), fribidi);
    assert_eq!(drawn(prompt), fribidi);
}

#[test]
fn a_cell_a_ligature_frees_opens_no_gap_in_a_border_or_the_text() {
    // A box title: the border line runs on to the text.
    let title = drawn("┌رقم الهوية أو الإقامة─────┐");
    assert!(title.starts_with("┌──────ﺔﻣﺎﻗﻹﺍ"), "{title}");
    // A number after a word with a ligature: one space, as written.
    assert_eq!(drawn("15 جمادى الآخرة 1448"), "1448 ﺓﺮﺧﻵﺍ ﻯﺩﺎﻤﺟ 15");
    // The full stop stays against the word; the two freed cells go beyond it.
    let stop = drawn("Esc أو ? لإغلاق المساعدة.│");
    assert!(stop.contains(".ﺓﺪﻋﺎﺴﻤﻟﺍ ﻕﻼﻏﻹ"), "{stop}");
    assert_eq!(stop.chars().count(), "Esc أو ? لإغلاق المساعدة.│".chars().count(), "{stop}");
}

/// The column a name cut to fit is followed by keeps its place when the name holds a lam-alef
/// (before, the cell the ligature frees went beyond the next column, moving it along by one).
#[test]
fn a_ligature_in_a_cut_name_moves_no_other_column() {
    use ratatui::widgets::{Paragraph, Widget};
    let id_at = |name: &str| {
        let area = Rect::new(0, 0, 40, 1);
        let mut buf = Buffer::empty(area);
        let row = format!("{name}… 2300000045    51.75");
        Paragraph::new(super::super::strings::laid(&row).into_owned()).render(area, &mut buf);
        apply(&mut buf, area, true, false, &[], &[], None);
        let drawn: String = (0..area.width).map(|x| buf[(x, 0)].symbol().to_owned()).collect();
        (drawn.chars().position(|c| c == '2'), drawn)
    };
    let (with_ligature, drawn) = id_at("خوان ديلا ك");
    let (without, plain) = id_at("خوان ديما ك");
    assert_eq!(with_ligature, without, "\n{drawn}\n{plain}");
}

#[test]
fn a_terminal_that_orders_by_itself_gets_the_isolates_and_no_joiner() {
    use ratatui::widgets::{Paragraph, Widget};
    let area = Rect::new(0, 0, 20, 1);
    let mut buf = Buffer::empty(area);
    let text = "إلى \u{2066}05******01\u{2069}. لا";
    Paragraph::new(super::super::strings::laid(text).into_owned()).render(area, &mut buf);
    strip_joiners(&mut buf, area);
    let row: String = (0..area.width).map(|x| buf[(x, 0)].symbol().to_owned()).collect();
    assert_eq!(row.trim_end(), text);
}

proptest! {
    #[test]
    fn shaping_and_reordering_keep_every_cell(text in "[ا-ي0-9a-z ()\\[\\]ل]{0,40}", rtl: bool) {
        let cells = text.chars().count();
        prop_assert_eq!(shape_and_reorder(&text, rtl).chars().count(), cells);
    }
}

/// Where the cursor of a right-to-left field is drawn: a field row `│ TEXT    │` of 20 cells
/// whose logical cursor is just after `typed` (the field pads one space, as `TextField` does).
fn cursor_in_rtl_field(typed: &str) -> (u16, String) {
    let area = Rect::new(0, 0, 20, 1);
    let mut buf = Buffer::empty(area);
    let inside = format!(" {typed}");
    buf.set_string(0, 0, format!("│{inside:<18}│"), ratatui::style::Style::default());
    let logical = Position { x: 1 + inside.chars().count() as u16, y: 0 };
    let at = apply(&mut buf, area, true, false, &[], &[], Some(logical)).expect("the cursor stays on its row");
    let row: String = (0..area.width).map(|x| buf[(x, 0)].symbol().to_owned()).collect();
    (at.x, row)
}

#[test]
fn the_cursor_of_a_right_to_left_field_sits_where_the_next_letter_goes() {
    // Empty: at the right, one pad space in from the border, not across the field at the left.
    let (x, row) = cursor_in_rtl_field("");
    assert_eq!(x, 17, "{row:?}");
    // After Arabic text, which reads from the right: just left of its last letter.
    let (x, row) = cursor_in_rtl_field("محمد");
    assert_eq!(row.chars().position(|c| c == 'ﺪ').map(|p| p as u16), Some(14), "the last letter: {row:?}");
    assert_eq!(x, 13, "{row:?}");
    // After a Latin username: just right of it, where typing extends it.
    let (x, row) = cursor_in_rtl_field("ab01");
    assert_eq!(row.chars().position(|c| c == '1').map(|p| p as u16), Some(17), "{row:?}");
    assert_eq!(x, 18, "{row:?}");
}

/// A row as `drawn` writes it, every cell with its style.
fn drawn_cells(text: &str) -> Buffer {
    use ratatui::widgets::{Paragraph, Widget};
    let area = Rect::new(0, 0, 40, 1);
    let mut buf = Buffer::empty(area);
    Paragraph::new(super::super::strings::laid(text).into_owned()).render(area, &mut buf);
    apply(&mut buf, area, true, false, &[], &[], None);
    buf
}

#[test]
fn a_row_drawn_from_kept_pieces_is_the_row_drawn_fresh_and_the_kept_pieces_stay_bounded() {
    let row = "محمد خان (17)  لا  -1,250.00  2026-10-19";
    let fresh = drawn_cells(row);
    assert_eq!(drawn_cells(row), fresh);
    // Scrolling past thousands of workers, each name new.
    for n in 0..LAID_KEPT + 10 {
        drawn_cells(&format!("عامل {n}"));
    }
    LAID.with_borrow(|kept| assert!(kept.iter().all(|k| k.len() <= LAID_KEPT)));
    assert_eq!(drawn_cells(row), fresh);
}
