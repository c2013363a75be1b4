//! Who is signed in, to which cluster: the cluster's name and release, and the re-sign-in that a
//! 401 in the middle of a session asks for without unmounting the page (so open forms keep what
//! was typed). Served by `ontap-console serve`, the server keeps the session (cookie + CSRF
//! token; a reload, a deep link or a new tab stays signed in and the page holds no password);
//! in a static deployment the credentials stay in memory only (a reload asks again).

use futures_channel::oneshot;
use leptos::prelude::*;
use ontap_core::cluster::{self, Cluster, Version};
use ontap_core::{Request, Secret};
use serde::de::DeserializeOwned;

use crate::api::server_session::{self, ServerSession, Status};
use crate::api::{Answer, CallError, Client, Credentials};

/// What the header shows about the cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterInfo {
    pub name: String,
    pub version: Version,
    /// Whether the server answers from its embedded simulator.
    pub simulated: bool,
}

/// The signed-in session, shared through context. `Copy`: every field is a signal.
#[derive(Clone, Copy)]
pub struct Session {
    client: RwSignal<Option<Client>>,
    cluster: RwSignal<Option<ClusterInfo>>,
    /// Set when a call met a 401: the re-sign-in dialog shows over the page.
    reauth: RwSignal<bool>,
    /// The calls waiting for that re-sign-in, each told whether it succeeded (`true`) or was
    /// given up (`false`, a sign-out): none is left waiting.
    waiters: StoredValue<Vec<oneshot::Sender<bool>>>,
    /// Whether the server keeps sessions (`/console/session` answered).
    server_sessions: RwSignal<bool>,
    /// Whether the start-up question to the server has been answered.
    resumed: RwSignal<bool>,
}

impl Session {
    pub fn new() -> Self {
        Session {
            client: RwSignal::new(None),
            cluster: RwSignal::new(None),
            reauth: RwSignal::new(false),
            waiters: StoredValue::new(Vec::new()),
            server_sessions: RwSignal::new(false),
            resumed: RwSignal::new(false),
        }
    }

    /// Asks the server, once at start, whether this browser is signed in already.
    pub async fn resume(&self) {
        match server_session::status().await {
            Status::SignedIn(session) => {
                self.server_sessions.set(true);
                self.start(*session);
            }
            Status::SignedOut => self.server_sessions.set(true),
            Status::Unsupported => self.server_sessions.set(false),
        }
        self.resumed.set(true);
    }

    /// Whether [`Session::resume`] has finished (the sign-in form waits for it).
    pub fn is_resumed(&self) -> bool {
        self.resumed.get()
    }

    fn start(&self, session: ServerSession) {
        let info = ClusterInfo {
            name: session
                .cluster
                .name
                .unwrap_or_else(|| "(unnamed cluster)".into()),
            version: session.cluster.version.unwrap_or_default(),
            simulated: session.simulated,
        };
        self.client.set(Some(Client::server_session(
            session.user,
            session.csrf_token,
        )));
        self.cluster.set(Some(info));
        self.end_reauth(true);
    }

    /// Closes the re-sign-in and tells every call waiting for it how it ended.
    fn end_reauth(&self, signed_in: bool) {
        self.reauth.set(false);
        let waiters = self
            .waiters
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for waiter in waiters {
            // A waiter gone (its call abandoned, e.g. a job no longer followed) needs no word.
            let _ = waiter.send(signed_in);
        }
    }

    /// Signs in through the server's session: the password is posted once and not kept here.
    async fn sign_in_on_server(&self, user: &str, password: &Secret) -> Result<(), CallError> {
        let session = server_session::sign_in(user, password).await?;
        self.start(session);
        Ok(())
    }

    pub fn is_signed_in(&self) -> bool {
        self.client.with(Option::is_some)
    }

    pub fn cluster(&self) -> Option<ClusterInfo> {
        self.cluster.get()
    }

    /// Whether the signed-in cluster's release has `field` of `endpoint` (core's `releases`),
    /// so pages hide what an older cluster lacks instead of failing on it. A release not known
    /// is taken to have it: nothing is hidden on a guess.
    pub fn has_field(&self, endpoint: &str, field: &str) -> bool {
        self.cluster.with(|c| {
            c.as_ref()
                .and_then(|c| c.version.triple())
                .is_none_or(|release| ontap_core::releases::has_field(release, endpoint, field))
        })
    }

    pub fn needs_reauth(&self) -> bool {
        self.reauth.get()
    }

