//! Provider-defined functions (plugin protocol 6.5, Terraform 1.8 and
//! OpenTofu 1.7 on): `provider::<name>::<function>(...)`. Functions are pure:
//! they get their arguments and nothing else, no configured client, so they
//! work with the provider unconfigured and under `mock_provider`.

use super::value::{Type, Value};

/// One parameter of a function.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: &'static str,
    pub ty: Type,
    /// A full sentence or more, for the documentation.
    pub description: String,
    /// Whether null may be passed. Unknown values never reach a function:
    /// Terraform answers unknown for it.
    pub allow_null: bool,
}

impl Parameter {
    /// A parameter that must not be null.
    pub fn new(name: &'static str, ty: Type, description: impl Into<String>) -> Self {
        Parameter {
            name,
            ty,
            description: description.into(),
            allow_null: false,
        }
    }

    /// A string parameter that must not be null.
    pub fn string(name: &'static str, description: impl Into<String>) -> Self {
        Parameter::new(name, Type::String, description)
    }

    pub fn allow_null(mut self) -> Self {
        self.allow_null = true;
        self
    }
}

/// What a function takes and returns, and its documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// One short sentence.
    pub summary: String,
    pub description: String,
    pub parameters: Vec<Parameter>,
    pub returns: Type,
}

/// A call: the arguments, decoded against the parameters' types, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRequest {
    pub arguments: Vec<Value>,
}

impl CallRequest {
    /// The string argument at `index`, when it is one.
    pub fn string(&self, index: usize) -> Option<&str> {
        self.arguments.get(index).and_then(Value::as_str)
    }
}

/// Why a call failed: Terraform shows `text` and, when `argument` is set,
/// names that parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionError {
    pub text: String,
    /// The index of the argument at fault.
    pub argument: Option<usize>,
}

impl FunctionError {
    /// An error about the argument at `index`.
    pub fn argument(index: usize, text: impl Into<String>) -> Self {
        FunctionError {
            text: text.into(),
            argument: Some(index),
        }
    }
}

/// The answer to a call.
pub type CallResponse = Result<Value, FunctionError>;

/// A provider-defined function.
pub trait Function: Send + Sync {
    fn name(&self) -> &'static str;
    fn definition(&self) -> Definition;
    fn call(&self, request: CallRequest) -> CallResponse;
}
