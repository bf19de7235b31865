//! The server's generic paths, driven through the tonic service.

use std::sync::Arc;

use async_trait::async_trait;
use tonic::Request;

use super::conversion::encode;
use super::{ProviderService, Server};
use crate::tfplugin::proto::tfplugin6 as pb;
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::{self, Type, Value};
use crate::tfplugin::{
    CreateRequest, CreateResponse, DataSource, DeleteRequest, DeleteResponse, Diagnostics,
    ImportRequest, ImportResponse, Provider, ReadRequest, ReadResponse, Resource, UpdateRequest,
    UpdateResponse,
};

/// A resource whose schema version 1 renamed `title` to `name`, and whose
/// read panics, to exercise the server's generic paths.
struct Widget;

#[async_trait]
impl Resource<()> for Widget {
    fn type_name(&self) -> &'static str {
        "test_widget"
    }
    fn schema(&self) -> Schema {
        Schema::new(
            1,
            Block::new("A widget.")
                .attribute(Attribute::required("name", Type::String, "Name."))
                .attribute(Attribute::computed("id", Type::String, "Id.").stable()),
        )
    }
    async fn create(&self, req: CreateRequest<'_, ()>, resp: &mut CreateResponse) {
        resp.state = req.planned.clone();
    }
    async fn read(&self, _: ReadRequest<'_, ()>, _: &mut ReadResponse) {
        panic!("widget exploded")
    }
    async fn update(&self, req: UpdateRequest<'_, ()>, resp: &mut UpdateResponse) {
        resp.state = req.planned.clone();
    }
    async fn delete(&self, _: DeleteRequest<'_, ()>, _: &mut DeleteResponse) {}
    async fn import(&self, _: ImportRequest<'_, ()>, _: &mut ImportResponse) {}
    fn upgrade_state(
        &self,
        version: i64,
        mut state: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        if version == 0 {
            let obj = state.as_object_mut().ok_or("state is not an object")?;
            let title = obj.remove("title").ok_or("no `title` in version 0 state")?;
            obj.insert("name".into(), title);
        }
        Ok(state)
    }
}

struct TestProvider;

#[async_trait]
impl Provider for TestProvider {
    type Client = ();
    fn binary_name(&self) -> &'static str {
        "terraform-provider-test"
    }
    fn schema(&self) -> Schema {
        Schema::default()
    }
    async fn configure(&self, _: &Value, _: &mut Diagnostics) -> Option<()> {
        Some(())
    }
    fn resources(&self) -> Vec<Box<dyn Resource<()>>> {
        vec![Box::new(Widget)]
    }
    fn data_sources(&self) -> Vec<Box<dyn DataSource<()>>> {
        vec![]
    }
}

fn service() -> ProviderService<TestProvider> {
    ProviderService(Arc::new(Server::new(TestProvider)))
}

