//! A pickle reader for PyTorch checkpoints that never executes anything.
//!
//! A pickle is a program for a stack machine; `torch.load` runs it, and a hostile file can make
//! it call any Python function. Here the opcodes only build plain values, and the only callables
//! are the handful PyTorch uses to rebuild tensors and ordered dicts. Any other global is refused
//! by name before anything else happens.

use std::collections::HashMap;

use super::dtype::StoredDtype;

/// The globals a state dict needs. Anything else is refused.
const ALLOWED_GLOBALS: [(&str, &str); 6] = [
    ("collections", "OrderedDict"),
    ("torch._utils", "_rebuild_tensor_v2"),
    ("torch._utils", "_rebuild_tensor"),
    ("torch._utils", "_rebuild_parameter"),
    ("torch._utils", "_rebuild_parameter_with_state"),
    ("torch", "Size"),
];

/// A reference to a tensor inside the checkpoint: which storage, and how to view it.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorRef {
    pub storage_key: String,
    pub dtype: StoredDtype,
    pub offset: usize,
    pub shape: Vec<usize>,
    pub stride: Vec<usize>,
}

/// The values a state-dict pickle can build.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Value>),
    List(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// An allowed global, not yet called.
    Global(String, String),
    /// A storage named by a persistent id: `('storage', torch.FloatStorage, key, location, numel)`.
    Storage {
        key: String,
        dtype: StoredDtype,
    },
    Tensor(TensorRef),
    Mark,
}

/// Runs the pickle and returns the value it stops with. Errors are plain sentences.
pub fn unpickle(bytes: &[u8]) -> Result<Value, String> {
    Machine {
        bytes,
        at: 0,
        stack: Vec::new(),
        memo: HashMap::new(),
    }
    .run()
}

struct Machine<'a> {
    bytes: &'a [u8],
    at: usize,
    stack: Vec<Value>,
    memo: HashMap<u32, Value>,
}

