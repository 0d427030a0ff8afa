//! An amount in Chinese capitals (大写金额), as an agreement states it beside the figures:
//! 86,400.00 is 捌万陆仟肆佰元整. The rules are those for filling in bills and settlement
//! documents (正确填写票据和结算凭证的基本规定): digits 零壹贰叁肆伍陆柒捌玖 with 拾佰仟 and the
//! sections 万, 亿; 壹拾 keeps its 壹; a run of zeros inside the number is one 零, and so is a
//! section that starts with zeros after a figure before it; an amount to the yuan ends in 整;
//! 角 zero before a 分 is 零; no 整 after 分.

use super::money::Fen;

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACES: [&str; 4] = ["", "拾", "佰", "仟"];

/// The four digits of one section (0–9999), without the section's own word: 0105 is 壹佰零伍,
/// the zeros inside as one 零, those at its end left out.
fn section(n: u64) -> String {
    let mut out = String::new();
    let mut zeros = false;
    for place in (0..4).rev() {
        let digit = (n / 10u64.pow(place)) % 10;
        if digit == 0 {
            zeros = !out.is_empty();
            continue;
        }
        if zeros {
            out.push('零');
            zeros = false;
        }
        out.push(DIGITS[digit as usize]);
        out.push_str(PLACES[place as usize]);
    }
    out
}

/// Below 10^8: the 万 section and the units' section, 零 between them when the units' section
/// starts with zeros (壹万零壹拾).
fn below_yi(n: u64) -> String {
    let (high, low) = (n / 10_000, n % 10_000);
    let mut out = String::new();
    if high > 0 {
        out.push_str(&section(high));
        out.push('万');
        if low > 0 && low < 1000 {
            out.push('零');
        }
    }
    out.push_str(&section(low));
    out
}

/// The yuan of an amount in capitals, without 元: 100000001 is 壹亿零壹, 10^12 is 壹万亿.
fn yuan(n: u64) -> String {
    const YI: u64 = 100_000_000;
    if n < YI {
        return below_yi(n);
    }
    let (high, low) = (n / YI, n % YI);
    let mut out = yuan(high);
    out.push('亿');
    if low > 0 {
        if low < YI / 10 {
            out.push('零');
        }
        out.push_str(&below_yi(low));
    }
    out
}

/// The amount in Chinese capitals: 捌万陆仟肆佰元整, 壹万陆仟肆佰零玖元零贰分, 伍角, 零元整.
pub fn in_capitals(amount: Fen) -> String {
    let fen = amount.fen();
    let sign = if fen < 0 { "负" } else { "" };
    let fen = fen.unsigned_abs();
    let (whole, jiao, fen_digit) = (fen / 100, (fen / 10) % 10, fen % 10);
    let mut out = String::from(sign);
    if whole > 0 {
        out.push_str(&yuan(whole));
        out.push('元');
    }
    match (jiao, fen_digit) {
        (0, 0) => {
            if whole == 0 {
                out.push_str("零元");
            }
            out.push('整');
        }
        (0, f) => {
            if whole > 0 {
                out.push('零');
            }
            out.push(DIGITS[f as usize]);
            out.push('分');
        }
        (j, 0) => {
            out.push(DIGITS[j as usize]);
            out.push('角');
        }
        (j, f) => {
            out.push(DIGITS[j as usize]);
            out.push('角');
            out.push(DIGITS[f as usize]);
            out.push('分');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "1680.32" in capitals (any size: `Fen`'s parser takes only ten digits of yuan).
    fn capitals(yuan_and_fen: &str) -> String {
        let (yuan, fen) = yuan_and_fen.split_once('.').unwrap_or((yuan_and_fen, ""));
        let fen: i64 = format!("{fen:0<2}").parse().unwrap();
        in_capitals(Fen::from_fen(yuan.parse::<i64>().unwrap() * 100 + fen))
    }

    #[test]
    fn amounts_read_in_capitals_by_the_rules_for_bills() {
        let table = [
            ("86400", "捌万陆仟肆佰元整"),
            ("0", "零元整"),
            ("1", "壹元整"),
            ("10", "壹拾元整"),
            ("15", "壹拾伍元整"),
            ("105", "壹佰零伍元整"),
            ("1005", "壹仟零伍元整"),
            ("10010", "壹万零壹拾元整"),
            ("100000", "壹拾万元整"),
            ("107000.53", "壹拾万柒仟元伍角叁分"),
            ("1000100", "壹佰万零壹佰元整"),
            ("1001000", "壹佰万壹仟元整"),
            ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
            ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
            ("325.04", "叁佰贰拾伍元零肆分"),
            ("0.5", "伍角"),
            ("0.05", "伍分"),
            ("0.55", "伍角伍分"),
            ("100000001", "壹亿零壹元整"),
            ("100010000", "壹亿零壹万元整"),
            ("110000000", "壹亿壹仟万元整"),
            ("100000000.10", "壹亿元壹角"),
            ("20000000000", "贰佰亿元整"),
            ("1000000000000", "壹万亿元整"),
            (
                "1234567890123.45",
                "壹万贰仟叁佰肆拾伍亿陆仟柒佰捌拾玖万零壹佰贰拾叁元肆角伍分",
            ),
        ];
        for (amount, expected) in table {
            assert_eq!(capitals(amount), expected, "{amount}");
        }
    }

    #[test]
    fn the_largest_amount_and_a_negative_one_are_read_too() {
        assert_eq!(in_capitals(Fen::from_fen(-150)), "负壹元伍角");
        // 92,233,720,368,547,758.07 yuan: 玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿……
        let largest = in_capitals(Fen::from_fen(i64::MAX));
        assert_eq!(
            largest,
            "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分"
        );
    }
}
