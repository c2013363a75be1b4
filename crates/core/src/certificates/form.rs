//! From what an admin types to request bodies: subject alternative names one per line, an
//! expiry in days or as a date, and a PEM bundle split into certificate, intermediates and key.
//! The console's forms call these; the rules they feed are in [`super::validate_post`].

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::expiry::{format_timestamp, Expiry};
use super::model::{Certificate, CertificateType, SubjectAlternatives};
use super::validate::validate_post;
use crate::envelope::SvmRef;
use crate::secret::Secret;
use crate::validation::{Violation, Violations};
use crate::x509;

/// Subject alternative names from text, one per line (or separated by commas): an IP address
/// goes to `ip`, a name with `://` to `uri`, one with `@` to `email`, anything else to `dns`.
/// `None` when the text names nothing.
pub fn parse_alternatives(text: &str) -> Option<SubjectAlternatives> {
    let mut sans = SubjectAlternatives::default();
    for item in text
        .split(['\n', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let list = if item.parse::<std::net::IpAddr>().is_ok() {
            &mut sans.ip
        } else if item.contains("://") {
            &mut sans.uri
        } else if item.contains('@') {
            &mut sans.email
        } else {
            &mut sans.dns
        };
        list.get_or_insert_with(Vec::new).push(item.to_owned());
    }
    (!sans.is_empty()).then_some(sans)
}

/// The `expiry_time` for a number of days typed in a form (`P365DT`). Text that is not a whole
/// number is passed on unchanged, so that validation reports it as unreadable.
pub fn expiry_in_days(text: &str) -> String {
    match text.trim().parse::<i64>() {
        Ok(days) => Expiry::days(days),
        Err(_) => text.trim().to_owned(),
    }
}

/// The `expiry_time` for a date typed in a form (`2030-01-25`, as `<input type=date>` gives
/// it): midnight UTC that day, in ONTAP's date-time form. Other text is passed on unchanged.
pub fn expiry_on_date(text: &str) -> String {
    let text = text.trim();
    match text.parse::<Date>() {
        Ok(date) => match date.to_zoned(TimeZone::UTC) {
            Ok(zoned) => format_timestamp(zoned.timestamp()),
            Err(_) => text.to_owned(),
        },
        Err(_) => text.to_owned(),
    }
}

/// What an install form holds. `Debug` leaves the bundle out: it may hold a private key.
#[derive(Clone, PartialEq, Default)]
pub struct InstallInput {
    pub type_: Option<CertificateType>,
    /// `None` for the cluster.
    pub svm: Option<SvmRef>,
    /// Empty: ONTAP names it.
    pub name: String,
    /// One certificate, or a bundle: the certificate, its intermediates and maybe its key.
    pub bundle: String,
    /// The private key given apart from the bundle (empty when none).
    pub private_key: Secret,
}

impl std::fmt::Debug for InstallInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstallInput")
            .field("type_", &self.type_)
            .field("svm", &self.svm)
            .field("name", &self.name)
            .field("bundle", &format_args!("({} bytes)", self.bundle.len()))
            .field("private_key", &self.private_key)
            .finish()
    }
}

/// The parts an install form shows after splitting its bundle.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InstallParts {
    pub leaf: Option<x509::CertificateInfo>,
    pub intermediates: Vec<x509::CertificateInfo>,
    /// Whether the key came from the bundle.
    pub key_in_bundle: bool,
}

