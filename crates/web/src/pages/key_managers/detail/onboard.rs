//! The Onboard Key Manager: its passphrase changed, its key backup shown and saved.

use leptos::prelude::*;
use ontap_core::key_managers::{self, KeyManager, Onboard};
use ontap_core::{Secret, Violations};

use super::super::create::{confirmation_problem, PassphraseFields};
use super::{Changer, Pending};
use crate::browser::{copy_to_clipboard, download};
use crate::flow::Change;
use crate::widgets::{FieldErrors, ViolationList};

#[component]
pub(super) fn OnboardSection(km: StoredValue<KeyManager>, set_change: Changer) -> impl IntoView {
    let onboard = km.with_value(|k| k.onboard.clone().unwrap_or_default());
    let uuid = km.with_value(|k| k.uuid.clone().unwrap_or_default());
    let backup = onboard.key_backup.clone();
    // Change passphrase.
    let existing = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let body = Memo::new(move |_| KeyManager {
        onboard: Some(Onboard {
            // What is left empty is not sent: core then names what is missing (65536917).
            existing_passphrase: Some(existing.get())
                .filter(|s| !s.is_empty())
                .map(Secret::new),
            passphrase: Some(new.get()).filter(|s| !s.is_empty()).map(Secret::new),
            ..Onboard::default()
        }),
        ..KeyManager::default()
    });
    let violations = Memo::new(move |_| {
        let mut all = body.with(|b| key_managers::validate_update(b).err().unwrap_or_default());
        if let Some(v) = confirmation_problem(&new.get(), &confirm.get(), "onboard.passphrase") {
            all.push(v);
        }
        all
    });
    // Nothing typed yet: nothing to say (the review stays disabled).
    let touched = move || {
        !(existing.with(String::is_empty)
            && new.with(String::is_empty)
            && confirm.with(String::is_empty))
    };
    let v = Signal::derive(move || {
        if touched() {
            violations.get()
        } else {
            Violations::new()
        }
    });
    let uuid_pp = uuid.clone();
    let review_pp = move |_| {
        if !touched() || !violations.with_untracked(Violations::is_empty) {
            return;
        }
        if let Ok(request) = key_managers::update(&uuid_pp, &body.get_untracked(), None) {
            set_change.open(
                Change::new("Change the Onboard Key Manager's passphrase", request),
                Pending::Other,
            );
            existing.set(String::new());
            new.set(String::new());
            confirm.set(String::new());
        }
    };
    // Synchronize.
    let sync_existing = RwSignal::new(String::new());
    let sync_body = Memo::new(move |_| KeyManager {
        onboard: Some(Onboard {
            existing_passphrase: Some(Secret::new(sync_existing.get()))
                .filter(|s| !s.expose().is_empty()),
            synchronize: Some(true),
            ..Onboard::default()
        }),
        ..KeyManager::default()
    });
    let sync_violations = Memo::new(move |_| {
        sync_body.with(|b| key_managers::validate_update(b).err().unwrap_or_default())
    });
    let sv = Signal::derive(move || {
        if sync_existing.with(String::is_empty) {
            Violations::new()
        } else {
            sync_violations.get()
        }
    });
    let review_sync = move |_| {
        if let Ok(request) = key_managers::update(&uuid, &sync_body.get_untracked(), None) {
            set_change.open(
                Change::new(
                    "Synchronize the Onboard Key Manager's keys on every node",
                    request,
                ),
                Pending::Other,
            );
            sync_existing.set(String::new());
        }
    };
    view! {
        <section class="card" data-testid="km-onboard">
            <h2>"Onboard Key Manager"</h2>
            <dl>
                <dt>"Enabled"</dt><dd data-testid="km-onboard-enabled">{match onboard.enabled { Some(true) => "yes", Some(false) => "no", None => "unknown" }}</dd>
            </dl>
            {backup.map(|text| {
                let (d, c) = (text.clone(), text.clone());
                view! {
                    <h3>"Key backup"</h3>
                    <p class="hint">"Keep a copy of the key backup, and the passphrase, away from the cluster."</p>
                    <pre data-testid="km-detail-backup">{text}</pre>
                    <div class="actions">
                        <button type="button" data-testid="km-detail-backup-download"
                            on:click=move |_| download("onboard-key-backup.txt", "text/plain", &d)>"Download"</button>
                        <button type="button" on:click=move |_| copy_to_clipboard(&c)>"Copy"</button>
                    </div>
                }
            })}
        </section>
        <section class="card" data-testid="km-change-passphrase">
            <h2>"Change the passphrase"</h2>
            <label>"Current passphrase"
                <input type="password" data-testid="km-pp-existing" autocomplete="current-password"
                    bind:value=existing/>
            </label>
            <PassphraseFields passphrase=new confirm=confirm testid="km-pp-new" label="New passphrase (32 to 256 ASCII characters)"/>
            <ViolationList violations=v/>
            <div class="actions">
                <button type="button" class="primary" data-testid="km-pp-review"
                    disabled=move || !touched() || !violations.with(Violations::is_empty) on:click=review_pp>"Review…"</button>
            </div>
        </section>
        <section class="card" data-testid="km-synchronize">
            <h2>"Synchronize the nodes"</h2>
            <p class="hint">"Restores missing onboard keys on every node of the cluster (for example after a node \
                joins). Needs only the current passphrase. (A MetroCluster partner site is synchronized \
                by configuring the Onboard Key Manager there with the synchronize option.)"</p>
            <label>"Current passphrase"
                <input type="password" data-testid="km-sync-existing" autocomplete="current-password"
                    bind:value=sync_existing/>
            </label>
            <FieldErrors violations=sv field="onboard.existing_passphrase"/>
            <div class="actions">
                <button type="button" data-testid="km-sync-review"
                    disabled=move || !sync_violations.with(Violations::is_empty) on:click=review_sync>"Review…"</button>
            </div>
        </section>
    }
}
