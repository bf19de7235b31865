//! Typed models: a resource reads its configuration, plan or state into a
//! struct once and writes its state from one, after the plugin framework's
//! models (terraform-provider-random's `models.go`). A model's field names
//! are its attribute names, so no attribute name is ever spelt twice; the
//! schema stays the one source of names and types, and [`check_models`]
//! holds every model to it (each resource's unit tests call it, and debug
//! builds check every state a resource returns, see
//! [`Block::check_value`](super::Block::check_value)).
//!
//! ```ignore
//! model! {
//!     /// What `clusteriam_thing`'s state holds.
//!     pub struct Thing {
//!         pub name: Attr<String>,
//!         pub tags: Attr<BTreeMap<String, String>>,
//!     }
//! }
//! let thing = Thing::read(&planned);
//! resp.state = thing.to_value();
//! ```

use std::collections::{BTreeMap, BTreeSet};

use super::schema::{Block, Nesting};
use super::value::{Type, Value};

/// One attribute as Terraform holds it: not set, not known until apply, or known.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Attr<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
}

impl<T> Attr<T> {
    /// The value, when it is set and known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Attr::Known(v) => Some(v),
            _ => None,
        }
    }
    pub fn into_known(self) -> Option<T> {
        match self {
            Attr::Known(v) => Some(v),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Attr::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, Attr::Unknown)
    }
    /// Null for None.
    pub fn from_option(value: Option<T>) -> Self {
        value.map_or(Attr::Null, Attr::Known)
    }
    /// `f` of the known value; unknown and null stay as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Attr<U> {
        match self {
            Attr::Null => Attr::Null,
            Attr::Unknown => Attr::Unknown,
            Attr::Known(v) => Attr::Known(f(v)),
        }
    }
    /// This value when set (known or not), else `other`.
    pub fn or(self, other: Attr<T>) -> Attr<T> {
        match self {
            Attr::Null => other,
            set => set,
        }
    }
}

impl Attr<String> {
    pub fn as_deref(&self) -> Option<&str> {
        self.known().map(String::as_str)
    }
}

impl<T> From<T> for Attr<T> {
    fn from(value: T) -> Self {
        Attr::Known(value)
    }
}

impl From<&str> for Attr<String> {
    fn from(value: &str) -> Self {
        Attr::Known(value.to_string())
    }
}

/// A Rust type that holds a known Terraform value of one [`Type`].
pub trait Known: Sized {
    fn value_type() -> Type;
    /// None when `value` is not of this type (or not wholly known).
    fn decode(value: &Value) -> Option<Self>;
    fn encode(&self) -> Value;
}

/// The scalar types, a row each: the Rust type, its Terraform type, how it
/// is read from a value and how it is written as one.
macro_rules! known_scalars {
    ($($rust:ty => $terraform:expr, $decode:expr, $encode:expr;)+) => {$(
        impl Known for $rust {
            fn value_type() -> Type {
                $terraform
            }
            fn decode(value: &Value) -> Option<Self> {
                ($decode)(value)
            }
            fn encode(&self) -> Value {
                ($encode)(self)
            }
        }
    )+};
}

known_scalars! {
    String => Type::String, |v: &Value| v.as_str().map(str::to_string), |s: &String| Value::string(s);
    bool => Type::Bool, Value::as_bool, |b: &bool| Value::Bool(*b);
    i64 => Type::Number, Value::as_i64, |n: &i64| Value::int(*n);
}

/// A list.
impl<T: Known> Known for Vec<T> {
    fn value_type() -> Type {
        Type::list(T::value_type())
    }
    fn decode(value: &Value) -> Option<Self> {
        value.as_list()?.iter().map(T::decode).collect()
    }
    fn encode(&self) -> Value {
        Value::List(self.iter().map(T::encode).collect())
    }
}

/// A set.
impl<T: Known + Ord> Known for BTreeSet<T> {
    fn value_type() -> Type {
        Type::set(T::value_type())
    }
    fn decode(value: &Value) -> Option<Self> {
        value.as_list()?.iter().map(T::decode).collect()
    }
    fn encode(&self) -> Value {
        Value::List(self.iter().map(T::encode).collect())
    }
}

