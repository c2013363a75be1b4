//! Each endpoint described once ([`Collection`], [`Resource`]), beside its routes, and the one
//! way a GET of it is answered: the query checked against the description, the records read
//! under one lock (only the page's when nothing else can change the answer), then filtered,
//! ordered, paged and projected as ONTAP does. A handler supplies only its records.

use std::borrow::Borrow;

use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::{page, page_body, select, FieldSpec, ListParams};
use crate::app::Simulator;
use crate::error::SimError;
use crate::state::ClusterState;

/// A collection endpoint (`GET {path}` and `GET {path}/{key}`): its address, the fields a
/// query may name, and what a list and a single record return.
#[derive(Debug, Clone, Copy)]
pub struct Collection {
    /// The collection's path; in a nested collection `{uuid}` stands for the parent's uuid.
    pub path: &'static str,
    /// The top-level fields a filter or `order_by` may name; any other name is ONTAP's
    /// "Unexpected argument".
    pub known: &'static [&'static str],
    /// What a list returns without `fields`, and what only when named.
    pub list: FieldSpec,
    /// What a GET of one record returns without `fields`, and what only when named.
    pub one: FieldSpec,
    /// Paths left out of every record unless `fields` names them exactly or is `**` (ONTAP's
    /// references show `{uuid, _links}` only).
    pub hidden_unless_named: &'static [&'static str],
}

/// The records a handler read for a list: every record, or only the page's when the query
/// neither filters nor orders (see [`ListParams::rows`]).
pub struct Rows<R> {
    records: Vec<R>,
    /// How many records there are when `records` holds only the page.
    paged_of: Option<usize>,
}

impl ListParams {
    /// The records of `items` the answer needs, each made by `to_record`: only those of the
    /// page when no filter nor order needs the others, so that a collection of thousands
    /// builds only the records it returns.
    pub fn rows<T, R>(&self, items: &[T], to_record: impl FnMut(&T) -> R) -> Rows<R> {
        if self.is_plain() {
            let (start, end) = self.window(items.len());
            Rows {
                records: items[start..end].iter().map(to_record).collect(),
                paged_of: Some(items.len()),
            }
        } else {
            Rows {
                records: items.iter().map(to_record).collect(),
                paged_of: None,
            }
        }
    }
}

impl Collection {
    /// The query of a GET, checked against [`Collection::known`].
    pub fn params(&self, query: Option<&str>) -> Result<ListParams, SimError> {
        ListParams::parse(query, self.known)
    }

    /// The address of one record: `{path}/{key}` (`_links.self`).
    pub fn href(&self, key: &str) -> String {
        format!("{}/{key}", self.path)
    }

    /// `GET {path}`: `read` gives the records (see [`ListParams::rows`]) under one lock.
    pub fn list<R: Borrow<Value>>(
        &self,
        sim: &Simulator,
        query: Option<&str>,
        read: impl FnOnce(&ClusterState, &ListParams) -> Result<Rows<R>, SimError>,
    ) -> Result<Response, SimError> {
        self.list_at(self.path, sim, query, read)
    }

    /// `GET {path}` of a nested collection, `{uuid}` being `parent`.
    pub fn list_in<R: Borrow<Value>>(
        &self,
        parent: &str,
        sim: &Simulator,
        query: Option<&str>,
        read: impl FnOnce(&ClusterState, &ListParams) -> Result<Rows<R>, SimError>,
    ) -> Result<Response, SimError> {
        self.list_at(&self.path.replace("{uuid}", parent), sim, query, read)
    }

    fn list_at<R: Borrow<Value>>(
        &self,
        base: &str,
        sim: &Simulator,
        query: Option<&str>,
        read: impl FnOnce(&ClusterState, &ListParams) -> Result<Rows<R>, SimError>,
    ) -> Result<Response, SimError> {
        let params = self.params(query)?;
        let rows = sim.read(|s| read(s, &params))?;
        let (records, total) = match rows.paged_of {
            Some(total) => (rows.records, total),
            None => select(rows.records, &params),
        };
        if self.hidden_unless_named.is_empty() {
            return Ok(page(base, records, total, &params, &self.list));
        }
        let mut body = page_body(base, records, total, &params, &self.list);
        let records = body.get_mut("records").and_then(Value::as_array_mut);
        for record in records.into_iter().flatten() {
            params.hide_unless_named(record, self.hidden_unless_named);
        }
        Ok(Json(body).into_response())
    }

    /// `GET {path}/{key}`: `read` finds the record (or answers why not) under one lock.
    pub fn get(
        &self,
        sim: &Simulator,
        query: Option<&str>,
        read: impl FnOnce(&ClusterState) -> Result<Value, SimError>,
    ) -> Result<Response, SimError> {
        let params = self.params(query)?;
        let record = sim.read(read)?;
        Ok(Json(self.shown(&record, &params)).into_response())
    }

    /// One record as a GET of it with `params` returns it.
    pub fn shown(&self, record: &Value, params: &ListParams) -> Value {
        let mut shown = params.project(record, &self.one);
        params.hide_unless_named(&mut shown, self.hidden_unless_named);
        shown
    }
}

/// A singleton endpoint (`GET {path}`: the cluster, `/api/security`, IPsec): every field is
/// cheap, known and returned without `fields`.
#[derive(Debug, Clone, Copy)]
pub struct Resource {
    pub path: &'static str,
    pub fields: &'static [&'static str],
}

impl Resource {
    /// `GET {path}`: `read` builds the record under one lock; it is projected on `fields`.
    pub fn get(
        &self,
        sim: &Simulator,
        query: Option<&str>,
        read: impl FnOnce(&ClusterState) -> Value,
    ) -> Result<Response, SimError> {
        let params = ListParams::parse(query, self.fields)?;
        let record = sim.read(read);
        let spec = FieldSpec {
            default: self.fields,
            expensive: &[],
        };
        Ok(Json(params.project(&record, &spec)).into_response())
    }
}
