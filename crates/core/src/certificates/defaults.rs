//! The values ONTAP accepts for a certificate and what it uses when a request leaves them out:
//! validation, the simulator and the console's forms all read them from here.

/// The seconds an Azure Key Vault download may wait (`azure.timeout`).
pub const AZURE_TIMEOUT_SECONDS: std::ops::RangeInclusive<i64> = 0..=30;
/// Key sizes ONTAP knows, in bits.
pub const KEY_SIZES: [u32; 5] = [512, 1024, 1536, 2048, 3072];
/// The smallest key size ONTAP accepts when creating a certificate.
pub const MIN_CREATE_KEY_SIZE: u32 = 2048;
/// Hash functions ONTAP accepts when creating or signing (md5 and sha1 are refused on POST).
pub const HASH_FUNCTIONS: [&str; 4] = ["sha224", "sha256", "sha384", "sha512"];
/// CSR security strengths (bits) and algorithms.
pub const SECURITY_STRENGTHS: [i64; 4] = [112, 128, 192, 256];
pub const CSR_ALGORITHMS: [&str; 2] = ["rsa", "ec"];
/// Key usages and extended key usages a CSR may ask for.
pub const KEY_USAGES: [&str; 9] = [
    "digitalsignature",
    "nonrepudiation",
    "keyencipherment",
    "dataencipherment",
    "keyagreement",
    "keycertsign",
    "crlsign",
    "encipheronly",
    "decipheronly",
];
pub const EXTENDED_KEY_USAGES: [&str; 6] = [
    "serverauth",
    "clientauth",
    "codesigning",
    "emailprotection",
    "timestamping",
    "ocspsigning",
];

/// What ONTAP uses when a CSR request leaves them out.
pub const CSR_DEFAULT_ALGORITHM: &str = "rsa";
pub const CSR_DEFAULT_STRENGTH: i64 = 112;
pub const DEFAULT_HASH_FUNCTION: &str = "sha256";
/// ONTAP's default `expiry_time` for create and sign.
pub const DEFAULT_EXPIRY: &str = "P365DT";
/// [`DEFAULT_EXPIRY`] in days, for forms that ask for a number of days.
pub const DEFAULT_EXPIRY_DAYS: i64 = 365;
/// ONTAP's default `key_size` for create.
pub const DEFAULT_KEY_SIZE: u32 = 2048;