/// A map.
impl<T: Known> Known for BTreeMap<String, T> {
    fn value_type() -> Type {
        Type::map(T::value_type())
    }
    fn decode(value: &Value) -> Option<Self> {
        value
            .as_map()?
            .iter()
            .map(|(k, v)| Some((k.clone(), T::decode(v)?)))
            .collect()
    }
    fn encode(&self) -> Value {
        Value::Map(self.iter().map(|(k, v)| (k.clone(), v.encode())).collect())
    }
}

/// An element that may itself be unknown (a set of ARNs of which some are
/// known only at apply): decoding never fails on it.
impl<T: Known> Known for Attr<T> {
    fn value_type() -> Type {
        T::value_type()
    }
    fn decode(value: &Value) -> Option<Self> {
        Some(match value {
            Value::Null => Attr::Null,
            Value::Unknown => Attr::Unknown,
            value => match T::decode(value) {
                Some(v) => Attr::Known(v),
                // Known in part: unknown as a whole.
                None if !value.is_wholly_known() => Attr::Unknown,
                // Of the schema's type, but not of the model's Rust type (a
                // fraction for an `i64`): the resource's validation reports
                // it, so the model sees nothing.
                None if fits(value, &T::value_type()).is_ok() => Attr::Null,
                None => {
                    debug_assert!(
                        false,
                        "a {value:?} is not a {:?}: the model and the schema disagree",
                        T::value_type()
                    );
                    Attr::Null
                }
            },
        })
    }
    fn encode(&self) -> Value {
        match self {
            Attr::Null => Value::Null,
            Attr::Unknown => Value::Unknown,
            Attr::Known(v) => v.encode(),
        }
    }
}