/// The POST body for an install: the bundle split into `public_certificate`,
/// `intermediate_certificates` and `private_key`, then checked by [`validate_post`] (which
/// also checks the key against the certificate). Every problem is reported at once.
pub fn install_body(input: &InstallInput, now: Timestamp) -> Result<Certificate, Violations> {
    let mut out = Violations::new();
    let bundle = if input.bundle.trim().is_empty() {
        out.push(Violation::new(
            "public_certificate",
            "Paste the certificate (PEM), or load it from a file.",
        ));
        x509::Bundle::default()
    } else {
        match x509::split_bundle(&input.bundle) {
            Ok(b) => b,
            Err(e) => {
                out.push(Violation::coded(
                    "public_certificate",
                    52559975,
                    format!("The certificate could not be read: {e}."),
                ));
                x509::Bundle::default()
            }
        }
    };
    let separate =
        (!input.private_key.expose().trim().is_empty()).then(|| input.private_key.clone());
    let private_key = match (bundle.private_key, separate) {
        (Some(a), Some(b)) if a.trim() != b.expose().trim() => {
            out.push(Violation::new(
                "private_key",
                "The bundle already holds a private key, and a different one is given apart: keep one.",
            ));
            Some(b)
        }
        (Some(a), _) => Some(Secret::new(a)),
        (None, b) => b,
    };
    let cert = Certificate {
        type_: input.type_.clone(),
        svm: input.svm.clone(),
        name: Some(input.name.trim().to_owned()).filter(|n| !n.is_empty()),
        public_certificate: bundle.leaf,
        intermediate_certificates: Some(bundle.intermediates).filter(|i| !i.is_empty()),
        private_key,
        ..Certificate::default()
    };
    if cert.public_certificate.is_some() {
        if let Err(v) = validate_post(&cert, now) {
            out.extend(v.0);
        }
    }
    if out.is_empty() {
        Ok(cert)
    } else {
        Err(out)
    }
}

