//! The ONTAP error codes documented in the API reference, with their documented meaning.
//!
//! Generated once from `shared/ontap-api/*.txt` (the error tables of each endpoint) and kept as data;
//! rows that the PDF's page breaks scrambled were placed by hand. `tests/catalog.rs` checks it
//! still covers every code the reference names, when the reference is beside the checkout.

/// One documented error: code, the reference it comes from, and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorDoc {
    pub code: u64,
    /// The reference file the text comes from: `security`, `key-managers`, `ipsec`, `certificates`.
    pub source: &'static str,
    pub text: &'static str,
}

/// Every documented error, sorted by code (a code may have one text per endpoint family).
pub const ERRORS: &[ErrorDoc] = &[
    ErrorDoc { code: 3735553, source: "certificates", text: "Failed to create self-signed Certificate." },
    ErrorDoc { code: 3735558, source: "certificates", text: "Failed to extract information about Common Name from the certificate." },
    ErrorDoc { code: 3735588, source: "certificates", text: "The common name (CN) extracted from the certificate is not valid." },
    ErrorDoc { code: 3735589, source: "certificates", text: "Cannot delete certificate." },
    ErrorDoc { code: 3735590, source: "certificates", text: "Cannot delete certificate. Failed to remove SSL configuration for the certificate." },
    ErrorDoc { code: 3735618, source: "certificates", text: "Cannot accept private key for server_ca or client_ca." },
    ErrorDoc { code: 3735622, source: "certificates", text: "The certificate type is not supported." },
    ErrorDoc { code: 3735626, source: "certificates", text: "Failed to generate signed Certificate." },
    ErrorDoc { code: 3735627, source: "certificates", text: "Deleting this server_ca certificate directly is not supported. Delete the corresponding root-ca certificate using type \"root_ca\" to delete the root, client, and server certificates." },
    ErrorDoc { code: 3735628, source: "certificates", text: "Failed to use CA certificate for signing." },
    ErrorDoc { code: 3735629, source: "certificates", text: "Failed to sign the certificate because Common Name of signing certificate and Common Name of CA certificate are same." },
    ErrorDoc { code: 3735630, source: "certificates", text: "Failed to sign the certificate because expiry date of signing certificate exceeds the expiry date of CA certificate." },
    ErrorDoc { code: 3735632, source: "certificates", text: "Failed to extract Certificate Authority Information from the certificate." },
    ErrorDoc { code: 3735644, source: "certificates", text: "Cannot delete server-chain certificate. Reason: There is a corresponding server certificate for it." },
    ErrorDoc { code: 3735645, source: "certificates", text: "Cannot specify a value for serial. It is generated automatically." },
    ErrorDoc { code: 3735646, source: "certificates", text: "Failed to store the certificates." },
    ErrorDoc { code: 3735650, source: "certificates", text: "Deleting this client_ca certificate directly is not supported. Delete the corresponding root-ca certificate using type \"root_ca\" to delete the root, client, and server certificates." },
    ErrorDoc { code: 3735664, source: "certificates", text: "The specified key size is not supported in FIPS mode." },
    ErrorDoc { code: 3735665, source: "certificates", text: "The specified hash function is not supported in FIPS mode." },
    ErrorDoc { code: 3735676, source: "certificates", text: "Cannot continue the installation without a value for the common name. Since the subject field in the certificate is empty, the field \"common_name\" must have a value to continue with the installation." },
    ErrorDoc { code: 3735679, source: "certificates", text: "Cannot delete pre-installed server_ca certificates through REST. Use CLI or ZAPI." },
    ErrorDoc { code: 3735681, source: "certificates", text: "Cannot delete preinstalled server-ca certificates. Use the CLI to complete the operation." },
    ErrorDoc { code: 3735683, source: "certificates", text: "Cannot remove this certificate while external key manager is configured." },
    ErrorDoc { code: 3735693, source: "certificates", text: "The certificate installation failed as private key was empty." },
    ErrorDoc { code: 3735696, source: "certificates", text: "Intermediate certificates are not supported with client_ca and server_ca type certificates." },
    ErrorDoc { code: 3735700, source: "certificates", text: "The specified key size is not supported." },
    ErrorDoc { code: 3735701, source: "certificates", text: "Invalid expiration period. The allowed range for expiration time is between 1 and 3652 days." },
    ErrorDoc { code: 3735751, source: "certificates", text: "Failed to authenticate and fetch the access token from Azure OAuth host." },
    ErrorDoc { code: 3735752, source: "certificates", text: "Failed to extract the private key from the Azure Key Vault certificate." },
    ErrorDoc { code: 3735753, source: "certificates", text: "Unsupported content_type in the Azure secrets response." },
    ErrorDoc { code: 3735754, source: "certificates", text: "Internal error. Failed to parse the JSON response from Azure Key Vault." },
    ErrorDoc { code: 3735755, source: "certificates", text: "REST call to Azure failed." },
    ErrorDoc { code: 3735756, source: "certificates", text: "Invalid client certificate." },
    ErrorDoc { code: 3735757, source: "certificates", text: "Internal error. Failed to generate client assertion." },
    ErrorDoc { code: 3735762, source: "certificates", text: "Provided Azure Key Vault configuration is incorrect." },
    ErrorDoc { code: 3735763, source: "certificates", text: "Provided Azure Key Vault configuration is incomplete." },
    ErrorDoc { code: 3735764, source: "certificates", text: "Azure Key Vault error (listed in the reference without a description)." },
    ErrorDoc { code: 5636142, source: "security", text: "This operation is not supported in a mixed-release cluster." },
    ErrorDoc { code: 5636145, source: "security", text: "This operation is not supported when cluster security is configured with FIPS mode." },
    ErrorDoc { code: 52363365, source: "certificates", text: "Failed to allocate memory." },
    ErrorDoc { code: 52363366, source: "certificates", text: "Unsupported key type." },
    ErrorDoc { code: 52363366, source: "certificates", text: "Logic error: use of a dead object." },
    ErrorDoc { code: 52428817, source: "security", text: "SSLv3 is not supported when FIPS is enabled." },
    ErrorDoc { code: 52428824, source: "security", text: "TLSv1 is not supported when FIPS is enabled." },
    ErrorDoc { code: 52428830, source: "security", text: "Cannot enable FIPS-compliant mode because the configured minimum security strength for certificates is not compatible." },
    ErrorDoc { code: 52428832, source: "security", text: "TLSv1.1 is not supported when FIPS is enabled." },
    ErrorDoc { code: 52559972, source: "certificates", text: "The certificates start date is later than the current date." },
    ErrorDoc { code: 52559973, source: "certificates", text: "The certificate has expired." },
    ErrorDoc { code: 52559974, source: "certificates", text: "The certificate is not supported in FIPS mode." },
    ErrorDoc { code: 52559974, source: "security", text: "Cannot enable FIPS-compliant mode because a certificate that is not FIPS-compliant is in use." },
    ErrorDoc { code: 52559975, source: "certificates", text: "Failed to read the certificate due to incorrect formatting." },
    ErrorDoc { code: 52559976, source: "certificates", text: "The certificate and private key do not match." },
    ErrorDoc { code: 52560123, source: "certificates", text: "Failed to read the key due to incorrect formatting." },
    ErrorDoc { code: 52560173, source: "certificates", text: "The hash function is not supported for digital signatures." },
    ErrorDoc { code: 52560272, source: "certificates", text: "The certificate could not be removed due to being in use by one or more subsystems." },
    ErrorDoc { code: 65536038, source: "key-managers", text: "A maximum of 4 active key servers are allowed." },
    ErrorDoc { code: 65536139, source: "key-managers", text: "The existing passphrase value provided does not match the configured passphrase." },
    ErrorDoc { code: 65536150, source: "key-managers", text: "The new passphrase is same as old passphrase." },
    ErrorDoc { code: 65536208, source: "key-managers", text: "Failed to delete the SVM Key ID." },
    ErrorDoc { code: 65536214, source: "key-managers", text: "Failed to generate cluster key encryption key." },
    ErrorDoc { code: 65536216, source: "key-managers", text: "Failed to add cluster key encryption key." },
    ErrorDoc { code: 65536233, source: "key-managers", text: "Internal error. Deletion of km_wrapped_kdb key database has failed for onboard key management." },
    ErrorDoc { code: 65536234, source: "key-managers", text: "Internal error. Deletion of cluster_kdb key database has failed for onboard key management." },
    ErrorDoc { code: 65536239, source: "key-managers", text: "Encrypted volumes are found for the SVM." },
    ErrorDoc { code: 65536242, source: "key-managers", text: "One or more Storage Encryption devices are assigned an authentication key." },
    ErrorDoc { code: 65536310, source: "key-managers", text: "Failed to setup onboard key management because the MetroCluster peer is unhealthy." },
    ErrorDoc { code: 65536404, source: "key-managers", text: "The passphrase does not match the accepted length." },
    ErrorDoc { code: 65536406, source: "key-managers", text: "The change of passphrase failed." },
    ErrorDoc { code: 65536407, source: "key-managers", text: "The passphrase update failed on some nodes." },
    ErrorDoc { code: 65536408, source: "key-managers", text: "The passphrase update failed on some nodes." },
    ErrorDoc { code: 65536508, source: "key-managers", text: "The platform does not support data at rest encryption." },
    ErrorDoc { code: 65536800, source: "key-managers", text: "Failed to lookup onboard keys." },
    ErrorDoc { code: 65536802, source: "key-managers", text: "The passphrase does not match the accepted length in common criteria mode." },
    ErrorDoc { code: 65536813, source: "key-managers", text: "Encrypted kernel core files found." },
    ErrorDoc { code: 65536817, source: "key-managers", text: "Failed to determine if key manager is safe to disable." },
    ErrorDoc { code: 65536821, source: "key-managers", text: "The certificate is not installed." },
    ErrorDoc { code: 65536822, source: "key-managers", text: "Multitenant key management is not supported in the current cluster version." },
    ErrorDoc { code: 65536823, source: "key-managers", text: "The SVM has key manager already configured." },
    ErrorDoc { code: 65536824, source: "key-managers", text: "Multitenant key management is not supported in MetroCluster configurations." },
    ErrorDoc { code: 65536827, source: "key-managers", text: "Failed to determine if the SVM has any encrypted volumes." },
    ErrorDoc { code: 65536828, source: "key-managers", text: "External key management is not enabled for the SVM." },
    ErrorDoc { code: 65536834, source: "key-managers", text: "Failed to get existing key-server details for the SVM." },
    ErrorDoc { code: 65536850, source: "key-managers", text: "New client certificate public or private keys are different from the existing client certificate." },
    ErrorDoc { code: 65536852, source: "key-managers", text: "Failed to query supported KMIP protocol versions." },
    ErrorDoc { code: 65536867, source: "key-managers", text: "Encrypted volumes are found for the SVM." },
    ErrorDoc { code: 65536870, source: "key-managers", text: "Key management servers already configured." },
    ErrorDoc { code: 65536871, source: "key-managers", text: "Duplicate key management servers exist." },
    ErrorDoc { code: 65536876, source: "key-managers", text: "External key management requires client and server CA certificates installed and with one or more key servers provided." },
    ErrorDoc { code: 65536878, source: "key-managers", text: "External key management cannot be configured as one or more volume encryption keys of the SVM are stored in cluster key management server." },
    ErrorDoc { code: 65536895, source: "key-managers", text: "External key manager cannot be configured since this cluster is part of a MetroCluster configuration and the partner site of this MetroCluster configuration has Onboard Key Manager configured." },
    ErrorDoc { code: 65536900, source: "key-managers", text: "Onboard key management cannot be configured because this cluster is part of a MetroCluster configuration and the partner site has the external key manager configured." },
    ErrorDoc { code: 65536903, source: "key-managers", text: "Onboard key management has failed to configure on some nodes in the cluster. Use the CLI to sync the onboard key management configuration on failed nodes." },
    ErrorDoc { code: 65536906, source: "key-managers", text: "Onboard key management has already been configured at the partner site. Use the CLI to sync the onboard key management with the same passphrase." },
    ErrorDoc { code: 65536907, source: "key-managers", text: "Onboard key management is already configured. Use the CLI to sync any nodes with onboard key management configuration." },
    ErrorDoc { code: 65536916, source: "key-managers", text: "Onboard key management is only supported for an admin SVM." },
    ErrorDoc { code: 65536917, source: "key-managers", text: "Updating an onboard passphrase requires both new and existing cluster passphrase." },
    ErrorDoc { code: 65536920, source: "key-managers", text: "The Onboard Key Manager passphrase length is incorrect." },
    ErrorDoc { code: 65536987, source: "security", text: "One or more key servers are unavailable." },
    ErrorDoc { code: 65537240, source: "key-managers", text: "The Onboard Key Manager passphrase must be provided when performing a POST/synchronize operation." },
    ErrorDoc { code: 65537241, source: "key-managers", text: "The Onboard Key Manager existing_passphrase must not be provided when performing a POST/synchronize operation." },
    ErrorDoc { code: 65537242, source: "key-managers", text: "The Onboard Key Manager existing_passphrase must be provided when performing a PATCH/synchronize operation." },
    ErrorDoc { code: 65537243, source: "key-managers", text: "The Onboard Key Manager passphrase must not be provided when performing a PATCH/synchronize operation." },
    ErrorDoc { code: 65537244, source: "key-managers", text: "Unable to sync/create Onboard Key Manager on the local cluster; Onboard Key Manager is already configured on the cluster." },
    ErrorDoc { code: 65537245, source: "key-managers", text: "Unable to sync/create Onboard Key Manager on the local cluster; Onboard Key Manager is not configured on the partner cluster." },
    ErrorDoc { code: 65537246, source: "key-managers", text: "Unable to sync/create Onboard Key Manager on local cluster. This cluster is not part of a MetroCluster configuration." },
    ErrorDoc { code: 66060338, source: "key-managers", text: "Failed to establish secure connection for a key management server due to incorrect server_ca certificates." },
    ErrorDoc { code: 66060339, source: "key-managers", text: "Failed to establish secure connection for a key management server due to incorrect client certificates." },
    ErrorDoc { code: 66060340, source: "key-managers", text: "Failed to establish secure connection for a key management server due to Cryptsoft error." },
    ErrorDoc { code: 66060341, source: "key-managers", text: "Failed to establish secure connection for a key management server due to network configuration issues." },
    ErrorDoc { code: 66256898, source: "ipsec", text: "Internal error. Failed to enable IPsec." },
    ErrorDoc { code: 66256899, source: "ipsec", text: "Internal error. Failed to disable IPsec." },
    ErrorDoc { code: 66257199, source: "ipsec", text: "IPsec is not supported in the current cluster version." },
    ErrorDoc { code: 196608047, source: "security", text: "Operation is not allowed when volume move is in progress." },
    ErrorDoc { code: 196608070, source: "security", text: "Key manager is not configured on the cluster. Configure either an external Key Management Server or an onboard key manager." },
    ErrorDoc { code: 196608081, source: "security", text: "Cannot start software encryption conversion while there are data volumes in the cluster." },
    ErrorDoc { code: 196608082, source: "security", text: "The operation is not valid when the MetroCluster is in switchover mode." },
    ErrorDoc { code: 196608301, source: "key-managers", text: "Failed to determine the type of encryption." },
    ErrorDoc { code: 196608305, source: "key-managers", text: "NAE aggregates are found in the cluster." },
    ErrorDoc { code: 196608368, source: "security", text: "Failed to perform the requested operation. One or more data volume in offline state." },
    ErrorDoc { code: 196608369, source: "security", text: "Conversion cannot be enabled because the cluster contains read-only or primordial logical data-protection volumes. Retry the patch operation after deleting those volumes." },
    ErrorDoc { code: 196608370, source: "security", text: "The conversion of non-encrypted volumes to NVE (NetApp Volume Encryption) volumes is already running. Monitor the NVE conversion status by querying the \"software_data_encryption.encryption_state\" field on the \"/api/security\" endpoint." },
    ErrorDoc { code: 196608371, source: "security", text: "NVE (NetApp Volume Encryption) volumes are already being rekeyed. Monitor the NVE rekey status by querying the \"software_data_encryption.encryption_state\" field on the \"/api/security\" endpoint." },
    ErrorDoc { code: 196608372, source: "security", text: "An automated ONTAP update is in progress, retry the PATCH request after it is completed." },
    ErrorDoc { code: 196608373, source: "security", text: "Unable to perform the encryption operation because of a mixed-release cluster. Complete the upgrade or revert operation, then try the PATCH request again." },
    ErrorDoc { code: 196608374, source: "security", text: "Failed to perform the requested operation. One or more SVMs not in admin running state." },
    ErrorDoc { code: 196608375, source: "security", text: "Failed to perform the requested operation. One or more volume is of temporary type." },
    ErrorDoc { code: 196608376, source: "security", text: "Internal error. Could not get volume encryption information." },
    ErrorDoc { code: 196608377, source: "security", text: "Internal error. The Volume Location Database (VLDB) is inconsistent. Contact support personnel to resolve this issue." },
    ErrorDoc { code: 196608378, source: "security", text: "Failed to perform the requested operation. Data SVM Key manager configuration is in mixed state." },
    ErrorDoc { code: 196608379, source: "security", text: "Internal error. The encryption metadata for the volume is inconsistent. Contact technical support for assistance." },
    ErrorDoc { code: 196608380, source: "security", text: "Failed to perform the requested operation. Wafliron is currently active." },
    ErrorDoc { code: 196608381, source: "security", text: "Failed to perform the requested operation. A clone split operation is in progress." },
    ErrorDoc { code: 196608382, source: "security", text: "Failed to perform the requested operation. A volume rehost operation is in progress." },
    ErrorDoc { code: 196608383, source: "security", text: "Failed to perform the requested operation. The cluster contains one or more SnapLock volume." },
    ErrorDoc { code: 196608384, source: "security", text: "The PATCH request to start rekey failed because the cluster contains one or more plain text volumes. Retry the PATCH request after converting the existing plain text volumes to encrypted volumes." },
    ErrorDoc { code: 196608385, source: "security", text: "Failed to perform the requested operation. Keystore configuration is being switched. Wait until the keystore is in the active state and then try the PATCH request again." },
    ErrorDoc { code: 196608386, source: "security", text: "Failed to perform the requested operation. Rekey operation for one or more SVMs is in progress. Wait until the keystore is in the active state and then try the PATCH request again." },
    ErrorDoc { code: 196608387, source: "security", text: "\"software_data_encryption.conversion_enabled\" cannot be set to \"false\" in a PATCH request." },
    ErrorDoc { code: 196608388, source: "security", text: "Both \"software_data_encryption.conversion_enabled\" and \"software_data_encryption.disabled_by_default\" cannot be set to \"true\" in a single PATCH request." },
    ErrorDoc { code: 196608389, source: "security", text: "Both \"software_data_encryption.conversion_enabled\" and \"software_data_encryption.rekey\" cannot be set to \"true\" in a single PATCH request." },
    ErrorDoc { code: 196608390, source: "security", text: "\"software_data_encryption.rekey\" cannot be set to \"false\" in a PATCH request." },
    ErrorDoc { code: 196608391, source: "security", text: "Both \"software_data_encryption.rekey\" and \"software_data_encryption.disabled_by_default\" cannot be set to \"true\" in a single PATCH request." },
    ErrorDoc { code: 196608392, source: "security", text: "The PATCH request for cluster level rekey requires an effective cluster version of 9.16.1 or later." },
    ErrorDoc { code: 196608393, source: "security", text: "The PATCH request for cluster level rekey is not supported on this platform." },
];

