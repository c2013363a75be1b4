//! The demo cluster's certificates: a root CA and what it signed, and the weak ones the audit
//! is there to find (expired, expiring, 1024-bit, SHA-1).

use ontap_core::certificates::CertificateType;

use crate::jobs::now_seconds;
use crate::pki::{self, Issued, PkiError, Subject};
use crate::routes::certificates::{record_from_pem, Listed, Stored};
use crate::routes::cluster::SvmEntry;
use crate::state::ClusterState;

/// The demo's certificates: a realistic mix, including expired, expiring, self-signed and weak
/// ones, and the KMIP client and CA certificates the demo key manager on `vs0` uses.
pub fn seed(state: &mut ClusterState) -> Result<(), String> {
    let fail = |e: PkiError| e.to_string();
    let now = now_seconds() as i64;
    let day = 86_400;
    let strong = pki::rsa_key(2048, "sha256").map_err(fail)?;
    let vs0 = state.cluster.svms.first().cloned();
    let vs1 = state.cluster.svms.get(1).cloned();
    let subject = |cn: &str, from: i64, to: i64, is_ca: bool| Subject {
        common_name: cn.to_owned(),
        dns: if is_ca { vec![] } else { vec![cn.to_owned()] },
        ips: vec![],
        not_before: now + from * day,
        not_after: now + to * day,
        is_ca,
    };
    let cluster_name = state.cluster.name.clone();
    let root = pki::self_signed(
        &subject(&format!("{cluster_name}-root-ca"), -400, 3000, true),
        &strong,
    )
    .map_err(fail)?;
    let mut add = |issued: &Issued,
                   ty: CertificateType,
                   svm: Option<&SvmEntry>,
                   name: &str,
                   with_key: bool|
     -> Result<(), String> {
        let record = record_from_pem(&issued.certificate, ty, svm, Some(name.to_owned()), None)
            .map_err(|e| e.error.message.unwrap_or_default())?;
        state.certificates.certificates.push(Stored {
            record,
            private_key: with_key.then(|| issued.key.clone()),
            listed: Listed::default(),
        });
        Ok(())
    };
    add(
        &root,
        CertificateType::RootCa,
        None,
        &format!("{cluster_name}-root-ca"),
        true,
    )?;
    let server = pki::issue(
        &subject(&format!("{cluster_name}.example.com"), -200, 165, false),
        &strong,
        &root.certificate,
        &strong,
    )
    .map_err(fail)?;
    add(
        &server,
        CertificateType::Server,
        None,
        &format!("{cluster_name}.example.com"),
        true,
    )?;
    for (cn, from, to) in [
        ("Example Global Root G2", -2000, 3000),
        ("Example TLS RSA CA 2024", -700, 1500),
        ("Corp Issuing CA 3", -300, 1000),
    ] {
        let ca = pki::self_signed(&subject(cn, from, to, true), &strong).map_err(fail)?;
        add(&ca, CertificateType::ServerCa, None, cn, false)?;
    }
    let expired =
        pki::self_signed(&subject("Legacy Partner CA", -800, -30, true), &strong).map_err(fail)?;
    add(
        &expired,
        CertificateType::ServerCa,
        None,
        "Legacy Partner CA",
        false,
    )?;
    let client = pki::self_signed(
        &subject(&format!("{cluster_name}-client"), -10, 355, false),
        &strong,
    )
    .map_err(fail)?;
    add(
        &client,
        CertificateType::Client,
        None,
        &format!("{cluster_name}-client"),
        true,
    )?;
    // Valid 75 more days: inside the audit's 90-day warning and far from its edge, so what the
    // audit finds does not depend on the seconds between seeding and reading.
    let old = pki::issue_weak_rsa(
        &subject("old-mgmt.example.com", -1000, 75, false),
        1024,
        &root.certificate,
        &strong,
    )
    .map_err(fail)?;
    add(
        &old,
        CertificateType::Server,
        None,
        "old-mgmt.example.com",
        true,
    )?;
    let legacy = pki::self_signed_sha1(&subject("legacy-app.example.com", -1500, 200, false), 2048)
        .map_err(fail)?;
    add(
        &legacy,
        CertificateType::Server,
        None,
        "legacy-app.example.com",
        true,
    )?;
    if let Some(vs0) = vs0.as_ref() {
        let kmip_ca = pki::self_signed(&subject("KMIP Server CA", -100, 2000, true), &strong)
            .map_err(fail)?;
        add(
            &kmip_ca,
            CertificateType::ServerCa,
            Some(vs0),
            "vs0-kmip-ca",
            false,
        )?;
        let kmip_client = pki::self_signed(&subject("vs0-kmip-client", -100, 600, false), &strong)
            .map_err(fail)?;
        add(
            &kmip_client,
            CertificateType::Client,
            Some(vs0),
            "vs0-kmip-client",
            true,
        )?;
        let vs0_server = pki::issue(
            &subject("vs0.example.com", -30, 335, false),
            &strong,
            &root.certificate,
            &strong,
        )
        .map_err(fail)?;
        add(
            &vs0_server,
            CertificateType::Server,
            Some(vs0),
            "vs0.example.com",
            true,
        )?;
    }
    if let Some(vs1) = vs1.as_ref() {
        let expiring = pki::issue(
            &subject("vs1.example.com", -353, 12, false),
            &strong,
            &root.certificate,
            &strong,
        )
        .map_err(fail)?;
        add(
            &expiring,
            CertificateType::Server,
            Some(vs1),
            "vs1.example.com",
            true,
        )?;
    }
    Ok(())
}
