//! The `--faults` SPEC: a short comma-separated list of `key=value` items, parsed into
//! [`FaultSpec`] with a typed error. Bounded before it is read: at most [`MAX_SPEC_BYTES`] and
//! one item of each key.
//!
//! ```text
//! latency=300ms,error=503:0.2,drop=0.1,job-failure=0.5,unauthorized-after=20,path=/api/security,seed=7
//! job-stuck=1
//! job-expired=1
//! ```

use std::fmt;
use std::time::Duration;

/// Longest SPEC accepted (a full one is about 120 bytes).
pub const MAX_SPEC_BYTES: usize = 512;
/// Longest added latency: longer would only meet the server's own request timeout.
pub const MAX_LATENCY: Duration = Duration::from_secs(30);
/// Longest `path=` scope.
pub const MAX_PATH_BYTES: usize = 256;

/// Which faults to inject, and where. Every probability is in `0..=1`; a fault left out is off.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FaultSpec {
    /// Added before every answer in scope.
    pub latency: Duration,
    /// An error answer (500 or 503) instead of the real one, with this probability.
    pub error: Option<(ErrorStatus, f64)>,
    /// The connection closed without an answer, with this probability.
    pub drop: f64,
    /// A job started by a request in scope fails (state `failure`), with this probability.
    pub job_failure: f64,
    /// A job started by a request in scope never ends (stays `running`), with this
    /// probability: what a console meets when a job hangs on the cluster.
    pub job_stuck: f64,
    /// A job started by a request in scope is forgotten as soon as it ends (its work is
    /// applied, then `GET /api/cluster/jobs/{uuid}` answers 404 as after ONTAP's expiry), with
    /// this probability: a console never reads its outcome.
    pub job_expired: f64,
    /// After this many requests in scope, every request in scope answers 401 (as when the
    /// account's password was changed mid-session) until the faults are changed or cleared.
    pub unauthorized_after: Option<u64>,
    /// Only requests whose path starts with this are touched (default `/api/`).
    pub path: Option<String>,
    /// Seeds the random draws, so a test meets the same faults in the same order.
    pub seed: Option<u64>,
}

/// The status of an injected error answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStatus {
    /// 500, ONTAP's internal error.
    Internal,
    /// 503 with `Retry-After`.
    Unavailable,
}

impl ErrorStatus {
    pub fn code(self) -> u16 {
        match self {
            ErrorStatus::Internal => 500,
            ErrorStatus::Unavailable => 503,
        }
    }
}

/// Why a SPEC was refused. Never repeats more of the SPEC than one key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpecError {
    #[error("the fault list is longer than {MAX_SPEC_BYTES} bytes")]
    TooLong,
    #[error("\"{0}\" is not a fault (latency, error, drop, job-failure, job-stuck, job-expired, unauthorized-after, path, seed)")]
    UnknownKey(String),
    #[error("\"{0}\" is given twice")]
    Repeated(&'static str),
    #[error("\"{0}\" needs a value (key=value)")]
    MissingValue(String),
    #[error("invalid value for \"{0}\": {1}")]
    InvalidValue(&'static str, &'static str),
}

impl FaultSpec {
    /// Parses a SPEC; an empty (or blank) SPEC is no fault at all.
    pub fn parse(spec: &str) -> Result<FaultSpec, SpecError> {
        if spec.len() > MAX_SPEC_BYTES {
            return Err(SpecError::TooLong);
        }
        let mut out = FaultSpec::default();
        let mut seen: Vec<&'static str> = Vec::new();
        for item in spec.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (key, value) = item.split_once('=').ok_or_else(|| {
                SpecError::MissingValue(item.chars().take(32).collect::<String>())
            })?;
            let key = known_key(key.trim())?;
            if seen.contains(&key) {
                return Err(SpecError::Repeated(key));
            }
            seen.push(key);
            out.set(key, value.trim())?;
        }
        Ok(out)
    }

    fn set(&mut self, key: &'static str, value: &str) -> Result<(), SpecError> {
        match key {
            "latency" => self.latency = duration(value)?,
            "error" => {
                let (status, p) = match value.split_once(':') {
                    Some((s, p)) => (s, probability("error", p)?),
                    None => (value, 1.0),
                };
                let status = match status {
                    "500" => ErrorStatus::Internal,
                    "503" => ErrorStatus::Unavailable,
                    _ => return Err(SpecError::InvalidValue("error", "the status is 500 or 503")),
                };
                self.error = Some((status, p));
            }
            "drop" => self.drop = probability("drop", value)?,
            "job-failure" => self.job_failure = probability("job-failure", value)?,
            "job-stuck" => self.job_stuck = probability("job-stuck", value)?,
            "job-expired" => self.job_expired = probability("job-expired", value)?,
            "unauthorized-after" => {
                self.unauthorized_after = Some(value.parse().map_err(|_| {
                    SpecError::InvalidValue("unauthorized-after", "a count of requests")
                })?);
            }
            "path" => {
                if !value.starts_with("/api") || value.len() > MAX_PATH_BYTES {
                    return Err(SpecError::InvalidValue(
                        "path",
                        "a path prefix starting with /api, at most 256 bytes",
                    ));
                }
                self.path = Some(value.to_owned());
            }
            _ => {
                self.seed = Some(
                    value
                        .parse()
                        .map_err(|_| SpecError::InvalidValue("seed", "a whole number"))?,
                );
            }
        }
        Ok(())
    }

    /// Whether the SPEC injects nothing.
    pub fn is_off(&self) -> bool {
        self.latency.is_zero()
            && self.error.is_none_or(|(_, p)| p == 0.0)
            && self.drop == 0.0
            && self.job_failure == 0.0
            && self.job_stuck == 0.0
            && self.job_expired == 0.0
            && self.unauthorized_after.is_none()
    }

    /// Whether a request for `path` is in scope.
    pub fn covers(&self, path: &str) -> bool {
        path.starts_with(self.path.as_deref().unwrap_or("/api/"))
    }
}

