//! How a certificate list is read by an admin: the groups System Manager shows (trusted CAs,
//! client/server certificates, local CAs), how soon a certificate expires, whether the list
//! fields say it is self-signed, and the expiries per month ahead. Pure: "now" is an argument.

use jiff::civil::Date;
use jiff::{tz::TimeZone, Timestamp};

use super::expiry::parse_timestamp;
use super::model::{Certificate, CertificateType};

/// Certificates expiring in fewer days than this are flagged.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// The groups System Manager lists certificates in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// `server_ca` and `client_ca`: outside CAs the cluster trusts.
    TrustedCa,
    /// `server` and `client`: the cluster's own certificates, with their keys.
    ClientServer,
    /// `root_ca`: the cluster's own CAs, which sign CSRs.
    LocalCa,
}

impl Category {
    pub const ALL: [Category; 3] = [
        Category::TrustedCa,
        Category::ClientServer,
        Category::LocalCa,
    ];

    /// The group of a type; `None` for a type this release does not know.
    pub fn of(ty: &CertificateType) -> Option<Category> {
        match ty {
            CertificateType::ServerCa | CertificateType::ClientCa => Some(Category::TrustedCa),
            CertificateType::Server | CertificateType::Client => Some(Category::ClientServer),
            CertificateType::RootCa => Some(Category::LocalCa),
            CertificateType::Other(_) => None,
        }
    }

    /// The name System Manager gives the group.
    pub fn label(self) -> &'static str {
        match self {
            Category::TrustedCa => "Trusted certificate authorities",
            Category::ClientServer => "Client/server certificates",
            Category::LocalCa => "Local certificate authorities",
        }
    }

    /// A short stable identifier (for URLs and test hooks).
    pub fn id(self) -> &'static str {
        match self {
            Category::TrustedCa => "trusted-ca",
            Category::ClientServer => "client-server",
            Category::LocalCa => "local-ca",
        }
    }
}

/// How a certificate stands against its expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryState {
    /// `expiry_time` has passed.
    Expired,
    /// Less than [`EXPIRY_WARNING_DAYS`] left.
    Soon,
    Valid,
}

/// Whole days from `now` until `expiry` (negative once it has passed, -1 on the first day
/// after): the same rule as [`crate::x509::CertificateInfo::days_until_expiry`].
pub fn days_until(expiry: Timestamp, now: Timestamp) -> i64 {
    (expiry.as_second() - now.as_second()).div_euclid(86_400)
}

/// The state of a certificate expiring at `expiry`.
pub fn expiry_state(expiry: Timestamp, now: Timestamp) -> ExpiryState {
    if expiry <= now {
        ExpiryState::Expired
    } else if days_until(expiry, now) < EXPIRY_WARNING_DAYS {
        ExpiryState::Soon
    } else {
        ExpiryState::Valid
    }
}

/// "in 12 days", "today", "expired 3 days ago".
pub fn describe_expiry(expiry: Timestamp, now: Timestamp) -> String {
    let days = days_until(expiry, now);
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    if expiry <= now {
        let ago = (now.as_second() - expiry.as_second()).div_euclid(86_400);
        match ago {
            0 => "expired today".to_owned(),
            n => format!("expired {n} day{} ago", plural(n)),
        }
    } else if days == 0 {
        "expires today".to_owned()
    } else {
        format!("in {days} day{}", plural(days))
    }
}

impl Certificate {
    /// The parsed `expiry_time`, when the cluster returned a readable one.
    pub fn expiry(&self) -> Option<Timestamp> {
        self.expiry_time.as_deref().and_then(parse_timestamp)
    }

    /// Whether the list fields say the certificate is self-signed: ONTAP's `ca` is the common
    /// name of the issuer, so a certificate whose `ca` is its own `common_name` names itself as
    /// issuer (the reference's own example: a self-signed `vs0` with `"ca": "vs0"`). Only the
    /// PEM can tell for sure (a CA may issue a certificate with its own common name);
    /// [`crate::x509::CertificateInfo::self_signed`] is the exact answer.
    pub fn looks_self_signed(&self) -> bool {
        match (&self.ca, &self.common_name) {
            (Some(ca), Some(cn)) => !cn.is_empty() && ca == cn,
            _ => false,
        }
    }

