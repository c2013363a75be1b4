//! Console sessions: a reload, a deep link or a second tab stays signed in without the page
//! keeping the password (issue 20).
//!
//! The console posts the credentials once to `/console/session` ([`http`]); the server checks
//! them against the cluster (or simulator), keeps them in this process's memory only and hands
//! the browser a random session id in an `HttpOnly`, `SameSite=Strict` cookie. `/api` calls that
//! carry the cookie get the cluster credentials added here ([`http::attach`]); state changes also
//! need the session's CSRF token in a header. Nothing is written to disk: a restart ends every
//! session. Ids are 256 bits from the OS and kept only as SHA-256 digests, so a lookup's timing
//! says nothing about a valid id, and a memory dump holds no usable cookie.

pub mod http;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use base64::Engine as _;
use ontap_core::Secret;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use crate::cli::UsageError;

/// Default idle timeout: ONTAP's own web sessions end after 15 idle minutes.
pub const DEFAULT_IDLE_SECS: u64 = 15 * 60;
/// Default absolute lifetime: a working day.
pub const DEFAULT_LIFETIME_SECS: u64 = 8 * 60 * 60;
/// Default bound on sessions held at once (a few admins need a handful; each is < 1 KiB).
pub const DEFAULT_MAX_SESSIONS: usize = 4096;
/// Random bytes in a session id and a CSRF token (256 bits; the issue asks for ≥ 128).
const TOKEN_BYTES: usize = 32;
/// Length of a token as sent: unpadded base64url of [`TOKEN_BYTES`].
pub const TOKEN_CHARS: usize = 43;
/// The sweeper's period at most; shorter when the idle timeout is shorter.
const SWEEP_PERIOD: Duration = Duration::from_secs(30);

/// The session flags of `serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct SessionArgs {
    /// Seconds without a request after which a console session ends.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_IDLE_SECS, help_heading = "Sessions")]
    pub session_idle: u64,

    /// Seconds after sign-in at which a console session ends, however busy.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_LIFETIME_SECS, help_heading = "Sessions")]
    pub session_lifetime: u64,

    /// Console sessions held at once; beyond it the longest-idle one ends.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_SESSIONS, help_heading = "Sessions")]
    pub max_sessions: usize,
}

/// The checked session settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionSettings {
    pub idle: Duration,
    pub lifetime: Duration,
    pub max_sessions: usize,
    /// Whether the cookie carries `Secure` (the console is served over HTTPS).
    pub secure: bool,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            idle: Duration::from_secs(DEFAULT_IDLE_SECS),
            lifetime: Duration::from_secs(DEFAULT_LIFETIME_SECS),
            max_sessions: DEFAULT_MAX_SESSIONS,
            secure: false,
        }
    }
}

impl SessionArgs {
    /// Refuses zero and absurd values; `secure` is decided by `serve` (HTTPS or not).
    pub fn check(&self) -> Result<SessionSettings, UsageError> {
        const MAX_SECS: u64 = 7 * 24 * 60 * 60;
        for (flag, value) in [
            ("--session-idle", self.session_idle),
            ("--session-lifetime", self.session_lifetime),
        ] {
            if value == 0 || value > MAX_SECS {
                return Err(UsageError::invalid(format!(
                    "{flag} must be between 1 and {MAX_SECS} seconds"
                )));
            }
        }
        const MAX_SESSIONS: usize = 1 << 20;
        if self.max_sessions == 0 || self.max_sessions > MAX_SESSIONS {
            return Err(UsageError::invalid(format!(
                "--max-sessions must be between 1 and {MAX_SESSIONS}"
            )));
        }
        Ok(SessionSettings {
            idle: Duration::from_secs(self.session_idle),
            lifetime: Duration::from_secs(self.session_lifetime),
            max_sessions: self.max_sessions,
            secure: false,
        })
    }
}

/// What a valid session gives a request: the cluster credentials and the CSRF token.
pub struct Grant {
    pub user: String,
    pub password: Secret,
    csrf: String,
}

impl Grant {
    /// Whether `token` is this session's CSRF token (compared in constant time).
    pub fn csrf_matches(&self, token: &[u8]) -> bool {
        token.len() == self.csrf.len() && bool::from(self.csrf.as_bytes().ct_eq(token))
    }
}

/// What the console learns about its session (never the password).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Info {
    pub user: String,
    pub csrf_token: String,
    /// `name` and `version` of `GET /api/cluster`, read at sign-in.
    pub cluster: serde_json::Value,
    pub simulated: bool,
}

struct Entry {
    user: String,
    password: Secret,
    csrf: String,
    cluster: serde_json::Value,
    simulated: bool,
    created: Instant,
    last_used: Instant,
}

impl Entry {
    fn expired(&self, now: Instant, settings: &SessionSettings) -> bool {
        now.saturating_duration_since(self.last_used) >= settings.idle
            || now.saturating_duration_since(self.created) >= settings.lifetime
    }

    fn info(&self) -> Info {
        Info {
            user: self.user.clone(),
            csrf_token: self.csrf.clone(),
            cluster: self.cluster.clone(),
            simulated: self.simulated,
        }
    }
}

type Digest = [u8; 32];

/// The sessions of one server. Cheap to clone (one shared map).
#[derive(Clone)]
pub struct Sessions {
    map: Arc<Mutex<HashMap<Digest, Entry>>>,
    settings: SessionSettings,
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sessions")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Sessions {
    pub fn new(settings: SessionSettings) -> Self {
        Sessions {
            map: Arc::new(Mutex::new(HashMap::new())),
            settings,
        }
    }

    pub fn settings(&self) -> &SessionSettings {
        &self.settings
    }

