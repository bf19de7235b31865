//! Terraform values (cty) and their wire encodings.
//!
//! Terraform sends and receives values as msgpack `DynamicValue`s; stored
//! state reaches `UpgradeResourceState` as JSON. Both encodings leave the type
//! to the schema, so decoding is always done against a [`Type`].

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Number;

/// A cty type, as far as provider schemas use them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    Bool,
    Number,
    String,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
}

impl Type {
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }
    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }
    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    /// The JSON form of the type that schemas carry (`"string"`, `["set","string"]`).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Type::Bool => json!("bool"),
            Type::Number => json!("number"),
            Type::String => json!("string"),
            Type::List(e) => json!(["list", e.to_json()]),
            Type::Set(e) => json!(["set", e.to_json()]),
            Type::Map(e) => json!(["map", e.to_json()]),
            Type::Object(attrs) => {
                let attrs: serde_json::Map<_, _> = attrs
                    .iter()
                    .map(|(k, t)| (k.clone(), t.to_json()))
                    .collect();
                json!(["object", attrs])
            }
        }
    }
}

/// A value of some [`Type`]. Lists and sets are both `List`; maps and
/// objects are both `Map`: the schema says which one is meant.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    /// Not known until apply.
    Unknown,
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }
    /// True when neither this value nor anything inside it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(items) => items.iter().all(Value::is_wholly_known),
            Value::Map(items) => items.values().all(Value::is_wholly_known),
            _ => true,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }
    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(items) => Some(items),
            _ => None,
        }
    }
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }
    /// A string, or null when absent.
    pub fn opt_string(s: Option<impl Into<String>>) -> Value {
        s.map_or(Value::Null, |s| Value::String(s.into()))
    }
    pub fn int(n: i64) -> Value {
        Value::Number(n.into())
    }
    pub fn string_list<I, S>(items: I) -> Value
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Value::List(items.into_iter().map(|s| Value::String(s.into())).collect())
    }
    pub fn string_map<I, K, V>(items: I) -> Value
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Value::Map(
            items
                .into_iter()
                .map(|(k, v)| (k.into(), Value::String(v.into())))
                .collect(),
        )
    }
}

/// Why a value could not be decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

fn err<T>(msg: impl Into<String>) -> Result<T, DecodeError> {
    Err(DecodeError(msg.into()))
}

// cty encodes an unknown value as msgpack extension 0 (refined unknowns use
// other extension codes; any extension is treated as unknown).
const UNKNOWN_EXT: i8 = 0;

/// Encodes a value as cty msgpack.
pub fn to_msgpack(value: &Value) -> Vec<u8> {
    let mut buf = Vec::new();
    rmpv::encode::write_value(&mut buf, &to_rmpv(value)).expect("writing to a Vec cannot fail");
    buf
}

fn to_rmpv(value: &Value) -> rmpv::Value {
    match value {
        Value::Null => rmpv::Value::Nil,
        Value::Unknown => rmpv::Value::Ext(UNKNOWN_EXT, vec![0]),
        Value::Bool(b) => rmpv::Value::Boolean(*b),
        // Numbers travel as decimal strings, which cty parses exactly as it
        // parses numbers in JSON state. A msgpack integer decodes to a
        // number of another precision; Terraform then sees the refreshed
        // state differ from the stored one, and `plan -refresh-only
        // -detailed-exitcode` reports changes where there are none.
        Value::Number(n) => rmpv::Value::from(n.to_string().as_str()),
        Value::String(s) => rmpv::Value::from(s.as_str()),
        Value::List(items) => rmpv::Value::Array(items.iter().map(to_rmpv).collect()),
        Value::Map(items) => rmpv::Value::Map(
            items
                .iter()
                .map(|(k, v)| (rmpv::Value::from(k.as_str()), to_rmpv(v)))
                .collect(),
        ),
    }
}

/// Decodes cty msgpack as a value of type `ty`.
pub fn from_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let mut reader = bytes;
    let raw = rmpv::decode::read_value(&mut reader)
        .map_err(|e| DecodeError(format!("invalid msgpack: {e}")))?;
    if !reader.is_empty() {
        return err("invalid msgpack: trailing bytes after the value");
    }
    from_rmpv(raw, ty)
}

