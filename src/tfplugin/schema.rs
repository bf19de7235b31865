//! Schemas: what attributes and blocks a provider, resource or data source
//! has, described well enough for Terraform to validate and for docs/ to be
//! generated from.

use std::collections::BTreeMap;

use super::diagnostics::Diagnostics;
use super::value::{Type, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Required,
    Optional,
    /// Set by the provider only.
    Computed,
    /// Set by the user, or by the provider when the user leaves it out.
    OptionalComputed,
}

#[derive(Clone, Debug)]
pub struct Attribute {
    pub name: &'static str,
    pub ty: Type,
    pub description: String,
    pub mode: Mode,
    pub sensitive: bool,
    /// A change to this attribute replaces the resource.
    pub requires_replace: bool,
    /// A computed value that only changes when the provider says so: planned
    /// as its prior value rather than unknown when something else changes.
    pub stable: bool,
    /// Planned when the configuration leaves an optional+computed attribute out.
    pub default: Option<Value>,
    /// When two values mean the same although they differ (two spellings of
    /// one IAM policy): the server then keeps the prior one, see
    /// [`Block::keep_equal_values`].
    pub semantic_equality: Option<fn(&Value, &Value) -> bool>,
}

impl Attribute {
    fn new(name: &'static str, ty: Type, mode: Mode, description: &str) -> Self {
        Attribute {
            name,
            ty,
            description: description.to_string(),
            mode,
            sensitive: false,
            requires_replace: false,
            stable: false,
            default: None,
            semantic_equality: None,
        }
    }
    pub fn required(name: &'static str, ty: Type, description: &str) -> Self {
        Self::new(name, ty, Mode::Required, description)
    }
    pub fn optional(name: &'static str, ty: Type, description: &str) -> Self {
        Self::new(name, ty, Mode::Optional, description)
    }
    pub fn computed(name: &'static str, ty: Type, description: &str) -> Self {
        Self::new(name, ty, Mode::Computed, description)
    }
    pub fn optional_computed(name: &'static str, ty: Type, description: &str) -> Self {
        Self::new(name, ty, Mode::OptionalComputed, description)
    }
    /// A required string.
    pub fn required_string(name: &'static str, description: &str) -> Self {
        Self::required(name, Type::String, description)
    }
    /// An optional string.
    pub fn optional_string(name: &'static str, description: &str) -> Self {
        Self::optional(name, Type::String, description)
    }
    /// A string only the provider sets.
    pub fn computed_string(name: &'static str, description: &str) -> Self {
        Self::computed(name, Type::String, description)
    }
    /// A string the provider sets when the configuration leaves it out.
    pub fn optional_computed_string(name: &'static str, description: &str) -> Self {
        Self::optional_computed(name, Type::String, description)
    }
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    pub fn requires_replace(mut self) -> Self {
        self.requires_replace = true;
        self
    }
    pub fn stable(mut self) -> Self {
        self.stable = true;
        self
    }
    /// A default for an optional+computed attribute.
    pub fn default(mut self, value: Value) -> Self {
        debug_assert_eq!(
            self.mode,
            Mode::OptionalComputed,
            "{}: defaults need optional+computed",
            self.name
        );
        self.default = Some(value);
        self
    }
    /// Values that `same` says mean the same are one value: a plan, read or
    /// apply that would only rewrite it keeps the prior one.
    pub fn semantic_equality(mut self, same: fn(&Value, &Value) -> bool) -> Self {
        self.semantic_equality = Some(same);
        self
    }
    pub fn is_computed(&self) -> bool {
        matches!(self.mode, Mode::Computed | Mode::OptionalComputed)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// At most one block, e.g. `assume_role { ... }`.
    Single,
    List,
}

#[derive(Clone, Debug)]
pub struct NestedBlock {
    pub name: &'static str,
    pub nesting: Nesting,
    pub block: Block,
}

#[derive(Clone, Debug, Default)]
pub struct Block {
    pub description: String,
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
}

impl Block {
    pub fn new(description: &str) -> Self {
        Block {
            description: description.to_string(),
            ..Default::default()
        }
    }
    pub fn attribute(mut self, attribute: Attribute) -> Self {
        self.attributes.push(attribute);
        self
    }
    pub fn attributes(mut self, attributes: impl IntoIterator<Item = Attribute>) -> Self {
        self.attributes.extend(attributes);
        self
    }
    pub fn block(mut self, name: &'static str, nesting: Nesting, block: Block) -> Self {
        self.blocks.push(NestedBlock {
            name,
            nesting,
            block,
        });
        self
    }
    /// This block as the schema of a resource or data source at `version`.
    pub fn into_schema(self, version: i64) -> Schema {
        Schema::new(version, self)
    }
    pub fn get(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// Reports each attribute only the provider sets (computed, not
    /// optional) that `config` gives a value: Terraform itself accepts them.
    pub fn check_read_only(&self, config: &Value, diags: &mut Diagnostics) {
        for attribute in &self.attributes {
            if attribute.mode == Mode::Computed && !config.get(attribute.name).is_null() {
                let name = attribute.name;
                diags.attribute_error(
                    name,
                    format!("Can't configure a value for `{name}`"),
                    format!(
                        "`{name}` is set by the provider and cannot be configured; remove it. \
                         Read it as an attribute of the resource instead."
                    ),
                );
            }
        }
    }

    /// An object with every attribute null: the start of a state that is
    /// filled in from what the real world holds (e.g. at import).
    pub fn null_object(&self) -> Value {
        Value::Map(
            self.attributes
                .iter()
                .map(|a| (a.name.to_string(), Value::Null))
                .collect(),
        )
    }

    /// The cty object type of values conforming to this block.
    pub fn value_type(&self) -> Type {
        let mut attrs: BTreeMap<String, Type> = self
            .attributes
            .iter()
            .map(|a| (a.name.to_string(), a.ty.clone()))
            .collect();
        for nested in &self.blocks {
            let ty = nested.block.value_type();
            let ty = match nested.nesting {
                Nesting::Single => ty,
                Nesting::List => Type::list(ty),
            };
            attrs.insert(nested.name.to_string(), ty);
        }
        Type::Object(attrs)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Schema {
    /// Bumped whenever stored state changes shape; see `Resource::upgrade_state`.
    pub version: i64,
    pub block: Block,
}

impl Schema {
    pub fn new(version: i64, block: Block) -> Self {
        Schema { version, block }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_read_only_attributes_are_reported_on_their_path() {
        let block = Block::new("A thing.")
            .attribute(Attribute::required("name", Type::String, "The name."))
            .attribute(Attribute::optional_computed(
                "path",
                Type::String,
                "The path.",
            ))
            .attribute(Attribute::computed("arn", Type::String, "The ARN."));
        let config = |arn: Value| {
            Value::Map(BTreeMap::from([
                ("name".to_string(), Value::string("n")),
                ("path".to_string(), Value::string("/")),
                ("arn".to_string(), arn),
            ]))
        };
        let mut diags = Diagnostics::default();
        block.check_read_only(&config(Value::Null), &mut diags);
        assert!(diags.0.is_empty(), "{diags:?}");
        for arn in [
            Value::string("arn:aws:iam::123456789012:role/x"),
            Value::Unknown,
        ] {
            let mut diags = Diagnostics::default();
            block.check_read_only(&config(arn), &mut diags);
            assert_eq!(diags.0.len(), 1);
            assert_eq!(diags.0[0].path, Some("arn".into()));
            assert!(
                diags.0[0]
                    .summary
                    .contains("Can't configure a value for `arn`")
            );
        }
    }
}