/// "The request exceeds a limit" (a query too long, a filter or body nested too deep, too many
/// `fields` or `order_by` entries: see [`crate::limits`]), answered with HTTP 400 and a message
/// that names the limit.
///
/// The reference documents no code for this. 262186 is the code of ONTAP's common error table
/// that the simulator already answered for an oversized body; every size or nesting bound now
/// shares it, so a client tells "too big" from "invalid" (262185) by code alone.
pub const LIMIT_EXCEEDED: u64 = 262_186;
/// What an unwell cluster answers, which the reference does not document (ONTAP's common error
/// table). The simulator's fault injection (`serve --faults`) answers with these, so the
/// console meets the same codes and sentences it would from a cluster under strain.
pub mod unwell {
    /// ONTAP's common "internal error" code: the node serving the call failed it.
    pub use super::codes::INTERNAL;
    /// The sentence of a 500.
    pub const INTERNAL_TEXT: &str =
        "Internal error. Wait a few minutes, and try the operation again.";
    /// The sentence of a 503 (sent with `Retry-After`).
    pub const UNAVAILABLE_TEXT: &str =
        "The API service is temporarily unavailable. Wait a few minutes, and try the operation again.";
    /// The message of a job that failed on the cluster for a reason of its own.
    pub const JOB_FAILED_TEXT: &str =
        "Internal error. The job failed on the node that ran it. Try the operation again.";
    /// The sentence of a 401 (credentials refused).
    pub const UNAUTHORIZED_TEXT: &str = "not authorized for that command";
}