fn from_rmpv(raw: rmpv::Value, ty: &Type) -> Result<Value, DecodeError> {
    use rmpv::Value as R;
    match (raw, ty) {
        (R::Nil, _) => Ok(Value::Null),
        (R::Ext(..), _) => Ok(Value::Unknown),
        (R::Boolean(b), Type::Bool) => Ok(Value::Bool(b)),
        (R::Integer(i), Type::Number) => Ok(Value::Number(if let Some(v) = i.as_i64() {
            v.into()
        } else {
            i.as_u64().unwrap_or_default().into()
        })),
        (R::F32(f), Type::Number) => number_from_f64(f64::from(f)),
        (R::F64(f), Type::Number) => number_from_f64(f),
        // Numbers too large or precise for msgpack travel as decimal strings.
        (R::String(s), Type::Number) => {
            let s = s
                .into_str()
                .ok_or_else(|| DecodeError("number is not UTF-8".into()))?;
            s.parse::<Number>()
                .map(Value::Number)
                .map_err(|_| DecodeError(format!("`{s}` is not a number")))
        }
        (R::String(s), Type::String) => s
            .into_str()
            .map(Value::String)
            .ok_or_else(|| DecodeError("string is not UTF-8".into())),
        (R::Array(items), Type::List(e) | Type::Set(e)) => items
            .into_iter()
            .map(|item| from_rmpv(item, e))
            .collect::<Result<_, _>>()
            .map(Value::List),
        (R::Map(entries), Type::Map(e)) => {
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                out.insert(map_key(k)?, from_rmpv(v, e)?);
            }
            Ok(Value::Map(out))
        }
        (R::Map(entries), Type::Object(attrs)) => {
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                let key = map_key(k)?;
                let Some(attr_ty) = attrs.get(&key) else {
                    return err(format!("unexpected attribute `{key}`"));
                };
                out.insert(key, from_rmpv(v, attr_ty)?);
            }
            // Absent attributes are null, as cty has it.
            for name in attrs.keys() {
                out.entry(name.clone()).or_insert(Value::Null);
            }
            Ok(Value::Map(out))
        }
        (raw, ty) => err(format!("cannot decode {raw} as {}", ty.to_json())),
    }
}

fn map_key(k: rmpv::Value) -> Result<String, DecodeError> {
    match k {
        rmpv::Value::String(s) => s
            .into_str()
            .ok_or_else(|| DecodeError("map key is not UTF-8".into())),
        other => err(format!("map key {other} is not a string")),
    }
}

fn number_from_f64(f: f64) -> Result<Value, DecodeError> {
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| DecodeError(format!("{f} is not a finite number")))
}

/// Decodes JSON (stored state) as a value of type `ty`. Unknown values cannot
/// occur in JSON; attributes the type does not have are an error, so schema
/// upgrades must handle them explicitly.
pub fn from_json(json: &serde_json::Value, ty: &Type) -> Result<Value, DecodeError> {
    use serde_json::Value as J;
    match (json, ty) {
        (J::Null, _) => Ok(Value::Null),
        (J::Bool(b), Type::Bool) => Ok(Value::Bool(*b)),
        (J::Number(n), Type::Number) => Ok(Value::Number(n.clone())),
        (J::String(s), Type::Number) => s
            .parse::<Number>()
            .map(Value::Number)
            .map_err(|_| DecodeError(format!("`{s}` is not a number"))),
        (J::String(s), Type::String) => Ok(Value::String(s.clone())),
        (J::Bool(b), Type::String) => Ok(Value::String(b.to_string())),
        (J::Number(n), Type::String) => Ok(Value::String(n.to_string())),
        (J::Array(items), Type::List(e) | Type::Set(e)) => items
            .iter()
            .map(|item| from_json(item, e))
            .collect::<Result<_, _>>()
            .map(Value::List),
        (J::Object(entries), Type::Map(e)) => entries
            .iter()
            .map(|(k, v)| Ok((k.clone(), from_json(v, e)?)))
            .collect::<Result<_, _>>()
            .map(Value::Map),
        (J::Object(entries), Type::Object(attrs)) => {
            let mut out = BTreeMap::new();
            for (key, v) in entries {
                let Some(attr_ty) = attrs.get(key) else {
                    return err(format!("unexpected attribute `{key}`"));
                };
                out.insert(key.clone(), from_json(v, attr_ty)?);
            }
            for name in attrs.keys() {
                out.entry(name.clone()).or_insert(Value::Null);
            }
            Ok(Value::Map(out))
        }
        (json, ty) => err(format!("cannot decode {json} as {}", ty.to_json())),
    }
}

