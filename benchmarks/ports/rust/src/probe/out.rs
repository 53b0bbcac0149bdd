//! The probe's JSON output: a value tree written as nlohmann::json's
//! dump(1) writes the C++ probe (keys sorted, one-space indent), so the two
//! documents read alike. Floats keep a decimal point ("20000.0"), as there.

use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Clone, Debug, PartialEq)]
pub enum Out {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Arr(Vec<Out>),
    Obj(BTreeMap<String, Out>),
}

/// An object from (key, value) pairs.
pub fn obj(members: Vec<(&str, Out)>) -> Out {
    Out::Obj(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

impl From<i64> for Out {
    fn from(v: i64) -> Out {
        Out::Int(v)
    }
}
impl From<u64> for Out {
    fn from(v: u64) -> Out {
        Out::UInt(v)
    }
}
impl From<f64> for Out {
    fn from(v: f64) -> Out {
        Out::Float(v)
    }
}
impl From<bool> for Out {
    fn from(v: bool) -> Out {
        Out::Bool(v)
    }
}
impl From<&str> for Out {
    fn from(v: &str) -> Out {
        Out::Str(v.to_string())
    }
}
impl<T: Into<Out>> From<Option<T>> for Out {
    fn from(v: Option<T>) -> Out {
        v.map_or(Out::Null, Into::into)
    }
}

fn string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl Out {
    pub fn dump(&self) -> String {
        let mut s = String::new();
        self.write(0, &mut s);
        s
    }

    fn write(&self, depth: usize, out: &mut String) {
        let pad = |d: usize, out: &mut String| {
            out.push('\n');
            out.extend(std::iter::repeat(' ').take(d));
        };
        match self {
            Out::Null => out.push_str("null"),
            Out::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Out::Int(v) => {
                let _ = write!(out, "{v}");
            }
            Out::UInt(v) => {
                let _ = write!(out, "{v}");
            }
            // Debug keeps ".0" on whole numbers; JSON has no NaN/inf.
            Out::Float(v) if v.is_finite() => {
                let _ = write!(out, "{v:?}");
            }
            Out::Float(_) => out.push_str("null"),
            Out::Str(s) => string(s, out),
            Out::Arr(a) if a.is_empty() => out.push_str("[]"),
            Out::Arr(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    pad(depth + 1, out);
                    v.write(depth + 1, out);
                }
                pad(depth, out);
                out.push(']');
            }
            Out::Obj(m) if m.is_empty() => out.push_str("{}"),
            Out::Obj(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    pad(depth + 1, out);
                    string(k, out);
                    out.push_str(": ");
                    v.write(depth + 1, out);
                }
                pad(depth, out);
                out.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;

    #[test]
    fn writes_what_the_reader_reads_back() {
        let v = obj(vec![
            (
                "b",
                Out::Arr(vec![1i64.into(), Out::Float(20000.0), Out::Null]),
            ),
            ("a", "x\"y".into()),
            ("c", Out::Arr(vec![])),
            ("d", obj(vec![])),
            ("e", Out::Float(f64::NAN)),
        ]);
        let text = v.dump();
        assert!(text.starts_with("{\n \"a\": \"x\\\"y\",\n \"b\": [\n  1,\n  20000.0,"));
        let back = Json::parse(&text).unwrap();
        assert_eq!(back.get("a").str(), "x\"y");
        assert_eq!(back.get("b").arr().len(), 3);
        assert_eq!(back.get("e"), &Json::Null);
    }
}