    /// The certificate's group, when its type is known.
    pub fn category(&self) -> Option<Category> {
        self.type_.as_ref().and_then(Category::of)
    }
}

/// One month of the expiry chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCount {
    /// The first day of the month (UTC).
    pub month: Date,
    pub count: usize,
}

/// How many of `expiries` fall in each of the `months` calendar months (UTC) starting with the
/// month of `now`; the current month counts from `now` on (what has expired is not upcoming).
pub fn expiries_per_month(
    expiries: impl IntoIterator<Item = Timestamp>,
    now: Timestamp,
    months: usize,
) -> Vec<MonthCount> {
    let today = now.to_zoned(TimeZone::UTC).date();
    let first = today.first_of_month();
    let mut out: Vec<MonthCount> = (0..months)
        .filter_map(|i| {
            first
                .checked_add(jiff::Span::new().months(i as i64))
                .ok()
                .map(|month| MonthCount { month, count: 0 })
        })
        .collect();
    let len = out.len();
    let index = |date: Date| -> Option<usize> {
        let offset = (i32::from(date.year()) - i32::from(first.year())) * 12
            + (i32::from(date.month()) - i32::from(first.month()));
        usize::try_from(offset).ok().filter(|i| *i < len)
    };
    for expiry in expiries {
        if expiry < now {
            continue;
        }
        if let Some(i) = index(expiry.to_zoned(TimeZone::UTC).date()) {
            out[i].count += 1;
        }
    }
    out
}

/// What keeps FIPS mode from using `cert` while the cluster uses it: a client or server
/// certificate (the cluster presents it with its key) or one a key manager refers to. Empty
/// when FIPS mode can use it, when nothing uses it, or when nothing says what its key and
/// signature are. ONTAP refuses to turn FIPS on while any certificate has such problems
/// (52559974); the console explains it before sending, the simulator refuses with it.
///
/// Judged on the list fields `key_size` and `hash_function` ([`listed_fips_problems`]), which
/// every list read can ask for; the PEM is decoded only when both are absent.
pub fn fips_blockers(
    cert: &Certificate,
    key_managers: &[crate::key_managers::KeyManager],
) -> Vec<crate::x509::FipsProblem> {
    if !is_in_use(cert, key_managers) {
        return Vec::new();
    }
    listed_fips_problems(cert).unwrap_or_else(|| {
        cert.public_certificate
            .as_deref()
            .and_then(|pem| crate::x509::inspect_certificate(pem).ok())
            .map(|info| info.fips_problems())
            .unwrap_or_default()
    })
}

/// Whether the cluster uses `cert` in a way FIPS mode checks: a client or server certificate
/// (presented with its key), or one a key manager refers to.
pub fn is_in_use(cert: &Certificate, key_managers: &[crate::key_managers::KeyManager]) -> bool {
    cert.type_.as_ref().is_some_and(|t| t.has_private_key())
        || cert
            .uuid
            .as_deref()
            .is_some_and(|u| !crate::key_managers::certificate_users(key_managers, u).is_empty())
}

/// Whether a listed `key_size` is an EC curve: the list fields carry no key algorithm, and RSA
/// moduli are 512, 768, 1024, 1536 or 2048 bits and up in practice, so these sizes mean EC.
pub fn is_ec_key_size(bits: u32) -> bool {
    EC_KEY_SIZES.contains(&bits)
}

/// Key sizes that are EC curves (P-192, P-224, P-256, P-384, P-521).
pub const EC_KEY_SIZES: &[u32] = &[192, 224, 256, 384, 521];