/// Codes referred to by name outside core (the simulator, tests): the name says the rule, and no
/// other crate spells an ONTAP code as a number.
pub mod codes {
    /// The existing onboard passphrase given does not match the configured one.
    pub const PASSPHRASE_INCORRECT: u64 = 65536139;
    /// The new onboard passphrase is the same as the old one.
    pub const PASSPHRASE_SAME_AS_OLD: u64 = 65536150;
    /// The key manager's certificate is not installed (or not of the expected type).
    pub const CERTIFICATE_NOT_INSTALLED: u64 = 65536821;
    /// The SVM already has a key manager.
    pub const KEY_MANAGER_EXISTS: u64 = 65536823;
    /// IPsec is not supported by the cluster's release.
    pub const IPSEC_NOT_SUPPORTED: u64 = 66257199;
    /// A certificate is not FIPS-compliant (installing it in FIPS mode, or enabling FIPS while
    /// one is in use).
    pub const NOT_FIPS_COMPLIANT: u64 = 52559974;
    /// TLSv1.1 is enabled, which FIPS mode does not allow.
    pub const TLS11_WITH_FIPS: u64 = 52428832;
    /// The Onboard Key Manager is already configured (why it cannot be configured again).
    pub const ONBOARD_ALREADY_CONFIGURED: u64 = 65536907;
    /// Key servers are already configured (an external key manager for the cluster exists).
    pub const EXTERNAL_ALREADY_CONFIGURED: u64 = 65536870;
    /// No key manager is configured on the cluster (software encryption needs one).
    pub const NO_KEY_MANAGER: u64 = 196608070;
    /// A certificate (or CSR) cannot be read: not PEM, or not what it claims to be.
    pub const CERTIFICATE_MALFORMED: u64 = 52559975;
    /// Making a certificate failed (also the simulator's answer for what it cannot simulate).
    pub const CERTIFICATE_CREATE_FAILED: u64 = 3735553;
    /// `expiry_time` outside 1 to 3652 days.
    pub const EXPIRY_OUT_OF_RANGE: u64 = 3735701;
    /// The call to Azure Key Vault failed (the simulator has no Azure to call).
    pub const AZURE_CALL_FAILED: u64 = 3735755;
    /// Storing an installed certificate failed.
    pub const CERTIFICATE_STORE_FAILED: u64 = 3735646;
    /// The certificate is in use by an external key manager and cannot be deleted.
    pub const CERTIFICATE_IN_USE_BY_KEY_MANAGER: u64 = 3735683;
    /// The CA named to sign with cannot sign (not a CA, or not found).
    pub const CA_CANNOT_SIGN: u64 = 3735628;
    /// Signing a certificate failed.
    pub const SIGNING_FAILED: u64 = 3735626;
    /// A key manager's status "No action needed at this time."
    pub const KEY_MANAGER_STATUS_OK: u64 = 65537200;
    /// Onboard `synchronize` outside a MetroCluster configuration.
    pub const ONBOARD_SYNC_NOT_METROCLUSTER: u64 = 65537246;
    /// The SVM has no (external) key manager of the kind the request needs.
    pub const KEY_MANAGER_NOT_ENABLED: u64 = 65536828;
    /// A key manager cannot be deleted while NAE aggregates exist.
    pub const NAE_AGGREGATES_EXIST: u64 = 196608305;
    /// A key manager cannot be deleted while the SVM has encrypted volumes (external, onboard).
    pub const ENCRYPTED_VOLUMES_EXIST: [u64; 2] = [65536239, 65536867];
    /// The Onboard Key Manager cannot be deleted while encrypted kernel core files exist.
    pub const ENCRYPTED_CORE_FILES_EXIST: u64 = 65536813;
    /// A key manager cannot be deleted while storage encryption devices use its keys.
    pub const SED_AUTHENTICATION_KEYS_ASSIGNED: u64 = 65536242;
    /// Software-encryption flags that exclude each other in one PATCH: conversion with
    /// disabled-by-default, conversion with rekey, rekey with disabled-by-default.
    pub const EXCLUSIVE_ENCRYPTION_FLAGS: [u64; 3] = [196608388, 196608389, 196608391];
    /// ONTAP's common error table (the reference does not list these): entry doesn't exist.
    pub const NOT_FOUND: u64 = 4;
    /// Not authorized.
    pub const UNAUTHORIZED: u64 = 6;
    /// The method is not allowed on this resource.
    pub const METHOD_NOT_ALLOWED: u64 = 3;
    /// Unexpected argument (an unknown field or query parameter).
    pub const UNEXPECTED_ARGUMENT: u64 = 262179;
    /// Invalid JSON or a value of the wrong type.
    pub const INVALID_INPUT: u64 = 262185;
    /// The request body is too large (the code of every exceeded limit).
    pub const TOO_LARGE: u64 = super::LIMIT_EXCEEDED;
    /// Internal error.
    pub const INTERNAL: u64 = 1;

