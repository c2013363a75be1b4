//! IPsec (`/api/security/ipsec`): whether the cluster encrypts IP traffic with IPsec, and the
//! switch to turn it on or off.

use leptos::prelude::*;
use ontap_core::ipsec::{self, Ipsec};
use ontap_core::Query;

use crate::flow::{Change, ChangeDialog};
use crate::session::use_session;
use crate::widgets::{read_view, ViolationList};

#[component]
pub fn IpsecPage() -> impl IntoView {
    let session = use_session();
    let record = LocalResource::new(move || async move {
        session
            .call::<Ipsec>(&ipsec::get(&Query::new().fields(["enabled"])))
            .await
    });
    let change = RwSignal::new(None::<Change>);
    let violations = RwSignal::new(ontap_core::Violations::new());
    let review = move |current: Ipsec| {
        let enabled = !current.enabled.unwrap_or(false);
        let body = Ipsec {
            enabled: Some(enabled),
            ..Ipsec::default()
        };
        let release = session.cluster().map(|c| c.version).unwrap_or_default();
        let checked = ipsec::validate_patch_for_release(&body, &release)
            .and_then(|()| ipsec::patch(&body, None));
        match checked {
            Err(v) => violations.set(v),
            Ok(request) => {
                violations.set(ontap_core::Violations::new());
                let lowering = ipsec::lowering_changes(&body, &current);
                let current = serde_json::to_value(&current).unwrap_or_default();
                change.set(Some(
                    Change::new(
                        if enabled {
                            "Turn IPsec on"
                        } else {
                            "Turn IPsec off"
                        },
                        request,
                    )
                    .against(current)
                    .lowering(lowering),
                ));
            }
        }
    };
    // Re-read only after a change went through: after a failure the page keeps what the user
    // chose, to be sent again.
    let after_change = move |done: Option<crate::api::Answer>| {
        if done.is_some() {
            record.refetch();
        }
    };
    view! {
        <h1>"IPsec"</h1>
        <p class="intro">"IPsec encrypts IP traffic between the cluster and its clients. \
            Policies are managed per SVM; here it is turned on or off for the whole cluster."</p>
        {move || read_view(record.get(), Callback::new(move |()| record.refetch()), |current| {
                let enabled = current.enabled.unwrap_or(false);
                let on_click = {
                    let current = current.clone();
                    move |_| review(current.clone())
                };
                view! {
                    <section class="card">
                        <p>"IPsec is "
                            <strong data-testid="ipsec-enabled">{if enabled { "enabled" } else { "disabled" }}</strong>
                            "."</p>
                        <button type="button" class="primary" data-testid="ipsec-toggle" on:click=on_click>
                            {if enabled { "Turn IPsec off…" } else { "Turn IPsec on…" }}
                        </button>
                    </section>
                }.into_any()
        })}
        <ViolationList violations=violations/>
        <ChangeDialog change=change on_finished=after_change/>
    }
}