/// The FIPS problems the list fields `key_size` and `hash_function` show, with the same rule as
/// [`crate::x509::CertificateInfo::fips_problems`] (RSA under 2048 bits, EC under P-224, SHA-1
/// or MD5 signatures); `None` when neither field is present. No PEM decoding: cheap enough for
/// 10,000 certificates.
pub fn listed_fips_problems(cert: &Certificate) -> Option<Vec<crate::x509::FipsProblem>> {
    use crate::x509::{FipsProblem, FIPS_MIN_EC_BITS, FIPS_MIN_RSA_BITS};
    if cert.key_size.is_none() && cert.hash_function.is_none() {
        return None;
    }
    let mut problems = Vec::new();
    if let Some(bits) = cert.key_size {
        if is_ec_key_size(bits) {
            if bits < FIPS_MIN_EC_BITS {
                problems.push(FipsProblem::WeakEcKey { bits });
            }
        } else if bits < FIPS_MIN_RSA_BITS {
            problems.push(FipsProblem::WeakRsaKey { bits });
        }
    }
    if let Some(hash) = cert.hash_function.as_deref() {
        let hash = hash.trim().to_ascii_lowercase();
        if hash == "md5" || hash == "sha1" {
            problems.push(FipsProblem::WeakHash { hash });
        }
    }
    Some(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn now() -> Timestamp {
        at("2026-12-02T03:00:00Z")
    }

    #[test]
    fn categories_follow_system_manager() {
        assert_eq!(
            Category::of(&CertificateType::ServerCa),
            Some(Category::TrustedCa)
        );
        assert_eq!(
            Category::of(&CertificateType::ClientCa),
            Some(Category::TrustedCa)
        );
        assert_eq!(
            Category::of(&CertificateType::Client),
            Some(Category::ClientServer)
        );
        assert_eq!(
            Category::of(&CertificateType::RootCa),
            Some(Category::LocalCa)
        );
        assert_eq!(Category::of(&CertificateType::Other("x".into())), None);
    }

    #[test]
    fn expiry_states_and_words() {
        let n = now();
        let days = |d: i64| Timestamp::from_second(n.as_second() + d * 86_400).unwrap();
        assert_eq!(expiry_state(days(-1), n), ExpiryState::Expired);
        assert_eq!(expiry_state(n, n), ExpiryState::Expired);
        assert_eq!(expiry_state(days(29), n), ExpiryState::Soon);
        assert_eq!(expiry_state(days(30), n), ExpiryState::Valid);
        assert_eq!(describe_expiry(days(12), n), "in 12 days");
        assert_eq!(describe_expiry(days(1), n), "in 1 day");
        assert_eq!(describe_expiry(days(-3), n), "expired 3 days ago");
        assert_eq!(
            describe_expiry(Timestamp::from_second(n.as_second() + 60).unwrap(), n),
            "expires today"
        );
        assert_eq!(days_until(days(-1), n), -1);
    }

    #[test]
    fn self_signed_from_list_fields() {
        let cert = |cn: &str, ca: &str| Certificate {
            common_name: Some(cn.into()),
            ca: Some(ca.into()),
            ..Certificate::default()
        };
        assert!(cert("vs0", "vs0").looks_self_signed());
        assert!(!cert("vs0.example.com", "Corp Issuing CA").looks_self_signed());
        assert!(!Certificate::default().looks_self_signed());
        let parsed = Certificate {
            expiry_time: Some("2019-07-18T15:29:14-04:00".into()),
            ..Certificate::default()
        };
        assert_eq!(parsed.expiry(), Some(at("2019-07-18T19:29:14Z")));
    }

    #[test]
    fn months_ahead_are_counted_by_calendar_month() {
        let counts = expiries_per_month(
            [
                at("2026-11-30T00:00:00Z"), // expired: not counted
                at("2026-12-02T04:00:00Z"),
                at("2026-12-31T23:59:59Z"),
                at("2027-01-01T00:00:00Z"),
                at("2027-11-15T00:00:00Z"),
                at("2027-12-01T00:00:00Z"), // the 13th month: outside
            ],
            now(),
            12,
        );
        assert_eq!(counts.len(), 12);
        assert_eq!(counts[0].month, jiff::civil::date(2026, 12, 1));
        assert_eq!(counts[0].count, 2);
        assert_eq!(counts[1].count, 1);
        assert_eq!(counts[11].month, jiff::civil::date(2027, 11, 1));
        assert_eq!(counts[11].count, 1);
        assert_eq!(counts.iter().map(|m| m.count).sum::<usize>(), 4);
    }
}