/// A struct read from and written to an object value, field by attribute.
/// Made by [`model!`](crate::model).
pub trait Model: Sized {
    /// Each field's attribute name and type, in declaration order.
    fn fields() -> Vec<(&'static str, Type)>;
    /// The model's attributes of `object` (others are left to other models).
    fn read(object: &Value) -> Self;
    /// Sets the model's attributes of `object`, leaving the others.
    fn write(&self, object: &mut Value);
    /// An object holding just this model's attributes.
    fn to_value(&self) -> Value {
        let mut object = Value::Map(BTreeMap::new());
        self.write(&mut object);
        object
    }
}

/// Declares a [`Model`]: a struct whose fields are `Attr<..>`s named like
/// the attributes they hold, with an associated constant of each field's
/// name (`Thing::name == "name"`) for the attribute paths of diagnostics.
#[macro_export]
macro_rules! model {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$field_meta:meta])* $field_vis:vis $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        $vis struct $name {
            $( $(#[$field_meta])* $field_vis $field: $ty ),*
        }

        /// Each attribute's name, for diagnostics' paths: `Model::name`.
        #[allow(non_upper_case_globals, dead_code)]
        impl $name {
            $( pub const $field: &'static str = stringify!($field); )*
        }

        impl $crate::tfplugin::model::Model for $name {
            fn fields() -> Vec<(&'static str, $crate::tfplugin::Type)> {
                vec![$( (
                    stringify!($field),
                    <$ty as $crate::tfplugin::model::Known>::value_type(),
                ) ),*]
            }
            fn read(object: &$crate::tfplugin::Value) -> Self {
                Self { $(
                    $field: <$ty as $crate::tfplugin::model::Known>::decode(
                        object.get(stringify!($field)),
                    )
                    .unwrap_or_default(),
                )* }
            }
            fn write(&self, object: &mut $crate::tfplugin::Value) {
                $( object.set(
                    stringify!($field),
                    $crate::tfplugin::model::Known::encode(&self.$field),
                ); )*
            }
        }

        /// As a nested block's value: an object of the model's attributes.
        impl $crate::tfplugin::model::Known for $name {
            fn value_type() -> $crate::tfplugin::Type {
                $crate::tfplugin::Type::Object(
                    <$name as $crate::tfplugin::model::Model>::fields()
                        .into_iter()
                        .map(|(name, ty)| (name.to_string(), ty))
                        .collect(),
                )
            }
            fn decode(value: &$crate::tfplugin::Value) -> Option<Self> {
                value
                    .as_map()
                    .map(|_| <$name as $crate::tfplugin::model::Model>::read(value))
            }
            fn encode(&self) -> $crate::tfplugin::Value {
                $crate::tfplugin::model::Model::to_value(self)
            }
        }
    };
}

/// Checks that `models` (each a model's [`Model::fields`]) together hold
/// every attribute and nested block of `block` exactly once, each with the
/// schema's type. Every resource's unit tests call it, so a misspelt or
/// mistyped field fails there, not in an acceptance test.
pub fn check_models(block: &Block, models: &[Vec<(&'static str, Type)>]) -> Result<(), String> {
    let schema = schema_types(block);
    let mut seen = BTreeSet::new();
    for (name, ty) in models.iter().flatten() {
        let Some(expected) = schema.get(*name) else {
            return Err(format!("the schema has no attribute `{name}`"));
        };
        if expected != ty {
            return Err(format!(
                "`{name}` is a {expected:?} in the schema, a {ty:?} in the model"
            ));
        }
        if !seen.insert(*name) {
            return Err(format!("`{name}` is in more than one model"));
        }
    }
    let missing: Vec<_> = schema
        .keys()
        .filter(|n| !seen.contains(n.as_str()))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("no model holds {missing:?}"))
    }
}

/// Each attribute's and nested block's type.
fn schema_types(block: &Block) -> BTreeMap<String, Type> {
    match block.value_type() {
        Type::Object(types) => types,
        _ => unreachable!("a block's value is an object"),
    }
}

impl Block {
    /// Why `value` is not an object of this block (an attribute it lacks or
    /// that the schema doesn't have, a value of another type); null and
    /// unknown values fit every type. The server checks every state and plan
    /// a resource returns with it in debug builds.
    pub fn check_value(&self, value: &Value) -> Result<(), String> {
        if value.is_null() {
            return Ok(());
        }
        let types = schema_types(self);
        let Some(object) = value.as_map() else {
            return Err(format!("expected an object, got {value:?}"));
        };
        if let Some(extra) = object.keys().find(|k| !types.contains_key(*k)) {
            return Err(format!("the schema has no attribute `{extra}`"));
        }
        for (name, ty) in &types {
            let Some(v) = object.get(name) else {
                return Err(format!("`{name}` is missing"));
            };
            fits(v, ty).map_err(|e| format!("`{name}`: {e}"))?;
        }
        Ok(())
    }

    /// Keeps `prior`'s value of each attribute with a semantic equality
    /// where `new`'s means the same (see [`Attribute::semantic_equality`]),
    /// so a rewrite that changes nothing never shows as a change.
    ///
    /// [`Attribute::semantic_equality`]: super::Attribute::semantic_equality
    pub fn keep_equal_values(&self, prior: &Value, new: &mut Value) {
        for attr in &self.attributes {
            let Some(same) = attr.semantic_equality else {
                continue;
            };
            let (old, now) = (prior.get(attr.name), new.get(attr.name));
            let both_set = |v: &Value| !v.is_null() && v.is_wholly_known();
            if both_set(old) && both_set(now) && old != now && same(old, now) {
                new.set(attr.name, old.clone());
            }
        }
        for nested in &self.blocks {
            if let (Nesting::Single, Value::Map(_)) = (nested.nesting, prior.get(nested.name)) {
                let mut inner = new.get(nested.name).clone();
                nested
                    .block
                    .keep_equal_values(prior.get(nested.name), &mut inner);
                new.set(nested.name, inner);
            }
        }
    }
}

fn fits(value: &Value, ty: &Type) -> Result<(), String> {
    let ok = match (value, ty) {
        (Value::Null | Value::Unknown, _) => true,
        (Value::Bool(_), Type::Bool)
        | (Value::Number(_), Type::Number)
        | (Value::String(_), Type::String) => true,
        (Value::List(items), Type::List(e) | Type::Set(e)) => {
            return items.iter().try_for_each(|item| fits(item, e));
        }
        (Value::Map(items), Type::Map(e)) => {
            return items.values().try_for_each(|item| fits(item, e));
        }
        (Value::Map(items), Type::Object(types)) => {
            if let Some(extra) = items.keys().find(|k| !types.contains_key(*k)) {
                return Err(format!("no attribute `{extra}`"));
            }
            return types
                .iter()
                .try_for_each(|(name, t)| fits(items.get(name).unwrap_or(&Value::Null), t));
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{value:?} is not a {ty:?}"))
    }
}

#[cfg(test)]
mod tests;
