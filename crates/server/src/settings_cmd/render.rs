//! A plan as people read it: old → new per setting, the security-lowering sentences, then the
//! requests in order with their masked bodies and a curl command (core's `Request::to_curl`).

use std::fmt::Write;

use ontap_core::settings::Plan;
use serde_json::{json, Value};

use super::Planned;

/// Every cluster's plan, or why there is none.
pub fn plans(planned: &[Planned]) -> String {
    let mut out = String::new();
    for p in planned {
        let _ = writeln!(out, "cluster {} ({})", p.target.name, p.target.url);
        match &p.result {
            Err(message) => {
                let _ = writeln!(out, "  error: {}", message.replace('\n', "\n    "));
            }
            Ok(plan) => one(&mut out, plan, p.target.url.as_str(), &p.target.user),
        }
    }
    out
}

fn one(out: &mut String, plan: &Plan, url: &str, user: &str) {
    if plan.is_empty() {
        let _ = writeln!(out, "  no changes: the cluster matches the file");
        return;
    }
    let _ = writeln!(out, "  {} change(s):", plan.changes.len());
    for c in &plan.changes {
        // A whole object (certificate, key manager) created or deleted reads as a sentence.
        match (&c.old, &c.new) {
            (serde_json::Value::Null, serde_json::Value::String(what)) => {
                let _ = writeln!(out, "    + {}: {what}", c.key);
            }
            (serde_json::Value::String(what), serde_json::Value::Null) => {
                let _ = writeln!(out, "    - {}: {what}", c.key);
            }
            _ => {
                let _ = writeln!(out, "    ~ {}: {} -> {}", c.key, c.old, c.new);
            }
        }
    }
    let lowering = plan.lowering();
    if !lowering.is_empty() {
        let _ = writeln!(out, "  LOWERS SECURITY:");
        for sentence in lowering {
            let _ = writeln!(out, "    ! {sentence}");
        }
    }
    let _ = writeln!(out, "  requests, in order:");
    for (i, step) in plan.steps.iter().enumerate() {
        let r = &step.request;
        let _ = writeln!(
            out,
            "    {}. {} {} ({})",
            i + 1,
            r.method,
            r.path_and_query(),
            step.what
        );
        if let Some(body) = r.masked_body() {
            let _ = writeln!(out, "       body: {body}");
        }
        let curl = r.to_curl(url, user).replace('\n', "\n         ");
        let _ = writeln!(out, "       curl: {curl}");
    }
}

/// `plan --format json`: `{"schema_version": 1, "exit_status", "clusters": [{"name", "url",
/// "changes": [{"key", "old", "new"}], "lowering": [sentence], "requests": [{"what", "method",
/// "path", "query", "body", "curl"}]} | {"name", "url", "error"}]}`; bodies are masked.
pub fn plans_json(planned: &[Planned], exit_status: u8) -> String {
    let clusters: Vec<Value> = planned
        .iter()
        .map(|p| {
            let (name, url) = (&p.target.name, p.target.url.as_str());
            match &p.result {
                Err(message) => json!({"name": name, "url": url, "error": message}),
                Ok(plan) => json!({
                    "name": name,
                    "url": url,
                    "changes": plan.changes,
                    "lowering": plan.lowering(),
                    "requests": plan.steps.iter().map(|s| {
                        let mut request = serde_json::to_value(&s.request).unwrap_or(Value::Null);
                        if let Some(map) = request.as_object_mut() {
                            map.insert("what".into(), json!(s.what));
                            map.insert("curl".into(), json!(s.request.to_curl(url, &p.target.user)));
                        }
                        request
                    }).collect::<Vec<_>>(),
                }),
            }
        })
        .collect();
    let report = json!({"schema_version": 1, "exit_status": exit_status, "clusters": clusters});
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
