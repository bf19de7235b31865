//! The typed builder the presets write their documents with.

use serde_json::{Map, Value};

use super::{JsonObject, POLICY_VERSION, canonical_document};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(&self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// Who a trust policy lets assume the role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// AWS services, e.g. `ec2.amazonaws.com`.
    Service(Vec<String>),
    /// An identity provider ARN (web identity / SAML federation).
    Federated(String),
    /// Accounts, roles or users (ARNs or account ids).
    Aws(Vec<String>),
}

impl Principal {
    pub fn service(service: impl Into<String>) -> Self {
        Principal::Service(vec![service.into()])
    }

    pub fn federated(provider_arn: impl Into<String>) -> Self {
        Principal::Federated(provider_arn.into())
    }

    pub fn aws(arn: impl Into<String>) -> Self {
        Principal::Aws(vec![arn.into()])
    }

    fn to_value(&self) -> Value {
        let (kind, value) = match self {
            Principal::Service(services) => ("Service", strings(services)),
            Principal::Federated(arn) => ("Federated", Value::String(arn.clone())),
            Principal::Aws(arns) => ("AWS", strings(arns)),
        };
        Value::Object(Map::from_iter([(kind.to_string(), value)]))
    }
}

/// One `"<operator>": { "<key>": [values] }` entry of a statement's Condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

/// One policy statement, built fluently:
/// `Statement::allow().sid("X").actions(["s3:GetObject"]).resource("*")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: Option<Principal>,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub conditions: Vec<Condition>,
}

impl Statement {
    pub fn new(effect: Effect) -> Self {
        Statement {
            sid: None,
            effect,
            principal: None,
            actions: Vec::new(),
            resources: Vec::new(),
            conditions: Vec::new(),
        }
    }

    pub fn allow() -> Self {
        Statement::new(Effect::Allow)
    }

    pub fn deny() -> Self {
        Statement::new(Effect::Deny)
    }

    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    pub fn principal(mut self, principal: Principal) -> Self {
        self.principal = Some(principal);
        self
    }

    pub fn action(mut self, action: impl Into<String>) -> Self {
        self.actions.push(action.into());
        self
    }

    pub fn actions<I, S>(mut self, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.actions.extend(actions.into_iter().map(Into::into));
        self
    }

    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resources.push(resource.into());
        self
    }

    pub fn resources<I, S>(mut self, resources: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.resources.extend(resources.into_iter().map(Into::into));
        self
    }

    /// Adds `value` to the values of `operator` / `key` (a second call with
    /// the same operator and key adds an alternative value).
    pub fn condition(
        mut self,
        operator: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        let (operator, key, value) = (operator.into(), key.into(), value.into());
        match self
            .conditions
            .iter_mut()
            .find(|c| c.operator == operator && c.key == key)
        {
            Some(existing) => existing.values.push(value),
            None => self.conditions.push(Condition {
                operator,
                key,
                values: vec![value],
            }),
        }
        self
    }

    fn to_object(&self) -> JsonObject {
        let mut object = Map::new();
        if let Some(sid) = &self.sid {
            object.insert("Sid".into(), Value::String(sid.clone()));
        }
        object.insert("Effect".into(), Value::String(self.effect.as_str().into()));
        if let Some(principal) = &self.principal {
            object.insert("Principal".into(), principal.to_value());
        }
        if !self.actions.is_empty() {
            object.insert("Action".into(), strings(&self.actions));
        }
        if !self.resources.is_empty() {
            object.insert("Resource".into(), strings(&self.resources));
        }
        if !self.conditions.is_empty() {
            let mut operators = Map::new();
            for condition in &self.conditions {
                let keys = operators
                    .entry(condition.operator.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(keys) = keys {
                    keys.insert(condition.key.clone(), strings(&condition.values));
                }
            }
            object.insert("Condition".into(), Value::Object(operators));
        }
        object
    }
}

/// A policy document (Version is always [`POLICY_VERSION`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub statements: Vec<Statement>,
}

impl Document {
    pub fn new(statements: impl IntoIterator<Item = Statement>) -> Self {
        Document {
            statements: statements.into_iter().collect(),
        }
    }

    /// Exactly what [`canonical_json`] gives for this document's JSON.
    pub fn to_canonical_json(&self) -> String {
        let header =
            Map::from_iter([("Version".to_string(), Value::String(POLICY_VERSION.into()))]);
        let statements = self.statements.iter().map(Statement::to_object).collect();
        Value::Object(canonical_document(header, statements)).to_string()
    }
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}
