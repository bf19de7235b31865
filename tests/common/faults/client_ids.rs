//! The emulator answers AddClientIDToOpenIDConnectProvider and
//! RemoveClientIDFromOpenIDConnectProvider with a 500: it does not implement
//! them. With [`super::Faults::emulate_client_ids`] the proxy does what IAM
//! does, with calls the emulator has: it reads the provider, deletes it and
//! creates it again (same URL, so the same ARN) with the client id added or
//! removed and its thumbprints and tags as they were.

use std::net::SocketAddr;

use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::{Request, forward, request_id, response};

/// Whether the proxy emulates `action`.
pub(super) fn emulated(action: &str) -> bool {
    matches!(
        action,
        "AddClientIDToOpenIDConnectProvider" | "RemoveClientIDFromOpenIDConnectProvider"
    )
}

/// IAM's answer to `request` (an [`emulated`] `action`), having made the
/// change in the emulator.
pub(super) async fn emulate(
    upstream: SocketAddr,
    request: &Request,
    action: &str,
) -> std::io::Result<Vec<u8>> {
    let params = form(&request.body);
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (arn, client_id) = (param("OpenIDConnectProviderArn"), param("ClientID"));
    let call = |operation: &str, args: &[(String, String)]| {
        let mut body = format!("Action={operation}&Version=2010-05-08");
        for (k, v) in args {
            body.push_str(&format!(
                "&{k}={}",
                utf8_percent_encode(v, NON_ALPHANUMERIC)
            ));
        }
        let head = request
            .head
            .lines()
            .map(|line| match line.split_once(':') {
                Some((name, _)) if name.trim().eq_ignore_ascii_case("content-length") => {
                    format!("Content-Length: {}", body.len())
                }
                _ => line.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\r\n");
        Request {
            head,
            body: body.into_bytes(),
        }
    };
    let by_arn = [("OpenIDConnectProviderArn".to_string(), arn.clone())];
    let got = forward(upstream, &call("GetOpenIDConnectProvider", &by_arn)).await?;
    let text = String::from_utf8_lossy(&got).into_owned();
    if !text.starts_with("HTTP/1.1 200") {
        // No such provider, say: IAM's answer is the same.
        return Ok(got);
    }
    let mut client_ids = members(section(&text, "ClientIDList"));
    client_ids.retain(|id| *id != client_id);
    if action.starts_with("Add") {
        client_ids.push(client_id);
    }
    let mut args = vec![(
        "Url".to_string(),
        format!("https://{}", field(&text, "Url")),
    )];
    for (n, id) in client_ids.iter().enumerate() {
        args.push((format!("ClientIDList.member.{}", n + 1), id.clone()));
    }
    for (n, thumbprint) in members(section(&text, "ThumbprintList")).iter().enumerate() {
        args.push((
            format!("ThumbprintList.member.{}", n + 1),
            thumbprint.clone(),
        ));
    }
    let tags = section(&text, "Tags");
    for (n, member) in tags.split("<member>").skip(1).enumerate() {
        args.push((format!("Tags.member.{}.Key", n + 1), field(member, "Key")));
        args.push((
            format!("Tags.member.{}.Value", n + 1),
            field(member, "Value"),
        ));
    }
    forward(upstream, &call("DeleteOpenIDConnectProvider", &by_arn)).await?;
    let created = forward(upstream, &call("CreateOpenIDConnectProvider", &args)).await?;
    if !created.starts_with(b"HTTP/1.1 200") {
        return Ok(created);
    }
    Ok(response(
        "200 OK",
        &[("Content-Type", "text/xml")],
        &format!(
            "<{action}Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
             <ResponseMetadata><RequestId>{}</RequestId></ResponseMetadata></{action}Response>",
            request_id()
        ),
    ))
}

/// A form-encoded body's parameters, decoded.
fn form(body: &[u8]) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

/// The text of the first `<name>` element.
fn field(xml: &str, name: &str) -> String {
    section(xml, name).trim().to_string()
}

fn section<'a>(xml: &'a str, name: &str) -> &'a str {
    let open = format!("<{name}>");
    let Some(start) = xml.find(&open).map(|i| i + open.len()) else {
        return "";
    };
    let end = xml[start..]
        .find(&format!("</{name}>"))
        .map_or(xml.len(), |i| start + i);
    &xml[start..end]
}

/// The `<member>` values of a list.
fn members(list: &str) -> Vec<String> {
    list.split("<member>")
        .skip(1)
        .filter_map(|m| m.split_once("</member>"))
        .map(|(value, _)| value.trim().to_string())
        .collect()
}