/// The SPEC again, in the form [`FaultSpec::parse`] reads (what `GET` of the control endpoint
/// and the start-up banner show).
impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items: Vec<String> = Vec::new();
        if !self.latency.is_zero() {
            items.push(format!("latency={}ms", self.latency.as_millis()));
        }
        if let Some((status, p)) = self.error {
            items.push(format!("error={}:{p}", status.code()));
        }
        if self.drop > 0.0 {
            items.push(format!("drop={}", self.drop));
        }
        if self.job_failure > 0.0 {
            items.push(format!("job-failure={}", self.job_failure));
        }
        if self.job_stuck > 0.0 {
            items.push(format!("job-stuck={}", self.job_stuck));
        }
        if self.job_expired > 0.0 {
            items.push(format!("job-expired={}", self.job_expired));
        }
        if let Some(n) = self.unauthorized_after {
            items.push(format!("unauthorized-after={n}"));
        }
        if let Some(path) = &self.path {
            items.push(format!("path={path}"));
        }
        if let Some(seed) = self.seed {
            items.push(format!("seed={seed}"));
        }
        f.write_str(&items.join(","))
    }
}

const KEYS: [&str; 9] = [
    "latency",
    "error",
    "drop",
    "job-failure",
    "job-stuck",
    "job-expired",
    "unauthorized-after",
    "path",
    "seed",
];

fn known_key(key: &str) -> Result<&'static str, SpecError> {
    KEYS.iter()
        .find(|k| **k == key)
        .copied()
        .ok_or_else(|| SpecError::UnknownKey(key.chars().take(32).collect()))
}

fn probability(key: &'static str, value: &str) -> Result<f64, SpecError> {
    match value.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(SpecError::InvalidValue(key, "a probability from 0 to 1")),
    }
}

fn duration(value: &str) -> Result<Duration, SpecError> {
    const WHY: &str = "a duration such as 300ms or 2s, at most 30s";
    let (number, unit) = if let Some(n) = value.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1000)
    } else {
        return Err(SpecError::InvalidValue("latency", WHY));
    };
    let millis = number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or(SpecError::InvalidValue("latency", WHY))?;
    let latency = Duration::from_millis(millis);
    if latency > MAX_LATENCY {
        return Err(SpecError::InvalidValue("latency", WHY));
    }
    Ok(latency)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_fault_and_prints_it_back() {
        let spec = FaultSpec::parse(
            "latency=300ms, error=503:0.2,drop=0.1,job-failure=0.5,unauthorized-after=20,path=/api/security,seed=7",
        )
        .unwrap();
        assert_eq!(spec.latency, Duration::from_millis(300));
        assert_eq!(spec.error, Some((ErrorStatus::Unavailable, 0.2)));
        assert_eq!(spec.drop, 0.1);
        assert_eq!(spec.job_failure, 0.5);
        assert_eq!(spec.unauthorized_after, Some(20));
        assert_eq!(spec.seed, Some(7));
        assert!(spec.covers("/api/security/certificates"));
        assert!(!spec.covers("/api/cluster"));
        assert_eq!(FaultSpec::parse(&spec.to_string()).unwrap(), spec);
        assert_eq!(
            FaultSpec::parse("error=500").unwrap().error,
            Some((ErrorStatus::Internal, 1.0))
        );
        assert!(FaultSpec::parse(" ").unwrap().is_off());
        let jobs = FaultSpec::parse("job-stuck=1,job-expired=0.5").unwrap();
        assert_eq!((jobs.job_stuck, jobs.job_expired), (1.0, 0.5));
        assert!(!jobs.is_off());
        assert_eq!(FaultSpec::parse(&jobs.to_string()).unwrap(), jobs);
        assert_eq!(FaultSpec::parse("latency=2s").unwrap().latency.as_secs(), 2);
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        use SpecError::*;
        let err = |s: &str| FaultSpec::parse(s).unwrap_err();
        assert_eq!(err(&"x".repeat(MAX_SPEC_BYTES + 1)), TooLong);
        assert!(matches!(err("boom=1"), UnknownKey(k) if k == "boom"));
        assert_eq!(err("drop=0.1,drop=0.2"), Repeated("drop"));
        assert!(matches!(err("drop"), MissingValue(_)));
        assert!(matches!(err("drop=1.5"), InvalidValue("drop", _)));
        assert!(matches!(err("job-stuck=2"), InvalidValue("job-stuck", _)));
        assert!(matches!(
            err("job-expired=x"),
            InvalidValue("job-expired", _)
        ));
        assert!(matches!(err("error=404"), InvalidValue("error", _)));
        assert!(matches!(err("latency=31s"), InvalidValue("latency", _)));
        assert!(matches!(err("latency=300"), InvalidValue("latency", _)));
        assert!(matches!(err("path=/other"), InvalidValue("path", _)));
        assert!(matches!(err("seed=x"), InvalidValue("seed", _)));
        assert!(matches!(err("unauthorized-after=-1"), InvalidValue(..)));
    }
}