impl Machine<'_> {
    fn run(mut self) -> Result<Value, String> {
        loop {
            let position = self.at;
            let opcode = self.take(1)?[0];
            match opcode {
                0x80 => {
                    self.take(1)?; // PROTO
                }
                0x95 => {
                    self.take(8)?; // FRAME
                }
                b'.' => return self.pop(), // STOP
                b'(' => self.stack.push(Value::Mark),
                b'}' => self.stack.push(Value::Dict(Vec::new())),
                b']' => self.stack.push(Value::List(Vec::new())),
                b')' => self.stack.push(Value::Tuple(Vec::new())),
                b'N' => self.stack.push(Value::None),
                0x88 => self.stack.push(Value::Bool(true)),
                0x89 => self.stack.push(Value::Bool(false)),
                b'J' => {
                    let value = i32::from_le_bytes(self.take(4)?.try_into().unwrap());
                    self.stack.push(Value::Int(value as i64));
                }
                b'K' => {
                    let value = self.take(1)?[0];
                    self.stack.push(Value::Int(value as i64));
                }
                b'M' => {
                    let value = u16::from_le_bytes(self.take(2)?.try_into().unwrap());
                    self.stack.push(Value::Int(value as i64));
                }
                0x8a => {
                    let len = self.take(1)?[0] as usize;
                    let value = self.long(len)?;
                    self.stack.push(Value::Int(value));
                }
                0x8b => {
                    let len = self.u32()? as usize;
                    let value = self.long(len)?;
                    self.stack.push(Value::Int(value));
                }
                b'G' => {
                    let value = f64::from_be_bytes(self.take(8)?.try_into().unwrap());
                    self.stack.push(Value::Float(value));
                }
                b'X' => {
                    let len = self.u32()? as usize;
                    self.push_str(len)?;
                }
                0x8c => {
                    let len = self.take(1)?[0] as usize;
                    self.push_str(len)?;
                }
                0x8d => {
                    let len = self.u64_len()?;
                    self.push_str(len)?;
                }
                b'T' | b'B' => {
                    let len = self.u32()? as usize;
                    let bytes = self.take(len)?.to_vec();
                    self.stack.push(Value::Bytes(bytes));
                }
                b'U' | b'C' => {
                    let len = self.take(1)?[0] as usize;
                    let bytes = self.take(len)?.to_vec();
                    self.stack.push(Value::Bytes(bytes));
                }
                b'q' => {
                    let key = self.take(1)?[0] as u32;
                    self.memoize(key)?;
                }
                b'r' => {
                    let key = self.u32()?;
                    self.memoize(key)?;
                }
                0x94 => {
                    let key = self.memo.len() as u32;
                    self.memoize(key)?;
                }
                b'h' => {
                    let key = self.take(1)?[0] as u32;
                    self.recall(key)?;
                }
                b'j' => {
                    let key = self.u32()?;
                    self.recall(key)?;
                }
                b'0' => {
                    self.pop()?;
                }
                b'1' => {
                    self.pop_to_mark()?;
                }
                b'2' => {
                    let top = self.stack.last().cloned().ok_or("DUP on an empty stack")?;
                    self.stack.push(top);
                }
                b'c' => {
                    let module = self.line()?;
                    let name = self.line()?;
                    self.push_global(module, name)?;
                }
                0x93 => {
                    let name = self.pop_str()?;
                    let module = self.pop_str()?;
                    self.push_global(module, name)?;
                }
                b't' => {
                    let items = self.pop_to_mark()?;
                    self.stack.push(Value::Tuple(items));
                }
                0x85..=0x87 => {
                    let count = (opcode - 0x84) as usize;
                    if self.stack.len() < count {
                        return Err(format!(
                            "tuple of {count} on a stack of {}",
                            self.stack.len()
                        ));
                    }
                    let items = self.stack.split_off(self.stack.len() - count);
                    self.stack.push(Value::Tuple(items));
                }
                b'l' => {
                    let items = self.pop_to_mark()?;
                    self.stack.push(Value::List(items));
                }
                b'd' => {
                    let items = self.pop_to_mark()?;
                    self.stack.push(Value::Dict(pairs(items)?));
                }
                b'a' => {
                    let item = self.pop()?;
                    self.extend_list(vec![item])?;
                }
                b'e' => {
                    let items = self.pop_to_mark()?;
                    self.extend_list(items)?;
                }
                b's' => {
                    let value = self.pop()?;
                    let key = self.pop()?;
                    self.extend_dict(vec![(key, value)])?;
                }
                b'u' => {
                    let items = self.pop_to_mark()?;
                    self.extend_dict(pairs(items)?)?;
                }
                b'Q' => {
                    let pid = self.pop()?;
                    self.stack.push(persistent_load(pid)?);
                }
                b'R' => {
                    let args = self.pop()?;
                    let callable = self.pop()?;
                    self.stack.push(call(callable, args)?);
                }
                0x81 => {
                    // NEWOBJ: cls.__new__(cls, *args) — only for the allowed classes.
                    let args = self.pop()?;
                    let class = self.pop()?;
                    self.stack.push(call(class, args)?);
                }
                b'b' => {
                    // BUILD sets instance state; for dicts and tensors it only carries metadata.
                    self.pop()?;
                }
                other => {
                    return Err(format!(
                        "unsupported pickle opcode 0x{other:02x} at byte {position}"
                    ));
                }
            }
        }
    }

    fn take(&mut self, count: usize) -> Result<&[u8], String> {
        let end = self
            .at
            .checked_add(count)
            .filter(|&end| end <= self.bytes.len());
        let end =
            end.ok_or_else(|| format!("the pickle ends early (at byte {})", self.bytes.len()))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }

    fn u64_len(&mut self) -> Result<usize, String> {
        let len = u64::from_le_bytes(self.take(8)?.try_into().unwrap());
        usize::try_from(len).map_err(|_| "a string longer than memory".to_string())
    }

    fn long(&mut self, len: usize) -> Result<i64, String> {
        if len > 8 {
            return Err(format!("an integer of {len} bytes is too large"));
        }
        let bytes = self.take(len)?;
        let mut value: i64 = 0;
        for (index, byte) in bytes.iter().enumerate() {
            value |= (*byte as i64) << (8 * index);
        }
        if len > 0 && len < 8 && bytes[len - 1] & 0x80 != 0 {
            value -= 1i64 << (8 * len); // two's complement sign
        }
        Ok(value)
    }

    fn line(&mut self) -> Result<String, String> {
        let rest = &self.bytes[self.at..];
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("a GLOBAL without a newline")?;
        let text = String::from_utf8(rest[..end].to_vec())
            .map_err(|_| "a GLOBAL name that is not UTF-8")?;
        self.at += end + 1;
        Ok(text)
    }

    fn push_str(&mut self, len: usize) -> Result<(), String> {
        let bytes = self.take(len)?;
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| "a string that is not UTF-8")?;
        self.stack.push(Value::Str(text));
        Ok(())
    }

    fn push_global(&mut self, module: String, name: String) -> Result<(), String> {
        let storage = module == "torch" && StoredDtype::from_torch_storage(&name).is_some();
        let allowed = ALLOWED_GLOBALS
            .iter()
            .any(|(m, n)| *m == module && *n == name);
        if !(storage || allowed) {
            return Err(format!(
                "the pickle refers to {module}.{name}; only PyTorch's tensor-rebuild functions are allowed, so it was not loaded"
            ));
        }
        self.stack.push(Value::Global(module, name));
        Ok(())
    }

    fn pop(&mut self) -> Result<Value, String> {
        self.stack
            .pop()
            .ok_or_else(|| "the pickle pops an empty stack".to_string())
    }

    fn pop_str(&mut self) -> Result<String, String> {
        match self.pop()? {
            Value::Str(text) => Ok(text),
            other => Err(format!("expected a name, found {other:?}")),
        }
    }

    fn pop_to_mark(&mut self) -> Result<Vec<Value>, String> {
        let mark = self
            .stack
            .iter()
            .rposition(|v| *v == Value::Mark)
            .ok_or("no MARK on the stack")?;
        let items = self.stack.split_off(mark + 1);
        self.stack.pop();
        Ok(items)
    }

    fn memoize(&mut self, key: u32) -> Result<(), String> {
        let top = self
            .stack
            .last()
            .cloned()
            .ok_or("memoizing an empty stack")?;
        self.memo.insert(key, top);
        Ok(())
    }

    fn recall(&mut self, key: u32) -> Result<(), String> {
        let value = self
            .memo
            .get(&key)
            .cloned()
            .ok_or_else(|| format!("memo {key} is not set"))?;
        self.stack.push(value);
        Ok(())
    }

    fn extend_list(&mut self, items: Vec<Value>) -> Result<(), String> {
        match self.stack.last_mut() {
            Some(Value::List(list)) => {
                list.extend(items);
                Ok(())
            }
            _ => Err("APPEND to something that is not a list".into()),
        }
    }

    fn extend_dict(&mut self, items: Vec<(Value, Value)>) -> Result<(), String> {
        match self.stack.last_mut() {
            Some(Value::Dict(dict)) => {
                dict.extend(items);
                Ok(())
            }
            _ => Err("SETITEM on something that is not a dict".into()),
        }
    }
}