/// A service whose provider Terraform has configured, as it always does
/// before any resource operation.
async fn configured_service() -> ProviderService<TestProvider> {
    use pb::provider_server::Provider as _;
    let service = service();
    let resp = service
        .configure_provider(Request::new(pb::configure_provider::Request {
            config: encode(&Value::Map(Default::default())),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    service
}

/// Reads the widget `w` (whose read panics).
async fn read_widget(
    service: &ProviderService<TestProvider>,
) -> Result<tonic::Response<pb::read_resource::Response>, tonic::Status> {
    use pb::provider_server::Provider as _;
    let state = encode(&Value::Map(
        [
            ("name".to_string(), Value::string("w")),
            ("id".to_string(), Value::string("w")),
        ]
        .into(),
    ));
    let request = pb::read_resource::Request {
        type_name: "test_widget".into(),
        current_state: state,
        ..Default::default()
    };
    service.read_resource(Request::new(request)).await
}

/// Upgrades a widget's JSON state stored at schema `version`.
async fn upgrade_widget(version: i64, json: &[u8]) -> pb::upgrade_resource_state::Response {
    use pb::provider_server::Provider as _;
    let raw_state = pb::RawState {
        json: json.to_vec(),
        flatmap: Default::default(),
    };
    let request = pb::upgrade_resource_state::Request {
        type_name: "test_widget".into(),
        version,
        raw_state: Some(raw_state),
    };
    let service = service();
    let resp = service.upgrade_resource_state(Request::new(request));
    resp.await.unwrap().into_inner()
}

#[tokio::test]
async fn resource_operations_need_a_configured_provider() {
    let resp = read_widget(&service())
        .await
        .expect("an answer")
        .into_inner();
    // The widget's read (which panics) is never reached.
    assert_eq!(resp.diagnostics.len(), 1);
    assert_eq!(resp.diagnostics[0].summary, "Provider not configured");
}

#[tokio::test]
async fn upgrade_runs_the_resources_hook_from_older_versions() {
    let resp = upgrade_widget(0, br#"{"title":"w1","id":"w1"}"#).await;
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    let ty = Widget.schema().block.value_type();
    let state = value::from_msgpack(&resp.upgraded_state.unwrap().msgpack, &ty).unwrap();
    assert_eq!(state.get_str("name"), Some("w1"));
}

#[tokio::test]
async fn state_from_a_newer_provider_is_refused() {
    let resp = upgrade_widget(7, br#"{"name":"w1","id":"w1"}"#).await;
    assert_eq!(
        resp.diagnostics[0].summary,
        "State written by a newer provider"
    );
    let detail = &resp.diagnostics[0].detail;
    assert!(
        detail.ends_with("Upgrade terraform-provider-test."),
        "{detail}"
    );
}

#[tokio::test]
async fn a_panicking_handler_becomes_an_error_diagnostic_and_the_server_lives_on() {
    use pb::provider_server::Provider as _;
    let service = configured_service().await;
    let resp = read_widget(&service)
        .await
        .expect("an answer, not a transport error")
        .into_inner();
    assert_eq!(resp.diagnostics.len(), 1);
    assert_eq!(
        resp.diagnostics[0].severity,
        pb::diagnostic::Severity::Error as i32
    );
    assert!(resp.diagnostics[0].detail.contains("widget exploded"));
    // The provider names its own binary; the protocol layer names none.
    let detail = &resp.diagnostics[0].detail;
    assert!(
        detail.contains("This is a bug in terraform-provider-test;"),
        "{detail}"
    );
    // The next request is served normally.
    let schema = service
        .get_provider_schema(Request::new(pb::get_provider_schema::Request {}))
        .await
        .unwrap()
        .into_inner();
    assert!(schema.resource_schemas.contains_key("test_widget"));
}

#[tokio::test]
async fn unknown_types_and_unsupported_rpcs_answer_with_diagnostics() {
    use pb::provider_server::Provider as _;
    let service = service();
    let resp = service
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: "test_gadget".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(
        resp.diagnostics[0]
            .detail
            .contains("no resource type `test_gadget`")
    );
    let resp = service
        .move_resource_state(Request::new(Default::default()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        resp.diagnostics[0].summary,
        "Moving resource state is not supported"
    );
}

#[tokio::test]
async fn plan_marks_computed_values_unknown_on_create() {
    use pb::provider_server::Provider as _;
    let config = Value::Map(
        [
            ("name".to_string(), Value::string("w")),
            ("id".to_string(), Value::Null),
        ]
        .into(),
    );
    let resp = configured_service()
        .await
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: "test_widget".into(),
            prior_state: encode(&Value::Null),
            proposed_new_state: encode(&config),
            config: encode(&config),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    let ty = Widget.schema().block.value_type();
    let planned = value::from_msgpack(&resp.planned_state.unwrap().msgpack, &ty).unwrap();
    assert_eq!(planned.get("id"), &Value::Unknown);
    assert_eq!(planned.get_str("name"), Some("w"));
}
