//! Collection query parameters: `fields`, `max_records`, `order_by`, `return_records`,
//! `return_timeout` and field filters written in ONTAP's query syntax (see [`crate::filter`]).

/// Sort direction for `order_by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Asc,
    Desc,
}

/// The query of a GET (or the options of a POST/PATCH/DELETE).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// Fields to return; empty means the endpoint's defaults. `*` and `**` are accepted.
    pub fields: Vec<String>,
    pub max_records: Option<u32>,
    pub order_by: Vec<(String, Order)>,
    pub return_records: Option<bool>,
    /// Seconds to wait for an asynchronous job before answering 202 (0 to 120).
    pub return_timeout: Option<u32>,
    /// Field filters, `(field, expression)`, e.g. `("type", "server|client")`.
    pub filters: Vec<(String, String)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Query::default()
    }

    /// Asks for these fields.
    pub fn fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.fields.extend(fields.into_iter().map(Into::into));
        self
    }

    /// Limits the page size.
    pub fn max_records(mut self, n: u32) -> Self {
        self.max_records = Some(n);
        self
    }

    /// Sorts by a field.
    pub fn order_by(mut self, field: impl Into<String>, order: Order) -> Self {
        self.order_by.push((field.into(), order));
        self
    }

    /// Whether POST should return the created records.
    pub fn return_records(mut self, yes: bool) -> Self {
        self.return_records = Some(yes);
        self
    }

    /// Seconds to wait for a job before answering 202.
    pub fn return_timeout(mut self, seconds: u32) -> Self {
        self.return_timeout = Some(seconds);
        self
    }

    /// Filters a field with an ONTAP query expression (`value`, `a|b`, `!x`, `*part*`, `<5`, ...).
    pub fn filter(mut self, field: impl Into<String>, expression: impl Into<String>) -> Self {
        self.filters.push((field.into(), expression.into()));
        self
    }

    /// The decoded `(name, value)` pairs of this query, in a stable order.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if !self.fields.is_empty() {
            pairs.push(("fields".to_owned(), self.fields.join(",")));
        }
        if let Some(n) = self.max_records {
            pairs.push(("max_records".to_owned(), n.to_string()));
        }
        if !self.order_by.is_empty() {
            let order = self
                .order_by
                .iter()
                .map(|(field, order)| match order {
                    Order::Asc => format!("{field} asc"),
                    Order::Desc => format!("{field} desc"),
                })
                .collect::<Vec<_>>()
                .join(",");
            pairs.push(("order_by".to_owned(), order));
        }
        if let Some(yes) = self.return_records {
            pairs.push(("return_records".to_owned(), yes.to_string()));
        }
        if let Some(seconds) = self.return_timeout {
            pairs.push(("return_timeout".to_owned(), seconds.to_string()));
        }
        pairs.extend(self.filters.iter().cloned());
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_in_a_stable_order() {
        let q = Query::new()
            .fields(["name", "uuid"])
            .max_records(50)
            .order_by("expiry_time", Order::Desc)
            .order_by("name", Order::Asc)
            .filter("type", "server|client");
        assert_eq!(
            q.to_pairs(),
            vec![
                ("fields".to_owned(), "name,uuid".to_owned()),
                ("max_records".to_owned(), "50".to_owned()),
                (
                    "order_by".to_owned(),
                    "expiry_time desc,name asc".to_owned()
                ),
                ("type".to_owned(), "server|client".to_owned()),
            ]
        );
    }
}
