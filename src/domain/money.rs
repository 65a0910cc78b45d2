//! Money as integer fen (1 yuan = 100 fen).

/// An amount in fen, never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(pub i64);

/// Why a decimal yuan string was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    Format,
    TooManyDecimals,
    TooLarge,
}

impl Money {
    /// Largest accepted amount: ¥100,000.
    pub const MAX_YUAN: i64 = 100_000;

    /// Parses `"59"`, `"8.00"`, `"0.5"`, `"¥59"`, `"1,200.50"` into fen.
    pub fn parse_yuan(input: &str) -> Result<Money, MoneyError> {
        let s: String = input
            .trim()
            .trim_start_matches(['¥', '￥'])
            .trim_end_matches('元')
            .chars()
            .filter(|c| *c != ',')
            .collect();
        let (int_part, frac_part) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s.as_str(), ""),
        };
        if int_part.is_empty()
            || !int_part.bytes().all(|b| b.is_ascii_digit())
            || !frac_part.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(MoneyError::Format);
        }
        if s.ends_with('.') {
            return Err(MoneyError::Format);
        }
        if frac_part.len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        if int_part.len() > 7 {
            return Err(MoneyError::TooLarge);
        }
        let yuan: i64 = int_part.parse().map_err(|_| MoneyError::Format)?;
        let mut fen_str = frac_part.to_string();
        while fen_str.len() < 2 {
            fen_str.push('0');
        }
        let fen: i64 = fen_str.parse().map_err(|_| MoneyError::Format)?;
        let total = yuan * 100 + fen;
        if total > Self::MAX_YUAN * 100 {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money(total))
    }

    /// `¥59.00`.
    pub fn display(self) -> String {
        format!("¥{}", self.decimal())
    }

    /// `59.00` (the API and export form).
    pub fn decimal(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_strings_become_fen() {
        assert_eq!(Money::parse_yuan("59"), Ok(Money(5900)));
        assert_eq!(Money::parse_yuan("8.00"), Ok(Money(800)));
        assert_eq!(Money::parse_yuan("0.5"), Ok(Money(50)));
        assert_eq!(Money::parse_yuan("¥1,200.50"), Ok(Money(120050)));
        assert_eq!(Money::parse_yuan("100000"), Ok(Money(10_000_000)));
    }

    #[test]
    fn bad_amounts_are_refused_with_a_reason() {
        assert_eq!(Money::parse_yuan("-1"), Err(MoneyError::Format));
        assert_eq!(Money::parse_yuan("abc"), Err(MoneyError::Format));
        assert_eq!(Money::parse_yuan("1e3"), Err(MoneyError::Format));
        assert_eq!(Money::parse_yuan("5."), Err(MoneyError::Format));
        assert_eq!(Money::parse_yuan("1.234"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Money::parse_yuan("100000.01"), Err(MoneyError::TooLarge));
        assert_eq!(
            Money::parse_yuan("99999999999999999999"),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn display_uses_the_yuan_sign_and_two_decimals() {
        assert_eq!(Money(5900).display(), "¥59.00");
        assert_eq!(Money(5).display(), "¥0.05");
    }
}