fn pairs(items: Vec<Value>) -> Result<Vec<(Value, Value)>, String> {
    if items.len() % 2 != 0 {
        return Err("a dict with an odd number of items".into());
    }
    let mut iter = items.into_iter();
    let mut out = Vec::new();
    while let (Some(key), Some(value)) = (iter.next(), iter.next()) {
        out.push((key, value));
    }
    Ok(out)
}

fn persistent_load(pid: Value) -> Result<Value, String> {
    let Value::Tuple(parts) = pid else {
        return Err(format!("unexpected persistent id {pid:?}"));
    };
    match parts.as_slice() {
        [
            Value::Str(kind),
            Value::Global(_, class),
            Value::Str(key),
            ..,
        ] if kind == "storage" => {
            let dtype = StoredDtype::from_torch_storage(class)
                .ok_or_else(|| format!("storage type {class} is not supported"))?;
            Ok(Value::Storage {
                key: key.clone(),
                dtype,
            })
        }
        _ => Err(format!("unexpected persistent id {parts:?}")),
    }
}

fn call(callable: Value, args: Value) -> Result<Value, String> {
    let Value::Global(module, name) = callable else {
        return Err(format!(
            "the pickle calls {callable:?}, which is not a function"
        ));
    };
    let args = match args {
        Value::Tuple(args) => args,
        other => return Err(format!("{module}.{name} called with {other:?}")),
    };
    match (module.as_str(), name.as_str()) {
        ("collections", "OrderedDict") => Ok(Value::Dict(Vec::new())),
        ("torch", "Size") => Ok(args.into_iter().next().unwrap_or(Value::Tuple(Vec::new()))),
        ("torch._utils", "_rebuild_tensor_v2" | "_rebuild_tensor") => rebuild_tensor(&args),
        ("torch._utils", "_rebuild_parameter" | "_rebuild_parameter_with_state") => args
            .into_iter()
            .next()
            .ok_or_else(|| "_rebuild_parameter without a tensor".to_string()),
        _ => Err(format!(
            "the pickle calls {module}.{name}, which is not allowed"
        )),
    }
}