    /// Every named code with its name, for test suites in other languages (the conformance
    /// suite reads them from a file `cargo xtask conformance` writes).
    pub const ALL: &[(&str, u64)] = &[
        ("PASSPHRASE_INCORRECT", PASSPHRASE_INCORRECT),
        ("PASSPHRASE_SAME_AS_OLD", PASSPHRASE_SAME_AS_OLD),
        ("CERTIFICATE_NOT_INSTALLED", CERTIFICATE_NOT_INSTALLED),
        ("KEY_MANAGER_EXISTS", KEY_MANAGER_EXISTS),
        ("IPSEC_NOT_SUPPORTED", IPSEC_NOT_SUPPORTED),
        ("NOT_FIPS_COMPLIANT", NOT_FIPS_COMPLIANT),
        ("TLS11_WITH_FIPS", TLS11_WITH_FIPS),
        ("ONBOARD_ALREADY_CONFIGURED", ONBOARD_ALREADY_CONFIGURED),
        ("EXTERNAL_ALREADY_CONFIGURED", EXTERNAL_ALREADY_CONFIGURED),
        ("NO_KEY_MANAGER", NO_KEY_MANAGER),
        ("CERTIFICATE_MALFORMED", CERTIFICATE_MALFORMED),
        ("CERTIFICATE_CREATE_FAILED", CERTIFICATE_CREATE_FAILED),
        ("EXPIRY_OUT_OF_RANGE", EXPIRY_OUT_OF_RANGE),
        ("AZURE_CALL_FAILED", AZURE_CALL_FAILED),
        ("CERTIFICATE_STORE_FAILED", CERTIFICATE_STORE_FAILED),
        (
            "CERTIFICATE_IN_USE_BY_KEY_MANAGER",
            CERTIFICATE_IN_USE_BY_KEY_MANAGER,
        ),
        ("CA_CANNOT_SIGN", CA_CANNOT_SIGN),
        ("SIGNING_FAILED", SIGNING_FAILED),
        ("KEY_MANAGER_STATUS_OK", KEY_MANAGER_STATUS_OK),
        (
            "ONBOARD_SYNC_NOT_METROCLUSTER",
            ONBOARD_SYNC_NOT_METROCLUSTER,
        ),
        ("KEY_MANAGER_NOT_ENABLED", KEY_MANAGER_NOT_ENABLED),
        ("NAE_AGGREGATES_EXIST", NAE_AGGREGATES_EXIST),
        ("ENCRYPTED_CORE_FILES_EXIST", ENCRYPTED_CORE_FILES_EXIST),
        (
            "SED_AUTHENTICATION_KEYS_ASSIGNED",
            SED_AUTHENTICATION_KEYS_ASSIGNED,
        ),
        ("UNEXPECTED_ARGUMENT", UNEXPECTED_ARGUMENT),
        ("INVALID_INPUT", INVALID_INPUT),
    ];
}

