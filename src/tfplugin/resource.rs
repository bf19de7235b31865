//! What a managed resource type implements: one method per operation, each
//! taking a request and filling a response, after terraform-plugin-framework.
//! The server hands every operation that talks to the outside world the
//! configured client; an unconfigured provider never reaches a resource.

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use super::diagnostics::{AttributePath, Diagnostics};
use super::schema::Schema;
use super::value::Value;

/// A managed resource type over the configured client `C`.
#[async_trait]
pub trait Resource<C: Send + Sync>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Checks a configuration, which may hold unknown values, at
    /// `terraform validate` and again at plan.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Completes a plan with what is known before apply.
    async fn plan(&self, _req: PlanRequest<'_, C>, _resp: &mut PlanResponse) {}
    /// Creates the resource. On failure the response holds what exists (or
    /// null) with an error, so the next apply converges.
    async fn create(&self, req: CreateRequest<'_, C>, resp: &mut CreateResponse);
    /// Refreshes the state from the real world; null when the resource is gone.
    async fn read(&self, req: ReadRequest<'_, C>, resp: &mut ReadResponse);
    /// Brings the real world to the planned state.
    async fn update(&self, req: UpdateRequest<'_, C>, resp: &mut UpdateResponse);
    async fn delete(&self, req: DeleteRequest<'_, C>, resp: &mut DeleteResponse);
    /// The state for `terraform import`; it is then refreshed with `read`.
    async fn import(&self, req: ImportRequest<'_, C>, resp: &mut ImportResponse);
    /// Upgrades stored JSON state from an older schema version.
    fn upgrade_state(
        &self,
        version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        let _ = version;
        Ok(state)
    }
}

/// Terraform's request to plan a change.
pub struct PlanRequest<'a, C> {
    pub client: &'a C,
    /// Null when the resource is being created.
    pub prior: &'a Value,
    pub config: &'a Value,
}

impl<C> PlanRequest<'_, C> {
    pub fn is_create(&self) -> bool {
        self.prior.is_null()
    }
}

/// The plan, after the generic rules (defaults, unknown computed values,
/// requires-replace) have been applied; the resource fills in what it
/// knows before apply.
pub struct PlanResponse {
    pub planned: Value,
    /// Attributes whose change replaces the resource.
    pub requires_replace: Vec<AttributePath>,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct CreateRequest<'a, C> {
    pub client: &'a C,
    pub planned: &'a Value,
    /// Cancelled when Terraform asks the provider to stop.
    pub cancel: &'a CancellationToken,
}

/// What create, read and update fill in: the state, the private data and
/// the diagnostics. The server starts it as what a failure leaves in place.
pub struct StateResponse {
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

impl StateResponse {
    pub fn new(state: Value, private: Vec<u8>) -> StateResponse {
        StateResponse {
            state,
            private,
            diagnostics: Diagnostics::default(),
        }
    }
}

/// Starts null: a create that fails before making anything leaves nothing.
pub type CreateResponse = StateResponse;

pub struct ReadRequest<'a, C> {
    pub client: &'a C,
    pub state: &'a Value,
    pub private: &'a [u8],
}

/// Starts as the stored state and private data: a read that fails keeps them.
pub type ReadResponse = StateResponse;

pub struct UpdateRequest<'a, C> {
    pub client: &'a C,
    pub prior: &'a Value,
    pub planned: &'a Value,
    pub private: &'a [u8],
    pub cancel: &'a CancellationToken,
}

/// Starts as the prior state and the planned private data: an update that
/// fails before changing anything leaves them.
pub type UpdateResponse = StateResponse;

pub struct DeleteRequest<'a, C> {
    pub client: &'a C,
    pub prior: &'a Value,
    pub private: &'a [u8],
}

#[derive(Default)]
pub struct DeleteResponse {
    pub diagnostics: Diagnostics,
}

pub struct ImportRequest<'a, C> {
    pub client: &'a C,
    pub id: &'a str,
}

/// Starts null: nothing is imported unless the resource says what.
pub type ImportResponse = NewState;

/// A data source type over the configured client `C`.
#[async_trait]
pub trait DataSource<C: Send + Sync>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Computes the data source's state from its configuration.
    async fn read(&self, req: DataReadRequest<'_, C>, resp: &mut DataReadResponse);
}

pub struct DataReadRequest<'a, C> {
    pub client: &'a C,
    pub config: &'a Value,
}

/// Starts null.
pub type DataReadResponse = NewState;

/// What import and a data source's read fill in: a state that starts null,
/// and the diagnostics.
#[derive(Default)]
pub struct NewState {
    pub state: Value,
    pub diagnostics: Diagnostics,
}