fn rebuild_tensor(args: &[Value]) -> Result<Value, String> {
    let [
        Value::Storage { key, dtype },
        Value::Int(offset),
        size,
        stride,
        ..,
    ] = args
    else {
        return Err(format!(
            "_rebuild_tensor_v2 with unexpected arguments {args:?}"
        ));
    };
    Ok(Value::Tensor(TensorRef {
        storage_key: key.clone(),
        dtype: *dtype,
        offset: usize::try_from(*offset).map_err(|_| "a negative storage offset")?,
        shape: usizes(size)?,
        stride: usizes(stride)?,
    }))
}

fn usizes(value: &Value) -> Result<Vec<usize>, String> {
    match value {
        Value::Tuple(items) | Value::List(items) => items
            .iter()
            .map(|item| match item {
                Value::Int(n) if *n >= 0 => Ok(*n as usize),
                other => Err(format!("expected a size, found {other:?}")),
            })
            .collect(),
        other => Err(format!("expected a tuple of sizes, found {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_os_system_before_calling_anything() {
        // cos\nsystem\n(S'echo pwned'\ntR.  — protocol 0, the classic payload.
        let payload = b"cos\nsystem\n(S'echo pwned'\ntR.";
        let error = unpickle(payload).unwrap_err();
        assert!(error.contains("os.system"), "{error}");
    }

    #[test]
    fn reads_nested_containers_and_integers() {
        // {'a': (1, -2, 300, 70000), 'b': [True, None]} in protocol 2
        let bytes = b"\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01(K\x01J\xfe\xff\xff\xffM,\x01J\x70\x11\x01\x00tq\x02X\x01\x00\x00\x00bq\x03]q\x04(\x88Neu.";
        let value = unpickle(bytes).unwrap();
        let expected = Value::Dict(vec![
            (
                Value::Str("a".into()),
                Value::Tuple(vec![
                    Value::Int(1),
                    Value::Int(-2),
                    Value::Int(300),
                    Value::Int(70000),
                ]),
            ),
            (
                Value::Str("b".into()),
                Value::List(vec![Value::Bool(true), Value::None]),
            ),
        ]);
        assert_eq!(value, expected);
    }

    #[test]
    fn long1_is_twos_complement() {
        // LONG1 with 2 bytes 0xff 0x7f = 32767; 1 byte 0xff = -1
        let value = unpickle(b"\x80\x02\x8a\x02\xff\x7f\x8a\x01\xff\x86.").unwrap();
        assert_eq!(value, Value::Tuple(vec![Value::Int(32767), Value::Int(-1)]));
    }

    #[test]
    fn truncated_pickle_is_an_error_not_a_panic() {
        let error = unpickle(b"\x80\x02X\xff\x00\x00\x00ab").unwrap_err();
        assert!(error.contains("ends early"), "{error}");
    }
}