    /// Sessions held now (expired ones included until the next sweep).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries the map has room for without growing: 0 once everything expired was swept
    /// (the memory is given back, not just emptied).
    pub fn capacity(&self) -> usize {
        self.lock().capacity()
    }

    /// Starts a session for credentials the cluster accepted; returns the cookie's id.
    pub fn create(
        &self,
        user: String,
        password: Secret,
        cluster: serde_json::Value,
        simulated: bool,
    ) -> (String, Info) {
        let id = random_token();
        let now = Instant::now();
        let entry = Entry {
            user,
            password,
            csrf: random_token(),
            cluster,
            simulated,
            created: now,
            last_used: now,
        };
        let info = entry.info();
        let mut map = self.lock();
        sweep_locked(&mut map, now, &self.settings);
        while map.len() >= self.settings.max_sessions {
            let oldest = map.iter().min_by_key(|(_, e)| e.last_used).map(|(k, _)| *k);
            match oldest {
                Some(key) => map.remove(&key),
                None => break,
            };
        }
        map.insert(digest(&id), entry);
        (id, info)
    }

    /// The credentials of a live session, which counts as use; an expired one is forgotten.
    pub fn grant(&self, id: &str) -> Option<Grant> {
        self.touch(id, |e| Grant {
            user: e.user.clone(),
            password: e.password.clone(),
            csrf: e.csrf.clone(),
        })
    }

    /// What the console may know of a live session (a reload or a new tab asks this).
    pub fn info(&self, id: &str) -> Option<Info> {
        self.touch(id, Entry::info)
    }

    /// Ends a session (sign-out, or the cluster refused its credentials): forgotten at once.
    pub fn end(&self, id: &str) {
        if id.len() == TOKEN_CHARS {
            self.lock().remove(&digest(id));
        }
    }

    /// Forgets every expired session and gives back the map's memory once it has shrunk.
    pub fn sweep(&self) {
        sweep_locked(&mut self.lock(), Instant::now(), &self.settings);
    }

    /// Sweeps in the background for as long as these sessions exist (needs a tokio runtime).
    pub fn spawn_sweeper(&self) {
        let map: Weak<Mutex<HashMap<Digest, Entry>>> = Arc::downgrade(&self.map);
        let settings = self.settings;
        let period = SWEEP_PERIOD.min(settings.idle);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(period);
            loop {
                ticks.tick().await;
                let Some(map) = map.upgrade() else { return };
                let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
                sweep_locked(&mut map, Instant::now(), &settings);
            }
        });
    }

    fn touch<T>(&self, id: &str, f: impl FnOnce(&Entry) -> T) -> Option<T> {
        if id.len() != TOKEN_CHARS {
            return None;
        }
        let key = digest(id);
        let now = Instant::now();
        let mut map = self.lock();
        let entry = map.get_mut(&key)?;
        if entry.expired(now, &self.settings) {
            map.remove(&key);
            return None;
        }
        entry.last_used = now;
        Some(f(entry))
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Digest, Entry>> {
        // A panic while holding the lock leaves a consistent map (no multi-step updates).
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn sweep_locked(map: &mut HashMap<Digest, Entry>, now: Instant, settings: &SessionSettings) {
    map.retain(|_, e| !e.expired(now, settings));
    if map.is_empty() || map.len() < map.capacity() / 4 {
        map.shrink_to_fit();
    }
}

/// 256 bits from the operating system's generator, as unpadded base64url.
fn random_token() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn digest(id: &str) -> Digest {
    Sha256::digest(id.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sessions(idle: u64, max: usize) -> Sessions {
        Sessions::new(SessionSettings {
            idle: Duration::from_millis(idle),
            max_sessions: max,
            ..SessionSettings::default()
        })
    }

    #[test]
    fn ids_are_long_random_and_only_their_digest_is_kept() {
        let s = sessions(60_000, 8);
        let (a, info) = s.create(
            "admin".into(),
            Secret::new("pw"),
            serde_json::json!({}),
            true,
        );
        let (b, _) = s.create(
            "admin".into(),
            Secret::new("pw"),
            serde_json::json!({}),
            true,
        );
        assert_eq!(a.len(), TOKEN_CHARS);
        assert_ne!(a, b);
        assert_ne!(info.csrf_token, a);
        assert!(s.lock().keys().all(|k| k != a.as_bytes()));
        let grant = s.grant(&a).unwrap();
        assert_eq!(grant.password.expose(), "pw");
        assert!(grant.csrf_matches(info.csrf_token.as_bytes()));
        assert!(!grant.csrf_matches(b"nope"));
        assert!(s.grant(&a[1..]).is_none());
        s.end(&a);
        assert!(s.grant(&a).is_none());
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn idle_sessions_expire_and_the_bound_evicts_the_longest_idle() {
        let s = sessions(1, 8);
        let (a, _) = s.create("u".into(), Secret::new("p"), serde_json::json!({}), false);
        std::thread::sleep(Duration::from_millis(5));
        assert!(s.grant(&a).is_none());
        assert_eq!(s.len(), 0);

        let s = sessions(60_000, 2);
        let (first, _) = s.create("u".into(), Secret::new("p"), serde_json::json!({}), false);
        std::thread::sleep(Duration::from_millis(2));
        let (second, _) = s.create("u".into(), Secret::new("p"), serde_json::json!({}), false);
        std::thread::sleep(Duration::from_millis(2));
        assert!(s.grant(&first).is_some()); // now `second` is the longest idle
        let (_third, _) = s.create("u".into(), Secret::new("p"), serde_json::json!({}), false);
        assert_eq!(s.len(), 2);
        assert!(s.grant(&second).is_none());
        assert!(s.grant(&first).is_some());
    }
}
