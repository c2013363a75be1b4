//! `fields=`: which fields a request selects, and projecting a record onto them.

use serde_json::{Map, Value};

/// Which fields to return.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Selection {
    Default,
    AllCheap,
    All,
    List(FieldTree),
}

/// The `fields=` list as a tree of path parts, built once per request: projecting a record
/// is then one walk over the record, whatever the length of the list.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct FieldTree {
    /// This path was named itself: everything below it is kept.
    pub(super) whole: bool,
    pub(super) children: std::collections::HashMap<String, FieldTree>,
}

impl FieldTree {
    pub(super) fn insert(&mut self, path: &str) {
        let mut node = self;
        for part in path.split('.') {
            node = node.children.entry(part.to_owned()).or_default();
        }
        node.whole = true;
    }

    /// Whether `path` is named, is below a named path, or has a named path below it.
    pub(super) fn touches(&self, path: &str) -> bool {
        let mut node = self;
        for part in path.split('.') {
            match node.children.get(part) {
                Some(child) if child.whole => return true,
                Some(child) => node = child,
                None => return false,
            }
        }
        true
    }
}

/// Keeps, below each kept key, only the listed sub-paths (when the list names sub-paths).
pub(super) fn narrow(value: &mut Value, tree: &FieldTree, top: bool) {
    match value {
        Value::Object(map) => map.retain(|key, child| {
            if key == "_links" {
                return true;
            }
            match tree.children.get(key) {
                Some(node) if node.whole => true,
                Some(node) => {
                    narrow(child, node, false);
                    true
                }
                None => top && key == "uuid",
            }
        }),
        Value::Array(items) => {
            for item in items {
                narrow(item, tree, top);
            }
        }
        _ => {}
    }
}

/// Removes each dotted path from a record: what the cluster's release does not have.
pub fn drop_fields(value: &mut Value, paths: &[&str]) {
    for path in paths {
        remove_path(value, path);
    }
}

pub(super) fn remove_path(value: &mut Value, path: &str) {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    match value {
        Value::Object(map) => match rest {
            None => {
                map.remove(head);
            }
            Some(rest) => {
                if let Some(child) = map.get_mut(head) {
                    remove_path(child, rest);
                    if child.as_object().is_some_and(Map::is_empty) {
                        map.remove(head);
                    }
                }
            }
        },
        Value::Array(items) => {
            for item in items {
                remove_path(item, path);
            }
        }
        _ => {}
    }
}