/// Encodes a wholly known value as JSON (the shape Terraform stores).
pub fn to_json(value: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Value::Null | Value::Unknown => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => J::Number(n.clone()),
        Value::String(s) => J::String(s.clone()),
        Value::List(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(items) => {
            J::Object(items.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object_type() -> Type {
        Type::Object(BTreeMap::from([
            ("name".to_string(), Type::String),
            ("count".to_string(), Type::Number),
            ("ratio".to_string(), Type::Number),
            ("enabled".to_string(), Type::Bool),
            ("ids".to_string(), Type::set(Type::String)),
            ("ports".to_string(), Type::list(Type::Number)),
            ("tags".to_string(), Type::map(Type::String)),
            (
                "block".to_string(),
                Type::list(Type::Object(BTreeMap::from([(
                    "role_arn".to_string(),
                    Type::String,
                )]))),
            ),
        ]))
    }

    fn sample() -> Value {
        Value::Map(BTreeMap::from([
            ("name".to_string(), Value::string("rancher-cp")),
            ("count".to_string(), Value::int(-42)),
            (
                "ratio".to_string(),
                Value::Number(Number::from_f64(1.5).unwrap()),
            ),
            ("enabled".to_string(), Value::Bool(true)),
            (
                "ids".to_string(),
                Value::List(vec![Value::string("a"), Value::Unknown]),
            ),
            (
                "ports".to_string(),
                Value::List(vec![Value::int(443), Value::Null]),
            ),
            (
                "tags".to_string(),
                Value::Map(BTreeMap::from([("k".to_string(), Value::Unknown)])),
            ),
            (
                "block".to_string(),
                Value::List(vec![Value::Map(BTreeMap::from([(
                    "role_arn".to_string(),
                    Value::Null,
                )]))]),
            ),
        ]))
    }

    #[test]
    fn msgpack_round_trip_keeps_unknowns_and_nulls_inside_collections() {
        let value = sample();
        let bytes = to_msgpack(&value);
        assert_eq!(from_msgpack(&bytes, &object_type()).unwrap(), value);
        assert!(!value.is_wholly_known());
    }

    #[test]
    fn unknown_is_encoded_as_cty_does() {
        assert_eq!(to_msgpack(&Value::Unknown), vec![0xd4, 0, 0]);
        // A refined unknown (extension 12, as Terraform 1.6+ sends) decodes too.
        let refined = [0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc3];
        assert_eq!(
            from_msgpack(&refined, &Type::String).unwrap(),
            Value::Unknown
        );
    }

    #[test]
    fn absent_object_attributes_decode_as_null() {
        let bytes = to_msgpack(&Value::Map(BTreeMap::from([(
            "name".to_string(),
            Value::string("x"),
        )])));
        let decoded = from_msgpack(&bytes, &object_type()).unwrap();
        assert_eq!(decoded.as_map().unwrap()["count"], Value::Null);
    }

    #[test]
    fn large_and_decimal_numbers_decode() {
        let big = to_msgpack(&Value::string("123456789012345678901234567890"));
        assert!(from_msgpack(&big, &Type::Number).is_ok());
        let u = to_msgpack(&Value::Number(u64::MAX.into()));
        assert_eq!(
            from_msgpack(&u, &Type::Number).unwrap(),
            Value::Number(u64::MAX.into())
        );
        let f = to_msgpack(&Value::Number(Number::from_f64(0.25).unwrap()));
        assert_eq!(
            from_msgpack(&f, &Type::Number).unwrap().to_owned(),
            Value::Number(Number::from_f64(0.25).unwrap())
        );
    }

    #[test]
    fn numbers_are_sent_as_decimal_strings() {
        // As cty reads JSON state; see `to_rmpv`.
        assert_eq!(
            to_msgpack(&Value::int(3600)),
            to_msgpack(&Value::string("3600"))
        );
        let quarter = to_msgpack(&Value::Number(Number::from_f64(0.25).unwrap()));
        assert_eq!(quarter, to_msgpack(&Value::string("0.25")));
    }

    #[test]
    fn type_mismatch_and_garbage_are_errors_not_panics() {
        assert!(from_msgpack(&to_msgpack(&Value::Bool(true)), &Type::String).is_err());
        assert!(
            from_msgpack(&[0x92, 0xa1], &Type::list(Type::String)).is_err(),
            "truncated input"
        );
        assert!(from_msgpack(&[], &Type::String).is_err());
        let extra = Value::Map(BTreeMap::from([("nope".to_string(), Value::Null)]));
        assert!(from_msgpack(&to_msgpack(&extra), &object_type()).is_err());
    }

    #[test]
    fn json_state_round_trip() {
        let mut value = sample();
        // State never holds unknowns.
        if let Value::Map(m) = &mut value {
            m.insert("ids".into(), Value::string_list(["a", "b"]));
            m.insert("tags".into(), Value::string_map([("k", "v")]));
        }
        let json = to_json(&value);
        assert_eq!(from_json(&json, &object_type()).unwrap(), value);
    }

    #[test]
    fn type_json_matches_terraform() {
        assert_eq!(
            Type::set(Type::String).to_json().to_string(),
            r#"["set","string"]"#
        );
        let obj = Type::Object(BTreeMap::from([("a".to_string(), Type::Bool)]));
        assert_eq!(obj.to_json().to_string(), r#"["object",{"a":"bool"}]"#);
    }
}
