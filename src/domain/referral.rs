//! Referrals (跨部门协同): which authority a case goes to.

/// What the proposal needs to know of an authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityScope {
    pub id: i64,
    /// Sector codes it handles; empty = every sector.
    pub sectors: Vec<String>,
    /// Province code, or empty for a national authority.
    pub region: String,
}

impl AuthorityScope {
    fn handles(&self, sector: &str) -> bool {
        self.sectors.is_empty() || self.sectors.iter().any(|s| s == sector)
    }
}

/// The authority to propose for a case of `sector` from `province`: one for that province
/// before a national one, among those handling the sector; the first listed (lowest id) wins a
/// tie. None when no authority handles the sector.
pub fn propose(
    authorities: &[AuthorityScope],
    sector: &str,
    province: Option<&str>,
) -> Option<i64> {
    let mut candidates: Vec<&AuthorityScope> =
        authorities.iter().filter(|a| a.handles(sector)).collect();
    candidates.sort_by_key(|a| a.id);
    let regional = province
        .filter(|p| !p.is_empty())
        .and_then(|p| candidates.iter().find(|a| a.region == p).map(|a| a.id));
    regional.or_else(|| {
        candidates
            .iter()
            .find(|a| a.region.is_empty())
            .map(|a| a.id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(id: i64, sectors: &[&str], region: &str) -> AuthorityScope {
        AuthorityScope {
            id,
            sectors: sectors.iter().map(|s| s.to_string()).collect(),
            region: region.into(),
        }
    }

    #[test]
    fn a_regional_authority_comes_before_a_national_one_for_its_sector() {
        let all = [
            a(1, &["telecom"], ""),
            a(2, &["video_membership", "cloud_storage"], ""),
            a(3, &["telecom"], "440000"),
            a(4, &[], "110000"),
        ];
        assert_eq!(propose(&all, "telecom", Some("440000")), Some(3));
        assert_eq!(propose(&all, "telecom", Some("310000")), Some(1));
        assert_eq!(propose(&all, "telecom", None), Some(1));
        // An authority for every sector in its province comes before the national one.
        assert_eq!(propose(&all, "cloud_storage", Some("110000")), Some(4));
        assert_eq!(propose(&all, "cloud_storage", Some("440000")), Some(2));
        assert_eq!(propose(&all, "gaming", None), None);
    }
}
