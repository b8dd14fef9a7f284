//! The XML bodies the webservice takes for a change (it reads no JSON): one object, its
//! fields as CDATA text.

use serde_json::Value;

/// `<prestashop><{name}><field><![CDATA[value]]></field>…</{name}></prestashop>`; a JSON
/// object's text and number fields, in its order (lists and objects left out).
pub fn object(name: &str, fields: &[(&str, String)]) -> String {
    let mut out = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop><{name}>");
    for (field, value) in fields {
        out.push_str(&format!("<{field}>{}</{field}>", cdata(value)));
    }
    out.push_str(&format!("</{name}></prestashop>"));
    out
}

/// The fields of a fetched object as text, with `changes` made.
pub fn fields_of<'a>(node: &'a Value, changes: &[(&'a str, String)]) -> Vec<(&'a str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    if let Value::Object(map) = node {
        for (k, v) in map {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => if *b { "1" } else { "0" }.to_string(),
                _ => continue,
            };
            if fine_name(k) {
                out.push((k.as_str(), text));
            }
        }
    }
    // The id first, as the webservice writes an object.
    out.sort_by_key(|(k, _)| *k != "id");
    for (k, v) in changes {
        match out.iter_mut().find(|(f, _)| f == k) {
            Some(slot) => slot.1 = v.clone(),
            None => out.push((k, v.clone())),
        }
    }
    out
}

/// A field name that is safe as an element name.
fn fine_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Text as CDATA (a `]]>` inside split across two sections).
fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_object_as_the_webservice_takes_it() {
        let node = json!({"id": 2, "id_order": "2", "tracking_number": "ABCD", "x": {"y": 1}});
        let fields = fields_of(&node, &[("tracking_number", "xyz]]>".into())]);
        let body = object("order_carrier", &fields);
        assert!(body.contains("<id><![CDATA[2]]></id>"), "{body}");
        assert!(
            body.contains("<tracking_number><![CDATA[xyz]]]]><![CDATA[>]]></tracking_number>"),
            "{body}"
        );
        assert!(!body.contains("<x>"), "{body}");
    }
}
