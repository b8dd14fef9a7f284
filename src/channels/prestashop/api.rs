//! The webservice requests the connector makes, over the shared HTTP code: the key as the
//! Basic-auth user (no password), JSON out (`output_format=JSON`), XML in (the webservice
//! reads no JSON body), and what PrestaShop's error bodies say.

use crate::channels::ChannelError;
use crate::channels::http::{Answer, Attempt, Auth, HttpClient, Kind, Request, excerpt};
use reqwest::Method;
use serde_json::Value;
use std::time::Duration;

/// The connector's HTTP side: the webservice root and the client holding the key.
#[derive(Debug)]
pub struct Api {
    pub http: HttpClient,
    /// `https://shop.example.com/api`
    pub root: String,
}

/// A change's answer: the shop's JSON, or its refusal in its own words (a 4xx).
pub type Changed = Result<Value, String>;

impl Api {
    pub fn new(base: &str, key: &str) -> Result<Api, ChannelError> {
        if key.trim().is_empty() {
            return Err(ChannelError::Auth(
                "no webservice key is configured".to_string(),
            ));
        }
        let auth = Auth::Basic {
            user: key.trim().to_string(),
            password: String::new(),
        };
        Ok(Api {
            http: HttpClient::new(auth, ps_words)?,
            root: format!("{base}/api"),
        })
    }

    /// A resource under the webservice root (`orders`, `order_carriers/7`).
    pub fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.root)
    }

    /// A read as JSON, or `None` for a 404 (no such object).
    pub async fn get(&self, what: &str, request: Request) -> Result<Option<Value>, ChannelError> {
        let request = request.with_query("output_format", "JSON");
        self.http
            .send(Kind::Query, what, &request, || Duration::ZERO, read_json)
            .await
    }

    /// A change with an XML body (POST, PUT): never sent again once it may have reached
    /// the shop.
    pub async fn change(
        &self,
        what: &str,
        method: Method,
        url: String,
        xml: String,
    ) -> Result<Changed, ChannelError> {
        let request = Request::get(url)
            .with_query("output_format", "JSON")
            .with_text(method, "application/xml", xml);
        let read = |answer: Answer| {
            if answer.status.is_client_error() {
                return Attempt::Done(Err(answer.words()));
            }
            match read_json(answer) {
                Attempt::Done(Some(value)) => Attempt::Done(Ok(value)),
                Attempt::Done(None) => Attempt::Fail(ChannelError::Shape("an empty answer".into())),
                Attempt::Wait(d, e) => Attempt::Wait(d, e),
                Attempt::NotSent(e) => Attempt::NotSent(e),
                Attempt::Retry(e) => Attempt::Retry(e),
                Attempt::Fail(e) => Attempt::Fail(e),
            }
        };
        self.http
            .send(Kind::Mutation, what, &request, || Duration::ZERO, read)
            .await
    }
}

/// A 2xx answer's JSON; a 404 as `None`.
fn read_json(answer: Answer) -> Attempt<Option<Value>> {
    if answer.status == reqwest::StatusCode::NOT_FOUND {
        return Attempt::Done(None);
    }
    if !answer.status.is_success() {
        return Attempt::Fail(answer.refusal());
    }
    match serde_json::from_str::<Value>(&answer.text) {
        Ok(value) => Attempt::Done(Some(value)),
        Err(e) => Attempt::Retry(ChannelError::Shape(format!(
            "the body is not JSON ({e}); it starts with {}",
            excerpt(&answer.text)
        ))),
    }
}

/// The objects of a list answer (`{"orders": [...]}`); PrestaShop answers an empty list as
/// `[]` (or `{}`) without the resource's name.
pub fn list(body: &Value, resource: &str) -> Result<Vec<Value>, ChannelError> {
    match body {
        Value::Object(map) => match map.get(resource) {
            Some(Value::Array(items)) => Ok(items.clone()),
            None if map.is_empty() => Ok(Vec::new()),
            _ => Err(ChannelError::Shape(format!(
                "the {resource} list is not {{\"{resource}\": [...]}}"
            ))),
        },
        Value::Array(items) if items.is_empty() => Ok(Vec::new()),
        _ => Err(ChannelError::Shape(format!(
            "the {resource} list is not a JSON object"
        ))),
    }
}

/// PrestaShop's error body: `{"errors": [{"code": 1, "message": "..."}]}` in JSON, the same
/// in XML (`<errors><error><message><![CDATA[...]]></message>`).
fn ps_words(text: &str) -> Option<String> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        let words: Vec<&str> = v
            .get("errors")?
            .as_array()?
            .iter()
            .filter_map(|e| e.get("message").and_then(Value::as_str))
            .collect();
        return (!words.is_empty()).then(|| words.join("; "));
    }
    let start = text.find("<message>")? + "<message>".len();
    let end = start + text[start..].find("</message>")?;
    let inner = text[start..end].trim();
    let inner = inner
        .strip_prefix("<![CDATA[")
        .and_then(|s| s.strip_suffix("]]>"))
        .unwrap_or(inner);
    Some(inner.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn error_bodies_read_as_one_line() {
        let body =
            r#"{"errors":[{"code":27,"message":"The \"current_state\" field is required"}]}"#;
        assert_eq!(
            ps_words(body).as_deref(),
            Some("The \"current_state\" field is required")
        );
        let xml = "<prestashop><errors><error><code><![CDATA[90]]></code>\
                   <message><![CDATA[Id(s) not exists: 9]]></message></error></errors></prestashop>";
        assert_eq!(ps_words(xml).as_deref(), Some("Id(s) not exists: 9"));
        assert_eq!(ps_words("<html>"), None);
    }

    #[test]
    fn an_empty_list_has_no_name() {
        assert!(list(&json!([]), "orders").expect("empty").is_empty());
        assert_eq!(
            list(&json!({"orders": [{"id": 1}]}), "orders")
                .expect("one")
                .len(),
            1
        );
        assert!(list(&json!({"order": {}}), "orders").is_err());
    }
}
