//! Numbers as written in reports: Arabic digits with 万/亿 multipliers, and Chinese numerals.

/// Characters that may make up a Chinese numeral.
pub const CHINESE_DIGITS: &str = "零〇一二两三四五六七八九十百千万亿";

fn digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn small_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// Value of a Chinese numeral such as 三, 十五, 两百, 一万二千, 一百零八; `None` if malformed.
pub fn parse_chinese(s: &str) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    let mut total: u64 = 0; // completed 亿 and 万 groups
    let mut section: u64 = 0; // below 万
    let mut pending: Option<u64> = None; // a digit waiting for its unit
    let mut any = false;
    for c in s.chars() {
        any = true;
        if let Some(d) = digit(c) {
            if pending.is_some_and(|p| p != 0) && d != 0 {
                // Two digits in a row (一二) is a list, not a number.
                return None;
            }
            pending = Some(d);
        } else if let Some(u) = small_unit(c) {
            let d = pending.take().unwrap_or(1);
            section += d * u;
        } else if c == '万' || c == '亿' {
            let group = section + pending.take().unwrap_or(0);
            let mult = if c == '万' { 10_000 } else { 100_000_000 };
            if c == '亿' {
                total = (total + group) * mult;
            } else {
                total += group.max(1) * mult;
            }
            section = 0;
        } else {
            return None;
        }
    }
    any.then(|| (total + section + pending.unwrap_or(0)) as f64)
}

/// Multiplier of 万, 亿 and their combinations; 1 for none.
pub fn multiplier(s: &str) -> f64 {
    s.chars()
        .map(|c| match c {
            '十' => 10.0,
            '百' => 100.0,
            '千' => 1000.0,
            '万' => 10_000.0,
            '亿' => 100_000_000.0,
            _ => 1.0,
        })
        .product()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_numerals_reports_use() {
        for (s, v) in [
            ("三", 3.0),
            ("两", 2.0),
            ("十", 10.0),
            ("十五", 15.0),
            ("二十一", 21.0),
            ("两百", 200.0),
            ("一百零八", 108.0),
            ("三千五百", 3500.0),
            ("一万二千", 12000.0),
            ("十二万", 120000.0),
            ("三亿五千万", 350_000_000.0),
        ] {
            assert_eq!(parse_chinese(s), Some(v), "{s}");
        }
        assert_eq!(parse_chinese("一二"), None);
        assert_eq!(parse_chinese("三中"), None);
    }

    #[test]
    fn multipliers_compose() {
        assert_eq!(multiplier("万"), 10_000.0);
        assert_eq!(multiplier("亿"), 100_000_000.0);
        assert_eq!(multiplier("千万"), 10_000_000.0);
        assert_eq!(multiplier(""), 1.0);
    }
}
