//! A collection answer serialized straight from the stored records: a record whose selection
//! is a set of top-level keys (the default fields, `*`, `**`, a list of whole fields) is
//! written key by key from the record itself, without building a projected copy first.
//! Listing 10,013 certificates was mostly that copying (see docs/hardening.md).

use std::borrow::Borrow;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::{FieldSpec, ListParams};

/// The body of a collection GET: `records` (projected while written), `num_records`, `_links`.
pub(super) struct PageBody<'a, R> {
    pub(super) records: &'a [R],
    pub(super) num_records: usize,
    pub(super) links: Value,
    pub(super) params: &'a ListParams,
    pub(super) spec: &'a FieldSpec,
}

impl<R: Borrow<Value>> Serialize for PageBody<'_, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if self.params.return_records() {
            map.serialize_entry("records", &Records(self))?;
        }
        map.serialize_entry("num_records", &self.num_records)?;
        map.serialize_entry("_links", &self.links)?;
        map.end()
    }
}

struct Records<'b, 'a, R>(&'b PageBody<'a, R>);

impl<R: Borrow<Value>> Serialize for Records<'_, '_, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let page = self.0;
        let by_keys = page.params.selects_whole_keys(page.spec);
        let mut seq = serializer.serialize_seq(Some(page.records.len()))?;
        for record in page.records {
            let record = record.borrow();
            match record {
                Value::Object(map) if by_keys => {
                    seq.serialize_element(&Keys {
                        map,
                        params: page.params,
                        spec: page.spec,
                    })?;
                }
                _ => seq.serialize_element(&page.params.project(record, page.spec))?,
            }
        }
        seq.end()
    }
}

/// A record with only its selected top-level keys, borrowed.
struct Keys<'a> {
    map: &'a serde_json::Map<String, Value>,
    params: &'a ListParams,
    spec: &'a FieldSpec,
}

impl Serialize for Keys<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(None)?;
        for (key, value) in self.map {
            if self.params.keeps_key(key, self.spec) {
                out.serialize_entry(key, value)?;
            }
        }
        out.end()
    }
}
