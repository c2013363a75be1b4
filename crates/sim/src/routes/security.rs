//! `GET/PATCH /api/security`: FIPS, TLS, management protocols, software data encryption.

use axum::extract::{RawQuery, State as AxumState};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use ontap_core::security::tls::{suite_traits, versions_from_floor, TlsVersion};
use ontap_core::security::{
    validate_patch_against, validate_patch_for_release, EncryptionState, Fips, ManagementProtocols,
    OkmConfigurableStatus, SecurityConfig, SoftwareDataEncryption, Tls,
};
use ontap_core::Links;
use serde::{Deserialize, Serialize};

use crate::app::Simulator;
use crate::collection::{ListParams, Resource};
use crate::error::{codes, reject_unknown, JsonBody, SimError};
use crate::jobs::{self, to_value};
use crate::routes::{certificates, cluster, key_managers};
use crate::state::ClusterState;

/// Cluster-wide security settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub fips: bool,
    pub protocol_versions: Vec<String>,
    pub cipher_suites: Vec<String>,
    pub rsh: bool,
    pub telnet: bool,
    pub disabled_by_default: bool,
    pub conversion_enabled: bool,
    pub encryption_state: EncryptionState,
}

impl Default for State {
    fn default() -> Self {
        State {
            fips: false,
            protocol_versions: names(versions_from_floor(TlsVersion::Tls1_2)),
            cipher_suites: ontap_core::security::tls::SuitePreset::Tls12Modern
                .suites()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            rsh: false,
            telnet: false,
            disabled_by_default: false,
            conversion_enabled: false,
            encryption_state: EncryptionState::Unencrypted,
        }
    }
}

fn names(versions: Vec<TlsVersion>) -> Vec<String> {
    versions.into_iter().map(|v| v.name().to_owned()).collect()
}

/// The demo's weaker starting point: telnet on, TLS 1.1 allowed, every listed suite.
pub fn seed_demo(state: &mut ClusterState) {
    state.security = State {
        telnet: true,
        protocol_versions: names(versions_from_floor(TlsVersion::Tls1_1)),
        cipher_suites: ontap_core::security::tls::CIPHER_SUITES
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        ..State::default()
    };
}

/// Whether the Onboard Key Manager can be configured now, and why not.
fn okm_status(state: &ClusterState) -> OkmConfigurableStatus {
    let (supported, code) = if key_managers::has_onboard(state) {
        (false, codes::ONBOARD_ALREADY_CONFIGURED)
    } else if key_managers::has_cluster_external(state) {
        (false, codes::EXTERNAL_ALREADY_CONFIGURED)
    } else {
        (true, 0)
    };
    OkmConfigurableStatus {
        supported: Some(supported),
        code: Some(code),
        message: (!supported).then(|| {
            ontap_core::catalog::describe(code)
                .unwrap_or_default()
                .to_owned()
        }),
        ..OkmConfigurableStatus::default()
    }
}

fn record(state: &ClusterState) -> SecurityConfig {
    let s = &state.security;
    SecurityConfig {
        fips: Some(Fips {
            enabled: Some(s.fips),
            ..Fips::default()
        }),
        tls: Some(Tls {
            protocol_versions: Some(s.protocol_versions.clone()),
            cipher_suites: Some(s.cipher_suites.clone()),
            ..Tls::default()
        }),
        management_protocols: Some(ManagementProtocols {
            rsh_enabled: Some(s.rsh),
            telnet_enabled: Some(s.telnet),
            ..ManagementProtocols::default()
        }),
        software_data_encryption: Some(SoftwareDataEncryption {
            conversion_enabled: Some(s.conversion_enabled),
            disabled_by_default: Some(s.disabled_by_default),
            encryption_state: Some(s.encryption_state.clone()),
            ..SoftwareDataEncryption::default()
        }),
        onboard_key_manager_configurable_status: Some(okm_status(state)),
        links: Some(Links::to_self(SECURITY.path)),
        ..SecurityConfig::default()
    }
}

/// `/api/security`: every field is returned without `fields`.
pub const SECURITY: Resource = Resource {
    path: "/api/security",
    fields: &[
        "fips",
        "tls",
        "management_protocols",
        "software_data_encryption",
        "onboard_key_manager_configurable_status",
    ],
};

async fn get_security(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    SECURITY.get(&sim, query.as_deref(), |s| to_value(&record(s)))
}

fn reject_unknown_fields(change: &SecurityConfig) -> Result<(), SimError> {
    reject_unknown(&change.extra, "")?;
    if let Some(x) = &change.fips {
        reject_unknown(&x.extra, "fips")?;
    }
    if let Some(x) = &change.tls {
        reject_unknown(&x.extra, "tls")?;
    }
    if let Some(x) = &change.management_protocols {
        reject_unknown(&x.extra, "management_protocols")?;
    }
    if let Some(x) = &change.software_data_encryption {
        reject_unknown(&x.extra, "software_data_encryption")?;
    }
    Ok(())
}