/// The sentence a cluster sends for a code, where it differs from the reference's description
/// (the reference documents what a code means; ONTAP's answer words it its own way). From
/// answers of ONTAP 9.x clusters to the same requests.
pub const MESSAGES: &[(u64, &str)] = &[
    (
        codes::PASSPHRASE_INCORRECT,
        "Cluster-wide passphrase is incorrect.",
    ),
    (
        codes::PASSPHRASE_SAME_AS_OLD,
        "New passphrase cannot be same as the old passphrase.",
    ),
];

/// What an error answer carrying `code` says: ONTAP's own sentence when known, else the
/// reference's description.
pub fn message(code: u64) -> Option<&'static str> {
    MESSAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, text)| *text)
        .or_else(|| describe(code))
}

/// Every documented text for a code.
pub fn lookup(code: u64) -> impl Iterator<Item = &'static ErrorDoc> {
    let start = ERRORS.partition_point(|e| e.code < code);
    ERRORS[start..].iter().take_while(move |e| e.code == code)
}

/// The documented meaning of a code (the first text, when several endpoints document it).
pub fn describe(code: u64) -> Option<&'static str> {
    lookup(code).next().map(|e| e.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_searchable() {
        assert!(ERRORS.windows(2).all(|w| w[0].code <= w[1].code));
        assert_eq!(
            describe(65536038),
            Some("A maximum of 4 active key servers are allowed.")
        );
        assert_eq!(lookup(52559974).count(), 2);
        assert_eq!(describe(1), None);
    }

    #[test]
    fn answers_use_ontaps_sentence_where_known() {
        assert_eq!(
            message(codes::PASSPHRASE_INCORRECT),
            Some("Cluster-wide passphrase is incorrect.")
        );
        assert_eq!(message(65536038), describe(65536038));
        assert!(MESSAGES.iter().all(|(c, _)| describe(*c).is_some()));
    }
}