/// What the bundle of an install form holds, decoded for showing.
pub fn install_parts(bundle: &str) -> Option<InstallParts> {
    let split = x509::split_bundle(bundle).ok()?;
    Some(InstallParts {
        leaf: split
            .leaf
            .as_deref()
            .and_then(|p| x509::inspect_certificate(p).ok()),
        intermediates: split
            .intermediates
            .iter()
            .filter_map(|p| x509::inspect_certificate(p).ok())
            .collect(),
        key_in_bundle: split.private_key.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};

    #[test]
    fn debug_leaves_out_the_bundle_and_the_key() {
        let input = InstallInput {
            bundle: "-----BEGIN PRIVATE KEY-----\nsecret-bundle-key\n".into(),
            private_key: Secret::new("secret-separate-key"),
            ..InstallInput::default()
        };
        let printed = format!("{input:?}");
        assert!(!printed.contains("secret-bundle-key"), "{printed}");
        assert!(!printed.contains("secret-separate-key"), "{printed}");
    }

    fn now() -> Timestamp {
        Timestamp::from_second(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64,
        )
        .unwrap()
    }

    struct Pki {
        root: String,
        intermediate: String,
        leaf: String,
        leaf_key: String,
        other_key: String,
    }

    fn pki() -> Pki {
        let root_key = KeyPair::generate().unwrap();
        let mut root_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        root_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        root_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Test Root");
        let root = root_params.self_signed(&root_key).unwrap();
        let root_issuer = Issuer::new(root_params, root_key);
        let int_key = KeyPair::generate().unwrap();
        let mut int_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        int_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        int_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Test Intermediate");
        let intermediate = int_params.signed_by(&int_key, &root_issuer).unwrap();
        let int_issuer = Issuer::new(int_params, int_key);
        let leaf_key = KeyPair::generate().unwrap();
        let mut leaf_params = CertificateParams::new(vec!["host.example.com".to_owned()]).unwrap();
        leaf_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "host.example.com");
        let leaf = leaf_params.signed_by(&leaf_key, &int_issuer).unwrap();
        Pki {
            root: root.pem(),
            intermediate: intermediate.pem(),
            leaf: leaf.pem(),
            leaf_key: leaf_key.serialize_pem(),
            other_key: KeyPair::generate().unwrap().serialize_pem(),
        }
    }

    fn input(ty: CertificateType, bundle: String, key: &str) -> InstallInput {
        InstallInput {
            type_: Some(ty),
            bundle,
            private_key: Secret::new(key),
            ..InstallInput::default()
        }
    }

    #[test]
    fn alternatives_are_sorted_by_kind() {
        let sans = parse_alternatives(
            "host.example.com\n10.0.0.1, ::1\nadmin@example.com\nhttps://example.com\n\n",
        )
        .unwrap();
        assert_eq!(sans.dns, Some(vec!["host.example.com".to_owned()]));
        assert_eq!(sans.ip, Some(vec!["10.0.0.1".to_owned(), "::1".to_owned()]));
        assert_eq!(sans.email, Some(vec!["admin@example.com".to_owned()]));
        assert_eq!(sans.uri, Some(vec!["https://example.com".to_owned()]));
        assert_eq!(parse_alternatives(" \n , "), None);
    }

    #[test]
    fn expiry_inputs_become_ontap_forms() {
        assert_eq!(expiry_in_days("365"), "P365DT");
        assert_eq!(expiry_in_days(" 30 "), "P30DT");
        assert_eq!(expiry_in_days("soon"), "soon");
        assert_eq!(expiry_on_date("2030-01-25"), "2030-01-25T00:00:00+00:00");
        assert!(Expiry::parse(&expiry_on_date("2030-01-25")).is_ok());
        assert_eq!(expiry_on_date("25/01/2030"), "25/01/2030");
    }

    #[test]
    fn a_bundle_is_split_into_leaf_intermediates_and_key() {
        let p = pki();
        let bundle = format!("{}{}{}", p.intermediate, p.leaf_key, p.leaf);
        let body = install_body(&input(CertificateType::Server, bundle.clone(), ""), now())
            .expect("a valid install");
        assert_eq!(
            x509::inspect_certificate(body.public_certificate.as_deref().unwrap())
                .unwrap()
                .common_name
                .as_deref(),
            Some("host.example.com")
        );
        assert_eq!(
            body.intermediate_certificates.as_ref().map(Vec::len),
            Some(1)
        );
        assert!(body.private_key.is_some());
        let parts = install_parts(&bundle).unwrap();
        assert!(parts.key_in_bundle);
        assert_eq!(parts.intermediates.len(), 1);
        assert_eq!(
            parts.intermediates[0].common_name.as_deref(),
            Some("Test Intermediate")
        );
        // The same key given apart as well is fine; a different one is not.
        assert!(install_body(
            &input(CertificateType::Server, bundle.clone(), &p.leaf_key),
            now()
        )
        .is_ok());
        let both =
            install_body(&input(CertificateType::Server, bundle, &p.other_key), now()).unwrap_err();
        assert!(both.for_field("private_key").count() >= 1);
    }

    #[test]
    fn a_mismatched_key_is_refused_with_ontaps_code() {
        let p = pki();
        let err = install_body(
            &input(CertificateType::Server, p.leaf.clone(), &p.other_key),
            now(),
        )
        .unwrap_err();
        assert!(err.has_code(52559976), "{err:?}");
        let missing = install_body(&input(CertificateType::Client, p.leaf, ""), now()).unwrap_err();
        assert!(missing.has_code(3735693), "{missing:?}");
    }

    #[test]
    fn ca_types_take_no_key_and_no_intermediates() {
        let p = pki();
        assert!(install_body(&input(CertificateType::ServerCa, p.root.clone(), ""), now()).is_ok());
        let keyed = install_body(
            &input(CertificateType::ClientCa, p.root.clone(), &p.other_key),
            now(),
        )
        .unwrap_err();
        assert!(keyed.has_code(3735618), "{keyed:?}");
        let chained = install_body(
            &input(
                CertificateType::ServerCa,
                format!("{}{}", p.leaf, p.intermediate),
                "",
            ),
            now(),
        )
        .unwrap_err();
        assert!(chained.has_code(3735696), "{chained:?}");
    }

    #[test]
    fn empty_or_unreadable_bundles_are_reported_at_the_certificate() {
        let empty =
            install_body(&input(CertificateType::ServerCa, String::new(), ""), now()).unwrap_err();
        assert_eq!(empty.for_field("public_certificate").count(), 1);
        let junk =
            install_body(&input(CertificateType::ServerCa, "hello".into(), ""), now()).unwrap_err();
        assert!(junk.has_code(52559975));
        assert!(install_parts("hello").is_none());
    }
}