/// The checks ONTAP makes against the cluster before it starts the job.
fn check_against_state(state: &ClusterState, change: &SecurityConfig) -> Result<(), SimError> {
    validate_patch_against(change, &record(state))?;
    validate_patch_for_release(change, &cluster::release(state))?;
    check_fips_blockers(state, change)?;
    let sde = change.software_data_encryption.as_ref();
    let starts = sde.is_some_and(|s| s.conversion_enabled == Some(true) || s.rekey == Some(true));
    if starts && !key_managers::has_any(state) {
        return Err(
            SimError::documented(codes::NO_KEY_MANAGER).with_target("software_data_encryption")
        );
    }
    Ok(())
}

/// What ONTAP shows while the job runs: a conversion or rekey is in progress from the moment
/// it is accepted, so a second one is refused (196608370, 196608371) until the job finishes.
fn mark_started(state: &mut ClusterState, change: &SecurityConfig) {
    let Some(sde) = &change.software_data_encryption else {
        return;
    };
    if sde.conversion_enabled == Some(true) {
        state.security.encryption_state = EncryptionState::Encrypting;
    } else if sde.rekey == Some(true) {
        state.security.encryption_state = EncryptionState::Rekeying;
    }
}

/// Enabling FIPS is refused while a certificate that is not FIPS-compliant is in use.
fn check_fips_blockers(state: &ClusterState, change: &SecurityConfig) -> Result<(), SimError> {
    if change.fips.as_ref().and_then(|f| f.enabled) == Some(true) && !state.security.fips {
        if let Some(name) = certificates::fips_blockers(state).into_iter().next() {
            return Err(SimError::documented(codes::NOT_FIPS_COMPLIANT)
                .with_target(format!("fips.enabled ({name})")));
        }
    }
    Ok(())
}

/// The checks made again when the job applies the change: another job may have changed the
/// cluster since this one was queued (a TLSv1 floor applied before a queued FIPS enable).
/// Only the rules about the resulting configuration: the "already running" rules would refuse
/// the very conversion this job marked as started.
fn check_when_applied(state: &ClusterState, change: &SecurityConfig) -> Result<(), SimError> {
    let resulting = SecurityConfig {
        fips: change.fips.clone(),
        tls: change.tls.clone(),
        ..SecurityConfig::default()
    };
    validate_patch_against(&resulting, &record(state))?;
    check_fips_blockers(state, change)?;
    Ok(())
}

/// Applies a validated change: what the job does when it finishes, after checking it again
/// against the state it finds then.
fn apply(state: &mut ClusterState, change: &SecurityConfig) -> Result<(), SimError> {
    check_when_applied(state, change)?;
    let s = &mut state.security;
    if let Some(tls) = &change.tls {
        if let Some(versions) = &tls.protocol_versions {
            if let Some(floor) = ontap_core::security::tls::floor_of(versions) {
                s.protocol_versions = names(versions_from_floor(floor));
            }
        }
        if let Some(suites) = &tls.cipher_suites {
            s.cipher_suites = suites.clone();
        }
    }
    if let Some(enabled) = change.fips.as_ref().and_then(|f| f.enabled) {
        s.fips = enabled;
        if enabled {
            // "Unapproved algorithms configured as permitted ... will be disabled."
            s.cipher_suites
                .retain(|name| suite_traits(name).fips_compatible);
        }
    }
    if let Some(p) = &change.management_protocols {
        s.rsh = p.rsh_enabled.unwrap_or(s.rsh);
        s.telnet = p.telnet_enabled.unwrap_or(s.telnet);
    }
    if let Some(sde) = &change.software_data_encryption {
        if let Some(d) = sde.disabled_by_default {
            s.disabled_by_default = d;
        }
        if sde.conversion_enabled == Some(true) {
            // The simulated cluster holds no data volumes: conversion completes with the job.
            s.conversion_enabled = true;
            s.encryption_state = EncryptionState::Encrypted;
        }
        if sde.rekey == Some(true) {
            s.encryption_state = EncryptionState::Encrypted;
        }
    }
    Ok(())
}

async fn patch_security(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
    JsonBody(change): JsonBody<SecurityConfig>,
) -> Result<Response, SimError> {
    let params = ListParams::parse(query.as_deref(), &[])?;
    reject_unknown_fields(&change)?;
    // Checked and marked under one lock: two concurrent PATCHes cannot both start a conversion.
    sim.write(|s| {
        check_against_state(s, &change)?;
        mark_started(s, &change);
        Ok::<_, SimError>(())
    })?;
    let work = Box::new(move |state: &mut ClusterState| apply(state, &change));
    Ok(jobs::run(&sim, "PATCH /api/security", work, params.return_timeout).await)
}

/// `GET/PATCH /api/security`.
pub fn routes() -> Router<Simulator> {
    Router::new().route(SECURITY.path, get(get_security).patch(patch_security))
}