    /// The signed-in user, for curl commands.
    pub fn user(&self) -> String {
        self.client
            .with(|c| c.as_ref().map(|c| c.credentials.user.clone()))
            .unwrap_or_default()
    }

    /// The base URL requests go to, for curl commands.
    pub fn base_url(&self) -> String {
        self.client
            .with(|c| c.as_ref().map(|c| c.credentials.display_base()))
            .unwrap_or_default()
    }

    /// Checks the credentials with `GET /api/cluster`; on success the session starts.
    pub async fn sign_in(&self, credentials: Credentials) -> Result<(), CallError> {
        if self.server_sessions.get_untracked() && credentials.base_url.is_empty() {
            return self
                .sign_in_on_server(&credentials.user, &credentials.password)
                .await;
        }
        let info = check(&credentials).await?;
        self.client.set(Some(Client::new(credentials)));
        self.cluster.set(Some(info));
        self.end_reauth(true);
        Ok(())
    }

    /// Signs in again after a 401 with a new password, keeping user and base URL.
    pub async fn reauthenticate(&self, password: Secret) -> Result<(), CallError> {
        let Some(client) = self.client.get_untracked() else {
            return Err(CallError::Unreachable("Not signed in.".into()));
        };
        if client.csrf_token().is_some() {
            return self
                .sign_in_on_server(&client.credentials.user, &password)
                .await;
        }
        let mut credentials = client.credentials;
        credentials.password = password;
        let info = check(&credentials).await?;
        self.client.set(Some(Client::new(credentials)));
        self.cluster.set(Some(info));
        self.end_reauth(true);
        Ok(())
    }

    /// Forgets the credentials and everything read with them; a server session ends on the
    /// server too (another tab is asked to sign in on its next call).
    pub fn sign_out(&self) {
        let token = self
            .client
            .with_untracked(|c| c.as_ref().and_then(|c| c.csrf_token().map(str::to_owned)));
        if let Some(token) = token {
            leptos::task::spawn_local(async move { server_session::sign_out(&token).await });
        }
        self.client.set(None);
        self.cluster.set(None);
        self.end_reauth(false);
    }

    /// Sends `request` as the signed-in user. A 401 asks the user to sign in again and waits
    /// (on a channel the re-sign-in completes, no polling) until they have; the request is then
    /// sent once more. Signing out instead gives the 401 back, as does a re-sign-in abandoned
    /// in any other way.
    pub async fn send(&self, request: &Request) -> Result<Answer, CallError> {
        let client = self.current_client()?;
        let answer = client.send(request).await?;
        if answer.status != 401 {
            return Ok(answer);
        }
        let (waiter, signed_in) = oneshot::channel();
        if self
            .waiters
            .try_update_value(|waiters| waiters.push(waiter))
            .is_none()
        {
            return Ok(answer);
        }
        self.reauth.set(true);
        match (signed_in.await, self.client.get_untracked()) {
            (Ok(true), Some(client)) => client.send(request).await,
            // Signed out, or the session dropped the waiter: the 401 is the answer.
            _ => Ok(answer),
        }
    }

    /// Sends `request` and decodes a successful answer.
    pub async fn call<T: DeserializeOwned>(&self, request: &Request) -> Result<T, CallError> {
        self.send(request).await?.decode()
    }

    /// Reads a whole collection, following `_links.next`; `progress` hears the count so far.
    pub async fn collect<T: DeserializeOwned>(
        &self,
        first: Request,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<T>, CallError> {
        let mut records = Vec::new();
        let mut request = first;
        loop {
            let page: ontap_core::Collection<T> = self.call(&request).await?;
            let next = page.next_href().map(str::to_owned);
            records.extend(page.records);
            progress(records.len());
            match next {
                Some(href) => request = Request::follow(&href),
                None => return Ok(records),
            }
        }
    }

    fn current_client(&self) -> Result<Client, CallError> {
        self.client
            .get_untracked()
            .ok_or_else(|| CallError::Unreachable("Not signed in.".into()))
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

async fn check(credentials: &Credentials) -> Result<ClusterInfo, CallError> {
    let client = Client::new(credentials.clone());
    let answer = client.send(&cluster::get_cluster()).await?;
    let record: Cluster = answer.decode()?;
    Ok(ClusterInfo {
        name: record.name.unwrap_or_else(|| "(unnamed cluster)".into()),
        version: record.version.unwrap_or_default(),
        simulated: answer.simulated,
    })
}

/// The session from context (provided by the app's root).
pub fn use_session() -> Session {
    expect_context::<Session>()
}
